"""Migration 0026: bulletins issued before it get their published standings from the progress
JSON archived with them, scored by the desk's rule over counts and money (营业收入 here turns
the race round); the movement is measured against the previous month's bulletin in force when
each was issued; the zone's page then shows those figures. A downgrade drops them."""
from datetime import date, datetime
from types import SimpleNamespace

import flask_migrate
import sqlalchemy as sa
from sqlalchemy import select, text

from app.models import Zone

archives = sa.table("report_archives", *[sa.column(name) for name in (
    "kind", "year", "month", "revision", "correction_note", "as_of", "issued_on", "issued_at", "issuer_name",
    "fingerprint", "file_sha256", "size", "pdf")], sa.column("published", sa.JSON))


def revenue(actual: str, growth: str | None = None) -> list[dict]:
    return [{"metric": "operating_revenue", "measures": "amount", "currency": "CNY", "floor": "1000000000.00",
             "stretch": None, "actual": actual, "on_pace": True},
            {"metric": "operating_revenue_growth", "measures": "growth", "currency": "CNY", "floor": "10.00",
             "stretch": None, "actual": growth, "on_pace": growth is not None}]


def progress_json(month: int, ranks: dict[str, int], domestic: dict[str, int], money: bool = True) -> dict:
    zones = [{"zone": code, "tier": "A", "rank_in_tier": ranks[code], "metrics": [
        {"metric": "domestic_projects", "floor": 3, "stretch": 5, "actual": domestic[code], "on_pace": True}]}
        for code in ("gxq", "sjzjk")]
    zones.append({"zone": "zxjk", "tier": "C", "rank_in_tier": 1, "metrics": []})
    data = {"year": 2024, "as_of": f"2024-0{month}-28", "expected_share": 0.5, "leaders": [], "zones": zones,
            "city": {}}
    if money:
        data["zone_values"] = [{"zone": "gxq", "values": revenue("1200000000.00", "12.50")},
                               {"zone": "sjzjk", "values": revenue("6000000.00")}]
    return data


def test_issued_bulletins_get_the_standings_they_published(app, world, db, client, login):
    db.session.add(Zone(code="sjzjk", name="石家庄经开区", tier="A", county="栾城区", kind="经开区", level="国家级"))
    db.session.commit()
    leader, leader_id = SimpleNamespace(username=world.leader.username), world.leader.id
    db.session.remove()
    flask_migrate.downgrade(revision="0025")
    issues = [  # (month, revision, issued at, JSON)
        (4, 0, datetime(2024, 5, 3), None),                                                     # before JSON was kept
        (5, 0, datetime(2024, 6, 3), progress_json(5, {"gxq": 2, "sjzjk": 1}, {"gxq": 0, "sjzjk": 2}, money=False)),
        (6, 0, datetime(2024, 7, 2), progress_json(6, {"gxq": 1, "sjzjk": 2}, {"gxq": 1, "sjzjk": 2})),
        (5, 1, datetime(2024, 7, 9), progress_json(5, {"gxq": 1, "sjzjk": 2}, {"gxq": 1, "sjzjk": 1}, money=False)),
    ]
    with db.engine.begin() as conn:
        for month, revision, at, data in issues:
            conn.execute(archives.insert().values(
                kind="monthly", year=2024, month=month, revision=revision, correction_note="更正" if revision else "",
                as_of=date(2024, month, 28), issued_on=at.date(), issued_at=at, issuer_name="投促局",
                fingerprint="f" * 64, file_sha256="f" * 64, size=4, pdf=b"%PDF", published=data))
        # A bulletin already read: its receipt points at report_archives, which the upgrade must keep.
        first = conn.execute(text("SELECT min(id) FROM report_archives")).scalar()
        conn.execute(text("INSERT INTO bulletin_reads (archive_id, user_id, first_read_at, last_read_at, reads) "
                          "VALUES (:a, :u, :t, :t, 1)"), {"a": first, "u": leader_id, "t": datetime(2024, 5, 4)})
    flask_migrate.upgrade()

    ids = {(m, r): i for i, m, r in db.session.execute(text("SELECT id, month, revision FROM report_archives"))}
    rows = db.session.execute(text(
        "SELECT a.month, a.revision, z.code, s.tier, s.score, s.rank, s.previous_rank FROM bulletin_standings s "
        "JOIN report_archives a ON a.id = s.archive_id JOIN zones z ON z.id = s.zone_id "
        "ORDER BY a.issued_at, s.tier, s.rank")).all()
    assert [tuple(r) for r in rows] == [
        # May, counts only (no money in the ranking then): 1/3 and 2/3 of the floor, the first of the year.
        (5, 0, "sjzjk", "A", "200/3", 1, None), (5, 0, "gxq", "A", "0", 2, None), (5, 0, "zxjk", "C", "0", 1, None),
        # June with 营业收入 (12亿 of 10亿: 100%; growth rates are not scored): 高新区 (1/3 + 1) / 2,
        # 经开区 (2/3 + 0.006) / 2; against May as it stood on 2 July (the correction came later).
        (6, 0, "gxq", "A", "200/3", 1, 2), (6, 0, "sjzjk", "A", "1009/30", 2, 1), (6, 0, "zxjk", "C", "0", 1, 1),
        (5, 1, "gxq", "A", "100/3", 1, None), (5, 1, "sjzjk", "A", "100/3", 2, None),
        (5, 1, "zxjk", "C", "0", 1, None),
    ]
    previous = dict(db.session.execute(text("SELECT id, previous_id FROM report_archives")).all())
    assert previous[ids[(6, 0)]] == ids[(5, 0)] and previous[ids[(5, 0)]] == ids[(4, 0)]

    login(leader)
    page = client.get(f"/reports/archive/{ids[(6, 0)]}").get_data(as_text=True)
    own = page[page.index('id="own-zone"'):]
    assert "在A类开发区中排名 <strong>第1名</strong>（共 2 个），综合得分 66.7；" in own and "进1位" in own
    assert "营业收入" in own and "120,000.00万元" in own and "100,000.00万元" in own and "12.50%" in own
    page = client.get(f"/reports/archive/{ids[(4, 0)]}").get_data(as_text=True)
    assert "本期通报签发于系统记录公布排名之前" in page

    db.session.remove()
    flask_migrate.downgrade(revision="0025")
    with db.engine.connect() as conn:
        assert "bulletin_standings" not in sa.inspect(conn).get_table_names()
        assert "previous_id" not in {c["name"] for c in sa.inspect(conn).get_columns("report_archives")}
    flask_migrate.upgrade()
    assert db.session.scalar(select(sa.func.count()).select_from(sa.table("bulletin_standings"))) == 9
