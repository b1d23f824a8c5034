"""Every registered route, tried by every role and with another zone's ids, answers as this
table says. The routes come from app.url_map: a route that is missing from the table, or that
declares no roles, fails the test, so a new route cannot ship unguarded."""

import pytest

from app.auth.access import PUBLIC

ROLES = ("anonymous", "leader", "staff", "bureau", "admin", "auditor", "secadmin")
OWN, OTHER = "own zone", "other zone"


def row(*statuses):
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses))


#                                            anonymous leader staff bureau admin auditor secadmin
EXPECTED = {
    ("static", "GET", OWN):                  row(200, 200, 200, 200, 200, 200, 200),
    ("health.healthz", "GET", OWN):          row(200, 200, 200, 200, 200, 200, 200),
    ("auth.login", "GET", OWN):              row(200, 302, 302, 302, 302, 302, 302),
    ("auth.login", "POST", OWN):             row(200, 302, 302, 302, 302, 302, 302),
    ("auth.logout", "POST", OWN):            row(302, 302, 302, 302, 302, 302, 302),
    ("auth.password", "GET", OWN):           row(302, 200, 200, 200, 200, 200, 200),
    ("auth.password", "POST", OWN):          row(302, 200, 200, 200, 200, 200, 200),
    ("home.index", "GET", OWN):              row(302, 200, 200, 302, 302, 302, 302),
    ("home.amount", "GET", OWN):             row(302, 200, 200, 403, 200, 403, 403),
    ("contacts.new", "GET", OWN):            row(302, 200, 200, 403, 403, 403, 403),
    ("contacts.new", "GET", OTHER):          row(302, 404, 404, 403, 403, 403, 403),
    ("contacts.new", "POST", OWN):           row(302, 302, 302, 403, 403, 403, 403),
    ("contacts.new", "POST", OTHER):         row(302, 404, 404, 403, 403, 403, 403),
    ("contacts.lookup", "GET", OWN):         row(302, 200, 200, 403, 403, 403, 403),
    ("contacts.index", "GET", OWN):          row(302, 200, 200, 200, 403, 403, 403),
    ("projects.index", "GET", OWN):          row(302, 200, 200, 200, 403, 403, 403),
    ("projects.new", "GET", OWN):            row(302, 200, 200, 403, 403, 403, 403),
    ("projects.new", "POST", OWN):           row(302, 400, 400, 403, 403, 403, 403),  # an empty form is refused
    ("projects.detail", "GET", OWN):         row(302, 200, 200, 200, 403, 403, 403),
    ("projects.detail", "GET", OTHER):       row(302, 404, 404, 200, 403, 403, 403),
    ("projects.edit", "GET", OWN):           row(302, 200, 200, 403, 403, 403, 403),
    ("projects.edit", "GET", OTHER):         row(302, 404, 404, 403, 403, 403, 403),
    ("projects.edit", "POST", OWN):          row(302, 400, 400, 403, 403, 403, 403),
    ("projects.edit", "POST", OTHER):        row(302, 404, 404, 403, 403, 403, 403),
    ("projects.stage", "POST", OWN):         row(302, 302, 302, 403, 403, 403, 403),
    ("projects.stage", "POST", OTHER):       row(302, 404, 404, 403, 403, 403, 403),
    ("projects.correct", "GET", OWN):        row(302, 403, 200, 403, 403, 403, 403),
    ("projects.correct", "GET", OTHER):      row(302, 403, 404, 403, 403, 403, 403),
    ("projects.correct", "POST", OWN):       row(302, 403, 200, 403, 403, 403, 403),
    ("projects.correct", "POST", OTHER):     row(302, 403, 404, 403, 403, 403, 403),
    ("projects.merge", "GET", OWN):          row(302, 403, 200, 403, 403, 403, 403),
    ("projects.merge", "GET", OTHER):        row(302, 403, 404, 403, 403, 403, 403),
    ("projects.merge", "POST", OWN):         row(302, 403, 200, 403, 403, 403, 403),
    ("projects.merge", "POST", OTHER):       row(302, 403, 404, 403, 403, 403, 403),
    ("review.desk", "GET", OWN):             row(302, 403, 403, 200, 403, 403, 403),
    ("review.leaders", "GET", OWN):          row(302, 403, 403, 200, 403, 403, 403),
    ("review.watch", "GET", OWN):            row(302, 403, 403, 200, 403, 403, 403),
    ("review.charts", "GET", OWN):           row(302, 403, 403, 200, 403, 403, 403),
    ("review.city_metric", "GET", OWN):      row(302, 403, 403, 200, 403, 403, 403),
    ("review.zone_metric", "GET", OWN):      row(302, 200, 200, 200, 403, 403, 403),
    ("review.zone_metric", "GET", OTHER):    row(302, 404, 404, 200, 403, 403, 403),
    ("review.leader_projects", "GET", OWN):  row(302, 200, 200, 200, 403, 403, 403),
    ("review.leader_projects", "GET", OTHER): row(302, 404, 404, 200, 403, 403, 403),
    ("reports.monthly", "GET", OWN):         row(302, 403, 403, 200, 403, 403, 403),
    ("reports.archive", "GET", OWN):         row(302, 200, 200, 200, 403, 403, 403),
    ("reports.issue", "POST", OWN):          row(302, 403, 403, 302, 403, 403, 403),
    ("reports.archived", "GET", OWN):        row(302, 404, 404, 404, 403, 403, 403),
    ("reports.zone_report", "GET", OWN):     row(302, 200, 200, 200, 403, 403, 403),
    ("reports.zone_report", "GET", OTHER):   row(302, 404, 404, 200, 403, 403, 403),
    ("reports.leader_list", "GET", OWN):     row(302, 200, 200, 200, 403, 403, 403),
    ("reports.leader_list", "GET", OTHER):   row(302, 404, 404, 200, 403, 403, 403),
    ("imports.index", "GET", OWN):           row(302, 200, 200, 403, 403, 403, 403),
    ("imports.upload", "POST", OWN):         row(302, 400, 400, 403, 403, 403, 403),
    ("imports.job", "GET", OWN):             row(302, 404, 404, 403, 403, 403, 403),
    ("imports.check", "POST", OWN):          row(302, 404, 404, 403, 403, 403, 403),
    ("imports.commit", "POST", OWN):         row(302, 404, 404, 403, 403, 403, 403),
    ("imports.columns", "POST", OWN):        row(302, 404, 404, 403, 403, 403, 403),
    ("imports.decide", "POST", OWN):         row(302, 404, 404, 403, 403, 403, 403),
    ("imports.progress", "GET", OWN):        row(302, 404, 404, 403, 403, 403, 403),
    ("imports.errors", "GET", OWN):          row(302, 404, 404, 403, 403, 403, 403),
    ("imports.template", "GET", OWN):        row(302, 200, 200, 403, 403, 403, 403),
    ("imports.export", "GET", OWN):          row(302, 200, 200, 403, 403, 403, 403),
    ("admin.index", "GET", OWN):             row(302, 403, 403, 403, 200, 403, 403),
    ("admin.user_new", "GET", OWN):          row(302, 403, 403, 403, 200, 403, 403),
    ("admin.user_new", "POST", OWN):         row(302, 403, 403, 403, 200, 403, 403),
    ("admin.user_edit", "GET", OWN):         row(302, 403, 403, 403, 200, 403, 403),
    ("admin.user_edit", "POST", OWN):        row(302, 403, 403, 403, 302, 403, 403),
    ("admin.user_reset_password", "POST", OWN): row(302, 403, 403, 403, 302, 403, 403),
    ("admin.targets", "GET", OWN):           row(302, 403, 403, 403, 200, 403, 403),
    ("admin.targets", "POST", OWN):          row(302, 403, 403, 403, 400, 403, 403),
    ("admin.copy_targets", "POST", OWN):     row(302, 403, 403, 403, 302, 403, 403),
    ("admin.zone_new", "GET", OWN):          row(302, 403, 403, 403, 200, 403, 403),
    ("admin.zone_new", "POST", OWN):         row(302, 403, 403, 403, 200, 403, 403),
    ("admin.zone_edit", "GET", OWN):         row(302, 403, 403, 403, 200, 403, 403),
    ("admin.zone_edit", "POST", OWN):        row(302, 403, 403, 403, 200, 403, 403),
    ("admin.audit", "GET", OWN):             row(302, 403, 403, 403, 403, 200, 403),
    ("admin.audit_export", "GET", OWN):      row(302, 403, 403, 403, 403, 200, 403),
    ("auth.tokens", "GET", OWN):             row(302, 200, 200, 200, 200, 200, 200),
    ("auth.tokens", "POST", OWN):            row(302, 200, 200, 200, 200, 200, 200),
    ("auth.token_revoke", "POST", OWN):      row(302, 302, 404, 404, 404, 404, 404),
    ("auth.sessions_list", "GET", OWN):      row(302, 200, 200, 200, 200, 200, 200),
    ("auth.session_end", "POST", OWN):       row(302, 302, 404, 404, 404, 404, 404),
    ("admin.user_end_sessions", "POST", OWN): row(302, 403, 403, 403, 302, 403, 403),
    ("admin.security", "GET", OWN):          row(302, 403, 403, 403, 403, 403, 200),
    ("admin.security", "POST", OWN):         row(302, 403, 403, 403, 403, 403, 200),
    ("admin.security_reset_password", "POST", OWN): row(302, 403, 403, 403, 403, 403, 404),
    ("admin.security_toggle_active", "POST", OWN): row(302, 403, 403, 403, 403, 403, 404),
    ("tasks.index", "GET", OWN):            row(302, 200, 200, 403, 403, 403, 403),
    ("tasks.done", "POST", OWN):             row(302, 302, 302, 403, 403, 403, 403),
    ("tasks.done", "POST", OTHER):           row(302, 404, 404, 403, 403, 403, 403),
    ("tasks.move", "POST", OWN):             row(302, 302, 302, 403, 403, 403, 403),
    ("tasks.move", "POST", OTHER):           row(302, 404, 404, 403, 403, 403, 403),
    ("tasks.reassign", "POST", OWN):         row(302, 302, 302, 403, 403, 403, 403),
    ("tasks.reassign", "POST", OTHER):       row(302, 404, 404, 403, 403, 403, 403),
    ("projects.add_task", "POST", OWN):      row(302, 302, 302, 403, 403, 403, 403),
    ("projects.add_task", "POST", OTHER):    row(302, 404, 404, 403, 403, 403, 403),
    ("api_docs.index", "GET", OWN):          row(200, 200, 200, 200, 200, 200, 200),
    ("projects.add_arrival_view", "POST", OWN):     row(302, 400, 400, 403, 403, 403, 403),  # refused form shown again
    ("projects.add_arrival_view", "POST", OTHER):   row(302, 404, 404, 403, 403, 403, 403),
    ("projects.delete_arrival_view", "POST", OWN):  row(302, 404, 404, 403, 403, 403, 403),
    ("projects.delete_arrival_view", "POST", OTHER): row(302, 404, 404, 403, 403, 403, 403),
    ("indicators.index", "GET", OWN):        row(302, 403, 200, 200, 403, 403, 403),
    ("indicators.index", "POST", OWN):       row(302, 403, 400, 400, 403, 403, 403),
    ("indicators.imports", "GET", OWN):      row(302, 403, 200, 200, 403, 403, 403),
    ("indicators.import_upload", "POST", OWN): row(302, 403, 400, 400, 403, 403, 403),
    ("indicators.import_job", "GET", OWN):   row(302, 403, 404, 404, 403, 403, 403),
    ("indicators.import_check", "POST", OWN): row(302, 403, 404, 404, 403, 403, 403),
    ("indicators.import_commit", "POST", OWN): row(302, 403, 404, 404, 403, 403, 403),
    ("indicators.import_progress", "GET", OWN): row(302, 403, 404, 404, 403, 403, 403),
    ("indicators.import_template", "GET", OWN): row(302, 403, 200, 200, 403, 403, 403),
    ("admin.load_example_targets", "POST", OWN): row(302, 403, 403, 403, 302, 403, 403),
    ("admin.add_target_view", "POST", OWN):  row(302, 403, 403, 403, 302, 403, 403),
    ("admin.remove_target_view", "POST", OWN): row(302, 403, 403, 403, 404, 403, 403),
    ("reports.issue_confirm", "GET", OWN):   row(302, 403, 403, 200, 403, 403, 403),
    ("reports.bulletin", "GET", OWN):        row(302, 404, 404, 404, 403, 403, 403),
    ("review.city_ledger", "GET", OWN):      row(302, 403, 403, 200, 403, 403, 403),
    ("review.zone", "GET", OWN):             row(302, 200, 200, 200, 403, 403, 403),
    ("review.zone", "GET", OTHER):           row(302, 404, 404, 200, 403, 403, 403),
    ("notifications.index", "GET", OWN):     row(302, 200, 200, 200, 403, 403, 403),
    ("notifications.open_", "GET", OWN):     row(302, 404, 404, 404, 403, 403, 403),
    ("notifications.read_all", "POST", OWN): row(302, 302, 302, 302, 403, 403, 403),
    ("admin.notify_channels", "GET", OWN):   row(302, 403, 403, 403, 200, 403, 403),
    ("admin.notify_channels", "POST", OWN):  row(302, 403, 403, 403, 200, 403, 403),
    ("admin.notify_channel_toggle", "POST", OWN): row(302, 403, 403, 403, 404, 403, 403),
    ("admin.notify_channel_delete", "POST", OWN): row(302, 403, 403, 403, 404, 403, 403),
    ("admin.synonyms", "GET", OWN):          row(302, 403, 403, 403, 200, 403, 403),
    ("admin.synonyms", "POST", OWN):         row(302, 403, 403, 403, 302, 403, 403),
    # The JSON API ignores the session cookie: a signed-in browser without a token gets 401
    # JSON everywhere but the public description. API_EXPECTED below walks it with tokens.
    ("api.openapi_document", "GET", OWN):    row(200, 200, 200, 200, 200, 200, 200),
    **{(endpoint, method, variant): row(401, 401, 401, 401, 401, 401, 401)
       for endpoint, method, variant in (
           ("api.me", "GET", OWN), ("api.zones", "GET", OWN), ("api.zone", "GET", OWN), ("api.zone", "GET", OTHER),
           ("api.projects", "GET", OWN), ("api.project_create", "POST", OWN), ("api.project", "GET", OWN),
           ("api.project", "GET", OTHER), ("api.project_update", "PATCH", OWN),
           ("api.project_update", "PATCH", OTHER), ("api.project_stage", "POST", OWN),
           ("api.project_stage", "POST", OTHER), ("api.contacts", "GET", OWN), ("api.contact", "GET", OWN), ("api.contact", "GET", OTHER),
           ("api.contact_create", "POST", OWN),
           ("api.contact_create", "POST", OTHER), ("api.progress", "GET", OWN), ("api.targets", "GET", OWN),
           ("api.targets_update", "PUT", OWN), ("api.project_funds_get", "GET", OWN),
           ("api.project_funds_get", "GET", OTHER), ("api.arrival_create", "POST", OWN),
           ("api.arrival_create", "POST", OTHER), ("api.monthly_get", "GET", OWN), ("api.monthly_get", "GET", OTHER),
           ("api.monthly_put", "PUT", OWN), ("api.monthly_put", "PUT", OTHER), ("api.bulletin_list", "GET", OWN),
           ("api.bulletin", "GET", OWN))},
}

