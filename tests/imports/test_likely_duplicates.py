"""Likely duplicates are held for the user's decision (issue 27): a row that is likely a project
the zone already has, or an earlier row of the same file, by the picker's rule (the name read
the same or one inside the other, the same investor or credit code, and neither the amount nor
the month different), is neither created nor merged until the user says 同一项目 or 不同项目;
identical 到位资金 rows likewise (同一笔 / 两笔不同的到位资金). The counts after the import are
the ones the rules give for what the user decided."""
import io
from datetime import date

import pytest
from sqlalchemy import select

from app.domain import metrics as M
from app.models import AuditEvent, FundsArrival, ImportJob, Project, Zone
from app.queries.progress import build_progress

from .conftest import contact_row, ledger_file, project_row, xlsx_bytes

XINTAI = "河北鑫泰新材料有限公司"


def xintai(**values) -> list:
    base = {"name": f"{XINTAI}年产5万吨项目", "investor": XINTAI, "origin": "中国大陆", "industry": "新材料",
            "total": "12亿元", "stage": "签约", "signed_on": "2024-05-08", "key_level": "市重点"}
    return project_row(**{**base, **values})


def issue_ledger() -> bytes:
    """The issue's ledger: 鑫泰 written twice (the second time without the province and the legal
    form, later the same month), and a cold-chain project, domestic and above 5亿."""
    return ledger_file([
        xintai(),
        project_row(name="冷链物流园项目", investor="石家庄顺达物流有限公司", origin="中国大陆", industry="现代物流",
                    total="6亿元", stage="签约", signed_on="2024-07-01"),
        xintai(name="鑫泰新材料年产5万吨项目", signed_on="2024-05-20"),
    ], [contact_row(name="鑫泰新材料年产5万吨项目", occurred_on="2024-05-20", leaders="张伟")])


@pytest.fixture
def zone_b(world, db):
    """A tier B zone: domestic projects count from 5亿."""
    zone = Zone(code="zdgx", name="正定高新区", tier="B", county="正定县", kind="高新区", level="省级")
    db.session.add(zone)
    world.leader.zone = world.leader2.zone = zone
    db.session.commit()
    return zone


def counted(zone) -> tuple[int, int]:
    progress = build_progress(2024, date(2024, 12, 31)).zone(zone.id)
    return progress.metric(M.DOMESTIC).actual, progress.metric(M.MUNICIPAL_KEY).actual


def names(db) -> list[str]:
    return sorted(db.session.scalars(select(Project.name)))


def test_the_same_project_written_two_ways_is_held_and_nothing_is_written_until_decided(world, zone_b, run_import,
                                                                                       db, snapshot):
    dry = run_import(zone_b, issue_ledger(), dry_run=True)
    assert dry["projects"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}, dry["text"]
    [pair] = dry["pairs"]
    assert (pair["sheet"], pair["row"], pair["name"], pair["decision"]) == ("项目台账", 4, "鑫泰新材料年产5万吨项目", None)
    assert pair["other"] == {"sheet": "项目台账", "row": 2, "name": f"{XINTAI}年产5万吨项目", "investor": XINTAI}
    assert pair["reasons"] == ["名称相近", "同一投资方", "总投资相同", "同月"]
    assert pair["choices"] == {"same": "同一项目", "different": "不同项目"}
    assert dry["undecided"] == 1
    assert (f"  项目台账 第4行“鑫泰新材料年产5万吨项目” 与 项目台账第2行“{XINTAI}年产5万吨项目”"
            "（名称相近、同一投资方、总投资相同、同月）：未决定") in dry["text"]

    before = snapshot()
    with pytest.raises(Exception) as refused:
        run_import(zone_b, issue_ledger())
    assert str(refused.value) == ("有 1 对可能重复的行尚未决定（是同一项目还是不同项目、同一笔还是两笔到位资金），"
                                  "未写入任何数据；请逐对选择后再确认导入")
    assert snapshot() == before


