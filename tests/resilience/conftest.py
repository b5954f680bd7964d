"""Helpers for the failure tests: a webhook receiver that counts, the Celery broker
pointed at the test's own Redis, and draining the outbox in-process."""

import json
import threading
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import outbox
from core.cache import reset_circuit
from core.models import OutboxMessage


class CountingReceiver:
    """A webhook receiver that counts each delivery it acknowledged (answered 2xx to).

    With ``hold_at=n``, the n-th request is held unanswered until ``release()``: the
    sender is killed meanwhile, so that request is received but never acknowledged."""

    def __init__(self, hold_at: int | None = None):
        self.lock = threading.Lock()
        self.requests: list[int] = []  # delivery id of every request, in order
        self.acknowledged: Counter[int] = Counter()
        self.events: list[str] = []
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver.lock:
                    receiver.requests.append(body["id"])
                    held = len(receiver.requests) == receiver.hold_at
                if held:
                    receiver.holding.set()
                    receiver.released.wait(30)
                    return  # the sender is dead: no answer, nothing acknowledged
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")
                with receiver.lock:
                    receiver.acknowledged[body["id"]] += 1
                    receiver.events.append(body["event"])

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def release(self) -> None:
        self.released.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = CountingReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def test_redis(redis_server, settings):
    """The cache on the test's own Redis, as production configures it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url(0),
            "KEY_PREFIX": "probono",
            "OPTIONS": {
                "FALLBACK_RETRY_SECONDS": 0,
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
            },
        }
    }
    yield redis_server
    reset_circuit()
    outbox.broker_resumed()


def _reset_pools(app) -> None:
    """Forget the connections to the previous broker (kombu keeps producer pools in a
    registry of its own, which even eager tasks use)."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextmanager
def broker(url: str):
    """Tasks handed to the broker at ``url`` (not run in-process) within the block."""
    from probono.celery import app

    previous = app.conf.CELERY_BROKER_URL, app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_BROKER_URL, app.conf.CELERY_TASK_ALWAYS_EAGER = url, False
    _reset_pools(app)
    try:
        yield app
    finally:
        app.conf.CELERY_BROKER_URL, app.conf.CELERY_TASK_ALWAYS_EAGER = previous
        _reset_pools(app)
        outbox.broker_resumed()


def drain(rounds: int = 10) -> int:
    """Run the sweep in-process until nothing is pending (what a worker does once Redis
    is back); how many hand-overs it took."""
    handed = 0
    for _ in range(rounds):
        if not OutboxMessage.objects.pending().exists():
            return handed
        handed += outbox.sweep(redispatch_after=0)
    raise AssertionError(
        f"still pending: {list(OutboxMessage.objects.pending().values('task', 'last_error'))}"
    )
