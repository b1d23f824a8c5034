from app.extensions import db

from app.clock import utcnow


class UserSession(db.Model):
    """One signed-in browser session, kept in the database so that every worker and host
    sees the same state: the cookie carries only a random id whose SHA-256 is stored here.
    A session ends (ended_at set) on logout, idle or age limit, password change, role change,
    the concurrent-session limit or an administrator's "sign out everywhere"; an ended
    session no longer authenticates, whatever copy of the cookie is replayed."""
    __tablename__ = "user_sessions"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    ip = db.Column(db.String(45), nullable=False, default="")
    user_agent = db.Column(db.String(255), nullable=False, default="")
    ended_at = db.Column(db.DateTime)
    end_reason = db.Column(db.String(20))

    user = db.relationship("User")

    @property
    def active(self) -> bool:
        return self.ended_at is None
