# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/luoshi
RUN_ENV := DEBUG=1
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) DJANGO_SETTINGS_MODULE=config.settings_test
PYTEST_ARGS ?=

.PHONY: run install install-dev test lint typecheck migrate worker beat bench-extract bench-hostile bench-api bench-reminders bench-ui bench-data bench-search clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## make run: SQLite under var/ (unless DATABASE_URL is set), seed fixtures, demo users, http://127.0.0.1:8000,
## and a Celery worker with embedded beat in the background (reminders on schedule; broker: Redis when REDIS_URL
## is set, otherwise files under var/celery/, no server needed; docs/reminders.md). Ctrl-C stops both.
run: $(VENV)/.installed
	mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_seed_fixtures
	@echo "Demo accounts / 演示账号:"
	@$(RUN_ENV) $(PY) manage.py create_demo_users
	@echo "Reminders: Celery worker + beat in the background (log: var/celery.log)"
	@echo "Serving on http://127.0.0.1:8000 (admin: http://127.0.0.1:8000/admin/)"
	$(RUN_ENV) $(VENV)/bin/celery -A config worker -B --pool solo -l info --logfile var/celery.log \
	    -s var/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

## make test: lint, Django checks, migrations check, the whole suite on PostgreSQL
test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	@# The migrations check reads the history of the (non-test) database: create it when missing.
	-@$(PY) -c "import psycopg,sys; u=sys.argv[1]; n=u.rsplit('/',1)[1]; c=psycopg.connect(u.rsplit('/',1)[0]+'/postgres',autocommit=True); c.execute('SELECT 1 FROM pg_database WHERE datname=%s',(n,)).fetchone() or c.execute('CREATE DATABASE \"'+n+'\"')" "$(TEST_DATABASE_URL)"
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make typecheck: mypy with django-stubs and djangorestframework-stubs on our apps (config in pyproject.toml)
typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker -l info

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat -l info

## make bench-extract: CPU MB/s over the seeds (SHARED/seeds: LUOSHI_SHARED, else ../shared beside the repository or,
## in a git worktree, beside its main checkout — benchmarks/paths.py)
bench-extract: $(VENV)/.installed-dev
	$(PY) -m benchmarks.bench_extract

bench-hostile: $(VENV)/.installed-dev
	$(PY) -m benchmarks.hostile_files

bench-api: $(VENV)/.installed-dev
	$(TEST_ENV) $(PY) -m benchmarks.bench_api

bench-reminders: $(VENV)/.installed-dev
	$(TEST_ENV) $(PY) -m benchmarks.bench_reminders

bench-ui: $(VENV)/.installed-dev
	$(TEST_ENV) $(PY) -m benchmarks.bench_ui

## make bench-search: search p50/p95 on the 5M-commitment database (built once by bench-data, then reused)
bench-data: $(VENV)/.installed-dev
	$(TEST_ENV) $(PY) -m benchmarks.bench_data

bench-search: $(VENV)/.installed-dev
	$(TEST_ENV) $(PY) -m benchmarks.bench_search

clean:
	rm -rf var/luoshi.sqlite3 var/media var/celery var/celerybeat-schedule staticfiles
