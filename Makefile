# Pingcha — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libcsv-dev libxlsxwriter-dev libfreexl-dev zlib1g-dev
NOTEBOOK_APT_PACKAGES := fonts-noto-cjk
SAMPLE := Datasets/sample

.PHONY: all deps pydeps notebook-deps bench-deps build release demo test swift-test crosscheck notebooks bench bench-kernels fuzz fuzz-build fuzz-smoke clean

all: build

# C libraries from Debian, installed only when missing.
deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# Python tools the tests compare against (DuckDB, openpyxl), installed only when missing.
pydeps:
	@$(PYTHON) -c "import duckdb, pytest, openpyxl, pyarrow, polars, python_calamine, xlwt" 2>/dev/null || $(PYTHON) -m pip install -q -r Tests/requirements.txt

# The notebooks' Python packages and a CJK font for their Chinese labels, only when missing.
notebook-deps:
	@dpkg -s $(NOTEBOOK_APT_PACKAGES) >/dev/null 2>&1 || { echo "Installing $(NOTEBOOK_APT_PACKAGES)"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(NOTEBOOK_APT_PACKAGES); }
	@$(PYTHON) -c "import matplotlib, nbclient, nbformat, ipykernel" 2>/dev/null || $(PYTHON) -m pip install -q -r Notebooks/requirements.txt

build: deps
	$(SWIFT) build

# The release binary carries the Swift runtime and Foundation inside it (one file to hand to an
# analyst; it starts in about 6 ms instead of 10, the dynamic loader having far less to bind).
RELEASE_FLAGS := -c release --static-swift-stdlib
release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

demo: release
	.build/release/pingcha cases pass-rate $(SAMPLE)/cases.csv --by 执法单位

swift-test: build
	PINGCHA_BIN=$$($(SWIFT) build --show-bin-path)/pingcha $(SWIFT) test

crosscheck: build pydeps
	PINGCHA_BIN=$$($(SWIFT) build --show-bin-path)/pingcha $(PYTHON) -m pytest -q Tests/crosscheck

# Executes every notebook headless on Datasets/sample; fails on any error, on a notebook that
# draws no figure, and on a missing Chinese glyph. Executed copies and PNGs: .build/notebooks/.
notebooks: build pydeps notebook-deps
	$(PYTHON) -m pytest -q -p no:cacheprovider Notebooks/test_fonts.py
	PINGCHA_BIN=$$($(SWIFT) build --show-bin-path)/pingcha $(PYTHON) Notebooks/run_notebooks.py

test: swift-test crosscheck notebooks fuzz-smoke

# Side-by-side with Polars and DuckDB on generated exports (not part of `make test`).
# BENCH_ROWS=1000000,10000000,100000000 BENCH_ROUNDS=5 make bench
BENCH_ROWS ?= 10000000
BENCH_ROUNDS ?= 3
bench-deps:
	@$(PYTHON) -c "import duckdb, polars, openpyxl, python_calamine" 2>/dev/null || $(PYTHON) -m pip install -q -r Benchmarks/compare/requirements.txt

bench: release bench-deps
	$(PYTHON) Benchmarks/compare/compare.py --rows $(BENCH_ROWS) --rounds $(BENCH_ROUNDS)
	for rows in $$(echo $(BENCH_ROWS) | tr , ' '); do \
		(cd Benchmarks/compare && $(PYTHON) in_process.py --rows $$rows --rounds $(BENCH_ROUNDS)) || exit 1; done
	cd Benchmarks/compare && $(PYTHON) queries.py --rows 10000000 --rounds $(BENCH_ROUNDS)
	cd Benchmarks/compare && $(PYTHON) xlsx_read.py --rows 1000000
	$(MAKE) bench-kernels

# package-benchmark targets (Benchmarks/Kernels, a package of its own): kernels beside plain C
# loops on the same buffers, and ingest of a 1M-row export on 1 and 2 threads.
BENCH_DIR ?= /tmp/pingcha-bench
bench-kernels: release
	mkdir -p Benchmarks/Kernels/.engine && ln -sfn ../../.. Benchmarks/Kernels/.engine/pingcha
	test -f $(BENCH_DIR)/cases-1000000/cases.csv || .build/release/pingcha generate --cases 1000000 --seed 7 --out $(BENCH_DIR)/cases-1000000
	cd Benchmarks/Kernels && PINGCHA_BENCH_CSV=$(BENCH_DIR)/cases-1000000/cases.csv \
		$(SWIFT) package --allow-writing-to-package-directory benchmark --format markdown

# libFuzzer targets (Fuzz/, a package of its own built with -sanitize=fuzzer,address and linked
# by lld, since gold fails on the sanitizers' objects): the ingest (libcsv alone against the
# vectorised tokenizer, serially and in chunks, on random bytes: the loads must agree), the query
# language (random and mutated statements from the cross-check) and the XLSX worksheet scanner
# (whole and in chunks: the rows must agree). Each runs a fixed number of executions
# (FUZZ_INGEST_RUNS, FUZZ_QUERY_RUNS, FUZZ_SHEET_RUNS); a
# crash, a hang (over 10 s on one input), a memory error or a difference fails. Findings are
# written to .build/fuzz-findings. Leak checks are off: Swift keeps enum tags in the spare bits of
# pointers (a text column's dictionary inside ColumnStorage), which LeakSanitizer does not take
# for pointers, so it reports live dictionaries as leaked.
FUZZ_INGEST_RUNS ?= 20000
FUZZ_QUERY_RUNS ?= 100000
FUZZ_SHEET_RUNS ?= 50000
FUZZ_CORPUS := .build/fuzz-corpus
fuzz-build: deps
	mkdir -p Fuzz/.engine && ln -sfn ../.. Fuzz/.engine/pingcha
	# The package sees the engine through a symlink; after source files are added to the engine,
	# SwiftPM's builds there can go on compiling the old file list (seen three times: "cannot find
	# WorkbookLoader in scope"). So a failed build is tried again from clean.
	cd Fuzz && { $(SWIFT) build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
		|| { $(SWIFT) package clean && $(SWIFT) build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld; }; }

# A short run of both fuzzers for `make test` (about a minute with the build): the seed corpus
# and a few thousand mutations of it.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_INGEST_RUNS=2000 FUZZ_QUERY_RUNS=5000 FUZZ_SHEET_RUNS=5000

fuzz: fuzz-build
	$(PYTHON) Fuzz/seed_corpus.py $(FUZZ_CORPUS)
	mkdir -p .build/fuzz-findings
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 Fuzz/.build/debug/FuzzIngest -runs=$(FUZZ_INGEST_RUNS) -max_len=4096 -timeout=10 -detect_leaks=0 -print_final_stats=1 \
		-artifact_prefix=.build/fuzz-findings/ingest- $(FUZZ_CORPUS)/ingest
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 Fuzz/.build/debug/FuzzQuery -runs=$(FUZZ_QUERY_RUNS) -max_len=2048 -timeout=10 -detect_leaks=0 -print_final_stats=1 \
		-artifact_prefix=.build/fuzz-findings/query- $(FUZZ_CORPUS)/query
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 Fuzz/.build/debug/FuzzSheet -runs=$(FUZZ_SHEET_RUNS) -max_len=4096 -timeout=10 -detect_leaks=0 -print_final_stats=1 \
		-artifact_prefix=.build/fuzz-findings/sheet- $(FUZZ_CORPUS)/sheet

clean:
	rm -rf .build
