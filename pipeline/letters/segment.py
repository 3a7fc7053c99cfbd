"""Split stage: one source's normalised text into its letters.

A scanned file often holds several letters: a province's covering letter, the
ministry letter it forwards, a distribution list, a QR-code page. A letter
starts at a `ที่ <reference>` line (with the urgency marks just above it), at
`บันทึกข้อความ`, or at a `ประกาศ…`/`คำสั่ง…` heading. What is not a start:
a distribution list's own `ที่ … / ลงวันที่ …` header (it belongs to the
covering letter), receipt stamps, page-continuation markers, mottos, and a
second `ที่` line inside a memo's header.

A letter in English (one an international organisation or an embassy wrote,
forwarded under a Thai covering letter) starts at its letterhead, above its
reference or date line, when a salutation (`Dear …`) follows and a closing
(`Yours sincerely`) after it (`_english_letters`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.thai import facts
from extractors.context import Line, split_lines
from extractors.english import (ENGLISH_HINT, foot_end, is_closing, is_salutation, mostly_latin, mostly_thai,
                                opens_english_head)
from extractors.keywords import patterns as keyword_patterns
from pipeline.thai.chars import THAI


@dataclass
class Segment:
    start: int
    end: int
    form_hint: str | None  # "memo", "heading", "ref" or "english": what opened it


def _patterns() -> dict[str, re.Pattern]:
    return keyword_patterns()


def _is_heading(line: str, following: list[str]) -> bool:
    """`ประกาศ…`/`คำสั่ง…` opens a letter only as a heading: numbered
    (`ที่ ๑๒/๒๕๖๗`) or followed by its `เรื่อง` line, not a body line that
    happens to start with the word."""
    if re.search(r"ที่\s*\d+\s*/\s*\d{2,4}", line):
        return True
    return any(f.lstrip("(").startswith(("เรื่อง", "ที่", "ฉบับที่")) for f in following)  # `(ฉบับที่ ๕๓๓/๒๕๕๓)`


HEAD_LINES = 15  # a letter's `เรื่อง`/`เรียน`/`ถึง` follows its reference within this many lines


def _opens_a_head(line: str, following: list[str], p: dict[str, re.Pattern]) -> bool:
    """A `ที่ <ref>` line heads a letter, not a citation that a PDF line wrap put at
    a line start: no `ลงวันที่` after it, and a subject or addressee soon below."""
    if re.search(r"ลง\s?วันที่?", line):
        return False
    return any(p["subject"].match(f) or p["salutation"].match(f) for f in following)


REPEAT_LINES = 6  # a web page repeats its title within this many lines (headline, then heading)


def _repeats_heading(lines: list, start: int, i: int) -> bool:
    """The heading at line `i` repeats one a few lines above in the same letter, before
    any body: a news page prints the document's heading as its headline, then again.
    A body opener, a closing or a `… ณ วันที่` line between them makes it a new letter."""
    text = re.sub(r"\s", "", lines[i][1])
    p = _patterns()
    window = [t for _, t in lines[max(start, i - REPEAT_LINES):i] if t]
    for k, above in enumerate(window):
        a = re.sub(r"\s", "", above)
        if a == text or (len(text) > 10 and a.endswith(text)):
            between = window[k + 1:]
            return not any(p["body_opener"].match(t) or p["closing"].match(t) or _DATED.search(t) for t in between)
    return False


_DATED = re.compile(r"(?:ประกาศ|สั่ง|ให้ไว้)\s?ณ\s?วันที่")


_SPECK = re.compile(rf"^[^{THAI}\d]{{1,2}}$")  # a line of one or two stray marks, not a word

ENGLISH_HEAD_LINES = 25  # non-blank lines from a reference or date line to the salutation (r43: 11, with a
#                          six-line inside address; a subject, an attention line and a long address fit)
ENGLISH_BODY_LINES = 150  # non-blank lines from the salutation to the closing: a letter of three or four pages
LETTERHEAD_LINES = 8  # non-blank lines of a letterhead above the reference (r43: 5: slogan, name, address, contacts)

def _english_letters(read: list[Line], nonblank: list[int]) -> dict[int, int]:
    """Where each letter in English starts (a line index), with the last line of its foot (the
    signature and the enclosure list under its closing).

    Such a letter is a salutation (`Dear Dr Kamol,`) with a closing (`Yours sincerely`) within
    ENGLISH_BODY_LINES below it, and a reference or date line within ENGLISH_HEAD_LINES above it
    with no Thai line between; from the topmost such line its start goes up over the letterhead
    (lines mostly of Latin letters, LETTERHEAD_LINES at most, below the foot of an English letter
    before it). The lines from that reference or date
    to the closing must be mostly Latin letters: a Thai letter that quotes `Dear colleagues` in its
    body has neither a head in English above it nor an English body under it, and stays whole.
    """
    texts = [line.text for line in read]
    salutations = [k for k, i in enumerate(nonblank) if is_salutation(texts[i])]
    if not salutations:
        return {}
    closings = [k for k, i in enumerate(nonblank) if is_closing(texts[i])]  # ranks, in order
    found: dict[int, int] = {}
    floor = 0  # an English letter's head lies below the previous one's foot
    for k in salutations:
        i = nonblank[k]
        at = bisect.bisect_right(closings, k)
        if i < floor or at == len(closings) or closings[at] - k > ENGLISH_BODY_LINES:
            continue
        closing = nonblank[closings[at]]
        opener = None
        for rank in range(k - 1, max(-1, k - 1 - ENGLISH_HEAD_LINES), -1):
            j = nonblank[rank]
            if j < floor or mostly_thai(texts[j]):
                break
            if opens_english_head(texts[j]):
                opener = rank
        if opener is None or not mostly_latin("\n".join(texts[nonblank[opener]:closing + 1])):
            continue
        start = nonblank[opener]
        for rank in range(opener - 1, max(-1, opener - 1 - LETTERHEAD_LINES), -1):
            j = nonblank[rank]
            if j < floor or not mostly_latin(texts[j]):
                break
            start = j
        foot = foot_end(read, closing)
        found[start] = foot
        floor = foot + 1
    return found


THAI_LINES_BEFORE = 3  # Thai lines above a file's first English letter that make a letter of their own


def split_letters(parse_text: str) -> list[Segment]:
    """Letter boundaries (character offsets into the normalised text)."""
    p = _patterns()
    # (line start, stripped text), the same lines the layout reads
    read = split_lines(parse_text)
    lines = [(line.start, line.text) for line in read]
    nonblank = [i for i, (_, line) in enumerate(lines) if line]

    rank = {i: k for k, i in enumerate(nonblank)}  # not list.index: a file of 16,000 ref lines took 5 s

    def neighbours(i: int, step: int, count: int = 1) -> list[str]:
        k = rank[i]
        picked = nonblank[k + step:k + step + step * count:step] if step > 0 else nonblank[max(0, k - count):k][::-1]
        return [lines[j][1] for j in picked]

    starts: list[tuple[int, str]] = []  # (line index, what opened it)
    has_ref = has_body = False

    def open_letter(i: int, hint: str | None) -> None:
        nonlocal has_ref, has_body
        starts.append((0 if not starts else i, hint))
        has_ref, has_body = hint == "ref", False

    english = _english_letters(read, nonblank)
    english_until = -1
    for i in nonblank:
        line = lines[i][1]
        if i in english:
            if not starts and sum(mostly_thai(lines[j][1]) for j in nonblank if j < i) >= THAI_LINES_BEFORE:
                open_letter(0, None)  # a Thai letter whose start was not read, then the English one
            open_letter(i, ENGLISH_HINT)
            has_body, english_until = True, english[i]  # complete: the next letter's start opens a letter
            continue
        if i <= english_until:
            continue  # a stamp's or a minute's Thai words on an English letter open nothing
        if p["memo"].match(line):
            if not starts or has_ref or has_body:
                open_letter(i, "memo")
        elif p["heading"].match(line) and _is_heading(line, neighbours(i, 1, 2)):
            if starts and _repeats_heading(lines, starts[-1][0], i):
                continue
            if not starts or has_ref or has_body:
                open_letter(i, "heading")
        elif p["ref_line"].match(line) or p["ref_line_unread"].match(line) or p["ref_line_partial"].match(line):
            before, after = neighbours(i, -1), neighbours(i, 1)
            attachment = (before and p["dist"].match(before[0])) or (after and p["dated"].match(after[0]))
            if attachment or not _opens_a_head(line, neighbours(i, 1, HEAD_LINES), p):
                continue
            if not starts or has_ref or has_body:
                open_letter(i, "ref")
            else:
                has_ref = True
        elif p["salutation"].match(line) or p["subject"].match(line) or p["closing"].match(line):
            has_body = True
    if not starts:
        return []
    # marks just above a reference (ด่วนที่สุด, ลับ) open the new letter, not close the old one
    adjusted: list[tuple[int, str]] = []
    for idx, (i, hint) in enumerate(starts):
        j = i
        if idx > 0:
            # over blank lines and OCR specks (`a`, `|`) to the marks above
            k = i
            while k - 1 > starts[idx - 1][0] and (not lines[k - 1][1] or p["mark"].match(lines[k - 1][1])
                                                   or _SPECK.match(lines[k - 1][1])):
                k -= 1
                if p["mark"].match(lines[k][1]):
                    j = k
        else:
            j = 0
        adjusted.append((j, hint))
    segments = []
    for idx, (i, hint) in enumerate(adjusted):
        start = lines[i][0]
        end = lines[adjusted[idx + 1][0]][0] if idx + 1 < len(adjusted) else len(parse_text)
        if parse_text[start:end].strip():
            segments.append(Segment(start, end, hint))
    return segments


SIGNED_LETTER_LINES = 5  # a second letter after a signature holds at least this many lines before its closing
_NAME_LINE = re.compile(r"^\(\s*[^()\d]{3,80}\)$")


def split_after_signatures(parse_text: str, segments: list[Segment]) -> list[Segment]:
    """A segment holding two signed letters, neither opened by a `ที่` line or a heading (a
    letter and its reply reproduced on one page, a minister's letters), is two letters: the
    second starts after the first closing's signature block, the bracketed name and its
    position line (two when the first ends `… ปฏิบัติราชการแทน`), when another closing follows
    with a letter's worth of lines before it."""
    p = _patterns()
    acting = re.compile(rf"(?:{facts.alternation(facts.words('acting_for'))})$")
    out: list[Segment] = []
    for seg in segments:
        lines = split_lines(parse_text[seg.start:seg.end])
        closings = [l.index for l in lines if l.text and p["closing"].match(l.text)]
        cuts: list[int] = []
        for first, second in zip(closings, closings[1:]):
            after = [l for l in lines[first + 1:first + 6] if l.text]
            name = next((k for k, l in enumerate(after) if _NAME_LINE.match(l.text)), None)
            if name is None or name + 1 >= len(after):
                continue
            end = after[name + 1]
            if acting.search(end.text) and name + 2 < len(after):
                end = after[name + 2]
            between = [l for l in lines[end.index + 1:second] if l.text]
            if len(between) >= SIGNED_LETTER_LINES:
                cuts.append(lines[end.index + 1].start)
        bounds = [0] + cuts + [seg.end - seg.start]
        for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
            if parse_text[seg.start + a:seg.start + b].strip():
                out.append(Segment(seg.start + a, seg.start + b, seg.form_hint if k == 0 else None))
    return out
