"""Last check of the OCR stage: a date that cannot be right is read again from the classifier's
runner-up digits.

Why last, and why so narrow: the digit pass (pipeline.ocr.engine, pipeline.ocr.digits) is the fix for
Thai digits, and reads ~99.5 % of them right. A date it still gets wrong is sometimes
impossible (๓๕ มกราคม, ๓๑ เมษายน, ๒๙ กุมภาพันธ์ of a year that is not leap) or has a
Buddhist-era year far from every other date's on the page (๒๕๓๗ or ๘๕๖๗ among ๒๕๖๗s). Only
such a date is looked at again, and only through the probabilities the classifier gave its
glyphs: among the digits it gave at least RUNNER_UP_MIN, the change of fewest glyphs (then
of highest joint probability) that makes the date plausible is taken. No classifier evidence,
no change: a plausible date, digits outside dates, digits the digit pass did not read, and a
date no such change makes plausible are left as read (the extractors warn on impossible
dates). Month names and era markers are the extractors' facts (pipeline/thai/data/months.json).
"""
from __future__ import annotations

import calendar
import difflib
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Callable, Mapping

import numpy as np

from pipeline.thai import facts
from pipeline.ocr.digits import CLASSES
from pipeline.thai.chars import CONSONANT, DIGIT, THAI_DIGITS, TO_ARABIC

# A runner-up digit is evidence when the classifier gave it at least this probability.
# Measured with tools/digit_errors.py --runner-up. On the 300 dpi seed scans (seed bases 11 and
# 31, 5,800 re-read digits) no re-read digit is wrong (the pass's misses are glyphs lost or
# run together) and no right one has another digit at 0.01. On 150 and 200 dpi scans of date
# pages (tools/date_pages.py; 19,600 re-read digits, 94 wrong) the drawn digit of a wrong one
# had >= 0.1 / 0.05 / 0.02 / 0.01 in 47 / 56 / 64 / 69 cases, and a right one had another digit
# that likely in 2.2 / 2.9 / 3.7 / 4.3 % of cases: below 0.02 the false runner-ups grow much
# faster than the true ones (0.01: +5 true, +130 false). The dates changed there are the same
# for any threshold from 0.01 to 0.1 (two, both right): what guards a date is mostly that it
# must be implausible first.
RUNNER_UP_MIN = 0.02
# At most this many glyphs of one date are changed: two misreads in one date are already rare,
# and with more changes almost any date can be made plausible.
MAX_CHANGED = 2
# A date's year is far when it is more than this many years from every other date's year on
# the page, and the page has at least MIN_OTHER_YEARS of them (one against one says nothing
# about which is wrong). Letters cite letters and meetings a few years old (the seeds: at most
# 4 years from another date of the same page); misreads of one glyph move a year by 10 or more
# in the tens digit (๖ -> ๓, ๘ -> ๕) and by 100s or 1000s in the others.
YEAR_SPAN = 8
MIN_OTHER_YEARS = 2
# Buddhist-era years a letter's date can be in, whatever the page's other years.
BE_YEARS = range(2400, 2700)

_DIGIT_INDEX = [CLASSES.index(d) for d in THAI_DIGITS]


@dataclass
class DateRead:
    """A date as read on the page: where its day and year digits are, and what they say."""

    start: int
    end: int
    day: tuple[int, int]  # span of the day's digits in the text
    month: int
    year: tuple[int, int] | None  # span of the year's digits, None when no year is printed
    short_year: bool  # a two-digit year (after an abbreviated month)
    common_era: bool  # marked ค.ศ.: not compared with the page's Buddhist-era years


@lru_cache(maxsize=1)
def _date_regex() -> re.Pattern:
    """Day, Thai month name, optional time in brackets, optional era marker and year; as the
    extractors' (extractors.thaidate), a date may wrap between any two of its parts."""
    names = list(facts.months())
    abbreviated = [n for n in names if "." in n or len(n) <= 3]
    be, ce = facts.era_markers()
    months = facts.alternation(names)
    return re.compile(
        rf"(?<![{DIGIT}0-9.,:/])(?P<d>[{DIGIT}]{{1,2}})\s*(?:(?P<ms>{facts.alternation(abbreviated)})|(?P<m>{months}))"
        rf"(?![{CONSONANT}\u0e30-\u0e4e])"
        r"(?:\s*\([^()\n]{0,30}\))?"  # (เวลา ๐๘.๓๐ น.)
        rf"(?:\s*(?:(?P<ce>{facts.alternation(ce)})|{facts.alternation(be)}))?"
        rf"(?:\s*(?P<y>[{DIGIT}]{{4}}(?![{DIGIT}0-9])|[{DIGIT}]{{2}}(?![{DIGIT}0-9.:])(?!\s*(?:{months}))))?"
    )


def find_dates(text: str) -> list[DateRead]:
    """Every day + month (+ year) date printed in Thai digits in `text`."""
    out = []
    for m in _date_regex().finditer(text):
        year = m.span("y") if m.group("y") else None
        short = bool(year) and year[1] - year[0] == 2
        if short and not m.group("ms"):  # two digits after a full month name: not a year
            year, short = None, False
        month = facts.months()[m.group("ms") or m.group("m")]
        out.append(DateRead(m.start(), m.end("y") if year else m.end("m" if m.group("m") else "ms"),
                            m.span("d"), month, year, short, bool(m.group("ce"))))
    return out


def _number(text: str) -> int:
    return int(text.translate(TO_ARABIC))



