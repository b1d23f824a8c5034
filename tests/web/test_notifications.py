"""Notifications: the daily checks (next steps due, falling behind), a bulletin issued, a project
changed by someone else; the bell; delivery by e-mail and group-robot webhooks, configured by the
admin and off by default. Deliveries go to a local SMTP sink and a webhook receiver on 127.0.0.1."""
import email
import email.policy
import json
import socket
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from app.models import Notification, NotifyChannel
from app.services.notifications import deliver_pending, run_daily_checks


def _notes(db, user):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


@pytest.fixture
def _due_project(today):
    def make(world, make_project, log_contact, name, due_on, zone=None, leader=None):
        zone = zone or world.zone_a
        leader = leader or world.leader
        project = make_project(zone, name=name, investor=f"{name}投资方", leader_id=leader.id)
        log_contact(project, [leader], today - timedelta(days=20), next_step="起草投资协议", next_step_on=due_on)
        return project
    return make


def test_a_next_step_due_today_reaches_the_bell_once(client, world, login, make_project, log_contact, db, today,
                                                     _due_project):
    due = _due_project(world, make_project, log_contact, "今日到期项目", today)
    _due_project(world, make_project, log_contact, "逾期项目", today - timedelta(days=3))
    _due_project(world, make_project, log_contact, "下周项目", today + timedelta(days=7))
    result = run_daily_checks(today)
    db.session.commit()
    assert result.added["next_step"] == 2
    assert run_daily_checks(today).added == {"next_step": 0, "behind": 0}     # idempotent per day
    db.session.commit()
    titles = sorted(n.title for n in _notes(db, world.leader) if n.kind == "next_step")
    assert titles == sorted(["下一步今日到期：今日到期项目",
                             f"下一步已逾期（应于{(today - timedelta(days=3)).isoformat()}完成）：逾期项目"])
    assert not [n for n in _notes(db, world.leader2) if n.kind == "next_step"]

    login(world.leader)
    home = client.get("/").get_data(as_text=True)
    unread = len([n for n in _notes(db, world.leader) if n.read_at is None])
    assert f'<span class="badge">{unread}</span>' in home
    page = client.get("/notifications/").get_data(as_text=True)
    assert "下一步今日到期：今日到期项目" in page and "起草投资协议" in page
    note = next(n for n in _notes(db, world.leader) if "今日到期项目" in n.title)
    opened = client.get(f"/notifications/{note.id}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/projects/{due.id}"
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
    client.post("/notifications/read")
    assert '<span class="badge">' not in client.get("/").get_data(as_text=True)
    login(world.other_leader)
    assert client.get(f"/notifications/{note.id}").status_code == 404     # someone else's


def test_falling_behind_pace_is_said_once_a_month(world, db):
    # Mid-year of a year with targets (the world's 2024), not today: on 1 January nobody is
    # behind yet.
    mid_year = date(2024, 6, 30)
    run_daily_checks(mid_year, deliver=False)
    db.session.commit()
    leader_notes = [n for n in _notes(db, world.leader) if n.kind == "behind"]
    assert any(n.title.startswith("您的对接任务落后序时进度") for n in leader_notes)
    assert any(n.title.startswith("石家庄高新区有") for n in leader_notes)
    staff = [n for n in _notes(db, world.staff) if n.kind == "behind"]
    assert len(staff) == 1 and "落后序时进度" in staff[0].title            # staff: the zone's targets only
    again = run_daily_checks(mid_year, deliver=False)
    assert again.added["behind"] == 0


def test_a_change_by_someone_else_reaches_the_projects_leader(world, make_project, db, today):
    from app.services.projects import change_stage
    project = make_project(world.zone_a, name="分包项目", leader_id=world.leader.id)
    change_stage(project, "negotiating", today, "", world.staff)
    db.session.commit()
    notes = [n for n in _notes(db, world.leader) if n.kind == "project_changed"]
    assert len(notes) == 1 and notes[0].title == "您分包的项目“分包项目”被王芳变更为“在谈”阶段"
    change_stage(project, "signed", today, "", world.leader)
    db.session.commit()
    assert len([n for n in _notes(db, world.leader) if n.kind == "project_changed"]) == 1


def test_the_cli_runs_the_daily_checks(app, world, make_project, log_contact, db, today, _due_project):
    _due_project(world, make_project, log_contact, "今日到期项目", today)
    result = app.test_cli_runner().invoke(args=["notify", "daily", "--today", today.isoformat()])
    assert result.exit_code == 0 and "下一步到期 1 条" in result.output
    again = app.test_cli_runner().invoke(args=["notify", "daily", "--today", today.isoformat()])
    assert "下一步到期 0 条" in again.output


def test_the_worker_runs_the_daily_checks_every_morning(app, world, make_project, log_contact, db, today, _due_project):
    from app import tasks
    from app.queue import huey
    assert "notify.daily" in {task.name for task in huey._registry.periodic_tasks}
    _due_project(world, make_project, log_contact, "今日到期项目", today)
    tasks.daily_reminders.call_local()
    assert [n.title for n in _notes(db, world.leader) if n.kind == "next_step"] == ["下一步今日到期：今日到期项目"]


def test_the_schedule_keeps_the_users_hours_on_a_utc_server(app):
    """huey hands its schedule UTC times; 07:00 and 02:30 are Beijing time (TIME_ZONE)."""
    from datetime import datetime

    from app.queue import huey

    def due(utc: str) -> set[str]:
        with app.app_context():
            return {task.name for task in huey.read_periodic(datetime.fromisoformat(utc))}
    assert "notify.daily" in due("2026-12-06 23:00") and "notify.daily" not in due("2026-12-07 07:00")
    assert "backup.nightly" in due("2026-12-06 18:30") and "backup.nightly" not in due("2026-12-07 02:30")
    assert due("2026-12-07 09:17") >= {"import.reap_stale", "import.delete_stale_uploads"}


# ---------------------------------------------------------------- delivery, on 127.0.0.1 only

@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append((envelope.rcpt_tos, message["Subject"] + "\n" + message.get_content()))
            return "250 OK"

    with socket.socket() as probe:            # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler.messages
    finally:
        controller.stop()


@pytest.fixture
def webhook_receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode":0}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_nothing_leaves_the_app_until_the_admin_adds_a_channel(world, make_project, log_contact, db, today,
                                                               _due_project):
    _due_project(world, make_project, log_contact, "今日到期项目", today)
    sent = []
    run_daily_checks(today, deliver=False)
    delivered, failed = deliver_pending(send=lambda *a: sent.append(a))
    assert delivered >= 1 and not failed and sent == []


