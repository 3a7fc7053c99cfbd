"""Write stage: results to the Parquet dataset, part file by part file.

Each table is a folder of `part-*.parquet` files. A part is written under a
temporary name and renamed into place, so a reader (or a crash) never sees
half a file. Rows are flushed every `flush_letters` letters, so memory does
not grow with the corpus. `manifest.json` is the commit record: a part file
the manifest does not list is left over from a crash and is removed by the
next run (`pipeline.run.ingest`).
"""
from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.model import SourceResult
from schemas.tables import SCHEMA_VERSION, TABLES, to_table

RECORD_TABLES = ["letters", "recipients", "citations", "enclosures", "deadlines", "mentions",
                 "contacts", "spans", "errors", "receipts"]


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


def arrow_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """`schemas.tables.to_table`, 30x faster: Arrow converts the row dicts in C.

    Same columns and types (a key the schema lacks is dropped, a missing one is
    null); on a value Arrow will not convert alone, the contract's own path.
    """
    try:
        return pa.Table.from_pylist(rows, schema=TABLES[name])
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return to_table(name, rows)


def rows_of(result: SourceResult) -> dict[str, list[dict[str, Any]]]:
    """A source's result as rows per table."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in RECORD_TABLES}
    for record in result.letters:
        letter = dict(record.letter)
        if result.warnings:
            letter["warnings"] = list(letter.get("warnings") or []) + result.warnings
        rows["letters"].append(letter)
        for name in ("recipients", "citations", "enclosures", "deadlines", "mentions", "contacts", "receipts"):
            rows[name].extend(getattr(record, name))
        rows["spans"].extend(
            {"letter_id": letter["letter_id"], "label": s.label, "start": s.start, "end": s.end,
             "value": None if s.value is None else str(s.value),
             "source_start": s.source_start, "source_end": s.source_end}
            for s in record.spans
        )
    rows["errors"].extend(vars(e) for e in result.errors)
    return rows


PART_NAME = re.compile(r"^part-(\d{8}T\d{6}-[0-9a-f]{6}-\d{5})\.parquet$")


def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


class DatasetWriter:
    """Streams rows into a *group* of part files (one per table); `flush` commits the group.

    A group is the unit of commit: `OUT/<table>/part-<group>.parquet` for each
    table that has rows. The manifest lists committed groups and which group
    holds each source's rows, so a crashed run's uncommitted parts can be told
    apart and removed, and a changed source's old rows found and replaced.

    Rows go to the open group's temporary files as a Parquet row group every
    `row_group_letters` letters, so memory holds that many letters, not a whole
    group: groups can stay large (few files for readers) and memory flat.
    """

    def __init__(self, out: Path, run_id: str | None = None, flush_letters: int = 2000,
                 row_group_letters: int = 250):
        self.out = Path(out)
        self.run_id = run_id or new_run_id()
        self.flush_letters = flush_letters
        self.row_group_letters = max(1, min(row_group_letters, flush_letters))
        self.buffer: dict[str, list[dict]] = {name: [] for name in RECORD_TABLES}
        self.parts = 0
        self.written: dict[str, list[str]] = {name: [] for name in RECORD_TABLES}
        self.buffered_letters = 0  # in the open group
        self.unwritten_letters = 0  # in memory, not yet in a row group
        self.open: dict[str, tuple[pq.ParquetWriter, Path]] = {}
        self.buffered_sources: list[str] = []

    def add(self, result: SourceResult) -> None:
        """Add a source's rows to the open group; the caller decides when to `flush` (see `due`)."""
        for name, rows in rows_of(result).items():
            self.buffer[name].extend(rows)
        weight = len(result.letters) + len(result.errors)
        self.buffered_letters += weight
        self.unwritten_letters += weight
        self.buffered_sources.append(result.source_path)
        if self.unwritten_letters >= self.row_group_letters:
            self._write_row_groups()

    def due(self) -> bool:
        return self.buffered_letters >= self.flush_letters

    def next_group(self) -> str:
        """A group id no other part of this run uses (also used for rewritten groups)."""
        group = f"{self.run_id}-{self.parts:05d}"
        self.parts += 1
        return group

    def _write_row_groups(self) -> None:
        for name, rows in self.buffer.items():
            if not rows:
                continue
            if name not in self.open:
                folder = self.out / name
                folder.mkdir(parents=True, exist_ok=True)
                tmp = folder / f".part-{uuid.uuid4().hex}.parquet.tmp"
                self.open[name] = (pq.ParquetWriter(tmp, TABLES[name], compression="zstd"), tmp)
            self.open[name][0].write_table(arrow_table(name, rows))
        self.buffer = {name: [] for name in RECORD_TABLES}
        self.unwritten_letters = 0

    def flush(self) -> tuple[str | None, list[str]]:
        """Close the open group's files and move them into place; returns (group id or None, tables)."""
        self._write_row_groups()
        tables = [name for name in RECORD_TABLES if name in self.open]
        group = self.next_group() if tables else None
        for name in tables:
            writer, tmp = self.open.pop(name)
            writer.close()
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            path = part_path(self.out, name, group)
            os.replace(tmp, path)
            self.written[name].append(path.name)
        self.buffered_letters = 0
        self.buffered_sources = []
        return group, tables

    def abandon(self) -> None:
        """Drop the open group's temporary files (the run stops without committing them)."""
        for writer, tmp in self.open.values():
            try:
                writer.close()
            finally:
                tmp.unlink(missing_ok=True)
        self.open.clear()
        self.buffer = {name: [] for name in RECORD_TABLES}


