# Kaikukeskus portal. `make run` serves the embedded default; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000

.PHONY: install run test lint typecheck format messages bench bench-faults check-deploy clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: the dependencies' .pyc files are written here, once, as the environment (like the image) sets
# PYTHONDONTWRITEBYTECODE and no process would write them: without them every process compiles WeasyPrint, fontTools,
# Django… from source when it imports them (WeasyPrint alone: 1 s instead of 0.3 s, before a first PDF).
install: $(BIN)/uv ## create .venv and install the locked dependencies (safe to run again)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --quiet --compile-bytecode

# The links in e-mails (printed on the console) and anything else built from SITE_URL point where this server
# answers: `make run PORT=8123` serves and links http://127.0.0.1:8123 unless SITE_URL is given.
run: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
run: install ## migrate, load demo data and serve http://127.0.0.1:$(PORT) on the embedded default
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install ## the whole suite (PostgreSQL when DATABASE_URL is set, else SQLite)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory typecheck
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The services, selectors, tasks and core mechanisms (pyproject's [tool.mypy] files) with django-stubs.
typecheck: install ## mypy over the modules listed in pyproject.toml
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

APPS := localities networks stats materials trainings communications support cooperation
# Each app keeps its own catalogue in <app>/locale; kaikukeskus/ and templates/ use locale/. django-admin
# without settings writes to the catalogue of the folder it runs in (README: translations).
messages: install ## update the translation catalogues and compile them (needs GNU gettext)
	for app in $(APPS); do mkdir -p $$app/locale && (cd $$app && ../$(BIN)/django-admin makemessages -l fi -l sv -l en --no-obsolete) || exit 1; done
	$(BIN)/django-admin makemessages -l fi -l sv -l en --no-obsolete --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' $(foreach app,$(APPS),--ignore='$(app)/*')
	$(BIN)/django-admin compilemessages --ignore='.venv/*'

bench: install ## benchmarks; results in docs/benchmarks.md
	$(BIN)/python -m bench

bench-faults: install ## load and fault run (PostgreSQL DATABASE_URL, redis-server); results in docs/benchmarks.md
	$(BIN)/python -m bench faults

check-deploy: install ## the production configuration's deploy check
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=kaikukortti.example $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
