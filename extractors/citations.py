"""`อ้างถึง` (letters cited) and `สิ่งที่ส่งมาด้วย` (enclosures, some of them letters).

An item names a letter as `หนังสือ<agency> ที่ <ref> ลงวันที่ <date>`; an
enclosure list is numbered (`๑. … จำนวน ๑ ชุด`) or a single unnumbered item.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.context import LetterContext
from extractors.keywords import patterns as keyword_patterns
from extractors.reference import find_references
from extractors.thaidate import find_dates
from pipeline.thai.normalise import clean_raw, clean_value

ITEM_RE = re.compile(r"(?:(?<=\s)|^)['`‘’]?\(?(?P<n>\d{1,2})[.)]\s*(?=\S)")  # OCR: a speck before it ('๖.)
# a line's item number as OCR may read it: a digit, or Latin letters and signs for one (`on.`, `©.`)
LOOSE_ITEM_RE = re.compile(r"(?:(?<=\s)|^)\(?(?P<n>\d{1,2}|[A-Za-z©®]{1,2})[.)]\s+(?=\S)")
QUANTITY_RE = re.compile(r"จ\S{0,2}นวน\s*(?P<q>\d{1,5})\s*(?P<unit>[ก-๙]+(?:\s?[ก-๙]+)?)?")  # OCR: จ้านวน


def _block(ctx: LetterContext, first: int | None) -> tuple[int, int] | None:
    """Span of a header block: from its keyword line to the next block or the body."""
    lay = ctx.layout
    if first is None:
        return None
    ends = [x for x in (lay.cites, lay.encl, lay.body) if x is not None and x > first]
    last = min(ends) if ends else min(len(lay.lines), first + 10)
    return lay.span(first, last)


# A letter cited by its number alone after `ที่`: the writer's own office leaves out its agency
# letters (`หนังสือจังหวัดพัทลุง ที่ ๐๐๑๗.๒/ว ๒๓๕๘`, r34), and an order is numbered in its year
# (`คำสั่ง… ที่ ๑๐๗/๒๕๖๗`). Read only where no reference with agency letters is in the block.
_BARE_NUMBER_RE = re.compile(
    r"(?<![ก-๙])ที่\s*(?P<office>\d{2,6}(?:\s?\.\s?\d{1,3}){0,3})\s*/\s*(?P<circ>ว\s?\.?)?\s*(?P<num>\d{1,6})(?![\d/])")


@dataclass
class _Bare:
    start: int
    end: int
    ref: str


def _bare_numbers(text: str, start: int, end: int) -> list[_Bare]:
    out = []
    for m in _BARE_NUMBER_RE.finditer(text, start, end):
        office = re.sub(r"\s", "", m.group("office"))
        number = m.group("num").lstrip("0") or "0"
        out.append(_Bare(m.start("office"), m.end(), f"{office}/{'ว ' if m.group('circ') else ''}{number}"))
    return out


def _letters_in(ctx: LetterContext, start: int, end: int) -> list[dict]:
    """Each reference in text[start:end] with the date printed after it."""
    refs = find_references(ctx.parse, start, end) or _bare_numbers(ctx.parse, start, end)
    out = []
    for i, ref in enumerate(refs):
        stop = refs[i + 1].start if i + 1 < len(refs) else end
        dates = [d for d in find_dates(ctx.parse, ref.end, stop) if d.date]
        date = dates[0] if dates else None
        out.append({
            "ref": ref.ref, "ref_raw": clean_raw(ctx.raw(ref.start, ref.end)),
            "date": date.date if date else None,
            "date_raw": clean_raw(ctx.raw(date.start, date.end)) if date else None,
            "target_letter_id": None, "_span": (ref.start, date.end if date else ref.end),
        })
    return out


def extract_citations(ctx: LetterContext) -> None:
    block = _block(ctx, ctx.layout.cites)
    if not block:
        return
    for item in _letters_in(ctx, *block):
        span = item.pop("_span")
        ctx.citations.append({"kind": "cites", **item})
        ctx.add_span("cites", span[0], span[1], item["ref"])


def extract_enclosures(ctx: LetterContext) -> None:
    block = _block(ctx, ctx.layout.encl)
    if not block:
        return
    start, end = block
    head = keyword_patterns()["encl"].match(ctx.parse[start:end])
    start += head.end() if head else 0
    items = _split_items(ctx.parse, start, end)
    for position, (a, b) in enumerate(items, start=1):
        text = ctx.parse[a:b]
        qty = QUANTITY_RE.search(text)
        description = clean_value(text[: qty.start()] if qty else text)
        letters = _letters_in(ctx, a, b)
        ref = letters[0] if letters else None
        ctx.enclosures.append({
            "position": position,
            "description": description,
            "quantity": int(qty.group("q")) if qty else None,
            "unit": qty.group("unit") if qty and qty.group("unit") else None,
            "ref": ref["ref"] if ref else None,
        })
        ctx.add_span("enclosure", a, b, description)
        if ref:
            span = ref.pop("_span")
            ctx.citations.append({"kind": "encloses", **ref})
            ctx.add_span("encloses", span[0], span[1], ref["ref"])


# an item number whose dot OCR lost (r50: `สิ่งที่ส่งมาด้วย ๑ คำสั่ง…` then `๒. ตาราง…`; r34: `๒ แบบตอบรับ…`):
# a bare number opening a line (or the block) before Thai, taken only as the next number of the run
BARE_ITEM_RE = re.compile(r"(?P<n>\d{1,2})\s+(?=[ก-ฮเ-ไ])")


def _split_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Numbered items 1., 2., … in order (a number opening a line may have lost its dot); else the
    whole block as one item."""
    marks = []
    expected = 1
    bare = [m for m in BARE_ITEM_RE.finditer(text, start, end) if _opens_line(text, start, m.start())]
    for m in sorted([*ITEM_RE.finditer(text, start, end), *bare], key=lambda m: m.start()):
        if int(m.group("n")) == expected and (not marks or m.start() >= marks[-1].end()):
            marks.append(m)
            expected += 1
    if len(marks) == 1 and marks[0].re is BARE_ITEM_RE:
        marks = []  # one bare number is a quantity or a stray digit, not a list
    # OCR misreads the item numbers themselves (๑. -> ๗.): numbers opening lines still mark items
    at_line_start = [m for m in LOOSE_ITEM_RE.finditer(text, start, end) if _opens_line(text, start, m.start())]
    if len(at_line_start) >= 2 and len(at_line_start) > len(marks):
        marks = at_line_start
    if len(marks) < 1 or (len(marks) == 1 and not text[start:marks[0].start()].strip() == ""):
        body = text[start:end].strip()
        return [(start, end)] if body else []
    bounds = [m.start() for m in marks] + [end]
    return [(m.end(), bounds[i + 1]) for i, m in enumerate(marks)]


def _opens_line(text: str, start: int, pos: int) -> bool:
    """Nothing but spaces between the line's start (or the block's) and pos."""
    return not text[max(text.rfind("\n", start, pos) + 1, start):pos].strip()
