"""A messy zone ledger of any size, as zones keep them, and a timed import of it.

    python bench/ledger.py --projects 3000 --contacts 5000            # SQLite in a temp dir
    DATABASE_URL=postgresql://… python bench/ledger.py --projects 20000 --contacts 0

The file has a title row, a 序号 column, full-width digits, thousands separators, five date
spellings and Excel date cells, 是/√/Y, stray spaces and blank rows. The script migrates an
empty database, adds a zone with its leaders, writes the file, then times the command line
import (a dry run, the import, and the same file again), and prints the figures with the
peak memory of the command processes.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEADERS = ["张伟", "李娜", "王强", "刘洋", "陈静", "杨帆"]
STAGES = ["线索", "在谈", "签约", "开工", "投产", "终止"]
INDUSTRIES = ["新一代信息技术", "生物医药", "新材料", "高端装备制造", "新能源", "新能源汽车", "节能环保", "现代食品"]
ORIGINS = ["中国大陆"] * 12 + ["中国香港", "日本", "德国", "新加坡"]
FULL = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def _date(rng: random.Random, on: date):
    form = rng.randrange(7)
    if form == 0:
        return datetime(on.year, on.month, on.day)          # an Excel date cell
    if form == 1:
        return f"{on.year}/{on.month}/{on.day}"
    if form == 2:
        return f"{on.year}.{on.month}.{on.day}"
    if form == 3:
        return f"{on.year}年{on.month}月{on.day}日"
    if form == 4:
        return on.isoformat().translate(FULL)
    return f" {on.isoformat()} "


def _amount(rng: random.Random, value: int):
    form = rng.randrange(4)
    if form == 0:
        return value                                        # a number cell
    if form == 1:
        return f"{value:,}"
    if form == 2:
        return f"{value:,}".translate(FULL)
    return f" {value} "


def messy_ledger(projects: int, contacts: int, seed: int = 2024) -> bytes:
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    book = Workbook()
    ledger = book.active
    ledger.title = "项目台账"
    ledger.append(["第一开发区2024年招商引资项目台账"])
    ledger.append([])
    ledger.append(["序号", "项目编号", "项目名称", "投资方", "投资方国别或地区", "所属行业", "是否制造业", "是否工业项目",
                   "总投资（万元）", "合同外资（万美元）", "项目阶段", "谋划日期", "签约日期", "开工日期", "投产日期",
                   "终止日期", "重点项目级别", "分包领导", "分包责任人", "备注"])
    names = []
    for i in range(projects):
        stage = rng.choices(STAGES, [30, 28, 20, 12, 5, 5])[0]
        planned = start + timedelta(days=rng.randrange(500))
        signed = planned + timedelta(days=rng.randrange(60)) if stage in ("签约", "开工", "投产") else None
        started = signed + timedelta(days=rng.randrange(60)) if stage in ("开工", "投产") else None
        produced = started + timedelta(days=rng.randrange(60)) if stage == "投产" else None
        dropped = planned + timedelta(days=rng.randrange(60)) if stage == "终止" else None
        origin = ORIGINS[(i % 997) % len(ORIGINS)]   # one investor, one origin
        name = f"第{i + 1}号{rng.choice(INDUSTRIES)}项目"
        names.append((f"ZX-{i + 1:05d}", name))
        ledger.append([
            i + 1, names[-1][0], f" {name} " if rng.random() < 0.1 else name, f"华创{i % 997}科技有限公司", origin,
            rng.choice(INDUSTRIES), rng.choice(["是", "否", "√", "Y", "N", ""]), rng.choice(["是", "否", "Y", ""]),
            _amount(rng, rng.randrange(1000, 500000)),
            _amount(rng, rng.randrange(100, 20000)) if origin != "中国大陆" else "",
            stage, _date(rng, planned), _date(rng, signed) if signed else "", _date(rng, started) if started else "",
            _date(rng, produced) if produced else "", _date(rng, dropped) if dropped else "",
            rng.choice(["", "", "", "省重点", "市重点"]), rng.choice(LEADERS), rng.choice(["王芳", "赵敏", ""]),
            "",
        ])
        if rng.random() < 0.01:
            ledger.append([])
    contact_sheet = book.create_sheet("对接记录")
    contact_sheet.append(["对接日期", "项目编号", "项目名称", "对接领导", "对接方式", "对接内容", "下一步", "下一步日期"])
    for i in range(contacts):
        code, name = rng.choice(names)
        on = start + timedelta(days=rng.randrange(700))
        who = "、".join(rng.sample(LEADERS, rng.choice([1, 1, 2])))
        contact_sheet.append([_date(rng, on), code, name, who, rng.choice(["外出拜访", "来访接待", "电话", "视频会议"]),
                              f"第{i + 1}次对接，介绍园区政策", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=3000)
    parser.add_argument("--contacts", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'bench.db'}"
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="app", SECRET_KEY="bench-" + "x" * 40,
               ZONECRM_CONFIG="development")
    env.pop("TEST_DATABASE_URL", None)
    flask = [str(Path(sys.executable).parent / "flask")]
    file = work / "ledger.xlsx"
    t = time.perf_counter()
    file.write_bytes(messy_ledger(args.projects, args.contacts))
    print(f"file: {file.stat().st_size / 1024 / 1024:.1f} MB, {args.projects} projects, {args.contacts} contacts "
          f"(written in {time.perf_counter() - t:.1f} s)")
    setup = ["db upgrade", "zones add z001 第一开发区 --tier A"] + [
        f"users add l{i} --name {n} --role leader --zone z001 --password Bench@2024" for i, n in enumerate(LEADERS)]
    for command in setup:
        subprocess.run(flask + command.split(), env=env, check=True, capture_output=True, cwd=ROOT)
    for label, extra in (("dry run", ["--dry-run"]), ("import", []), ("same file again", [])):
        t = time.perf_counter()
        done = subprocess.run(flask + ["import-ledger", str(file), "--zone", "z001", *extra], env=env,
                              capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - t
        lines = [l for l in done.stdout.splitlines() if l.startswith(("项目台账：", "对接记录："))]
        # The largest peak of any command so far (the import's is the largest of the three).
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{label}: {seconds:.1f} s (exit {done.returncode}; process start included; peak RSS so far "
              f"{peak:.0f} MB)  {' | '.join(lines)}")
        if done.returncode not in (0, 3):
            print(done.stdout[-2000:], done.stderr[-2000:])
            break


if __name__ == "__main__":
    main()
