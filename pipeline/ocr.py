"""OCR stage: tesseract for the page, then a pass that re-reads every Thai digit.

Tesseract runs as `-l tha+eng --oem 1 --psm 4` (psm 6 breaks on skewed pages;
`tha` alone turns Latin such as "GECC" into digits) with OMP_THREAD_LIMIT=1:
one single-threaded tesseract per core was measured at ~1.3 s a page, its own
threading on two cores at 13.75 s. One tesseract run writes both the text
(`txt`, whose spacing and line breaks we keep) and the word boxes (`tsv`).

Debian's `tha` model cannot output ๔ ๖ ๗ ๘ ๙ and confuses ๓, so every run of
words that holds a digit is cut into glyphs and re-read by the project's own
classifier (pipeline.digits); then structural words that OCR damages (ที่→ที,
เรื่อง→เรือง, month names, ลงวันที่, สิ่งที่ส่งมาด้วย) are matched against
data/ocr_vocabulary.json (pipeline.ocr_words).
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pytesseract
from pytesseract.pytesseract import run_tesseract as run_tesseract_cli
from PIL import Image, ImageSequence, UnidentifiedImageError

from pipeline.digits import OTHER, PUNCT, THAI_DIGITS, classify, segment_word
from pipeline.limits import current
from pipeline.model import Page, ReadError

# One thread per tesseract: parallelism comes from one tesseract per core (see the docstring).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LANG = "tha+eng"
CONFIG = "--oem 1 --psm 4"
# Pages OCR'd at once by one read; ingest already runs one worker per core, so 1 by default.
WORKERS = max(1, int(os.environ.get("CIRCULARS_OCR_WORKERS", "1") or 1))

_DIGITISH = set(THAI_DIGITS) | set(PUNCT) | set("0123456789%|lIoO")
_THAI_LETTER = re.compile("[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]")


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


def run_tesseract(image_path: str, dpi: int | None = None) -> tuple[str, list[Word]]:
    """Text and words of one page image file, from one tesseract process."""
    config = CONFIG + (f" --dpi {dpi}" if dpi else "") + " -c tessedit_create_tsv=1"
    with tempfile.TemporaryDirectory(prefix="circulars-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        try:
            run_tesseract_cli(image_path, base, extension="txt", lang=LANG, config=config)
        except pytesseract.TesseractNotFoundError:
            raise ReadError("ocr_unavailable", "tesseract is not installed (apt-get install tesseract-ocr "
                                               "tesseract-ocr-tha)") from None
        except pytesseract.TesseractError as exc:
            raise ReadError("ocr_failed", f"tesseract failed: {exc.message.strip()[:200]}") from None
        text = Path(base + ".txt").read_text(encoding="utf-8")
        tsv = Path(base + ".tsv").read_text(encoding="utf-8")
    return text, _words(tsv, text)


def _words(tsv: str, text: str) -> list[Word]:
    """Word rows of tesseract's TSV, each located in the text output (same iterator, same order)."""
    words: list[Word] = []
    pos = 0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        w = Word(row["text"], int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]),
                 float(row["conf"]), (int(row["block_num"]), int(row["par_num"]), int(row["line_num"])))
        at = text.find(w.text, pos)
        if at >= 0 and not text[pos:at].strip():
            w.start, w.end = at, at + len(w.text)
            pos = w.end
        words.append(w)
    return words


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
def digit_runs(text: str, words: list[Word]) -> list[list[Word]]:
    """Runs of words printed without a space between them, holding at least one Thai digit."""
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
    return [r for r in runs if any(ch in THAI_DIGITS for w in r for ch in w.text) or _latin_stand_in(r)]


def _latin_stand_in(run: list[Word]) -> bool:
    """A short run of Latin letters and symbols only, which `tha+eng` makes of a lone Thai
    digit ("on" for ๓, "©" for ๑, "lo" for ๒, "woo" for ๒๐๐). Re-read, kept unless every glyph
    is confidently a digit."""
    text = "".join(w.text for w in run)
    core = text.strip(".,:;()-")
    return 0 < len(core) <= 6 and not any(ch.isdigit() or "\u0e00" <= ch <= "\u0e7f" for ch in core)


