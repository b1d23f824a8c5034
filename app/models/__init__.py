"""The tables, one module per aggregate. Columns, relations and constraints; no rules."""
from .api_rate import ApiRateCounter
from .audit import AuditChainHead, AuditEvent, AuditTrailImmutable
from .data_version import DataVersion
from .contact import CONTACT_FORMS, Contact, LeaderMonth, LeaderProject, contact_leaders
from .funds import FundsArrival, ZoneMonthly
from .kept import IdempotencyKey, KeptForm
from .imports import IMPORT_STATUSES, ImportColumnMapping, ImportJob
from .project import ORIGINS, Investor, Project, StageChange, project_co_leaders
from .notification import CHANNEL_KINDS, NOTIFICATION_KINDS, Notification, NotifyChannel
from .report import BulletinRead, BulletinStanding, ReportArchive
from .password_history import PasswordHistory
from .session import UserSession
from .task import DONE, MOVED, OPEN, TASK_STATES, Task
from .target import FxRate, Target
from .throttle import LoginThrottle
from .token import ApiToken
from .vocabulary import Industry, Synonym
from .user import ADMIN, AUDITOR, BUREAU, LEADER, ROLES, SECADMIN, STAFF, ZONE_ROLES, User
from .zone import ZONE_KINDS, ZONE_LEVELS, Zone, ZoneTier

__all__ = [
    "ApiRateCounter", "AuditChainHead", "AuditEvent", "FundsArrival", "ZoneMonthly", "AuditTrailImmutable", "DataVersion", "ImportJob", "ImportColumnMapping", "IMPORT_STATUSES", "Contact", "LeaderMonth", "LeaderProject",
    "contact_leaders", "CONTACT_FORMS", "Investor", "Project", "project_co_leaders", "StageChange", "ReportArchive", "BulletinRead", "BulletinStanding", "Notification", "NotifyChannel",
    "NOTIFICATION_KINDS", "CHANNEL_KINDS", "ORIGINS",
    "Industry", "Synonym", "FxRate", "Target", "KeptForm", "IdempotencyKey", "Task", "TASK_STATES", "OPEN", "DONE", "MOVED", "LoginThrottle", "ApiToken", "PasswordHistory", "UserSession",
    "User", "ROLES", "ZONE_ROLES", "LEADER", "STAFF", "BUREAU", "ADMIN", "AUDITOR", "SECADMIN",
    "Zone", "ZoneTier", "ZONE_KINDS", "ZONE_LEVELS",
]
