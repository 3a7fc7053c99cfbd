"""Align the forms of the regulation to a letter's text, whatever its line breaks.

Each form (`data/forms.json`) is an ordered list of zones, each opened by a
cue word (`เรื่อง`, `ประกาศ ณ วันที่` …). `align` finds every template's cues in
order in the text, tolerating OCR-dropped marks, stray spaces inside words
and missing line breaks, scores each template by the zones it found, and
keeps the best. A line break is a hint here, never a requirement: a Royal
Gazette text flattened to one paragraph aligns as well as a typed letter.

`with_breaks` then puts a line break where each found zone starts (replacing
the space before it, so the text keeps its length and every offset still
points into the source), which lets the line-reading extractors read a
flattened letter as they read a typed one.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pipeline.thai import facts
from extractors.keywords import aa_or_am, loose, tolerant
from extractors.reference import PARTIAL_REF, REF_RE
from extractors.thaidate import find_dates

NUMBERED_RE = re.compile(r"\s*(?P<n>\d(?:\s?\d){0,5})\s*/\s*(?P<y>\d(?:\s?\d){3})(?![\d/])")
AT_START_CHARS = 700  # a heading stands in the first lines: a news page puts its headline and date above
DATE_AFTER_CUE = 60  # `ประกาศ ณ วันที่` is followed by its date at once
SIGNATURE_CHARS = 400
_BRACKETED_NAME = re.compile(r"\(\s*[^()\[\]\d\n]{3,80}?\s*[)\]]")  # `)` or OCR's `]` for it
_REF_AFTER_CUE = re.compile(rf"\s*(?:{REF_RE.pattern})")
_PARTIAL_REF_AFTER_CUE = re.compile(rf"\s*{PARTIAL_REF}")
_SLASH_LOST_AFTER_CUE = re.compile(r"\s*\d{1,6}\s+\d{4}(?=\s|$)")
_MEMO_REF_AFTER_CUE = re.compile(r"\s*[^\s\d]{0,6}\s?\.?\s?\d")


@dataclass
class MonthYear:
    """A date whose day is missing: what is printed of it (Buddhist-era year)."""
    start: int
    end: int
    month: int
    year_be: int

    @property
    def partial(self) -> str:
        return f"{self.year_be - 543:04d}-{self.month:02d}"


@lru_cache(maxsize=None)
def month_year_re() -> re.Pattern:
    """A blank or an unreadable day (a few specks, no digit or Thai letter), then month and year."""
    months = "|".join(re.escape(m) for m in sorted(facts.months(), key=len, reverse=True))
    return re.compile(rf"[^\dก-ฮ\n]{{0,8}}(?P<m>{months})\s*(?:พ\.ศ\.\s*)?(?P<y>25\d\d)(?!\d)")


NOISY_DAY_CHARS = 16  # `ณ Tun 9๑ฑ `: OCR's reading of `วันที่` and a handwritten day


@lru_cache(maxsize=None)
def _noisy_day_re() -> re.Pattern:
    months = "|".join(re.escape(m) for m in sorted(facts.months(), key=len, reverse=True))
    return re.compile(rf"[^\n]{{0,{NOISY_DAY_CHARS}}}?(?P<m>{months})"
                      r"(?:\s*(?:พ\.ศ\.)?\s*\W?(?P<y>25\d\d)(?!\d))?")


@dataclass
class Zone:
    name: str
    cue_start: int  # where the cue word starts
    start: int  # where the zone's content starts (after the cue)
    end: int  # where the next zone starts, or the content ends
    value: Any = None  # what `holds` matched: a date, a `(number, year)`


@dataclass
class Alignment:
    form: str | None
    score: float
    zones: dict[str, Zone] = field(default_factory=dict)


def _data() -> dict[str, Any]:
    return facts.forms()


def _cue_pattern(words: list[str]) -> str:
    """Longest first; words of four or more letters may be broken by a stray space (`ค ำสั่ง`),
    and sara aa and sara am stand for each other (a Gazette text layer writes `อําศัย` for
    `อาศัย` and `บาเหน็จ` for `บำเหน็จ`)."""
    parts = [loose(w) if len(w.replace(" ", "")) >= 4 else tolerant(w)
             for w in sorted(set(words), key=len, reverse=True)]
    return aa_or_am("|".join(parts))


@lru_cache(maxsize=None)
def _cue_re(words: tuple[str, ...]) -> re.Pattern:
    # no look-behind for the word start: it made the engine try every position (align was
    # a fifth of a letter's time); `_at_word_start` filters the matches instead
    return re.compile(_cue_pattern(list(words)))


def _at_word_start(text: str, at: int) -> bool:
    return at == 0 or text[at - 1] in _BEFORE_WORD


_BEFORE_WORD = frozenset(" \t\n\r\"“(")


def _cues(pattern: re.Pattern, text: str, pos: int, end: int):
    """The matches of `pattern` in text[pos:end] that open a word."""
    return (m for m in pattern.finditer(text, pos, end) if _at_word_start(text, m.start()))


@lru_cache(maxsize=None)
def body_re() -> re.Pattern:
    openers = _data()["body_openers"]
    rules = "|".join(openers["rules"])
    return re.compile(rf"(?P<word>{_cue_pattern(openers['words'])})|{rules}")


def body_starts(text: str, pos: int = 0, end: int | None = None) -> list[int]:
    """Where a body opener starts a word (or a printed rule stands) in text[pos:end]."""
    end = len(text) if end is None else end
    found = [m.start() for m in body_re().finditer(text, pos, end)
             if not m.group("word") or _at_word_start(text, m.start())]
    return sorted(found + rules_read_as_letters(text, pos, end))


RULE_TOKEN_CHARS = 12
RULE_DISTINCT_SHARE = 0.25
_LONG_TOKEN = re.compile(rf"\S{{{RULE_TOKEN_CHARS},}}")
_SCRAP_BEFORE = re.compile(r"(?:^|(?<=\s))\S{1,3}\s+$")


def rules_read_as_letters(text: str, pos: int = 0, end: int | None = None) -> list[int]:
    """Where a printed rule that OCR read as letters stands (r37, under an order's title:
    `ว11 9 9ววววววะววว1วะวะเระวเวเวเระระรเวเวเว`): a token of RULE_TOKEN_CHARS or more
    characters of which at most RULE_DISTINCT_SHARE are distinct (that one has 6 in 37; a long
    Thai word has most of its characters distinct, `ประชาสัมพันธ์` 12 in 13), with the scraps of
    one to three characters just before it."""
    found = []
    for m in _LONG_TOKEN.finditer(text, pos, len(text) if end is None else end):
        if len(set(m.group())) > RULE_DISTINCT_SHARE * len(m.group()):
            continue
        start = m.start()
        while (scrap := _SCRAP_BEFORE.search(text, max(pos, start - 8), start)) is not None:
            start = scrap.start()
        found.append(start)
    return found


@lru_cache(maxsize=None)
def _chrome_res() -> tuple[str, re.Pattern, re.Pattern]:
    chrome = _data()["page_chrome"]
    gazette = facts.alternation(chrome["gazette_words"])
    # `้ หนา ๒๗ ่ เลม ๑๔๐ ตอนพิเศษ ๔๐ ง ราชกิจจานุเบกษา`: the footer with its tones split off
    footer = re.compile(r"(?:[\u0e48-\u0e4b]\s*)?หน\u0e49?า\s*\d+\s*(?:[\u0e48-\u0e4b]\s*)?เล\u0e48?ม\s*\d+\s*"
                        rf"ตอน\S*\s*\d*\s*[ก-ฮ]?\s*(?:{gazette})")
    source = re.compile(rf"(?:{facts.alternation(chrome['source_words'] + chrome['watermark_words'])})(?=\s|$)")
    return gazette, footer, source


def chrome_starts(text: str, pos: int = 0, end: int | None = None) -> list[int]:
    """Where page chrome starts in text[pos:end]: a Gazette footer (looked for only in a text
    that names the Gazette), a news site's source line or print button, or a scanning app's
    watermark opening a word."""
    gazette, footer, source = _chrome_res()
    end = len(text) if end is None else end
    found = [m.start() for m in source.finditer(text, pos, end) if _at_word_start(text, m.start())]
    if re.search(gazette, text):
        found += [m.start() for m in footer.finditer(text, pos, end)]
    return sorted(found)


def _holds(kind: str | None, text: str, pos: int) -> tuple[bool, Any, int]:
    """Does what follows the cue at `pos` fit the zone? (ok, value, end of the value)"""
    if kind is None:
        return True, None, pos
    if kind == "numbered":
        m = NUMBERED_RE.match(text, pos)
        if not m:
            # `ที่ ๑๒๐๑ ๗๕๖๗`: OCR merged the slash into the year; the zone is there, its number is
            # left to the reference reader, which checks the year against the order's date
            return bool(_SLASH_LOST_AFTER_CUE.match(text, pos)), None, pos
        return True, (re.sub(r"\s", "", m.group("n")), re.sub(r"\s", "", m.group("y"))), m.end()
    if kind == "numbered_reference":
        # a memo's `ที่`: a reference, or a unit's bare number, so a digit comes soon (not `ที คุณ…`)
        m = _MEMO_REF_AFTER_CUE.match(text, pos)
        return (bool(m), None, pos)
    if kind == "reference":
        # a reference whose number was left to be written by hand still opens the zone
        m = _REF_AFTER_CUE.match(text, pos) or _PARTIAL_REF_AFTER_CUE.match(text, pos)
        return (bool(m), m.group(0).strip() if m else None, m.end() if m else pos)
    if kind == "date":
        dates = [d for d in find_dates(text, pos, min(len(text), pos + DATE_AFTER_CUE)) if d.date]
        if dates and not text[pos:dates[0].start].strip(" :"):
            return True, dates[0], dates[0].end
        # `สั่ง ณ วันที่ ____ ตุลาคม พ.ศ. ๒๕๕๘`: the day left blank or written by hand
        m = month_year_re().match(text, pos)
        if m:
            return True, MonthYear(m.start("m"), m.end(), facts.months()[m.group("m")], int(m.group("y"))), m.end()
        # OCR garbled `วันที่` and the handwritten day (`ประกาศ ณ Tun 9๑ฑ กรกฎาคม พ.ศ. “๒๕๕๘๙`): the
        # month still marks the date; its year only when it reads as one
        m = _noisy_day_re().match(text, pos)
        if m:
            year = m.group("y")
            value = MonthYear(m.start("m"), m.end(), facts.months()[m.group("m")], int(year)) if year else None
            return True, value, m.end()
        return False, None, pos
    raise ValueError(f"unknown zone content {kind!r}")


def _glued(text: str, pos: int) -> bool:
    return pos < len(text) and "\u0e01" <= text[pos] <= "\u0e4e"


@lru_cache(maxsize=None)
def _issuer_openers() -> tuple[str, ...]:
    vocabulary = facts.vocabulary()
    return tuple(facts.words("letterhead_org_prefixes") + vocabulary["position_words"]["words"]
                 + vocabulary["declared_not_issuer"]["words"] + ["เรื่อง", "ที่", "ฉบับที่", "ว่าด้วย"])


def _names_its_issuer(text: str, pos: int) -> bool:
    """A heading word is followed by its issuer, an office or an office holder
    (`ประกาศสำนักงาน…`, `คำสั่งจังหวัด…`, `คำสั่งนายทะเบียน`), or at once by its number or title
    (`ประกาศ เรื่อง …`), or what it declares (`ประกาศสถานการณ์ฉุกเฉิน…`, `declared_not_issuer`);
    a word that only starts like one is not (`ข่าวสารของราชการ`)."""
    return text[pos:pos + 40].lstrip(" (").startswith(_issuer_openers())


def _spec_cues(spec: dict[str, Any]) -> tuple[str, ...]:
    """A zone's cue words: its own, and the vocabulary's lists it names (`cues_from`)."""
    return tuple(spec.get("cues", [])) + tuple(w for key in spec.get("cues_from", []) for w in facts.words(key))


@lru_cache(maxsize=None)
def _zone_cue_re(form: str, zone: str) -> re.Pattern:
    template = next(t for t in _data()["forms"] if t["form"] == form)
    return _cue_re(_spec_cues(next(spec for spec in template["zones"] if spec["zone"] == zone)))


def _until(text: str, template: dict[str, Any], spec: dict[str, Any], pos: int, limit: int) -> int:
    """`limit`, or where the cue of the zone named by `until` stands before it: a zone of the
    head ends where the next zone's cue stands."""
    if not spec.get("until"):
        return limit
    bound = next(_cues(_zone_cue_re(template["form"], spec["until"]), text, pos, limit), None)
    return bound.start() if bound else limit


