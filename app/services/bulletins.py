"""The monthly bulletin: built from the same Progress as the desk, and issued into the
archive (the stored PDF, its data fingerprint and an audit record); the caller commits."""
from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date

from flask import current_app

import reports
from app import audit
from app.domain.errors import UserFacingError
from app.extensions import db
from app.models import ReportArchive, User
from app.queries.progress import Progress, build_progress
from app.queries.reports import counted_projects


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


def monthly_bulletin(year: int, month: int, issued_on: date) -> Bulletin:
    """The bulletin as of the month's last day, from the same Progress as the desk."""
    as_of = month_end(year, month)
    progress = build_progress(year, as_of)
    pdf = reports.build_monthly_bulletin(progress, counted_projects(year, as_of), issued_on=issued_on,
                                 issuer=issuing_body())
    return Bulletin(pdf, progress, reports.data_fingerprint(progress))


def issue_bulletin(year: int, month: int, issued_on: date, user: User | None) -> ReportArchive:
    """Build, archive and audit a bulletin; the caller commits. Only a month that has ended
    can be issued, so the figures it prints can no longer grow within the month."""
    as_of = month_end(year, month)
    if as_of >= issued_on:
        raise ReportError(f"{year}年{month}月尚未结束，不能签发该月通报")
    bulletin = monthly_bulletin(year, month, issued_on)
    archive = ReportArchive(
        kind="monthly", year=year, month=month, as_of=as_of, issued_on=issued_on,
        issuer_id=user.id if user is not None else None,
        issuer_name=f"{user.name}（{user.username}）" if user is not None else "命令行",
        fingerprint=bulletin.fingerprint, file_sha256=hashlib.sha256(bulletin.pdf).hexdigest(),
        size=len(bulletin.pdf), pdf=bulletin.pdf,
    )
    db.session.add(archive)
    db.session.flush()
    audit.record("report_issued", "report_archive", archive.id, after={
        "year": year, "month": month, "as_of": as_of, "issued_on": issued_on,
        "fingerprint": archive.fingerprint, "file_sha256": archive.file_sha256, "size": archive.size,
    })
    return archive
