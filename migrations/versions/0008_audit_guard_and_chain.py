"""audit guard and chain: a hash chain over the audit trail; deletes only through a
database function that enforces the 180 days (PostgreSQL), triggers on SQLite too

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 19:20:00

PostgreSQL: the trigger of 0002 let any session through that ran
`SET LOCAL zonecrm.audit_purge = 'on'`. Now the trigger lets a DELETE through only when it
runs as the role zonecrm_audit_purger (NOLOGIN: nobody signs in as it) and the record is
more than 180 days old, and the one way to run as that role is the SECURITY DEFINER
function zonecrm_audit_purge(cutoff date), which refuses a cutoff younger than 180 days.
The migration must run as a superuser or a role with CREATEROLE; the application's own
database role must not be a member of zonecrm_audit_purger, nor own audit_events (an owner
can disable triggers).

SQLite: triggers refuse UPDATE, and DELETE of a record younger than 180 days.

Existing records are sealed into the chain in id order.
"""
from alembic import op
import sqlalchemy as sa

from app.domain.audit_chain import GENESIS, link

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

PURGER = "zonecrm_audit_purger"

POSTGRES_GUARD = f"""
CREATE OR REPLACE FUNCTION zonecrm_audit_events_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_user = '{PURGER}'
       AND OLD.occurred_at < (now() AT TIME ZONE 'UTC') - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused (审计记录不可修改或删除)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
POSTGRES_PURGE = """
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
POSTGRES_OLD_GUARD = """
CREATE OR REPLACE FUNCTION zonecrm_audit_events_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('zonecrm.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused (审计记录不可修改或删除)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused (审计记录不可修改)'); END",
    "CREATE TRIGGER audit_events_no_young_delete BEFORE DELETE ON audit_events "
    "WHEN OLD.occurred_at >= datetime('now', '-180 days') "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused (审计记录至少保留 180 天)'); END",
)

audit_events = sa.table(
    "audit_events", sa.column("id", sa.Integer), sa.column("occurred_at", sa.DateTime),
    sa.column("user_id", sa.Integer), sa.column("username", sa.String), sa.column("ip", sa.String),
    sa.column("action", sa.String), sa.column("entity", sa.String), sa.column("entity_id", sa.Integer),
    sa.column("zone_id", sa.Integer), sa.column("before", sa.JSON), sa.column("after", sa.JSON),
    sa.column("chain_seq", sa.BigInteger), sa.column("chain_prev", sa.String), sa.column("chain_hash", sa.String))


def _seal_existing(bind):
    prev, seq = GENESIS, 0
    rows = bind.execute(sa.select(audit_events).order_by(audit_events.c.id)).mappings().all()
    for row in rows:
        seq += 1
        record = dict(row, chain_seq=seq)
        digest = link(prev, record)
        bind.execute(audit_events.update().where(audit_events.c.id == row["id"])
                     .values(chain_seq=seq, chain_prev=prev, chain_hash=digest))
        prev = digest
    bind.execute(sa.text("INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, :seq, :hash)"),
                 {"seq": seq, "hash": prev})


def upgrade():
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('chain_prev', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_events_chain_seq'), ['chain_seq'], unique=True)
    if postgresql:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete")
    _seal_existing(bind)
    if postgresql:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete")
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar()
        superuser = bind.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
        op.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PURGER}') THEN "
                   f"CREATE ROLE {PURGER} NOLOGIN; END IF; END $$")
        op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {PURGER}")
        op.execute(f"GRANT SELECT, DELETE ON audit_events TO {PURGER}")
        op.execute(POSTGRES_GUARD)
        op.execute(POSTGRES_PURGE.format(schema=schema))
        if not superuser:  # handing a function to a role needs membership, for this moment only
            op.execute(f"GRANT {PURGER} TO current_user")
        op.execute(f"ALTER FUNCTION zonecrm_audit_purge(date) OWNER TO {PURGER}")
        if not superuser:
            op.execute(f"REVOKE {PURGER} FROM current_user")
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS zonecrm_audit_purge(date)")
        op.execute(POSTGRES_OLD_GUARD)
        op.execute(f"REVOKE ALL ON audit_events FROM {PURGER}")
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_young_delete")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_chain_seq'))
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('chain_prev')
        batch_op.drop_column('chain_seq')
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete")
    op.drop_table('audit_chain_head')
