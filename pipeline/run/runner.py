"""Where per-file work runs: isolated worker processes, on this machine or on a Dask cluster.

One interface, `concurrent.futures.Executor`, whose tasks are
`run_isolated(task, settings, tmp_root) -> SourceResult`:

* `LocalExecutor(jobs)`: a thread per job, each driving its own worker process.
* `DaskExecutor(address)`: `Client(address).get_executor()`; `run_isolated` then
  runs in a Dask worker's thread and drives a worker process *there*.

Why a worker process behind every task, even on Dask: the file is the unit of
failure. A file that hangs must be given up after `--timeout` seconds, and the
only way to stop a thread stuck in C code (pdfium, tesseract) is to kill its
process; a file that makes its reader segfault or run out of memory must cost
that file only, not a Dask worker (which would take its other tasks with it and
have the scheduler retry the poison file on the next worker). So the worker
process is disposable: killed and started again, and the file becomes an
`errors` row. It is a fresh interpreter (`python -m pipeline.run.runner`), not a
fork, because forking a threaded parent (the pool, a Dask worker) is unsafe and
Dask's worker processes are daemonic and may not use multiprocessing children.

Each worker process is started once and reads many files (spaCy and the models
load once, ~2 s), is single-threaded for OCR (`OMP_THREAD_LIMIT=1`: one
tesseract per worker, so `jobs` workers never oversubscribe the cores), runs
under `setrlimit(RLIMIT_AS)` (memory per worker), is sent the run's `Settings`
(`pipeline.settings`) as the first message on its socket, and has its own temporary folder (inside
`--out` for a local run) that is removed when it ends, is killed, or after a
crash of the whole run (the next run clears `OUT/.work`).

OCR is per page. Many files keep every core busy with one file each. A PDF
with more than `PART_PAGES` pages to OCR is read in parts (`run_tasks`): a
first pass reads its text layer and names the pages to OCR, parts of
`PART_PAGES` pages go to whichever workers (local or Dask) are free, and one
worker puts the pages together and extracts the letters. When a local run has
fewer files than cores, each file is also lent the idle cores for the pages it
OCRs itself (`Task.threads`, one tesseract per page): a multi-page TIFF, or a
PDF with few pages to OCR.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pipeline.model import Page, SourceError, SourceResult
from pipeline.settings import Settings
from schemas.errors import ErrorType

# Variables that make numeric and OCR libraries use one thread: the pool supplies the parallelism.
SINGLE_THREAD_ENV = {
    "OMP_THREAD_LIMIT": "1",  # tesseract
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
STARTUP_TIMEOUT = 300.0  # seconds for a worker to import the pipeline (not charged to any file)
IDLE_EXIT = 600.0  # a worker with nothing to do for this long exits (Dask workers outlive runs)


@dataclass(frozen=True)
class Task:
    """One source file to process: where to read it and the name it is recorded under."""

    path: str
    source_path: str
    size: int = 0
    threads: int = 1  # cores this file may use for OCR (more than 1 only when cores would sit idle)
    # a PDF with more pages to OCR than this is read in parts of PART_PAGES by any free worker
    # (0: read whole); a part OCRs `only_pages`; the put-together gets every page in `pages`
    split_over: int = 0
    only_pages: tuple[int, ...] = ()
    pages: tuple[Page, ...] | None = None


def failed(task: Task, error_type: ErrorType, message: str, stage: str = "process") -> SourceResult:
    """The result of a file that could not be processed at all: one `errors` row."""
    return SourceResult(task.source_path, "", task.size,
                        errors=[SourceError(task.source_path, stage, error_type, message)])


class SchedulerError(RuntimeError):
    """The Dask scheduler cannot be reached (a usage error: wrong address, cluster down)."""


class WorkerStartError(RuntimeError):
    """A worker process could not start (bad environment, memory limit too low to import)."""


class WorkerProcess:
    """A disposable child interpreter that processes one file at a time.

    Owned by one thread. `call` never raises for anything a file can do:
    a timeout or a dead worker becomes an errors result and the process is
    replaced on the next call.
    """

    def __init__(self, settings: Settings, tmp_root: str | None = None):
        self.settings = settings
        self.tmp_root = tmp_root
        self.proc: subprocess.Popen | None = None
        self.conn: Connection | None = None
        self.tmp: str | None = None
        self.start_error: str | None = None

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self.start_error:  # do not pay the start-up again for every file
            raise WorkerStartError(self.start_error)
        if self.tmp_root:
            Path(self.tmp_root).mkdir(parents=True, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="worker-", dir=self.tmp_root)
        parent_sock, child_sock = socket.socketpair()
        env = {**os.environ, **SINGLE_THREAD_ENV,
               "TMPDIR": self.tmp, "TEMP": self.tmp, "TMP": self.tmp, "PYTHONUNBUFFERED": "1"}
        log = open(os.path.join(self.tmp, "worker.log"), "wb")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline.run.runner", "--worker", str(child_sock.fileno())],
                pass_fds=[child_sock.fileno()], env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, start_new_session=True, close_fds=True)
        finally:
            child_sock.close()
            log.close()
        self.conn = Connection(parent_sock.detach())
        self.conn.send(self.settings)  # first message: read before the worker imports the pipeline
        message = self._receive(STARTUP_TIMEOUT)
        if not (isinstance(message, tuple) and message[0] == "ready"):
            detail = self._log_tail() or (message if isinstance(message, str) else "no answer")
            self.kill()
            self.start_error = f"a worker process could not start: {detail}"
            raise WorkerStartError(self.start_error)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """Kill the worker and everything it started (tesseract), and remove its temporary folder."""
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.conn is not None:
            self.conn.close()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.proc = self.conn = self.tmp = None

    def close(self) -> None:
        """Ask the worker to exit; kill it if it does not."""
        if self.alive() and self.conn is not None:
            try:
                self.conn.send(None)
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        self.kill()

    # -- work --------------------------------------------------------------------------------
    def call(self, task: Task) -> SourceResult:
        """Process one file: `send` it, then wait for its `result`."""
        if not self.send(task):
            return self._crashed(task)
        return self.result(task)

    def send(self, task: Task) -> bool:
        """Queue `task` at the worker, starting one if there is none; False if it is gone.

        Tasks are read one after another, so a second one sent before the
        first's result waits in the socket and starts the moment the first ends.
        Raises `WorkerStartError` when no worker can be started.
        """
        if not self.alive():
            self.kill()
            self.start()
        assert self.conn is not None
        try:
            self.conn.send(task)
        except OSError:
            return False
        return True

    def result(self, task: Task) -> SourceResult:
        """The result of the oldest task sent, which is `task`.

        Its clock starts now: when the task before it ended. A timeout or a dead
        worker becomes `task`'s errors result, and the worker is killed (tasks
        sent after it are lost with it: send them again).
        """
        started = time.monotonic()
        message = self._receive(self.settings.timeout)
        if message is _TIMEOUT:
            self.kill()
            return failed(task, ErrorType.TIMEOUT, f"gave up after {self.settings.timeout:g} s (--timeout): "
                                                   "the file took too long to read")
        if message is _EOF:
            return self._crashed(task, time.monotonic() - started)
        kind, payload = message
        if kind == "ok":
            return payload
        return failed(task, ErrorType.INTERNAL_ERROR, str(payload)[:500])

    def _crashed(self, task: Task, seconds: float = 0.0) -> SourceResult:
        code = self.proc.wait(timeout=10) if self.proc is not None else None
        tail = self._log_tail()
        self.kill()
        if code is not None and code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with status {code}"
        hint = ""
        if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT) or "MemoryError" in tail:
            hint = f" (out of memory? the limit is --memory-mb {self.settings.memory_mb})"
        message = f"the worker reading this file {how}{hint}"
        if tail:
            message += f": {tail}"
        return failed(task, ErrorType.WORKER_CRASHED, message[:500])

    def _receive(self, timeout: float) -> Any:
        assert self.conn is not None
        try:
            if not self.conn.poll(timeout):
                return _TIMEOUT
            return self.conn.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            return _EOF

    def _log_tail(self) -> str:
        if not self.tmp:
            return ""
        try:
            with open(os.path.join(self.tmp, "worker.log"), "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 2000))
                lines = handle.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1].strip()[:300] if lines else ""


_TIMEOUT = object()
_EOF = object()


class WorkerSlots:
    """One `WorkerProcess` per thread that runs tasks, so that threads == processes == jobs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.workers: dict[tuple[int, Settings, str | None], WorkerProcess] = {}

    def get(self, settings: Settings, tmp_root: str | None) -> WorkerProcess:
        key = (threading.get_ident(), settings, tmp_root)
        with self.lock:
            worker = self.workers.get(key)
            stale = [k for k in self.workers if k[0] == key[0] and k != key]
            old = [self.workers.pop(k) for k in stale]
            if worker is None:
                worker = self.workers[key] = WorkerProcess(settings, tmp_root)
        for w in old:  # this thread now works under other settings
            w.close()
        return worker

    def close_all(self, kill: bool = False) -> None:
        with self.lock:
            workers = list(self.workers.values())
            self.workers.clear()
        for worker in workers:
            worker.kill() if kill else worker.close()


