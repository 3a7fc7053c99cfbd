"""Thai dates as printed in letters, to Common-Era dates.

Why by hand: dateparser leaves Buddhist-era years as they are (2567, and 2060
for `60`) and pythainlp's `thai_strptime` turns a Common-Era 2024 into 1481;
letters mix both eras, abbreviated months with or without dots, two-digit
years, weekdays and times in brackets. The era is decided first, from the
marker (`พ.ศ.`, `ค.ศ.`) or the size of the year, then the date is built.

Matching runs on the parse view of the text (Thai digits already Arabic).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.thai import facts
from extractors.keywords import aa_or_am


@dataclass
class DateMatch:
    start: int
    end: int
    day: int
    month: int
    year: int | None  # Common Era; None when the text gives no year
    weekday: int | None  # printed weekday (Monday 0), None when none printed
    time: str | None  # HH:MM given inside or right after the date
    year_given: bool

    @property
    def date(self) -> dt.date | None:
        return make_date(self.year, self.month, self.day) if self.year else None

    @property
    def weekday_ok(self) -> bool | None:
        d = self.date
        if self.weekday is None or d is None:
            return None
        return d.weekday() == self.weekday


TIME_RE = r"(?P<{name}>\d{{1,2}}\s?[.:]\s?\d{{2}})"


# A Buddhist-era year split by a text layer's stray spaces (`25 54`, `256 5`, `25 6 6`): the
# Royal Gazette's extracted texts split most years so. Only 25xx: no letter is dated otherwise,
# and a wider pattern would swallow a following number into the year.
SPACED_BE_YEAR = r"2\s?5\s?\d\s?\d"
# A day split the same way (`2 6 มกราคม`, `3 0 มีนาคม`): a first digit 1-3, one space, a digit.
SPACED_DAY = r"[1-3]\s\d"


def _month_pattern(name: str) -> str:
    """A month name as printed or as a text layer breaks it: a full name (five letters or
    more) may hold stray spaces (`พฤ ศจิกายน`, `เ ม ษายน`) and sara am for sara aa
    (`กรกฎําคม`: a Gazette extraction writes ํา for า); abbreviations must be exact."""
    if len(name) < 5 or "." in name:
        return re.escape(name)
    return aa_or_am(r"\s?".join(re.escape(ch) for ch in name))


@lru_cache(maxsize=None)
def month_lookup() -> list[tuple[re.Pattern, int]]:
    return [(re.compile(_month_pattern(name)), month)
            for name, month in sorted(facts.months().items(), key=lambda kv: -len(kv[0]))]


def month_number(printed: str) -> int:
    table = facts.months()
    if printed in table:
        return table[printed]
    for pattern, month in month_lookup():
        if pattern.fullmatch(printed):
            return month
    raise KeyError(printed)


@lru_cache(maxsize=None)
def date_regex() -> re.Pattern:
    months = "|".join(_month_pattern(m) for m in sorted(set(facts.months()), key=len, reverse=True))
    weekdays = facts.alternation(list(facts.weekdays()))
    be, ce = facts.era_markers()
    return re.compile(
        rf"(?:วัน(?P<wd>{weekdays})\s?(?:ที่?)?\s*)?"  # OCR drops the tone: วันอังคารที
        rf"(?<![\d.])(?P<d>{SPACED_DAY}(?=\s?(?:{months}))|[0-3]?\d)[:;,]?\s*(?P<m>{months})(?![ก-๙])"  # OCR: `๒๖: มกราคม`
        rf"(?:\s*\(\s*(?:เวลา\s*)?{TIME_RE.format(name='ptime')}\s*(?:น\.?|[A-Za-z]\.)?\s*\))?"  # OCR: `(เวลา ๐๘.๓๐ U.)`
        rf"(?:\s*(?:(?P<ce>{facts.alternation(ce)})|(?P<be>{facts.alternation(be)}))?\s*(?P<y>\d{{4}}|{SPACED_BE_YEAR}|\d{{2}}(?!\s*(?:{months})))(?![\d.:/]))?"  # `… ๒๙ กุมภาพันธ์`: a day, not a year
        rf"(?:\s*(?:(?:ก่อน|ภายใน|ไม่เกิน|จนถึง)?\s*เวลา\s*)?{TIME_RE.format(name='time')}\s*(?:น\.|นาฬิกา|น(?![ก-๙])))?"
    )


MIN_YEAR, MAX_YEAR = 1800, 2200  # Common Era years a letter's date can be in


def year_to_ce(text: str, *, ce_marked: bool = False) -> int | None:
    """Printed year -> Common Era. Two digits are Buddhist era (`60` is 2017)."""
    year = int(text)
    if len(text) == 2:
        return 2500 + year - 543
    if not ce_marked and year >= 2400:
        year -= 543
    # a Common-Era year is left as it is; outside these years it is an OCR slip
    # (๘๕๖๗ for ๒๕๖๗) or not a year, and a date in year 8024 is worse than none
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def make_date(year: int | None, month: int, day: int) -> dt.date | None:
    if not year:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def normal_time(text: str | None) -> str | None:
    if not text:
        return None
    hh, mm = re.split(r"\s?[.:]\s?", text.strip())
    h, m = int(hh), int(mm)
    if h > 24 or m > 59 or (h == 24 and m):  # 24.00 is the end of a day; 24.01 is no time
        return None
    return f"{h:02d}:{m:02d}"


DAY_RANGE_RE = re.compile(r"(?<![\d.:/])(?P<d>[0-3]?\d)\s*(?:-|–|ถึง)\s*$")


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Every day-month(-year) date in text[start:end], in order.

    A day range `๑ - ๑๕ กุมภาพันธ์ ๒๕๖๗` gives two dates: the first day
    borrows the month and year printed after the second.
    """
    out: list[DateMatch] = []
    for m in date_regex().finditer(text, start, len(text) if end is None else end):
        day = int(re.sub(r"\s", "", m.group("d")))
        month = month_number(m.group("m"))
        if not 1 <= day <= 31:
            continue
        year = None
        if m.group("y"):
            year = year_to_ce(re.sub(r"\s", "", m.group("y")), ce_marked=bool(m.group("ce")))
        wd = facts.weekdays()[m.group("wd")] if m.group("wd") else None
        lead = DAY_RANGE_RE.search(text, max(start, m.start() - 12), m.start())
        if lead and not m.group("wd") and 1 <= int(lead.group("d")) < day:
            out.append(DateMatch(start=lead.start(), end=lead.end("d"), day=int(lead.group("d")), month=month,
                                 year=year, weekday=None, time=None, year_given=year is not None))
        out.append(DateMatch(
            start=m.start(), end=m.end(), day=day, month=month, year=year, weekday=wd,
            time=normal_time(m.group("ptime") or m.group("time")), year_given=year is not None,
        ))
    return out


def fill_missing_years(dates: list[DateMatch], context_year: int | None) -> None:
    """A date printed without a year takes the next date's year in the same run
    (`๘ มกราคม - ๒๙ กุมภาพันธ์ ๒๕๖๗`), else the letter's own year."""
    following: int | None = None
    for d in reversed(dates):
        if d.year is None:
            d.year = following or context_year
        else:
            following = d.year


def parse_date(text: str) -> dt.date | None:
    """The first complete date in `text` (Thai or Arabic digits), or None."""
    from pipeline.thai.normalise import to_arabic

    found = find_dates(to_arabic(text))
    return found[0].date if found else None
