"""Ledger import and export: the template, a zone's export, and importing its own files."""
from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")

from . import views  # noqa: E402,F401
