"""The letter's head: reference, marks, form, date, issuer, subject, addressees, distribution list.

Each function reads one zone that `Layout` found and writes its fields into
the context, with the span it read them from.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.thai import facts
from extractors.context import LetterContext
from extractors.keywords import patterns as keyword_patterns
from extractors.reference import parse_reference
from extractors.thaidate import date_regex, find_dates
from extractors.zones import LABELLED_DATE, MonthYear, month_year_re
from pipeline.thai.normalise import clean_raw, clean_value
from pipeline.thai.chars import MARK, MARKS, THAI

HEADER_LINES = 40  # a head longer than this is a body
LETTERHEAD_ABOVE = 4  # lines above the reference where a scan's letterhead block can land


def extract_reference(ctx: LetterContext) -> None:
    lay = ctx.layout
    fields = dict(ref=None, ref_raw=None, agency_code=None, agency_name=None,
                  office_code=None, ref_number=None, is_circular=None, ref_partial=None)
    if lay.ref is not None:
        line = lay.lines[lay.ref]
        ref = parse_reference(ctx.parse, line.start, line.end)
        if ref:
            fields.update(ref=ref.ref, ref_raw=clean_raw(ctx.raw(ref.start, ref.end)),
                          agency_code=ref.agency_code, agency_name=ref.agency_name,
                          office_code=ref.office_code, ref_number=ref.number,
                          is_circular=ref.is_circular)
            ctx.add_span("ref", ref.start, ref.end, ref.ref)
            if ref.agency_name is None:
                ctx.warnings.append(f"unknown agency letters {ref.agency_code!r} in reference")
        elif m := keyword_patterns()["ref_line_unread"].match(line.text):
            # the number is there but OCR lost the agency letters: keep what is known, say what is not
            number = m.group("num").lstrip("0") or "0"
            fields.update(office_code=re.sub(r"\s", "", m.group("office")), ref_number=number,
                          is_circular=bool(m.group("circ")),
                          ref_raw=clean_raw(ctx.raw(line.start + m.start("agency"), line.start + m.end())))
            ctx.warnings.append(f"reference agency letters unreadable ({m.group('agency')!r}): ref left empty")
        elif m := keyword_patterns()["ref_line_partial"].match(line.text):
            # printed agency letters and office code, the running number written by hand and
            # unreadable: a partial reference is no reference, so `ref` stays null
            office = re.sub(r"\s", "", re.sub(r"[.,]", ".", m.group("office")))
            partial = f"{m.group('agency')} {office}/{'ว' if m.group('circ') else ''}"
            fields.update(agency_code=m.group("agency"), agency_name=facts.agency_name(m.group("agency")),
                          office_code=office, is_circular=bool(m.group("circ")),
                          ref_raw=clean_raw(ctx.raw(line.start, line.end)))
            fields["ref_partial"] = partial
            ctx.add_span("ref_partial", line.start + m.start("agency"), line.start + m.end(), partial)
            ctx.warnings.append(f"reference number missing or unreadable after {partial!r}: ref left empty")
    elif (number := _zone(ctx, "number")) is not None and number.value:
        # orders and announcements are numbered per year (`ที่ ๑๒๓๔/๒๕๖๗`, `ที่ 47 / 25 54`),
        # read from the number zone the form's alignment found under the heading
        n, year = number.value
        n = n.lstrip("0") or "0"
        fields.update(ref=f"{n}/{year}", ref_raw=clean_raw(ctx.raw(number.start, number.end)),
                      ref_number=n, is_circular=False)
        ctx.add_span("ref", number.start, number.end, fields["ref"])
    else:
        # orders and announcements are numbered per year: `ที่ ๑๒๓๔/๒๕๖๗`
        year_of_date = _dated_year_be(ctx)
        for line in lay.lines[:6]:
            m = NUMBERED_RE.match(line.text) or _slash_lost(line.text, year_of_date)
            if m:
                number, year = m.group("n").lstrip("0") or "0", year_of_date if m.re is SLASH_LOST_RE else m.group("y")
                fields.update(ref=f"{number}/{year}", ref_raw=clean_raw(ctx.raw(line.start + m.start("n"), line.start + m.end())),
                              ref_number=number, is_circular=False)
                ctx.add_span("ref", line.start + m.start("n"), line.start + m.end(), fields["ref"])
                break
    ctx.letter.update(fields)


# `ที่ ๑๒๐๑ ๗๕๖๗` for `ที่ ๑๒๐๑ /๒๕๖๗`: OCR read the slash and the year's first digit as one digit
SLASH_LOST_RE = re.compile(r"^ที่\s*(?P<n>\d{1,6})\s+(?P<y>\d{4})\s*$")


def _slash_lost(line: str, year_be: str | None) -> re.Match | None:
    """An order's number line whose slash OCR merged into the year (r33: `ที่ ๑๒๐๑ ๗๕๖๗`), taken
    only when the last three digits are those of the year the order is dated in (its `สั่ง ณ
    วันที่` zone): an order is numbered in the year it is made."""
    m = SLASH_LOST_RE.match(line) if year_be else None
    return m if m and m.group("y")[1:] == year_be[1:] and m.group("y") != year_be else None


def _dated_year_be(ctx: LetterContext) -> str | None:
    """The Buddhist-era year of an order's or announcement's own date (its dated zone), or None."""
    dated = _zone(ctx, "dated")
    if dated is None or dated.value is None:
        return None
    year = dated.value.year_be if isinstance(dated.value, MonthYear) else (dated.value.year or 0) + 543
    return str(year) if year > 543 else None


NUMBERED_RE = re.compile(r"^ที่\s*(?P<n>\d{1,6})\s*/\s*(?P<y>\d{4})\s*$")
HEADED_FORMS = ("order", "announcement")


def _zone(ctx: LetterContext, name: str):
    """The zone `name` of the letter's aligned form, or None."""
    alignment = ctx.alignment
    return alignment.zones.get(name) if alignment is not None else None


