"""`make bench-national`: the nation on PostgreSQL, two app servers behind a load balancer.

Generates 2,543 zones, 12,700 leaders and (scaled by NATIONAL_SCALE, default 1) 1.3M projects
and 12.5M contacts on PostgreSQL (NATIONAL_DATABASE_URL, default a database zc_national on
127.0.0.1); serves the app from two gunicorn instances on two loopback ports behind Debian's
haproxy (installed with apt-get when missing and we are root), with one `flask worker`; then
NATIONAL_USERS (50) users for NATIONAL_SECONDS (120): leaders reading their home and logging
contacts, bureau users opening a province's desk (the zones are spread over 31 provinces, so
the desk opens on a province index) and now and then the index. Halfway, one app server is
killed (SIGKILL). Reports p50/p95 per request kind against the issue's targets, writes/s, 5xx
and lost writes (every acknowledged contact is looked for in the database) before and after
the stop, and writes the table to docs/benchmarks.md.

Serving: each app server is gunicorn with gthread workers (NATIONAL_GUNICORN_WORKERS processes
of NATIONAL_GUNICORN_THREADS threads), so a heavy page holds a thread, not a whole worker;
haproxy's health check asks GET /healthz (one SELECT 1), which does not queue behind pages.
Never part of `make test` or CI. Only loopback addresses are used.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app import clock  # noqa: E402
from bench.generate import PROVINCES  # noqa: E402
from bench.run import BIN, PYTHON, ROOT, _csrf, _env, free_port, machine  # noqa: E402

URL = os.environ.get("NATIONAL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/zc_national")
SCALE = float(os.environ.get("NATIONAL_SCALE", "1"))
USERS = int(os.environ.get("NATIONAL_USERS", "50"))
SECONDS = float(os.environ.get("NATIONAL_SECONDS", "120"))
BUREAU_USERS = max(1, USERS // 10)
GUNICORN_WORKERS = int(os.environ.get("NATIONAL_GUNICORN_WORKERS", "3"))
GUNICORN_THREADS = int(os.environ.get("NATIONAL_GUNICORN_THREADS", "4"))
# The targets (p95, ms) and the share of bureau requests that open the province index.
TARGETS = {"province desk": 150, "home": 50, "contact write": 50}
INDEX_EVERY = 4
NATION = dict(zones=2_543, leaders=12_700, projects=1_300_000, contacts=12_500_000)


def scale() -> dict:
    return {**NATION, "projects": int(NATION["projects"] * SCALE), "contacts": int(NATION["contacts"] * SCALE)}


def ensure_database() -> None:
    from sqlalchemy.engine import make_url
    url = make_url(URL)
    subprocess.run(["createdb", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U",
                    url.username or "postgres", url.database], capture_output=True)


def generate() -> dict:
    if os.environ.get("NATIONAL_REUSE"):
        return {"reused": True, **scale()}
    ensure_database()
    size = scale()
    code = f"""
import sys, json, time, flask_migrate
sys.path.insert(0, {str(ROOT)!r})
from app import clock, create_app
from app.extensions import db
from bench.generate import generate, Scale
from sqlalchemy import text
app = create_app()
with app.app_context():
    with db.engine.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE")); c.execute(text("CREATE SCHEMA public"))
    flask_migrate.upgrade()
    t = time.perf_counter()
    info = generate(Scale({size['zones']}, {size['leaders']}, {size['projects']}, {size['contacts']}),
                    clock.today().year, batch=50_000, provinces={len(PROVINCES)})
    info["seconds"] = round(time.perf_counter() - t, 1)
    print("RESULT" + json.dumps(info))
"""
    out = subprocess.run([PYTHON, "-c", code], env=_env(URL), capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.split("RESULT", 1)[1])


def haproxy() -> str:
    path = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if os.access(path, os.X_OK):
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return "/usr/sbin/haproxy"
    sys.exit("请先安装 haproxy（apt-get install -y haproxy）")


HAPROXY_CONFIG = """global
    maxconn 1000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
    retry-on conn-failure empty-response response-timeout
frontend zonecrm
    bind 127.0.0.1:{port}
    default_backend apps
backend apps
    balance roundrobin
    option httpchk GET /healthz
    timeout check 2s
    default-server inter 2s fall 5 rise 2
    server app1 127.0.0.1:{app1} check
    server app2 127.0.0.1:{app2} check
