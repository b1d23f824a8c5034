"""Fixtures: the app on a migrated database (SQLite, or TEST_DATABASE_URL), a client,
and a small world of zones and users for every role."""
import os
from types import SimpleNamespace

import flask_migrate
import pytest
from flask import g, request_started
from sqlalchemy import event, text

from app import clock, create_app, queue
from app.extensions import db as _db
from app.domain.classifications import SHIPPED_SYNONYMS
from app.models import ADMIN, AUDITOR, BUREAU, LEADER, SECADMIN, STAFF, Synonym, User, Zone
from app.services.reference import load_target_set
from app.services.tokens import create_token
from config import TestConfig

PASSWORD = "Passw0rd!"
# Tables the migrations seed with reference data (GB/T 4754): kept between tests.
SEEDED = {"industries"}
SHIPPED_ROWS = [{"vocabulary": v, "word": w, "value": value} for v, w, value in SHIPPED_SYNONYMS]


def pytest_configure(config):
    config.addinivalue_line("markers", "only_on(dialect): a test of one database's own behaviour (its triggers, "
                                       "roles or files); it runs in that database's pass of `make test`")
    config.addinivalue_line("markers", "needs_redis: runs when TEST_REDIS_URL names a Redis (make test sets it "
                                       "when one answers on 127.0.0.1:6379, as on CI)")


def pytest_collection_modifyitems(config, items):
    """Run each `only_on` test in the pass of its own database; in the other pass it is not
    collected at all (deselected, not skipped): `make test` runs both passes."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    other = [item for item in items
             if ((marker := item.get_closest_marker("only_on")) is not None and marker.args[0] != dialect)
             or (item.get_closest_marker("needs_redis") is not None and not os.environ.get("TEST_REDIS_URL"))]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if item not in other]

# The app's own clock, before the run pins it: the one place the tests read what day it is.
UNPINNED_TODAY = clock.today


@pytest.fixture(scope="session", autouse=True)
def today():
    """The run's one today, read once (Beijing time, as the app reads it) and pinned as the app's
    clock.today for the whole session: a run that crosses midnight keeps one date, in the tests,
    the app they call, and the browser tests' live server. A test that needs today asks for this
    fixture instead of reading a clock itself."""
    day = UNPINNED_TODAY()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "today", lambda: day)
        yield day


@pytest.fixture
def unpinned_clock(monkeypatch):
    """The app's real clock for one test (its UTC instant, clock.utc_now, may be patched)."""
    monkeypatch.setattr(clock, "today", UNPINNED_TODAY)
    return clock


@pytest.fixture(scope="session")
def app(tmp_path_factory, today):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        # make test runs its passes side by side in one checkout: each keeps its import progress
        # files apart, as its database, or their job numbers collide in one instance/.
        IMPORT_PROGRESS_DIR = str(tmp_path_factory.mktemp("import-progress"))

    app = create_app(Config)
    # Test requests run inside the fixture's app context, so Flask's `g` (where Flask-Login
    # caches the current user) would outlive a request; forget the user as each request
    # starts, as a fresh app context does in production.
    request_started.connect(_forget_cached_user, app)
    with app.app_context():
        # The schema comes from the migrations, exactly as in production.
        _db.drop_all()
        with _db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade()
    return app


def _forget_cached_user(sender, **extra):
    g.pop("_login_user", None)


def empty_database(db):
    """Every table back to as the migrations left it: what each test's `db` fixture does after the
    test, and what a fixture that keeps its data for a whole module (tests/agreement) does after it."""
    with db.engine.begin() as conn:
        triggers = []
        if conn.dialect.name == "postgresql":
            # The audit trail's triggers refuse every DELETE but an old record's purge; a
            # superuser's replica mode skips triggers (the test database's user is one).
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'audit_events'")).all()
            for name, _sql in triggers:
                conn.execute(text(f"DROP TRIGGER {name}"))
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in SEEDED:
                conn.execute(table.delete())
        for _name, sql in triggers:
            conn.execute(text(sql))
        # Reference data the migrations seed stays as shipped (a test may edit the synonyms).
        conn.execute(Synonym.__table__.delete())
        conn.execute(Synonym.__table__.insert(), SHIPPED_ROWS)


@pytest.fixture(scope="session")
def emptied_database():
    """empty_database, for a fixture wider than one test."""
    return empty_database


@pytest.fixture
def db(app):
    # The browser tests' live server points the one task queue at its own SQLite file for the
    # session; every other test runs its tasks at once, inside the test app.
    queue.init_app(app)
    with app.app_context():
        yield _db
        _db.session.remove()
        empty_database(_db)


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash():
    user = User()
    user.set_password(PASSWORD)
    return user.password_hash


