"""One scorer, one published record (issue 26): a bulletin's score, rank and movement are
computed once at issue time by the ranking rule the desk uses, over every metric with a target
(counts and money), and stored with it. The zone's bulletin page, the PDF, the zone's
notification and the API all say what the desk said when it was issued; later data do not move
them; a correction (更正) publishes its own."""
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain import metrics as M
from app.domain import ranking
from app.domain.money import parse_amount
from app.domain.pacing import one_decimal
from app.models import LEADER, Notification, ReportArchive, User, Zone
from app.queries.progress import build_progress
from app.services.funds import MonthlyInput, report_month
from app.services.reference import add_target

YEAR = 2024
JUNE_END = date(YEAR, 6, 30)
REPORTED_ON = date(YEAR, 7, 1)


@pytest.fixture
def race(world, make_project, db, password_hash):
    """Tier A: 石家庄经开区 is ahead on projects, 石家庄高新区 on operating revenue (营业收入,
    a yearly target of 10亿元), so the money indicator decides who ranks first."""
    jk = Zone(code="sjzjk", name="石家庄经开区", tier="A", county="栾城区", kind="经开区", level="国家级")
    db.session.add_all([jk, User(username="jk1", name="周敏", role=LEADER, zone=jk, password_hash=password_hash)])
    add_target(YEAR, "A", M.REVENUE, None).floor_value = Decimal("1000000000.00")
    db.session.commit()
    for n, signed in enumerate((date(YEAR, 3, 2), date(YEAR, 5, 9))):
        make_project(jk, name=f"经开区项目{n + 1}", investor=f"经开区投资方{n + 1}", total_wan="1200000",
                     planned_on=date(YEAR, 1, 10), stages=[("signed", signed)], today=REPORTED_ON)
    make_project(world.zone_a, name="高新区项目", investor="高新区投资方", total_wan="1200000",
                 planned_on=date(YEAR, 1, 10), stages=[("signed", date(YEAR, 4, 1))], today=REPORTED_ON)
    for month in range(1, 7):
        report_month(MonthlyInput(world.zone_a.id, YEAR, month, parse_amount("20000", "万元"), None), None, REPORTED_ON)
        report_month(MonthlyInput(jk.id, YEAR, month, parse_amount("100", "万元"), None), None, REPORTED_ON)
    db.session.commit()
    world.zone_jk = jk
    world.jk_leader = db.session.scalar(select(User).where(User.username == "jk1"))
    return world


def desk_figures(as_of=JUNE_END) -> dict[str, tuple[int, str]]:
    """zone code -> (rank in tier, score to one decimal) as the desk computes them live."""
    return {z.code: (z.rank_in_tier, one_decimal(z.score)) for z in build_progress(YEAR, as_of).zones}


def issue(client, month, note=""):
    page = client.get(f"/reports/monthly/issue?year={YEAR}&month={month}").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page)[1]
    client.post("/reports/monthly/issue", data={"year": YEAR, "month": month, "fingerprint": fingerprint,
                                                 "correction_note": note, "confirmed": "1"})
    return ReportArchive.query.filter_by(year=YEAR, month=month).order_by(ReportArchive.revision.desc()).first()


def page_figures(client, archive) -> dict[str, tuple[int, str]]:
    """zone name -> (rank, score) read from the tier tables of the bulletin's page."""
    page = client.get(f"/reports/archive/{archive.id}").get_data(as_text=True)
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<td class="nowrap">([^<（]+)(?:（本区）)?</td>\s*'
                      r'<td class="num">([\d.]+)</td>', page)
    return {name: (int(rank), score) for rank, name, score in rows}


def pdf_figures(pdf, archive) -> dict[str, tuple[int, str]]:
    """zone name -> (rank, score) read back from the PDF's 赛马 tables with pdftotext."""
    text = pdf.text(archive.pdf).split("二、开发区赛马排名", 1)[1].split("三、领导对接任务完成情况", 1)[0]
    rows = re.findall(r"^\s*(\d+)\s+(石家庄高新区|石家庄经开区|赵县经开区)\s+([\d.]+)\s", text, re.M)
    return {name: (int(rank), score) for rank, name, score in rows}


def api_figures(api, archive) -> dict[str, tuple[int, str]]:
    body = api.get(f"/bulletins/{archive.id}").json
    return {s["zone"]["name"]: (s["rank_in_tier"], s["score"]) for s in body["standings"]}


def by_name(world, figures_by_code):
    names = {world.zone_a.code: "石家庄高新区", world.zone_jk.code: "石家庄经开区", world.zone_c.code: "赵县经开区"}
    return {names[code]: figure for code, figure in figures_by_code.items()}


