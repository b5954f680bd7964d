import os

import pytest
from django.utils import translation

from . import factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def staff(db):
    return factories.UserFactory(email="equipe@probono.test", is_staff=True)


@pytest.fixture
def association(db):
    return factories.AssociationFactory()


@pytest.fixture
def owner(association):
    """An admin of ``association``."""
    return factories.AssociationMemberFactory(association=association).user


@pytest.fixture
def colleague(association):
    """A plain member of ``association``."""
    return factories.AssociationMemberFactory(association=association, role="member").user


@pytest.fixture
def outsider(db):
    return factories.UserFactory(email="inconnu@example.org")


@pytest.fixture
def volunteer(db):
    return factories.VolunteerFactory()


@pytest.fixture
def mission(association):
    mission = factories.MissionFactory(association=association, seats=1)
    factories.MissionSkillFactory(mission=mission)
    return mission


@pytest.fixture(autouse=True)
def _legal_date_cached(request):
    """Every page view compares the person's sign-up date with the latest legal
    version's, cached as on a running server: read once here, so that the tests which
    count a page's queries count the page's own."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if "transactional_db" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from legal.selectors import latest_to_accept

    latest_to_accept()


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def require_service(available: bool, what: str) -> None:
    """Skip a test whose real service is not configured here; in CI, fail instead."""
    if available:
        return
    message = f"{what} is not configured (see .ci/run)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def postgresql(settings):
    require_service(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "PostgreSQL (DATABASE_URL)",
    )


@pytest.fixture
def redis_url(settings):
    require_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    return settings.REDIS_URL


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run tasks in-process, as with no broker, except in tests that start a real worker."""
    from probono.celery import app

    if "worker" in request.fixturenames:
        yield
        return
    # The app reads Django's CELERY_-prefixed settings: override under that name.
    previous = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with an empty cache (allauth keeps its rate limits there)."""
    from django.core.cache import cache

    if "worker" not in request.fixturenames:
        cache.clear()


@pytest.fixture(autouse=True)
def _french_by_default():
    """A request under /en/ leaves English active in the thread: start each test in French."""
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """Publishing refreshes matching, whose arrays a process keeps between requests: rows
    of an earlier test, rolled back, must not be scored (a foreign key error on PostgreSQL)."""
    from matching.services import forget_index

    forget_index()
    yield
    forget_index()


@pytest.fixture(autouse=True)
def _local_webhook_receivers(settings):
    """Webhook tests deliver to receivers on this machine (and name hosts that do not
    resolve offline); tests/api/test_webhook_addresses.py checks the refusal itself."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


class RedisServer:
    """A redis-server of the test's own, on a spare port, that a test may stop and start
    again (the machine's Redis is never touched)."""

    PORTS = range(6390, 6400)

    def __init__(self, tmp_path):
        self.dir = tmp_path
        self.port = self._spare_port()
        self.process = None

    def _spare_port(self) -> int:
        import socket

        for port in self.PORTS:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) != 0:
                    return port
        raise RuntimeError(f"no spare port in {self.PORTS} for a test Redis")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        """Start (again, on the same port if it is still free; another spare one if a
        parallel test took it), and wait until this very server answers."""
        import shutil
        import subprocess
        import time

        import redis

        for _attempt in range(len(self.PORTS)):
            self.process = subprocess.Popen(
                [shutil.which("redis-server") or "redis-server", "--port", str(self.port)]
                + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
                + ["--dir", str(self.dir)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
            deadline = time.monotonic() + 10
            while self.process.poll() is None and time.monotonic() < deadline:
                try:
                    if client.info("server")["process_id"] == self.process.pid:
                        return
                except redis.exceptions.ConnectionError:
                    pass
                time.sleep(0.05)
            self.stop()
            self.port = self._spare_port()
        raise RuntimeError("could not start a test Redis")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    """A running redis-server of this test's own (see RedisServer)."""
    import shutil

    require_service(shutil.which("redis-server") is not None, "redis-server (Redis)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
