"""Issue 20: the ledger import's phases timed in one process, on SQLite or PostgreSQL.

    python bench/import_speed.py                          # 60,000 projects + 40,000 contacts, SQLite
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/zc_bench python bench/import_speed.py
    python bench/import_speed.py --projects 6000 --contacts 4000 --profile write

The messy ledger of bench/ledger.py is written into a temp dir (once per size and seed: it is
kept there for the next run), then imported as `flask import-ledger` imports it, into a new
zone (6 leaders) of a freshly migrated, otherwise empty database: on PostgreSQL the database
named by BENCH_DATABASE_URL has its public schema dropped and re-created first, so give it a
database of its own. Planning reads only the importing zone, so other zones' data matter
only through the sizes of the tables' indexes.

Each phase is reported as wall time, this process's CPU time (time.process_time: less noisy
on a shared machine; the database server's own work on PostgreSQL is not in it) and the peak
RSS of the process after it. `--again` imports the same file a second time (every row
unchanged: the zone's index of 60,000 projects is read and compared). The audit chain is
verified at the end, as `flask audit verify` does.

`--floor` then measures what no import of these rows can go below on this machine and schema:
the rows the import wrote (investors, projects, stage changes, contacts, their leaders, the
quota summary and the audit records) are inserted again, as finished tuples with no Python
work at all, into an empty database with the same schema (indexes, foreign keys, triggers):
the driver's executemany on SQLite, COPY on PostgreSQL, then the commit.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS: list[tuple[str, float, float, float]] = []


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def phase(name: str, profile: str | None, out: Path):
    # Timed by CPU time: on a shared machine the wall clock counts other processes too.
    profiler = cProfile.Profile(time.process_time) if profile in (name, "all") else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    yield
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    RESULTS.append((name, wall, cpu, peak_mb()))
    print(f"  {name:12s} wall {wall:7.2f} s   cpu {cpu:7.2f} s   peak RSS {peak_mb():6.0f} MB", flush=True)
    if profiler:
        path = out / f"profile-{name}.pstats"
        profiler.dump_stats(path)
        print(f"  profile of {name}: {path}")
        pstats.Stats(str(path)).sort_stats("tottime").print_stats(25)


def ledger_file(projects: int, contacts: int, seed: int) -> Path:
    from bench.ledger import messy_ledger
    folder = Path(tempfile.gettempdir()) / "zonecrm-import-speed"
    folder.mkdir(exist_ok=True)
    file = folder / f"ledger-{projects}-{contacts}-{seed}.xlsx"
    if not file.exists():
        t = time.perf_counter()
        file.write_bytes(messy_ledger(projects, contacts, seed))
        print(f"wrote {file} ({file.stat().st_size / 1024 / 1024:.1f} MB) in {time.perf_counter() - t:.0f} s")
    return file


def prepare_database(url: str) -> None:
    os.environ.update(DATABASE_URL=url, SECRET_KEY="bench-" + "x" * 40, ZONECRM_CONFIG="development")
    os.environ.pop("TEST_DATABASE_URL", None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=60_000)
    parser.add_argument("--contacts", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--profile", choices=["read", "locate", "plan", "write", "commit", "all"])
    parser.add_argument("--again", action="store_true", help="import the same file a second time")
    parser.add_argument("--floor", action="store_true",
                        help="then insert the written rows again, as finished tuples, into an empty copy of the schema")
    parser.add_argument("--statements", action="store_true",
                        help="list the SQL statements that took the most time (COPY is not among them)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="import-speed-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{work / 'bench.db'}"
    file = ledger_file(args.projects, args.contacts, args.seed)
    prepare_database(url)

    import flask_migrate
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db
    app = create_app()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
    runner = app.test_cli_runner()
    from bench.ledger import LEADERS
    for command in [["zones", "add", "z001", "第一开发区", "--tier", "A"]] + [
            ["users", "add", f"l{i}", "--name", name, "--role", "leader", "--zone", "z001", "--password", "Bench@2024"]
            for i, name in enumerate(LEADERS)]:
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output

    print(f"{db_name(url)}: {args.projects:,} projects + {args.contacts:,} contacts, {file.name}, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    for round_ in range(2 if args.again else 1):
        if round_:
            print("the same file again:")
            RESULTS.clear()
        with app.app_context(), paused(), timed_statements(app, args.statements):
            run_import(app, file, args.profile if not round_ else None, work)
    if args.floor:
        with app.app_context():
            insert_floor(db.engine, work)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


# The tables an import writes, parents first.
WRITTEN = ["investors", "projects", "stage_changes", "contacts", "contact_leaders", "leader_projects", "audit_events"]


def insert_floor(engine, work: Path) -> None:
    """The written rows inserted again, with nothing left to compute, into an empty database of
    the same schema: the database's own share of the import, as low as this machine takes it."""
    with engine.connect() as source:
        rows = {table: source.exec_driver_sql(f"SELECT * FROM {table}").all() for table in WRITTEN}
    if engine.dialect.name == "postgresql":
        import json   # psycopg reads JSON columns as objects; COPY takes their text
        rows = {table: [tuple(json.dumps(v) if isinstance(v, (dict, list)) else v for v in row) for row in batch]
                for table, batch in rows.items()}
        write, commit = _empty_postgresql_copy(engine)
    else:
        write, commit = _empty_sqlite_copy(engine, work / "floor.db")
    total = 0.0
    print("  floor: the same rows inserted again as finished tuples, into an empty copy of the schema")
    for table in WRITTEN:
        started = time.perf_counter()
        if rows[table]:
            write(table, rows[table])
        seconds = time.perf_counter() - started
        total += seconds
        print(f"    {table:16s} {len(rows[table]):8,} rows  {seconds:6.2f} s")
    started = time.perf_counter()
    commit()
    seconds = time.perf_counter() - started
    print(f"    {'commit':16s} {'':14s} {seconds:6.2f} s\n    {'total':16s} {'':14s} {total + seconds:6.2f} s")


