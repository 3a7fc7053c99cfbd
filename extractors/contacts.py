"""Contacts: telephone, mobile and fax numbers, e-mail, web and LINE, and the person to contact.

Thai numbers are printed every way (`๐ ๔๒๗๑ ๑๔๖๑`, `๐-๒๒๘๓-๑๒๖๑-๒`,
`๐๒ ๒๒๕ ๔๘๘๖`, `๐๘๙-๕๑๕๗๖๑๑`), so a number is read only after a cue word
(`โทร.`, `โทรศัพท์`, `โทรสาร`, `มือถือ`): bare digit runs in a letter are
dates, postcodes and stamp numbers far more often than telephones. A
trailing `-๒` is a range (lines 1261 and 1262; a wide range is a trunk group, named by
its first number); `ต่อ ๒๓๑๒` an extension.
A number written for callers abroad (`+66 (0) 2391-0144`, an English
letterhead's) needs no cue: the country code is one. It is kept in the
domestic form (`023910144`), and so are the numbers listed after it with
commas (`Tel: +66 (0) 2391-0144, 2391-0256, 2391-0554`).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.thai import facts
from extractors.context import LetterContext
from pipeline.thai.chars import one_edit_apart
from pipeline.thai.normalise import clean_raw

NUMBER_RE = re.compile(
    # landlines are 9 digits (0 + area 2-7), mobiles 10 (06, 08, 09)
    # OCR adds stray separators (`๐๖- ๓๙๐,๔-๐๙๓๒`): up to two between digits
    # a PDF text layer spaces the hyphens (`0 - 4411 - 0144`, `073 - 411105`): up to three
    r"(?<!\d)(?P<num>0[\s-]{0,3}(?:[2-57](?:[\s,.-]{0,3}\d){7}|[689](?:[\s,.-]{0,3}\d){8}))(?![\d])"
    r"(?P<range>\s?[-–]\s?\d{1,2}(?![\d]))?"
    # extensions listed after ต่อ (`ต่อ ๒๓๑๒, ๒๓๑๓`), not the next number (`ต่อ ๕๑๑๐๑, ๐ ๒๒๘๑ ๗๙๗๙`)
    r"(?:\s*(?:ต่อ|ext\.?|Ext\.?)\s*(?P<ext>\d{1,5}(?:\s*[,-]\s*\d{1,5}(?![\d\s]*\d{3}))*))?"
)
# Thailand's four-digit short numbers (call centres and hotlines: 1111, 1129, 1669) all start
# with 1; 18xx and 19xx are left out, a Common-Era year being likelier there. Taken only after
# a telephone cue, standing alone (no digit, dot, slash, colon or dash against it, and no digit
# a space away: `๐ ๔๒๗๑ ๑๔๖๑` is one number, its last group no hotline).
SHORT_NUMBER_RE = re.compile(r"(?<![\d.,/:\-])(?<!\d\s)(?P<num>1[0-7]\d{2})(?![\d.,/:\-]|\s\d)")
# A range of at most this many lines is listed line by line (`๐-๒๒๘๓-๑๒๖๑-๒`: 1261 and 1262);
# a wider one is a switchboard's trunk group, named by its first number (`๐ ๒๒๘๒ ๖๕๖๐-๗๙`:
# twenty lines). The dev set's gold labels both so (r09, r38).
MAX_LISTED_RANGE = 5
# the national number after the country code: a landline's 8 digits (area 2-7), a mobile's 9 (6, 8, 9)
NATIONAL = r"[2-57](?:[\s.-]{0,3}\d){7}|[689](?:[\s.-]{0,3}\d){8}"
# the trunk prefix `(0)` between the country code and the number, as a scan may read it: `CO)`, `(O)`
TRUNK_PREFIX = r"[(C]?\s?[0O]\s?\)"
# a further number of the same list, after a comma: `…, 2391-0256`
LISTED_AFTER_RE = re.compile(rf"\s*,\s*(?P<national>{NATIONAL})(?![\d])")
# the local part starts a run and is at most 64 long: unanchored, every digit of a
# long number started a scan to its end (quadratic; found by fuzzing)
EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# The Royal Gazette's text layer spaces an address's punctuation and splits its words
# (`Saraban_ 04940701 @dla . go . th`, `Schoolpaknam 2 @gmail . com`): read only where the
# domain or the `@` is spaced so, the local part from its first word with a letter.
SPACED_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<local>[A-Za-z0-9._%+-]*[A-Za-z][A-Za-z0-9._%+-]*(?: [A-Za-z0-9._%+-]{1,30}){0,3}?)"
    r"(?:\s?@\s?)(?P<domain>[A-Za-z0-9-]+(?:(?: \. |\.)[A-Za-z0-9-]+)*(?: \. |\.)[A-Za-z]{2,})(?![A-Za-z0-9])")
_SPACED_AT = re.compile(r"\s@|@\S+ \. ")
URL_RE = re.compile(r"(?:https?://|www\.)[A-Za-z0-9./?=&_%#:~+-]+[A-Za-z0-9/]")
LINE_RE = re.compile(r"(?:LINE|Line|line|ไลน์)\s*(?:ID|id|Official)?\s*[:：]?\s*(?P<id>@[A-Za-z0-9._-]+)")
CUE_WINDOW = 40


@lru_cache(maxsize=None)
def _cue_re() -> re.Pattern:
    cues = facts.vocabulary()["phone_cues"]
    parts = [f"(?P<{kind}>{facts.alternation(words)})" for kind, words in cues.items()]
    return re.compile("|".join(parts))


@lru_cache(maxsize=None)
def _international_re() -> re.Pattern:
    code = re.escape(facts.vocabulary()["international_phone"]["country_code"])
    return re.compile(rf"\+\s?{code}[\s-]?(?:{TRUNK_PREFIX}[\s-]?)?(?P<national>{NATIONAL})(?![\d])")


@lru_cache(maxsize=None)
def _person_re() -> re.Pattern:
    titles = facts.alternation(facts.words("name_titles"))
    return re.compile(rf"(?:{titles})\s?[ก-๙]{{2,}}\s+[ก-๙]{{2,}}")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _kind_for(ctx: LetterContext, pos: int, number: str) -> str | None:
    """The cue right before a number decides its kind; no cue, no number."""
    window = ctx.parse[max(0, pos - CUE_WINDOW):pos]
    cues = list(_cue_re().finditer(window))
    if not cues:
        return None
    last = cues[-1]
    # `โทร./โทรสาร` names one number for both: a phone that is also the fax
    kinds = {k for c in cues[-2:] for k, v in c.groupdict().items() if v and window.rfind("\n", c.end()) < 0}
    if last.group("fax") and not ("phone" in kinds and "/" in window[last.start() - 2:last.start()]):
        return "fax"
    if last.group("mobile") or (len(number) == 10 and number[1] in "689"):
        return "mobile"
    return "phone"


def _person_near(ctx: LetterContext, pos: int, end: int | None = None) -> str | None:
    """A named person just before a number, in a sentence that makes them the contact,
    or in brackets right after it on the same line (`๐๙๑-๘๗๖-๕๔๓๒ (นางสาวอรทัย ใจงาม)`)."""
    if end is not None:
        line_end = ctx.parse.find("\n", end)
        after = ctx.parse[end:line_end if line_end >= 0 else len(ctx.parse)][:60]
        m = re.match(rf"\s*\(\s*({_person_re().pattern})\s*\)", after)
        if m:
            return clean_raw(ctx.display[end + m.start(1):end + m.end(1)])
    lo = max(0, pos - 200)
    line_start = ctx.parse.rfind("\n", 0, pos) + 1
    lo = max(lo, line_start)
    window = ctx.parse[lo:pos]
    coordinator = facts.words("coordinator_cues") + ["มอบหมายให้"]
    if not any(c in window or c in ctx.parse[pos:pos + 60] for c in coordinator):
        return None
    people = list(_person_re().finditer(window))
    return clean_raw(ctx.display[lo + people[-1].start():lo + people[-1].end()]) if people else None


MISREAD_MIN_PRINTED = 3  # how often the right spelling must be printed to outvote a one-letter variant


def misread_addresses(values: list[str]) -> set[str]:
    """Addresses printed once that differ by one character from one the letter prints at least
    MISREAD_MIN_PRINTED times: OCR misread that address (r43's enclosures print
    `schoolnetwork@seameo.org` seven times and `schoolnetwork@seamec.org` once). Two addresses printed
    once or twice each (`piyapa@…`, `piyada@…`) may be two people, and both are kept."""
    counts = Counter(values)
    often = [v for v, n in counts.items() if n >= MISREAD_MIN_PRINTED]
    return {v for v, n in counts.items() if n == 1 and any(
        len(v) == len(o) and sum(a != b for a, b in zip(v, o)) == 1 for o in often)}


def webmail_domain(address: str) -> str:
    """An OCR'd address whose domain is one letter from a webmail domain Thai offices use
    (vocabulary.json webmail_domains) with that domain: `…@email.com` -> `…@gmail.com` (r37)."""
    local, _, domain = address.rpartition("@")
    known = facts.vocabulary()["webmail_domains"]["words"]
    if domain in known:
        return address
    near = [d for d in known if one_edit_apart(domain, d)]
    return f"{local}@{near[0]}" if len(near) == 1 else address


def extract_contacts(ctx: LetterContext) -> None:
    seen: set[tuple[str, str]] = set()
    numbers_seen: set[str] = set()

    def add(kind: str, value: str, start: int, end: int, extension: str | None = None, **extra) -> None:
        if (kind, value) in seen:
            return
        seen.add((kind, value))
        ctx.contacts.append({"kind": kind, "value": value, "extension": extension,
                             "raw": clean_raw(ctx.raw(start, end)),
                             "person": _person_near(ctx, start, end), **extra})
        ctx.add_span(f"contact_{kind}", start, end, value)

    for m in NUMBER_RE.finditer(ctx.parse):
        number = _digits(m.group("num"))
        if len(number) not in (9, 10):
            continue
        kind = _kind_for(ctx, m.start(), number)
        if kind is None or number in numbers_seen:
            continue
        numbers_seen.add(number)
        # several extensions stay apart (`ต่อ ๒๓๑๒, ๒๓๑๓` -> `2312,2313`), not run together
        ext = ",".join(re.findall(r"\d+", m.group("ext"))) if m.group("ext") else None
        shared = kind == "phone" and bool(re.search(r"โทร\.?\s?/\s?โทรสาร", ctx.parse[max(0, m.start() - CUE_WINDOW):m.start()]))
        add(kind, number, m.start(), m.end(), ext, also_fax=shared)
        if m.group("range"):
            tail = _digits(m.group("range"))
            second = number[: len(number) - len(tail)] + tail
            lines = int(tail) - int(number[-len(tail):]) + 1
            if second not in numbers_seen and 1 < lines <= MAX_LISTED_RANGE:
                numbers_seen.add(second)
                add(kind, second, m.start(), m.end(), None, also_fax=shared)
    for m in SHORT_NUMBER_RE.finditer(ctx.parse):
        # a four-digit hotline (`โทร … 1129 PEA Contact Center`), after a telephone cue only
        line_start = ctx.parse.rfind("\n", 0, m.start()) + 1  # its cue on its own line
        cues = list(_cue_re().finditer(ctx.parse, max(line_start, m.start() - CUE_WINDOW), m.start()))
        if cues and cues[-1].lastgroup == "phone" and m.group("num") not in numbers_seen:
            numbers_seen.add(m.group("num"))
            add("phone", m.group("num"), m.start(), m.end())
    for m in _international_re().finditer(ctx.parse):
        kind = _kind_for(ctx, m.start(), "0" + _digits(m.group("national"))) or "phone"
        listed, end = [m], m.end()
        while more := LISTED_AFTER_RE.match(ctx.parse, end):
            listed.append(more)
            end = more.end()
        for number in listed:
            value = "0" + _digits(number.group("national"))
            if value not in numbers_seen:
                numbers_seen.add(value)
                add(kind, value, number.start("national"), number.end())
    printed = [(m, m.group(0).lower().rstrip(".")) for m in EMAIL_RE.finditer(ctx.parse)]
    misread = misread_addresses([value for _, value in printed])
    for m, value in printed:
        if value not in misread:
            add("email", webmail_domain(value) if ctx.ocr else value, m.start(), m.end())
    spaced = "@" in ctx.parse and _SPACED_AT.search(ctx.parse)
    for m in SPACED_EMAIL_RE.finditer(ctx.parse) if spaced else ():
        around_at = ctx.parse[m.end("local"):m.start("domain")]
        if " " in m.group("domain") or " " in around_at:
            value = re.sub(r"\s", "", m.group(0)).lower()
            if not any(value.endswith(v) or v.endswith(value) for k, v in seen if k == "email"):
                add("email", value, m.start(), m.end())
    for m in URL_RE.finditer(ctx.parse):
        if "@" not in ctx.parse[max(0, m.start() - 1):m.start()]:
            add("url", m.group(0).lower(), m.start(), m.end())
    for m in LINE_RE.finditer(ctx.parse):
        add("line", m.group("id"), m.start(), m.end())
