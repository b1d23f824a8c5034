"""The zone-scope rule (app/queries/scope.py), role by role: a zone's leader and staff see
their own zone's rows only; the bureau, the auditor and the administrators read every zone.
The lists, the zone list, the picker and the uploads all answer by this one rule."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.imports.jobs import create_job, own_job, recent_jobs
from app.models import Contact, Project, Zone
from app.queries.ledger import ContactFilters, ProjectFilters, all_zones, contact_list, picker_matches, project_list
from app.queries.scope import get_in_scope, in_scope, sees, zone_of
from app.services.contacts import log_contact

ZONE_PEOPLE = ("leader", "staff")                       # of zone A (石家庄高新区)
CROSS_ZONE = ("bureau", "admin", "auditor", "secadmin")


@pytest.fixture
def two_ledgers(world, make_project, today):
    """One project with one contact in each of the two zones."""
    own = make_project(world.zone_a, "高新区电池项目")
    other = make_project(world.zone_c, "赵县纺织项目")
    for project, leader in ((own, world.leader), (other, world.other_leader)):
        log_contact(project=project, occurred_on=today - timedelta(days=1), form="外出拜访", summary="洽谈",
                    leaders=[leader], recorded_by=leader)
    db.session.commit()
    return own, other


def names(rows):
    return sorted(row.name for row in rows)


@pytest.mark.parametrize("role", ZONE_PEOPLE)
def test_a_zone_role_sees_only_its_own_zone(world, two_ledgers, role):
    user = getattr(world, role)
    own, other = two_ledgers
    assert zone_of(user) == world.zone_a.id
    assert sees(user, world.zone_a.id) and not sees(user, world.zone_c.id)
    assert names(db.session.scalars(in_scope(select(Project), user, Project.zone_id))) == ["高新区电池项目"]
    assert names(db.session.scalars(project_list(ProjectFilters(), user))) == ["高新区电池项目"]
    assert [c.project.name for c in db.session.scalars(contact_list(ContactFilters(), user))] == ["高新区电池项目"]
    assert names(all_zones(user)) == ["石家庄高新区"]
    assert [r.name for r in picker_matches(user, "项目")] == ["高新区电池项目"]


@pytest.mark.parametrize("role", ZONE_PEOPLE)
def test_another_zones_row_is_as_missing_to_a_zone_role(world, two_ledgers, role):
    user = getattr(world, role)
    own, other = two_ledgers
    assert get_in_scope(Project, own.id, user) is own
    assert get_in_scope(Project, other.id, user) is None
    assert get_in_scope(Zone, world.zone_a.id, user) is world.zone_a
    assert get_in_scope(Zone, world.zone_c.id, user) is None
    other_contact = db.session.scalar(select(Contact).where(Contact.project_id == other.id))
    assert get_in_scope(Contact, other_contact.id, user) is None
    assert get_in_scope(Project, 10**12, user) is None   # beyond any id: no row, no driver overflow


@pytest.mark.parametrize("role", CROSS_ZONE)
def test_the_bureau_auditor_and_administrators_read_every_zone(world, two_ledgers, role):
    user = getattr(world, role)
    own, other = two_ledgers
    assert zone_of(user) is None
    assert sees(user, world.zone_a.id) and sees(user, world.zone_c.id)
    assert names(db.session.scalars(project_list(ProjectFilters(), user))) == ["赵县纺织项目", "高新区电池项目"]
    assert len(db.session.scalars(contact_list(ContactFilters(), user)).all()) == 2
    assert names(all_zones(user)) == names([world.zone_a, world.zone_c])
    assert get_in_scope(Project, other.id, user) is other
    assert get_in_scope(Zone, world.zone_c.id, user) is world.zone_c


def test_a_filter_narrows_within_the_scope_and_never_widens_it(world, two_ledgers):
    asked_for_other = ProjectFilters(zone_id=world.zone_c.id)
    assert db.session.scalars(project_list(asked_for_other, world.leader)).all() == []
    assert names(db.session.scalars(project_list(asked_for_other, world.bureau))) == ["赵县纺织项目"]
    assert db.session.scalars(contact_list(ContactFilters(zone_code="zxjk"), world.staff)).all() == []


def test_uploads_belong_to_the_zone_or_desk_they_were_made_for(world):
    zone_upload = create_job(world.zone_a, world.staff, "台账.xlsx", b"x", kind="indicators")
    bureau_upload = create_job(None, world.bureau, "全市.xlsx", b"x", kind="indicators")
    other_upload = create_job(world.zone_c, world.other_staff, "赵县.xlsx", b"x", kind="indicators")
    db.session.commit()
    assert recent_jobs(world.staff, kind="indicators") == [zone_upload]
    assert recent_jobs(world.leader, kind="indicators") == [zone_upload]
    # The bureau's uploads are its own city-wide ones, not every zone's.
    assert recent_jobs(world.bureau, kind="indicators") == [bureau_upload]
    assert own_job(other_upload.id, "indicators", world.staff) is None
    assert own_job(zone_upload.id, "indicators", world.bureau) is None
    assert own_job(zone_upload.id, "ledger", world.staff) is None   # another kind of upload
    assert own_job(bureau_upload.id, "indicators", world.bureau) is bureau_upload
