"""A run of `circulars ingest`: discover, decide what to read, read in parallel, commit as it goes, link.

Built for nightly runs over mailrooms of tens of thousands of files:

* **Incremental.** `manifest.json` records, per source, its sha256, size,
  mtime and outcome, and which part-file *group* holds its rows. A file whose
  size and mtime are unchanged is skipped without reading it (hashing 50 GB of
  scans every night would cost more than the run); one whose stat changed is
  hashed and skipped if the bytes are the same. A changed file's old rows are
  removed before it is read again, so it is never in the dataset twice.
* **Crash-safe.** The manifest is the commit record and is replaced
  atomically after every flush of part files. A run killed at any moment
  leaves part files the manifest does not list (removed at the next start)
  and sources it does not list (read at the next start): the restarted run
  ends with exactly the dataset an uninterrupted one writes.
* **Streaming.** Results are written in groups of part files as they come;
  at most a few tasks per worker are in flight, so memory does not grow with
  the corpus (the manifest, a few hundred bytes per source, is the exception).
* **Parallel, isolated.** Work runs in `pipeline.run.runner` worker processes,
  locally or on a Dask cluster, one file per task, with a timeout and limits.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pipeline import __version__
from pipeline.model import SourceError, SourceResult
from pipeline.read.sources import SourceFile, discover, sha256_file
from pipeline.run.runner import (
    PART_PAGES,
    SINGLE_THREAD_ENV,
    DaskExecutor,
    LocalExecutor,
    Task,
    default_jobs,
    run_tasks,
)
from pipeline.settings import DEFAULT, Settings
from pipeline.store import corrections
from pipeline.store.write import (
    PART_NAME,
    RECORD_TABLES,
    DatasetWriter,
    ensure_tables,
    part_path,
    read_manifest,
    rewrite_group_without,
    write_manifest,
)
from schemas.tables import SCHEMA_VERSION

WORK_DIR = ".work"  # OUT/.work: worker processes' temporary folders (cleared at every start)
LOCK_FILE = ".lock"
MAX_LISTED = 200  # errors and paths kept in the summary for printing; all are in the dataset


class OutputError(Exception):
    """The output folder cannot be used (not writable, written by another schema version, busy)."""


@dataclass
class RunSummary:
    """What a run did, for the closing lines and `manifest.json`."""

    files: int = 0  # sources found by this run
    read: int = 0
    failed: int = 0
    skipped: int = 0  # unchanged since the last run
    failed_before: int = 0  # of the skipped: failed last time, and still in `errors`
    new: int = 0
    changed: int = 0
    vanished: int = 0  # in the dataset, no longer found
    pruned: int = 0
    letters: int = 0
    deadlines: int = 0
    pages: int = 0
    ignored: int = 0
    seconds: float = 0.0
    dataset_sources: int = 0
    dataset_letters: int = 0
    jobs: int = 0
    error_count: int = 0
    errors: list[SourceError] = field(default_factory=list)  # the first MAX_LISTED
    vanished_paths: list[str] = field(default_factory=list)
    upgraded_from: str | None = None  # pipeline version of the previous run, when it differs
    link_error: str | None = None  # the dataset-wide step failed (the next run tries again)
    corrections: list[str] = field(default_factory=list)  # what applying the reviewers' log did
    startup_seconds: float = 0.0  # from starting the workers to the first result (their warm-up)
    read_seconds: float = 0.0  # from the first result to the last: throughput once warm

    def line(self) -> str:
        return (f"{self.files} files: {self.read} read, {self.skipped} skipped, {self.failed} failed; "
                f"{self.letters} letters, {self.deadlines} deadlines, {self.pages} pages "
                f"in {self.seconds:.1f} s")

    def details(self) -> list[str]:
        """What the run did beyond the one-line summary (incremental decisions)."""
        lines = []
        if self.upgraded_from:
            lines.append(f"the dataset was written by pipeline {self.upgraded_from}, this is {__version__}: "
                         "every file was read again")
        if self.read:
            rate = self.read / self.seconds if self.seconds else 0.0
            lines.append(f"read {self.new} new and {self.changed} changed files "
                         f"with {self.jobs} workers ({rate:.1f} files/s)")
        if self.skipped:
            lines.append(f"skipped {self.skipped} unchanged files (--force reads them again)")
        if self.failed_before:
            lines.append(f"{self.failed_before} of them failed before and are still in errors "
                         "(--retry-failed reads them again)")
        if self.vanished:
            shown = ", ".join(self.vanished_paths[:5]) + (" …" if self.vanished > 5 else "")
            lines.append(f"{self.vanished} files are gone from the inputs but kept in the dataset "
                         f"(--prune removes them): {shown}")
        if self.pruned:
            lines.append(f"pruned {self.pruned} files that are gone from the inputs")
        if self.link_error:
            lines.append(f"linking the dataset failed (the next run tries again): {self.link_error}")
        lines.extend(self.corrections)
        lines.append(f"dataset: {self.dataset_letters} letters from {self.dataset_sources} files")
        return lines

    def record(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k not in ("errors", "vanished_paths")}

    def add_errors(self, errors: list[SourceError]) -> None:
        self.error_count += len(errors)
        room = MAX_LISTED - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])


class Progress:
    """What a run reports as it goes; the command line supplies a bar or log lines."""

    def start(self, total: int, skipped: int) -> None:
        """`total` files are about to be read; `skipped` were unchanged."""

    def advance(self, result: SourceResult) -> None:
        """One file is done (read or failed)."""

    def close(self) -> None:
        """The run is over (or interrupted)."""


class _CallbackProgress(Progress):
    def __init__(self, callback: Callable[[SourceResult], None]):
        self.callback = callback

    def advance(self, result: SourceResult) -> None:
        self.callback(result)


def check_output(out: Path) -> None:
    """Refuse an output folder we must not write: another schema version, or not writable."""
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


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """One run per output folder at a time; the kernel drops the lock if the run is killed."""
    handle = open(out / LOCK_FILE, "a")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(f"another `circulars ingest` is writing to {out}; wait for it to finish") from None
        yield
    finally:
        handle.close()


class Store:
    """The committed state of an output folder: which sources it holds and where their rows are.

    `manifest.json` lists `groups` (flushes of part files, one file per table)
    and, per source, its fingerprint, outcome and group. Anything on disk the
    manifest does not list is debris from an interrupted run.
    """

    def __init__(self, out: Path):
        self.out = out
        manifest = read_manifest(out) or {}
        self.legacy = bool(manifest) and "groups" not in manifest
        # a manifest without groups was written before incremental runs: its rows cannot be
        # told apart by source, so it is rebuilt (its part files are removed by `recover`)
        self.sources: dict[str, dict[str, Any]] = {} if self.legacy else dict(manifest.get("sources", {}))
        self.groups: dict[str, list[str]] = {} if self.legacy else dict(manifest.get("groups", {}))
        self.linked: bool = bool(manifest.get("linked")) and not self.legacy
        self.pipeline_version: str | None = manifest.get("pipeline_version")
        # the reviewers' log as last applied: a new correction alone is reason to link again
        self.corrections_sha256: str = "" if self.legacy else str(manifest.get("corrections_sha256") or "")
        self.run: dict[str, Any] = {}

    def recover(self) -> int:
        """Remove what an interrupted run left: temporary files, work folders, unlisted parts."""
        removed = 0
        shutil.rmtree(self.out / WORK_DIR, ignore_errors=True)
        for tmp in list(self.out.glob(".*.tmp")) + list(self.out.glob("*/.*.tmp")):
            tmp.unlink(missing_ok=True)
        listed = {(table, group) for group, tables in self.groups.items() for table in tables}
        for table in RECORD_TABLES:
            for part in (self.out / table).glob("part-*.parquet"):
                match = PART_NAME.match(part.name)
                if match and (table, match.group(1)) not in listed:
                    part.unlink()
                    removed += 1
        return removed

    def commit(self, **extra: Any) -> None:
        """Make the current state the dataset's state (atomic replace of the manifest)."""
        write_manifest(self.out, {**self.run, **extra, "pipeline_version": __version__, "linked": self.linked,
                                  "corrections_sha256": self.corrections_sha256,
                                  "groups": self.groups, "sources": self.sources})

    def retire(self, paths: set[str], writer: DatasetWriter) -> None:
        """Take `paths` out of the dataset: their groups are rewritten without their rows.

        Done before those sources are read again, so the dataset never holds a
        source twice; after a crash they are simply missing and read again.
        """
        paths = {p for p in paths if p in self.sources}
        if not paths:
            return
        by_group: dict[str, set[str]] = {}
        for path in paths:
            group = self.sources[path].get("group")
            if group:
                by_group.setdefault(group, set()).add(path)
        old_files = []
        for group, leaving in by_group.items():
            tables = self.groups.get(group, [])
            staying = [p for p, e in self.sources.items() if e.get("group") == group and p not in leaving]
            new_group = writer.next_group() if staying else None
            written = rewrite_group_without(self.out, group, tables, leaving, new_group) if staying else []
            old_files += [part_path(self.out, t, group) for t in tables]
            del self.groups[group]
            if written:
                self.groups[new_group] = written
            for p in staying:
                self.sources[p]["group"] = new_group if written else None
        for path in paths:
            del self.sources[path]
        self.linked = False
        self.commit(state="running")
        for part in old_files:  # only once the manifest no longer lists them
            part.unlink(missing_ok=True)

    def totals(self) -> tuple[int, int]:
        return len(self.sources), sum(int(e.get("letters") or 0) for e in self.sources.values())


