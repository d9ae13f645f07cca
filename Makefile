# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test bench archive clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: venv
	$(BIN)/archive-viewer --archive archive.db

test: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

archive: venv
	$(BIN)/archive-viewer build --out archive.db

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
