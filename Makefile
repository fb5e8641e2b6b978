# konvergensi: the two commands a newcomer needs are `make reports` and `make test`.
# Everything else is set up on demand from this repository's own files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
TAHUN  ?= 2024

.PHONY: setup system test lint reports bench demo clean help

help:
	@echo "make reports  - siapkan lingkungan, buat data demo, render semua laporan demo"
	@echo "make test     - siapkan lingkungan dan jalankan seluruh pengujian"
	@echo "make bench    - jalankan benchmark (benchmarks/)"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,lab]'
	touch $(STAMP)

setup: $(STAMP)

# Chromium, pdftoppm and LibreOffice for the tests (installed with apt-get when missing).
system:
	@scripts/paket-sistem.sh

test: setup system
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

demo: setup
	$(BIN)/konvergensi demo --jika-belum-ada

reports: setup
	$(BIN)/konvergensi demo --jika-belum-ada
	$(BIN)/konvergensi render-all --tahun $(TAHUN) --jobs $(JOBS)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf reports/* data/processed data/demo .pytest_cache
