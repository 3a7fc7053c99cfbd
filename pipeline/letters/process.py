"""One source file through every per-file stage: read -> normalise -> split -> extract.

`process_source` is the unit of work the runners (local pool, Dask) ship to
workers: a top-level function of plain arguments returning a picklable
`SourceResult`. It never raises for a bad file: what cannot be read becomes
a `SourceError`, and a letter whose extraction fails does not take the
file's other letters with it.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import traceback
from collections import Counter
from pathlib import Path
from typing import Callable

from pipeline.letters.extract import extract_letter, letter_id, to_record
from pipeline.model import ManyPagesToOcr, Page, ReadError, SourceError, SourceResult
from pipeline.thai.normalise import NormalisedText, normalise
from pipeline.read.pages import read_source
from pipeline.read.text import MAX_TEXT_BYTES
from pipeline.settings import DEFAULT, Settings
from pipeline.letters.segment import Segment, split_after_signatures, split_letters
from extractors.receipts import read_receipt
from extractors.zones import align, letter_starts, opens_with_heading, with_breaks
from schemas.errors import ErrorType

PAGE_JOINER = "\n\n"
# A letter runs to a few thousand characters (a long distribution list, tens of
# thousands). Past this, the text is not a letter's: extracting from all of it
# would exceed spaCy's 1,000,000-character limit and take minutes per file.
MAX_LETTER_CHARS = 200_000


def join_pages(pages: list[Page]) -> tuple[NormalisedText, list[int]]:
    """One normalised text for the whole source, and each page's start in it."""
    raw_starts, parts, pos = [], [], 0
    for page in pages:
        raw_starts.append(pos)
        parts.append(page.text)
        pos += len(page.text) + len(PAGE_JOINER)
    norm = normalise(PAGE_JOINER.join(parts))
    page_starts = [bisect.bisect_left(norm.offsets, s) for s in raw_starts]
    return norm, page_starts


FLAT_LINE_CHARS = 400  # typed and OCR'd lines stay under ~150 characters; Gazette and web texts run pages long


def split_pages(pages: list[Page]) -> tuple[NormalisedText, list[int], list[Segment]]:
    """A source's pages as one normalised text, each page's start in it, and its letters."""
    norm, page_starts = join_pages(pages)
    restored = _restored_lines(norm.parse)
    return norm, page_starts, split_after_signatures(restored, split_letters(restored) or _fallback_segment(norm))


def _restored_lines(parse: str) -> str:
    """A flattened text (a page or paragraph on one line) with a line break where each of
    its form's zones starts, so the splitter sees cue words open lines; other texts as they
    are. The whole text aligns to its first letter's form only, so each letter that starts
    inside a flattened line (`letter_starts`: a forwarded letter after a covering letter's
    closing) and each later flattened line that opens with a form's heading (a page that
    starts the order a covering letter encloses) is aligned on its own too."""
    if not any(len(line) > FLAT_LINE_CHARS for line in parse.split("\n")):
        return parse
    lines = [m for m in re.finditer(r"[^\n]+", parse) if len(m.group()) > FLAT_LINE_CHARS]
    restored = list(with_breaks(parse, align(parse)))
    for line in lines:
        flat = line.group()
        starts = letter_starts(flat)
        if not starts and (line is lines[0] or not opens_with_heading(flat)):
            continue
        bounds = sorted({0, *starts, len(flat)})
        for a, b in zip(bounds, bounds[1:]):
            own = with_breaks(flat[a:b], align(flat[a:b]))
            for k in (k for k, ch in enumerate(own) if ch == "\n"):
                restored[line.start() + a + k] = "\n"
        for at in starts:  # each letter opens a line: the space before it becomes the break
            if restored[line.start() + at - 1] in " \t":
                restored[line.start() + at - 1] = "\n"
    return "".join(restored)


LETTER_SCORE = 2.0


def _fallback_segment(norm: NormalisedText) -> list[Segment]:
    """No letter start found: the whole text is one letter if it reads like one, that is if a
    form aligns to it with LETTER_SCORE or more: a reference, a closing, a heading, or a subject
    and an addressee. Not a news page that merely holds `เรื่อง` or `เรียน`, as words start
    (`หลายเรื่อง`, `นักเรียน`, `โรงเรียน`) or alone: thaigov.go.th pages outside the dev set made
    a letter of form `other` dated by the page's own date line."""
    text = norm.parse
    if align(text).score >= LETTER_SCORE:
        return [Segment(0, len(text), None)]
    return []