def _headed(ctx: LetterContext) -> str | None:
    """`order` or `announcement` when the alignment found that form's heading at the letter's start."""
    alignment = ctx.alignment
    if alignment is not None and alignment.form in HEADED_FORMS and "heading" in alignment.zones:
        return alignment.form
    return None


@lru_cache(maxsize=None)
def _mark_res() -> dict[str, re.Pattern]:
    return {
        # a speck or a rule may lead it (`— ด่วนที่สุด`: a scan's line joined to the mark's)
        key: re.compile(rf"^(?:[^\w\s]{{1,3}}\s+)?(?P<mark>{facts.alternation(facts.words(key))})(?:\s|$)")
        for key in ("urgency", "secrecy")
    }


def extract_marks(ctx: LetterContext) -> None:
    """Urgency and secrecy: a mark standing alone at the head of the letter."""
    lay = ctx.layout
    limit = lay.subject if lay.subject is not None else min(len(lay.lines), 12)
    for key, pattern in _mark_res().items():
        ctx.letter[key] = None
        for line in lay.lines[:limit]:
            m = pattern.match(line.text)
            if m and (len(line.text) <= m.end("mark") + 2 or line.index in (lay.ref, lay.memo)):
                ctx.letter[key] = m.group("mark")
                ctx.add_span(key, line.start + m.start("mark"), line.start + m.end("mark"), m.group("mark"))
                break


def extract_form(ctx: LetterContext) -> None:
    lay = ctx.layout
    head = [l.text for l in lay.lines[:8] if l.text]
    order = tuple(facts.words("order_heading"))
    announce = tuple(facts.words("announcement_heading"))
    if lay.memo is not None:
        form = "internal"
    elif _headed(ctx):
        form = _headed(ctx)
    elif head and head[0].startswith(order) and lay.ref is None or ctx.form_hint == "heading" and _heading_word(ctx) in order:
        form = "order"
    elif head and head[0].startswith(announce) and lay.ref is None or ctx.form_hint == "heading" and _heading_word(ctx) in announce:
        form = "announcement"
    elif lay.ref is not None and lay.salutation is not None:
        salutation = lay.lines[lay.salutation].text
        if salutation.startswith("ถึง") and lay.closing is None:
            form = "stamped"
        else:
            form = "external"
    elif lay.ref is not None and lay.closing is not None:
        form = "external"
    elif ctx.alignment is not None and ctx.alignment.form:
        # no clean start (no reference line, a garbled head): the form whose cue words
        # the text holds in order, said in a warning
        form = ctx.alignment.form
        found = ", ".join(ctx.alignment.zones)
        ctx.warnings.append(f"no well-formed letter start: form {form} read from its zones ({found})")
    else:
        form = "other"
        ctx.warnings.append("no zone of any form found: form other, the text kept as a body")
    ctx.letter["form"] = form


def _heading_word(ctx: LetterContext) -> str | None:
    words = facts.words("order_heading") + facts.words("announcement_heading")
    for line in ctx.layout.lines[:6]:
        for w in sorted(words, key=len, reverse=True):
            if line.text.startswith(w):
                return w
    return None


def _date_only(text: str) -> bool:
    """A line that is a date and nothing else (the letter's own date line)."""
    m = date_regex().fullmatch(text.strip())
    return bool(m and m.group("y"))


