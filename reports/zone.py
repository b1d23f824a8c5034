"""A zone's own report (its metrics, leaders and ledger) and a leader's contact list.

Both are printed from a zone's screens; the same page, type and line breaking as the
bulletin, with a plainer head (they are working papers, not an issued document).
"""
from __future__ import annotations

from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Spacer

from app.domain import targets as T
from app.domain.counting import KEY_LEVELS
from app.domain.funds import GROWTH_RULE, format_wan
from app.domain.money import format_amount
from app.domain.pacing import BEHIND, ON_PACE
from app.domain.pipeline import STAGES
from app.domain.ranking import RANKING_FORMULA

from .chart import ProgressChart
from .fonts import register_fonts
from .layout import (
    BODY, BODY_LEADING, CELL, CELL_C, CELL_R, CELL_SMALL, CELL_SMALL_C, HEAD, NOTE, SMALL_R,
    SUBTITLE, WIDTH, BoldText, Rule, behind, captioned, esc, heading, para, render, table,
)
from .rows import ContactRow, LedgerProject
from .text import cn_number, cndate, count, month_day, pace_phrase, percent, ratio, target_range, tenths

HEAD_SMALL = ParagraphStyle("zone_head_small", parent=HEAD, fontSize=9, leading=11.5)
GENERATED = ParagraphStyle("generated", parent=NOTE, alignment=2)


def _head(title: str, subtitle: str, line: str | None = None):
    out = [BoldText(title, size=22, leading=32),
           para(subtitle, SUBTITLE)]
    if line:
        out.append(para(line, ParagraphStyle("zone_line", parent=SUBTITLE, fontSize=12, leading=18)))
    out += [Spacer(1, 6), Rule(0.8), Spacer(1, BODY_LEADING * 0.4)]
    return out


def _status(pace) -> str:
    label = pace.label
    return behind(label) if pace.status == BEHIND else label


def _status_with_gap(pace) -> str:
    """领先 / 落后 with the distance from 序时 under it; 符合序时 alone."""
    if pace.status == ON_PACE:
        return _status(pace)
    gap = f"{'差' if pace.gap < 0 else '超'}{tenths(abs(pace.gap))}个"
    return f"{_status(pace)}<br/><font size='8.5'>{behind(gap) if pace.status == BEHIND else gap}</font>"


# ---------------------------------------------------------------- zone report

