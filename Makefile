# The two commands: `make run` serves the product, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format worker beat messages clean bench bench-matching bench-search

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Python 3.11 or newer is required ($(PYTHON))." && exit 1)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,demo]'
	touch $(STAMP)

# Serve the product on http://$(HOST) with demo data. With REDIS_URL set, a Celery
# worker and beat run beside the web server; without it, tasks run in-process.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py recompute_suggestions --if-empty
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting a Celery worker with beat beside the server."; \
		$(VENV)/bin/celery -A probono worker --beat --loglevel=INFO --concurrency=2 & \
		trap "kill $$! 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST); \
	else \
		$(PY) manage.py runserver $(HOST); \
	fi

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Style, the import contract (apps on floors, imports go down only) and the types
# (mypy, strict on the rules and the matching core): see pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(STAMP)
	$(VENV)/bin/celery -A probono worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A probono beat --loglevel=INFO

# Benchmarks print their figures and the ratio to their baseline (see bench/).
bench: bench-matching bench-search

# The end-to-end benchmark needs PostgreSQL; its database is seeded on first use.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/probono_bench
BENCH_WORKERS_DATABASE_URL ?= $(BENCH_DATABASE_URL)
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14

bench-matching: $(STAMP)
	$(PY) bench/bench_kernel.py
	$(PY) bench/bench_teams.py
	psql "$(BENCH_DATABASE_URL)" -c "select 1" > /dev/null 2>&1 || \
		psql "$(dir $(BENCH_DATABASE_URL))postgres" -c "create database $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/bench_matching_db.py
	psql "$(BENCH_WORKERS_DATABASE_URL)" -c "select 1" > /dev/null 2>&1 || \
		psql "$(dir $(BENCH_WORKERS_DATABASE_URL))postgres" -c "create database $(notdir $(BENCH_WORKERS_DATABASE_URL))"
	DATABASE_URL=$(BENCH_WORKERS_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_WORKERS_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/bench_workers.py

# The mission search at the national scale: its own database, seeded on first use with
# 60,000 missions of which 20,000 are open.
BENCH_SEARCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/probono_search_bench

bench-search: $(STAMP)
	psql "$(BENCH_SEARCH_DATABASE_URL)" -c "select 1" > /dev/null 2>&1 || \
		psql "$(dir $(BENCH_SEARCH_DATABASE_URL))postgres" -c "create database $(notdir $(BENCH_SEARCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_SEARCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_SEARCH_DATABASE_URL) $(PY) bench/bench_search.py

# Refresh the English catalogue after changing user-facing strings.
messages: $(STAMP)
	$(PY) manage.py makemessages --locale en --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete
	$(PY) manage.py compilemessages --locale en --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts .mypy_cache
