"""The tables, one module per aggregate. Columns, relations and constraints; no rules."""
from .audit import AuditEvent
from .contact import CONTACT_FORMS, Contact, LeaderProject, contact_leaders
from .imports import IMPORT_STATUSES, ImportJob
from .project import INDUSTRIES, ORIGINS, Investor, Project, StageChange
from .target import FxRate, Target
from .user import ADMIN, AUDITOR, BUREAU, LEADER, ROLES, STAFF, ZONE_ROLES, User
from .zone import ZONE_KINDS, ZONE_LEVELS, Zone

__all__ = [
    "AuditEvent", "ImportJob", "IMPORT_STATUSES", "Contact", "LeaderProject", "contact_leaders", "CONTACT_FORMS",
    "Investor", "Project", "StageChange", "ORIGINS", "INDUSTRIES", "FxRate", "Target",
    "User", "ROLES", "ZONE_ROLES", "LEADER", "STAFF", "BUREAU", "ADMIN", "AUDITOR",
    "Zone", "ZONE_KINDS", "ZONE_LEVELS",
]
