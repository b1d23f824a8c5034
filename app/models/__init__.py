"""The tables, one module per aggregate. Columns, relations and constraints; no rules."""
from .audit import AuditEvent, AuditTrailImmutable
from .contact import CONTACT_FORMS, Contact, LeaderMonth, LeaderProject, contact_leaders
from .imports import IMPORT_STATUSES, ImportJob
from .project import ORIGINS, Investor, Project, StageChange, project_co_leaders
from .report import ReportArchive
from .target import FxRate, Target
from .throttle import LoginThrottle
from .token import ApiToken
from .vocabulary import Industry, Synonym
from .user import ADMIN, AUDITOR, BUREAU, LEADER, ROLES, STAFF, ZONE_ROLES, User
from .zone import ZONE_KINDS, ZONE_LEVELS, Zone, ZoneTier

__all__ = [
    "AuditEvent", "AuditTrailImmutable", "ImportJob", "IMPORT_STATUSES", "Contact", "LeaderMonth", "LeaderProject",
    "contact_leaders", "CONTACT_FORMS", "Investor", "Project", "project_co_leaders", "StageChange", "ReportArchive", "ORIGINS",
    "Industry", "Synonym", "FxRate", "Target", "LoginThrottle", "ApiToken",
    "User", "ROLES", "ZONE_ROLES", "LEADER", "STAFF", "BUREAU", "ADMIN", "AUDITOR",
    "Zone", "ZoneTier", "ZONE_KINDS", "ZONE_LEVELS",
]
