"""Deterministic province-scale data: zones, leaders, projects and a year of contacts.

Written with bulk INSERTs (not through the services, which would take hours at this size);
the quota summary is then rebuilt from the contacts by the same `recount` the operators
have, so the benchmark reads exactly what the app would have written.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert, text

from app import clock
from app.domain.pipeline import stage_dates
from app.services.contacts import recount_leader_projects
from app.extensions import db
from app.models import (BUREAU, LEADER, STAFF, Contact, Investor, Project, StageChange, User, Zone,
                        contact_leaders)
from app.services.reference import load_target_set

PASSWORD = "Bench@2024"
ORIGINS = ["CN"] * 16 + ["HK", "HK", "TW", "JP", "KR", "SG", "DE", "US"]
# Most of a ledger is leads and talks; a zone signs a handful of projects a year (its targets
# are 1-10), so about a tenth of the ledger is signed or beyond.
STAGE_WEIGHTS = [("lead", 50), ("negotiating", 37), ("signed", 5), ("started", 3), ("producing", 2), ("dropped", 3)]
FORMS = ["外出拜访", "来访接待", "视频会议", "电话", "招商活动", "其他"]
# The 31 provinces, autonomous regions and municipalities of the mainland (the national bench).
PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
             "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
             "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
             "宁夏回族自治区", "新疆维吾尔自治区"]


@dataclass(frozen=True)
class Scale:
    zones: int = 200
    leaders: int = 1_000
    projects: int = 100_000
    contacts: int = 1_000_000

    def tenth(self) -> "Scale":
        return Scale(self.zones // 10, self.leaders // 10, self.projects // 10, self.contacts // 10)


def _weights(rng: random.Random, n: int) -> list[float]:
    """Zipf-like skew: a few zones (and leaders) far busier than the rest."""
    weights = [1 / (rank + 1) ** 0.8 for rank in range(n)]
    rng.shuffle(weights)
    return weights


def generate(scale: Scale, year: int, seed: int = 2024, batch: int = 20_000, provinces: int = 0) -> dict:
    """`provinces` > 0 spreads the zones over that many provinces (each tier over all of them);
    0 leaves 所属省份 blank, as a single city's install has it."""
    rng = random.Random(seed)
    load_target_set(year)
    template = User(username="x", name="x", role=BUREAU)
    template.set_password(PASSWORD)
    hashed = template.password_hash

    tiers = ["A"] * max(1, scale.zones // 20) + ["B"] * max(1, scale.zones // 5)
    tiers += ["C"] * (scale.zones - len(tiers))
    zones = [{"id": i + 1, "code": f"z{i + 1:03d}", "name": f"第{i + 1}开发区", "county": f"第{i % 30 + 1}县",
              "province": PROVINCES[i % provinces] if provinces else "",
              "kind": "经开区", "level": "省级", "tier": tiers[i]} for i in range(scale.zones)]
    db.session.execute(insert(Zone), zones)

    # Leaders spread over zones (every zone at least one), more in tier A.
    leader_zone = [z["id"] for z in zones]
    tier_weight = {"A": 3, "B": 2, "C": 1}
    pool = [z["id"] for z in zones for _ in range(tier_weight[z["tier"]])]
    leader_zone += [rng.choice(pool) for _ in range(scale.leaders - len(zones))]
    users = [{"id": 1, "username": "bureau", "name": "投促局", "role": BUREAU, "zone_id": None,
              "password_hash": hashed, "active": True, "created_at": datetime(year, 1, 1)}]
    for n, zone_id in enumerate(leader_zone):
        users.append({"id": n + 2, "username": f"l{n + 1:04d}", "name": f"领导{n + 1}", "role": LEADER,
                      "zone_id": zone_id, "password_hash": hashed, "active": True, "created_at": datetime(year, 1, 1)})
    for z in zones:
        users.append({"id": len(users) + 1, "username": f"s{z['id']:03d}", "name": f"专员{z['id']}", "role": STAFF,
                      "zone_id": z["id"], "password_hash": hashed, "active": True, "created_at": datetime(year, 1, 1)})
    db.session.execute(insert(User), users)
    leaders_of = {}
    for u in users:
        if u["role"] == LEADER:
            leaders_of.setdefault(u["zone_id"], []).append(u["id"])

    zone_weights = _weights(rng, len(zones))
    project_zone = rng.choices([z["id"] for z in zones], zone_weights, k=scale.projects)
    jan1 = date(year, 1, 1)
    last = min(clock.today(), date(year, 12, 31))
    stages, stage_w = zip(*STAGE_WEIGHTS)
    projects, investors, changes = [], [], []
    for pid, zone_id in enumerate(project_zone, start=1):
        origin = rng.choice(ORIGINS)
        investors.append({"id": pid, "zone_id": zone_id, "name": f"投资方{pid}有限公司",
                          "name_key": f"投资方{pid}" if rng.random() > 0.002 else "华创科技", "origin": origin, "usci": None})
        planned = min(jan1 - timedelta(days=rng.randint(-330, 200)), last)
        stage = rng.choices(stages, stage_w)[0]
        on = max(planned, jan1 - timedelta(days=60))
        history = [("lead", planned)]
        reached = {"negotiating": 1, "signed": 2, "started": 3, "producing": 4, "dropped": 1}.get(stage, 0)
        for s in ("negotiating", "signed", "started", "producing")[:reached]:
            on = min(on + timedelta(days=rng.randint(0, 90)), last)
            history.append((s, on))
        if stage == "dropped":
            history.append(("dropped", min(on + timedelta(days=rng.randint(1, 90)), last)))
        # The stage columns are what the pipeline's one rule makes of the history, as the service writes them.
        dates = stage_dates(history)
        milestone = {name: getattr(dates, name) for name in ("entered_on", "negotiating_on", "signed_on",
                                                             "started_on", "produced_on", "dropped_on")}
        total = int(10 ** rng.uniform(3, 6)) * 10_000_00  # cents: 1千万元 .. 100亿元
        capital = int(10 ** rng.uniform(1.5, 4.5)) * 10_000_00 if origin != "CN" else None
        projects.append({
            "id": pid, "zone_id": zone_id, "code": f"P{pid:06d}", "name": f"项目{pid}", "investor_id": pid,
            "industry": "其他", "is_foreign": origin != "CN", "is_manufacturing": rng.random() < 0.5, "is_industrial": rng.random() < 0.6,
            "total_investment": total, "total_investment_currency": "CNY",
            "foreign_capital": capital, "foreign_capital_currency": "USD",
            "key_level": rng.choices([None, "provincial", "municipal"], [90, 3, 7])[0], "planned_on": planned,
            "leader_id": rng.choice(leaders_of[zone_id]), "responsible": "", "note": "", "stage": stage,
            "created_at": datetime(year, 1, 1), "updated_at": datetime(year, 1, 1), **milestone,
        })
        changes += [{"project_id": pid, "stage": s, "changed_on": d, "note": "", "recorded_at": datetime(year, 1, 1)}
                    for s, d in history]
    # Amounts are inserted as stored integers (cents): bypass the Decimal type for speed.
    _bulk(Investor.__table__, investors, batch)
    _bulk(Project.__table__, projects, batch, raw_money=True)
    _bulk(StageChange.__table__, changes, batch)

    projects_of = {}
    for p in projects:
        projects_of.setdefault(p["zone_id"], []).append(p["id"])
    all_leaders = [u for u in users if u["role"] == LEADER]
    # Leaders differ, but within what one person can do: a log-normal spread, the busiest
    # about six times the median.
    leader_weights = [rng.lognormvariate(0, 0.6) for _ in all_leaders]
    chosen = rng.choices(all_leaders, leader_weights, k=scale.contacts)
    days = (last - jan1).days
    contacts, links = [], []
    for cid, leader in enumerate(chosen, start=1):
        zone_id = leader["zone_id"]
        zone_projects = projects_of.get(zone_id) or [p["id"] for p in projects[:1]]
        project_id = zone_projects[int(len(zone_projects) * rng.random() ** 2)]
        on = jan1 + timedelta(days=rng.randint(0, days))
        contacts.append({"id": cid, "zone_id": zone_id, "project_id": project_id, "occurred_on": on,
                         "form": FORMS[cid % len(FORMS)], "summary": "对接洽谈", "next_step": "",
                         "next_step_on": None, "recorded_by_id": leader["id"], "created_at": datetime(year, 1, 1)})
        links.append({"contact_id": cid, "user_id": leader["id"], "occurred_on": on})
        colleagues = leaders_of[zone_id]
        if len(colleagues) > 1 and rng.random() < 0.15:
            other = rng.choice(colleagues)
            if other != leader["id"]:
                links.append({"contact_id": cid, "user_id": other, "occurred_on": on})
        if len(contacts) >= batch:
            _bulk(Contact.__table__, contacts, batch)
            _bulk(contact_leaders, links, batch)
            contacts, links = [], []
    _bulk(Contact.__table__, contacts, batch)
    _bulk(contact_leaders, links, batch)
    db.session.execute(text(
        "UPDATE projects SET last_contact_on = (SELECT max(occurred_on) FROM contacts WHERE contacts.project_id = projects.id)"))
    recount_leader_projects(year)
    if db.session.get_bind().dialect.name == "postgresql":
        for table in ("users", "zones", "projects", "investors", "contacts", "stage_changes"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"zones": len(zones), "leaders": len(all_leaders), "projects": len(projects), "contacts": scale.contacts,
            "provinces": len({z["province"] for z in zones})}


def _bulk(table, rows, batch, raw_money=False):
    if not rows:
        return
    if raw_money:
        # Plain column objects without the ScaledDecimal type, so ints are written as they are.
        from sqlalchemy import Table, MetaData
        table = Table(table.name, MetaData(), autoload_with=db.session.connection())
    for start in range(0, len(rows), batch):
        db.session.execute(insert(table), rows[start:start + batch])
