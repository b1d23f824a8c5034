"""Notifications: written into each user's bell, idempotently (a key per user), and
delivered to the channels the admin configured (e-mail, 企业微信 / 钉钉 group robots; none by
default). The caller commits.

`run_daily_checks(today)` is the daily job (`flask notify daily`): next steps due today or
overdue, leaders and zones falling behind 序时进度, then delivery. Run twice on a day it adds
nothing the second time."""
from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from email.message import EmailMessage
from typing import Callable

from flask import current_app, url_for
from sqlalchemy import update

from app import audit
from app.domain.errors import UserFacingError
from app.domain.pacing import one_decimal
from app.domain.ranking import movement, movement_label
from app.domain.targets import TIERS
from app.extensions import db
from app.models import BUREAU, CHANNEL_KINDS, Notification, NotifyChannel, User
from app.clock import utcnow
from app.queries import notifications as q
from app.queries.bulletins import stored_standings
from app.queries.progress import build_progress
from app.queries.reminders import next_steps_due

log = logging.getLogger(__name__)

# Behind by less than one whole project (or contact) is not yet worth a reminder.
BEHIND_BY_AT_LEAST = 1


class ChannelError(UserFacingError):
    """A delivery channel the admin cannot save."""


@dataclass(frozen=True)
class Note:
    user_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    link: str = ""


def notify_many(notes: list[Note]) -> int:
    """Add the notes no user has yet (by key); returns how many were added."""
    seen = q.keys_of({n.key for n in notes})
    added = 0
    for n in notes:
        if (n.user_id, n.key) in seen:
            continue
        seen.add((n.user_id, n.key))
        db.session.add(Notification(user_id=n.user_id, kind=n.kind, key=n.key[:120], title=n.title[:200],
                                    body=n.body[:1000], link=n.link[:300]))
        added += 1
    db.session.flush()
    return added


def _link(endpoint: str, **values) -> str:
    try:
        return url_for(endpoint, **values)
    except RuntimeError:   # no request or server name (a command): the path alone
        with current_app.test_request_context():
            return url_for(endpoint, **values)


# ---------------------------------------------------------------- events

def notify_bulletin_issued(archive, issuer: User | None) -> int:
    """Every zone's people are told their zone's rank, score and movement as the bulletin
    publishes them (its stored standings, the figures of the page and the PDF)."""
    link = _link("reports.bulletin", archive_id=archive.id)
    title = f"{archive.issue_label}月度通报已签发"
    lead = f"本期为更正通报：{archive.correction_note}" if archive.revision else f"数据截至{archive.as_of.isoformat()}。"
    own = {s.zone_id: s for s in stored_standings(archive.id)}

    def body(zone_id: int | None) -> str:
        standing = own.get(zone_id)
        if standing is None:
            return f"{lead}请查看各开发区的排名与进展。"
        places = movement(standing.rank, standing.previous_rank)
        compared = "" if archive.previous_id is None else f"，较上期{movement_label(places)}"
        return (f"{lead}本区在{TIERS[standing.tier]}开发区中排名第{standing.rank}名，"
                f"综合得分{one_decimal(Fraction(standing.score))}分{compared}。")

    return notify_many([Note(user_id, "bulletin", f"bulletin:{archive.id}", title, body(zone_id), link)
                        for user_id, zone_id in q.bulletin_recipients()
                        if issuer is None or user_id != issuer.id])


def notify_project_changed(project, user: User | None, what: str) -> int:
    """The project's leader learns of a change someone else made."""
    if user is None or project.leader_id is None or project.leader_id == user.id:
        return 0
    stamp = utcnow().isoformat(timespec="microseconds")
    return notify_many([Note(project.leader_id, "project_changed", f"project:{project.id}:{stamp}",
                             f"您分包的项目“{project.name}”被{user.name}{what}",
                             link=_link("projects.detail", project_id=project.id))])


