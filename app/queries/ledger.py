"""The zone ledger as the pages and the API read it: the project and contact lists with their
filters, the contact form's project picker, a project's timeline, the zone's leaders.
The lists are given the user who reads them and show the rows app/queries/scope.py lets
that user see; the filters only narrow within them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import LEADER, Contact, Investor, Project, StageChange, User, Zone, contact_leaders
from app.queries.paging import contains
from app.queries.progress import Flag, kind_and_size_condition, rates_for
from app.queries.scope import in_scope
from .. import clock

PICKER_LIMIT = 20


# ---------------------------------------------------------------- people and zones

def zone_leaders(zone_id: int, active_only: bool = True) -> list[User]:
    """A zone's leaders by name: those in post, or (active_only=False) everyone who ever was,
    as a ledger that names a former leader still needs them."""
    query = select(User).where(User.zone_id == zone_id, User.role == LEADER)
    if active_only:
        query = query.where(User.active.is_(True))
    return db.session.scalars(query.order_by(User.name, User.username)).all()


def leaders_by_zone(zone_ids) -> dict[int, list[User]]:
    """Each zone's leaders in post, by username."""
    rows = db.session.scalars(select(User).where(User.zone_id.in_(zone_ids), User.role == LEADER,
                                                 User.active.is_(True)).order_by(User.username))
    result: dict[int, list[User]] = {}
    for user in rows:
        result.setdefault(user.zone_id, []).append(user)
    return result


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def users_by_username(usernames) -> list[User]:
    return db.session.scalars(select(User).where(User.username.in_(list(usernames)))).all()


def zone_by_code(code: str) -> Zone | None:
    return db.session.scalar(select(Zone).where(Zone.code == code))


def all_zones(user=None) -> list[Zone]:
    """Every zone (or, given a user, the zones that user sees), by tier and code."""
    query = select(Zone).order_by(Zone.tier, Zone.code)
    if user is not None:
        query = in_scope(query, user, Zone.id)
    return db.session.scalars(query).all()


# ---------------------------------------------------------------- projects

@dataclass(frozen=True)
class ProjectFilters:
    """What a ledger list is narrowed to; empty fields narrow nothing."""
    search: str = ""
    stage: str | None = None
    key_level: str | None = None
    origin: str | None = None  # "foreign" or "domestic"
    zone_id: int | None = None
    zone_code: str | None = None
    leader_username: str | None = None
    flag: Flag | None = None
    year: int | None = None  # whose FX rates decide a flag


def project_list(filters: ProjectFilters, user):
    """SELECT of the projects `user` sees that the filters keep, newest entry first."""
    query = in_scope(select(Project).outerjoin(Investor, Investor.id == Project.investor_id)
                     .options(joinedload(Project.investor), joinedload(Project.leader), joinedload(Project.zone),
                              selectinload(Project.co_leaders)), user, Project.zone_id)
    if filters.search.strip():
        query = query.where(contains(filters.search.strip()[:50], Project.name, Investor.name, Project.code))
    if filters.stage:
        query = query.where(Project.stage == filters.stage)
    if filters.key_level:
        query = query.where(Project.key_level == filters.key_level)
    if filters.origin in ("foreign", "domestic"):
        query = query.where(Project.is_foreign.is_(filters.origin == "foreign"))
    if filters.zone_id is not None:
        query = query.where(Project.zone_id == filters.zone_id)
    if filters.zone_code is not None:
        query = query.where(Project.zone_id.in_(select(Zone.id).where(Zone.code == filters.zone_code)))
    if filters.leader_username is not None:
        query = query.where(Project.leader_id.in_(select(User.id).where(User.username == filters.leader_username)))
    if filters.flag is not None:
        rates = rates_for(filters.year or clock.today().year)
        query = query.where(kind_and_size_condition(filters.flag.metric, filters.flag.threshold, rates))
    return query.order_by(Project.id.desc())


def picker_matches(user, term: str, limit: int = PICKER_LIMIT) -> list:
    """The projects `user` sees whose name, investor or code contains what was typed, the most
    recently contacted first: rows of (id, name, stage, investor, code)."""
    query = in_scope(select(Project.id, Project.name, Project.stage, Investor.name.label("investor"), Project.code)
                     .outerjoin(Investor, Investor.id == Project.investor_id), user, Project.zone_id)
    term = term.strip()[:50]
    if term:
        query = query.where(contains(term, Project.name, Investor.name, Project.code))
    return db.session.execute(
        query.order_by(Project.last_contact_on.desc().nulls_last(), Project.id.desc()).limit(limit)).all()


