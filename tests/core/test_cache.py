"""The Redis cache answers from a process-local cache while Redis is unreachable."""

import logging

import pytest
import redis

from core.cache import ResilientRedisCache, cache_status, reset_circuit


@pytest.fixture(autouse=True)
def _circuit_closed():
    reset_circuit()
    yield
    reset_circuit()


def resilient(url: str, retry_seconds: float = 5) -> ResilientRedisCache:
    return ResilientRedisCache(
        url,
        {
            "KEY_PREFIX": "test",
            "OPTIONS": {"FALLBACK_RETRY_SECONDS": retry_seconds, "socket_connect_timeout": 0.5},
        },
    )


def test_with_redis_unreachable_the_cache_answers_locally_and_warns_once(caplog):
    cache = resilient("redis://127.0.0.1:1/0")  # nothing listens on port 1

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.add("attempts", 1, timeout=60) is True
        assert cache.add("attempts", 1, timeout=60) is False  # coalescing still holds
        assert cache.incr("attempts") == 2
        cache.set("history", [1, 2], timeout=60)
        assert cache.get("history") == [1, 2]
        assert cache.get_many(["attempts", "history"]) == {"attempts": 2, "history": [1, 2]}
        cache.delete("history")
        assert cache.get("history", "gone") == "gone"

    assert caplog.text.count("Redis cache unreachable") == 1
    assert cache.is_down()
    assert cache_status(cache) == "unreachable"


def test_the_cache_goes_back_to_redis_once_it_returns(redis_server, caplog):
    cache = resilient(redis_server.url(0), retry_seconds=0)
    direct = redis.Redis.from_url(redis_server.url(0))
    cache.set("before", "in redis", timeout=60)
    assert direct.exists(cache.make_key("before"))
    assert cache_status(cache) == "ok"

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        cache.set("during", "local", timeout=60)
        assert cache.get("during") == "local"
    assert "Redis cache unreachable" in caplog.text

    redis_server.start()  # empty: --save ''
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        cache.set("after", "in redis again", timeout=60)
    assert "Redis cache reachable again" in caplog.text
    assert direct.get(cache.make_key("after")) is not None
    assert cache.get("during") is None  # Redis answers again, not the local copy


def test_a_cache_without_redis_is_reported_local():
    from django.core.cache.backends.locmem import LocMemCache

    assert cache_status(LocMemCache("x", {})) == "local"
