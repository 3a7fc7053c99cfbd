"""`circulars ingest PATH... --out OUT`: flags, progress display and exit status.

Exit status (`pipeline.cli`): 0 every file was read; 3 the dataset was
written but some files failed, in this run or, unchanged since, in an
earlier one (each is a row of OUT/errors), or the dataset-wide link step
failed (said in the summary); 2 usage error
(bad arguments, an output folder that cannot be used, an unreachable
scheduler); 130 interrupted (what was finished is kept; run again to resume).
"""
from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from pipeline.run.ingest import Progress
from pipeline.model import SourceResult
from pipeline.settings import Settings

# errors that mean the output folder stopped taking data, not a bug (issue 7)
_OUTPUT_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}
LOG_EVERY = 15.0  # seconds between progress lines when stderr is not a terminal


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    defaults = Settings.from_env()  # CIRCULARS_TIMEOUT, CIRCULARS_MAX_PAGES …: the options' defaults
    p = sub.add_parser(
        "ingest", help="read circulars (text, PDF, images) into a Parquet dataset",
        description="Read every supported file under PATH (files and folders, recursively) and "
                    "write the Parquet dataset to OUT. A second run into the same OUT reads only new "
                    "and changed files. Exit status: 0 all read, 3 some files failed (see OUT/errors), "
                    "2 usage error, 130 interrupted (run again to resume).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                   help="worker processes (default: every core)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://HOST:8786 (inputs must be readable on the "
                        "workers at the same absolute path)")
    p.add_argument("--force", action="store_true", help="read every file again, changed or not")
    p.add_argument("--prune", action="store_true",
                   help="remove from the dataset the files that are no longer in the inputs")
    p.add_argument("--retry-failed", action="store_true",
                   help="read again the unchanged files that failed last time")
    p.add_argument("--timeout", type=_positive_float, default=defaults.timeout, metavar="SECONDS",
                   help=f"give up on a file after this long (default {defaults.timeout:g})")
    p.add_argument("--memory-mb", type=_non_negative_int, default=defaults.memory_mb, metavar="MB",
                   help=f"address space per worker process, 0 for none (default {defaults.memory_mb})")
    p.add_argument("--max-pages", type=_positive_int, default=defaults.max_pages, metavar="N",
                   help=f"refuse files with more pages (default {defaults.max_pages})")
    p.add_argument("--max-pixels", type=_positive_int, default=defaults.max_pixels, metavar="N",
                   help=f"refuse pages and images with more pixels (default {defaults.max_pixels})")
    p.add_argument("--batch", type=_positive_int, default=2000, metavar="LETTERS",
                   help="letters per group of part files (default 2000): also how much a crash can lose")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=run)


class BarProgress(Progress):
    """A rich progress bar on a terminal: files, pages, letters, rate and ETA."""

    def __init__(self, stream: TextIO):
        from rich.console import Console
        from rich.progress import BarColumn, Progress as RichProgress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.bar = RichProgress(
            BarColumn(bar_width=16), TaskProgressColumn(),
            TextColumn("{task.completed}/{task.total} files, {task.fields[pages]} pages, "
                       "{task.fields[letters]} letters, {task.fields[failed]} failed, {task.fields[rate]}"),
            TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(file=stream), transient=False)
        self.task = None
        self.pages = self.letters = self.failed = self.done = 0
        self.started = time.monotonic()

    def start(self, total: int, skipped: int) -> None:
        if not total:
            return
        self.started = time.monotonic()
        self.bar.start()
        self.task = self.bar.add_task("ingest", total=total, pages=0, letters=0, failed=0, rate="")

    def advance(self, result: SourceResult) -> None:
        if self.task is None:
            return
        self.done += 1
        self.pages += result.pages
        self.letters += len(result.letters)
        self.failed += bool(result.errors and not result.letters)
        rate = self.done / max(1e-6, time.monotonic() - self.started)
        self.bar.update(self.task, advance=1, pages=self.pages, letters=self.letters, failed=self.failed,
                        rate=f"{rate:.1f} files/s")

    def close(self) -> None:
        if self.task is not None:
            self.bar.stop()
            self.task = None


class LogProgress(Progress):
    """Plain lines every LOG_EVERY seconds, for cron, CI and log files."""

    def __init__(self, stream: TextIO, every: float = LOG_EVERY):
        self.stream = stream
        self.every = every
        self.total = self.done = self.pages = self.letters = self.failed = self.logged = 0
        self.started = self.last = time.monotonic()

    def start(self, total: int, skipped: int) -> None:
        self.total = total
        self.started = self.last = time.monotonic()
        print(f"ingest: {total} files to read, {skipped} unchanged", file=self.stream, flush=True)

    def advance(self, result: SourceResult) -> None:
        self.done += 1
        self.pages += result.pages
        self.letters += len(result.letters)
        self.failed += bool(result.errors and not result.letters)
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.line(now)

    def line(self, now: float) -> None:
        self.logged = self.done
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        print(f"ingest: {self.done}/{self.total} files ({100 * self.done / max(1, self.total):.0f}%), "
              f"{self.pages} pages, {self.letters} letters, {self.failed} failed; "
              f"{rate:.1f} files/s, ETA {_duration(eta)}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.done != self.logged and time.monotonic() - self.started >= self.every:
            self.line(time.monotonic())


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _stop_on_signals(stop: threading.Event) -> dict[int, object]:
    """Ctrl-C or SIGTERM (a batch scheduler's stop) end the run between two results, keeping what
    is finished and committed together; a second one stops at once (the next run still resumes)."""
    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("circulars: stopping, keeping what is finished (again to stop at once)", file=sys.stderr)

    previous: dict[int, object] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread (embedded use)
            pass
    return previous


def run(args: argparse.Namespace) -> int:
    from pipeline.commands import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
    from pipeline.run.ingest import OutputError, run_ingest
    from pipeline.run.runner import SchedulerError

    settings = Settings(timeout=args.timeout, memory_mb=args.memory_mb, max_pages=args.max_pages,
                        max_pixels=args.max_pixels)  # the run's one settings object, passed down from here
    if args.quiet:
        progress = Progress()
    elif sys.stderr.isatty():
        progress = BarProgress(sys.stderr)
    else:
        progress = LogProgress(sys.stderr)
    stop = threading.Event()
    previous = _stop_on_signals(stop)
    try:
        summary = run_ingest(args.paths, args.out, progress=progress, jobs=args.jobs, scheduler=args.scheduler,
                             settings=settings, force=args.force, prune=args.prune, retry_failed=args.retry_failed,
                             flush_letters=args.batch, stop=stop)
    except OutputError as exc:
        print(f"circulars: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SchedulerError as exc:
        print(f"circulars: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if getattr(exc, "errno", None) in _OUTPUT_FULL:  # the disk filled up (or went read-only) mid-run
            print(f"circulars: cannot write the dataset to {args.out}: {exc.strerror or exc}; what was "
                  f"committed before is kept: make room and run again to resume", file=sys.stderr)
            return EXIT_USAGE
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not args.quiet:
        for error in summary.errors[:20]:
            print(f"error: {error.source_path}: {error.message}", file=sys.stderr)
        if summary.error_count > 20:
            print(f"… and {summary.error_count - 20} more errors: see {args.out}/errors", file=sys.stderr)
        print(summary.line())
        for line in summary.details():
            print(line)
    return EXIT_SOME_FAILED if summary.failed or summary.failed_before or summary.link_error else EXIT_OK