def project_contacts(project_id: int) -> list[Contact]:
    """A project's contacts, newest first, with their leaders and who recorded them."""
    return db.session.scalars(
        select(Contact).where(Contact.project_id == project_id)
        .options(selectinload(Contact.leaders), joinedload(Contact.recorded_by))
        .order_by(Contact.occurred_on.desc(), Contact.id.desc())).all()


def stage_history(project_id: int) -> list[StageChange]:
    """A project's stage changes, oldest first, corrected ones included (marked)."""
    return db.session.scalars(
        select(StageChange).where(StageChange.project_id == project_id)
        .options(joinedload(StageChange.recorded_by), joinedload(StageChange.corrected_by))
        .order_by(StageChange.changed_on, StageChange.id)).all()


def stage_change_of(project_id: int, change_id: int) -> StageChange | None:
    return db.session.scalar(select(StageChange).where(StageChange.id == change_id,
                                                       StageChange.project_id == project_id))


# ---------------------------------------------------------------- contacts

@dataclass(frozen=True)
class ContactFilters:
    project_id: int | None = None
    leader_id: int | None = None
    leader_username: str | None = None
    zone_id: int | None = None
    zone_code: str | None = None
    start: date | None = None
    end: date | None = None


def contact_list(filters: ContactFilters, user):
    """SELECT of the contacts `user` sees that the filters keep, latest first."""
    query = in_scope(select(Contact).options(joinedload(Contact.project).joinedload(Project.zone),
                                             selectinload(Contact.leaders), joinedload(Contact.recorded_by)),
                     user, Contact.zone_id)
    if filters.project_id is not None:
        query = query.where(Contact.project_id == filters.project_id)
    if filters.leader_id is not None:
        query = query.where(Contact.leaders.any(User.id == filters.leader_id))
    if filters.leader_username is not None:
        query = query.where(Contact.leaders.any(User.username == filters.leader_username))
    if filters.zone_id is not None:
        query = query.where(Contact.zone_id == filters.zone_id)
    if filters.zone_code is not None:
        query = query.where(Contact.zone_id.in_(select(Zone.id).where(Zone.code == filters.zone_code)))
    if filters.start is not None:
        query = query.where(Contact.occurred_on >= filters.start)
    if filters.end is not None:
        query = query.where(Contact.occurred_on <= filters.end)
    return query.order_by(Contact.occurred_on.desc(), Contact.id.desc())


def zone_projects(zone_id: int) -> list[Project]:
    """Every project of a zone with its investor, in the order they were entered (the export)."""
    return db.session.scalars(select(Project).where(Project.zone_id == zone_id)
                              .options(joinedload(Project.investor), selectinload(Project.co_leaders))
                              .order_by(Project.id)).all()


def zone_contacts(zone_id: int) -> list[Contact]:
    """Every contact of a zone with its leaders and project, oldest first (the export)."""
    return db.session.scalars(
        select(Contact).where(Contact.zone_id == zone_id)
        .options(selectinload(Contact.leaders), joinedload(Contact.project).joinedload(Project.investor))
        .order_by(Contact.occurred_on, Contact.id)).all()


def recent_contacts_of(leader_id: int, limit: int = 10) -> list[Contact]:
    """The contacts a leader took part in, latest first."""
    return db.session.scalars(
        select(Contact).join(contact_leaders, contact_leaders.c.contact_id == Contact.id)
        .where(contact_leaders.c.user_id == leader_id)
        .options(joinedload(Contact.project), selectinload(Contact.leaders))
        .order_by(contact_leaders.c.occurred_on.desc(), Contact.id.desc()).limit(limit)).all()


def all_leaders() -> list[User]:
    """Every leader who ever was, of every zone (the city-wide export names former leaders too)."""
    return db.session.scalars(select(User).where(User.role == LEADER).order_by(User.zone_id, User.name,
                                                                                User.username)).all()


def city_projects(as_of: date) -> list[Project]:
    """Every zone's projects entered by as_of, with investor and zone, zone by zone (the export)."""
    return db.session.scalars(select(Project).where(Project.entered_on <= as_of)
                              .options(joinedload(Project.investor), joinedload(Project.zone))
                              .join(Zone, Zone.id == Project.zone_id)
                              .order_by(Zone.tier, Zone.code, Project.id)).all()


def city_contacts(as_of: date) -> list[Contact]:
    """Every zone's contacts up to as_of, zone by zone, oldest first (the export)."""
    return db.session.scalars(
        select(Contact).where(Contact.occurred_on <= as_of)
        .options(selectinload(Contact.leaders), joinedload(Contact.project).joinedload(Project.investor),
                 joinedload(Contact.project).joinedload(Project.zone))
        .join(Zone, Zone.id == Contact.zone_id)
        .order_by(Zone.tier, Zone.code, Contact.occurred_on, Contact.id)).all()
