"""The nation's desk, paged by province: zones know their province (所属省份); when they span
more than one, the bureau's desk opens on a province index and each province's page is the
desk for its zones only, ranked within tier inside the province. A single-city install (every
zone blank, or all in one province) sees the desk it always had."""
import io
import re

import pytest
from openpyxl import load_workbook

from app.models import LEADER, STAFF, AuditEvent, User, Zone


@pytest.fixture
def nation(db, world, password_hash):
    """The world's two zones in two provinces, and a third zone (tier C) beside 石家庄高新区 in 河北省."""
    world.zone_a.province = "河北省"
    world.zone_c.province = "山西省"
    world.zone_h = Zone(code="gcjk", name="藁城经开区", tier="C", province="河北省", county="藁城区",
                        kind="经开区", level="省级")
    db.session.add(world.zone_h)
    world.leader_h = User(username="leader_h", name="周敏", role=LEADER, zone=world.zone_h,
                          password_hash=password_hash)
    db.session.add(world.leader_h)
    db.session.commit()
    return world


@pytest.fixture
def desk(today):
    def make(client, **args):
        query = "&".join(f"{k}={v}" for k, v in {"year": today.year, "as_of": today.isoformat(), **args}.items())
        response = client.get(f"/review/?{query}")
        return response.status_code, response.get_data(as_text=True)
    return make


def province_row(page, name):
    return page.split(f">{name}</a>")[1].split("</tr>")[0]


def quota_cell(row):
    return re.search(r'<td class="metric[^"]*">(\d+) / (\d+)', row).groups()


def test_zones_without_provinces_see_the_desk_they_always_had(client, world, login, desk):
    login(world.bureau)
    status, page = desk(client)
    assert status == 200 and "C类开发区赛马排名" in page and "石家庄高新区" in page and "赵县经开区" in page
    assert "各省份概况" not in page and "全国各省份" not in page


def test_zones_all_in_one_province_see_one_desk(client, world, login, db, desk):
    world.zone_a.province = world.zone_c.province = "河北省"
    db.session.commit()
    login(world.bureau)
    status, page = desk(client)
    assert status == 200 and "石家庄高新区" in page and "赵县经开区" in page and "各省份概况" not in page


def test_the_national_desk_opens_on_one_row_per_province(client, nation, login, make_project, log_contact, today, desk):
    project = make_project(nation.zone_a, stages=[("signed", today)])
    log_contact(project, [nation.leader], today)
    login(nation.bureau)
    status, page = desk(client)
    assert status == 200 and "各省份概况" in page
    assert "类开发区赛马排名" not in page and "石家庄高新区" not in page   # no zone rows: those are on each province's page
    hebei, shanxi = province_row(page, "河北省"), province_row(page, "山西省")
    cells = lambda row: re.findall(r'<td class="num">(\d+)</td>', row)   # noqa: E731
    assert cells(hebei) == ["2", "3", "1"]        # zones, leaders (张伟, 李娜, 周敏), signed this year
    assert "1 / 0 / 1" in hebei                   # tiers A / B / C
    assert cells(shanxi) == ["1", "1", "0"]
    assert quota_cell(hebei) == ("1", str(100 * 2 + 50))   # contacted / quotas of two A leaders and one C
    assert f'href="/review/?province=%E6%B2%B3%E5%8C%97%E7%9C%81&amp;year={today.year}' in page


def test_a_province_page_is_the_desk_for_its_zones_ranked_within_the_province(client, nation, login,
                                                                              make_project, today, desk):
    # 赵县经开区 (山西省 here) signs a foreign project and would rank first among C zones nationally;
    # within 河北省, 藁城经开区 is the only C zone and ranks first.
    make_project(nation.zone_c, name="外资项目", investor="香港新元投资有限公司", origin="HK", capital_wan="100",
                 stages=[("signed", today)])
    login(nation.bureau)
    status, page = desk(client, province="河北省")
    assert status == 200 and f"{today.year}年河北省开发区招商引资进度" in page
    assert "石家庄高新区" in page and "藁城经开区" in page and "赵县经开区" not in page
    c_table = page.split("C类开发区赛马排名")[1].split("</table>")[0]
    assert re.search(r'<td class="num">1</td>\s*<td class="nowrap"><a [^>]*>藁城经开区</a>', c_table)
    assert "全国各省份" in page and "本省" in page and "全市" not in page.split("导出 Excel")[0].split("</h1>")[1]
    _, shanxi = desk(client, province="山西省")
    assert "赵县经开区" in shanxi and "石家庄高新区" not in shanxi and "藁城经开区" not in shanxi


def test_an_unknown_province_is_not_found(client, nation, login, desk):
    login(nation.bureau)
    assert desk(client, province="火星省")[0] == 404


def test_a_write_shows_on_the_province_page_and_the_index_at_once(client, nation, login, make_project,
                                                                   log_contact, today, desk):
    project = make_project(nation.zone_h, name="藁城项目", investor="藁城投资方")
    login(nation.bureau)
    _, before = desk(client, province="河北省")
    _, index_before = desk(client)
    assert quota_cell(province_row(index_before, "河北省")) == ("0", "250")
    log_contact(project, [nation.leader_h], today)
    _, after = desk(client, province="河北省")
    _, index_after = desk(client)
    assert before != after
    assert quota_cell(province_row(index_after, "河北省")) == ("1", "250")
    c_table = after.split("C类开发区赛马排名")[1].split("</table>")[0]
    assert re.search(r'leader_contacts\?[^"]*">1</a> / 50', c_table)


