"""The pages' paging: the page number from the address, the page size from the config."""
from flask import current_app, request

from app.queries.paging import Page, page_of


def paginate(query, per_page: int | None = None) -> Page:
    return page_of(query, request.args.get("page", 1, type=int), per_page or current_app.config["PROJECTS_PER_PAGE"])
