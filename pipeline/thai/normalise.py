"""Normalise stage: clean Thai text while keeping every offset traceable.

OCR'd and PDF-extracted Thai arrives with decomposed sara am, marks out of
order or doubled, zero-width characters and ragged spacing. Extractors want
one canonical form; reviewers want to see where a value came from. So
normalisation produces a `NormalisedText`: the cleaned text (`display`, digits
as printed), a twin of the same length with Thai digits turned Arabic
(`parse`, what the extractors match on), and for every character the offset
of the source character it came from.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pythainlp.util import normalize as thai_normalize

from pipeline.thai.chars import MARK, THAI, TO_ARABIC, TONE

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_HSPACE = "[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"


@dataclass
class NormalisedText:
    display: str
    parse: str
    offsets: list[int]  # offsets[i]: index in the source text of display[i]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source-text span that produced display[start:end]."""
        if not self.offsets:
            return (0, 0)
        start = min(max(start, 0), len(self.offsets) - 1)
        last = min(max(end - 1, start), len(self.offsets) - 1)
        return (self.offsets[start], self.offsets[last] + 1)


def _apply(text: str, offsets: list[int], pattern: re.Pattern, repl) -> tuple[str, list[int]]:
    """re.sub that carries the offset map along: replaced text maps to its match's start."""
    if not pattern.search(text):
        return text, offsets
    out: list[str] = []
    out_offsets: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append(text[pos:match.start()])
        out_offsets.extend(offsets[pos:match.start()])
        new = repl(match) if callable(repl) else repl  # literal: no template expansion
        out.append(new)
        anchor = offsets[match.start()] if match.start() < len(offsets) else (offsets[-1] + 1 if offsets else 0)
        out_offsets.extend(_replacement_offsets(text, offsets, match.start(), match.end(), new, anchor))
        pos = match.end()
    out.append(text[pos:])
    out_offsets.extend(offsets[pos:])
    return "".join(out), out_offsets


def _replacement_offsets(text: str, offsets: list[int], start: int, end: int, new: str, anchor: int) -> list[int]:
    """Offsets of a replacement's characters: those that line up with the matched text from its
    start or from its end keep their own, the rest take the nearest one before them, so the
    offsets never run backwards (`กััก` -> `กัก` gave [0, 1, 0] when only the start was aligned)."""
    head = 0
    while head < len(new) and start + head < end and text[start + head] == new[head]:
        head += 1
    tail = 0
    while (tail < len(new) - head and end - 1 - tail >= start + head
           and text[end - 1 - tail] == new[len(new) - 1 - tail]):
        tail += 1
    out = [offsets[start + i] for i in range(head)]
    last = out[-1] if out else anchor
    out += [last] * (len(new) - head - tail)
    out += [offsets[end - tail + i] for i in range(tail)]
    return out


_ZW_RE = re.compile(f"[{_ZERO_WIDTH}]")
_SARA_AM_RE = re.compile("\u0e4d\u0e32|\u0e4d\u0e48\u0e32|\u0e4d\u0e49\u0e32")
_CR_RE = re.compile(r"\r\n?")
_HSPACE_RE = re.compile(f"{_HSPACE}+")
_TRAIL_RE = re.compile(f"{_HSPACE}+(?=\n)|^{_HSPACE}+", re.M)
_BLANKS_RE = re.compile(r"\n{3,}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates: pdfium hands them out of broken text layers, and neither the
# tokenizer nor the Parquet writer (UTF-8) accepts them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A doubled mark, a tone mark before a vowel mark, a doubled sara e (for sara
# ae): what pythainlp.util.normalize repairs. Only Thai runs holding one go
# through it: it is slow on whole pages, and most runs need nothing.
_SUSPECT_MARKS_RE = re.compile(
    rf"([{MARK}])\1|[{TONE}][\u0e31\u0e34-\u0e39]|\u0e40\u0e40"
)
_THAI_RUN_RE = re.compile(rf"[{THAI}]+")


def _sara_am(match: re.Match) -> str:
    s = match.group(0)
    if len(s) == 2:
        return "\u0e33"
    return s[1] + "\u0e33"  # nikhahit + tone + aa -> tone + sara am


def _thai_run(match: re.Match) -> str:
    # pythainlp removes one layer of repeated marks per call (`ที่ี่ี่` -> `ที่ี่`), so
    # repeat to a fixed point: normalising twice must change nothing (found by fuzzing)
    run = match.group(0)
    for _ in range(8):
        if not _SUSPECT_MARKS_RE.search(run):
            break
        fixed = thai_normalize(run)
        if fixed == run:
            break
        run = fixed
    return run


def normalise(text: str) -> NormalisedText:
    """Clean `text`; see the module docstring for what comes back."""
    offsets = list(range(len(text)))
    text, offsets = _apply(text, offsets, _CR_RE, "\n")
    text, offsets = _apply(text, offsets, _SURROGATE_RE, "\ufffd")
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text and len(nfc) == len(text):
        text = nfc
    elif nfc != text:
        # NFC changes little in Thai; where it changes length, map per character run
        text, offsets = _apply(text, offsets, re.compile(r".+", re.S),
                               lambda m: unicodedata.normalize("NFC", m.group(0)))
    text, offsets = _apply(text, offsets, _CONTROL_RE, " ")
    text, offsets = _apply(text, offsets, _ZW_RE, "")
    text, offsets = _apply(text, offsets, _SARA_AM_RE, _sara_am)
    if _SUSPECT_MARKS_RE.search(text):
        text, offsets = _apply(text, offsets, _THAI_RUN_RE, _thai_run)
    text, offsets = _apply(text, offsets, _HSPACE_RE, " ")
    text, offsets = _apply(text, offsets, _TRAIL_RE, "")
    text, offsets = _apply(text, offsets, _BLANKS_RE, "\n\n")
    # trim the ends
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    offsets = offsets[lead:lead + len(text)]
    return NormalisedText(display=text, parse=text.translate(TO_ARABIC), offsets=offsets)


def normalise_text(text: str) -> str:
    """The normalised text alone (for display; digits as printed)."""
    return normalise(text).display


def to_arabic(text: str) -> str:
    return text.translate(TO_ARABIC)


def clean_value(text: str | None) -> str | None:
    """A field value as the contract wants it: spacing folded, Thai digits Arabic."""
    if text is None:
        return None
    value = re.sub(r"\s+", " ", text.translate(TO_ARABIC)).strip()
    return value or None


def clean_raw(text: str | None) -> str | None:
    """A raw value: as printed, but one line with spacing folded."""
    if text is None:
        return None
    value = re.sub(r"\s+", " ", text).strip()
    return value or None
