"""When a signed-in session has run out, and how a browser is named to its user. No Flask."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

IDLE, MAX_AGE = "idle", "max_age"


def expired_reason(created_at: datetime, last_seen_at: datetime, now: datetime,
                   idle_minutes: int, max_hours: int) -> str | None:
    """IDLE after idle_minutes without a request, MAX_AGE max_hours after sign-in, else None."""
    if now - last_seen_at > timedelta(minutes=idle_minutes):
        return IDLE
    if now - created_at > timedelta(hours=max_hours):
        return MAX_AGE
    return None


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("MicroMessenger", "微信"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def describe_browser(user_agent: str) -> str:
    """'Chrome（Windows）' from a User-Agent header; '未知浏览器' when nothing is recognised."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    if not browser:
        match = re.match(r"[A-Za-z][\w.-]{0,30}", user_agent or "")
        browser = match.group(0) if match else "未知浏览器"
    return f"{browser}（{system}）" if system else browser
