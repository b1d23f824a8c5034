"""Loading a year's targets and FX rates: the 2024 work points are the set the product ships."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select

from app import audit
from app.domain.errors import UserFacingError
from app.domain import targets as T
from app.domain.metrics import GROWTH, label as metric_label
from app.domain.metrics import find as find_metric
from app.domain.money import CURRENCIES, Money
from app.extensions import db
from app.models import FxRate, Synonym, Target, User, Zone, ZoneTier


class ReferenceDataError(UserFacingError):
    """Reference data (targets, rates, zones) that cannot be saved as given."""


def load_target_set(year: int, source_year: int | None = None, example: str = T.DEFAULT_SET) -> bool:
    """Give `year` a target set: a copy of `source_year`'s, or one of the shipped example sets
    (domain.targets.TARGET_SETS: the 2024 work points by default, or Langfang's).

    Returns False and changes nothing when the year already has targets.
    """
    if db.session.scalar(select(Target.id).where(Target.year == year).limit(1)) is not None:
        return False
    if source_year is not None:
        rows = [(t.tier, t.value()) for t in db.session.scalars(select(Target).where(Target.year == source_year))]
        rates = {r.currency: r.rate for r in db.session.scalars(select(FxRate).where(FxRate.year == source_year))}
    else:
        if example not in T.TARGET_SETS:
            raise ReferenceDataError(f"没有名为“{example}”的示例目标")
        _name, by_tier, city = T.TARGET_SETS[example]
        rows = [(tier, t) for tier, ts in by_tier.items() for t in ts]
        rows += [(None, t) for t in city]
        rates = T.FX_2024
    for tier, t in rows:
        db.session.add(_target_row(year, tier, t))
    for currency, rate in rates.items():
        if db.session.scalar(select(FxRate.id).where(FxRate.year == year, FxRate.currency == currency)) is None:
            db.session.add(FxRate(year=year, currency=currency, rate=rate))
    audit.record("create", "target", None, after={"year": year, "copied_from": source_year
                                                  or T.TARGET_SETS[example][0]})
    return True


def _target_row(year: int, tier: str | None, t: T.Target) -> Target:
    return Target(year=year, tier=tier, metric=t.metric, floor=t.floor, stretch=t.stretch,
                  threshold_amount=t.threshold.amount if t.threshold else None,
                  threshold_currency=t.threshold.currency if t.threshold else None,
                  floor_value=t.floor_value, stretch_value=t.stretch_value)


def add_target(year: int, tier: str | None, metric: str, user: User | None) -> Target:
    """Add a metric to a year's target set (for one tier, or city-wide when tier is None), with
    an empty target the admin then fills in; any registered metric can be targeted."""
    m = find_metric(metric)
    if m is None:
        raise ReferenceDataError(f"未知指标：{metric}")
    if m.city != (tier is None):
        raise ReferenceDataError(f"“{m.label}”是{'全市' if m.city else '开发区'}指标")
    if tier is not None and tier not in T.TIERS:
        raise ReferenceDataError("开发区类别只能是 A、B、C")
    if db.session.scalar(select(Target.id).where(Target.year == year, Target.metric == metric,
                                                  Target.tier.is_(None) if tier is None else Target.tier == tier)):
        raise ReferenceDataError(f"{year}年度已有“{m.label}”目标")
    row = _target_row(year, tier, T.Target(metric, 0, None, None,
                                           Decimal("0.00") if m.has_value_target else None))
    db.session.add(row)
    db.session.flush()
    audit.record("create", "target", row.id, after=_target_values(row), **_who(user))
    return row


def remove_target(target: Target, user: User | None) -> None:
    before = _target_values(target)
    db.session.delete(target)
    audit.record("delete", "target", target.id, before=before, **_who(user))


@dataclass
class TargetInput:
    tier: str | None
    metric: str
    floor: int
    stretch: int | None
    threshold: Money | None
    floor_value: Decimal | None = None
    stretch_value: Decimal | None = None


def save_targets(year: int, rows: list[TargetInput], user: User | None) -> int:
    """Replace a year's targets row by row; every change is audited. Returns rows changed."""
    existing = {(t.tier, t.metric): t for t in db.session.scalars(select(Target).where(Target.year == year))}
    changed = 0
    for row in rows:
        m = find_metric(row.metric)
        if m is not None and m.has_value_target:
            error = T.value_target_error(row.floor_value, row.stretch_value, m.measures == GROWTH)
        else:
            error = T.target_error(row.floor, row.stretch, row.threshold)
        if error:
            raise ReferenceDataError(f"{T.TIERS.get(row.tier, '全市')} {metric_label(row.metric)}：{error}")
        target = existing.get((row.tier, row.metric))
        if target is None:
            raise ReferenceDataError(f"{year}年度没有“{metric_label(row.metric)}”目标，请先建立该年度目标")
        before = _target_values(target)
        target.floor, target.stretch = row.floor, row.stretch
        target.threshold_amount = row.threshold.amount if row.threshold else None
        target.threshold_currency = row.threshold.currency if row.threshold else None
        target.floor_value, target.stretch_value = row.floor_value, row.stretch_value
        after = _target_values(target)
        if after != before:
            changed += 1
            audit.record("update", "target", target.id, before=before, after=after, **_who(user))
    return changed


def save_rates(year: int, rates: dict[str, Decimal], user: User | None) -> None:
    for currency, rate in rates.items():
        if currency not in CURRENCIES or currency == "CNY":
            raise ReferenceDataError(f"未知币种：{currency}")
        if rate <= 0:
            raise ReferenceDataError(f"{CURRENCIES[currency]}汇率必须大于零")
        row = db.session.scalar(select(FxRate).where(FxRate.year == year, FxRate.currency == currency))
        before = str(row.rate) if row else None
        if row is None:
            row = FxRate(year=year, currency=currency, rate=rate)
            db.session.add(row)
        row.rate = rate
        if before != str(rate.quantize(Decimal("0.000001"))):
            db.session.flush()
            audit.record("update", "fx_rate", row.id, before={"year": year, "currency": currency, "rate": before},
                         after={"year": year, "currency": currency, "rate": rate}, **_who(user))


ZONE_FIELDS = ("code", "name", "province", "county", "kind", "level", "tier")


def save_zone(zone: Zone | None, values: dict, effective_year: int, user: User | None) -> Zone:
    """Create or change a zone. A new tier applies from `effective_year`; every earlier year
    with targets keeps the tier the zone had then, so past progress is not rewritten."""
    for field, label in (("code", "代码"), ("name", "名称")):
        clash = db.session.scalar(select(Zone).where(getattr(Zone, field) == values[field],
                                                     Zone.id != (zone.id if zone else None)))
        if clash is not None:
            raise ReferenceDataError(f"开发区{label}“{values[field]}”已被“{clash.name}”使用")
    if values["tier"] not in T.TIERS:
        raise ReferenceDataError("开发区类别只能是 A、B、C")
    creating = zone is None
    before = None if creating else {f: getattr(zone, f) for f in ZONE_FIELDS}
    if creating:
        zone = Zone()
        db.session.add(zone)
    elif values["tier"] != zone.tier:
        years = db.session.scalars(select(Target.year).distinct().where(Target.year < effective_year)).all()
        kept = set(db.session.scalars(select(ZoneTier.year).where(ZoneTier.zone_id == zone.id)))
        for year in years:
            if year not in kept:
                db.session.add(ZoneTier(zone_id=zone.id, year=year, tier=zone.tier))
        db.session.execute(delete(ZoneTier).where(ZoneTier.zone_id == zone.id, ZoneTier.year >= effective_year))
    values = {"province": "", **values}   # 所属省份: blank in a single-city install
    for field in ZONE_FIELDS:
        setattr(zone, field, values[field])
    db.session.flush()
    after = {f: getattr(zone, f) for f in ZONE_FIELDS}
    if creating:
        audit.record("create", "zone", zone.id, after=after, zone_id=zone.id, **_who(user))
    elif after != before:
        changes = {k for k in after if after[k] != before[k]}
        audit.record("update", "zone", zone.id, before={k: before[k] for k in changes},
                     after={**{k: after[k] for k in changes}, **({"effective_year": effective_year}
                                                                  if "tier" in changes else {})},
                     zone_id=zone.id, **_who(user))
    return zone


def _target_values(t: Target) -> dict:
    return {"year": t.year, "tier": t.tier, "metric": t.metric, "floor": t.floor, "stretch": t.stretch,
            "threshold": str(t.threshold_amount) if t.threshold_amount is not None else None,
            "currency": t.threshold_currency,
            **({"floor_value": str(t.floor_value), "stretch_value": _text(t.stretch_value)}
               if t.floor_value is not None else {})}


def _text(value):
    return None if value is None else str(value)


def _who(user):
    return {} if user is None else {"user": user}


# ---------------------------------------------------------------------------------------
# Synonyms of the closed vocabularies (走访 → 外出拜访, 制造业 → C), edited by the admin

def add_synonym(vocabulary: str, word: str, value: str, user: User | None) -> Synonym:
    """Add (or re-point) a word of a vocabulary; audited. The value is checked against the
    vocabulary's choices (a stage key, a form, a GB/T code …)."""
    from app.domain.classifications import synonym_error, word_key
    from app.domain.ledger import vocabulary_choices
    word, value = (word or "").strip(), (value or "").strip()
    error = synonym_error(vocabulary, word, value, vocabulary_choices().get(vocabulary, {}))
    if error:
        raise ReferenceDataError(error)
    existing = [s for s in db.session.scalars(select(Synonym).where(Synonym.vocabulary == vocabulary))
                if word_key(s.word) == word_key(word)]
    if existing:
        synonym = existing[0]
        before = {"word": synonym.word, "value": synonym.value}
        synonym.word, synonym.value = word, value
        audit.record("update", "synonym", synonym.id, before=before, after={"word": word, "value": value}, user=user)
        return synonym
    synonym = Synonym(vocabulary=vocabulary, word=word, value=value)
    db.session.add(synonym)
    db.session.flush()
    audit.record("create", "synonym", synonym.id, after={"vocabulary": vocabulary, "word": word, "value": value},
                 user=user)
    return synonym


def remove_synonym(synonym_id: int, user: User | None) -> None:
    synonym = db.session.get(Synonym, synonym_id)
    if synonym is None:
        raise ReferenceDataError("该同义词不存在")
    audit.record("delete", "synonym", synonym.id, before={"vocabulary": synonym.vocabulary, "word": synonym.word,
                                                          "value": synonym.value}, user=user)
    db.session.delete(synonym)
