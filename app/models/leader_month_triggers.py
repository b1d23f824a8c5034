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
SQLite has no trigger functions, so three triggers carry the statements inline; PostgreSQL had
one PL/pgSQL function, zonecrm_leader_months(), and one row trigger that calls it (migration
0006). Since migration 0022 PostgreSQL has statement-level triggers instead, one per event, with
the statement's rows as transition tables (new_rows, old_rows) and one function,
zonecrm_leader_months_batch(): per statement, each month's rows in new_rows less those in
old_rows are added to leader_months in one upsert (a DELETE: subtracted in one UPDATE). That is
the sum of what the row trigger did row by row (an UPDATE that keeps the month nets 0 and is
left out), in one statement instead of one per row: an import credits tens of thousands of
rows, and the row trigger was a third of PostgreSQL's time writing them.

Migration 0006 runs create_statements, migration 0022 batch_create_statements. A database keeps the text it was given (sqlite_master,
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


# The month rows are upserted in key order, as the row trigger met them in the summary's key
# order: two transactions crediting the same leaders lock their month rows in the same order.
_MONTH_OF = "EXTRACT(MONTH FROM first_contact_on)::integer"
POSTGRES_BATCH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION zonecrm_leader_months_batch() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO leader_months (leader_id, year, month, projects)
        SELECT leader_id, year, {_MONTH_OF}, count(*)::integer FROM new_rows
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (leader_id, year, month) DO UPDATE SET projects = leader_months.projects + EXCLUDED.projects;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO leader_months (leader_id, year, month, projects)
        SELECT leader_id, year, month, sum(n)::integer FROM (
            SELECT leader_id, year, {_MONTH_OF} AS month, 1 AS n FROM new_rows
            UNION ALL
            SELECT leader_id, year, {_MONTH_OF}, -1 FROM old_rows) AS moved
        GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (leader_id, year, month) DO UPDATE SET projects = leader_months.projects + EXCLUDED.projects;
    ELSE
        UPDATE leader_months SET projects = leader_months.projects - gone.n
        FROM (SELECT leader_id, year, {_MONTH_OF} AS month, count(*)::integer AS n FROM old_rows
              GROUP BY 1, 2, 3) AS gone
        WHERE leader_months.leader_id = gone.leader_id AND leader_months.year = gone.year
          AND leader_months.month = gone.month;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
_TABLES = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
           "delete": "OLD TABLE AS old_rows"}
POSTGRES_BATCH_TRIGGERS = [
    f"CREATE TRIGGER leader_projects_months_{event} AFTER {event.upper()} ON leader_projects "
    f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION zonecrm_leader_months_batch()"
    for event, tables in _TABLES.items()]


def batch_create_statements(dialect: str) -> list[str]:
    """The DDL of migration 0022: PostgreSQL's statement-level triggers (SQLite keeps its row
    triggers: it has no statement-level ones)."""
    if dialect == POSTGRESQL:
        return [POSTGRES_BATCH_FUNCTION, *POSTGRES_BATCH_TRIGGERS]
    return []


def batch_drop_statements(dialect: str) -> list[str]:
    """The DDL that drops what batch_create_statements created."""
    if dialect == POSTGRESQL:
        return [*(f"DROP TRIGGER leader_projects_months_{event} ON leader_projects" for event in _TABLES),
                "DROP FUNCTION zonecrm_leader_months_batch()"]
    return []


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
