"""The words that carry a letter's structure, as patterns: one place for the splitter and the layout.

OCR drops or doubles Thai marks in exactly these words (`ที่`→`ที`,
`เรื่อง`→`เรือง`, `สิ่งที่ส่งมาด้วย`→`สิ่งทีส่งมาด้วย`), so each is matched
with its above- and below-line marks optional: the consonants and vowels
still have to be there, in order.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.thai import facts
from extractors.reference import PARTIAL_REF, REF_RE
from pipeline.thai.chars import MARKS


def tolerant(word: str) -> str:
    """A regex for `word` with every Thai mark optional and spaces optional."""
    out = []
    for ch in word:
        if ch in MARKS:
            out.append(re.escape(ch) + "?")
        elif ch == " ":
            out.append(r"\s?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def loose(word: str) -> str:
    """`tolerant`, and OCR may also break the word with a space anywhere (`ระ หว่าง`)."""
    parts = []
    for ch in word:
        if ch in MARKS:
            parts[-1] += re.escape(ch) + "?"
        elif ch != " ":
            parts.append(re.escape(ch))
    return r"\s?".join(parts)


def aa_or_am(pattern: str) -> str:
    """`pattern` with sara aa and sara am standing for each other: a Royal Gazette text layer
    writes `อําศัย` for อาศัย (nikhahit + aa, normalised to sara am), `บาเหน็จ` for บำเหน็จ and
    `อ้านาจ` for อำนาจ (its sara am drawn as mai tho + aa)."""
    return re.sub("[าำ]", "\u0e49?[าำ]", pattern)


def loose_alternation(words: list[str]) -> str:
    return "|".join(loose(w) for w in sorted(set(words), key=len, reverse=True))


def tolerant_alternation(words: list[str]) -> str:
    return "|".join(tolerant(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=None)
def patterns() -> dict[str, re.Pattern]:
    marks = facts.words("urgency") + facts.words("secrecy")
    headings = facts.words("order_heading") + facts.words("announcement_heading")
    mark_prefix = rf"(?:(?:{facts.alternation(marks)})\s+)?"
    return {
        # `ที่ <ref>`, possibly after an urgency mark on the same line
        "ref_line": re.compile(rf"^{mark_prefix}{tolerant('ที่')}\s*(?={REF_RE.pattern})"),
        # the same line when OCR turned `ที่ มท` into Latin letters (`NNN ๐๘๑๐.๗/ว ๒๐๐`)
        "ref_line_unread": re.compile(
            rf"^{mark_prefix}(?:{tolerant('ที่')}\s*)?(?P<agency>[A-Za-z]{{1,4}})\s*"
            r"(?P<office>\d{3,6}(?:\s?\.\s?\d{1,3}){0,3})\s*/\s*(?P<circ>ว\s?\.?)?\s*(?P<num>\d{1,6})(?![\d/])"),
        # `ที่ พท ๐๐๑๗.๒/ว` then a handwritten number OCR cannot read: the printed part only
        "ref_line_partial": re.compile(
            rf"^{mark_prefix}{tolerant('ที่')}\s*{PARTIAL_REF}"),
        "subject": re.compile(rf"^{tolerant('เรื่อง')}(?:\s|$)"),
        "salutation": re.compile(rf"^(?:{tolerant_alternation(['กราบเรียน', 'เรียน', 'ถึง'])})(?:\s|$)"),
        "cites": re.compile(rf"^{tolerant('อ้าง ถึง')}(?:[\s,.:;]|$)"),  # OCR: `อ้างถึง, ,หนังสือ`
        "encl": re.compile(rf"^{tolerant('สิ่ง ที่ ส่ง มา ด้วย')}"),
        "dated": re.compile(rf"^{tolerant('ลง วันที่')}"),
        "closing": re.compile(rf"^(?:{tolerant_alternation(facts.words('closing'))})"),
        # a red urgency stamp can sit beside the heading, on its line (`ด่วนที่สุด บันทึกข้อความ`)
        "memo": re.compile(rf"^\s*{mark_prefix}(?:{tolerant_alternation(facts.words('memo_heading'))})\s*$"),
        # alone on its line, or with the covering letter's `… ที่ … ลงวันที่ …` after it
        "dist": re.compile(rf"^(?:{tolerant_alternation(facts.words('distribution_heading'))})"
                           rf"(?:\s*$|\s+\S.*{tolerant('ลง วันที่')})"),
        "heading": re.compile(rf"^(?:{facts.alternation(headings)})(?=\S)[^\n]{{0,80}}$"),
        "mark": re.compile(rf"^(?:{facts.alternation(marks)})$"),
        "body_opener": re.compile(rf"^(?:{facts.alternation(facts.words('body_openers'))})"),
        "item": re.compile(r"^\(?\d{1,2}[.)]"),
        "continuation": re.compile(rf"^(?:{tolerant('ลง วันที่')}|จำนวน|ฉบับ|ด่วน)"),
    }
