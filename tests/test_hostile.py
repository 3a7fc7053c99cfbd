"""Issue 7: a mailroom folder of broken and hostile files, ingested with the real `circulars` command.

One run over `tests/hostile_inputs.py`'s folder (every bad input of the
issue next to good letters), in a subprocess as a user would run it, then
checks: every good letter is present and reads as it does from the clean
sample, every bad file is exactly one `errors` row of the right type, the
exit status is 3 (pipeline.cli.EXIT_SOME_FAILED), no traceback, and nothing
is written outside --out (inputs, working folder and TMPDIR are left as
they were). Two more runs check an output folder that cannot be written
and one that fills up.

Permission bits do not stop root, and CI runs as root: there the command
runs under `setpriv` without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so an
unreadable file is unreadable to it as it would be to any user.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import EXIT_SOME_FAILED, EXIT_USAGE
from pipeline.letters.process import process_source
from tests.hostile_inputs import BAD, GOOD, MAX_PAGES, NO_LETTERS, SAME_FILE, SAMPLES, SHELL_NAMES, build

IS_ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")
DROP_DAC = [SETPRIV, "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search"] if SETPRIV else []
PERMISSIONS_BITE = not IS_ROOT or bool(SETPRIV)
NEEDS_PERMISSIONS = {"bad/locked.txt", "bad/locked folder"}

# Bad inputs whose handling is known to be missing: the row is expected, and the test says so when it appears.
PENDING: dict[str, str] = {}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    inputs: Path
    out: Path
    cwd: Path
    tmp: Path


def circulars(args: list[str], *, cwd: Path, tmp: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """The installed `circulars` command in a subprocess, with its own TMPDIR and working folder."""
    command = Path(sys.executable).with_name("circulars")
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "pipeline.cli"]
    env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp), "PYTHONPATH": str(SAMPLES.parent)}
    prefix = DROP_DAC if IS_ROOT else []
    return subprocess.run(prefix + argv + args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every name under root with its size and mtime (links not followed, locked folders not entered)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            st = path.lstat()
            out[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    base = tmp_path_factory.mktemp("hostile")
    inputs, out, cwd, tmp = base / "in", base / "out", base / "cwd", base / "tmp"
    build(inputs)
    cwd.mkdir()
    tmp.mkdir()
    before = snapshot(inputs)
    done = circulars(["ingest", str(inputs), "--out", str(out), "--max-pages", str(MAX_PAGES),
                      "--timeout", "300", "--jobs", "2"], cwd=cwd, tmp=tmp)
    assert snapshot(inputs) == before, "the run changed its input folder"
    result = Run(done.returncode, done.stdout, done.stderr, inputs, out, cwd, tmp)
    yield result
    for locked in NEEDS_PERMISSIONS:
        (inputs / locked).chmod(0o755)


@pytest.fixture(scope="module")
def tables(run: Run) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(run.out / name) for name in ("letters", "errors")}


def expected_letters(prefix: str) -> list[tuple]:
    """What the clean sample reads as: the fields a hostile neighbour must not change."""
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    result = process_source(path, path.name)
    assert not result.errors
    return [(r.letter["ref"], r.letter["date"], r.letter["subject"]) for r in result.letters]


def fields_of(letters: pd.DataFrame, path: str) -> list[tuple]:
    got = letters[letters.source_path == path].sort_values("segment")
    return [(r.ref, r.date if pd.notna(r.date) else None, r.subject if pd.notna(r.subject) else None)
            for r in got.itertuples()]


def test_exit_status_says_some_files_failed_and_nothing_crashed(run: Run) -> None:
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.returncode == EXIT_SOME_FAILED, run.stderr[-3000:]


@pytest.mark.parametrize("path", sorted(GOOD))
def test_every_good_letter_is_present_and_correct(run: Run, tables: dict[str, pd.DataFrame], path: str) -> None:
    assert fields_of(tables["letters"], path) == expected_letters(GOOD[path])
    errors = tables["errors"]
    assert errors[errors.source_path == path].empty


@pytest.mark.parametrize("bad", BAD, ids=[b.path for b in BAD])
def test_each_bad_file_is_one_errors_row_of_its_type(run: Run, tables: dict[str, pd.DataFrame], bad) -> None:
    if bad.path in NEEDS_PERMISSIONS and not PERMISSIONS_BITE:
        pytest.skip("running as root without setpriv: permission bits do not apply")
    errors = tables["errors"]
    rows = errors[errors.source_path == bad.path]
    if bad.path in PENDING and list(rows.error_type) != [bad.error_type]:
        pytest.xfail(PENDING[bad.path])
    assert list(rows.error_type) == [bad.error_type], rows.to_dict("records")
    message = rows.message.iloc[0]
    assert bad.message_has in message
    assert "Traceback" not in message and len(message) <= 500


def test_no_other_errors_rows(tables: dict[str, pd.DataFrame]) -> None:
    """Good files and letterless ones are not errors; nothing is an internal error."""
    errors = tables["errors"]
    expected = {b.path for b in BAD} if PERMISSIONS_BITE else {b.path for b in BAD} - NEEDS_PERMISSIONS
    unexpected = errors[~errors.source_path.isin(expected)]
    assert unexpected.empty, unexpected.to_dict("records")
    internal = errors[(errors.error_type == "internal_error") & ~errors.source_path.isin(PENDING)]
    assert internal.empty, internal.to_dict("records")


def test_a_document_without_letters_is_a_warning_not_an_error(run: Run, tables) -> None:
    sources = json.loads((run.out / "manifest.json").read_text(encoding="utf-8"))["sources"]
    for path in NO_LETTERS:
        entry = sources[path]
        assert entry["letters"] == 0 and not entry["errors"]
        assert any("no letter" in w for w in entry["warnings"])


def test_a_very_long_line_is_read_with_a_warning(tables) -> None:
    letters = tables["letters"]
    last = letters[letters.source_path == "letters/long line.txt"].sort_values("segment").iloc[-1]
    assert any("characters" in w for w in last.warnings)


def test_the_same_file_under_two_names_is_read_once(run: Run, tables) -> None:
    letters = tables["letters"]
    read = [name for name in SAME_FILE if not letters[letters.source_path == name].empty]
    assert len(read) == 1, read
    assert fields_of(letters, read[0]) == expected_letters("000")
    other = next(name for name in SAME_FILE if name != read[0])
    manifest = json.loads((run.out / "manifest.json").read_text(encoding="utf-8"))
    assert any(i.startswith(f"{other} (the same file as {read[0]})") for i in manifest["ignored"])


def test_letter_ids_are_unique_even_for_identical_copies(run: Run, tables) -> None:
    """A byte-identical copy under another name is set aside, and the manifest says whose copy it is."""
    sources = json.loads((run.out / "manifest.json").read_text(encoding="utf-8"))["sources"]
    copy = sources["letters/copy of 000.txt"]
    assert copy["outcome"] == "copy" and copy["copy_of"] in SAME_FILE and copy["letters"] == 0
    letters = tables["letters"]
    assert not letters.letter_id.duplicated().any(), letters[letters.letter_id.duplicated(keep=False)][
        ["source_path", "letter_id"]].to_dict("records")


def test_nothing_is_written_outside_out(run: Run) -> None:
    assert not any(run.cwd.iterdir()), list(run.cwd.iterdir())
    assert not any(run.tmp.iterdir()), list(run.tmp.iterdir())
    stray = [p for p in run.out.rglob("*") if p.name.endswith(".tmp") or "worker-" in p.name]
    assert not stray


def test_no_shell_command_is_built_from_a_file_name(run: Run, tables) -> None:
    """Files named `$(touch PWNED)…` were read (one through tesseract) and nothing ran."""
    base = run.inputs.parent
    assert not [p for p in base.rglob("PWNED")] and not (Path.cwd() / "PWNED").exists()
    letters = tables["letters"]
    assert set(SHELL_NAMES) - set(letters.source_path) == {SHELL_NAMES[1]}  # the scan is blank


def test_an_output_folder_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    if not PERMISSIONS_BITE:
        pytest.skip("running as root without setpriv: permission bits do not apply")
    letter = tmp_path / "in" / "000.txt"
    letter.parent.mkdir()
    shutil.copy(next(SAMPLES.glob("000_*.txt")), letter)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    a_file = tmp_path / "a file"
    a_file.write_text("not a folder")
    (tmp_path / "tmp").mkdir()
    try:
        for out in (locked / "out", locked, a_file):
            done = circulars(["ingest", str(letter.parent), "--out", str(out), "--quiet"],
                             cwd=tmp_path, tmp=tmp_path / "tmp")
            assert done.returncode == EXIT_USAGE, done.stderr
            assert "Traceback" not in done.stderr and "cannot" in done.stderr, done.stderr
    finally:
        locked.chmod(0o755)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 96 KiB tmpfs: room for the folders and the first part files, not for the whole dataset."""
    if not IS_ROOT or not shutil.which("mount"):
        pytest.skip("needs root to mount a small file system")
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mountpoint)],
                             capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_an_output_folder_that_fills_up_fails_clearly(tmp_path: Path, small_disk: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(path, inputs / path.name)
    (tmp_path / "tmp").mkdir()
    out = small_disk / "out"
    done = circulars(["ingest", str(inputs), "--out", str(out), "--quiet", "--jobs", "1"],
                     cwd=tmp_path, tmp=tmp_path / "tmp")
    assert done.returncode not in (0, EXIT_SOME_FAILED), "a dataset that could not be written was reported written"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "space" in done.stderr.lower(), done.stderr
    stray = [p for p in small_disk.rglob("*") if p.name.endswith(".tmp")]
    assert not stray, stray
    # with room made, the same command finishes the dataset, as the message promises
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
    done = circulars(["ingest", str(inputs), "--out", str(out), "--quiet", "--jobs", "1"],
                     cwd=tmp_path, tmp=tmp_path / "tmp")
    assert done.returncode == 0, done.stderr[-3000:]
    letters = pd.read_parquet(out / "letters")
    assert len(letters) == sum(len(expected_letters(p.name[:3])) for p in SAMPLES.glob("*.txt"))
    assert not letters.letter_id.duplicated().any()