_SLOTS = WorkerSlots()  # in a Dask worker: the worker processes of its threads


def run_isolated(task: Task, settings: Settings, tmp_root: str | None = None,
                 slots: WorkerSlots | None = None) -> SourceResult:
    """Process one file in this thread's worker process; the task every executor runs."""
    worker = (slots or _SLOTS).get(settings, tmp_root)
    try:
        return worker.call(task)
    except WorkerStartError as exc:
        return failed(task, ErrorType.WORKER_ERROR, str(exc)[:500])


@dataclass
class _Queued:
    future: cf.Future
    task: Task
    settings: Settings
    tmp_root: str | None


_STOP = object()
PREFETCH = 2  # files queued at a worker at once: the one it reads and the next
QUICK_SUFFIXES = (".txt", ".md")  # read in milliseconds: worth queuing the next file behind


class LocalExecutor(cf.Executor):
    """`jobs` worker processes on this machine, each fed by a thread of its own.

    Runs `run_isolated` tasks only. Each thread keeps the next file queued at
    its worker while the worker reads one (`PREFETCH`), so a worker never waits
    for this process to hand it work: this process holds the GIL for
    milliseconds at a time while it writes Parquet, and with a plain pool each
    of those waits left a worker idle. Measured with 2 workers on text
    letters (2 cores, loaded): workers idle 16 % of the time, 5 ms a file.
    A file is queued behind another only when that one is a text file (read in
    milliseconds): behind a long scan it would wait while another worker idles.
    """

    def __init__(self, jobs: int):
        import queue

        self.jobs = max(1, jobs)
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.workers: set[WorkerProcess] = set()
        self.closing = False  # killing: no new worker is started
        self.threads = [threading.Thread(target=self._drive, name=f"circulars-worker-{i}", daemon=True)
                        for i in range(self.jobs)]
        for thread in self.threads:
            thread.start()

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> cf.Future:
        if fn is not run_isolated:
            raise TypeError("LocalExecutor runs run_isolated tasks only")
        call = _Queued(cf.Future(), *args, **kwargs)
        self.queue.put(call)
        return call.future

    def _take(self, block: bool) -> Any:
        import queue

        try:
            return self.queue.get(block=block)
        except queue.Empty:
            return None

    def _drive(self) -> None:
        """One thread's loop: keep its worker fed, hand back results in order."""
        worker: WorkerProcess | None = None
        sent: list[_Queued] = []  # at the worker, oldest first
        again: list[_Queued] = []  # sent to a worker that died before reading them
        stopping = False
        try:
            while True:
                while not stopping and len(sent) < PREFETCH and (
                        not sent or Path(sent[-1].task.path).suffix.lower() in QUICK_SUFFIXES):
                    if again:
                        call = again.pop(0)  # running already
                    else:
                        call = self._take(block=not sent)
                        if call is None:
                            break
                        if call is _STOP:
                            stopping = True
                            break
                        if not call.future.set_running_or_notify_cancel():
                            continue  # cancelled while queued
                    if self.closing:
                        call.future.set_result(failed(call.task, ErrorType.INTERRUPTED,
                                                      "the run stopped before this file"))
                        continue
                    if worker is not None and (worker.settings, worker.tmp_root) != (call.settings, call.tmp_root):
                        if sent:  # other settings: finish this worker's files first
                            again.insert(0, call)
                            break
                        self._retire(worker)
                        worker = None
                    if worker is not None and sent and not worker.alive():
                        again.insert(0, call)  # it died: collect the crash of the file it had first
                        break
                    if worker is None:
                        worker = WorkerProcess(call.settings, call.tmp_root)
                        with self.lock:
                            self.workers.add(worker)
                    try:
                        delivered = worker.send(call.task)
                    except WorkerStartError as exc:
                        call.future.set_result(failed(call.task, ErrorType.WORKER_ERROR, str(exc)[:500]))
                        continue
                    sent.append(call)
                    if not delivered:
                        break  # the worker is gone: the oldest file sent is charged with it below
                if not sent:
                    if stopping or (self.closing and not again):
                        return
                    continue
                head = sent[0]
                assert worker is not None
                if worker.conn is None:  # killed by `shutdown`
                    result = failed(head.task, ErrorType.INTERRUPTED, "the run stopped while this file was read")
                else:
                    result = worker.result(head.task)
                sent.pop(0)
                head.future.set_result(result)
                if not worker.alive() and sent:  # killed (timeout, crash): the rest were never started
                    again[:0] = sent
                    sent = []
        except BaseException as exc:  # noqa: BLE001 - never leave a future unresolved
            for call in sent + again:
                if not call.future.done():
                    call.future.set_exception(exc)
        finally:
            if worker is not None:
                self._retire(worker)

    def _retire(self, worker: WorkerProcess) -> None:
        with self.lock:
            self.workers.discard(worker)
        worker.kill() if self.closing else worker.close()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            while (call := self._take(block=False)) is not None:
                if call is not _STOP:
                    call.future.cancel()
        if not wait or cancel_futures:
            self.closing = True
            with self.lock:
                workers = list(self.workers)
            for worker in workers:  # unblocks threads waiting on a worker
                worker.kill()
        for _ in self.threads:
            self.queue.put(_STOP)
        if wait:
            for thread in self.threads:
                thread.join()

    @property
    def capacity(self) -> int:
        return self.jobs


