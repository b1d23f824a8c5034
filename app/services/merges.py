"""Merging two projects of a zone that are one (staff, after the shared duplicate rule flagged
them): the duplicate's contacts, funds arrivals and quota credit move to the surviving project;
its stage history is recorded in the survivor's note (and, in full, in the audit record); the
duplicate is then deleted, with one audit record naming both. The caller commits.

The quota summary (leader_projects: a leader's first contact per year and project, which the
leader_months triggers follow) is recomputed from the contacts for exactly the keys the two
projects touch, written in key order within the caller's transaction, so it stays equal to a
recount and two writers lock rows in the same order."""
from __future__ import annotations

from sqlalchemy import delete, func, select, update

from app import audit
from app.audit import snapshot
from app.database import year_of
from app.domain.errors import UserFacingError
from app.domain.pipeline import STAGES
from app.extensions import db
from app.models import Contact, FundsArrival, LeaderProject, Project, StageChange, Task, User, project_co_leaders
from app.models.contact import contact_leaders
from app.services.projects import AUDITED_FIELDS
from app.services.tasks import refresh_projects


class MergeError(UserFacingError):
    """Two projects that cannot be merged as asked."""


def check_merge(survivor: Project, duplicate: Project) -> None:
    if survivor.id == duplicate.id:
        raise MergeError("不能把项目与它自己合并", "other")
    if survivor.zone_id != duplicate.zone_id:
        raise MergeError("只能合并本开发区的两个项目", "other")


def _move_co_leaders(survivor: Project, duplicate: Project) -> int:
    """The duplicate's other 分包领导 join the survivor's (after its own), none twice."""
    taken = {survivor.leader_id, *db.session.scalars(select(project_co_leaders.c.user_id)
                                                     .where(project_co_leaders.c.project_id == survivor.id))}
    if duplicate.leader_id is not None and duplicate.leader_id not in taken:
        candidates = [duplicate.leader_id]
    else:
        candidates = []
    candidates += db.session.scalars(select(project_co_leaders.c.user_id)
                                     .where(project_co_leaders.c.project_id == duplicate.id)
                                     .order_by(project_co_leaders.c.position)).all()
    moving = [uid for uid in dict.fromkeys(candidates) if uid not in taken]
    if moving and survivor.leader_id is None:  # the first of them leads, the others stand beside
        survivor.leader_id = moving.pop(0)
        db.session.flush()
    start = db.session.scalar(select(func.coalesce(func.max(project_co_leaders.c.position), 0))
                              .where(project_co_leaders.c.project_id == survivor.id))
    if moving:
        db.session.execute(project_co_leaders.insert(), [
            {"project_id": survivor.id, "user_id": uid, "position": start + n} for n, uid in enumerate(moving, 1)])
    return len(moving)


def merge_projects(survivor: Project, duplicate: Project, user: User | None) -> dict:
    """Fold `duplicate` into `survivor`; returns what moved (counts), as the audit records it."""
    check_merge(survivor, duplicate)
    keep_id, gone_id = survivor.id, duplicate.id
    history = db.session.scalars(select(StageChange).where(StageChange.project_id == gone_id)
                                 .order_by(StageChange.changed_on, StageChange.id)).all()
    before = {"survivor": snapshot(survivor, AUDITED_FIELDS), "merged": snapshot(duplicate, AUDITED_FIELDS),
              "merged_stage_history": [{"stage": s.stage, "changed_on": s.changed_on, "note": s.note,
                                        "corrected": s.corrected_at is not None} for s in history]}
    contacts = db.session.scalar(select(func.count()).select_from(Contact).where(Contact.project_id == gone_id))
    arrivals = db.session.scalar(select(func.count()).select_from(FundsArrival)
                                 .where(FundsArrival.project_id == gone_id))

    db.session.flush()
    db.session.execute(update(Contact).where(Contact.project_id == gone_id).values(project_id=keep_id))
    db.session.execute(update(FundsArrival).where(FundsArrival.project_id == gone_id).values(project_id=keep_id))
    tasks = db.session.scalar(select(func.count()).select_from(Task).where(Task.project_id == gone_id))
    db.session.execute(update(Task).where(Task.project_id == gone_id).values(project_id=keep_id))
    credit = _recredit(keep_id, gone_id)
    co_leaders = _move_co_leaders(survivor, duplicate)

    # The survivor's own stage history stands; the duplicate's is kept in words.
    lines = [f"{STAGES[s.stage]} {s.changed_on.isoformat()}{'（已更正）' if s.corrected_at else ''}"
             f"{'：' + s.note if s.note else ''}" for s in history if s.stage in STAGES]
    merged_note = f"【合并】并入项目“{duplicate.name}”（{duplicate.code or '无编号'}）" + (
        "，其阶段记录：" + "；".join(lines) if lines else "") + "。"
    survivor.note = (survivor.note + "\n" if survivor.note else "") + merged_note
    if duplicate.last_contact_on and (survivor.last_contact_on is None
                                       or duplicate.last_contact_on > survivor.last_contact_on):
        survivor.last_contact_on = duplicate.last_contact_on
    db.session.execute(delete(StageChange).where(StageChange.project_id == gone_id))
    refresh_projects([keep_id])  # the survivor's next step: the earliest open task, its own or moved
    db.session.flush()
    db.session.expire(duplicate)
    db.session.execute(delete(Project).where(Project.id == gone_id))
    moved = {"contacts": contacts, "arrivals": arrivals, "tasks": tasks, "stage_changes": len(history),
             "co_leaders": co_leaders,
             **credit}
    audit.record("merge", "project", keep_id, zone_id=survivor.zone_id, user=user, before=before,
                 after={"survivor_id": keep_id, "survivor_name": survivor.name, "merged_id": gone_id,
                        "merged_name": before["merged"]["name"], "moved": moved})
    db.session.expire(survivor)
    return moved


def _recredit(keep_id: int, gone_id: int) -> dict:
    """Recompute leader_projects for the two projects from their (now joined) contacts: the
    duplicate's rows go, the survivor's are set to each leader's first contact per year, every
    key written in (leader, year, project) order."""
    existing = {(r.leader_id, r.year, r.project_id): r.first_contact_on for r in db.session.execute(
        select(LeaderProject.leader_id, LeaderProject.year, LeaderProject.project_id, LeaderProject.first_contact_on)
        .where(LeaderProject.project_id.in_((keep_id, gone_id))))}
    wanted = {(leader_id, int(year), keep_id): first for leader_id, year, first in db.session.execute(
        select(contact_leaders.c.user_id, year_of(Contact.occurred_on), func.min(Contact.occurred_on))
        .join(Contact, Contact.id == contact_leaders.c.contact_id)
        .where(Contact.project_id == keep_id)
        .group_by(contact_leaders.c.user_id, year_of(Contact.occurred_on)))}
    removed = added = changed = 0
    table = LeaderProject.__table__
    for key in sorted(set(existing) | set(wanted)):
        leader_id, year, project_id = key
        where = (table.c.leader_id == leader_id, table.c.year == year, table.c.project_id == project_id)
        if key not in wanted:
            db.session.execute(table.delete().where(*where))
            removed += 1
        elif key not in existing:
            db.session.execute(table.insert().values(leader_id=leader_id, year=year, project_id=project_id,
                                                     first_contact_on=wanted[key]))
            added += 1
        elif existing[key] != wanted[key]:
            db.session.execute(table.update().where(*where).values(first_contact_on=wanted[key]))
            changed += 1
    return {"credit_removed": removed, "credit_added": added, "credit_changed": changed}

