"""The settings of a run: one typed, frozen object, built once at the entry point and passed down.

A mailroom feeds the pipeline hostile files (issue 7): a 50,000-page PDF, a
decompression-bomb PNG, a file that never finishes. The runner enforces what a
whole process can be held to (seconds per file by killing the worker, memory
per worker with `setrlimit`); the readers enforce what only they can see
(pages per file, pixels per page); OCR reads `ocr_workers` pages of a file at
once.

Where it is built: `circulars ingest` from its options, whose defaults are
`Settings.from_env()` (`CIRCULARS_TIMEOUT`, `CIRCULARS_MEMORY_MB`,
`CIRCULARS_MAX_PAGES`, `CIRCULARS_MAX_PIXELS`, `CIRCULARS_OCR_WORKERS`);
`circulars text` and `circulars show FILE` from the environment alone. How it
travels: `run_ingest(settings=)` -> the runner, which sends it to each worker
process over the worker's socket before the worker imports the pipeline; the
worker gives each file its copy (`ocr_workers` the cores the runner lends that
file) to `process_source(settings=)` -> `read_source` -> the PDF and image
readers -> `ocr_images`. No module reads it from the environment at import and
none changes a global at run time. A caller that passes nothing gets
`DEFAULT`.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from typing import Mapping

ENV_PREFIX = "CIRCULARS_"


@dataclass(frozen=True)
class Settings:
    """Per-file and per-worker limits, and OCR's page threads; defaults fit a nightly run over scanned mail."""

    timeout: float = 600.0  # seconds per file: a 100-page scan OCRs in a few minutes on one core
    memory_mb: int = 2048  # address space per worker process (0: no limit)
    max_pages: int = 2000  # pages read per file; beyond this the file is refused, not truncated
    max_pixels: int = 200_000_000  # pixels per page/image (a 300 dpi A0 sheet is ~140 MP)
    ocr_workers: int = 1  # pages of one file OCR'd at once, one single-threaded tesseract each

    def __post_init__(self) -> None:
        object.__setattr__(self, "ocr_workers", max(1, int(self.ocr_workers)))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Settings from `CIRCULARS_<FIELD>` variables: the defaults of the commands' options.
        A missing or unreadable variable keeps its default."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            try:
                values[f.name] = float(raw) if f.type in ("float", float) else int(float(raw))
            except ValueError:
                continue
        return cls(**values)

    def limits(self) -> dict[str, float | int]:
        """The per-file and per-worker limits (what a run records in its manifest)."""
        return {k: v for k, v in asdict(self).items() if k != "ocr_workers"}


DEFAULT = Settings()