LABELLED_DATE = re.compile(r"(?:วันที่?|เวลา|รับ)\s*$")  # a stamp's or a citation's date, not the letter's
_DAY_SLOT = re.compile(r"(?:^|\s)(\S{1,4})\s+$")  # a handwritten day OCR read as a speck or two


def _found_content(name: str, kind: str, text: str, pos: int, limit: int) -> Zone | None:
    """A zone no cue word opens, found by what it holds: an external letter's date under its
    letterhead, the last whole date that no label leads (a receipt stamp's `วันที่ ๑๘ ม.ค. ๒๕๖๗`
    is not the letter's), else a month and year after a blank or handwritten day
    (`“ฑ์ พฤษภาคม ๒๕๖๗`)."""
    if kind != "date":
        raise ValueError(f"unknown zone content {kind!r}")
    dates = [d for d in find_dates(text, pos, limit)
             if d.date and not LABELLED_DATE.search(text, max(0, d.start - 12), d.start)]
    if dates:
        return Zone(name, dates[-1].start, dates[-1].start, dates[-1].end, dates[-1])
    for month_year in month_year_re().finditer(text, pos, limit):
        start = month_year.start("m")
        day_slot = _DAY_SLOT.search(text, max(pos, start - 8), start)
        start = day_slot.start(1) if day_slot else start
        if LABELLED_DATE.search(text, max(0, start - 12), start):
            continue
        value = MonthYear(start, month_year.end(), facts.months()[month_year.group("m")], int(month_year.group("y")))
        return Zone(name, start, start, month_year.end(), value)
    return None


