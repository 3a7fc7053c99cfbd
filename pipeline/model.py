"""The objects that flow through the stages: source -> pages -> letters -> records.

Every stage takes one of these and returns the next, so each can be tested (and
run on another machine) on its own. All of them are plain dataclasses that
pickle, because the parallel and distributed runners ship them between
processes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from schemas.errors import ErrorType

TextSource = Literal["text", "pdf_text", "ocr"]


@dataclass
class Page:
    """One page of text as a reader produced it, before normalisation.

    `number` is 1-based; plain-text sources are a single page with number None,
    because the contract keeps page_start/page_end null for them.
    """

    number: int | None
    text: str
    source: TextSource
    ocr_confidence: float | None = None
    warnings: list[str] = field(default_factory=list)
    # receipt stamps found on a scanned page and kept out of its text (pipeline.ocr.stamps.StampRead)
    stamps: list[Any] = field(default_factory=list)
    # lines of a scanned page cut into their layout blocks: (rule, left block, right block)
    columns: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class SourceError:
    """Why a source (or one of its pages) could not be read: one `errors` row.

    `error_type` is one of `ErrorType` (schemas/errors.py), the list the README
    documents; a string is taken and checked, so an unknown type (a typo, a
    type nobody documented) is a ValueError where the row is made, not a
    silent new value in the public `error_type` column.
    """

    source_path: str
    stage: str
    error_type: ErrorType
    message: str

    def __post_init__(self) -> None:
        self.error_type = ErrorType(self.error_type)


class ReadError(Exception):
    """A reader's refusal, with a short type (one of `ErrorType`, checked as in
    `SourceError`) and a message a user understands."""

    def __init__(self, error_type: ErrorType | str, message: str, stage: str = "read"):
        super().__init__(message)
        self.error_type = ErrorType(error_type)
        self.message = message
        self.stage = stage


@dataclass
class Span:
    """Where a value was read: character offsets into the letter's normalised text."""

    start: int
    end: int
    label: str
    value: Any = None
    # the same place in the source text as read (before normalisation), so a
    # value can be traced to the file itself, not only to letters.text
    source_start: int | None = None
    source_end: int | None = None

    def __reduce__(self):
        # a result carries some 40 spans a letter from the worker to the run's process: as a
        # tuple of fields, not a dataclass's state dict, they pickle in half the time
        return (Span, (self.start, self.end, self.label, self.value, self.source_start, self.source_end))


@dataclass(kw_only=True)
class LetterRows:
    """The rows of the per-letter tables, one list per table."""

    recipients: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    enclosures: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)


@dataclass(kw_only=True)
class LetterRecord(LetterRows):
    """Everything extracted from one letter, in the shapes of the output tables."""

    letter: dict[str, Any]


class ManyPagesToOcr(Exception):
    """A PDF with more pages to OCR than one worker should read alone (`read_pdf_pages(split_over=)`).

    Carries what the first pass read (the text-layer pages) and the numbers of
    the pages still to OCR, so the runner can have several workers OCR them in
    parts and one worker put the letters together.
    """

    def __init__(self, pages: list[Page], to_ocr: list[int]):
        super().__init__(pages, to_ocr)  # as `args`, so that it pickles (it travels in a result)
        self.pages = pages
        self.to_ocr = to_ocr

    def __str__(self) -> str:
        return f"{len(self.to_ocr)} pages to OCR"


@dataclass
class SourceResult:
    """What processing one source file produced: its letters or its errors."""

    source_path: str
    source_sha256: str
    size: int
    letters: list[LetterRecord] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    # a PDF read in parts (pipeline.run.runner): the first pass's answer, and a part's OCR'd pages
    to_ocr: ManyPagesToOcr | None = None
    read_pages: list[Page] = field(default_factory=list)
