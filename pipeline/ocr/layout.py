"""A scanned page's layout from tesseract's word boxes: the lines that hold two blocks.

Tesseract reads a page as one column (``--psm 4``): every run of words on one
baseline is one text line. The regulation on official correspondence puts two
blocks on one baseline at the head of a letter: the reference (``ที่ …``) at the
left margin and the issuing office at the right (external and stamped letters),
or ``ที่ …`` and ``วันที่ …`` (the internal memo). Read as one line, the reference
runs into the office's name (``ที่ พท ๐๐๑๗.๒/ว ศาลากลางจังหวัดพัทลุง``) and the
reference, the issuer and the date are lost together.

`split_columns` finds such lines by their words' boxes and puts a line break
where the blocks meet, so the page text reads as a person reads the page: the
reference, then the office, one block after the other. Each rule is a
`ColumnRule` in `COLUMN_RULES`, with its evidence; the words keep their boxes,
and their offsets are moved to the new text, so every later pass that works
by word boxes (the digit re-reader) sees the same words.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pipeline.ocr.engine imports this module: only its Word type is needed here
    from pipeline.ocr.engine import Word

# A reference number's shape on a scan: a digit, then a slash somewhere after it
# (``๐๐๑๗.๒/ว ๒๖๔๔``, ``๐๔๐๐๑/ ว ๑๔๒``, ``๑๒๐๑/๒๕๖๗``), in Thai or Arabic digits.
_REFERENCE_SHAPE = re.compile(r"[0-9\u0e50-\u0e59][^/]{0,12}/")
# The cue ``ที่`` as tesseract gives it at a line start: with or without its tone,
# the sara ii read as sara i or sara ue (``ที``, ``ทึ่``).
_REFERENCE_CUE = re.compile("^\u0e17[\u0e34-\u0e37][\u0e48-\u0e4b]?(?:\\s|$)")


@dataclass(frozen=True)
class Line:
    """One tesseract text line of a page: its words left to right, and the page's measures."""

    words: list["Word"]
    page_text: str
    page_width: int
    body: float  # height of a consonant's body on this page (pipeline.ocr.engine.body_height)

    def text(self, start: int = 0, stop: int | None = None) -> str:
        """The page text of words[start:stop] (tesseract boxes Thai glyph by glyph, so
        the words alone would lose where its spaces are)."""
        part = self.words[start:stop]
        return self.page_text[part[0].start:part[-1].end] if part else ""


@dataclass(frozen=True)
class ColumnRule:
    """Where a line holds two blocks: `cut` gives the index of the first word of the right
    block, or None when the line is one block."""

    name: str
    cut: Callable[[Line], int | None]


# A gap between the reference and the office is 20-40 consonant heights on the dev set's
# letterheads (r32 33, r35 24.5, at 300 dpi); words of a sentence are under 2 apart,
# and a tab after a cue word (เรื่อง, สิ่งที่ส่งมาด้วย) is 3-6.
HEAD_GAP = 8.0
# The office, the memo's วันที่ and a stamp start right of the page's middle on every
# letterhead of the dev set (0.5-0.6 of the width); a tab after a cue word ends left of it.
RIGHT_BLOCK_FROM = 0.42


def reference_beside_block(line: Line) -> int | None:
    """The reference's line of the letterhead with the office (or the memo's date) beside it.

    Fixes (r32, a scan): ``ที พท ๐๐๑.๒/ว าตุ 66      ศาลากลางจังหวัดพัทลุง`` (gap 33 bodies)
    → ``ที พท ๐๐๑.๒/ว าตุ 66`` / ``ศาลากลางจังหวัดพัทลุง``.
    Leaves alone: ``เรื่อง   ขอเชิญประชุม`` (no reference, and a gap of a tab), a
    committee list's ``๑. ผู้ว่าราชการจังหวัด      ประธานกรรมการ`` (no reference cue or
    shape on the left), and a body line that cites ``ที่ มท ๐๓๐๕/ว ๑๒`` (no wide gap).
    """
    words = line.words
    for i in range(1, len(words)):
        prev, word = words[i - 1], words[i]
        gap = word.left - (prev.left + prev.width)
        if gap < HEAD_GAP * line.body or word.left < RIGHT_BLOCK_FROM * line.page_width:
            continue
        left = line.text(0, i)
        if _REFERENCE_CUE.match(left) or _REFERENCE_SHAPE.search(left):
            return i
        return None  # the first wide gap decides: a line holds at most the letterhead's two blocks
    return None


