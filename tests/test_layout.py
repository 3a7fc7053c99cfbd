"""Page layout from word boxes on real scans: the letterhead's two blocks, receipt stamps.

The page images are real scanned letters of the dev set (tests/data/real/MANIFEST.tsv):
r32's first page and r44's head in one bit a pixel, and the heads of r45's and r51's first
pages (the rest of each page blanked), to keep the files small.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from PIL import Image

from extractors.receipts import read_receipt
from pipeline.ocr.layout import COLUMN_RULES, Line, reference_beside_block, remove_words, split_columns
from pipeline.ocr.engine import Word
from pipeline.ocr.stamps import find_frames, has_stamp_label

PAGES = Path(__file__).parent / "data" / "real" / "pages"
TWO_COLUMNS = PAGES / "r32_page1.png"  # ที่ พท …/ว (handwritten number) | ศาลากลางจังหวัดพัทลุง; 1 bit
STAMPED = [PAGES / "r45_head_page.png", PAGES / "r51_head_page.png"]  # receipt stamps, top right
URGENT = PAGES / "r44_head_page.png"  # ด่วนที่สุด in heavy 40-point letters over the reference; 1 bit


def _words(*specs: tuple[str, int, int]) -> tuple[str, list[Word]]:
    """A one-line page text and its words from (text, left, width), 40 px high, body 20 px."""
    text, words, pos = "", [], 0
    for word, left, width in specs:
        if text:
            text += " "
            pos += 1
        words.append(Word(word, left, 100, width, 40, 90.0, (1, 1, 1), pos, pos + len(word)))
        text += word
        pos += len(word)
    return text, words


# --- the letterhead's two blocks ------------------------------------------------

def test_reference_and_office_on_one_baseline_are_two_lines():
    """The cut between the reference and the office (a gap of 30 bodies, right of the middle)."""
    text, words = _words(("ที่", 300, 40), ("พท", 350, 40), ("๐๐๑๗.๒/ว", 400, 150), ("ศาลากลางจังหวัดพัทลุง", 1400, 500))
    new, moved, cuts = split_columns(text, words, 2480, 20.0)
    assert new.split("\n") == ["ที่ พท ๐๐๑๗.๒/ว", "ศาลากลางจังหวัดพัทลุง"]
    assert [c[0] for c in cuts] == ["reference-beside-block"]
    assert all(new[w.start:w.end] == w.text for w in moved)
    assert moved[-1].line != moved[0].line  # the office is a line of its own for the later passes


@pytest.mark.parametrize("specs", [
    # a committee list: no reference on the left
    [("๑.", 300, 30), ("ผู้ว่าราชการจังหวัดพัทลุง", 340, 500), ("ประธานกรรมการ", 1500, 300)],
    # a cue word and its value after a tab: the gap is not wide and the value is left of the middle
    [("สิ่งที่ส่งมาด้วย", 300, 280), ("๑.", 700, 30), ("ระเบียบวาระการประชุม", 740, 400)],
    # a body line citing a reference: no wide gap
    [("ตามหนังสือ", 300, 200), ("ที่", 510, 40), ("มท", 560, 40), ("๐๓๐๕/ว", 610, 120), ("๑๒", 740, 40)],
])
def test_lines_that_are_one_block_are_left_alone(specs):
    text, words = _words(*specs)
    assert split_columns(text, words, 2480, 20.0) == (text, words, [])


def test_every_column_rule_is_named_and_documented():
    assert [r.name for r in COLUMN_RULES] == ["reference-beside-block"]
    assert "Fixes" in reference_beside_block.__doc__ and "Leaves alone" in reference_beside_block.__doc__
    text, words = _words(("ที่", 300, 40), ("สธ", 350, 40), ("๐๐๓๓/๒", 400, 150), ("วันที่", 1300, 100))
    line = Line(words, text, 2480, 20.0)
    assert reference_beside_block(line) == 3


def test_removed_words_take_their_line_and_keep_the_others_in_place():
    text = "aaa bbb\nccc\nddd eee"
    words = [Word(t, 0, 0, 1, 1, 90.0, (1, 1, k), s, s + 3)
             for k, (t, s) in enumerate([("aaa", 0), ("bbb", 4), ("ccc", 8), ("ddd", 12), ("eee", 16)])]
    new, kept = remove_words(text, words, {id(words[2]), id(words[4])})
    assert new == "aaa bbb\nddd "
    assert [new[w.start:w.end] for w in kept] == ["aaa", "bbb", "ddd"]


@pytest.mark.slow
def test_a_real_two_column_letterhead_is_read_as_two_blocks():
    """r32: the reference (its number handwritten) and the issuing office on one baseline."""
    from pipeline.ocr.engine import ocr_page

    page = ocr_page(Image.open(TWO_COLUMNS), 1, 300)
    lines = [line.strip() for line in page.text.splitlines() if line.strip()]
    ref = next(i for i, line in enumerate(lines) if re.match(r"ที่\s+พท\s*๐๐๑๗", line))
    assert "ศาลากลาง" not in lines[ref]
    assert lines[ref + 1] == "ศาลากลางจังหวัดพัทลุง"


# --- receipt stamps ---------------------------------------------------------------

def test_a_stamp_label_is_matched_without_the_marks_ocr_drops():
    assert has_stamp_label("เลขรบ ๒๒๙๘") and has_stamp_label("วนท ๒๘ เม.ย.") and has_stamp_label("Received on")
    assert not has_stamp_label("ศาลากลางจังหวัดพัทลุง") and not has_stamp_label("SEAMEO 50x3 Schools")


@pytest.mark.parametrize("raw, number, date, time", [
    ("สทร.\nรับที่ EO 5261\nวันที่ 12 พ.ย. 2558", "EO 5261", dt.date(2015, 11, 12), None),
    ("คณะวิทยาศาสตร์\nเลขรับ ๒๒๙๘\nวันที่ ๒๘ เม.ย. ๒๕๕๓\nเวลา ๑๑.๓๐ น.", "2298", dt.date(2010, 4, 28), "11:30"),
    # as OCR reads the handwriting of the real stamps (r45, r51): nothing certain, the raw is kept
    ("Te OA\nวันที่1.1 Ud. 2558...", None, None, None),
    ("กคะวิทยาศาสตร์\nญ -\nเลขรับนนรต\nรับห่ 2 9 พป 5 ,", None, None, None),
])
def test_a_receipt_gives_only_what_it_holds_for_certain(raw, number, date, time):
    receipt = read_receipt(raw)
    assert (receipt.number, receipt.date, receipt.time, receipt.raw) == (number, date, time, raw)


def test_a_receipt_value_read_with_low_confidence_is_not_taken():
    """r51: tesseract reads the dotted rule under the handwritten 2298 as "44608", at 36 %."""
    raw = "กณะวิทยาศาสตร์\nเลขรับ44608\nวันที่ ๒๘ เม.ย. ๒๕๕๓"
    at = raw.index("44608")
    receipt = read_receipt(raw, [(at, at + 5)])
    assert receipt.number is None and receipt.date == dt.date(2010, 4, 28)
    assert read_receipt(raw).number == "44608"  # what it would have guessed


@pytest.mark.parametrize("path", STAMPED, ids=lambda p: p.stem)
def test_a_real_receipt_stamp_is_found_by_its_frame(path):
    gray = np.asarray(Image.open(path).convert("L"))
    frames = find_frames(gray)
    assert len(frames) == 1
    x0, y0, x1, y1 = frames[0]
    assert x0 > gray.shape[1] * 0.6 and y1 < gray.shape[0] * 0.15  # top right, as the regulation puts it


def test_the_emblem_and_a_page_without_a_stamp_have_no_frame():
    """r32's head: the Garuda's long strokes at the top centre are not a stamp's frame."""
    assert find_frames(np.asarray(Image.open(TWO_COLUMNS).convert("L"))) == []


