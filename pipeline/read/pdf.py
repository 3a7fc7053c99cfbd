"""Read a PDF page by page: the text layer where it is good, OCR where it is missing or garbage.

pypdfium2 is the reader because it was measured exact on Thai text layers and
25–40× faster than pdfplumber, which also returns `(cid:N)` on
LibreOffice-made Thai PDFs (pdfplumber is therefore not a dependency: the layout
it would give, word positions, comes from pdfium's glyph boxes). pdfium's own reading order is not enough, though:
shaping exports (Word, LibreOffice, HarfBuzz) leave Thai marks after the wrong
consonant or at the end of the line ("ถิน่", "ที มท ... ๒๐๐ ่"), and pdfium
sometimes joins two drawn lines into one. So every glyph's box is read and the
lines are rebuilt from geometry: base glyphs are grouped into lines by their
vertical extent and ordered left to right, and each combining mark is attached
to the base glyph it is drawn over. That is still well over 100 pages/s per
core (see benchmarks/bench_read.py).

Each page is then repaired (legacy PUA glyphs, `(cid:N)`, split marks,
normalize: pipeline.thai.repair) and judged; garbage or empty pages are
rendered at 300 dpi grayscale with pypdfium2 and sent to pipeline.ocr.engine.
"""
from __future__ import annotations

import ctypes
import re
from bisect import bisect_right
from operator import attrgetter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from pipeline.model import ManyPagesToOcr, Page, ReadError
from pipeline.settings import DEFAULT, Settings
from pipeline.thai.repair import (
    BELOW_VOWELS,
    LEADING_VOWELS,
    MARKS,
    SARA_AM,
    UPPER_VOWELS,
    judge_text_layer,
    map_pua,
    maps_aa_to_am,
    repair_lines,
)
from schemas.errors import ErrorType

OCR_DPI = 300

