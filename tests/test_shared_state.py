"""State shared by app servers: two app instances on one database (each with its own process
cache, or one Redis) see each other's writes at once. Login throttles, import job progress and
the cached progress figures; the data version every figure-changing write raises.

Sessions, login throttles and the API's rate limit per token are counted in the database (or the
rate limit in Redis when REDIS_URL is set); either way every app server shares them."""
import os

import pytest
from sqlalchemy import select, text

from app import create_app, data_version
from app.extensions import db as _db
from app.models import DataVersion, ImportJob
from app.queries import cache
from app.queries.progress import build_progress
from config import TestConfig

from .conftest import PASSWORD

# `make test` sets TEST_REDIS_URL when a Redis answers (CI has one); the test runs against it.
REDIS = os.environ.get("TEST_REDIS_URL", "")


def second_app(app, **settings):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    for key, value in settings.items():
        setattr(Config, key, value)
    return create_app(Config)


@pytest.fixture
def leader_count(today):
    def make(app_, user_id):
        with app_.app_context():
            progress = build_progress(today.year, today)
            _db.session.remove()
            return next(l.contacted for l in progress.leaders if l.id == user_id)
    return make


def sign_in(client, user):
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def version(db):
    db.session.rollback()
    return data_version.current(db.session)


@pytest.fixture
def versioned(db):
    """The version row, as a migrated database has it (the tests' cleanup empties every table;
    the world's first write makes it again)."""
    if db.session.get(DataVersion, 1) is None:
        db.session.add(DataVersion(id=1, version=0, epoch="test-epoch"))
        db.session.commit()


