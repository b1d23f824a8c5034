"""Reference data the import and the forms read: the national industry classification and the
synonyms of every closed vocabulary (both seeded from app/domain/data by migration 0007)."""
from app.extensions import db


class Industry(db.Model):
    """GB/T 4754-2017: a section (A–T) or a division (01–97) with its Chinese name."""
    __tablename__ = "industries"

    code = db.Column(db.String(2), primary_key=True)
    name = db.Column(db.String(60), nullable=False)
    section = db.Column(db.String(1), nullable=False)


class Synonym(db.Model):
    """A word a ledger writes for a value of a closed vocabulary (走访 → 外出拜访, 制造业 → C).
    Shipped with the words real ledgers use; admins add and remove them."""
    __tablename__ = "synonyms"

    id = db.Column(db.Integer, primary_key=True)
    vocabulary = db.Column(db.String(16), nullable=False)
    word = db.Column(db.String(50), nullable=False)
    # The value's key or code (signed, 外出拜访, VG, C); "" for an explicit none (非重点).
    value = db.Column(db.String(16), nullable=False, server_default="")

    __table_args__ = (db.UniqueConstraint("vocabulary", "word", name="uq_synonyms_vocabulary_word"),)
