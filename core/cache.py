"""A Redis cache that keeps the site up when Redis is not.

Sign-in rate limits (allauth), API throttling and matching's coalescing all use the
default cache. With plain ``RedisCache``, a Redis that is down turns each of those
requests into a 500. ``ResilientRedisCache`` answers from a process-local cache
(``LocMemCache``) instead, logs a warning once per outage, and tries Redis again every
``FALLBACK_RETRY_SECONDS`` (5 by default) rather than at each call. Limits counted
locally meanwhile are per process: looser, never blocking.

    CACHES = {"default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "OPTIONS": {"FALLBACK_RETRY_SECONDS": 5, "socket_connect_timeout": 1},
    }}
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Until when each Redis is taken as down (monotonic clock), shared by every thread of
# the process: Django builds one cache object per thread.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """``RedisCache`` falling back to a process-local cache while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("FALLBACK_RETRY_SECONDS", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.server = server
        fallback_params = {
            key: value for key, value in params.items() if key not in {"OPTIONS", "LOCATION"}
        }
        self.fallback = LocMemCache(f"fallback-{server}", fallback_params)

    # --- the circuit --------------------------------------------------------------------

    def is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self.server, 0.0)

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz), without the fallback."""
        return _ping(self)

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self.is_down():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                with _lock:
                    was_up = self.server not in _down_until
                    _down_until[self.server] = time.monotonic() + self.retry_seconds
                if was_up:
                    logger.warning(
                        "Redis cache unreachable (%s): using a process-local cache", error
                    )
            else:
                if self.server in _down_until:
                    with _lock:
                        _down_until.pop(self.server, None)
                    logger.warning("Redis cache reachable again")
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    # --- BaseCache's operations -----------------------------------------------------------

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("add", key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("touch", key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._call("delete", key, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._call("get_many", keys, version)

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._call("has_key", key, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._call("incr", key, delta, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys: Any, version: Any = None) -> Any:
        return self._call("delete_many", keys, version)

    def clear(self) -> Any:
        self.fallback.clear()
        return self._call("clear")


def reset_circuit() -> None:
    """Try Redis again at the next call (after an outage, in tests)."""
    with _lock:
        _down_until.clear()


def cache_status(cache: Any) -> str:
    """ "ok", "unreachable" (answering from the local fallback) or "local" (no Redis)."""
    if isinstance(cache, RedisCache):
        return "ok" if _ping(cache) else "unreachable"
    return "local"


def _ping(cache: RedisCache) -> bool:
    client: Any = cache._cache  # type: ignore[attr-defined]  # RedisCacheClient, untyped
    try:
        return bool(client.get_client(write=True).ping())
    except UNREACHABLE:
        return False
