"""OCR stage: tesseract for the page, then a pass that re-reads every Thai digit.

Tesseract runs as `-l tha+eng --oem 1 --psm 4` (psm 6 breaks on skewed pages;
`tha` alone turns Latin such as "GECC" into digits) with OMP_THREAD_LIMIT=1:
one single-threaded tesseract per core was measured at ~1.3 s a page, its own
threading on two cores at 13.75 s. Tesseract is libtesseract in this process,
through tesserocr (`recognise`): one recognition gives the text (whose spacing
and line breaks we keep) and the word boxes, with no process, model load or
image file per page.

Debian's `tha` model cannot output ๔ ๖ ๗ ๘ ๙ and confuses ๓, so every run of
words that holds a digit is cut into glyphs and re-read by the project's own
classifier (pipeline.ocr.digits); then structural words that OCR damages (ที่→ที,
เรื่อง→เรือง, month names, ลงวันที่, สิ่งที่ส่งมาด้วย) are matched against
data/ocr_vocabulary.json (pipeline.ocr.words). Last, a date the page cannot
hold (๓๕ มกราคม; a year far from the page's others) is read again from the
classifier's runner-up digits, and only from them (pipeline.ocr.plausibility).
These corrections are the named passes of pipeline.ocr.passes.PASSES, run in
that order by one loop (`page_text`); this module holds the ones that work on
tesseract's word boxes and pixels (`Boxes`: the digit re-read, Latin misreadings
read again with `tha`, false spaces) and the layout tidying.
"""
from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from pipeline.ocr.digits import OTHER, PUNCT, Glyph, classify_words, segment_word
from pipeline.ocr.layout import split_columns
from pipeline.model import Page, ReadError
from pipeline.ocr.stamps import find_stamps
from pipeline.settings import DEFAULT, Settings
from pipeline.thai.chars import CONSONANT, MARKS, THAI, THAI_DIGITS, WORD_START
from schemas.errors import ErrorType

# One thread per tesseract: parallelism comes from one tesseract per core (see the docstring).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LANG = "tha+eng"
CONFIG = "--oem 1 --psm 4"

_THAI_LETTER = re.compile(f"[{CONSONANT}\u0e30-\u0e3a\u0e40-\u0e4e]")

# Word-box passes: what counts as what in tesseract's words
_THAI_CHAR = re.compile("[\u0e00-\u0e7f]")
_BARE_LETTERS = re.compile(f"^[{CONSONANT}\u0e30\u0e32\u0e40-\u0e44]{{1,4}}[.:)]?$")
_LATIN_WORD = re.compile(r"^[A-Za-z|!]{1,6}[.,:]?$")
_THAI_WORDISH = re.compile(f"^[{THAI}]+$")
_CODE = re.compile(f"^[{CONSONANT}]{{1,4}}$")
_LATIN_ABBR = re.compile(r"^[A-Za-z]{1,4}\.$")
_THAI_START = re.compile(f"^[{WORD_START}]")  # a consonant or a leading vowel
_FRAGILE_MARKS = re.compile("[\u0e47-\u0e4e]")  # tones: ที่ read as ที or ที้

# A glyph the classifier calls a digit with at least this probability replaces tesseract's reading.
SURE = 0.9
_QUOTES = "\"'“”‘’`"
# A run of Thai letters only is re-read as digits when every glyph is a digit this surely.
SURE_OVER_LETTERS = 0.98

# A space tesseract put after ะ or an abbreviation's dot where the page has none
# (และ ผังเมือง, สนง. ตรวจบัญชี): its ink gap is narrow. Measured on 104 rendered
# scan pages (Sarabun and Laksaman, medium and heavy): such gaps were at most 0.23
# of the body height (97 of them), drawn spaces after ะ or a dot at least 0.44 (30).
FALSE_SPACE_GAP = 0.33
_ENDS_OPEN = re.compile(f"(?:\u0e30|(?<=[{THAI}])\\.)$")  # ะ, or a dot after Thai


@dataclass
class Word:
    """One tesseract word: its text, box, confidence, and where it sits in the page text."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple[int, int, int]
    start: int = -1
    end: int = -1


class _Engines(threading.local):
    """This thread's tesseract engines, made on first use: a PyTessBaseAPI serves one thread at a time."""

    page: object | None = None  # LANG, CONFIG: whole pages
    line: object | None = None  # `tha` alone, one line (`reread_tha`)
    block: object | None = None  # LANG, one block of text: a receipt stamp read again
    osd: object | None = None  # orientation and script detection only (`turned`)


_ENGINES = _Engines()


def _engine(kind: str):
    """This thread's tesseract for `kind` ("page", "line", "block" or "osd"), loaded once (~0.13 s) and kept."""
    api = getattr(_ENGINES, kind)
    if api is not None:
        return api
    try:
        import tesserocr
    except ImportError:
        raise ReadError(ErrorType.OCR_UNAVAILABLE, "tesserocr is not installed (make install, or apt-get install "
                                                   "libtesseract-dev libleptonica-dev and pip install --no-binary "
                                                   "tesserocr tesserocr)") from None
    lang, psm = {"page": (LANG, tesserocr.PSM.SINGLE_COLUMN), "line": ("tha", tesserocr.PSM.SINGLE_LINE),
                 "block": (LANG, tesserocr.PSM.SINGLE_BLOCK), "osd": ("osd", tesserocr.PSM.OSD_ONLY)}[kind]
    path = os.environ.get("TESSDATA_PREFIX")
    try:
        api = tesserocr.PyTessBaseAPI(**({"path": path} if path else {}), lang=lang, psm=psm,
                                      oem=tesserocr.OEM.LSTM_ONLY)
    except RuntimeError:
        raise ReadError(ErrorType.OCR_UNAVAILABLE, f"tesseract cannot load its {lang} models from "
                                                   f"{path or tesserocr.get_languages()[0]} (apt-get install "
                                                   "tesseract-ocr-tha tesseract-ocr-eng)") from None
    setattr(_ENGINES, kind, api)
    return api


def _set_image(api, gray: np.ndarray, dpi: int | None) -> None:
    """Hand tesseract the page's 8-bit pixels as they are: no file, no encoding, no second decode."""
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    api.SetImageBytes(gray.tobytes(), gray.shape[1], gray.shape[0], 1, gray.shape[1])
    if dpi:
        api.SetSourceResolution(dpi)  # what the command's --dpi sets; else tesseract estimates it


