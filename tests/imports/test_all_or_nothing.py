"""A failure or a crash midway leaves the database exactly as it was: one transaction, all or nothing."""
import io
from datetime import date

import pytest

from app.services.contacts import ContactError
from app.imports import writing
from app.imports.writing import ImportAborted
from app.models import ImportJob
from app.services.projects import ProjectError
from tests.imports.conftest import contact_row, ledger_file, project_row

FILE = ledger_file(
    [project_row(code=f"P{i}", name=f"项目{i}", investor=f"公司{i}", stage="开工", signed_on="2024-03-05",
                 started_on="2024-04-01", total="100") for i in range(12)]
    + [project_row(code="OLD", name="已有项目", investor="甲公司", stage="签约", signed_on="2024-03-05", note="新备注")],
    [contact_row(code=f"P{i}", summary=f"第{i}次对接") for i in range(12)],
)


def fail_on_call(monkeypatch, name, n, error):
    """Make the batch service the import calls as `name` raise on its n-th call; batches of
    two rows, so earlier calls have written rows before it."""
    monkeypatch.setattr(writing, "WRITE_BATCH", 2)
    real = getattr(writing, name)
    calls = {"n": 0}

    def wrapped(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise error
        return real(*args, **kwargs)
    monkeypatch.setattr(writing, name, wrapped)
    return calls


@pytest.fixture
def existing(world, make_project, log_contact):
    project = make_project(world.zone_a, name="已有项目", investor="甲公司", code="OLD", planned_on=date(2024, 1, 2))
    log_contact(project, [world.leader], date(2024, 2, 1))
    return project


@pytest.mark.parametrize("name, n, error", [
    ("write_projects", 4, ProjectError("注入的失败")),
    ("write_projects", 6, RuntimeError("注入的崩溃")),
    ("write_projects", 7, ProjectError("注入的失败")),
    ("log_contacts", 5, ContactError("注入的失败")),
    ("log_contacts", 6, MemoryError()),
])
def test_a_failure_midway_leaves_the_database_as_it_was(world, existing, run_import, snapshot, monkeypatch,
                                                        name, n, error):
    before = snapshot()
    calls = fail_on_call(monkeypatch, name, n, error)
    with pytest.raises((ImportAborted, RuntimeError, MemoryError)):
        run_import(world.zone_a, FILE, user=world.staff)
    assert calls["n"] == n  # it really failed midway, after writing rows before it
    assert snapshot() == before


def test_a_service_refusal_midway_names_the_row(world, existing, run_import, monkeypatch):
    # The fourth batch holds rows 8 and 9; the refusal says which of its items it was.
    fail_on_call(monkeypatch, "write_projects", 4, ProjectError("注入的失败", index=1))
    with pytest.raises(ImportAborted, match="项目台账第9行：注入的失败"):
        run_import(world.zone_a, FILE)


def test_the_page_reports_a_failed_import_and_keeps_nothing(world, existing, login, client, snapshot, monkeypatch, db):
    staff = login(world.staff)
    response = staff.post("/imports/", data={"file": (io.BytesIO(FILE), "台账.xlsx")},
                          content_type="multipart/form-data")
    job_url = response.headers["Location"]
    staff.post(job_url + "/check")
    before = snapshot()
    fail_on_call(monkeypatch, "log_contacts", 3, RuntimeError("注入的崩溃"))
    page = staff.post(job_url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "导入时出现系统错误，未写入任何数据" in page
    assert snapshot() == before
    job = db.session.get(ImportJob, int(job_url.rsplit("/", 1)[1]), populate_existing=True)
    assert job.status == "checked" and job.content is not None   # can be tried again
    monkeypatch.undo()
    page = staff.post(job_url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "导入完成：新增 24，更新 1" in page
    db.session.refresh(job)
    assert job.status == "done" and job.content is None


def test_the_command_line_reports_a_failed_import_and_keeps_nothing(app, world, existing, snapshot, monkeypatch,
                                                                    tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(FILE)
    before = snapshot()
    fail_on_call(monkeypatch, "write_projects", 7, ProjectError("注入的失败"))
    result = app.test_cli_runner().invoke(args=["import-ledger", str(path), "--zone", "gxq"])
    assert result.exit_code == 1
    assert "导入未完成，未写入任何数据：项目台账第" in result.output
    assert snapshot() == before
