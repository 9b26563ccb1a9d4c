# Practice Atlas: `make run` to use it, `make test` to test it. Both set up .venv first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test browser-test html-check lint check setup createsuperuser content clean serve loadtest bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Migrate and add whatever seed content is missing; safe to run again at any time.
setup: $(STAMP)
	$(PY) manage.py compile_translations -v 0
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_content
	$(PY) manage.py setup_roles

run: setup
	$(PY) manage.py runserver $(HOST)

test: $(STAMP)
	$(PY) manage.py compile_translations -v 0
	$(PY) -m pytest

# The browser tests (tests/browser/): Playwright driving Debian's Chromium (apt-get install chromium).
browser-test: $(STAMP)
	$(PY) manage.py compile_translations -v 0
	$(PY) -m pytest -m browser

# Every public page type in English, French and Spanish through the W3C Nu HTML checker
# (scripts/vnu: Java, and npm to fetch vnu-jar into var/vnu on first use).
html-check: $(STAMP)
	$(PY) manage.py compile_translations -v 0
	$(PY) -m pytest -m html -s -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What CI checks besides the tests.
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Production profile: gunicorn + WhiteNoise. Needs DATABASE_URL (PostgreSQL), SECRET_KEY and
# ALLOWED_HOSTS in the environment; see README "Production".
serve: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings_production $(PY) manage.py migrate --no-input -v 0
	DJANGO_SETTINGS_MODULE=config.settings_production $(PY) manage.py collectstatic --no-input -v 0
	DJANGO_SETTINGS_MODULE=config.settings_production $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py

# PostgreSQL as production should run it: shared_buffers with room for the tables the pages read
# (the practice table and its indexes are about 870 MB at 100,000 practices; README "Production").
BENCH_PG_OPTIONS := -c shared_buffers=2GB

# 50 clients for 60 s on loopback against the production profile and a throwaway PostgreSQL.
# SERVERS=2: two app servers sharing the database and a throwaway Redis, the clients split
# across them.
SERVERS ?= 1
loadtest: $(STAMP)
	PG_OPTIONS="$(BENCH_PG_OPTIONS)" scripts/with-postgres scripts/loadtest --servers $(SERVERS)

# 100,000 synthetic practices on a throwaway PostgreSQL, then on SQLite, served and seeded with
# bench.settings (the bench/ app): per-page p50/p95 against a bare view's floor, queries per
# page; writes docs/benchmark.md. Takes about 30 minutes.
bench: $(STAMP)
	PG_OPTIONS="$(BENCH_PG_OPTIONS)" scripts/with-postgres scripts/with-redis scripts/bench

createsuperuser: $(STAMP)
	$(PY) manage.py createsuperuser

content: setup

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
