"""English dates as letters of international organisations print them, to dates.

`1 July 2015`, `1st July 2015`, `the 1st of July 2015`, `July 1, 2015`,
`Monday 17 August 2015`, `Friday, 18 September 2015`, `2015-07-01`, and a day
range `1-31 October 2015`, whose first day borrows the month and year printed
after the second (as `extractors/thaidate.py` reads `๑ - ๑๕ กุมภาพันธ์`).

What is not read: a date in digits only with slashes or dots (`01/07/2015`) is
day first in Britain and most of Asia and month first in the United States,
so it is skipped, never guessed. Month names match in title case or capitals
only (`item 1 may be sent` holds no date). The year is Common Era as printed:
an English letter never counts in the Buddhist era.

The matches are `thaidate.DateMatch`es, so the deadline extractor handles
English and Thai dates alike (weekday check, a missing year filled).
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.thaidate import DateMatch, year_to_ce
from pipeline.thai import facts


def _names(table: dict[str, int]) -> list[str]:
    """Each name as printed in title case and in capitals."""
    return [form for name in table if not name.startswith("_") for form in (name, name.upper())]


@lru_cache(maxsize=None)
def month_table() -> dict[str, int]:
    """Every printed month name (title case or capitals) -> month number."""
    months = {k: v for k, v in facts.english()["months"].items() if not k.startswith("_")}
    return {form: months[form.title()] for form in _names(months)}


@lru_cache(maxsize=None)
def weekday_table() -> dict[str, int]:
    days = facts.english()["weekdays"]
    return {form: days[form.title()] for form in _names(days)}


@lru_cache(maxsize=None)
def date_regex() -> re.Pattern:
    months = facts.alternation(list(month_table()))
    weekdays = facts.alternation(list(weekday_table()))
    ordinal = facts.alternation(facts.english()["ordinal_suffixes"])
    weekday = rf"(?:(?P<wd>{weekdays}),?\s+(?:the\s+)?)?"
    day = rf"(?<![\d.:/])(?P<{{name}}>[0-3]?\d)(?:{ordinal})?(?![\d])"
    year = r"(?P<{name}>\d{{4}})(?![\d/])"
    return re.compile(
        rf"{weekday}(?:"
        # 1 July 2015, 1st of July 2015, 17 Aug. 2015
        rf"(?:the\s+)?{day.format(name='d1')}\s+(?:of\s+)?(?P<m1>{months})\b\.?(?:,?\s+{year.format(name='y1')})?"
        # July 1, 2015
        rf"|(?P<m2>{months})\b\.?\s+{day.format(name='d2')},?(?:\s+{year.format(name='y2')})?"
        # 2015-07-01
        rf"|(?<![\d/.-])(?P<iy>\d{{4}})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?![\d-])"
        ")"
    )


@lru_cache(maxsize=None)
def _day_range_re() -> re.Pattern:
    """`1-` or `1 to ` right before a day-first date: the first day of a range."""
    ordinal = facts.alternation(facts.english()["ordinal_suffixes"])
    joins = facts.alternation(facts.english_words("range_words"))
    return re.compile(rf"(?<![\d.:/])(?P<d>[0-3]?\d)(?:{ordinal})?\s*(?:{joins})\s*$")


def find_english_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Every English date in text[start:end], in order (see the module's docstring)."""
    out: list[DateMatch] = []
    for m in date_regex().finditer(text, start, len(text) if end is None else end):
        if m.group("iy"):
            day, month, year = int(m.group("id")), int(m.group("im")), year_to_ce(m.group("iy"), ce_marked=True)
            if not 1 <= month <= 12:
                continue
        else:
            printed_day = m.group("d1") or m.group("d2")
            day = int(printed_day)
            month = month_table()[m.group("m1") or m.group("m2")]
            printed_year = m.group("y1") or m.group("y2")
            year = year_to_ce(printed_year, ce_marked=True) if printed_year else None
        if not 1 <= day <= 31:
            continue
        weekday = weekday_table()[m.group("wd")] if m.group("wd") else None
        lead = _day_range_re().search(text, max(start, m.start() - 16), m.start()) if m.group("d1") else None
        if lead and weekday is None and 1 <= int(lead.group("d")) < day:
            out.append(DateMatch(start=lead.start(), end=lead.end("d"), day=int(lead.group("d")), month=month,
                                 year=year, weekday=None, time=None, year_given=year is not None))
        out.append(DateMatch(start=m.start(), end=m.end(), day=day, month=month, year=year, weekday=weekday,
                             time=None, year_given=year is not None))
    return out
