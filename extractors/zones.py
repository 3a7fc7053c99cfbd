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

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from extractors import facts
from extractors.keywords import loose, tolerant
from extractors.reference import REF_RE
from extractors.thaidate import find_dates

# A cue starts a word: the text start, a line break or a space before it.
_WORD_START = r"(?:(?<=\s)|(?<=^)|(?<=[\"“(]))"
NUMBERED_RE = re.compile(r"\s*(?P<n>\d(?:\s?\d){0,5})\s*/\s*(?P<y>\d(?:\s?\d){3})(?![\d/])")
AT_START_CHARS = 700  # a heading stands in the first lines: a news page puts its headline and date above
DATE_AFTER_CUE = 60  # `ประกาศ ณ วันที่` is followed by its date at once
SIGNATURE_CHARS = 400
_BRACKETED_NAME = re.compile(r"\(\s*[^()\d\n]{3,80}?\s*\)")
_REF_AFTER_CUE = re.compile(rf"\s*(?:{REF_RE.pattern})")


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

    def text(self, text: str, name: str) -> str | None:
        zone = self.zones.get(name)
        return text[zone.start:zone.end] if zone else None


def _data() -> dict[str, Any]:
    return facts.forms()


def _cue_pattern(words: list[str]) -> str:
    """Longest first; words of four or more letters may be broken by a stray space (`ค ำสั่ง`),
    and sara aa and sara am stand for each other (a Gazette text layer writes `อําศัย` for
    `อาศัย` and `บาเหน็จ` for `บำเหน็จ`)."""
    parts = [loose(w) if len(w.replace(" ", "")) >= 4 else tolerant(w)
             for w in sorted(set(words), key=len, reverse=True)]
    return "|".join(_AA_AM.sub("[าำ]", p) for p in parts)


_AA_AM = re.compile("[าำ]")


@lru_cache(maxsize=None)
def _cue_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"{_WORD_START}(?:{_cue_pattern(list(words))})")


@lru_cache(maxsize=None)
def body_re() -> re.Pattern:
    openers = _data()["body_openers"]
    rules = "|".join(openers["rules"])
    return re.compile(rf"{_WORD_START}(?:{_cue_pattern(openers['words'])})|{rules}")


@lru_cache(maxsize=None)
def chrome_re() -> re.Pattern:
    """The start of page chrome: a Gazette footer, a news site's source line."""
    chrome = _data()["page_chrome"]
    gazette = facts.alternation(chrome["gazette_words"])
    # `้ หนา ๒๗ ่ เลม ๑๔๐ ตอนพิเศษ ๔๐ ง ราชกิจจานุเบกษา`: the footer with its tones split off
    footer = (r"(?:[\u0e48-\u0e4b]\s*)?หน\u0e49?า\s*\d+\s*(?:[\u0e48-\u0e4b]\s*)?เล\u0e48?ม\s*\d+\s*"
              rf"ตอน\S*\s*\d*\s*[ก-ฮ]?\s*(?:{gazette})")
    source = rf"{_WORD_START}(?:{facts.alternation(chrome['source_words'])})(?=\s|$)"
    return re.compile(rf"{footer}|{source}")


def _holds(kind: str | None, text: str, pos: int) -> tuple[bool, Any, int]:
    """Does what follows the cue at `pos` fit the zone? (ok, value, end of the value)"""
    if kind is None:
        return True, None, pos
    if kind == "numbered":
        m = NUMBERED_RE.match(text, pos)
        if not m:
            return False, None, pos
        return True, (re.sub(r"\s", "", m.group("n")), re.sub(r"\s", "", m.group("y"))), m.end()
    if kind == "reference":
        m = _REF_AFTER_CUE.match(text, pos)
        return (bool(m), m.group(0).strip() if m else None, m.end() if m else pos)
    if kind == "date":
        dates = [d for d in find_dates(text, pos, min(len(text), pos + DATE_AFTER_CUE)) if d.date]
        if not dates or text[pos:dates[0].start].strip(" :") not in ("",):
            return False, None, pos
        return True, dates[0], dates[0].end
    raise ValueError(f"unknown zone content {kind!r}")


