from app.extensions import db

ZONE_KINDS = ["高新区", "经开区", "产业园", "综合保税区", "其他"]
ZONE_LEVELS = ["国家级", "省级", "市级"]


class Zone(db.Model):
    __tablename__ = "zones"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(32), nullable=False, unique=True)
    name = db.Column(db.String(100), nullable=False, unique=True)
    county = db.Column(db.String(50), nullable=False, default="")
    # 所属省份: blank in a single-city install; a national install pages the desk by it.
    province = db.Column(db.String(20), nullable=False, default="", server_default="", index=True)
    kind = db.Column(db.String(20), nullable=False, default="其他")
    level = db.Column(db.String(20), nullable=False, default="省级")
    tier = db.Column(db.String(1), nullable=False)

    __table_args__ = (db.CheckConstraint("tier IN ('A', 'B', 'C')", name="tier"),)

    @property
    def zone_id(self):
        """A zone is in its own scope (lets queries.scope.get_in_scope guard zone rows too)."""
        return self.id

    def __repr__(self):
        return f"<Zone {self.code}>"


class ZoneTier(db.Model):
    """The tier a zone had in a past year, kept when its tier changes, so that year's
    progress is still measured against the tier it then had. Years without a row use
    the zone's current tier."""
    __tablename__ = "zone_tiers"

    zone_id = db.Column(db.Integer, db.ForeignKey("zones.id"), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    tier = db.Column(db.String(1), nullable=False)

    __table_args__ = (db.CheckConstraint("tier IN ('A', 'B', 'C')", name="tier"),)
