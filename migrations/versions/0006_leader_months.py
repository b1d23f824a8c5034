"""leader months: per leader and month, how many quota projects were first contacted

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:05:00

The desk's leader counts read a dozen rows per leader instead of counting every
leader_projects row of the year. Triggers on leader_projects keep the table exact in the
same transaction as any write to the summary, whichever code path makes it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# An UPDATE that keeps first_contact_on also fires: -1 and +1 on the same month, no change.
SQLITE_MONTH = "CAST(strftime('%m', {row}.first_contact_on) AS INTEGER)"
SQLITE_ADD = (
    "INSERT INTO leader_months (leader_id, year, month, projects) "
    "VALUES (NEW.leader_id, NEW.year, " + SQLITE_MONTH.format(row="NEW") + ", 1) "
    "ON CONFLICT (leader_id, year, month) DO UPDATE SET projects = projects + 1;"
)
SQLITE_REMOVE = (
    "UPDATE leader_months SET projects = projects - 1 WHERE leader_id = OLD.leader_id "
    "AND year = OLD.year AND month = " + SQLITE_MONTH.format(row="OLD") + ";"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER leader_projects_months_insert AFTER INSERT ON leader_projects BEGIN {SQLITE_ADD} END",
    "CREATE TRIGGER leader_projects_months_update AFTER UPDATE OF leader_id, year, first_contact_on "
    f"ON leader_projects BEGIN {SQLITE_REMOVE} {SQLITE_ADD} END",
    f"CREATE TRIGGER leader_projects_months_delete AFTER DELETE ON leader_projects BEGIN {SQLITE_REMOVE} END",
]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION zonecrm_leader_months() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE leader_months SET projects = projects - 1
        WHERE leader_id = OLD.leader_id AND year = OLD.year
          AND month = EXTRACT(MONTH FROM OLD.first_contact_on)::integer;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO leader_months (leader_id, year, month, projects)
        VALUES (NEW.leader_id, NEW.year, EXTRACT(MONTH FROM NEW.first_contact_on)::integer, 1)
        ON CONFLICT (leader_id, year, month) DO UPDATE SET projects = leader_months.projects + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
POSTGRES_TRIGGER = ("CREATE TRIGGER leader_projects_months AFTER INSERT OR UPDATE OR DELETE ON leader_projects "
                    "FOR EACH ROW EXECUTE FUNCTION zonecrm_leader_months()")
BACKFILL_MONTH = {"sqlite": "CAST(strftime('%m', first_contact_on) AS INTEGER)",
                  "postgresql": "EXTRACT(MONTH FROM first_contact_on)::integer"}


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
    op.execute(
        "INSERT INTO leader_months (leader_id, year, month, projects) "
        f"SELECT leader_id, year, {BACKFILL_MONTH[dialect]}, count(*) FROM leader_projects "
        f"GROUP BY leader_id, year, {BACKFILL_MONTH[dialect]}"
    )
    if dialect == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER leader_projects_months ON leader_projects")
        op.execute("DROP FUNCTION zonecrm_leader_months()")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER leader_projects_months_{name}")
    with op.batch_alter_table('leader_projects', schema=None) as batch_op:
        batch_op.drop_index('ix_leader_projects_year_first')
    op.drop_table('leader_months')
