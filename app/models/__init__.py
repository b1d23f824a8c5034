"""The tables, one module per aggregate. Columns, relations and constraints; no rules."""
from .audit import AuditChainHead, AuditEvent, AuditTrailImmutable
from .contact import CONTACT_FORMS, Contact, LeaderMonth, LeaderProject, contact_leaders
from .funds import FundsArrival, ZoneMonthly
from .kept import IdempotencyKey, KeptForm
from .imports import IMPORT_STATUSES, ImportJob
from .project import INDUSTRIES, ORIGINS, Investor, Project, StageChange
from .report import ReportArchive
from .session import UserSession
from .task import DONE, MOVED, OPEN, TASK_STATES, Task
from .target import FxRate, Target
from .throttle import LoginThrottle
from .token import ApiToken
from .user import ADMIN, AUDITOR, BUREAU, LEADER, ROLES, SECADMIN, STAFF, ZONE_ROLES, User
from .zone import ZONE_KINDS, ZONE_LEVELS, Zone, ZoneTier

__all__ = [
    "AuditChainHead", "AuditEvent", "FundsArrival", "ZoneMonthly", "AuditTrailImmutable", "ImportJob", "IMPORT_STATUSES", "Contact", "LeaderMonth", "LeaderProject",
    "contact_leaders", "CONTACT_FORMS", "Investor", "Project", "StageChange", "ReportArchive", "ORIGINS",
    "INDUSTRIES", "FxRate", "Target", "KeptForm", "IdempotencyKey", "Task", "TASK_STATES", "LoginThrottle", "ApiToken", "UserSession",
    "User", "ROLES", "ZONE_ROLES", "LEADER", "STAFF", "BUREAU", "ADMIN", "AUDITOR", "SECADMIN",
    "Zone", "ZoneTier", "ZONE_KINDS", "ZONE_LEVELS",
]
