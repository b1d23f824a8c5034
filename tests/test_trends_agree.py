"""The trend figures are the `progress --json` figures at each month end: the same builder,
checked through the command's own output."""
import json
import re
from datetime import date

from app.queries import trends

YEAR = 2024


def _data(world, make_project, log_contact):
    for month, zone, origin in ((2, world.zone_a, "CN"), (3, world.zone_c, "CN"), (5, world.zone_a, "HK"),
                                (5, world.zone_c, "CN"), (8, world.zone_a, "CN"), (11, world.zone_c, "JP")):
        project = make_project(zone, name=f"{zone.code}{month}月项目{origin}", investor=f"{month}{origin}{zone.code}投资方",
                               origin=origin, total_wan="1200000", capital_wan="6000", planned_on=date(YEAR, 1, 5),
                               key_level="municipal", is_industrial=True,
                               stages=[("signed", date(YEAR, month, 10)), ("started", date(YEAR, month, 20))],
                               today=date(YEAR, 12, 31))
        leader = world.leader if zone.id == world.zone_a.id else world.other_leader
        log_contact(project, [leader], date(YEAR, month, 12), today=date(YEAR, 12, 31))


def test_each_month_end_of_a_trend_is_progress_json_for_that_day(app, world, make_project, log_contact):
    _data(world, make_project, log_contact)
    months = trends.progress_by_month(YEAR, date(YEAR, 12, 31))
    assert [p.as_of for p in months] == trends.month_ends(YEAR, date(YEAR, 12, 31))
    by_zone = {z.id: trends.zone_trend(months, z.id) for z in (world.zone_a, world.zone_c)}
    city = {t.label: t for t in trends.city_trend(months)}
    runner = app.test_cli_runner()
    for index, as_of in enumerate(trends.month_ends(YEAR, date(YEAR, 12, 31))):
        result = runner.invoke(args=["progress", "--year", str(YEAR), "--as-of", as_of.isoformat(), "--json"])
        data = json.loads(result.output)
        for zone in data["zones"]:
            trend = by_zone[world.zone_a.id if zone["zone"] == "gxq" else world.zone_c.id]
            assert trend.ranks[index].rank == zone["rank_in_tier"] and trend.ranks[index].as_of == as_of
            for m, t in zip(zone["metrics"], trend.metrics):
                assert t.metric == m["metric"] and t.floor == m["floor"] and t.stretch == m["stretch"]
                assert (t.points[index].actual, t.points[index].on_pace) == (m["actual"], m["on_pace"]), (as_of, m)
        for metric, figures in data["city"].items():
            point = next(t for t in city.values() if t.city and t.metric == metric).points[index]
            assert point.actual == figures["actual"]
    # The figures move: a trend that stood still would prove nothing.
    assert [p.actual for p in by_zone[world.zone_a.id].metrics[2].points][::3] != [0, 0, 0, 0]


def test_month_ends_stop_at_the_as_of_date():
    assert trends.month_ends(YEAR, date(YEAR, 3, 15)) == [date(YEAR, 1, 31), date(YEAR, 2, 29), date(YEAR, 3, 15)]
    assert len(trends.month_ends(YEAR, date(YEAR + 1, 2, 1))) == 12
    assert trends.month_ends(YEAR, date(YEAR - 1, 12, 31)) == []


def test_the_charts_page_shows_the_city_month_by_month(client, world, login, make_project, log_contact):
    _data(world, make_project, log_contact)
    login(world.bureau)
    page = client.get(f"/review/charts?year={YEAR}&as_of={YEAR}-12-31").get_data(as_text=True)
    city = page.split('id="city-trends"')[1]
    assert "全市新开工工业项目" in city
    assert "各开发区引进内资项目合计" in city and city.count('<svg class="trend"') >= 6
    months = trends.progress_by_month(YEAR, date(YEAR, 12, 31))
    domestic = [sum(z.metric("domestic_projects").actual for z in p.zones) for p in months]
    figure = city[city.index("各开发区引进内资项目合计"):]
    row = figure.split('<th scope="row">完成</th>')[1].split("</tr>")[0]
    assert [int(n) for n in re.findall(r'<td class="num">(\d+)', row)] == domestic
