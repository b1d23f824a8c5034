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
# A leader's pause between two steps, in seconds, drawn uniformly: the paced run (the 50
# concurrent people). Reading the home page and filling in a contact (project, date, form, a
# summary) takes a person tens of seconds; 3-8 s is faster than anyone types, so the load asked
# is an upper bound for 50 people, not their average.
PAUSE = tuple(float(x) for x in os.environ.get("NATIONAL_PAUSE", "3-8").split("-"))
# Users sign in and start over the first RAMP seconds, not all in the same instant.
RAMP = float(os.environ.get("NATIONAL_RAMP", "10"))
# The saturation run afterwards (capacity, not judged): the same users with the old closed loop
# (0.2-0.6 s between requests), both servers up again; 0 skips it.
SATURATION_SECONDS = float(os.environ.get("NATIONAL_SATURATION_SECONDS", "60"))
SATURATION_PAUSE = (0.2, 0.6)
BUREAU_PAUSE = 5.0
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


def app_server(tmp: Path, name: str, port: int, env: dict, log: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "--worker-class", "gthread", "--workers", str(GUNICORN_WORKERS),
         "--threads", str(GUNICORN_THREADS), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(tmp / log), "--access-logformat", ACCESS_FORMAT,
         "--log-level", "warning", "app:create_app()"], cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(port: int) -> None:
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.2)


def server_env(tmp: Path) -> dict:
    # Every simulated user signs in from 127.0.0.1: the per-address login limit is for real clients.
    # The bureau users share one account: the concurrent-session limit (3) would sign two of them out
    # (the run of 2026-11-29 23:00 met it: their desk requests were answered with the login page).
    return {**_env(URL), "QUEUE_URL": os.environ.get("REDIS_URL") or f"sqlite:///{tmp / 'queue.db'}",
            "LOGIN_RATE_LIMIT": "100000", "SESSION_MAX_CONCURRENT": str(max(3, USERS))}