def process_source(path: str | Path, source_path: str, *, split_over: int = 0,
                   only_pages: tuple[int, ...] = (), pages: list[Page] | None = None,
                   settings: Settings = DEFAULT) -> SourceResult:
    """Read, split and extract one file. The keywords are for a PDF read in parts by several workers:

    * `split_over`: when more pages than this need OCR, stop after the text
      layer and return them in `result.to_ocr` (the runner hands them out);
    * `only_pages`: OCR just these pages and return them in `result.read_pages`;
    * `pages`: every page, read already: split and extract only.

    `settings` (limits, pages OCR'd at once) go to the readers.
    """
    path = Path(path)
    if only_pages:
        return _read_part(path, source_path, only_pages, settings)
    try:
        # a text file is read once for both hash and text, unless it is too large to be
        # text at all (then the reader refuses it without the whole file in memory)
        text_file = path.suffix.lower() in (".txt", ".md") and path.stat().st_size <= MAX_TEXT_BYTES
        data = path.read_bytes() if text_file else None
        sha = hashlib.sha256(data).hexdigest() if data is not None else _sha_file(path)
        size = len(data) if data is not None else path.stat().st_size
    except OSError as exc:
        return SourceResult(source_path, "", 0, errors=[
            SourceError(source_path, "read", ErrorType.UNREADABLE, f"cannot read the file: {exc.strerror or exc}")])
    result = SourceResult(source_path=source_path, source_sha256=sha, size=size)
    if size == 0:  # whatever its name says it is, a zero-byte file holds nothing to read
        result.errors.append(SourceError(source_path, "read", ErrorType.EMPTY_FILE, "the file is empty"))
        return result
    if pages is None:
        try:
            pages = _read(result, lambda: read_source(path, data, split_over=split_over, settings=settings))
        except ManyPagesToOcr as exc:
            result.to_ocr = exc
            return result
        if pages is None:
            return result
    result.pages = len(pages)
    for page in pages:
        result.warnings.extend(f"page {page.number}: {w}" if page.number else w for w in page.warnings)
    try:
        norm, page_starts, segments = split_pages(pages)
    except Exception as exc:
        result.errors.append(SourceError(source_path, "split", ErrorType.INTERNAL_ERROR,
                                         f"{type(exc).__name__}: {exc}"[:500]))
        return result
    if not segments:
        result.warnings.append("no letter found in this source")
    claimed: set[int] = set()  # receipt stamps given to a letter already
    for index, seg in enumerate(segments):
        try:
            result.letters.append(_letter(result, norm, pages, page_starts, seg, index, claimed))
        except Exception as exc:
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            result.errors.append(SourceError(source_path, "extract", ErrorType.INTERNAL_ERROR,
                                             f"letter {index}: {detail}"[:500]))
    return result


def _read(result: SourceResult, read: Callable[[], list[Page]]) -> list[Page] | None:
    """`read()`'s pages, or None with the reason in `result.errors` (never raises but `ManyPagesToOcr`)."""
    try:
        return read()
    except ManyPagesToOcr:
        raise
    except ReadError as exc:
        result.errors.append(SourceError(result.source_path, exc.stage, exc.error_type, exc.message))
    except MemoryError:
        result.errors.append(SourceError(result.source_path, "read", ErrorType.TOO_LARGE,
                                         "the file needs more memory than allowed"))
    except Exception as exc:  # a reader bug must not end the run; report it
        result.errors.append(SourceError(result.source_path, "read", ErrorType.INTERNAL_ERROR,
                                         f"{type(exc).__name__}: {exc}"[:500]))
    return None


def _read_part(path: Path, source_path: str, numbers: tuple[int, ...], settings: Settings) -> SourceResult:
    """Some pages of a PDF, OCR'd: one part of a file read by several workers."""
    result = SourceResult(source_path, "", 0)
    result.read_pages = _read(result, lambda: read_source(path, only=set(numbers), settings=settings)) or []
    return result


def _letter(result: SourceResult, norm: NormalisedText, pages: list[Page], page_starts: list[int],
            seg: Segment, index: int, claimed: set[int]):
    display, parse = norm.display[seg.start:seg.end], norm.parse[seg.start:seg.end]
    long_by = len(display) - MAX_LETTER_CHARS
    if long_by > 0:  # an export that lost its line breaks, a text dump appended to a letter
        display, parse = display[:MAX_LETTER_CHARS], parse[:MAX_LETTER_CHARS]
    first = max(0, bisect.bisect_right(page_starts, seg.start) - 1)
    last = max(first, bisect.bisect_right(page_starts, max(seg.start, seg.end - 1)) - 1)
    in_letter = pages[first:last + 1]
    # a receipt stamp belongs to the first letter on its page: the office stamps the
    # first page of what it receives
    stamps = [s for p in in_letter for s in p.stamps if id(s) not in claimed]
    claimed.update(id(s) for s in stamps)
    receipts = [(stamp, read_receipt(stamp.raw, stamp.unsure)) for stamp in stamps]
    received = next((r for _, r in receipts if r.date is not None), None)
    read_by_ocr = any(p.source == "ocr" for p in in_letter)
    ctx, _ = extract_letter(display, parse, seg.form_hint, received=received, ocr=read_by_ocr)
    if long_by > 0:
        ctx.warnings.append(f"letter text is {long_by + MAX_LETTER_CHARS:,} characters: fields were read "
                            f"from the first {MAX_LETTER_CHARS:,}, and only those are kept")
    for stamp, receipt in receipts:
        unread = [name for name in ("number", "date") if getattr(receipt, name) is None]
        if unread:
            ctx.warnings.append(f"receipt stamp on page {stamp.page}: its {' and '.join(unread)} could not be "
                                f"read with certainty (its text is kept in receipts.raw)")
    sources = Counter(p.source for p in in_letter)
    confidences = [p.ocr_confidence for p in in_letter if p.ocr_confidence is not None]
    numbered = pages[first].number is not None
    base = {
        "letter_id": letter_id(result.source_sha256, index),
        "source_path": result.source_path,
        "source_sha256": result.source_sha256,
        "segment": index,
        "page_start": pages[first].number if numbered else None,
        "page_end": pages[last].number if numbered else None,
        "text_source": sources.most_common(1)[0][0] if sources else "text",
        "ocr_confidence": sum(confidences) / len(confidences) if confidences else None,
        "char_start": seg.start,
        "char_end": seg.end,
    }
    record = to_record(ctx, base)
    record.receipts = [{"source_path": result.source_path, "letter_id": base["letter_id"], "number": r.number,
                        "date": r.date, "time": r.time, "raw": r.raw, "page": stamp.page,
                        "box": list(stamp.box), "confidence": stamp.confidence} for stamp, r in receipts]
    for span in record.spans:
        span.source_start, span.source_end = norm.source_span(seg.start + span.start, seg.start + span.end)
    return record


def _sha_file(path: Path) -> str:
    from pipeline.read.sources import sha256_file

    return sha256_file(path)
