# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test bench bench-topk bench-stats bench-interactions bench-bookmarks bench-pdf bench-attribution archive clean

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

# Benchmarks on a synthetic archive of a million passages (~1 GB, made once, git-ignored).
BENCH_DB := bench/synth-1m.db

$(BENCH_DB): | venv
	$(BIN)/python -m viewer synth --passages 1000000 --out $@

bench: venv $(BENCH_DB)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py --archive $(BENCH_DB)

# The same on a copy whose top-k lists are built again (measures their build, and the lists alone).
bench-topk: venv $(BENCH_DB)
	test -f bench/synth-1m-topk.db || cp $(BENCH_DB) bench/synth-1m-topk.db
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py --archive bench/synth-1m-topk.db --topk

# The statistics: rebuilt, updated by an import and read, on copies of the archive (in the temp folder).
bench-stats: venv $(BENCH_DB)
	$(BIN)/python bench/stats_bench.py --archive $(BENCH_DB) --verify

# The longest UI block while clicking through the whole window (search, results, a speaker, statistics).
bench-interactions: venv $(BENCH_DB)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/interactions.py --archive $(BENCH_DB) --runs 4

# A store of a million bookmarks listed, exported, imported and opened by the app (bench/bookmarks_bench.py).
bench-bookmarks: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bookmarks_bench.py --archive archive.db --bookmarks 1000000

# PDF import of a 100-page report (made with Qt), next to PDFium's bare text extraction of it.
bench-pdf: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/pdf_import.py --pages 100 --runs 5

# Who said what on real text: the importer scored on PolNeAR's train and dev splits (never its test split).
# Fetch github.com/networkdynamics/PolNeAR into a folder outside the repository and give it as POLNEAR.
POLNEAR ?= ../PolNeAR
bench-attribution: venv
	$(BIN)/python bench/attribution.py --corpus $(POLNEAR) --split dev
	$(BIN)/python bench/attribution.py --corpus $(POLNEAR) --split train

archive: venv
	$(BIN)/archive-viewer build --out archive.db

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
