"""One synonym table for every closed vocabulary: shipped with the words real ledgers use,
edited by the admin, read by the import; an unknown word is a row error with the closest choices."""
from app.models import AuditEvent, Project, Synonym

from .conftest import contact_row, errors_of, ledger_file, project_row


def test_the_words_real_ledgers_use_are_read_and_shown(world, run_import, db):
    summary = run_import(world.zone_a, ledger_file(
        [project_row(code="P-1", stage="开工建设", signed_on="2024-03-01", started_on="2024-04-01", industry="制造业",
                     origin="英属维尔京群岛", key_level="市级重点")],
        [contact_row(code="P-1", form="实地考察"), contact_row(code="P-1", form="洽谈", summary="第二次"),
         contact_row(code="P-1", form="走访", summary="第三次")]))
    assert summary["projects"]["created"] == 1 and summary["contacts"]["created"] == 3, summary["text"]
    project = db.session.query(Project).one()
    assert (project.stage, project.industry_code, project.investor.origin, project.key_level) == (
        "started", "C", "VG", "municipal")
    assert project.is_foreign


def test_an_unknown_word_names_the_closest_choices(world, run_import):
    summary = run_import(world.zone_a, ledger_file([project_row(stage="开工建没", started_on="2024-04-01",
                                                                signed_on="2024-03-01")]))
    [(_, _, column, message)] = errors_of(summary)
    assert column == "项目阶段"
    assert message.startswith("未知的项目阶段“开工建没”，最接近的是：") and "开工建设" in message


def test_the_admin_adds_a_word_and_the_import_reads_it(world, run_import, client, login, db):
    file = ledger_file([project_row(code="P-1")], [contact_row(code="P-1", form="飞鸽传书")])
    assert run_import(world.zone_a, file, dry_run=True)["contacts"]["rejected"] == 1
    login(world.admin)
    page = client.get("/admin/synonyms?vocabulary=contact_form").get_data(as_text=True)
    assert "走访" in page and "外出拜访" in page
    response = client.post("/admin/synonyms", data={"vocabulary": "contact_form", "word": "飞鸽传书", "value": "其他"})
    assert response.status_code == 302
    event = db.session.query(AuditEvent).filter_by(entity="synonym").one()
    assert event.user_id == world.admin.id and event.after == {"vocabulary": "contact_form", "word": "飞鸽传书",
                                                                "value": "其他"}
    summary = run_import(world.zone_a, file)
    assert summary["contacts"]["created"] == 1, summary["text"]
    # A value outside the vocabulary is refused; removing a word is audited.
    client.post("/admin/synonyms", data={"vocabulary": "industry", "word": "外星科技", "value": "ZZ"})
    assert db.session.query(Synonym).filter_by(word="外星科技").count() == 0
    synonym = db.session.query(Synonym).filter_by(word="飞鸽传书").one()
    client.post("/admin/synonyms", data={"delete": str(synonym.id)})
    assert db.session.query(Synonym).filter_by(word="飞鸽传书").count() == 0
    assert db.session.query(AuditEvent).filter_by(entity="synonym", action="delete").count() == 1


def test_only_the_admin_edits_synonyms(world, client, login):
    for user in (world.staff, world.leader, world.bureau, world.auditor):
        login(user)
        assert client.get("/admin/synonyms").status_code == 403
        assert client.post("/admin/synonyms", data={"vocabulary": "stage", "word": "x", "value": "lead"}).status_code == 403