# The API walked with each role's token (anonymous: no token), with another zone's ids.
#                                            anonymous leader staff bureau admin auditor secadmin
API_EXPECTED = {
    ("api.openapi_document", "GET", OWN):    row(200, 200, 200, 200, 200, 200, 200),
    ("api.me", "GET", OWN):                  row(401, 200, 200, 200, 200, 200, 200),
    ("api.zones", "GET", OWN):               row(401, 200, 200, 200, 200, 403, 403),
    ("api.zone", "GET", OWN):                row(401, 200, 200, 200, 200, 403, 403),
    ("api.zone", "GET", OTHER):              row(401, 404, 404, 200, 200, 403, 403),
    ("api.projects", "GET", OWN):            row(401, 200, 200, 200, 403, 403, 403),
    ("api.project_create", "POST", OWN):     row(401, 201, 201, 403, 403, 403, 403),
    ("api.project", "GET", OWN):             row(401, 200, 200, 200, 403, 403, 403),
    ("api.project", "GET", OTHER):           row(401, 404, 404, 200, 403, 403, 403),
    ("api.project_update", "PATCH", OWN):    row(401, 200, 200, 403, 403, 403, 403),
    ("api.project_update", "PATCH", OTHER):  row(401, 404, 404, 403, 403, 403, 403),
    ("api.project_stage", "POST", OWN):      row(401, 200, 200, 403, 403, 403, 403),
    ("api.project_stage", "POST", OTHER):    row(401, 404, 404, 403, 403, 403, 403),
    ("api.contacts", "GET", OWN):            row(401, 200, 200, 200, 403, 403, 403),
    ("api.contact", "GET", OWN):             row(401, 200, 200, 200, 403, 403, 403),
    ("api.contact", "GET", OTHER):           row(401, 404, 404, 200, 403, 403, 403),
    ("api.contact_create", "POST", OWN):     row(401, 201, 201, 403, 403, 403, 403),
    ("api.contact_create", "POST", OTHER):   row(401, 404, 404, 403, 403, 403, 403),
    ("api.progress", "GET", OWN):            row(401, 200, 200, 200, 403, 403, 403),
    ("api.bulletin_list", "GET", OWN):       row(401, 200, 200, 200, 403, 403, 403),
    ("api.bulletin", "GET", OWN):            row(401, 404, 404, 404, 403, 403, 403),   # none issued
    ("api.targets", "GET", OWN):             row(401, 200, 200, 200, 200, 403, 403),
    ("api.targets_update", "PUT", OWN):      row(401, 403, 403, 403, 200, 403, 403),
    ("api.project_funds_get", "GET", OWN):   row(401, 200, 200, 200, 403, 403, 403),
    ("api.project_funds_get", "GET", OTHER): row(401, 404, 404, 200, 403, 403, 403),
    ("api.arrival_create", "POST", OWN):     row(401, 201, 201, 403, 403, 403, 403),
    ("api.arrival_create", "POST", OTHER):   row(401, 404, 404, 403, 403, 403, 403),
    ("api.monthly_get", "GET", OWN):         row(401, 200, 200, 200, 403, 403, 403),
    ("api.monthly_get", "GET", OTHER):       row(401, 404, 404, 200, 403, 403, 403),
    ("api.monthly_put", "PUT", OWN):         row(401, 403, 200, 200, 403, 403, 403),
    ("api.monthly_put", "PUT", OTHER):       row(401, 403, 404, 200, 403, 403, 403),
}