def extract_date(ctx: LetterContext) -> None:
    """The letter's own date: the date line under the letterhead (external),
    `วันที่` of a memo, `ณ วันที่` of orders and announcements, the date under
    a stamped letter's issuer."""
    lay = ctx.layout
    form = ctx.letter.get("form")
    found = None
    ctx.letter["date_partial"] = None
    if form == "internal":
        # `ที่ … วันที่ …` share a line in the memo form
        for line in lay.lines[: (lay.subject or HEADER_LINES) + 1]:
            m = re.search(r"(?:^|\s)วันที่\s*", line.text)
            if m:
                found = _first_date(ctx, line.start + m.end(), line.end)
                if found:
                    break
    elif form in HEADED_FORMS:
        # `ประกาศ ณ วันที่ …`/`สั่ง ณ วันที่ …`: the last one, since a body may recall an older one
        dated = _zone(ctx, "dated")
        if dated is not None and isinstance(dated.value, MonthYear):
            _keep_partial_date(ctx, dated.value, "day of the date missing or unreadable")
        elif dated is not None:
            found = dated.value
        else:
            m = re.search(r"(?:ประกาศ|สั่ง)\s?ณ\s?วันที่\s*", ctx.parse)
            if m:
                found = _first_date(ctx, m.end(), min(len(ctx.parse), m.end() + 60))
    if found is None and form != "stamped":
        first = lay.ref if lay.ref is not None else 0
        bound = next((x for x in (lay.subject, lay.salutation) if x is not None), None)
        last = bound if bound is not None else min(len(lay.lines), first + HEADER_LINES)
        dated = [line for line in lay.lines[first:last] if line.text and _date_only(line.text)]
        # under a reference the first date line is the letter's; with no reference (a news page
        # prints its own date above the letter) the one nearest `เรื่อง`/`เรียน` is
        pick = dated[0] if dated and (lay.ref is not None or bound is None) else (dated[-1] if dated else None)
        if pick is not None:
            found = _first_date(ctx, pick.start, pick.end)
    if found is None and form == "external" and lay.subject is not None:
        found = _date_run_into_head(ctx)
    if found is None and form == "external" and lay.ref is None:
        found = _placed_date(ctx)
    if found is None and form == "stamped":
        tail_from = lay.body or 0
        for line in lay.lines[tail_from:]:
            if line.text and _date_only(line.text):
                found = _first_date(ctx, line.start, line.end)
    if found is not None and _day_by_hand(ctx.raw(found.start, found.end)):
        partial = MonthYear(found.start, found.end, found.month, found.year + 543)
        _keep_partial_date(ctx, partial, f"day of the date in Arabic digits, its year in Thai ones, so written "
                                         f"by hand and read by OCR as Latin ({clean_raw(ctx.raw(found.start, found.end))!r})")
        found = None
    if found is None and form not in HEADED_FORMS and ctx.letter["date_partial"] is None:
        _partial_date(ctx)
    ctx.letter["date"] = found.date if found else None
    ctx.letter["date_raw"] = clean_raw(ctx.raw(found.start, found.end)) if found else None
    if found:
        ctx.add_span("date", found.start, found.end, found.date)


_DIGIT_RUN = re.compile(r"[0-9๐-๙]+")


def _day_by_hand(printed: str) -> bool:
    """A date whose day is in Arabic digits and whose year is in Thai ones (`9 ตุลาคม ๒๕๕๙`):
    a letter types its date in one kind of digits, and tesseract reads a day written by hand
    in the blank as Latin (r50: ๑๒ written by hand read `9`; r45: ๑๑ read `99`). The day is
    then not the letter's, and the date is kept as its month and year only."""
    runs = _DIGIT_RUN.findall(printed)
    if len(runs) < 2 or len(runs[-1]) != 4:
        return False
    day, year = runs[0], runs[-1]
    return day.isascii() and not any(ch.isascii() for ch in year)


def _placed_date(ctx: LetterContext):
    """A letter written abroad dates itself with its place (`นครหลวงเวียงจันทน์ วันที่ ๑๗ ธันวาคม
    ๒๕๖๓`): a head line of at most three words, `วันที่` and a whole date, no stamp's words."""
    lay = ctx.layout
    stamp = _letterhead_res()["stamp"]
    last = lay.salutation if lay.salutation is not None else min(len(lay.lines), PLACED_DATE_LINES)
    for line in lay.lines[:last]:
        m = _PLACED_DATE.match(line.text) if len(line.text) <= 60 else None
        if m and not stamp.search(line.text):
            dates = [d for d in find_dates(ctx.parse, line.start + m.end(), line.end) if d.date]
            if dates and dates[0].end == line.end:
                return dates[0]
    return None


PLACED_DATE_LINES = 12  # the head of a letter without a reference: state heading, office, place and date
_PLACED_DATE = re.compile(r"^(?:[^\s\d]+\s){1,3}วันที่\s*")


def _date_run_into_head(ctx: LetterContext):
    """No date line of its own (a flattened text runs `… ทำเนียบรัฐบาล ๒๑ พฤษภาคม ๒๕๖๗ เรื่อง …`
    into one line): the last unlabelled whole date above `เรื่อง`."""
    lay = ctx.layout
    start = lay.lines[lay.ref].start if lay.ref is not None else 0
    end = lay.lines[lay.subject].start
    dates = [d for d in find_dates(ctx.parse, start, end)
             if d.date and not LABELLED_DATE.search(ctx.parse, max(0, d.start - 12), d.start)]
    return dates[-1] if dates else None


def _partial_date(ctx: LetterContext) -> None:
    """No whole date in the head: keep a printed month and year as `date_partial` (YYYY-MM, CE),
    from a line that is a blank or unreadable day, the month and the year (`we พฤษภาคม ๒๕๖๗`)."""
    lay = ctx.layout
    first = lay.ref if lay.ref is not None else 0
    last = lay.subject if lay.subject is not None else min(len(lay.lines), first + 12)
    for line in lay.lines[first:last]:
        m = month_year_re().fullmatch(line.text)
        if m:
            partial = MonthYear(line.start + m.start("m"), line.end, facts.months()[m.group("m")], int(m.group("y")))
            _keep_partial_date(ctx, partial, f"day of the date missing or unreadable ({line.text!r})")
            return


def _keep_partial_date(ctx: LetterContext, partial: MonthYear, why: str) -> None:
    ctx.letter["date_partial"] = partial.partial
    ctx.add_span("date_partial", partial.start, partial.end, partial.partial)
    ctx.warnings.append(f"{why}: date left empty, month and year in date_partial")


