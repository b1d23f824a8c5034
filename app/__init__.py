"""ZoneCRM application factory."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from config import BASE_DIR, CONFIGS, Config

from .extensions import csrf, db, login_manager, migrate


def create_app(config: type[Config] | str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    if config is None or isinstance(config, str):
        import os
        config = CONFIGS[config or os.environ.get("ZONECRM_CONFIG", "development")]
    config.resolve()
    app.config.from_object(config)
    app.json.ensure_ascii = False

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)

    from .security import init_converters
    init_converters(app)

    from . import models  # noqa: F401  (register tables for Alembic)
    from . import data_version  # noqa: F401  (the session hooks that raise the data version)
    from .auth import bp as auth_bp
    from .contacts import bp as contacts_bp
    from .projects import bp as projects_bp
    from .review import bp as review_bp
    from .admin import bp as admin_bp
    from .home import bp as home_bp
    from .reports import bp as reports_bp
    from .imports import bp as imports_bp
    from .indicators import bp as indicators_bp
    from .notifications import bp as notifications_bp
    from .todo import bp as tasks_bp
    from .health import bp as health_bp

    for bp in (health_bp, auth_bp, home_bp, contacts_bp, projects_bp, review_bp, admin_bp, reports_bp, imports_bp,
               indicators_bp,
               notifications_bp, tasks_bp):
        app.register_blueprint(bp)

    from . import api
    api.init_app(app)

    from . import queue, tasks  # noqa: F401  (tasks: registered on the queue)
    queue.init_app(app)

    from .cli import register_cli
    register_cli(app)

    from . import database
    database.init_app(app)

    from .templating import init_templating
    init_templating(app)

    from .auth import sessions
    sessions.init_app(app)

    from .security import init_security
    init_security(app)

    _register_error_pages(app)

    from .demo_guard import check_at_start
    check_at_start(app)
    return app


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: "请求有误，请返回重试。",
        403: "您没有权限访问此页面。",
        404: "页面不存在，或您无权查看该记录。",
        405: "不支持该操作方式。",
        413: "上传的文件过大。",
        429: "请求过于频繁，请稍后再试。",
        500: "系统内部错误，请稍后重试；如持续出现请联系系统管理员。",
    }
    from . import api

    for status, message in messages.items():
        def handler(error, status=status, message=message):
            if status == 500:
                db.session.rollback()
            if api.is_api_request():  # JSON under /api/v1, even for an unknown address or method
                return api.http_error(status, getattr(error, "valid_methods", None) and
                                      ", ".join(error.valid_methods))
            # abort(400, description="…") carries the rule's own Chinese reason.
            own = getattr(error, "description", None)
            if status == 400 and own and own != type(error).description:
                message = own
            return render_template("error.html", status=status, message=message), status
        app.register_error_handler(status, handler)

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        message = "页面已过期或请求来源无法验证（缺少有效的安全令牌），请刷新页面后重试。"
        return render_template("error.html", status=400, message=message), 400
