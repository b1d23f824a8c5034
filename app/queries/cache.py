"""Computed figures cached under the database's data version (app/data_version.py).

A key holds the database's epoch and version, read in the reader's own transaction before the
figures are computed: a committed write raises the version with its data, so the next read
makes a new key and computes afresh; an entry can only be as new as, or newer than, its key.
Safe across processes and app servers because the version is in the database. Entries live in
Redis when CACHE_REDIS_URL (or REDIS_URL) is set, shared by every app server, else in a small
LRU in the process. A session holding uncommitted writes of its own computes without the cache.
"""
from __future__ import annotations

import logging
import pickle
import threading
from collections import OrderedDict
from typing import Callable, TypeVar

from flask import current_app

from app import data_version
from app.extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")

LOCAL_ENTRIES = 32
REDIS_TTL_SECONDS = 24 * 3600
_EXTENSION = "zonecrm_cache"


class LocalCache:
    def __init__(self, size: int = LOCAL_ENTRIES):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key: str, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


class RedisCache:
    def __init__(self, url: str):
        import redis
        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def get(self, key: str):
        try:
            data = self.client.get(key)
        except Exception:  # the cache is an optimisation: without Redis, compute
            log.warning("cache: Redis unavailable, computing", exc_info=True)
            return None
        return pickle.loads(data) if data is not None else None

    def set(self, key: str, value) -> None:
        try:
            self.client.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=REDIS_TTL_SECONDS)
        except Exception:
            log.warning("cache: Redis unavailable, not stored", exc_info=True)


def store():
    app = current_app._get_current_object()
    cache = app.extensions.get(_EXTENSION)
    if cache is None:
        url = app.config.get("CACHE_REDIS_URL")
        cache = app.extensions[_EXTENSION] = RedisCache(url) if url else LocalCache()
    return cache


def cached(name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """compute(), or what it gave for the same name, parts and data version."""
    session = db.session
    if session.info.get(data_version.CHANGED) or session.new or session.dirty or session.deleted:
        return compute()
    version = data_version.current(session)
    if version is None:
        return compute()
    epoch, number = version
    key = ":".join(["zonecrm", name, epoch, str(number), *map(str, parts)])
    cache = store()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value
