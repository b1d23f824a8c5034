"""The column mapping the user sees: the preview starts with the file's columns, each with the
field it was matched to and why, or 未识别; an unrecognised column is never filed into 备注 on its
own: until the user maps it to a field, or keeps it in 备注, or ignores it, the file is not
written. The zone's answers are kept for its later files and can be changed or removed; the
command line gives its own with --map."""
import io

import pytest
from sqlalchemy import select

from app.imports.mapping import KEEP
from app.imports.reader import ImportFileError
from app.models import AuditEvent, ImportColumnMapping, ImportJob, Project

from .conftest import xlsx_bytes

HEADERS = ["序号", "项目名称", "投资主体", "投资方国别（地区）", "总投资（亿元）", "对接领导"]


def ledger(*rows) -> bytes:
    return xlsx_bytes({"2024年台账": [["某开发区招商项目台账"], HEADERS, *(rows or (
        [1, "精密轴承项目", "大阪精工株式会社", "日本", "3", "张伟"],
        [2, "物流园项目", "河北顺达物流有限公司", "中国大陆", "1.2", "李娜"],
    ))]})


def columns_of(summary, sheet=0) -> list[tuple[str, str, str]]:
    return [(c["header"], c["field"], c["how"]) for c in summary["sheets"][sheet]["columns"]]


def projects(db) -> dict[str, Project]:
    return {p.name: p for p in db.session.scalars(select(Project))}


# ---------------------------------------------------------------------------------------
# The preview and the rule, as the import reads them


def test_the_preview_starts_with_each_column_its_field_and_why(world, run_import):
    summary = run_import(world.zone_a, ledger(), dry_run=True)
    assert columns_of(summary) == [
        ("序号", "", "序号列，不读取"),
        ("项目名称", "项目名称", "完全一致"),
        ("投资主体", "投资方", "同义词"),
        ("投资方国别（地区）", "投资方国别或地区", "同义词"),
        ("总投资（亿元）", "总投资", "去掉单位后一致"),
        ("对接领导", "", "未识别"),
    ]
    assert summary["sheets"][0]["unmapped_columns"] == ["对接领导"]
    text = summary["text"].splitlines()
    assert text[:3] == ["工作表“2024年台账”的列：", "  序号（序号列，不读取）", "  项目名称 → 项目名称（完全一致）"]
    assert "  对接领导（未识别）" in text
    assert any(line.startswith("以下列未识别，尚未选择对应的字段：工作表“2024年台账”的“对接领导”") for line in text)


@pytest.mark.parametrize("header", ["投资方国别（地区）", "国别（地区）", "投资方国别", "国家或地区", "投资方国别/地区"])
def test_the_usual_wordings_of_the_investors_country_are_read(world, run_import, db, header):
    content = xlsx_bytes({"台账": [["项目名称", "投资方", header], ["精密轴承项目", "大阪精工株式会社", "日本"]]})
    summary = run_import(world.zone_a, content)
    assert summary["projects"]["created"] == 1, summary["text"]
    assert projects(db)["精密轴承项目"].is_foreign is True


def test_an_unrecognised_column_is_not_filed_into_the_note_and_stops_the_import(world, run_import, db):
    dry = run_import(world.zone_a, ledger(), dry_run=True)
    assert all("备注" not in p["values"] for p in dry["preview"])
    with pytest.raises(ImportFileError, match="以下列未识别，尚未选择对应的字段：工作表“2024年台账”的“对接领导”"):
        run_import(world.zone_a, ledger())
    assert projects(db) == {}


def test_a_column_the_user_keeps_in_the_note_or_ignores(world, run_import, db):
    run_import(world.zone_a, ledger(), columns={"对接领导": KEEP})
    assert projects(db)["精密轴承项目"].note == "对接领导：张伟"
    assert projects(db)["精密轴承项目"].is_foreign is True and projects(db)["物流园项目"].is_foreign is False


def test_an_amount_column_mapped_by_the_user_is_read_in_the_unit_its_header_names(world, run_import, db):
    content = xlsx_bytes({"台账": [["项目名称", "投资方", "拟投资额（亿元）"], ["精密轴承项目", "大阪精工株式会社", "3"]]})
    summary = run_import(world.zone_a, content, columns={"拟投资额（亿元）": "total"})
    assert ("拟投资额（亿元）", "总投资", "命令行指定") in columns_of(summary)
    assert projects(db)["精密轴承项目"].total_investment == 300_000_000


