"""What both fuzzers share: seed letters, Thai fragments, the invariants checked on a result, and the loop.

The fuzzers are hypothesis at scale rather than atheris: hypothesis is
already a test dependency, it shrinks a failure to a small input worth
reading, and the interesting inputs here are structured (letters with
their keywords moved about) rather than raw bytes, which coverage-guided
byte mutation finds slowly.
"""
from __future__ import annotations

import argparse
import datetime as dt
import faulthandler
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def seed_letters() -> list[str]:
    """The sample letters: real structure for mutations to break."""
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]


def fragments() -> list[str]:
    """Words the extractors key on, and characters that have broken Thai text handling elsewhere."""
    from pipeline.thai import facts

    out: list[str] = []
    vocab = facts.vocabulary()
    for value in vocab.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    out.append(item)
                elif isinstance(item, dict):
                    out.extend(item.get("cues", []))
        elif isinstance(value, dict):
            for sub in value.values():
                if isinstance(sub, list):
                    out.extend(sub)
    out += list(facts.months()) + list(facts.weekdays()) + list(facts.agencies())[:40]
    out += ["ที่ ", "ที่ มท ๐๓๐๕.๑/ว ", "/ว", "เรื่อง ", "เรียน ", "ถึง ", "อ้างถึง ", "สิ่งที่ส่งมาด้วย ",
            "ลงวันที่ ", "วันที่ ", "พ.ศ. ", "ค.ศ. ", "เวลา ", " น.", "(", ")", "๒๕๖๗", "2567", "๓๑", "29",
            "๐๒ ๒๒๓ ๔๕๖๗", "ต่อ ", "ภายในวันที่ ", "ระหว่างวันที่ ", " - ", "จำนวน ๑ ชุด", "ฉบับ",
            "\u0e4d\u0e32", "\u0e4d\u0e48\u0e32", "\u0e48\u0e48", "\u0e40\u0e40", "\u0e31\u0e34", "\u200b",
            "\ufeff", "\u00ad", "\r\n", "\r", "\f", "\x00", "\x0b", "\u2028", "\u0301", "\u0e33",
            "9" * 25, "๙" * 25, "0", "-1", "99/99/9999", "\t", "\u3000", "\u202e", "ﬁ", "Å", "\U0001f600"]
    return out


@st.composite
def mailroom_text(draw: st.DrawFn) -> str:
    """A letter as a mailroom might deliver it: a real letter cut, spliced, doubled and salted."""
    seeds, frags = _SEEDS, _FRAGMENTS
    base = draw(st.sampled_from(seeds)) if draw(st.booleans()) else ""
    for _ in range(draw(st.integers(0, 10))):
        op = draw(st.integers(0, 9))
        n = len(base)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 400)))
        if op == 0:
            base = base[:i] + draw(st.sampled_from(frags)) + base[i:]
        elif op == 1:
            base = base[:i] + base[j:]
        elif op == 2:
            base = base[:i] + base[i:j] * draw(st.integers(2, 6)) + base[j:]
        elif op == 3:
            base = base[:i] + draw(st.text(max_size=30)) + base[i:]
        elif op == 4:  # splice in a piece of another letter
            other = draw(st.sampled_from(seeds))
            k = draw(st.integers(0, len(other)))
            base = base[:i] + other[k:k + draw(st.integers(0, 600))] + base[i:]
        elif op == 5:  # lines joined or broken
            base = base[:i] + base[i:j].replace("\n", draw(st.sampled_from(["", " ", "\n\n\n", "\r\n"]))) + base[j:]
        elif op == 6:  # a very long line
            base = base[:i] + draw(st.sampled_from(frags)) * draw(st.integers(50, 3000)) + base[i:]
        elif op == 7:  # digits swapped between scripts, or numbers made huge
            table = str.maketrans("0123456789๐๑๒๓๔๕๖๗๘๙", "๐๑๒๓๔๕๖๗๘๙0123456789")
            base = base[:i] + base[i:j].translate(table) + base[j:]
        elif op == 8:
            base = base[:i] + "".join(draw(st.lists(st.sampled_from(frags), max_size=12))) + base[i:]
        else:  # one structure many times over: what finds quadratic loops (merged exports, lists)
            unit = "".join(draw(st.lists(st.sampled_from(frags), min_size=1, max_size=4)))
            sep = draw(st.sampled_from(["\n", " ", "\n\n", ""]))
            base = base[:i] + (unit + sep) * draw(st.integers(100, 8000)) + base[i:]
    return base


_SEEDS: list[str] = []
_FRAGMENTS: list[str] = []


def load_corpus() -> None:
    if not _SEEDS:
        _SEEDS.extend(seed_letters())
        _FRAGMENTS.extend(fragments())


class Finding(AssertionError):
    """An invariant broken: the fuzzer's reason to stop and report."""


