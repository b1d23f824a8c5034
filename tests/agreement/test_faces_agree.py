"""One figure, every face (issue 26): for the demo data and a generated province, at a month end,
30 June and today, every face that shows a zone's figures shows the ones `flask progress --json`
gives: the desk (HTML, its leaders tab and Excel), the zone page, the zone PDF, the bulletin
(preview PDF, the confirm page, the issued PDF, the issued page a zone reads) and the JSON API.

Each face is read back into one structure ({zone: {figure: text}}, tests/agreement/faces.py) and
compared at the precision the face prints; a disagreement names the face, the date, the zone,
the figure and both values. The bulletins exist for month ends only: today's date is compared
on the other faces (and on the bulletins too when today is a month's last day).

The data are loaded once per data set for the whole module (the demo by `flask demo-data`, the
province in bulk by bench/generate.py as `make bench` does) and removed after it.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import queue
from app.demo import DEMO_PASSWORD
from app.domain.pacing import one_decimal
from app.extensions import db
from app.models import BUREAU, LEADER, STAFF, ReportArchive, User, Zone
from app.services.reference import load_target_set
from app.services.tokens import create_token
from bench.generate import PASSWORD as BENCH_PASSWORD
from bench.generate import Scale, generate
from tests.agreement import faces as F

# A province small enough to run in seconds: tiers of 2, 8 and 30 zones (bench/generate.py).
PROVINCE = Scale(zones=40, leaders=120, projects=2_000, contacts=20_000)


def as_of_dates(today: date) -> list[date]:
    """A month end (the last one before today, not 30 June), 30 June (this year's, once past) and today."""
    june = date(today.year, 6, 30) if today > date(today.year, 6, 30) else date(today.year - 1, 6, 30)
    month_end = today.replace(day=1) - timedelta(days=1)
    if month_end == june:
        month_end = june.replace(day=1) - timedelta(days=1)
    return [month_end, june, today]


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


@dataclass
class World:
    """One data set, loaded, with signed-in clients and the bulletins issued for its month ends."""
    name: str
    app: object
    dates: list[date]
    names: dict[str, str]                   # zone code -> name
    zone_ids: dict[str, int]
    leader_names: dict[str, str]            # username -> name
    leader_ids: dict[int, str]              # user id -> name
    bureau: object = None
    token: str = ""
    zone_readers: dict[str, tuple[str, object]] = field(default_factory=dict)   # tier -> (zone code, client)
    confirm_pages: dict[date, str] = field(default_factory=dict)
    archives: dict[date, int] = field(default_factory=dict)
    references: dict[date, F.Reference] = field(default_factory=dict)

    @property
    def zone_codes(self) -> dict[int, str]:
        return {v: k for k, v in self.zone_ids.items()}

    def reference(self, as_of: date) -> F.Reference:
        if as_of not in self.references:
            result = self.app.test_cli_runner().invoke(
                args=["progress", "--json", "--year", str(as_of.year), "--as-of", as_of.isoformat()])
            assert result.exit_code == 0, result.output
            doc = json.loads(result.stdout)
            self.references[as_of] = F.reference(doc, self.names, self.leader_names)
        return self.references[as_of]

    def month_ends(self) -> list[date]:
        return [d for d in self.dates if is_month_end(d)]

    def sample(self, ref: F.Reference, per_tier: int) -> list[str]:
        """The zones a per-zone face is read for: the first (and with 2, the last) zone by code of
        each tier; a zone's PDF, with its whole ledger, takes a second or two."""
        out = []
        for tier in sorted({z.tier for z in ref.zones.values()}):
            codes = sorted(z.code for z in ref.zones.values() if z.tier == tier)
            out += sorted({codes[0], codes[-1]})[:per_tier]
        return out


def signed_in(app, username: str, password: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302 and "/login" not in response.headers["Location"], f"{username} cannot sign in"
    return client


def _period(as_of: date) -> str:
    return f"year={as_of.year}&as_of={as_of.isoformat()}"


@pytest.fixture(scope="module", params=["demo", "province"])
def world(request, app, today, emptied_database):
    queue.init_app(app)
    with app.app_context():
        if request.param == "demo":
            result = app.test_cli_runner().invoke(args=["demo-data", "--today", today.isoformat()])
            assert result.exit_code == 0 and "演示数据已载入" in result.output, result.output
            password = DEMO_PASSWORD
        else:
            generate(PROVINCE, today.year)
            password = BENCH_PASSWORD
        dates = as_of_dates(today)
        for year in {d.year for d in dates}:   # on 1 January the month end is last year's, whose targets a bureau has
            load_target_set(year)
        db.session.commit()
        zones = db.session.scalars(select(Zone).order_by(Zone.code)).all()
        leaders = db.session.scalars(select(User).where(User.role == LEADER)).all()
        w = World(request.param, app, dates, {z.code: z.name for z in zones},
                  {z.code: z.id for z in zones}, {u.username: u.name for u in leaders},
                  {u.id: u.name for u in leaders})
        bureau = db.session.scalars(select(User).where(User.role == BUREAU).order_by(User.id)).first()
        _, w.token = create_token(bureau, "一致性检查")
        db.session.commit()
        w.bureau = signed_in(app, bureau.username, password)
        for tier in ("A", "B", "C"):
            zone = next((z for z in zones if z.tier == tier), None)
            if zone is not None:
                staff = db.session.scalars(select(User).where(User.role == STAFF, User.zone_id == zone.id)
                                           .order_by(User.id)).first()
                w.zone_readers[tier] = (zone.code, signed_in(app, staff.username, password))
        # The month ends' bulletins, issued as the bureau issues them: confirm page, then issue.
        for as_of in sorted(w.month_ends()):
            query = f"year={as_of.year}&month={as_of.month}"
            page = w.bureau.get(f"/reports/monthly/issue?{query}").get_data(as_text=True)
            w.confirm_pages[as_of] = page
            fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page)[1]
            response = w.bureau.post("/reports/monthly/issue", data={
                "year": as_of.year, "month": as_of.month, "fingerprint": fingerprint, "confirmed": "1"})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
            w.archives[as_of] = db.session.scalar(select(ReportArchive.id).where(
                ReportArchive.year == as_of.year, ReportArchive.month == as_of.month))
        try:
            yield w
        finally:
            db.session.remove()
            emptied_database(db)


def agree(face: str, ref: F.Reference, want: F.Figures, shown: F.Figures, problems: list[str]) -> None:
    problems += F.differences(face, ref, want, shown)


def verdict(world: World, problems: list[str]) -> None:
    assert not problems, f"{world.name}: {len(problems)} figures differ:\n" + "\n".join(problems[:60])


# ---------------------------------------------------------------- the faces, one test each

def test_the_json_api_gives_what_progress_json_gives(world):
    """API: exact (amounts as the JSON's decimal strings), leaders by name."""
    problems = []
    for as_of in world.dates:
        ref = world.reference(as_of)
        response = world.app.test_client().get(f"/api/v1/progress?{_period(as_of)}",
                                               headers={"Authorization": f"Bearer {world.token}"})
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        api = F.reference(response.get_json(), world.names, world.leader_names)

        def exact(r):
            return F.expected(r, money=lambda v: v["current"], growth=lambda v: str(v["growth_pct"]), leaders=True,
                              score=one_decimal)
        agree("JSON API /api/v1/progress", ref, exact(ref), exact(api), problems)
    verdict(world, problems)


def test_the_desk_shows_the_same_figures(world):
    """Desk HTML: counts whole, 综合得分 to one decimal, amounts in 万 exact to the fen, growth to 0.01%."""
    problems = []
    for as_of in world.dates:
        ref = world.reference(as_of)
        page = world.bureau.get(f"/review/?{_period(as_of)}").get_data(as_text=True)
        want = F.expected(ref, score=one_decimal, money=F.wan_text, growth=F.growth_label)
        agree("desk HTML /review/", ref, want, F.read_desk(page, world.zone_codes, world.names), problems)
    verdict(world, problems)


def test_the_desks_leaders_tab_shows_the_same_counts(world):
    """The desk's leaders tab: each leader's count of distinct projects contacted."""
    problems = []
    for as_of in world.dates:
        ref = world.reference(as_of)
        page = world.bureau.get(f"/review/leaders?{_period(as_of)}").get_data(as_text=True)
        want = F.expected(ref, counts=False, rank=False, leaders=True)
        agree("desk leaders tab /review/leaders", ref, want,
              F.read_leaders_tab(page, world.zone_codes, world.leader_ids), problems)
    verdict(world, problems)


def test_the_desk_excel_gives_the_same_figures(world):
    """Excel of the desk: counts whole, 综合得分 to one decimal, amounts in 元 to the cent, growth as text."""
    problems = []
    for as_of in world.dates:
        ref = world.reference(as_of)
        response = world.bureau.get(f"/review/?{_period(as_of)}&format=xlsx")
        assert response.status_code == 200
        want = F.expected(ref, score=one_decimal, money=F.cents, growth=F.growth_label)
        agree("desk Excel", ref, want, F.read_desk_xlsx(response.data, world.names), problems)
    verdict(world, problems)


def test_the_zone_page_shows_the_same_figures(world):
    """Zone page: rank, 综合得分 to one decimal, counts, and each leader's count (it shows no amounts)."""
    problems = []
    for as_of in world.dates:
        ref = world.reference(as_of)
        for code in world.sample(ref, per_tier=2):
            page = world.bureau.get(f"/review/zones/{world.zone_ids[code]}?{_period(as_of)}").get_data(as_text=True)
            want = F.expected(ref, score=one_decimal, leaders=True, zones=[code])
            agree("zone page /review/zones/<id>", ref, want, F.read_zone_page(page, code, world.leader_ids), problems)
    verdict(world, problems)


def test_the_zone_pdf_shows_the_same_figures(world):
    """Zone PDF: rank, 综合得分 to one decimal, counts, amounts in 万
    exact to the fen with their growth, each leader's count."""
    problems = []
    for as_of in world.dates:
        ref = world.reference(as_of)
        for code in world.sample(ref, per_tier=1):
            response = world.bureau.get(f"/reports/zone/{world.zone_ids[code]}.pdf?{_period(as_of)}")
            assert response.status_code == 200
            want = F.expected(ref, score=one_decimal, money=F.wan_text, growth=F.growth_label, leaders=True,
                              zones=[code])
            agree("zone PDF /reports/zone/<id>.pdf", ref, want, F.read_zone_pdf(F.pdf_text(response.data), code),
                  problems)
    verdict(world, problems)


def _bulletin_expected(ref):
    """Bulletin PDF: rank, 综合得分 to one decimal (the ranking tables), counts, each leader's count,
    amounts in 万 exact to the fen with their growth (主要指标)."""
    return F.expected(ref, score=one_decimal, money=F.wan_text, growth=F.growth_label, leaders=True)


def test_the_bulletin_preview_shows_the_same_figures(world):
    problems = []
    for as_of in world.month_ends():
        ref = world.reference(as_of)
        response = world.bureau.get(f"/reports/monthly?year={as_of.year}&month={as_of.month}")
        assert response.status_code == 200
        agree("bulletin preview PDF /reports/monthly", ref, _bulletin_expected(ref),
              F.read_bulletin_pdf(F.pdf_text(response.data), ref, world.names), problems)
    verdict(world, problems)


def test_the_issued_bulletin_pdf_shows_the_same_figures(world):
    problems = []
    for as_of in world.month_ends():
        ref = world.reference(as_of)
        response = world.bureau.get(f"/reports/archive/{world.archives[as_of]}.pdf")
        assert response.status_code == 200
        agree("issued bulletin PDF /reports/archive/<id>.pdf", ref, _bulletin_expected(ref),
              F.read_bulletin_pdf(F.pdf_text(response.data), ref, world.names), problems)
    verdict(world, problems)


def test_the_issue_confirm_page_shows_the_same_ranking(world):
    """Confirm page before issuing: rank and 综合得分 to one decimal."""
    problems = []
    for as_of in world.month_ends():
        ref = world.reference(as_of)
        want = F.expected(ref, counts=False, score=one_decimal)
        agree("issue confirm page /reports/monthly/issue", ref, want,
              F.read_confirm_page(world.confirm_pages[as_of], world.names), problems)
    verdict(world, problems)


def test_the_issued_bulletin_page_a_zone_reads_shows_the_published_figures(world):
    """Issued bulletin page as a zone's staff reads it (按通报公布): its own tier's table and its own
    zone's section: rank, 综合得分 to one decimal, counts."""
    problems = []
    for as_of in world.month_ends():
        ref = world.reference(as_of)
        for tier, (code, client) in world.zone_readers.items():
            page = client.get(f"/reports/archive/{world.archives[as_of]}").get_data(as_text=True)
            want = F.expected(ref, score=one_decimal, zones=[z.code for z in ref.in_tier(tier)])
            agree(f"issued bulletin page /reports/archive/<id> read by {world.names[code]}", ref, want,
                  F.read_issued_page(page, world.names, code), problems)
    verdict(world, problems)
