# BackCare: `make run` serves the demo site, `make test` runs every test.
# Both install what they need first, so they work on a fresh clone.
# `make` alone (or `make help`) lists every target: the text after `## ` on a
# target's line is its entry, so the list cannot drift from the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Our Django templates, which djade formats (make lint checks them, make format fixes them).
TEMPLATES = $(shell git ls-files '*templates/*.html' '*templates/*.txt')
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test test-fast test-postgres lint format hooks install assets messages catalogue system system-fast demo clean bench

help: ## list these targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "make %-14s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))

$(VENV)/.installed: requirements.lock requirements-dev.lock
	@python=$$(bin/find-python); \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    rm -rf $(VENV); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); \
	  fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed ## create .venv and install the locked Python packages
	@mkdir -p var  # the development database's folder (not in git), before any manage.py

# .npmrc turns install scripts off. The Observatory package's would download
# the HSTS preload list; the tests give it an empty one instead (nothing here
# may reach the internet, and localhost is on no preload list anyway).
OBSERVATORY_HSTS := node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json

node_modules/.installed: package.json package-lock.json .npmrc
	npm ci --no-audit --no-fund --loglevel=error
	echo '{}' > $(OBSERVATORY_HSTS)
	@touch $@

# Bootstrap is served from our own static files, never a CDN, and only the part
# our pages use: bin/build-css.mjs purges its compiled CSS against our templates,
# the Python and JavaScript that write classes, and the crispy-bootstrap5
# templates our forms render (README, "Decisions"). Rebuilt when any of them changes.
CSS_SOURCES = $(shell git ls-files '*.html' '*.txt' '*.py' 'static/js/*.js' | grep -v -E '^(tests|bench)/')
static/vendor/.built: node_modules/.installed $(VENV)/.installed bin/build-css.mjs $(CSS_SOURCES)
	rm -rf static/vendor
	node bin/build-css.mjs static/vendor/bootstrap/css/bootstrap.min.css \
	  "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
	cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	@touch $@

assets: static/vendor/.built ## install the npm packages and build the site's Bootstrap into static/vendor

# The Welsh interface: the .po is the source, the .mo is built (never committed).
# locale/admin/cy: Welsh for the Django admin strings Django's own Welsh lacks (written by hand).
ADMIN_WELSH := locale/admin/cy/LC_MESSAGES/django.po locale/admin/cy/LC_MESSAGES/djangojs.po
# locale/allauth/cy: Welsh for django-allauth's sign-in pages and e-mails (allauth has none; by hand).
ALLAUTH_WELSH := locale/allauth/cy/LC_MESSAGES/django.po
# locale/allauth/en_GB: allauth's title-case English in the site's sentence case ("Sign in").
ALLAUTH_ENGLISH := locale/allauth/en_GB/LC_MESSAGES/django.po
locale/cy/LC_MESSAGES/django.mo: locale/cy/LC_MESSAGES/django.po $(ADMIN_WELSH) $(ALLAUTH_WELSH) $(ALLAUTH_ENGLISH) $(VENV)/.installed
	$(MANAGE) compilemessages -l cy -l en_GB --ignore=.venv --ignore=node_modules -v0

messages: locale/cy/LC_MESSAGES/django.mo ## compile the Welsh catalogues (.po to .mo)

# After adding or changing a translatable string: refresh locale/cy from the code,
# then translate what is new (tests/welsh/test_welsh_catalogue.py fails until then).
catalogue: install ## refresh locale/cy/LC_MESSAGES/django.po from the code
	$(MANAGE) makemessages -l cy --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests \
	  --ignore=bench --ignore=static/vendor --ignore=staticfiles --ignore=var -v0

# Chromium, nginx, Redis and a running PostgreSQL with the backcare role (see the script).
system: ## install Chromium, nginx, Redis and start PostgreSQL (as root; bin/system-deps)
	bin/system-deps

system-fast: ## only the system packages make test-fast needs (PDF fonts, gettext, restic)
	bin/system-deps fast

demo: install assets messages ## migrate the SQLite database under var/ and load the demo content
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_demo

run: demo ## install, load the demo and serve http://127.0.0.1:8000 (HOST=, PORT= change it)
	@echo "BackCare is starting at http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install ## ruff (lint and format check), djade (templates) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djade --check --target-version 6.1 $(TEMPLATES)
	$(VENV)/bin/mypy

format: install ## let ruff fix and format the code, and djade the templates
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djade --target-version 6.1 $(TEMPLATES)

test: install assets system messages lint ## everything CI runs: lint, migrations check, every test
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The quick loop while working: no browser, no production stack, no PostgreSQL,
# so of `make system` only the PDF fonts, gettext and restic (see the README for
# how long it takes).
test-fast: install assets system-fast messages lint ## lint, migrations check and the tests without browser, stack or PostgreSQL
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -m "not browser and not deploy" $(PYTEST_ARGS)

# Runs ruff, ruff-format, djade and django-upgrade on each commit (.pre-commit-config.yaml).
hooks: install ## install the pre-commit hooks into this clone's .git/hooks
	$(VENV)/bin/pre-commit install

clean: ## remove everything make installed or built
	rm -rf $(VENV) node_modules static/vendor staticfiles .pytest_cache .ruff_cache .mypy_cache test-artifacts locale/cy/LC_MESSAGES/django.mo locale/admin/cy/LC_MESSAGES/*.mo

# The database tests (everything but the browser) against $$DATABASE_URL; .ci/run uses it.
test-postgres: install assets system messages ## the database tests on the PostgreSQL at DATABASE_URL (CI)
	@[ -n "$${DATABASE_URL:-}" ] || { echo "Set DATABASE_URL to a PostgreSQL database." >&2; exit 1; }
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -m "not browser and not deploy" $(PYTEST_ARGS)

# The benchmarks of docs/performance.md (loopback only; a few minutes).
bench: install assets system messages ## the benchmarks of docs/performance.md (a few minutes)
	bench/run
