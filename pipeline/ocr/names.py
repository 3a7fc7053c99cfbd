"""The signatory's name line, `(นายปรีชา นวลน้อย)` under the signature, read again from its ink.

The name is the signature block's weakest value on real scans: the signature's
pen crosses the line (a stroke through ส read as a tone mark: สุ่นทร), the print
is faint (วายกผล for นายกมล), or tesseract's page reading slips a letter
(นายบปรีชา, ศิริขชนะ, พลตือ, "wai" for พลตื้อ). No word list holds people's names,
so the word passes leave a name as read (words.name_free_parts); only the ink can
say what it is. This pass reads the line inside the brackets again, framed two
ways (`name_crop`: the signature's strokes wiped; `boxed_crop`: tesseract's word
boxes with a margin), each with `tha` alone as one line at three scales, as it is
and binarised (`readings`: twelve readings), and then, part by part (the title
with the given name; the surname), keeps tesseract's reading unless the ink
clearly gives a better-known one (`better_parts`): a given name of pythainlp's
lists of Thai given names, a surname of its list of family names, or, more
weakly, a surname made of lexicon words. A part tesseract read as a listed name
is never changed, and an unknown one only for a close reading.

Measured with tools/ocr_name_lines.py: on the dev set's 19 real scans, 6 of the 10
misread signatory name lines are mended, the 9 read right are left alone, and so are
the 6 bracketed names that are no signatory. On 1,100 rendered and degraded signature
blocks (half of them crossed by a drawn stroke; the name's own given or family name
taken out of the lists in three blocks of four, as most real names are in none), of
the 1,031 name lines found, 80 of the 285 misread are mended and 15 more in one part,
and none of the 746 read right is changed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import numpy as np
from PIL import Image
from scipy import ndimage

from pipeline.model import ReadError
from pipeline.ocr.digits import otsu_threshold
from pipeline.ocr.engine import Boxes, Edit, Word, _band, recognise
from pipeline.thai import facts
from pipeline.thai.chars import CONSONANT, DIGIT, THAI

# The crop, in consonant bodies (`engine.body_height`) from the line's consonant band.
# On the 25 name lines of the dev set's scans, the marks of a name reach at most 1.22
# bodies above the band (a tone mark over sara uee: พลตื้อ) and its descenders and
# brackets 0.54 below it; the next line's marks begin about 1.0 below. Ink that
# reaches past these limits is not the name's: a signature's stroke, or a line
# above or below.
MARKS_REACH_UP = 1.35
MARKS_REACH_DOWN = 0.75
# A stroke that crosses the name's letters is wiped above the letters' tops (less
# this margin) only: the letter it crosses stays.
STROKE_CUT_MARGIN = 0.1
# How far from the band a stroke is followed (in bodies), and the paper kept either side.
STROKE_SEARCH = 2.5
SIDE_MARGIN = 0.5
# The second framing: tesseract's word boxes (which hold the marks) with this margin,
# as reference-lead-reread and the digit pass crop a word.
BOX_MARGIN = 0.6
# Tesseract reads a small line differently at each size and with and without its grey
# levels; twelve readings of one line of `tha` cost ~0.4 s, a name line or two a page.
SCALES = (1.0, 1.5, 2.0)
# A surname made of lexicon words replaces an unknown one only when this share of the
# readings agree on it: pythainlp's lexicon holds many syllables. Of the 45 surnames of
# the gold files 35 are made of words, and so are 5 of 25 misreadings of them that the
# readings of the dev set's scans gave (วงศ์กระพันธ์ for วงศ์กระพันธุ์).
WORDS_AGREEMENT = 2 / 3
# A part changes only to a reading at most this many edits from tesseract's (or a third
# of its length): the slips this pass mends are a letter or a mark.
MAX_EDITS = 2
MIN_WORD = 2  # a surname's words are of two characters or more: no stray consonant (ศิริขชนะ)
LONGEST_WORD = 30  # characters: longer than any lexicon word a surname is made of

# How sure a part is to be a name
LISTED, MADE_OF_WORDS, UNKNOWN = 2, 1, 0

_BRACKETED = re.compile(r"\(([^()]*)\)?")
_THAI_LETTER = re.compile(f"[{CONSONANT}]")
_DIGITS = re.compile(f"[0-9{DIGIT}]")
_LATIN = re.compile("[A-Za-z]")
_THAI_WORD = re.compile(f"[{THAI}]+")
_NOT_NAME = re.compile(r"[()\[\]{}|\"'“”‘’.,:;]")  # brackets and specks around a name, one character each


@dataclass(frozen=True)
class NameLine:
    """A bracketed name in tesseract's page text: `start`/`end` of the text inside the
    brackets, and tesseract's words of the line from the bracket on."""

    start: int
    end: int
    words: list[Word]


