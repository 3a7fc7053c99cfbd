"""Deadlines: dates by which, or windows within which, someone must act.

Three forms, all found here, one letter at a time:

- printed dates. Cues come from the vocabulary table: `ภายในวัน…ที่`,
  `ได้จนถึงวันที่`, `ไม่เกินวันที่`, `ก่อนวันที่` set a `due` date;
  `ระหว่างวันที่ A - B` and `ตั้งแต่วันที่ A ถึง B` a window. A letter in
  English is read the same way with English cue words and dates
  (`data/english.json`: `no later than 17 August 2015`, `The last day for
  submission … is Monday 17 August 2015`, `from 1 July to 17 August 2015`). A date printed
  without a year takes the year of the window's other end, else the letter's
  year (the next year when that would put it months before the letter). A
  letter's own date, a cited letter's date and a past event (`เมื่อวันที่`)
  are never deadlines.
- relative ones (`ภายใน ๗ วัน นับแต่วันที่ได้รับหนังสือนี้`, kind `relative`):
  the span and its base are kept as printed and as values, and a date is
  computed where the base is known: the receipt stamp when the letter bears
  one, else the letter's own date (the earliest the receipt can be, said in a
  warning, so a consumer never mistakes the estimate for a printed date).
- recurring ones (`ทุกรอบ ๖ เดือน และ ๑๒ เดือน`, kind `recurring`): one row
  per cycle with an RFC 5545 RRULE, undated unless the text anchors it.

Every row also says who must act (the actor the sentence names, else the
addressees) and carries the letter's reference, because a district office
reads deadlines across letters, not letter by letter. Checks that fail (a
printed weekday that disagrees, a deadline before the letter's date, a date
that cannot exist) are warnings on the row: the printed value is never
silently replaced by a guess.

`relative` and `recurring` rows are moved to the `deadline_rules` table by
the dataset step (`pipeline.link.deadline_chains`); `deadlines` keeps the printed dates.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable
from zoneinfo import ZoneInfo

from pipeline.thai import facts
from extractors.context import LetterContext
from extractors.keywords import loose, loose_alternation
from extractors.englishdate import find_english_dates
from extractors.thaidate import DateMatch, fill_missing_years, find_dates
from pipeline.thai import tokens  # the engine the spaCy pipeline uses
from pipeline.thai.normalise import clean_raw, clean_value

BANGKOK = ZoneInfo("Asia/Bangkok")
RANGE_SEP_RE = re.compile(r"^\s*(?:-|–|—|ถึง(?:วันที่)?|จนถึง(?:วันที่)?)\s*")
PAST_RE = re.compile(r"(?:เมื่อ|ได้จัด|ไปแล้ว)\s*$")
COUNTED_FROM_RE = re.compile(r"นับ\s*$")  # `นับตั้งแต่วันที่ …` is a base, not a window
ITEM_RE = re.compile(r"(?m)^[\s×/]*\(?\d{1,2}[.)]\s")
RULE_KINDS = ("relative", "recurring")
PUNCTUATION = {"(", ")", "“", "”", '"', ","}
TIME_AFTER_RE = re.compile(r"(?:[^\n]*?|[ \t]*\n[ \t]*)เวลา\s*(\d{1,2})\s?[.:]\s?(\d{2})")  # on the stamp's line or the next
RRULE_FREQ = {"day": "DAILY", "working_day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


@lru_cache(maxsize=None)
def _cue_re() -> re.Pattern:
    cues = facts.vocabulary()["deadline_cues"]
    # OCR breaks these words with spaces and drops their marks (`ระ หว่างวันที ๒๕`)
    due = loose_alternation(cues["due"])
    window = loose_alternation(cues["window"])
    day = loose("วันที่")
    return re.compile(
        rf"(?P<window>{window})\s*{day}\s*|(?P<due>{due})\s*(?=วัน|\d)(?:{day}\s*)?"
    )


@dataclass(frozen=True)
class Reading:
    """How a language prints a deadline: a cue (group `window` or `due`) that ends where its date
    starts, how dates are found, what joins a window's two ends, `gap`: how many characters may stand
    between the cue and its date, and `asks`: whether a cue in its sentence sets a deadline (None:
    every cue does, as the Thai ones do)."""

    cues: re.Pattern
    find_dates: Callable[..., list[DateMatch]]
    range_sep: re.Pattern
    gap: int = 2  # a Thai scan's speck or stray mark (`ภายในวันที่ . ๑๗`)
    asks: Callable[[str, re.Match, tuple[int, int]], bool] | None = None


@lru_cache(maxsize=None)
def thai_reading() -> Reading:
    return Reading(_cue_re(), find_dates, RANGE_SEP_RE)


EVENT_REACH = 40  # characters from an event's verb to its dates: `held in Bangkok from`, `published on the YouTube channel between`


@lru_cache(maxsize=None)
def english_reading() -> Reading:
    """English cues (`data/english.json` `deadline_cues`): a preposition right before the date, set in a
    sentence that asks the reader to act (`action_stems`); or a noun that names a deadline and reaches its
    date over the rest of its clause, after a link word or a colon (`The last day for submission of
    school applications is Monday 17 August 2015`, `Submission Deadline: 18 September 2015`)."""
    data = facts.english()
    cues = data["deadline_cues"]

    def words(key: str) -> str:
        return facts.alternation(cues[key])

    clause = r"[^.;]{0,120}?"  # the rest of the clause: no sentence ends between a noun and its date
    link = rf"(?:\s(?:{words('due_links')})\s|:)"
    pattern = re.compile(
        rf"(?i:(?P<window>\b(?P<window_noun>{words('window_nouns')})\b{clause}:\s*"
        rf"|\b(?:{words('window')})\s+(?:the\s+)?)"
        rf"|(?P<due>\b(?P<due_noun>{words('due_nouns')})\b{clause}{link}\s*"
        rf"|\b(?:{words('due')})\s+(?:the\s+)?))"
    )
    joins = facts.alternation(facts.english_words("range_words"))
    action = re.compile(rf"\b(?i:{facts.alternation(facts.english_words('action_stems'))})")
    event = re.compile(rf"\b(?i:{facts.alternation(facts.english_words('event_words'))})\b[^.;,]{{0,{EVENT_REACH}}}$")

    def asks(text: str, cue: re.Match, sentence: tuple[int, int]) -> bool:
        """A noun names a deadline; a preposition sets one in a sentence that asks for an action,
        unless an event's verb leads to it (`to be held in Bangkok from 16 to 18 May`)."""
        if cue.group("window_noun") or cue.group("due_noun"):
            return True
        if event.search(text, max(sentence[0], cue.start() - EVENT_REACH - 20), cue.start()):
            return False
        return bool(action.search(text, *sentence))

    # nothing but the spaces the cue ends with before the date: `between : 19- 29 September` (r43, a
    # timetable's row read across its columns) is no window
    return Reading(pattern, find_english_dates, re.compile(rf"^\s*(?:{joins})\s*"), gap=0, asks=asks)


