# Badgeons — two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=

.PHONY: run test install catalogs translations validators test-idp browser-tests demo-data clean

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

# The demo identity provider runs in the background for as long as the server does.
DEMO_IDP_PORT ?= 9400
DEMO_IDP := http://127.0.0.1:$(DEMO_IDP_PORT)

run: demo-data
	@$(BIN)/python scripts/demo-idp.py --port $(DEMO_IDP_PORT) & idp=$$!; \
	trap 'kill '"$$idp"' 2>/dev/null' EXIT INT TERM; \
	export DEMO_IDENTITY_PROVIDER=$(DEMO_IDP) MAIL_DEV_OUTBOX=1; \
	$(FLASK) accounts link-demo-identities && $(FLASK) run --host 127.0.0.1 --port 5000

test-idp:
	@bash scripts/npm-ci.sh tests/idp/node "the ProConnect-like identity provider"

browser-tests:
	@bash scripts/npm-ci.sh tests/browser/node "axe-core"

test: catalogs validators test-idp browser-tests
	$(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/pytest --db=postgresql -m "not browser and not conformance and not scaleout" $(PYTEST_ARGS); \
	else \
		echo "== TEST_DATABASE_URL is not set: PostgreSQL run skipped"; \
	fi

clean:
	rm -rf $(VENV) .venv-ob2 tests/conformance/node/node_modules tests/idp/node/node_modules tests/browser/node/node_modules