def recognise(gray: np.ndarray, dpi: int | None = None, kind: str = "page") -> tuple[str, list[Word]]:
    """Text and words of one grayscale page, from libtesseract in this process (tesserocr).

    The same text and words as `tesseract PAGE.png stdout -l tha+eng --oem 1 --psm 4`
    with its hOCR (checked on 16 rendered scan pages: text and all 13,252 words identical),
    without the command's costs: a process and a model load (~0.13 s) a page, the image
    decoded again from a file, and a second renderer for the words. One Recognize gives
    both; tesseract releases the GIL while it works, so threads OCR pages side by side.
    """
    from tesserocr import RIL

    api = _engine(kind)
    _set_image(api, gray, dpi)
    if not api.Recognize():
        raise ReadError(ErrorType.OCR_FAILED, "tesseract could not recognise the page")
    text = api.GetUTF8Text()
    words: list[Word] = []
    it = api.GetIterator()
    if it is None:
        return text, words
    pos = 0
    block = par = line = 0  # numbered from 1 within their parent, as in tesseract's TSV
    it.Begin()
    while True:
        if it.IsAtBeginningOf(RIL.BLOCK):
            block, par = block + 1, 0
        if it.IsAtBeginningOf(RIL.PARA):
            par, line = par + 1, 0
        if it.IsAtBeginningOf(RIL.TEXTLINE):
            line += 1
        # a blank page still gives an iterator, on no word (its text would raise)
        word, box = ("", None) if it.Empty(RIL.WORD) else (it.GetUTF8Text(RIL.WORD), it.BoundingBox(RIL.WORD))
        if word and word.strip() and box:
            x0, y0, x1, y1 = box
            w = Word(word, x0, y0, x1 - x0, y1 - y0, float(int(it.Confidence(RIL.WORD))), (block, par, line))
            at = text.find(word, pos)  # the iterator's order is the text's
            if at >= 0 and not text[pos:at].strip():
                w.start, w.end = at, at + len(word)
                pos = w.end
            words.append(w)
        if not it.Next(RIL.WORD):
            break
    return text, words


def page_confidence(words: list[Word]) -> float | None:
    """Mean word confidence (0–100), weighted by word length."""
    total = weight = 0.0
    for w in words:
        if w.conf >= 0:
            total += w.conf * len(w.text)
            weight += len(w.text)
    return round(total / weight, 2) if weight else None


# ---------------------------------------------------------------------------
# Digit pass
# ---------------------------------------------------------------------------
def _spaceless_runs(words: list[Word]) -> list[list[Word]]:
    """Runs of words printed without a space between them (same line, adjacent in the text)."""
    runs: list[list[Word]] = []
    cur: list[Word] = []
    for w in words:
        if w.start < 0:
            continue
        if cur and w.line == cur[-1].line and w.start == cur[-1].end:
            cur.append(w)
            continue
        if cur:
            runs.append(cur)
        cur = [w]
    if cur:
        runs.append(cur)
    return runs


def digit_runs(text: str, words: list[Word]) -> list[list[Word]]:
    """Runs of words printed without a space between them holding at least one Thai digit; and
    the words of other runs that are Latin stand-ins for digits (`_latin_stand_in`), such as
    "lod" in "lodมกราคม" (๒๖ มกราคม)."""
    found: list[list[Word]] = []
    for run in _spaceless_runs(words):
        if any(ch in THAI_DIGITS for w in run for ch in w.text) or _thai_stand_in(run):
            found.append(run)
            continue
        part: list[Word] = []
        for w in run + [None]:
            if w is not None and not _THAI_CHAR.search(w.text):
                part.append(w)
                continue
            if part and _latin_stand_in(part):
                found.append(part)
            part = []
    return found


def join_touching(gray: np.ndarray, runs: list[list[Word]], by_line: dict[tuple[int, int, int], list[Word]],
                  body: float | None) -> list[list[Word]]:
    """Runs that follow each other on a line with no word between them and no space on paper
    as one run: tesseract cut "๐๘-๓๕๕๓-๓๘๘๓" into "๐๕-" and "0", and read apart, each
    crop would take in the other's glyphs. No space on paper: the boxes are closer than a
    third of a digit's height, or the ink of the first grows into the crop of the second."""
    out: list[list[Word]] = []
    reach: list[int] = []
    for run in runs:
        line = by_line[run[0].line]
        crop, x0, _ = _crop_run(gray, run, line, body)
        if out and out[-1][-1].line == run[0].line:
            prev = out[-1]
            gap = run[0].left - (prev[-1].left + prev[-1].width)
            if (_index(line, run[0]) == _index(line, prev[-1]) + 1
                    and (gap < 0.3 * (body or 40) or reach[-1] >= x0)):
                out[-1] = prev + run
                reach[-1] = max(reach[-1], x0 + crop.shape[1])
                continue
        out.append(run)
        reach.append(x0 + crop.shape[1])
    return out


def _index(words: list[Word], word: Word) -> int:
    return next(i for i, w in enumerate(words) if w is word)


def _thai_stand_in(run: list[Word]) -> bool:
    """A short word of bare Thai letters standing alone ("ด", "ตก.", "เตาร"), as tesseract reads
    some digits it has no output for (๓, ๒๕๖๗). Re-read, and changed only when every glyph is
    very surely a digit."""
    return bool(_BARE_LETTERS.match("".join(w.text for w in run)))


def _latin_stand_in(run: list[Word]) -> bool:
    """A short stretch of Latin letters, Arabic digits and symbols only, which `tha+eng` makes of
    Thai digits ("on" for ๓, "©" for ๑, "lod" for ๒๖, "0" for a whole phone number). Re-read,
    and changed only where the glyphs are confidently digits (Latin letters and Arabic digits
    are the classifier's "other" class)."""
    text = "".join(w.text for w in run)
    core = text.strip(".,:;()-")
    return 0 < len(core) <= 8 and not _THAI_CHAR.search(core)


