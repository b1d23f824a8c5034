"""The business rules of investment attraction, in plain Python (no Flask, no database).

Each module answers one question on plain values; the database layer counts at scale with
SQL built from the same definitions, and tests prove the two agree.
"""