# Arguments for each request beyond <project_id>: (path arguments, query string, form fields).
# contacts.new names its project in the query (GET) and in the form (POST), so both paths
# are tried with the other zone's project too.
# Each is called with the project, the world and the run's today (the `today` fixture).
ARGUMENTS = {
    "static": lambda p, w, today: ({"filename": "css/app.css"}, {}, {}),
    "contacts.new": lambda p, w, today: ({}, {"project_id": p.id}, {
        "project_id": p.id, "project_name": p.name, "occurred_on": today.isoformat(),
        "form": "外出拜访", "leaders": [w.leader.id], "summary": "介绍园区政策"}),
    "projects.correct": lambda p, w, today: ({"change_id": p.stage_changes[0].id}, {}, {"note": "路由检查"}),
    "reports.monthly": lambda p, w, today: ({}, {"year": 2024, "month": 6}, {}),
    "reports.issue": lambda p, w, today: ({}, {}, {"year": 2024, "month": 6}),
    "reports.archived": lambda p, w, today: ({"archive_id": 999999}, {}, {}),
    "reports.bulletin": lambda p, w, today: ({"archive_id": 999999}, {}, {}),
    "reports.issue_confirm": lambda p, w, today: ({}, {"year": 2024, "month": 6}, {}),
    "review.zone": lambda p, w, today: ({"zone_id": p.zone_id}, {"year": 2024}, {}),
    "notifications.open_": lambda p, w, today: ({"notification_id": 999999}, {}, {}),
    "admin.notify_channel_toggle": lambda p, w, today: ({"channel_id": 999999}, {}, {}),
    "admin.notify_channel_delete": lambda p, w, today: ({"channel_id": 999999}, {}, {}),
    "reports.zone_report": lambda p, w, today: ({"zone_id": p.zone_id}, {"year": 2024}, {}),
    "reports.leader_list": lambda p, w, today: (
        {"user_id": (w.leader if p.zone_id == w.zone_a.id else w.other_leader).id}, {}, {}),
    "imports.job": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "imports.check": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "imports.commit": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "imports.columns": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "imports.decide": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "imports.progress": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "imports.errors": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "indicators.import_job": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "indicators.import_check": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "indicators.import_commit": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "indicators.import_progress": lambda p, w, today: ({"job_id": 999999}, {}, {}),
    "admin.copy_targets": lambda p, w, today: ({}, {}, {"year": 2031, "source": 2024}),
    "admin.load_example_targets": lambda p, w, today: ({}, {}, {"year": 2032, "example": "langfang"}),
    "admin.add_target_view": lambda p, w, today: ({}, {}, {"year": 2024, "tier": "C", "metric": "funds_arrived"}),
    "admin.remove_target_view": lambda p, w, today: ({}, {}, {"year": 2024, "target": 999999}),
    "projects.delete_arrival_view": lambda p, w, today: ({"arrival_id": 999999}, {}, {"reason": "录入错误"}),
    "admin.zone_edit": lambda p, w, today: ({"zone_id": w.zone_a.id}, {}, {}),
    "review.city_metric": lambda p, w, today: ({"metric": "new_start_industrial_projects"}, {}, {}),
    "review.zone_metric": lambda p, w, today: ({"zone_id": p.zone_id, "metric": "foreign_projects"}, {}, {}),
    "review.leader_projects": lambda p, w, today: (
        {"user_id": (w.leader if p.zone_id == w.zone_a.id else w.other_leader).id}, {}, {}),
    "auth.tokens": lambda p, w, today: ({}, {}, {"name": "数据同步"}),
    "tasks.done": lambda p, w, today: ({"task_id": _task(p, w, today)}, {}, {}),
    "tasks.move": lambda p, w, today: ({"task_id": _task(p, w, today)}, {}, {"due_on": today.replace(year=today.year + 1, month=1, day=5).isoformat()}),
    "tasks.reassign": lambda p, w, today: ({"task_id": _task(p, w, today)}, {}, {
        "owner_id": (w.staff if p.zone_id == w.zone_a.id else w.other_staff).id}),
    "projects.add_task": lambda p, w, today: ({}, {}, {"title": "路由检查", "owner_id": (
        w.staff if p.zone_id == w.zone_a.id else w.other_staff).id}),
    "auth.token_revoke": lambda p, w, today: ({"token_id": _leader_token(w)}, {}, {}),
    "auth.session_end": lambda p, w, today: ({"session_id": _leader_session(w)}, {}, {}),
    "api.zone": lambda p, w, today: ({"zone_id": p.zone_id}, {}, {}),
    "api.monthly_get": lambda p, w, today: ({"zone_id": p.zone_id}, {}, {}),
    "api.monthly_put": lambda p, w, today: ({"zone_id": p.zone_id, "year": 2024, "month": 3}, {}, {}),
    "api.contact": lambda p, w, today: ({"contact_id": 999999}, {}, {}),
    "api.bulletin": lambda p, w, today: ({"bulletin_id": 999999}, {}, {}),
    "api.targets_update": lambda p, w, today: ({"year": 2024}, {}, {}),
}