def test_delivery_by_email_and_group_robots(app, client, world, login, make_project, log_contact, db, smtp_sink,
                                            webhook_receiver, monkeypatch, today, _due_project):
    port, mails = smtp_sink
    url, posts = webhook_receiver
    monkeypatch.setitem(app.config, "NOTIFY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "NOTIFY_SMTP_PORT", port)
    login(world.admin)
    page = client.post("/admin/notify", data={"kind": "wecom", "target": "not a url", "zone_id": world.zone_a.id})
    assert "Webhook 地址" in page.get_data(as_text=True)
    for kind, target, zone in (("email", "gxq-office@example.test", world.zone_a.id),
                               ("wecom", f"{url}/wecom?key=k", world.zone_a.id),
                               ("dingtalk", f"{url}/dingtalk?access_token=t", "")):
        assert client.post("/admin/notify", data={"kind": kind, "target": target, "zone_id": zone}).status_code == 302
    assert len(db.session.scalars(select(NotifyChannel)).all()) == 3

    _due_project(world, make_project, log_contact, "今日到期项目", today)
    _due_project(world, make_project, log_contact, "赵县项目", today, zone=world.zone_c, leader=world.other_leader)
    result = run_daily_checks(today)
    db.session.commit()
    assert not result.failed and result.delivered >= 2
    assert len(mails) == 1 and mails[0][0] == ["gxq-office@example.test"]
    assert "今日到期项目" in mails[0][1] and "赵县项目" not in mails[0][1]
    wecom = [body for path, body in posts if path.startswith("/wecom")]
    assert len(wecom) == 1 and wecom[0]["msgtype"] == "text" and "今日到期项目" in wecom[0]["text"]["content"]
    assert not [p for p, _ in posts if p.startswith("/dingtalk")]        # the bureau had nothing yet
    assert run_daily_checks(today).delivered == 0 and len(mails) == 1    # nothing sent twice

    # A stopped channel sends nothing; a failing one keeps its notifications for the next run.
    channel = db.session.scalar(select(NotifyChannel).where(NotifyChannel.kind == "email"))
    assert client.post(f"/admin/notify/{channel.id}/toggle").status_code == 302
    monkeypatch.setitem(app.config, "NOTIFY_SMTP_HOST", "")
    from app.services.notifications import notify_many, Note
    notify_many([Note(world.bureau.id, "bulletin", "bulletin:test", "2024年第6期月度通报已签发")])
    db.session.commit()
    delivered, failed = deliver_pending()
    db.session.commit()
    assert delivered == 1 and not failed
    dingtalk = [body for path, body in posts if path.startswith("/dingtalk")]
    assert len(dingtalk) == 1 and "2024年第6期月度通报已签发" in dingtalk[0]["text"]["content"]
