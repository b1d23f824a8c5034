"""The monthly bulletin: its figures are progress --json's and the desk's for the same date,
its Chinese text is embedded, every page prints, and the same data gives the same file."""
import json
import re
from datetime import date

import pytest

YEAR = 2024
AS_OF = date(YEAR, 6, 30)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def ledger(world, make_project, log_contact):
    """Projects either side of the thresholds and contacts spread over the half year."""
    later = date(YEAR, 12, 31)
    a, c = world.zone_a, world.zone_c
    big_foreign = make_project(a, name="德国精密轴承项目", investor="舍弗勒（德国）有限公司", origin="DE",
                               capital_wan="6000", total_wan="300000", planned_on=date(YEAR, 1, 10),
                               stages=[("signed", date(YEAR, 3, 1))], today=later)
    make_project(a, name="小型外资项目", investor="香港小企业投资有限公司", origin="HK", capital_wan="800",
                 planned_on=date(YEAR, 1, 10), stages=[("signed", date(YEAR, 3, 2))], today=later)
    make_project(a, name="新能源整车基地项目", investor="北京汽车集团有限公司",
                 total_wan="1200000", is_manufacturing=True, is_industrial=True,
                 planned_on=date(YEAR, 2, 1), stages=[("signed", date(YEAR, 6, 12)),
                                                       ("started", date(YEAR, 6, 20))], today=later)
    make_project(a, name="七月签约项目", investor="上海七月实业有限公司", total_wan="200000",
                 planned_on=date(YEAR, 2, 1), stages=[("signed", date(YEAR, 7, 3))], today=later)
    hk_food = make_project(c, name="港资食品项目", investor="香港新元投资有限公司", origin="HK", capital_wan="100",
                 planned_on=date(YEAR, 4, 1), stages=[("signed", date(YEAR, 5, 10))], today=later)
    make_project(c, name="省重点新材料项目", investor="河北新材料有限公司", key_level="provincial",
                 planned_on=date(YEAR, 2, 1), today=later)
    for n, on in enumerate([date(YEAR, 1, 20), date(YEAR, 2, 5), date(YEAR, 6, 29), date(YEAR, 7, 2)]):
        project = make_project(a, name=f"对接项目{n}", investor=f"对接投资方{n}", planned_on=date(YEAR, 1, 2),
                               today=later)
        log_contact(project, [world.leader], on, today=later)
    log_contact(big_foreign, [world.leader, world.leader2], date(YEAR, 3, 1), today=later)
    log_contact(hk_food, [world.other_leader], date(YEAR, 5, 5), summary="洽谈投资协议主要条款",
                recorded_by=world.other_leader, today=later)
    return world


def _bulletin(app, tmp_path):
    out = tmp_path / "bulletin.pdf"
    result = run(app, "report", "monthly", "--year", str(YEAR), "--month", "6", "--out", str(out),
                 "--issued-on", "2024-07-05")
    assert result.exit_code == 0, result.output
    assert "已生成2024年6月通报" in result.output
    return out.read_bytes()


def _flat(text: str) -> str:
    """The text without page numbers and line breaks, so sentences read across pages."""
    return "".join(re.sub(r"— \d+ —", "", text).split())


def _row(text: str, name: str) -> list[str]:
    """The cells of the first table line that holds `name` as a cell of its own."""
    for line in text.splitlines():
        cells = line.split()
        if name in cells:
            return cells
    raise AssertionError(f"no table row for {name}")