# The API's arguments: (path arguments, query string, JSON body).
API_ARGUMENTS = {
    "api.zone": lambda p, w, today: ({"zone_id": p.zone_id}, {}, None),
    "api.contact": lambda p, w, today: ({"contact_id": _contact(p, w, today)}, {}, None),
    "api.project_create": lambda p, w, today: ({}, {}, {"name": "路由检查项目", "total_investment_cny": "50000000.00"}),
    "api.project_update": lambda p, w, today: ({"project_id": p.id}, {}, {"note": "路由检查"}),
    "api.project_stage": lambda p, w, today: ({"project_id": p.id}, {}, {"stage": "negotiating"}),
    "api.contact_create": lambda p, w, today: ({}, {}, {
        "project_id": p.id, "summary": "介绍园区政策",
        "leader_usernames": [(w.leader if p.zone_id == w.zone_a.id else w.other_leader).username]}),
    "api.progress": lambda p, w, today: ({}, {"year": 2024, "as_of": "2024-06-30"}, None),
    "api.bulletin": lambda p, w, today: ({"bulletin_id": 999999}, {}, None),
    "api.targets": lambda p, w, today: ({}, {"year": 2024}, None),
    "api.arrival_create": lambda p, w, today: ({"project_id": p.id}, {}, {
        "arrived_on": "2024-05-06", "amount": "100.00", "currency": "CNY", "kind": "fixed_assets"}),
    "api.monthly_get": lambda p, w, today: ({"zone_id": p.zone_id}, {"year": 2024}, None),
    "api.monthly_put": lambda p, w, today: ({"zone_id": p.zone_id, "year": 2024, "month": 3}, {}, {"revenue": "100.00"}),
    "api.targets_update": lambda p, w, today: ({"year": 2024}, {}, {"targets": [
        {"tier": "A", "metric": "domestic_projects", "floor": 3, "stretch": 5,
         "threshold_amount": "1000000000.00", "threshold_currency": "CNY"}]}),
}