def _be_year(digits: str, short: bool) -> int:
    return 2500 + _number(digits) if short else _number(digits)


def plausible(day: int, month: int, year: int | None, others: list[int]) -> bool:
    """Whether a date can be right: its day exists in its month (29 February only in a leap
    year, when the year is known), and its Buddhist-era year, if any, is a letter's and not far
    from every other date year of the page (`others`)."""
    if year is not None:
        if year not in BE_YEARS:
            return False
        if len(others) >= MIN_OTHER_YEARS and all(abs(year - y) > YEAR_SPAN for y in others):
            return False
    leap_year = year - 543 if year is not None else 2024
    return 1 <= day <= calendar.monthrange(leap_year, month)[1]


def check_dates(text: str, evidence: Mapping[int, np.ndarray]) -> tuple[str, list[str]]:
    """`text` with each implausible date made plausible by the classifier's runner-up digits,
    where they can; and a warning per date changed.

    `evidence` maps the position in `text` of each Thai digit the digit pass read from a
    glyph to the glyph's probabilities over pipeline.ocr.digits.CLASSES.
    """
    if not evidence:
        return text, []
    dates = find_dates(text)
    years = [(d.year, _be_year(text[slice(*d.year)], d.short_year)) for d in dates
             if d.year and not d.common_era]
    edits: list[tuple[int, str]] = []
    warnings: list[str] = []
    for d in dates:
        ok = partial(_plausible_with, text, d, [y for span, y in years if span != d.year])
        if ok({}) or text[slice(*d.day)] == "๐":
            # a day read as a lone ๐ lost a digit (๑๐ ๒๐ ๓๐) or is two digits cut as one glyph
            # (๒๕ read ๐, its probabilities spread): no other digit in its place reads it right
            # (on 150 dpi date pages both such changes were wrong: ๐ -> ๒ and ๗ for ๒๕)
            continue
        spans = [d.day] + ([d.year] if d.year else [])
        places = [i for a, b in spans for i in range(a, b) if i in evidence]
        change = _cheapest(text, places, evidence, ok)
        if change is None:
            continue
        new = "".join(change.get(i, text[i]) for i in range(d.start, d.end))
        edits.extend(change.items())
        p = min(float(evidence[i][CLASSES.index(c)]) for i, c in change.items())
        warnings.append(f"date {' '.join(text[d.start:d.end].split())} read as {' '.join(new.split())}: "
                        f"runner-up digit{'s' if len(change) > 1 else ''} (p={p:.2f}), "
                        "the date as read cannot be right")
    if not edits:
        return text, []
    chars = list(text)
    for i, c in edits:
        chars[i] = c
    return "".join(chars), warnings


def _plausible_with(text: str, date: DateRead, others: list[int], change: dict[int, str]) -> bool:
    """Whether `date` of `text` is plausible once the digits at the positions in `change` are
    changed so."""
    def read(span: tuple[int, int]) -> str:
        return "".join(change.get(i, text[i]) for i in range(*span))

    year = None if not date.year or date.common_era else _be_year(read(date.year), date.short_year)
    return plausible(_number(read(date.day)), date.month, year, others)


def _cheapest(text: str, places: list[int], evidence: Mapping[int, np.ndarray],
              ok: Callable[[dict[int, str]], bool]) -> dict[int, str] | None:
    """The change {position: digit} of fewest glyphs, then highest joint probability, that `ok`
    accepts, each new digit one the classifier gave at least RUNNER_UP_MIN; None if none."""
    options = {}
    for i in places:
        probs = evidence[i][_DIGIT_INDEX]
        options[i] = [(d, float(p)) for d, p in zip(THAI_DIGITS, probs) if d != text[i] and p >= RUNNER_UP_MIN]
    places = [i for i in places if options[i]]

    def kept(i: int) -> float:
        return float(evidence[i][CLASSES.index(text[i])])

    for n in range(1, MAX_CHANGED + 1):
        best: tuple[float, dict[int, str]] | None = None
        for chosen in itertools.combinations(places, n):
            for alts in itertools.product(*(options[i] for i in chosen)):
                change = {i: d for i, (d, _) in zip(chosen, alts)}
                if not ok(change):
                    continue
                joint = float(np.prod([p for _, p in alts])) * float(np.prod(
                    [kept(i) for i in places if i not in change] or [1.0]))
                if best is None or joint > best[0]:
                    best = (joint, change)
        if best:
            return best[1]
    return None


def carry_evidence(before: str, after: str, evidence: Mapping[int, np.ndarray]) -> dict[int, np.ndarray]:
    """`evidence` keyed by positions in `before`, moved to the same digits in `after` (the text
    once later repairs changed words around them: the k-th Thai digit stays the k-th when
    the repairs leave digits alone, else the digit strings are aligned)."""
    if not evidence:
        return {}
    b_pos = [i for i, ch in enumerate(before) if ch in THAI_DIGITS]
    a_pos = [i for i, ch in enumerate(after) if ch in THAI_DIGITS]
    b_dig = "".join(before[i] for i in b_pos)
    a_dig = "".join(after[i] for i in a_pos)
    if b_dig == a_dig:
        pairs = zip(b_pos, a_pos)
    else:
        blocks = difflib.SequenceMatcher(None, b_dig, a_dig, autojunk=False).get_matching_blocks()
        pairs = ((b_pos[x + k], a_pos[y + k]) for x, y, n in blocks for k in range(n))
    return {a: evidence[b] for b, a in pairs if b in evidence}