@lru_cache(maxsize=None)
def _relative_re() -> re.Pattern:
    v = facts.vocabulary()["relative_deadline"]
    number = rf"\d{{1,3}}|{facts.alternation(list(v['number_words']))}"
    return re.compile(
        rf"(?P<cue>{facts.alternation(v['cues'])})\s*(?P<n>{number})\s*"
        rf"(?P<unit>{facts.alternation(list(v['units']))})(?!ที่)"
        rf"(?:\s*(?P<bcue>{facts.alternation(v['base_cues'])})\s*(?:วันที่|วัน)?\s*)?"
    )


@lru_cache(maxsize=None)
def _recurring_re() -> re.Pattern:
    v = facts.vocabulary()["recurring_deadline"]
    unit = facts.alternation(list(v["units"]))
    return re.compile(
        rf"(?P<cue>{facts.alternation(v['cues'])})\s*(?P<n>\d{{1,2}})?\s*(?P<unit>{unit})(?!ที่|ละ)"
        rf"(?P<more>(?:\s*(?:และ|หรือ|,)\s*\d{{1,2}}\s*(?:{unit}))*)"
    )


@lru_cache(maxsize=None)
def _monthly_day_re() -> re.Pattern:
    """`ภายในวันที่ ๕ ของทุกเดือน` / `ของเดือนถัดไป`: a monthly deadline on a day of the month."""
    return re.compile(r"ภายในวันที่\s*(?P<d>\d{1,2})\s*ของ\s*(?:ทุก\s*)?เดือน(?:ถัดไป)?")


