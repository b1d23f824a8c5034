"""Migration 0014 (classifications) on the database the tests run on (SQLite, or PostgreSQL with TEST_DATABASE_URL):
the GB/T 4754 table and the synonyms are seeded, and the product's 12 old industry labels
become codes and tags, the label kept as the zone's wording."""
from datetime import date

import flask_migrate
from sqlalchemy import text

from app.domain import classifications as K

OLD = list(K.LEGACY_INDUSTRIES)


def test_old_labels_migrate_to_codes_and_tags(app, db, world):
    zone_id = world.zone_a.id
    db.session.commit()
    db.session.remove()
    flask_migrate.downgrade(revision="0013")
    try:
        with db.engine.begin() as conn:
            for n, (label, manufacturing) in enumerate([(label, m) for label in OLD for m in (False, True)]):
                conn.execute(text(
                    "INSERT INTO projects (zone_id, name, industry, is_manufacturing, is_industrial, is_foreign,"
                    " total_investment_currency, foreign_capital_currency, planned_on, responsible, note, stage,"
                    " entered_on, created_at, updated_at) VALUES (:zone, :name, :industry, :m, false, false, 'CNY',"
                    " 'USD', :day, '', '', 'lead', :day, :day, :day)"),
                    {"zone": zone_id, "name": f"项目{n}", "industry": label, "m": manufacturing, "day": date(2024, 1, 1)})
    finally:
        flask_migrate.upgrade()
    with db.engine.connect() as conn:
        rows = {(r.industry_was, r.is_manufacturing): (r.industry, r.industry_code, r.tags) for r in conn.execute(text(
            "SELECT p.name, p.industry, p.industry_code, p.tags, p.is_manufacturing, p.industry AS industry_was"
            " FROM projects p"))}
        assert conn.execute(text("SELECT count(*) FROM industries")).scalar() == 117
        assert conn.execute(text("SELECT count(*) FROM synonyms")).scalar() == len(K.SHIPPED_SYNONYMS)
    assert rows[("新能源", False)] == ("新能源", "D", "新能源产业")
    assert rows[("新能源", True)] == ("新能源", "38", "新能源产业")
    assert rows[("新一代信息技术", True)] == ("新一代信息技术", "39", "新一代信息技术产业")
    assert rows[("生物医药", False)] == ("生物医药", "27", "生物产业")
    assert rows[("现代食品", False)] == ("现代食品", "14", "现代食品")
    assert rows[("新能源汽车", False)] == ("新能源汽车", "36", "新能源汽车产业")
    assert rows[("", False)] == ("", None, "")      # 其他: no wording, no code
    assert rows[("", True)] == ("", "C", "")        # 其他 but manufacturing: section C
    assert len(rows) == 2 * len(OLD) - 0
