"""Printed reports (PDF): reportlab builders that take numbers already computed and return bytes.

No database access here. app/progress.py and app/reports_data.py fetch; these modules only
typeset, so the figures in a report are those of the screens for the same date. Fonts are
shipped in reports/fonts/ and embedded as subsets; see its README for their licences.
"""
from .bulletin import DEFAULT_ISSUER, bulletin_title, build_monthly_bulletin, data_fingerprint
from .rows import ContactRow, CountedProject, LedgerProject
from .zone import build_leader_list, build_zone_report

__all__ = [
    "DEFAULT_ISSUER", "bulletin_title", "build_monthly_bulletin", "data_fingerprint",
    "build_zone_report", "build_leader_list", "CountedProject", "LedgerProject", "ContactRow",
]
