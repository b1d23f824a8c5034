"""Printed reports (PDF): reportlab builders that take numbers already computed and return bytes.

No database access here. app/queries/progress.py and app/queries/reports.py fetch; these modules only
typeset, so the figures in a report are those of the screens for the same date. Fonts are
shipped in reports/fonts/ and embedded as subsets; see its README for their licences.
"""
from importlib import import_module

# Loaded on first use (PEP 562): reportlab takes a quarter of a second to import, and every
# flask command and app worker would otherwise pay it at start-up.
_WHERE = {
    "DEFAULT_ISSUER": "bulletin", "bulletin_title": "bulletin", "build_monthly_bulletin": "bulletin",
    "data_fingerprint": "bulletin", "Correction": "bulletin", "build_zone_report": "zone", "build_leader_list": "zone",
    "CountedProject": "rows", "LedgerProject": "rows", "ContactRow": "rows",
}
__all__ = list(_WHERE)


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module 'reports' has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
