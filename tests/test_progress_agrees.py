"""The SQL counting in app/queries/progress.py gives exactly the numbers the domain rules give.

Random ledgers and contacts are written through the services; every zone metric, every
leader count and the city figure are then recounted directly through app.domain.counting
at several as-of dates and compared.
"""
import random
from datetime import date, timedelta

from sqlalchemy import select

from app.domain import targets as T
from app.domain.counting import ContactFacts, counts_towards, leader_contact_counts, zone_leader_total
from app.models import Contact, Project, User
from app.domain.pipeline import stage_as_of
from app.queries.progress import build_progress, rates_for, stage_counts, targets_for

YEAR = 2024


def _random_world(rng, world, make_project, log_contact, db):
    zones = [world.zone_a, world.zone_c]
    leaders = {world.zone_a.id: [world.leader, world.leader2], world.zone_c.id: [world.other_leader]}
    today = date(YEAR + 1, 3, 1)

    def day(start=date(YEAR - 1, 10, 1), end=date(YEAR, 12, 31)):
        return start + timedelta(days=rng.randint(0, (end - start).days))

    for n in range(60):
        zone = rng.choice(zones)
        origin = rng.choice(["CN", "CN", "CN", "HK", "JP", "TW"])
        # Amounts cluster around the thresholds so the >= edges are exercised.
        total = rng.choice(["4999.99", "5000", "49999.99", "50000", "99999.99", "100000", "250000", None])
        capital = rng.choice(["99.99", "100", "4999.99", "5000", "12000", None]) if origin != "CN" else None
        planned = day()
        stages, on = [], planned
        for stage in ["negotiating", "signed", "started", "producing"][:rng.randint(0, 4)]:
            on = day(on, date(YEAR, 12, 31))
            stages.append((stage, on))
        if rng.random() < 0.2:
            stages.append(("dropped", day(on, date(YEAR + 1, 2, 1))))
        project = make_project(
            zone, name=f"项目{n}", investor=f"投资方{n}", origin=origin, total_wan=total, capital_wan=capital,
            is_manufacturing=rng.random() < 0.5, is_industrial=rng.random() < 0.5,
            key_level=rng.choice([None, None, "provincial", "municipal"]), planned_on=planned,
            stages=stages, today=today,
        )
        for _ in range(rng.randint(0, 4)):
            pool = leaders[zone.id]
            chosen = rng.sample(pool, rng.randint(1, len(pool)))
            log_contact(project, chosen, day(), today=today)


def test_sql_counts_equal_a_direct_recount_through_the_rules(world, make_project, log_contact, db):
    rng = random.Random(20240630)
    _random_world(rng, world, make_project, log_contact, db)
    projects = db.session.scalars(select(Project)).all()
    contacts = [ContactFacts(c.occurred_on, c.project_id, frozenset(l.id for l in c.leaders))
                for c in db.session.scalars(select(Contact))]
    by_tier, rates = targets_for(YEAR), rates_for(YEAR)
    leaders = db.session.scalars(select(User).where(User.role == "leader")).all()

    for as_of in (date(YEAR, 1, 1), date(YEAR, 3, 31), date(YEAR, 6, 30), date(YEAR, 9, 15), date(YEAR, 12, 31)):
        progress = build_progress(YEAR, as_of)
        expected_leaders = leader_contact_counts(contacts, YEAR, as_of)
        for lp in progress.leaders:
            assert lp.contacted == expected_leaders.get(lp.id, 0), (as_of, lp.username)
        for zp in progress.zones:
            targets = by_tier[zp.tier]
            for metric in zp.metrics:
                if metric.metric == T.LEADER_CONTACTS:
                    quota = targets[T.LEADER_CONTACTS].floor
                    counts = [expected_leaders.get(l.id, 0) for l in leaders if l.zone_id == zp.id]
                    assert metric.actual == zone_leader_total(counts, quota)
                    continue
                threshold = targets[metric.metric].threshold
                expected = sum(1 for p in projects if p.zone_id == zp.id
                               and counts_towards(p.facts(), metric.metric, threshold, YEAR, as_of, rates))
                assert metric.actual == expected, (as_of, zp.code, metric.metric)
        expected_stages = {}
        for p in projects:
            stage = stage_as_of(p.stage_dates(), as_of)
            if stage:
                zone_stages = expected_stages.setdefault(p.zone_id, {})
                zone_stages[stage] = zone_stages.get(stage, 0) + 1
        assert stage_counts(as_of) == expected_stages, as_of
        city_target = by_tier[None][T.NEW_START_INDUSTRIAL]
        expected_city = sum(1 for p in projects if counts_towards(
            p.facts(), T.NEW_START_INDUSTRIAL, city_target.threshold, YEAR, as_of, rates))
        assert progress.city[0].actual == expected_city
    # The data must actually exercise the rules, or the comparison proves nothing.
    final = build_progress(YEAR, date(YEAR, 12, 31))
    assert sum(m.actual for z in final.zones for m in z.metrics if m.metric != T.LEADER_CONTACTS) > 5
    assert sum(l.contacted for l in final.leaders) > 10
