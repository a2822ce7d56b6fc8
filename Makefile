# The two commands of the README contract, and a few helpers.
.PHONY: dev test install build bench bench-scale fuzz fmt clean browser screenshots

## Run the whole platform locally (installs what it needs; keeps local data).
dev:
	@bash scripts/dev.sh

## Every test: fmt, clippy, unit tests, deploy dry-run, integration suite, browser suite.
test:
	@bash scripts/test.sh

## Only the browser suite (Chromium), e.g. `make browser ARGS="reader axe"`.
browser: install
	@bash scripts/browser.sh $(ARGS)

## Screenshots of the main pages at desktop and phone widths, in docs/screenshots/.
screenshots: install
	@bash scripts/screenshots.sh

install:
	@bash scripts/install.sh

build: install
	@bash scripts/build-worker.sh

## Throughput of a release build under wrangler dev (wrk); writes docs/benchmarks.md.
bench:
	@bash scripts/bench.sh

## 1,000 blogs: Zipf readers, layers, cold actors, memory, D1 writes; writes docs/benchmarks-scale.md.
bench-scale:
	@bash scripts/bench-scale.sh

## The property tests of `make test` with 20000 cases each (PROPTEST_CASES=N to change).
fuzz:
	@bash scripts/fuzz.sh $(ARGS)

fmt:
	cargo fmt --all

## Forget local data (the next `make dev` seeds afresh).
clean:
	rm -rf .grove-state router/build