@pytest.mark.slow
def test_a_real_stamp_is_kept_out_of_the_text_and_written_to_receipts(tmp_path):
    """r51: the stamp's words leave the page text; the receipts table has the stamp, its
    handwritten values null (OCR cannot read them) with the raw kept, and a warning says so."""
    from pipeline.ocr.engine import ocr_page

    page = ocr_page(Image.open(STAMPED[1]), 1, 300)
    assert len(page.stamps) == 1 and "วิทยาศาสตร" in page.stamps[0].raw
    assert "วิทยาศาสตร" not in page.text and "บันทึกข้อความ" in page.text

    from pipeline.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "r51_head.png").write_bytes(STAMPED[1].read_bytes())
    out = tmp_path / "out"
    assert main(["ingest", str(src), "--out", str(out), "--quiet"]) == 0
    receipts = pq.read_table(out / "receipts").to_pylist()
    letters = pq.read_table(out / "letters").to_pylist()
    assert len(receipts) == 1
    row = receipts[0]
    assert row["letter_id"] == letters[0]["letter_id"] and row["page"] == 1
    assert row["source_path"] == "r51_head.png" and len(row["box"]) == 4 and row["confidence"] > 0
    assert "วิทยาศาสตร" in row["raw"]
    assert row["number"] is None and row["date"] is None  # handwriting OCR cannot read: never a guess
    assert any("receipt stamp on page 1" in w for w in letters[0]["warnings"])


