"""Thai values in the terminal's tables, wrapped between words as a Thai reader expects.

Thai puts no space between words, and rich wraps a cell only at spaces, so
a long Thai value was folded wherever the column ended, inside a word
(`การพัฒนางานบริการป` / `ระชาชน`). Zero-width spaces between words do not
help: rich splits words on `\\s`, and U+200B is not whitespace to Python, so
rich folds the same (tried with rich 15). So `ThaiText` is a rich `Text` that
finds its own line breaks: after spaces, as rich does, and between two words
of a run of Thai letters, as pythainlp's tokenizer cuts it (`newmm-safe`:
its dictionary, with a bound on the time a long run takes). Latin,
digits and punctuation still break only at spaces, so `‹date›๑๘` and
`มท 0305.1/ว 1660` are not cut. A single word wider than the whole column
(`องค์กรปกครองส่วนท้องถิ่น` is one word to the dictionary) is folded between
its syllables; only a syllable wider than the column is cut inside.

`thai_cell(value)` is the one helper the tables of `circulars sql`,
`deadlines` and `show` use for every cell; `ThaiText()` also serves any
longer text (`show`'s letter text), and `shorten` cuts a value that must
stay short (`sql --max-width`, a calendar event's title) between words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells
from rich.measure import Measurement
from rich.text import Lines, Text

from pipeline.thai.chars import THAI

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod

THAI_RUN = re.compile(rf"[{THAI}]+")  # Thai letters, vowels, tone marks, ๆ and ฯ (not Thai digits)
SPACES = re.compile(r"\s+")
NO_LINE_START = "ๆฯ"  # repetition and abbreviation marks belong to the word before them


@lru_cache(maxsize=8192)
def break_points(line: str) -> tuple[int, ...]:
    """Offsets in `line` where a new line may start: after spaces, and between two Thai words."""
    from pythainlp.tokenize import word_tokenize

    points = {m.end() for m in SPACES.finditer(line) if m.start() > 0 and m.end() < len(line)}
    for run in THAI_RUN.finditer(line):
        at = run.start()
        for word in word_tokenize(run.group(), engine="newmm-safe", keep_whitespace=True)[:-1]:
            at += len(word)
            if line[at] not in NO_LINE_START and cell_len(line[at]):  # never before a mark
                points.add(at)
    return tuple(sorted(points))


def pieces(line: str) -> list[tuple[int, str]]:
    """`line` cut at its break points: (start, piece), each piece a word and the spaces after it."""
    bounds = [0, *break_points(line), len(line)]
    return [(start, line[start:end]) for start, end in zip(bounds, bounds[1:]) if end > start]


@lru_cache(maxsize=4096)
def syllables(piece: str) -> tuple[str, ...]:
    """A Thai word too wide for its column, cut into syllables (pythainlp's syllable dictionary):
    `องค์|กร|ปก|ครอง|ส่วน|ท้อง|ถิ่น` reads better than a cut inside a syllable. Not Thai: whole."""
    from pythainlp.tokenize import subword_tokenize

    thai = THAI_RUN.match(piece)
    if not thai:
        return (piece,)
    word = thai.group()
    parts = [p for p in subword_tokenize(word, engine="dict") if p]
    if "".join(parts) != word or any(p[0] in NO_LINE_START or cell_len(p[0]) == 0 for p in parts[1:]):
        return (piece,)  # a tokenizer must never lose or strand a character
    parts[-1] += piece[len(word):]  # what follows the Thai (`…`, a bracket, spaces) stays with it
    return tuple(parts)


def divide(line: str, width: int, fold: bool = True) -> list[int]:
    """Where to break `line` so each part fits in `width` cells: rich's `divide_line` over
    Thai-aware pieces. A word wider than `width` is folded between its syllables, and a
    syllable wider still where it must (`fold`), or left to be cropped."""
    breaks: list[int] = []
    used = 0
    queue = pieces(line)
    while queue:
        start, piece = queue.pop(0)
        need = cell_len(piece.rstrip())
        if width - used >= need:
            used += cell_len(piece)
        elif need > width:
            if not fold:
                if start:
                    breaks.append(start)
                used = cell_len(piece)
                continue
            finer = syllables(piece)
            if len(finer) > 1:
                at = start
                for number, part in enumerate(finer):
                    queue.insert(number, (at, part))
                    at += len(part)
                continue
            parts = chop_cells(piece, width)
            for number, part in enumerate(parts):
                if start:
                    breaks.append(start)
                if number == len(parts) - 1:
                    used = cell_len(part)
                else:
                    start += len(part)
        elif used and start:
            breaks.append(start)
            used = cell_len(piece)
    return breaks


class ThaiText(Text):
    """A rich `Text` that wraps Thai between words (see the module's docstring)."""

    def wrap(self, console: "Console", width: int, *, justify: "JustifyMethod | None" = None,
             overflow: "OverflowMethod | None" = None, tab_size: int = 8, no_wrap: bool | None = None) -> Lines:
        """rich's `Text.wrap` with Thai-aware break offsets; everything else as rich does it."""
        unwrapped = no_wrap if no_wrap is not None else self.no_wrap
        if unwrapped or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size,
                                no_wrap=no_wrap)
        wrap_justify = justify or self.justify or "default"
        wrap_overflow = overflow or self.overflow or "fold"
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            new_lines = line.divide(divide(line.plain, width, fold=wrap_overflow == "fold"))
            for part in new_lines:
                part.rstrip_end(width)
            if wrap_justify:
                new_lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for part in new_lines:
                part.truncate(width, overflow=wrap_overflow)
            lines.extend(new_lines)
        return lines

    def __rich_measure__(self, console: "Console", options: "ConsoleOptions") -> Measurement:
        """The narrowest a column can be is the widest word, not the widest run between spaces."""
        widest = super().__rich_measure__(console, options).maximum
        words = [cell_len(piece.rstrip()) for line in self.plain.splitlines() for _, piece in pieces(line)]
        return Measurement(max(words, default=widest), widest)


def shorten(text: str | None, limit: int) -> str:
    """`text` in at most `limit` characters, ending `…`, cut between words where one ends in the
    second half (a cut inside a Thai word reads as another word, or splits a vowel from its letter)."""
    text = text or ""
    if limit <= 0 or len(text) <= limit:
        return text
    cut = max((p for p in break_points(text) if p <= limit - 1), default=0)
    if cut < limit // 2:  # one long word: cut inside it, but not between a letter and its marks
        cut = limit - 1
        while cut > 0 and cell_len(text[cut]) == 0:
            cut -= 1
    return text[:cut].rstrip() + "…"


def thai_cell(value: object, style: str = "") -> ThaiText:
    """A table cell's text, wrapped between Thai words; never read as rich markup
    (a value such as `[ว 1660]` is data, not a style)."""
    return ThaiText("" if value is None else str(value), style=style)
