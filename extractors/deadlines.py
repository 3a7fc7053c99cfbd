"""Deadlines: dates by which, or windows within which, someone must act.

Cues come from the vocabulary table: `ภายในวัน…ที่`, `ได้จนถึงวันที่`,
`ไม่เกินวันที่`, `ก่อนวันที่` set a `due` date; `ระหว่างวันที่ A - B` and
`ตั้งแต่วันที่ A ถึง B` a window. A date printed without a year takes the
year of the window's other end, else the letter's year (the next year when
that would put it months before the letter). A letter's own date, a cited
letter's date and a past event (`เมื่อวันที่`) are never deadlines.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from extractors import facts
from extractors.context import LetterContext
from extractors.thaidate import DateMatch, fill_missing_years, find_dates
from pipeline.normalise import clean_raw, clean_value

BANGKOK = ZoneInfo("Asia/Bangkok")
RANGE_SEP_RE = re.compile(r"^\s*(?:-|–|—|ถึง(?:วันที่)?|จนถึง(?:วันที่)?)\s*")
PAST_RE = re.compile(r"(?:เมื่อ|ได้จัด|ไปแล้ว)\s*$")


@lru_cache(maxsize=None)
def _cue_re() -> re.Pattern:
    cues = facts.vocabulary()["deadline_cues"]
    due = facts.alternation(cues["due"])
    window = facts.alternation(cues["window"])
    return re.compile(
        rf"(?P<window>{window})\s*วันที่\s*|(?P<due>{due})\s*(?=วัน|\d)(?:วันที่\s*)?"
    )


def _sentence(ctx: LetterContext, pos: int) -> tuple[int, int]:
    """The sentence that sets a deadline: its paragraph or numbered item, at most ~300 chars."""
    text = ctx.parse
    start = max(text.rfind("\n", 0, pos) + 1, 0)
    item = list(re.finditer(r"(?:^|\s)\d{1,2}\.\s", text[start:pos]))
    if item:
        start += item[-1].start()
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    if pos - start > 250:
        cut = text.rfind(" ", start, pos - 200)
        start = cut + 1 if cut > 0 else start
    if end - pos > 150:
        cut = text.find(" ", pos + 120, end)
        end = cut if cut > 0 else end
    return start, end


def _context_year(match: DateMatch, letter_date: dt.date | None) -> None:
    if match.year is not None or letter_date is None:
        return
    match.year = letter_date.year
    d = match.date
    if d and (letter_date - d).days > 180:
        match.year += 1


def _due_at(date: dt.date, time: str | None, kind: str) -> dt.datetime:
    if time:
        h, m = map(int, time.split(":"))
        if h == 24:
            return dt.datetime.combine(date, dt.time(23, 59, 59), BANGKOK)
        return dt.datetime.combine(date, dt.time(h, m), BANGKOK)
    if kind == "window_start":
        return dt.datetime.combine(date, dt.time(0, 0), BANGKOK)
    return dt.datetime.combine(date, dt.time(23, 59, 59), BANGKOK)


def extract_deadlines(ctx: LetterContext) -> None:
    letter_date = ctx.letter.get("date")
    seen: set[tuple] = set()
    for cue in _cue_re().finditer(ctx.parse):
        if PAST_RE.search(ctx.parse[max(0, cue.start() - 12):cue.start()]):
            continue
        dates = find_dates(ctx.parse, cue.end(), min(len(ctx.parse), cue.end() + 160))
        if not dates or dates[0].start - cue.end() > 2:
            continue
        first = dates[0]
        if cue.group("window"):
            second = dates[1] if len(dates) > 1 and RANGE_SEP_RE.match(ctx.parse[first.end:dates[1].start]) else None
            pair = [first, second] if second else [first]
            fill_missing_years(pair, None)
            for d in pair:
                _context_year(d, letter_date)
            found = [("window_start", first)] + ([("window_end", second)] if second else [])
        else:
            _context_year(first, letter_date)
            found = [("due", first)]
        a, b = _sentence(ctx, cue.start())
        action = clean_value(ctx.display[a:b])
        for kind, match in found:
            date = match.date
            if date is None:
                ctx.warnings.append(f"impossible date {clean_raw(ctx.raw(match.start, match.end))!r} in a deadline")
                continue
            key = (kind, date, match.time)
            if key in seen:
                continue
            seen.add(key)
            warnings = []
            if match.weekday_ok is False:
                warnings.append("printed weekday does not match the date")
            if letter_date and date < letter_date and kind != "window_start":
                warnings.append("deadline before the letter's own date")
            ctx.deadlines.append({
                "kind": kind, "date": date, "time": match.time,
                "due_at": _due_at(date, match.time, kind),
                "raw": clean_raw(ctx.raw(cue.start(), match.end)),
                "action": action, "weekday_ok": match.weekday_ok,
                "warnings": warnings,
            })
            ctx.add_span(f"deadline_{kind}", match.start, match.end, date)