@pytest.mark.parametrize("province", [None, "河北省"])
def test_the_index_and_a_province_page_do_not_grow_with_rows(client, nation, login, make_project, log_contact,
                                                              count_queries, province, today, desk):
    login(nation.bureau)

    def queries():
        with count_queries() as counter:
            status, _ = desk(client, **({} if province is None else {"province": province}))
            assert status == 200
        return counter.count

    def grow(first, last):
        for n in range(first, last):
            zone, leader = [(nation.zone_a, nation.leader), (nation.zone_h, nation.leader_h),
                            (nation.zone_c, nation.other_leader)][n % 3]
            project = make_project(zone, name=f"项目{n}", investor=f"投资方{n}", stages=[("signed", today)])
            log_contact(project, [leader], today)

    grow(0, 3)
    few = queries()
    grow(3, 24)
    assert queries() == few


def test_the_export_and_flask_progress_take_the_province(app, client, nation, login, today):
    login(nation.bureau)
    response = client.get(f"/review/?year={today.year}&province=河北省&format=xlsx")
    assert response.status_code == 200
    names = {c.value for ws in load_workbook(io.BytesIO(response.data)).worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, str)}
    assert "石家庄高新区" in names and "藁城经开区" in names and "赵县经开区" not in names

    out = app.test_cli_runner().invoke(args=["progress", "--year", str(today.year), "--province", "山西省"]).output
    assert "赵县经开区" in out and "石家庄高新区" not in out and "[C类第1名] 赵县经开区" in out
    failed = app.test_cli_runner().invoke(args=["progress", "--province", "火星省"])
    assert failed.exit_code == 2 and "没有所属省份为“火星省”的开发区" in failed.output


def test_admin_sets_a_zones_province_and_the_change_is_audited(client, world, login, db, today):
    login(world.admin)
    page = client.get(f"/admin/zones/{world.zone_c.id}").get_data(as_text=True)
    assert "所属省份" in page
    response = client.post(f"/admin/zones/{world.zone_c.id}", data={
        "code": "zxjk", "name": "赵县经开区", "province": " 山西省 ", "county": "测试县", "kind": "经开区",
        "level": "省级", "tier": "C", "effective_year": today.year})
    assert response.status_code == 302
    assert db.session.get(Zone, world.zone_c.id).province == "山西省"
    event = db.session.query(AuditEvent).filter_by(entity="zone", action="update").one()
    assert event.before == {"province": ""} and event.after == {"province": "山西省"}


def test_the_health_check_answers_anonymously_without_data(client, world):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "正常\n"
    assert response.mimetype == "text/plain" and "Set-Cookie" not in response.headers


def test_the_health_check_says_when_the_database_does_not_answer(client, world, monkeypatch):
    from app.extensions import db

    def broken(*args, **kwargs):
        raise RuntimeError("connection refused")
    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and "数据库无响应" in response.get_data(as_text=True)


def test_staff_see_their_zone_ranked_within_its_province(client, db, nation, login, make_project, today):
    # Nationally 赵县经开区 (山西省) outranks 藁城经开区 among C zones; within 河北省 藁城 is first.
    make_project(nation.zone_c, name="外资项目", investor="香港新元投资有限公司", origin="HK", capital_wan="100",
                 stages=[("signed", today)])
    staff_h = User(username="staff_h", name="吴刚", role=STAFF, zone=nation.zone_h,
                   password_hash=nation.staff.password_hash)
    db.session.add(staff_h)
    db.session.commit()
    login(staff_h)
    page = client.get("/").get_data(as_text=True)
    assert "藁城经开区" in page and "类内第 1 名" in page


def test_the_zone_page_ranks_the_zone_within_its_province(client, nation, login, make_project, today):
    make_project(nation.zone_c, name="外资项目", investor="香港新元投资有限公司", origin="HK", capital_wan="100",
                 stages=[("signed", today)])
    login(nation.bureau)
    page = client.get(f"/review/zones/{nation.zone_h.id}?year={today.year}").get_data(as_text=True)
    assert '<strong class="rank-now">第1名</strong>（共 1 个）' in page   # the only C zone in 河北省
    quota = client.get(f"/review/zones/{nation.zone_h.id}/leader_contacts?year={today.year}")
    assert quota.status_code == 200 and "周敏" in quota.get_data(as_text=True)


def test_each_index_row_agrees_with_its_province_page(app, nation, make_project, log_contact, today):
    from app.queries.progress import compute_progress
    from app.queries.provinces import compute_province_index
    leaders = [(nation.zone_a, nation.leader), (nation.zone_a, nation.leader2), (nation.zone_h, nation.leader_h),
               (nation.zone_c, nation.other_leader)]
    for n in range(12):
        zone, leader = leaders[n % 4]
        project = make_project(zone, name=f"项目{n}", investor=f"投资方{n}",
                               stages=[("signed", today)] if n % 3 == 0 else ())
        log_contact(project, [leader], today)
    index = compute_province_index(today.year, today)
    for row in index.rows:
        progress = compute_progress(today.year, today, row.province)
        quota = [z.metric("leader_contacts") for z in progress.zones]
        assert (row.contacted, row.quota) == (sum(m.actual for m in quota), sum(m.floor for m in quota))
        assert row.zones == len(progress.zones) and row.leaders == len(progress.leaders)


def test_the_admin_zone_list_shows_provinces_only_when_zones_have_them(client, world, login, db):
    login(world.admin)
    assert "<th>所属省份</th>" not in client.get("/admin/").get_data(as_text=True)
    world.zone_c.province = "山西省"
    db.session.commit()
    page = client.get("/admin/").get_data(as_text=True)
    assert "<th>所属省份</th>" in page and "<td>山西省</td>" in page
