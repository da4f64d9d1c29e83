# kg: the two commands a new user runs are `make` (install everything, build the seed graph)
# and `make test`. .ci/run runs exactly these.
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
SYSTEM_PACKAGES = chromium raptor2-utils serdi

.PHONY: all install system-deps build test lint bench clean

all: install build

install: system-deps
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'

# Debian's chromium (HTML view tests) and rapper/serdi (strict Turtle parsers), when we may
# install them; otherwise those tests skip and say why.
system-deps:
	@if command -v chromium >/dev/null && command -v rapper >/dev/null && command -v serdi >/dev/null; then \
	  echo "system packages present: $(SYSTEM_PACKAGES)"; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
	  echo "note: install $(SYSTEM_PACKAGES) (apt-get, as root) to run the browser and rapper tests"; \
	fi

build:
	kg build seeds --out output

test:
	$(PYTHON) -m pytest -q

lint:
	$(PYTHON) -m ruff check kg tests benchmarks

bench:
	$(PYTHON) benchmarks/bench_build.py

clean:
	rm -rf build *.egg-info .pytest_cache