def test_decided_as_one_project_it_is_created_once_and_counts_once(world, zone_b, run_import, db):
    summary = run_import(zone_b, issue_ledger(), decisions={"项目台账#4": "same"})
    assert summary["projects"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}, summary["text"]
    assert summary["pairs"][0]["decided"] == "同一项目" and summary["undecided"] == 0
    assert names(db) == ["冷链物流园项目", f"{XINTAI}年产5万吨项目"]
    # The contact names the project the second way: it is logged on the one project.
    assert summary["contacts"]["created"] == 1
    assert counted(zone_b) == (2, 1)   # 内资 2 not 3, 市重点 1 not 2
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert audit.after["duplicates"] == [{"row": "项目台账#4", "other": f"项目台账第2行“{XINTAI}年产5万吨项目”",
                                          "reasons": ["名称相近", "同一投资方", "总投资相同", "同月"],
                                          "decision": "同一项目"}]


def test_decided_as_two_projects_both_are_created(world, zone_b, run_import, db):
    summary = run_import(zone_b, issue_ledger(), decisions={"项目台账#4": "different"})
    assert summary["projects"]["created"] == 3, summary["text"]
    assert counted(zone_b) == (3, 2)


def test_a_row_likely_an_existing_project_updates_it_when_decided_the_same(world, zone_b, run_import, make_project,
                                                                          db):
    existing = make_project(zone_b, f"{XINTAI}年产5万吨项目", investor=XINTAI, total_wan="120000",
                            stages=[("signed", date(2024, 5, 8))], key_level="municipal", code="XT-1",
                            planned_on=date(2024, 5, 8))
    content = ledger_file([xintai(name="鑫泰新材料年产5万吨项目", responsible="刘洋")])
    dry = run_import(zone_b, content, dry_run=True)
    [pair] = dry["pairs"]
    assert pair["other"] == {"id": existing.id, "code": "XT-1", "name": f"{XINTAI}年产5万吨项目", "investor": XINTAI}
    assert "与 已有项目“河北鑫泰新材料有限公司年产5万吨项目”（XT-1）" in dry["text"]
    assert dry["projects"] == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}

    summary = run_import(zone_b, content, decisions={"项目台账#2": "same"})
    assert summary["projects"] == {"created": 0, "updated": 1, "unchanged": 0, "rejected": 0}, summary["text"]
    db.session.expire_all()
    [project] = db.session.scalars(select(Project)).all()
    assert (project.name, project.responsible) == (f"{XINTAI}年产5万吨项目", "刘洋")   # the zone's spelling kept
    assert counted(zone_b) == (1, 1)


@pytest.mark.parametrize("existing, row, held", [
    # The investor written another way, its credit code the same, the name one inside the other: held.
    (dict(name="精密轴承项目", investor="舍弗勒（中国）有限公司", usci="91350100M000100Y43"),
     dict(name="精密轴承生产线项目", investor="舍弗勒投资有限公司", usci="91350100M000100Y43"), True),
    # The same credit code, another project of the company: not held.
    (dict(name="光伏组件项目", investor="丙公司", usci="91130100MA0CH1234K"),
     dict(name="储能电站项目", investor="丙公司（新）", usci="91130100MA0CH1234K"), False),
    # The same name, another amount and another year (one names no investor): another project.
    (dict(name="氢能重卡项目", investor="甲公司", total_wan="50000", stages=[("signed", date(2023, 3, 1))]),
     dict(name="氢能重卡项目", investor="", total="8亿元", stage="签约", signed_on="2024-09-01"), False),
    # The name one inside the other but another investor: another project.
    (dict(name="新能源电池生产基地项目", investor="甲公司"), dict(name="新能源电池生产基地二期项目", investor="乙公司"), False),
])
def test_which_pairs_are_held(world, run_import, make_project, existing, row, held):
    make_project(world.zone_a, **existing)
    summary = run_import(world.zone_a, ledger_file([project_row(**row)]), dry_run=True)
    assert bool(summary["pairs"]) is held, summary["text"]
    assert summary["projects"]["created"] == (0 if held else 1)


def arrivals_file(*rows) -> bytes:
    return xlsx_bytes({"到位资金": [["项目", "到位日期", "金额（万）", "币种", "类型", "来源说明", "凭证号"], *rows]})


ARRIVAL = ["A-1", "2024-04-10", "1200", "人民币", "固定资产投资", "银行进账单", ""]


