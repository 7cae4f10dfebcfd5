# Two commands do all set-up on a fresh machine:
#   make run    installs what is missing (system packages, .venv) and opens the window
#   make test   installs what is missing and runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.app-installed
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test system-deps system-deps-test venv bench screenshots clean package package-check system-deps-package

run: system-deps $(APP_STAMP)
	$(BIN)/mockinterviewer

test: system-deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@PYTHON=$(PYTHON) sh packaging/linux/system-deps.sh run

system-deps-test:
	@PYTHON=$(PYTHON) sh packaging/linux/system-deps.sh test

venv: $(STAMP)

# The app alone for `make run`; the test tools (and the small language model the tests serve) on top
# for `make test`, so that running the app never downloads what only the tests use.
$(APP_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $(APP_STAMP)

$(STAMP): $(APP_STAMP) tests/requirements-llm.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r tests/requirements-llm.txt
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist .pytest_cache

# Benchmarks print medians and ratios against a baseline measured in the same run (see bench/).
bench: $(STAMP)
	@PYTHON=$(PYTHON) sh packaging/linux/system-deps.sh bench
	$(BIN)/python bench/bench_bank_load.py
	$(BIN)/python bench/bench_scoring.py
	@mkdir -p bench/results
	$(BIN)/python bench/eval_scoring.py --typed-only --markdown bench/results/eval-typed.md
	$(BIN)/python bench/eval_scoring.py --voices set --prompt --markdown bench/results/eval-set.md
	$(BIN)/python bench/eval_scoring.py --voices held-out --no-noise --prompt \
		--save-transcripts bench/results/heard-held-out.json --markdown bench/results/eval-held-out.md
	$(BIN)/python bench/bench_wer.py --voices held-out --markdown bench/results/wer.md

screenshots: system-deps $(STAMP)
	@command -v xvfb-run >/dev/null || { echo "needs xvfb: sudo apt-get install xvfb xauth"; exit 1; }
	for size in 1024x640 1440x900; do \
		xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python tests/screenshots.py $$size || exit 1; \
	done

# The one-folder app (PyInstaller, packaging/mockinterviewer.spec) in its own venv, and the Linux
# tarball; package-check runs that tarball as a machine that never had the project would
# (packaging/check_bundle.sh). See packaging/README.md.
PKG_VENV ?= .venv-package
PKG_STAMP := $(PKG_VENV)/.installed
PKG_VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' mockinterviewer/__init__.py)
TARBALL := dist/MockInterviewer-$(PKG_VERSION)-linux-$(shell uname -m).tar.gz

package: system-deps-package $(PKG_STAMP)
	rm -rf dist/MockInterviewer $(TARBALL)
	$(PKG_VENV)/bin/python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/mockinterviewer.spec
	tar -C dist -czf $(TARBALL) MockInterviewer
	@du -sh dist/MockInterviewer $(TARBALL)

package-check: system-deps-package
	sh packaging/check_bundle.sh $(TARBALL) $(PKG_VERSION)

system-deps-package:
	@PYTHON=$(PYTHON) sh packaging/linux/system-deps.sh package

$(PKG_STAMP): pyproject.toml
	$(PYTHON) -m venv $(PKG_VENV)
	$(PKG_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e ".[package]"
	@touch $(PKG_STAMP)
