"""Fuzz the PDF stage: mutated PDFs -> pdfium -> glyph layout -> verdict -> repairs -> normalise/split/extract.

Run outside CI for a set time, at low priority on a shared machine:

    nice -n 19 python -m fuzz.fuzz_pdf --seconds 900

Seeds are real Thai letters typeset with fpdf2 (shaped and unshaped,
compressed and not, one to three pages, one encrypted with an empty user
password). Hypothesis mutates their bytes the ways broken files arrive:
truncated, bytes flipped, chunks lost or doubled, numbers in the object
syntax replaced by absurd ones (page boxes, counts, lengths, object
numbers). A `ReadError` is a correct answer; any other exception, a
schema-breaking row, a bad date or span is a finding. A process crash
(pdfium is C) ends the fuzzer with the input left in its work folder.

Pages are read through the text layer (`read_pdf.page_text_layer`, the
verdict and the repairs) and every page is also rendered at a low
resolution, which is what the OCR path does first; the OCR itself is slow
and fuzzed only with --ocr (then `read_pdf_pages` runs whole).
"""
from __future__ import annotations

import random
import re
import resource
import sys
import time
from functools import lru_cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fuzz.common import (EXAMPLES, LAST_FAILING, Finding, Watchdog, check_result, fuzz_settings, note_slow,
                         run_for, seed_letters, work_dir)

MAX_PAGES = 20  # the fuzzer reads at most this many pages of one file
RENDER_DPI = 12  # enough to run pdfium's renderer over the page's content
MEMORY_LIMIT = 3 * 2**30  # one bomb must not take the shared machine down
USE_OCR = False


def thai_font() -> Path:
    from fontpkg_sarabun import ROOT as FONT_ROOT

    return next(FONT_ROOT.rglob("Sarabun-Regular.ttf"))


@lru_cache(maxsize=1)
def seed_pdfs() -> list[bytes]:
    """A handful of real letters as PDFs: the structure the mutations break."""
    from fpdf import FPDF

    letters = seed_letters()
    out: list[bytes] = []
    variants = [(True, True, 1, ""), (False, False, 1, ""), (True, False, 2, ""), (False, True, 3, ""),
                (True, True, 1, "empty")]
    for n, (shaped, compress, pages, encrypt) in enumerate(variants):
        pdf = FPDF()
        pdf.compress = compress
        pdf.add_font("Sarabun", fname=str(thai_font()))
        pdf.set_font("Sarabun", size=14)
        if shaped:
            pdf.set_text_shaping(True)
        text = letters[n % len(letters)]
        lines = [line for line in text.split("\n")][:45 * pages]
        for p in range(pages):
            pdf.add_page()
            pdf.multi_cell(0, 7, "\n".join(lines[p * 45:(p + 1) * 45]) or " ")
        if encrypt:
            pdf.set_encryption(owner_password="owner", user_password="")
        out.append(bytes(pdf.output()))
    return out


INTERESTING_NUMBERS = ["0", "-1", "1", "2147483647", "2147483648", "4294967296", "99999999999999999999",
                       "1e38", "0.0000001", "-99999", "14400", "200000", "65535", "3.4e38", "NaN"]


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    """A seed PDF broken the ways mailroom PDFs are broken."""
    data = bytearray(draw(st.sampled_from(seed_pdfs())))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 7))
        n = len(data)
        i = draw(st.integers(0, max(0, n - 1)))
        if op == 0:  # truncated
            del data[draw(st.integers(0, n)):]
        elif op == 1:  # bytes flipped
            for _ in range(draw(st.integers(1, 8))):
                k = draw(st.integers(0, max(0, len(data) - 1)))
                if data:
                    data[k] = draw(st.integers(0, 255))
        elif op == 2:  # a chunk lost
            del data[i:i + draw(st.integers(1, 2000))]
        elif op == 3:  # a chunk doubled
            j = i + draw(st.integers(1, 2000))
            data[i:i] = data[i:j]
        elif op == 4 or op == 5:  # a number in the object syntax made absurd
            numbers = [m for m in re.finditer(rb"-?\d+(?:\.\d+)?", bytes(data[:200000]))]
            if numbers:
                m = draw(st.sampled_from(numbers))
                data[m.start():m.end()] = draw(st.sampled_from(INTERESTING_NUMBERS)).encode()
        elif op == 6:  # random bytes inserted
            data[i:i] = draw(st.binary(min_size=1, max_size=64))
        else:  # object syntax that has crashed or hung PDF readers: deep nesting, loops, lying filters
            data[i:i] = draw(st.sampled_from(HOSTILE_SNIPPETS))
    return bytes(data)


