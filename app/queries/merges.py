"""What merging two projects would move, for the confirmation page."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Contact, FundsArrival, LeaderProject, Project, StageChange


def merge_preview(survivor: Project, duplicate: Project) -> dict:
    def count(model, column):
        return db.session.scalar(select(func.count()).select_from(model).where(column == duplicate.id))

    def credited(project_id):
        return set(db.session.execute(select(LeaderProject.leader_id, LeaderProject.year)
                                      .where(LeaderProject.project_id == project_id)).all())
    theirs, ours = credited(duplicate.id), credited(survivor.id)
    return {"contacts": count(Contact, Contact.project_id),
            "arrivals": count(FundsArrival, FundsArrival.project_id),
            "stage_changes": count(StageChange, StageChange.project_id),
            "credits": len(theirs), "credits_shared": len(theirs & ours)}


def project_by_reference(zone_id: int, reference: str) -> Project | None:
    """The zone's project by its ledger code, or "#id" as the candidate list submits it."""
    if reference.startswith("#"):
        number = reference[1:]
        if not number.isdigit() or not 0 < int(number) < 2 ** 31:
            return None
        return db.session.scalar(select(Project).where(Project.zone_id == zone_id, Project.id == int(number)))
    return db.session.scalar(select(Project).where(Project.zone_id == zone_id, Project.code == reference)
                             .order_by(Project.id).limit(1))
