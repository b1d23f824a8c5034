"""A zone's real-looking 2024 ledger (data/messy_ledger.xlsx, written by make_messy_ledger.py) goes
in as it is written: every good row in, every skipped row named with its project, the
readings shown in the preview, and the progress figures exactly as the rules give them."""
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.domain import metrics as M
from app.domain.counting import counts_towards
from app.imports.mapping import KEEP
from app.models import Contact, Project
from app.queries.progress import build_progress, rates_for, targets_for

from .conftest import errors_of

FILE = (Path(__file__).resolve().parent / "data" / "messy_ledger.xlsx").read_bytes()
LEDGER, CONTACTS = "2024年项目台账", "对接情况"


def test_the_messy_ledger_goes_in_as_written(world, run_import, make_project, db):
    make_project(world.zone_a, "医药中间体项目", investor="华北制药集团有限公司")
    dry = run_import(world.zone_a, FILE, name="2024年台账（WPS）.xlsx", dry_run=True)
    summary = run_import(world.zone_a, FILE, name="2024年台账（WPS）.xlsx", columns={"联系人": KEEP})
    for result in (dry, summary):
        assert result["projects"] == {"created": 6, "updated": 0, "unchanged": 0, "rejected": 2}, result["text"]
        assert result["contacts"] == {"created": 4, "unchanged": 0, "rejected": 2}, result["text"]
    sheet = summary["sheets"][0]
    assert sheet["skipped_totals"] == [{"row": 12, "reason": "小计"}, {"row": 16, "reason": "合计"}]
    assert sheet["ignored_columns"] == ["序号"] and sheet["kept_columns"] == ["联系人"]
    assert [(e["sheet"], e["row"], e["project"], e["column"]) for e in summary["errors"]] == [
        (LEDGER, 14, "软件外包服务中心项目", "资金来源地"),
        (LEDGER, 15, "医药中间体项目", "总投资\n（亿元）"),
        (CONTACTS, 5, "冷链物流园项目", "对接时间"),
        (CONTACTS, 6, "软件外包服务中心项目", "对接项目"),
    ]
    messages = [e[3] for e in errors_of(summary)]
    assert "没有写年份" in messages[2]
    assert "其2024年项目台账第14行有错误未导入（资金来源地：未知的投资方国别或地区“火星”" in messages[3]

    projects = {p.name: p for p in db.session.scalars(select(Project))}
    assert "合计" not in projects and len(projects) == 7
    battery = projects["新能源电池Pack生产线项目"]
    assert (battery.industry_code, battery.stage, battery.total_investment) == ("C", "started", Decimal("1500000000.00"))
    assert battery.planned_on == date(2024, 3, 1) and [u.name for u in battery.leaders] == ["张伟", "李娜"]
    assert battery.note == "联系人：刘经理 13900000000" and battery.key_level == "municipal"
    phone = projects["智能终端电子产品项目"]
    assert (phone.industry_code, phone.investor.origin, phone.signed_on) == ("39", "HK", date(2024, 5, 1))
    assert phone.total_investment == Decimal("860000000.00") and phone.foreign_capital == Decimal("60000000.00")
    cold = projects["冷链物流园项目"]
    assert (cold.industry_code, cold.investor.origin, cold.stage) == ("G", "VG", "negotiating")
    kitchen = projects["中央厨房预制菜项目"]
    assert kitchen.total_investment == Decimal("100000000.00") and kitchen.note == "总投资：一期"
    solar = projects["分布式光伏电站项目"]
    assert (solar.industry_code, solar.investor.origin, solar.key_level) == ("D", "KY", "provincial")
    assert [u.name for u in solar.leaders] == ["李娜", "张伟"] and solar.tags == ""
    machines = projects["高端装备制造基地项目"]
    assert (machines.industry_code, machines.investor.origin, machines.is_foreign) == ("C", "TW", True)
    forms = sorted(c.form for c in db.session.scalars(select(Contact)))
    assert forms == ["外出拜访", "来访接待", "来访接待", "视频会议"]

    # The preview showed each reading before anything was written.
    readings = {}
    for p in dry["preview"]:
        readings.setdefault(p["project"], []).extend([r["text"] for r in p["readings"]] + p["flags"])
    assert "8.6亿元 → 86,000 万元" in readings["智能终端电子产品项目"]
    assert "香港 → 中国香港" in readings["智能终端电子产品项目"]
    assert "电子 → 39 计算机、通信和其他电子设备制造业" in readings["智能终端电子产品项目"]
    assert "约5 → 50,000 万元（约数）" in readings["冷链物流园项目"] and "约数" in readings["冷链物流园项目"]
    assert "英属维京群岛 → 英属维尔京群岛" in readings["冷链物流园项目"]
    assert "10000万（一期） → 10,000 万元（括注“一期”记入备注）" in readings["中央厨房预制菜项目"]
    assert "2024.3 → 2024-03-01（只写了年月，按当月1日记，精确到月）" in readings["新能源电池Pack生产线项目"]
    assert "开工建设 → 开工" in readings["新能源电池Pack生产线项目"]
    assert "走访 → 外出拜访" in readings["医药中间体项目"]

    # The progress figures: what the rules give for these rows, the totals rows nowhere.
    progress = build_progress(2024, date(2024, 12, 31)).zone(world.zone_a.id)
    assert {m: progress.metric(m).actual for m in (M.FOREIGN, M.DOMESTIC, M.PROVINCIAL_KEY, M.MUNICIPAL_KEY)} == {
        M.FOREIGN: 2, M.DOMESTIC: 1, M.PROVINCIAL_KEY: 1, M.MUNICIPAL_KEY: 1}
    targets, rates = targets_for(2024)[world.zone_a.tier], rates_for(2024)
    for metric in progress.metrics:
        if metric.metric in targets and metric.metric != M.LEADER_CONTACTS:
            expected = sum(1 for p in projects.values() if counts_towards(
                p.facts(), metric.metric, targets[metric.metric].threshold, 2024, date(2024, 12, 31), rates))
            assert metric.actual == expected, metric.metric
    leaders = {lp.name: lp.contacted for lp in build_progress(2024, date(2024, 12, 31)).leaders}
    assert (leaders["张伟"], leaders["李娜"]) == (3, 2)

    # The same file again changes nothing.
    again = run_import(world.zone_a, FILE, name="2024年台账（WPS）.xlsx", columns={"联系人": KEEP})
    assert again["projects"] == {"created": 0, "updated": 0, "unchanged": 6, "rejected": 2}, again["text"]
    assert again["contacts"]["created"] == 0
