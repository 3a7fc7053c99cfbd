"""Mailroom scale (issue 5): parallel, distributed, incremental, crash-safe, isolated.

Everything here is real: worker processes, a Dask LocalCluster with worker
processes, a CLI subprocess killed with SIGKILL, a worker process killed with
SIGKILL while it reads, a file slow enough to hit the timeout. The corpus is
real seed letters with other numbers, dates and names (`pipeline.corpus`).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from pipeline.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main
from pipeline.corpus import make_corpus
from pipeline.run.ingest import run_ingest
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "samples").glob("*.txt"))
CLI = [sys.executable, "-m", "pipeline.cli"]

pytestmark = pytest.mark.slow


def table(out: Path, name: str) -> pd.DataFrame:
    """A table as a frame in a canonical row order (part files and completion order vary)."""
    parts = sorted((out / name).glob("part-*.parquet"))
    frame = pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)
    key = frame.map(lambda v: repr(v.tolist() if hasattr(v, "tolist") else v))
    return frame.loc[key.sort_values(list(key.columns)).index].reset_index(drop=True)


def tables(out: Path) -> dict[str, pd.DataFrame]:
    return {d.name: table(out, d.name) for d in sorted(out.iterdir())
            if d.is_dir() and not d.name.startswith(".") and any(d.glob("part-*.parquet"))}


def assert_same_dataset(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    assert ta.keys() == tb.keys()
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(folder, SEEDS, 24, seed=5, per_folder=10)
    return folder


@pytest.fixture(scope="module")
def sequential(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: one worker."""
    out = tmp_path_factory.mktemp("seq") / "out"
    assert main(["ingest", str(corpus), "--out", str(out), "--jobs", "1", "--quiet"]) == EXIT_OK
    return out