@dataclass
class Plan:
    """What this run will do with each source it found."""

    tasks: list[Task] = field(default_factory=list)
    new: int = 0
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed_before: int = 0
    restat: dict[str, tuple[int, int]] = field(default_factory=dict)  # unchanged bytes, new stat
    vanished: list[str] = field(default_factory=list)
    copies: dict[str, tuple[str, str, Task]] = field(default_factory=dict)  # path -> (read as, sha256, task)


def plan_run(files: list[SourceFile], store: Store, *, force: bool = False, retry_failed: bool = False) -> Plan:
    """Sort found files into new, changed and unchanged by comparing with the manifest."""
    plan = Plan()
    seen: set[str] = set()
    for f in files:
        seen.add(f.source_path)
        try:
            st = os.stat(f.path)
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size, mtime = 0, 0
        task = Task(os.path.abspath(f.path), f.source_path, size)
        prev = store.sources.get(f.source_path)
        if prev is None:
            plan.new += 1
            plan.tasks.append(task)
            continue
        unchanged = not force and prev.get("sha256") and not (retry_failed and prev.get("outcome") == "failed")
        if unchanged and (prev.get("size"), prev.get("mtime_ns")) != (size, mtime):
            try:
                unchanged = sha256_file(Path(f.path)) == prev["sha256"]
            except OSError:
                unchanged = False
            if unchanged:
                plan.restat[f.source_path] = (size, mtime)
        if unchanged:
            plan.unchanged += 1
            plan.failed_before += prev.get("outcome") == "failed"
        else:
            plan.changed.append(f.source_path)
            plan.tasks.append(task)
    plan.vanished = sorted(p for p in store.sources if p not in seen)
    _set_aside_copies(plan, store)
    # biggest first: a long scan started last would leave the other workers idle at the end
    plan.tasks.sort(key=lambda t: -t.size)
    return plan


