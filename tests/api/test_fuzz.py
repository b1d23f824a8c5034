"""Property-based fuzzing of the whole API with schemathesis, against the live app (its WSGI
callable, in process) on the test database, SQLite or PostgreSQL.

For every operation in /api/v1/openapi.json, schemathesis generates requests from the
document: schema-valid ones (positive) and schema-violating ones (negative). Each response
must pass schemathesis' checks: no 5xx, a documented status code, content type and headers,
a body that validates against the documented schema, and every schema-violating request
refused with 4xx. Not checked: that every schema-valid request is accepted, because the
domain refuses some (a date in the future, a leader of another zone, a code already in use)
with documented 409/422 answers.

Reproducible: a fixed seed, no example database, and a bounded number of examples per
operation, mode and role. `schema.parametrize()` is not used: its lazy-fixture mode does
not run on pytest 9 (it sets `Function._nodeid`); operation strategies with Hypothesis'
own `@given` are the documented alternative and let each case carry a real token.
"""
from collections import Counter, defaultdict
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.api import views  # noqa: F401  (registers the operations)
from app.api.spec import OPERATIONS
from app.services.bulletins import issue_bulletin

SEED = 20_241_118
# Examples per operation and generation mode for each role: about 40 s in all on this machine.
EXAMPLES = {"leader": 40, "bureau": 20, "admin": 40}
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE


def _runs():
    for op in OPERATIONS:
        key = (op.method.upper(), op.path)
        has_input = bool(op.query or op.body or op.path_parameters)
        roles = ["leader"]  # every operation, as the zone leader the issue names
        if op.method == "get" and op.path != "/openapi.json":
            roles.append("bureau")  # reads across zones
        if op.path.startswith("/targets"):
            roles.append("admin")  # the one role that writes targets
        for role in roles:
            for mode in (POSITIVE, NEGATIVE) if has_input else (POSITIVE,):
                yield pytest.param(role, *key, mode, id=f"{role}-{key[0]} {key[1]}-{mode.value}")


STATUSES: dict[tuple, Counter] = defaultdict(Counter)


@pytest.fixture
def fuzz_world(world, make_project, log_contact, db):
    own = make_project(world.zone_a, "本区项目", total_wan="1000", code="GX-1")
    other = make_project(world.zone_c, "外区项目")
    contacts = [log_contact(own, [world.leader], own.entered_on).id,
                log_contact(other, [world.other_leader], other.entered_on).id]
    bulletin = issue_bulletin(2024, 6, date(2024, 7, 2), world.bureau)
    db.session.commit()
    return own, other, contacts, bulletin.id


@pytest.mark.parametrize("role,method,path,mode", list(_runs()))
def test_every_operation_survives_generated_requests(app, world, fuzz_world, token_for, role, method, path, mode):
    own, other, contacts, bulletin = fuzz_world
    user = getattr(world, role)
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]

    strategies = [operation.as_strategy(generation_mode=mode)]
    # Random ids mostly miss; aim a share of the cases at real rows: own zone, another zone.
    if "{project_id}" in path:
        strategies += [operation.as_strategy(generation_mode=mode, path_parameters={"project_id": p.id})
                       for p in (own, other)]
    if "{zone_id}" in path:
        strategies += [operation.as_strategy(generation_mode=mode, path_parameters={"zone_id": z.id})
                       for z in (world.zone_a, world.zone_c)]
    if "{contact_id}" in path:
        strategies += [operation.as_strategy(generation_mode=mode, path_parameters={"contact_id": c})
                       for c in contacts]
    if "{bulletin_id}" in path:
        strategies.append(operation.as_strategy(generation_mode=mode, path_parameters={"bulletin_id": bulletin}))
    if "{year}" in path:
        strategies.append(operation.as_strategy(generation_mode=mode, path_parameters={"year": 2024}))
    if method == "POST" and path == "/contacts" and mode is POSITIVE:
        # A valid body but for the project and leaders, which must exist: fill those in.
        strategies.append(operation.as_strategy(generation_mode=mode).map(
            lambda case: _with_body(case, project_id=own.id, leader_usernames=[world.leader.username])))

    @seed(SEED)
    @settings(max_examples=EXAMPLES[role], deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def run(case):
        response = case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
        STATUSES[(role, method, path)][response.status_code] += 1

    run()


def _with_body(case, **values):
    if isinstance(case.body, dict):
        case.body = {**case.body, **values}
    return case


# Roles each operation serves, from the same declarations the endpoints enforce.
ALLOWED = {(op.method.upper(), op.path): op.roles for op in OPERATIONS}


def test_the_fuzz_reached_every_operation_that_its_role_may_use():
    """Not only refusals: the generated requests succeeded somewhere for each allowed operation."""
    assert STATUSES, "this test checks the fuzz runs above it: run the whole file, not this test alone"
    for (role, method, path), statuses in STATUSES.items():
        allowed = ALLOWED[(method, path)]
        if allowed != "public" and role not in allowed:
            assert not any(200 <= s < 300 for s in statuses), (role, method, path, statuses)
        else:
            assert any(200 <= s < 300 for s in statuses), (role, method, path, statuses)