COLUMN_RULES: list[ColumnRule] = [
    ColumnRule("reference-beside-block", reference_beside_block),
]


def _lines(words: list["Word"]) -> list[list["Word"]]:
    by_line: dict[tuple[int, int, int], list["Word"]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    return list(by_line.values())


def split_columns(text: str, words: list["Word"], page_width: int,
                  body: float | None) -> tuple[str, list["Word"], list[tuple[str, str, str]]]:
    """The page text with a line break between the two blocks of every line a `COLUMN_RULES`
    rule cuts; the words with their offsets in that text (a right block's words as a line of
    their own); and per cut (rule name, left block, right block), for `--explain` and tests.

    A line is cut only where its words are in the text in left-to-right order with nothing
    but spaces between the two blocks, so the text's characters are never changed.
    """
    if not body or not words:
        return text, words, []
    cuts: list[tuple[int, int, tuple[str, str, str]]] = []  # (start, end) of the spaces replaced
    new_line: dict[int, tuple[int, int, int]] = {}  # id(word) -> its new line key
    next_key = max(w.line[2] for w in words) + 1
    for line_words in _lines(words):
        ordered = sorted(line_words, key=lambda w: w.left)
        if ordered != line_words or any(w.start < 0 for w in line_words):
            continue
        line = Line(line_words, text, page_width, body)
        for rule in COLUMN_RULES:
            at = rule.cut(line)
            if at is None:
                continue
            a, b = line_words[at - 1], line_words[at]
            if text[a.end:b.start].strip() or b.start <= a.end:
                break
            cuts.append((a.end, b.start, (rule.name, line.text(0, at), line.text(at))))
            block, par, _ = b.line
            for w in line_words[at:]:
                new_line[id(w)] = (block, par, next_key)
            next_key += 1
            break
    if not cuts:
        return text, words, []
    new_text, out = _edited(text, words, [(start, end, "\n") for start, end, _ in cuts], new_line)
    return new_text, out, [info for _, _, info in cuts]


def remove_words(text: str, words: list["Word"], drop: set[int]) -> tuple[str, list["Word"]]:
    """The page text without the words whose id() is in `drop` (a stamp's), and the other
    words with their offsets in it; a line left with nothing but spaces goes too."""
    if not drop:
        return text, words
    dropped: dict[tuple[int, int], list[tuple[int, int]]] = {}  # the text line -> dropped spans
    for w in words:
        if id(w) in drop and w.start >= 0:
            line_start = text.rfind("\n", 0, w.start) + 1
            line_end = text.find("\n", w.end)
            dropped.setdefault((line_start, len(text) if line_end < 0 else line_end), []).append((w.start, w.end))
    edits: list[tuple[int, int, str]] = []
    for (line_start, line_end), spans in sorted(dropped.items()):
        left = list(text[line_start:line_end])
        for start, end in spans:
            left[start - line_start:end - line_start] = [" "] * (end - start)
        if not "".join(left).strip():  # the line was all stamp: it goes, with its line break
            edits.append((line_start, min(len(text), line_end + 1), ""))
        else:
            edits.extend((start, end, "") for start, end in sorted(spans))
    kept_words = [w for w in words if id(w) not in drop]
    return _edited(text, kept_words, edits, {})


def _edited(text: str, words: list["Word"], edits: list[tuple[int, int, str]],
            new_line: dict[int, tuple[int, int, int]]) -> tuple[str, list["Word"]]:
    """`text` with each (start, end, replacement) of `edits` (sorted, apart) made, and
    `words` with their offsets moved to the new text and any new line key of `new_line`."""
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []  # (offset in the old text from which, total shift)
    pos = shift = 0
    for start, end, new in edits:
        pieces.append(text[pos:start])
        pieces.append(new)
        shift += len(new) - (end - start)
        shifts.append((end, shift))
        pos = end
    pieces.append(text[pos:])
    ends = [since for since, _ in shifts]

    def moved(offset: int) -> int:
        if offset < 0:
            return offset
        k = bisect.bisect_right(ends, offset)
        return offset + (shifts[k - 1][1] if k else 0)

    out = [replace(w, start=moved(w.start), end=moved(w.end), line=new_line.get(id(w), w.line)) for w in words]
    return "".join(pieces), out
