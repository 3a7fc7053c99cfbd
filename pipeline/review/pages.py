"""A letter's pages as pictures: find its source file, check it is the file that was read, render,
and where the PDF's text layer allows, where each value was read on the page.

The dataset keeps `source_path` relative to the input the ingest was given
(recorded in the manifest's options); the app looks for it under those
inputs and under any folder given with `--sources`. A file whose sha256 is
not the letter's `source_sha256` has changed since it was read: its pages
would not be the letter's, so they are not shown.
"""
from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.read.sources import recorded, sha256_file

RENDER_WIDTH = 1100  # pixels: a page's text readable at a glance on a laptop screen
PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


class PageError(Exception):
    """Why a page cannot be shown (a message for the reviewer); `status` is the HTTP status."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.status = status


def has_pages(letter: dict[str, Any]) -> bool:
    """A PDF or an image: something with pages to look at (plain text has none)."""
    return (letter.get("page_start") is not None
            and Path(str(letter.get("source_path") or "")).suffix.lower() in PDF_SUFFIXES | IMAGE_SUFFIXES)


def page_numbers(letter: dict[str, Any]) -> list[int]:
    if not has_pages(letter):
        return []
    first = int(letter["page_start"])
    return list(range(first, int(letter.get("page_end") or first) + 1))


@lru_cache(maxsize=4096)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    return sha256_file(Path(path))


class Sources:
    """Where the dataset's sources are on this machine."""

    def __init__(self, roots: list[Path], manifest: dict[str, Any]):
        inputs = [Path(p) for p in (manifest.get("options") or {}).get("inputs") or []]
        self.roots = [*roots, *inputs]

    def find(self, letter: dict[str, Any]) -> Path:
        """The letter's source file, checked against the sha256 it was read with."""
        name = str(letter.get("source_path") or "")
        candidates = []
        for root in self.roots:
            if root.is_dir():
                candidates.append(root / name)
            elif recorded(root) == name or root.name == name:
                candidates.append(root)
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise PageError(f"{name} is not under the ingest's inputs here "
                            f"({', '.join(map(str, self.roots)) or 'none recorded'}): start the app with "
                            "--sources FOLDER")
        st = os.stat(found)
        if _sha256(str(found), st.st_size, st.st_mtime_ns) != letter.get("source_sha256"):
            raise PageError(f"{found} has changed since it was read: its pages are not this letter's "
                            "(ingest it again)", status=409)
        return found


def render_page(path: Path, number: int) -> bytes:
    """Page `number` (1-based) of a PDF or an image as PNG bytes, RENDER_WIDTH wide."""
    import pypdfium2 as pdfium
    from PIL import Image

    st = os.stat(path)
    try:
        return _render(str(path), st.st_size, st.st_mtime_ns, number)
    except (pdfium.PdfiumError, Image.DecompressionBombError, OSError, ValueError) as exc:
        # the ingest read it, but with its own limits and repairs: say so rather than fail the app
        raise PageError(f"cannot draw page {number} of {path.name}: {exc}", status=422) from None


@lru_cache(maxsize=64)
def _render(path: str, size: int, mtime_ns: int, number: int) -> bytes:
    from PIL import Image

    suffix = Path(path).suffix.lower()
    if suffix in PDF_SUFFIXES:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        try:
            if not 1 <= number <= len(pdf):
                raise PageError(f"{Path(path).name} has no page {number}")
            page = pdf[number - 1]
            image = page.render(scale=RENDER_WIDTH / max(1.0, page.get_width())).to_pil()
        finally:
            pdf.close()
    else:
        with Image.open(path) as opened:
            try:
                opened.seek(number - 1)  # a TIFF holds several pages; other images one
            except EOFError:
                raise PageError(f"{Path(path).name} has no page {number}") from None
            image = opened.convert("RGB")
        if image.width > RENDER_WIDTH:
            image = image.resize((RENDER_WIDTH, round(image.height * RENDER_WIDTH / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def value_boxes(path: Path, pages: list[int], text: str, spans: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Where each value of a PDF's letter is printed, per page, as fractions of the page's size.

    The dataset keeps where a value was read in the text, not on the page; a
    born-digital PDF's text layer holds the printed characters with their
    boxes, so the value is looked up there (pdfium's search, which also
    matches across a line break). A value printed several times takes the
    occurrence of the same rank as in the letter's text. A value the text
    layer spells otherwise (repaired, re-ordered marks) and any scan have no box.
    """
    import pypdfium2 as pdfium

    boxes: dict[int, list[dict[str, Any]]] = {n: [] for n in pages}
    pdf = pdfium.PdfDocument(str(path))
    try:
        layers = []
        for n in pages:
            if 1 <= n <= len(pdf):
                page = pdf[n - 1]
                layers.append((n, page.get_textpage(), *page.get_size()))
        for span in spans:
            start, end = span.get("start"), span.get("end")
            if start is None or end is None or not 0 <= int(start) < int(end) <= len(text):
                continue
            needle = " ".join(text[int(start):int(end)].split())
            if len(needle) < 2:
                continue
            rank = text.count(needle, 0, int(start))
            for n, layer, width, height in layers:
                searcher = layer.search(needle)
                found = None
                while (occurrence := searcher.get_next()) is not None:
                    if rank == 0:
                        found = occurrence
                        break
                    rank -= 1
                if found is None:
                    continue
                for i in range(layer.count_rects(*found)):
                    left, bottom, right, top = layer.get_rect(i)
                    boxes[n].append({"label": str(span.get("label")), "x": left / width, "y": (height - top) / height,
                                     "w": (right - left) / width, "h": (top - bottom) / height})
                break
    finally:
        pdf.close()
    return boxes