class _Bodies:
    """The text's body openers, found once per text and only when a template asks."""

    def __init__(self, text: str):
        self.text = text
        self.starts: list[int] | None = None

    def next(self, pos: int) -> int | None:
        if self.starts is None:
            self.starts = body_starts(self.text)
        k = bisect.bisect_left(self.starts, pos)
        return self.starts[k] if k < len(self.starts) else None


def _align_template(text: str, template: dict[str, Any], bodies: _Bodies) -> Alignment:
    zones: dict[str, Zone] = {}
    order: list[Zone] = []
    score = 0.0
    pos = 0
    body_at: int | None = None
    for spec in template["zones"]:
        name = spec["zone"]
        if spec.get("opens_body"):
            at = bodies.next(pos)
            if at is not None:
                body_at = at
                zone = Zone(name, at, at, len(text))
                zones[name] = zone
                order.append(zone)
                pos = at
            continue
        if spec.get("after"):
            anchor = zones.get(spec["after"])
            if anchor is None:
                continue
            chrome = chrome_starts(text, anchor.end, min(len(text), anchor.end + SIGNATURE_CHARS))
            end = min(len(text), chrome[0] if chrome else len(text), anchor.end + SIGNATURE_CHARS)
            if text[anchor.end:end].strip():
                zone = Zone(name, anchor.end, anchor.end, end)
                zones[name] = zone
                order.append(zone)
            continue
        limit = len(text)
        if spec.get("at_start"):
            limit = min(limit, AT_START_CHARS)
        elif spec.get("within"):
            limit = min(limit, pos + spec["within"])
        if spec.get("before_body"):
            b = bodies.next(pos)
            if b is not None:
                limit = min(limit, b)
        if spec.get("finds") and spec.get("needs", name) in zones.keys() | {name}:
            # looked for only where the head has no line break: under typed lines it stands alone already
            bound = _until(text, template, spec, pos, limit)
            found = None if "\n" in text[pos:bound] else _found_content(name, spec["finds"], text, pos, bound)
            if found is not None:
                zones[name] = found
                order.append(found)
                score += float(spec.get("weight", 1))
                pos = found.end
            continue
        found = None
        matches = list(_cues(_zone_cue_re(template["form"], name), text, pos,
                             limit if spec.get("pick") != "last" else len(text)))
        if matches and spec.get("until"):
            bound = _until(text, template, spec, pos, limit)
            matches = [m for m in matches if m.start() < bound]
        if spec.get("at_start"):
            # a heading opens a line where the text has line breaks; in a flattened text it opens
            # a word (`…ข่าวทำเนียบ-ประกาศ…`, glued to a headline, never does)
            common = tuple(spec.get("issuer_after", []))
            matches = [m for m in matches
                       if not (common and m.group().startswith(common) and not _names_its_issuer(text, m.end()))]
            opening = [m for m in matches if not m.start() or text[m.start() - 1] == "\n"]
            # mid-line only where the text above has no line break at all: a typed or scanned
            # letter that mentions `ประกาศ…` in its enclosure list is not an announcement
            # and no reference before it: a letter's enclosure line naming `ประกาศ…` is no heading
            # and, mid-line, a heading glued to the next word is glued to its issuer (`ประกาศกระทรวง…`),
            # not the start of another word (`… ข่าวสารของราชการ`, `ระเบียบวาระการประชุม`)
            flat = [m for m in matches[:1] if "\n" not in text[:m.start()] and not REF_RE.search(text, 0, m.start())
                    and (not text[:m.start()].strip() or not _glued(text, m.end()) or _names_its_issuer(text, m.end()))]
            matches = opening or flat
        for m in matches:
            ok, value, end = _holds(spec.get("holds"), text, m.end())
            if not ok:
                continue
            found = Zone(name, m.start(), m.end(), end, value)
            if spec.get("pick") != "last":
                break
        if found is None:
            if spec.get("at_start"):
                return Alignment(template["form"], 0.0)  # no heading, not this form
            continue
        zones[name] = found
        order.append(found)
        score += float(spec.get("weight", 1))
        pos = found.end if found.value is not None else found.start
    # each zone runs to the next one found after it
    order.sort(key=lambda z: z.cue_start)
    for zone, following in zip(order, order[1:]):
        if zone.value is None or isinstance(zone.value, str):
            zone.end = max(zone.start, following.cue_start)
    if order and order[-1].value is None and order[-1].name != "signature":
        order[-1].end = len(text)
    heading = zones.get("heading")
    if heading is not None:
        # a title ends at a line that opens with the heading again (a news page repeats it)
        again = _zone_cue_re(template["form"], "heading")
        for name in ("subject", "title"):
            zone = zones.get(name)
            if zone is None:
                continue
            for line in _LINE_START.finditer(text, zone.start, zone.end):
                if again.match(text, line.end()):
                    zone.end = line.start()
                    break
            # and, flattened, where the whole heading comes round again mid-line
            whole = text[heading.cue_start:heading.end].strip()
            if len(whole) >= 8:
                repeat = text.find(whole, zone.start, zone.end)
                if repeat > zone.start and text[repeat - 1].isspace():
                    zone.end = repeat
    if body_at is not None and "heading" in zones:
        for name in ("heading", "number", "title", "subject"):
            if name in zones:
                zones[name].end = min(zones[name].end, body_at) if zones[name].value is None else zones[name].end
    return Alignment(template["form"], score, zones)


