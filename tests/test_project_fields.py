"""One declaration per project field (app/domain/project_fields.py): every face names a field
by its declared label, the service enforces its declared limits, and a field declared there
alone reaches the form, the API, the import, the export and the audit viewer."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.api import schemas as S
from app.domain import ledger as L
from app.domain.project_fields import TEXT, LONG_TEXT, TAGS, audit_labels, ledger_fields, project_field, project_fields
from app.projects.forms import NewProjectForm
from app.queries.audit_trail import changes
from app.review.sheets import projects_sheet

ROOT = Path(__file__).resolve().parent.parent
TEXT_KINDS = (TEXT, LONG_TEXT, TAGS)


def test_the_project_form_labels_every_field_as_declared(app):
    with app.test_request_context():
        form = NewProjectForm()
    shown = {name: field.label.text for name, field in form._fields.items()}
    declared = [f for f in project_fields() if f.key in shown]
    assert len(declared) >= 18
    assert {f.key: shown[f.key] for f in declared} == {f.key: f.caption for f in declared}
    assert shown["total_investment"] == "总投资（万元）"


def test_a_first_contact_asks_for_the_new_project_in_the_same_words(app):
    from app.contacts.forms import ContactForm
    with app.test_request_context():
        form = ContactForm()
    shown = {name[len("new_"):]: field.label.text for name, field in form._fields.items() if name.startswith("new_")}
    keys = {"investor": "investor_name"}
    assert {k: project_field(keys.get(k, k)).caption for k in shown} == shown
    assert shown["total_investment"] == "总投资（万元）"


def _api_name(key: str) -> str:
    return S.PROJECT_API_NAMES.get(key, key)


def test_the_api_describes_every_field_by_its_declared_label_and_limits_it_alike():
    body = S.ProjectCreate.model_json_schema()["properties"]
    out = S.ProjectOut.model_json_schema()["properties"]
    out_names = {"investor_name": "investor", "leader_id": "leader"}
    checked = 0
    for f in project_fields():
        for properties, name in ((body, _api_name(f.key)), (out, out_names.get(f.key, f.key))):
            if name not in properties or "description" not in properties[name]:
                continue
            description = properties[name]["description"]
            assert description == f.label or description.startswith(f.label + "："), (name, description)
            checked += 1
        if f.kind in TEXT_KINDS and f.kind != TAGS and _api_name(f.key) in body:
            assert body[_api_name(f.key)]["maxLength"] == f.max_length, f.key
    assert checked >= 30


def test_the_ledger_template_and_export_head_columns_as_declared(db, world, make_project):
    from app.imports.sheets import template_workbook, zone_workbook
    declared = [f.header for f in ledger_fields()]
    assert [c.header for c in L.PROJECT_COLUMNS] == declared
    make_project(world.zone_a)
    for content in (template_workbook(), zone_workbook(world.zone_a)):
        rows = list(load_workbook(io.BytesIO(content))[L.PROJECT_SHEET].iter_rows(values_only=True))
        assert declared in [list(r[:len(declared)]) for r in rows]
    columns, _rows = projects_sheet([])
    assert {c.header for c in columns} - set(declared) == {"合同外资（万）", "合同外资币种"}


def test_the_audit_viewer_reads_a_project_record_in_the_declared_labels():
    labels = audit_labels()
    for f in project_fields():
        for column in f.columns:
            shown = changes({column: "甲"}, {column: "乙"}, entity="project")
            assert shown[0][0] == labels[column]
    assert changes({"name": "旧名"}, {"name": "新名"}, entity="project") == [("项目名称", "旧名 → 新名")]
    assert changes({"total_investment_currency": "CNY"}, None, entity="project") == [("总投资币种", "人民币")]
    # Another entity's records keep their own words.
    assert changes({"name": "旧名"}, {"name": "新名"}, entity="user") == [("名称", "旧名 → 新名")]


@pytest.mark.parametrize("key", [f.key for f in project_fields() if f.input and f.kind in TEXT_KINDS])
def test_the_service_enforces_each_declared_length_naming_the_label(db, world, key):
    from app.services.projects import ProjectError, ProjectInput, create_project
    f = project_field(key)
    values = {"name": "某项目", key: "字" * (f.max_length + 1)}
    with pytest.raises(ProjectError) as refused:
        create_project(world.zone_a.id, ProjectInput(**values), None)
    assert str(refused.value).startswith(f"{f.label}最多{f.max_length}个字") and refused.value.field == key
    values[key] = "字" * f.max_length
    assert create_project(world.zone_a.id, ProjectInput(**values), None).id


def test_the_service_asks_for_the_name_by_its_label(db, world):
    from app.services.projects import ProjectError, ProjectInput, create_project
    with pytest.raises(ProjectError, match="^请填写项目名称$"):
        create_project(world.zone_a.id, ProjectInput(name="  "), None)


@pytest.mark.only_on("sqlite")   # its own process and SQLite file, whichever database the run uses
def test_a_field_declared_alone_reaches_the_form_api_import_export_and_audit_viewer():
    """tests/declared_field/declare.py adds one plain text field to the declaration before the
    app is imported (as an edit of project_fields.py would); the checks in
    tests/declared_field/checks.py then find it on every face, no other file changed."""
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.declared_field.declare", "-o", "python_files=checks.py",
         "tests/declared_field/checks.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "5 passed" in run.stdout
