"""A letter's values drawn on its page images: `circulars show FILE --png OUT.png`.

People check a reading faster by looking at the page than by reading text, so
each extracted value is boxed on the page where it was read, in its label's
colour (pipeline.colours, the colours of the terminal and the report), with a
tag naming the field; the receipt stamps the reader kept out of the text and
the letterhead lines it cut into two blocks are drawn too.

Why the values are found again on the page: a value is a span of the letter's
text, and that text is the OCR passes' and normalisation's, which keep no word
boxes (a digit re-read or a word mended has no box of its own). So the page is
rendered as the reader renders it, its words and their boxes are read again
(tesseract's `recognise` on a scan, which gives the same words as the reader's
first reading; pdfium's character boxes on a text layer), and each line of a
span is looked for among the page's lines: the stretch of a page line most like
it (difflib, spaces left out, both sides normalised alike) is taken when it is
like enough (`PLACE_RATIO`), and the words under that stretch are boxed. Among
lines that pass, the one also most like the whole line that holds the value in
the letter wins, so a value whose words recur goes to the right place. A
value no line is like enough is reported as not placed, never drawn somewhere
wrong. Costs one more tesseract reading per scanned page.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont

from pipeline.colours import label_colour
from pipeline.model import Page

if TYPE_CHECKING:
    from pipeline.api import LetterView

# A stretch of a page line is taken for a value's line when difflib's ratio between the two
# (spaces removed) is at least this. A scan's raw reading differs from the letter's text by
# what the OCR passes mended: on r32 (tesseract's words against its 17 values) the right
# line scored 0.78-1.0, the least the reference `พท ๐๐๑๗.๒/ว`, read `AWN ๐๐๑ซ.๒/ว` before
# the passes mended it; the phone number, whose Thai digits only the digit pass reads,
# scored 0.53 and is not placed. Other lines pass too where a value's words recur (the
# office's name in the body, 0.83; a web address printed twice, 0.95): the value's line in
# the letter settles those (`place`).
PLACE_RATIO = 0.6
# A piece of a value shorter than this (spaces removed) matches anywhere: it is not looked for.
MIN_PIECE = 3
STAMP_COLOUR = "#e8590c"  # no label has it: receipts are a table of their own, not a span
CUT_COLOUR = "#868e96"
FILL_ALPHA = 56  # of 255: the box's inside tinted, the ink under it still read
_TURNED = re.compile(r"page turned (\d+) degrees")  # pipeline.ocr.engine.ocr_page's warning


@dataclass
class Token:
    """A word (tesseract) or a character (text layer) and its box in the drawn image's pixels."""

    text: str
    box: tuple[float, float, float, float]


@dataclass
class PageLine:
    """One line of the page: its tokens, and its text folded for matching with each
    character's token."""

    tokens: list[Token]
    folded: str = ""
    token_of: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        from pipeline.thai.normalise import normalise

        raw, owner = [], []
        for i, token in enumerate(self.tokens):
            if raw:
                raw.append(" ")
                owner.append(i)
            raw.append(token.text)
            owner.extend([i] * len(token.text))
        norm = normalise("".join(raw))
        chars = [(c, owner[o]) for c, o in zip(norm.parse, norm.offsets) if not c.isspace()]
        self.folded = "".join(c for c, _ in chars)
        self.token_of = [i for _, i in chars]

    def box(self, start: int, end: int) -> tuple[float, float, float, float]:
        """The box of the tokens under folded[start:end]."""
        boxes = [self.tokens[i].box for i in sorted(set(self.token_of[start:end]))]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class PageDrawing:
    """One page drawn: the image, and what was boxed on it or could not be."""

    number: int
    image: Image.Image
    placed: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    not_placed: list[tuple[str, str]] = field(default_factory=list)
    stamps: int = 0
    cuts: int = 0


def fold(text: str) -> str:
    """Text as it is matched: normalised, digits Arabic, no spaces."""
    from pipeline.thai.normalise import normalise

    return "".join(normalise(text).parse.split())