def _empty_sqlite_copy(engine, path: Path):
    """A new SQLite file with the schema and reference rows of the engine's, set up as
    app/database.py sets up every connection; returns its (write, commit)."""
    import sqlite3
    origin = sqlite3.connect(engine.url.database)
    target = sqlite3.connect(path, isolation_level=None)
    objects = origin.execute("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
                             "AND name NOT LIKE 'sqlite_%'").fetchall()
    for kind in ("table", "index", "trigger", "view"):
        for type_, sql in objects:
            if type_ == kind:
                target.execute(sql)
    for (table,) in origin.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        if table not in WRITTEN and table != "leader_months":   # leader_months: the triggers fill it
            reference = origin.execute(f"SELECT * FROM {table}").fetchall()
            if reference:
                target.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(reference[0]))})", reference)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        target.execute(f"PRAGMA {pragma}")
    target.execute("BEGIN")

    def write(table, batch):
        target.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(batch[0]))})", batch)
    return write, lambda: target.execute("COMMIT")


def _empty_postgresql_copy(engine):
    """A new database <name>_floor with the schema (pg_dump) and reference rows of the engine's;
    returns its (write by COPY, commit)."""
    import subprocess

    from sqlalchemy import create_engine
    url = engine.url
    name = f"{url.database}_floor"
    options = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    subprocess.run(["dropdb", *options, "--if-exists", name], check=True)
    subprocess.run(["createdb", *options, name], check=True)
    schema = subprocess.run(["pg_dump", *options, "--schema-only", url.database], check=True, capture_output=True)
    subprocess.run(["psql", *options, "-q", "-v", "ON_ERROR_STOP=1", name], input=schema.stdout, check=True,
                   capture_output=True)
    tables = subprocess.run(["psql", *options, "-At", "-c", "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
                             url.database], check=True, capture_output=True, text=True).stdout.split()
    reference = [t for t in tables if t not in WRITTEN and t != "leader_months"]
    dump = subprocess.run(["pg_dump", *options, "--data-only", *[f"--table={t}" for t in reference], url.database],
                          check=True, capture_output=True)
    subprocess.run(["psql", *options, "-q", "-v", "ON_ERROR_STOP=1", name], input=dump.stdout, check=True,
                   capture_output=True)
    driver = create_engine(url.set(database=name)).raw_connection().driver_connection

    def write(table, batch):
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in batch:
                copy.write_row(row)
    return write, driver.commit


