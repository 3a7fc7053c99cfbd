"""Each declared dependency is used where it is declared for, and the README says what it is for.

A runtime dependency nothing imports (dateparser was one) costs every install
its download and its own dependencies; one that only tests use (psutil was
one) belongs in the test extras; and a reader of the design card should find
every package in the README's "Dependencies and why". The declarations are
read from pyproject.toml and the imports from the code itself, so this test
follows both without a list of its own, except the few packages used without
an `import` of their own name.
"""
from __future__ import annotations

import ast
import re
import tomllib
from functools import cache
from importlib.metadata import packages_distributions

import pytest

from tests.conftest import ROOT

RUNTIME_CODE = ("pipeline", "extractors", "schemas")
TEST_CODE = ("tests", "benchmarks", "fuzz", "tools")
# packages that do their work without being imported by name, and how
USED_WITHOUT_IMPORT = {
    "dask": "its `dask scheduler` / `dask worker` commands start the cluster; the runner imports distributed",
    "fontpkg-sarabun": "registered with matplotlib by family name (fontpkg.mpl.use) in circulars report",
    "fontpkg-noto-sans-thai": "registered with matplotlib by family name (fontpkg.mpl.use) in circulars report",
    "uharfbuzz": "fpdf2 imports it for set_text_shaping (tests/tools/render.py, tests/hostile_inputs.py)",
    "polars": "the README's analysts example imports it; tests/test_api.py runs that example",
}
DESIGN_CARD = ("pythainlp", "pdfplumber", "pytesseract", "spacy", "pandas", "dateparser")

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = PYPROJECT["dependencies"]
EXTRAS = PYPROJECT["optional-dependencies"]


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503): `Pillow`, `pillow` and `PIL-low` alike."""
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution(requirement: str) -> str:
    """`dask[distributed]>=2024.1` -> `dask`."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return canonical(match.group(1))


@cache
def _providers() -> dict[str, list[str]]:
    return packages_distributions()


def modules_of(name: str) -> set[str]:
    """The top-level modules an installed distribution provides (`pillow` -> {"PIL"})."""
    provided = {module for module, dists in _providers().items()
                if name in {canonical(d) for d in dists}}
    assert provided, f"{name} is declared but not installed: pip install -e '.[test]'"
    return provided


@cache
def imported_by(folders: tuple[str, ...]) -> set[str]:
    """Top-level names of every module imported anywhere in these folders, at any depth of the code."""
    names: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("requirement", RUNTIME)
def test_each_runtime_dependency_is_imported_by_the_pipeline(requirement: str):
    name = distribution(requirement)
    if name in USED_WITHOUT_IMPORT:
        return
    assert modules_of(name) & imported_by(RUNTIME_CODE), (
        f"{name}: nothing in {', '.join(RUNTIME_CODE)} imports it; remove it, or move it to the "
        "test extras if only tests and benchmarks use it")


@pytest.mark.parametrize("requirement", EXTRAS["test"])
def test_each_test_dependency_is_used_by_tests_and_not_by_the_pipeline(requirement: str):
    """A test extra the pipeline imported would break a runtime-only install (`pip install -e .`)."""
    name = distribution(requirement)
    if name in USED_WITHOUT_IMPORT:
        return
    modules = modules_of(name)
    assert modules & imported_by(TEST_CODE), f"{name}: no test, benchmark, fuzzer or tool imports it"
    assert not modules & imported_by(RUNTIME_CODE), f"{name}: the pipeline imports it: make it a runtime dependency"


def test_the_readme_says_what_each_dependency_is_for():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Dependencies and why")
    section = text[start:text.index("\n## ", start + 1)]
    listed = {canonical(name) for item in re.findall(r"^- ((?:`[^`]+`(?:, )?)+):", section, re.M)
              for name in re.findall(r"`([^`\[]+)(?:\[[^`]*\])?`", item)}
    declared = {distribution(r) for r in RUNTIME + [r for extra in EXTRAS.values() for r in extra]}
    assert declared - listed == set(), "declared in pyproject.toml but not in the README's dependency list"
    assert set(DESIGN_CARD) - listed == set(), "named by the design card but not explained in the README"
