"""The API's rate limit per token: at most API_RATE_LIMIT requests per API_RATE_WINDOW_SECONDS.

A fixed window counted where every worker sees it: one row per token and window in
`api_rate_counters`, incremented by a single INSERT … ON CONFLICT DO UPDATE … RETURNING (atomic
on SQLite and PostgreSQL), or Redis INCR/EXPIRE when REDIS_URL is set. Commits its own count.
"""
from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models.api_rate import ApiRateCounter


def _window(now: float) -> tuple[int, int]:
    size = current_app.config["API_RATE_WINDOW_SECONDS"]
    start = int(now) // size * size
    return start, start + size - int(now)


def _count_in_redis(url: str, token_id: int, start: int, size: int) -> int:
    import redis  # only needed when REDIS_URL is set

    client = current_app.extensions.get("zonecrm_redis")
    if client is None:
        client = current_app.extensions["zonecrm_redis"] = redis.Redis.from_url(url)
    key = f"zonecrm:api_rate:{token_id}:{start}"
    pipe = client.pipeline()
    pipe.incr(key)
    pipe.expire(key, size * 2)
    return int(pipe.execute()[0])


def _count_in_database(token_id: int, start: int, size: int) -> int:
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(ApiRateCounter).values(token_id=token_id, window_start=start, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["token_id", "window_start"], set_={"count": ApiRateCounter.count + 1},
    ).returning(ApiRateCounter.count)
    count = db.session.execute(statement).scalar_one()
    if count == 1:  # a new window: forget this token's older ones
        db.session.execute(delete(ApiRateCounter).where(ApiRateCounter.token_id == token_id,
                                                        ApiRateCounter.window_start < start - size))
    db.session.commit()
    return count


def hit(token_id: int, now: float | None = None) -> int | None:
    """Count one request of the token; None when allowed, else the seconds until the next window."""
    now = time.time() if now is None else now
    size = current_app.config["API_RATE_WINDOW_SECONDS"]
    start, retry_after = _window(now)
    url = current_app.config.get("REDIS_URL")
    count = _count_in_redis(url, token_id, start, size) if url else _count_in_database(token_id, start, size)
    return None if count <= current_app.config["API_RATE_LIMIT"] else max(1, retry_after)
