"""Timed imports of the two money sheets (issue 19), through the import jobs as the pages run them.

    python bench/money_imports.py --projects 1000 --arrivals 5000 --zones 25 --years 10
    DATABASE_URL=postgresql+psycopg://… python bench/money_imports.py      # an empty database

Migrates an empty database (SQLite in a temp dir by default), adds the zones and one zone's
projects (through the ledger import), then times, in this process: the 到位资金 sheet of
`--arrivals` rows (dry run, import, the same file again), and the bureau's city-wide monthly
indicator sheet of zones × years × 12 rows (dry run, import, again, and a file changing every
figure, imported with its reason). Times are the check and commit steps (reading the file,
planning and writing), without process start.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def xlsx(sheets: dict) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--arrivals", type=int, default=5000)
    parser.add_argument("--zones", type=int, default=25)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="money-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.db'}")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ["ZONECRM_CONFIG"] = "development"
    os.environ.pop("TEST_DATABASE_URL", None)

    import flask_migrate

    from app import create_app
    from app.domain import ledger as L
    from app.extensions import db
    from app.imports import jobs
    from app.models import BUREAU, STAFF, User, Zone
    from config import DevelopmentConfig

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        QUEUE_URL = "immediate"

    app = create_app(Config)
    rng = random.Random(19)
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        zones = [Zone(code=f"z{i:03d}", name=f"第{i + 1}开发区", tier="ABC"[i % 3], county="测试县", kind="经开区",
                      level="省级") for i in range(args.zones)]
        db.session.add_all(zones)
        staff = User(username="staff", name="专员", role=STAFF, zone=zones[0], password_hash="x")
        bureau = User(username="bureau", name="投促局", role=BUREAU, password_hash="x")
        db.session.add_all([staff, bureau])
        db.session.commit()

        def timed(label, content, user, zone, kind, reason=""):
            job = jobs.create_job(zone, user, f"{label}.xlsx", content, kind=kind)
            db.session.commit()
            t = time.perf_counter()
            checked = jobs.check_job(job.id)
            check = time.perf_counter() - t
            t = time.perf_counter()
            done = jobs.commit_job(job.id, user, reason=reason)
            commit = time.perf_counter() - t
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{label}: dry run {check:.2f} s, import {commit:.2f} s ({done.status}; created {done.created}, "
                  f"updated {done.updated}, unchanged {done.unchanged}, rejected {done.rejected}; peak RSS {peak:.0f} MB)"
                  + (f" {done.error}" if done.error else ""))
            return checked

        project_headers = [c.header for c in L.PROJECT_COLUMNS]
        projects = [[{"code": f"P{i}", "name": f"项目{i}", "investor": f"投资方{i}"}.get(c.key, "")
                     for c in L.PROJECT_COLUMNS] for i in range(args.projects)]
        timed("projects", xlsx({L.PROJECT_SHEET: [project_headers, *projects]}), staff, zones[0], "ledger")

        arrival_headers = [c.header for c in L.ARRIVAL_COLUMNS]
        kinds, currencies = ["注册资本", "固定资产投资", "外资实际到位"], ["人民币", "人民币", "美元", "港元"]
        arrivals = [[f"P{rng.randrange(args.projects)}" if rng.random() < 0.7 else f"项目{rng.randrange(args.projects)}",
                     date(2024, rng.randint(1, 12), rng.randint(1, 28)), f"{rng.randint(1, 10 ** 7) / 100:,}",
                     rng.choice(currencies), rng.choice(kinds), "银行进账单", f"V{i}"] for i in range(args.arrivals)]
        arrivals_file = xlsx({L.ARRIVAL_SHEET: [arrival_headers, *arrivals]})
        timed(f"到位资金 {args.arrivals} rows", arrivals_file, staff, zones[0], "ledger")
        timed(f"到位资金 {args.arrivals} rows again", arrivals_file, staff, zones[0], "ledger")

        headers = [c.header for c in L.INDICATOR_COLUMNS]
        first = 2025 - args.years + 1
        rows = [[z.name, f"{y}年{m}月", f"{rng.randint(0, 10 ** 8) / 100:,}", f"{rng.randint(0, 10 ** 6) / 100}"]
                for z in zones for y in range(first, 2026) for m in range(1, 13)]
        months_file = xlsx({"全市": [headers, *rows]})
        n = len(rows)
        timed(f"月度指标 {n} rows", months_file, bureau, None, "indicators")
        timed(f"月度指标 {n} rows again", months_file, bureau, None, "indicators")
        changed = [[z, m, f"{rng.randint(0, 10 ** 8) / 100:,}", fdi] for z, m, _, fdi in rows]
        timed(f"月度指标 {n} rows, every revenue corrected", xlsx({"全市": [headers, *changed]}), bureau, None,
              "indicators", reason="统计局年报修订")


if __name__ == "__main__":
    main()