def part_path(out: Path, table: str, group: str) -> Path:
    return Path(out) / table / f"part-{group}.parquet"


def rewrite_group_without(out: Path, group: str, tables: list[str], source_paths: set[str],
                          new_group: str) -> list[str]:
    """Copy a group's part files without the rows of `source_paths`; returns the tables written.

    Rows are told by `source_path` (letters, errors) or by the `letter_id`s of
    those sources' letters (every other per-letter table). A group is at most
    one flush, so this holds one flush's rows in memory, never the dataset.
    """
    import pyarrow.compute as pc

    ids: set[str] = set()
    if "letters" in tables:
        letters = pq.read_table(part_path(out, "letters", group), columns=["letter_id", "source_path"])
        mask = pc.is_in(letters["source_path"], value_set=pa.array(sorted(source_paths), pa.string()))
        ids = set(letters.filter(mask)["letter_id"].to_pylist())
        # the same bytes under two names share letter ids: keep the other copy's rows
        ids -= set(letters.filter(pc.invert(mask))["letter_id"].to_pylist())
    written = []
    for name in tables:
        table = pq.read_table(part_path(out, name, group))
        keep = None
        if "source_path" in table.column_names:
            keep = pc.invert(pc.is_in(table["source_path"], value_set=pa.array(sorted(source_paths), pa.string())))
        if ids and "letter_id" in table.column_names:
            by_id = pc.invert(pc.is_in(table["letter_id"], value_set=pa.array(sorted(ids), pa.string())))
            keep = by_id if keep is None else pc.and_(keep, by_id)
        if keep is not None:
            table = table.filter(pc.fill_null(keep, True))
        if table.num_rows:
            write_table_file(table, part_path(out, name, new_group))
            written.append(name)
    return written


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
    """Replace the manifest atomically: it is the commit record of the dataset."""
    manifest = {"schema_version": SCHEMA_VERSION, **manifest}
    path = Path(out) / "manifest.json"
    tmp = path.with_name(f".manifest.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            # one string, then one write: json.dump to a file writes each token (450,000 writes
            # for 3,500 sources), and the manifest is rewritten at every commit of a run
            handle.write(json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def read_manifest(out: Path) -> dict[str, Any] | None:
    path = Path(out) / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