@lru_cache(maxsize=None)
def _actor_cue_re() -> re.Pattern:
    v = facts.vocabulary()["actor_cues"]
    not_actor = facts.alternation(v["not_actor"])
    # a bare ให้ only where an item or line starts (never เพื่อให้, รายงานให้ …)
    return re.compile(rf"(?:{facts.alternation(v['cues'])}|^[\s×/]*(?:\(?\d{{1,2}}[.)])?\s*{v['bare']})(?!{not_actor})", re.M)


@dataclass
class Stamp:
    """A registry's receipt stamp: when the letter reached the office that holds this copy."""

    date: dt.date
    time: str | None
    raw: str


def receipt_stamp(ctx: LetterContext) -> Stamp | None:
    """The receipt stamp the OCR stage found on the letter's page (`ctx.received`), else the one
    near the letter's head in its text: a marker line (`เลขรับ`, `เลขที่ 249`),
    then `วันที่ <date>` within a few lines, optionally `เวลา HH:MM`. Only before the
    subject line, so the memo form's own `วันที่` (the letter's date) is not taken."""
    if ctx.received is not None and ctx.received.date is not None:  # found on the page by its frame
        return Stamp(ctx.received.date, ctx.received.time, ctx.received.raw)
    v = facts.vocabulary()["receipt_stamp"]
    marker = re.compile(rf"^(?:{facts.alternation(v['number_markers'])})\s*\d+\s*$|^(?:{facts.alternation(v['markers'])})")
    lines = ctx.layout.lines
    stop = ctx.layout.subject if ctx.layout.subject is not None else min(len(lines), 30)
    for i, line in enumerate(lines[:stop]):
        if not marker.match(line.text):
            continue
        for later in lines[i:min(stop, i + 1 + v["lines_after_marker"])]:
            at = later.text.find(v["date_label"])
            if at < 0:
                continue
            found = find_dates(ctx.parse, later.start + at, later.end)
            if not found or found[0].date is None:
                continue
            date = found[0]
            time, end = date.time, later.end
            if time is None:
                m = TIME_AFTER_RE.match(ctx.parse, date.end)
                if m:
                    h, mm = m.group(1), m.group(2)
                    if int(h) < 24 and int(mm) < 60:
                        time, end = f"{int(h):02d}:{mm}", max(end, m.end())
            ctx.add_span("receipt_stamp", line.start, end, date.date)
            return Stamp(date.date, time, clean_raw(ctx.raw(line.start, end)) or "")
    return None


SENTENCE_REACH = 1000


def _sentence(ctx: LetterContext, pos: int) -> tuple[int, int]:
    """The sentence that sets a deadline: its paragraph or numbered item, at most ~400 chars.

    A paragraph runs between blank lines, so the hard line breaks of PDF text do
    not cut `๓. ให้ที่ทำการปกครองอำเภอ … ทราบ` off the `ภายในวันอังคารที่ …` it asks for."""
    text = ctx.parse
    # Look no further than SENTENCE_REACH either side: the sentence is cut to ~400
    # characters anyway, and scanning whole paragraphs for every cue made a page-long
    # paragraph of cues quadratic (fuzzing: 156,000 characters took 40 s).
    reach = max(0, pos - SENTENCE_REACH)
    para = text.rfind("\n\n", reach, pos)
    start = para + 2 if para >= 0 else reach
    items = [m for m in ITEM_RE.finditer(text, start, pos)]
    if items:
        start = items[-1].start()
    nxt = text.find("\n\n", pos, pos + SENTENCE_REACH)
    end = min(len(text), pos + SENTENCE_REACH) if nxt < 0 else nxt
    item_after = ITEM_RE.search(text, pos, end)
    if item_after:
        end = item_after.start()
    while start < pos and text[start].isspace():
        start += 1
    if pos - start > 300:
        cut = text.rfind(" ", start, pos - 250)
        start = cut + 1 if cut > 0 else start
    if end - pos > 150:
        cut = text.find(" ", pos + 120, end)
        end = cut if cut > 0 else end
    return start, end