def _first_date(ctx: LetterContext, start: int, end: int):
    dates = [d for d in find_dates(ctx.parse, start, end) if d.date]
    return dates[0] if dates else None


@lru_cache(maxsize=None)
def _letterhead_res() -> dict[str, re.Pattern]:
    markers = facts.words("address_markers")
    return {
        # a house number may lead (`๒๖๕๒ ถนนราเมศวร`)
        "address": re.compile(rf"(?:^(?:\d{{1,5}}(?:/\d{{1,4}})?\s+)?(?:{facts.alternation(markers)})\s?\S)|(?:\b\d{{5}}\s*$)"),
        "org": re.compile(rf"^(?:{facts.alternation(facts.words('letterhead_org_prefixes'))})"),
        "stamp": re.compile(rf"^(?:{facts.alternation(facts.words('stamp_markers'))})|^[\W\d]+$|\(\s*\d*\s*\)\s*$"),
        "bracket": re.compile(r"\s*\([^)]*\)\s*$"),
    }


def extract_issuer(ctx: LetterContext) -> None:
    """The issuing organisation as the letterhead names it, without the address."""
    lay = ctx.layout
    r = _letterhead_res()
    issuer = address = None
    span = None
    form = ctx.letter.get("form")
    if form == "internal":
        for line in lay.lines[: (lay.subject or 10)]:
            m = re.match(r"^ส่วน\s?ราชการ\s*", line.text)
            if m:
                # the unit's telephone often shares the line: `… โทร. ๐ ๔๓๒๓ ๖๖๘๘`
                value = re.split(r"\s(?:โทร|โทรศัพท์|Tel)", line.text[m.end():])[0].strip()
                issuer, span = value or None, (line.start + m.end(), line.end)
                break
    elif form in HEADED_FORMS and (heading := _zone(ctx, "heading")) is not None:
        # the heading names its issuer: `ประกาศ|กรมสรรพสามิต`, `ค ำสั่ง|นายทะเบียน`
        text = ctx.parse[heading.start:heading.end]
        if text.strip() and "\n" in text.strip():
            text = text[:text.index("\n", len(text) - len(text.lstrip()))]  # a typed heading names its issuer on its line
        text = re.split(r"\s+\(?(?:ฉบับ)?ที่(?=\s|\d|$)", text)[0]
        value = text.strip()
        if value.startswith(tuple(facts.vocabulary()["declared_not_issuer"]["words"])):
            value = ""  # `ประกาศสถานการณ์ฉุกเฉิน…`: what is declared, not who declares it (see vocabulary)
        if value:
            lead = len(text) - len(text.lstrip())
            issuer, span = value, (heading.start + lead, heading.start + lead + len(value))
    elif form in ("order", "announcement"):
        word = _heading_word(ctx)
        for line in lay.lines[:6]:
            if word and line.text.startswith(word):
                rest = line.text[len(word):].strip()
                rest = re.split(r"\s+ที่\s*\d", rest)[0].strip()
                if rest and not rest.startswith(tuple(facts.vocabulary()["declared_not_issuer"]["words"])):
                    issuer, span = rest, (line.start + len(word), line.start + len(word) + len(rest))
                break
    elif form == "stamped":
        issuer, span = _stamped_issuer(ctx)
    elif form == "external" and lay.ref is None:
        issuer, span = _letterhead_above_date(ctx)
    elif lay.ref is not None:
        date_line = None
        last = next((x for x in (lay.subject, lay.salutation) if x is not None), min(len(lay.lines), lay.ref + 15))
        for line in lay.lines[lay.ref + 1:last]:
            if line.text and _date_only(line.text):
                date_line = line.index
                break
        window = lay.lines[lay.ref + 1:(date_line if date_line is not None else last)]
        candidates = [l for l in window if l.text]
        # a PDF text layer puts the right-hand letterhead on the reference's line
        ref_line = lay.lines[lay.ref]
        ref = parse_reference(ctx.parse, ref_line.start, ref_line.end)
        rest_from = ref.end if ref else None
        if ref is None and (partial := keyword_patterns()["ref_line_partial"].match(ref_line.text)):
            # a handwritten number OCR read as one noise word, then the right-hand letterhead
            noise = re.match(r"\S*\s*", ref_line.text[partial.end():])
            rest_from = ref_line.start + partial.end() + noise.end()
        if rest_from is not None and ref_line.end - rest_from > 3:
            rest = ctx.parse[rest_from:ref_line.end]
            lead = len(rest) - len(rest.lstrip())
            candidates.insert(0, type(ref_line)(ref_line.index, rest_from + lead, ref_line.end, rest.strip()))
        candidates = [part for line in candidates for part in _letterhead_parts(line)]
        # the address is the last address-like line above the date (receipt stamps
        # between the reference and the letterhead carry `เลขที่ …` too)
        addr = next((i for i in range(len(candidates) - 1, 0, -1) if r["address"].search(candidates[i].text)), None)
        pick = None
        if addr is not None:
            first = addr  # an address printed over two lines (`ถนน…` / `ตำบล… อำเภอ…`): the block's first
            while first > 1 and r["address"].search(candidates[first - 1].text) and not r["org"].match(candidates[first - 1].text):
                first -= 1
            for l in reversed(candidates[:first]):
                if not r["stamp"].search(l.text):
                    pick = _from_office_word(l)
                    break
            address = candidates[addr].text
            ctx.add_span("issuer_address", candidates[addr].start, candidates[addr].end, address)
        if pick is None:
            pick = next((l for l in candidates if r["org"].match(l.text) and not r["stamp"].search(l.text)), None)
        if pick is None:
            # OCR reads a two-column letterhead's right block first: the office above the `ที่` line
            above = [part for l in lay.lines[max(0, lay.ref - LETTERHEAD_ABOVE):lay.ref] if l.text
                     for part in _letterhead_parts(l)]
            pick = next((l for l in reversed(above) if r["org"].match(l.text) and not r["stamp"].search(l.text)
                         and not r["address"].search(l.text)), None)
        if pick is not None:
            issuer = r["bracket"].sub("", pick.text).strip() or pick.text
            span = (pick.start, pick.start + len(issuer))
    issuer = clean_value(issuer)
    ctx.letter["issuer"] = _marks_from_text(issuer, ctx.display) if ctx.ocr else issuer
    ctx.letter["issuer_address"] = clean_value(address)
    if span and issuer:
        ctx.add_span("issuer", span[0], span[1], ctx.letter["issuer"])


