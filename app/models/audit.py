from app.extensions import db

from .user import utcnow


class AuditEvent(db.Model):
    """Who did what, when, from where, with the values before and after. Append only."""
    __tablename__ = "audit_events"

    id = db.Column(db.Integer, primary_key=True)
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    username = db.Column(db.String(64), nullable=False, default="")
    ip = db.Column(db.String(45), nullable=False, default="")
    action = db.Column(db.String(40), nullable=False, index=True)
    entity = db.Column(db.String(40), nullable=False, default="")
    entity_id = db.Column(db.Integer)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"))
    before = db.Column(db.JSON)
    after = db.Column(db.JSON)