@dataclass(frozen=True)
class Name:
    """A reading of a name line in its two parts as read: the head (the title with the given
    name, `นายปรีชา`, or `นางสาว ปือะพร` with a space) and the surname, with where each starts
    in the text read; `title` and `given` split the head (`title` empty when the head opens
    with no title we know)."""

    head: str
    surname: str
    title: str
    given: str
    head_at: int = 0
    surname_at: int = 0


@lru_cache(maxsize=1)
def titles() -> tuple[str, ...]:
    """The titles a name opens with (vocabulary.json `name_titles`), longest first."""
    return tuple(sorted(set(facts.words("name_titles")), key=len, reverse=True))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """pythainlp's lists of Thai given names, men's and women's (shipped with it: offline)."""
    from pythainlp.corpus import thai_female_names, thai_male_names

    return frozenset(thai_male_names()) | frozenset(thai_female_names())


@lru_cache(maxsize=1)
def family_names() -> frozenset[str]:
    """pythainlp's list of Thai family names (shipped with it: offline)."""
    from pythainlp.corpus import thai_family_names

    return frozenset(thai_family_names())


def _same_spelling(text: str) -> str:
    return text.replace("\u0e4d\u0e32", "\u0e33")  # sara am as the lists spell it


def parse_name(text: str) -> Name | None:
    """A name line's text (brackets and specks aside) as its two parts, or None unless it is
    two words, or three whose first is a title standing apart (`นางสาว ปือะพร เจะเสด`)."""
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", _NOT_NAME.sub(" ", text))]
    if len(spans) == 3 and spans[0][1] in titles():
        head_at, second_at = spans[0][0], spans[1][0]
        spans = [(head_at, text[head_at:second_at + len(spans[1][1])]), spans[2]]
    if len(spans) != 2:
        return None
    (head_at, head), (surname_at, surname) = spans
    joined = head.replace(" ", "")
    title = next((t for t in titles() if joined.startswith(t) and len(joined) > len(t)), "")
    return Name(head, surname, title, joined[len(title):], head_at, surname_at)


def _opens_with_title(text: str) -> bool:
    """Whether `text` opens with a title, or with what a slip of one letter makes of one
    (วาย, าย for นาย): a line worth reading again."""
    from pipeline.ocr.words import _distance

    text = text.strip()
    for title in titles():
        if text.startswith(title):
            return True
        if len(title) >= 3 and any(_distance(text[:n], title, 1) <= 1 for n in (len(title) - 1, len(title))):
            return True
    return False


def name_lines(page: Boxes) -> list[NameLine]:
    """The page's bracketed names: a line whose last bracket holds two or three words and no
    digit, with nothing Thai before it, and opens with a title or a slip of one."""
    found = []
    for line_words in page.by_line.values():
        words = [w for w in line_words if w.start >= 0]
        if not words:
            continue
        start = words[0].start
        line = page.text[start:words[-1].end]
        last = None
        for last in _BRACKETED.finditer(line):
            pass
        if last is None or _THAI_LETTER.search(line[:last.start()]):
            continue
        inside = last.group(1)
        if _DIGITS.search(inside) or not 2 <= len(inside.split()) <= 3 or not _opens_with_title(inside):
            continue
        found.append(NameLine(start + last.start(1), start + last.end(1),
                              [w for w in words if w.end > start + last.start()]))
    return found


def name_crop(gray: np.ndarray, words: list[Word], line_words: list[Word], body: float) -> np.ndarray:
    """The name's ink: the line's consonant band with room for its marks above and below
    (MARKS_REACH_UP, MARKS_REACH_DOWN), less what reaches past that room: ink that does not
    touch the letters is wiped, and ink that crosses them (the signature's pen through a
    letter) is wiped above the letters' tops."""
    top, base = _band(words, line_words, body)
    x0 = max(0, min(w.left for w in words) - int(SIDE_MARGIN * body))
    x1 = min(gray.shape[1], max(w.left + w.width for w in words) + int(SIDE_MARGIN * body))
    y0 = max(0, int(top - STROKE_SEARCH * body))
    crop = gray[y0:max(y0, int(base + STROKE_SEARCH * body)), x0:x1].copy()
    if crop.size == 0:
        return crop
    top, base = top - y0, base - y0
    upper, lower = int(top - MARKS_REACH_UP * body), int(base + MARKS_REACH_DOWN * body)
    labels, _ = ndimage.label(crop < otsu_threshold(crop))
    rows = np.arange(crop.shape[0])[:, None]
    for label, found in enumerate(ndimage.find_objects(labels), 1):
        if found is None or (found[0].start >= upper and found[0].stop <= lower):
            continue
        ink = labels == label
        if found[0].start < base and found[0].stop > top:  # it crosses the letters
            crop[ink & ((rows < top - STROKE_CUT_MARGIN * body) | (rows >= lower))] = 255
        else:
            crop[ink] = 255
    return crop[max(0, upper):max(0, lower)]