def _crop_run(gray: np.ndarray, run: list[Word], line_words: list[Word]) -> tuple[np.ndarray, int, int]:
    """The run's region, grown sideways over ink tesseract left out (a dropped last digit).

    Vertically it is the run's typical box (tesseract sometimes stretches a
    word's box over marks of the lines above and below) with half a box of
    margin; sideways it may grow up to the next word tesseract did read.
    """
    tops = sorted(w.top for w in run)
    bottoms = sorted(w.top + w.height for w in run)
    top, bottom = tops[len(tops) // 2], bottoms[len(bottoms) // 2]
    h = max(8, bottom - top)
    y0 = max(0, top - h // 2)
    y1 = min(gray.shape[0], bottom + h // 2)
    x0 = min(w.left for w in run)
    x1 = max(w.left + w.width for w in run)
    left_limit = max([w.left + w.width for w in line_words if w.left + w.width <= x0] + [0])
    right_limit = min([w.left for w in line_words if w.left >= x1] + [gray.shape[1]])
    core = gray[top:bottom]
    gap = max(4, int(0.35 * h))

    def grow(x: int, step: int, limit: int) -> int:
        empty = 0
        while (x + step > limit if step < 0 else x + step < limit):
            x += step
            if (core[:, x] < 128).any():
                empty = 0
            else:
                empty += 1
                if empty >= gap:
                    return x - step * empty
        return x - step * empty

    x0, x1 = grow(x0, -1, left_limit), grow(x1 - 1, 1, right_limit) + 1
    return gray[y0:y1, x0:x1], x0, y0


# A glyph the classifier calls a digit with at least this probability replaces tesseract's reading.
SURE = 0.9


def reread_run(gray: np.ndarray, run: list[Word], text: str, line_words: list[Word]) -> str | None:
    """The run's text with its digits re-read, or None to keep tesseract's.

    Three ways to put the glyphs' labels back into tesseract's text, most
    trusting first: a run with no Thai letter is rebuilt from the glyphs alone
    (digits, punctuation); a run whose character clusters match the glyphs one
    for one takes each glyph the classifier is sure is a digit; otherwise the
    stretches of digits are swapped when both sides agree on the structure.
    """
    crop, _, _ = _crop_run(gray, run, line_words)
    glyphs = segment_word(crop, drop_edge=True)
    if not glyphs:
        return None
    read = classify(glyphs)
    labels = [c for c, _, _ in read]
    old = text[run[0].start:run[-1].end]
    if not any(ch in THAI_DIGITS for ch in old):  # a Latin stand-in: all glyphs must be sure digits
        if all(c != OTHER and p >= SURE for c, p, _ in read) and any(c in THAI_DIGITS for c in labels):
            return "".join(labels)
        return None
    # glyphs at the ends that are not surely anything are scraps the crop took in (a stroke of the next word)
    while read and read[-1][1] < SURE and read[-1][0] in PUNCT:
        read.pop()
    while read and read[0][1] < SURE and read[0][0] in PUNCT:
        read.pop(0)
    labels = [c for c, _, _ in read]
    if OTHER not in labels and (not _THAI_LETTER.search(old) or all(p >= SURE for _, p, _ in read)):
        # no letter on paper where tesseract's run is: its letters there were invented
        return "".join(labels)
    clusters = _clusters(old)
    if len(clusters) == len(read):
        return "".join(c if (c in THAI_DIGITS or c in PUNCT) and p >= SURE else cl
                       for (c, p, _), cl in zip(read, clusters))
    # Letters among digits: replace digit stretches one for one, keep tesseract's letters.
    old_parts = _split_kinds(old, lambda ch: ch in _DIGITISH)
    new_parts = _split_kinds(labels, lambda ch: ch != OTHER)
    if [k for k, _ in old_parts] == [k for k, _ in new_parts]:
        return "".join(("".join(n) if k else "".join(o)) for (k, o), (_, n) in zip(old_parts, new_parts))
    old_digits = [ch for ch in old if ch in THAI_DIGITS]
    new_digits = [ch for ch in labels if ch in THAI_DIGITS]
    if len(old_digits) == len(new_digits):
        it = iter(new_digits)
        return "".join(next(it) if ch in THAI_DIGITS else ch for ch in old)
    return None


_MARKS = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


def _clusters(text: str) -> list[str]:
    """Printed units: a character with the marks drawn over or under it (one glyph on paper)."""
    out: list[str] = []
    for ch in text:
        if out and ch in _MARKS:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _split_kinds(seq, is_digit) -> list[tuple[bool, list[str]]]:
    parts: list[tuple[bool, list[str]]] = []
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
_LATIN_WORD = re.compile(r"^[A-Za-z|!]{1,6}[.,:]?$")
_THAI_WORDISH = re.compile("^[\u0e01-\u0e4e]+$")
_CODE = re.compile("^[\u0e01-\u0e2e]{1,4}$")


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


def reread_tha(gray: np.ndarray, lead: list[Word], next_left: int) -> str | None:
    """Read the ink of `lead` again with `tha` alone: "ที่ มท" or None when that is not what it says.

    One small tesseract run (~0.25 s) per such line; the result is kept only if
    it is ที่ followed by at most one run of one to four Thai consonants.
    """
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
    try:
        out = pytesseract.image_to_string(Image.fromarray(crop), lang="tha", config="--oem 1 --psm 7")
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError):
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
    if not bare.startswith("ที"):
        return None
    code = [bare[2:]] if len(bare) > 2 else []
    code += tokens[1:]
    code = [c for c in code if c]
    if len(code) > 1 or (code and not _CODE.match(code[0])):
        return None
    return "ที่" + (" " + code[0] if code else "")


_FRAGILE_MARKS = re.compile("[\u0e47-\u0e4e]")  # tones: ที่ read as ที or ที้


def digit_pass(gray: np.ndarray, text: str, words: list[Word]) -> tuple[str, int]:
    """The page text with every digit run re-read (and Latin-read ที่ + agency letters of
    reference lines read again); and how many runs changed."""
    edits: list[tuple[int, int, str]] = []
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    taken: set[int] = set()
    for lead in latin_line_starts(text, words):
        line_words = by_line[lead[0].line]
        after = line_words[len(lead)] if len(line_words) > len(lead) else None
        new = reread_tha(gray, lead, after.left if after else gray.shape[1])
        if new is not None:
            edits.append((lead[0].start, lead[-1].end, new))
            taken.update(id(w) for w in lead)
    for run in digit_runs(text, words):
        if any(id(w) in taken for w in run):
            continue
        new = reread_run(gray, run, text, by_line[run[0].line])
        if new is not None and new != text[run[0].start:run[-1].end]:
            edits.append((run[0].start, run[-1].end, new))
    edits.sort()
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text, len(edits)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------
def clean_ocr_text(text: str) -> str:
    """Tesseract's layout, tidied: no trailing spaces or form feed, at most one blank line in a row."""
    text = text.replace("\f", "").replace("\u0e4d\u0e32", "\u0e33")
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def ocr_page(image: Image.Image, number: int | None, path: str | None = None, dpi: int | None = None) -> Page:
    """OCR one page image. `path` is an image file tesseract can read as is (saves an encode)."""
    gray_image = image if image.mode == "L" else image.convert("L")
    with tempfile.TemporaryDirectory(prefix="circulars-page-") as tmp:
        if path is None:
            path = os.path.join(tmp, "page.pgm")  # uncompressed: PNG encoding costs ~0.3 s a page
            gray_image.save(path)
        text, words = run_tesseract(path, dpi)
    gray = np.asarray(gray_image)
    text, changed = digit_pass(gray, text, words)
    from pipeline.ocr_words import correct_structural_words

    text = correct_structural_words(clean_ocr_text(text))
    warnings = []
    conf = page_confidence(words)
    if conf is None:
        warnings.append(f"page {number}: OCR found no text" if number else "OCR found no text")
    return Page(number=number, text=text, source="ocr", ocr_confidence=conf, warnings=warnings)


def ocr_images(images: Iterable[tuple[int, Image.Image]]) -> list[Page]:
    """OCR numbered page images, WORKERS at a time (tesseract runs outside the GIL)."""
    if WORKERS == 1:
        return [ocr_page(img, number, dpi=_dpi(img)) for number, img in images]
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(ocr_page, img, number, None, _dpi(img)) for number, img in images]
        return [f.result() for f in futures]


def _dpi(img: Image.Image) -> int | None:
    dpi = img.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if value >= 70 else None


def _frames(path: Path) -> Iterator[Image.Image]:
    limits = current()
    try:
        with Image.open(path) as img:
            for number, frame in enumerate(ImageSequence.Iterator(img), 1):
                # checked before decoding: the header of a bomb is small, its pixels are not
                if frame.width * frame.height > limits.max_pixels:
                    raise ReadError("image_too_large", f"image is {frame.width:,} x {frame.height:,} pixels, "
                                                       f"more than the limit of {limits.max_pixels:,} (--max-pixels)")
                if number > limits.max_pages:
                    raise ReadError("too_many_pages", f"image has more than {limits.max_pages:,} pages "
                                                      f"(--max-pages)")
                frame.load()
                out = frame.convert("L")
                out.info["dpi"] = frame.info.get("dpi") or img.info.get("dpi")
                yield out
    except Image.DecompressionBombError as exc:  # PIL's own limit (the runner sets it from --max-pixels)
        raise ReadError("image_too_large", f"image too large: {exc}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ReadError("corrupt_image", f"cannot read image: {exc}") from None


def read_image_pages(path: Path) -> list[Page]:
    """Pages of an image file: one for PNG/JPEG, one per frame of a (multi-page) TIFF."""
    frames = list(_frames(path))
    if not frames:
        raise ReadError("corrupt_image", "image has no pages")
    if len(frames) == 1:
        # tesseract reads the file itself, as the bare command would
        return [ocr_page(frames[0], 1, path=str(path), dpi=_dpi(frames[0]))]
    return ocr_images((i + 1, frame) for i, frame in enumerate(frames))