def _is_item(ctx: LetterContext, start: int) -> bool:
    return bool(ITEM_RE.match(ctx.parse, start))


def _actor_phrase(text: str) -> str | None:
    """The actor named right after a cue: words up to the request's verb. A verb
    after `ที่`/`ซึ่ง` belongs to the actor (`อำเภอที่ส่งใบสมัครแล้ว`); an actor that
    ends at `ทราบ` is who is told, not who acts (`รายงานให้จังหวัดทราบ`)."""
    from pythainlp.tokenize import word_tokenize

    v = facts.vocabulary()["actor_cues"]
    stops, relative = set(v["stop"]), set(v["relative"])
    out: list[str] = []
    in_clause = False
    for token in word_tokenize(text[:160], engine=tokens.tokenizer_engine(), keep_whitespace=True):
        if token.isspace():
            in_clause = False
            out.append(" ")
            continue
        if token in relative:
            in_clause = True
        elif token in stops and not in_clause:
            if token in v["report_target_end"]:
                return None
            break
        if token in PUNCTUATION or len(out) > 24:
            break
        out.append(token)
    phrase = clean_value("".join(out))
    return phrase if phrase and len(phrase) > 1 else None


def _actor_in(ctx: LetterContext, start: int, end: int, *, last: bool) -> str | None:
    found = []
    for m in _actor_cue_re().finditer(ctx.parse, start, end):
        phrase = _actor_phrase(ctx.parse[m.end():end + 160])
        if phrase:
            found.append(phrase)
            if not last:
                break
    return found[-1] if found else None


def find_actor(ctx: LetterContext, sentence_start: int, pos: int) -> tuple[str | None, str | None]:
    """Who must act, and where that was read: `sentence` (named before the deadline
    in its own sentence), `lead_in` (a numbered item's `… ขอให้อำเภอดำเนินการ ดังนี้`),
    else `addressees` (the letter's `เรียน`/`ถึง`)."""
    actor = _actor_in(ctx, sentence_start, pos, last=False)
    if actor:
        return actor, "sentence"
    if _is_item(ctx, sentence_start):
        lead_end = ctx.parse.rfind(facts.vocabulary()["actor_cues"]["lead_in_end"], 0, sentence_start)
        if lead_end >= 0 and sentence_start - lead_end < 4000:
            para = ctx.parse.rfind("\n\n", 0, lead_end)
            lead_start = max(para + 2 if para >= 0 else 0, lead_end - 400)
            actor = _actor_in(ctx, lead_start, lead_end, last=True)
            if actor:
                return actor, "lead_in"
    addressees = [r["recipient"] for r in ctx.recipients if r.get("role") == "to" and r.get("recipient")]
    if addressees:
        return "; ".join(addressees), "addressees"
    return None, None


def _context_year(match: DateMatch, letter_date: dt.date | None) -> None:
    if match.year is not None or letter_date is None:
        return
    match.year = letter_date.year
    d = match.date
    if d and (letter_date - d).days > 180:
        match.year += 1


def due_at(date: dt.date, time: str | None, kind: str) -> dt.datetime:
    """The instant a deadline falls due: its time, else the end of the day (the start for a window's opening)."""
    if time:
        h, m = map(int, time.split(":"))
        if h == 24:
            return dt.datetime.combine(date, dt.time(23, 59, 59), BANGKOK)
        return dt.datetime.combine(date, dt.time(h, m), BANGKOK)
    if kind == "window_start":
        return dt.datetime.combine(date, dt.time(0, 0), BANGKOK)
    return dt.datetime.combine(date, dt.time(23, 59, 59), BANGKOK)