def check_result(result, text_length_of: Callable[[dict], int] | None = None) -> None:
    """Everything a SourceResult must satisfy whatever the input was.

    An `internal_error` row is a bug by definition (process.py turns any
    unexpected exception into one); rows must fit the Parquet schema, or
    the writer would take the whole run down; dates are real dates or null;
    spans lie inside their letter's text.
    """
    from pipeline.store.write import rows_of
    from schemas.tables import to_table

    for error in result.errors:
        if error.error_type == "internal_error":
            raise Finding(f"internal_error at {error.stage}: {error.message}")
    for name, rows in rows_of(result).items():
        try:
            to_table(name, rows)
        except Exception as exc:
            raise Finding(f"rows of {name} do not fit the schema: {type(exc).__name__}: {exc}") from exc
    for record in result.letters:
        text = record.letter["text"] or ""
        for key, value in record.letter.items():
            if key == "date" or key.endswith("_date"):
                if value is not None and not isinstance(value, dt.date):
                    raise Finding(f"letter {key} is {value!r}, not a date")
        for table in ("citations", "deadlines", "mentions"):
            for row in getattr(record, table):
                if row.get("date") is not None and not isinstance(row["date"], dt.date):
                    raise Finding(f"{table}.date is {row['date']!r}, not a date")
        for span in record.spans:
            if not 0 <= span.start <= span.end <= len(text):
                raise Finding(f"span {span.label} [{span.start}, {span.end}) outside a text of {len(text)}")


def run_for(name: str, test_factory: Callable[[int], Callable[[], None]], argv: list[str] | None = None) -> int:
    """Run `test_factory(max_examples)()` again and again with fresh seeds until the time is up.

    Each finding is shrunk by hypothesis, written to the findings folder, and
    the run goes on (unless --stop), so one bug does not hide the next. A hang
    is caught by faulthandler: the stacks are dumped and the process exits,
    with the input that hung left in the work folder.
    """
    parser = argparse.ArgumentParser(prog=f"python -m fuzz.{name}")
    parser.add_argument("--seconds", type=float, default=300, help="how long to fuzz")
    parser.add_argument("--batch", type=int, default=200, help="examples per hypothesis run")
    parser.add_argument("--findings", type=Path, default=None, help="where to write findings (default: a temp folder)")
    parser.add_argument("--stop", action="store_true", help="stop at the first finding")
    args = parser.parse_args(argv)
    findings = args.findings or Path(tempfile.mkdtemp(prefix=f"{name}-findings-"))
    findings.mkdir(parents=True, exist_ok=True)
    FINDINGS_DIR[0] = findings
    load_corpus()
    deadline = time.monotonic() + args.seconds
    runs = examples = 0
    found: list[str] = []
    started = time.monotonic()
    while time.monotonic() < deadline:
        runs += 1
        test = test_factory(args.batch)
        EXAMPLES[0] = 0
        try:
            test()
        except Exception as exc:  # a Finding, or a bug in a stage (the test lets stage bugs through)
            if hasattr(exc, "__notes__"):
                exc.__notes__ = []  # hypothesis's repr of the input: it is in "input" already
            summary = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[0][:300]
            record = findings / f"finding-{len(found):03d}.json"
            record.write_text(json.dumps({"summary": summary, "input": LAST_FAILING[0],
                                          "traceback": "".join(traceback.format_exception(exc))[-6000:]}, ensure_ascii=False, indent=1,
                                         default=repr), encoding="utf-8")
            found.append(summary)
            print(f"[{name}] FINDING {record}: {summary}", flush=True)
            if args.stop:
                break
        examples += EXAMPLES[0]
        elapsed = time.monotonic() - started
        print(f"[{name}] run {runs}: {examples} examples, {len(found)} findings, {elapsed:.0f} s", flush=True)
    elapsed = time.monotonic() - started
    print(f"[{name}] done: {elapsed:.0f} s, {runs} runs, {examples} examples, {len(found)} findings in {findings}")
    for line in sorted(set(found)):
        print(f"  - {line}")
    return 1 if found else 0


EXAMPLES = [0]
LAST_FAILING: list[object] = [None]


def fuzz_settings(max_examples: int) -> settings:
    """Many examples, no database (every run explores afresh), a fresh random seed, shrinking kept."""
    return settings(max_examples=max_examples, deadline=None, database=None, derandomize=False,
                    phases=(Phase.generate, Phase.shrink),
                    suppress_health_check=list(HealthCheck), print_blob=False)


SLOW_SECONDS = 20.0  # one example slower than this is logged as a finding (a linear input should not be)


def note_slow(name: str, seconds: float, size: int, sample: object) -> None:
    """Log an input that took too long, without failing the example: timing is too noisy
    on a shared machine for hypothesis to shrink on it, so the input is kept as it was."""
    if seconds < SLOW_SECONDS or FINDINGS_DIR[0] is None:
        return
    folder = FINDINGS_DIR[0]
    record = folder / f"slow-{len(list(folder.glob('slow-*.json'))):03d}.json"
    record.write_text(json.dumps({"seconds": round(seconds, 1), "size": size, "input": sample},
                                 ensure_ascii=False, default=repr), encoding="utf-8")
    print(f"[{name}] SLOW {seconds:.0f} s for {size:,} characters/bytes: {record}", flush=True)


FINDINGS_DIR: list[Path | None] = [None]


class Watchdog:
    """Dumps every stack and exits when one example runs longer than `seconds`: a hang is a finding."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self) -> "Watchdog":
        faulthandler.dump_traceback_later(self.seconds, exit=True)
        return self

    def __exit__(self, *exc) -> None:
        faulthandler.cancel_dump_traceback_later()


def work_dir(name: str) -> Path:
    """A private folder in memory for the fuzzer's input files (RAM, not the shared disk)."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    folder = base / f"{name}-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    return folder


__all__ = ["given", "st", "random", "sys"]
