"""stage corrections: a mistaken stage change is marked corrected, not deleted

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stage_changes') as batch:
        batch.add_column(sa.Column('corrected_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('corrected_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('correction_note', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('corrects_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_stage_changes_corrected_by_id_users', 'users', ['corrected_by_id'], ['id'])
        batch.create_foreign_key('fk_stage_changes_corrects_id_stage_changes', 'stage_changes', ['corrects_id'], ['id'])


def downgrade():
    with op.batch_alter_table('stage_changes') as batch:
        batch.drop_constraint('fk_stage_changes_corrects_id_stage_changes', type_='foreignkey')
        batch.drop_constraint('fk_stage_changes_corrected_by_id_users', type_='foreignkey')
        batch.drop_column('corrects_id')
        batch.drop_column('correction_note')
        batch.drop_column('corrected_by_id')
        batch.drop_column('corrected_at')
