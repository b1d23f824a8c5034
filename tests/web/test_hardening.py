"""HTTP hardening: security headers on every response, no caching of pages, production
refuses debug mode and a weak secret."""
import pytest

from app import create_app
from config import ProductionConfig


def test_every_page_carries_the_security_headers(client, world, login):
    login(world.leader)
    for path in ("/login", "/", "/projects/", "/no-such-page", "/static/css/app.css"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, path
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_are_not_cached_but_static_files_may_be(client, world, login):
    login(world.leader)
    assert client.get("/projects/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_no_template_has_inline_script_or_style(app):
    import pathlib
    import re
    for path in pathlib.Path(app.root_path, "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\son[a-z]+\s*=|\sstyle\s*=|<style", text), path


def test_session_cookie_is_http_only_and_same_site(client, world):
    response = client.post("/login", data={"username": "leader1", "password": "Passw0rd!"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_debug_mode_and_weak_secrets(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "a" * 40)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "kq3J9vLx0Tz7RmWb2Yh5Nc8Pd4Fs6Ge1Ua")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="FLASK_DEBUG"):
        create_app(ProductionConfig)
    monkeypatch.delenv("FLASK_DEBUG")
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite://")
    app = create_app(ProductionConfig)
    assert app.debug is False and app.testing is False and app.config["SESSION_COOKIE_SECURE"] is True


def test_production_sends_hsts(monkeypatch, app):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    assert app.test_client().get("/login").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_client_address_comes_from_the_proxy_only_when_configured(app, world, db, monkeypatch):
    from sqlalchemy import select

    from app.models import AuditEvent
    from config import TestConfig

    class Behind(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        PROXY_FIX_X_FOR = 1
    proxied = create_app(Behind).test_client()
    proxied.post("/login", data={"username": "leader1", "password": "x"}, headers={"X-Forwarded-For": "10.1.2.3"})
    app.test_client().post("/login", data={"username": "leader1", "password": "x"},
                           headers={"X-Forwarded-For": "10.9.9.9"})
    ips = db.session.scalars(select(AuditEvent.ip).where(AuditEvent.action == "login_failed")
                             .order_by(AuditEvent.id)).all()
    assert ips == ["10.1.2.3", "127.0.0.1"]


def test_the_stylesheet_needs_nothing_from_outside_the_app(client):
    """Offline intranets: every font or image the stylesheet names is served by the app itself,
    including a Chinese web font for PCs that have no Chinese system font."""
    import re
    css = client.get("/static/css/app.css").get_data(as_text=True)
    urls = re.findall(r"url\(\"?([^\")]+)\"?\)", css)
    assert urls, "the stylesheet ships its own Chinese font"
    for url in urls:
        assert not re.match(r"[a-z]+:|//", url), url
        response = client.get("/static/css/" + url)
        assert response.status_code == 200, url
    font = client.get("/static/fonts/wqy-zenhei-gb2312.woff2").data
    assert font[:4] == b"wOF2"
    assert '"ZoneCRM Hei"' in css.split("font-family:", 2)[2].split(";")[0]
