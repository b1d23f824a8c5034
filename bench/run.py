"""`make bench`: province-scale data, the app under gunicorn on 127.0.0.1, timed requests.

For each scale (one tenth, then full) and each database (SQLite, and PostgreSQL when
BENCH_DATABASE_URL is set) it builds the data set, serves the app with gunicorn, times
each page and command as median and p95 over repeated runs, and writes the table to
docs/benchmarks.md. Only loopback addresses are used.
"""
from __future__ import annotations

import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app import clock  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
RUNS = int(os.environ.get("BENCH_RUNS", "30"))

BARS_MS = {  # p95 at most, full scale, on each database (issues 3 and 20)
    "bureau desk (as of today)": 50, "bureau desk (as of 30 June)": 50, "leader view (all leaders)": 250,
    "a leader's home": 100, "ledger list page (filtered, page 3)": 100, "logging a contact (POST)": 50,
    "progress --json (process start included)": 3000,
    "bulletin PDF, all zones (GET)": 5000,
    "ledger import, 100,000 rows at full scale (command)": 10000,
}
# The imported ledger: projects and contacts in the proportions a zone's file has them.
IMPORT_ROWS = {"full": (60_000, 40_000), "tenth": (6_000, 4_000)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, scale_name: str) -> dict:
    """Migrate an empty database and fill it, in a child process (fresh app, fresh engine)."""
    code = f"""
import sys, json, time, flask_migrate
sys.path.insert(0, {str(ROOT)!r})
from app import clock, create_app
from app.extensions import db
from bench.generate import generate, Scale
from sqlalchemy import text
app = create_app()
with app.app_context():
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE")); c.execute(text("CREATE SCHEMA public"))
    flask_migrate.upgrade()
    scale = Scale() if {scale_name!r} == "full" else Scale().tenth()
    t = time.perf_counter()
    info = generate(scale, clock.today().year)
    info["seconds"] = round(time.perf_counter() - t, 1)
    print("RESULT" + json.dumps(info))
"""
    out = subprocess.run([PYTHON, "-c", code], env=_env(url), capture_output=True, text=True, check=True)
    import json
    return json.loads(out.stdout.split("RESULT", 1)[1])


def _env(url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="app", SECRET_KEY="bench-" + "x" * 40,
               ZONECRM_CONFIG="development")
    env.pop("TEST_DATABASE_URL", None)
    return env


def timed(fn, runs=RUNS) -> tuple[float, float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95


def login(base: str, username: str) -> requests.Session:
    s = requests.Session()
    token = _csrf(s.get(f"{base}/login").text)
    r = s.post(f"{base}/login", data={"username": username, "password": "Bench@2024", "csrf_token": token},
               allow_redirects=False)
    assert r.status_code == 302, f"login {username}: {r.status_code}"
    return s


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def ok(response):
    assert response.status_code == 200, (response.status_code, response.url)
    return response


def time_import(url: str, scale: str, work: Path) -> tuple[float, float]:
    """A messy ledger (bench/ledger.py) imported by the command line into a new zone of the
    province's database: the import that commits, process start included, timed once."""
    from bench.ledger import LEADERS, messy_ledger
    projects, contacts = IMPORT_ROWS[scale]
    file = work / f"ledger-{scale}.xlsx"
    if not file.exists():
        file.write_bytes(messy_ledger(projects, contacts))
    flask = [str(BIN / "flask")]
    zone = f"imp{int(time.time()) % 100000}"
    setup = [["zones", "add", zone, f"导入测试区{zone}", "--tier", "A"]] + [
        ["users", "add", f"{zone}-l{i}", "--name", name, "--role", "leader", "--zone", zone, "--password", "Bench@2024"]
        for i, name in enumerate(LEADERS)]
    for command in setup:
        subprocess.run(flask + command, env=_env(url), cwd=ROOT, check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run(flask + ["import-ledger", str(file), "--zone", zone], env=_env(url), cwd=ROOT,
                          capture_output=True, text=True)
    seconds = (time.perf_counter() - start) * 1000
    assert done.returncode in (0, 3), done.stdout[-2000:] + done.stderr[-2000:]
    print("   " + " | ".join(l for l in done.stdout.splitlines() if l.startswith(("项目台账：", "对接记录："))))
    return seconds, seconds


def measure(url: str) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "app:create_app()"], cwd=ROOT, env=_env(url))
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/login", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        year = clock.today().year
        busiest = _busiest(url)
        bureau, leader, staff = login(base, "bureau"), login(base, busiest["leader"]), login(base, busiest["staff"])
        results = {
            "bureau desk (as of today)": timed(lambda: ok(bureau.get(f"{base}/review/"))),
            "bureau desk (as of 30 June)": timed(lambda: ok(bureau.get(f"{base}/review/?year={year}&as_of={year}-06-30"))),
            "leader view (all leaders)": timed(lambda: ok(bureau.get(f"{base}/review/leaders"))),
            "a leader's home": timed(lambda: ok(leader.get(f"{base}/"))),
            "ledger list page (filtered, page 3)": timed(lambda: ok(staff.get(f"{base}/projects/?stage=negotiating&page=3"))),
        }
        token = _csrf(leader.get(f"{base}/contacts/new").text)
        project = busiest["project"]

        def post_contact():
            r = leader.post(f"{base}/contacts/new", allow_redirects=False, data={
                "csrf_token": token, "project_id": project["id"], "project_name": project["name"],
                "occurred_on": clock.today().isoformat(), "form": "电话", "summary": "基准测试对接",
                "leaders": busiest["leader_id"]})
            assert r.status_code == 302, r.status_code
        results["logging a contact (POST)"] = timed(post_contact)
        last_month = clock.today().month - 1 or 1
        results["bulletin PDF, all zones (GET)"] = timed(
            lambda: ok(bureau.get(f"{base}/reports/monthly?year={year}&month={last_month}")), runs=5)
        results["progress --json (process start included)"] = timed(
            lambda: subprocess.run([str(BIN / "flask"), "progress", "--json"], cwd=ROOT, env=_env(url),
                                   capture_output=True, check=True), runs=5)
        return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def _busiest(url: str) -> dict:
    code = f"""
import sys, json
sys.path.insert(0, {str(ROOT)!r})
from app import create_app
from app.extensions import db
from sqlalchemy import text
app = create_app()
with app.app_context():
    leader_id, username, zone_id = db.session.execute(text(
        "SELECT u.id, u.username, u.zone_id FROM users u JOIN contact_leaders cl ON cl.user_id = u.id "
        "GROUP BY u.id, u.username, u.zone_id ORDER BY count(*) DESC LIMIT 1")).one()
    staff = db.session.execute(text("SELECT username FROM users WHERE role = 'staff' AND zone_id = :z"), {{"z": zone_id}}).scalar()
    pid, name = db.session.execute(text("SELECT id, name FROM projects WHERE zone_id = :z ORDER BY id LIMIT 1"), {{"z": zone_id}}).one()
    print("RESULT" + json.dumps({{"leader": username, "leader_id": leader_id, "staff": staff, "project": {{"id": pid, "name": name}}}}))
"""
    import json
    out = subprocess.run([PYTHON, "-c", code], env=_env(url), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.split("RESULT", 1)[1])


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    import sqlite3
    return (f"{os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
            f"{platform.platform()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def main() -> None:
    databases = [("SQLite", None)]
    if os.environ.get("BENCH_DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_DATABASE_URL"]))
    scales = os.environ.get("BENCH_SCALES", "tenth,full").split(",")
    table: dict[tuple[str, str], dict] = {}
    sizes = {}
    with tempfile.TemporaryDirectory(prefix="zonecrm-bench-") as tmp:
        for scale in scales:
            for db_name, url in databases:
                url = url or f"sqlite:///{tmp}/bench-{scale}.db"
                print(f"== {db_name}, {scale} scale: generating ...", flush=True)
                sizes[(db_name, scale)] = prepare(url, scale)
                print(f"   {sizes[(db_name, scale)]}; measuring ...", flush=True)
                table[(db_name, scale)] = measure(url)
                table[(db_name, scale)]["ledger import, 100,000 rows at full scale (command)"] = time_import(url, scale, Path(tmp))
                for what, (median, p95) in table[(db_name, scale)].items():
                    print(f"   {what:45s} median {median:8.1f} ms   p95 {p95:8.1f} ms", flush=True)
    write_report(table, sizes, databases, scales)


