"""The import's batch writes leave the database exactly as writing the same plan row by row
through the single-row services (create_project, update_project, change_stage, log_contact)
did, audit trail included; and what they leave agrees with the domain's own replays."""
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.services.contacts import ContactInput, log_contacts, recount_leader_projects
from app.domain.pipeline import stage_dates
from app.imports import ledger_import, planning, writing
from app.imports.reader import Limits, read_book
from app.models import AuditEvent, Contact, Investor, LeaderProject, Project, StageChange, Task, contact_leaders
from app.services.projects import DATE_FIELDS, change_stage, create_project, update_project
from tests.imports.conftest import contact_row, ledger_file, project_row

TODAY = date(2024, 12, 31)
STAGES = ["线索", "在谈", "签约", "开工", "投产", "终止"]
INVESTORS = {"甲公司": "中国大陆", "乙公司": "中国香港", **{f"公司{k}": ["中国大陆", "日本", "德国"][k % 3]
                                                            for k in range(8)}}


def _day(rng, start, end=date(2024, 12, 1)):
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _ledger(rng) -> bytes:
    projects = [
        # Existing projects: a changed note and a later stage; a new origin for the investor.
        project_row(code="E1", name="已有项目甲", investor="甲公司", note="新备注", stage="开工",
                    started_on="2024-06-01"),
        project_row(code="E2", name="已有项目乙", investor="乙公司", origin="中国香港", stage="投产",
                    signed_on="2024-04-01", started_on="2024-05-01", produced_on="2024-08-01", leader="李娜"),
    ]
    for i in range(40):
        investor = rng.choice(list(INVESTORS))
        stage = rng.choice(STAGES)
        planned = _day(rng, date(2023, 10, 1), date(2024, 3, 1))
        dates, on = {}, planned
        for key, reached in (("negotiating_on", "在谈"), ("signed_on", "签约"), ("started_on", "开工"),
                             ("produced_on", "投产")):
            wanted = reached == stage or rng.random() < 0.8   # the stage's own date is required
            if STAGES.index(stage) >= STAGES.index(reached) and stage != "终止" and wanted:
                on = _day(rng, on, on + timedelta(days=60))
                dates[key] = on.isoformat()
        if stage == "终止":
            dates["dropped_on"] = _day(rng, planned, planned + timedelta(days=90)).isoformat()
        foreign = INVESTORS[investor] != "中国大陆"
        # "号" ends each name: 新项目1 would be inside 新项目12, a likely duplicate held for a decision.
        projects.append(project_row(
            code=f"N{i}" if i % 5 else "", name=f"新项目{i}号", investor=investor,
            origin=INVESTORS[investor] if rng.random() < 0.7 else "", stage=stage, planned_on=planned.isoformat(),
            total=str(rng.choice([100, 5000.5, 120000])), capital=str(rng.randint(50, 9000)) if foreign else "",
            key_level=rng.choice(["", "", "省重点", "市重点"]), leader=rng.choice(["", "张伟", "李娜"]),
            manufacturing=rng.choice(["是", "否"]), **dates))
    contacts = []
    for i in range(120):
        target = rng.choice(["E1", "E2"] + [f"N{k}" for k in range(40) if k % 5])
        on = _day(rng, date(2024, 1, 1), date(2024, 3, 20)) if i % 3 else date(2024, 3, 1)
        step = rng.random() < 0.5
        contacts.append(contact_row(
            code=target, occurred_on=on.isoformat(), leaders=rng.choice(["张伟", "李娜", "张伟、李娜"]),
            form=rng.choice(["外出拜访", "电话", "来访接待"]), summary=f"第{i}次对接",
            next_step=f"下一步{i}" if step else "", next_step_on=(on + timedelta(days=10)).isoformat() if step else ""))
    contacts.append(contact_row(name="新项目0号", investor="", occurred_on="2024-02-02", summary="按名称对接"))
    return ledger_file(projects, contacts)


