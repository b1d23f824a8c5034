"""月度通报: the bureau's monthly bulletin of every zone's progress, as of a month's last day.

Built from the same Progress object the review desk and `progress --json` render, plus the
list of projects behind the 引进 figures; no database access here.

Layout after GB/T 9704-2012: masthead (red title, issue number, issuing body and date, red
rule), title, addressee, body with numbered headings, closing, 附件 note, issuing body over
the date, then the attachments (the project list and one section per zone with its chart)
and the 版记 at the foot of the last page.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from app.domain import metrics as M
from app.domain import targets as T
from app.domain.funds import GROWTH_RULE, format_wan
from app.domain.money import format_amount
from app.domain.pacing import BEHIND, PACE_LABELS, PACE_RULE
from app.domain.pipeline import STAGES
from app.domain.ranking import RANKING_FORMULA

from .chart import ProgressChart
from .fonts import HEI, SONG, register_fonts
from .layout import (
    ANNEX, BODY_LEADING, BODY_SIZE, H2, CELL, CELL_C, CELL_SMALL, HEAD, NOTE, PLAIN, RED, SIGN, SMALL_C, WIDTH, AtPageFoot, BoldText, Red, Rule, SplitLine, behind, captioned, esc, heading, para, render, table,
)
from .rows import CountedProject
from .text import (
    amount_lines, cn_number, cndate, count, month_day, pace_phrase, percent, period, ratio, target_range, tenths,
)

DEFAULT_ISSUER = "石家庄市投资促进局"
DEFAULT_RECIPIENTS = "各开发区管委会"
ANNEXES = ("本月新计入引进目标的项目名单", "各开发区进展情况")
ISSUE_LINE = ParagraphStyle("issue", parent=PLAIN, leading=BODY_SIZE * 1.5, alignment=TA_CENTER)
HEAD_METRIC = ParagraphStyle("head_metric", parent=SMALL_C, fontSize=8, leading=10)
HEAD_SMALL = ParagraphStyle("head_small", parent=HEAD, fontSize=9, leading=11.5)


def data_fingerprint(progress) -> str:
    """SHA-256 of the progress --json contract: what the bulletin's figures were built from."""
    text = json.dumps(progress.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def bulletin_title(year: int, month: int) -> str:
    return f"关于{period(year, month)}全市开发区招商引资工作进展情况的通报"


def build_monthly_bulletin(progress, projects: list[CountedProject], *, issued_on: date,
                           issuer: str = DEFAULT_ISSUER, recipients: str = DEFAULT_RECIPIENTS,
                           correction: "Correction | None" = None) -> bytes:
    """The bulletin; with `correction`, the 更正 of an issue already sent: the issue line says so
    and the opening names the issue it replaces and why."""
    register_fonts()
    year, as_of = progress.year, progress.as_of
    month = as_of.month
    zones = [z for tier in T.TIERS for z in progress.zones_in_tier(tier)]
    tables = _TableNumbers()

    story = _masthead(year, month, issuer, issued_on, correction)
    story.append(BoldText([f"关于{period(year, month)}全市开发区", "招商引资工作进展情况的通报"],
                          size=22, leading=32, space_before=BODY_LEADING * 0.6, space_after=BODY_LEADING * 0.5))
    story.append(para(f"{esc(recipients)}：", PLAIN))
    story.append(para(
        f"按照年度开发区招商引资目标任务，现将{period(year, month)}全市开发区招商引资工作进展情况通报如下。"
        f"本通报数据截至{cndate(as_of)}，序时进度为{percent(progress.share)}。"))
    if correction is not None:
        story.append(para(f"本期为更正通报，替代{cndate(correction.replaces_issued_on)}印发的{year}年第{month}期"
                          f"{correction.replaces_suffix}通报，原通报作废。更正说明：{esc(correction.note)}"))

    sections = [
        ("总体情况", _summary(progress, projects, zones)),
        ("开发区赛马排名", _rankings(progress, tables)),
        ("领导对接任务完成情况", _leaders(progress, zones, tables)),
        ("计入引进目标的项目", _counted_summary(progress, projects)),
        ("落后于序时进度的情况", _behind(progress, zones, tables)),
        # Issue 19: money, after the sections whose numbers earlier bulletins carry.
        *([("主要指标", _main_indicators(progress, zones, tables))] if any(z.values for z in zones) else []),
    ]
    for n, (title, flowables) in enumerate(sections, start=1):
        story += heading(f"{cn_number(n)}、{title}")
        story += flowables

    closing = para("请各开发区对照年度目标任务和序时进度查找差距，落后于序时进度的开发区要认真分析原因，"
                   "明确责任和措施，加快项目对接和签约落地，确保完成全年目标任务。")
    annex_note = _annex_note()
    story.append(KeepTogether([closing, Spacer(1, BODY_LEADING * 0.5), *annex_note, *_signature(issuer, issued_on)]))

    story += _annex(1, _counted_table(progress, projects, zones))
    story += _annex(2, _zone_sections(progress, zones, projects))
    story.append(AtPageFoot([
        Rule(1.0, space_before=BODY_LEADING),
        SplitLine(issuer, f"{cndate(issued_on)}印发", size=14, inset=14),
        Rule(1.0),
    ]))
    return render(story, title=bulletin_title(year, month), subject=f"{period(year, month)}开发区招商引资工作通报",
                  author=issuer, created=as_of, keywords=f"数据指纹 SHA-256 {data_fingerprint(progress)}")


class _TableNumbers:
    def __init__(self):
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


# ---------------------------------------------------------------- head and foot

@dataclass(frozen=True)
class Correction:
    """A 更正: its issue line's suffix, and the issue it replaces (when, with what suffix) and why."""
    suffix: str
    replaces_issued_on: date
    replaces_suffix: str
    note: str


def _masthead(year, month, issuer, issued_on, correction=None):
    return [
        BoldText("开发区招商引资工作通报", size=32, leading=40, color=RED, weight=0.04),
        Spacer(1, 8),
        para(f"{year}年第{month}期{correction.suffix if correction else ''}", ISSUE_LINE),
        Spacer(1, 4),
        SplitLine(issuer, cndate(issued_on), inset=BODY_SIZE),
        Spacer(1, 4),
        Rule(1.5, RED),
    ]


def _annex_note():
    """附件说明: 附件： then the numbered names, lines after the first aligned under the first name."""
    first = ParagraphStyle("annex_first", parent=PLAIN, leftIndent=5 * BODY_SIZE, firstLineIndent=-3 * BODY_SIZE)
    rest = ParagraphStyle("annex_rest", parent=PLAIN, leftIndent=5 * BODY_SIZE)
    return [para(f"附件：{n}．{name}", first) if n == 1 else para(f"{n}．{name}", rest)
            for n, name in enumerate(ANNEXES, start=1)]


def _signature(issuer, issued_on):
    """发文机关署名 over 成文日期, the date four characters in from the right and the name
    centred over it (GB/T 9704-2012 7.3.5.2)."""
    date_text = cndate(issued_on)
    block = max(len(date_text), len(issuer)) * BODY_SIZE + BODY_SIZE
    right_gap = 4 * BODY_SIZE
    no_pad = [("FONTNAME", (0, 0), (-1, -1), SONG)] + [
        (side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    inner = Table([[para(esc(issuer), SIGN)], [para(date_text, SIGN)]], colWidths=[block], hAlign="RIGHT",
                  style=TableStyle(no_pad))
    wrapper = Table([[inner, ""]], colWidths=[WIDTH - right_gap, right_gap],
                    style=TableStyle(no_pad + [("ALIGN", (0, 0), (0, 0), "RIGHT")]))
    return [Spacer(1, BODY_LEADING * 1.5), wrapper]


def _annex(number, flowables):
    """An attachment on a new page: 附件N at the top left in Hei, its title centred."""
    return [PageBreak(), para(f"附件{number}", ANNEX),
            BoldText(ANNEXES[number - 1], size=20, leading=30, space_before=BODY_LEADING * 0.3,
                     space_after=BODY_LEADING * 0.4),
            *flowables]


# ---------------------------------------------------------------- 一、总体情况

def _on_pace(zone) -> bool:
    return all(m.pace.on_pace for m in zone.metrics)


def _names(items) -> str:
    return esc("、".join(x.name for x in items))


def _summary(progress, projects, zones):
    as_of, share = progress.as_of, progress.share
    out = []
    with_targets = [z for z in zones if z.metrics]
    on_pace = [z for z in with_targets if _on_pace(z)]
    lagging = [z for z in with_targets if not _on_pace(z)]
    behind_metrics = sum(1 for z in lagging for m in z.metrics if not m.pace.on_pace)
    text = (f"截至{month_day(as_of)}，序时进度为{percent(share)}。全市{len(zones)}个开发区中，"
            f"各项指标均达到序时进度的有{len(on_pace)}个")
    if on_pace and len(on_pace) <= 10:
        text += f"（{_names(on_pace)}）"
    text += (f"，其余{len(lagging)}个开发区共有{behind_metrics}项指标落后于序时进度。" if lagging
             else "。")
    leaders = progress.leaders
    leaders_on = sum(1 for l in leaders if l.pace.on_pace)
    if leaders:
        text += (f"全市{len(leaders)}名开发区领导中，对接项目数达到序时进度的有{leaders_on}名，"
                 f"落后于序时进度的有{len(leaders) - leaders_on}名。")
    out.append(para(text))

    text = ""
    for m in progress.city:
        money = M.get(m.metric).counts_money if M.find(m.metric) else False
        size = f"（{'实际使用外资' if money else '总投资'}{m.threshold_label}）" if m.threshold_label else ""
        unit = "家" if money else "个"
        text += (f"全市{m.label}{size}{m.actual}{unit}，为全年目标{m.floor}{unit}的{ratio(m.actual, m.floor)}，"
                 f"序时应完成{count(m.pace.expected)}个，{pace_phrase(m.pace)}。")
    if not any(z.values for z in zones):     # otherwise the 主要指标 section gives them, with the table
        text += _city_money(progress)
    by_metric = Counter(metric for p in projects for metric in p.metrics)
    text += (f"{period(progress.year, as_of.month)}，计入各开发区引进目标的项目共{len(projects)}个，其中"
             + "、".join(f"{m.short_label}项目{by_metric.get(m.key, 0)}个" for m in M.zone_metrics()
                        if m.counted_by == M.BY_SIGNING) + "。")
    this_month = [p for p in projects if (p.signed_on.year, p.signed_on.month) == (as_of.year, as_of.month)]
    if this_month:
        notable = sorted(this_month, key=lambda p: (-(p.size_cny or 0), p.zone_name, p.name))[:3]
        text += (f"{as_of.month}月新签约计入目标的项目{len(this_month)}个，投资规模较大的有："
                 + "；".join(f"{esc(p.name)}（{esc(p.zone_name)}，"
                            f"{'，'.join(amount_lines(p.total_investment, p.foreign_capital, p.foreign))}）"
                            for p in notable) + "。")
    else:
        text += f"{as_of.month}月无新签约计入目标的项目。"
    out.append(para(text))

    firsts = []
    for tier, label in T.TIERS.items():
        first = [z for z in progress.zones_in_tier(tier) if z.rank_in_tier == 1 and z.metrics]
        if first:
            firsts.append(f"{label}开发区中{_names(first)}（综合得分{tenths(first[0].score)}分）")
    if firsts:
        out.append(para("赛马排名方面，" + "，".join(firsts) + "位列第一。"))
    return out


# ---------------------------------------------------------------- 主要指标 (money, issue 19)

def _main_indicators(progress, zones, tables):
    """Money figures exact to the fen/cent (in 万, six decimals at most), with the base of
    every growth rate; a zero base reads 上年同期为零."""
    out = [para(f"到位资金、营业收入、实际使用外资为{year_to(progress)}累计，上年同期为对应期间；"
                "外币到位资金按到位当年的年度汇率折人民币，金额精确到分。")]
    text = _city_money(progress)
    if text:
        out.append(para(text))
    rows = [[para(h, HEAD) for h in ("开发区", "指标", "本年累计", "上年同期", "增长", "目标")]]
    for z in zones:
        for v in z.values:
            rows.append([z.name, v.label, format_wan(v.current, v.currency), format_wan(v.base, v.currency),
                         v.growth.label, v.floor_label])
    if len(rows) > 1:
        w = WIDTH
        out += captioned(f"表{tables.next()}　开发区主要指标", table(
            rows, [w * 0.2, w * 0.16, w * 0.22, w * 0.22, w * 0.1, w * 0.1], zebra=True, size=9,
            aligns=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"), nowrap=(2, 3), flex=1))
    out.append(para(esc(GROWTH_RULE), NOTE))
    return out


def _city_money(progress) -> str:
    """The city's money sentences; none while no money has been reported in either year."""
    if not any(v.current or v.base for v in progress.city_values):
        return ""
    return "".join(f"全市{esc(v.label)}{esc(v.actual_label)}（本年累计{esc(format_wan(v.current, v.currency))}，"
                   f"上年同期{esc(format_wan(v.base, v.currency))}），目标{esc(v.floor_label)}以上，{esc(v.pace.label)}。"
                   for v in progress.city_values)


def year_to(progress) -> str:
    return f"{progress.year}年1月至{progress.as_of.month}月（到位资金截至{month_day(progress.as_of)}）"


# ---------------------------------------------------------------- 二、赛马排名

def _rankings(progress, tables):
    out = [para("各开发区在同类开发区内按综合得分排名。表中每格上行为实际完成数（领导对接项目为"
                "已对接项目数/对接任务数），下行为进度判定；表头注明各项指标的规模标准、目标（下限～争取）"
                "和截至本期的序时应完成数。")]
    for tier, label in T.TIERS.items():
        zones = progress.zones_in_tier(tier)
        if zones and zones[0].metrics:
            out += captioned(f"表{tables.next()}　{label}开发区赛马排名", _ranking_table(zones, progress.share))
    out.append(para(f"排名规则：{esc(RANKING_FORMULA)}", NOTE))
    out.append(para(f"进度判定：{esc(PACE_RULE)}", NOTE))
    return out


def _head_label(label: str) -> str:
    """Metric names in two even lines for narrow heads: 引进外资 / 项目."""
    if label.endswith("项目") and len(label) > 4:
        return f"{esc(label[:-2])}<br/>项目"
    return esc(label)


def _ranking_table(zones, share):
    metrics = zones[0].metrics
    fixed = [28, 80, 34]
    each = (WIDTH - sum(fixed)) / len(metrics)
    widths = fixed + [each] * len(metrics)
    head = [para("名次", HEAD), para("开发区", HEAD), para("综合<br/>得分", HEAD)]
    quota = next((l.quota for z in zones for l in z.leaders), None)
    for m in metrics:
        lines = [f"<font name='{HEI}' size='9'>{_head_label(m.label)}</font>"]
        if m.metric == T.LEADER_CONTACTS:
            lines.append(f"每人{quota}个" if quota else "人数×任务")
            lines.append(f"序时{percent(share)}")
        else:
            if m.threshold_label:
                lines.append(esc(m.threshold_label))
            lines.append(f"目标{target_range(m.floor, m.stretch)}")
            lines.append(f"序时{count(m.pace.expected)}个")
        head.append(para("<br/>".join(lines), HEAD_METRIC))
    rows = [head]
    for z in zones:
        row = [str(z.rank_in_tier), z.name, tenths(z.score)]
        for m in z.metrics:
            figure = f"{m.actual}/{m.floor}" if m.metric == T.LEADER_CONTACTS else str(m.actual)
            status = PACE_LABELS[m.pace.status]
            status = behind(status) if m.pace.status == BEHIND else status
            row.append(para(f"{figure}<br/><font size='8.5'>{status}</font>", CELL_C))
        rows.append(row)
    # Rows align at the top so rank, zone, score and every figure share one text line.
    return table(rows, widths, aligns=["CENTER", "LEFT", "RIGHT"] + ["CENTER"] * len(metrics),
                 extra=[("LEFTPADDING", (3, 0), (-1, 0), 1.5), ("RIGHTPADDING", (3, 0), (-1, 0), 1.5),
                        ("VALIGN", (0, 1), (-1, -1), "TOP")])


# ---------------------------------------------------------------- 三、领导对接任务

def _leaders(progress, zones, tables):
    leaders = [l for z in zones for l in sorted(z.leaders, key=lambda l: (-l.contacted, l.username))]
    if not leaders:
        return [para("各开发区尚未设置领导账号。")]
    quotas = {}
    for l in leaders:
        quotas.setdefault(l.tier, l.quota)
    lines = "、".join(f"{T.TIERS[t]}开发区每人{q}个" for t, q in sorted(quotas.items()))
    behind_count = sum(1 for l in leaders if not l.pace.on_pace)
    out = [para(f"开发区领导全年对接项目任务为{lines}（一年内对接的不同项目数，同一项目多次对接只计一次）。"
                f"截至{month_day(progress.as_of)}，应完成全年任务的{percent(progress.share)}，"
                f"{len(leaders)}名领导中{behind_count}名落后于序时进度。")]
    rows = [[para(h, HEAD) for h in ("序号", "开发区", "领导", "已对接<br/>项目", "全年<br/>任务",
                                     "序时<br/>应完成", "完成率", "进度")]]
    for n, l in enumerate(leaders, start=1):
        status = Red(f"落后{tenths(-l.pace.gap)}") if l.pace.status == BEHIND else l.pace.label
        rows.append([str(n), l.zone_name, l.name, str(l.contacted), str(l.quota), tenths(l.pace.expected),
                     ratio(l.contacted, l.quota), status])
    out += captioned(f"表{tables.next()}　开发区领导对接任务完成情况",
                     table(rows, [30, 104, 70, 46, 40, 48, 48, 56.2], zebra=True, nowrap=(2, 7), flex=1,
                           aligns=["CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "CENTER"]))
    out.append(para("注：按开发区排列，同一开发区内按已对接项目数由多到少排列；“落后”后的数字为距序时应完成数的差距。", NOTE))
    return out


# ---------------------------------------------------------------- 四、计入引进目标的项目

SCOPE = ("按签约日期计入当年，签约后终止的不计；规模标准按开发区所属类别的目标确定，外资项目比较合同外资，"
         "内资项目比较总投资，按年度汇率折算")


def _counted_summary(progress, projects):
    if not projects:
        return [para(f"截至{month_day(progress.as_of)}，尚无计入各开发区引进目标的项目（{SCOPE}）。")]
    by_zone = Counter(p.zone_name for p in projects)
    top = sorted(by_zone.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    new = sum(1 for p in projects if _in_report_month(p, progress))
    return [para(f"截至{month_day(progress.as_of)}，计入各开发区引进目标的项目共{len(projects)}个（{SCOPE}），"
                 f"其中项目较多的是{esc('、'.join(f'{name}{n}个' for name, n in top))}。"
                 f"{progress.as_of.month}月新计入{new}个，名单见附件1。")]


def _in_report_month(p, progress) -> bool:
    return (p.signed_on.year, p.signed_on.month) == (progress.as_of.year, progress.as_of.month)


def _counted_table(progress, projects, zones):
    """The month's newly counted projects: a monthly bulletin reports what changed; the
    year-to-date figures are in the text and the rankings, and every list is in the system."""
    month = progress.as_of.month
    projects = [p for p in projects if _in_report_month(p, progress)]
    if not projects:
        return [para(f"{month}月没有新计入各开发区引进目标的项目。", PLAIN)]
    order = {z.id: n for n, z in enumerate(zones)}
    ordered = sorted(projects, key=lambda p: (order.get(p.zone_id, 1 << 30), p.signed_on, p.name))
    rows = [[para(h, HEAD_SMALL) for h in ("序号", "开发区", "项目名称及投资方", "总投资", "合同外资",
                                           "签约<br/>日期", "阶段", "计入<br/>指标")]]
    for n, p in enumerate(ordered, start=1):
        origin = f"（{esc(p.origin_label)}）" if p.foreign else ""
        rows.append([
            str(n), p.zone_name,
            para(f"{esc(p.name)}<br/><font size='8.5'>{esc(p.investor)}{origin}</font>", CELL_SMALL),
            format_amount(p.total_investment) if p.total_investment else "—",
            format_amount(p.foreign_capital) if p.foreign and p.foreign_capital else "—",
            month_day(p.signed_on) if p.signed_on.year == progress.year else cndate(p.signed_on),
            STAGES[p.stage], "\n".join(M.get(m).short_label for m in p.metrics),
        ])
    return [para(f"{progress.as_of.year}年{month}月新计入的项目共{len(ordered)}个（{SCOPE}；阶段为截至"
                 f"{cndate(progress.as_of)}达到的阶段）。全年累计名单可在系统“进度总览”中点开各项数字查看并导出。", NOTE),
            table(rows, [24, 66, 124, 60, 70, 40, 26, 32], zebra=True, size=9.5, nowrap=(3, 4, 5, 6, 7), flex=2,
                  aligns=["CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "CENTER", "CENTER", "CENTER"])]


# ---------------------------------------------------------------- 五、落后情况

NUMBERED = ["CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"]


def _lag(gap, target) -> str:
    """How far behind as a share of the target: the order of tables 5 and 6, so it is shown."""
    return percent(Fraction(-gap) / (target or 1))


def _behind(progress, zones, tables):
    lagging = [(z, m) for z in zones for m in z.metrics if not m.pace.on_pace]
    lagging.sort(key=lambda zm: (zm[1].pace.gap / (zm[1].floor or 1), zm[0].tier, zm[0].rank_in_tier, zm[0].code))
    leaders = sorted((l for l in progress.leaders if not l.pace.on_pace),
                     key=lambda l: (l.pace.gap / (l.quota or 1), l.zone_code, l.username))
    if not lagging and not leaders:
        return [para(f"截至{month_day(progress.as_of)}，各开发区各项指标和各位领导的对接任务均达到序时进度。")]
    zone_count = len({z.id for z, _ in lagging})
    out = [para(f"截至{month_day(progress.as_of)}，{zone_count}个开发区的{len(lagging)}项指标、"
                f"{len(leaders)}名领导的对接任务落后于序时进度，按落后程度（差距占目标的比例）由大到小排列如下。")]
    if lagging:
        rows = [[para(h, HEAD) for h in ("序号", "开发区", "指标", "实际", "目标<br/>下限", "序时<br/>应完成", "差距",
                                         "差距占<br/>目标")]]
        for n, (z, m) in enumerate(lagging, start=1):
            size = f"<br/><font size='8.5'>{esc(m.threshold_label)}</font>" if m.threshold_label else ""
            rows.append([str(n), z.name, para(esc(m.label) + size, CELL), str(m.actual), str(m.floor),
                         tenths(m.pace.expected), Red(tenths(m.pace.gap)), Red(_lag(m.pace.gap, m.floor))])
        out += captioned(f"表{tables.next()}　落后于序时进度的开发区指标",
                         table(rows, [30, 94, 100, 36, 38, 48, 44, 52.2], zebra=True, aligns=NUMBERED,
                               nowrap=(3, 4, 5, 6, 7), flex=1))
    if leaders:
        rows = [[para(h, HEAD) for h in ("序号", "开发区", "领导", "已对接<br/>项目", "全年<br/>任务",
                                         "序时<br/>应完成", "差距", "差距占<br/>任务")]]
        for n, l in enumerate(leaders, start=1):
            rows.append([str(n), l.zone_name, l.name, str(l.contacted), str(l.quota), tenths(l.pace.expected),
                         Red(tenths(l.pace.gap)), Red(_lag(l.pace.gap, l.quota))])
        out += captioned(f"表{tables.next()}　落后于序时进度的开发区领导",
                         table(rows, [30, 100, 64, 46, 40, 48, 44, 70.2], zebra=True, aligns=NUMBERED,
                               nowrap=(2, 3, 4, 5, 6, 7), flex=1))
    return out


# ---------------------------------------------------------------- 附件2 各开发区

def _zone_sections(progress, zones, projects):
    per_zone = Counter(p.zone_id for p in projects)
    out = [para(f"数据截至{cndate(progress.as_of)}，序时进度{percent(progress.share)}。图中条形为各项指标"
                "实际完成数占目标下限的比例（落后于序时进度的为红色），虚线为序时进度，短竖线为争取目标。", NOTE)]
    for n, z in enumerate(zones, start=1):
        title = para(f"（{cn_number(n)}）{esc(z.name)}", H2)
        if not z.metrics:
            out.append(KeepTogether([title, para(f"{T.TIERS[z.tier]}开发区，本年度目标尚未设置。")]))
            continue
        text = f"{T.TIERS[z.tier]}开发区同类第{z.rank_in_tier}名，综合得分{tenths(z.score)}分。"
        lagging_metrics = [m for m in z.metrics if not m.pace.on_pace]
        if lagging_metrics:
            text += "落后于序时进度的指标：" + "、".join(
                f"{esc(m.label)}（完成{m.actual}个，序时应完成{count(m.pace.expected)}个）" for m in lagging_metrics) + "；"
            text += "其余指标均达到序时进度。" if len(lagging_metrics) < len(z.metrics) else "。"
            text = text.replace("；。", "。")
        else:
            text += "各项指标均达到序时进度。"
        lagging = [l for l in z.leaders if not l.pace.on_pace]
        if z.leaders and lagging:
            text += f"{len(z.leaders)}名领导中{len(lagging)}名落后于序时进度（{_names(lagging)}）。"
        elif z.leaders:
            text += f"{len(z.leaders)}名领导均达到序时进度。"
        text += f"计入引进目标的项目{per_zone.get(z.id, 0)}个。"
        # A zone's section stays on one page: it is read (and often passed on) zone by zone.
        out.append(KeepTogether([title, ProgressChart(z.metrics, progress.share), Spacer(1, 8), para(text)]))
    return out
