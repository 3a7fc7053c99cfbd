"""Corrections that stick: the log `OUT/corrections.jsonl` read and appended safely, and applied by
every ingest (re-runs and `--force`), with a changed source's corrections kept aside as stale."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.store.corrections import (
    Correction,
    CorrectionError,
    CorrectionLog,
    normalise_value,
    now_iso,
    read_log,
)
from tests.conftest import SAMPLES, seed


def _letters(out: Path) -> dict[str, dict]:
    from pipeline.api import open_dataset

    return {r["letter_id"]: r for r in open_dataset(out).arrow("letters").to_pylist()}


def _correction(letter: dict, name: str, after: str | None, action: str = "correct") -> Correction:
    before = letter.get(name)
    return Correction(letter["letter_id"], name, None if before is None else str(before), after, action,
                      "tester", now_iso(), letter["source_path"], letter["source_sha256"])


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    return folder


def _ingest(inputs: Path, out: Path, *flags: str) -> int:
    return main(["ingest", str(inputs), "--out", str(out), "--quiet", *flags])


def test_values_are_checked_and_normalised():
    assert normalise_value("date", "๒๕๖๗-๐๑-๑๘".replace("๒๕๖๗", "2024")) == "2024-01-18"
    assert normalise_value("ref", "มท ๐๓๐๕.๑/ว ๑๖๖๐") == "มท 0305.1/ว 1660"
    assert normalise_value("subject", "  การ   ประชุม ") == "การ ประชุม"
    assert normalise_value("issuer", "   ") is None
    assert normalise_value("date", None) is None
    for name, value, says in [("date", "2024-02-30", "not a date that exists"),
                              ("date", "2567-01-18", "Buddhist-era"),
                              ("date", "18/01/2024", "YYYY-MM-DD"),
                              ("form", "letter", "must be one of"),
                              ("urgency", "ด่วนจี๋", "must be one of"),
                              ("colour", "red", "unknown field"),
                              ("subject", 5, "a string or null")]:
        with pytest.raises(CorrectionError, match=says):
            normalise_value(name, value)


def test_truncated_last_line_is_read_up_to_it(tmp_path: Path):
    log = CorrectionLog(tmp_path)
    first = Correction("a" * 20, "date", None, "2024-01-18", "correct", "t", now_iso())
    log.append([first])
    with open(tmp_path / "corrections.jsonl", "ab") as handle:  # a crash in the middle of a write
        handle.write(json.dumps({"letter_id": "b" * 20, "field": "date"}).encode()[:25])
    read = read_log(tmp_path)
    assert read.corrections == [first]
    assert len(read.warnings) == 1 and "line 2 is cut short" in read.warnings[0]
    # the next append starts on a line of its own: nothing it writes is lost to the broken line
    second = Correction("c" * 20, "subject", None, "x", "correct", "t", now_iso())
    log.append([second])
    read = read_log(tmp_path)
    assert read.corrections == [first, second]
    assert "line 2 is not a correction" in read.warnings[0]


def test_concurrent_appends_lose_nothing(tmp_path: Path):
    log = CorrectionLog(tmp_path)
    barrier = threading.Barrier(8)

    def save(worker: int) -> None:
        barrier.wait()
        for i in range(50):
            log.append([Correction(f"{worker:02d}{i:018d}", "subject", None, "ก" * 500, "correct", "t", now_iso())])

    threads = [threading.Thread(target=save, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    read = read_log(tmp_path)
    assert not read.warnings
    assert len({c.letter_id for c in read.corrections}) == len(read.corrections) == 400


def test_corrections_survive_reruns_and_force(inputs: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert _ingest(inputs, out) == 0
    letters = _letters(out)
    no_date = next(l for l in letters.values() if l["date"] is None)
    dated = next(l for l in letters.values() if l["date"] is not None and l["form"])
    CorrectionLog(out).append([
        _correction(no_date, "date", "2017-03-01"),
        _correction(no_date, "ref", "มท 0812/694"),
        _correction(dated, "form", dated["form"], "confirm"),
    ])
    for flags in ((), (), ("--force",)):  # the log changed; nothing changed; everything read again
        assert _ingest(inputs, out, *flags) == 0
        now = _letters(out)
        fixed = now[no_date["letter_id"]]
        assert fixed["date"] == dt.date(2017, 3, 1) and fixed["ref"] == "มท 0812/694"
        assert fixed["agency_code"] == "มท" and fixed["agency_name"] == "กระทรวงมหาดไทย"  # follow the ref
        assert fixed["corrected_fields"] == ["date", "ref"]
        assert now[dated["letter_id"]]["corrected_fields"] is None  # marked right: not a correction
        rows = {(r["letter_id"], r["field"]): r for r in pq.read_table(out / "corrections").to_pylist()}
        assert rows[(no_date["letter_id"], "ref")]["value_extracted"] == no_date["ref"]
        assert rows[(no_date["letter_id"], "date")]["status"] == "applied"
        assert rows[(dated["letter_id"], "form")]["status"] == "confirmed"
    # the graph was built on the corrected values
    from pipeline.api import open_dataset

    nodes = open_dataset(out).nodes
    assert "มท 0812/694" in set(nodes["ref"]) and "นท 0812/694" not in set(nodes["ref"])

    # a log replaced by one that no longer decides them: the extractor's values come back
    (out / "corrections.jsonl").write_text("", encoding="utf-8")
    assert _ingest(inputs, out) == 0
    back = _letters(out)[no_date["letter_id"]]
    assert (back["date"], back["ref"], back["agency_code"], back["corrected_fields"]) == \
        (None, no_date["ref"], no_date["agency_code"], None)
    assert pq.read_table(out / "corrections").num_rows == 0


def test_a_changed_source_makes_its_corrections_stale(inputs: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert _ingest(inputs, out) == 0
    path = seed("003").name
    letter = next(l for l in _letters(out).values() if l["source_path"] == path)
    CorrectionLog(out).append([_correction(letter, "subject", "เรื่องที่ผู้ตรวจแก้")])
    assert _ingest(inputs, out) == 0
    assert _letters(out)[letter["letter_id"]]["subject"] == "เรื่องที่ผู้ตรวจแก้"

    source = inputs / path
    source.write_text(source.read_text(encoding="utf-8").replace("เรื่อง", "เรื่อง ", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["ingest", str(inputs), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1 stale" in printed and f"{path} changed since the review" in printed
    now = [l for l in _letters(out).values() if l["source_path"] == path]
    assert len(now) == 1 and now[0]["letter_id"] != letter["letter_id"]
    assert now[0]["subject"] != "เรื่องที่ผู้ตรวจแก้" and now[0]["corrected_fields"] is None
    rows = pq.read_table(out / "corrections").to_pylist()
    assert [(r["status"], r["field"]) for r in rows] == [("stale", "subject")]
    assert "changed since the review" in rows[0]["reason"]
