"""`circulars show FILE --png OUT`: each value boxed on the page where it was read (pipeline.draw).

On a real scanned letter page (r32: the reference at the top left, the office
ศาลากลางจังหวัดพัทลุง at the top right, the subject under both) and on r44's
head (a large urgency mark over the reference), run through the command as a
user runs it; on a born-digital PDF made here with the Thai font, where the
subject's line is known to the point; and a text file, which has no page.
Boxes are found by their colour: each label's colour (pipeline.colours) is
drawn exactly on its box's outline and tag.
"""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.cli import main
from pipeline.colours import label_colour
from pipeline.draw import PageLine, Token, place, png_paths
from tests.conftest import DATA

PAGES = DATA / "real" / "pages"


def run_show(*argv: str) -> tuple[int, str]:
    """The command's exit status and what it printed (stdout)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["show", *argv])
    return status, out.getvalue()


def pixels(png: Path, label: str, rows: slice = slice(None)) -> tuple[np.ndarray, np.ndarray]:
    """(ys, xs) of the pixels in `label`'s colour, within `rows` of the image."""
    with Image.open(png) as image:
        rgb = np.asarray(image.convert("RGB"))
    colour = np.array([int(label_colour(label)[i:i + 2], 16) for i in (1, 3, 5)])
    ys, xs = np.nonzero((rgb[rows] == colour).all(axis=2))
    return ys + (rows.start or 0), xs


@pytest.fixture(scope="module")
def r32(tmp_path_factory) -> tuple[int, str, Path]:
    out = tmp_path_factory.mktemp("r32") / "r32"
    status, printed = run_show(str(PAGES / "r32_page1.png"), "--png", str(out))
    return status, printed, out.with_name("r32.png")


