from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from app.clock import utcnow
from app.extensions import db

LEADER, STAFF, BUREAU, ADMIN, AUDITOR, SECADMIN = "leader", "staff", "bureau", "admin", "auditor", "secadmin"
ROLES = {
    LEADER: "开发区领导",
    STAFF: "招商专员",
    BUREAU: "投促局",
    ADMIN: "系统管理员",
    AUDITOR: "审计管理员",
    SECADMIN: "安全管理员",
}
ZONE_ROLES = (LEADER, STAFF)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(50), nullable=False)
    role = db.Column(db.String(16), nullable=False)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), index=True)
    password_hash = db.Column(db.String(256), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Set for accounts an administrator creates or resets: the user must choose a password.
    must_change_password = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Part of the session's user id; raising it ends every session of the user (password change).
    session_version = db.Column(db.Integer, nullable=False, default=1, server_default="1")
    password_changed_at = db.Column(db.DateTime)

    zone = db.relationship("Zone")

    __table_args__ = (
        db.CheckConstraint(
            "role IN ('leader', 'staff', 'bureau', 'admin', 'auditor', 'secadmin')", name="role"
        ),
        db.CheckConstraint(
            "(role IN ('leader', 'staff')) = (zone_id IS NOT NULL)", name="zone_for_zone_roles"
        ),
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """The id kept in the session: a session of an older version no longer loads."""
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self):
        return ROLES[self.role]

    @property
    def is_zone_role(self):
        return self.role in ZONE_ROLES

    def set_password(self, password: str) -> None:
        """Hash with scrypt (a memory-hard KDF); policy checks belong to the caller."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.password_changed_at = utcnow()

    def end_all_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.username}>"
