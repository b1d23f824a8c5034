"""Existing projects that are likely the one being entered (domain.duplicates' rule), this
zone's first and then other zones', named as such. The database finds candidates by pieces
of the name, the investor's key and the credit code; the rule ranks them."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from app.domain.duplicates import Entry, likeness, name_fragments
from app.domain.names import company_key
from app.domain.pipeline import STAGES
from app.domain.usci import normalize_usci
from app.extensions import db
from app.models import Investor, Project, Zone
from app.queries.paging import contains

SCAN = 200  # candidates read per search, before ranking


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    code: str | None
    stage: str
    investor: str
    zone_id: int
    zone_name: str
    same_zone: bool
    reasons: tuple[str, ...]
    score: float

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "code": self.code or "", "stage": self.stage_label,
                "investor": self.investor, "zone": self.zone_name, "same_zone": self.same_zone,
                "reasons": list(self.reasons)}


def likely_duplicates(zone_id: int, name: str, investor: str = "", usci: str = "", *,
                      exclude_id: int | None = None, other_zones: bool = True, limit: int = 8) -> list[Candidate]:
    """The projects most likely the one described: the zone's own first, then (when asked)
    other zones', each with the reasons in words; the closest first within each."""
    entry = Entry(name or "", investor or "", usci or "")
    conditions = [contains(piece, Project.name) for piece in name_fragments(entry.name)]
    if entry.investor.strip():
        conditions.append(Investor.name_key == company_key(entry.investor)[:200])
    if entry.usci.strip():
        conditions.append(Investor.usci == normalize_usci(entry.usci))
    if not conditions:
        return []
    query = (select(Project.id, Project.name, Project.code, Project.stage, Project.zone_id,
                    Investor.name.label("investor"), Investor.usci, Zone.name.label("zone_name"))
             .outerjoin(Investor, Investor.id == Project.investor_id).join(Zone, Zone.id == Project.zone_id)
             .where(or_(*conditions)))
    if not other_zones:
        query = query.where(Project.zone_id == zone_id)
    if exclude_id is not None:
        query = query.where(Project.id != exclude_id)
    found = []
    for row in db.session.execute(query.order_by(Project.id.desc()).limit(SCAN)):
        reasons, score = likeness(entry, Entry(row.name, row.investor or "", row.usci or ""))
        if reasons:
            found.append(Candidate(row.id, row.name, row.code, row.stage, row.investor or "", row.zone_id,
                                   row.zone_name, row.zone_id == zone_id, reasons, score))
    found.sort(key=lambda c: (not c.same_zone, -c.score, -c.id))
    return found[:limit]
