"""Plain-text sources: UTF-8 (with or without BOM), UTF-16 with BOM, and TIS-620/cp874.

Older Thai systems still write TIS-620 (cp874 is its Windows superset). A
file that decodes as neither, or is binary data named `.txt`, is refused
with a `ReadError` rather than turned into mojibake letters.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from pipeline.model import Page, ReadError
from pipeline.thai.chars import MARK, THAI
from pipeline.thai.repair import map_pua, pua_table
from schemas.errors import ErrorType

MAX_TEXT_BYTES = 50 * 1024 * 1024
_STRAY_MARK_RE = re.compile(f"(?<![{THAI}])[{MARK}]")
_THAI_IN_LATIN_RE = re.compile("(?<=[A-Za-z])[\u0e00-\u0e7f](?=[A-Za-z])")


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or ReadError."""
    if not data.strip():
        raise ReadError(ErrorType.EMPTY_FILE, "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise ReadError(ErrorType.BINARY_FILE, "binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        raise ReadError(ErrorType.UNKNOWN_ENCODING, "not UTF-8 and not TIS-620/cp874 text") from None
    thai = sum(1 for c in text if "\u0e00" <= c <= "\u0e7f")
    high = sum(1 for b in data if b >= 0x80)
    if high and thai / high < 0.9:
        raise ReadError(ErrorType.UNKNOWN_ENCODING, "not UTF-8 and not TIS-620/cp874 text")
    # Latin-1 text (é, ñ, ó) decodes as cp874 too, to Thai marks and digits inside
    # Latin words: real Thai puts a mark on a Thai letter and does not sit inside a Latin word.
    misplaced = len(_STRAY_MARK_RE.findall(text)) + len(_THAI_IN_LATIN_RE.findall(text))
    if misplaced > max(2, thai // 10):
        raise ReadError(ErrorType.UNKNOWN_ENCODING, "not UTF-8 and not TIS-620/cp874 text (Latin-1 or another "
                                                    "8-bit encoding?)")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ReadError(ErrorType.BINARY_FILE, "binary data, not text")
    return text, "cp874"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(ErrorType.BAD_ENCODING, f"invalid {encoding} text at byte {exc.start}") from None


def read_text_pages(path: Path, data: bytes | None = None) -> list[Page]:
    if data is None:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise ReadError(ErrorType.TOO_LARGE, f"text file larger than {MAX_TEXT_BYTES // 2**20} MiB")
        data = path.read_bytes()
    text, encoding = decode(data)
    warnings = [] if encoding.startswith("utf") else [f"decoded as {encoding}"]
    # text copied out of a PDF keeps its legacy PUA tone marks (U+F70A for ่): the same
    # repair the PDF reader makes, one character for one, so offsets hold
    legacy = sum(text.count(chr(c)) for c in pua_table())
    if legacy:
        text = map_pua(text)
        warnings.append(f"{legacy} legacy PUA Thai glyphs mapped to standard characters")
    # a form feed separates pages in exported text; keep them as pages
    return [Page(number=None, text=text, source="text", warnings=warnings)]
