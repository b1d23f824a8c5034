"""One way to page a list: a count and one page of rows, never the whole table."""
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.extensions import db

# The last page anyone could ask for: a larger number would only overflow the OFFSET.
MAX_PAGE = 100_000


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


def page_of(query, page: int, per_page: int) -> Page:
    page = min(max(1, page), MAX_PAGE)
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items, page, per_page, count(query))


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def like_escape(term: str) -> str:
    """Escape LIKE wildcards so a search for 100% finds "100%" (use with escape="\\")."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(term: str, *columns):
    """Any of the columns contains the term, wildcards taken literally."""
    pattern = "%" + like_escape(term) + "%"
    return or_(*(column.like(pattern, escape="\\") for column in columns))