def build_zone_report(progress, zone_id: int, ledger: list[LedgerProject], *, generated_on: date) -> bytes:
    register_fonts()
    zone = progress.zone(zone_id)
    if zone is None:
        raise ValueError(f"zone {zone_id} is not in the progress object")
    year, as_of = progress.year, progress.as_of
    story = _head(f"{zone.name}招商引资工作进展情况", f"（{year}年，截至{cndate(as_of)}）",
                  f"{T.TIERS[zone.tier]}开发区" + (f"　同类第{zone.rank_in_tier}名　综合得分{tenths(zone.score)}分"
                                                  if zone.metrics else ""))
    n = 0
    tables = 0

    def section(title):
        nonlocal n
        n += 1
        return heading(f"{cn_number(n)}、{title}")

    def caption(title):
        nonlocal tables
        tables += 1
        return f"表{tables}　{title}"

    story += section("目标完成情况")
    if not zone.metrics:
        story.append(para(f"{year}年度目标尚未设置。"))
    else:
        behind_count = sum(1 for m in zone.metrics if not m.pace.on_pace)
        story.append(para(f"截至{month_day(as_of)}，序时进度为{percent(progress.share)}。本区{len(zone.metrics)}项指标中"
                          + (f"{behind_count}项落后于序时进度。" if behind_count else "各项均达到序时进度。")))
        rows = [[para(h, HEAD_SMALL) for h in ("指标", "规模标准", "目标", "实际完成", "序时应完成", "完成率", "进度")]]
        for m in zone.metrics:
            target = f"任务{m.floor}个" if m.metric == T.LEADER_CONTACTS else target_range(m.floor, m.stretch)
            rows.append([para(esc(m.label), CELL), para(esc(m.threshold_label) or "—", CELL_SMALL_C),
                         para(target, CELL_C), para(str(m.actual), CELL_R), para(tenths(m.pace.expected), CELL_R),
                         para(ratio(m.actual, m.floor), CELL_R),
                         para(_status_with_gap(m.pace), CELL_C)])
        story += captioned(caption("目标完成情况"), table(rows, [98, 66, 56, 50, 56, 50, 66.2]))
        story.append(Spacer(1, 6))
        story.append(KeepTogether([ProgressChart(zone.metrics, progress.share)]))
        story.append(para("图中条形为实际完成数占目标下限的比例（落后于序时进度的为红色），虚线为序时进度，"
                          f"短竖线为争取目标。排名规则：{esc(RANKING_FORMULA)}", NOTE))

    if zone.values:
        story += section("主要指标（到位资金、营业收入、实际使用外资）")
        story += _main_indicators(zone, year, as_of, caption("主要指标"))

    story += section("领导对接任务")
    if not zone.leaders:
        story.append(para("本区尚未设置领导账号。"))
    else:
        leaders = sorted(zone.leaders, key=lambda l: (-l.contacted, l.username))
        quota = leaders[0].quota
        behind_count = sum(1 for l in leaders if not l.pace.on_pace)
        story.append(para(f"每位领导全年对接项目任务{quota}个，截至{month_day(as_of)}应完成"
                          f"{count(leaders[0].pace.expected)}个。{len(leaders)}名领导中"
                          + (f"{behind_count}名落后于序时进度。" if behind_count else "均达到序时进度。")))
        rows = [[para(h, HEAD_SMALL) for h in ("序号", "领导", "已对接项目", "全年任务", "序时应完成", "完成率", "进度")]]
        for i, l in enumerate(leaders, start=1):
            rows.append([para(str(i), CELL_C), para(esc(l.name), CELL), para(str(l.contacted), CELL_R),
                         para(str(l.quota), CELL_R), para(tenths(l.pace.expected), CELL_R),
                         para(ratio(l.contacted, l.quota), CELL_R),
                         para(_status_with_gap(l.pace), CELL_C)])
        story += captioned(caption("领导对接任务完成情况"), table(rows, [34, 100, 62, 56, 62, 56, 72.2], zebra=True))
        story.append(Spacer(1, 6))

    story += section("项目台账")
    if not ledger:
        story.append(para("本区台账中暂无在库项目。"))
    else:
        counts = {}
        for p in ledger:
            counts[p.stage] = counts.get(p.stage, 0) + 1
        summary = "、".join(f"{STAGES[s]}{counts[s]}个" for s in STAGES if s in counts)
        story.append(para(f"本区台账在库项目{len(ledger)}个（不含已终止项目），其中{summary}。"
                          "按阶段由高到低排列，同一阶段按下一步工作的计划日期排列。"))
        rows = [[para(h, HEAD_SMALL) for h in ("序号", "项目名称及投资方", "投资规模", "阶段", "分包<br/>领导",
                                               "最近<br/>对接", "下一步工作")]]
        for i, p in enumerate(ledger, start=1):
            marks = [f"{esc(p.investor)}{'（' + esc(p.origin_label) + '）' if p.foreign else ''}"]
            tags = ([KEY_LEVELS[p.key_level]] if p.key_level else []) + list(p.flags)
            if tags:
                marks.append(esc("　".join(tags)))
            amounts = []
            if p.foreign and p.foreign_capital is not None:
                amounts.append(f"外资{format_amount(p.foreign_capital)}")
            if p.total_investment is not None:
                amounts.append(format_amount(p.total_investment))
            step = esc(p.next_step) if p.next_step else "—"
            if p.next_step_on:
                when = month_day(p.next_step_on) if p.next_step_on.year == year else cndate(p.next_step_on)
                overdue = p.next_step_on < generated_on
                step += f"<br/><font size='8.5'>{behind(when + '（已逾期）') if overdue else when}</font>"
            rows.append([
                para(str(i), CELL_SMALL_C),
                para(f"{esc(p.name)}<br/><font size='8.5'>{'<br/>'.join(marks)}</font>", CELL_SMALL),
                para("<br/>".join(amounts) or "—", SMALL_R),
                para(STAGES[p.stage], CELL_SMALL_C), para(esc(p.leader_name) or "—", CELL_SMALL_C),
                month_day(p.last_contact_on) if p.last_contact_on and p.last_contact_on.year == year
                else cndate(p.last_contact_on) if p.last_contact_on else "—",
                para(step, CELL_SMALL),
            ])
        story += captioned(caption("项目台账"), table(rows, [24, 122, 92, 28, 44, 40, 92.2], zebra=True, size=8.5,
                                                  aligns=["CENTER"] * 7, nowrap=(5,), flex=1))
        story.append(para("注：项目台账为生成本报告时的情况；规模标准标注按本年度目标确定。", NOTE))
    story.append(para(f"生成日期：{cndate(generated_on)}", GENERATED))
    return render(story, title=f"{zone.name}{year}年招商引资工作进展情况", subject="开发区进展报告",
                  author=zone.name, created=as_of)