_LINE_START = re.compile(r"\n[ \t]*")


@lru_cache(maxsize=None)
def _headings_re() -> re.Pattern:
    return _cue_re(tuple(w for t in _data()["forms"] for spec in t["zones"] if spec.get("at_start")
                         for w in _spec_cues(spec)))


_LEADING_SPECKS = re.compile(r"\s*(?:\S{1,3}\s+){0,3}")  # a scan's specks above a heading (`ฒ9 ง 9/ บันทึกข้อความ`)


def opens_with_heading(text: str) -> bool:
    """Whether `text` starts with a form's heading word (`ประกาศ…`, `คำสั่ง…`, `บันทึกข้อความ`),
    after a few specks at most."""
    lead = _LEADING_SPECKS.match(text)
    return any(_headings_re().match(text, at) for at in {0, len(text) - len(text.lstrip()), lead.end()})


LETTER_WINDOW = 1500  # a letter's head (reference to salutation, heading to subject) fits in this many characters


@lru_cache(maxsize=None)
def _ends_re() -> re.Pattern:
    """What ends a letter: its closing words or its `… ณ วันที่` date."""
    return _cue_re(tuple(w for t in _data()["forms"] for spec in t["zones"] if spec["zone"] in ("closing", "dated")
                         for w in _spec_cues(spec)))


