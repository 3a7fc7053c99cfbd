"""OCR on real images with the real tesseract: PNG, JPEG, multi-page TIFF, the digit pass, word fixes.

Images are scans of real letter text (tests/data/, cut from the seeds) made in
the test by tests/tools/render.py. OCR pages are few and short: CI has two
cores for everything.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr.digits import THAI_DIGITS, classify, segment_word
from pipeline.model import ReadError
from pipeline.ocr.engine import read_image_pages
from pipeline.ocr.passes import correct_line
from pipeline.ocr.words import repair_marks
from pipeline.read.pages import read_source

HERE = Path(__file__).resolve().parent
RENDER = HERE / "tools" / "render.py"
HEAD_000 = HERE / "data" / "letter_000_head.txt"
HEAD_001 = HERE / "data" / "letter_001_head.txt"


def font_path(name: str) -> str:
    if name == "Sarabun":
        import fontpkg_sarabun

        return str(Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf")
    return "/usr/share/fonts/truetype/tlwg/Laksaman.ttf"


def scan(src: Path, out: Path, *args: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(RENDER), str(src), "--out", str(out), "--scan", "--no-scan-pdf", *args],
                   check=True, capture_output=True, text=True)
    return sorted(out.glob(f"{src.stem}.p*.*"))


@pytest.fixture(scope="module")
def png_page(tmp_path_factory) -> Path:
    pages = scan(HEAD_000, tmp_path_factory.mktemp("png"), "--font", font_path("Sarabun"),
                 "--degrade", "heavy", "--seed", "3")
    assert len(pages) == 1
    return pages[0]


# --- the digit classifier alone (no tesseract) ---------------------------------
@pytest.mark.parametrize("font", ["Sarabun", "Laksaman"])
def test_classifier_reads_every_thai_digit(font):
    """All ten digits, including the five Debian's tha model cannot output, on a clean rendering."""
    face = ImageFont.truetype(font_path(font), 64)
    text = "๐๑๒๓๔๕๖๗๘๙"
    img = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(img).text((30, 20), text, font=face, fill=0)
    glyphs = segment_word(np.asarray(img))
    assert "".join(c for c, _, _ in classify(glyphs)) == text


def test_classifier_keeps_punctuation_and_letters_apart():
    face = ImageFont.truetype(font_path("Sarabun"), 64)
    img = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(img).text((30, 20), "๐๘๑๐.๗/ว", font=face, fill=0)
    labels = "".join(c for c, _, _ in classify(segment_word(np.asarray(img))))
    assert labels == "๐๘๑๐.๗/?"


