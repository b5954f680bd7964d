"""gunicorn's settings (it reads this file from the working directory), from the
environment: the same command serves in docker-compose.yml and in the smoke test."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# A worker is replaced after this many requests (a slow leak cannot grow for ever).
max_requests = 2000
max_requests_jitter = 200
