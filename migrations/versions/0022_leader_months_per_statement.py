"""leader months per statement: PostgreSQL keeps leader_months with statement-level triggers

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29 23:00:00

The row trigger of migration 0006 ran an upsert of leader_months for every leader_projects
row written; an import credits tens of thousands at once. The statement-level triggers add
each month's rows of the statement in one upsert (app/models/leader_month_triggers.py).
SQLite keeps its row triggers. leader_months' contents do not change.
"""
from alembic import op

from app.models import leader_month_triggers as triggers


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect != triggers.POSTGRESQL:
        return
    for statement in triggers.drop_statements(dialect):
        op.execute(statement)
    for statement in triggers.batch_create_statements(dialect):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect != triggers.POSTGRESQL:
        return
    for statement in triggers.batch_drop_statements(dialect):
        op.execute(statement)
    for statement in triggers.create_statements(dialect):
        op.execute(statement)
