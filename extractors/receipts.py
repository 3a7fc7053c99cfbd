"""A receipt stamp's values: the receipt number (เลขรับ), the date and the time it was received.

The OCR stage finds a stamp by its frame and keeps its text apart (pipeline.ocr.stamps);
this reads that text. The values on a stamp are written or stamped in by hand,
so OCR reads many of them wrong or not at all: a value is given only where the
text holds it in a form that cannot be mistaken (a number after the stamp's
number label, a whole date, a time after เวลา), else it is None and the raw text
is kept for a person to read, never a guess.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.thai import facts
from extractors.thaidate import find_dates, normal_time
from pipeline.thai.normalise import to_arabic


@dataclass
class Receipt:
    """What a receipt stamp says, as far as it can be read."""

    number: str | None
    date: dt.date | None
    time: str | None
    raw: str


def _number_re() -> re.Pattern:
    v = facts.vocabulary()["receipt_stamp"]
    labels = facts.alternation(v["markers"])
    # the label, the dotted rule it is written on, then the number: digits, maybe a
    # short series prefix (`EO 5261`) or a year after a slash (`249/2567`)
    return re.compile(rf"(?:{labels})[\s.…,:_-]*(?P<n>(?:[A-Zก-ฮ]{{1,3}}\s?)?\d{{1,6}}(?:/\d{{2,4}})?)(?!\d)")


_TIME_RE = re.compile(r"เวลา[\s.…:_-]*(?P<t>\d{1,2}\s?[.:]\s?\d{2})(?!\d)")


def read_receipt(raw: str, unsure: Sequence[tuple[int, int]] = ()) -> Receipt:
    """The number, date and time a stamp's text holds (Thai digits read as Arabic), each
    only where none of it lies in an `unsure` span (words OCR read with low confidence)."""
    text = to_arabic(raw)

    def sure(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in unsure)

    m = _number_re().search(text)
    number = re.sub(r"\s+", " ", m.group("n")).strip() if m and sure(*m.span("n")) else None
    dates = [d for d in find_dates(text) if d.date is not None and d.year_given and sure(d.start, d.end)]
    t = _TIME_RE.search(text)
    return Receipt(number=number, date=dates[0].date if dates else None,
                   time=normal_time(t.group("t")) if t and sure(*t.span("t")) else None, raw=raw)
