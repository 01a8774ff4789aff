# The one list of chores. `make run` and `make test` bootstrap their own virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export SALON_DATA_DIR ?= $(CURDIR)/var
ADDRPORT ?= 127.0.0.1:8000

.PHONY: run test test-postgres lint format bench messages clean

# The installer is uv when it is on the PATH or can be installed into the environment (it installs
# the dependencies in seconds where pip takes minutes); pip when neither works.
$(INSTALLED): pyproject.toml
	@if command -v uv >/dev/null; then \
		test -x $(BIN)/python || uv venv --quiet --python $(PYTHON) $(VENV); \
		uv pip install --quiet --python $(BIN)/python -e '.[test]' && exit 0; \
	fi; \
	test -x $(BIN)/python && $(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv $(VENV); \
	if $(BIN)/python -m pip install --quiet uv 2>/dev/null \
		&& $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'; then exit 0; fi; \
	echo "uv is not available: installing with pip (a few minutes)"; \
	$(BIN)/python -m pip install --quiet --upgrade pip \
		&& $(BIN)/python -m pip install --quiet -e '.[test]'
	@# Compile the interface catalogues (the compiled .mo files are also committed, for
	@# machines without gettext).
	@if command -v msgfmt >/dev/null; then cd src/salon && ../../$(BIN)/salon compilemessages --verbosity 0; fi
	@touch $@

## run: serve the site with a background worker on http://127.0.0.1:8000 (demo content on first run)
run: $(INSTALLED)
	@# Checks run once, in `salon run` (which prints mail when none is configured).
	@$(BIN)/salon bootstrap --skip-checks
	@$(BIN)/salon run $(ADDRPORT)

## test: the whole suite on the embedded default (SQLite); browser tests need /usr/bin/chromium
test: $(INSTALLED)
	@SALON_DATA_DIR=$(CURDIR)/var/test $(BIN)/python -m pytest $(PYTEST_ARGS)

## test-postgres: the same suite on PostgreSQL
test-postgres: $(INSTALLED)
	@DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/salon} \
		SALON_DATA_DIR=$(CURDIR)/var/test-pg $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	@$(BIN)/ruff check src tests bench

format: $(INSTALLED)
	@$(BIN)/ruff format src tests bench

# Apps with a locale/ folder keep their own catalogue; the rest share src/salon/locale.
APPS_WITH_CATALOGUES := $(notdir $(patsubst %/locale,%,$(wildcard src/salon/*/locale)))

## messages: refresh the French catalogues after changing interface strings
messages: $(INSTALLED)
	@$(MAKE) -s messages-in MESSAGES_SRC=$(CURDIR)/src/salon PYTHON_BIN=$(CURDIR)/$(BIN)/python
	@cd src/salon && ../../$(BIN)/salon compilemessages --verbosity 0

# Extract the strings of a source tree into its catalogues (also used by the i18n test on a copy).
messages-in:
	@for app in $(APPS_WITH_CATALOGUES); do \
		(cd $(MESSAGES_SRC)/$$app && $(PYTHON_BIN) -m salon makemessages -l fr --no-obsolete --verbosity 0); \
	done
	@cd $(MESSAGES_SRC) && $(PYTHON_BIN) -m salon makemessages -l fr --no-obsolete --verbosity 0 \
		$(foreach app,$(APPS_WITH_CATALOGUES),--ignore '$(app)/*')

## bench: load the 2,000-post corpus and measure pages with wrk (see bench/README.md)
bench: $(INSTALLED)
	@$(BIN)/python bench/http_load.py --posts 2000

clean:
	rm -rf $(VENV) var/test var/test-pg