def body_height(words: list[Word]) -> float | None:
    """The page's height of a Thai consonant (and digit) body, in pixels: the most common word height.

    Tesseract boxes Thai text mostly glyph by glyph, and most glyphs are bare
    consonants; boxes of words with marks, or of glyphs it could not place, are
    taller but fewer. (Digit words are not a better sample: their boxes are
    often the line's.)
    """
    heights = np.array([w.height for w in words if 0 < w.height < 400], dtype=np.int64)
    if heights.size < 5:
        return None
    counts = np.convolve(np.bincount(heights), np.ones(5), "same")
    return float(np.argmax(counts))


def _band(run: list[Word], line_words: list[Word], body: float | None) -> tuple[int, int]:
    """Top and bottom of the run's digits on the page.

    Tesseract's boxes of single glyphs are unreliable: a full stop gets a box of
    its own few pixels, and glyphs it could not place get the whole line's
    height. So the band is the median of the boxes of plausible height (about
    a digit's, `body`), the run's own first, else its nearest neighbours on the
    line; the top is then one digit height above that baseline.
    """
    def plausible(w: Word) -> bool:
        return body is None or 0.6 * body <= w.height <= 1.45 * body

    pool = [w for w in run if plausible(w) and w.text.strip(PUNCT + "'\"") ]
    if not pool:
        cx = (run[0].left + run[-1].left + run[-1].width) / 2
        near = sorted((w for w in line_words if plausible(w) and all(w is not r for r in run)),
                      key=lambda w: abs(w.left + w.width / 2 - cx))
        pool = near[:4]
    if not pool or body is None:
        tops = sorted(w.top for w in run)
        bottoms = sorted(w.top + w.height for w in run)
        return tops[len(tops) // 2], bottoms[len(bottoms) // 2]
    bottoms = sorted(w.top + w.height for w in pool)
    bottom = bottoms[(len(bottoms) - 1) // 2]
    return int(round(bottom - body)), bottom


def _crop_run(gray: np.ndarray, run: list[Word], line_words: list[Word],
              body: float | None = None) -> tuple[np.ndarray, int, int]:
    """The run's region, grown sideways over ink tesseract left out (a dropped last digit).

    Vertically it is the run's digit band (`_band`) with half a band of
    margin; sideways it may grow up to the next word tesseract did read.
    """
    top, bottom = _band(run, line_words, body)
    h = max(8, bottom - top)
    y0 = max(0, top - h // 2)
    y1 = min(gray.shape[0], bottom + h // 2)
    x0 = min(w.left for w in run)
    x1 = max(w.left + w.width for w in run)
    left_limit = max([w.left + w.width for w in line_words if w.left + w.width <= x0] + [0])
    right_limit = min([w.left for w in line_words if w.left >= x1] + [gray.shape[1]])
    # a column holds ink when two of its pixels are dark (one is a speck of noise)
    inked = (gray[max(0, top):bottom] < 128).sum(axis=0) >= 2
    gap = max(4, int(0.35 * h))

    def grow(x: int, step: int, limit: int) -> int:
        empty = 0
        while (x + step > limit if step < 0 else x + step < limit):
            x += step
            if inked[x]:
                empty = 0
            else:
                empty += 1
                if empty >= gap:
                    return x - step * empty
        return x - step * empty

    def finish(x: int, step: int) -> int:
        # a neighbour's box may overlap the glyph at the edge (tesseract's boxes are loose):
        # a glyph cut by the limit is completed up to its first blank column, if that is near
        # (no blank column: the glyph touches the neighbour's, which is not to be taken in)
        for k in range(1, int(0.6 * h)):
            if not 0 <= x + k * step < len(inked):
                return x
            if not inked[x + k * step]:
                return x + (k - 1) * step
        return x

    x0, x1 = grow(x0, -1, left_limit), grow(x1 - 1, 1, right_limit) + 1
    if inked[x0]:
        x0 = finish(x0, -1)
    if inked[x1 - 1]:
        x1 = finish(x1 - 1, 1) + 1
    return gray[y0:y1, x0:x1], x0, y0


@dataclass
class Cut:
    """A run's glyphs, cut from its crop: the crop's left edge on the page, and in the crop the
    baseline tesseract's boxes give and the page's body height (`body_height`)."""

    glyphs: list[Glyph]
    x0: int
    base: float
    body: float | None


def cut_run(gray: np.ndarray, run: list[Word], line_words: list[Word], body: float | None = None) -> Cut:
    crop, cx0, cy0 = _crop_run(gray, run, line_words, body)
    return Cut(segment_word(crop, drop_edge=True), cx0, _band(run, line_words, body)[1] - cy0, body)


def reread_glyphs(run: list[Word], line_words: list[Word], cut: Cut,
                  read: list[tuple[str, float, np.ndarray]]) -> tuple[str, dict[int, np.ndarray]] | None:
    """The run's text with its digits re-read from its glyphs and their labels, or None to keep
    tesseract's; and for each Thai digit of that text read from a glyph, its offset in the text
    -> the glyph's probabilities (the evidence pipeline.ocr.plausibility weighs).

    Three ways to put the glyphs' labels back into tesseract's text, most
    trusting first: a run with no Thai letter is rebuilt from the glyphs alone
    (digits, punctuation); a run whose character clusters match the glyphs one
    for one takes each glyph the classifier is sure is a digit; otherwise the
    stretches of digits are swapped when both sides agree on the structure.
    """
    if not cut.glyphs:
        return None
    glyphs, read, cx0 = list(cut.glyphs), list(read), cut.x0
    # glyphs at the ends that are not surely anything, or not surely digits and inside a
    # neighbouring word's box, are scraps the crop took in (a stroke of the next word)
    others = [(w.left - cx0, w.left + w.width - cx0) for w in line_words if all(w is not r for r in run)]

    def scrap(i: int) -> bool:
        c, p, _ = read[i]
        g = glyphs[i]
        mid = (g.x0 + g.x1) / 2
        return (p < SURE and c in PUNCT) or (c == OTHER or p < SURE) and any(a <= mid <= b for a, b in others)

    while read and scrap(len(read) - 1):
        read.pop()
        glyphs.pop()
    while read and scrap(0):
        read.pop(0)
        glyphs.pop(0)
    old = "".join(w.text for w in run)  # a merged run's spaces were tesseract's, not the page's
    # quotation marks drawn high before or after the digits ("“๗ ขั้นตอน"): kept as tesseract read them
    head = len(old) - len(old.lstrip(_QUOTES))
    tail = len(old) - len(old.rstrip(_QUOTES)) if head < len(old) else 0
    if (head or tail) and read:
        tall = max(g.y1 - g.y0 for g in glyphs)
        base = max(g.y1 for g in glyphs if g.y1 - g.y0 >= 0.6 * tall)

        def high(i: int) -> bool:
            return read[i][0] == OTHER and glyphs[i].y1 < base - 0.4 * tall

        while head and read and high(0):
            read.pop(0)
            glyphs.pop(0)
        while tail and read and high(len(read) - 1):
            read.pop()
            glyphs.pop()
    if not read:
        return None
    core = old[head:len(old) - tail]
    if not any(ch in THAI_DIGITS for ch in core) and cut.body:
        # a stand-in is re-read only where its glyphs are digits in size and place: tesseract
        # also makes words of the speckle between lines, whose crops catch the lines' edges
        for (c, _, _), g in zip(read, glyphs):
            if c in THAI_DIGITS and not (0.6 * cut.body <= g.y1 - g.y0 <= 1.4 * cut.body
                                         and abs(g.y1 - cut.base) <= 0.45 * cut.body):
                return None
    pieces = _rebuild(read, core)
    if pieces is None:
        return None
    new, evidence = old[:head], {}
    for piece, i in pieces:
        if i is not None and piece in THAI_DIGITS:
            evidence[len(new)] = read[i][2]
        new += piece
    return new + old[len(old) - tail:], evidence


def _rebuild(read: list[tuple[str, float, np.ndarray]], old: str) -> list[tuple[str, int | None]] | None:
    """Tesseract's text `old` of a run with the glyphs' labels put back (see `reread_glyphs`), as
    pieces of text each with the index of the glyph it stands for (None: tesseract's text)."""
    labels = [c for c, _, _ in read]
    glyph_wise = [(c, i) for i, c in enumerate(labels)]
    if not any(ch in THAI_DIGITS for ch in old):  # a stand-in: glyphs must be sure digits
        if _THAI_LETTER.search(old):  # Thai letters ("ด" for ๓): every glyph a digit, very surely
            ok = all((c in THAI_DIGITS and p >= SURE_OVER_LETTERS) or (c in PUNCT and p >= SURE) for c, p, _ in read)
            return glyph_wise if ok and any(c in THAI_DIGITS for c in labels) else None
        if not any(c in THAI_DIGITS and p >= SURE for c, p, _ in read):
            return None
        if all(c != OTHER and p >= SURE for c, p, _ in read):
            return glyph_wise
        clusters = _clusters(old)
        sure = sum(c != OTHER and p >= SURE for c, p, _ in read)
        if len(clusters) == len(read) and 2 * sure > len(read):  # "xc." for "× ๔.": keep the rest
            return [(c, i) if c in THAI_DIGITS and p >= SURE else (cl, None)
                    for i, ((c, p, _), cl) in enumerate(zip(read, clusters))]
        return None
    if OTHER not in labels and (not _THAI_LETTER.search(old) or all(p >= SURE for _, p, _ in read)):
        # no letter on paper where tesseract's run is: its letters there were invented
        return glyph_wise
    clusters = _clusters(old)
    if len(clusters) == len(read):
        # a digit of tesseract's kept where the glyph is unsure still has the glyph's reading
        return [(c, i) if (c in THAI_DIGITS or c in PUNCT) and p >= SURE else (cl, i if cl in THAI_DIGITS else None)
                for i, ((c, p, _), cl) in enumerate(zip(read, clusters))]
    # Letters among digits: replace digit stretches one for one, keep tesseract's letters.
    old_parts = _split_kinds(old, lambda ch: not _THAI_LETTER.match(ch))  # Latin: digits misread
    new_parts = _split_kinds(range(len(labels)), lambda i: labels[i] != OTHER)
    if [k for k, _ in old_parts] == [k for k, _ in new_parts]:
        return [piece for (k, o), (_, n) in zip(old_parts, new_parts)
                for piece in ([(labels[i], i) for i in n] if k else [("".join(o), None)])]
    old_digits = [ch for ch in old if ch in THAI_DIGITS]
    new_digits = [i for i, ch in enumerate(labels) if ch in THAI_DIGITS]
    if len(old_digits) == len(new_digits):
        it = iter(new_digits)
        pieces: list[tuple[str, int | None]] = []
        for ch in old:
            i = next(it) if ch in THAI_DIGITS else None
            pieces.append((ch, None) if i is None else (labels[i], i))
        return pieces
    return None


def _clusters(text: str) -> list[str]:
    """Printed units: a character with the marks drawn over or under it (one glyph on paper)."""
    out: list[str] = []
    for ch in text:
        if out and ch in MARKS:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _split_kinds(seq, is_digit) -> list[tuple[bool, list]]:
    parts: list[tuple[bool, list]] = []
    for ch in seq:
        k = bool(is_digit(ch))
        if parts and parts[-1][0] == k:
            parts[-1][1].append(ch)
        else:
            parts.append((k, [ch]))
    return parts


# ---------------------------------------------------------------------------
# Latin stand-ins for ที่ + agency letters at the start of a reference line
# ---------------------------------------------------------------------------


def latin_line_starts(text: str, words: list[Word]) -> list[list[Word]]:
    """Leading Latin-only words of reference lines ("NWN ๐๘๑๐.๗/ว ๒๐๐", "NUN ๐๘๑๒/๖๙๔").

    On Sarabun scans `tha+eng` reads ที่ มท as Latin ("NNN", "NUN"): the agency
    letters are lost, so a vocabulary cannot bring them back; only the ink can.
    A line qualifies when it starts with one to three short Latin-only words and
    goes on with a word holding a Thai digit, and the line has a "/" (a
    reference number), so Latin text in a letter is never touched.
    """
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    found: list[list[Word]] = []
    for line_words in by_line.values():
        lead: list[Word] = []
        for w in line_words:
            if w.start >= 0 and _LATIN_WORD.match(w.text) and len(lead) < 3:
                lead.append(w)
                continue
            break
        rest = line_words[len(lead):]
        if not lead or not rest or not any(ch in THAI_DIGITS for ch in rest[0].text):
            continue
        if "/" not in "".join(w.text for w in rest):
            continue
        found.append(lead)
    return found


def _read_tha(gray: np.ndarray, lead: list[Word], next_left: int) -> str | None:
    """The ink of `lead` (padded, never into the next word at `next_left`) read by `tha`
    alone as one line, or None when it reads as nothing."""
    x0 = min(w.left for w in lead)
    x1 = max(w.left + w.width for w in lead)
    y0 = min(w.top for w in lead)
    y1 = max(w.top + w.height for w in lead)
    h = max(8, y1 - y0)
    pad = max(2, h // 4)
    crop = gray[max(0, y0 - pad):min(gray.shape[0], y1 + pad),
                max(0, x0 - pad):min(gray.shape[1], x1 + min(pad, max(0, next_left - x1 - 2)))]
    if crop.size == 0:
        return None
    api = _engine("line")
    _set_image(api, crop, None)
    try:
        return api.GetUTF8Text()
    except RuntimeError:  # tesserocr's "No text returned": nothing read
        return None


def reread_tha(gray: np.ndarray, lead: list[Word], next_left: int) -> str | None:
    """Read the ink of `lead` again with `tha` alone: "ที่ มท" or None when that is not what it says.

    One small recognition of the lead's ink per such line; the result is kept only if
    it is ที่ followed by at most one run of one to four Thai consonants, or a lone ท
    (ที่ with its vowel lost as well) followed by the letters of an agency we know
    (r44: "VAS" read again gives "ท ศธ").
    """
    out = _read_tha(gray, lead, next_left)
    if out is None:
        return None
    tokens = []
    for tok in out.split():
        tok = tok.strip(".,:;|'\"`()")
        if not tok or not _THAI_WORDISH.match(tok):
            break
        tokens.append(tok)
    if not tokens:
        return None
    head = tokens[0]
    bare = _FRAGILE_MARKS.sub("", head)
    lone_tho = bare == "ท" and len(tokens) == 2  # ที่ with its sara ii lost too: "ท ศธ"
    if not bare.startswith("ที") and not lone_tho:
        return None
    code = [bare[2:]] if len(bare) > 2 else []
    code += tokens[1:]
    code = [c for c in code if c]
    if len(code) > 1 or (code and not _CODE.match(code[0])):
        return None
    if lone_tho and not _is_agency(code[0]):
        return None
    return "ที่" + (" " + code[0] if code else "")


def _is_agency(letters: str) -> bool:
    """Whether `letters` (marks ignored) are the letters of an agency we know."""
    from pipeline.ocr.words import _agency_by_letters, loose_key

    return loose_key(letters) in _agency_by_letters()


def latin_abbreviations(text: str, words: list[Word]) -> list[tuple[Word, Word | None, Word]]:
    """Thai abbreviations `tha+eng` read as Latin ("Wu. สนง.", "NO. .สำนัก", "nam. สมุทรสาคร"):
    a word of one to four Latin letters and a dot before a Thai word on the same line,
    with the speck ("." or "-") glued to that Thai word when there is one. Each as
    (word, speck or None, the Thai word)."""
    found = []
    for i, w in enumerate(words):
        if w.start < 0 or not _LATIN_ABBR.match(w.text):
            continue
        after = [x for x in words[i + 1:i + 3] if x.line == w.line and x.start >= 0]
        if after and _THAI_START.match(after[0].text):
            found.append((w, None, after[0]))
        elif len(after) == 2 and after[0].text in (".", "-") and after[0].end == after[1].start \
                and _THAI_START.match(after[1].text):
            found.append((w, after[0], after[1]))
    return found


def reread_abbreviation(gray: np.ndarray, word: Word, next_left: int) -> str | None:
    """The Thai abbreviation the ink of a Latin-read `word` is, read again with `tha` alone
    (NO. -> ผอ., nam. -> กสท่. -> กสท.), or None unless that is a known abbreviation of
    two letters or more (pipeline.ocr.words.known_abbreviation): Latin text stays Latin."""
    from pipeline.ocr.words import known_abbreviation

    out = _read_tha(gray, [word], next_left)
    dotted = [tok for tok in (out or "").split() if tok.endswith(".")]
    return known_abbreviation(dotted[0]) if len(dotted) == 1 else None


def false_spaces(text: str, words: list[Word], body: float | None) -> list[tuple[int, int]]:
    """Spans of `text` (spaces only) between two words of a line that are one word or phrase
    on the page: the left one ends in ะ or a Thai abbreviation's dot and the ink gap is
    narrower than FALSE_SPACE_GAP bodies."""
    if not body:
        return []
    spans = []
    for a, b in zip(words, words[1:]):
        if a.line != b.line or a.end < 0 or b.start <= a.end or text[a.end:b.start].strip(" "):
            continue
        if b.left - (a.left + a.width) >= FALSE_SPACE_GAP * body:
            continue
        if _ENDS_OPEN.search(text[max(0, a.end - 2):a.end]) and _THAI_START.match(text[b.start:b.start + 1]):
            spans.append((a.end, b.start))
    return spans


@dataclass
class Edit:
    """A change a word-box pass makes to tesseract's page text: `text[start:end]` becomes `new`;
    `evidence` maps offsets in `new` of Thai digits read from glyphs to their probabilities."""

    start: int
    end: int
    new: str
    evidence: dict[int, np.ndarray] = field(default_factory=dict)


@dataclass
class Boxes:
    """A page as tesseract read it (pixels, text, word boxes), for the passes that work on the
    word boxes (pipeline.ocr.passes). All their edits are on tesseract's own text, made at once
    after the last of them; `taken` holds the ids of words an earlier pass already re-read, and
    `edits` what the earlier passes changed, so no two passes edit the same place."""

    gray: np.ndarray
    text: str
    words: list[Word]
    by_line: dict[tuple[int, int, int], list[Word]] = field(init=False)
    body: float | None = field(init=False)
    taken: set[int] = field(default_factory=set)
    edits: list[Edit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_line = {}
        for w in self.words:
            self.by_line.setdefault(w.line, []).append(w)
        self.body = body_height(self.words)


def reread_reference_leads(page: Boxes) -> list[Edit]:
    """ที่ + the agency letters read as Latin at the start of a reference line ("NWN ๐๘๑๐.๗/ว
    ๒๐๐"), read again from their ink with `tha` alone (`latin_line_starts`, `reread_tha`)."""
    edits = []
    for lead in latin_line_starts(page.text, page.words):
        line_words = page.by_line[lead[0].line]
        after = line_words[len(lead)] if len(line_words) > len(lead) else None
        new = reread_tha(page.gray, lead, after.left if after else page.gray.shape[1])
        if new is not None:
            edits.append(Edit(lead[0].start, lead[-1].end, new))
            page.taken.update(id(w) for w in lead)
    return edits


def reread_structural_leads(page: Boxes) -> list[Edit]:
    """A structural word read as Latin at the start of a line of Thai ("Goa การรับสมัครทุน…"
    for เรื่อง on r51's announcement, which has no salutation for `latin-subject-head` to
    go by): the Latin word's ink read again with `tha` alone, and kept only when that
    is, marks aside, a word a letter's lines start with (ocr_vocabulary.json's
    `line_start`: เรื่อง, เรียน, อ้างถึง, ...). On the dev set's scans `tha` reads the other
    Latin line starts as noise or other words ("Factor" -> "เฉโซ เจาอ", "J" -> "ญ"), which
    are left as read."""
    from pipeline.ocr.words import skeleton, vocabulary

    words = vocabulary()["line_start"]
    edits = []
    for line_words in page.by_line.values():
        lead = line_words[0]
        if len(line_words) < 2 or lead.start < 0 or id(lead) in page.taken or not _LATIN_WORD.match(lead.text):
            continue
        if not _THAI_START.match(line_words[1].text):
            continue
        read = (_read_tha(page.gray, [lead], line_words[1].left) or "").strip()
        word = words.get(skeleton(read)) if read else None
        if word is not None:
            edits.append(Edit(lead.start, lead.end, word))
            page.taken.add(id(lead))
    return edits


# Large print above the reference: the regulation stamps a letter's urgency or secrecy mark
# in red letters of at least 32 points over a body of 16, so its ink (marks above and below
# included) stands at least this many body heights tall; a body line's stands about 2.6 (r34).
LARGE_MARK_HEIGHT = 3.5
LARGE_MARK_ABOVE = 9  # body heights above the reference line where the mark is looked for
LARGE_MARK_SCALES = (1.6, 2.0, 2.4, 3.0)  # the ink's height made these many body heights
LARGE_MARK_LIKENESS = 0.6  # the mean likeness of the readings to the mark's letters
LARGE_MARK_MARGIN = 0.05  # over the next mark's


def _reference_line(page: Boxes) -> list[Word] | None:
    """The topmost line in the page's top third that starts in its left third and holds a
    slash and a digit: a letter's `ที่ …/…` line, however its letters were read."""
    height, width = page.gray.shape
    for line_words in sorted(page.by_line.values(), key=lambda ws: min(w.top for w in ws)):
        if min(w.top for w in line_words) > height * 0.35:
            return None
        if (line_words[0].left < width * 0.3 and line_words[0].start >= 0
                and any("/" in w.text for w in line_words) and any(_DIGIT_CHAR.search(w.text) for w in line_words)):
            return line_words
    return None


_DIGIT_CHAR = re.compile("[0-9๐-๙]")


def _ink_runs(index: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of the sorted positions in `index`, cut where two lie more than `gap` apart."""
    out: list[tuple[int, int]] = []
    start = prev = int(index[0])
    for x in index[1:]:
        if x - prev > gap:
            out.append((start, prev + 1))
            start = int(x)
        prev = int(x)
    out.append((start, prev + 1))
    return out


def _read_scaled(crop: np.ndarray, scale: float) -> str:
    img = Image.fromarray(crop)
    img = img.resize((max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))), Image.LANCZOS)
    api = _engine("line")
    _set_image(api, np.asarray(img), None)
    try:
        return api.GetUTF8Text().strip()
    except RuntimeError:
        return ""


def _likeness_to_marks(crop: np.ndarray, body: float, height: int, marks: list[str]) -> list[tuple[float, str]] | None:
    """Each mark's likeness to the readings of `crop` (ink `height` pixels tall) at LARGE_MARK_SCALES:
    the mean over the readings of difflib's ratio of their letters to the mark's (marks aside),
    best first; or None as soon as no mark can reach LARGE_MARK_LIKENESS whatever the readings
    left say (each at most 1). A block that is no mark (the emblem above a letter's reference,
    on most first pages) is then read at two sizes, not four: its readings are like no mark."""
    import difflib

    from pipeline.ocr.words import skeleton

    keys = [skeleton(m) for m in marks]
    ratios: list[list[float]] = [[] for _ in marks]
    for k, s in enumerate(LARGE_MARK_SCALES, 1):
        reading = skeleton(re.sub("[^ก-๛]", "", _read_scaled(crop, s * body / height)))
        for key, mark_ratios in zip(keys, ratios):
            mark_ratios.append(difflib.SequenceMatcher(None, reading, key).ratio())
        left = len(LARGE_MARK_SCALES) - k
        if all((sum(r) + left) / len(LARGE_MARK_SCALES) < LARGE_MARK_LIKENESS - 1e-9 for r in ratios):
            return None
    return sorted(((sum(r) / len(r), m) for r, m in zip(ratios, marks)), reverse=True)


def reread_large_marks(page: Boxes) -> list[Edit]:
    """An urgency or secrecy mark in large print above the reference line that tesseract's page
    read missed or made noise of (r44: `ด่วนที่สุด` in heavy 40-point letters gave no word at all;
    the regulation stamps these marks at 32 points or more). The tallest run of ink rows in the
    left part above the reference, when it is large print (LARGE_MARK_HEIGHT), is cut into its
    blocks of ink; each is read by `tha` at a few sizes, and a mark of vocabulary.json (urgency,
    secrecy) takes the place of tesseract's words on that ink, or is put above the reference,
    when the readings are like it (their letters, marks aside: LARGE_MARK_LIKENESS on average,
    LARGE_MARK_MARGIN over the next mark). On the dev
    set's scans it reads r44's and r48's marks (r34's was read already) and nothing else:
    `บันทึกข้อความ`'s บัน is ลับ at 0.5, body lines are not large print."""
    from pipeline.ocr.words import skeleton
    from pipeline.thai import facts

    body = page.body
    ref = _reference_line(page) if body else None
    if ref is None:
        return []
    marks = facts.words("urgency") + facts.words("secrecy")
    top = min(w.top for w in ref)
    above = page.text[:ref[0].start]
    if any(skeleton(m) in skeleton(above) for m in marks):
        return []  # read already
    y0 = max(0, int(top - LARGE_MARK_ABOVE * body))
    band = page.gray[y0:top, :int(page.gray.shape[1] * 0.45)] < 128
    rows = np.flatnonzero(band.sum(1))
    if rows.size == 0:
        return []
    r0, r1 = max(_ink_runs(rows, int(body * 0.4)), key=lambda r: r[1] - r[0])
    if r1 - r0 < LARGE_MARK_HEIGHT * body:
        return []
    pad = int(body // 2)
    for c0, c1 in _ink_runs(np.flatnonzero(band[r0:r1].sum(0)), int(body * 1.5)):
        if c1 - c0 < 3 * body:
            continue
        crop = page.gray[max(0, y0 + r0 - pad):y0 + r1 + pad, max(0, c0 - pad):c1 + pad]
        likeness = _likeness_to_marks(crop, body, r1 - r0, marks)
        if likeness is None:
            continue
        (best, mark), (second, _) = likeness[0], likeness[1]
        if best >= LARGE_MARK_LIKENESS and best - second >= LARGE_MARK_MARGIN:
            # tesseract's own words on the mark's ink (`ต่วนทีสุด`) give way to it; else it goes above the reference
            inside = [w for w in page.words if w.start >= 0 and id(w) not in page.taken
                      and y0 + r0 - pad <= w.top and w.top + w.height <= y0 + r1 + pad
                      and c0 - pad <= w.left and w.left + w.width <= c1 + pad]
            if inside and len({w.line for w in inside}) == 1:
                page.taken.update(id(w) for w in inside)
                return [Edit(inside[0].start, inside[-1].end, mark)]
            return [Edit(ref[0].start, ref[0].start, mark + "\n")]
    return []


def reread_latin_abbreviations(page: Boxes) -> list[Edit]:
    """A Thai abbreviation read as Latin before a Thai word ("NO. .สำนัก" for ผอ.สำนัก), read
    again with `tha` alone and kept only when it is a known abbreviation
    (`latin_abbreviations`, `reread_abbreviation`); the speck glued to the Thai word goes with it."""
    edits = []
    for word, speck, thai in latin_abbreviations(page.text, page.words):
        if id(word) in page.taken:
            continue
        new = reread_abbreviation(page.gray, word, thai.left if speck is None else speck.left)
        if new is not None:
            edits.append(Edit(word.start, word.end, new))
            if speck is not None:  # "NO. .สำนัก": the speck goes with the misreading
                edits.append(Edit(speck.start, speck.end, ""))
            page.taken.update(id(w) for w in (word, speck) if w is not None)
    return edits


def reread_digit_runs(page: Boxes) -> list[Edit]:
    """Every run of words holding a Thai digit (or a stand-in for one) cut into glyphs and
    re-read by the project's classifier (`digit_runs`, `cut_run`, `reread_glyphs`): Debian's
    `tha` model cannot output ๔ ๖ ๗ ๘ ๙ and confuses ๓. An edit is kept even when the text
    is unchanged: its digits were read from their glyphs (the evidence of pipeline.ocr.plausibility)."""
    gray, by_line, body = page.gray, page.by_line, page.body
    runs = [run for run in join_touching(gray, digit_runs(page.text, page.words), by_line, body)
            if not any(id(w) in page.taken for w in run)]
    cuts = [cut_run(gray, run, by_line[run[0].line], body) for run in runs]
    reads = classify_words([cut.glyphs for cut in cuts])  # one matrix product for the page
    edits = []
    for run, cut, read in zip(runs, cuts, reads):
        new = reread_glyphs(run, by_line[run[0].line], cut, read)
        if new is not None:
            edits.append(Edit(run[0].start, run[-1].end, *new))
    return edits


def drop_false_spaces(page: Boxes) -> list[Edit]:
    """The spaces of `false_spaces` (after ะ or an abbreviation's dot, where the ink gap is
    narrow) taken out, except where an earlier pass edits."""
    spans = [(e.start, e.end) for e in page.edits]
    return [Edit(start, end, "") for start, end in false_spaces(page.text, page.words, page.body)
            if not any(s0 < end and start < e0 for s0, e0 in spans)]


def page_text(gray: np.ndarray, text: str, words: list[Word]) -> tuple[str, list[str]]:
    """Tesseract's page text and words made the page's text by the OCR passes, in their order
    (pipeline.ocr.passes.PASSES); with a warning per date the last of them changed."""
    from pipeline.ocr.passes import apply_passes

    result = apply_passes(Boxes(gray, text, words))
    return result.text, result.warnings


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------
def tidy_layout(text: str) -> str:
    """Tesseract's layout, tidied: no trailing spaces or form feed, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.replace("\f", "").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def join_sara_am(text: str) -> str:
    """Sara am as tesseract sometimes spells it, nikhahit + sara aa (ํา), made the one
    character (ำ) the word lists and the extractors know."""
    return text.replace("\u0e4d\u0e32", "\u0e33")


# Orientation. tesseract's OSD (osd.traineddata, in Debian's tesseract-ocr-osd) on the page at
# half its resolution read all 32 real dev-set pages tried (8 letters x 0/90/180/270 degrees)
# right, but costs ~0.4 s a page, a fifth of the page's OCR. Upright letter pages of the dev
# set OCR at confidence 84-93; a page scanned sideways at 0 to 56 (r43's page 6, a landscape
# scan, at 0). So only a page under TURN_CHECK_BELOW is asked, and the turned page is kept
# only if it reads at a confidence TURN_GAIN higher: a poster or a handwritten page that OSD
# misjudges stays as it was.
TURN_CHECK_BELOW = 70.0
TURN_GAIN = 10.0


def turned(gray: np.ndarray) -> int | None:
    """Degrees (90, 180, 270) to turn the page counter-clockwise so its text stands upright, or None."""
    api = _engine("osd")
    half = np.ascontiguousarray(gray[::2, ::2])
    _set_image(api, half, None)
    try:
        found = api.DetectOrientationScript()
    except RuntimeError:
        return None
    if not found or not found.get("orient_deg"):
        return None
    return int(found["orient_deg"])


def _upright(gray: np.ndarray, dpi: int | None, text: str, words: list[Word]) -> tuple[np.ndarray, str, list[Word], int]:
    """The page as read, or turned by OSD's angle when that reads much better (see above)."""
    conf = page_confidence(words)
    if conf is not None and conf >= TURN_CHECK_BELOW:
        return gray, text, words, 0
    try:
        angle = turned(gray)
    except ReadError:
        return gray, text, words, 0  # no osd model: the page as it is
    if angle is None:
        return gray, text, words, 0
    rotated = np.ascontiguousarray(np.rot90(gray, k=angle // 90))
    text2, words2 = recognise(rotated, dpi)
    conf2 = page_confidence(words2)
    if conf2 is not None and conf2 >= (conf or 0.0) + TURN_GAIN:
        return rotated, text2, words2, angle
    return gray, text, words, 0


# Resolution. Tesseract reads Thai best with a consonant body of 26-30 pixels: what 16 pt
# Sarabun, the regulation's type, has at 300 dpi (every real scan of the dev set). A page
# whose body is under SMALL_BODY (a fax, a 100 dpi scan: 9-13 pixels) is read again
# upscaled to TARGET_BODY (Lanczos), at most MAX_UPSCALE times; tools/ocr_low_resolution.py
# measures it on the dev set's scans rendered at 75 and 100 dpi.
SMALL_BODY = 18.0
TARGET_BODY = 28.0
MAX_UPSCALE = 4.0


def _upscaled(gray: np.ndarray, dpi: int | None, text: str, words: list[Word]
              ) -> tuple[np.ndarray, int | None, str, list[Word], float]:
    """The page as read, or, when its text is small (see above), upscaled and read again."""
    body = body_height(words)
    if body is None or body >= SMALL_BODY:
        return gray, dpi, text, words, 1.0
    factor = min(MAX_UPSCALE, TARGET_BODY / max(body, 1.0))
    size = (int(round(gray.shape[1] * factor)), int(round(gray.shape[0] * factor)))
    big = np.asarray(Image.fromarray(gray).resize(size, Image.LANCZOS))
    big_dpi = int(round(dpi * factor)) if dpi else None
    text2, words2 = recognise(big, big_dpi)
    return big, big_dpi, text2, words2, factor


def ocr_page(image: Image.Image, number: int | None, dpi: int | None = None, *, upscale: bool = True) -> Page:
    """OCR one page image: tesseract, turned upright if it lies sideways, receipt stamps taken
    out (pipeline.ocr.stamps), a line that holds two blocks of the letterhead cut in two
    (pipeline.ocr.layout), the digit pass and the word fixes, on the same pixels."""
    gray = np.asarray(image if image.mode == "L" else image.convert("L"))
    text, words = recognise(gray, dpi)
    factor = 1.0
    if upscale:
        gray, dpi, text, words, factor = _upscaled(gray, dpi, text, words)
    gray, text, words, angle = _upright(gray, dpi, text, words)
    text, words, stamps = find_stamps(gray, text, words, reread=lambda crop: recognise(crop, dpi, "block"))
    text, words, columns = split_columns(text, words, gray.shape[1], body_height(words))
    text, warnings = page_text(gray, text, words)
    if angle:
        warnings.insert(0, f"page turned {angle} degrees to read it (tesseract OSD)")
    if factor > 1.0:
        warnings.insert(0, f"small print (a low-resolution scan or fax): page read again upscaled {factor:.1f} times")
    conf = page_confidence(words)
    if conf is None:
        warnings.append("OCR found no text")  # the page's number is put before it with the others
    for stamp in stamps:
        stamp.page = number
    return Page(number=number, text=text, source="ocr", ocr_confidence=conf, warnings=warnings, stamps=stamps,
                columns=columns)


def ocr_images(images: Iterable[tuple[int, Image.Image]], settings: Settings = DEFAULT) -> list[Page]:
    """OCR numbered page images, `settings.ocr_workers` at a time (tesseract runs outside the GIL).

    Ingest already runs one worker per core, so 1 unless the runner lends a file idle cores."""
    if settings.ocr_workers == 1:
        return [ocr_page(img, number, dpi=_dpi(img)) for number, img in images]
    with ThreadPoolExecutor(settings.ocr_workers) as pool:
        futures = [pool.submit(ocr_page, img, number, _dpi(img)) for number, img in images]
        return [f.result() for f in futures]


def _dpi(img: Image.Image) -> int | None:
    dpi = img.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if value >= 70 else None


def _frames(path: Path, limits: Settings) -> Iterator[Image.Image]:
    try:
        with Image.open(path) as img:
            for number, frame in enumerate(ImageSequence.Iterator(img), 1):
                # checked before decoding: the header of a bomb is small, its pixels are not
                if frame.width * frame.height > limits.max_pixels:
                    raise ReadError(ErrorType.IMAGE_TOO_LARGE,
                                    f"image is {frame.width:,} x {frame.height:,} pixels, "
                                    f"more than the limit of {limits.max_pixels:,} (--max-pixels)")
                if number > limits.max_pages:
                    raise ReadError(ErrorType.TOO_MANY_PAGES, f"image has more than {limits.max_pages:,} pages "
                                                              f"(--max-pages)")
                frame.load()
                out = frame.convert("L")
                out.info["dpi"] = frame.info.get("dpi") or img.info.get("dpi")
                yield out
    except Image.DecompressionBombError as exc:  # PIL's own limit (the runner sets it from --max-pixels)
        raise ReadError(ErrorType.IMAGE_TOO_LARGE, f"image too large: {exc}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ReadError(ErrorType.CORRUPT_IMAGE, f"cannot read image: {exc}") from None


def read_image_pages(path: Path, settings: Settings = DEFAULT) -> list[Page]:
    """Pages of an image file: one for PNG/JPEG, one per frame of a (multi-page) TIFF."""
    frames = list(_frames(path, settings))
    if not frames:
        raise ReadError(ErrorType.CORRUPT_IMAGE, "image has no pages")
    return ocr_images(((i + 1, frame) for i, frame in enumerate(frames)), settings)
