"""Write stage: results to the Parquet dataset, part file by part file.

Each table is a folder of `part-*.parquet` files. A part is written under a
temporary name and renamed into place, so a reader (or a crash) never sees
half a file. Rows are flushed every `flush_letters` letters, so memory does
not grow with the corpus.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.model import SourceResult
from schemas.tables import SCHEMA_VERSION, TABLES, to_table

RECORD_TABLES = ["letters", "recipients", "citations", "enclosures", "deadlines", "mentions",
                 "contacts", "spans", "errors"]


def write_table_file(table, path: Path) -> None:
    """Write atomically: temporary file in the same folder, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def rows_of(result: SourceResult) -> dict[str, list[dict[str, Any]]]:
    """A source's result as rows per table."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in RECORD_TABLES}
    for record in result.letters:
        letter = dict(record.letter)
        if result.warnings:
            letter["warnings"] = list(letter.get("warnings") or []) + result.warnings
        rows["letters"].append(letter)
        for name in ("recipients", "citations", "enclosures", "deadlines", "mentions", "contacts"):
            rows[name].extend(getattr(record, name))
        rows["spans"].extend(
            {"letter_id": letter["letter_id"], "label": s.label, "start": s.start, "end": s.end,
             "value": None if s.value is None else str(s.value)}
            for s in record.spans
        )
    rows["errors"].extend(vars(e) for e in result.errors)
    return rows


class DatasetWriter:
    """Buffers rows and writes part files; one writer per run."""

    def __init__(self, out: Path, run_id: str | None = None, flush_letters: int = 2000):
        self.out = Path(out)
        self.run_id = run_id or time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.flush_letters = flush_letters
        self.buffer: dict[str, list[dict]] = {name: [] for name in RECORD_TABLES}
        self.parts = 0
        self.written: dict[str, list[str]] = {name: [] for name in RECORD_TABLES}
        self.buffered_letters = 0

    def add(self, result: SourceResult) -> None:
        for name, rows in rows_of(result).items():
            self.buffer[name].extend(rows)
        self.buffered_letters += len(result.letters) + len(result.errors)
        if self.buffered_letters >= self.flush_letters:
            self.flush()

    def flush(self) -> list[str]:
        """Write what is buffered; returns the part files written."""
        files = []
        if not any(self.buffer.values()):
            return files
        for name, rows in self.buffer.items():
            if not rows:
                continue
            path = self.out / name / f"part-{self.run_id}-{self.parts:05d}.parquet"
            write_table_file(to_table(name, rows), path)
            self.written[name].append(path.name)
            files.append(str(path.relative_to(self.out)))
        self.parts += 1
        self.buffer = {name: [] for name in RECORD_TABLES}
        self.buffered_letters = 0
        return files


def ensure_tables(out: Path) -> None:
    """Every table folder exists with at least one (possibly empty) part, so
    `read_parquet("OUT/<table>")` works even for a table no row went into."""
    for name in TABLES:
        folder = out / name
        if not any(folder.glob("part-*.parquet")):
            write_table_file(TABLES[name].empty_table(), folder / "part-empty.parquet")
        elif (folder / "part-empty.parquet").exists() and len(list(folder.glob("part-*.parquet"))) > 1:
            (folder / "part-empty.parquet").unlink()


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    manifest = {"schema_version": SCHEMA_VERSION, **manifest}
    path = out / "manifest.json"
    tmp = path.with_name(f".manifest.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(out: Path) -> dict[str, Any] | None:
    path = Path(out) / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