@lru_cache(maxsize=None)
def _first_zones() -> tuple[tuple[dict[str, Any], dict[str, Any]], ...]:
    """Each form's template and the zone that opens it (its heading or reference; the marks
    above them open nothing on their own)."""
    return tuple((t, next(spec for spec in t["zones"] if spec["zone"] != "marks")) for t in _data()["forms"])


def _opens_letter(text: str, at: int) -> bool:
    """Whether the form whose first cue stands at `at` aligns there as a letter's head: a
    heading with its issuer and a zone after it (`คำสั่งจังหวัด… ที่ …/…`, `บันทึกข้อความ ส่วนราชการ
    …`), or a reference (`ที่ มท …`, not a citation's `… ลงวันที่`) with its subject and addressee."""
    window = text[at:at + LETTER_WINDOW]
    for template, first in _first_zones():
        cue = _zone_cue_re(template["form"], first["zone"]).match(window)
        if cue is None or not _holds(first.get("holds"), window, cue.end())[0]:
            continue
        if first.get("at_start") and _glued(window, cue.end()) and not _names_its_issuer(window, cue.end()):
            continue
        if not first.get("at_start") and re.match(r"[^\n]{0,40}?ลง\s?วันที่", window[cue.end():]):
            continue  # a citation: `ที่ มท ๐๓๐๕/ว ๑๒ ลงวันที่ …`
        aligned = _align_template(window, template, _Bodies(window))
        opened = aligned.zones.get(first["zone"])
        if opened is None or opened.cue_start != 0:
            continue
        if first.get("at_start") and aligned.score > float(first.get("weight", 1)) + 1:
            return True
        if not first.get("at_start") and {"subject", "salutation"} <= aligned.zones.keys():
            return True
    return False