def add_period(base: dt.date, n: int, unit: str) -> dt.date:
    """base + n units. Thai counting (ป.พ.พ. ม. 193/3) leaves the base day out, so
    `ภายใน ๗ วัน` from the 18th ends on the 25th; a month lands on the same day
    number, or the month's last day when that day does not exist. Working days
    skip Saturdays and Sundays only (public holidays are not known here)."""
    if unit == "day":
        return base + dt.timedelta(days=n)
    if unit == "week":
        return base + dt.timedelta(weeks=n)
    if unit == "working_day":
        d, left = base, n
        while left:
            d += dt.timedelta(days=1)
            if d.weekday() < 5:
                left -= 1
        return d
    months = n * (12 if unit == "year" else 1)
    y, m = divmod(base.month - 1 + months, 12)
    year, month = base.year + y, m + 1
    return dt.date(year, month, min(base.day, calendar.monthrange(year, month)[1]))


def rrule(n: int, unit: str, *, bymonthday: int | None = None) -> str:
    """An RFC 5545 RRULE for a cycle of n units (what a calendar needs to repeat an event)."""
    parts = [f"FREQ={RRULE_FREQ[unit]}"]
    if n > 1:
        parts.append(f"INTERVAL={n}")
    if unit == "working_day":
        parts.append("BYDAY=MO,TU,WE,TH,FR")
    if bymonthday:
        parts.append(f"BYMONTHDAY={bymonthday}")
    return ";".join(parts)


def _number(text: str) -> int:
    words = facts.vocabulary()["relative_deadline"]["number_words"]
    return int(text) if text.isdigit() else int(words[text])


def _row(ctx: LetterContext, kind: str, cue_start: int, raw_end: int, **fields: Any) -> dict[str, Any]:
    """A deadline row with what every form shares: raw text, action, actor, the letter's reference."""
    a, b = _sentence(ctx, cue_start)
    actor, actor_source = find_actor(ctx, a, cue_start)
    row: dict[str, Any] = {
        "kind": kind, "date": None, "time": None, "due_at": None,
        "raw": clean_raw(ctx.raw(cue_start, raw_end)), "action": clean_value(ctx.display[a:b]),
        "weekday_ok": None, "warnings": [], "actor": actor, "actor_source": actor_source,
        "letter_ref": ctx.letter.get("ref"),
    }
    row.update(fields)
    return row


def _check_date(row: dict[str, Any], letter_date: dt.date | None) -> None:
    if letter_date and row["date"] and row["date"] < letter_date and row["kind"] != "window_start":
        row["warnings"].append("deadline before the letter's own date")


@lru_cache(maxsize=None)
def _effective_res() -> tuple[re.Pattern, re.Pattern]:
    v = facts.vocabulary()["effective_date"]
    return (re.compile(rf"(?:{loose_alternation(v['before'])})\s*$"),
            re.compile(rf"^\s*(?:เวลา\s*\d{{1,2}}\s?[.:]?\s?\d{{2}}\s*(?:น\.|นาฬิกา)?\s*)?(?:{loose_alternation(v['after'])})"))


@lru_cache(maxsize=None)
def _in_force_re() -> re.Pattern:
    return re.compile(rf"(?:{loose_alternation(facts.vocabulary()['effective_date']['in_force'])})\s*$")


def _in_force_period(ctx: LetterContext, cue_start: int) -> bool:
    """`ทั้งนี้ ตั้งแต่วันที่ … (ถึง …)`: the period the instrument is in force (see vocabulary)."""
    return bool(_in_force_re().search(ctx.parse, max(0, cue_start - 12), cue_start))


def _effective_date(ctx: LetterContext, cue_start: int, date_end: int) -> bool:
    """`ให้ใช้บังคับตั้งแต่วันที่ …`, `ตั้งแต่วันที่ … เป็นต้นไป`: when a rule takes effect (see vocabulary)."""
    before, after = _effective_res()
    return bool(before.search(ctx.parse, max(0, cue_start - 20), cue_start)
                or after.match(ctx.parse[date_end:date_end + 40]))


