"""On PostgreSQL a batch is written with COPY (app/database.py insert_rows): the rows, their
defaults, amounts in cents, the audit records' JSON and the quota summary's triggers come out
as an INSERT makes them, and the data version moves."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import data_version, database
from app.models import AuditEvent, Contact, LeaderMonth, LeaderProject, Project, StageChange
from tests.imports.conftest import contact_row, ledger_file, project_row


@pytest.mark.only_on("postgresql")  # COPY is PostgreSQL's
def test_a_batch_through_copy_reads_back_as_inserted(world, db, run_import, monkeypatch, today):
    monkeypatch.setattr(database, "COPY_FROM", 1)
    before = data_version.current(db.session)
    signed = today.replace(day=1).isoformat()
    content = ledger_file(
        [project_row(code=f"C{i}", name=f"复制项目{i}", total="1,234.56", stage="签约", signed_on=signed,
                     leader="张伟") for i in range(3)],
        [contact_row(name=f"复制项目{i}", occurred_on=today.isoformat(), leaders="张伟") for i in range(3)])
    summary = run_import(world.zone_a, content, user=world.staff)
    assert summary["totals"]["created"] == 6
    projects = db.session.scalars(select(Project).order_by(Project.code)).all()
    assert [p.name for p in projects] == ["复制项目0", "复制项目1", "复制项目2"]
    p = projects[0]
    assert p.total_investment == Decimal("12345600") and p.total_investment_currency == "CNY"   # 万元
    assert p.stage == "signed" and p.signed_on.isoformat() == signed and p.created_at is not None
    assert (p.industry, p.industry_code, p.note, p.is_foreign) == ("", None, "", False)   # no 所属行业 given
    assert db.session.scalar(select(func.count()).select_from(StageChange)) >= 3
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 3
    assert db.session.scalar(select(func.count()).select_from(LeaderProject)) == 3
    assert db.session.scalar(select(func.sum(LeaderMonth.projects))) == 3       # the triggers fired
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "create",
                                                          AuditEvent.entity == "project")).all()
    assert len(created) == 3 and created[0].after["name"].startswith("复制项目") and created[0].occurred_at
    assert data_version.current(db.session)[1] > (before[1] if before else 0)
