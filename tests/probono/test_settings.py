"""Settings come from the environment; production refuses to start without its secrets."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="probono.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_ENV="production", SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    result = run_manage(
        "check",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="probono.example.org",
    )
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="probono.example.org",
        SITE_URL="https://probono.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_the_deployment_checks_refuse_an_unencrypted_site_url():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="probono.example.org",
        SITE_URL="http://probono.example.org",
    )
    assert result.returncode != 0
    assert "core.W001" in result.stderr


def test_site_url_is_an_http_address_without_a_path():
    for wrong in ("probono.example.org", "ftp://probono.example.org", "https://x.org/app"):
        result = run_manage("check", SITE_URL=wrong)
        assert result.returncode != 0, wrong
        assert "SITE_URL" in result.stderr


def test_a_job_can_run_on_a_short_interval_by_name():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_BEAT_SCHEDULE['sweep-outbox']['schedule'])",
        BEAT_INTERVAL_OVERRIDES='{"sweep-outbox": 2}',
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "2.0"
    unknown = run_manage("check", BEAT_INTERVAL_OVERRIDES='{"no-such-job": 2}')
    assert unknown.returncode != 0
    assert "unknown job" in unknown.stderr


def test_booleans_are_parsed_strictly():
    result = run_manage("check", DEBUG="flase")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_zero_setup_defaults_run_tasks_in_process_and_print_emails():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_redis_url_switches_the_broker_and_the_cache():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "False",
        "redis://127.0.0.1:6379/3",
        "core.cache.ResilientRedisCache",
    ]
