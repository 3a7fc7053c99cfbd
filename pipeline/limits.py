"""Limits one source file may use, and how they reach the readers inside a worker.

A mailroom feeds the pipeline hostile files (issue 7): a 50,000-page PDF, a
decompression-bomb PNG, a file that never finishes. The runner enforces what a
whole process can be held to (seconds per file by killing the worker, memory
per worker with `setrlimit`); the readers enforce what only they can see
(pages per file, pixels per page). The runner passes the limits down through
the environment of the worker process, because that crosses every boundary the
same way (a local worker, a Dask worker on another machine, a tesseract
subprocess) without threading an argument through each reader's signature.

Readers call `current()`:

    from pipeline.limits import current
    if n_pages > current().max_pages: raise ReadError(ErrorType.TOO_MANY_PAGES, ...)
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields

ENV_PREFIX = "CIRCULARS_"


@dataclass(frozen=True)
class Limits:
    """Per-file and per-worker limits; defaults fit a nightly run over scanned mail."""

    timeout: float = 600.0  # seconds per file: a 100-page scan OCRs in a few minutes on one core
    memory_mb: int = 2048  # address space per worker process (0: no limit)
    max_pages: int = 2000  # pages read per file; beyond this the file is refused, not truncated
    max_pixels: int = 200_000_000  # pixels per page/image (a 300 dpi A0 sheet is ~140 MP)

    def to_env(self) -> dict[str, str]:
        """The limits as environment variables for a worker process."""
        return {ENV_PREFIX + f.name.upper(): str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Limits":
        """The limits a worker was started with; defaults where a variable is missing or bad."""
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

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def current() -> Limits:
    """The limits in force in this process (set by the runner for its workers)."""
    return Limits.from_env()
