"""`circulars text FILE`: print the text the pipeline reads, page by page.

For users who want to see what was read from a PDF or a scan before trusting
the dataset, and for tests. Each page is headed by its number, its source
(`pdf_text`: the PDF's own text layer; `ocr`: tesseract plus the digit pass)
and, for OCR, tesseract's confidence (0–100). The text is normalised as the
extractors see it (`--raw` shows it as read).

With `--explain`, each OCR'd page shows instead what the OCR passes
(pipeline.ocr.passes.PASSES) changed in tesseract's reading: one line a change,
`PASS: before → after  (line N)` with a word or two of context, then the count
per pass. That is how a pass is measured on real pages.

Exit status: 0 the file was read; 1 it could not be (the reason on stderr);
2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from pipeline.model import Page, ReadError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "text", help="print the text read from a file, page by page, with its source and OCR confidence",
        description="Print the normalised text the pipeline reads from FILE (text, PDF or image), page by "
                    "page: each page's source (pdf_text or ocr) and OCR confidence, then its text. "
                    "Page warnings go to stderr.")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--raw", action="store_true", help="show the text as read, before normalisation")
    p.add_argument("--layout", action="store_true",
                   help="show the layout found instead of the text: per page the receipt stamps and the lines "
                        "cut into blocks, then per letter its form and the zones its cue words open")
    p.add_argument("--explain", action="store_true",
                   help="instead of the text, each change the OCR passes made to each OCR'd page "
                        "(PASS: before → after), and how many each made")
    p.set_defaults(func=run)


def _normaliser(raw: bool) -> Callable[[str], str]:
    """pipeline.thai.normalise.normalise_text when it is there (it is built alongside), else identity."""
    if raw:
        return lambda text: text
    try:
        from pipeline.thai.normalise import normalise_text
    except ImportError:
        return lambda text: text
    return normalise_text


def page_header(page: Page) -> str:
    number = "text" if page.number is None else f"page {page.number}"
    parts = [number, page.source]
    if page.ocr_confidence is not None:
        parts.append(f"confidence {page.ocr_confidence:.1f}")
    return "=== " + " · ".join(parts) + " ==="


def explain(page: Page, passed: list) -> str:
    """The changes the OCR passes made to `page`, one a line, then the count per pass. The
    page's record is the first of `passed` (pipeline.ocr.passes.Passed) with its text."""
    if page.source != "ocr":
        return "(not OCR'd: no OCR passes)\n"
    done = next((p for p in passed if p.text == page.text), None)
    if done is None:
        return "(no record of the OCR passes for this page)\n"
    passed.remove(done)
    lines = [str(change) for change in done.changes]
    counts = done.counts()
    lines.append("-- changes per pass: " + (" · ".join(f"{name} {n}" for name, n in counts.items())
                                            if counts else "none"))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from pipeline.read.pages import SUPPORTED_SUFFIXES, read_source
    from pipeline.settings import Settings

    path: Path = args.file
    if not path.is_file():
        print(f"circulars text: {path}: no such file", file=sys.stderr)
        return 2 if not path.exists() else 1
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        print(f"circulars text: {path}: unsupported file type {path.suffix or '(none)'}", file=sys.stderr)
        return 1
    settings = Settings.from_env()  # CIRCULARS_OCR_WORKERS, CIRCULARS_MAX_PAGES …
    try:
        if args.explain:
            from pipeline.ocr.passes import recording

            with recording() as passed:
                pages = read_source(path, settings=settings)
        else:
            pages = read_source(path, settings=settings)
    except ReadError as exc:
        print(f"circulars text: {path}: {exc.message} ({exc.error_type})", file=sys.stderr)
        return 1
    if args.layout:
        print_layout(pages, sys.stdout)
        return 0
    normalise = _normaliser(args.raw)
    out = sys.stdout
    for i, page in enumerate(pages):
        if i:
            out.write("\n")
        out.write(page_header(page) + "\n")
        if args.explain:
            out.write(explain(page, passed))
            continue
        text = normalise(page.text)
        out.write(text + ("\n" if text and not text.endswith("\n") else ""))
        for warning in page.warnings:
            print(f"warning: page {page.number}: {warning}" if page.number else f"warning: {warning}", file=sys.stderr)
    out.flush()
    return 0


def _short(text: str, width: int = 70) -> str:
    """One line of at most `width` characters: line breaks shown as ` / `."""
    text = " / ".join(part.strip() for part in text.strip().splitlines() if part.strip())
    return text if len(text) <= width else text[:width - 1] + "…"


def print_layout(pages: list[Page], out) -> None:
    """What the reader found of each page's layout, and each letter's zones (pipeline.letters.process's
    split, extractors.zones's alignment): where each part of the letter was taken from."""
    from extractors.zones import align
    from pipeline.letters.process import split_pages

    for page in pages:
        out.write(page_header(page) + "\n")
        for stamp in page.stamps:
            x0, y0, x1, y1 = stamp.box
            conf = "" if stamp.confidence is None else f" · confidence {stamp.confidence:.1f}"
            out.write(f"  receipt stamp  ({x0},{y0})-({x1},{y1}){conf}: {_short(stamp.raw)}\n")
        for rule, left, right in page.columns:
            out.write(f"  two blocks     {rule}: {_short(left, 40)}  ‖  {_short(right, 40)}\n")
        if page.source != "ocr":
            out.write("  (a text layer: its lines as drawn)\n")
        elif not page.stamps and not page.columns:
            out.write("  one column, no stamp\n")
    norm, _, segments = split_pages(pages)
    for number, seg in enumerate(segments, 1):
        parse = norm.parse[seg.start:seg.end]
        alignment = align(parse)
        out.write(f"=== letter {number} · {alignment.form or 'no form found'} · characters {seg.start}-{seg.end} ===\n")
        for zone in sorted(alignment.zones.values(), key=lambda z: z.cue_start):
            out.write(f"  {zone.name:<14} {zone.cue_start:>6}  {_short(parse[zone.cue_start:zone.end])}\n")
    out.flush()
