# Two commands on a fresh machine: `make run` (the demo at http://127.0.0.1:5000 and its job consumer) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi
# The development configuration is named here; without FLASK_CONFIG the app starts in production (which refuses the
# default SECRET_KEY).
DEV := FLASK_CONFIG=development

.PHONY: run run-production test install assets translations db demo serve bench migration-locks screenshots clean demo-site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations assets

# Front-end packages pinned by package-lock.json (npm ci), compiled into static/dist (not committed).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

static/dist/app.css: $(NODE_STAMP) assets/build.mjs $(wildcard assets/scss/*.scss assets/js/*.mjs)
	npm run --silent build

assets: static/dist/app.css

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -f >/dev/null

db: install
	$(DEV) $(BIN)/flask db upgrade

demo: db
	$(DEV) $(BIN)/flask seed-demo

# The web server and the job consumer (`flask worker`: e-mail, the closing step, digests; its queue is a SQLite file in
# instance/ unless REDIS_URL or JOBS_QUEUE says otherwise) side by side; Ctrl-C stops both.
PORT ?= 5000
run: demo
	$(DEV) $(BIN)/flask worker & worker=$$!; trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(DEV) $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# A static "municipality website" at http://localhost:8001 with the feedback snippet pasted (demo_site/): run it next to
# `make run`; the demo registers Rēzekne's site with that origin.
demo-site:
	@echo "Demo municipality site: http://localhost:8001/ (script snippet), http://localhost:8001/iframe.html (frame snippet)"
	$(PYTHON) -m http.server 8001 --bind 127.0.0.1 --directory demo_site

# The production processes without containers: migrations, then the job consumer (`flask worker`, on the Redis queue)
# and gunicorn side by side, all configured from the environment (SECRET_KEY, PUBLIC_BASE_URL, DATABASE_URL for
# PostgreSQL, REDIS_URL; see docs/deploy.md). Ctrl-C (or SIGTERM) stops both; the consumer finishes its running jobs.
run-production: install
	@test -n "$$SECRET_KEY" && test -n "$$PUBLIC_BASE_URL" && test -n "$$DATABASE_URL" && test -n "$$REDIS_URL" \
		|| { echo "Set SECRET_KEY, PUBLIC_BASE_URL, DATABASE_URL and REDIS_URL (docs/deploy.md)."; exit 1; }
	FLASK_CONFIG=production $(BIN)/flask db upgrade
	FLASK_CONFIG=production $(BIN)/flask worker & worker=$$!; trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		FLASK_CONFIG=production $(BIN)/gunicorn --bind $${BIND:-127.0.0.1:8000} --workers $${WORKERS:-4} wsgi:app

test: install
	$(BIN)/python -m pytest

# A national-scale load in PostgreSQL (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/lidzdaliba_bench,
# dropped and rebuilt), every public page under gunicorn and wrk against a bare-Flask baseline: bench/results/<date>.md.
# BENCH_ARGS="--scale 0.01" for a CI-sized run.
bench: install
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && (apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null))) \
		|| echo "wrk is not installed (apt-get install wrk): the Python load generator is used instead"
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# How long each migration blocks residents' writes on PostgreSQL seeded at the benchmark's scale (LOCKS_DATABASE_URL,
# default postgresql://postgres@127.0.0.1:5432/lidzdaliba_locks, dropped and rebuilt): bench/results/migration-locks-<date>.md.
# Fails when a migration holds writes for more than a second. LOCKS_ARGS="--scale 0.1" for a quicker run,
# LOCKS_ARGS="--only 0024,0025" for some migrations only.
migration-locks: install
	$(BIN)/python -m bench.migration_locks --report $(LOCKS_ARGS)

# PNGs of the main pages at 1280 px and 375 px into docs/screenshots/ (Debian's chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) instance .pytest_cache *.egg-info node_modules static/dist