@pytest.mark.slow
def test_a_scanned_page_is_drawn_with_its_values_where_they_are(r32):
    status, printed, png = r32
    assert status == 0
    assert png.is_file() and f"→ {png}" in printed  # one page: OUT.png, and the terminal says so
    with Image.open(PAGES / "r32_page1.png") as page, Image.open(png) as drawn:
        assert drawn.size == page.size
        width, height = page.size
    top = slice(0, height // 3)
    # the office at the top right (contact_url shares its colour, but lower in the body)
    ys, xs = pixels(png, "issuer", top)
    assert xs.size and xs.min() > width / 2
    issuer_bottom = ys.max()
    # the reference (read partly: its number is handwritten) at the top left
    ys, xs = pixels(png, "ref_partial", top)
    if not xs.size:
        ys, xs = pixels(png, "ref", top)
    assert xs.size and xs.max() < 0.45 * width
    ref_bottom = ys.max()
    # the subject below both
    ys, xs = pixels(png, "subject")
    assert xs.size and ys.min() > max(issuer_bottom, ref_bottom)
    assert ys.max() < height / 2


@pytest.mark.slow
def test_the_letterhead_cut_is_drawn_between_its_blocks(r32):
    _, printed, _ = r32
    assert "1 block cut" in printed


@pytest.mark.slow
def test_a_large_urgency_mark_is_boxed_over_the_reference(tmp_path):
    status, printed = run_show(str(PAGES / "r44_head_page.png"), "--png", str(tmp_path / "r44.png"))
    png = tmp_path / "r44.png"
    assert status == 0 and png.is_file()
    with Image.open(png) as drawn:
        width = drawn.width
    ys, xs = pixels(png, "urgency")
    subject_ys, _ = pixels(png, "subject")
    assert xs.size and xs.max() < width / 2
    assert subject_ys.size and ys.max() < subject_ys.min()


def _born_digital(path: Path) -> Path:
    """A one-page letter drawn with fpdf2 in Sarabun 16 pt (the regulation's type), in points."""
    from fpdf import FPDF

    from tests.test_read_pdf import sarabun

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.add_font("Sarabun", fname=sarabun())
    pdf.set_font("Sarabun", size=16)
    for x, y, line in [
        (72, 100, "ที่ ศธ ๐๔๐๐๑/ว ๑๔๒"), (350, 100, "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"),
        (350, 122, "ถนนราชดำเนินนอก กทม. ๑๐๓๐๐"), (300, 150, "๑๓ กรกฎาคม ๒๕๕๘"),
        (72, 190, "เรื่อง การสรรหาและการเลือกคณะกรรมการเขตพื้นที่การศึกษา"),
        (72, 220, "เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต"),
        (108, 260, "ด้วยสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานจะดำเนินการสรรหากรรมการ"),
        (72, 282, "เขตพื้นที่การศึกษา จึงขอให้แจ้งผู้เกี่ยวข้องทราบภายในวันที่ ๓๑ กรกฎาคม ๒๕๕๘"),
        (108, 320, "จึงเรียนมาเพื่อโปรดทราบ"), (300, 360, "ขอแสดงความนับถือ"),
        (290, 420, "(นายสมชาย ใจดี)"), (270, 442, "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน"),
    ]:
        pdf.text(x, y, line)
    pdf.output(str(path))
    return path


def test_a_text_layer_page_has_its_subject_boxed_on_the_subject_line(tmp_path):
    pdf = _born_digital(tmp_path / "letter.pdf")
    status, printed = run_show(str(pdf), "--png", str(tmp_path / "drawn.png"))
    png = tmp_path / "drawn.png"
    assert status == 0 and png.is_file()
    assert "not placed" not in printed
    px = 300 / 72  # the page rendered as the reader renders it, at 300 dpi
    with Image.open(png) as drawn:  # A4, within pdfium's rounding
        assert abs(drawn.width - 595.28 * px) <= 1 and abs(drawn.height - 841.89 * px) <= 1
    ys, xs = pixels(png, "subject")
    assert xs.size
    # between the date's line (baseline 150 pt) and the recipient's (baseline 220, 16 pt high),
    # after the cue เรื่อง (from 72 pt), and centred on the subject's line (baseline 190)
    assert 150 * px < ys.min() and ys.max() < (220 - 16) * px
    assert xs.min() > (72 + 20) * px
    box_ys = ys[ys > ys.min() + 40]  # the outline, below its tag
    assert abs((box_ys.min() + box_ys.max()) / 2 - (190 - 6) * px) < 8 * px


def test_a_text_file_has_no_page_to_draw_on(tmp_path, capsys):
    letter = tmp_path / "letter.txt"
    letter.write_text("ที่ มท ๐๓๐๕/ว ๑\nเรื่อง ทดสอบ\n", encoding="utf-8")
    assert main(["show", str(letter), "--png", str(tmp_path / "out.png")]) == 2
    assert "text file" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.png"))


def test_png_needs_a_file_not_a_letter_id(tmp_path, capsys):
    assert main(["show", "มท 0305.1/ว 1660", "--png", str(tmp_path / "out.png")]) == 2
    assert "--png needs a FILE" in capsys.readouterr().err


def test_one_page_is_out_png_several_are_numbered(tmp_path):
    assert png_paths(tmp_path / "a.png", [3]) == {3: tmp_path / "a.png"}
    assert png_paths(tmp_path / "a", [1, 2]) == {1: tmp_path / "a-p1.png", 2: tmp_path / "a-p2.png"}


def test_a_value_is_boxed_on_its_words_or_not_placed():
    def line(y: int, *words: str) -> PageLine:
        return PageLine([Token(w, (100 * i, y, 100 * i + 90, y + 30)) for i, w in enumerate(words)])

    lines = [line(0, "เรื่อง", "ขอเชิญ", "ประชุม"), line(50, "เรียน", "ผู้ว่าราชการจังหวัด")]
    assert place("ขอเชิญประชุม", "เรื่อง ขอเชิญประชุม", lines) == (100, 0, 290, 30)
    assert place("ขอเชิญประชม", "เรื่อง ขอเชิญประชม", lines) == (100, 0, 290, 30)  # an OCR slip
    assert place("นายกเทศมนตรี", "นายกเทศมนตรี", lines) is None
