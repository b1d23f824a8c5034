"""A new count metric is one registry entry plus its SQL condition: once registered and given
a target, it is counted by the domain and in SQL alike, and shows on the desk, in
`progress --json` and in the bulletin without any other change."""
import json
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from app.domain import metrics
from app.domain.counting import counts_towards
from app.domain.metrics import BY_SIGNING, TOTAL_INVESTMENT, Metric
from app.domain.money import Money
from app.models import Project, Target
from app.queries.progress import build_progress, rates_for, register_kind_sql, unregister_kind_sql
from app.services.bulletins import monthly_bulletin

YEAR = 2024
INDUSTRIAL = "industrial_projects"


@pytest.fixture
def industrial_metric(world, db):
    """引进工业项目: industrial projects of ≥ 2亿元 signed in the year, a target of 2–3 for tier A."""
    metrics.register(Metric(
        INDUSTRIAL, "引进工业项目", "工业", counted_by=BY_SIGNING, kind=lambda p: p.is_industrial,
        sized_by=TOTAL_INVESTMENT, rule="工业项目，签约日期在当年且截至所选日期，之后未终止；总投资不低于认定标准。"))
    register_kind_sql(INDUSTRIAL, lambda: Project.is_industrial.is_(True))
    db.session.add(Target(year=YEAR, tier="A", metric=INDUSTRIAL, floor=2, stretch=3,
                          threshold_amount=Decimal("200000000"), threshold_currency="CNY"))
    db.session.commit()
    yield metrics.get(INDUSTRIAL)
    unregister_kind_sql(INDUSTRIAL)
    metrics.unregister(INDUSTRIAL)


@pytest.fixture
def industrial_projects(world, make_project, industrial_metric):
    later = date(YEAR, 12, 31)
    counted = make_project(world.zone_a, name="高端轴承制造项目", total_wan="30000", is_industrial=True,
                           planned_on=date(YEAR, 1, 5), stages=[("signed", date(YEAR, 3, 8))], today=later)
    small = make_project(world.zone_a, name="小型工业项目", investor="石家庄小微实业有限公司", total_wan="5000",
                         is_industrial=True, planned_on=date(YEAR, 1, 5), stages=[("signed", date(YEAR, 3, 9))],
                         today=later)
    return counted, small


def test_the_domain_and_sql_count_the_registered_metric_alike(world, industrial_projects):
    counted, small = industrial_projects
    progress = build_progress(YEAR, date(YEAR, 6, 30))
    figure = progress.zone(world.zone_a.id).metric(INDUSTRIAL)
    threshold = Money(Decimal("200000000"), "CNY")
    expected = [p for p in (counted, small)
                if counts_towards(p.facts(), INDUSTRIAL, threshold, YEAR, date(YEAR, 6, 30), rates_for(YEAR))]
    assert figure.actual == len(expected) == 1
    assert (figure.floor, figure.stretch, figure.label) == (2, 3, "引进工业项目")
    assert progress.zone(world.zone_c.id).metric(INDUSTRIAL) is None  # tier C has no such target


def test_the_registered_metric_shows_on_the_desk(client, world, login, industrial_projects):
    login(world.bureau)
    page = client.get(f"/review/?year={YEAR}&as_of={YEAR}-06-30").get_data(as_text=True)
    assert "引进工业项目" in page and "≥2亿元" in page
    listed = client.get(f"/review/zones/{world.zone_a.id}/{INDUSTRIAL}?year={YEAR}&as_of={YEAR}-06-30")
    assert "高端轴承制造项目" in listed.get_data(as_text=True)
    assert "小型工业项目" not in listed.get_data(as_text=True)


def test_the_registered_metric_is_in_progress_json(app, world, industrial_projects):
    result = app.test_cli_runner().invoke(args=["progress", "--year", str(YEAR), "--as-of", f"{YEAR}-06-30",
                                                "--json"])
    zone_a = next(z for z in json.loads(result.output)["zones"] if z["zone"] == "gxq")
    assert {"metric": INDUSTRIAL, "floor": 2, "stretch": 3, "actual": 1, "on_pace": True} in zone_a["metrics"]


def test_the_registered_metric_is_in_the_bulletin(app, world, industrial_projects, tmp_path):
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(monthly_bulletin(YEAR, 6, date(YEAR, 7, 5)).pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "引进工业" in text and "≥2亿元" in text
