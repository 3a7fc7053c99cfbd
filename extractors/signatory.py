"""The signature block: the signer's name with its title, and the position lines under it.

The name is printed in brackets under the signature (`(นายอรรชัช สุสัมพันธรัตน์)`);
a rank or `ว่าที่ร้อยตรี` may stand alone on the line above it. The position
is the next line, with the line after it when the signer acts for someone
(`ปลัดจังหวัดสกลนคร ปฏิบัติราชการแทน` / `ผู้ว่าราชการจังหวัดสกลนคร`). The
owner unit and telephone under that are not part of the position.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.thai import facts
from extractors.context import LetterContext
from extractors.keywords import tolerant, tolerant_alternation
from pipeline.thai.normalise import clean_value

# OCR may read the closing bracket as a square one (r50: `(นายบุญรักษ์ ยอดเตชร์]`)
NAME_LINE_RE = re.compile(r"^\(\s*(?P<name>[^()\[\]\d]{3,80}?)\s*[)\]]$")
SEARCH_LINES = 12


@lru_cache(maxsize=None)
def _res() -> dict[str, re.Pattern]:
    titles = facts.alternation(facts.words("name_titles"))
    acting = facts.alternation(facts.words("acting_for"))
    # what opens a line under the position: the owner unit, its contacts
    not_position = r"(?:โทร|โทรสาร|E-?mail|อีเมล|www\.|ที่\s|กลุ่ม|ฝ่าย|งาน|ส่วน|กอง|สำนัก|ที่ทำการ|ศูนย์)"
    return {
        "title_only": re.compile(rf"^(?:{tolerant_alternation(facts.words('name_titles'))})$"),
        "titled_name": re.compile(rf"^(?:{titles})\s?[ก-๙]{{2,}}(?:\s+[ก-๙.]{{2,}}){{1,2}}$"),
        "acting_end": re.compile(rf"(?:{acting})$"),
        "acting_start": re.compile(rf"^(?:{acting})"),
        "not_position": re.compile(rf"^{not_position}"),
        "acting": re.compile(rf"(?:{acting})\s+"),
        "unit_after_space": re.compile(rf"\s(?={not_position})"),
        "another_name": re.compile(rf"\s\(\s*(?:{titles})"),
    }


def canonical_title(printed: str) -> str:
    """The title as the table spells it, when OCR dropped a mark (`ว่าทีร้อยตรี`)."""
    for title in sorted(facts.words("name_titles"), key=len, reverse=True):
        if re.fullmatch(tolerant(title), printed):
            return title
    return printed


def extract_signatory(ctx: LetterContext) -> None:
    ctx.letter["signatory_name"] = None
    ctx.letter["signatory_position"] = None
    lay = ctx.layout
    r = _res()
    if ctx.letter.get("form") == "stamped":
        return
    memo_close = _memo_closing(ctx) if lay.closing is None else None
    if lay.closing is not None:
        candidates = range(lay.closing + 1, min(len(lay.lines), lay.closing + SEARCH_LINES))
    elif memo_close is not None:
        # a memo: the first bracketed line after its closing sentence is the signer's; the
        # names bracketed below it are minutes (an approval written on the memo, r45), so a
        # signer's name OCR garbled (`(นายใส่กง สวารรถแก๓ร)`) leaves the name null, not the next
        first = next((l.index for l in lay.lines[memo_close + 1:memo_close + SEARCH_LINES]
                      if _BRACKETED.match(l.text)), None)
        if first is not None and not NAME_LINE_RE.match(lay.lines[first].text):
            ctx.warnings.append(f"signer's name unreadable ({lay.lines[first].text!r}): signatory left empty")
            return
        candidates = [first] if first is not None else []
    else:
        # memos, orders, announcements: the last bracketed name after the body
        first = lay.body or 0
        candidates = [l.index for l in lay.lines[first:] if NAME_LINE_RE.match(l.text)][-1:]
    name_line = None
    for i in candidates:
        text = lay.lines[i].text
        if NAME_LINE_RE.match(text) or (lay.closing is not None and r["titled_name"].match(text)):
            name_line = i
            break
    if name_line is None:
        _from_signature_zone(ctx)
        return
    line = lay.lines[name_line]
    m = NAME_LINE_RE.match(line.text)
    name = m.group("name") if m else line.text
    start = line.start + (m.start("name") if m else 0)
    above = _previous_nonblank(lay, name_line)
    if above is not None and r["title_only"].match(lay.lines[above].text):
        name = f"{canonical_title(lay.lines[above].text)} {name}"
        start = lay.lines[above].start
    ctx.letter["signatory_name"] = clean_value(name)
    ctx.add_span("signatory_name", start, line.end, ctx.letter["signatory_name"])

    positions: list[int] = []
    i = _next_nonblank(lay, name_line)
    while i is not None and len(positions) < 3:
        text = _position_text(lay.lines[i].text)
        if _SPECK_LINE.match(text):
            i = _next_nonblank(lay, i)  # a scan's specks under the name or between the lines of a position (`\`, `เ`, `7`)
            continue
        if r["not_position"].match(text) or NAME_LINE_RE.match(text):
            break
        if positions and not (r["acting_end"].search(_position_text(lay.lines[positions[-1]].text))
                              or r["acting_start"].match(text)):
            break
        positions.append(i)
        i = _next_nonblank(lay, i)
    if positions:
        value = clean_value(" ".join(_position_text(lay.lines[j].text) for j in positions))
        end = lay.lines[positions[-1]].end
        if value:
            value, end = _position_end(value, lay.lines[positions[0]].start, end)
        ctx.letter["signatory_position"] = value
        if value:
            ctx.add_span("signatory_position", lay.lines[positions[0]].start, end, value)


_TRAILING_SPECK = re.compile(r"^(?!.*\d)(?:\S{1,2}|[^ก-ฮ]+)$")  # one or two characters, or no Thai letter; no digit
_PHONE_CUE = re.compile(r"\s(?:โทร|Tel)")
_LATIN_WORD = re.compile(r"\s(?=[A-Za-z])")


def _position_end(value: str, start: int, end: int) -> tuple[str | None, int]:
    """The position alone, when a text whose line breaks were lost ran on after it on its line
    what a typed letter prints on lines of its own:

    * the owner unit and its telephone (`… ผู้ว่าราชการจังหวัดพัทลุง สำนักงานจังหวัดพัทลุง
      กลุ่มงาน… โทร …`, r34): the position ends before the first word that opens such a line
      (`not_position`) ahead of the telephone cue, else at the cue;
    * a word in Latin letters (an enclosure's `QR-Code …`, r32): no position of the dev set
      holds one;
    * another bracketed name (`… ขั้นพื้นฐาน ( นายตำส7 …`, r50: the minutes' signer below);
    * anything longer than any position (MAX_POSITION_CHARS): the rest of the letter, cut at
      the first `not_position` word, else no position.

    A position that merely holds such a word after a space with no telephone after it
    (`เลขาธิการคณะกรรมการ กองทุนบำเหน็จบำนาญข้าราชการ`, r02) is left whole. Then its specks go
    (`_without_specks`)."""
    r = _res()
    stop = r["unit_after_space"]
    cuts = [m.start() for m in (_LATIN_WORD.search(value), r["another_name"].search(value)) if m]
    if phone := _PHONE_CUE.search(value):
        unit = stop.search(value, 0, phone.start() + 1)
        cuts.append(unit.start() if unit else phone.start())
    if len(value) > MAX_POSITION_CHARS:
        cut = stop.search(value)
        if cut is None or cut.start() > MAX_POSITION_CHARS:
            return None, end
        cuts.append(cut.start())
    if cuts:
        value = value[:min(cuts)].strip()
        end = start + len(value)
    return _without_specks(value) or None, end


# a speck no Thai word can be: up to three characters opening with a vowel sign above or below,
# or ending with mai han-akat (not a Gazette word broken before its sara am, `ค ําสั่ง`)
_NOT_A_WORD = re.compile(r"^(?:[\u0e31\u0e34-\u0e3a\u0e47\u0e4c]\S{0,2}|\S{1,2}\u0e31)$")


def _without_specks(value: str) -> str:
    """A position without the specks OCR read around its words, which a typed letter's lines
    would have left on lines of their own or which are no word at all:

    * between an acting phrase and the position it acts for (`ปฏิบัติราชการแทน เ 7 -« ผู้ว่าราชการ…`, r32);
    * a token no Thai word can be (`ผู้ว่าราชการ รจั จังหวัดอุบลราชธานี`, r41);
    * after it (`… จังหวัดลพบุรี ฆ`, r40), but a number that ends an office's name stays (`… เขต ๓`);
    * a full stop after its last word (`… จังหวัดอุบลราชธานี.`, r41), not an abbreviation's (`สพป.`)."""
    words = tuple(facts.vocabulary()["position_words"]["words"])
    acting = _res()["acting"].search(value)
    if acting:
        rest = value[acting.end():].split()
        while rest and not rest[0].startswith(words) and _SPECK_LINE.match(rest[0]):
            rest.pop(0)
        value = value[:acting.end()] + " ".join(rest)
    kept = [token for token in value.split() if not _NOT_A_WORD.search(token)]
    while len(kept) > 1 and _TRAILING_SPECK.match(kept[-1]):
        kept.pop()
    if kept and kept[-1].endswith(".") and kept[-1].count(".") == 1 and len(kept[-1]) > 6:
        kept[-1] = kept[-1][:-1]
    return " ".join(kept) if kept != value.split() else value


_BRACKETED = re.compile(r"^\(.{3,80}\)$")  # a bracketed line, whatever OCR made of the name in it
_MEMO_CLOSING = re.compile(r"^จึง\s?เรียน\s?มา")  # `จึงเรียนมาเพื่อโปรดทราบ …`: a memo's last sentence


def _memo_closing(ctx: LetterContext) -> int | None:
    """The line of a memo's closing sentence (`จึงเรียนมาเพื่อ…`), the last one, or None."""
    if ctx.letter.get("form") != "internal":
        return None
    found = [l.index for l in ctx.layout.lines if _MEMO_CLOSING.match(l.text)]
    return found[-1] if found else None


# a line of a scan's specks: one or two characters, or no Thai letter at all
_SPECK_LINE = re.compile(r"^(?:\S{1,2}|[^ก-ฮ]*)$")
_LEAD_NOISE = re.compile(r"^(?:[^\sก-ฮ]+\s+)+")  # `Oo รองผู้ว่าราชการ…`, `-« ผู้ว่าราชการ…`: tokens with no Thai letter


def _position_text(text: str) -> str:
    """A position line without the OCR noise a scan puts before it: tokens with no Thai letter,
    or a lone consonant glued to a position word (`ฐรองปลัดกระทรวง…`, r38)."""
    text = _LEAD_NOISE.sub("", text)
    words = tuple(facts.vocabulary()["position_words"]["words"])
    if len(text) > 1 and "\u0e01" <= text[0] <= "\u0e2e" and not text.startswith(words) and text[1:].startswith(words):
        text = text[1:]
    return text


def _next_nonblank(lay, i: int) -> int | None:
    for j in range(i + 1, min(len(lay.lines), i + 4)):
        if lay.lines[j].text:
            return j
    return None


def _previous_nonblank(lay, i: int) -> int | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        if lay.lines[j].text:
            return j
    return None


NAME_TOKEN_RE = re.compile(r"^[ก-๙][ก-๙.]+$")
MAX_POSITION_CHARS = 200


def _from_signature_zone(ctx: LetterContext) -> None:
    """An unbracketed signature after `ประกาศ ณ วันที่ …`/`สั่ง ณ วันที่ …`, as the Royal
    Gazette and news pages print it: the name (titles standing alone, then a given name
    and a surname), then the position, on lines of their own or run into one line
    (`ประเวช องอําจสิทธิกุล เลขําธิกําร คณะกรรมการ… นายทะเบียน`). Every word of a name
    is Thai letters; a press credit (`***กองเผยแพร่…***`) is no name."""
    alignment = ctx.alignment
    zone = alignment.zones.get("signature") if alignment is not None else None
    if zone is None:
        return
    text = ctx.parse[zone.start:zone.end]
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    if not lines:
        return
    # words with their offsets, line by line
    words = [(zone.start + off + m.start(), m.group(), k) for k, (off, line) in enumerate(lines)
             for m in re.finditer(r"\S+", line)]
    positions = tuple(facts.vocabulary()["position_words"]["words"])
    if words[0][1].startswith(positions) and lines[0][1].strip() == words[0][1] and len(lines) <= 3:
        # a position alone on its line: the name above it was left blank (a draft) or not printed
        start, end = words[0][0], words[-1][0] + len(words[-1][1])
        position = clean_value(ctx.parse[start:end])
        if position and len(position) <= MAX_POSITION_CHARS:
            ctx.letter["signatory_position"] = position
            ctx.add_span("signatory_position", start, end, position)
        return
    i = 0
    while i < len(words) and _res()["title_only"].match(words[i][1]):
        i += 1  # a rank printed without its tone marks too (`วาที่รอยตรี`)
    name_words = words[i:i + 2]
    if len(name_words) < 2 or not all(NAME_TOKEN_RE.match(w) for _, w, _ in words[:i + 2]):
        return
    if _res()["not_position"].match(words[0][1]) or any(w.startswith(tuple(facts.words("letterhead_org_prefixes")))
                                                        for _, w, _ in name_words[:1]):
        return
    if name_words[1][2] != name_words[0][2]:
        return  # a given name and a surname share a line
    start, end = words[0][0], name_words[1][0] + len(name_words[1][1])
    name = clean_value(ctx.parse[start:end])
    ctx.letter["signatory_name"] = name
    ctx.add_span("signatory_name", start, end, name)
    rest = words[i + 2:]
    # a line opening with a name's title or a form of address is an inside address, not the position
    stops = tuple(facts.words("name_titles")) + tuple(facts.vocabulary()["honorifics"]["words"])
    for k, (_, word, line_no) in enumerate(rest):
        if k and line_no != rest[k - 1][2] and word.startswith(stops) and not word.startswith(positions):
            rest = rest[:k]
            break
    if not rest or rest[0][1].startswith(tuple(facts.vocabulary()["honorifics"]["words"])):
        return
    pos_start = rest[0][0]
    pos_end = rest[-1][0] + len(rest[-1][1])
    position = clean_value(ctx.parse[pos_start:pos_end])
    if position and len(position) <= MAX_POSITION_CHARS:
        ctx.letter["signatory_position"] = position
        ctx.add_span("signatory_position", pos_start, pos_end, position)