def _contact(project, w, today):
    from app.services.contacts import log_contact
    from app.extensions import db

    leader = w.leader if project.zone_id == w.zone_a.id else w.other_leader
    contact = log_contact(project=project, occurred_on=today, form="外出拜访", summary="介绍园区政策",
                          leaders=[leader], recorded_by=leader)
    db.session.commit()
    return contact.id


def _task(project, w, today):
    """An open next step of the project, owned by its zone's leader (written directly: another
    route walked before may have deactivated the leader, which the service would refuse)."""
    from app.models import Task
    from app.extensions import db

    leader = w.leader if project.zone_id == w.zone_a.id else w.other_leader
    task = Task(zone_id=project.zone_id, project_id=project.id, title="路由检查", due_on=today,
                owner_id=leader.id, state="open")
    db.session.add(task)
    db.session.commit()
    return task.id


def _leader_token(w):
    from app.services.tokens import create_token
    from app.extensions import db

    token, _ = create_token(w.leader, "路由检查")
    db.session.commit()
    return token.id


def _leader_session(w):
    from app.extensions import db
    from app.services.sessions import open_session

    _token, row = open_session(w.leader, "127.0.0.1", "路由检查", limit=100)
    db.session.commit()
    return row.id


def _open_session(user):
    from app.extensions import db
    from app.services.sessions import open_session

    token, _row = open_session(user, "127.0.0.1", "路由检查", limit=100)
    db.session.commit()
    return token