# ---------------------------------------------------------------------------------------
# The mapping step of the page


def upload_and_check(client, content=None) -> tuple[int, str]:
    response = client.post("/imports/", data={"file": (io.BytesIO(content or ledger()), "台账.xlsx")},
                           content_type="multipart/form-data")
    url = response.headers["Location"]
    client.post(url + "/check")
    return int(url.rsplit("/", 1)[1]), url


def answer(client, url, page: str, **choices):
    """Post the mapping step as the page's form does: each listed column with its choice."""
    data = {}
    n = 0
    for header, choice in choices.items():
        n += 1
        data[f"header-{n}"], data[f"answer-{n}"] = header, choice
    assert all(f'value="{h}"' in page for h in choices), "the page offers a choice for each column posted"
    return client.post(url + "/columns", data=data)


def test_confirming_is_refused_until_every_unrecognised_column_has_an_answer(world, login, db):
    staff = login(world.staff)
    job_id, url = upload_and_check(staff)
    page = staff.get(url).get_data(as_text=True)
    assert page.index('id="import-columns"') < page.index('id="import-counts"'), "the preview starts with the columns"
    assert "<td>对接领导</td><td>—</td><td>未识别</td>" in page
    assert "<td>投资方国别（地区）</td><td>投资方国别或地区</td><td>同义词</td>" in page
    assert "以下列未识别，尚未选择对应的字段：工作表“2024年台账”的“对接领导”" in page
    assert '<option value="leader">分包领导</option>' in page and '<option value="investor">' not in page
    refused = staff.post(url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "不能确认导入：以下列未识别，尚未选择对应的字段：工作表“2024年台账”的“对接领导”" in refused
    assert db.session.get(ImportJob, job_id).status == "checked" and projects(db) == {}


def test_a_mapped_column_is_written_and_remembered_for_the_zones_next_file(world, login, db, run_import):
    staff = login(world.staff)
    job_id, url = upload_and_check(staff)
    answer(staff, url, staff.get(url).get_data(as_text=True), 对接领导="leader")
    page = staff.get(url).get_data(as_text=True)
    assert "<td>对接领导</td><td>分包领导</td><td>本区已保存的对应关系</td>" in page
    assert "分包领导：张伟" in page and "分包领导：李娜" in page, "the dry run again, with the values it will write"
    assert "import-unmapped" not in page
    staff.post(url + "/commit")
    assert db.session.get(ImportJob, job_id).status == "done"
    assert projects(db)["精密轴承项目"].leader_id == world.leader.id
    assert projects(db)["物流园项目"].leader_id == world.leader2.id
    saved = db.session.scalars(select(ImportColumnMapping)).one()
    assert (saved.zone_id, saved.written, saved.target, saved.user_id) == (world.zone_a.id, "对接领导", "leader",
                                                                           world.staff.id)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "column_mapping")).one()
    assert (event.action, event.after) == ("create", {"表头": "对接领导", "对应": "分包领导"})

    # The zone's next file: the same header is read by the saved answer, with nothing to choose.
    later = run_import(world.zone_a, ledger([3, "新材料项目", "河北新材料有限公司", "中国大陆", "2", "李娜"]))
    assert later["projects"]["created"] == 1 and projects(db)["新材料项目"].leader_id == world.leader2.id
    assert ("对接领导", "分包领导", "本区已保存的对应关系") in columns_of(later)


def test_another_zones_answers_are_not_used(world, login, db, run_import):
    staff = login(world.staff)
    _job_id, url = upload_and_check(staff)
    answer(staff, url, staff.get(url).get_data(as_text=True), 对接领导="leader")
    other = run_import(world.zone_c, ledger([1, "精密轴承项目", "大阪精工株式会社", "日本", "3", "赵强"]), dry_run=True)
    assert other["sheets"][0]["unmapped_columns"] == ["对接领导"]
    with pytest.raises(ImportFileError, match="“对接领导”"):
        run_import(world.zone_c, ledger([1, "精密轴承项目", "大阪精工株式会社", "日本", "3", "赵强"]))