def _main_indicators(zone, year: int, as_of: date, title: str) -> list:
    """The money figures the desk shows for the zone (progress ZoneProgress.values): this
    year's sum to the as-of day or month, the same period last year, the growth (上年同期为零
    for a zero base), the target and the pace, exact to the fen/cent."""
    out = [para(f"到位资金为{year}年1月1日至{month_day(as_of)}累计，营业收入、实际使用外资为{year}年1月至{as_of.month}月"
                "累计，上年同期为对应期间；外币到位资金按到位当年的年度汇率折人民币，金额精确到分。")]
    rows = [[para(h, HEAD_SMALL) for h in ("指标", "本年累计", "上年同期", "增长", "目标", "进度")]]
    for v in zone.values:
        rows.append([v.label, format_wan(v.current, v.currency), format_wan(v.base, v.currency),
                     v.growth.label, v.floor_label, para(_status(v.pace), CELL_C)])
    w = WIDTH
    # Figures never wrap (a figure broken over two lines is misread); the 进度 column gives way.
    out += captioned(title, table(rows, [w * 0.17, w * 0.2, w * 0.2, w * 0.11, w * 0.18, w * 0.14], zebra=True,
                                  size=8.5, aligns=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "CENTER"),
                                  nowrap=(0, 1, 2, 3, 4), flex=5))
    out.append(para(esc(GROWTH_RULE), NOTE))
    return out


# ---------------------------------------------------------------- leader list

def build_leader_list(leader, contacts: list[ContactRow], *, start: date, end: date, generated_on: date) -> bytes:
    """`leader` is the LeaderProgress as of `end` (name, zone, quota, count, pace)."""
    register_fonts()
    story = _head(f"{leader.name}同志对接项目清单", f"（{leader.zone_name}，{cndate(start)}至{cndate(end)}）")
    projects = len({c.project_name for c in contacts})
    text = f"期间共对接{len(contacts)}次，涉及{projects}个项目。" if contacts else "期间没有对接记录。"
    text += (f"{end.year}年对接任务{leader.quota}个，截至{cndate(end)}已对接{leader.contacted}个项目"
             f"（一年内对接的不同项目数），序时应完成{count(leader.pace.expected)}个，{pace_phrase(leader.pace)}。")
    story.append(para(text, BODY))
    if contacts:
        rows = [[para(h, HEAD_SMALL) for h in ("序号", "日期", "项目", "形式", "对接情况", "同行领导")]]
        for i, c in enumerate(contacts, start=1):
            body = esc(c.summary)
            if c.next_step:
                body += f"<br/><font size='8.5'>下一步：{esc(c.next_step)}"
                body += f"（{month_day(c.next_step_on)}）" if c.next_step_on else ""
                body += "</font>"
            rows.append([
                para(str(i), CELL_SMALL_C), month_day(c.occurred_on) if c.occurred_on.year == end.year
                else cndate(c.occurred_on),
                para(f"{esc(c.project_name)}<br/><font size='8.5'>{STAGES.get(c.project_stage, '')}</font>",
                     CELL_SMALL),
                para(esc(c.form), CELL_SMALL_C), para(body, CELL_SMALL),
                para(esc("、".join(c.other_leaders)) or "—", CELL_SMALL),
            ])
        story += captioned("对接记录", table(rows, [28, 44, 112, 46, 160, 52.2], zebra=True, size=8.5,
                                             aligns=["CENTER"] * 6, nowrap=(1,), flex=4))
        story.append(para("注：项目阶段为生成本清单时的阶段。", NOTE))
    story.append(para(f"生成日期：{cndate(generated_on)}", GENERATED))
    return render(story, title=f"{leader.name}对接项目清单", subject=f"{cndate(start)}至{cndate(end)}",
                  author=leader.zone_name, created=end)