"""


def start(tmp: Path) -> tuple[str, dict]:
    ports = {"app1": free_port(), "app2": free_port(), "lb": free_port()}
    # Every simulated user signs in from 127.0.0.1: the per-address login limit is for real clients.
    # The bureau users share one account: the concurrent-session limit (3) would sign two of them out
    # (the run of 2026-11-29 23:00 met it: their desk requests were answered with the login page).
    env = {**_env(URL), "QUEUE_URL": os.environ.get("REDIS_URL") or f"sqlite:///{tmp / 'queue.db'}",
           "LOGIN_RATE_LIMIT": "100000", "SESSION_MAX_CONCURRENT": str(max(3, USERS))}
    procs = {}
    for name in ("app1", "app2"):
        procs[name] = subprocess.Popen(
            [str(BIN / "gunicorn"), "--worker-class", "gthread", "--workers", str(GUNICORN_WORKERS),
             "--threads", str(GUNICORN_THREADS), "--bind", f"127.0.0.1:{ports[name]}",
             "--access-logfile", str(tmp / f"{name}.access.log"), "--access-logformat", ACCESS_FORMAT,
             "--log-level", "warning", "app:create_app()"], cwd=ROOT, env=env, start_new_session=True)
    procs["worker"] = subprocess.Popen([str(BIN / "flask"), "worker", "-w", "1"], cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config = tmp / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=ports["lb"], app1=ports["app1"], app2=ports["app2"]))
    procs["haproxy"] = subprocess.Popen([haproxy(), "-f", str(config), "-db"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
    for port in (ports["app1"], ports["app2"], ports["lb"]):
        for _ in range(300):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.2)
    return f"http://127.0.0.1:{ports['lb']}", procs


# Each app server logs every request's method, path, query, status and time in microseconds
# (gunicorn's %(D)s: from the request read to the response written, in the worker), so the
# report can tell the time spent serving from the time spent waiting for a free worker.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %(q)s"


def server_times(tmp: Path) -> dict:
    """kind -> [ms] from both app servers' access logs."""
    times = defaultdict(list)
    for log in tmp.glob("*.access.log"):
        for line in log.read_text(errors="replace").splitlines():
            parts = line.split(" ", 4)
            if len(parts) < 4 or not parts[3].isdigit():
                continue
            method, path, status, micros = parts[:4]
            if method == "GET" and status != "200":
                continue   # a redirect (signed out) is not the page
            query = parts[4] if len(parts) > 4 else ""
            kind = {("GET", "/"): "home", ("POST", "/contacts/new"): "contact write",
                    ("GET", "/healthz"): "health check"}.get((method, path))
            if method == "GET" and path == "/review/":
                kind = "province desk" if "province=" in query else "province index"
            if kind:
                times[kind].append(int(micros) / 1000)
    return times


def people() -> dict:
    code = f"""
import sys, json
sys.path.insert(0, {str(ROOT)!r})
from app import create_app
from app.extensions import db
from sqlalchemy import text
app = create_app()
with app.app_context():
    rows = db.session.execute(text(
        "SELECT DISTINCT ON (u.zone_id) u.id, u.username, p.id, p.name FROM users u "
        "JOIN projects p ON p.zone_id = u.zone_id WHERE u.role = 'leader' ORDER BY u.zone_id, u.id, p.id LIMIT {USERS}")).all()
    print("RESULT" + json.dumps([dict(id=r[0], username=r[1], project_id=r[2], project_name=r[3]) for r in rows]))
"""
    out = subprocess.run([PYTHON, "-c", code], env=_env(URL), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.split("RESULT", 1)[1])


BOTH, IN_FLIGHT, KILLED = "both servers", "in flight at the kill", "one server killed"


class Outcome:
    """Every request with when it started and ended: those that ended before the kill are the
    first phase, those started after it the second, and the few running across it (on either
    server) are counted apart: the issue allows 5xx only there."""

    def __init__(self):
        self.lock = threading.Lock()
        self.killed_at = None                 # perf_counter() at the SIGKILL
        self.samples = defaultdict(list)      # (phase, kind) -> ms
        self.statuses = defaultdict(Counter)  # phase -> status -> n
        self.acknowledged = []                # contact summaries answered 302
        self.writes = Counter()               # phase -> acknowledged writes
        self.served = {}                      # kind -> [ms] as the app servers logged them

    def phase(self, started, ended):
        if self.killed_at is None or ended < self.killed_at:
            return BOTH
        return IN_FLIGHT if started < self.killed_at else KILLED

    def add(self, kind, started, status, mark=None):
        ended = time.perf_counter()
        with self.lock:
            phase = self.phase(started, ended)
            self.samples[(phase, kind)].append((ended - started) * 1000)
            self.statuses[phase][status] += 1
            if mark:
                self.acknowledged.append(mark)
                self.writes[phase] += 1


def sign_in(base: str, username: str) -> requests.Session:
    s = requests.Session()
    for attempt in range(5):
        try:
            token = _csrf(s.get(f"{base}/login", timeout=30).text)
            r = s.post(f"{base}/login", data={"username": username, "password": "Bench@2024", "csrf_token": token},
                       allow_redirects=False, timeout=30)
            if r.status_code == 302:
                return s
        except requests.RequestException:
            pass
        time.sleep(1 + attempt)
    raise RuntimeError(f"cannot sign in {username}")


