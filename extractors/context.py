"""What every extractor of one letter shares: its text, its lines and zones, and the record being filled.

A Thai letter has a fixed anatomy (ระเบียบงานสารบรรณ): urgency marks, `ที่`
reference, letterhead and address, date, `เรื่อง`, `เรียน`/`ถึง`, `อ้างถึง`,
`สิ่งที่ส่งมาด้วย`, body, `ขอแสดงความนับถือ`, signature, owner unit and
telephone. `Layout` finds those zones once so extractors need not guess them
again, and so each extractor only looks where its field can be.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from extractors.keywords import patterns as keyword_patterns
from pipeline.model import LetterRows, Span


@dataclass
class Line:
    index: int
    start: int
    end: int
    text: str  # stripped, parse view (Arabic digits)


def _keyword_res() -> dict[str, re.Pattern]:
    return keyword_patterns()


LINE_NOISE = " \t|¦•·_~"
LEAD_SPECK = re.compile(r"[.,'`]{1,2}[ \t]+(?=\S)")
BLOCK_LINES = 30
HEAD_LINES = 60  # lines from the reference to the salutation, receipt stamps included  # a header block (อ้างถึง, สิ่งที่ส่งมาด้วย) wrapped by a PDF text layer runs long


def split_lines(parse: str) -> list[Line]:
    """The text's lines, stripped, with their offsets: what the splitter and the layout read."""
    lines: list[Line] = []
    pos = 0
    for i, raw in enumerate(parse.split("\n")):
        # OCR puts table rules and specks before a line's first word (`| เรื่อง …`)
        body = raw.lstrip(LINE_NOISE)
        speck = LEAD_SPECK.match(body)  # `. ๒๑ ตุลาคม ๒๕๖๐`: a speck, a space, then the words
        body = body[speck.end():] if speck else body
        stripped = body.strip()
        lead = len(raw) - len(body.lstrip())
        lines.append(Line(i, pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


class Layout:
    """Line indexes of the zones of one letter (None when a zone is absent)."""

    def __init__(self, parse: str):
        self.lines = split_lines(parse)
        k = _keyword_res()
        self.ref = self._first(k["ref_line"])
        if self.ref is None:
            self.ref = self._first(k["ref_line_unread"], limit=8)
        if self.ref is None:
            self.ref = self._first(k["ref_line_partial"], limit=8)
        self.memo = self._first(k["memo"], limit=8)
        # the head ends at the closing, or some way below the reference: a `เรื่อง` or
        # `เรียน` further down belongs to an attachment (a QR page repeats both)
        closing = self._first(k["closing"])
        head_end = min(x for x in (closing, (self.ref or 0) + HEAD_LINES, len(self.lines)) if x is not None)
        self.subject = self._first(k["subject"], limit=head_end)
        after = self.subject if self.subject is not None else (self.ref or 0)
        self.salutation = self._first(k["salutation"], start=after, limit=head_end)
        header_from = max(x for x in (self.salutation, self.subject, self.ref, 0) if x is not None)
        self.cites = self._first(k["cites"], start=header_from, limit=header_from + 12)
        self.encl = self._first(k["encl"], start=header_from, limit=header_from + 14)
        self.body = self._find_body(header_from)
        self.closing = self._first(k["closing"], start=self.body or 0)
        self.dist_headings = [l.index for l in self.lines if k["dist"].match(l.text)]

    def _first(self, pattern: re.Pattern, start: int = 0, limit: int | None = None) -> int | None:
        for line in self.lines[start:limit]:
            if line.text and pattern.match(line.text):
                return line.index
        return None

    def _find_body(self, header_from: int) -> int | None:
        """First line of the body: after the header blocks, where prose starts."""
        k = _keyword_res()
        blocks = [x for x in (self.cites, self.encl) if x is not None]
        i = max([header_from] + blocks)
        in_block = bool(blocks) and i == max(blocks)
        for line in self.lines[i + 1:]:
            t = line.text
            if not t:
                continue
            if k["cites"].match(t) or k["encl"].match(t):
                in_block = True
                continue
            if in_block and (k["item"].match(t) or k["continuation"].match(t)):
                continue
            if in_block and not k["body_opener"].match(t) and len(t) < 120 and line.index - i < BLOCK_LINES:
                continue
            if not in_block and k["salutation"].match(t):
                continue
            return line.index
        return None

    def span(self, first: int | None, last: int | None) -> tuple[int, int] | None:
        """Character span of lines first..last-1."""
        if first is None:
            return None
        last = len(self.lines) if last is None else last
        if last <= first:
            return None
        return (self.lines[first].start, self.lines[last - 1].end)


@dataclass(kw_only=True)
class LetterContext(LetterRows):
    """One letter while its extractors run: text views, layout, and the rows they fill."""

    display: str
    parse: str
    form_hint: str | None = None
    # `en` for a letter in English (the splitter found its English head): its own extractors and cue words
    language: str = "th"
    alignment: Any = None  # zones.Alignment: the form's zones found in the text
    # the receipt stamp found on the letter's page by the OCR stage, kept out of its text
    # (extractors.receipts.Receipt): what relative deadlines count from
    received: Any = None
    # read from page images by OCR (not a text layer or a text file): what a page prints may
    # have been lost on the way, and another place in the letter may print it whole
    ocr: bool = False
    letter: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    doc: Any = None  # the spaCy Doc, when run as a pipeline

    @cached_property
    def layout(self) -> Layout:
        return Layout(self.parse)

    def raw(self, start: int, end: int) -> str:
        return self.display[start:end]

    def add_span(self, label: str, start: int, end: int, value: Any = None) -> None:
        """Record where a value was read; mirrored into doc.spans for spaCy users."""
        self.spans.append(Span(start, end, label, value))
        if self.doc is not None:
            span = self.doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                self.doc.spans.setdefault(label, []).append(span)
