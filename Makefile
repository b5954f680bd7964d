# The two commands: `make run` serves the product, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format worker beat messages clean bench bench-matching bench-search bench-scale lock

# Every package comes from the lock files, pinned with its hashes: requirements-dev.txt
# (the product, dev and demo extras) here and in CI, requirements.txt (the product alone)
# in the production image. `make lock` refreshes both from pyproject.toml.
$(STAMP): pyproject.toml requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Python 3.11 or newer is required ($(PYTHON))." && exit 1)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m pip check > /dev/null || ($(PY) -m pip check; \
		echo "The lock files miss a dependency of pyproject.toml: run make lock." && exit 1)
	touch $(STAMP)

# Refresh the lock files after changing the dependencies in pyproject.toml: every pin
# that still fits is kept. UPGRADE=1 moves every package to its newest allowed version,
# UPGRADE=django (one name) that package only. Then run make test and commit both files.
LOCK_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet
UPGRADE ?=
lock: $(VENV)/bin/uv
	$(LOCK_COMPILE) --extra dev --extra demo -o requirements-dev.txt \
		$(if $(filter 1,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE)))
	$(LOCK_COMPILE) --constraint requirements-dev.txt -o requirements.txt

$(VENV)/bin/uv:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'uv>=0.9,<1'

# Serve the product on http://$(HOST) with demo data (e-mail links too: SITE_URL), and
# run the periodic jobs of CELERY_BEAT_SCHEDULE beside the server: with REDIS_URL set, a
# Celery worker with an embedded beat; without it, beat alone, which runs each job
# in-process (tasks run in-process then, no broker needed).
run: export SITE_URL ?= http://$(HOST)
run: $(STAMP)
	@$(PY) manage.py migrate --noinput -v0
	@LOG_LEVEL=WARNING $(PY) manage.py seed_demo --no-accounts
	@LOG_LEVEL=WARNING $(PY) manage.py recompute_suggestions --if-empty
	@if [ -n "$$REDIS_URL" ]; then \
		echo "Periodic jobs: a Celery worker with beat (REDIS_URL is set)."; \
		$(VENV)/bin/celery -A probono --quiet worker --beat --loglevel=WARNING --concurrency=2 & \
	else \
		echo "Periodic jobs: Celery beat, each job run in-process (no REDIS_URL)."; \
		$(VENV)/bin/celery -A probono --quiet beat --loglevel=WARNING & \
	fi; \
	trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py rundemo $(HOST)

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

# National scale: 1,000,000 volunteers and 60,000 missions in a database of its own,
# seeded once (about a quarter of an hour), then recomputed through real workers.
BENCH_SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/probono_scale

bench-scale: $(STAMP)
	psql "$(BENCH_SCALE_DATABASE_URL)" -c "select 1" > /dev/null 2>&1 || \
		psql "$(dir $(BENCH_SCALE_DATABASE_URL))postgres" -c "create database $(notdir $(BENCH_SCALE_DATABASE_URL))"
	DATABASE_URL=$(BENCH_SCALE_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_SCALE_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/bench_scale.py
	DATABASE_URL=$(BENCH_SCALE_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/bench_load.py

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