def leader(base, person, run_id, stop, outcome):
    s = sign_in(base, person["username"])
    page = s.get(f"{base}/contacts/new", timeout=30)
    assert page.status_code == 200, (person["username"], page.status_code)
    token = _csrf(page.text)
    n = 0
    rng = random.Random(person["id"])
    while not stop.is_set():
        n += 1
        kind, mark = ("home", None) if rng.random() < 0.5 else ("contact write", f"{run_id}-{person['username']}-{n}")
        started = time.perf_counter()
        try:
            if kind == "home":
                r = s.get(f"{base}/", timeout=60)
            else:
                r = s.post(f"{base}/contacts/new", allow_redirects=False, timeout=60, data={
                    "csrf_token": token, "project_id": person["project_id"], "project_name": person["project_name"],
                    "occurred_on": clock.today().isoformat(), "form": "电话", "summary": mark,
                    "leaders": person["id"]})
            status = r.status_code
        except requests.RequestException:
            status = 599   # no answer at all (counted with the 5xx)
        outcome.add(kind, started, status, mark if kind != "home" and status == 302 else None)
        time.sleep(rng.uniform(0.2, 0.6))   # a person reads the page before the next step


def bureau(base, number, stop, outcome, year):
    """A bureau user reads one province's desk after another, and every INDEX_EVERY-th time the
    province index (where the desk opens for a nation)."""
    s = sign_in(base, "bureau")
    rng = random.Random(number)
    n = 0
    while not stop.is_set():
        n += 1
        kind = "province index" if n % INDEX_EVERY == 1 else "province desk"
        params = {"year": year} if kind == "province index" else {"year": year, "province": rng.choice(PROVINCES)}
        started = time.perf_counter()
        try:
            r = s.get(f"{base}/review/", params=params, timeout=120)
            status = r.status_code
            if status == 200 and kind == "province desk" and params["province"] not in r.text:
                status = 598   # an answer, but not the province's desk (counted with the 5xx)
        except requests.RequestException:
            status = 599
        outcome.add(kind, started, status)
        time.sleep(5)   # a province's desk is read before the next is opened


def stored(run_id: str) -> Counter:
    code = f"""
import sys, json
sys.path.insert(0, {str(ROOT)!r})
from app import create_app
from app.extensions import db
from app.models import Contact
from sqlalchemy import select
app = create_app()
with app.app_context():
    print("RESULT" + json.dumps([s for (s,) in db.session.execute(
        select(Contact.summary).where(Contact.summary.like("{run_id}-%")))]))
"""
    out = subprocess.run([PYTHON, "-c", code], env=_env(URL), capture_output=True, text=True, check=True)
    return Counter(json.loads(out.stdout.split("RESULT", 1)[1]))


def pct(samples, q):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, max(0, int(round(q * len(samples))) - 1))] if samples else 0.0


def main() -> None:
    size = generate()
    print(f"data: {size}", flush=True)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="zonecrm-national-") as tmp:
        base, procs = start(Path(tmp))
        try:
            persons = people()
            run_id = f"nat{int(time.time())}"
            outcome, stop = Outcome(), threading.Event()
            year = clock.today().year
            threads = [threading.Thread(target=leader, args=(base, persons[i % len(persons)], run_id, stop, outcome),
                                        daemon=True)
                       for i in range(USERS - BUREAU_USERS)]
            threads += [threading.Thread(target=bureau, args=(base, n, stop, outcome, year), daemon=True)
                        for n in range(BUREAU_USERS)]
            for t in threads:
                t.start()
            time.sleep(SECONDS / 2)
            load_mid = os.getloadavg()
            outcome.killed_at = time.perf_counter()
            os.killpg(procs["app2"].pid, signal.SIGKILL)   # the gunicorn master and its workers at once
            time.sleep(SECONDS / 2)
            stop.set()
            for t in threads:
                t.join(timeout=180)
            time.sleep(1)   # the access logs' last lines
            outcome.served = server_times(Path(tmp))
        finally:
            for name, proc in procs.items():
                if proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        proc.kill()
    in_db = stored(run_id)
    lost = sum((Counter(outcome.acknowledged) - in_db).values())
    duplicated = sum(1 for n in in_db.values() if n > 1)
    report(size, outcome, lost, duplicated, load_before, load_mid, os.getloadavg())