def _bare(text: str) -> tuple[str, list[int]]:
    """`text` without marks and spaces (sara am as sara aa), and where each kept character stands."""
    out, where = [], []
    for i, ch in enumerate(text):
        if ch in MARKS or ch.isspace():
            continue
        out.append("า" if ch == "ำ" else ch)
        where.append(i)
    return "".join(out), where


def _unknown_words(text: str) -> int:
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    from pipeline.thai.tokens import tokenizer_engine

    words = thai_words()
    return sum(1 for t in word_tokenize(text, engine=tokenizer_engine())
               if re.fullmatch("[ก-๛]+", t) and t not in words)


def _marks_from_text(value: str | None, text: str) -> str | None:
    """A letterhead's name whose marks OCR lost in its large or bold type (r44:
    `สำนักงานคณะกรรมการการศกษาขนพนฐาน`) with the marks it has where the letter's body prints
    the same letters (`สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานพิจารณาแล้ว`): letters are never
    changed, only marks, and only when the body's spelling has fewer words unknown to the
    dictionary. A name the body does not print is left as read. For OCR'd letters only: a text
    layer's or a text file's name is what the source prints (r02's Gazette text prints
    `กองทุนบาเหน็จบานาญ…` in its heading, its gold label too)."""
    if not value or _unknown_words(value) == 0:
        return value
    key, _ = _bare(value)
    bare_text, where = _bare(text)
    best = value
    at = bare_text.find(key)
    while at >= 0 and len(key) >= 8:
        start, end = where[at], where[at + len(key) - 1] + 1
        while end < len(text) and text[end] in MARKS:
            end += 1
        found = " ".join(text[start:end].split())
        if (_bare(found)[0] == key and found.count(" ") == value.count(" ")
                and _unknown_words(found) < _unknown_words(best)):
            best = found
        at = bare_text.find(key, at + 1)
    return best


def _from_office_word(line):
    """The line from the word that opens an office's name, when OCR put a speck or the tail
    of a garbled reference before it (`ว1 สำนักงานสาธารณสุขจังหวัดพัทลุง`)."""
    org = _letterhead_res()["org"]
    if org.match(line.text):
        return line
    for m in re.finditer(r"\s(\S)", line.text):
        if m.start(1) <= 12 and org.match(line.text[m.start(1):]):
            return type(line)(line.index, line.start + m.start(1), line.end, line.text[m.start(1):])
    return line


@lru_cache(maxsize=None)
def _address_markers() -> tuple[str, ...]:
    return tuple(sorted(facts.words("address_markers"), key=len, reverse=True))


def _address_start(text: str) -> int | None:
    """Where the address starts on a letterhead line that holds the office's name and its
    address (a text whose line breaks were lost: `ศาลากลางจังหวัดพัทลุง ถนนราเมศวร พท ๙๓๐๐๐`),
    or None. The address opens at a word-start address marker, or at the house number before
    one (`๒๖๕๒ ถนนราเมศวร`); a marker followed by a number names a part of the office
    (`สำนักงานเขตพื้นที่การศึกษาประถมศึกษากาฬสินธุ์ เขต ๓`), unless it is one that takes a
    number (`เลขที่`, `หมู่ที่`). Or it opens at a second office's name when what follows
    ends in a postcode: the office's building (`… กระทรวงศึกษาธิการ กทม. ๑๐๓๐๐`)."""
    markers = _address_markers()

    def marker(word: str) -> str | None:
        return next((m for m in markers if word.startswith(m)), None)

    words = list(re.finditer(r"\S+", text))
    office = next((i for i, w in enumerate(words) if _letterhead_res()["org"].match(w.group())), len(words))
    for before, word, after in zip(words[office:], words[office + 1:], words[office + 2:] + [None]):
        following = after.group() if after else ""
        opened = marker(word.group())
        if opened:
            tail = word.group()[len(opened):] or following
            if opened.endswith("ที่") or not re.match(r"\d", tail):
                return word.start()
        elif (re.fullmatch(r"\d{1,5}(?:/\d{1,4})?", word.group()) and marker(following)
              and not marker(before.group())):
            return word.start()  # a house number, not the number of a `เขต ๓`
        elif _letterhead_res()["org"].match(word.group()) and re.search(r"\b\d{5}\s*$", text):
            return word.start()
    return None


