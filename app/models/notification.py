from app.extensions import db

from app.clock import utcnow

# What a notification is about, as the bell lists it.
NOTIFICATION_KINDS = {
    "next_step": "下一步到期",
    "behind": "落后序时",
    "bulletin": "通报签发",
    "project_changed": "项目变动",
    "task_assigned": "转交待办",
}
CHANNEL_KINDS = {"email": "电子邮件", "wecom": "企业微信群机器人", "dingtalk": "钉钉群机器人"}


class Notification(db.Model):
    """One line in a user's bell. `key` makes writing it idempotent: the daily checks, run
    twice on one day, find the key and add nothing. `delivered_at` is set once the
    notification went out to the configured channels (or there were none)."""
    __tablename__ = "notifications"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    kind = db.Column(db.String(24), nullable=False)
    key = db.Column(db.String(120), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    body = db.Column(db.String(1000), nullable=False, default="")
    link = db.Column(db.String(300), nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    read_at = db.Column(db.DateTime)
    delivered_at = db.Column(db.DateTime, index=True)

    user = db.relationship("User")

    __table_args__ = (
        db.UniqueConstraint("user_id", "key", name="uq_notifications_user_key"),
        db.Index("ix_notifications_user_read", "user_id", "read_at"),
        db.CheckConstraint("kind IN ('next_step', 'behind', 'bulletin', 'project_changed', 'task_assigned')",
                           name="kind"),
    )

    @property
    def kind_label(self) -> str:
        return NOTIFICATION_KINDS[self.kind]


class NotifyChannel(db.Model):
    """Where notifications are also sent, set up by the admin (none by default): an e-mail
    address (through the configured SMTP server) or a 企业微信 / 钉钉 group robot's webhook.
    A channel with a zone gets that zone's users' notifications; without one, the bureau's."""
    __tablename__ = "notify_channels"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(16), nullable=False)
    target = db.Column(db.String(300), nullable=False)
    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"))
    enabled = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    zone = db.relationship("Zone")

    __table_args__ = (db.CheckConstraint("kind IN ('email', 'wecom', 'dingtalk')", name="kind"),)

    @property
    def kind_label(self) -> str:
        return CHANNEL_KINDS[self.kind]