def _per_row(plan, zone, user, today, progress):
    """The import's write phase as it was before the batch functions: one service call per row."""
    for op in (op for op in plan.project_ops if op.kind != "unchanged"):
        if op.kind == "created":
            (stage, on), *rest = op.stages
            project = create_project(zone.id, op.data, user, stage=stage, stage_on=on, today=today)
            op.pending.project = project
        else:
            project = op.project
            if op.fields_differ:
                update_project(project, op.data, user, today=today)
            rest = op.stages
        for stage, on in rest:
            change_stage(project, stage, on, writing.STAGE_NOTE, user, today=today)
    for op in (op for op in plan.contact_ops if op.kind == "created"):
        project = op.target.project if isinstance(op.target, planning.Pending) else op.target
        # One at a time, as an import's (its steps follow the ledger's history: imported=True).
        log_contacts([ContactInput(project=project, occurred_on=op.occurred_on, form=op.form, summary=op.summary,
                                   leaders=op.leaders, recorded_by=user or op.leaders[0], next_step=op.next_step,
                                   next_step_on=op.next_step_on)], today=today, imported=True)


def _state(db) -> dict:
    """Every table the import writes, with database ids replaced by what identifies the row."""
    db.session.flush()
    db.session.expire_all()
    projects = {p.id: (p.code, p.name) for p in db.session.scalars(select(Project))}
    investors = {i.id: i.name for i in db.session.scalars(select(Investor))}
    contacts = {c.id: (projects[c.project_id], c.occurred_on, c.form, c.summary)
                for c in db.session.scalars(select(Contact))}
    skip = {"id", "created_at", "updated_at", "recorded_at", "occurred_at", "chain_seq", "chain_prev", "chain_hash"}

    def plain(row, table):
        values = {k: v for k, v in row._mapping.items() if k not in skip}
        if "project_id" in values:
            values["project_id"] = projects[values["project_id"]]
        if "investor_id" in values and table != "audit_events":
            values["investor_id"] = investors.get(values["investor_id"])
        if "contact_id" in values:
            values["contact_id"] = contacts[values["contact_id"]]
        return values

    def audit_plain(row):
        values = plain(row, "audit_events")
        key = projects if values["entity"] == "project" else contacts if values["entity"] == "contact" else {}
        values["entity_id"] = key.get(values["entity_id"], values["entity_id"])
        for side in ("before", "after"):
            data = dict(values[side] or {})
            if "investor_id" in data:
                data["investor_id"] = investors.get(data["investor_id"])
            if "project_id" in data:
                data["project_id"] = projects.get(data["project_id"])
            values[side] = data
        return values

    state = {}
    for table in (Project.__table__, Investor.__table__, StageChange.__table__, Contact.__table__, contact_leaders,
                  LeaderProject.__table__):
        state[table.name] = sorted((plain(row, table.name) for row in db.session.execute(select(table))), key=repr)
    state["audit_events"] = sorted((audit_plain(row) for row in db.session.execute(select(AuditEvent.__table__))),
                                   key=repr)
    return state


def _import(db, zone, content, user):
    sheets = read_book("台账.xlsx", content, Limits())
    summary = ledger_import.import_ledger(zone, sheets, user, dry_run=False, max_rows=1000,
                                          file_info={"name": "台账.xlsx"}, today=TODAY)
    state = _state(db)
    return summary, state


@pytest.fixture
def existing(world, make_project, log_contact):
    first = make_project(world.zone_a, name="已有项目甲", investor="甲公司", code="E1", planned_on=date(2024, 1, 2),
                         total_wan="100", stages=[("signed", date(2024, 3, 1))], today=TODAY)
    make_project(world.zone_a, name="已有项目乙", investor="乙公司", origin="CN", code="E2",
                 planned_on=date(2024, 1, 3), today=TODAY)
    # A credit later than some of the file's contacts: the summary keeps the earliest day.
    log_contact(first, [world.leader], date(2024, 3, 10), next_step="再访", next_step_on=date(2024, 12, 1),
                today=TODAY)


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("as_user", [True, False])
def test_batches_write_what_the_per_row_services_wrote(world, existing, db, monkeypatch, seed, as_user):
    content = _ledger(random.Random(seed))
    user = world.staff if as_user else None
    with monkeypatch.context() as m:
        m.setattr(ledger_import, "apply_plan", _per_row)
        expected_summary, expected = _import(db, world.zone_a, content, user)
    db.session.rollback()
    for batch in (7, 1000):
        monkeypatch.setattr(writing, "WRITE_BATCH", batch)
        summary, state = _import(db, world.zone_a, content, user)
        db.session.rollback()
        assert summary == expected_summary
        assert summary["totals"]["updated"] == 2, summary["errors"]
        for table in expected:
            assert state[table] == expected[table], table