def _align_template(text: str, template: dict[str, Any]) -> Alignment:
    zones: dict[str, Zone] = {}
    order: list[Zone] = []
    score = 0.0
    pos = 0
    body_at: int | None = None
    for spec in template["zones"]:
        name = spec["zone"]
        if spec.get("opens_body"):
            m = body_re().search(text, pos)
            if m:
                body_at = m.start()
                zone = Zone(name, m.start(), m.start(), len(text))
                zones[name] = zone
                order.append(zone)
                pos = m.start()
            continue
        if spec.get("after"):
            anchor = zones.get(spec["after"])
            if anchor is None:
                continue
            chrome = chrome_re().search(text, anchor.end)
            end = min(len(text), chrome.start() if chrome else len(text), anchor.end + SIGNATURE_CHARS)
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
            b = body_re().search(text, pos)
            if b:
                limit = min(limit, b.start())
        found = None
        matches = list(_cue_re(tuple(spec["cues"])).finditer(text, pos, limit if spec.get("pick") != "last" else len(text)))
        if spec.get("at_start"):
            # a heading opens a line where the text has line breaks; in a flattened text it opens
            # a word (`…ข่าวทำเนียบ-ประกาศ…`, glued to a headline, never does)
            opening = [m for m in matches if not m.start() or text[m.start() - 1] == "\n"]
            # mid-line only where the text above has no line break at all: a typed or scanned
            # letter that mentions `ประกาศ…` in its enclosure list is not an announcement
            flat = [m for m in matches[:1] if "\n" not in text[:m.start()]]
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
        again = _cue_re(tuple(next(z for z in template["zones"] if z["zone"] == "heading")["cues"]))
        for name in ("subject", "title"):
            zone = zones.get(name)
            if zone is None:
                continue
            for line in re.finditer(r"\n[ \t]*", text[:zone.end]):
                if line.end() > zone.start and again.match(text, line.end()):
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


def align(text: str) -> Alignment:
    """The best-scoring form for `text`; `form` None when no template found anything."""
    best = Alignment(None, 0.0)
    for template in _data()["forms"]:
        candidate = _align_template(text, template)
        if candidate.score > best.score:
            best = candidate
    return best


def with_breaks(text: str, alignment: Alignment) -> str:
    """`text` with a line break where each zone starts and after a dated zone's date,
    each replacing one space, so the length and every offset are unchanged."""
    cut = set()
    for zone in alignment.zones.values():
        cut.add(zone.cue_start)
        if zone.name in ("dated", "number"):
            cut.add(zone.end)
        if zone.name == "closing":
            cut.add(zone.start)  # the signature below the closing words
        if zone.name == "signature":
            # a bracketed name stands on a line of its own: `(นายพิชิต ชื่นบาน)`
            name = _BRACKETED_NAME.search(text, zone.start, zone.end)
            if name:
                cut.update((name.start(), name.end()))
    ends = {spec["zone"] for t in _data()["forms"] if t["form"] == alignment.form
            for spec in t["zones"] if spec.get("ends_at_body")}
    for zone in alignment.zones.values():
        if zone.name in ends:
            line_end = text.find("\n", zone.start)
            line_end = len(text) if line_end < 0 else line_end
            body = body_re().search(text, zone.start, line_end)
            if body and text[zone.start:body.start()].strip():
                cut.add(body.start())
    for m in chrome_re().finditer(text):
        cut.add(m.start())
    chars = list(text)
    for at in sorted(cut):
        # the space (run) right before `at`, not a line break already there
        j = at
        while j > 0 and chars[j - 1] in " \t":
            j -= 1
        if j < at and j > 0 and chars[j - 1] != "\n":
            chars[j] = "\n"
        elif j == at and 0 < at < len(chars) and chars[at] in " \t" and chars[at - 1] != "\n":
            chars[at] = "\n"
    return "".join(chars)
