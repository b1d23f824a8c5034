"""Every face that shows a zone's figures, read back into one normalised structure, and the
reference (`flask progress --json`) put at each face's precision.

The structure: {zone code: {figure: text}}, where a figure is
- a count metric's key (引进外资项目, 领导对接项目, ...): the whole count;
- "score": the 综合得分 as the face prints it; "rank": the rank in tier;
- a value metric's key (到位资金, 营业收入, ...): 本年累计 as the face prints it;
- "<value metric>.growth": the growth beside it (12.34%, or 上年同期为零);
- "leader:<name>": that leader's count of distinct projects contacted (two leaders of one zone
  with one name: their counts, largest first, joined by commas).

One normaliser per face (`Face.expect`) says which figures the face shows and at what precision;
one reader (`Face.read`) parses the face. `differences` names face, zone and figure for each
disagreement.
"""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from app.domain import metrics as M
from app.domain import ranking
from app.domain.funds import Growth, format_wan

Figures = dict[str, dict[str, str]]


# ---------------------------------------------------------------- the reference

@dataclass
class RefZone:
    code: str
    name: str
    tier: str
    rank: int
    score: Fraction
    metrics: dict[str, int]                 # count metrics, in the desk's column order
    values: dict[str, dict]                 # value metrics as progress --json gives them
    leaders: dict[str, int]                 # username -> distinct projects contacted


@dataclass
class Reference:
    """`flask progress --json` at one as-of date, with the names the faces print."""
    year: int
    as_of: str
    zones: dict[str, RefZone]
    leader_names: dict[str, str]            # username -> name

    def in_tier(self, tier: str) -> list[RefZone]:
        return sorted((z for z in self.zones.values() if z.tier == tier), key=lambda z: (z.rank, z.code))


def reference(doc: dict, zone_names: dict[str, str], leader_names: dict[str, str]) -> Reference:
    """The JSON read as it is; the score (not in the JSON) is the domain's ranking rule applied to
    the JSON's own actuals and targets, so the ranks the JSON gives must follow from it."""
    values = {z["zone"]: {v["metric"]: v for v in z["values"]} for z in doc["zone_values"]}
    zones = {}
    for z in doc["zones"]:
        own = values.get(z["zone"], {})
        score = ranking.score(
            [ranking.MetricResult(m["metric"], m["actual"], m["floor"], m["stretch"]) for m in z["metrics"]]
            + [ranking.MetricResult(k, Decimal(v["actual"]), Decimal(v["floor"]),
                                    None if v["stretch"] is None else Decimal(v["stretch"]))
               for k, v in own.items() if v["measures"] != M.GROWTH])
        zones[z["zone"]] = RefZone(z["zone"], zone_names[z["zone"]], z["tier"], z["rank_in_tier"], score,
                                   {m["metric"]: m["actual"] for m in z["metrics"]}, own, {})
    for leader in doc["leaders"]:
        zones[leader["zone"]].leaders[leader["username"]] = leader["contacted_projects"]
    for tier in {z.tier for z in zones.values()}:
        ranks = ranking.rank((z.code, z.score) for z in zones.values() if z.tier == tier)
        for code, rank in ranks.items():
            assert zones[code].rank == rank, (f"progress --json: {zones[code].name} ({code}) rank {zones[code].rank}, "
                                              f"but its figures rank it {rank}")
    return Reference(doc["year"], doc["as_of"], zones, leader_names)


def expected(ref: Reference, *, counts: bool = True, score: Callable[[Fraction], str] | None = None,
             rank: bool = True, money: Callable[[dict], str] | None = None,
             growth: Callable[[dict], str] | None = None, leaders: bool = False,
             zones: list[str] | None = None) -> Figures:
    """The reference's figures that a face shows, each formatted as that face formats it."""
    out: Figures = {}
    for code in zones or ref.zones:
        z = ref.zones[code]
        row = out.setdefault(code, {})
        if counts:
            row.update({k: str(v) for k, v in z.metrics.items()})
        if score is not None:
            row["score"] = score(z.score)
        if rank:
            row["rank"] = str(z.rank)
        for key, v in z.values.items():
            if money is not None:
                row[key] = money(v)
            if growth is not None:
                row[f"{key}.growth"] = growth(v)
        if leaders:
            by_name: dict[str, list[int]] = {}
            for username, n in z.leaders.items():
                by_name.setdefault(ref.leader_names[username], []).append(n)
            row.update({f"leader:{name}": _counts(ns) for name, ns in by_name.items()})
    return out


