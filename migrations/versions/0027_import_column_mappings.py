"""a zone's answers for the ledger columns no field declares, remembered for its later files

An unrecognised column of a ledger (投资方联系人, 对接领导 on the project sheet) is no longer
filed into 备注 on its own: the user maps it to a field, or keeps it in 备注, or ignores it, and
the zone's answer is read again for its next file (editable on the import's mapping step).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'import_column_mappings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('zone_id', sa.Integer(), sa.ForeignKey('zones.id', ondelete='CASCADE'), nullable=False),
        sa.Column('sheet_kind', sa.String(16), nullable=False, server_default='projects'),
        sa.Column('header', sa.String(200), nullable=False),
        sa.Column('written', sa.String(200), nullable=False),
        sa.Column('target', sa.String(32), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('zone_id', 'sheet_kind', 'header', name='uq_import_column_mappings'),
    )


def downgrade():
    op.drop_table('import_column_mappings')
