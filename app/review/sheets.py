"""The desk's tables as spreadsheet rows: the same objects the pages render, cell for cell.

Each returns a Sheet (app.exports) whose headers carry their units; the desk gives one
sheet per tier, each metric headed with that tier's size threshold."""
from app.domain.money import CURRENCIES
from app.domain.pacing import PACE_LABELS
from app.domain.pipeline import STAGES
from app.domain.project_fields import plain_fields, project_field
from app.domain import metrics as M
from app.domain.targets import TIERS
from app.exports import Column, Sheet, tenths, wan


def desk_sheets(progress) -> dict[str, Sheet]:
    """One sheet per tier with zones: rank, zone, score, then per metric the actual count,
    the target floor and stretch and the pace, under the metric's name and threshold."""
    out = {}
    for tier, tier_label in TIERS.items():
        zones = progress.zones_in_tier(tier)
        if not zones:
            continue
        shown = [m.key for m in M.zone_metrics() if any(z.metric(m.key) for z in zones)]
        columns = [Column("名次", "int", 6), Column("开发区", width=22), Column("综合得分\n（分）", "decimal1", 9)]
        for metric in shown:
            sample = next(z.metric(metric) for z in zones if z.metric(metric))
            if M.get(metric).is_leader_quota:
                quota = next((l.quota for z in zones for l in z.leaders), None)
                group = f"{sample.label}（每人{quota}个）" if quota else sample.label
            else:
                group = f"{sample.label}（{sample.threshold_label}）" if sample.threshold_label else sample.label
            columns += [Column("实际\n（个）", "int", 8, group=group), Column("目标下限\n（个）", "int", 9, group=group),
                        Column("争取目标\n（个）", "int", 9, group=group), Column("进度", width=8, group=group)]
        rows = []
        for z in zones:
            row = [z.rank_in_tier, z.name, tenths(z.score)]
            for metric in shown:
                m = z.metric(metric)
                row += [m.actual, m.floor, m.stretch, PACE_LABELS[m.pace.status]] if m else [None] * 4
            rows.append(row)
        out[f"{tier_label}开发区"] = Sheet(columns, rows, title=f"{progress.year}年{tier_label}开发区招商引资进度")
    money = money_sheet(progress)
    if money is not None:
        out["主要指标"] = money
    return out


def money_sheet(progress) -> Sheet | None:
    """主要指标: every zone's and the city's amount and growth metrics, amounts in 元/美元 to
    the cent (as stored), growth as shown (上年同期为零 for a zero base). None while there is
    nothing to show: no zone money targets and no money reported."""
    rows = []
    reported = any(v.current or v.base for v in progress.city_values)
    for v in progress.city_values if reported else ():
        rows.append(["全市", v.label, CURRENCIES[v.currency], v.current, v.base, v.growth.label, v.floor_label,
                     v.pace.label])
    for tier in TIERS:
        for z in progress.zones_in_tier(tier):
            for v in z.values:
                rows.append([z.name, v.label, CURRENCIES[v.currency], v.current, v.base, v.growth.label,
                             v.floor_label, v.pace.label])
    if not rows:
        return None
    columns = [Column("开发区", width=22), Column("指标", width=18), Column("币种", width=8),
               Column("本年累计\n（元）", "wan", 18), Column("上年同期\n（元）", "wan", 18),
               Column("增长", width=12), Column("目标", width=18), Column("进度", width=12)]
    return Sheet(columns, rows, title=f"{progress.year}年开发区主要指标（截至{progress.as_of.month}月）")


def leaders_sheet(leaders):
    columns = [Column("领导", width=12), Column("用户名", width=12), Column("开发区", width=28), Column("类别", width=8),
               Column("已对接项目\n（个）", "int", 11), Column("全年任务\n（个）", "int", 10),
               Column("序时应完成\n（个）", "decimal1", 11),
               Column("超出(+)/落后(-)\n序时（个）", "decimal1", 16), Column("进度", width=10)]
    rows = [[l.name, l.username, l.zone_name, TIERS[l.tier], l.contacted, l.quota, tenths(l.pace.expected),
             tenths(l.pace.gap), PACE_LABELS[l.pace.status]] for l in leaders]
    return columns, rows


def projects_sheet(projects, with_zone=False):
    """A metric's projects, headed as the ledger heads them (domain.project_fields)."""
    def head(key, kind="text", width=12):
        return Column(project_field(key).header, kind, width)
    columns = ([Column("开发区", width=18)] if with_zone else []) + [
        head("code", width=14), head("name", width=28), head("investor_name", width=26), head("origin"),
        head("total_investment", "wan", 14),
        # In the currency it was contracted in (a foreign currency other than USD is possible).
        Column(f"{project_field('foreign_capital').label}（万）", "wan", 14),
        Column(f"{project_field('foreign_capital').label}币种", width=10), head("stage", width=8),
        head("planned_on", "date"), head("signed_on", "date"), head("started_on", "date"),
        *(head(f.key, width=16) for f in plain_fields())]
    rows = []
    for p in projects:
        rows.append(([p.zone.name] if with_zone else []) + [
            p.code, p.name, p.investor.name if p.investor else None, p.investor.origin_label if p.investor else None,
            wan(p.total_investment), wan(p.foreign_capital),
            CURRENCIES[p.foreign_capital_currency] if p.foreign_capital is not None else None,
            STAGES[p.stage], p.planned_on, p.signed_on, p.started_on,
            *(getattr(p, f.key) or None for f in plain_fields())])
    return columns, rows


def stale_sheet(projects):
    columns = [Column("开发区", width=18), Column("项目名称", width=28), Column("投资方", width=26),
               Column("项目阶段", width=8), Column("分包领导", width=10), Column("最近对接", "date")]
    rows = [[p.zone.name, p.name, p.investor.name if p.investor else None, STAGES[p.stage],
             p.leader.name if p.leader else None, p.last_contact_on] for p in projects]
    return columns, rows


def shared_sheet(groups):
    columns = [Column("比较依据", width=14), Column("比较值", width=24), Column("开发区", width=18),
               Column("投资方", width=30), Column("项目数", "int", 8)]
    rows = [[g.by, g.key, zone, name, n] for g in groups for zone, name, n in g.entries]
    return columns, rows
