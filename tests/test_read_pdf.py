"""PDF reading on real files: born-digital (three text-layer kinds), scanned, mixed, encrypted, corrupt.

The PDFs are made in the test from real letter text (the seeds in samples/ and
tests/data/) with tests/tools/render.py, the project's renderer, so each one
comes with the exact text that was drawn.
"""
from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import ReadError
from pipeline.read.pdf import judge_text_layer, open_pdf, read_pdf_pages
from pipeline.thai.repair import repair_line, repair_lines, repair_text_layer, unsplit

ROOT = Path(__file__).resolve().parents[1]
RENDER = Path(__file__).resolve().parent / "tools" / "render.py"
DATA = Path(__file__).resolve().parent / "data"
SEED = next((ROOT / "samples").glob("001_*.txt"))
HEAD = DATA / "letter_000_head.txt"


def render(src: Path, out: Path, *args: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(RENDER), str(src), "--out", str(out), *args], check=True,
                   capture_output=True, text=True)
    return out / f"{src.stem}.pdf"


def sarabun() -> str:
    import fontpkg_sarabun

    return str(Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf")


def expected_text(pdf: Path) -> str:
    """The drawn text, through the same per-line repairs, blank-line runs folded to one."""
    gt = pdf.with_suffix(".gt.txt").read_text(encoding="utf-8").replace("\f", "\n")
    return _fold("\n".join(repair_line(line) for line in gt.split("\n")))


def _fold(text: str) -> str:
    return re.sub(r"\n{2,}", "\n\n", text.strip())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.fixture(scope="module")
def born_digital(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("born")
    return {engine: render(SEED, root / engine, "--engine", engine)
            for engine in ("fpdf", "fpdf-shaped", "fpdf-pua")}


@pytest.mark.parametrize("engine,min_similarity", [("fpdf", 1.0), ("fpdf-pua", 1.0), ("fpdf-shaped", 0.995)])
def test_born_digital_text_layer(born_digital, engine, min_similarity):
    """Exact text from plain and legacy-PUA layers; the scrambled shaped layer rebuilt from glyph boxes."""
    pdf = born_digital[engine]
    pages = read_pdf_pages(pdf)
    assert [p.number for p in pages] == [1, 2]
    assert all(p.source == "pdf_text" and p.ocr_confidence is None for p in pages)
    text = _fold("\n".join(p.text for p in pages))
    assert similarity(expected_text(pdf), text) >= min_similarity
    assert not re.search("[\uf700-\uf8ff]|\\(cid:", text)
    # the lines the segmenter and extractors key on, intact
    for line in ("ที่ มท ๐๘๑๐.๗/ว ๒๐๐", "กรมส่งเสริมการปกครองท้องถิ่น", "๑๕ กุมภาพันธ์ ๒๕๖๒",
                 "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด", "หมายเลขโทรศัพท์ ๐-๒๒๘๓-๑๒๖๑-๒"):
        assert line in text.split("\n"), (engine, line)


def test_shaped_layer_marks_go_back_to_their_consonant(born_digital):
    """pdfium streams the shaped layer as "ที มท ... ๒๐๐ ่" and "ถิน่"; geometry puts the marks back."""
    with pdfium.PdfDocument(str(born_digital["fpdf-shaped"])) as doc:
        stream = doc[0].get_textpage().get_text_range()
    assert "ถิน่" in stream  # the damage is really there
    text = read_pdf_pages(born_digital["fpdf-shaped"])[0].text
    assert "ท้องถิ่น" in text and "ถิน่" not in text


def test_blank_lines_between_header_blocks_are_kept(born_digital):
    text = read_pdf_pages(born_digital["fpdf"])[0].text
    assert "ที่ มท ๐๘๑๐.๗/ว ๒๐๐\n\nกรมส่งเสริมการปกครองท้องถิ่น" in text


def test_repairs_in_order():
    assert repair_text_layer("ท\uf70bองถิ่น ศูนย\uf70e") == "ท้องถิ่น ศูนย์"  # legacy PUA
    assert repair_line("ก(cid:12)รม") == "กรม"
    assert repair_line("ถิน ่") == "ถิ่น"  # split mark rejoined, not deleted by normalize
    assert repair_line("ทํา") == "ทำ"
    assert repair_text_layer("บรรทัดแรก\n\nบรรทัดที่สาม") == "บรรทัดแรก\n\nบรรทัดที่สาม"


# Thai letters, every mark and vowel normalize reorders or dedupes, ๅ, ฤ, zero-width
# characters, spaces and tabs: the stuff of broken text layers
_LAYER_CHARS = "กขนมรอทฤเแโะาำๅ\u0e31\u0e34\u0e35\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e" \
               "\u200b\u200c  \t๑a"


@given(st.lists(st.text(alphabet=_LAYER_CHARS, max_size=12), max_size=6))
@settings(max_examples=400, deadline=None)
def test_page_repairs_are_pythainlp_normalize_line_by_line(lines):
    """The page's lines repaired in one pass are each line through pythainlp's normalize."""
    from pythainlp.util import normalize

    assert repair_lines(lines) == [normalize(unsplit(line)).strip() for line in lines]


@pytest.mark.parametrize("raw,good", [
    ("ที่ มท ๐๘๑๐.๗/ว ๒๐๐ กรมส่งเสริมการปกครองท้องถิ่น ถนนนครราชสีมา กทม. ๑๐๓๐๐", True),
    ("", False),
    ("- ๑ -", False),  # a page number over a scan
    ("(cid:3)(cid:4)(cid:5)" * 20, False),
    ("à¸à¸£à¸¡à¸ªà¹\x88à¸\x87à¹\x80à¸ªà¸£à¸´à¸¡ " * 4, False),  # UTF-8 read as Latin-1
    ("¡ÃÁÊè§àÊÃÔÁ¡ÒÃ»¡¤ÃÍ§·éÍ§¶Ôè¹ " * 4, False),  # TIS-620 read as Latin-1
    ("\ufffd\ufffd กรม \ufffd\ufffd\ufffd" * 10, False),
    ("Government Easy Contact Center is the service standard of all agencies here", False),
])
def test_verdict(raw, good):
    assert judge_text_layer(raw).good is good


def test_encrypted_pdf(tmp_path):
    from fpdf import FPDF

    def make(name: str, user: str) -> Path:
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(text="circular")
        pdf.set_encryption(owner_password="owner", user_password=user)
        pdf.output(str(tmp_path / name))
        return tmp_path / name

    with pytest.raises(ReadError) as err:
        read_pdf_pages(make("locked.pdf", "secret"))
    assert err.value.error_type == "encrypted_pdf"
    assert "password" in err.value.message
    # owner password only (printing/copying restrictions): opens with the empty password
    doc = open_pdf(make("restricted.pdf", ""))
    assert len(doc) == 1 and "circular" in doc[0].get_textpage().get_text_range()
    doc.close()


def test_corrupt_pdfs(tmp_path, born_digital):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not a PDF body\n%%EOF\n")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(born_digital["fpdf"].read_bytes()[:3000])
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    for path in (bad, truncated, empty):
        with pytest.raises(ReadError) as err:
            read_pdf_pages(path)
        assert err.value.error_type == "corrupt_pdf", path


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    """A one-page letter head, printed in Sarabun and scanned with medium degradation."""
    out = tmp_path_factory.mktemp("scan")
    render(HEAD, out, "--font", sarabun(), "--scan", "--degrade", "medium", "--seed", "7")
    return out


@pytest.mark.slow
def test_scanned_pdf_is_ocrd_with_digits_reread(scanned):
    pages = read_pdf_pages(scanned / f"{HEAD.stem}.scan.pdf")
    assert len(pages) == 1
    page = pages[0]
    assert page.source == "ocr"
    assert page.ocr_confidence is not None and 60 <= page.ocr_confidence <= 100
    # stock tesseract cannot write ๔ ๖ ๗ ๘: these come from the digit pass
    flat = re.sub(r"\s+", "", page.text)
    for value in ("๐๐๑๘.๑/ว", "๔๗๐๐๐", "๒๖มกราคม๒๕๖๗", "๒๗พฤศจิกายน๒๕๖๖", "พ.ศ.๒๕๖๗"):
        assert value in flat, value
    assert "เรื่อง" in page.text and "เรียน" in page.text


@pytest.mark.slow
def test_mixed_pdf_gets_both_kinds_of_pages(tmp_path, scanned, born_digital):
    mixed = pdfium.PdfDocument.new()
    with pdfium.PdfDocument(str(born_digital["fpdf"])) as text_pdf, \
            pdfium.PdfDocument(str(scanned / f"{HEAD.stem}.scan.pdf")) as scan_pdf:
        mixed.import_pages(text_pdf, [0])
        mixed.import_pages(scan_pdf, [0])
        mixed.save(str(tmp_path / "mixed.pdf"))
    mixed.close()
    pages = read_pdf_pages(tmp_path / "mixed.pdf")
    assert [(p.number, p.source) for p in pages] == [(1, "pdf_text"), (2, "ocr")]
    assert pages[0].ocr_confidence is None and pages[1].ocr_confidence > 60
    assert "ที่ มท ๐๘๑๐.๗/ว ๒๐๐" in pages[0].text
    assert "๒๖ มกราคม ๒๕๖๗" in pages[1].text


# --- hidden text: what a text layer holds that nobody sees -------------------------

def _esaraban_pdf(path: Path, *, hidden: str) -> Path:
    """A born-digital letter head the way e-Saraban systems make them: the template's field
    name drawn at the place of its value, hidden by render mode or colour (`hidden`:
    "invisible", "white", "under", or "none" for an unfilled template a person sees)."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.add_font("Sarabun", fname=sarabun())
    pdf.set_font("Sarabun", size=16)
    pdf.text(72, 100, "ที่ ศธ ๐๔๐๐๑/ว ๑๔๒")
    pdf.text(350, 100, "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน")
    pdf.text(300, 130, "๑๓ กรกฎาคม ๒๕๕๘")
    if hidden == "invisible":
        pdf.text_mode = TextMode.INVISIBLE
    elif hidden == "white":
        pdf.set_text_color(255, 255, 255)
    y = 100 if hidden != "none" else 160
    pdf.text(88, y, "{{เลขที่หนังสือ}}")
    pdf.text_mode = TextMode.FILL
    pdf.set_text_color(0, 0, 0)
    pdf.text(72, 190, "เรื่อง การสรรหาและการเลือกคณะกรรมการเขตพื้นที่การศึกษา")
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("hidden", ["invisible", "white", "under"])
def test_an_esaraban_template_field_hidden_under_the_reference_is_dropped(tmp_path, hidden):
    pages = read_pdf_pages(_esaraban_pdf(tmp_path / "letter.pdf", hidden=hidden))
    lines = pages[0].text.splitlines()
    assert pages[0].source == "pdf_text"
    assert "{" not in pages[0].text and "เลขที่หนังสือ" not in pages[0].text
    assert re.match(r"ที่ ศธ ๐๔๐๐๑/ว ๑๔๒\s+สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน$", lines[0])


def test_a_template_field_nothing_is_drawn_on_is_kept_as_a_person_sees_it(tmp_path):
    pages = read_pdf_pages(_esaraban_pdf(tmp_path / "letter.pdf", hidden="none"))
    assert "{{เลขที่หนังสือ}}" in pages[0].text