def test_parallel_equals_sequential(corpus: Path, sequential: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_ingest([str(corpus)], out, jobs=2, flush_letters=7)
    assert summary.jobs == 2 and summary.read == 24 and summary.failed == 0
    assert len(list((out / "letters").glob("part-*.parquet"))) > 2  # streamed in several groups
    assert_same_dataset(sequential, out)
    letters = table(out, "letters")
    assert letters["letter_id"].is_unique and len(letters) == summary.letters


def test_dask_local_cluster_equals_local(corpus: Path, sequential: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out"
        code = main(["ingest", str(corpus), "--out", str(out), "--scheduler", cluster.scheduler_address,
                     "--quiet"])
        assert code == EXIT_OK
        assert manifest(out)["options"]["scheduler"] == cluster.scheduler_address
        assert manifest(out)["summary"]["jobs"] == 2

        # isolation holds on the cluster too: a hanging file is given up, the Dask workers live on
        hang = tmp_path / "hang"
        make_corpus(hang, SEEDS, 2, seed=8)
        _slow_letter(hang / "slow.txt", 400)
        code = main(["ingest", str(hang), "--out", str(tmp_path / "hang-out"), "--scheduler",
                     cluster.scheduler_address, "--timeout", "3", "--quiet"])
        assert code == EXIT_SOME_FAILED
        errors = table(tmp_path / "hang-out", "errors")
        assert errors[["source_path", "error_type"]].values.tolist() == [["slow.txt", "timeout"]]
        assert len(cluster.scheduler_info["workers"]) == 2
    assert_same_dataset(sequential, out)


def test_unreachable_scheduler_is_a_usage_error(corpus: Path, tmp_path: Path, capsys) -> None:
    code = main(["ingest", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9",
                 "--quiet"])
    assert code == EXIT_USAGE
    assert "Dask scheduler" in capsys.readouterr().err


def test_incremental_skip_replace_vanish_prune(corpus: Path, sequential: Path, tmp_path: Path, capsys) -> None:
    src = tmp_path / "src"
    make_corpus(src, SEEDS, 24, seed=5, per_folder=10)  # the same bytes as `corpus`
    out = tmp_path / "out"
    assert main(["ingest", str(src), "--out", str(out), "--quiet"]) == EXIT_OK
    parts = {p: p.stat().st_mtime_ns for p in out.glob("*/part-*.parquet")}

    # nothing changed: nothing read, nothing rewritten, and the run says so
    assert main(["ingest", str(src), "--out", str(out)]) == EXIT_OK
    said = capsys.readouterr().out
    assert "0 read, 24 skipped" in said and "skipped 24 unchanged" in said
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/part-*.parquet")} == parts
    os.utime(next(src.rglob("*.txt")))  # touched, same bytes: hashed and still skipped
    assert run_ingest([str(src)], out).skipped == 24

    # one changed, one new, one gone
    changed = sorted(src.rglob("*.txt"))[3]
    old_text = changed.read_text(encoding="utf-8")
    new_text = old_text.replace("เรื่อง", "เรื่อง ฉบับแก้ไข", 1)
    assert new_text != old_text
    changed.write_text(new_text, encoding="utf-8")
    gone = sorted(src.rglob("*.txt"))[5]
    gone_rel = str(gone.relative_to(src))
    gone.unlink()
    (src / "box009").mkdir()
    (src / "box009" / "new.txt").write_text(SEEDS[1].read_text(encoding="utf-8"), encoding="utf-8")
    old_ids = set(table(out, "letters").query("source_path == @changed.relative_to(@src).as_posix()")["letter_id"])

    assert main(["ingest", str(src), "--out", str(out)]) == EXIT_OK
    said = capsys.readouterr().out
    assert "read 1 new and 1 changed files" in said and "22 unchanged" in said
    assert "1 files are gone from the inputs but kept" in said and gone_rel in said
    letters = table(out, "letters")
    assert letters["letter_id"].is_unique
    rel = str(changed.relative_to(src))
    mine = letters[letters["source_path"] == rel]
    assert set(mine["letter_id"]).isdisjoint(old_ids)  # replaced, not added
    assert all("ฉบับแก้ไข" in s for s in mine["subject"].head(1))
    for name in ("recipients", "citations", "deadlines", "contacts", "spans"):
        frame = table(out, name)
        if len(frame):
            assert not set(frame["letter_id"]) & old_ids, f"{name} keeps the replaced letter's rows"
    assert gone_rel in set(letters["source_path"])  # kept until --prune
    assert manifest(out)["sources"][rel]["sha256"] != manifest(sequential)["sources"][rel]["sha256"]

    assert main(["ingest", str(src), "--out", str(out), "--prune", "--quiet"]) == EXIT_OK
    assert gone_rel not in set(table(out, "letters")["source_path"])
    assert gone_rel not in manifest(out)["sources"]

    # the incremental dataset equals a fresh run over the same files
    fresh = tmp_path / "fresh"
    assert main(["ingest", str(src), "--out", str(fresh), "--quiet"]) == EXIT_OK
    assert_same_dataset(fresh, out)

    summary = run_ingest([str(src)], out, force=True)
    assert summary.read == 24 and summary.skipped == 0
    assert_same_dataset(fresh, out)


def test_older_schema_version_is_refused(corpus: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"schema_version": 0, "sources": {}}), encoding="utf-8")
    assert main(["ingest", str(corpus), "--out", str(out), "--quiet"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "schema_version 0" in err and "new folder" in err
    assert not (out / "letters").exists()


def _children(pid: int) -> list[psutil.Process]:
    try:
        return [p for p in psutil.Process(pid).children(recursive=True)
                if "pipeline.run.runner" in " ".join(p.cmdline())]
    except psutil.Error:
        return []


def test_kill_9_mid_run_then_resume(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_corpus(src, SEEDS, 60, seed=11, per_folder=20)
    reference = tmp_path / "reference"
    assert main(["ingest", str(src), "--out", str(reference), "--quiet"]) == EXIT_OK

    out = tmp_path / "out"
    run = subprocess.Popen(CLI + ["ingest", str(src), "--out", str(out), "--jobs", "2", "--batch", "4"],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    committed = 0
    while time.monotonic() < deadline and run.poll() is None:
        try:
            committed = len(manifest(out)["sources"])
        except (OSError, ValueError, KeyError):
            committed = 0
        if committed >= 8:
            break
        time.sleep(0.05)
    workers = _children(run.pid)
    assert run.poll() is None, "the run finished before it could be killed: make the corpus bigger"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert 8 <= committed < 60
    gone = psutil.wait_procs(workers, timeout=10)[1]
    assert not gone, "worker processes outlived the killed run"

    # restart: the same dataset as the uninterrupted run, nothing lost or doubled, no debris
    again = subprocess.run(CLI + ["ingest", str(src), "--out", str(out), "--jobs", "2"], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == EXIT_OK, again.stderr
    assert "skipped" in again.stdout
    assert_same_dataset(reference, out)
    assert not list(out.rglob("*.tmp")) and not (out / ".work").exists()
    listed = {f"part-{g}.parquet" for g in manifest(out)["groups"]}
    for part in (out / "letters").glob("part-*.parquet"):
        assert part.name in listed or part.name == "part-empty.parquet"


def test_sigterm_keeps_what_is_finished_and_the_rerun_completes(corpus: Path, sequential: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = subprocess.Popen(CLI + ["ingest", str(corpus), "--out", str(out), "--jobs", "2", "--batch", "1"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and run.poll() is None:
        try:
            if len(manifest(out)["sources"]) >= 3:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    workers = _children(run.pid)
    run.terminate()
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr
    assert manifest(out)["state"] == "interrupted"
    kept = len(manifest(out)["sources"])
    assert 3 <= kept < 24
    assert not psutil.wait_procs(workers, timeout=10)[1]
    summary = run_ingest([str(corpus)], out, jobs=2)
    assert (summary.read, summary.skipped) == (24 - kept, kept)
    assert_same_dataset(sequential, out)


def _slow_letter(path: Path, copies: int) -> Path:
    """A real letter repeated until reading it takes many seconds (one long mailroom scan's text)."""
    path.write_text(SEEDS[0].read_text(encoding="utf-8") * copies, encoding="utf-8")
    return path


def test_hanging_file_times_out_and_the_run_goes_on(tmp_path: Path, capsys) -> None:
    src = tmp_path / "src"
    make_corpus(src, SEEDS, 5, seed=3)
    _slow_letter(src / "slow.txt", 400)
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(["ingest", str(src), "--out", str(out), "--jobs", "2", "--timeout", "3"])
    assert code == EXIT_SOME_FAILED
    assert time.monotonic() - started < 90
    errors = table(out, "errors")
    assert errors[["source_path", "error_type"]].values.tolist() == [["slow.txt", "timeout"]]
    assert "--timeout" in errors["message"][0]
    assert set(table(out, "letters")["source_path"]) == {str(p.relative_to(src)) for p in src.rglob("box*/*.txt")}
    assert manifest(out)["sources"]["slow.txt"]["outcome"] == "failed"
    assert "slow.txt" in capsys.readouterr().err
    assert not (out / ".work").exists()

    # the same bytes are not given another timeout next night, but still count as failed
    again = run_ingest([str(src)], out, settings=Settings(timeout=3))
    assert (again.read, again.skipped, again.failed_before) == (0, 6, 1)
    assert main(["ingest", str(src), "--out", str(out), "--quiet", "--timeout", "3"]) == EXIT_SOME_FAILED
    retried = run_ingest([str(src)], out, settings=Settings(timeout=3), retry_failed=True)
    assert (retried.read, retried.failed, retried.skipped) == (0, 1, 5)
    assert table(out, "errors")["source_path"].tolist() == ["slow.txt"]


def test_worker_killed_while_reading_becomes_an_error_row(tmp_path: Path) -> None:
    """SIGKILL to the worker process mid-file, as the kernel's OOM killer would do it."""
    src = tmp_path / "src"
    make_corpus(src, SEEDS, 4, seed=4)
    _slow_letter(src / "huge.txt", 600)  # biggest first: the one worker's first file
    out = tmp_path / "out"
    run = subprocess.Popen(CLI + ["ingest", str(src), "--out", str(out), "--jobs", "1", "--timeout", "600"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = False
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not killed:
        for worker in _children(run.pid):
            try:  # well above a warmed-up idle worker (~180 MB): it is inside huge.txt (~400 MB)
                if worker.memory_info().rss > 300 * 2 ** 20:
                    worker.kill()
                    killed = True
            except psutil.Error:
                pass
        time.sleep(0.1)
    assert killed, "the worker never got to the big file"
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == EXIT_SOME_FAILED, stderr
    errors = table(out, "errors")
    assert errors[["source_path", "error_type"]].values.tolist() == [["huge.txt", "worker_crashed"]]
    assert "SIGKILL" in errors["message"][0]
    # a new worker read every other file
    assert set(table(out, "letters")["source_path"]) == {str(p.relative_to(src)) for p in src.rglob("box*/*.txt")}
    assert "4 read" in stdout and "1 failed" in stdout


def test_memory_limit_per_worker_costs_only_that_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_corpus(src, SEEDS, 3, seed=6)
    _slow_letter(src / "huge.txt", 1500)
    out = tmp_path / "out"
    summary = run_ingest([str(src)], out, jobs=1, settings=Settings(timeout=300, memory_mb=900))
    errors = table(out, "errors")
    assert errors["source_path"].tolist() == ["huge.txt"]
    assert errors["error_type"][0] in {"too_large", "worker_crashed", "internal_error"}
    assert "memory" in errors["message"][0].lower() or "MemoryError" in errors["message"][0]
    assert summary.read == 3 and summary.failed == 1


def test_one_scan_spreads_its_ocr_pages_over_the_cores(tmp_path: Path) -> None:
    """Fewer files than cores: the file gets the idle cores, one tesseract per page at once."""
    render = ROOT / "tests" / "tools" / "render.py"
    made = tmp_path / "made"
    subprocess.run([sys.executable, str(render), str(SEEDS[3]), "--out", str(made), "--scan", "--dpi", "200",
                    "--degrade", "light", "--seed", "1"], check=True, capture_output=True)
    src = tmp_path / "src"
    src.mkdir()
    scan = next(made.glob("*.scan.pdf"))
    shutil.copy(scan, src / scan.name)
    peaks = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        run = subprocess.Popen(CLI + ["ingest", str(src), "--out", str(out), "--jobs", str(jobs), "--quiet"],
                               cwd=ROOT)
        watch = OcrWatch(run.pid)
        run.wait()
        assert run.returncode == EXIT_OK
        peaks[jobs] = watch.stop().busy_peak
        assert manifest(out)["sources"][scan.name]["pages"] == 2
    assert peaks == {1: 1, 2: 2}  # one worker process, both cores: never more busy threads than cores
    assert_same_dataset(tmp_path / "out1", tmp_path / "out2")


def test_identical_copies_are_read_once_and_recorded(tmp_path: Path) -> None:
    """The same scan saved twice in a mailroom: one set of letters, a manifest that says so."""
    import json

    import pandas as pd

    from pipeline.run.ingest import run_ingest

    src = tmp_path / "in"
    src.mkdir()
    seed = sorted((Path(__file__).resolve().parents[1] / "samples").glob("003_*.txt"))[0]
    for name in ("b.txt", "a.txt", "สำเนา a.txt"):
        (src / name).write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    run_ingest([str(src)], out, jobs=2)
    letters = pd.read_parquet(out / "letters")
    assert letters["source_path"].tolist() == ["a.txt"]
    sources = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["sources"]
    assert {p: (e["outcome"], e.get("copy_of")) for p, e in sources.items()} == {
        "a.txt": ("read", None), "b.txt": ("copy", "a.txt"), "สำเนา a.txt": ("copy", "a.txt")}
    # a later copy of a letter already in the dataset is set aside too
    (src / "c.txt").write_bytes(seed.read_bytes())
    run_ingest([str(src)], out, jobs=2)
    assert len(pd.read_parquet(out / "letters")) == 1


def _render_scan(src: Path, out: Path) -> Path:
    """`src` printed in Sarabun and scanned (medium degradation) by the project's renderer."""
    import fontpkg_sarabun

    font = Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf"
    subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "render.py"), str(src), "--out", str(out),
                    "--scan", "--degrade", "medium", "--seed", "7", "--font", str(font)],
                   check=True, capture_output=True)
    return out / f"{src.stem}.scan.pdf"


class OcrWatch:
    """What the worker processes under `root` do while a run goes on, sampled every 0.1 s:
    which of them load libtesseract (OCR runs in the worker, through tesserocr), and the most
    of their threads busy on a core at once (a thread that used half a sample's time or more)."""

    def __init__(self, root: int | None = None) -> None:
        import threading

        self.root = psutil.Process(root)
        self.readers: set[int] = set()
        self.busy_peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        before: dict[tuple[int, int], float] = {}
        then = time.perf_counter()
        while not self.done.is_set():
            time.sleep(0.1)
            now = time.perf_counter()
            cpu: dict[tuple[int, int], float] = {}
            try:
                procs = self.root.children(recursive=True)
            except psutil.Error:
                break
            for proc in procs:
                try:
                    if proc.pid not in self.readers and "libtesseract" in Path(f"/proc/{proc.pid}/maps").read_text():
                        self.readers.add(proc.pid)
                    for t in proc.threads():
                        cpu[(proc.pid, t.id)] = t.user_time + t.system_time
                except (psutil.Error, OSError):
                    pass
            busy = sum(1 for k, v in cpu.items() if k in before and v - before[k] >= 0.5 * (now - then))
            self.busy_peak = max(self.busy_peak, busy)
            before, then = cpu, now

    def stop(self) -> "OcrWatch":
        self.done.set()
        self.thread.join()
        return self


@pytest.fixture(scope="module")
def long_scan(tmp_path_factory) -> Path:
    """A folder holding one 7-page scan of two real letters (a covering letter and the one it forwards)."""
    import pypdfium2

    from pipeline.run.runner import PART_PAGES

    seed = next(p for p in SEEDS if p.name.startswith("000_"))
    scan = _render_scan(seed, tmp_path_factory.mktemp("render"))
    assert len(pypdfium2.PdfDocument(str(scan))) > PART_PAGES  # else it is not split
    src = tmp_path_factory.mktemp("long-scan")
    (src / "batch.pdf").write_bytes(scan.read_bytes())
    return src


def test_long_scan_is_read_in_parts_by_every_worker(tmp_path: Path, long_scan: Path) -> None:
    """A 7-page scan with 2 workers: its pages are OCR'd by both, in parts, and the
    dataset is the one a single worker reading it whole writes."""
    src = long_scan

    whole = run_ingest([str(src)], tmp_path / "one", jobs=1)
    watch = OcrWatch()
    parts = run_ingest([str(src)], tmp_path / "two", jobs=2)
    readers = watch.stop().readers
    assert len(readers) >= 2, "one worker OCR'd every page"
    assert (whole.letters, whole.pages, whole.failed) == (parts.letters, parts.pages, parts.failed) == (2, 7, 0)
    for name in ("letters", "recipients", "citations", "deadlines", "contacts", "spans", "errors"):
        assert table(tmp_path / "one", name).equals(table(tmp_path / "two", name)), name
    assert table(tmp_path / "two", "letters")[["page_start", "page_end"]].values.tolist() == [[1, 3], [3, 7]]


def test_a_part_that_fails_is_an_errors_row_naming_its_pages(tmp_path: Path, long_scan: Path) -> None:
    """Every part of the scan given up (--timeout shorter than 3 pages of OCR): the file is
    one failure with an errors row per part, saying which pages, and the run goes on."""
    summary = run_ingest([str(long_scan)], tmp_path / "out", jobs=2, settings=Settings(timeout=2))
    assert (summary.failed, summary.letters) == (1, 0)
    errors = table(tmp_path / "out", "errors")
    assert errors["error_type"].tolist() == ["timeout", "timeout"]
    assert sorted(m.split(":")[0] for m in errors["message"]) == ["pages 1-4", "pages 5-7"]
    assert manifest(tmp_path / "out")["sources"]["batch.pdf"]["outcome"] == "failed"
