# One command each for a fresh Debian machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
APT_PACKAGES := tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng tesseract-ocr-osd libtesseract-dev libleptonica-dev pkg-config \
	poppler-utils graphviz fonts-thai-tlwg fonts-tlwg-laksaman chromium

.PHONY: install system venv run test bench

install: system venv

system:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -q '^tha$$' \
	    || ! tesseract --list-langs 2>/dev/null | grep -q '^osd$$' \
	    || ! pkg-config --exists tesseract lept 2>/dev/null \
	    || ! command -v dot >/dev/null || ! command -v chromium >/dev/null \
	    || ! fc-list | grep -qi laksaman; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi

venv:
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@# tesserocr built against Debian's libtesseract, the engine of the `tesseract` command and its
	@# tha data. PyPI's wheel bundles tesseract 5.5.4 and no tessdata path: given Debian's data,
	@# it read 0 of 8 rendered scan pages as the command does (98-99.5 % alike).
	@$(PY) -m pip install -q --no-binary tesserocr -e '.[test]'

run: install
	$(VENV)/bin/circulars ingest samples/ --out out/

test: install
	$(VENV)/bin/python -m pytest -q

bench: install
	$(VENV)/bin/python -m benchmarks
