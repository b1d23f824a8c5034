from datetime import datetime, timezone

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

LEADER, STAFF, BUREAU, ADMIN, AUDITOR = "leader", "staff", "bureau", "admin", "auditor"
ROLES = {
    LEADER: "开发区领导",
    STAFF: "招商专员",
    BUREAU: "投促局",
    ADMIN: "系统管理员",
    AUDITOR: "审计管理员",
}
ZONE_ROLES = (LEADER, STAFF)


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


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

    zone = db.relationship("Zone")

    __table_args__ = (
        db.CheckConstraint(
            "role IN ('leader', 'staff', 'bureau', 'admin', 'auditor')", name="role"
        ),
        db.CheckConstraint(
            "(role IN ('leader', 'staff')) = (zone_id IS NOT NULL)", name="zone_for_zone_roles"
        ),
    )

    @property
    def is_active(self):
        return self.active

    @property
    def role_label(self):
        return ROLES[self.role]

    @property
    def is_zone_role(self):
        return self.role in ZONE_ROLES

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self):
        return f"<User {self.username}>"
