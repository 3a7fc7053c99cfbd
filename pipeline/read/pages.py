"""Read stage: turn any supported source file into pages of raw text.

Dispatch only; each format has its own module. Readers raise `ReadError` with
a short type and a message a user understands; anything else they raise is a
bug and is caught (and reported) by the caller.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.model import Page, ReadError
from pipeline.settings import DEFAULT, Settings
from schemas.errors import ErrorType

TEXT_SUFFIXES = {".txt", ".md"}
PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES


def read_source(path: Path, data: bytes | None = None, *, only: set[int] | None = None,
                split_over: int = 0, settings: Settings = DEFAULT) -> list[Page]:
    """Pages of one source; `data` is the file's bytes when the caller already has them.

    `only` and `split_over` are for PDFs read in parts (`read_pdf_pages`); `settings`
    gives the pages and pixels allowed and the pages OCR'd at once.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from pipeline.read.text import read_text_pages

        return read_text_pages(path, data)
    if suffix in PDF_SUFFIXES:
        from pipeline.read.pdf import read_pdf_pages

        return read_pdf_pages(path, only=only, split_over=split_over, settings=settings)
    if suffix in IMAGE_SUFFIXES:
        from pipeline.ocr.engine import read_image_pages

        return read_image_pages(path, settings)
    raise ReadError(ErrorType.UNSUPPORTED, f"unsupported file type {suffix or '(none)'}")
