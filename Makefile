# The whole set-up is `make run` (serve with demo content) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
SIZE ?= small
export CHROMIUM_PATH ?= /usr/lib/chromium/chromium

.PHONY: run test setup assets db demo lint bench clean translations screens chromium

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

# npm ci where npm is installed, else the same files from PyPI wheels (tools/fetch_assets.py).
assets: $(BIN)/activate
	$(BIN)/python tools/fetch_assets.py

translations: $(BIN)/activate
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -q -d translations; fi

setup: $(BIN)/activate assets translations

db: setup
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask search sync

run: demo
	$(BIN)/flask demo accounts
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup chromium
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The browser tests (tests/browser) drive Debian's Chromium: installed with apt where it is
# missing and we may (root, apt-get); otherwise they are skipped, saying why.
chromium:
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests (apt-get)"; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends chromium fonts-noto-cjk >/dev/null; } \
				|| echo "Could not install chromium: the browser tests will be skipped"; \
		else \
			echo "No Chromium at $(CHROMIUM_PATH), and no apt-get as root to install it: the browser tests (tests/browser) will be skipped"; \
		fi; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m bench.run --size $(SIZE)

# docs/screens/ from the demo (Playwright + Debian's Chromium; skipped with a message without them)
screens: setup
	$(BIN)/python tools/screens.py

clean:
	rm -rf $(VENV) instance .pytest_cache
