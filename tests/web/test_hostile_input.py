"""Every route, walked with a NUL byte and with oversized values in every parameter, answers
without a server error (issue 17, #7 and #10); control characters are refused with a Chinese
message at every entrance before anything reads them."""
import pytest

from app.extensions import db as _db

from .test_route_access import ARGUMENTS, ROLES, client_as, registered

NUL = "a\x00b"
HUGE_NUMBER = "9" * 20
VALUES = [NUL, HUGE_NUMBER, "1e309", "-" + HUGE_NUMBER, "x" * 5000, "0001-01-01", "9999-12-31",
          "1e-400", "NaN", "１e５"]
QUERY_NAMES = ("page", "year", "month", "q", "project_id", "from", "to", "as_of", "start", "end", "user",
               "zone", "stage", "action", "entity", "format", "next", "metric", "sort", "status")


def _path_args(rule, base, value):
    args = dict(base)
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        if converter == "IntegerConverter":
            args[name] = int(value) if value.isdigit() else args.get(name, 1)
        elif name != "filename":
            args[name] = value
        else:
            args.setdefault(name, "css/app.css")
    return args


@pytest.mark.parametrize("role", ROLES)  # all seven: staff and secadmin reach routes the others do not
def test_no_route_gives_a_server_error_on_hostile_parameters(app, world, make_project, role, today):
    project = make_project(world.zone_a, "本区项目")
    user = None if role == "anonymous" else getattr(world, role)
    failures = []
    for rule, method in registered(app):
        base, query, form = ARGUMENTS.get(rule.endpoint, lambda p, w, today: ({}, {}, {}))(project, world, today)
        for value in VALUES:
            try:
                url = rule.build(_path_args(rule, base, value))[1]
            except Exception:  # noqa: BLE001  (a value the route's converter refuses to build)
                url = rule.build(_path_args(rule, base, "1"))[1]
            hostile = {name: value for name in QUERY_NAMES}
            fields = {**{k: value for k in form}, **hostile} if form else hostile
            client = client_as(app, user)
            try:
                response = _send(client, rule, method, url, value, query, form, fields, hostile)
            except Exception as error:  # noqa: BLE001  (TESTING propagates what would be a 500)
                failures.append(f"{method} {url[:60]} {value[:12]!r}: {type(error).__name__}: {str(error)[:80]}")
                _db.session.rollback()
                continue
            if response.status_code >= 500:
                failures.append(f"{method} {url} {value[:12]!r}: {response.status_code}")
            response.close()  # a streamed export holds its request context until closed
            _db.session.rollback()
    assert not failures, "\n".join(failures)


def _send(client, rule, method, url, value, query, form, fields, hostile):
    if True:
            if method == "GET":
                response = client.get(url, query_string={**query, **hostile})
            elif rule.endpoint.startswith("api."):
                response = client.open(url, method=method, json={k: value for k in (form or hostile)},
                                       query_string=hostile)
            else:
                response = client.open(url, method=method, data=fields, query_string=hostile)
            return response


@pytest.mark.parametrize("path,data", [
    ("/login", {"username": "leader1\x00", "password": "x"}),
    ("/projects/?q=%E6%96%B0%00", None),
])
def test_a_nul_byte_is_refused_in_chinese_before_anything_reads_it(client, login, world, path, data):
    if data is None:
        login(world.leader)
        response = client.get(path)
    else:
        response = client.post(path, data=data)
    assert response.status_code == 400
    assert "控制字符" in response.get_data(as_text=True)


def test_the_api_refuses_control_characters_in_json(app, world, db):
    from app.services.tokens import create_token
    _token, secret = create_token(world.leader, "检查")
    db.session.commit()
    response = app.test_client().post("/api/v1/contacts", json={"summary": "介绍\x01政策"},
                                      headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code in (400, 422) and "控制字符" in response.get_json()["error"]["message"]


def test_tabs_and_new_lines_are_still_allowed(client, login, world):
    login(world.leader)
    assert client.get("/projects/", query_string={"q": "新\t能源"}).status_code == 200