def _set_aside_copies(plan: Plan, store: Store) -> None:
    """A byte-identical file under another name is read once: letter ids come from
    the bytes, so a second reading would give the same letters twice under one id.

    Only files that share a size with another are hashed here; of identical ones the
    copy already in the dataset is kept, else the first name in sort order, so the
    outcome is the same whatever order the workers finish in.
    """
    rereading = set(plan.changed) | set(plan.vanished)
    # the same bytes under another suffix are read another way (a text file named .pdf)
    kept = {(e["sha256"], Path(path).suffix.lower()): path for path, e in sorted(store.sources.items(), reverse=True)
            if e.get("sha256") and path not in rereading and e.get("outcome") != "copy"}
    kept_sizes = {store.sources[path].get("size") for path in kept.values()}
    sizes: dict[int, int] = {}
    for task in plan.tasks:
        sizes[task.size] = sizes.get(task.size, 0) + 1
    groups: dict[tuple[str, str], list[Task]] = {}
    for task in plan.tasks:
        if task.size and (sizes[task.size] > 1 or task.size in kept_sizes):
            try:
                key = (sha256_file(Path(task.path)), Path(task.source_path).suffix.lower())
            except OSError:
                continue
            groups.setdefault(key, []).append(task)
    for (sha, suffix), tasks in groups.items():
        names = sorted(t.source_path for t in tasks)
        original = kept.get((sha, suffix), names[0])
        for task in tasks:
            if task.source_path != original:
                plan.copies[task.source_path] = (original, sha, task)
    if plan.copies:
        plan.tasks = [t for t in plan.tasks if t.source_path not in plan.copies]