def registered(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_in_the_table(app):
    routes = {(rule.endpoint, method) for rule, method in registered(app)}
    listed = {(endpoint, method) for endpoint, method, _ in EXPECTED}
    assert routes - listed == set(), "new routes: add them to EXPECTED with the status each role gets"
    assert listed - routes == set(), "routes no longer registered: remove them from EXPECTED"
    api_routes = {(endpoint, method) for endpoint, method in routes if endpoint.startswith("api.")}
    assert {(endpoint, method) for endpoint, method, _ in API_EXPECTED} == api_routes, "API routes: see API_EXPECTED"


def test_every_route_declares_who_may_use_it_and_the_table_agrees(app):
    for rule, method in registered(app):
        if rule.endpoint == "static":
            continue
        declared = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
        assert declared is not None, f"{rule.endpoint}: use @roles_required(...) or @public"
        table = API_EXPECTED if rule.endpoint.startswith("api.") else EXPECTED
        if declared == PUBLIC:
            assert table[(rule.endpoint, method, OWN)]["anonymous"] not in (302, 401), rule.endpoint
            continue
        reached = {role for role, status in table[(rule.endpoint, method, OWN)].items()
                   if role != "anonymous" and status != 403}
        assert reached == set(declared), rule.endpoint


def client_as(app, user):
    client = app.test_client()
    if user is not None:
        token = _open_session(user)
        with client.session_transaction() as session:  # exactly what a login leaves behind
            session.update({"_user_id": user.get_id(), "_fresh": True, "sid": token})
    return client


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_route(app, world, make_project, role, today):
    own = make_project(world.zone_a, "本区项目")
    other = make_project(world.zone_c, "外区项目")
    user = None if role == "anonymous" else getattr(world, role)
    failures = []
    for rule, method in registered(app):
        for variant in (OWN, OTHER):
            expected = EXPECTED.get((rule.endpoint, method, variant))
            if expected is None:
                continue
            project = own if variant == OWN else other
            path_args, query, form = ARGUMENTS.get(rule.endpoint, lambda p, w, today: ({}, {}, {}))(project, world, today)
            if "project_id" in rule.arguments:
                path_args = {**path_args, "project_id": project.id}
            if "user_id" in rule.arguments and "user_id" not in path_args:
                path_args = {"user_id": world.leader.id}
            url = rule.build(path_args)[1]
            client = client_as(app, user)
            if method == "GET":
                response = client.get(url, query_string=query)
            else:
                response = client.open(url, method=method, data=form)
            if response.status_code != expected[role]:
                failures.append(f"{method} {url} {variant}: {response.status_code}, expected {expected[role]}")
            elif role == "anonymous" and response.status_code == 302:
                assert response.headers["Location"].startswith("/login"), url
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_api_route_with_its_token(app, world, make_project, role, today):
    from app.services.tokens import NO_TOKEN_ROLES, TokenError, create_token
    from app.extensions import db

    own = make_project(world.zone_a, "本区项目")
    other = make_project(world.zone_c, "外区项目")
    headers = {}
    if role in NO_TOKEN_ROLES:
        # The auditor and the security administrator hold no token: the API answers them as
        # it answers anyone without one.
        with pytest.raises(TokenError):
            create_token(getattr(world, role), "路由检查")
        role = "anonymous"
    elif role != "anonymous":
        headers["Authorization"] = "Bearer " + create_token(getattr(world, role), "路由检查")[1]
        db.session.commit()
    failures = []
    for rule, method in registered(app):
        for variant in (OWN, OTHER):
            expected = API_EXPECTED.get((rule.endpoint, method, variant))
            if expected is None:
                continue
            project = own if variant == OWN else other
            path_args, query, body = API_ARGUMENTS.get(rule.endpoint, lambda p, w, today: ({}, {}, None))(project, world, today)
            if "project_id" in rule.arguments:
                path_args = {**path_args, "project_id": project.id}
            url = rule.build(path_args)[1]
            response = app.test_client().open(url, method=method, query_string=query, json=body, headers=headers)
            if response.status_code != expected[role]:
                failures.append(f"{method} {url} {variant}: {response.status_code}, expected {expected[role]}")
            assert response.is_json, url
    assert not failures, "\n".join(failures)
