"""What a field declared in domain.project_fields alone gets everywhere: the form, the API,
the import, the export and the audit viewer. Run by tests/test_project_fields.py in a pytest
process of its own, with declare.py loaded first (a declaration is read when the app is
imported); not collected by the main run."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from app.domain import ledger as L
from app.extensions import db as _db
from app.imports.ledger_import import import_ledger
from app.imports.reader import Limits, read_book
from app.imports.sheets import zone_workbook
from app.models import Project


@pytest.fixture(scope="session", autouse=True)
def land_status_column(app):
    """The product adds the column with a migration (the third file of a new field); this test
    database adds it the same way, with the SQL such a migration runs."""
    with app.app_context(), _db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE projects ADD COLUMN land_status VARCHAR(100) DEFAULT '' NOT NULL"))


def test_the_form_offers_it_with_its_label_and_help_and_keeps_what_is_typed(client, world, login, db, project_form):
    login(world.staff)
    page = client.get("/projects/new").get_data(as_text=True)
    assert "用地情况" in page and "如 已摘牌、待挂牌" in page and 'name="land_status"' in page
    assert client.post("/projects/new", data=project_form(land_status="已摘牌")).status_code == 302
    project = db.session.query(Project).one()
    assert project.land_status == "已摘牌"
    assert "用地情况" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    refused = client.post(f"/projects/{project.id}/edit", data=project_form(land_status="地" * 101))
    assert refused.status_code == 400 and "用地情况最多100个字" in refused.get_data(as_text=True)


def test_the_service_refuses_it_too_long_naming_the_label(world, db):
    from app.services.projects import ProjectError, ProjectInput, create_project
    with pytest.raises(ProjectError, match="用地情况最多100个字") as refused:
        create_project(world.zone_a.id, ProjectInput(name="某项目", plain={"land_status": "地" * 101}), None)
    assert refused.value.field == "land_status"


def test_the_api_describes_it_limits_it_and_round_trips_it(client, world, api_as, db):
    api = api_as(world.staff)
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert spec["ProjectCreate"]["properties"]["land_status"]["description"] == "用地情况：如 已摘牌、待挂牌"
    assert spec["ProjectCreate"]["properties"]["land_status"]["maxLength"] == 100
    assert spec["ProjectOut"]["properties"]["land_status"]["description"] == "用地情况：如 已摘牌、待挂牌"
    created = api.post("/projects", {"name": "某项目", "land_status": "待挂牌"})
    assert created.status_code == 201 and created.get_json()["land_status"] == "待挂牌"
    project_id = created.get_json()["id"]
    assert api.patch(f"/projects/{project_id}", {"land_status": "已摘牌"}).get_json()["land_status"] == "已摘牌"
    assert api.get(f"/projects/{project_id}").get_json()["land_status"] == "已摘牌"
    assert api.post("/projects", {"name": "另一项目", "land_status": "地" * 101}).status_code == 422


def test_the_ledger_template_import_and_export_carry_it(world, db, today):
    headers = [c.header for c in L.PROJECT_COLUMNS]
    assert headers[-1] == "用地情况"
    # A ledger heading it with another of its declared words.
    rows = [["项目名称", "投资方", "土地情况"], ["新能源电池项目", "北京华创科技有限公司", "已摘牌"]]
    book = io.BytesIO()
    from openpyxl import Workbook
    sheet_book = Workbook()
    sheet_book.active.title = L.PROJECT_SHEET
    for row in rows:
        sheet_book.active.append(row)
    sheet_book.save(book)
    limits = Limits()
    summary = import_ledger(world.zone_a, read_book("台账.xlsx", book.getvalue(), limits), world.staff, dry_run=False,
                            max_rows=limits.max_rows, file_info={"name": "台账.xlsx"}, today=today)
    db.session.commit()
    assert summary["totals"]["created"] == 1
    assert db.session.query(Project).one().land_status == "已摘牌"
    exported = load_workbook(io.BytesIO(zone_workbook(world.zone_a)))[L.PROJECT_SHEET]
    table = [list(r) for r in exported.iter_rows(values_only=True)]
    header_row = next(r for r in table if "项目名称" in r)
    data_row = table[table.index(header_row) + 1]
    assert data_row[header_row.index("用地情况")] == "已摘牌"
    # The export imported again changes nothing.
    again = import_ledger(world.zone_a, read_book("导出.xlsx", _save(exported.parent), limits), world.staff,
                          dry_run=True, max_rows=limits.max_rows, file_info={"name": "导出.xlsx"}, today=today)
    assert again["totals"]["updated"] == 0 and again["totals"]["created"] == 0


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_audit_viewer_names_it_by_its_label(client, world, login, db, make_project):
    from app.services.projects import ProjectInput, update_project
    project = make_project(world.zone_a, plain={"land_status": "待挂牌"})
    update_project(project, ProjectInput(name=project.name, investor_name="北京华创科技有限公司",
                                         plain={"land_status": "已摘牌"}), world.staff)
    db.session.commit()
    login(world.auditor)
    page = client.get("/admin/audit", query_string={"action": "update"}).get_data(as_text=True)
    assert "用地情况：</span>待挂牌 → 已摘牌" in page
