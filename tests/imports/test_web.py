"""The import pages: upload → dry run summary → 确认导入, scoped to the user's own zone, with its
progress readable from any worker; the template and the zone's export downloads."""
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from app.domain import ledger as L
from app.imports import jobs, planning, progress_reporter, writing
from app.models import AuditEvent, ImportJob, Project
from tests.imports.conftest import contact_row, ledger_file, project_row, read_sheet

FILE = ledger_file([project_row(code="A1", name="好项目", stage="签约", signed_on="2024-03-05"),
                    project_row(code="B1", name="坏项目", total="-1")],
                   [contact_row(code="A1")])


def upload(client, content=FILE, name="台账.xlsx"):
    return client.post("/imports/", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def job_id_of(response) -> int:
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_the_import_page_lists_the_zones_recent_uploads(world, login):
    staff = login(world.staff)
    job_id = job_id_of(upload(staff))
    page = staff.get("/imports/").get_data(as_text=True)
    assert "最近的导入" in page and f'href="/imports/{job_id}"' in page and "台账.xlsx" in page
    assert '<th class="num">更新</th>' in page


def test_zone_roles_see_the_buttons_on_the_ledger_page(world, login):
    for user in (world.leader, world.staff):
        page = login(user).get("/projects/").get_data(as_text=True)
        for link in ("/imports/", "/imports/export.xlsx", "/imports/template.xlsx"):
            assert f'href="{link}"' in page
    page = login(world.bureau).get("/projects/").get_data(as_text=True)
    assert "/imports/" not in page


def test_the_whole_journey(world, login, db):
    staff = login(world.staff)
    response = upload(staff)
    assert response.status_code == 302
    job_url = response.headers["Location"]
    page = staff.get(job_url).get_data(as_text=True)
    assert "开始检查" in page and "data-autostart" in page
    assert 'src="/static/js/imports.js"' in page and "<script>" not in page

    staff.post(job_url + "/check")
    page = staff.get(job_url).get_data(as_text=True)
    assert "试运行结果（尚未写入）" in page and "确认导入" in page
    assert "<th>工作表</th><th class=\"num\">行号</th><th>项目</th><th>列</th><th>问题</th>" in page
    assert ("<td class=\"nowrap\">项目台账</td><td class=\"num\">3</td><td>坏项目</td><td>总投资（万元）</td>"
            "<td>金额不能为负数</td>") in page
    # The preview lists the rows to be written with their values as read.
    assert 'id="import-preview"' in page and "好项目" in page

    # Before the import, the error download is the user's own workbook, the bad cell marked.
    download = staff.get(job_url + "/errors.xlsx")
    assert "filename*=UTF-8''%E5%8F%B0%E8%B4%A6_%E9%94%99%E8%AF%AF%E6%A0%87%E6%B3%A8.xlsx" in download.headers[
        "Content-Disposition"]   # 台账_错误标注.xlsx, not 台账.xlsx.xlsx
    book = load_workbook(io.BytesIO(download.data))
    assert book.sheetnames[0] == "导入错误清单" and L.PROJECT_SHEET in book.sheetnames
    assert [c.value for c in book["导入错误清单"][2]] == ["项目台账", 3, "坏项目", "总投资（万元）", "金额不能为负数"]
    total_column = L.PROJECT_COLUMNS.index(next(c for c in L.PROJECT_COLUMNS if c.key == "total")) + 1
    bad = book[L.PROJECT_SHEET].cell(row=3, column=total_column)
    assert bad.value == "-1" and bad.comment.text == "金额不能为负数" and bad.fill.start_color.rgb == "FFFF9999"
    assert book[L.PROJECT_SHEET].cell(row=2, column=total_column).comment is None
    assert "有 1 行有错误，确认导入时这些行将被跳过" in page
    assert db.session.query(Project).count() == 0
    progress = staff.get(job_url + "/progress").get_json()
    assert progress["status"] == "checked" and progress["percent"] == 100 and progress["finished"]

    page = staff.post(job_url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "导入完成：新增 2，更新 0，无变化 0，未导入的错误行 1。" in page and "导入结果" in page
    assert db.session.scalars(select(Project.zone_id)).all() == [world.zone_a.id]
    job = db.session.get(ImportJob, job_id_of(response))
    assert (job.status, job.created, job.rejected, job.user_id) == ("done", 2, 1, world.staff.id)
    assert job.content is None and len(job.sha256) == 64 and job.size == len(FILE)

    again = staff.post(job_url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "该文件已在导入或已经导入，请勿重复提交" in again
    assert db.session.query(Project).count() == 1

    errors = load_workbook(io.BytesIO(staff.get(job_url + "/errors.xlsx").data)).active
    assert errors["A1"].value == "导入错误清单（台账.xlsx）" and errors.freeze_panes == "A4"
    assert [c.value for c in errors[4]] == ["项目台账", 3, "坏项目", "总投资（万元）", "金额不能为负数"]
    assert "台账.xlsx" in staff.get("/imports/").get_data(as_text=True)


def test_upload_refusals_are_shown_in_chinese(world, login, app, monkeypatch):
    staff = login(world.staff)
    response = upload(staff, b"not a workbook", "台账.xlsx")
    assert response.status_code == 400
    assert "文件扩展名为 .xlsx，但内容不是 Excel 工作簿" in response.get_data(as_text=True)
    assert "请选择要导入的文件" in staff.post("/imports/", data={}).get_data(as_text=True)
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1024)
    response = upload(staff)
    assert response.status_code == 400 and "超过导入上限 1 KB" in response.get_data(as_text=True)


def test_a_file_that_fails_its_check_says_why(world, login, db):
    staff = login(world.staff)
    truncated = ledger_file([project_row()])[:-200]
    response = upload(staff, truncated)
    assert response.status_code == 400 and "文件已损坏，或不是有效的 .xlsx 工作簿" in response.get_data(as_text=True)
    # A workbook whose sheet cannot be parsed passes the upload and fails its check.
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(FILE)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            broken = item.filename.startswith("xl/worksheets/")
            target.writestr(item, b"<worksheet><row" if broken else source.read(item))
    url = upload(staff, out.getvalue()).headers["Location"]
    staff.post(url + "/check")
    page = staff.get(url).get_data(as_text=True)
    assert "导入失败" in page and "无法读取该.xlsx文件" in page and "重新上传" in page
    job = db.session.scalars(select(ImportJob)).one()
    assert job.status == "failed" and job.content is None


@pytest.mark.parametrize("role", ["bureau", "admin", "auditor"])
def test_other_roles_cannot_import(world, login, role, db):
    job = ImportJob(zone_id=world.zone_a.id, file_name="x.xlsx", size=1, sha256="0" * 64, content=b"x")
    db.session.add(job)
    db.session.commit()
    client = login(getattr(world, role))
    for method, url in [("get", "/imports/"), ("post", "/imports/"), ("get", "/imports/template.xlsx"),
                        ("get", "/imports/export.xlsx"), ("get", f"/imports/{job.id}"),
                        ("post", f"/imports/{job.id}/check"), ("post", f"/imports/{job.id}/commit"),
                        ("get", f"/imports/{job.id}/progress"), ("get", f"/imports/{job.id}/errors.xlsx")]:
        assert getattr(client, method)(url).status_code == 403, url


def test_a_zone_reaches_only_its_own_jobs_and_imports_only_into_itself(world, login, db):
    response = upload(login(world.staff))
    url = response.headers["Location"]
    other = login(world.other_staff)
    for method, suffix in [("get", ""), ("post", "/check"), ("post", "/commit"), ("get", "/progress"),
                           ("get", "/errors.xlsx")]:
        assert getattr(other, method)(url + suffix).status_code == 404
    # The other zone's own upload of the same file lands in its own zone; 张伟 is not its leader.
    theirs = upload(other).headers["Location"]
    other.post(theirs + "/check")
    other.post(theirs + "/commit")
    assert db.session.scalars(select(Project.zone_id)).all() == [world.zone_c.id]


def test_the_template_download(world, login):
    response = login(world.leader).get("/imports/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["项目台账", "对接记录", "到位资金", "填写说明"]
    # A title and a line above the header, as every export; the import finds the header below them.
    assert book["项目台账"]["A1"].value == "项目台账导入模板"
    assert book["对接记录"]["A1"].value == "项目台账导入模板（对接记录）"
    assert [c.value for c in book["项目台账"][3]] == [c.header for c in L.PROJECT_COLUMNS]
    assert [c.value for c in book["对接记录"][3]] == [c.header for c in L.CONTACT_COLUMNS]
    assert [c.value for c in book["到位资金"][3]] == [c.header for c in L.ARRIVAL_COLUMNS]
    notes = [(r[0], r[1]) for r in book["填写说明"].iter_rows(min_row=4, values_only=True)]
    for column in L.PROJECT_COLUMNS:
        assert ("项目台账", column.header) in notes
    for column in L.CONTACT_COLUMNS:
        assert ("对接记录", column.header) in notes
    for column in L.ARRIVAL_COLUMNS:
        assert ("到位资金", column.header) in notes
    stage_lists = [v.formula1 for v in book["项目台账"].data_validations.dataValidation]
    assert '"线索,在谈,签约,开工,投产,终止"' in stage_lists


def test_the_export_download_is_audited_and_holds_the_zone_only(world, login, make_project, db):
    make_project(world.zone_a, name="本区项目", code="A-1")
    make_project(world.zone_c, name="别区项目")
    response = login(world.staff).get("/imports/export.xlsx")
    rows = read_sheet(response.data, "项目台账")
    assert rows[0][0] == "石家庄高新区项目台账" and rows[2][1] == "项目名称"
    assert [r[1] for r in rows[3:]] == ["本区项目"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.zone_id == world.zone_a.id and event.user_id == world.staff.id


def test_progress_is_committed_on_its_own_connection_while_a_check_runs(world, login, db, monkeypatch):
    staff = login(world.staff)
    url = upload(staff, ledger_file([project_row(name=f"项目{i}") for i in range(5)])).headers["Location"]
    seen = []
    real = planning.Planner._plan_project
    monkeypatch.setattr(progress_reporter, "PROGRESS_INTERVAL", 0)

    def spy(self, row):
        # Another connection (another worker) reads what this one has reported so far.
        with db.engine.connect() as conn:
            seen.append(tuple(conn.execute(text(
                "SELECT status, progress_done, progress_total FROM import_jobs")).one()))
        return real(self, row)
    monkeypatch.setattr(planning.Planner, "_plan_project", spy)
    staff.post(url + "/check")
    assert seen == [("checking", i, 5) for i in range(5)]


def test_progress_during_an_import_is_readable_by_another_worker(world, login, db, monkeypatch, app):
    staff = login(world.staff)
    url = upload(staff, ledger_file([project_row(name=f"项目{i}") for i in range(4)])).headers["Location"]
    staff.post(url + "/check")
    monkeypatch.setattr(progress_reporter, "PROGRESS_INTERVAL", 0)
    monkeypatch.setattr(writing, "WRITE_BATCH", 1)   # a batch per row: the progress moves after each
    polls = []
    real = writing.write_projects

    def spy(*args, **kwargs):
        polls.append(staff.get(url + "/progress").get_json())   # a poll while the import's transaction is open
        return real(*args, **kwargs)
    monkeypatch.setattr(writing, "write_projects", spy)
    staff.post(url + "/commit")
    assert [(p["status"], p["phase"], p["done"], p["total"]) for p in polls] == [
        ("importing", "write", i, 4) for i in range(4)]
    assert not list((jobs.progress_file(0).parent).glob("*.json"))   # the side file is cleaned up


def test_progress_json_shape(world, login, db):
    job = ImportJob(zone_id=world.zone_a.id, file_name="x.xlsx", size=1, sha256="0" * 64, status="checking",
                    progress_phase="check", progress_done=25, progress_total=100)
    db.session.add(job)
    db.session.commit()
    data = login(world.staff).get(f"/imports/{job.id}/progress").get_json()
    assert data == {"status": "checking", "status_label": "正在检查", "phase": "check", "phase_label": "检查",
                    "done": 25, "total": 100, "percent": 25, "finished": False, "error": ""}
    page = login(world.staff).get(f"/imports/{job.id}").get_data(as_text=True)
    assert "data-running" in page and "data-autostart" not in page
    json.dumps(data)


def test_a_run_that_died_with_its_worker_can_be_started_again(world, login, db, app, monkeypatch):
    from datetime import timedelta

    from app.clock import utcnow
    staff = login(world.staff)
    url = upload(staff).headers["Location"]
    staff.post(url + "/check")
    job = db.session.scalars(select(ImportJob)).one()
    # The worker running the import was killed: its transaction is gone, the row says importing.
    db.session.execute(text("UPDATE import_jobs SET status = 'importing', progress_at = :t"),
                       {"t": utcnow() - timedelta(seconds=30)})
    db.session.commit()
    assert staff.get(url + "/progress").get_json()["finished"] is False
    again = staff.post(url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "该文件已在导入或已经导入，请勿重复提交" in again   # not yet given up on
    monkeypatch.setitem(app.config, "IMPORT_STALE_SECONDS", 10)
    progress = staff.get(url + "/progress").get_json()
    assert progress["finished"] is True and "已中断" in progress["error"]
    page = staff.get(url).get_data(as_text=True)
    assert "上次检查或导入已中断" in page and "确认导入" in page and "data-running" not in page
    done = staff.post(url + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "导入完成：新增 2" in done
    db.session.refresh(job)
    assert job.status == "done"


def test_progress_that_cannot_be_written_does_not_stop_the_work(world, login, db, monkeypatch):
    from sqlalchemy.exc import OperationalError
    staff = login(world.staff)
    url = upload(staff).headers["Location"]

    class Busy:
        def begin(self):
            raise OperationalError("UPDATE import_jobs", {}, Exception("database is locked"))
    monkeypatch.setattr(jobs, "db", type("DB", (), {"engine": Busy(), "session": db.session})())
    progress = jobs.JobProgress(int(url.rsplit("/", 1)[1]))
    progress("check", 1, 2)
    assert progress.to_file and jobs.progress_file(progress.job_id).exists()
    progress.close()
    assert not jobs.progress_file(progress.job_id).exists()


def test_stored_uploads_have_a_per_user_quota(world, login, app, db, monkeypatch):
    """Issue 17 item 9: a user cannot fill the database with uploads never imported."""
    monkeypatch.setitem(app.config, "IMPORT_USER_QUOTA", len(FILE) * 2)
    staff = login(world.staff)
    assert upload(staff).status_code == 302 and upload(staff).status_code == 302
    response = upload(staff)
    assert response.status_code == 400 and "尚未导入的文件共" in response.get_data(as_text=True)
    assert db.session.query(ImportJob).count() == 2
    # Another user has a quota of their own.
    assert upload(login(world.leader)).status_code == 302


def test_uploads_never_imported_are_deleted_after_a_day(app, world, login, db):
    from datetime import timedelta

    from app.clock import utcnow
    staff = login(world.staff)
    old_id = job_id_of(upload(staff))
    new_id = job_id_of(upload(staff))
    db.session.get(ImportJob, old_id).created_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["imports", "clean"])
    assert result.exit_code == 0 and "已删除 1 个" in result.output
    db.session.expire_all()
    old, new = db.session.get(ImportJob, old_id), db.session.get(ImportJob, new_id)
    assert old.content is None and old.status == "failed" and "一天" in old.error
    assert new.content is not None and new.status == "uploaded"


@pytest.mark.parametrize("runner", ["command", "queue"])
def test_one_clean_up_of_stale_uploads_frees_the_quota(app, world, login, db, monkeypatch, runner):
    """`flask imports clean` and the queue's hourly job are one function: both keep an upload
    UPLOAD_KEEP_HOURS, both mark it failed with the same reason, and what they delete no longer
    counts against the user's quota."""
    from datetime import timedelta

    from app import tasks
    from app.imports import jobs
    from app.clock import utcnow
    monkeypatch.setitem(app.config, "UPLOAD_KEEP_HOURS", 2)
    monkeypatch.setitem(app.config, "IMPORT_USER_QUOTA", len(FILE) * 2)
    staff = login(world.staff)
    old_id, new_id = job_id_of(upload(staff)), job_id_of(upload(staff))
    refused = upload(staff)
    assert refused.status_code == 400 and "尚未导入的文件共" in refused.get_data(as_text=True)
    db.session.get(ImportJob, old_id).created_at = utcnow() - timedelta(hours=2, minutes=1)
    db.session.commit()
    if runner == "command":
        result = app.test_cli_runner().invoke(args=["imports", "clean"])
        assert result.exit_code == 0 and "已删除 1 个" in result.output
    else:
        assert tasks.delete_stale_uploads.call_local() == 1
    db.session.expire_all()
    old, new = db.session.get(ImportJob, old_id), db.session.get(ImportJob, new_id)
    assert (old.status, old.content, old.error) == ("failed", None, jobs.UPLOAD_EXPIRED)
    assert new.status == "uploaded" and new.content is not None
    assert upload(staff).status_code == 302          # the quota has room again