def source_entry(result: SourceResult, task: Task | None) -> dict[str, Any]:
    """A source's line in the manifest."""
    outcome = "failed" if result.errors and not result.letters else ("partial" if result.errors else "read")
    entry: dict[str, Any] = {
        "sha256": result.source_sha256 or None, "size": result.size, "outcome": outcome,
        "letters": len(result.letters), "pages": result.pages,
        "errors": [e.error_type for e in result.errors], "warnings": result.warnings[:20],
    }
    if task is not None and not entry["sha256"]:
        # a worker that timed out or died never said what it read: hash here, so that the
        # same bytes are not given another --timeout every night (--retry-failed does that)
        try:
            entry["sha256"] = sha256_file(Path(task.path))
        except OSError:
            pass
    if task is not None:
        try:
            st = os.stat(task.path)
            # the stat that goes with these bytes: if the file changed while it was read, the next
            # run sees another stat and hashes it again
            if st.st_size == result.size:
                entry["mtime_ns"] = st.st_mtime_ns
        except OSError:
            pass
    return entry


def run_ingest(inputs: list[str], out: Path, *,
               results: Callable[[list[SourceFile]], Iterable[SourceResult]] | None = None,
               progress: Progress | Callable[[SourceResult], None] | None = None,
               options: dict | None = None, jobs: int | None = None, scheduler: str | None = None,
               settings: Settings | None = None, force: bool = False, prune: bool = False,
               retry_failed: bool = False, flush_letters: int = 2000,
               flush_seconds: float = 60.0, stop: threading.Event | None = None) -> RunSummary:
    """Ingest `inputs` into `out`, reading only what is new or changed since the last run.

    `results` maps sources to results in place of the worker pool (tests,
    embedding); `jobs` defaults to every core; `scheduler` is a Dask scheduler
    address; `settings` the limits the workers read each file under
    (`pipeline.settings`, default `DEFAULT`); setting `stop` (from a signal handler) ends the run between two
    results with what is finished committed, and raises KeyboardInterrupt.
    Raises `OutputError` when `out` cannot be used.
    """
    started = time.monotonic()
    out = Path(out)
    check_output(out)
    settings = settings or DEFAULT
    if isinstance(progress, Progress):
        reporter = progress
    else:
        reporter = _CallbackProgress(progress) if progress else Progress()
    with output_lock(out):
        writer = DatasetWriter(out, flush_letters=flush_letters)
        linker: LinkStep | None = None
        try:
            store = Store(out)
            store.recover()
            found = discover(inputs)
            files, clashes = _unique_names(found.files)
            # another pipeline version extracts differently: mixing its rows with ours would be wrong
            upgraded = bool(store.sources) and store.pipeline_version != __version__
            plan = plan_run(files, store, force=force or upgraded, retry_failed=retry_failed)
            summary = RunSummary(files=len(files) + len(found.problems), ignored=len(found.ignored) + len(clashes),
                                 skipped=plan.unchanged, new=plan.new, changed=len(plan.changed),
                                 failed_before=plan.failed_before)
            summary.vanished_paths = plan.vanished[:MAX_LISTED]
            summary.upgraded_from = (store.pipeline_version or "unknown") if upgraded else None
            summary.vanished = 0 if prune else len(plan.vanished)
            summary.pruned = len(plan.vanished) if prune else 0
            store.run = {
                "run_id": writer.run_id, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "options": {"inputs": [str(i) for i in inputs], "force": force, "prune": prune,
                            "scheduler": scheduler, "limits": settings.limits(), **(options or {})},
            }
            for path, (size, mtime) in plan.restat.items():
                store.sources[path].update(size=size, mtime_ns=mtime)
            problems = [p for p, _, _ in found.problems]
            store.retire(set(plan.changed) | set(problems) | (set(plan.vanished) if prune else set()), writer)

            pending: dict[str, dict[str, Any]] = {}  # manifest entries waiting for their group's commit
            last_flush = time.monotonic()

            def take(result: SourceResult, task: Task | None) -> None:
                nonlocal last_flush
                writer.add(result)
                pending[result.source_path] = source_entry(result, task)
                summary.pages += result.pages
                summary.letters += len(result.letters)
                summary.deadlines += sum(len(r.deadlines) for r in result.letters)
                if result.errors and not result.letters:
                    summary.failed += 1
                else:
                    summary.read += 1
                summary.add_errors(result.errors)
                if writer.due() or time.monotonic() - last_flush > flush_seconds:
                    commit()
                    last_flush = time.monotonic()

            def commit(state: str = "running") -> None:
                group, tables = writer.flush()
                if group:
                    store.groups[group] = tables
                for path, entry in pending.items():
                    entry["group"] = group if entry["letters"] or entry["errors"] else None
                    store.sources[path] = entry
                if pending:
                    store.linked = False
                pending.clear()
                store.commit(state=state)

            for path, error_type, message in found.problems:
                take(SourceResult(path, "", 0, errors=[SourceError(path, "discover", error_type, message)]), None)
            for path, (original, sha, task) in sorted(plan.copies.items()):
                take(SourceResult(path, sha, task.size,
                                  warnings=[f"identical to {original}: its letters are recorded once, under that name"]),
                     task)
                pending[path].update(outcome="copy", copy_of=original)
            by_name = {t.source_path: t for t in plan.tasks}
            reporter.start(len(plan.tasks), plan.unchanged)
            executor = None
            read_started = time.monotonic()
            first = last = 0.0
            try:
                if results is not None:
                    wanted = {t.source_path for t in plan.tasks}
                    stream = results([f for f in files if f.source_path in wanted])
                elif plan.tasks:
                    tasks = plan.tasks
                    if scheduler:
                        executor = DaskExecutor(scheduler)
                    else:
                        cores = jobs or default_jobs()
                        # a worker process starts only when its thread gets work: one long scan read
                        # in parts (PART_PAGES) uses every worker, a text file only one
                        executor = LocalExecutor(cores)
                        if len(tasks) < cores:  # fewer files than cores: lend the rest to their OCR pages
                            tasks = [replace(t, threads=cores // len(tasks)) for t in tasks]
                    if executor.capacity > 1:  # many pages to OCR: read in parts by every free worker
                        tasks = [replace(t, split_over=PART_PAGES) for t in tasks]
                    summary.jobs = executor.capacity
                    tmp_root = None if scheduler else str(out / WORK_DIR)
                    stream = run_tasks(executor, tasks, settings, tmp_root, in_flight=4 * executor.capacity + 2,
                                       stop=stop)
                else:
                    stream = iter(())
                for result in stream:
                    last = time.monotonic()
                    if not first:  # the workers are warm: start the link step, to wait with its imports done
                        first = last
                        linker = LinkStep(out)
                    take(result, by_name.get(result.source_path))
                    reporter.advance(result)
                    if stop is not None and stop.is_set():
                        break
            except BaseException:
                if executor is not None:  # do not wait for files being read: kill their workers
                    executor.shutdown(wait=False, cancel_futures=True)
                    executor = None
                raise
            finally:
                if executor is not None:  # stopping: the files being read are given up (read next run)
                    stopping = stop is not None and stop.is_set()
                    executor.shutdown(wait=not stopping, cancel_futures=stopping)
            if stop is not None and stop.is_set():
                # asked to stop (Ctrl-C, SIGTERM): commit what is finished, between two results, so that
                # the manifest and the part files agree; then stop like an interrupted run
                commit(state="interrupted")
                reporter.close()
                raise KeyboardInterrupt
            commit()
            reporter.close()
            if first:
                summary.startup_seconds, summary.read_seconds = first - read_started, last - first
            if prune:
                summary.vanished_paths = []
            if (not store.linked or plan.tasks or summary.pruned or found.problems
                    or corrections.fingerprint(out) != store.corrections_sha256):
                # the reviewers' values first, so the graph and the deadlines are built on them
                applied = corrections.apply_corrections(out)
                summary.corrections = applied.lines()
                linker = linker or LinkStep(out)
                summary.link_error = linker.run()
                store.linked = summary.link_error is None
                store.corrections_sha256 = applied.sha256 if store.linked else ""
            elif linker is not None:
                linker.cancel()
            ensure_tables(out)
            shutil.rmtree(out / WORK_DIR, ignore_errors=True)
            summary.dataset_sources, summary.dataset_letters = store.totals()
            summary.seconds = time.monotonic() - started
            store.commit(state="complete", summary=summary.record(), ignored=(found.ignored + clashes)[:1000])
        except BaseException:
            # whatever stops the run (disk full, a second Ctrl-C): no half-written file is left
            # behind; what was committed stays, and the same command resumes from there. No commit
            # here: the exception may have hit between writing rows and recording them.
            writer.abandon()
            if linker is not None:
                linker.cancel()
            shutil.rmtree(out / WORK_DIR, ignore_errors=True)
            raise
    return summary


def _unique_names(files: list[SourceFile]) -> tuple[list[SourceFile], list[str]]:
    """Sources are keyed by their name relative to the input root: two inputs can clash."""
    seen: set[str] = set()
    kept, clashes = [], []
    for f in files:
        if f.source_path in seen:
            clashes.append(f"{f.path} (same name as another input's {f.source_path})")
            continue
        seen.add(f.source_path)
        kept.append(f)
    return kept, clashes


class LinkStep:
    """The dataset-wide step (`_link`) in a child process, started while the files are read.

    The step reads whole tables, so its memory grows with the dataset; in a
    process of its own that memory goes back to the system when it ends, and
    the run's own process stays flat. The process is started with the first
    result and waits for `run`: its imports (pyarrow's dataset reader pulls in
    pandas, about 0.9 s) then overlap the reading instead of adding to every run. A failure
    is reported, not raised: the files' rows are committed already, and the
    next run links again.
    """

    CODE = ("import sys; from pathlib import Path; from pipeline.run.ingest import _link, _link_imports; "
            "_link_imports(); sys.stdin.readline().strip() == 'go' and _link(Path(sys.argv[1]))")

    def __init__(self, out: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", self.CODE, str(out)], stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                    env={**os.environ, **SINGLE_THREAD_ENV})

    def run(self) -> str | None:
        """Link now; returns why it failed, or None."""
        try:
            _, err = self.proc.communicate("go\n")
        except BrokenPipeError:  # it died while waiting (killed from outside)
            _, err = self.proc.communicate()
        if self.proc.returncode == 0:
            return None
        lines = [line for line in (err or "").strip().splitlines() if line.strip()]
        return (lines[-1] if lines else f"exit status {self.proc.returncode}")[:500]

    def cancel(self) -> None:
        """Not needed after all (nothing changed) or the run stopped: let it exit unused."""
        if self.proc.poll() is None:
            try:
                self.proc.communicate("", timeout=5)
            except (subprocess.TimeoutExpired, BrokenPipeError, ValueError):
                self.proc.kill()
                self.proc.wait()


def _link_imports() -> None:
    """What `_link` imports, loaded while the files are still being read."""
    import pyarrow.dataset  # noqa: F401 - pq.read_table's reader

    import pipeline.link.deadline_chains  # noqa: F401
    import pipeline.link.graph  # noqa: F401


PROJECT_PACKAGES = frozenset({"pipeline", "extractors", "schemas"})


def optional_dependency_missing(exc: ImportError) -> bool:
    """An ImportError from a third-party module, not from this project's own packages."""
    top = (exc.name or "").split(".")[0]
    return bool(top) and top not in PROJECT_PACKAGES


def _link(out: Path) -> None:
    """Rebuild the directive graph over the whole dataset (when the graph stage is present).

    The hook for dataset-wide steps: it runs once at the end of a run that
    changed anything, over the whole dataset, never per file.
    """
    try:
        from pipeline.link.graph import link_dataset
    except ImportError as exc:
        if not optional_dependency_missing(exc):
            raise  # the project's own code is broken: that must fail, not skip the graph in silence
        print(f"ingest: warning: directive graph skipped, {exc.name} is not installed", file=sys.stderr)
        link_dataset = None
    if link_dataset is not None:
        link_dataset(out)
    from pipeline.link.deadline_chains import link_deadlines  # after the graph: rule rows apart, deadline chains
    link_deadlines(out)