def _letterhead_parts(line):
    """A line holding an office's name and its address, as two lines; any other line (an
    address line itself, `อำเภอห้วยผึ่ง จังหวัดกาฬสินธุ์ ๔๖๒๔๐`) as is."""
    r = _letterhead_res()
    at = _address_start(line.text)
    if at is None or r["address"].match(line.text) or not r["org"].match(_from_office_word(line).text):
        return [line]
    office = line.text[:at].rstrip()
    return [type(line)(line.index, line.start, line.start + len(office), office),
            type(line)(line.index, line.start + at, line.end, line.text[at:])]


def _letterhead_above_date(ctx: LetterContext) -> tuple[str | None, tuple[int, int] | None]:
    """A letter with no `ที่` line (a minister's or a diplomatic letter) names its office right
    above its date: the line above, or in a flattened text the words before the date from the
    last one that opens an office's name (`… ทำเนียบรัฐบาล ๒๑ พฤษภาคม ๒๕๖๗`)."""
    date_span = next((sp for sp in ctx.spans if sp.label == "date"), None)
    if date_span is None:
        return None, None
    org = _letterhead_res()["org"]
    line_start = ctx.parse.rfind("\n", 0, date_span.start) + 1
    same_line = ctx.parse[line_start:date_span.start]
    placed = bool(_PLACED_DATE.match(same_line.strip() + " "))
    if same_line.strip() and not placed:
        starts = [m.start(1) for m in re.finditer(r"(?:^|\s)(\S)", same_line) if org.match(same_line[m.start(1):])]
        if not starts:
            return None, None
        value = same_line[starts[-1]:].strip()
        return value, (line_start + starts[-1], line_start + starts[-1] + len(value))
    above = [l for l in ctx.layout.lines if l.end <= line_start and l.text][-3:]
    # a letter written abroad may be issued by an office holder (`นายกรัฐมนตรี` above `นครหลวง… วันที่ …`)
    offices = (org.match, lambda t: t.startswith(tuple(facts.vocabulary()["position_words"]["words"]))) if placed else (org.match,)
    for line in reversed(above):
        if _letterhead_res()["address"].search(line.text):
            continue  # `ทำเนียบรัฐบาล กทม. ๑๐๓๐๐`: the address under the office's name
        if any(ok(line.text) for ok in offices) and len(line.text) <= 80:
            return line.text, (line.start, line.end)
        break
    return None, None


def _stamped_issuer(ctx: LetterContext) -> tuple[str | None, tuple[int, int] | None]:
    """A stamped letter names its issuer at the foot, on the line above its date."""
    lay = ctx.layout
    date_lines = [l.index for l in lay.lines[(lay.body or 0):] if l.text and _date_only(l.text)]
    if not date_lines:
        return None, None
    for j in range(date_lines[-1] - 1, max(-1, date_lines[-1] - 4), -1):
        line = lay.lines[j]
        if line.text and _letterhead_res()["org"].match(line.text):
            return line.text, (line.start, line.end)
    return None, None


# A centred title's last line that a scan's OCR set off by a blank line (r51: `… วิจัยแห่งชาติ` /
# blank / `มหาวิทยาลัยขอนแก่น ประจำปี ๒๕๕๓` / blank / the body): one short line of Thai before
# the body. Not the rule under a title read as noise (r33: `eee rite errtrrrir rite rr rr 1เ`).
TITLE_TAIL_CHARS = 80
TITLE_TAIL_THAI = 0.6  # share of its letters and digits that are Thai


def _title_goes_on(rest: str) -> bool:
    """Whether what follows a blank line in an order's or announcement's subject zone, up to
    the body the zone ends at, is the title's last line rather than something else."""
    lines = [line.strip() for line in rest.split("\n") if line.strip()]
    if len(lines) != 1 or len(lines[0]) > TITLE_TAIL_CHARS:
        return False
    signs = [ch for ch in lines[0] if ch.isalnum()]
    return bool(signs) and sum("\u0e01" <= ch <= "\u0e5b" for ch in signs) >= TITLE_TAIL_THAI * len(signs)


