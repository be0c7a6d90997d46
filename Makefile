# The two commands of the book (see README.md):
#   make lab   set everything up and open the book in JupyterLab
#   make test  set everything up and run the whole test suite
#   make site  build the book's website into _build/site/ (make site-serve: and serve it)
# Both create .venv with the Python found as $(PYTHON) if it is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Stamps record which extra was installed; they are redone when pyproject.toml changes.
LAB_STAMP  := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test
SITE_STAMP := $(VENV)/.installed-site

.PHONY: lab test test-min test-max site site-serve lint format bench notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# quiet-lab: JupyterLab in this environment fetches no news and checks for no updates, so
# opening the book sends nothing to the internet (binder/postBuild does the same on Binder).
$(LAB_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	$(BIN)/python -m nbtext.book quiet-lab
	touch $@

# The test environment also holds the website's tools and a JupyterHub with nbgitpuller, and,
# where npm is found, configurable-http-proxy in .venv/node_modules (version 5 needs Node 20):
# the site and hub tests use them, and skip without them.
CHP_VERSION = $(shell node -p 'process.versions.node.split(".")[0] >= 20 ? 5 : 4' 2>/dev/null)
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[lab,test,site,hub]"
	$(BIN)/python -m nbtext.book quiet-lab
	if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix $(VENV) \
	    configurable-http-proxy@$(CHP_VERSION); \
	else echo "make: npm not found, so the JupyterHub test will skip"; fi
	touch $@

$(SITE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[site]"
	touch $@

# Jupyter refuses to run as root (containers, CI machines) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# `make lab OPEN=notebooks/05_gradient_descent.ipynb` opens that chapter instead of the index.
OPEN ?= notebooks/00_index.ipynb
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(OPEN)

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env

# The declared dependency ranges at both ends, each in a fresh venv (.venv-min, .venv-max):
# Python 3.10 with every dependency at its minimum, and Python 3.13 with the newest.
test-min:
	.ci/ranges min

test-max:
	.ci/ranges max

# The website: static HTML from the committed notebooks (stored outputs, nothing executed),
# Sphinx + myst-nb + sphinx-book-theme, configured in docs/conf.py; warnings are errors.
# It loads nothing from the internet, so it can be opened from disk or served anywhere.
site: $(SITE_STAMP)
	$(BIN)/python -m sphinx -b html -q -W --keep-going -c docs -d _build/doctrees . _build/site
	@echo "site: open file://$(CURDIR)/_build/site/index.html (or: make site-serve)"

site-serve: site
	@echo "site: serving on http://127.0.0.1:8000/ (Ctrl+C stops)"
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _build/site

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-run notebooks top to bottom, each in a fresh kernel, and store their outputs:
# `make notebooks` for the whole book, `make notebooks NB=notebooks/05_gradient_descent.ipynb`
# for one. Consecutive prints are stored as one output, as a reader's run shows them.
# (nbconvert's own coalescing runs before execution; this adds a pass after it.)
COALESCE := nbconvert.preprocessors.CoalesceStreamsPreprocessor
NB ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
notebooks: $(LAB_STAMP)
	for nb in $(NB); do \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --NotebookExporter.preprocessors=$(COALESCE) --ExecutePreprocessor.timeout=300 $$nb \
	    || exit 1; \
	done

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/train_speed.py
	$(BIN)/python benchmarks/train_speed.py --task moons
	$(BIN)/python benchmarks/slider_latency.py
	$(BIN)/python benchmarks/book_runtime.py

clean:
	rm -rf $(VENV) .venv-min .venv-max build _build *.egg-info .pytest_cache .ruff_cache .hypothesis