HOSTILE_SNIPPETS = [
    b"[" * 50_000, b"<<" * 20_000, b"/Kids [1 0 R 1 0 R]", b"/Parent 3 0 R", b"/Length 999999999",
    b"/Filter /FlateDecode", b"/Filter [/ASCIIHexDecode /LZWDecode /RunLengthDecode]",
    b"/Filter /JBIG2Decode", b"/Filter /CCITTFaxDecode /DecodeParms <</Columns 99999999 /Rows 99999999>>",
    b"/Filter /DCTDecode /Width 65535 /Height 65535", b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
    b"/BitsPerComponent 8 /ColorSpace /DeviceRGB", b"/Prev 0", b"/Encrypt 1 0 R", b"/ObjStm",
    b"\nxref\n0 999999999\n", b"/UserUnit 75000", b"/Rotate 45", b"/MediaBox [0 0 -1 1e38]",
    b"BT /F1 1e30 Tf (\xff\xfe) Tj ET", b"q " * 10_000, b"/Font <</F1 1 0 R>>", b"(" * 10_000,
]


def read_text_layer(path: Path):
    """The text-layer half of read_pdf_pages, page by page, plus a render of each page."""
    import pypdfium2 as pdfium

    from pipeline.model import Page, ReadError
    from pipeline.read.pdf import open_pdf, page_text_layer, read_pdf_pages, render_page
    from pipeline.thai.repair import judge_text_layer, repair_lines

    if USE_OCR:
        return read_pdf_pages(path)
    doc = open_pdf(path)
    try:
        n = len(doc)
        if n == 0:
            raise ReadError("corrupt_pdf", "PDF has no pages")
        pages = []
        for i in range(min(n, MAX_PAGES)):
            try:
                page = doc[i]
            except pdfium.PdfiumError:  # as read_pdf_pages: a broken page is skipped with a warning
                continue
            try:
                raw, text = page_text_layer(page)
                w, h = page.get_size()
                if 0 < w * h * (RENDER_DPI / 72) ** 2 < 4_000_000:
                    render_page(page, dpi=RENDER_DPI)
            finally:
                page.close()
            if judge_text_layer(raw).good:
                pages.append(Page(number=i + 1, text="\n".join(repair_lines(text.split("\n"))),
                                  source="pdf_text"))
        return pages
    finally:
        doc.close()


def process_pages(pages, source_path: str):
    """normalise -> split -> extract over read pages, as process_source does after reading."""
    from pipeline.model import SourceResult
    from pipeline.letters.process import _fallback_segment, _letter, join_pages
    from pipeline.letters.segment import split_letters

    result = SourceResult(source_path=source_path, source_sha256="0" * 64, size=0, pages=len(pages))
    if not pages:
        return result
    norm, starts = join_pages(pages)
    segments = split_letters(norm.parse) or _fallback_segment(norm)
    for index, seg in enumerate(segments):
        result.letters.append(_letter(result, norm, pages, starts, seg, index))
    return result


def make_test(max_examples: int):
    from pipeline.model import ReadError

    folder = work_dir("fuzz_pdf")
    path = folder / "input.pdf"

    @fuzz_settings(max_examples)
    @given(mutated_pdf())
    def test(data: bytes) -> None:
        EXAMPLES[0] += 1
        LAST_FAILING[0] = {"bytes_hex": data.hex() if len(data) < 200_000 else None, "size": len(data)}
        path.write_bytes(data)
        started = time.monotonic()
        with Watchdog(180):
            try:
                pages = read_text_layer(path)
            except ReadError:
                return
            except MemoryError:
                return  # the memory limit did its job; the worker limits in ingest do the same
            for page in pages:
                if not isinstance(page.text, str):
                    raise Finding(f"page {page.number} text is {type(page.text).__name__}")
            result = process_pages(pages, "input.pdf")
        note_slow("fuzz_pdf", time.monotonic() - started, len(data), {"size": len(data)})
        check_result(result)

    return test


def main(argv: list[str] | None = None) -> int:
    global USE_OCR
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--ocr" in argv:
        argv.remove("--ocr")
        USE_OCR = True
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, hard))
    random.seed()
    return run_for("fuzz_pdf", make_test, argv)


if __name__ == "__main__":
    sys.exit(main())