def best_stretch(needle: str, line: str) -> tuple[float, int, int]:
    """(ratio, start, end): the stretch of `line` most like `needle` (both folded)."""
    if not needle or not line:
        return 0.0, 0, 0
    blocks = [b for b in SequenceMatcher(None, needle, line, autojunk=False).get_matching_blocks() if b.size]
    if sum(b.size for b in blocks) < 0.4 * len(needle):
        return 0.0, 0, 0  # a stretch this like the needle would share more characters with it
    slack = max(2, len(needle) // 4)
    best = (0.0, 0, 0)
    for s in sorted({max(0, b.b - b.a) for b in blocks}):
        lo = max(0, s - slack)
        inner = [b for b in SequenceMatcher(None, needle, line[lo:s + len(needle) + slack],
                                            autojunk=False).get_matching_blocks() if b.size]
        if not inner:
            continue
        start, end = lo + inner[0].b, lo + inner[-1].b + inner[-1].size
        ratio = SequenceMatcher(None, needle, line[start:end], autojunk=False).ratio()
        if ratio > best[0]:
            best = (ratio, start, end)
    return best


# How much a candidate line loses per unit of distance between its place among the page's
# lines and the value's place in the page's text (both 0 at the top, 1 at the foot): the two
# are read in the same order, and a line must still be like enough after the loss. r38: the
# letter's reference `ที่ มท ๐๒๑๐.๕/ว๒๔๗๖`, which tesseract reads `NUN …` with the digits it
# cannot output, was drawn on the cited reference (`มท ๐๒๑๐.๕/ว๕๗๙๔`) five of some forty
# lines below; with this it is drawn on its own line and the citation on the citation's
# (a weight of 2 left the citation unplaced: its digits are read as badly).
ORDER_WEIGHT = 1.0


def place(piece: str, context: str, lines: list[PageLine],
          where: float | None = None) -> tuple[float, float, float, float] | None:
    """The box of `piece` (a line of a value) among the page's lines, or None; `context` is
    the letter's line that holds it, which settles between lines equally like the piece, and
    `where` (0-1) the piece's place in the page's text, which settles between lines far apart."""
    needle, around = fold(piece), fold(context)
    best: tuple[float, tuple[float, float, float, float]] | None = None
    for k, line in enumerate(lines):
        ratio, start, end = best_stretch(needle, line.folded)
        if ratio < PLACE_RATIO:
            continue
        if where is not None and len(lines) > 1:
            ratio -= ORDER_WEIGHT * abs(k / (len(lines) - 1) - where)
            if ratio < PLACE_RATIO:
                continue  # like enough only far from where the value stands: not drawn there
        score = ratio + best_stretch(around, line.folded)[0]
        if best is None or score > best[0]:
            best = (score, line.box(start, end))
    return None if best is None else best[1]


# ---------------------------------------------------------------------------
# The page as the reader saw it, and its lines
# ---------------------------------------------------------------------------
def scan_lines(image: Image.Image, page: Page) -> tuple[Image.Image, list[PageLine], float]:
    """A scanned page upright as the reader read it, tesseract's lines on it, and the factor
    the reader upscaled small print by (the stamps' boxes are in those pixels)."""
    import numpy as np

    from pipeline.ocr.engine import MAX_UPSCALE, SMALL_BODY, TARGET_BODY, body_height, recognise

    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    angle = next((int(m.group(1)) for w in page.warnings if (m := _TURNED.match(w))), 0)
    if angle:
        gray = np.ascontiguousarray(np.rot90(gray, k=angle // 90))
    try:  # as the reader takes it (pipeline.ocr.engine.ocr_images): a resolution under 70 is none
        dpi = int(round(float(image.info["dpi"][0])))
    except (KeyError, TypeError, ValueError, IndexError):
        dpi = 0
    dpi = dpi if dpi >= 70 else None
    _, words = recognise(gray, dpi)
    factor = 1.0
    body = body_height(words)
    if body is not None and body < SMALL_BODY:  # as pipeline.ocr.engine._upscaled
        factor = min(MAX_UPSCALE, TARGET_BODY / max(body, 1.0))
        big = Image.fromarray(gray).resize((round(gray.shape[1] * factor), round(gray.shape[0] * factor)),
                                           Image.LANCZOS)
        _, words = recognise(np.asarray(big), int(dpi * factor) if dpi else None)
    by_line: dict[tuple[int, int, int], list[Token]] = {}
    for w in words:
        box = (w.left / factor, w.top / factor, (w.left + w.width) / factor, (w.top + w.height) / factor)
        by_line.setdefault(w.line, []).append(Token(w.text.strip(), box))
    return Image.fromarray(gray), [PageLine(tokens) for tokens in by_line.values()], factor


def layer_lines(pdf_page: Any, dpi: int) -> list[PageLine]:
    """A text-layer page's lines as pdfium streams them, each character with its box in the
    pixels of the page rendered at `dpi`."""
    from pipeline.thai.repair import map_pua

    textpage = pdf_page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        if len(text) != n:
            return []  # characters outside the BMP: no index to box them by
        mapped = map_pua(text)  # legacy fonts' private-use glyphs, as the reader maps them
        text = mapped if len(mapped) == n else text
        height, scale = pdf_page.get_height(), dpi / 72
        lines: list[PageLine] = []
        tokens: list[Token] = []
        for i, ch in enumerate(text + "\n"):
            if ch in "\r\n":
                if tokens:
                    lines.append(PageLine(tokens))
                tokens = []
                continue
            if ch.isspace() or ch == "\x00":
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            tokens.append(Token(ch, (left * scale, (height - top) * scale, right * scale, (height - bottom) * scale)))
        return lines
    finally:
        textpage.close()


def page_images(path: Path, pages: list[Page], numbers: set[int]):
    """(page, image upright as read, its lines, the reader's upscale factor) of the pages numbered."""
    from pipeline.read.pdf import OCR_DPI, open_pdf, render_page

    by_number = {p.number: p for p in pages if p.number in numbers}
    if path.suffix.lower() == ".pdf":
        doc = open_pdf(path)
        try:
            for number in sorted(by_number):
                pdf_page = doc[number - 1]
                try:
                    image = render_page(pdf_page, OCR_DPI)
                    page = by_number[number]
                    if page.source == "ocr":
                        yield (page, *scan_lines(image, page))
                    else:
                        yield page, image, layer_lines(pdf_page, OCR_DPI), 1.0
                finally:
                    pdf_page.close()
        finally:
            doc.close()
        return
    with Image.open(path) as opened:
        for number in sorted(by_number):
            opened.seek(number - 1)  # a TIFF's frames are its pages
            frame = opened.convert("L")
            frame.info["dpi"] = opened.info.get("dpi")
            yield (by_number[number], *scan_lines(frame, by_number[number]))


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------
class _Canvas:
    """Boxes tinted on the page, outlined and tagged in their colour; tags kept from overlapping."""

    def __init__(self, image: Image.Image):
        self.image = image.convert("RGB")
        self.tint = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        self.marks: list[tuple[str, Any, str]] = []  # drawn last, over the tint: exact colours
        self.width = max(2, round(self.image.width / 700))
        size = max(12, round(self.image.width / 110))
        try:
            self.font = ImageFont.load_default(size=size)
        except (TypeError, OSError):  # an older Pillow, or no FreeType: the small bitmap font
            self.font = ImageFont.load_default()
        self.tags: list[tuple[float, float, float, float]] = []

    def box(self, box, colour: str, tag: str | None = None, fill: bool = True) -> None:
        x0, y0, x1, y1 = box
        pad = self.width + 2
        box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        if fill:
            r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
            ImageDraw.Draw(self.tint).rectangle(box, fill=(r, g, b, FILL_ALPHA))
        self.marks.append(("box", box, colour))
        if tag:
            self.tag(tag, box[0], box[1], colour)

    def line(self, xy, colour: str) -> None:
        self.marks.append(("line", xy, colour))

    def tag(self, text: str, x: float, y: float, colour: str) -> None:
        measure = ImageDraw.Draw(self.image).textbbox((0, 0), text, font=self.font)
        w, h = measure[2] + 8, measure[3] + 6
        y = y - h if y - h >= 0 else y
        x = min(max(0.0, x), self.image.width - w)
        for _ in range(50):  # moved right past the tags it would cover
            hit = next((t for t in self.tags if x < t[2] and t[0] < x + w and y < t[3] and t[1] < y + h), None)
            if hit is None:
                break
            x = hit[2] + 2
            if x + w > self.image.width:
                x, y = max(0.0, self.image.width - w), y + h
        self.tags.append((x, y, x + w, y + h))
        self.marks.append(("tag", (x, y, x + w, y + h, text), colour))

    def done(self) -> Image.Image:
        image = Image.alpha_composite(self.image.convert("RGBA"), self.tint).convert("RGB")
        draw = ImageDraw.Draw(image)
        for kind, what, colour in self.marks:
            if kind == "box":
                draw.rectangle(what, outline=colour, width=self.width)
            elif kind == "line":
                draw.line(what, fill=colour, width=self.width)
            else:
                x0, y0, x1, y1, text = what
                draw.rectangle((x0, y0, x1, y1), fill=colour)
                draw.text((x0 + 4, y0 + 2), text, fill="black", font=self.font)
        return image


def _pieces(text: str, start: int, end: int) -> list[tuple[str, str]]:
    """A value's lines (piece, the letter's whole line that holds it), short pieces left out."""
    out = []
    pos = start
    for piece in text[start:end].split("\n"):
        if len(fold(piece)) >= MIN_PIECE:
            line_start = text.rfind("\n", 0, pos) + 1
            line_end = text.find("\n", pos)
            out.append((piece, text[line_start:len(text) if line_end < 0 else line_end]))
        pos += len(piece) + 1
    return out


def draw_letters(path: Path, pages: list[Page], views: list["LetterView"]) -> list[PageDrawing]:
    """Each page of the letters `views` (read from `pages` of the file `path`) with their values,
    receipt stamps and block cuts drawn. Runs tesseract once per scanned page."""
    from pipeline.letters.process import join_pages

    joined, page_starts = join_pages(pages)
    numbered = [p.number for p in pages]
    total = len(joined.parse)
    wanted: dict[int, list[tuple[str, int, int, str, float]]] = {}  # page -> (label, start, end, text, where)
    for view in views:
        first, last = view.letter.get("page_start"), view.letter.get("page_end")
        if first is None:
            continue
        offset = int(view.letter.get("char_start") or 0)
        for number in range(int(first), int(last or first) + 1):
            wanted.setdefault(number, [])
        for span in view.valid_spans():
            index = bisect.bisect_right(page_starts, offset + int(span["start"])) - 1
            number = numbered[max(0, index)]
            if number is not None:
                page_start = page_starts[max(0, index)]
                page_end = page_starts[index + 1] if index + 1 < len(page_starts) else total
                where = (offset + int(span["start"]) - page_start) / max(1, page_end - page_start)
                wanted.setdefault(number, []).append((str(span["label"]), int(span["start"]),
                                                       int(span["end"]), view.text, min(1.0, max(0.0, where))))
    drawings = []
    for page, image, lines, factor in page_images(path, pages, set(wanted)):
        canvas = _Canvas(image)
        drawing = PageDrawing(page.number, image)
        for label, start, end, text, where in wanted[page.number]:
            value = " ".join(text[start:end].split())
            boxes = [place(piece, context, lines, where) for piece, context in _pieces(text, start, end)]
            boxes = [b for b in boxes if b is not None]
            if not boxes:
                drawing.not_placed.append((label, value))
                continue
            drawing.placed.append((label, value))
            for k, box in enumerate(boxes):
                canvas.box(box, label_colour(label), label if k == 0 else None)
        for stamp in page.stamps:
            canvas.box(tuple(v / factor for v in stamp.box), STAMP_COLOUR, "receipt stamp", fill=False)
            drawing.stamps += 1
        for rule, left, right in page.columns:
            a, b = place(left, left, lines), place(right, right, lines)
            if a is None or b is None or b[0] <= a[2]:
                continue
            x = (a[2] + b[0]) / 2
            canvas.line([(x, min(a[1], b[1])), (x, max(a[3], b[3]))], CUT_COLOUR)
            canvas.tag(f"cut: {rule}", x, min(a[1], b[1]) - canvas.width, CUT_COLOUR)
            drawing.cuts += 1
        drawing.image = canvas.done()
        drawings.append(drawing)
    return drawings


def png_paths(out: Path, numbers: list[int]) -> dict[int, Path]:
    """Where each page's PNG goes: OUT.png for one page, OUT-p1.png, OUT-p2.png … for several."""
    base = out.with_suffix("") if out.suffix.lower() == ".png" else out
    if len(numbers) == 1:
        return {numbers[0]: base.with_name(base.name + ".png")}
    return {n: base.with_name(f"{base.name}-p{n}.png") for n in numbers}