def _counts(ns: list[int]) -> str:
    return ",".join(str(n) for n in sorted(ns, reverse=True))


def differences(face: str, ref: Reference, want: Figures, shown: Figures) -> list[str]:
    """One line per figure the face shows differently from progress --json (or not at all)."""
    out = []
    for code, figures in want.items():
        name = f"{ref.zones[code].name} ({code})"
        if not figures:
            continue
        if code not in shown:
            out.append(f"{face}, as of {ref.as_of}: zone {name} is not shown")
            continue
        for key, value in figures.items():
            got = shown[code].get(key)
            if got != value:
                out.append(f"{face}, as of {ref.as_of}: zone {name}, {_figure(key)}: the face shows "
                           f"{got if got is not None else 'nothing'}, progress --json gives {value}")
    for code in set(shown) - set(want):
        out.append(f"{face}, as of {ref.as_of}: shows a zone {code} that progress --json does not list there")
    return out


def _figure(key: str) -> str:
    base = key.split(".")[0]
    if key in ("score", "rank") or key.startswith("leader:"):
        return key
    label = M.label(base) if M.find(base) else base
    return f"{key} ({label}{' growth' if key.endswith('.growth') else ''})"


# ---------------------------------------------------------------- precision of each face

def growth_label(v: dict) -> str:
    return Growth(Decimal(v["current"]), Decimal(v["base"])).label


def wan_text(v: dict) -> str:
    """Pages and PDFs: 本年累计 in 万元 / 万美元, exact to the fen (app.domain.funds.format_wan)."""
    return format_wan(Decimal(v["current"]), v["currency"])


def cents(v: dict) -> str:
    """Excel: 本年累计 as a number of 元 / 美元 to the cent."""
    return str(Decimal(v["current"]).quantize(Decimal("0.01")))


COUNT_LABELS = {m.label: m.key for m in M.zone_metrics()}
VALUE_LABELS = {m.label: m.key for m in M.value_metrics(city=False)}


# ---------------------------------------------------------------- HTML

class _Tables(HTMLParser):
    """Every <tr> of a page as cells of (text, [hrefs]); enough for the pages' plain tables."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[str, list[str]]]] = []
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ["", []]
        elif tag == "a" and self._cell is not None:
            self._cell[1].append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append((" ".join(self._cell[0].split()), self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data


def html_rows(page: str) -> list[list[tuple[str, list[str]]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.rows


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


# ---------------------------------------------------------------- PDF

def pdf_text(data: bytes) -> str:
    """The PDF as a recipient's pdftotext reads it, in layout mode (tables keep their rows)."""
    assert data[:5] == b"%PDF-", data[:200]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "face.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                              timeout=60).stdout.decode("utf-8")


def _between(text: str, start: str, end: str) -> str:
    after = text.split(start, 1)[1]
    return after.split(end, 1)[0] if end in after else after


MONEY = re.compile(r"^-?[\d,]+\.\d+万(元|美元)$")
PERCENT = re.compile(r"^-?\d+\.\d\d%$")


def _money_row(tokens: list[str]) -> tuple[str, str] | None:
    """(本年累计, growth) from a money table's row: two amounts, then the growth or, for a zero
    base, no growth on the row's line (上年同期为零 is set in two lines beside it)."""
    amounts = [i for i, t in enumerate(tokens) if MONEY.match(t)]
    if len(amounts) < 2:
        return None
    rest = tokens[amounts[1] + 1:]
    growth = rest[0] if rest and PERCENT.match(rest[0]) else "上年同期为零"
    return tokens[amounts[0]], growth


# ---------------------------------------------------------------- the faces

