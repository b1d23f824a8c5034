"""HTTP hardening for every response: security headers, no caching of signed-in pages,
and the client address taken from a trusted proxy only when configured."""
from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict
from werkzeug.utils import cached_property
from werkzeug.routing import IntegerConverter
from flask import Request

from .domain.text_input import MESSAGE, first_bad_value
from .models.types import MAX_ID

# No inline script or style anywhere: templates load app.js and app.css only.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class DatabaseInteger(IntegerConverter):
    """<int:…> in a URL: a 20-digit id is a 404 like any unknown one, not an overflow in the
    database driver (a 500). Ids fit a 32-bit signed integer; a larger one becomes 0, which
    no row has (the route still matches, so every method answers as for an unknown id)."""

    def to_python(self, value):
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


def _bounded(convert):
    def bounded_int(value):
        number = int(value)
        if abs(number) > MAX_ID:
            raise ValueError("out of range")
        return number
    return bounded_int if convert is int else convert


class BoundedArgs(ImmutableMultiDict):
    """request.args / request.form: get(…, type=int) treats a number beyond 32 bits like any
    other non-number (the default), so no 20-digit page or id reaches the database driver."""

    def get(self, key, default=None, type=None):  # noqa: A002
        return super().get(key, default, _bounded(type) if type is not None else None)


class BoundedValues(CombinedMultiDict):
    def get(self, key, default=None, type=None):  # noqa: A002
        return super().get(key, default, _bounded(type) if type is not None else None)


class AppRequest(Request):
    parameter_storage_class = BoundedArgs

    @cached_property
    def values(self):
        sources = [self.args]
        if self.method != "GET":
            sources.append(self.form)
        return BoundedValues(sources)


def init_converters(app: Flask) -> None:
    """Before any blueprint registers a route."""
    app.url_map.converters["int"] = DatabaseInteger
    app.request_class = AppRequest


def init_security(app: Flask) -> None:
    hops = app.config.get("PROXY_FIX_X_FOR", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    def refuse_control_characters():
        """Every entrance at once: path, query, form fields, upload names and JSON bodies.
        Runs before anything else reads the request (sessions, login, the API)."""
        if request.endpoint in ("static", None):
            return None  # an address no route matches is a 404 whatever it holds
        values = [("地址", request.path), *request.args.items(multi=True), *request.form.items(multi=True),
                  *((name, f.filename or "") for name, f in request.files.items(multi=True))]
        if request.is_json:
            values.append(("请求体", request.get_json(silent=True)))
        bad = first_bad_value(values)
        if bad is None:
            return None
        message = f"“{bad}”{MESSAGE}。"
        from . import api
        if api.is_api_request():
            from .api.errors import ApiError, error_response
            return error_response(ApiError("validation_error", message, {bad: message}))
        return render_template("error.html", status=400, message=message), 400

    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)

    @app.after_request
    def security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages carry zone data: never kept by the browser or a shared proxy.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
