# The README's commands. `make run` serves the platform with demo data;
# `make test` runs the whole suite. Both set up everything they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
ASSETS := static/dist/app.css
PYBABEL := $(VENV)/bin/pybabel
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run install install-dev assets test test-fast test-quick bench bench-load lint security clean worker safeguarding-model i18n-extract i18n-update i18n-compile

run: install ## Migrate, seed demo data when empty, and serve on http://$(HOST):$(PORT)
	@$(FLASK) db upgrade
	@$(FLASK) seed-demo --if-empty --remember-password $(if $(DEMO_PASSWORD),--password "$(DEMO_PASSWORD)",)
	@echo ""
	@echo "  Serving at http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	@echo "  Sign in as <role>@demo.invalid, e.g. commissioner@demo.invalid"
	@if [ -f instance/demo_password ]; then echo "  Demo password: $$(cat instance/demo_password)"; \
		else echo "  (demo password: printed when the demo data was made; 'make demo-reset' makes a new one)"; fi
	@echo ""
	@LIMITS="$${RATELIMIT_STORAGE_URI:-$${REDIS_URL:-}}"; \
	if [ -z "$$LIMITS" ] && command -v redis-cli >/dev/null 2>&1 && \
		[ "$$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; then \
		LIMITS="redis://127.0.0.1:6379/0"; fi; \
	if [ -n "$$LIMITS" ]; then echo "  Rate limits: counted in Redis, shared by every worker"; \
		else echo "  Rate limits: in memory, so one worker (start Redis to use two)"; fi; \
	echo ""; \
	RATELIMIT_STORAGE_URI="$$LIMITS" $(VENV)/bin/gunicorn --config gunicorn.conf.py \
		--bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - \
		--access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(L)ss' wsgi:app

demo-reset: install
	@$(FLASK) db upgrade
	@$(FLASK) seed-demo --reset --remember-password $(if $(DEMO_PASSWORD),--password "$(DEMO_PASSWORD)",)

install: $(STAMP) $(ASSETS) $(COMPILED) ## Virtualenv, Python and npm dependencies, compiled assets and catalogues

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-vectors.txt | $(VENV)/bin/python
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -r requirements-vectors.txt
	$(PY) -m analysis distil --if-missing
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS): node_modules/.package-lock.json static/scss/app.scss
	@mkdir -p static/dist
	npx --no-install sass --load-path=node_modules --style=compressed --no-source-map \
		--quiet-deps static/scss/app.scss $(ASSETS)
	rm -rf static/dist/assets
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/dist/assets
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/dist/

assets: $(ASSETS)

# Translations (docs/i18n.md). The .po files are kept in git; the compiled .mo files are
# built here (by `make install`) and never committed.
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(PYBABEL) compile -i $< -o $@ -l $*

i18n-extract: $(STAMP) ## Collect every marked string into translations/messages.pot
	$(PYBABEL) extract -F babel.cfg -k _l -k N_ --add-location=file --sort-output \
		--add-comments=TRANSLATORS: --ignore-dirs='.* node_modules' --project="Your voice" -o translations/messages.pot .

i18n-update: i18n-extract ## Merge new strings into each language; new entries wait for review
	$(PYBABEL) update -i translations/messages.pot -d translations --no-fuzzy-matching \
		--ignore-obsolete --width=100
	$(PY) -m feedback.i18n_catalogues mark-review translations

i18n-compile: $(COMPILED) ## Build the .mo files the app reads

install-dev: install $(DEV_STAMP) ## Test dependencies and Debian's chromium (when root)

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
		else \
			echo "chromium is missing and this is not root: browser tests will be skipped"; \
		fi; \
	fi
	@touch $@

test: install-dev ## The whole suite, on SQLite and (when reachable) PostgreSQL
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install-dev
	$(PY) -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

test-quick: install-dev ## A developer's loop: SQLite only, no browser, no slow tests
	$(PY) -m pytest -m "not browser and not slow" -k "not postgresql" $(PYTEST_ARGS)

safeguarding-model: install ## Retrain the safeguarding screen's model on its corpus, then measure it
	$(FLASK) safeguarding train
	$(FLASK) safeguarding evaluate

security: install-dev
	$(VENV)/bin/bandit -q -c pyproject.toml -r feedback analysis

bench: install-dev ## Benchmarks (figures go to docs/performance.md and docs/analysis.md)
	$(PY) benchmarks/run_all.py

worker: install ## An RQ worker for background analysis and imports (needs REDIS_URL)
	$(VENV)/bin/rq worker --url "$${REDIS_URL:?set REDIS_URL}" analysis imports

clean:
	rm -rf $(VENV) node_modules static/dist .pytest_cache