def read_desk(page: str, zone_codes: dict[int, str], names: dict[str, str]) -> Figures:
    """Desk HTML (review/_desk_tables.html and the 主要指标 table of review/desk.html): per tier a row
    名次 | 开发区 | 综合得分 | one cell per count metric whose figure links to zones/<id>/<metric>;
    the money rows link 本年累计 to zones/<id>/<value metric>, the growth is the next cell."""
    out: Figures = {}
    by_name = {v: k for k, v in names.items()}
    for row in html_rows(page):
        if not any(re.search(r"/review/zones/\d+/\w+\?", href) for _, hrefs in row for href in hrefs):
            continue
        if len(row) >= 7 and row[0][0] in by_name:          # 主要指标: 开发区 指标 本年累计 上年同期 增长 ...
            code = by_name[row[0][0]]
            metric = re.search(r"/zones/\d+/(\w+)\?", row[2][1][0])[1]
            out.setdefault(code, {})[metric] = row[2][0]
            out[code][f"{metric}.growth"] = row[4][0]
            continue
        zone_id = int(re.search(r"/review/zones/(\d+)\?", row[1][1][0])[1])
        code = zone_codes[zone_id]
        figures = out.setdefault(code, {})
        figures["rank"], figures["score"] = row[0][0], row[2][0]
        for text, hrefs in row[3:]:
            metric = re.search(r"/zones/\d+/(\w+)\?", hrefs[0])[1]
            figures[metric] = text.split(" / ")[0]
    return out


def read_zone_page(page: str, code: str, leader_ids: dict[int, str]) -> Figures:
    """Zone page (review/zone.html): '排名 第N名 … 综合得分 X。' in the lead; the 目标与序时进度 rows link
    each 完成 figure to zones/<id>/<metric>; the leader rows link the count to leaders/<user id>."""
    text = text_of(page)
    lead = re.search(r"排名 第 ?(\d+) ?名 ?（共 \d+ 个），综合得分 (-?[\d.]+) ?。", text)
    figures = {"rank": lead[1], "score": lead[2]} if lead else {}
    by_name: dict[str, list[int]] = {}
    for row in html_rows(page):
        for text_, hrefs in row:
            for href in hrefs:
                if m := re.search(r"/review/zones/\d+/(\w+)\?", href):
                    figures[m[1]] = text_.split(" / ")[0]
                elif m := re.search(r"/review/leaders/(\d+)\?", href):
                    by_name.setdefault(leader_ids[int(m[1])], []).append(int(text_.split(" / ")[0]))
    figures.update({f"leader:{name}": _counts(ns) for name, ns in by_name.items()})
    return {code: figures}


def read_leaders_tab(page: str, zone_codes: dict[int, str], leader_ids: dict[int, str]) -> Figures:
    """The desk's leaders tab (review/leaders.html): a row per leader, 领导 | 开发区 (linked to
    zones/<id>) | 类别 | 已对接项目 (linked to leaders/<user id>) | …"""
    by_leader: dict[tuple[str, str], list[int]] = {}
    for row in html_rows(page):
        links = [(text, href) for text, hrefs in row for href in hrefs]
        zone = next((re.search(r"/review/zones/(\d+)\?", h) for _, h in links if "/review/zones/" in h), None)
        leader = next(((t, re.search(r"/review/leaders/(\d+)\?", h)) for t, h in links if "/review/leaders/" in h),
                      None)
        if zone and leader:
            key = (zone_codes[int(zone[1])], leader_ids[int(leader[1][1])])
            by_leader.setdefault(key, []).append(int(leader[0]))
    out: Figures = {}
    for (code, name), ns in by_leader.items():
        out.setdefault(code, {})[f"leader:{name}"] = _counts(ns)
    return out


