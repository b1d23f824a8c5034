"""a next step handed to someone is told as 转交待办, not as a change of the project

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

BEFORE = "kind IN ('next_step', 'behind', 'bulletin', 'project_changed')"
AFTER = "kind IN ('next_step', 'behind', 'bulletin', 'project_changed', 'task_assigned')"


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind'), AFTER)
    # The hand-overs told before, as their key names them.
    op.execute(sa.text("UPDATE notifications SET kind = 'task_assigned' "
                       "WHERE kind = 'project_changed' AND key LIKE 'task:%'"))


def downgrade():
    op.execute(sa.text("UPDATE notifications SET kind = 'project_changed' WHERE kind = 'task_assigned'"))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_kind'), BEFORE)