@lru_cache(maxsize=None)
def _marks_before_re() -> re.Pattern:
    return re.compile(rf"(?:{facts.alternation(facts.words('urgency') + facts.words('secrecy'))})\s*$")


def letter_starts(text: str) -> list[int]:
    """Where a second, third … letter starts inside a flattened text (a covering letter and the
    letter it forwards, a memo on a memo, run into one line): a form's first cue that aligns as a
    letter's head (`_opens_letter`), after the letter before it has ended (its closing words or
    its `… ณ วันที่` date stand between), with the marks just before it (`ด่วนที่สุด ที่ มท …`).
    A body that quotes `ประกาศ… เรื่อง …` or cites `ที่ มท …` before its own closing opens nothing."""
    ends = [m.start() for m in _cues(_ends_re(), text, 0, len(text))]
    if not ends:
        return []
    candidates = sorted({m.start() for template, first in _first_zones()
                         for m in _cues(_zone_cue_re(template["form"], first["zone"]), text, ends[0], len(text))})
    starts: list[int] = []
    for at in candidates:
        since = starts[-1] if starts else 0
        k = bisect.bisect_right(ends, since)
        if k < len(ends) and ends[k] < at and _opens_letter(text, at):
            marks = _marks_before_re().search(text, max(since, at - 24), at)
            starts.append(marks.start() if marks else at)
    return starts


