"""Issued bulletins as their readers see them: the archive's list (which issue is in force,
which a correction superseded), one bulletin's ranking as published (the score, rank and
movement stored with it at issue time, never recomputed from today's data or from the JSON),
and who has opened it (read receipts)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, func, select, tuple_

from app.domain import metrics as M
from app.domain import ranking
from app.domain.funds import ZERO_BASE, format_wan
from app.domain.targets import TIERS
from app.extensions import db
from app.models import BulletinRead, BulletinStanding, ReportArchive, User, Zone, ZONE_ROLES
from app.models.report import issue_suffix


@dataclass
class ArchiveRow:
    id: int
    year: int
    month: int
    revision: int
    as_of: object
    issued_on: object
    issuer_name: str
    fingerprint: str
    size: int
    correction_note: str
    superseded: bool
    readers: int = 0

    @property
    def issue_label(self) -> str:
        return f"{self.year}年第{self.month}期{issue_suffix(self.revision)}"


def archive_rows(year: int | None = None, with_readers: bool = False) -> list[ArchiveRow]:
    """The archive's list, latest first, without loading the stored files: each row says
    whether a later correction superseded it; with_readers counts the zone users who opened it."""
    latest = (select(ReportArchive.kind, ReportArchive.year, ReportArchive.month,
                     func.max(ReportArchive.revision).label("revision"))
              .group_by(ReportArchive.kind, ReportArchive.year, ReportArchive.month).subquery())
    columns = [ReportArchive.id, ReportArchive.year, ReportArchive.month, ReportArchive.revision,
               ReportArchive.as_of, ReportArchive.issued_on, ReportArchive.issuer_name, ReportArchive.fingerprint,
               ReportArchive.size, ReportArchive.correction_note,
               (latest.c.revision != ReportArchive.revision).label("superseded")]
    query = (select(*columns).join(latest, and_(latest.c.kind == ReportArchive.kind, latest.c.year == ReportArchive.year,
                                                latest.c.month == ReportArchive.month))
             .order_by(ReportArchive.year.desc(), ReportArchive.month.desc(), ReportArchive.revision.desc()))
    if year is not None:
        query = query.where(ReportArchive.year == year)
    rows = [ArchiveRow(*row) for row in db.session.execute(query)]
    if with_readers and rows:
        counts = dict(db.session.execute(
            select(BulletinRead.archive_id, func.count()).join(User, User.id == BulletinRead.user_id)
            .where(BulletinRead.archive_id.in_([r.id for r in rows]), User.role.in_(ZONE_ROLES))
            .group_by(BulletinRead.archive_id)).all())
        for r in rows:
            r.readers = counts.get(r.id, 0)
    return rows


def archive(archive_id: int) -> ReportArchive | None:
    return db.session.get(ReportArchive, archive_id)


def superseding(row: ReportArchive) -> ReportArchive | None:
    """The correction now in force in place of `row`, if any."""
    return db.session.scalar(select(ReportArchive).where(
        ReportArchive.kind == row.kind, ReportArchive.year == row.year, ReportArchive.month == row.month,
        ReportArchive.revision > row.revision).order_by(ReportArchive.revision.desc()).limit(1))


def previous_issue(row: ReportArchive) -> ReportArchive | None:
    """The bulletin in force for the latest earlier month of the same year (movement is measured
    against it)."""
    earlier = (select(ReportArchive.month, func.max(ReportArchive.revision))
               .where(ReportArchive.kind == row.kind, ReportArchive.year == row.year, ReportArchive.month < row.month)
               .group_by(ReportArchive.month).order_by(ReportArchive.month.desc()).limit(1)).subquery()
    return db.session.scalar(select(ReportArchive).where(
        ReportArchive.kind == row.kind, ReportArchive.year == row.year,
        tuple_(ReportArchive.month, ReportArchive.revision).in_(select(earlier))))


# ---------------------------------------------------------------- the ranking as published

@dataclass
class PublishedMetric:
    metric: str
    floor: int
    stretch: int | None
    actual: int
    on_pace: bool

    @property
    def label(self) -> str:
        return M.label(self.metric)


@dataclass
class PublishedValue:
    """An amount or growth metric as issued (the progress JSON's zone_values): the amounts are
    in the score, the growth rates beside it."""
    metric: str
    is_growth: bool
    currency: str
    actual: Decimal | None
    floor: Decimal
    on_pace: bool

    @property
    def label(self) -> str:
        return M.label(self.metric)

    @property
    def actual_label(self) -> str:
        if self.is_growth:
            return ZERO_BASE if self.actual is None else f"{self.actual}%"
        return format_wan(self.actual, self.currency)

    @property
    def floor_label(self) -> str:
        return f"{self.floor}%" if self.is_growth else format_wan(self.floor, self.currency)


@dataclass
class PublishedZone:
    """A zone as the bulletin published it: score, rank and movement as stored at issue time
    (BulletinStanding), the count metrics from the progress JSON issued with it."""
    zone_id: int
    code: str
    name: str
    tier: str
    rank: int
    score: Fraction
    metrics: list[PublishedMetric]
    previous_rank: int | None = None
    values: list[PublishedValue] = field(default_factory=list)

    @property
    def movement(self) -> int | None:
        """Places climbed (进位, positive) or lost (退位, negative) since the previous bulletin."""
        return ranking.movement(self.rank, self.previous_rank)

    def metric(self, key: str) -> PublishedMetric | None:
        return next((m for m in self.metrics if m.metric == key), None)


@dataclass
class Published:
    """One bulletin's figures exactly as issued."""
    year: int
    as_of: str
    expected_share: float
    tiers: dict[str, list[PublishedZone]] = field(default_factory=dict)
    city: dict = field(default_factory=dict)
    previous: ReportArchive | None = None

    def zone(self, code: str) -> PublishedZone | None:
        return next((z for zones in self.tiers.values() for z in zones if z.code == code), None)

    def columns(self, tier: str) -> list[str]:
        keys = {m.metric for z in self.tiers.get(tier, []) for m in z.metrics}
        return [m.key for m in M.zone_metrics() if m.key in keys]


def stored_standings(archive_id: int | None) -> list[BulletinStanding]:
    """The standings an issued bulletin published, by tier and rank."""
    if archive_id is None:
        return []
    return list(db.session.scalars(select(BulletinStanding).where(BulletinStanding.archive_id == archive_id)
                                   .order_by(BulletinStanding.tier, BulletinStanding.rank, BulletinStanding.zone_id)))


def published(row: ReportArchive) -> Published | None:
    """The ranking a bulletin published: the stored standings, never recomputed. None for a
    bulletin archived before its figures were kept."""
    if not row.published:
        return None
    stored = db.session.execute(
        select(BulletinStanding, Zone.code, Zone.name).join(Zone, Zone.id == BulletinStanding.zone_id)
        .where(BulletinStanding.archive_id == row.id)
        .order_by(BulletinStanding.rank, Zone.code)).all()
    if not stored:
        return None
    data = row.published
    counts = {z["zone"]: [PublishedMetric(m["metric"], m["floor"], m.get("stretch"), m["actual"], m["on_pace"])
                          for m in z["metrics"]] for z in data.get("zones", [])}
    values = {z["zone"]: [PublishedValue(v["metric"], v["measures"] == M.GROWTH, v["currency"],
                                         None if v["actual"] is None else Decimal(v["actual"]), Decimal(v["floor"]),
                                         v["on_pace"]) for v in z["values"]]
              for z in data.get("zone_values", [])}
    tiers: dict[str, list[PublishedZone]] = {}
    for standing, code, name in stored:
        tiers.setdefault(standing.tier, []).append(PublishedZone(
            standing.zone_id, code, name, standing.tier, standing.rank, Fraction(standing.score), counts.get(code, []),
            standing.previous_rank, values.get(code, [])))
    return Published(data["year"], data["as_of"], data.get("expected_share", 0),
                     {tier: tiers[tier] for tier in TIERS if tier in tiers}, data.get("city", {}), row.previous)


# ---------------------------------------------------------------- read receipts

@dataclass
class Reader:
    user_id: int
    name: str
    username: str
    role: str
    first_read_at: datetime | None
    last_read_at: datetime | None
    reads: int


@dataclass
class ZoneReceipts:
    zone_id: int
    zone_name: str
    tier: str
    readers: list[Reader]

    @property
    def opened(self) -> int:
        return sum(1 for r in self.readers if r.first_read_at is not None)


def read_receipts(archive_id: int) -> list[ZoneReceipts]:
    """Every zone with its active leaders and staff and when each opened the bulletin: one query."""
    rows = db.session.execute(
        select(Zone.id, Zone.name, Zone.tier, User.id, User.name, User.username, User.role,
               BulletinRead.first_read_at, BulletinRead.last_read_at, BulletinRead.reads)
        .join(User, and_(User.zone_id == Zone.id, User.active.is_(True), User.role.in_(ZONE_ROLES)), isouter=True)
        .outerjoin(BulletinRead, and_(BulletinRead.user_id == User.id, BulletinRead.archive_id == archive_id))
        .order_by(Zone.tier, Zone.code, User.role, User.username))
    zones: dict[int, ZoneReceipts] = {}
    for zone_id, zone_name, tier, user_id, name, username, role, first, last, reads in rows:
        receipts = zones.setdefault(zone_id, ZoneReceipts(zone_id, zone_name, tier, []))
        if user_id is not None:
            receipts.readers.append(Reader(user_id, name, username, role, first, last, reads or 0))
    return list(zones.values())