def notify_task_reassigned(task, new_owner: User, by: User) -> int:
    """The new owner of a next step learns who handed it to them (it is also in 我的待办)."""
    stamp = utcnow().isoformat(timespec="microseconds")
    due = f"（{task.due_on.isoformat()}）" if task.due_on else ""
    return notify_many([Note(new_owner.id, "task_assigned", f"task:{task.id}:{stamp}",
                             f"{by.name}将项目“{task.project.name}”的下一步“{task.title}”{due}交给您负责",
                             link=_link("projects.detail", project_id=task.project_id))])


# ---------------------------------------------------------------- the daily checks

@dataclass
class DailyResult:
    added: Counter = field(default_factory=Counter)
    delivered: int = 0
    failed: list[str] = field(default_factory=list)


def run_daily_checks(today: date, *, deliver: bool = True) -> DailyResult:
    """The day's reminders; idempotent per day (each note's key names its day, step or month)."""
    result = DailyResult()
    result.added["next_step"] = notify_many(_due_notes(today))
    result.added["behind"] = notify_many(_behind_notes(today))
    if deliver:
        result.delivered, result.failed = deliver_pending()
    return result


def _due_notes(today: date) -> list[Note]:
    notes = []
    for step in next_steps_due(today):
        overdue = step.due_on < today
        title = (f"下一步已逾期（应于{step.due_on.isoformat()}完成）：{step.project_name}" if overdue
                 else f"下一步今日到期：{step.project_name}")
        notes.append(Note(step.user_id, "next_step", f"next_step:{step.project_id}:{step.due_on.isoformat()}",
                          title, step.next_step, _link("projects.detail", project_id=step.project_id)))
    return notes


def _behind_notes(today: date) -> list[Note]:
    """At most one reminder a month per leader (own quota) and per zone user (zone targets)."""
    progress = build_progress(today.year, today)
    month = f"{today.year}-{today.month:02d}"
    notes = []
    for l in progress.leaders:
        if -l.pace.gap >= BEHIND_BY_AT_LEAST:
            notes.append(Note(l.id, "behind", f"behind:leader:{month}",
                              f"您的对接任务落后序时进度 {one_decimal(-l.pace.gap)} 个项目",
                              f"已对接 {l.contacted} 个项目，全年任务 {l.quota} 个，"
                              f"序时应完成 {one_decimal(l.pace.expected)} 个。",
                              _link("review.leader_projects", user_id=l.id)))
    users = q.zone_users()
    for z in progress.zones:
        behind = [m for m in z.metrics if -m.pace.gap >= BEHIND_BY_AT_LEAST]
        if not behind:
            continue
        body = "；".join(f"{m.label} {m.actual}/{m.floor}，序时应完成 {one_decimal(m.pace.expected)}" for m in behind)
        for user_id in users.get(z.id, []):
            notes.append(Note(user_id, "behind", f"behind:zone:{z.id}:{month}",
                              f"{z.name}有 {len(behind)} 项指标落后序时进度", body,
                              _link("review.zone", zone_id=z.id)))
    return notes


# ---------------------------------------------------------------- delivery

Sender = Callable[[NotifyChannel, str, str], None]


def deliver_pending(now: datetime | None = None, send: Sender | None = None) -> tuple[int, list[str]]:
    """Send undelivered notifications, one message per channel: a zone's channels carry its
    leaders' and staff's, the city-wide ones (no zone) the bureau's. Without channels they
    are simply marked delivered. A channel that fails leaves its notifications for next time."""
    send = send or send_to_channel
    now = now or utcnow()
    pending = q.pending_delivery()
    if not pending:
        return 0, []
    by_channel: dict[int, list[Notification]] = {}
    all_channels = q.channels()
    for n in pending:
        for c in all_channels:
            if (c.zone_id is not None and n.user.zone_id == c.zone_id) or \
                    (c.zone_id is None and n.user.role == BUREAU):
                by_channel.setdefault(c.id, []).append(n)
    failed_ids, failures = set(), []
    channel_by_id = {c.id: c for c in all_channels}
    for channel_id, items in by_channel.items():
        c = channel_by_id[channel_id]
        lines, seen = [], set()
        for n in items:   # a zone's five leaders get the same bulletin line once
            line = f"【{n.kind_label}】{n.title}" + (f"：{n.body}" if n.body else "")
            if line not in seen:
                seen.add(line)
                lines.append(line)
        subject = f"开发区招商引资管理系统通知（{len(lines)}条）"
        try:
            send(c, subject, "\n".join(lines))
        except Exception as error:   # one channel's failure must not stop the others
            log.warning("notification channel %s failed: %s", c.id, error)
            failures.append(f"{c.kind_label} {c.target}：{error}")
            failed_ids.update(n.id for n in items)
    delivered = 0
    for n in pending:
        if n.id not in failed_ids:
            n.delivered_at = now
            delivered += 1
    return delivered, failures


