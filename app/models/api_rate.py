from app.extensions import db


class ApiRateCounter(db.Model):
    """Requests per API token in one fixed window (app/services/api_rate.py). In the database so
    that every worker process counts into the same row; old windows are deleted as new ones open."""
    __tablename__ = "api_rate_counters"

    token_id = db.Column(db.Integer, db.ForeignKey("api_tokens.id"), primary_key=True)
    window_start = db.Column(db.BigInteger, primary_key=True)  # Unix seconds, a multiple of the window
    count = db.Column(db.Integer, nullable=False, default=0)