# --- low resolution ----------------------------------------------------------------

@pytest.mark.slow
def test_a_low_resolution_page_is_read_upscaled():
    """r32's first page at 100 dpi (a third of 300): the consonant body is 9-10 pixels, so the
    page is read again upscaled, and the postcode and the date's year read as at 300 dpi
    (read as it is, tesseract gives ๙๒๐๐๐ for ๙๓๐๐๐ and ๒๕๒ for ๒๕๖๗)."""
    from pipeline.ocr.engine import body_height, ocr_page, recognise

    page = Image.open(TWO_COLUMNS).convert("L")
    low = page.resize((page.width // 3, page.height // 3), Image.LANCZOS)
    _, words = recognise(np.asarray(low), 100)
    assert body_height(words) < 18
    read = ocr_page(low, 1, 100)
    assert any(w.startswith("small print") for w in read.warnings)
    assert "ศาลากลางจังหวัดพัทลุง" in read.text
    assert "๙๓๐๐๐" in read.text and "พฤษภาคม ๒๕๖๗" in read.text
    # the same page at 300 dpi is read once, as it is
    assert not any(w.startswith("small print") for w in ocr_page(page, 1, 300).warnings)


@pytest.mark.slow
def test_text_layout_shows_the_blocks_stamps_and_zones(capsys):
    """`circulars text --layout`: the letterhead cut in two on r32, the stamp on r51, and each
    letter's zones where its cue words open them."""
    from pipeline.cli import main

    assert main(["text", "--layout", str(TWO_COLUMNS)]) == 0
    shown = capsys.readouterr().out
    assert "two blocks     reference-beside-block:" in shown and "ศาลากลางจังหวัดพัทลุง" in shown
    assert "=== letter 1 · external" in shown
    assert main(["text", "--layout", str(STAMPED[1])]) == 0
    shown = capsys.readouterr().out
    assert "receipt stamp  (" in shown and "=== letter 1 · internal" in shown


# --- an urgency mark in large print -------------------------------------------------

def _read_page(path: Path):
    from pipeline.ocr.engine import Boxes, recognise

    gray = np.asarray(Image.open(path).convert("L"))
    text, words = recognise(gray, 300)
    return Boxes(gray, text, words)


def test_an_urgency_mark_in_large_print_is_read_again():
    """r44: tesseract makes `ต่วนทีสุด` (or nothing) of the heavy ด่วนที่สุด over the reference;
    read again at body size it is the mark, and the letter's urgency is read."""
    from pipeline.ocr.passes import apply_passes, named

    page = _read_page(URGENT)
    assert "ด่วนที่สุด" not in page.text
    done = apply_passes(page, named("large-mark-reread"))
    assert done.counts() == {"large-mark-reread": 1}
    lines = [line for line in done.text.split("\n") if line.strip()]
    mark = lines.index("ด่วนที่สุด")
    assert mark < next(i for i, line in enumerate(lines) if "/" in line)


@pytest.mark.parametrize("path", [TWO_COLUMNS, STAMPED[0]])
def test_no_mark_is_made_up_where_none_is_printed(path):
    """r32 (a letterhead with no mark) and r45 (a memo: its บันทึกข้อความ heading is large too)."""
    from pipeline.ocr.engine import reread_large_marks

    assert reread_large_marks(_read_page(path)) == []