def test_writes_raise_the_version_and_logins_do_not(app, world, versioned, db, make_project, login, contact_form):
    before = version(db)
    login(world.leader)
    login(world.bureau)
    assert version(db) == before                       # sign-ins, throttles, audit: no figure moves
    project = make_project(world.zone_a)
    after_project = version(db)
    assert after_project[1] > before[1] and after_project[0] == before[0]
    login(world.leader).post("/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert version(db)[1] > after_project[1]
    db.session.execute(text("UPDATE projects SET name = name || '二期'"))
    db.session.commit()
    assert version(db)[1] > after_project[1] + 1       # raw SQL through the session too
    db.session.add(ImportJob(zone_id=world.zone_a.id, file_name="x", size=1, sha256="0" * 64))
    unchanged = version(db)
    db.session.commit()
    assert version(db) == unchanged


def test_a_missing_version_row_is_made_by_the_next_write(app, world, db, make_project):
    db.session.execute(text("DELETE FROM data_version"))
    db.session.commit()
    assert version(db) is None
    make_project(world.zone_a)
    epoch, number = version(db)
    assert number == 1 and len(epoch) == 32


def test_the_cached_desk_is_never_stale_across_two_app_servers(app, world, versioned, db, make_project, login,
                                                               leader_count, contact_form):
    other = second_app(app)
    project = make_project(world.zone_a)
    assert leader_count(app, world.leader.id) == 0 == leader_count(other, world.leader.id)
    assert leader_count(app, world.leader.id) == 0     # now from each one's cache

    # Written through the second app server: the first one's next read sees it.
    sign_in(other.test_client(), world.leader).post(
        "/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert leader_count(app, world.leader.id) == 1
    # And the other way round, through the first one's pages.
    second = make_project(world.zone_a, name="第二个项目")
    login(world.leader).post("/contacts/new", data=contact_form(second, leaders=[world.leader.id]))
    assert leader_count(other, world.leader.id) == 2
    # The desk page itself, as the bureau opens it on either server.
    for server in (app, other):
        page = sign_in(server.test_client(), world.bureau).get("/review/").get_data(as_text=True)
        assert "石家庄高新区" in page
    assert cache.store() is not other.extensions[cache._EXTENSION]
    assert len(app.extensions[cache._EXTENSION].entries) >= 2   # a key per version read


def test_uncommitted_writes_of_the_reader_are_not_cached(app, world, versioned, db, make_project, today, leader_count):
    project = make_project(world.zone_a)
    assert leader_count(app, world.leader.id) == 0
    from app.services.contacts import log_contact
    log_contact(project=project, occurred_on=today, form="外出拜访", summary="介绍", leaders=[world.leader],
                recorded_by=world.leader)
    progress = build_progress(today.year, today)           # this session's own write shows
    assert next(l.contacted for l in progress.leaders if l.id == world.leader.id) == 1
    db.session.rollback()
    assert leader_count(app, world.leader.id) == 0         # and was not cached under the old version


@pytest.mark.needs_redis
def test_two_app_servers_share_the_cache_in_redis(app, world, versioned, db, make_project, leader_count, contact_form):
    first, other = second_app(app, CACHE_REDIS_URL=REDIS), second_app(app, CACHE_REDIS_URL=REDIS)
    with first.app_context():
        store = cache.store()
        store.client.flushdb()
    project = make_project(world.zone_a)
    assert leader_count(first, world.leader.id) == 0
    assert len(store.client.keys("zonecrm:progress:*")) == 1
    sign_in(other.test_client(), world.leader).post(
        "/contacts/new", data=contact_form(project, leaders=[world.leader.id]))
    assert leader_count(first, world.leader.id) == 1
    assert leader_count(other, world.leader.id) == 1
    assert len(store.client.keys("zonecrm:progress:*")) == 2
    store.client.flushdb()


def test_login_lockout_is_counted_across_app_servers(app, world, db):
    other = second_app(app)
    clients = [app.test_client(), other.test_client()]
    for attempt in range(5):   # failures alternate between the two servers
        clients[attempt % 2].post("/login", data={"username": "leader1", "password": "wrong"})
    for client in clients:
        page = client.post("/login", data={"username": "leader1", "password": PASSWORD}).get_data(as_text=True)
        assert "账号已被锁定" in page


def test_an_import_job_is_followed_from_the_other_app_server(app, world, db):
    import io
    from tests.imports.test_web import FILE
    other = second_app(app)
    staff = sign_in(app.test_client(), world.staff)
    url = staff.post("/imports/", data={"file": (io.BytesIO(FILE), "台账.xlsx")},
                     content_type="multipart/form-data").headers["Location"]
    staff.post(url + "/check")
    elsewhere = sign_in(other.test_client(), world.staff)
    assert elsewhere.get(url + "/progress").get_json()["status"] == "checked"
    elsewhere.post(url + "/commit")
    page = staff.get(url).get_data(as_text=True)
    assert "导入完成：新增 2" in page
    assert db.session.scalars(select(ImportJob.status)).one() == "done"


def _api_hits(servers, token, times):
    headers = {"Authorization": f"Bearer {token}"}
    return [servers[i % len(servers)].test_client().get("/api/v1/me", headers=headers).status_code
            for i in range(times)]


def test_the_api_rate_limit_is_counted_across_app_servers_in_the_database(app, world, db):
    from app.models import ApiRateCounter
    from app.services.tokens import create_token
    limited = dict(API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=3600)
    first, other = second_app(app, **limited), second_app(app, **limited)
    row, token = create_token(world.leader, "同步")
    db.session.commit()
    assert _api_hits([first, other], token, 4) == [200, 200, 200, 429]
    db.session.expire_all()
    assert db.session.query(ApiRateCounter).filter_by(token_id=row.id).one().count == 4


@pytest.mark.needs_redis
def test_the_api_rate_limit_is_counted_across_app_servers_in_redis(app, world, db):
    """Issue 17: with REDIS_URL set, two app servers share one count per token in Redis (INCR with
    an expiry), and the database holds no counter rows."""
    import redis
    from app.models import ApiRateCounter
    from app.services.tokens import create_token
    limited = dict(API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=3600, REDIS_URL=REDIS)
    first, other = second_app(app, **limited), second_app(app, **limited)
    client = redis.Redis.from_url(REDIS)
    row, token = create_token(world.leader, "同步")
    _, another = create_token(world.staff, "另一个")
    db.session.commit()
    client.delete(*client.keys(f"zonecrm:api_rate:{row.id}:*") or ["-"])
    try:
        assert _api_hits([first, other], token, 5) == [200, 200, 200, 429, 429]
        assert _api_hits([other], another, 1) == [200]   # a token of its own counts on its own
        [key] = client.keys(f"zonecrm:api_rate:{row.id}:*")
        assert int(client.get(key)) == 5 and 0 < client.ttl(key) <= 7200
        db.session.expire_all()
        assert db.session.query(ApiRateCounter).count() == 0
    finally:
        client.delete(*client.keys("zonecrm:api_rate:*") or ["-"])


@pytest.mark.needs_redis
def test_login_lockout_is_shared_when_redis_is_configured_too(app, world, db):
    """The login throttle stays in the database (shared by every server) with REDIS_URL set."""
    servers = [second_app(app, REDIS_URL=REDIS), second_app(app, REDIS_URL=REDIS)]
    clients = [server.test_client() for server in servers]
    for attempt in range(5):
        clients[attempt % 2].post("/login", data={"username": "leader1", "password": "wrong"})
    for client in clients:
        page = client.post("/login", data={"username": "leader1", "password": PASSWORD}).get_data(as_text=True)
        assert "账号已被锁定" in page