def align(text: str) -> Alignment:
    """The best-scoring form for `text`; `form` None when no template found anything."""
    best = Alignment(None, 0.0)
    bodies = _Bodies(text)
    for template in _data()["forms"]:
        candidate = _align_template(text, template, bodies)
        if candidate.score > best.score:
            best = candidate
    return best


@lru_cache(maxsize=None)
def _titled_name_re() -> re.Pattern:
    titles = facts.alternation(facts.words("name_titles"))
    return re.compile(rf"\(\s*(?:{titles})\s?[^()\[\]\d\n]{{2,78}}[)\]]")


def _signers_name_after_body(text: str, alignment: Alignment) -> re.Match | None:
    """The signer's name when no signature zone was found (a memo has no closing words; OCR
    read an order's `สั่ง ณ วันที่` as `สัง ณ Tun Dev`): the regulation prints it in brackets under
    the signature, so the last bracketed name that opens with a title (`(นายอำพล อังคภากรณ์กุล)`,
    not `(Data Governance)`), when it stands after the body's start (a name in the head,
    `เรียน รองเลขาธิการฯ กพฐ. (นายสุเทพ ชิตยวงษ์)`, is the addressee's)."""
    names = list(_titled_name_re().finditer(text))
    if not names:
        return None
    head = max((z.cue_start for z in alignment.zones.values()), default=0)
    return names[-1] if body_starts(text, head, names[-1].start()) else None


@lru_cache(maxsize=None)
def _zones_marked(form: str | None, flag: str) -> frozenset[str]:
    """The zones of `form` whose template sets `flag` (`alone`, `ends_at_body`)."""
    return frozenset(spec["zone"] for t in _data()["forms"] if t["form"] == form
                     for spec in t["zones"] if spec.get(flag))


def with_breaks(text: str, alignment: Alignment) -> str:
    """`text` with a line break where each zone starts, after a dated zone's date and after a
    cue that stands alone (`alone`), and around the signer's bracketed name, each replacing one
    space, so the length and every offset are unchanged."""
    cut = set()
    alone = _zones_marked(alignment.form, "alone")
    for zone in alignment.zones.values():
        cut.add(zone.cue_start)
        if zone.name in ("dated", "number"):
            cut.add(zone.end)
        if zone.name in alone:
            cut.add(zone.start)  # the signature below the closing words; the reference below the marks
        if zone.name == "signature":
            # a bracketed name stands on a line of its own: `(นายพิชิต ชื่นบาน)`
            name = _BRACKETED_NAME.search(text, zone.start, zone.end)
            if name:
                cut.update((name.start(), name.end()))
    if "signature" not in alignment.zones and (name := _signers_name_after_body(text, alignment)):
        cut.update((name.start(), name.end()))
    ends = _zones_marked(alignment.form, "ends_at_body")
    for zone in alignment.zones.values():
        if zone.name in ends:
            line_end = text.find("\n", zone.start)
            line_end = len(text) if line_end < 0 else line_end
            body = body_starts(text, zone.start, line_end)
            if body and text[zone.start:body[0]].strip():
                cut.add(body[0])
    cut.update(chrome_starts(text))
    swaps = []
    for at in sorted(cut):
        # the space (run) right before `at`, not a line break already there
        j = at
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        if j < at and j > 0 and text[j - 1] != "\n":
            swaps.append(j)
        elif j == at and 0 < at < len(text) and text[at] in " \t" and text[at - 1] != "\n":
            swaps.append(at)
    if not swaps:
        return text
    parts, last = [], 0
    for j in sorted(set(swaps)):  # two cuts can share one space
        parts += [text[last:j], "\n"]
        last = j + 1
    return "".join(parts) + text[last:]

