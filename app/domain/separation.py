"""三员分立 (separation of the three administrators): who may grant which role. No Flask.

The system administrator manages business accounts; only the security administrator
(安全管理员), or an operator at the command line, grants the auditor role and resets an
auditor's password, so the administrator can never make themselves an auditor and read
the trail. The security administrator role itself is granted at the command line only.
"""
from __future__ import annotations

ADMIN, AUDITOR, SECADMIN = "admin", "auditor", "secadmin"
PROTECTED = (AUDITOR, SECADMIN)


def may_manage(actor_role: str | None, target_role: str) -> bool:
    """May someone holding actor_role (None: the command line) create, change, reset or
    grant an account of target_role?"""
    if actor_role is None:
        return True
    if actor_role == SECADMIN:
        return target_role == AUDITOR
    if actor_role == ADMIN:
        return target_role not in PROTECTED
    return False


def refusal(actor_role: str | None, target_role: str) -> str:
    if target_role == SECADMIN:
        return "安全管理员账号只能在命令行建立或变更（三员分立）"
    if target_role == AUDITOR:
        return "审计管理员账号只能由安全管理员或命令行建立、变更、重置密码（三员分立）"
    return "安全管理员只能管理审计管理员账号（三员分立）" if actor_role == SECADMIN else "无权管理该账号"
