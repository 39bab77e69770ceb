# The project's verbs. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2

# `make test` runs the suite in one process per core (pytest-xdist; a file stays on one worker,
# so its module fixtures are built once). TEST_ARGS narrows it: TEST_ARGS=tests/events/test_home.py,
# TEST_ARGS="-n 0 tests/events/test_home.py::test_name" (one test, no workers).
TEST_ARGS ?=
XDIST := -n auto --dist loadfile

.PHONY: run test test-postgres lint format admin seed dump messages chromium varnish clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_story
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving the archive on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $(WORKERS)

test: $(VENV)/.installed-dev chromium varnish
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(XDIST) $(TEST_ARGS)

# The PostgreSQL step of CI alone: the tests marked `postgres` (README, "Which tests run where"),
# on the database DATABASE_URL names, e.g. make test-postgres DATABASE_URL=postgres:///newsarchive
test-postgres: $(VENV)/.installed-dev
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL=postgres:///<database>"; exit 1; }
	DATABASE_URL=$(DATABASE_URL) $(BIN)/python -m pytest --create-db -m postgres $(XDIST) $(TEST_ARGS)

# Browser tests drive Debian's Chromium: install it when we can (root), else say how.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install -y chromium', then 'make test' again."; exit 1; \
	  fi; }

# The Varnish test runs a real varnishd with xkey (Debian's varnish and varnish-modules).
varnish:
	@{ command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ]; } \
	  && ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules) >/dev/null; \
	  else \
	    echo "Varnish is missing: run 'sudo apt-get install -y varnish varnish-modules', then 'make test' again."; exit 1; \
	  fi; }

# Load test at 100,000 synthetic events, served as `run` serves it (throwaway databases,
# gunicorn, wrk; never part of `test`). Prints a Markdown table. BENCH_ARGS passes options to
# `manage.py bench`, e.g. BENCH_ARGS="--events 20000 --duration 3 --output bench.md" or
# BENCH_ARGS="--database-url postgres:///newsarchive_bench" (--help lists them all).
bench: $(VENV)/.installed
	$(BIN)/python manage.py bench $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

admin: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createsuperuser

seed: $(VENV)/.installed
	$(BIN)/python manage.py seed_story

dump: $(VENV)/.installed
	$(BIN)/python manage.py dump_story

messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
