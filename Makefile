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

.PHONY: run run-prod test audit test-postgres setup demo lint format messages chromium redis postgres clean

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
	@# The email outbox's sender runs beside the server (mail prints to this console) and stops with it.
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py run_outbox & outbox=$$!; \
	trap 'kill $$outbox 2>/dev/null' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

# `make run-prod`: the production settings with several worker processes behind one port (gunicorn
# managing uvicorn workers: HTTP and websockets), static files collected, compressed and served by
# WhiteNoise. On a laptop it serves plain http on $(HOST):$(PORT); the secret key is generated once
# into DATA_DIR/secret_key (never committed). The workers must share the cache and the channel
# layer: with more than one worker and no REDIS_URL, it starts Debian's redis-server on a socket
# under DATA_DIR (stopped with the server) and points REDIS_URL at it.
WEB_CONCURRENCY ?= $(shell nproc 2>/dev/null || echo 2)
PROD_DATA_DIR := $(abspath $(or $(DATA_DIR),data))
PROD_ENV = DJANGO_SETTINGS_MODULE=config.settings.production DATA_DIR=$(PROD_DATA_DIR) \
	SECRET_KEY="$$(cat $(PROD_DATA_DIR)/secret_key)" ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost}" \
	SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-false} \
	CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-false} SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0}

run-prod: demo redis
	@mkdir -p $(PROD_DATA_DIR)
	@test -s $(PROD_DATA_DIR)/secret_key || (umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" >$(PROD_DATA_DIR)/secret_key)
	$(PROD_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@echo "  Support site (production settings, $(WEB_CONCURRENCY) workers): http://$(HOST):$(PORT)/"
	@redis=; if [ -z "$$REDIS_URL" ] && [ "$(WEB_CONCURRENCY)" -gt 1 ]; then \
		rm -f $(PROD_DATA_DIR)/redis.sock; \
		redis-server --port 0 --unixsocket $(PROD_DATA_DIR)/redis.sock --unixsocketperm 700 --save "" --appendonly no \
			--loglevel warning & redis=$$!; \
		while [ ! -S $(PROD_DATA_DIR)/redis.sock ]; do sleep 0.1; done; \
		export REDIS_URL=unix://$(PROD_DATA_DIR)/redis.sock; \
	fi; \
	$(PROD_ENV) $(BIN)/python manage.py run_outbox & outbox=$$!; \
	trap 'kill $$outbox $$redis 2>/dev/null' EXIT INT TERM; \
	$(PROD_ENV) $(BIN)/gunicorn config.asgi:application --worker-class uvicorn.workers.UvicornWorker \
		--workers $(WEB_CONCURRENCY) --bind $(HOST):$(PORT) --graceful-timeout 10 --no-control-socket

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

# Debian's postgresql: `make test` runs the tests marked `postgres` again on a throwaway cluster
# that the tests start themselves (tests/postgres.py); its packaged cluster is not used.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			postgresql >/dev/null; \
	fi

# Known vulnerabilities in every locked version (PyPI's advisory data, through pip-audit). It needs
# PyPI's per-release JSON API: where that does not answer (an offline machine, or a mirror without
# it, as on this project's CI machines today) it says SKIPPED and passes, unless AUDIT_REQUIRED=1.
# A finding fails: upgrade the pin, or add `--ignore-vuln ID` here with the reason beside it.
AUDIT_PROBE := https://pypi.org/pypi/pip/24.0/json
audit: $(VENV)/.test-installed
	@if $(BIN)/python -c "import urllib.request; urllib.request.urlopen('$(AUDIT_PROBE)', timeout=20)" 2>/dev/null; then \
		$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
			-r requirements.lock -r requirements-test.lock; \
	elif [ -n "$(AUDIT_REQUIRED)" ]; then \
		echo "audit: FAILED: PyPI's vulnerability data ($(AUDIT_PROBE)) does not answer"; exit 1; \
	else \
		echo "audit: SKIPPED: PyPI's vulnerability data ($(AUDIT_PROBE)) does not answer here"; \
	fi

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(VENV)/.test-installed chromium redis postgres lint audit
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	# Browser tests run in a process of their own: Playwright's sync API leaves an event loop in
	# the test thread, which would break async_to_sync in the tests that follow it.
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser"
	$(BIN)/pytest -n $(TEST_WORKERS) -m browser
	$(MAKE) --no-print-directory test-postgres

# The tests marked `postgres` (every app, the concurrency tests) against a throwaway PostgreSQL.
test-postgres: $(VENV)/.test-installed postgres
	$(BIN)/pytest -n $(TEST_WORKERS) --postgres -m "postgres and not browser"

# Regenerate the translation catalogues after changing interface strings (needs gettext).
messages: $(VENV)/.runtime-installed
	$(BIN)/python manage.py makemessages -l ru -l fa -l he --ignore=.venv --ignore=static_collected
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) data static_collected
