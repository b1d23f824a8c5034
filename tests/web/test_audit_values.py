"""An audit record's values are stored as JSON reads them back (dates as ISO text, Decimals as
exact text, tuples as lists, keys as text), whether they are copied directly, as the usual
kinds are (issue 20: a batch write audits thousands), or through JSON."""
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.audit import _encode, _plain


@pytest.mark.parametrize("values", [
    {"name": "新能源项目", "total": Decimal("12000.50"), "planned_on": date(2024, 3, 5), "ids": (3, 1),
     "at": datetime(2024, 3, 5, 9, 30, 0, 12), "nested": {"leaders": ["l1", "l2"], "none": None, "flag": True}},
    {1: "an integer key"}, {"rate": 7.1}, {"big": Decimal("1E+3")}, [Decimal("-0"), (date(2024, 1, 1),)],
    None,
])
def test_audit_values_are_what_a_json_round_trip_gives(values):
    expected = None if values is None else json.loads(json.dumps(values, default=_encode, ensure_ascii=False))
    assert _plain(values) == expected
    assert json.dumps(_plain(values), sort_keys=True) == json.dumps(expected, sort_keys=True)
