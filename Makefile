# Badgeons — two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=

.PHONY: run test install catalogs translations validators demo-data clean

$(BIN)/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: Python 3.11+ is needed and '$(PYTHON)' was not found." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "make: Python 3.11 or newer is needed ($$($(PYTHON) --version) found)." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "make: could not create $(VENV); on Debian/Ubuntu install python3-venv." >&2; exit 1; }

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

# Compiled catalogues are build products, never committed.
catalogs: install
	@$(BIN)/pybabel compile --use-fuzzy -d directory/translations

# Extract new strings and merge them into the catalogues; then translate the new entries.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project Badgeons -o directory/translations/messages.pot .
	$(BIN)/pybabel update -i directory/translations/messages.pot -d directory/translations --no-fuzzy-matching --ignore-obsolete

validators:
	@bash scripts/setup-validators.sh

demo-data: catalogs
	$(FLASK) db upgrade
	$(FLASK) competencies import-esco
	$(FLASK) demo load

run: demo-data
	$(FLASK) run --host 127.0.0.1 --port 5000

test: catalogs validators
	$(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/pytest --db=postgresql -m "not browser and not conformance" $(PYTEST_ARGS); \
	else \
		echo "== TEST_DATABASE_URL is not set: PostgreSQL run skipped"; \
	fi

clean:
	rm -rf $(VENV) .venv-ob2 tests/conformance/node/node_modules