@pytest.mark.parametrize("decision, recorded", [("same", 1), ("different", 2)])
def test_identical_arrival_rows_are_recorded_as_decided(world, run_import, make_project, db, decision, recorded):
    make_project(world.zone_a, "新能源电池项目", code="A-1")
    dry = run_import(world.zone_a, arrivals_file(ARRIVAL, ARRIVAL), dry_run=True)
    assert dry["arrivals"] == {"created": 1, "unchanged": 0, "held": 1, "rejected": 0}
    [pair] = dry["pairs"]
    assert (pair["kind"], pair["row"], pair["other"]["row"], pair["reasons"]) == (
        "arrival", 3, 2, ["项目、到位日期、金额、币种、类型、凭证号完全相同"])
    assert pair["choices"] == {"same": "同一笔", "different": "两笔不同的到位资金"}
    with pytest.raises(Exception):
        run_import(world.zone_a, arrivals_file(ARRIVAL, ARRIVAL))
    assert db.session.scalars(select(FundsArrival)).all() == []
    summary = run_import(world.zone_a, arrivals_file(ARRIVAL, ARRIVAL), decisions={"到位资金#3": decision})
    assert summary["arrivals"]["created"] == recorded
    assert len(db.session.scalars(select(FundsArrival)).all()) == recorded


# --- the page --------------------------------------------------------------------------------

def test_the_page_holds_refuses_then_writes_what_was_decided(world, zone_b, login, db):
    world.staff.zone = zone_b
    db.session.commit()
    staff = login(world.staff)
    job_url = staff.post("/imports/", data={"file": (io.BytesIO(issue_ledger()), "台账.xlsx")},
                         content_type="multipart/form-data").headers["Location"]
    staff.post(job_url + "/check")
    page = staff.get(job_url).get_data(as_text=True)
    assert "可能重复、待决定的行（1 对）" in page and "还有 1 对未决定" in page
    assert "鑫泰新材料年产5万吨项目" in page and "名称相近、同一投资方、总投资相同、同月" in page

    refused = staff.post(job_url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "有 1 对可能重复的行尚未决定" in refused
    job = db.session.scalars(select(ImportJob)).one()
    assert job.status == "checked" and names(db) == []

    staff.post(job_url + "/duplicates", data={"pair-项目台账#4": "same"})
    db.session.expire_all()
    job = db.session.scalars(select(ImportJob)).one()
    assert job.status == "checked" and job.summary["undecided"] == 0
    assert job.summary["pairs"][0]["decision"] == "same"
    page = staff.get(job_url).get_data(as_text=True)
    assert "每对均已决定" in page

    done = staff.post(job_url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "导入完成：新增 3，更新 0" in done   # two projects and the contact
    assert names(db) == ["冷链物流园项目", f"{XINTAI}年产5万吨项目"]
    assert counted(zone_b) == (2, 1)


# --- the command line ------------------------------------------------------------------------

def cli(app, tmp_path, *args):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(issue_ledger())
    return app.test_cli_runner().invoke(args=["import-ledger", str(path), "--zone", "zdgx", *args])


def test_the_command_line_lists_the_pairs_and_refuses_to_write(app, world, zone_b, tmp_path, db, snapshot):
    before = snapshot()
    result = cli(app, tmp_path)
    assert result.exit_code == 4, result.output
    assert (f"  项目台账 第4行“鑫泰新材料年产5万吨项目” 与 项目台账第2行“{XINTAI}年产5万吨项目”"
            "（名称相近、同一投资方、总投资相同、同月）：未决定") in result.stdout
    assert "有 1 对可能重复的行尚未决定" in result.stderr and "--accept-duplicates" in result.stderr
    # Nothing was written, and the summary says what would be, never 已新增.
    assert "项目台账：将新增" in result.stdout and "已新增" not in result.stdout
    assert snapshot() == before
    assert db.session.scalars(select(ImportJob)).all() == []


def test_the_command_line_writes_them_as_different_when_told(app, world, zone_b, tmp_path, db):
    result = cli(app, tmp_path, "--accept-duplicates")
    assert result.exit_code == 0, result.output
    assert "按 --accept-duplicates，1 对可能重复的行都作为不同项目（到位资金作为两笔）写入" in result.stdout
    assert "：已定为“不同项目”" in result.stdout
    assert len(names(db)) == 3


def test_a_dry_run_on_the_command_line_lists_the_pairs(app, world, zone_b, tmp_path, snapshot):
    before = snapshot()
    result = cli(app, tmp_path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "可能重复、待决定的行：1 对（未决定 1 对）" in result.stdout
    assert snapshot() == before
