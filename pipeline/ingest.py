"""A run of `circulars ingest`: discover sources, process each, write the dataset, link the graph.

The per-file work is `pipeline.process.process_source`; this module only
orders it, writes what comes back as it comes, and records the run in the
manifest.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pipeline.model import SourceError, SourceResult
from pipeline.process import process_source
from pipeline.sources import SourceFile, discover
from pipeline.write import RECORD_TABLES, DatasetWriter, ensure_tables, read_manifest, write_manifest
from schemas.tables import SCHEMA_VERSION


class OutputError(Exception):
    """The output folder cannot be used (not writable, written by another schema version)."""


@dataclass
class RunSummary:
    files: int = 0
    read: int = 0
    failed: int = 0
    skipped: int = 0
    letters: int = 0
    deadlines: int = 0
    pages: int = 0
    ignored: int = 0
    seconds: float = 0.0
    errors: list[SourceError] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.files} files: {self.read} read, {self.skipped} skipped, {self.failed} failed; "
                f"{self.letters} letters, {self.deadlines} deadlines, {self.pages} pages "
                f"in {self.seconds:.1f} s")


def check_output(out: Path) -> None:
    manifest = read_manifest(out)
    if manifest is not None and manifest.get("schema_version") != SCHEMA_VERSION:
        raise OutputError(
            f"{out} was written with schema_version {manifest.get('schema_version')}, this is "
            f"{SCHEMA_VERSION}: write to a new folder (or remove it) instead of mixing the two")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-probe"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None


def run_ingest(inputs: list[str], out: Path, *, results: Callable[[list[SourceFile]], Iterable[SourceResult]] | None = None,
               progress: Callable[[SourceResult], None] | None = None, options: dict | None = None) -> RunSummary:
    """Ingest `inputs` into `out`; `results` maps sources to results (default: in this process)."""
    started = time.monotonic()
    out = Path(out)
    check_output(out)
    found = discover(inputs)
    summary = RunSummary(files=len(found.files) + len(found.problems), ignored=len(found.ignored))
    writer = DatasetWriter(out)
    sources: dict[str, dict] = {}
    for path, error_type, message in found.problems:
        bad = SourceResult(path, "", 0, errors=[SourceError(path, "discover", error_type, message)])
        writer.add(bad)
        summary.failed += 1
        summary.errors.extend(bad.errors)
        sources[path] = {"sha256": None, "outcome": "failed", "errors": [error_type]}
    run = results or (lambda files: (process_source(f.path, f.source_path) for f in files))
    for result in run(found.files):
        writer.add(result)
        summary.pages += result.pages
        summary.letters += len(result.letters)
        summary.deadlines += sum(len(r.deadlines) for r in result.letters)
        if result.errors and not result.letters:
            summary.failed += 1
        else:
            summary.read += 1
        summary.errors.extend(result.errors)
        sources[result.source_path] = {
            "sha256": result.source_sha256, "size": result.size,
            "outcome": "failed" if result.errors and not result.letters else ("partial" if result.errors else "read"),
            "letters": len(result.letters), "pages": result.pages,
            "errors": [e.error_type for e in result.errors], "warnings": result.warnings,
        }
        if progress:
            progress(result)
    writer.flush()
    _drop_older_parts(out, writer.run_id)
    _link(out)
    ensure_tables(out)
    summary.seconds = time.monotonic() - started
    write_manifest(out, {
        "run_id": writer.run_id, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "options": {"inputs": [str(i) for i in inputs], **(options or {})},
        "summary": {k: v for k, v in vars(summary).items() if k != "errors"},
        "ignored": found.ignored, "sources": sources,
    })
    return summary


def _drop_older_parts(out: Path, run_id: str) -> None:
    """A full run replaces the dataset: parts of earlier runs go once this run's are in place."""
    for name in RECORD_TABLES:
        for part in (out / name).glob("part-*.parquet"):
            if run_id not in part.name:
                part.unlink()


def _link(out: Path) -> None:
    """Rebuild the directive graph over the whole dataset (when the graph stage is present)."""
    try:
        from pipeline.graph import link_dataset
    except ImportError:
        link_dataset = None
    if link_dataset is not None:
        link_dataset(out)
    from pipeline.deadlines import link_deadlines  # after the graph: rule rows apart, deadline chains
    link_deadlines(out)