class DaskExecutor(cf.Executor):
    """The same interface on a Dask distributed cluster (`--scheduler tcp://HOST:8786`).

    Every Dask worker thread drives one worker process of its own, so run the
    cluster's workers with `--nthreads 1` per core (`dask worker --nworkers N
    --nthreads 1`); the input paths must be readable on the workers, at the
    same absolute path (a shared mount), and the workers need this package.
    """

    def __init__(self, address: str, timeout: float = 30.0):
        from distributed import Client

        try:
            self.client = Client(address, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(f"cannot use the Dask scheduler at {address}: {exc}") from None
        self.executor = self.client.get_executor(pure=False, retries=0)

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> cf.Future:
        return self.executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            self.executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self.client.close()

    @property
    def capacity(self) -> int:
        return max(1, sum(self.client.nthreads().values()))


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


PART_PAGES = 4  # pages a part of a long scan: ~10 s of OCR, so parts spread well and cost little


@dataclass
class _Parts:
    """A PDF being read in parts: what has come back so far."""

    file: Task
    pages: list[Page]
    waiting: int
    errors: list[SourceError]


def run_tasks(executor: cf.Executor, tasks: Iterable[Task], settings: Settings, tmp_root: str | None,
              in_flight: int, stop: threading.Event | None = None) -> Iterator[SourceResult]:
    """Results as they complete, one per file, with at most `in_flight` tasks submitted at once.

    Bounded so that memory (futures, results waiting to be written) stays flat
    however many files there are; an exception from the executor itself (a Dask
    worker lost for good) becomes that file's errors row like any other failure.
    Ends early, between results, once `stop` is set (Ctrl-C, SIGTERM).

    OCR is per page, so a long scan is not left to one worker: a file whose
    first pass (the text layer, `Task.split_over`) finds many pages to OCR
    comes back with their numbers; they go out as parts of `PART_PAGES` pages
    to whichever workers are free, ahead of new files, and once every part is
    back one worker splits and extracts the letters from all the pages. A part
    that fails costs its pages (an errors row says which), not the file.
    """
    pending: dict[cf.Future, Task] = {}
    reading: dict[str, _Parts] = {}
    ahead: list[Task] = []  # parts and put-togethers: before new files, so long scans finish
    queue = iter(tasks)
    exhausted = False
    while not (stop and stop.is_set()):
        while len(pending) < in_flight and (ahead or not exhausted):
            task = ahead.pop(0) if ahead else next(queue, None)
            if task is None:
                exhausted = True
                break
            pending[executor.submit(run_isolated, task, settings, tmp_root)] = task
        if not pending:
            return
        done, _ = cf.wait(pending, timeout=None if stop is None else 0.25, return_when=cf.FIRST_COMPLETED)
        for future in done:
            task = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - the executor's failure is this file's error
                result = failed(task, ErrorType.WORKER_ERROR, f"{type(exc).__name__}: {exc}"[:500])
            whole = _follow_up(task, result, reading, ahead)
            if whole is not None:
                yield whole


def _follow_up(task: Task, result: SourceResult, reading: dict[str, _Parts], ahead: list[Task]) -> SourceResult | None:
    """The file's result when it is complete; else queue what it needs next (parts, put-together)."""
    if result.to_ocr is not None:  # first pass: hand out the pages to OCR
        numbers = result.to_ocr.to_ocr
        chunks = [tuple(numbers[i:i + PART_PAGES]) for i in range(0, len(numbers), PART_PAGES)]
        reading[task.source_path] = _Parts(task, list(result.to_ocr.pages), len(chunks), [])
        ahead.extend(replace(task, only_pages=chunk, split_over=0, threads=1) for chunk in chunks)
        return None
    if task.only_pages:
        parts = reading[task.source_path]
        parts.pages.extend(result.read_pages)
        span = f"pages {task.only_pages[0]}-{task.only_pages[-1]}"
        parts.errors.extend(replace(e, message=f"{span}: {e.message}") for e in result.errors)
        parts.waiting -= 1
        if parts.waiting == 0:
            every = tuple(sorted(parts.pages, key=lambda p: p.number or 0))
            ahead.insert(0, replace(parts.file, split_over=0, threads=1, pages=every))
        return None
    if task.pages is not None:  # the put-together: the file is complete
        parts = reading.pop(task.source_path)
        result.errors[:0] = parts.errors
    return result


# -- the worker process itself --------------------------------------------------------------------

def _watch_parent(parent: int) -> None:
    """Exit when the parent dies (kill -9 of the run): a worker must not outlive its run."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(3)


def _apply_memory_limit(settings: Settings) -> None:
    if settings.memory_mb and settings.memory_mb > 0:
        import resource

        cap = int(settings.memory_mb) * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


WARM_UP_LETTER = """ด่วนที่สุด
ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐
กรมการปกครอง
ถนนอัษฎางค์ กทม. ๑๐๒๐๐
๑๘ มกราคม ๒๕๖๗
เรื่อง การประชุมชี้แจงแนวทางการดำเนินงาน
เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด
อ้างถึง หนังสือกรมการปกครอง ที่ มท ๐๓๐๕.๑/ว ๒๐๕๑ ลงวันที่ ๒๗ พฤศจิกายน ๒๕๖๖
สิ่งที่ส่งมาด้วย แบบรายงาน จำนวน ๑ ชุด
ตามมติคณะรัฐมนตรีเมื่อวันที่ ๙ มกราคม ๒๕๖๗ ขอให้จังหวัดรายงานผลให้กรมการปกครองทราบ
ภายในวันที่ ๓๑ มกราคม ๒๕๖๗ เวลา ๑๖.๓๐ น. และแจ้งอำเภอทุกอำเภอทราบด้วย
จึงเรียนมาเพื่อโปรดพิจารณา
ขอแสดงความนับถือ
(นายสมชาย ใจดี)
อธิบดีกรมการปกครอง
สำนักบริหารการปกครองท้องที่
โทร. ๐ ๒๒๒๑ ๐๑๒๓ ต่อ ๑๒ โทรสาร ๐ ๒๒๒๑ ๐๑๒๔
ไปรษณีย์อิเล็กทรอนิกส์ saraban@dopa.go.th
"""


def _warm_up(process_source: Callable[[str, str], SourceResult]) -> None:
    """Load the lazy parts before the first file's clock starts.

    Extractors build their patterns and the Rust tokenizer its dictionary on
    first use; one letter that touches every extractor (deadline, citation,
    enclosure, contacts) is read first, so that cost is not charged to a file.
    Not warmed: pythainlp's pure-Python word trie (2 s to build), which only
    OCR'd text and runs of 120+ characters without a space need. Building it
    here made every run 2 s longer before the first file; the file that needs
    it pays 2 s out of a 600 s `--timeout` instead.
    """
    probe = Path(tempfile.gettempdir()) / "warm-up.txt"
    try:
        probe.write_text(WARM_UP_LETTER, encoding="utf-8")
        process_source(str(probe), "warm-up.txt")
    except Exception:  # noqa: BLE001 - warming up is an optimisation only
        pass
    finally:
        probe.unlink(missing_ok=True)


def file_settings(settings: Settings, task: Task) -> Settings:
    """The settings one file is read with: it OCRs `task.threads` pages at once (`ocr_images`' page
    pool, one tesseract each).

    Per page is the finest grain OCR has; the runner lends a file the cores
    no other file will use (a run of fewer files than cores: one 100-page
    scan), so every tesseract still runs single-threaded on a core of its own.
    """
    return replace(settings, ocr_workers=max(1, task.threads))


def worker_main(fd: int) -> int:
    """Serve tasks from the parent over the socket `fd` until told to stop."""
    conn = Connection(fd)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    settings: Settings = conn.recv()  # the parent's first message
    _apply_memory_limit(settings)
    try:
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = max(1, settings.max_pixels // 2)  # PIL refuses beyond twice this
    except ImportError:
        pass
    from pipeline.letters.process import process_source  # the expensive import, once per worker

    _warm_up(process_source)
    conn.send(("ready", os.getpid()))
    while True:
        if not conn.poll(IDLE_EXIT):
            return 0
        try:
            task = conn.recv()
        except EOFError:
            return 0
        if task is None:
            return 0
        try:
            result = process_source(task.path, task.source_path, split_over=task.split_over,
                                    only_pages=task.only_pages,
                                    pages=None if task.pages is None else list(task.pages),
                                    settings=file_settings(settings, task))
            conn.send(("ok", result))
        except MemoryError:
            conn.send(("ok", failed(task, ErrorType.TOO_LARGE, "the file needs more memory than allowed "
                                                        f"(--memory-mb {settings.memory_mb})")))
        except Exception as exc:  # noqa: BLE001 - process_source should not raise; report if it does
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        code = worker_main(int(sys.argv[2]))
        sys.stdout.flush()
        os._exit(code)  # skip interpreter teardown: libraries' exit hooks took seconds
    print("usage: python -m pipeline.run.runner --worker FD (started by `circulars ingest`)", file=sys.stderr)
    sys.exit(2)
