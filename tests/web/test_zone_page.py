"""The zone page (targets, pace and forecast, rank by month, leaders, trends, watch items, the
zone report), linked from the desk; drill-downs lead back to the desk and show the as-of date's
stages and dates."""
import re
from datetime import date

YEAR = 2024


def _signed(world, make_project, name, signed, started=None, zone=None):
    stages = [("signed", signed)] + ([("started", started)] if started else [])
    return make_project(zone or world.zone_a, name=name, investor=f"{name}投资方", total_wan="1200000",
                        planned_on=date(YEAR, 1, 10), stages=stages, today=date(YEAR, 12, 31))


def test_the_bureau_opens_a_zone_from_the_desk(client, world, login, make_project):
    _signed(world, make_project, "整车项目", date(YEAR, 2, 10))
    _signed(world, make_project, "电池项目", date(YEAR, 5, 10))
    login(world.bureau)
    desk = client.get(f"/review/?year={YEAR}&as_of={YEAR}-06-30").get_data(as_text=True)
    link = f"/review/zones/{world.zone_a.id}?year={YEAR}&amp;as_of={YEAR}-06-30"
    assert f'<a href="{link}">石家庄高新区</a>' in desk
    page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'aria-label="位置"' in page and f'href="/review/?year={YEAR}&amp;as_of={YEAR}-06-30">进度总览' in page
    assert "石家庄高新区 2024年招商引资进展" in page and "A类开发区中排名" in page
    # Targets and pace, with the forecast: 2 domestic projects by 30 June -> 4 by 31 December.
    row = page.split("引进内资项目")[1].split("</tr>")[0]
    assert "<strong>2</strong></a> / 3" in row and "4.0（可完成）" in row and "已完成下限" not in row
    assert "预计全年 = 已完成数 ÷ 序时进度" in page
    # Rank by month, leaders, one trend chart per metric with its table, the zone report.
    assert page.count('<svg class="trend"') == 5 and page.count("<th scope=\"row\">完成</th>") == 5
    assert re.search(r"<th class=\"num\">6月</th>", page) and "张伟" in page and "李娜" in page
    assert f"/reports/zone/{world.zone_a.id}.pdf?year={YEAR}&amp;as_of={YEAR}-06-30" in page


def test_zone_people_see_their_own_zone_page_only(client, world, login):
    login(world.leader)
    assert client.get(f"/review/zones/{world.zone_a.id}?year={YEAR}").status_code == 200
    assert client.get(f"/review/zones/{world.zone_c.id}?year={YEAR}").status_code == 404
    page = client.get(f"/review/zones/{world.zone_a.id}?year={YEAR}").get_data(as_text=True)
    assert '<a href="/">首页</a>' in page


def test_a_drill_down_at_a_past_date_shows_that_dates_stages(client, world, login, make_project):
    _signed(world, make_project, "整车项目", date(YEAR, 3, 10), started=date(YEAR, 8, 1))
    login(world.bureau)
    page = client.get(f"/review/zones/{world.zone_a.id}/domestic_projects?year={YEAR}&as_of={YEAR}-06-30")
    text = page.get_data(as_text=True)
    assert "整车项目" in text and '<span class="stage stage-signed">签约</span>' in text
    assert "stage-started" not in text and f"{YEAR}-08-01" not in text and f"{YEAR}-03-10" in text
    assert "进度总览</a>" in text and f'/review/zones/{world.zone_a.id}?year={YEAR}' in text
    later = client.get(f"/review/zones/{world.zone_a.id}/domestic_projects?year={YEAR}&as_of={YEAR}-09-30")
    assert "stage-started" in later.get_data(as_text=True) and f"{YEAR}-08-01" in later.get_data(as_text=True)
    leader = client.get(f"/review/leaders/{world.leader.id}?year={YEAR}&as_of={YEAR}-06-30").get_data(as_text=True)
    assert "进度总览</a>" in leader and "石家庄高新区</a>" in leader


def test_the_desk_shows_the_forecast(client, world, login, make_project):
    _signed(world, make_project, "整车项目", date(YEAR, 2, 10))
    _signed(world, make_project, "电池项目", date(YEAR, 5, 10))
    login(world.bureau)
    desk = client.get(f"/review/?year={YEAR}&as_of={YEAR}-06-30").get_data(as_text=True)
    row = desk.split(f'zones/{world.zone_a.id}?')[1].split("</tr>")[0]
    cell = row.split("/domestic_projects?")[1].split("</td>")[0]
    assert "预计全年 4.0" in cell and "预测口径" in desk
    assert "按目前速度预计全年 0.0 个，尚需每月" in desk                    # the city's new starts: none yet
