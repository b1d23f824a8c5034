"""leader months: per leader and month, how many quota projects were first contacted

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:05:00

The desk's leader counts read a dozen rows per leader instead of counting every
leader_projects row of the year. Triggers on leader_projects keep the table exact in the
same transaction as any write to the summary, whichever code path makes it. The triggers'
SQL, and what they maintain, is in app/models/leader_month_triggers.py.
"""
from alembic import op
import sqlalchemy as sa

from app.models import leader_month_triggers as triggers


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('leader_months',
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('projects', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_leader_months_leader_id_users')),
    sa.PrimaryKeyConstraint('leader_id', 'year', 'month', name=op.f('pk_leader_months'))
    )
    with op.batch_alter_table('leader_projects', schema=None) as batch_op:
        batch_op.create_index('ix_leader_projects_year_first', ['year', 'first_contact_on', 'leader_id'],
                              unique=False)
    dialect = op.get_bind().dialect.name
    op.execute(triggers.backfill_statement(dialect))
    for statement in triggers.create_statements(dialect):
        op.execute(statement)


def downgrade():
    for statement in triggers.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('leader_projects', schema=None) as batch_op:
        batch_op.drop_index('ix_leader_projects_year_first')
    op.drop_table('leader_months')
