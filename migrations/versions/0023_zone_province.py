"""zones know their province (所属省份): the bureau desk is paged by province

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('zones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('province', sa.String(length=20), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_zones_province'), ['province'], unique=False)


def downgrade():
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+ has it): a batch copy of `zones` would
    # drop the table, which every zone's users and projects refer to.
    op.drop_index(op.f('ix_zones_province'), table_name='zones')
    op.drop_column('zones', 'province')
