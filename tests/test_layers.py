"""The stages import one way: the import-linter contracts in pyproject.toml hold, and they can fail.

The contracts (`[tool.importlinter]`) say which sub-package may import which
(README, "Code layout"). Running them here puts them in the test command, so a
wrong-way import fails CI; the second test breaks a copy of the tree on purpose
to show the check is live, and the third that no stage is left outside the
layers, where nothing would check it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import importlinter  # noqa: F401 - the checker itself (test extras); run below in a clean interpreter

from tests.conftest import ROOT

PACKAGES = ("pipeline", "extractors", "schemas")
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint(root: Path) -> subprocess.CompletedProcess:
    """lint-imports over the packages in `root` (not whichever copy is installed)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--no-logo"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_contracts_are_kept():
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def copy_tree(dest: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "data", "static",
                                                                                 "templates"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_a_wrong_way_import_breaks_a_contract(tmp_path):
    """OCR reading extractor code, and the Thai leaf importing a stage: each breaks its contract."""
    root = copy_tree(tmp_path)
    with open(root / "pipeline" / "ocr" / "digits.py", "a", encoding="utf-8") as fh:
        fh.write("\nfrom extractors.thaidate import find_dates  # noqa: E402,F401 - wrong way on purpose\n")
    with open(root / "pipeline" / "thai" / "chars.py", "a", encoding="utf-8") as fh:
        fh.write("\nfrom pipeline.model import Page  # noqa: E402,F401 - wrong way on purpose\n")
    run = lint(root)
    assert run.returncode != 0
    assert "pipeline.ocr is not allowed to import extractors" in run.stdout, run.stdout
    assert "pipeline.thai.chars -> pipeline.model" in run.stdout, run.stdout


def test_every_stage_is_in_a_layer():
    """A new sub-package or module of pipeline/ must be placed in the layers, or nothing checks it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["id"] == "stages")["layers"]
    placed = {part.strip() for layer in layers for part in layer.replace(":", "|").split("|")}
    found = {f"pipeline.{p.stem if p.is_file() else p.name}" for p in (ROOT / "pipeline").iterdir()
             if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    assert found - placed == set()
    assert placed - found - {"extractors", "schemas"} == set()


def readme_tree() -> set[str]:
    """The files and folders the README's "Code layout" tree names, as paths."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### Code layout", 1)[1].split("```", 2)[1]
    paths, stack = set(), []
    for line in block.strip("\n").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        stack[depth:] = [name.rstrip("/")]
        paths.add("/".join(stack))
    return paths


def test_readme_tree_names_every_module():
    modules = {str(p.relative_to(ROOT)) for name in PACKAGES for p in (ROOT / name).rglob("*.py")
               if p.name != "__init__.py"}
    tree = readme_tree()
    assert modules - tree == set()
    assert {p for p in tree if p.endswith(".py") and not (ROOT / p).exists()} == set()
