"""Migration 0012 (the bulletin loop) on a database where the old one-click issue archived a month twice: every file
is kept, the first as the issue and the later one as its correction, so (year, month, revision)
is unique from then on."""
from datetime import date, datetime

import flask_migrate
import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestConfig


@pytest.fixture
def old_app(tmp_path):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.db'}"

    app = create_app(Config)
    with app.app_context():
        flask_migrate.upgrade(revision="0011")
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_month_issued_twice_becomes_an_issue_and_its_correction(old_app):
    insert = text("INSERT INTO report_archives (kind, year, month, as_of, issued_on, issued_at, issuer_name, "
                  "fingerprint, file_sha256, size, pdf) VALUES ('monthly', 2026, :month, :as_of, :on, :at, '投促局', "
                  ":fp, :fp, 4, :pdf)")
    with db.engine.begin() as conn:
        for month, at, fp in ((10, datetime(2026, 11, 2, 9), "a"), (10, datetime(2026, 11, 3, 9), "b"),
                              (9, datetime(2026, 10, 8, 9), "c")):
            conn.execute(insert, {"month": month, "as_of": date(2026, month, 28), "on": at.date(), "at": at,
                                  "fp": fp * 64, "pdf": b"%PDF"})
    flask_migrate.upgrade()
    rows = db.session.execute(text("SELECT id, month, revision, corrects_id, correction_note FROM report_archives "
                                   "ORDER BY month, revision")).all()
    assert [(r.month, r.revision) for r in rows] == [(9, 0), (10, 0), (10, 1)]
    assert rows[2].corrects_id == rows[1].id and rows[1].corrects_id is None and "重复签发" in rows[2].correction_note
    with pytest.raises(Exception):
        with db.engine.begin() as conn:
            conn.execute(insert.bindparams(month=10, as_of=date(2026, 10, 31), on=date(2026, 11, 4),
                                           at=datetime(2026, 11, 4), fp="d" * 64, pdf=b"%PDF"))
