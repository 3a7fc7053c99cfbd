"""Dated decisions a letter acts on that are not letters: cabinet resolutions, policies, meetings.

Letters name them as `… เมื่อวันที่ <date>`: `คณะรัฐมนตรี มีมติเมื่อวันที่ …`,
`มอบนโยบายในที่ประชุมคณะรัฐมนตรี เมื่อวันที่ …`, `ประชุมชี้แจง … เมื่อวันที่ …`.
The kind is read from the clause around the date, strongest cue first (a
resolution outranks a policy, which outranks a meeting), because one clause
often holds several cue words.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.thai import facts
from extractors.context import LetterContext
from extractors.keywords import aa_or_am, tolerant
from extractors.thaidate import find_dates
from pipeline.thai.normalise import clean_raw

BEFORE, AFTER = 320, 60
ANCHOR_RE = re.compile(rf"(?:{tolerant('เมื่อ')}\s?|มติคณะรัฐมนตรี\s?|มติ\s?ครม\.?\s?)(?:{tolerant('วันที่')}|วัน)\s*")
# clause words only, never line breaks: PDF text layers wrap lines and OCR splits
# paragraphs mid-clause
CLAUSE_BREAK_RE = re.compile(r"ในการนี้?|ทั้งนี้?|นั้น(?=\s)|(?:^|\s)\d{1,2}\.\s")


@lru_cache(maxsize=None)
def _weekday_re() -> re.Pattern:
    return re.compile(rf"(?:{facts.alternation(list(facts.weekdays()))})\s?(?:{tolerant('ที่')})?\s*")


@lru_cache(maxsize=None)
def _kinds() -> list[tuple[str, re.Pattern]]:
    # sara aa and sara am stand for each other, as in the forms' cues (a Gazette text writes `ควํามเห็นชอบ`)
    return [(k["kind"], re.compile(aa_or_am(facts.alternation(k["cues"]))))
            for k in facts.vocabulary()["mention_kinds"]]


@lru_cache(maxsize=None)
def _document_re() -> re.Pattern:
    return re.compile(aa_or_am(facts.alternation(facts.vocabulary()["mention_document_words"]["words"])))


def _dates_a_document(before: str) -> bool:
    """A document word after the clause's last cue of a mention kind: the date that follows is
    the document's (see vocabulary.json mention_document_words)."""
    cues = [m.end() for _, cue in _kinds() for m in cue.finditer(before)]
    documents = [m.start() for m in _document_re().finditer(before)]
    return bool(documents) and (not cues or max(documents) >= max(cues))


def extract_mentions(ctx: LetterContext) -> None:
    text = ctx.parse
    letter_date = ctx.letter.get("date")
    seen: set[tuple] = set()
    for anchor in ANCHOR_RE.finditer(text):
        dates = find_dates(text, anchor.end(), min(len(text), anchor.end() + 40))
        # `เมื่อวันศุกร์ที่ ๒๒ กรกฎาคม …`: the anchor took `วัน`, the weekday stands before the day
        if not dates or (dates[0].start != anchor.end() and not _weekday_re().fullmatch(text[anchor.end():dates[0].start])):
            continue
        d = dates[0]
        if d.year is None and letter_date:
            d.year = letter_date.year
        if d.date is None:
            continue
        lo = max(0, anchor.start() - BEFORE)
        breaks = list(CLAUSE_BREAK_RE.finditer(text, lo, anchor.start()))
        lo = breaks[-1].end() if breaks else lo
        hi = min(len(text), d.end + AFTER)
        brk = CLAUSE_BREAK_RE.search(text, d.end, hi)
        hi = brk.start() if brk else hi
        clause = text[lo:anchor.start()] + " " + text[anchor.start():anchor.end()] + " " + text[d.end:hi]
        kind = next((k for k, cue in _kinds() if cue.search(clause)), None)
        if kind is None or (kind, d.date) in seen or _dates_a_document(text[lo:anchor.start()]):
            continue
        seen.add((kind, d.date))
        ctx.mentions.append({"kind": kind, "date": d.date,
                             "raw": clean_raw(ctx.raw(lo, d.end))})
        ctx.add_span(f"mention_{kind}", anchor.start(), d.end, d.date)
