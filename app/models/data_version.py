from app.extensions import db


class DataVersion(db.Model):
    """One row: a number every committed write to the data behind the figures raises (in the
    write's own transaction, app/data_version.py), and a random epoch naming this database.
    Computed figures are cached under (epoch, version): a write makes a new key, so a cached
    figure is never older than what it is read with, on any app server."""
    __tablename__ = "data_version"

    id = db.Column(db.Integer, primary_key=True)
    version = db.Column(db.BigInteger, nullable=False, default=0)
    epoch = db.Column(db.String(32), nullable=False)
