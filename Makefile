# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv on first use and are no-ops for set-up afterwards.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: run test bench check clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(STAMP)
	$(VENV)/bin/tutor

test: $(TSTAMP)
	$(PY) -m pytest -q

check: $(STAMP)
	$(VENV)/bin/tutor check

bench: $(TSTAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) build dist .pytest_cache