def boxed_crop(gray: np.ndarray, words: list[Word], body: float) -> np.ndarray:
    """The name's ink as tesseract's word boxes frame it, BOX_MARGIN bodies around them,
    nothing wiped: a second framing, which tesseract reads differently (a letter the
    wiping cut, a margin it likes better)."""
    margin = int(BOX_MARGIN * body)
    x0 = max(0, min(w.left for w in words) - margin)
    x1 = min(gray.shape[1], max(w.left + w.width for w in words) + margin)
    y0 = max(0, min(w.top for w in words) - margin)
    y1 = min(gray.shape[0], max(w.top + w.height for w in words) + margin)
    return gray[y0:y1, x0:x1]


def readings(crops: list[np.ndarray]) -> Iterator[str | None]:
    """Each crop read by `tha` alone as one line at each of SCALES, as it is and binarised
    (Otsu): tesseract's slips differ from one reading to the next, the ink's letters do not.
    One at a time (each is a recognition: the caller may stop), None where tesseract found
    nothing to read."""
    for crop in crops:
        if crop.size == 0:
            continue
        for scale in SCALES:
            img = crop if scale == 1.0 else np.asarray(Image.fromarray(crop).resize(
                (int(round(crop.shape[1] * scale)), int(round(crop.shape[0] * scale))), Image.LANCZOS))
            for version in (img, np.where(img > otsu_threshold(img), 255, 0).astype(np.uint8)):
                try:
                    text, _ = recognise(np.ascontiguousarray(version), None, "line")
                except ReadError:  # tesseract found nothing to read: no reading
                    yield None
                    continue
                yield text.strip()


def readings_count(crops: list[np.ndarray]) -> int:
    """How many readings `readings` makes of `crops` at most."""
    return sum(crop.size > 0 for crop in crops) * len(SCALES) * 2


def made_of_words(word: str) -> bool:
    """Whether `word` is lexicon words end to end, each of MIN_WORD characters or more
    (คงทองสังข์: คง ทอง สังข์; not ศิริขชนะ, พลตือ)."""
    from pipeline.ocr.words import lexicon

    if not _THAI_WORD.fullmatch(word):
        return False
    lex = lexicon()
    ends = [True] + [False] * len(word)
    for i in range(MIN_WORD, len(word) + 1):
        ends[i] = any(ends[j] and word[j:i] in lex for j in range(max(0, i - LONGEST_WORD), i - MIN_WORD + 1))
    return ends[-1]


def head_rank(name: Name) -> int:
    """LISTED for a title we know before a listed given name, else UNKNOWN."""
    return LISTED if name.title and _same_spelling(name.given) in given_names() else UNKNOWN


def surname_rank(name: Name) -> int:
    """LISTED for a listed family name, MADE_OF_WORDS for one of lexicon words, else UNKNOWN."""
    surname = _same_spelling(name.surname)
    if surname in family_names():
        return LISTED
    return MADE_OF_WORDS if made_of_words(surname) else UNKNOWN


