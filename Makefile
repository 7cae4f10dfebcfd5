# Two commands do all set-up on a fresh machine:
#   make run    installs what is missing (system packages, .venv) and opens the window
#   make test   installs what is missing and runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test system-deps system-deps-test venv screenshots clean

run: system-deps $(STAMP)
	$(BIN)/mockinterviewer

test: system-deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@PYTHON=$(PYTHON) sh packaging/linux/system-deps.sh run

system-deps-test:
	@PYTHON=$(PYTHON) sh packaging/linux/system-deps.sh test

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist .pytest_cache

screenshots: system-deps $(STAMP)
	@command -v xvfb-run >/dev/null || { echo "needs xvfb: sudo apt-get install xvfb xauth"; exit 1; }
	xvfb-run -a -s "-screen 0 1280x900x24" $(BIN)/python tests/screenshots.py
