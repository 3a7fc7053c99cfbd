"""Letters in English (form `other`): the anatomy of an English business or diplomatic letter, and its fields.

Thai offices receive letters in English from international organisations and
embassies and forward them under a Thai covering letter (the dev set's r43: a
ministry's memo forwarding a letter of the SEAMEO Secretariat). Such a letter
has none of the regulation's zones; it has its own, in this order:

    letterhead              the organisation's name, its address and contacts
    Ref: 12.301.5/530/15    the sender's reference (kept as printed)
    1 July 2015             the date
    inside address          name, title, office, ministry; then the street address
    Dear Dr Kamol,          the salutation
    heading                 the subject (or `Subject:`/`Re:` above the salutation)
    body
    Yours sincerely,        the closing
    signature, name, position
    Encl: 1. … 2. …         the enclosures

`EnglishLayout` finds those lines once; `extract_english_letter` reads each
field from its zone. The cue words are data (`pipeline/thai/data/english.json`).
A scan of such a letter carries a ministry's receipt stamp and handwritten Thai
minutes over its margins, which OCR reads into the ends of the address and
signature lines: each line is read up to its first Thai word, and a short
tail of noise after an office's name is dropped (`without_noise_tail`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from extractors.context import LetterContext, Line, split_lines
from extractors.englishdate import find_english_dates
from extractors.thaidate import DateMatch
from pipeline.thai import facts
from pipeline.thai.chars import THAI
from pipeline.thai.normalise import clean_raw, clean_value


ENGLISH_HINT = "english"  # the splitter's form hint for a letter it found by its English head


def _alternation(key: str) -> str:
    return facts.alternation(facts.english_words(key))


@lru_cache(maxsize=None)
def patterns() -> dict[str, re.Pattern]:
    """The lines that carry an English letter's structure, as patterns (the splitter reads them too)."""
    data = facts.english()
    salutation, closing = data["salutation"], data["closing"]
    long_closings = [w for w in closing["lines"] if " " in w]
    one_word_closings = [w for w in closing["lines"] if " " not in w]
    short = re.escape(data["enclosure_labels"]["short"])
    return {
        # `Ref: — 12.301.5/530/15`, `Our ref.: UNICEF/TH/2015/117`, `Reference No. EO 123/2015`
        "reference": re.compile(rf"^(?i:{_alternation('reference_labels')})\b\.?\s*(?:[Nn]o\.?)?\s*[:.]?[\s:–—-]*"
                                r"(?P<value>\S.*)$"),
        "date_label": re.compile(rf"^(?i:{facts.alternation(data['date_labels'])})\s*:\s*"),
        # a place before the date: `Bangkok, 1 July 2015`, `Geneva, 3 March 2016`
        "place": re.compile(r"^[A-Z][A-Za-z .'-]{1,30},\s*"),
        "salutation": re.compile(rf"^(?:(?:{facts.alternation(salutation['openers'])})\s+\S"
                                 rf"|(?i:{facts.alternation(salutation['lines'])})\s*[,:]?\s*$)", re.I),
        # `Yours sincerely, WGA) label`: a scan reads the signature's ink onto the closing's line
        "closing": re.compile(rf"^(?:(?i:{facts.alternation(long_closings)})\b"
                              rf"|(?i:{facts.alternation(one_word_closings)})\s*(?:[,.]|$))"),
        "closing_phrase": re.compile(rf"(?i:{facts.alternation(closing['phrases'])})"),
        "subject": re.compile(rf"^(?i:{_alternation('subject_labels')})\.?\s*:\s*(?P<value>\S.*)$"),
        # `Encl:`, `Enclosures:`, and the abbreviation with its last letters misread (see english.json)
        "enclosure": re.compile(rf"^(?:(?i:{_alternation('enclosure_labels')})|(?:{short}|{short.upper()})"
                                r"[A-Za-z]{0,2}\.?)(?=[\s:]|$)\s*:?\s*"),
        "copy": re.compile(rf"^(?i:{facts.alternation(data['copy_labels'])})\s*[:.]"),
        # an enclosure list's item: numbered (`1.`, `(1)`), lettered (`a)`) or bulleted (`-`, `•`)
        "item": re.compile(r"^(?:\(?(?P<n>\d{1,2})[.)]|\(?(?P<a>[a-h])[.)]|(?P<bullet>[-–•*]))\s+\S"),
        "street": re.compile(rf"\b(?:{_alternation('street_words')})\b\.?|\b\d{{5}}\b|^\d{{1,5}}(?:/\d{{1,4}})?,?\s+[A-Za-z]"),
        "organisation": re.compile(rf"\b(?i:{_alternation('organisation_words')})\b"),
        "contact": re.compile(rf"\b(?i:{_alternation('contact_words')})\b|@|\+\s?\d"),
    }