def test_the_money_indicators_decide_the_race_in_this_world(race):
    progress = build_progress(YEAR, JUNE_END)
    gx, jk = progress.zone(race.zone_a.id), progress.zone(race.zone_jk.id)
    counts_only = {z.code: ranking.score([r for r in z.results() if r.metric != M.REVENUE]) for z in (gx, jk)}
    assert counts_only[jk.code] > counts_only[gx.code]          # on projects alone 经开区 leads
    assert (gx.rank_in_tier, jk.rank_in_tier) == (1, 2)          # with 营业收入 高新区 does


def test_every_face_of_an_issued_bulletin_says_what_the_desk_said(client, login, race, db, pdf, api_as):
    desk = by_name(race, desk_figures())
    login(race.bureau)
    june = issue(client, 6)
    assert june is not None and june.revision == 0

    assert page_figures(client, june) == desk
    assert pdf_figures(pdf, june) == desk
    assert api_figures(api_as(race.bureau), june) == desk

    rank, score = desk["石家庄高新区"]
    login(race.leader)
    page = client.get(f"/reports/archive/{june.id}").get_data(as_text=True)
    own = page[page.index('id="own-zone"'):]
    assert f"在A类开发区中排名 <strong>第{rank}名</strong>（共 2 个），综合得分 {score}；" in own
    assert "营业收入" in own and "120,000.00万元" in own          # the money behind the score, as issued
    note = db.session.scalar(select(Notification).where(Notification.user_id == race.leader.id,
                                                        Notification.key == f"bulletin:{june.id}"))
    assert f"本区在A类开发区中排名第{rank}名，综合得分{score}分" in note.body
    jk_rank, jk_score = desk["石家庄经开区"]
    note = db.session.scalar(select(Notification).where(Notification.user_id == race.jk_leader.id,
                                                        Notification.key == f"bulletin:{june.id}"))
    assert f"本区在A类开发区中排名第{jk_rank}名，综合得分{jk_score}分" in note.body
    # A zone's API token sees its own tier, as its page does.
    assert api_figures(api_as(race.leader), june) == {k: v for k, v in desk.items() if k != "赵县经开区"}


def test_later_data_do_not_move_the_published_figures_and_a_correction_publishes_its_own(
        client, login, race, db, pdf, api_as, make_project):
    login(race.bureau)
    june = issue(client, 6)
    published = by_name(race, desk_figures())

    # June's data change after issue: 经开区 signs a third project dated in June.
    make_project(race.zone_jk, name="经开区项目3", investor="经开区投资方3", total_wan="1200000",
                 planned_on=date(YEAR, 1, 10), stages=[("signed", date(YEAR, 6, 20))], today=REPORTED_ON)
    now = by_name(race, desk_figures())
    assert now != published
    for face in (page_figures(client, june), pdf_figures(pdf, june), api_figures(api_as(race.bureau), june)):
        assert face == published

    correction = issue(client, 6, note="补录经开区6月20日签约项目")
    assert correction.revision == 1 and correction.corrects_id == june.id
    for face in (page_figures(client, correction), pdf_figures(pdf, correction),
                 api_figures(api_as(race.bureau), correction)):
        assert face == now
    assert page_figures(client, june) == published                 # the original stays as issued
    body = api_as(race.bureau).get(f"/bulletins/{june.id}").json
    assert body["superseded"] is True


def test_movement_is_measured_once_against_the_bulletin_in_force_at_issue(client, login, race, api_as,
                                                                           make_project):
    login(race.bureau)
    may = issue(client, 5)
    june = issue(client, 6)
    api = api_as(race.bureau)
    standing = {s["zone"]["code"]: s for s in api.get(f"/bulletins/{june.id}").json["standings"]}
    may_ranks = {s["zone"]["code"]: s["rank_in_tier"] for s in api.get(f"/bulletins/{may.id}").json["standings"]}
    for code, s in standing.items():
        assert s["previous_rank"] == may_ranks[code]
        assert s["movement"] == may_ranks[code] - s["rank_in_tier"]
    assert api.get(f"/bulletins/{june.id}").json["compared_with"] == may.issue_label

    # A later correction of May does not rewrite what June published about its movement.
    make_project(race.zone_a, name="高新区补录项目", investor="补录投资方", total_wan="1200000",
                 planned_on=date(YEAR, 1, 10), stages=[("signed", date(YEAR, 5, 30))], today=REPORTED_ON)
    issue(client, 5, note="补录高新区5月30日签约项目")
    again = {s["zone"]["code"]: s for s in api.get(f"/bulletins/{june.id}").json["standings"]}
    assert again == standing