def read_bulletin_pdf(text: str, ref: Reference, names: dict[str, str]) -> Figures:
    """Bulletin PDF (reports/bulletin.py) read by pdftotext -layout:
    二、赛马排名: a row per zone '名次 开发区 综合得分 figure…' (领导对接 as 实际/下限), columns in the
    order of the tier's metrics (the table heads them so; the heads' wrapped words are not parsed);
    三、领导对接: a row per leader '序号 开发区 领导 已对接 全年任务 …';
    主要指标: a row per zone and value metric '开发区 指标 本年累计 上年同期 增长 …';
    附件2: per zone '（n）开发区 X类开发区同类第N名，综合得分S分', which must say
    what the ranking table says."""
    out: Figures = {}
    by_name = {v: k for k, v in names.items()}
    rankings = _between(text, "二、开发区赛马排名", "三、领导对接任务完成情况")
    for line in rankings.splitlines():
        tokens = line.split()
        if len(tokens) < 4 or not tokens[0].isdigit() or tokens[1] not in by_name:
            continue
        code = by_name[tokens[1]]
        metrics = list(ref.zones[code].metrics)
        figures = out.setdefault(code, {})
        figures.update(rank=tokens[0], score=tokens[2])
        for key, token in zip(metrics, tokens[3:]):
            figures[key] = token.split("/")[0]
    leaders = _between(text, "三、领导对接任务完成情况", "四、")
    by_leader: dict[tuple[str, str], list[int]] = {}
    for line in leaders.splitlines():
        tokens = line.split()
        if len(tokens) >= 6 and tokens[0].isdigit() and tokens[1] in by_name and tokens[3].isdigit():
            by_leader.setdefault((by_name[tokens[1]], tokens[2]), []).append(int(tokens[3]))
    for (code, name), ns in by_leader.items():
        out.setdefault(code, {})[f"leader:{name}"] = _counts(ns)
    # 附件2 gives each zone's rank and score again, in running text.
    annex = "".join(text.split("附件2", 1)[-1].split())
    zone_names = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    sections = rf"（[一二三四五六七八九十百]+）({zone_names})(?:(?!（[一二三四五六七八九十百]+）).)*?"
    for name, rank, score in re.findall(sections + r"[ABC]类开发区同类第(\d+)名，综合得分(-?[\d.]+)分", annex):
        table_row = out.setdefault(by_name[name], {})
        for key, value in (("rank", rank), ("score", score)):
            shown = table_row.setdefault(key, value)
            if shown != value:
                table_row[key] = f"{shown} in the ranking table, {value} in 附件2"
    if "、主要指标" in text:
        money = _between(text, "、主要指标", "增长率 =")
        for line in money.splitlines():
            tokens = line.split()
            if len(tokens) >= 4 and tokens[0] in by_name and tokens[1] in VALUE_LABELS:
                row = _money_row(tokens)
                if row:
                    key = VALUE_LABELS[tokens[1]]
                    out.setdefault(by_name[tokens[0]], {})[key] = row[0]
                    out[by_name[tokens[0]]][f"{key}.growth"] = row[1]
    return out


def read_zone_pdf(text: str, code: str) -> Figures:
    """Zone PDF (reports/zone.py): the head '同类第N名　综合得分X分'; 表 目标完成情况 rows
    '指标 规模标准 目标 实际完成 序时应完成 完成率'; 主要指标 rows '指标 本年累计 上年同期 增长 …';
    领导对接 rows '序号 领导 已对接项目 全年任务 序时应完成 完成率'."""
    figures: dict[str, str] = {}
    head = re.search(r"同类第(\d+)名\s+综合得分(-?[\d.]+)分", text)
    if head:
        figures.update(rank=head[1], score=head[2])
    targets = _between(text, "一、目标完成情况", "图中条形")
    for line in targets.splitlines():
        tokens = line.split()
        if len(tokens) >= 6 and tokens[0] in COUNT_LABELS and tokens[3].isdigit():
            figures[COUNT_LABELS[tokens[0]]] = tokens[3]
    if "、主要指标" in text:
        for line in _between(text, "、主要指标", "增长率 =").splitlines():
            tokens = line.split()
            if tokens and tokens[0] in VALUE_LABELS and (row := _money_row(tokens)):
                figures[VALUE_LABELS[tokens[0]]] = row[0]
                figures[f"{VALUE_LABELS[tokens[0]]}.growth"] = row[1]
    by_name: dict[str, list[int]] = {}
    for line in _between(text, "、领导对接任务", "、项目台账").splitlines():
        tokens = line.split()
        if len(tokens) >= 6 and tokens[0].isdigit() and tokens[2].isdigit() and tokens[3].isdigit():
            by_name.setdefault(tokens[1], []).append(int(tokens[2]))
    figures.update({f"leader:{name}": _counts(ns) for name, ns in by_name.items()})
    return {code: figures}