_THAI_RE = re.compile(f"[{THAI}]")
_THAI_LETTER = re.compile("[ก-ฮ]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def mostly_latin(text: str) -> bool:
    """More Latin letters than Thai ones: a line of an English letter, whatever a stamp or a minute adds to it."""
    return len(_LATIN_LETTER.findall(text)) > len(_THAI_LETTER.findall(text))


def mostly_thai(text: str) -> bool:
    """More Thai letters than Latin ones: a Thai letter's line, not one of an English letter with a
    stamp's or a minute's words on it (`Secretary-General จัรี่ 5`)."""
    return len(_THAI_LETTER.findall(text)) > len(_LATIN_LETTER.findall(text))


def reference_value(text: str) -> tuple[int, int] | None:
    """Where the value of a reference line is (`Ref: — 12.301.5/530/15` -> `12.301.5/530/15`): the run
    of codes after the label, each holding a digit or a slash or written in capitals (`EO 123/2015`),
    with a digit among them. `Reference is made to your letter of …` opens a sentence, not a reference."""
    m = patterns()["reference"].match(text)
    if not m:
        return None
    end = None
    for token in re.finditer(r"\S+", text[m.start("value"):]):
        word = token.group().rstrip(".,;")
        if not (re.search(r"[\d/]", word) or re.fullmatch(r"[A-Z]{1,8}", word)):
            break
        end = m.start("value") + token.start() + len(word)
    if end is None or not re.search(r"\d", text[m.start("value"):end]):
        return None
    return m.start("value"), end


def date_line(text: str) -> DateMatch | None:
    """The date a letter's date line opens with: at the line's start, after `Date:` or a place
    (`Bangkok, 1 July 2015`); a stamp's scraps may follow it on the line (`1 July 2015 Bd COT | Su`)."""
    p = patterns()
    label = p["date_label"].match(text) or p["place"].match(text)
    at = label.end() if label else 0
    dates = [d for d in find_english_dates(text, at) if d.date]
    return dates[0] if dates and dates[0].start == at else None


def opens_english_head(text: str) -> bool:
    """A line an English letter's head can open with (after its letterhead): a reference or a date line."""
    return reference_value(text) is not None or date_line(text) is not None


def is_salutation(text: str) -> bool:
    return bool(patterns()["salutation"].match(text))


def is_closing(text: str) -> bool:
    p = patterns()
    return bool(p["closing"].match(text) or p["closing_phrase"].search(text))


# --- the anatomy ---------------------------------------------------------------

HEADING_LINES = 3  # a heading under the salutation runs to three lines at most; a body paragraph runs longer
SIGNATURE_LINES = 8  # from the closing to the signer's name: the signature's ink and its scraps between
ENCLOSURE_LINES = 6  # from the enclosure label to its first item: a stamp's or a minute's lines between
FOOT_LINES = 12  # non-blank lines from the closing to the enclosure label (r43: 5, a Thai minute's among them)
SENTENCE_END = (".", ":", ";", "?", "!")


@dataclass
class EnglishLayout:
    """Line indexes of an English letter's zones (None when absent)."""

    lines: list[Line]

    def _first(self, test, start: int = 0, stop: int | None = None) -> int | None:
        for line in self.lines[start:stop]:
            if line.text and test(line.text):
                return line.index
        return None

    @cached_property
    def salutation(self) -> int | None:
        return self._first(is_salutation)

    @cached_property
    def head_end(self) -> int:
        return self.salutation if self.salutation is not None else len(self.lines)

    @cached_property
    def reference(self) -> int | None:
        return self._first(lambda t: reference_value(t) is not None, stop=self.head_end)

    @cached_property
    def date(self) -> int | None:
        return self._first(lambda t: date_line(t) is not None, stop=self.head_end)

    @cached_property
    def head_start(self) -> int | None:
        """The first of the reference and date lines: the letterhead is above it, the inside address below both."""
        found = [x for x in (self.reference, self.date) if x is not None]
        return min(found) if found else None

    @cached_property
    def closing(self) -> int | None:
        return self._first(is_closing, start=(self.salutation or 0) + 1)

    @cached_property
    def subject_line(self) -> int | None:
        """A `Subject:`/`Re:` line: between the head and the salutation, or right under the salutation."""
        start = self.head_start or 0
        return self._first(lambda t: bool(patterns()["subject"].match(t)), start=start,
                           stop=min(len(self.lines), self.head_end + HEADING_LINES + 2))

    def nonblank(self, start: int, stop: int | None = None) -> list[Line]:
        return [line for line in self.lines[start:stop] if line.text]


# --- cleaning a line of what a scan added to it ---------------------------------

def latin_part(text: str) -> str:
    """The line up to its first word with a Thai letter (a stamp's or a minute's words), and an
    unclosed bracket left before it: `Was Director (นายกมล รอดคล้าย)` -> `Was Director`."""
    m = _THAI_RE.search(text)
    if m:
        text = text[:text.rfind(" ", 0, m.start()) + 1] if " " in text[:m.start()] else ""
    text = text.strip()
    if text.count("(") > text.count(")"):
        text = text[:text.rfind("(")]
    return text.strip(" ,;|»«*'‘’\"-–—")


NOISE_TOKEN_CHARS = 4  # the scraps a stamp leaves are short (`Kit | fA. 2558`, `am Gq 19.`); names of offices are not


def _noise_token(token: str, function_words: frozenset[str]) -> bool:
    """A token no English name or office holds: no letter, a digit, a capital after a small letter
    (`fA.`), or a lower-case word that is not a function word (`am`)."""
    word = token.strip(".,;:")
    if not re.search("[A-Za-z]", word) or re.search(r"\d", word):
        return True
    if re.search("[a-z][A-Z]", word):
        return True
    return word[0].islower() and word.lower() not in function_words


def without_noise_tail(text: str) -> str:
    """An address line without the scraps a receipt stamp beside it left at its end: the run of short
    tokens at the end of the line, when it holds a token no name holds.

    Fixes `Office of the Basic Education Commission Kit | fA. 2558` and `Ministry of Education,
    Thailand am Gq 19.` (r43: the registry's stamp over the address); leaves `Permanent Mission of
    Thailand to the UN` whole (its short tail holds function words and capitals only)."""
    function_words = frozenset(facts.english_words("function_words"))
    tokens = text.split()
    run = len(tokens)
    while run > 0 and len(tokens[run - 1].strip(".,;:")) <= NOISE_TOKEN_CHARS:
        run -= 1
    tail = tokens[run:]
    if run and tail and any(_noise_token(t, function_words) for t in tail):
        return " ".join(tokens[:run]).rstrip(" ,;")
    return text


# OCR reads a thin `l` as `!`, `1` or `|`, and `o` as `0`
CONFUSABLE = str.maketrans({"!": "l", "1": "l", "|": "l", "0": "o"})


def spelled_as_greeted(text: str, salutation: str) -> str:
    """The addressee's words as the salutation spells them, where OCR misread one letter of the
    same word in the address (`Dr Kamo! Rodklai` under `Dear Dr Kamol,` -> `Dr Kamol Rodklai`)."""
    greeted = {w.strip(",.:").translate(CONFUSABLE): w.strip(",.:") for w in salutation.split()}
    out = []
    for word in text.split():
        same = greeted.get(word.translate(CONFUSABLE))
        out.append(same if same and same != word and same.isalpha() else word)
    return " ".join(out)


# --- the fields -----------------------------------------------------------------

LETTER_FIELDS = ("ref", "ref_raw", "agency_code", "agency_name", "office_code", "ref_number", "is_circular",
                 "ref_partial", "urgency", "secrecy", "date", "date_raw", "date_partial", "issuer",
                 "issuer_address", "subject", "subject_raw", "signatory_name", "signatory_position")


def extract_english_letter(ctx: LetterContext) -> None:
    """Every field of an English letter's head and foot, from its zones (see the module's docstring)."""
    ctx.letter.update({name: None for name in LETTER_FIELDS})
    ctx.letter["form"] = "other"
    lay = EnglishLayout(split_lines(ctx.parse))
    _reference(ctx, lay)
    _date(ctx, lay)
    _issuer(ctx, lay)
    _subject(ctx, lay)
    _recipients(ctx, lay)
    _signatory(ctx, lay)
    _enclosures(ctx, lay)


def _set(ctx: LetterContext, field: str, value: str | None, start: int, end: int) -> None:
    value = clean_value(value) if value else None
    ctx.letter[field] = value
    if value:
        ctx.add_span(field, start, end, value)


def _reference(ctx: LetterContext, lay: EnglishLayout) -> None:
    if lay.reference is None:
        return
    line = lay.lines[lay.reference]
    at, to = reference_value(line.text)
    start, end = line.start + at, line.start + to
    _set(ctx, "ref", ctx.parse[start:end], start, end)
    ctx.letter["ref_raw"] = clean_raw(ctx.raw(start, end))


def _date(ctx: LetterContext, lay: EnglishLayout) -> None:
    if lay.date is None:
        return
    line = lay.lines[lay.date]
    found = date_line(line.text)
    start, end = line.start + found.start, line.start + found.end
    ctx.letter["date"], ctx.letter["date_raw"] = found.date, clean_raw(ctx.raw(start, end))
    ctx.add_span("date", start, end, found.date)


def _issuer(ctx: LetterContext, lay: EnglishLayout) -> None:
    """The letterhead's line that names an organisation (not its slogan, street or contacts); else
    its first line in capitals. The first street line after it is the issuer's address."""
    if lay.head_start is None:
        return
    p = patterns()
    letterhead = [line for line in lay.nonblank(0, lay.head_start) if mostly_latin(line.text)]
    plain = [line for line in letterhead if not p["contact"].search(line.text) and not p["street"].search(line.text)]
    named = next((line for line in plain if p["organisation"].search(line.text)), None)
    if named is None:
        named = next((line for line in plain if line.text.isupper() and len(line.text.split()) >= 2), None)
    if named is None:
        return
    value = latin_part(named.text)
    _set(ctx, "issuer", value, named.start, named.start + len(value))
    street = next((line for line in letterhead if line.index > named.index and p["street"].search(line.text)), None)
    if street is not None:
        contact = p["contact"].search(street.text)
        address = street.text[:contact.start()] if contact else street.text
        # `… Thailand. Tet: +66 …`: the label of a number a scan misread is cut with it
        address = re.sub(r"\s+\S+:$", "", address.rstrip()).rstrip(" .,;|")
        if address:
            ctx.letter["issuer_address"] = clean_value(address)
            ctx.add_span("issuer_address", street.start, street.start + len(address), ctx.letter["issuer_address"])


def _title_case(text: str) -> bool:
    """Every word capitalised, a function word, or holding a digit: a heading, not a sentence."""
    function_words = set(facts.english_words("function_words"))
    words = [w.strip(",.:;()'\"‘’“”") for w in text.split()]
    return all(not w or w[0].isupper() or w[0].isdigit() or w.lower() in function_words for w in words)


def _subject(ctx: LetterContext, lay: EnglishLayout) -> None:
    """`Subject:`/`Re:` and the lines it wraps onto; else the heading the body opens with: the
    lines under the salutation up to a blank line, at most three, not ending a sentence, or as
    many of them as are written in title case."""
    if lay.subject_line is not None:
        first = lay.lines[lay.subject_line]
        m = patterns()["subject"].match(first.text)
        block = [first]
        for line in lay.lines[first.index + 1:first.index + HEADING_LINES]:
            if not line.text or is_salutation(line.text) or not mostly_latin(line.text):
                break
            block.append(line)
        start = first.start + m.start("value")
    elif lay.salutation is not None:
        following = lay.lines[lay.salutation + 1:]
        while following and not following[0].text:
            following = following[1:]
        block = []
        for line in following[:HEADING_LINES + 1]:
            if not line.text:
                break
            block.append(line)
        ends_sentence = not block or block[-1].text.endswith(SENTENCE_END) or len(block) > HEADING_LINES
        if ends_sentence or not block[0].text[0].isupper():
            titled = []
            for line in block:
                if not _title_case(line.text):
                    break
                titled.append(line)
            # a short title-case sentence (`Greetings from UNESCO Bangkok!`) is the body, not a heading
            block = titled if titled and not titled[-1].text.endswith(SENTENCE_END) else []
        if not block:
            return
        start = block[0].start
    else:
        return
    end = block[-1].end
    _set(ctx, "subject", ctx.parse[start:end], start, end)
    if ctx.letter["subject"]:
        ctx.letter["subject_raw"] = clean_raw(ctx.raw(start, end))


def _recipients(ctx: LetterContext, lay: EnglishLayout) -> None:
    """The inside address: the lines from under the reference and date to the salutation, read up to
    the first street line (the postal address, the city and the country after it are not the
    addressee), without a city or country line that ends it with no street line (`_place_line`)."""
    if lay.head_start is None or lay.salutation is None:
        return
    p = patterns()
    first = max(x for x in (lay.reference, lay.date) if x is not None) + 1
    greeting = lay.lines[lay.salutation].text
    parts: list[str] = []
    kept_ends: list[int] = []
    start = end = None
    for line in lay.nonblank(first, lay.salutation):
        if p["subject"].match(line.text) or p["copy"].match(line.text):
            continue
        text = without_noise_tail(latin_part(line.text))
        if not _LATIN_LETTER.search(text):
            continue
        if p["street"].search(text):
            break
        parts.append(spelled_as_greeted(text, greeting))
        start = line.start if start is None else start
        end = line.end
        kept_ends.append(end)
    while len(parts) > 1 and _place_line(parts[-1]):
        parts.pop()
        end = kept_ends[len(parts) - 1]
    value = clean_value(" ".join(parts)) if parts else None
    if value:
        ctx.recipients.append({"recipient": value, "role": "to", "position": 0,
                               "recipient_raw": clean_raw(ctx.raw(start, end))})
        ctx.add_span("recipient", start, end, value)


PLACE_WORDS = 2  # `Bangkok`, `Phnom Penh`, `Kuala Lumpur`: a city's or country's line is one or two words


def _place_line(text: str) -> bool:
    """A city or a country alone on the address's last line (`Bangkok`): no more than PLACE_WORDS
    words, none naming an organisation or a position. Leaves `Ministry of Education, Thailand` and
    `Permanent Secretary` whole."""
    words = text.split()
    return (len(words) <= PLACE_WORDS and not patterns()["organisation"].search(text)
            and not _signature_res()["position_start"].search(text))


@lru_cache(maxsize=None)
def _signature_res() -> dict[str, re.Pattern]:
    data = facts.english()
    titles = facts.alternation(data["name_titles"])
    positions = _alternation("position_words")
    return {
        # optional titles, then two to five capitalised words or initials
        "name": re.compile(rf"^(?:(?:{titles})\.?\s+)*(?:[A-Z][A-Za-z'’.-]*\s+){{1,4}}[A-Z][A-Za-z'’-]+"),
        "position_start": re.compile(rf"(?:^|\s)(?:(?:{positions})\b|[A-Z]{{3,}}\s+(?:{positions})\b)"),
    }


@dataclass
class Signature:
    """The signer's name and position as read from their lines: (line, start, end) in the line's text."""

    name: tuple[Line, int, int]
    position: tuple[Line, int, int] | None


def signature(lines: list[Line], closing: int) -> Signature | None:
    """The signer's name: the first line under the closing that is a name and does not open with a
    position word (the signature's ink, read as letters, sits on the closing's line or between); the
    position: the line under it, from its first position word (`Was Director` -> `Director`, the `Was`
    being ink), as the Thai signature's position line is read."""
    r = _signature_res()
    p = patterns()
    below = [line for line in lines[closing + 1:closing + 1 + SIGNATURE_LINES] if line.text]
    for k, line in enumerate(below):
        text = latin_part(line.text)
        m = r["name"].match(text)
        opens_position = (found := r["position_start"].search(text)) is not None and found.start() == 0
        if not m or opens_position or p["enclosure"].match(text) or p["copy"].match(text):
            continue
        lead = line.text.index(m.group())  # past what `latin_part` stripped (`» Gatot …`)
        name = (line, lead, lead + len(m.group().rstrip()))
        if k + 1 < len(below):
            after = below[k + 1]
            text = latin_part(after.text)
            found = r["position_start"].search(text)
            if found and not p["contact"].search(text):
                lead = after.text.index(text)
                at = found.start() + (1 if text[found.start()].isspace() else 0)
                return Signature(name, (after, lead + at, lead + len(text)))
        return Signature(name, None)
    return None


def _next_item(line: str, count: int) -> re.Match | None:
    """`line` as the next item of a list that holds `count` items: its number or letter comes next in
    order (`3.` after two items, `c)` after two), or it is a bullet."""
    m = patterns()["item"].match(line)
    if m is None:
        return None
    if m.group("n"):
        return m if int(m.group("n")) == count + 1 else None
    if m.group("a"):
        return m if ord(m.group("a")) - ord("a") == count else None
    return m


def enclosure_list(lines: list[Line], closing: int) -> tuple[Line | None, list[tuple[int, int]]]:
    """The `Encl:` line after the closing and the spans of its items: items in order (wrapped lines and
    a stamp's or a minute's lines between them skipped; a blank line ends the list unless the next item
    follows), else the label's own text as one item (`Enclosure: Concept note`)."""
    p = patterns()
    foot = [line for line in lines[closing + 1:closing + 1 + FOOT_LINES * 3] if line.text][:FOOT_LINES]
    label = next((line for line in foot if p["enclosure"].match(line.text)), None)
    if label is None:
        return None, []
    items: list[tuple[int, int]] = []
    before_first = 0
    for line in lines[label.index + 1:]:
        if not line.text:
            following = next((l for l in lines[line.index + 1:] if l.text), None)
            if items and not (following and _next_item(following.text, len(items))):
                break
            continue
        m = _next_item(line.text, len(items))
        if m:
            items.append((line.start + m.end() - 1, line.end))
        elif items:
            if mostly_latin(line.text):
                items[-1] = (items[-1][0], line.end)  # the item wraps onto this line
        else:
            before_first += 1
            if before_first > ENCLOSURE_LINES:
                break
    if not items:
        after = p["enclosure"].match(label.text).end()
        rest = latin_part(label.text[after:])
        if re.search("[A-Za-z]{3,}", rest):
            at = label.start + label.text.index(rest, after)
            items = [(at, at + len(rest))]
    return label, items


def foot_end(lines: list[Line], closing: int) -> int:
    """The last line of a letter's foot: its enclosure list, else its signer's position or name, else
    its closing. A letter that follows starts below it, however its letterhead runs."""
    label, items = enclosure_list(lines, closing)
    if items:
        return max(line.index for line in lines if line.start <= items[-1][1] and line.text)
    if label is not None:
        return label.index
    signed = signature(lines, closing)
    if signed is None:
        return closing
    return (signed.position or signed.name)[0].index


def _signatory(ctx: LetterContext, lay: EnglishLayout) -> None:
    if lay.closing is None:
        return
    signed = signature(lay.lines, lay.closing)
    if signed is None:
        return
    line, at, to = signed.name
    _set(ctx, "signatory_name", line.text[at:to], line.start + at, line.start + to)
    if signed.position is not None:
        line, at, to = signed.position
        _set(ctx, "signatory_position", line.text[at:to], line.start + at, line.start + to)


def _enclosures(ctx: LetterContext, lay: EnglishLayout) -> None:
    if lay.closing is None:
        return
    for position, (start, end) in enumerate(enclosure_list(lay.lines, lay.closing)[1], start=1):
        description = clean_value(latin_part(ctx.parse[start:end]))
        ctx.enclosures.append({"position": position, "description": description, "quantity": None,
                               "unit": None, "ref": None})
        ctx.add_span("enclosure", start, end, description)
