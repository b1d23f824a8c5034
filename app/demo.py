"""Deterministic demo data: the zones seed 004 names, users for every role, and a year of
plausible projects and contacts up to `today`, written through the same services as the app.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from .services.contacts import ContactInput, log_contacts
from .domain.money import Money
from .domain.pipeline import DROPPED, NEGOTIATING, ORDER, SIGNED
from .extensions import db
from .domain.classifications import LEGACY_INDUSTRIES, legacy_industry
from .models import ADMIN, AUDITOR, BUREAU, CONTACT_FORMS, LEADER, STAFF, User, Zone
from .services.notifications import mark_history_read
from .services.projects import ProjectInput, change_stage, create_project
from .services.reference import load_target_set

DEMO_PASSWORD = "Demo@2024"
DEMO_PROVINCE = "河北省"

# (code, name, county, kind, level, tier, leaders)
ZONES = [
    ("sjzgx", "石家庄高新区", "裕华区", "高新区", "国家级", "A", 5),
    ("sjzjk", "石家庄经开区", "栾城区", "经开区", "国家级", "A", 5),
    ("zdgx", "正定高新区", "正定县", "高新区", "省级", "B", 4),
    ("lqjk", "鹿泉经开区", "鹿泉区", "经开区", "省级", "B", 4),
    ("zbzz", "装备制造产业园", "栾城区", "产业园", "省级", "B", 4),
    ("gcjk", "藁城经开区", "藁城区", "经开区", "省级", "C", 3),
    ("xjjk", "辛集经开区", "辛集市", "经开区", "省级", "C", 3),
    ("jzjk", "晋州经开区", "晋州市", "经开区", "省级", "C", 3),
    ("zxjk", "赵县经开区", "赵县", "经开区", "省级", "C", 3),
]
PROJECTS_PER_TIER = {"A": 180, "B": 130, "C": 80}
# How each zone is doing this year, so the desk shows the spread it exists to show: within each
# tier one zone runs ahead of 序时进度, one keeps pace and one falls behind (in signings, key
# projects and its leaders' contacts).
DRIVE = {"sjzgx": "ahead", "sjzjk": "behind", "zdgx": "on_pace", "lqjk": "ahead", "zbzz": "behind",
         "gcjk": "on_pace", "xjjk": "ahead", "jzjk": "behind", "zxjk": "on_pace"}
# Final stage weights (lead, negotiating, signed, started, producing; dropped) by drive.
FINAL_WEIGHTS = {"ahead": [30, 28, 20, 12, 5, 5], "on_pace": [44, 34, 11, 4, 2, 5], "behind": [60, 33, 3, 1, 0, 3]}
KEY_WEIGHTS = {"ahead": [0.85, 0.05, 0.10], "on_pace": [0.87, 0.04, 0.09], "behind": [0.985, 0.005, 0.01]}
LEADER_PACES = {"ahead": [1.04, 1.15, 1.3, 1.45], "on_pace": [1.02, 1.04, 1.06, 0.8], "behind": [0.35, 0.5, 0.7, 1.04]}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
         "秀英", "建华", "志强", "海燕", "立新", "国庆", "晓东", "文博", "子涵", "振宇", "雅琴"]
CITIES = ["北京", "上海", "深圳", "杭州", "苏州", "天津", "广州", "南京", "青岛", "合肥", "成都", "武汉"]
WORDS = ["华创", "中科", "鼎盛", "恒信", "瑞丰", "远景", "正泰", "海纳", "博远", "金桥", "天润", "宏达",
         "新元", "智云", "同创", "卓越", "联合", "长城", "启明", "国泰"]
FOREIGN = [("HK", "香港{w}投资有限公司"), ("JP", "日本{w}株式会社"), ("DE", "{w}（德国）有限公司"),
           ("US", "美国{w}集团有限公司"), ("KR", "韩国{w}株式会社"), ("SG", "新加坡{w}控股有限公司"),
           ("TW", "台湾{w}科技股份有限公司")]
PRODUCTS = ["新能源电池", "生物医药产业园", "精密零部件", "智能装备制造基地", "数据中心", "新材料",
            "医疗器械", "汽车零部件", "食品加工", "光伏组件", "半导体封测", "冷链物流中心", "研发总部"]
SUMMARIES = ["介绍园区政策与用地条件，企业表示有投资意向", "对接项目选址与供地方案", "洽谈投资协议主要条款",
             "陪同企业考察标准厂房", "协调环评与能评手续", "研究企业提出的配套需求", "商议签约时间与仪式安排",
             "推进项目土地摘牌", "督导施工进度与用工保障", "了解企业投产后产能爬坡情况"]
NEXT_STEPS = ["报送项目建议书", "组织专题会研究", "安排企业二次考察", "起草投资协议", "对接土地指标",
              "协调供电供水", "办理施工许可"]


def load_demo(today: date) -> bool:
    """Load the demo once; a second run finds the zones and changes nothing."""
    if db.session.scalar(select(Zone.id).where(Zone.code == ZONES[0][0])) is not None:
        return False
    rng = random.Random(2024)
    load_target_set(2024)
    if today.year != 2024:
        load_target_set(today.year, 2024)
    _people(rng)
    _money_targets(today)
    db.session.flush()
    for code, *_ in ZONES:
        zone = db.session.scalar(select(Zone).where(Zone.code == code))
        _zone_year(rng, zone, today)
        _zone_money(rng, zone, today)
    # The year's history was written in one go: its "changed by someone else" notices are old news.
    mark_history_read()
    db.session.commit()
    return True


def _money_targets(today: date) -> None:
    """Demo yearly targets for the zones' money (the work points set only city-wide rates), and
    the previous year's FX rates, at which last year's arrivals convert."""
    from .domain import metrics as M
    from .domain.targets import FX_2024
    from .services.reference import add_target, save_rates
    save_rates(today.year - 1, dict(FX_2024), None)
    amounts = {"A": 400_000, "B": 200_000, "C": 80_000}     # 万元 of revenue a year
    for year in sorted({2024, today.year}):
        for tier, wan in amounts.items():
            for metric, value in ((M.FUNDS_ARRIVED, wan // 4), (M.REVENUE, wan * 10), (M.FDI_UTILISED, wan // 200)):
                add_target(year, tier, metric, None).floor_value = Decimal(value) * 10_000
            add_target(year, tier, M.REVENUE_GROWTH, None).floor_value = Decimal("10.00")


def _zone_money(rng: random.Random, zone: Zone, today: date) -> None:
    """A year of arrivals for the zone's signed projects and its monthly 营业收入 and 实际使用外资,
    with the previous year as the growth base (one zone stays at zero FDI last year, to show
    上年同期为零 and a breakthrough)."""
    from .domain.funds import FIXED_ASSETS, FOREIGN_PAID_IN, REGISTERED_CAPITAL
    from .models import Project
    from .services.funds import ArrivalInput, MonthlyInput, add_arrival, report_month
    scale = {"A": 40, "B": 20, "C": 8}[zone.tier]
    projects = db.session.scalars(select(Project).where(Project.zone_id == zone.id, Project.signed_on.is_not(None))
                                  .order_by(Project.id)).all()
    for year in (today.year - 1, today.year):
        last = date(year, 12, 31) if year < today.year else today
        for project in projects[: 12]:
            for _ in range(rng.randint(0, 3)):
                on = _day(rng, date(year, 1, 1), last)
                if project.is_foreign and rng.random() < 0.6:
                    money, kind = Money(Decimal(rng.randint(5, 3000) * 10_000) + Decimal(rng.randint(0, 99)) / 100,
                                        "USD"), FOREIGN_PAID_IN
                else:
                    money = Money(Decimal(rng.randint(50, 50_000) * 10_000) + Decimal(rng.randint(0, 99)) / 100, "CNY")
                    kind = rng.choice([FIXED_ASSETS, REGISTERED_CAPITAL])
                add_arrival(project, ArrivalInput(on, money, kind, rng.choice(["银行进账单", "验资报告", "统计报表"]),
                                                  f"PZ{year}{rng.randint(1000, 9999)}"), None, today=today)
        last_month = 12 if year < today.year else today.month - 1
        for month in range(1, last_month + 1):
            revenue = Money(Decimal(rng.randint(scale * 8_000, scale * 12_000)) * 10_000 + Decimal(rng.randint(0, 99)),
                            "CNY")
            zero_fdi = zone.code == "zxjk" and year < today.year
            fdi = None if zero_fdi else Money(Decimal(rng.randint(0, scale * 60)) * 10_000, "USD")
            report_month(MonthlyInput(zone.id, year, month, revenue, fdi), None, today)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _people(rng: random.Random) -> None:
    template = User()
    template.set_password(DEMO_PASSWORD)  # one hash for all: scrypt is slow by design

    def user(username, name, role, zone=None):
        db.session.add(User(username=username, name=name, role=role, zone=zone,
                            password_hash=template.password_hash))

    user("tcj", "市投促局 孙主任", BUREAU)
    user("admin", "系统管理员", ADMIN)
    user("auditor", "审计管理员", AUDITOR)
    for code, name, county, kind, level, tier, leader_count in ZONES:
        # One city, one province: the desk shows every zone on one page, as a city's bureau reads it.
        zone = Zone(code=code, name=name, province=DEMO_PROVINCE, county=county, kind=kind, level=level, tier=tier)
        db.session.add(zone)
        for n in range(1, leader_count + 1):
            user(f"{code}-l{n}", _name(rng), LEADER, zone)
        user(f"{code}-s1", _name(rng), STAFF, zone)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _zone_year(rng: random.Random, zone: Zone, today: date) -> None:
    jan1 = date(today.year, 1, 1)
    leaders = db.session.scalars(select(User).where(User.zone_id == zone.id, User.role == LEADER)
                                 .order_by(User.username)).all()
    staff = db.session.scalar(select(User).where(User.zone_id == zone.id, User.role == STAFF))
    drive = DRIVE[zone.code]
    projects = []
    for n in range(PROJECTS_PER_TIER[zone.tier]):
        foreign = rng.random() < 0.2
        brand = rng.choice(WORDS) + rng.choice(WORDS)     # the investor's trade name, e.g. 华创鼎盛
        if foreign:
            origin, pattern = rng.choice(FOREIGN)
            investor = pattern.format(w=brand)
        else:
            origin, investor = "CN", (f"{rng.choice(CITIES)}{brand}"
                                      f"{rng.choice(['科技', '实业', '新能源', '医药', '智能'])}有限公司")
        # Log-uniform 2千万元 .. 60亿元, to the 万元, as ledgers record it.
        total = Decimal(int(10 ** rng.uniform(3.3, 5.78))) * 10_000
        capital = Decimal(int(10 ** rng.uniform(2, 4.5))) * 10_000 if foreign else None
        planned = _day(rng, jan1 - timedelta(days=200), today)
        key = rng.choices([None, "provincial", "municipal"], KEY_WEIGHTS[drive])[0]
        if key and planned < jan1 and rng.random() < 0.6:
            planned = _day(rng, jan1, today)
        data = ProjectInput(
            name=f"{brand}{rng.choice(PRODUCTS)}项目", investor_name=investor, origin=origin,
            code=f"{zone.code.upper()}-{today.year}-{n + 1:03d}", industry=rng.choice(list(LEGACY_INDUSTRIES)),
            is_manufacturing=rng.random() < 0.5, is_industrial=rng.random() < 0.6,
            total_investment=Money(total, "CNY"),
            foreign_capital=Money(capital, "USD") if capital is not None else None,
            key_level=key, planned_on=planned, leader_id=rng.choice(leaders).id,
            responsible=staff.name, note="",
        )
        data.industry_code, tags = legacy_industry(data.industry, data.is_manufacturing)
        data.tags = "、".join(tags)
        project = create_project(zone.id, data, staff, stage="lead", stage_on=planned, today=today)
        final = rng.choices(ORDER + [DROPPED], FINAL_WEIGHTS[drive])[0]
        on = planned
        for stage in ORDER[1:ORDER.index(final) + 1] if final != DROPPED else [NEGOTIATING, DROPPED]:
            on = _day(rng, max(on, jan1 - timedelta(days=30)), today)
            if stage == SIGNED and on < jan1 and rng.random() < 0.7:
                on = _day(rng, max(on, jan1), today)
            change_stage(project, stage, on, "企业调整投资计划，项目终止" if stage == DROPPED else "", staff, today=today)
        projects.append(project)

    # Some leaders run ahead of 序时进度 and some fall behind; they share some contacts.
    for leader in leaders:
        pace = rng.choice(LEADER_PACES[drive])
        elapsed = ((today - jan1).days + 1) / 365
        quota = {"A": 100, "B": 80, "C": 50}[zone.tier]
        wanted = int(quota * elapsed * pace)
        pool = rng.sample(projects, min(len(projects), wanted)) if wanted else []
        for project in pool:
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                # Never before the project was planned (entered): nobody visits a project not yet known.
                on = _day(rng, max(jan1, project.planned_on), today)
                others = [l for l in leaders if l is not leader and rng.random() < 0.01]
                next_on = on + timedelta(days=rng.randint(7, 45)) if rng.random() < 0.5 else None
                if next_on is not None and next_on <= today and rng.random() < 0.95:
                    next_on = None      # a step whose day has passed was mostly done: a few stay overdue
                # A history, as an imported ledger: only a project's latest step stays open.
                log_contacts([ContactInput(
                    project=project, occurred_on=on, form=rng.choice(CONTACT_FORMS),
                    summary=rng.choice(SUMMARIES), leaders=[leader] + others,
                    recorded_by=rng.choice([leader, staff]),
                    next_step=rng.choice(NEXT_STEPS) if next_on else "", next_step_on=next_on,
                )], today=today, imported=True)