def extract_subject(ctx: LetterContext) -> None:
    """Text after `เรื่อง`, across line breaks, up to the salutation (or a blank line
    when no salutation follows closely, as in orders and announcements)."""
    lay = ctx.layout
    subject = subject_raw = None
    if _headed(ctx):
        # an order's or announcement's title runs from `เรื่อง` to where its body opens
        zone = _zone(ctx, "subject")
        if zone is not None:
            end = zone.end
            blank = ctx.parse.find("\n\n", zone.start, end)
            if blank >= 0 and not _title_goes_on(ctx.parse[blank:end]):
                end = blank
            text = ctx.parse[zone.start:end]
            lead = len(text) - len(text.lstrip())
            subject = clean_value(_SITE_TAG.sub("", _SUBJECT_LEAD.sub("", text)))
            if subject:
                start, end = zone.start + lead, zone.start + len(text.rstrip())
                subject_raw = clean_raw(ctx.raw(start, end))
                ctx.add_span("subject", start, end, subject)
    elif lay.subject is not None:
        first = lay.lines[lay.subject]
        head = keyword_patterns()["subject"].match(first.text)
        parts = [first.text[head.end():].strip()]
        end = first.end
        k = keyword_patterns()

        def stops(line) -> bool:
            return bool(line.text) and any(k[key].match(line.text) for key in ("salutation", "cites", "encl", "ref_line"))

        # OCR splits a subject with blank lines and specks; when the salutation is just
        # below, it bounds the subject and those are skipped, else a blank line ends it
        bounded = any(stops(l) for l in lay.lines[lay.subject + 1:lay.subject + 1 + SUBJECT_LOOKAHEAD])
        for line in lay.lines[lay.subject + 1:]:
            if stops(line):
                break
            if not line.text or not _wordy(line.text):
                if bounded:
                    continue
                break
            parts.append(line.text)
            end = line.end
            if len(parts) > 4:
                break
        start = first.start + (len(first.text) - len(parts[0]))
        # OCR: `| เรื่อง …`, a speck or a stray tone between เรื่อง and the subject (`. การ…`, `๊ การ…`)
        subject = clean_value(_SITE_TAG.sub("", _SUBJECT_LEAD.sub("", " ".join(p for p in parts if p))))
        if subject:
            subject_raw = clean_raw(ctx.raw(start, end))
            ctx.add_span("subject", start, end, subject)
    ctx.letter["subject"] = subject
    ctx.letter["subject_raw"] = subject_raw


SUBJECT_LOOKAHEAD = 7
# a web page's section tag after a reproduced title (`… สิ่งของ [กระทรวงคมนาคม]`): no Thai
# letter's subject uses square brackets
_SITE_TAG = re.compile(r"\s*\[[^\]\n]{1,60}\]\s*$")
_SUBJECT_LEAD = re.compile(f"^[\\s|:;.,'\"`~_\\-–—{MARK}]+")


def _wordy(text: str) -> bool:
    """Not OCR noise: Thai letters, a Latin word of three letters or more, or only digits
    (a wrapped year); noise is stray Latin letters among digits (`a Y 1 ๑7 ๑7 a`)."""
    if re.search(r"[ก-ฮ]", text) or re.search(r"[A-Za-z]{3,}", text):
        return True
    return not re.search(r"[A-Za-z]", text)


def extract_recipients(ctx: LetterContext) -> None:
    """`เรียน`/`ถึง` addressee, then the entries of an attached distribution list."""
    lay = ctx.layout
    position = 0
    if lay.salutation is not None and (lay.body is None or lay.salutation < lay.body):
        line = lay.lines[lay.salutation]
        m = keyword_patterns()["salutation"].match(line.text)
        words = [(line.start + w.start(), line.start + w.end(), w.group())
                 for w in re.finditer(r"\S+", line.text[m.end():].replace("\n", " "))]
        words = [(a + m.end(), b + m.end(), t) for a, b, t in words]
        for nxt in _addressee_lines(lay, lay.salutation):
            words += [(nxt.start + w.start(), nxt.start + w.end(), w.group()) for w in re.finditer(r"\S+", nxt.text)]
        for group in split_addressees(_without_noise_tail(words)):
            start, end = group[0][0], group[-1][1]
            value = clean_value(ctx.parse[start:end])
            if value:
                ctx.recipients.append({"recipient": value, "role": "to", "position": position,
                                       "recipient_raw": clean_raw(ctx.raw(start, end))})
                ctx.add_span("recipient", start, end, value)
                position += 1
    headings = set(lay.dist_headings)
    for heading in lay.dist_headings:
        rows: list[list] = []
        for line in _distribution_rows(lay, heading):
            if line.index in headings:
                break  # the next list's own rows (read to the end, 2,000 headings took minutes)
            if rows and line.text.startswith("(") and ")" in line.text and "(" not in rows[-1][0]:
                rows[-1][0] += " " + line.text  # a wrapped row: `…ที่ 2` / `(สมุทรสาคร)`
                rows[-1][2] = line.end
            else:
                rows.append([line.text, line.start, line.end])
        numbers = [_ROW_NUMBER.match(text) for text, _, _ in rows]
        for k, (text, start, end) in enumerate(rows):
            if len(_THAI_LETTER.findall(text)) < 3:
                continue  # OCR noise between rows (`53 ey qe`, `AEP a ม`): no office is named so
            number = numbers[k]
            if number:
                # `๑. คณะกรรมการ…` over `๑.๑ …` rows names a group, not an addressee
                following = numbers[k + 1] if k + 1 < len(numbers) else None
                if following and following.group("n").startswith(number.group("n").rstrip(".") + "."):
                    continue
                text = text[number.end():]
                start += number.end()
            value = clean_value(clean_row(text))
            ctx.recipients.append({"recipient": value, "role": "distribution", "position": position,
                                   "recipient_raw": clean_raw(ctx.raw(start, end))})
            ctx.add_span("distribution", start, end, value)
            position += 1


def _addressee_lines(lay, salutation: int):
    """The lines a wrapped `เรียน` line runs on to: each holds an `ทุก…` word or opens with `และ`."""
    v = facts.vocabulary()["addressees"]
    k = keyword_patterns()
    for line in lay.lines[salutation + 1:salutation + 4]:
        t = line.text
        if not t or any(k[key].match(t) for key in ("cites", "encl", "subject", "salutation", "body_opener")):
            return
        words = t.split()
        if not (t.startswith(tuple(v["and"])) or any(w.startswith(tuple(v["ends_after"])) for w in words)):
            return
        if len(t) > 120:
            return
        yield line