def test_what_the_batches_write_agrees_with_the_domain_replays(world, existing, db):
    summary, _ = _import(db, world.zone_a, _ledger(random.Random(3)), world.staff)
    assert summary["totals"]["rejected"] == 0, summary["errors"]
    db.session.expire_all()
    for project in db.session.scalars(select(Project)):
        history = db.session.execute(select(StageChange.stage, StageChange.changed_on)
                                     .where(StageChange.project_id == project.id)
                                     .order_by(StageChange.changed_on, StageChange.id)).all()
        replayed = stage_dates(history)
        assert {k: getattr(project, k) for k in DATE_FIELDS} == {k: getattr(replayed, k) for k in DATE_FIELDS}
        latest = db.session.execute(select(Contact).where(Contact.project_id == project.id)
                                    .order_by(Contact.occurred_on.desc(), Contact.id.desc()).limit(1)).scalar()
        if latest is not None:
            assert (project.last_contact_on, project.next_step, project.next_step_on) == (
                latest.occurred_on, latest.next_step or None, latest.next_step_on)
        assert project.is_foreign == (project.investor is not None and project.investor.is_foreign)
    kept = sorted(db.session.execute(select(LeaderProject.__table__)).all())
    recount_leader_projects()
    assert sorted(db.session.execute(select(LeaderProject.__table__)).all()) == kept
    assert kept and {user_id for user_id, *_ in kept} == {world.leader.id, world.leader2.id}
    audited = db.session.execute(select(AuditEvent.action, AuditEvent.entity).where(AuditEvent.username == "staff1")
                                 ).all()
    assert audited.count(("create", "contact")) == summary["contacts"]["created"]
    assert audited.count(("create", "project")) == summary["projects"]["created"]
    assert audited.count(("update", "project")) == 2
    db.session.rollback()



@pytest.mark.parametrize("batch", [1, 1000])
def test_a_new_projects_latest_contact_is_written_with_it_and_its_steps_follow_the_history(
        world, db, monkeypatch, batch):
    from sqlalchemy import event

    monkeypatch.setattr(writing, "WRITE_BATCH", batch)
    days = ["2024-03-05", "2024-01-10", "2024-02-20", "2024-03-05"]   # not in order; the latest day twice
    content = ledger_file([project_row(code="P1", name="新项目")], [
        contact_row(code="P1", occurred_on=on, summary=f"第{i}次", next_step=f"下一步{i}", next_step_on="2024-12-20")
        for i, on in enumerate(days)])
    updates = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE PROJECTS"):
            updates.append(statement)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        summary, _ = _import(db, world.zone_a, content, world.staff)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert summary["contacts"]["created"] == 4, summary["errors"]
    project = db.session.scalar(select(Project).where(Project.code == "P1"))
    assert project.last_contact_on == date(2024, 3, 5)
    assert not [u for u in updates if "last_contact_on" in u]   # set when the project was inserted
    # As if the day had been updated contact by contact: a step opens only on the project's
    # latest contact so far, and the later of two on the latest day wins.
    steps = {t.title: t.state for t in db.session.scalars(select(Task).where(Task.project_id == project.id))}
    if batch == 1:
        assert steps == {"下一步0": "done", "下一步3": "open"}
    else:
        assert steps == {"下一步3": "open"}
    db.session.rollback()
