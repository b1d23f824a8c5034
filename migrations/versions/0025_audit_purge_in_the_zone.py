"""the audit purge counts its 180 days in the app's time zone: zonecrm_audit_purge(cutoff, zone)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 23:40:00

zonecrm_audit_purge(cutoff date) of 0008 counted 180 days back from the server's UTC date and
cut at 00:00 UTC, while the app checks the cutoff against today in its configured zone (Beijing
time): between 00:00 and 08:00 Beijing time the app allowed a cutoff the function refused.
Now the app passes its zone, and the function takes both today and the cutoff's midnight in
that zone. Whatever zone a caller passes, the cutoff's midnight there is no later than this
instant less 180 days, so the function still deletes nothing younger; the trigger of 0008,
which counts 180 days back from this instant, is unchanged and refuses anything younger anyway.
Owned by zonecrm_audit_purger as before (app/backup.py hands it back after a restore).

SQLite needs nothing: its trigger counts from this instant too, and the app cuts at the zone's
midnight itself.
"""
from alembic import op
import sqlalchemy as sa

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

PURGER = "zonecrm_audit_purger"

PURGE_IN_ZONE = """
CREATE OR REPLACE FUNCTION zonecrm_audit_purge(cutoff date, zone text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    latest date := (now() AT TIME ZONE zone)::date - 180;
    -- The cutoff's midnight in the zone, as stored (naive UTC).
    cutoff_at timestamp := (cutoff::timestamp AT TIME ZONE zone) AT TIME ZONE 'UTC';
    keep_from bigint;
    deleted integer;
BEGIN
    IF cutoff IS NULL OR zone IS NULL OR cutoff > latest THEN
        RAISE EXCEPTION '审计记录至少保留 180 天：只能清理 % 之前的记录', latest
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Only the oldest part of the chain: nothing after a record younger than the cutoff.
    SELECT min(chain_seq) INTO keep_from FROM {schema}.audit_events WHERE occurred_at >= cutoff_at;
    DELETE FROM {schema}.audit_events
     WHERE occurred_at < cutoff_at AND (keep_from IS NULL OR chain_seq < keep_from);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$
"""
# 0008's function, as it was.
PURGE_IN_UTC = """
CREATE OR REPLACE FUNCTION zonecrm_audit_purge(cutoff date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    latest date := (now() AT TIME ZONE 'UTC')::date - 180;
    keep_from bigint;
    deleted integer;
BEGIN
    IF cutoff IS NULL OR cutoff > latest THEN
        RAISE EXCEPTION '审计记录至少保留 180 天：只能清理 % 之前的记录', latest
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Only the oldest part of the chain: nothing after a record younger than the cutoff.
    SELECT min(chain_seq) INTO keep_from FROM {schema}.audit_events WHERE occurred_at >= cutoff::timestamp;
    DELETE FROM {schema}.audit_events
     WHERE occurred_at < cutoff::timestamp AND (keep_from IS NULL OR chain_seq < keep_from);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$
"""


def _replace(drop: str, create: str, signature: str) -> None:
    bind = op.get_bind()
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar()
    superuser = bind.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    op.execute(f"DROP FUNCTION IF EXISTS {drop}")
    op.execute(create.format(schema=schema))
    if not superuser:  # handing a function to a role needs membership, for this moment only
        op.execute(f"GRANT {PURGER} TO current_user")
    op.execute(f"ALTER FUNCTION {signature} OWNER TO {PURGER}")
    if not superuser:
        op.execute(f"REVOKE {PURGER} FROM current_user")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _replace("zonecrm_audit_purge(date)", PURGE_IN_ZONE, "zonecrm_audit_purge(date, text)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _replace("zonecrm_audit_purge(date, text)", PURGE_IN_UTC, "zonecrm_audit_purge(date)")
