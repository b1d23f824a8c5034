"""Column types shared by the models."""
from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

# Every table's integer key fits a 32-bit signed integer (the largest id an address may name).
MAX_ID = 2**31 - 1


class ScaledDecimal(TypeDecorator):
    """An exact Decimal stored as a scaled integer (cents for money).

    SQLite has no exact decimal type (NUMERIC degrades to binary float), so amounts are kept
    as integers on every database: comparisons and sums in SQL stay exact.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2):
        super().__init__()
        self.scale = scale
        self.factor = Decimal(10) ** scale

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        scaled = Decimal(value) * self.factor
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(int(value)) / self.factor).quantize(Decimal(1).scaleb(-self.scale))