def send_to_channel(channel: NotifyChannel, subject: str, text: str) -> None:
    config = current_app.config
    timeout = config.get("NOTIFY_TIMEOUT", 10)
    if channel.kind == "email":
        if not config.get("NOTIFY_SMTP_HOST"):
            raise RuntimeError("未配置邮件服务器（NOTIFY_SMTP_HOST）")
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = subject, config["NOTIFY_MAIL_FROM"], channel.target
        message.set_content(text)
        with smtplib.SMTP(config["NOTIFY_SMTP_HOST"], config["NOTIFY_SMTP_PORT"], timeout=timeout) as smtp:
            if config.get("NOTIFY_SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("NOTIFY_SMTP_USER"):
                smtp.login(config["NOTIFY_SMTP_USER"], config["NOTIFY_SMTP_PASSWORD"])
            smtp.send_message(message)
        return
    # 企业微信 and 钉钉 group robots take the same text message.
    payload = json.dumps({"msgtype": "text", "text": {"content": f"{subject}\n{text}"}}, ensure_ascii=False)
    request = urllib.request.Request(channel.target, data=payload.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (admin-set http(s) URL)
        if response.status >= 300:
            raise RuntimeError(f"HTTP {response.status}")


# ---------------------------------------------------------------- reading and channels

def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user_id: int) -> None:
    now = utcnow()
    for n in q.notifications_of(user_id):
        if n.read_at is None:
            n.read_at = now


def mark_history_read() -> None:
    """Every notification so far read and delivered (a history loaded at once, as the demo's)."""
    now = utcnow()
    db.session.execute(update(Notification).where(Notification.read_at.is_(None)).values(read_at=now))
    db.session.execute(update(Notification).where(Notification.delivered_at.is_(None)).values(delivered_at=now))


def _check_target(kind: str, target: str) -> str:
    target = target.strip()
    if kind not in CHANNEL_KINDS:
        raise ChannelError("未知的发送方式", "kind")
    if kind == "email":
        local, at, domain = target.partition("@")
        if not (local and at and domain) or " " in target or len(target) > 254:
            raise ChannelError("请填写有效的电子邮件地址", "target")
    elif not target.startswith(("https://", "http://")) or " " in target or len(target) > 300:
        raise ChannelError("请填写群机器人的 Webhook 地址（http:// 或 https:// 开头）", "target")
    return target


def add_channel(kind: str, target: str, zone_id: int | None) -> NotifyChannel:
    channel = NotifyChannel(kind=kind, target=_check_target(kind, target), zone_id=zone_id, enabled=True)
    db.session.add(channel)
    db.session.flush()
    audit.record("create", "notify_channel", channel.id, after={"kind": kind, "target": channel.target,
                                                                  "zone_id": zone_id})
    return channel


def set_channel_enabled(channel: NotifyChannel, enabled: bool) -> None:
    before = channel.enabled
    channel.enabled = enabled
    audit.record("update", "notify_channel", channel.id, before={"enabled": before}, after={"enabled": enabled})


def delete_channel(channel: NotifyChannel) -> None:
    audit.record("delete", "notify_channel", channel.id, before={"kind": channel.kind, "target": channel.target,
                                                                   "zone_id": channel.zone_id})
    db.session.delete(channel)
