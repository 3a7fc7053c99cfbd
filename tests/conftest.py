"""Shared fixtures: the real seed letters, and datasets ingested from them once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "gold"
FORMS = DATA / "forms"

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def seed(stem_prefix: str) -> Path:
    return next(SAMPLES.glob(f"{stem_prefix}_*.txt"))


@pytest.fixture(scope="session")
def seeds_dataset(tmp_path_factory) -> Path:
    """The five seed files ingested with the real command."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("seeds-out")
    assert main(["ingest", str(SAMPLES), "--out", str(out), "--quiet"]) == 0
    return out