# docs/benchmarks.md keeps what people wrote about other runs; `make bench` rewrites only the part
# between these two lines (or puts it first when they are not there yet).
BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"


def write_report(table, sizes, databases, scales) -> None:
    columns = [(db, scale) for scale in scales for db, _ in databases]
    lines = [BEGIN, f"Run by `make bench` on {clock.today().isoformat()}: {machine()}; "
             f"load average before the run {LOAD_BEFORE}, after it {_load()}.", "",
             "Data: deterministic (bench/generate.py), contacts in the current year up to today. "
             "App served by gunicorn (2 workers) on 127.0.0.1; times are wall-clock per request "
             f"from a client on the same machine, {RUNS} runs after one warm-up (5 for the command).", ""]
    for (db, scale), info in sizes.items():
        lines.append(f"- {db}, {scale} scale: {info['zones']} zones, {info['leaders']} leaders, "
                     f"{info['projects']:,} projects, {info['contacts']:,} contacts (generated in {info['seconds']} s)")
    lines += ["", "| what | bar (p95, full scale) | " + " | ".join(f"{db} {scale}: median / p95" for db, scale in columns) + " |",
              "|---|---|" + "---|" * len(columns)]
    for what, bar in BARS_MS.items():
        cells = []
        for key in columns:
            median, p95 = table[key][what]
            cells.append(f"{median:.0f} / {p95:.0f} ms")
        lines.append(f"| {what} | {bar:,} ms | " + " | ".join(cells) + " |")
    lines += ["", "The ledger import is timed once per scale: a messy .xlsx from bench/ledger.py with "
              f"{IMPORT_ROWS['full'][0]:,} projects and {IMPORT_ROWS['full'][1]:,} contacts at full scale "
              f"({IMPORT_ROWS['tenth'][0]:,} and {IMPORT_ROWS['tenth'][1]:,} at a tenth), imported by "
              "`flask import-ledger` into a new zone of the province's database after the pages are timed "
              "(median and p95 are that one run).", END]
    out = ROOT / "docs" / "benchmarks.md"
    out.parent.mkdir(exist_ok=True)
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + "\n".join(lines) + text[text.index(END) + len(END):]
    else:
        title, _, rest = text.partition("\n")
        text = title + "\n\n" + "\n".join(lines) + "\n\n" + rest.lstrip("\n")
    out.write_text(text)
    print("\n".join(lines))
    print(f"\nwritten to {out}")


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


LOAD_BEFORE = _load()


if __name__ == "__main__":
    main()