# characters from `ตามที่` to the cue: a recap clause is one sentence, but a long one (r18's
# runs 730 characters, citing an announcement and an order before the window it restates)
RECAP_REACH = 1000
RECAP_CLOSE = 40  # characters from the date to `นั้น` that closes the clause


@lru_cache(maxsize=None)
def _recap_res() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """What opens a recap clause, what closes it, and a close soon after a date on its line."""
    v = facts.vocabulary()["recap_clause"]
    close = f"(?<!ดัง)(?:{facts.alternation(v['closes'])})(?![ก-ฮ])"  # `ดังนั้น` (therefore) closes nothing
    return (re.compile(f"(?:{facts.alternation(v['opens'])})"), re.compile(close),
            re.compile(rf"[^\n]{{0,{RECAP_CLOSE}}}?{close}"))


def _in_recap(ctx: LetterContext, cue_start: int, date_end: int) -> bool:
    """A date in a `ตามที่ … นั้น` clause, the recap of an earlier letter's request (see vocabulary):
    the clause opened before the cue in the same paragraph, did not close before it, and
    closes right after the date."""
    opens, closes, closes_soon = _recap_res()
    paragraph = ctx.parse.rfind("\n\n", 0, cue_start) + 1
    opened = list(opens.finditer(ctx.parse, max(paragraph, cue_start - RECAP_REACH), cue_start))
    if not opened or closes.search(ctx.parse, opened[-1].end(), cue_start):
        return False
    return bool(closes_soon.match(ctx.parse, date_end))


SUPERSEDED_REACH = 12  # characters from a window's last date to the word that moves it


@lru_cache(maxsize=None)
def _superseded_re() -> re.Pattern:
    return re.compile(rf"\s*(?:{loose_alternation(facts.vocabulary()['superseded_window']['words'])})")


def _superseded(ctx: LetterContext, window_end: int) -> bool:
    """A window moved by what follows it (`… ตั้งแต่วันที่ ๑๑ ตุลาคม ถึงวันที่ ๓๑ ตุลาคม ๒๕๖๕ ออกไปเป็น
    ภายในวันที่ ๑๕ พฤศจิกายน ๒๕๖๕`): the old window is no deadline, the new date is (see vocabulary)."""
    return bool(_superseded_re().match(ctx.parse, window_end, window_end + SUPERSEDED_REACH + 20))


