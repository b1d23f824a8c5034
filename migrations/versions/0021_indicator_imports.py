"""indicator imports: the bureau's city-wide monthly indicator sheet goes through import_jobs
(kind 'indicators'); a bureau upload belongs to no zone, and a correction's reason is kept

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='ledger'))
        batch_op.add_column(sa.Column('reason', sa.String(length=200), nullable=False, server_default=''))
        batch_op.alter_column('zone_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_import_jobs_kind'), "kind IN ('ledger', 'indicators')")


def downgrade():
    op.execute("DELETE FROM import_jobs WHERE kind <> 'ledger'")
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_import_jobs_kind'), type_='check')
        batch_op.alter_column('zone_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('reason')
        batch_op.drop_column('kind')