def start(tmp: Path) -> tuple[str, dict, dict]:
    ports = {"app1": free_port(), "app2": free_port(), "lb": free_port()}
    env = server_env(tmp)
    procs = {}
    for name in ("app1", "app2"):
        procs[name] = app_server(tmp, name, ports[name], env, f"{name}.access.log")
    procs["worker"] = subprocess.Popen([str(BIN / "flask"), "worker", "-w", "1"], cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config = tmp / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=ports["lb"], app1=ports["app1"], app2=ports["app2"]))
    procs["haproxy"] = subprocess.Popen([haproxy(), "-f", str(config), "-db"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
    for port in (ports["app1"], ports["app2"], ports["lb"]):
        wait_healthy(port)
    return f"http://127.0.0.1:{ports['lb']}", procs, ports


# Each app server logs every request's method, path, query, status and time in microseconds
# (gunicorn's %(D)s: from the request read to the response written, in the worker), so the
# report can tell the time spent serving from the time spent waiting for a free worker.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %(q)s"


def log_marks(tmp: Path) -> dict:
    """Each access log's size now: the lines after it belong to the next run."""
    return {log.name: log.stat().st_size for log in tmp.glob("*.access.log")}


def server_times(tmp: Path, since: dict | None = None, until: dict | None = None) -> dict:
    """kind -> [ms] from the app servers' access logs, between two sets of log_marks."""
    since, until = since or {}, until or {}
    times = defaultdict(list)
    for log in tmp.glob("*.access.log"):
        data = log.read_bytes()
        data = data[since.get(log.name, 0):until.get(log.name, len(data))]
        for line in data.decode(errors="replace").splitlines():
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
        self.began = self.ended = None        # perf_counter() at the users' start and stop
        self.cpu = {}                         # phase -> share of the machine's CPU busy (/proc/stat)
        self.load = {}                        # moment -> 1-minute load average

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


def leader(base, person, run_id, stop, outcome, pause, delay, ready):
    s = sign_in(base, person["username"])
    page = s.get(f"{base}/contacts/new", timeout=30)
    assert page.status_code == 200, (person["username"], page.status_code)
    token = _csrf(page.text)
    ready.wait(timeout=600)   # every user signed in (not timed), then the clock starts
    time.sleep(delay)         # users start staggered over the first RAMP seconds
    n = 0
    rng = random.Random(f"{run_id}-{person['id']}")
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
        stop.wait(rng.uniform(*pause))   # a person reads the page and fills in the next form


def bureau(base, number, stop, outcome, year, delay, ready):
    """A bureau user reads one province's desk after another, and every INDEX_EVERY-th time the
    province index (where the desk opens for a nation)."""
    s = sign_in(base, "bureau")
    ready.wait(timeout=600)
    time.sleep(delay)
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
        stop.wait(BUREAU_PAUSE)   # a province's desk is read before the next is opened


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine (every process, ours and others')."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def busy_share(before, after) -> float:
    return (after[0] - before[0]) / max(1, after[1] - before[1])


def drive(base, persons, run_id, seconds, pause, ramp, kill=None) -> Outcome:
    """USERS users for `seconds` (leaders pausing `pause` s between steps, bureau users
    BUREAU_PAUSE s), started over `ramp` s; `kill()` is called halfway when given."""
    outcome, stop, ready = Outcome(), threading.Event(), threading.Barrier(USERS + 1)
    year = clock.today().year
    leaders = USERS - BUREAU_USERS
    threads = [threading.Thread(target=leader, args=(base, persons[i % len(persons)], run_id, stop, outcome, pause,
                                                     ramp * i / USERS, ready), daemon=True) for i in range(leaders)]
    threads += [threading.Thread(target=bureau, args=(base, n, stop, outcome, year, ramp * (leaders + n) / USERS,
                                                      ready), daemon=True) for n in range(BUREAU_USERS)]
    for t in threads:
        t.start()
    ready.wait(timeout=600)   # sign-ins are not part of the run
    outcome.load["before"] = os.getloadavg()[0]
    outcome.began, cpu = time.perf_counter(), cpu_ticks()
    if kill is not None:
        time.sleep(seconds / 2)
        outcome.load["at the kill"] = os.getloadavg()[0]
        outcome.killed_at, cpu_mid = time.perf_counter(), cpu_ticks()
        kill()
        outcome.cpu[BOTH] = busy_share(cpu, cpu_mid)
        time.sleep(seconds / 2)
        outcome.cpu[KILLED] = busy_share(cpu_mid, cpu_ticks())
    else:
        time.sleep(seconds)
        outcome.cpu[BOTH] = busy_share(cpu, cpu_ticks())
    outcome.ended = time.perf_counter()
    outcome.load["at the end"] = os.getloadavg()[0]
    stop.set()
    for t in threads:
        t.join(timeout=180)
    return outcome


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


def asked(pause) -> float:
    """Requests a second the users ask at zero response time: each leader one per mean pause,
    each bureau user one per BUREAU_PAUSE (the offered load of this closed loop)."""
    return (USERS - BUREAU_USERS) / (sum(pause) / 2) + BUREAU_USERS / BUREAU_PAUSE


def main() -> None:
    size = generate()
    print(f"data: {size}", flush=True)
    with tempfile.TemporaryDirectory(prefix="zonecrm-national-") as tmp:
        tmp = Path(tmp)
        base, procs, ports = start(tmp)
        saturation = None
        try:
            persons = people()
            run_id = f"nat{int(time.time())}"
            print(f"paced run: {USERS} users, pause {PAUSE[0]:g}-{PAUSE[1]:g} s, {SECONDS:g} s", flush=True)
            paced = drive(base, persons, f"{run_id}p", SECONDS, PAUSE, RAMP,
                          kill=lambda: os.killpg(procs["app2"].pid, signal.SIGKILL))  # master and workers at once
            time.sleep(1)   # the access logs' last lines
            marks = log_marks(tmp)
            paced.served = server_times(tmp, until=marks)
            if SATURATION_SECONDS > 0:
                # The killed server back (a fresh gunicorn on its port, its own log), and haproxy told it is up.
                procs["app2"] = app_server(tmp, "app2", ports["app2"], server_env(tmp), "app2-restarted.access.log")
                wait_healthy(ports["app2"])
                time.sleep(6)   # haproxy's check: rise 2 at inter 2 s
                print(f"saturation run: {USERS} users, pause 0.2-0.6 s, {SATURATION_SECONDS:g} s", flush=True)
                marks = log_marks(tmp)
                saturation = drive(base, persons, f"{run_id}s", SATURATION_SECONDS, SATURATION_PAUSE, RAMP)
                time.sleep(1)
                saturation.served = server_times(tmp, since=marks)
        finally:
            for name, proc in procs.items():
                if proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        proc.kill()
    checks = {}
    for name, outcome, rid in (("paced", paced, f"{run_id}p"), ("saturation", saturation, f"{run_id}s")):
        if outcome is None:
            continue
        in_db = stored(rid)
        checks[name] = (sum((Counter(outcome.acknowledged) - in_db).values()), sum(1 for n in in_db.values() if n > 1))
    text = report(size, paced, saturation, checks)
    write(text)
    sys.exit(1 if any(lost or twice for lost, twice in checks.values()) else 0)


KINDS = ["province desk", "province index", "home", "contact write"]
ERRORS = "5xx, no answer (599) or not the page asked (598)"


def _row(kind, xs, target=None):
    p95 = pct(xs, 0.95)
    verdict = "" if target is None else f"≤ {target} ms: {'met' if xs and p95 <= target else '**missed**'}"
    return f"| {kind} | {len(xs)} | {statistics.median(xs) if xs else 0:.0f} ms | {p95:.0f} ms | {verdict} |"


def _served_table(outcome) -> list[str]:
    rows = ["| request | n | p50 | p95 |", "|---|---|---|---|"]
    for kind in KINDS + ["health check"]:
        xs = outcome.served.get(kind, [])
        rows.append(f"| {kind} | {len(xs)} | {statistics.median(xs) if xs else 0:.0f} ms | {pct(xs, 0.95):.0f} ms |")
    return rows


def _errors(statuses) -> int:
    return sum(n for status, n in statuses.items() if status >= 500)


def report(size, paced, saturation, checks) -> str:
    half = SECONDS / 2
    lines = ["| phase | request | n | p50 | p95 | target (p95) |", "|---|---|---|---|---|---|"]
    for phase in (BOTH, KILLED):
        for kind in KINDS:
            lines.append(f"| {phase} " + _row(kind, paced.samples.get((phase, kind), []), TARGETS.get(kind)))
    summary = [f"| phase | requests | asked (req/s, at zero latency) | served (req/s) | CPU busy (machine) | "
               f"writes acknowledged | writes/s | {ERRORS} |", "|---|---|---|---|---|---|---|---|"]
    errors = {}
    for phase in (BOTH, IN_FLIGHT, KILLED):
        statuses = paced.statuses.get(phase, Counter())
        errors[phase] = _errors(statuses)
        n = sum(statuses.values())
        print("paced", phase, dict(statuses))
        if phase == IN_FLIGHT:
            summary.append(f"| {phase} | {n} |  |  |  | {paced.writes[phase]} |  | {errors[phase]} |")
        else:
            summary.append(f"| {phase} | {n} | {asked(PAUSE):.1f} | {n / half:.1f} | {paced.cpu.get(phase, 0):.0%} | "
                           f"{paced.writes[phase]} | {paced.writes[phase] / half:.1f} | {errors[phase]} |")
    lost, twice = checks["paced"]
    load = ", ".join(f"{k} {v:.1f}" for k, v in paced.load.items())
    servers = f"{GUNICORN_WORKERS} gthread workers x {GUNICORN_THREADS} threads each"
    text = [
        "## National scale (`make bench-national`)", "",
        f"Run on {clock.today().isoformat()}: {machine()}; a shared machine (other engineers' work ran meanwhile: "
        "see the load averages and the CPU busy share, which count every process on it). "
        f"Cache and queue: {'Redis (' + os.environ['REDIS_URL'] + ')' if os.environ.get('REDIS_URL') else 'no Redis (cache in each worker process, queue in a SQLite file)'}.", "",
        f"Data on PostgreSQL: {size['zones']:,} zones in {size.get('provinces', len(PROVINCES))} provinces, "
        f"{size['leaders']:,} leaders, {size['projects']:,} projects, "
        f"{size['contacts']:,} contacts (scale {SCALE} of 1.3M projects / 12.5M contacts"
        + (f"; generated in {size['seconds']} s" if "seconds" in size else "; generated by an earlier run") + ").", "",
        "```",
        f"  {USERS} users (threads, 127.0.0.1)",
        "          |",
        "      haproxy :lb   (Debian package; roundrobin, health check GET /healthz every 2 s (SELECT 1),",
        "          |          retry-on conn-failure/empty-response, redispatch)",
        "     +----+----+",
        "     |         |",
        f"  gunicorn   gunicorn        two app servers, {servers} (app:create_app())",
        "   :app1      :app2  <-- killed (SIGKILL to its process group) halfway through the paced run,",
        "     |         |         started again for the saturation run",
        "     +----+----+------ flask worker (huey; queue in Redis when REDIS_URL is set, else SQLite file)",
        "          |",
        "    PostgreSQL 15 :5432  (data, data_version, login throttles, import jobs; the cache in Redis",
        "                          when REDIS_URL is set, else in each worker process)",
        "```", "",
        "### Paced users: the issue's 50 concurrent users (judged against the targets)", "",
        f"{USERS} users, signed in beforehand (not timed), for {SECONDS:.0f} s, starting one by one over the first {RAMP:.0f} s: {USERS - BUREAU_USERS} leaders "
        f"alternating their home and logging a contact, pausing {PAUSE[0]:g}-{PAUSE[1]:g} s (uniform, "
        "NATIONAL_PAUSE) between steps; reading the home and filling in a contact (project, date, form, summary) "
        "takes a person tens of seconds, so this asks more than 50 real people would. "
        f"{BUREAU_USERS} bureau users open a random province's desk, every {INDEX_EVERY}th time the province index "
        f"instead, {BUREAU_PAUSE:g} s after the last one came. Halfway one app server is killed (SIGKILL). Requests "
        "are counted by when they ran: ended before the kill, running across it (on either server), started after "
        f"it. Load average (1 min): {load}.", "",
        *lines, "", *summary, "",
        "\"Asked\" is the rate the users would ask if every answer were instant (leaders / mean pause + bureau "
        "users / 5 s); \"served\" counts the answers in the phase (the first phase includes the ramp).", "",
        "Time inside the app servers (gunicorn's access log, both phases: from the request read to the response "
        "written, without the wait for a free thread or in haproxy):", "",
        *_served_table(paced), "",
        f"Lost writes (acknowledged, not in the database): **{lost}**; stored twice: **{twice}**. "
        f"{ERRORS} outside the requests in flight at the kill: **{errors[BOTH] + errors[KILLED]}**.", "",
    ]
    if saturation is not None:
        seconds = saturation.ended - saturation.began
        statuses = saturation.statuses.get(BOTH, Counter())
        n = sum(statuses.values())
        print("saturation", dict(statuses))
        lost_s, twice_s = checks["saturation"]
        load = ", ".join(f"{k} {v:.1f}" for k, v in saturation.load.items())
        text += [
            "### Saturation: what two cores serve (capacity, not judged against the targets)", "",
            f"Then the killed server started again, and the same {USERS} users for {seconds:.0f} s with the leaders' "
            f"pause at {SATURATION_PAUSE[0]:g}-{SATURATION_PAUSE[1]:g} s (a closed loop asking "
            f"{asked(SATURATION_PAUSE):.0f} requests/s at zero latency, far beyond the machine), both servers up, "
            f"no kill. Load average (1 min): {load}.", "",
            "| request | n | p50 | p95 |", "|---|---|---|---|",
            *[_row(kind, saturation.samples.get((BOTH, kind), [])).rsplit(" |", 2)[0] + " |" for kind in KINDS], "",
            f"| requests | served (req/s) | writes acknowledged | writes/s | CPU busy (machine) | {ERRORS} |",
            "|---|---|---|---|---|---|",
            f"| {n} | {n / seconds:.1f} | {saturation.writes[BOTH]} | {saturation.writes[BOTH] / seconds:.1f} | "
            f"{saturation.cpu.get(BOTH, 0):.0%} | {_errors(statuses)} |", "",
            "Time inside the app servers during the saturation run:", "",
            *_served_table(saturation), "",
            f"Lost writes: **{lost_s}**; stored twice: **{twice_s}**.", "",
        ]
    return "\n".join(text)


def write(text: str) -> None:
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


if __name__ == "__main__":
    main()
