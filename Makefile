# One command each for a fresh Debian machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
APT_PACKAGES := tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng poppler-utils graphviz \
	fonts-thai-tlwg fonts-tlwg-laksaman chromium

.PHONY: install system venv run test bench

install: system venv

system:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -q '^tha$$' \
	    || ! command -v dot >/dev/null || ! command -v chromium >/dev/null \
	    || ! fc-list | grep -qi laksaman; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi

venv:
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[test]'

run: install
	$(VENV)/bin/circulars ingest samples/ --out out/

test: install
	$(VENV)/bin/python -m pytest -q

bench: install
	$(VENV)/bin/python -m benchmarks
