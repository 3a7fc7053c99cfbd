"""End to end on the real seed letters: the command, the dataset, the contract, the score."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import pandas as pd
import pyarrow.dataset as ds

from schemas.tables import SCHEMA_VERSION, TABLES
from tests.conftest import GOLD, ROOT, SAMPLES


def test_dataset_follows_the_contract(seeds_dataset: Path):
    for name, schema in TABLES.items():
        table = ds.dataset(seeds_dataset / name, format="parquet").to_table()
        assert table.schema.equals(schema, check_metadata=False), name
    manifest = json.loads((seeds_dataset / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert len(manifest["sources"]) == 5
    assert all(len(s["sha256"]) == 64 and s["outcome"] == "read" for s in manifest["sources"].values())


def test_opens_in_pandas_and_duckdb(seeds_dataset: Path):
    letters = pd.read_parquet(seeds_dataset / "letters")
    assert len(letters) == 7
    assert set(letters["text_source"]) == {"text"}
    assert letters["page_start"].isna().all()
    rows = duckdb.sql(
        f"SELECT ref, date FROM '{seeds_dataset}/letters/*.parquet' WHERE ref = 'มท 0305.1/ว 1660'").fetchall()
    assert [(r[0], str(r[1])) for r in rows] == [("มท 0305.1/ว 1660", "2024-01-18")]
    count = duckdb.sql(f"SELECT count(*) FROM '{seeds_dataset}/deadlines/*.parquet'").fetchall()[0][0]
    assert count == 10
    deadlines = pd.read_parquet(seeds_dataset / "deadlines")
    assert str(deadlines["due_at"].dt.tz) == "Asia/Bangkok"
    due = deadlines[(deadlines["kind"] == "due") & (deadlines["time"] == "12:00")]["due_at"].iloc[0]
    assert due.isoformat() == "2024-02-28T12:00:00+07:00"


def test_raw_values_keep_what_was_printed(seeds_dataset: Path):
    letters = pd.read_parquet(seeds_dataset / "letters").set_index("ref")
    row = letters.loc["สน 0018.1/ว 1532"]
    assert row["ref_raw"] == "สน ๐๐๑๘.๑/ว ๑๕๓๒"
    assert row["date_raw"] == "๒๖ มกราคม ๒๕๖๗"
    assert row["agency_name"] == "จังหวัดสกลนคร" and row["office_code"] == "0018.1"
    assert row["ref_number"] == "1532" and bool(row["is_circular"])


def test_letter_ids_are_stable_across_runs(seeds_dataset: Path, tmp_path: Path):
    from pipeline.cli import main

    again = tmp_path / "again"
    assert main(["ingest", str(SAMPLES), "--out", str(again), "--quiet"]) == 0
    first = pd.read_parquet(seeds_dataset / "letters").sort_values("letter_id")["letter_id"].tolist()
    second = pd.read_parquet(again / "letters").sort_values("letter_id")["letter_id"].tolist()
    assert first == second and len(set(first)) == 7


def test_dev_set_score(seeds_dataset: Path):
    """The gold labels of the seeds, scored field by field as unseen letters are."""
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "score.py"), "--gold", str(GOLD),
                          "--out", str(seeds_dataset), "--json"], capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout)
    assert figures["overall"]["f1"] >= 0.95
    weak = {f: round(v["f1"], 3) for f, v in figures.items() if v["f1"] < 0.90}
    assert not weak


def test_rerun_into_the_same_folder_replaces_rows(seeds_dataset: Path, tmp_path: Path):
    from pipeline.cli import main

    out = tmp_path / "twice"
    for _ in range(2):
        assert main(["ingest", str(SAMPLES), "--out", str(out), "--quiet"]) == 0
    assert len(pd.read_parquet(out / "letters")) == 7


def test_console_command_and_summary(tmp_path: Path):
    exe = Path(sys.executable).with_name("circulars")
    result = subprocess.run([str(exe), "ingest", str(SAMPLES / "001_b09dd22fc028d3ba.txt"), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1 letters" in result.stdout


def test_a_bad_file_is_an_errors_row_and_the_run_goes_on(tmp_path: Path):
    from pipeline.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes((SAMPLES / "003_b966650b6c24f55a.txt").read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01" * 100)
    out = tmp_path / "out"
    assert main(["ingest", str(src), "--out", str(out), "--quiet"]) == 3
    errors = pd.read_parquet(out / "errors").sort_values("source_path")
    assert errors[["source_path", "error_type"]].values.tolist() == [["binary.txt", "binary_file"], ["empty.txt", "empty_file"]]
    assert len(pd.read_parquet(out / "letters")) == 1


def test_a_broken_link_step_fails_loudly(tmp_path, monkeypatch):
    """An ImportError from the project's own graph module must not skip the graph in silence
    (it did: ingest caught every ImportError); only a missing third-party package may."""
    import sys as _sys

    from pipeline.run import ingest

    monkeypatch.setitem(_sys.modules, "pipeline.link.graph", None)  # `from pipeline.link.graph import …` raises
    with pytest.raises(ImportError):
        ingest._link(tmp_path)
    assert ingest.optional_dependency_missing(ModuleNotFoundError("no networkx", name="networkx"))
    assert not ingest.optional_dependency_missing(ImportError("cannot import", name="pipeline.link.graph"))
