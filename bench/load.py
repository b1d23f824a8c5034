"""`make load`: concurrent users against the app under gunicorn on 127.0.0.1, then a check
that every write the app acknowledged is in the database.

Each simulated user signs in as a different demo leader and, for a bounded number of rounds,
logs contacts (each with a unique summary) and edits projects (each with a unique note).
Afterwards the database must hold every acknowledged contact exactly once and an audit
record for every acknowledged edit; any 5xx answer fails the run. SQLite by default;
PostgreSQL too when LOAD_DATABASE_URL is set. Only loopback addresses are used.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app import clock  # noqa: E402
from bench.run import BIN, PYTHON, ROOT, _csrf, _env, free_port  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "16"))
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "40"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))


def prepare(url: str) -> list[dict]:
    code = f"""
import sys, json, flask_migrate
sys.path.insert(0, {str(ROOT)!r})
from app import create_app
from app.extensions import db
from app.demo import load_demo
from sqlalchemy import text
from app import clock
app = create_app()
with app.app_context():
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE")); c.execute(text("CREATE SCHEMA public"))
    flask_migrate.upgrade()
    load_demo(clock.today())
    rows = db.session.execute(text("SELECT id, username, zone_id FROM users WHERE role = 'leader' ORDER BY id")).all()
    print("RESULT" + json.dumps([dict(id=r[0], username=r[1], zone_id=r[2]) for r in rows]))
"""
    out = subprocess.run([PYTHON, "-c", code], env=_env(url), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.split("RESULT", 1)[1])


def user_session(base: str, leader: dict, run_id: str, outcome: dict, lock: threading.Lock) -> None:
    rng = random.Random(leader["id"])
    s = requests.Session()
    token = _csrf(s.get(f"{base}/login").text)
    r = s.post(f"{base}/login", data={"username": leader["username"], "password": "Demo@2024", "csrf_token": token},
               allow_redirects=False)
    assert r.status_code == 302, r.status_code
    token = _csrf(s.get(f"{base}/contacts/new").text)
    projects = s.get(f"{base}/contacts/lookup").json()
    local = {"contacts": [], "edits": [], "statuses": Counter(), "latency": []}
    for n in range(ROUNDS):
        project = rng.choice(projects)
        mark = f"{run_id}-{leader['username']}-{n}"
        start = time.perf_counter()
        if rng.random() < 0.8:
            r = s.post(f"{base}/contacts/new", allow_redirects=False, data={
                "csrf_token": token, "project_id": project["id"], "project_name": project["name"],
                "occurred_on": clock.today().isoformat(), "form": "电话", "summary": mark, "leaders": leader["id"]})
            if r.status_code == 302:
                local["contacts"].append(mark)
        else:
            r = s.post(f"{base}/projects/{project['id']}/edit", allow_redirects=False, data={
                "csrf_token": token, "name": project["name"], "investor_name": project["investor"],
                "origin": "CN", "industry": "其他", "key_level": "", "leader_id": "0", "note": mark})
            if r.status_code == 302:
                local["edits"].append(mark)
            elif os.environ.get("LOAD_DEBUG"):
                import re
                print(r.status_code, re.findall(r'class="(?:error|flash flash-error)"[^>]*>([^<]+)<', r.text)[:3])
        local["latency"].append((time.perf_counter() - start) * 1000)
        local["statuses"][r.status_code] += 1
    with lock:
        for key in ("contacts", "edits", "latency"):
            outcome[key] += local[key]
        outcome["statuses"] += local["statuses"]


def verify(url: str, run_id: str) -> dict:
    code = f"""
import sys, json
sys.path.insert(0, {str(ROOT)!r})
from app import create_app
from app.extensions import db
from app.models import AuditEvent, Contact
from sqlalchemy import select
app = create_app()
with app.app_context():
    contacts = [c for (c,) in db.session.execute(select(Contact.summary).where(Contact.summary.like("{run_id}-%")))]
    notes = [e.after.get("note") for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "project", AuditEvent.action == "update"))
        if e.after and str(e.after.get("note", "")).startswith("{run_id}-")]
    print("RESULT" + json.dumps(dict(contacts=contacts, notes=notes)))
"""
    out = subprocess.run([PYTHON, "-c", code], env=_env(url), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.split("RESULT", 1)[1])


def load(name: str, url: str) -> dict:
    leaders = prepare(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "app:create_app()"], cwd=ROOT, env=_env(url))
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/login", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        run_id = f"load{int(time.time())}"
        outcome = {"contacts": [], "edits": [], "statuses": Counter(), "latency": []}
        lock = threading.Lock()
        threads = [threading.Thread(target=user_session, args=(base, leaders[i % len(leaders)], run_id, outcome, lock))
                   for i in range(USERS)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=20)
    stored = verify(url, run_id)
    missing_contacts = Counter(outcome["contacts"]) - Counter(stored["contacts"])
    duplicated = [m for m, n in Counter(stored["contacts"]).items() if n > 1]
    missing_edits = set(outcome["edits"]) - set(stored["notes"])
    errors = sum(n for status, n in outcome["statuses"].items() if status >= 500)
    requests_made = sum(outcome["statuses"].values())
    latency = sorted(outcome["latency"])
    result = {
        "database": name, "users": USERS, "workers": WORKERS, "requests": requests_made,
        "acknowledged contacts": len(outcome["contacts"]), "acknowledged edits": len(outcome["edits"]),
        "missing": len(missing_contacts) + len(missing_edits), "duplicated": len(duplicated),
        "5xx": errors, "statuses": dict(outcome["statuses"]), "seconds": round(elapsed, 1),
        "writes/s": round((len(outcome["contacts"]) + len(outcome["edits"])) / elapsed, 1),
        "median ms": round(statistics.median(latency), 1), "p95 ms": round(latency[int(0.95 * len(latency)) - 1], 1),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory(prefix="zonecrm-load-") as tmp:
        results.append(load("SQLite", f"sqlite:///{tmp}/load.db"))
    if os.environ.get("LOAD_DATABASE_URL"):
        results.append(load("PostgreSQL", os.environ["LOAD_DATABASE_URL"]))
    failed = [r for r in results if r["missing"] or r["duplicated"] or r["5xx"]]
    print("\n| database | users | gunicorn workers | requests | acknowledged writes | missing | 5xx | writes/s | median / p95 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['database']} | {r['users']} | {r['workers']} | {r['requests']} | "
              f"{r['acknowledged contacts'] + r['acknowledged edits']} | {r['missing']} | {r['5xx']} | "
              f"{r['writes/s']} | {r['median ms']} / {r['p95 ms']} ms |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
