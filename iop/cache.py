"""The shared cache (rate-limit counters) on Redis, with a stand-in while Redis is down.

A Redis outage must not stop sign-in: every page with a rate limit (sign-in, sign-up,
password reset, the second factor) reads the cache. While Redis cannot be reached the
counters are kept in this process's memory instead: limits still hold, per process (looser
by the number of processes, never off), the outage is logged once when it begins and once
when it ends, and /healthz says so. Nothing a person typed is ever logged here.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# After a failure Redis is not asked again for this long: a hung Redis would otherwise cost
# every request its socket timeout, several times over.
RETRY_AFTER_SECONDS = 5.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_lock = threading.Lock()
_outage_since: float | None = None
_retry_at = 0.0


def cache_outage_since() -> float | None:
    """When this process last found Redis unreachable (time.time()), None when it answers."""
    return _outage_since


def _outage_begins(error: BaseException) -> None:
    global _outage_since, _retry_at
    with _lock:
        _retry_at = time.monotonic() + RETRY_AFTER_SECONDS
        if _outage_since is None:
            _outage_since = time.time()
            logger.error("cache unavailable (%s): rate limits are counted in this process "
                         "until it answers again", type(error).__name__)


def _outage_ends() -> None:
    global _outage_since
    with _lock:
        if _outage_since is not None:
            logger.warning("cache answering again after %.0f s: rate limits shared again",
                           time.time() - _outage_since)
            _outage_since = None


def _guarded(name: str):
    def method(self, *args, **kwargs):
        if _outage_since is not None and time.monotonic() < _retry_at:
            return getattr(self._local, name)(*args, **kwargs)
        try:
            result = getattr(RedisCache, name)(self, *args, **kwargs)
        except _UNREACHABLE as error:
            _outage_begins(error)
            return getattr(self._local, name)(*args, **kwargs)
        _outage_ends()
        return result

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    """Django's Redis cache; while Redis cannot be reached, a per-process local-memory one."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache(f"redis-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT")})

    def reachable(self) -> bool:
        """Ask Redis itself (for /healthz): True when it answers a PING."""
        try:
            self._cache.get_client(write=True).ping()
        except _UNREACHABLE as error:
            _outage_begins(error)
            return False
        _outage_ends()
        return True

    add = _guarded("add")
    get = _guarded("get")
    set = _guarded("set")
    touch = _guarded("touch")
    delete = _guarded("delete")
    get_many = _guarded("get_many")
    has_key = _guarded("has_key")
    incr = _guarded("incr")
    set_many = _guarded("set_many")
    delete_many = _guarded("delete_many")
    clear = _guarded("clear")


def cache_settings(url: str) -> dict:
    """CACHES for a Redis URL: short socket timeouts, no retries (the stand-in takes over)."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"default": {
        "BACKEND": "iop.cache.FallbackRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                    "retry": Retry(NoBackoff(), 0)},
    }}
