"""Small things a user sees daily (issue 15): the quota detail newest first, no API 令牌 link for
leaders, the leader home's <h1>, a readable 终止 badge, and a year without targets said so on
every page that shows targets and in `flask progress`."""
import re
from datetime import date

import pytest

from app.cli import progress_command


def test_the_quota_detail_lists_the_newest_first_contact_first(client, world, login, make_project, log_contact, today):
    year_end = date(today.year, 12, 31)
    for n in range(3):
        p = make_project(world.zone_a, name=f"对接项目{n}", investor=f"投资方{n}", today=year_end)
        log_contact(p, [world.leader], date(today.year, 1, 10 + n), today=year_end)
    login(world.bureau)
    url = f"/review/leaders/{world.leader.id}?year={today.year}&as_of={year_end.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    assert page.index("对接项目2") < page.index("对接项目1") < page.index("对接项目0")


def test_leaders_do_not_see_api_tokens_in_the_header_but_staff_do(client, world, login):
    login(world.leader)
    page = client.get("/").get_data(as_text=True)
    assert "API 令牌" not in page
    login(world.staff)
    assert "API 令牌" in client.get("/").get_data(as_text=True)


def test_the_leader_home_has_one_h1(client, world, login, today):
    login(world.leader)
    page = client.get("/").get_data(as_text=True)
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert f"{today.year}年对接任务</h1>" in page


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_dropped_badge_meets_wcag_aa_on_the_card_and_the_page_background():
    from pathlib import Path
    css = Path(__file__).resolve().parents[2].joinpath("app/static/css/app.css").read_text()
    colour = re.search(r"\.stage-dropped \{ color: (#[0-9a-fA-F]{6})", css).group(1)
    background = re.search(r"--bg: (#[0-9a-fA-F]{6})", css).group(1)
    assert _contrast(colour, "#ffffff") >= 4.5 and _contrast(colour, background) >= 4.5


@pytest.mark.parametrize("who, url", [
    ("bureau", "/review/?year={y}"), ("bureau", "/review/leaders?year={y}"),
    ("bureau", "/review/charts?year={y}"), ("bureau", "/review/watch?year={y}"),
    ("leader", "/"), ("staff", "/"),
])
def test_a_year_without_targets_says_so_on_every_page_that_shows_targets(client, world, login, db, who, url, today):
    from app.models import Target
    db.session.query(Target).filter(Target.year == today.year).delete()
    db.session.commit()
    login(getattr(world, who))
    response = client.get(url.format(y=today.year))
    assert response.status_code == 200
    assert f"{today.year}年度目标尚未设置" in response.get_data(as_text=True)


def test_a_year_with_targets_says_nothing_of_the_kind(client, world, login):
    login(world.leader)
    assert "目标尚未设置" not in client.get("/").get_data(as_text=True)


def test_flask_progress_says_when_the_year_has_no_targets(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(progress_command, ["--year", "2031", "--as-of", "2031-06-30"])
    assert result.exit_code == 0 and "2031年度目标尚未设置" in result.output
    as_json = runner.invoke(progress_command, ["--year", "2031", "--as-of", "2031-06-30", "--json"])
    import json
    assert json.loads(as_json.stdout)["year"] == 2031          # the contract: stdout is JSON alone
    assert "2031年度目标尚未设置" in as_json.stderr
    quiet = runner.invoke(progress_command, ["--year", "2024", "--as-of", "2024-06-30"])
    assert "目标尚未设置" not in quiet.output