def test_the_figures_are_progress_json_and_the_desk_for_the_same_date(app, ledger, client, login, pdf, tmp_path):
    data = json.loads(run(app, "progress", "--year", str(YEAR), "--as-of", AS_OF.isoformat(), "--json").output)
    text = pdf.text(_bulletin(app, tmp_path))
    ranking = text.split("二、开发区赛马排名")[1].split("三、领导对接任务完成情况")[0]
    names = {"gxq": "石家庄高新区", "zxjk": "赵县经开区"}
    login(ledger.bureau)
    desk = client.get(f"/review/?year={YEAR}&as_of={AS_OF}").get_data(as_text=True)
    for zone in data["zones"]:
        cells = _row(ranking, names[zone["zone"]])
        at = cells.index(names[zone["zone"]])
        assert int(cells[at - 1]) == zone["rank_in_tier"]
        figures = cells[at + 2:]
        expected = [f"{m['actual']}/{m['floor']}" if m["metric"] == "leader_contacts" else str(m["actual"])
                    for m in zone["metrics"]]
        assert figures == expected, (zone["zone"], cells)
        # The desk renders the same row from the same Progress.
        row = re.split(rf'<td class="nowrap"><a [^>]*>{names[zone["zone"]]}</a></td>', desk)[1].split("</tr>")[0]
        assert re.findall(r'<a class="figure" [^>]*>(\d+)</a>', row) == [str(m["actual"]) for m in zone["metrics"]]
    # 张伟 4 projects by June 30 (the July contact not yet) + 李娜 1; of the two A-zone foreign
    # projects only the one ≥ 5000万美元 counts; the July signing does not count yet.
    assert [m["actual"] for m in data["zones"][0]["metrics"]][:3] == [5, 1, 1]

    leaders = text.split("三、领导对接任务完成情况")[1].split("四、计入引进目标的项目")[0]
    for leader in data["leaders"]:
        name = {"leader1": "张伟", "leader2": "李娜", "leader_c": "赵强"}[leader["username"]]
        cells = _row(leaders, name)
        at = cells.index(name)
        assert [int(cells[at + 1]), int(cells[at + 2])] == [leader["contacted_projects"], leader["quota"]]
        assert ("落后" in " ".join(cells[at + 3:])) == (not leader["on_pace"])

    city = data["city"]["new_start_industrial_projects"]
    flat = _flat(text)
    assert f"全市新开工工业项目（总投资≥5000万元）{city['actual']}个，为全年目标{city['target']}个" in flat
    assert data["expected_share"] == 0.5 and "序时进度为50.0%" in flat


def test_the_lists_name_the_projects_counted_and_those_behind(app, ledger, pdf, tmp_path):
    flat = _flat(pdf.text(_bulletin(app, tmp_path), layout=False))
    assert "关于2024年1—6月全市开发区招商引资工作进展情况的通报" in flat
    assert "石家庄市投资促进局" in flat and "2024年7月5日" in flat and "各开发区管委会：" in flat
    annex = flat.split("附件1")[-1].split("附件2")[0]
    # The annex lists the month's newly counted projects; earlier ones are in the totals.
    assert "新能源整车基地项目" in annex and "120.00亿元" in annex and "共1个" in annex
    assert "德国精密轴承项目" not in annex      # counted since March: in the year's totals, not June's list
    assert "小型外资项目" not in annex          # below the A tier's 5000万美元
    assert "七月签约项目" not in annex          # signed after the as-of date
    assert "计入各开发区引进目标的项目共3个" in flat and "6月新计入1个" in flat
    assert "6月新签约计入目标的项目1个，投资规模较大的有：新能源整车基地项目（石家庄高新区，总投资120.00亿元）" in flat
    behind = flat.split("五、落后于序时进度的情况")[1].split("附件：")[0]
    assert "张伟" in behind and "李娜" in behind and "领导对接项目" in behind
    zones = flat.split("各开发区进展情况")[-1]
    assert "（一）石家庄高新区" in zones and "（二）赵县经开区" in zones


def test_the_font_is_embedded_and_every_page_prints(app, ledger, pdf, tmp_path):
    data = _bulletin(app, tmp_path)
    fonts = pdf.fonts(data)
    assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts), fonts
    assert any("BousungEG-Light-GB" in f["name"] for f in fonts) and any("ZenHei" in f["name"] for f in fonts)
    info = pdf.info(data)
    assert "A4" in info["Page size"]
    pages = int(info["Pages"])
    dark = pdf.dark_pixels_per_page(data)
    assert len(dark) == pages and all(count > 200 for count in dark), dark
    # Every page carries its number, "— n —".
    for n, page in enumerate(pdf.text(data).split("\f")[:pages], start=1):
        assert f"— {n} —" in page


def test_the_same_data_gives_the_same_file_dated_by_its_as_of_date(app, ledger, pdf, tmp_path):
    first, second = _bulletin(app, tmp_path), _bulletin(app, tmp_path)
    assert first == second
    info = pdf.info(first)
    assert info["CreationDate"].strip().startswith("Sun Jun 30") and "2024" in info["CreationDate"]
    assert info["Title"].strip() == "关于2024年1—6月全市开发区招商引资工作进展情况的通报"