def read_confirm_page(page: str, names: dict[str, str]) -> Figures:
    """Issue confirm page (reports/issue_confirm.html): per tier rows 名次 | 开发区 | 综合得分 | 落后项数."""
    by_name = {v: k for k, v in names.items()}
    out: Figures = {}
    for row in html_rows(page):
        cells = [text for text, _ in row]
        if len(cells) == 4 and cells[1] in by_name and cells[0].isdigit():
            out[by_name[cells[1]]] = {"rank": cells[0], "score": cells[2]}
    return out


def read_issued_page(page: str, names: dict[str, str], own_code: str) -> Figures:
    """Issued bulletin page as a zone reads it (reports/bulletin.html): the own zone's section
    ('排名 第N名 … 综合得分 X；' and rows 指标 | 完成 | 下限 | 争取 | 序时), and the own tier's table
    '按通报公布': 名次 | 开发区 | 综合得分 | 较上期 | per column 完成/下限."""
    by_name = {v: k for k, v in names.items()}
    rows = html_rows(page)
    out: Figures = {}
    own = {}
    lead = re.search(r"排名 第 ?(\d+) ?名 ?（共 \d+ 个），综合得分 (-?[\d.]+) ?；", text_of(page))
    if lead:
        own.update(rank=lead[1], score=lead[2])
    columns: list[str] = []
    for row in rows:
        cells = [text for text, _ in row]
        if cells[:4] == ["名次", "开发区", "综合得分", "较上期"]:
            columns = [COUNT_LABELS[c] for c in cells[4:]]
        elif len(cells) == 5 and cells[0] in COUNT_LABELS:
            own[COUNT_LABELS[cells[0]]] = cells[1]
        elif columns and len(cells) == 4 + len(columns) and cells[1].removesuffix("（本区）") in by_name:
            code = by_name[cells[1].removesuffix("（本区）")]
            figures = out.setdefault(code, {})
            figures.update(rank=cells[0], score=cells[2])
            figures.update({key: cell.split("/")[0] for key, cell in zip(columns, cells[4:])})
    # The own zone's section and its row in the table must agree with each other too.
    table_row = out.setdefault(own_code, {})
    for key, value in own.items():
        shown = table_row.setdefault(key, value)
        if shown != value:
            table_row[key] = f"{shown} in the table, {value} in the own zone's section"
    return out


def read_desk_xlsx(data: bytes, names: dict[str, str]) -> Figures:
    """Excel of the desk (review/sheets.py desk_sheets): per tier a sheet whose row 3 heads the metric
    groups ('引进外资项目（≥5000万美元）'; each group 实际 | 下限 | 争取 | 进度) and rows
    名次 | 开发区 | 综合得分 | …; sheet 主要指标 rows 开发区 | 指标 | 币种 | 本年累计（元）| 上年同期 | 增长
    (a text cell that starts like a formula keeps a leading apostrophe)."""
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(data), read_only=True)
    by_name = {v: k for k, v in names.items()}
    out: Figures = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "主要指标":
            for row in rows:
                if row[0] in by_name and row[1] in VALUE_LABELS:
                    key = VALUE_LABELS[row[1]]
                    figures = out.setdefault(by_name[row[0]], {})
                    figures[key] = str(Decimal(str(row[3])).quantize(Decimal("0.01")))
                    figures[f"{key}.growth"] = str(row[5]).removeprefix("'")
            continue
        head = next(r for r in rows if r[0] == "名次")
        groups = [(i, COUNT_LABELS[str(c).split("（")[0]]) for i, c in enumerate(head) if i >= 3 and c]
        for row in rows:
            if isinstance(row[0], int) and row[1] in by_name:
                figures = out.setdefault(by_name[row[1]], {})
                figures.update(rank=str(row[0]), score=f"{Decimal(str(row[2])):.1f}")
                figures.update({key: str(row[i]) for i, key in groups if row[i] is not None})
    return out
