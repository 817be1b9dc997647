# Two commands on a fresh machine: `make run` (the demo at http://127.0.0.1:5000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: run test install translations db demo serve benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -f >/dev/null

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask seed-demo

run: demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

benchmark: install
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf $(VENV) instance .pytest_cache *.egg-info