@contextmanager
def timed_statements(app, wanted: bool):
    """The statements the import ran, by total time, when asked: where the database's time goes."""
    if not wanted:
        yield
        return
    from collections import defaultdict

    from sqlalchemy import event

    from app.extensions import db
    with app.app_context():
        engine = db.engine
    totals: dict[str, list] = defaultdict(lambda: [0, 0.0])

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        entry = totals[" ".join(statement.split())[:160]]
        entry[0] += 1
        entry[1] += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        for statement, (count, seconds) in sorted(totals.items(), key=lambda item: -item[1][1])[:15]:
            print(f"  {seconds:7.2f} s {count:6d} x  {statement}")


def paused():
    """As import_ledger runs (the cycle collector held off), where the code has it."""
    try:
        from app.imports.collector import collector_paused
    except ImportError:   # before issue 20
        from contextlib import nullcontext
        return nullcontext()
    return collector_paused()


def db_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def run_import(app, file: Path, profile: str | None, work: Path) -> None:
    from sqlalchemy import func, select

    from app import audit
    from app.extensions import db
    from app.imports.ledger_import import import_ledger  # noqa: F401 (the pipeline timed below, step by step)
    from app.imports.locating import CONTACTS, PROJECTS, locate_sheets
    from app.imports.planning import Planner
    from app.imports.progress_reporter import ProgressReporter
    from app.imports.reader import Limits, read_book
    from app.imports.summary import summarise
    from app.imports.writing import apply_plan, lock_zone
    from app.models import AuditEvent, Zone
    from app.queries.audit_chain import verify_chain

    zone = db.session.scalar(select(Zone).where(Zone.code == "z001"))
    limits = Limits.from_config(app.config)
    content = file.read_bytes()
    info = {"name": file.name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    from app import clock
    today = clock.today()
    tracker = ProgressReporter(None)
    total_wall, total_cpu = time.perf_counter(), time.process_time()
    with phase("read", profile, work):
        raw = read_book(file.name, content, limits)
    with phase("locate", profile, work):
        sheets = locate_sheets(raw, limits.max_rows)
        del raw
    with phase("plan", profile, work):
        lock_zone(zone.id)
        plan = Planner(zone, sheets, today, tracker).run()
        summary = summarise(plan, dry_run=False, file_info=info)
    with phase("write", profile, work):
        apply_plan(plan, zone, None, today, tracker)
        if summary["totals"]["created"] or summary["totals"]["updated"]:
            audit.record("import", "ledger", None, zone_id=zone.id, user=None, after={
                "file": info, "projects": summary[PROJECTS], "contacts": summary[CONTACTS]})
    with phase("commit", profile, work):
        db.session.commit()
    wall, cpu = time.perf_counter() - total_wall, time.process_time() - total_cpu
    print(f"  {'total':12s} wall {wall:7.2f} s   cpu {cpu:7.2f} s   peak RSS {peak_mb():6.0f} MB   "
          f"{sum(len(s.rows) for s in sheets) / wall:,.0f} rows/s", flush=True)
    print("  " + " | ".join(f"{kind}: " + ", ".join(f"{k} {v}" for k, v in summary[kind].items())
                            for kind in (PROJECTS, CONTACTS) if kind in summary))
    del plan, sheets
    db.session.expunge_all()
    verdict = verify_chain()
    print(f"  audit chain: {'intact' if verdict.broken is None else 'BROKEN: ' + verdict.broken.message}, "
          f"{verdict.checked:,} records ({db.session.scalar(select(func.count()).select_from(AuditEvent)):,} in the table)")


if __name__ == "__main__":
    main()
