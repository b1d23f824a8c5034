"""The zone's progress PDF carries the money figures the desk shows for the zone (issue 19):
到位资金 to the as-of day, 营业收入 and 实际使用外资 to the as-of month, each with the same period
last year, the growth (上年同期为零 for a zero base), the target and the pace, exact to the
fen/cent. Read back with pdftotext and compared with a recount through app.domain.funds."""
import re
from datetime import date

from app.domain import funds as F
from app.domain import metrics as M
from tests.test_money_agrees import YEAR, ZONE_TARGETS, _facts, money_world, recount  # noqa: F401

AS_OFS = (date(YEAR, 3, 31), date(YEAR, 6, 30), date(YEAR, 12, 31))


def indicator_lines(text: str) -> dict[str, str]:
    """The 主要指标 table's lines, by the metric's label, spaces removed."""
    section = text.split("表2 主要指标", 1)[1].split("领导对接任务", 1)[0]
    lines = {}
    for line in section.splitlines():
        for metric in ZONE_TARGETS:
            label = M.get(metric).label
            if re.match(re.escape(label) + r"\s", line.strip()):
                lines[label] = re.sub(r"\s+", "", line)
    return lines


def test_the_zone_report_shows_the_desks_money_figures_exactly(client, login, money_world, db, pdf):  # noqa: F811
    arrivals, months = _facts(db)
    login(money_world.bureau)
    for as_of in AS_OFS:
        for zone in (money_world.zone_a, money_world.zone_c):
            response = client.get(f"/reports/zone/{zone.id}.pdf?year={YEAR}&as_of={as_of.isoformat()}")
            assert response.status_code == 200
            text = pdf.text(response.data)
            lines = indicator_lines(text)
            assert set(lines) == {M.get(m).label for m in ZONE_TARGETS}, (as_of, zone.code, lines)
            for metric in ZONE_TARGETS:
                m = M.get(metric)
                currency = "USD" if m.source == M.FDI_REPORTED else "CNY"
                current, base = recount(metric, zone.id, as_of, arrivals, months)
                expected = (m.label + F.format_wan(current, currency) + F.format_wan(base, currency)
                            + F.Growth(current, base).label)
                assert lines[m.label].startswith(expected), (as_of, zone.code, lines[m.label], expected)
            flat = "".join(text.split())
            assert "上年同期为零时不计算增长率" in flat
            # The rule's minus sign, which no shipped face has, prints (as the full-width one), not as a blank.
            assert "（本年1月至所选月份合计－上年同期合计）÷上年同期合计" in flat
    # Zone C had no utilised FDI last year: its growth reads 上年同期为零, not a division error.
    response = client.get(f"/reports/zone/{money_world.zone_c.id}.pdf?year={YEAR}&as_of={YEAR}-06-30")
    fdi_growth = indicator_lines(pdf.text(response.data))[M.get(M.FDI_GROWTH).label]
    assert "上年同期为零" in fdi_growth


def test_a_zones_staff_get_their_own_figures_and_not_another_zones(client, login, money_world, pdf):  # noqa: F811
    login(money_world.staff)
    own = client.get(f"/reports/zone/{money_world.zone_a.id}.pdf?year={YEAR}&as_of={YEAR}-12-31")
    assert own.status_code == 200 and "主要指标" in pdf.text(own.data)
    assert client.get(f"/reports/zone/{money_world.zone_c.id}.pdf?year={YEAR}").status_code == 404


def test_without_money_targets_the_report_has_no_money_section(client, login, world, pdf):
    login(world.bureau)
    response = client.get(f"/reports/zone/{world.zone_a.id}.pdf?year=2024&as_of=2024-06-30")
    text = "".join(pdf.text(response.data).split())
    assert "主要指标" not in text and "一、目标完成情况" in text and "二、领导对接任务" in text