def report(size, outcome, lost, duplicated, load_before, load_mid, load_after) -> None:
    phases = [BOTH, IN_FLIGHT, KILLED]
    kinds = ["province desk", "province index", "home", "contact write"]
    rows = ["| phase | request | n | p50 | p95 | target (p95) |", "|---|---|---|---|---|---|"]
    met = {}
    for phase in (BOTH, KILLED):
        for kind in kinds:
            xs = outcome.samples.get((phase, kind), [])
            p95 = pct(xs, 0.95)
            target = TARGETS.get(kind)
            if target is not None:
                met[(phase, kind)] = bool(xs) and p95 <= target
            verdict = "" if target is None else f"≤ {target} ms: {'met' if met[(phase, kind)] else '**missed**'}"
            rows.append(f"| {phase} | {kind} | {len(xs)} | {statistics.median(xs) if xs else 0:.0f} ms | "
                        f"{p95:.0f} ms | {verdict} |")
    half = SECONDS / 2
    summary = ["| phase | requests | writes acknowledged | writes/s | 5xx, no answer (599) or not the page asked (598) |",
               "|---|---|---|---|---|"]
    errors = {}
    for phase in phases:
        statuses = outcome.statuses.get(phase, Counter())
        errors[phase] = sum(n for status, n in statuses.items() if status >= 500)
        rate = "" if phase == IN_FLIGHT else f"{outcome.writes[phase] / half:.1f}"
        summary.append(f"| {phase} | {sum(statuses.values())} | {outcome.writes[phase]} | {rate} | {errors[phase]} |")
        print(phase, dict(statuses))
    served = ["| request | n | p50 | p95 |", "|---|---|---|---|"]
    for kind in kinds + ["health check"]:
        xs = outcome.served.get(kind, [])
        served.append(f"| {kind} | {len(xs)} | {statistics.median(xs) if xs else 0:.0f} ms | {pct(xs, 0.95):.0f} ms |")
    servers = f"{GUNICORN_WORKERS} gthread workers x {GUNICORN_THREADS} threads each"
    text = "\n".join([
        "## National scale (`make bench-national`)", "",
        f"Run on {date.today().isoformat()}: {machine()}; load average (1 min) before {load_before[0]:.1f}, "
        f"at the kill {load_mid[0]:.1f}, after {load_after[0]:.1f} (a shared machine: other engineers' work was "
        "running meanwhile).", "",
        f"Data on PostgreSQL: {size['zones']:,} zones in {size.get('provinces', len(PROVINCES))} provinces, "
        f"{size['leaders']:,} leaders, {size['projects']:,} projects, "
        f"{size['contacts']:,} contacts (scale {SCALE} of 1.3M projects / 12.5M contacts"
        + (f"; generated in {size['seconds']} s" if "seconds" in size else "") + ").", "",
        "```",
        f"  {USERS} users (threads, 127.0.0.1)",
        "          |",
        "      haproxy :lb   (Debian package; roundrobin, health check GET /healthz every 2 s (SELECT 1),",
        "          |          retry-on conn-failure/empty-response, redispatch)",
        "     +----+----+",
        "     |         |",
        f"  gunicorn   gunicorn        two app servers, {servers} (app:create_app())",
        "   :app1      :app2  <-- killed (SIGKILL to its process group) halfway",
        "     |         |",
        "     +----+----+------ flask worker (huey; queue in Redis when REDIS_URL is set, else SQLite file)",
        "          |",
        "    PostgreSQL 15 :5432  (data, data_version, login throttles, import jobs; the cache in Redis",
        "                          when REDIS_URL is set, else in each worker process)",
        "```", "",
        f"{USERS} users for {SECONDS:.0f} s ({USERS - BUREAU_USERS} leaders alternating their home and logging a "
        f"contact with a pause of 0.2-0.6 s; {BUREAU_USERS} bureau users opening a random province's desk, every "
        f"{INDEX_EVERY}th time the province index instead, 5 s after the last one came); halfway one app server is "
        "killed (SIGKILL). Requests are counted by when they ran: ended before the kill, running across it (on "
        "either server), started after it.", "",
        *rows, "", *summary, "",
        "Time inside the app servers (gunicorn's access log, both phases, both servers: from the request "
        "read to the response written, without the wait for a free thread or in haproxy):", "",
        *served, "",
        f"Lost writes (acknowledged, not in the database): **{lost}**; stored twice: **{duplicated}**. "
        f"5xx outside the requests in flight at the kill: **{errors[BOTH] + errors[KILLED]}**.", "",
    ])
    print(text)
    out = ROOT / "docs" / "benchmarks.md"
    current = out.read_text() if out.exists() else "# Benchmarks\n"
    marker = "## National scale (`make bench-national`)"
    if marker in current:
        head, rest = current.split(marker, 1)
        tail = rest.split("\n## ", 1)
        current = head + "\n## ".join([text.rstrip() + "\n", tail[1]]) if len(tail) > 1 else head + text
    else:
        current = current.rstrip() + "\n\n" + text
    out.write_text(current)
    print(f"written to {out}")
    sys.exit(1 if lost or duplicated else 0)


if __name__ == "__main__":
    main()
