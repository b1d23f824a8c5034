"""The database triggers that keep leader_months equal to a count of leader_projects.

leader_projects (LeaderProject) holds, per leader, year and project, the first day that year on
which the leader took part in a contact with the project. leader_months (LeaderMonth) holds how
many of those rows fall in each month; at every commit it is exactly what backfill_statement
would compute from scratch:

    SELECT leader_id, year, <month of first_contact_on>, count(*) FROM leader_projects GROUP BY ...

so a leader's quota count as of any date is a sum of a dozen month rows, less the few rows after
that date within its month (app/queries/progress.py leader_counts), not a count over every
leader_projects row of the year.

Why triggers rather than Python: leader_projects is written by bulk statements, never through ORM
objects: the upsert that credits a contact (an INSERT, or an UPDATE of first_contact_on to an
earlier day) and the operators' recount (a DELETE, then an INSERT ... SELECT), both in
app/services/contacts.py. A trigger on each row updates leader_months in the same transaction
whichever of them ran, so the two tables cannot drift apart and no Python writes leader_months.
Per leader_projects row:
- INSERT adds 1 to the month of NEW.first_contact_on, creating the month row at 1;
- DELETE takes 1 from the month of OLD.first_contact_on (an emptied month row stays, at 0);
- UPDATE (on SQLite: of leader_id, year or first_contact_on) does both, so an update that keeps
  the month changes nothing.
SQLite has no trigger functions, so three triggers carry the statements inline; PostgreSQL has
one PL/pgSQL function, zonecrm_leader_months(), and one row trigger that calls it.

Migration 0006 runs these statements. A database keeps the text it was given (sqlite_master,
pg_proc), so editing it here reaches new databases only: a change needs a new migration that
runs drop_statements and then the new create statements. tests/test_leader_months.py compares
the table with a recount after contacts, backdated contacts and recounts.
"""
from __future__ import annotations

SQLITE, POSTGRESQL = "sqlite", "postgresql"

# The month of a date column, as an integer 1-12.
MONTH = {SQLITE: "CAST(strftime('%m', {column}) AS INTEGER)",
         POSTGRESQL: "EXTRACT(MONTH FROM {column})::integer"}

# An UPDATE that keeps first_contact_on also fires: -1 and +1 on the same month, no change.
SQLITE_ADD = (
    "INSERT INTO leader_months (leader_id, year, month, projects) "
    "VALUES (NEW.leader_id, NEW.year, " + MONTH[SQLITE].format(column="NEW.first_contact_on") + ", 1) "
    "ON CONFLICT (leader_id, year, month) DO UPDATE SET projects = projects + 1;"
)
SQLITE_REMOVE = (
    "UPDATE leader_months SET projects = projects - 1 WHERE leader_id = OLD.leader_id "
    "AND year = OLD.year AND month = " + MONTH[SQLITE].format(column="OLD.first_contact_on") + ";"
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


def create_statements(dialect: str) -> list[str]:
    """The DDL that creates the triggers (and PostgreSQL's function), in order."""
    if dialect == POSTGRESQL:
        return [POSTGRES_FUNCTION, POSTGRES_TRIGGER]
    return list(SQLITE_TRIGGERS)


def drop_statements(dialect: str) -> list[str]:
    """The DDL that drops what create_statements created."""
    if dialect == POSTGRESQL:
        return ["DROP TRIGGER leader_projects_months ON leader_projects", "DROP FUNCTION zonecrm_leader_months()"]
    return [f"DROP TRIGGER leader_projects_months_{event}" for event in ("insert", "update", "delete")]


def backfill_statement(dialect: str) -> str:
    """Fill an empty leader_months from the leader_projects rows already there: what the triggers
    keep it equal to."""
    month = MONTH[POSTGRESQL if dialect == POSTGRESQL else SQLITE].format(column="first_contact_on")
    return ("INSERT INTO leader_months (leader_id, year, month, projects) "
            f"SELECT leader_id, year, {month}, count(*) FROM leader_projects "
            f"GROUP BY leader_id, year, {month}")