def _printed(ctx: LetterContext, letter_date: dt.date | None, reading: Reading) -> list[dict[str, Any]]:
    """Deadlines printed as calendar dates: `due`, `window_start`, `window_end`."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    window_ends: set[int] = set()  # `… ถึง|จนถึงวันที่ B`: B closes a window, it is no due date of its own
    for cue in reading.cues.finditer(ctx.parse):
        before = ctx.parse[max(0, cue.start() - 12):cue.start()]
        if PAST_RE.search(before) or (cue.group("window") and COUNTED_FROM_RE.search(before)):
            continue
        dates = reading.find_dates(ctx.parse, cue.end(), min(len(ctx.parse), cue.end() + 160))
        if not dates or dates[0].start - cue.end() > reading.gap:
            continue
        if reading.asks is not None and not reading.asks(ctx.parse, cue, _sentence(ctx, cue.start())):
            continue
        first = dates[0]
        if _in_recap(ctx, cue.start(), dates[-1].end if cue.group("window") else first.end):
            continue
        if cue.group("window"):
            joined = len(dates) > 1 and reading.range_sep.match(ctx.parse[first.end:dates[1].start])
            second = dates[1] if joined else None
            pair = [first, second] if second else [first]
            fill_missing_years(pair, None)
            for d in pair:
                _context_year(d, letter_date)
            if second is None and _effective_date(ctx, cue.start(), first.end):
                continue
            if _in_force_period(ctx, cue.start()) or (second is not None and _superseded(ctx, second.end)):
                if second is not None:
                    window_ends.add(second.start)  # its closing date is no due date either
                continue
            found = [("window_start", first)] + ([("window_end", second)] if second else [])
            if second is not None:
                window_ends.add(second.start)
        else:
            if first.start in window_ends:
                continue
            _context_year(first, letter_date)
            found = [("due", first)]
        window = {}
        if len(found) == 2 and first.date and found[1][1].date:
            window = {"window_start_at": due_at(first.date, first.time, "window_start"),
                      "window_end_at": due_at(found[1][1].date, found[1][1].time, "window_end")}
        for kind, match in found:
            date = match.date
            key = (kind, date, match.time, match.start)
            if key in seen or (date is not None and (kind, date, match.time) in seen):
                continue
            seen.update({key, (kind, date, match.time)})
            row = _row(ctx, kind, cue.start(), match.end, date=date, time=match.time,
                       weekday_ok=match.weekday_ok, **window)
            if date is None:
                # kept, undated: a consumer must see that a deadline was set and could not be read
                row["warnings"].append(
                    f"impossible date {clean_raw(ctx.raw(match.start, match.end))!r}: no such day")
            else:
                row["due_at"] = due_at(date, match.time, kind)
            if match.weekday_ok is False:
                row["warnings"].append("printed weekday does not match the date")
            _check_date(row, letter_date)
            rows.append(row)
            ctx.add_span(f"deadline_{kind}", match.start, match.end, date)
    return rows


MAX_RELATIVE_DAYS = 5 * 366  # `ภายใน ๙๙๙ ปี` (fuzzing) is a quantity, not a date to compute


def _relative(ctx: LetterContext, letter_date: dt.date | None, stamp: Stamp | None) -> list[dict[str, Any]]:
    """`ภายใน ๗ วัน นับแต่วันที่ได้รับหนังสือนี้`, `ภายใน ๑๕ วัน`: kind `relative`."""
    v = facts.vocabulary()["relative_deadline"]
    report = facts.vocabulary()["recurring_deadline"]["report_words"]
    rows = []
    for m in _relative_re().finditer(ctx.parse):
        if PAST_RE.search(ctx.parse[max(0, m.start() - 12):m.start()]):
            continue
        n, unit = _number(m.group("n")), v["units"][m.group("unit")]
        a, b = _sentence(ctx, m.start())
        sentence = ctx.parse[a:b]
        base, base_date, source, end = "unstated", None, None, m.end()
        warnings: list[str] = []
        if m.group("bcue"):
            tail = ctx.parse[m.end():min(b, m.end() + 80)]
            stop = re.search(r"[\s(]", tail[1:])
            phrase = tail[:stop.start() + 1] if stop else tail
            dates = find_dates(ctx.parse, m.end(), min(b, m.end() + 80))
            if dates and dates[0].start - m.end() < 4:
                base, base_date, source, end = "event", dates[0].date, "printed", dates[0].end
            else:
                base = next((k for k, words in v["bases"].items() if any(w in phrase for w in words)), "event")
                end = m.end() + len(phrase)
        elif not (_actor_cue_re().search(sentence) or any(w in sentence for w in report)):
            continue  # `ภายใน ๓ ปี` in a plan's prose: no one is asked to do anything
        if not m.group("cue").startswith("ภายใน") and base == "unstated":
            continue  # `ไม่เกิน ๒ ปี` without a base is a quantity, not a deadline
        if base in ("receipt", "unstated"):
            if stamp:
                base_date, source = stamp.date, "receipt_stamp"
            elif letter_date:
                base_date, source = letter_date, "letter_date"
                warnings.append("no receipt stamp: counted from the letter's own date, the earliest it can fall due")
            if base == "unstated" and base_date:
                warnings.append("no base printed: counted from receipt of the letter")
        elif base == "letter_date":
            base_date, source = letter_date, "letter_date" if letter_date else None
        if base_date is None:
            warnings.append("base date unknown: no date computed")
        if unit == "working_day" and base_date:
            warnings.append("public holidays not counted: Saturdays and Sundays only")
        date = add_period(base_date, n, unit) if base_date else None
        if date and (date - base_date).days > MAX_RELATIVE_DAYS:
            warnings.append(f"a period of {n} {unit}s is not a deadline anyone can act on: no date computed")
            date = None
        row = _row(ctx, "relative", m.start(), end, date=date,
                   due_at=due_at(date, None, "due") if date else None, base=base, base_date=base_date,
                   base_date_source=source, base_raw=stamp.raw if source == "receipt_stamp" else None,
                   period=n, period_unit=unit)
        row["warnings"] = warnings
        if stamp and letter_date and stamp.date < letter_date and source == "receipt_stamp":
            row["warnings"].append("receipt stamp dated before the letter's own date")
        _check_date(row, letter_date)
        rows.append(row)
        ctx.add_span("deadline_relative", m.start(), end, date)
    return rows


def _recurring(ctx: LetterContext, letter_date: dt.date | None) -> list[dict[str, Any]]:
    """`ทุกรอบ ๖ เดือน และ ๑๒ เดือน`, `ทุกไตรมาส`, `ภายในวันที่ ๕ ของทุกเดือน`: kind `recurring`, one row per cycle."""
    v = facts.vocabulary()["recurring_deadline"]
    unit_re = re.compile(rf"(\d{{1,2}})\s*({facts.alternation(list(v['units']))})")
    rows: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for m in _monthly_day_re().finditer(ctx.parse):
        day = int(m.group("d"))
        row = _row(ctx, "recurring", m.start(), m.end(), period=1, period_unit="month",
                   rrule=rrule(1, "month", bymonthday=day), base="month")
        if not 1 <= day <= 31:
            row["warnings"].append(f"impossible day of the month {day}")
        elif letter_date:
            first = _next_monthday(letter_date, day)
            row.update(date=first, due_at=due_at(first, None, "due"), base_date=letter_date,
                       base_date_source="letter_date")
        rows.append(row)
        taken.append((m.start(), m.end()))
        ctx.add_span("deadline_recurring", m.start(), m.end(), None)
    for m in _recurring_re().finditer(ctx.parse):
        if any(a <= m.start() < b for a, b in taken):
            continue  # `ของทุกเดือน` of a day-of-month rule
        a, b = _sentence(ctx, m.start())
        if not any(w in ctx.parse[a:b] for w in v["report_words"]):
            continue
        cycles = [(int(m.group("n") or 1), m.group("unit"))]
        cycles += [(int(n), u) for n, u in unit_re.findall(m.group("more") or "")]
        after = ctx.parse[m.end():m.end() + 40]
        fiscal = any(w in after for w in v["fiscal_year"])
        for n, word in cycles:
            unit, per = v["units"][word]
            row = _row(ctx, "recurring", m.start(), m.end(), base="fiscal_year" if fiscal else None,
                       period=n * per, period_unit=unit, rrule=rrule(n * per, unit))
            rows.append(row)
        ctx.add_span("deadline_recurring", m.start(), m.end(), None)
    return rows


def _next_monthday(after: dt.date, day: int) -> dt.date:
    """The first `day` of a month after `after` (the month's last day where it is shorter)."""
    y, m = after.year, after.month
    while True:
        d = dt.date(y, m, min(day, calendar.monthrange(y, m)[1]))
        if d > after:
            return d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def extract_deadlines(ctx: LetterContext) -> None:
    """Fill ctx.deadlines with every deadline the letter sets, printed, relative or recurring."""
    letter_date = ctx.letter.get("date")
    if ctx.language == "en":
        # printed dates only: the relative and recurring cues are Thai words
        ctx.deadlines.extend(_printed(ctx, letter_date, english_reading()))
        return
    stamp = receipt_stamp(ctx)
    ctx.deadlines.extend(_printed(ctx, letter_date, thai_reading()))
    ctx.deadlines.extend(_relative(ctx, letter_date, stamp))
    ctx.deadlines.extend(_recurring(ctx, letter_date))
