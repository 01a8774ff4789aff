# The one list of chores. `make run` and `make test` bootstrap their own virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export SALON_DATA_DIR ?= $(CURDIR)/var
ADDRPORT ?= 127.0.0.1:8000

.PHONY: run test test-postgres lint format bench messages clean

# The installer is uv (seconds where pip takes minutes): the one on the PATH, else installed into
# the environment by the system's pip; pip itself when neither works. A venv without pip is made
# in a second (ensurepip takes ~15 s); pip is added only for the fallback.
$(INSTALLED): pyproject.toml
	@uv=$$(command -v uv || true); \
	if [ -n "$$uv" ]; then \
		test -x $(BIN)/python || $$uv venv --quiet --python $(PYTHON) $(VENV); \
	else \
		test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV); \
		{ $(PYTHON) -m pip --python $(BIN)/python install --quiet uv 2>/dev/null \
		  || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv 2>/dev/null; }; \
		} && uv=$(BIN)/uv; \
	fi; \
	if [ -n "$$uv" ] && $$uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'; \
		then exit 0; fi; \
	echo "uv is not available: installing with pip (a few minutes)."; \
	$(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --upgrade pip \
		&& $(BIN)/python -m pip install --quiet -e '.[test]'
	@# Compile the interface catalogues (the compiled .mo files are also committed, for
	@# machines without gettext).
	@if command -v msgfmt >/dev/null; then \
		for po in src/salon/locale/*/LC_MESSAGES/*.po src/salon/*/locale/*/LC_MESSAGES/*.po; do \
			msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; \
		done; \
	fi
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

## lint: ruff's checks and its formatting (CI runs it; any finding fails)
lint: $(INSTALLED)
	@$(BIN)/ruff check src tests bench
	@$(BIN)/ruff format --check --quiet src tests bench

format: $(INSTALLED)
	@$(BIN)/ruff format src tests bench

# Apps with a locale/ folder keep their own catalogue; the rest share src/salon/locale.
APPS_WITH_CATALOGUES := $(notdir $(patsubst %/locale,%,$(wildcard src/salon/*/locale)))

## messages: refresh the French catalogues after changing interface strings
messages: $(INSTALLED)
	@$(MAKE) -s messages-in MESSAGES_SRC=$(CURDIR)/src/salon PYTHON_BIN=$(CURDIR)/$(BIN)/python
	@cd src/salon && ../../$(BIN)/salon compilemessages --verbosity 0

# Extract the strings of a source tree into its catalogues (also used by the i18n test on a copy).
# Python's -P keeps the app's folder off the import path: feeds/html.py would stand in for the
# standard library's html there, and the app's extraction failed (unnoticed: the loop went on).
messages-in:
	@for app in $(APPS_WITH_CATALOGUES); do \
		(cd $(MESSAGES_SRC)/$$app && $(PYTHON_BIN) -P -m salon makemessages -l fr --no-obsolete --verbosity 0) || exit 1; \
	done
	@cd $(MESSAGES_SRC) && $(PYTHON_BIN) -P -m salon makemessages -l fr --no-obsolete --verbosity 0 \
		$(foreach app,$(APPS_WITH_CATALOGUES),--ignore '$(app)/*')

## bench: load the 2,000-post corpus and measure pages with wrk (see bench/README.md)
bench: $(INSTALLED)
	@$(BIN)/python bench/http_load.py --posts 2000

clean:
	rm -rf $(VENV) var/test var/test-pg