def split_addressees(words: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """The addressees of one `เรียน` line, as runs of its words (see vocabulary `addressees`)."""
    v = facts.vocabulary()["addressees"]
    ends, conj = tuple(v["ends_after"]), tuple(v["and"])
    positions = tuple(facts.vocabulary()["position_words"]["words"])
    groups: list[list] = [[]]
    for i, word in enumerate(words):
        text = word[2]
        if text in conj or (text.startswith(conj) and len(text) > 3 and i and groups[-1]):
            if groups[-1]:
                groups.append([])
            if text in conj:
                continue
            word = (word[0] + len(next(c for c in conj if text.startswith(c))), word[1], text)
        elif groups[-1] and text.startswith(positions) and not groups[-1][-1][2].startswith("("):
            groups.append([])
        groups[-1].append(word)
        following = words[i + 1][2] if i + 1 < len(words) else ""
        if text.startswith(ends) and following and not following.startswith("("):
            groups.append([])
    return [g for g in groups if g]


_LATIN = re.compile("[A-Za-z]")


def _without_noise_tail(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A Thai addressee stops where OCR noise starts (`… เว้ มต eae sen`): at the first word with
    Latin letters, dropping the scraps of one or two Thai letters just before it. An addressee
    written in English is kept whole."""
    if not words or _LATIN.match(words[0][2]):
        return words
    cut = next((i for i, w in enumerate(words) if _LATIN.search(w[2])), None)
    if cut is None:
        return words
    kept = words[:cut]
    while kept and len(_THAI_LETTER.findall(kept[-1][2])) <= 2 and not kept[-1][2].endswith(")"):
        kept.pop()
    return kept


# What OCR leaves at the end of a table row: stray punctuation, rules, a speck after the
# closing bracket ("(สมุทรสาคร)ย|]"), a lone mark; never part of an office's name.
_ROW_TAIL = re.compile(rf"(?:\s*[,:;+|_\-–—”“\"'*\[\]~`]+|\s+[{MARK}])+$")
_ROW_LEAD = re.compile(r"^[\s,:;|_\-–—”“\"'*~`]+")
_BRACKET_SPECK = re.compile(r"\)\s*[ก-ฮฯ]?[|\]\[]*$")
_AFTER_ABBREVIATION = re.compile(r"(?<=[ก-ฮ]\.)\s*[-:;,]+\s*(?=[ก-ฮเ-ไ])")  # `ผอ. -สถานพินิจ`, `หน.สนง. :พัฒนา`
_THAI_LETTER = re.compile("[ก-ฮ]")
# a list row's own number: `๑.`, `๑.๑`, `๑๐.` (parse view: Arabic digits)
_ROW_NUMBER = re.compile(r"^\(?(?P<n>\d{1,2}(?:\.\d{1,2})*\.?)\)?\s*(?=[ก-ฮเ-ไ])")
# Offices' names abbreviate with ฯ and never repeat with ๆ: OCR reads one for the other
_MAI_YAMOK = re.compile(rf"(?<=[{THAI}])ๆ(?=\s*(?:\(|$))")


def clean_row(text: str) -> str:
    """A distribution row without the specks OCR put at its end."""
    text = _BRACKET_SPECK.sub(")", text) if "(" in text else text
    text = _ROW_TAIL.sub("", _ROW_LEAD.sub("", _AFTER_ABBREVIATION.sub("", text)))
    return _MAI_YAMOK.sub("ฯ", text)


def _distribution_rows(lay, heading: int):
    """Rows of the table under a distribution heading.

    The heading repeats the letter's ที่/ลงวันที่/เรื่อง (wrapped over several
    lines in PDF text) and column titles; rows start after the column titles
    when there are any, and end at the first blank line after them.
    """
    window = lay.lines[heading + 1:heading + 25]  # OCR scatters the header over blank lines
    columns = next((l.index for l in window if COLUMN_TITLES_RE.match(l.text)), None)
    started = gap = False
    for line in lay.lines[(columns if columns is not None else heading) + 1:]:
        t = line.text
        if not t:
            gap = started
            continue
        if gap and not _row_like(t):
            return  # a blank line ends the table unless rows go on (a page break inside it)
        gap = False
        if not started and columns is None and re.match(r"^(?:ที่\s|ลง\s?วันที่|เรื่อง)", t):
            continue
        if re.match(r"^(?:บัญชี|ที่\s)", t):
            return
        started = True
        yield line


def _row_like(text: str) -> bool:
    """A distribution-table row: a short name of an office, not a date, stamp number or heading."""
    if len(text) > 90 or find_dates(text) or keyword_patterns()["ref_line"].match(text):
        return False
    digits = sum(c.isdigit() for c in text)
    return digits <= len(text) * 0.3 and not re.match(r"^(?:บัญชี|ที่\s|ลง\s?วันที่|เรื่อง|เรียน|ถึง)", text)


COLUMN_TITLES_RE = re.compile(r"^(?:หน่วยงาน|ลำดับ|ชื่อ|ผู้รับ|ตำแหน่ง)(?:\s|$)")