def test_a_remembered_answer_can_be_changed_and_removed(world, login, db):
    staff = login(world.staff)
    _job_id, url = upload_and_check(staff)
    answer(staff, url, staff.get(url).get_data(as_text=True), 对接领导="leader")
    page = staff.get(url).get_data(as_text=True)
    assert '<option value="leader" selected>分包领导</option>' in page
    assert '<option value="forget">删除已保存的对应关系</option>' in page

    answer(staff, url, page, 对接领导="keep")
    page = staff.get(url).get_data(as_text=True)
    assert "<td>对接领导</td><td>记入备注</td><td>本区已保存的对应关系</td>" in page
    assert "备注：对接领导：张伟" in page
    assert db.session.scalars(select(ImportColumnMapping.target)).all() == ["keep"]

    answer(staff, url, page, 对接领导="forget")
    page = staff.get(url).get_data(as_text=True)
    assert "<td>对接领导</td><td>—</td><td>未识别</td>" in page
    assert db.session.scalars(select(ImportColumnMapping)).all() == []
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "column_mapping")
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.before, e.after) for e in events] == [
        ("create", None, {"表头": "对接领导", "对应": "分包领导"}),
        ("update", {"表头": "对接领导", "对应": "分包领导"}, {"表头": "对接领导", "对应": "记入备注"}),
        ("delete", {"表头": "对接领导", "对应": "记入备注"}, None),
    ]


def test_a_choice_that_is_no_field_is_refused(world, login, db):
    staff = login(world.staff)
    _job_id, url = upload_and_check(staff)
    page = staff.post(url + "/columns", data={"header-1": "对接领导", "answer-1": "is_foreign"},
                      follow_redirects=True).get_data(as_text=True)
    assert "“对接领导”的选择“is_foreign”不是项目台账的字段" in page
    assert db.session.scalars(select(ImportColumnMapping)).all() == []


# ---------------------------------------------------------------------------------------
# The command line


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_the_command_line_refuses_to_write_while_a_column_is_unmapped(app, world, tmp_path, db):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger())
    result = run(app, "import-ledger", str(path), "--zone", "gxq")
    assert result.exit_code == 2
    assert "以下列未识别，尚未选择对应的字段：工作表“2024年台账”的“对接领导”" in result.stderr
    assert '--map "列名=字段"' in result.stderr
    assert projects(db) == {} and db.session.scalars(select(ImportJob)).all() == []


def test_the_command_lines_dry_run_lists_the_column_mapping_first(app, world, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger())
    result = run(app, "import-ledger", str(path), "--zone", "gxq", "--dry-run", "--map", "对接领导=分包领导")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1:8] == ["工作表“2024年台账”的列：", "  序号（序号列，不读取）", "  项目名称 → 项目名称（完全一致）",
                          "  投资主体 → 投资方（同义词）", "  投资方国别（地区） → 投资方国别或地区（同义词）",
                          "  总投资（亿元） → 总投资（去掉单位后一致）", "  对接领导 → 分包领导（命令行指定）"]


@pytest.mark.parametrize("given, leader, note", [
    ("对接领导=分包领导", True, ""), ("对接领导=包联领导", True, ""),
    ("对接领导=备注", False, "对接领导：张伟"), ("对接领导=忽略", False, ""),
])
def test_the_command_line_maps_a_column_by_label_or_header_word(app, world, tmp_path, db, given, leader, note):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger())
    result = run(app, "import-ledger", str(path), "--zone", "gxq", "--map", given)
    assert result.exit_code == 0, result.output
    project = projects(db)["精密轴承项目"]
    assert (project.leader_id == world.leader.id, project.note) == (leader, note)
    assert db.session.scalars(select(ImportColumnMapping)).all() == [], "--map is for this run only"


@pytest.mark.parametrize("given, message", [
    ("对接领导", "--map “对接领导”应写作“列名=字段”"),
    ("对接领导=领导人", "“领导人”不是项目台账的字段；可填：项目编号、项目名称"),
])
def test_a_wrong_map_is_a_clear_error(app, world, tmp_path, given, message):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger())
    result = run(app, "import-ledger", str(path), "--zone", "gxq", "--map", given)
    assert result.exit_code == 2 and message in result.stderr
