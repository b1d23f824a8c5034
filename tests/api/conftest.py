"""API fixtures: a token for any user of the world, and a client that sends it."""
import pytest

from app.services.tokens import create_token


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
