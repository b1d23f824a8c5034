"""The desk's tables as spreadsheet rows: the same objects the pages render, cell for cell."""
from app.domain.money import CURRENCIES
from app.domain.pacing import PACE_LABELS
from app.domain.pipeline import STAGES
from app.domain import metrics as M
from app.domain.targets import TIERS
from app.exports import Column, tenths, wan


def zones_sheet(progress):
    columns = [Column("类别", width=8), Column("名次", "int", 8), Column("开发区", width=20),
               Column("综合得分", "decimal1", 10)]
    metrics = M.zone_metrics()
    for metric in metrics:
        label = metric.label
        columns += [Column(f"{label}\n实际", "int", 10), Column(f"{label}\n目标下限", "int", 10),
                    Column(f"{label}\n争取目标", "int", 10), Column(f"{label}\n进度", width=10)]
    rows = []
    for tier in TIERS:
        for z in progress.zones_in_tier(tier):
            row = [TIERS[tier], z.rank_in_tier, z.name, tenths(z.score)]
            for metric in metrics:
                m = z.metric(metric.key)
                row += [m.actual, m.floor, m.stretch, PACE_LABELS[m.pace.status]] if m else [None] * 4
            rows.append(row)
    return columns, rows


def leaders_sheet(leaders):
    columns = [Column("领导", width=12), Column("用户名", width=12), Column("开发区", width=20), Column("类别", width=8),
               Column("已对接项目", "int"), Column("任务", "int", 8), Column("序时应完成", "decimal1"),
               Column("超出(+)/落后(-)序时", "decimal1", 16), Column("进度", width=10)]
    rows = [[l.name, l.username, l.zone_name, TIERS[l.tier], l.contacted, l.quota, tenths(l.pace.expected),
             tenths(l.pace.gap), PACE_LABELS[l.pace.status]] for l in leaders]
    return columns, rows


def projects_sheet(projects, with_zone=False):
    columns = ([Column("开发区", width=18)] if with_zone else []) + [
        Column("项目编号", width=14), Column("项目名称", width=28), Column("投资方", width=26),
        Column("投资方国别或地区", width=12), Column("总投资（万元）", "wan", 14), Column("合同外资（万）", "wan", 14),
        Column("合同外资币种", width=10), Column("项目阶段", width=8), Column("谋划日期", "date"),
        Column("签约日期", "date"), Column("开工日期", "date")]
    rows = []
    for p in projects:
        rows.append(([p.zone.name] if with_zone else []) + [
            p.code, p.name, p.investor.name if p.investor else None, p.investor.origin_label if p.investor else None,
            wan(p.total_investment), wan(p.foreign_capital),
            CURRENCIES[p.foreign_capital_currency] if p.foreign_capital is not None else None,
            STAGES[p.stage], p.planned_on, p.signed_on, p.started_on])
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