@pytest.fixture
def world(db, password_hash, today):
    """Two zones of different tiers, users for every role, and targets for 2024 and this year."""
    def zone(code, name, tier):
        z = Zone(code=code, name=name, tier=tier, county="测试县", kind="经开区", level="省级")
        db.session.add(z)
        return z

    def user(username, name, role, zone=None):
        u = User(username=username, name=name, role=role, zone=zone, password_hash=password_hash)
        db.session.add(u)
        return u

    a = zone("gxq", "石家庄高新区", "A")
    c = zone("zxjk", "赵县经开区", "C")
    w = SimpleNamespace(
        zone_a=a, zone_c=c,
        leader=user("leader1", "张伟", LEADER, a),
        leader2=user("leader2", "李娜", LEADER, a),
        staff=user("staff1", "王芳", STAFF, a),
        other_leader=user("leader_c", "赵强", LEADER, c),
        other_staff=user("staff_c", "孙丽", STAFF, c),
        bureau=user("bureau", "投促局审核员", BUREAU),
        admin=user("admin", "管理员", ADMIN),
        auditor=user("auditor", "审计员", AUDITOR),
        secadmin=user("secadmin", "安全员", SECADMIN),
    )
    load_target_set(2024)
    if today.year != 2024:
        load_target_set(today.year, 2024)
    db.session.commit()
    return w


@pytest.fixture
def login(client):
    def do_login(user):
        client.post("/logout")
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, "login failed"
        return client
    return do_login


@pytest.fixture
def count_queries(db):
    """Counts SQL statements run inside a `with count_queries() as counter:` block."""
    class Counter:
        def __init__(self):
            self.count = 0

        def __enter__(self):
            event.listen(db.engine, "before_cursor_execute", self._seen)
            return self

        def __exit__(self, *exc):
            event.remove(db.engine, "before_cursor_execute", self._seen)

        def _seen(self, *args):
            self.count += 1
    return Counter


@pytest.fixture
def make_project(db, today):
    """A ledger project written through the service, as the screens write it."""
    from app.domain.money import parse_amount
    from app.domain.pipeline import is_setback
    from app.services.projects import ProjectInput, change_stage, create_project
    run_today = today

    def make(zone, name="新能源电池项目", *, investor="北京华创科技有限公司", origin="CN",
             total_wan=None, capital_wan=None, stages=(), today=None, **fields):
        data = ProjectInput(name=name, investor_name=investor, origin=origin,
                            total_investment=parse_amount(total_wan, "万元") if total_wan is not None else None,
                            foreign_capital=parse_amount(capital_wan, "万美元") if capital_wan is not None else None,
                            **fields)
        first_on = stages[0][1] if stages else None
        project = create_project(zone.id, data, None, stage="lead", stage_on=first_on or data.planned_on,
                                 today=today or run_today)
        for stage, on in stages:
            # A setback (终止, or back to an earlier stage) is recorded with its reason.
            note = "测试：项目终止或退回" if is_setback(project.stage, stage) else ""
            change_stage(project, stage, on, note, None, today=today or run_today)
        db.session.commit()
        return project
    return make


@pytest.fixture
def project_form(today):
    """The new-project form as a user fills it (stage 线索 from today), with some fields changed."""
    def make(**fields):
        data = {"name": "智能装备制造基地项目", "investor_name": "北京中科智能有限公司", "origin": "CN",
                "industry": "高端装备制造", "total_investment": "120000", "foreign_capital": "",
                "key_level": "", "leader_id": "0", "responsible": "王芳", "stage": "lead",
                "stage_on": today.isoformat(), "code": "", "usci": "", "note": ""}
        data.update(fields)
        return data
    return make


@pytest.fixture
def contact_form(today):
    """The contact form as a leader fills it (dated today), for a project; some fields changed."""
    def make(project=None, **fields):
        data = {"project_name": project.name if project else "", "project_id": project.id if project else "",
                "occurred_on": today.isoformat(), "form": "外出拜访", "summary": "介绍园区政策与用地条件"}
        data.update(fields)
        return data
    return make


@pytest.fixture
def log_contact(db):
    from app.services.contacts import log_contact as service

    def log(project, leaders, on, summary="介绍园区政策", recorded_by=None, **kw):
        contact = service(project=project, occurred_on=on, form="外出拜访", summary=summary,
                          leaders=list(leaders), recorded_by=recorded_by or leaders[0], **kw)
        db.session.commit()
        return contact
    return log


# ---------------------------------------------------------------- the API, with a token

@pytest.fixture
def token_for(db):
    def make(user, name="测试令牌"):
        _, raw = create_token(user, name)
        db.session.commit()
        return raw
    return make


class Api:
    """The test client with a bearer token and JSON bodies, as any API client sends them."""

    def __init__(self, client, token):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **kw):
        return self.client.get("/api/v1" + path, headers=self.headers, **kw)

    def post(self, path, body=None, **kw):
        return self.client.post("/api/v1" + path, json=body, headers=self.headers, **kw)

    def patch(self, path, body=None, **kw):
        return self.client.patch("/api/v1" + path, json=body, headers=self.headers, **kw)

    def put(self, path, body=None, **kw):
        return self.client.put("/api/v1" + path, json=body, headers=self.headers, **kw)


@pytest.fixture
def api_as(app, token_for):
    def make(user):
        return Api(app.test_client(), token_for(user))
    return make
