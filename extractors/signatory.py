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

from extractors import facts
from extractors.context import LetterContext
from extractors.keywords import tolerant, tolerant_alternation
from pipeline.normalise import clean_value

NAME_LINE_RE = re.compile(r"^\(\s*(?P<name>[^()\d]{3,80}?)\s*\)$")
SEARCH_LINES = 12


@lru_cache(maxsize=None)
def _res() -> dict[str, re.Pattern]:
    titles = facts.alternation(facts.words("name_titles"))
    acting = facts.alternation(facts.words("acting_for"))
    return {
        "title_only": re.compile(rf"^(?:{tolerant_alternation(facts.words('name_titles'))})$"),
        "titled_name": re.compile(rf"^(?:{titles})\s?[ก-๙]{{2,}}(?:\s+[ก-๙.]{{2,}}){{1,2}}$"),
        "acting_end": re.compile(rf"(?:{acting})$"),
        "acting_start": re.compile(rf"^(?:{acting})"),
        "not_position": re.compile(r"^(?:โทร|โทรสาร|E-?mail|อีเมล|www\.|ที่\s|กลุ่ม|ฝ่าย|งาน|ส่วน|กอง|สำนักงาน|ที่ทำการ|ศูนย์)"),
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
    if lay.closing is not None:
        candidates = range(lay.closing + 1, min(len(lay.lines), lay.closing + SEARCH_LINES))
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
        text = lay.lines[i].text
        if r["not_position"].match(text) or NAME_LINE_RE.match(text):
            break
        if positions and not (r["acting_end"].search(lay.lines[positions[-1]].text) or r["acting_start"].match(text)):
            break
        positions.append(i)
        i = _next_nonblank(lay, i)
    if positions:
        value = clean_value(" ".join(lay.lines[j].text for j in positions))
        ctx.letter["signatory_position"] = value
        ctx.add_span("signatory_position", lay.lines[positions[0]].start, lay.lines[positions[-1]].end, value)


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
