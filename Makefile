# The two commands: `make run` (the CMS with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup python lint format migrate seed clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The conformance suite's node packages (the official @strapi/client and qs), from the lock file.
CONFORMANCE := tests/conformance
$(CONFORMANCE)/node_modules/.package-lock.json: $(CONFORMANCE)/package-lock.json
	npm ci --prefix $(CONFORMANCE) --no-audit --no-fund --loglevel=error

# Python only: `make run` needs no npm; the tests add the conformance suite's node packages.
python: $(VENV)/.installed

setup: python $(CONFORMANCE)/node_modules/.package-lock.json

migrate: python
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# The CMS, its task worker (e-mails, webhooks, search indexing, digests) and the outbox's relay (what a dead
# worker left); e-mails land as files in mail/.
# Links in e-mails and the API point at the address it is served on, unless the environment names another.
SERVED := http://$(HOST):$(PORT)
RUN_ENV = DEBUG=1 EMAIL_FILE_PATH=$(CURDIR)/mail WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-$(SERVED)} \
	PUBLIC_API_URL=$${PUBLIC_API_URL:-$(SERVED)}
run: seed
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(BIN)/python manage.py db_worker & \
	$(RUN_ENV) $(BIN)/python manage.py relay_outbox --forever --interval 30 & \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests need Debian's chromium; install it when it is missing (root on CI and dev machines).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: python
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 static
