# Two commands: `make run` sets up everything and serves the demo site; `make test` sets up
# everything the tests need and runs the whole suite. Both work on a fresh Debian machine.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Absolute links (sitemap, feeds, emails) point at where `make run` serves.
BASE_URL ?= http://$(HOST):$(PORT)
export BASE_URL
DEV_SETTINGS := config.settings.dev
TEST_WORKERS ?= 2

.PHONY: run test setup demo lint format messages chromium redis clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(VENV)/.test-installed: requirements-test.lock $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $@

setup: $(VENV)/.runtime-installed
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py migrate --noinput -v 0

demo: setup
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "  Support site: http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Demo accounts (email / password):"
	@echo "    administrator  admin@example.com      demo-admin-pass"
	@echo "    editor         editor@example.com     demo-editor-pass"
	@echo "    support agent  agent@example.com      demo-agent-pass"
	@echo "    moderator      moderator@example.com  demo-moderator-pass"
	@echo "    member         member@example.com     demo-member-pass"
	@echo "    council member council@example.com    demo-council-pass"
	@echo ""
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

# Debian's chromium for the browser tests (Playwright never downloads a browser here), and
# fonts with Persian and Hebrew glyphs so right-to-left pages render real text.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto sans arabic"; then \
		echo "Installing Debian's chromium and fonts..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-dejavu-core fonts-noto-core fontconfig >/dev/null; \
	fi

# Debian's redis-server: the live-update tests start a throwaway one to check the Redis channel
# layer across processes (they are skipped, saying so, where it is missing).
redis:
	@if ! command -v redis-server >/dev/null 2>&1; then \
		echo "Installing Debian's redis-server..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			redis-server >/dev/null; \
	fi

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(VENV)/.test-installed chromium redis lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	# Browser tests run in a process of their own: Playwright's sync API leaves an event loop in
	# the test thread, which would break async_to_sync in the tests that follow it.
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser"
	$(BIN)/pytest -n $(TEST_WORKERS) -m browser

# Regenerate the translation catalogues after changing interface strings (needs gettext).
messages: $(VENV)/.runtime-installed
	$(BIN)/python manage.py makemessages -l ru -l fa -l he --ignore=.venv --ignore=static_collected
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) data static_collected
