"""Issue 17 item 14: the API limits requests per token, counted in the database so that every
worker shares the count, and answers 429 in the API's JSON error shape."""
from app.models import ApiRateCounter
from app.services import api_rate
from app.services.tokens import create_token


def test_a_token_beyond_its_limit_gets_429_json_with_retry_after(app, client, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 3)
    monkeypatch.setitem(app.config, "API_RATE_WINDOW_SECONDS", 3600)
    row, token = create_token(world.leader, "同步")
    _, other = create_token(world.staff, "另一个")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert [client.get("/api/v1/me", headers=headers).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited" and "过于频繁" in response.json["error"]["message"]
    assert 1 <= int(response.headers["Retry-After"]) <= 3600
    # Another token has its own count; the count is a database row every worker reads.
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    assert db.session.query(ApiRateCounter).filter_by(token_id=row.id).one().count == 4


def test_a_new_window_starts_a_new_count_and_forgets_old_windows(app, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 2)
    monkeypatch.setitem(app.config, "API_RATE_WINDOW_SECONDS", 60)
    row, _ = create_token(world.leader, "同步")
    db.session.commit()
    assert [api_rate.hit(row.id, now=1000.0 + i) for i in range(3)] == [None, None, 18]
    assert api_rate.hit(row.id, now=1200.0) is None  # three windows on
    assert api_rate.hit(row.id, now=1260.0) is None
    assert [r.window_start for r in db.session.query(ApiRateCounter).order_by(ApiRateCounter.window_start)] == [1200, 1260]