# --- structural words ------------------------------------------------------------
@pytest.mark.parametrize("ocr,fixed", [
    ("ที มท ๐๘๑๐.๗/ว ๒๐๐", "ที่ มท ๐๘๑๐.๗/ว ๒๐๐"),
    ("NWN สน ๐๐๑๘.๑/ว ๑๕๓๒", "ที่ สน ๐๐๑๘.๑/ว ๑๕๓๒"),
    ("ประจำปีงบประมาณ W.A. ๒๕๖๗", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"),
    ("N is a letter", "N is a letter"),
    ("เรือง ขอเชิญสมัคร", "เรื่อง ขอเชิญสมัคร"),
    ("สิงทีส่งมาด้วย สำเนาหนังสือ", "สิ่งที่ส่งมาด้วย สำเนาหนังสือ"),
    ("ลงวันที ๑๘ มกราคม ๒๕๖๗", "ลงวันที่ ๑๘ มกราคม ๒๕๖๗"),
    ("เมือวันที ๑ กันยายน ๒๕๕๘", "เมื่อวันที่ ๑ กันยายน ๒๕๕๘"),
    ("๒๖ มกราดม ๒๕๖๗", "๒๖ มกราคม ๒๕๖๗"),
    ("๒๗ พฤศจิกายบ ๒๕๖๖", "๒๗ พฤศจิกายน ๒๕๖๖"),
    # ordinary words in ordinary places are left alone
    ("ให้ที่ทำการปกครองอำเภอ ทีม งาน", "ให้ที่ทำการปกครองอำเภอ ทีม งาน"),
    ("ผู้ที มาแล้ว", "ผู้ที มาแล้ว"),
])
def test_structural_word_slips(ocr, fixed):
    assert correct_line(ocr) == fixed


@pytest.mark.parametrize("ocr,fixed", [
    # ที่ glued to the agency letters of a reference line (Sarabun, --degrade heavy)
    ("ทีมท ๐๘๑๐.๗/ว ๒๐๐", "ที่ มท ๐๘๑๐.๗/ว ๒๐๐"),
    ("ทีม ๑๒ คน", "ทีม ๑๒ คน"),
])
def test_glued_reference_head(ocr, fixed):
    assert correct_line(ocr) == fixed


@pytest.mark.parametrize("ocr,fixed", [
    # lines OCR'd from rendered seed scans, marks dropped by tesseract
    ("กรมส่งเสริมการปกครองท้องถิน", "กรมส่งเสริมการปกครองท้องถิ่น"),
    ("ถึง สำนักงานส่งเสริมการปกครองท้องถินจังหวัด ทุกจังหวัด",
     "ถึง สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด ทุกจังหวัด"),
    ("เรียน หน่วยงานทีเกียวข้อง (ตามบัญชีรายชือแนบท้าย)", "เรียน หน่วยงานทีเกี่ยวข้อง (ตามบัญชีรายชื่อแนบท้าย)"),
    ("ศูนย์ราชการสะดวก (GECC) ประจำปงบประมาณ พ.ศ. ๒๕๖๗", "ศูนย์ราชการสะดวก (GECC) ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"),
    # correct text that a substring search would damage (ส่ง+มา, อย่าง+น้อย, เอกสาร+การ)
    ("รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย", "รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย"),
    ("ตอบเกณฑ์อย่างน้อย 50 ข้อ", "ตอบเกณฑ์อย่างน้อย 50 ข้อ"),
    ("ตรวจคัดกรองเอกสารการสมัคร", "ตรวจคัดกรองเอกสารการสมัคร"),
    ("คุ้มครองแรงงานจังหวัดสมุทรสาคร", "คุ้มครองแรงงานจังหวัดสมุทรสาคร"),
])
def test_dropped_marks_repaired_by_dictionary(ocr, fixed):
    assert repair_marks(ocr) == fixed


# --- whole pages with tesseract ------------------------------------------------------
def _assert_letter_head(text: str) -> None:
    """The reference, dates and headings of the letter head, wherever OCR broke the lines."""
    flat = re.sub(r"\s+", "", text)
    for value in ("๐๐๑๘.๑/ว", "๑๕๓๒", "๔๗๐๐๐", "๒๖มกราคม๒๕๖๗", "พ.ศ.๒๕๖๗", "๒๗พฤศจิกายน๒๕๖๖",
                  "เรื่อง", "เรียนนายอำเภอ", "อ้างถึง", "สิ่งที่ส่งมาด้วย"):
        assert value in flat, value
    # and most of the digits: stock tesseract gets about two in three of them right
    from benchmarks.bench_read import digit_score

    right, total = digit_score(HEAD_000.read_text(encoding="utf-8"), text)
    assert right / total >= 0.93, (right, total)


@pytest.mark.slow
def test_png_page(png_page):
    pages = read_source(png_page)
    assert len(pages) == 1
    page = pages[0]
    assert (page.number, page.source) == (1, "ocr")
    assert 50 <= page.ocr_confidence <= 100
    _assert_letter_head(page.text)
    assert "\n" in page.text  # lines kept for the segmenter


@pytest.mark.slow
def test_latin_reference_head_read_again_with_tha(tmp_path):
    """Sarabun at --degrade medium: tha+eng reads ที่ มท as "NNN"/"NWN"; the ink is read again."""
    pages = scan(HEAD_001, tmp_path, "--font", font_path("Sarabun"), "--degrade", "medium")
    text = read_image_pages(pages[0])[0].text
    assert "ที่ มท ๐๘๑๐.๗/ว" in re.sub(r"[ ]+", " ", text), text.split("\n")[:3]


@pytest.mark.slow
def test_jpeg_page(png_page, tmp_path):
    jpg = tmp_path / "letter.jpg"
    Image.open(png_page).convert("L").save(jpg, "JPEG", quality=50, dpi=(300, 300))
    pages = read_image_pages(jpg)
    assert [(p.number, p.source) for p in pages] == [(1, "ocr")]
    _assert_letter_head(pages[0].text)


@pytest.mark.slow
def test_multipage_tiff(tmp_path):
    first = scan(HEAD_001, tmp_path / "a", "--font", font_path("Laksaman"), "--degrade", "medium", "--seed", "1")
    assert len(first) == 1
    frames = [Image.open(first[0]).convert("L"), Image.open(first[0]).convert("L").rotate(0.7, fillcolor=255)]
    tif = tmp_path / "two.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(300, 300))
    pages = read_source(tif)
    assert [(p.number, p.source) for p in pages] == [(1, "ocr"), (2, "ocr")]
    for page in pages:
        assert "๐๘๑๐.๗/ว" in page.text and "๒๕๖๒" in page.text, page.text
        assert "กุมภาพันธ์" in page.text


def test_corrupt_and_empty_images(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    for path in (bad, tmp_path / "empty.jpg"):
        path.touch()
        with pytest.raises(ReadError) as err:
            read_image_pages(path)
        assert err.value.error_type == "corrupt_image"


def test_blank_page_reads_as_empty(tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (1240, 1754), 255).save(blank, dpi=(150, 150))
    pages = read_image_pages(blank)
    assert len(pages) == 1 and pages[0].text == ""
    assert not any(ch in THAI_DIGITS for ch in pages[0].text)
    from pipeline.letters.process import process_source

    result = process_source(blank, "blank.png")
    assert result.warnings == ["page 1: OCR found no text", "no letter found in this source"]


def test_recognise_reads_as_the_tesseract_command(png_page):
    """In-process OCR (tesserocr) gives the text of `tesseract PAGE stdout -l tha+eng --oem 1 --psm 4`,
    with the same engine and data: a tesserocr built against another libtesseract (PyPI's
    wheel bundles one) reads Thai differently and fails here."""
    from pipeline.ocr.engine import CONFIG, LANG, recognise

    bare = subprocess.run(["tesseract", str(png_page), "stdout", "-l", LANG, *CONFIG.split()],
                          capture_output=True, text=True, check=True).stdout
    with Image.open(png_page) as img:
        text, words = recognise(np.asarray(img.convert("L")), 300)
    assert text == bare and bare.strip()
    # tesseract's Thai words are clusters, joined without spaces in the text: all of it, in order
    assert "".join(w.text for w in words) == "".join(bare.split())
    assert all(text[w.start:w.end] == w.text for w in words)


def test_missing_thai_models_are_an_errors_row_and_the_run_goes_on(png_page, tmp_path):
    """No tha/eng traineddata where tesseract looks: the scan is an `ocr_unavailable` errors
    row saying what to install, and the text letter beside it is still read."""
    import pandas as pd

    from pipeline.cli import EXIT_SOME_FAILED

    src = tmp_path / "in"
    src.mkdir()
    (src / "scan.png").write_bytes(png_page.read_bytes())
    (src / "letter.txt").write_text(HEAD_001.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "tessdata"
    empty.mkdir()
    env = {**__import__("os").environ, "TESSDATA_PREFIX": str(empty)}
    run = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(src), "--out", str(tmp_path / "out"),
                          "--quiet"], env=env, capture_output=True, text=True)
    assert run.returncode == EXIT_SOME_FAILED, run.stderr
    errors = pd.read_parquet(tmp_path / "out" / "errors")
    assert errors[["source_path", "error_type"]].values.tolist() == [["scan.png", "ocr_unavailable"]]
    assert "tesseract-ocr-tha" in errors["message"][0]
    assert pd.read_parquet(tmp_path / "out" / "letters")["source_path"].tolist() == ["letter.txt"]


def _line_words(text: str, boxes: list[tuple[str, int, int]]) -> list:
    """Words of one OCR line, located in `text` in order, as recognise() makes them."""
    from pipeline.ocr.engine import Word

    words, pos = [], 0
    for chars, left, width in boxes:
        at = text.index(chars, pos)
        words.append(Word(chars, left, 100, width, 43, 90.0, (1, 1, 1), at, at + len(chars)))
        pos = at + len(chars)
    return words


def test_false_spaces_after_sara_a_and_abbreviation_dots():
    """Boxes as tesseract gave them on a rendered Laksaman scan of seed 004 (body 43 px):
    "ผอ. การกีฬา" and "วิจัยและ พัฒนา" have 8 and 6 px of ink gap where the page has no
    space; a drawn space is half a body wide or more, and a numbered item's "๓." is not an
    abbreviation."""
    from pipeline.ocr.engine import false_spaces

    text = "ผอ. การกีฬา วิจัยและ พัฒนา สนง. ตรวจ ๓. ให้"
    boxes = [("ผ", 352, 27), ("อ", 390, 19), (".", 430, 8), ("ก", 446, 27), ("า", 483, 20), ("ร", 515, 26),
             ("ก", 548, 23), ("ี", 570, 31), ("ฬา", 600, 56),
             ("ว", 790, 17), ("ิ", 806, 29), ("จ", 834, 28), ("ั", 865, 25), ("ย", 902, 15), ("แล", 920, 50),
             ("ะ", 977, 29), ("พ", 1012, 35), ("ั", 1058, 27), ("ฒ", 1084, 31), ("น", 1114, 32), ("า", 1153, 25),
             ("ส", 1250, 27), ("น", 1280, 27), ("ง", 1310, 25), (".", 1338, 8), ("ต", 1370, 27), ("ร", 1400, 25),
             ("ว", 1428, 25), ("จ", 1456, 27),
             ("๓", 1550, 27), (".", 1580, 8), ("ให", 1596, 50), ("้", 1630, 20)]
    words = _line_words(text, boxes)
    spans = false_spaces(text, words, 43.0)
    fixed = "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))
    assert fixed == "ผอ.การกีฬา วิจัยและพัฒนา สนง. ตรวจ ๓. ให้"
    assert false_spaces(text, words, None) == []  # no body height, no judgement


CROPS = HERE / "data" / "ocr_crops"


@pytest.mark.parametrize("name, expected", [
    ("latin_NO_for_pho_o", "ผอ."),  # "NO. .สำนักบริหารพื้นที่อนุรักษ์" on a Laksaman heavy scan of seed 004
    ("latin_nam_for_kor_sor_tor", "กสท."),  # "บริการลูกค้า nam. สมุทรสาคร": tha reads กสท่., the mark dropped
    ("latin_username", None),  # real Latin ("Username (E-mail)", seed 000) is never made Thai
])
def test_latin_read_abbreviation_read_again_with_tha(name, expected):
    """Crops of rendered scans where tha+eng read a Thai abbreviation as Latin letters."""
    import json

    from pipeline.ocr.engine import Word, reread_abbreviation

    boxes = json.loads((CROPS / "boxes.json").read_text(encoding="utf-8"))[name]
    text, left, top, width, height = boxes["word"]
    next_left = boxes["next"][1]
    gray = np.asarray(Image.open(CROPS / f"{name}.png").convert("L"))
    word = Word(text, left, top, width, height, 50.0, (1, 1, 1), 0, len(text))
    assert reread_abbreviation(gray, word, next_left) == expected


def test_latin_abbreviations_are_found_before_thai_words():
    from pipeline.ocr.engine import latin_abbreviations

    text = "NO. .สำนัก Wu. สนง. GECC ภาค Mr. Smith"
    words = _line_words(text, [("NO.", 10, 80), (".", 100, 8), ("ส", 108, 27), ("ำ", 135, 20), ("Wu.", 300, 60),
                               ("ส", 380, 27), ("GECC", 500, 90), ("ภ", 600, 27), ("Mr.", 700, 50),
                               ("Smith", 760, 90)])
    found = [(w.text, s.text if s else None, t.text) for w, s, t in latin_abbreviations(text, words)]
    assert found == [("NO.", ".", "ส"), ("Wu.", None, "ส")]  # GECC has no dot; Mr. is before Latin


# --- orientation: a real scan page lying sideways or upside down -----------------

REAL_PAGE = Path(__file__).parent / "data" / "real" / "pages" / "r38_head.png"  # the head of a real scan (r38)


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_sideways_scan_is_turned_before_ocr(degrees):
    """tesseract's OSD turns the page upright; the text read is the upright page's."""
    from pipeline.ocr.engine import ocr_page

    upright = Image.open(REAL_PAGE).convert("L")
    page = ocr_page(upright.rotate(degrees, expand=True), 1, 300)
    assert any(w.startswith("page turned") for w in page.warnings)
    assert "กระทรวงมหาดไทย" in page.text and "๘ พฤษภาคม ๒๕๖๐" in page.text
    assert page.ocr_confidence > 85


def test_an_upright_page_is_not_asked_for_its_orientation(monkeypatch):
    """An upright letter reads at a confidence far above the gate: OSD never runs on it."""
    from pipeline.ocr import engine as ocr

    calls = []
    monkeypatch.setattr(ocr, "turned", lambda gray: calls.append(1) or None)
    page = ocr.ocr_page(Image.open(REAL_PAGE).convert("L"), 1, 300)
    assert calls == [] and not any(w.startswith("page turned") for w in page.warnings)
