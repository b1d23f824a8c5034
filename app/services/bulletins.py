"""The monthly bulletin: built from the same Progress as the desk, and issued into the
archive (the stored PDF, the progress JSON it was built from, its fingerprint, each zone's
published score, rank and movement, and an audit record); the caller commits.

Issuing is deliberate: a month has one issue number (期号 = the month), so a second issue of
a month is refused unless it is a correction (更正) with its reason; the correction gets the
next revision, names the issue it corrects and supersedes it, which stays in the archive.
The confirm step passes the fingerprint the bureau saw, and an issue whose data changed in
between is refused."""
from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import exc, select

import reports
from app import audit
from app.domain.errors import UserFacingError
from app.extensions import db
from app.models import BulletinRead, BulletinStanding, ReportArchive, User
from app.clock import utcnow
from app.models.report import issue_suffix
from app.queries.bulletins import previous_issue, stored_standings
from app.queries.progress import Progress, build_progress
from app.queries.reports import counted_projects

CORRECTION_NOTE_MAX = 500


class ReportError(UserFacingError):
    """A report that cannot be made."""


def month_end(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ReportError("月份应为 1 至 12")
    if not 2000 <= year <= 2100:
        raise ReportError("年度应在 2000 至 2100 之间")
    return date(year, month, calendar.monthrange(year, month)[1])


def issuing_body() -> str:
    return current_app.config.get("REPORT_ISSUER") or reports.DEFAULT_ISSUER


@dataclass(frozen=True)
class Bulletin:
    pdf: bytes
    progress: Progress
    fingerprint: str


def monthly_bulletin(year: int, month: int, issued_on: date, correction=None) -> Bulletin:
    """The bulletin as of the month's last day, from the same Progress as the desk."""
    as_of = month_end(year, month)
    progress = build_progress(year, as_of)
    pdf = reports.build_monthly_bulletin(progress, counted_projects(year, as_of), issued_on=issued_on,
                                         issuer=issuing_body(), correction=correction)
    return Bulletin(pdf, progress, reports.data_fingerprint(progress))


def current_issue(year: int, month: int) -> ReportArchive | None:
    """The issue of a month now in force: its latest revision, or None if never issued."""
    return db.session.scalar(select(ReportArchive).where(
        ReportArchive.kind == "monthly", ReportArchive.year == year, ReportArchive.month == month)
        .order_by(ReportArchive.revision.desc()).limit(1))


@dataclass(frozen=True)
class IssuePlan:
    """What issuing a month would do, shown on the confirm page before anything is written."""
    year: int
    month: int
    as_of: date
    revision: int
    corrects: ReportArchive | None
    bulletin: Bulletin

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.month}期{issue_suffix(self.revision)}"

    @property
    def is_correction(self) -> bool:
        return self.corrects is not None

    @property
    def unchanged(self) -> bool:
        """A correction would carry the same figures as the issue in force."""
        return self.corrects is not None and self.corrects.fingerprint == self.bulletin.fingerprint


def plan_issue(year: int, month: int, issued_on: date, correction_note: str = "") -> IssuePlan:
    """Only a month that has ended can be issued, so its figures can no longer grow within it."""
    as_of = month_end(year, month)
    if as_of >= issued_on:
        raise ReportError(f"{year}年{month}月尚未结束，不能签发该月通报")
    corrects = current_issue(year, month)
    revision = corrects.revision + 1 if corrects else 0
    correction = None
    if corrects is not None:
        correction = reports.Correction(issue_suffix(revision), corrects.issued_on, issue_suffix(corrects.revision),
                                        correction_note.strip() or "（待填写）")
    return IssuePlan(year, month, as_of, revision, corrects, monthly_bulletin(year, month, issued_on, correction))


def issue_bulletin(year: int, month: int, issued_on: date, user: User | None, *, correction_note: str = "",
                   confirmed_fingerprint: str | None = None) -> ReportArchive:
    """Build, archive and audit a month's bulletin, or its correction; the caller commits.

    `confirmed_fingerprint` is the data the issuer confirmed: different data now is refused.
    A month already issued takes a correction only, with its reason and changed figures."""
    note = (correction_note or "").strip()
    if len(note) > CORRECTION_NOTE_MAX:
        raise ReportError(f"更正说明不能超过 {CORRECTION_NOTE_MAX} 字")
    plan = plan_issue(year, month, issued_on, note)
    if plan.corrects is not None and not note:
        raise ReportError(f"{year}年第{month}期已于{plan.corrects.issued_on.isoformat()}签发，每月只有一个期号；"
                          "如需更正，请填写更正说明，作为该期的更正签发")
    if plan.corrects is None and note:
        raise ReportError(f"{year}年第{month}期尚未签发，无需更正")
    if plan.unchanged:
        raise ReportError(f"数据与已签发的{plan.corrects.issue_label}相同，无需更正")
    if confirmed_fingerprint is not None and confirmed_fingerprint != plan.bulletin.fingerprint:
        raise ReportError("确认之后数据已有变化，请重新核对后再签发")
    bulletin = plan.bulletin
    archive = ReportArchive(
        kind="monthly", year=year, month=month, revision=plan.revision,
        corrects_id=plan.corrects.id if plan.corrects else None, correction_note=note,
        as_of=plan.as_of, issued_on=issued_on,
        issuer_id=user.id if user is not None else None,
        issuer_name=f"{user.name}（{user.username}）" if user is not None else "命令行",
        fingerprint=bulletin.fingerprint, published=bulletin.progress.to_dict(),
        file_sha256=hashlib.sha256(bulletin.pdf).hexdigest(), size=len(bulletin.pdf), pdf=bulletin.pdf,
    )
    archive.previous = previous_issue(archive)
    try:
        with db.session.begin_nested():
            db.session.add(archive)
    except exc.IntegrityError:
        raise ReportError(f"{plan.label}刚刚已由他人签发，请刷新后查看") from None
    db.session.add_all(_standings(archive, bulletin.progress))
    audit.record("report_issued", "report_archive", archive.id, after={
        "year": year, "month": month, "revision": plan.revision, "as_of": plan.as_of, "issued_on": issued_on,
        "corrects": plan.corrects.id if plan.corrects else None, "correction_note": note,
        "fingerprint": archive.fingerprint, "file_sha256": archive.file_sha256, "size": archive.size,
    })
    from app.services.notifications import notify_bulletin_issued
    notify_bulletin_issued(archive, user)
    return archive


def _standings(archive: ReportArchive, progress: Progress) -> list[BulletinStanding]:
    """What the bulletin publishes, once: each zone's score and rank exactly as the desk and the
    PDF have them (the same Progress), and its rank in the same tier of the previous bulletin."""
    before = {(s.zone_id, s.tier): s.rank for s in stored_standings(archive.previous_id)}
    return [BulletinStanding(archive_id=archive.id, zone_id=z.id, tier=z.tier, score=str(z.score),
                             rank=z.rank_in_tier, previous_rank=before.get((z.id, z.tier)))
            for z in progress.zones]


def record_read(archive: ReportArchive, user: User) -> None:
    """A read receipt: the first and the latest time a user opened an issued bulletin."""
    now = utcnow()
    read = db.session.get(BulletinRead, (archive.id, user.id))
    if read is None:
        try:
            with db.session.begin_nested():
                db.session.add(BulletinRead(archive_id=archive.id, user_id=user.id, first_read_at=now,
                                            last_read_at=now, reads=1))
            return
        except exc.IntegrityError:   # opened twice at once: the other request wrote the first read
            read = db.session.get(BulletinRead, (archive.id, user.id))
    read.last_read_at = now
    read.reads += 1
