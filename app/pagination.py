"""One way to page a list: a count and one page of rows, never the whole table."""
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import func, select

from .extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query, per_page: int | None = None) -> Page:
    per_page = per_page or current_app.config["PROJECTS_PER_PAGE"]
    page = max(1, request.args.get("page", 1, type=int))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items, page, per_page, total)


def like_escape(term: str) -> str:
    """Escape LIKE wildcards so a search for 100% finds "100%" (use with escape="\\")."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