def _close(read: str, other: str) -> bool:
    """A slip of a letter or a mark or two apart; Latin in tesseract's Thai name is a misreading."""
    from pipeline.ocr.words import _distance

    if _LATIN.search(read):
        return True
    read, other = _same_spelling(read.replace(" ", "")), _same_spelling(other.replace(" ", ""))
    limit = max(MAX_EDITS, len(read) // 3)
    return _distance(read, other, limit) <= limit


def better_parts(read: Name, others: list[Name]) -> dict[str, str]:
    """The parts ("head", "surname") of tesseract's reading `read` to replace, with what.

    For each part, the best-ranked value of the readings `others` (of equals, the most
    read) replaces tesseract's when it ranks higher, is close to it (`_close`), and the
    readings back it: a listed name more often than they repeat tesseract's part, a
    surname made of words in WORDS_AGREEMENT of them. A listed name read once was
    enough on the dev set (r44: กมล, once in twelve, where no reading repeats วายกผล),
    but on rendered blocks whose name was taken out of the lists it made a right name
    the listed one beside it (ซารัมย์ -> ชารัมย์, read 4 times in 12 and tesseract's 8;
    จีรพงษ์ -> จิรพงษ์): the ink must favour the listed name over tesseract's reading.
    """
    out = {}
    for part, rank in (("head", head_rank), ("surname", surname_rank)):
        own = getattr(read, part)
        counts = Counter(getattr(o, part) for o in others)
        ranks = {getattr(o, part): rank(o) for o in others}
        if not counts:
            continue
        best = max(counts, key=lambda v: (ranks[v], counts[v]))
        backed = counts[best] > counts.get(own, 0) if ranks[best] == LISTED else \
            counts[best] >= WORDS_AGREEMENT * len(others)
        if ranks[best] > rank(read) and backed and _close(own, best):
            out[part] = best
    return out


def settled(read: Name, others: list[Name], left: int) -> bool:
    """Whether no `left` more readings could make `better_parts` change a part of `read`,
    whatever they say (nor fewer of them: a reading that is no name is not counted).

    A part already LISTED ranks highest and stays. Else a value replaces it only when it is
    read more often than tesseract's (a listed name), or in WORDS_AGREEMENT of the readings
    (a surname of words): each value read so far other than tesseract's, and one not read
    yet, is given every reading left, and the part is settled when none gets there. On the
    dev set's rendered signature blocks the twelve readings mostly repeat tesseract's; the
    line is then settled after six, which halves the pass's cost on such pages.
    """
    for part, rank in (("head", head_rank), ("surname", surname_rank)):
        own_rank = rank(read)
        if own_rank == LISTED:
            continue
        own = getattr(read, part)
        counts = Counter(getattr(o, part) for o in others)
        rival = max((n for value, n in counts.items() if value != own), default=0)
        if rival + left > counts.get(own, 0):
            return False  # a listed name could yet be read more often than tesseract's
        if own_rank == UNKNOWN and rival + left >= WORDS_AGREEMENT * (len(others) + left):
            return False  # a surname of words could yet be most readings'
    return True


def read_again(page: Boxes, line: NameLine) -> tuple[Name | None, list[Name]]:
    """Tesseract's reading of a name line, and the readings of its ink (`name_crop`,
    `boxed_crop`, `readings`: twelve) that are a name, read until the rest could change
    nothing (`settled`): `better_parts` gives the same parts as on all twelve."""
    read = parse_name(page.text[line.start:line.end])
    if read is None:
        return None, []
    crops = [name_crop(page.gray, line.words, page.by_line[line.words[0].line], page.body),
             boxed_crop(page.gray, line.words, page.body)]
    left = readings_count(crops)
    others: list[Name] = []
    for text in readings(crops):
        left -= 1
        name = None if text is None else parse_name(text)
        if name is not None:
            others.append(name)
        if settled(read, others, left):
            break
    return read, others


def reread_name_lines(page: Boxes) -> list[Edit]:
    """The signature block's bracketed name (`name_lines`) read again from its ink twelve
    times (`read_again`), and a part of tesseract's reading replaced only by a better-known
    name the ink gives (`better_parts`). On the dev set's scans: นายบปรีชา -> นายปรีชา (r32),
    นายสุ่นทร -> นายสุนทร (the signature's stroke through ส, r35), ศิริขชนะ -> ศิริชนะ (r38),
    วายกผล -> นายกมล (r44), "wai" and พลตือ -> พลตื้อ (r47, r49); นายปรีชา นวลน้อย (r37),
    read มาย and นวส by some readings, is left alone, and so is วิศิษภฎ์สรอรรถ (r37), which
    no reading makes known."""
    if not page.body:
        return []
    edits = []
    for line in name_lines(page):
        if any(id(w) in page.taken for w in line.words):
            continue
        read, others = read_again(page, line)
        if read is None:
            continue
        better = better_parts(read, others)
        for part, at in (("head", read.head_at), ("surname", read.surname_at)):
            if part in better:
                start = line.start + at
                edits.append(Edit(start, start + len(getattr(read, part)), better[part]))
        if better:
            page.taken.update(id(w) for w in line.words)
    return edits
