"""Production and demo data do not mix (issue 17 item 6).

With ZONECRM_CONFIG=production, `flask demo-data` is refused, and the application refuses to
start (gunicorn's `create_app()`) while active accounts still carry the demo password, unless
the operator sets ALLOW_DEMO_ACCOUNTS=1. The command line still starts, so the operator can
reset those passwords (`flask users reset-password`) or disable the accounts.
"""
from __future__ import annotations

import click
from flask import Flask

DEMO_REFUSED = "生产环境（ZONECRM_CONFIG=production）不能载入演示数据。"


def demo_message(usernames: list[str]) -> str:
    shown = "、".join(usernames[:10]) + (f" 等 {len(usernames)} 个账号" if len(usernames) > 10 else "")
    return (f"生产环境拒绝启动：以下账号仍使用演示密码：{shown}。请用 `flask users reset-password` "
            f"重置其密码或停用这些账号；确需保留时设置 ALLOW_DEMO_ACCOUNTS=1。"
            f" (production refuses to start while demo accounts exist)")


def check_at_start(app: Flask) -> None:
    """Raise RuntimeError when a production server would start with demo accounts."""
    if not app.config.get("PRODUCTION") or app.config.get("ALLOW_DEMO_ACCOUNTS"):
        return
    if click.get_current_context(silent=True) is not None:
        return  # a `flask …` command: the operator's way to put things right
    from app.demo import DEMO_PASSWORD
    from app.queries.demo_accounts import demo_accounts
    with app.app_context():
        found = demo_accounts(DEMO_PASSWORD)
    if found:
        raise RuntimeError(demo_message(found))