# Order of marks on one base: vowel above/below first, then tone, then the
# nikhahit part of a floating sara am (น + ้ + ำ). pythainlp.normalize fixes the
# rest of the order.
_MARK_RANK = {ch: (0 if ch in BELOW_VOWELS or ch in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47" else 1) for ch in MARKS}
_MARK_RANK[SARA_AM] = 2
# A gap wider than this share of the line's glyph height is a space.
_SPACE_GAP = 0.35


@dataclass(slots=True)  # tens of thousands a document: slots make them cheaper to build and read
class _Glyph:
    ch: str
    index: int  # pdfium's character index, to ask for more about this glyph later
    left: float
    right: float
    bottom: float
    top: float
    height: float = 0.0
    marks: tuple["_Glyph", ...] = ()  # the marks drawn on this base, added by _attach
    anchor: "_Glyph | None" = None  # marks: the base glyph before it in the content stream
    line: "_Line | None" = None  # bases: the line it was grouped into


@dataclass(slots=True)
class _Line:
    bottom: float
    top: float
    glyphs: list[_Glyph] = field(default_factory=list)
    spaces: list[_Glyph] = field(default_factory=list)
    lefts: list[float] = field(default_factory=list)


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF, trying the empty password, and turn pdfium's failures into ReadErrors."""
    try:
        return pdfium.PdfDocument(str(path), password="")
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_raw.FPDF_ERR_PASSWORD:
            raise ReadError(ErrorType.ENCRYPTED_PDF, "encrypted PDF: a password is required") from None
        if code == pdfium_raw.FPDF_ERR_SECURITY:
            raise ReadError(ErrorType.ENCRYPTED_PDF, "encrypted PDF: unsupported security handler") from None
        if code == pdfium_raw.FPDF_ERR_FILE:
            raise ReadError(ErrorType.UNREADABLE, f"cannot open file: {exc}") from None
        raise ReadError(ErrorType.CORRUPT_PDF, f"corrupt or truncated PDF: {exc}") from None


def _glyphs(textpage: pdfium.PdfTextPage) -> list[_Glyph]:
    """Every glyph on the page with its box, PUA glyphs already mapped to standard Thai."""
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: fall back to one call per index
        text = "".join(chr(pdfium_raw.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(n))
    text = map_pua(text)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    # pdfium's own handle: the wrapper object would be looked into on every call
    handle = textpage.raw
    get_box = pdfium_raw.FPDFText_GetCharBox
    out: list[_Glyph] = []
    is_generated = pdfium_raw.FPDFText_IsGenerated
    for i, ch in enumerate(text):
        if ch in "\r\n\x00" or ch == "\ufffe":
            continue
        if ch == " " and is_generated(handle, i) == 1:
            continue  # pdfium's guess; where a gap is real, layout_lines finds it again
        get_box(handle, i, left, right, bottom, top)
        out.append(_Glyph(ch, i, left.value, right.value, bottom.value, top.value, top.value - bottom.value))
    return out


# ---------------------------------------------------------------------------
# Hidden text: what the text layer holds that nobody sees on the page
# ---------------------------------------------------------------------------
@dataclass(slots=True)
class _TextObject:
    """What the hidden-text rules ask of one of the page's text objects."""

    render_mode: int
    fill: tuple[int, int, int, int]  # r, g, b, alpha
    stroke: tuple[int, int, int, int]
    glyphs: list[_Glyph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)


# Render modes that put no ink on the page (PDF 32000-1, 9.3.6): 3 invisible, 7 clip only.
_NO_INK_MODES = {pdfium_raw.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_raw.FPDF_TEXTRENDERMODE_CLIP}
_STROKE_ONLY_MODES = {pdfium_raw.FPDF_TEXTRENDERMODE_STROKE, pdfium_raw.FPDF_TEXTRENDERMODE_STROKE_CLIP}
# A colour this light on a white page is not seen (channel values 0-255).
WHITE_FROM = 250
# An e-Saraban template's field, `{{เลขที่หนังสือ}}`, in braces as its templates write them.
_TEMPLATE_FIELD = re.compile(r"^\s*\{\{.*\}\}\s*$", re.S)


def _unseen_ink(obj: _TextObject, others: list[_TextObject]) -> bool:
    """Text drawn without ink: render mode invisible or clip (an OCR layer, a search layer
    that duplicates the page's own text). Fixes: an invisible `{{doc_no}}` over the printed
    reference. Leaves alone: ordinary fill and stroke text."""
    return obj.render_mode in _NO_INK_MODES


def _white_on_white(obj: _TextObject, others: list[_TextObject]) -> bool:
    """Text whose ink is white or fully transparent (a template's field names hidden by
    colour). Leaves alone: black, grey and coloured text (a red urgency mark)."""
    return _unseen_colour(obj.stroke if obj.render_mode in _STROKE_ONLY_MODES else obj.fill)


def _unseen_colour(rgba: tuple[int, int, int, int]) -> bool:
    r, g, b, a = rgba
    return a == 0 or min(r, g, b) >= WHITE_FROM


def _template_field_under_value(obj: _TextObject, others: list[_TextObject]) -> bool:
    """An e-Saraban template's field name left where its value is drawn: `{{…}}` overlapping
    another text object, which read together interleave the two (`{{เ๐ล๐ข…}}`). Fixes: the
    field name drawn under the reference. Leaves alone: a `{{…}}` nothing else is drawn on
    (an unfilled template a person would see as it is)."""
    if not _TEMPLATE_FIELD.match(obj.text):
        return False
    return any(_overlap(g, h) for other in others if other is not obj for g in obj.glyphs for h in other.glyphs)


def _overlap(a: _Glyph, b: _Glyph) -> bool:
    return a.left < b.right and b.left < a.right and a.bottom < b.top and b.bottom < a.top


# Rules in order; a text object one of them names is left out of the page's text.
HIDDEN_TEXT_RULES: list[tuple[str, Callable[[_TextObject, list[_TextObject]], bool]]] = [
    ("unseen-ink", _unseen_ink),
    ("white-on-white", _white_on_white),
    ("template-field-under-value", _template_field_under_value),
]


def _look(obj) -> _TextObject:
    """A text object's render mode and colours (no glyphs yet)."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    colour = lambda get: (r.value, g.value, b.value, a.value) if get(obj, r, g, b, a) else (0, 0, 0, 255)  # noqa: E731
    return _TextObject(pdfium_raw.FPDFTextObj_GetTextRenderMode(obj), colour(pdfium_raw.FPDFPageObj_GetFillColor),
                       colour(pdfium_raw.FPDFPageObj_GetStrokeColor))


def _text_objects(page) -> Iterator:
    """The page's text objects, those inside form XObjects included."""
    stack = [(pdfium_raw.FPDFPage_CountObjects(page), lambda i: pdfium_raw.FPDFPage_GetObject(page, i))]
    while stack:
        count, get = stack.pop()
        for i in range(count):
            obj = get(i)
            kind = pdfium_raw.FPDFPageObj_GetType(obj)
            if kind == pdfium_raw.FPDF_PAGEOBJ_TEXT:
                yield obj
            elif kind == pdfium_raw.FPDF_PAGEOBJ_FORM:
                stack.append((pdfium_raw.FPDFFormObj_CountObjects(obj),
                              lambda j, form=obj: pdfium_raw.FPDFFormObj_GetObject(form, j)))


def may_hide_text(page, glyphs: list[_Glyph]) -> bool:
    """Whether any rule of HIDDEN_TEXT_RULES could apply on the page: a text object without
    ink or in white, or a `{{` in its text. Asked first, from the page's few objects, so
    that glyph by glyph (1.7x the time of reading a text layer, on r42) is only looked at
    when there is something to find."""
    if any(g.ch == "{" for g in glyphs):
        return True
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    for obj in _text_objects(page):
        mode = pdfium_raw.FPDFTextObj_GetTextRenderMode(obj)
        if mode in _NO_INK_MODES:
            return True
        get = pdfium_raw.FPDFPageObj_GetStrokeColor if mode in _STROKE_ONLY_MODES else pdfium_raw.FPDFPageObj_GetFillColor
        if get(obj, r, g, b, a) and _unseen_colour((r.value, g.value, b.value, a.value)):
            return True
    return False


def visible_glyphs(handle, glyphs: list[_Glyph]) -> list[_Glyph]:
    """`glyphs` without those of text objects a `HIDDEN_TEXT_RULES` rule names."""
    objects: dict[int, _TextObject] = {}
    owner: list[int] = []
    for glyph in glyphs:
        obj = pdfium_raw.FPDFText_GetTextObject(handle, glyph.index)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        owner.append(key)
        if key not in objects:
            objects[key] = _look(obj) if key else _TextObject(pdfium_raw.FPDF_TEXTRENDERMODE_FILL,
                                                                (0, 0, 0, 255), (0, 0, 0, 255))
        objects[key].glyphs.append(glyph)
    every = list(objects.values())
    hidden = {key for key, obj in objects.items() if key and any(rule(obj, every) for _, rule in HIDDEN_TEXT_RULES)}
    if not hidden:
        return glyphs
    return [glyph for glyph, key in zip(glyphs, owner) if key not in hidden]


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def layout_lines(glyphs: list[_Glyph], advance: Callable[[_Glyph], tuple[float, float]] | None = None) -> list[str]:
    """Rebuild the drawn lines from glyph boxes (see the module docstring for why).

    `advance(glyph)` gives a glyph's (left, right) by its advance width rather
    than its ink; it settles whether a wide ink gap (between two narrow "1"s)
    is a space. Asked only for the few gaps that need it.
    """
    bases: list[_Glyph] = []
    marks: list[_Glyph] = []
    spaces: list[_Glyph] = []
    for g in glyphs:
        if g.ch.isspace():
            spaces.append(g)
        elif g.ch in MARKS:
            g.anchor = bases[-1] if bases else None
            marks.append(g)
        else:
            bases.append(g)
    if not bases:
        return []
    unit = _median([g.height for g in bases if g.height > 0]) or 10.0
    # A sara am drawn only as its nikhahit (a shaper split it) floats above the
    # line: treat it as a mark and drop the "aa" half the shaper left after it.
    kept: list[_Glyph] = []
    floating_am = False
    for g in bases:
        if kept and _is_raised_scrap(g, kept[-1], unit):
            continue  # a tone glyph of a shaped stack that the ToUnicode map calls "h"
        if floating_am and (g.bottom > kept[-1].top or g.top < kept[-1].bottom):
            kept.append(g)  # a stray glyph off the line between the am and its tail
            continue
        if floating_am and _is_am_tail(g, kept[-1], unit):
            floating_am = False
            kept[-1].right = max(kept[-1].right, g.right)  # the tail is part of the am's cell
            continue
        floating_am = False
        if g.ch == SARA_AM and g.height < 0.6 * unit and kept and g.bottom > kept[-1].bottom + 0.6 * unit:
            g.anchor = kept[-1]
            marks.append(g)
            floating_am = True
            continue
        kept.append(g)
    bases = kept

    # Group base glyphs into lines by vertical overlap, top of the page first.
    # A line's top is its first glyph's, the highest: no later glyph reaches above it.
    lines: list[_Line] = []
    cur: _Line | None = None
    for g in sorted(bases, key=attrgetter("top"), reverse=True):
        if cur is not None:
            bottom = cur.bottom if cur.bottom > g.bottom else g.bottom
            span = cur.top - cur.bottom
            if g.top - bottom >= 0.3 * max(0.1, g.height if g.height < span else span):
                cur.glyphs.append(g)
                if g.height <= 1.2 * unit and g.bottom < cur.bottom:
                    cur.bottom = g.bottom
                continue
        cur = _Line(g.bottom, g.top, [g])
        lines.append(cur)
    lines = [line for k, line in enumerate(lines) if not _is_scrap_line(line, lines[k - 1:k] + lines[k + 1:k + 2], unit)]
    for line in lines:
        line.glyphs.sort(key=attrgetter("left"))
        line.lefts = [g.left for g in line.glyphs]
    # Drawn spaces go to the line whose band holds their baseline.
    tops = [-line.top for line in lines]
    for sp in spaces:
        j = bisect_right(tops, -(sp.bottom + sp.top) / 2 - 1)
        for line in lines[max(0, j - 1):j + 1]:
            if line.bottom - 1 <= sp.bottom <= line.top:
                line.spaces.append(sp)
                break

    # Attach each mark to the base it is drawn over. The line is the line of the
    # base before it in the content stream, when that base is near: geometry
    # alone is ambiguous, since unshaped fonts draw tone marks as high as the
    # next line's baseline. Within the line the mark goes to the base under it,
    # because shaped exports put marks after the wrong consonant or at the end
    # of the line, and can even swap the characters of one cluster's marks (ู
    # on the glyph above, ้ below).
    for line in lines:
        for g in line.glyphs:
            g.line = line
    for m in marks:
        cy = (m.bottom + m.top) / 2
        anchor = m.anchor
        if anchor is not None and anchor.line is None and anchor.anchor is not None:
            anchor = anchor.anchor  # drawn after a floating ำ: its consonant is the anchor
        if anchor is not None and anchor.line is not None and \
                anchor.bottom - 1.5 * unit <= cy <= anchor.top + 1.5 * unit:
            _attach(anchor.line, m)
            continue
        j = bisect_right(tops, -cy)
        best: _Line | None = None
        best_d = float("inf")
        for line in lines[max(0, j - 2):j + 2]:
            d = max(line.bottom - cy, cy - line.top, 0.0)
            if d < best_d:
                best, best_d = line, d
        if best is None or best_d > 1.5 * unit:
            continue  # a stray mark far from any text: nothing to attach it to
        _attach(best, m)

    # A vertical gap of about two line pitches is a blank line in the source
    # (letters separate their header blocks that way, and the segmenter uses it).
    baselines = [_median([g.bottom for g in line.glyphs]) for line in lines]
    steps = [a - b for a, b in zip(baselines, baselines[1:]) if a - b > 0.5 * unit]
    pitch = sorted(steps)[len(steps) // 4] if steps else 0.0  # a page of spaced blocks has many double steps
    out: list[str] = []
    for k, line in enumerate(lines):
        if k and pitch and baselines[k - 1] - baselines[k] > 1.6 * pitch:
            out.append("")
        items = line.glyphs
        if line.spaces:
            items = sorted(items + line.spaces, key=lambda g: (g.left, g.ch.isspace()))
        parts: list[str] = []
        prev: _Glyph | None = None
        pending_space = False
        narrow = _SPACE_GAP * unit  # gaps up to this are never spaces: `_is_gap` is asked of wider ones only
        for g in items:
            if g.ch.isspace():
                pending_space = bool(parts)
                continue
            if parts and (pending_space or (prev is not None and g.left - prev.right > narrow
                                            and _is_gap(prev, g, unit, advance))):
                parts.append(" ")
            pending_space = False
            parts.append(g.ch)
            if len(g.marks) == 1:
                parts.append(g.marks[0].ch)
            elif g.marks:
                parts.extend(m.ch for m in sorted(g.marks, key=_mark_rank))
            if prev is None or g.right >= prev.right:
                prev = g
        out.append("".join(parts))
    return out


def _mark_rank(mark: _Glyph) -> int:
    return _MARK_RANK.get(mark.ch, 1)


def _is_gap(prev: _Glyph | None, g: _Glyph, unit: float,
            advance: Callable[[_Glyph], tuple[float, float]] | None) -> bool:
    """Whether the space between two neighbouring glyphs is a word space nobody drew."""
    if prev is None or g.left - prev.right <= _SPACE_GAP * unit:
        return False
    if advance is None:
        return True
    return advance(g)[0] - advance(prev)[1] > _SPACE_GAP * unit


def _is_scrap_line(line: _Line, neighbours: list[_Line], unit: float) -> bool:
    """A "line" of one or two tiny Latin glyphs hugging a real line: a mark glyph the
    producer's ToUnicode map calls "h" (a tone stacked over a split sara am)."""
    if len(line.glyphs) > 2 or any(g.height >= 0.6 * unit or not g.ch.isascii() for g in line.glyphs):
        return False
    return any(n.bottom - unit <= line.top and line.bottom <= n.top + unit and
               any(g.height >= 0.6 * unit for g in n.glyphs) for n in neighbours)


def _is_raised_scrap(g: _Glyph, prev: _Glyph, unit: float) -> bool:
    """A tiny Latin letter drawn wholly above the glyph before it in the stream.

    Shaped exports (fpdf-shaped, Word) draw the tone of a stack over a split ำ
    (น้ำ) as a separate glyph whose ToUnicode entry is a Latin letter ("h");
    the tone itself is already in the text. A real Latin letter, even a small
    one, sits on the line, so it is never above the previous glyph's top.
    """
    return (g.ch.isascii() and g.ch.isalpha() and g.height < 0.6 * unit
            and g.bottom >= prev.top - 0.1 * unit)


def _is_am_tail(g: _Glyph, consonant: _Glyph, unit: float) -> bool:
    """Whether `g` is the "aa" half a shaper left after a floating ำ.

    Its character is whatever the producer's ToUnicode map said (":" and "8"
    were both seen), so it is recognised by place: right after the consonant,
    and not a Thai letter that could start a syllable.
    """
    starts_syllable = "\u0e01" <= g.ch <= "\u0e2e" or g.ch in LEADING_VOWELS
    return not starts_syllable and -0.5 * unit < g.left - consonant.right < 0.5 * unit


def _attach(line: _Line, mark: _Glyph) -> None:
    """Put a mark on the base glyph under it (the nearest one, never a leading vowel)."""
    glyphs = line.glyphs
    cx = (mark.left + mark.right) / 2
    i = max(0, bisect_right(line.lefts, cx) - 1)
    if i + 1 < len(glyphs) and cx > glyphs[i].right and glyphs[i + 1].left - cx < cx - glyphs[i].right:
        i += 1
    if glyphs[i].ch in LEADING_VOWELS and i + 1 < len(glyphs):
        i += 1
    if mark.ch not in UPPER_VOWELS and mark.ch not in BELOW_VOWELS:
        # a tone stacked over an upper vowel (ปลั้ว) belongs to that vowel's base, which
        # may not be the glyph nearest its centre
        for k in (i, i - 1, i + 1):
            if 0 <= k < len(glyphs) and any(m.ch in UPPER_VOWELS and m.left - 1 <= cx <= m.right + 1
                                            and m.bottom < mark.bottom for m in glyphs[k].marks):
                i = k
                break
    glyphs[i].marks += (mark,)


def page_text_layer(page: pdfium.PdfPage) -> tuple[str, str]:
    """(raw text as pdfium streams it, geometric text) of one page.

    The raw stream is what the verdict looks at; the geometric text is what is kept.
    """
    textpage = page.get_textpage()
    try:
        glyphs = _glyphs(textpage)
        if may_hide_text(page.raw, glyphs):
            glyphs = visible_glyphs(textpage.raw, glyphs)
        raw = "".join(g.ch for g in glyphs)
        box = pdfium_raw.FS_RECTF()

        def advance(g: _Glyph) -> tuple[float, float]:
            if not pdfium_raw.FPDFText_GetLooseCharBox(textpage, g.index, box):
                return g.left, g.right
            return box.left, box.right

        return raw, "\n".join(layout_lines(glyphs, advance))
    finally:
        textpage.close()


def render_page(page: pdfium.PdfPage, dpi: int = OCR_DPI):
    """The page as a grayscale PIL image at `dpi` (pypdfium2: pdftoppm took seconds a page)."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        image = bitmap.to_pil()
        image.info["dpi"] = (dpi, dpi)
        return image.copy()
    finally:
        bitmap.close()


def check_page_pixels(page: pdfium.PdfPage, number: int, max_pixels: int, dpi: int = OCR_DPI) -> None:
    """Refuse to render a page whose bitmap would exceed --max-pixels (a 5 x 5 m page is
    legal PDF, and 3.6 gigapixels at 300 dpi)."""
    width, height = page.get_size()
    pixels = int(width * dpi / 72) * int(height * dpi / 72)
    if pixels > max_pixels:
        raise ReadError(ErrorType.PAGE_TOO_LARGE,
                        f"page {number} is {width / 72 * 25.4:,.0f} x {height / 72 * 25.4:,.0f} mm: "
                        f"{pixels:,} pixels at {dpi} dpi, more than the limit of {max_pixels:,} (--max-pixels)")


def read_pdf_pages(path: Path, *, only: set[int] | None = None, split_over: int = 0,
                   settings: Settings = DEFAULT) -> list[Page]:
    """Pages of one PDF: text-layer pages where the layer is good, OCR pages elsewhere.

    `only` (page numbers): read just those pages (a part of a PDF read by
    several workers). `split_over`: when more pages than this need OCR, raise
    `ManyPagesToOcr` after the text-layer pass instead of OCRing them here, so
    that a 100-page scan is spread over every worker, not read by one.
    """
    doc = open_pdf(path)
    try:
        n = len(doc)
        if n == 0:
            raise ReadError(ErrorType.CORRUPT_PDF, "PDF has no pages")
        if n > settings.max_pages:
            raise ReadError(ErrorType.TOO_MANY_PAGES, f"PDF has {n:,} pages, more than the limit of "
                                                      f"{settings.max_pages:,} (--max-pages)")
        pages: list[Page | None] = [None] * n
        to_ocr: list[tuple[int, str]] = []
        layers: list[tuple[int, str]] = []  # (page index, text layer) of the pages whose layer is good
        unreadable = 0
        for i in range(n):
            if only is not None and i + 1 not in only:
                continue
            try:
                page = doc[i]
            except pdfium.PdfiumError:
                # a broken page object (or a /Count larger than the page tree):
                # the other pages are still worth reading
                unreadable += 1
                pages[i] = Page(number=i + 1, text="", source="pdf_text",
                                warnings=["cannot be read (corrupt page object); skipped"])
                continue
            try:
                raw, text = page_text_layer(page)
            finally:
                page.close()
            verdict = judge_text_layer(raw)
            if verdict.good:
                layers.append((i, text))
            else:
                to_ocr.append((i, verdict.reason))
        # one font serves the whole document: judge sara aa read as sara am over all its pages
        aa_as_am = maps_aa_to_am("\n".join(text for _, text in layers))
        for k, (i, text) in enumerate(layers):
            lines = repair_lines(text.split("\n"), aa_as_am)
            said = ["the text layer's font reads sara aa as sara am: repaired on every page"] if aa_as_am and not k else []
            pages[i] = Page(number=i + 1, text="\n".join(lines), source="pdf_text", warnings=said)
        if unreadable == n:
            raise ReadError(ErrorType.CORRUPT_PDF, "corrupt PDF: none of its pages can be read")
        if split_over and len(to_ocr) > split_over:
            raise ManyPagesToOcr([p for p in pages if p is not None], [i + 1 for i, _ in to_ocr])
        if to_ocr:
            from pipeline.ocr.engine import ocr_images

            def images():
                for i, _reason in to_ocr:
                    page = doc[i]
                    try:
                        check_page_pixels(page, i + 1, settings.max_pixels)
                        yield i + 1, render_page(page)
                    finally:
                        page.close()

            for (i, reason), ocr_page in zip(to_ocr, ocr_images(images(), settings)):
                if reason and not reason.startswith("no usable text layer"):
                    ocr_page.warnings.insert(0, f"{reason}; OCR used")
                pages[i] = ocr_page
        return [p for p in pages if p is not None]
    finally:
        doc.close()
