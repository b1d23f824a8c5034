"""The quota summary stays exact when several workers log contacts at the same moment."""
import random
import threading
from datetime import date, timedelta

from sqlalchemy import select

from app.services.contacts import log_contact
from app.extensions import db
from app.models import LeaderProject, Project, User
from app.queries.progress import leader_counts


def test_concurrent_contacts_keep_the_summary_equal_to_a_recount(app, world, make_project):
    projects = [make_project(world.zone_a, name=f"项目{n}", investor=f"投资方{n}") for n in range(4)]
    project_ids = [p.id for p in projects]
    leader_ids = [world.leader.id, world.leader2.id]
    today = date(2024, 12, 31)
    errors = []

    def worker(seed):
        rng = random.Random(seed)
        with app.app_context():
            try:
                for _ in range(15):
                    project = db.session.get(Project, rng.choice(project_ids))
                    leaders = [db.session.get(User, lid) for lid in rng.sample(leader_ids, rng.randint(1, 2))]
                    log_contact(project=project, occurred_on=date(2024, 1, 1) + timedelta(days=rng.randint(0, 365)),
                                form="电话", summary="并发写入", leaders=leaders, recorded_by=leaders[0], today=today)
                    db.session.commit()
            except Exception as error:  # surfaced below: any failure fails the test
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    db.session.expire_all()
    summary = {(r.leader_id, r.project_id): r.first_contact_on
               for r in db.session.scalars(select(LeaderProject).where(LeaderProject.year == 2024))}
    from app.models import Contact
    expected = {}
    for c in db.session.scalars(select(Contact)):
        for leader in c.leaders:
            key = (leader.id, c.project_id)
            expected[key] = min(expected.get(key, c.occurred_on), c.occurred_on)
    assert len(expected) > 4
    assert summary == expected
    assert leader_counts(2024, today) == {lid: sum(1 for (l, _) in expected if l == lid) for lid in leader_ids}
