"""Thai text-layer repairs and the good-or-garbage verdict, shared by the PDF and OCR readers.

PDF producers damage Thai in a few recurring ways: legacy private-use glyphs
(U+F700–U+F71A) instead of marks, `(cid:N)` placeholders, combining marks split
off by a space, and text that is not Thai at all (a broken ToUnicode map:
mojibake, replacement characters). The repairs run in a fixed order because
`pythainlp.util.normalize` deletes a mark that dangles after a space, so marks
must be rejoined before it runs. The verdict decides whether a page's text
layer is trusted or the page goes to OCR.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pythainlp.util import (remove_dangling, remove_dup_spaces, remove_repeat_vowels, remove_spaces_before_marks,
                             remove_zw)

from pipeline.thai.chars import CONSONANT, TONE

# Combining Thai marks: above/below vowels, tone marks, thanthakhat, nikhahit, yamakkan.
UPPER_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47"
BELOW_VOWELS = "\u0e38\u0e39\u0e3a"
TONES = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
MARKS = frozenset(UPPER_VOWELS + BELOW_VOWELS + TONES)
SARA_AM = "\u0e33"
LEADING_VOWELS = frozenset("เแโใไ")

_CID = re.compile(r"\(cid:\d+\)")
_SPLIT_MARK = re.compile(r"[ \t]+(?=[" + "".join(sorted(MARKS)) + "])")
_NIKHAHIT_AA = re.compile("\u0e4d\u0e32")
# "ถิน ่": a tone split off after a final consonant belongs to the syllable's
# first consonant, the one that carries the vowel (ถิ่น), as Thai spelling puts it.
_SPLIT_TONE_AFTER_VOWEL = re.compile(
    f"([{CONSONANT}])([\u0e31\u0e34-\u0e39\u0e47])([{CONSONANT}])[ \t]+([{TONE}])")


@lru_cache(maxsize=1)
def pua_table() -> dict[int, str]:
    """Legacy Thai PUA code point -> standard character, from data/thai_pua.json."""
    doc = json.loads(resources.files("pipeline").joinpath("data/thai_pua.json").read_text("utf-8"))
    return {int(k, 16): v for k, v in doc["map"].items()}


def map_pua(text: str) -> str:
    """Step 1: replace legacy Thai PUA glyphs with the characters they draw."""
    return text.translate(pua_table())


def unsplit(line: str) -> str:
    """Steps 2–3 on one line: drop (cid:N) and rejoin marks split off by a space."""
    line = _CID.sub("", line)
    line = _SPLIT_TONE_AFTER_VOWEL.sub(r"\1\2\4\3", line)
    line = _SPLIT_MARK.sub("", line)
    return _NIKHAHIT_AA.sub(SARA_AM, line)


# A font whose ToUnicode map gives sara am (ำ) for sara aa (า): the page then reads
# `กระทรวงศึกษำธิกำร`, and its true sara am, drawn as nikhahit + aa, comes out spaced
# (`ส ำนักงำน`). Measured on the dev set's 41 real documents and the 5 samples: unspaced ำ
# per า is at most 0.25 on every normal page and 6.4 on the one such PDF (r42); over 1,
# with at least MIN_AM_FOR_AA of them, the page is repaired.
MIN_AM_FOR_AA = 20
_UNSPACED_AM = re.compile(r"(?<![ \t])\u0e33")
_SPACED_AM = re.compile(rf"(?<=[{CONSONANT}{TONE}])[ \t]\u0e33")


def maps_aa_to_am(text: str) -> bool:
    """Does this text layer (a page, or a whole document's) read sara aa as sara am? (see above)"""
    unspaced = len(_UNSPACED_AM.findall(text))
    return unspaced >= MIN_AM_FOR_AA and unspaced > text.count("\u0e32")


def sara_aa_read_as_am(lines: list[str], aa_as_am: bool | None = None) -> list[str]:
    """Step 0: undo a font that maps sara aa to sara am (see above). `aa_as_am` is the
    document's verdict (a page of a few words cannot show it); None judges this page alone."""
    text = "\n".join(lines)
    if not (maps_aa_to_am(text) if aa_as_am is None else aa_as_am):
        return lines
    text = _SPACED_AM.sub("\x00", text).replace("\u0e33", "\u0e32").replace("\x00", "\u0e33")
    return text.split("\n")


def repair_lines(lines: list[str], aa_as_am: bool | None = None) -> list[str]:
    """Steps 2–4, line by line: drop (cid:N), rejoin split marks, then pythainlp's normalize.

    Each line comes out as `normalize(line).strip()` (normalize itself collapses
    whitespace, blank lines included, and downstream splitting relies on lines).
    normalize's steps are pythainlp's own functions, which it documents for calling
    one by one; the costly one (vowel order and repeats, ~30 regex passes) runs
    once a page instead of once a line, because none of its patterns reaches across
    a newline (measured with cProfile on fpdf-shaped pages: the repairs took 16 % of the
    text-layer reader run per line, 9 % this way).
    """
    lines = [remove_dup_spaces(remove_zw(unsplit(line))) for line in sara_aa_read_as_am(lines, aa_as_am)]  # per line: it would merge them
    if not lines:
        return []
    if any(line.startswith("\u0e45") for line in lines):
        # ๅ -> า looks at the character before it: at a line's start that would be the newline
        lines = [remove_repeat_vowels(remove_spaces_before_marks(line)) for line in lines]
    else:
        lines = remove_repeat_vowels(remove_spaces_before_marks("\n".join(lines))).split("\n")
    return [remove_dangling(line).strip() for line in lines]  # per line: "^" is the line's start


def repair_line(line: str) -> str:
    """`repair_lines` of one line."""
    return repair_lines([line])[0]


def repair_text_layer(text: str) -> str:
    """All four repairs, in the order the issue fixes, keeping every line."""
    return "\n".join(repair_lines(map_pua(text).split("\n")))


def is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


@dataclass
class Verdict:
    """Whether a page's text layer can be used, and if not, why (shown as a page warning)."""

    good: bool
    reason: str = ""


# A page with fewer letters than this has no real text layer (a scan with a stamp, a page number).
MIN_LETTERS = 40
# Thai circulars are mostly Thai; below this share of letters the layer is not the page's text.
MIN_THAI_SHARE = 0.3
# A few (cid:N) are dropped by the repairs; more than this share of glyphs and the page is OCR'd.
MAX_CID_SHARE = 0.02
# Share of characters that can only come from a broken encoding.
MAX_BAD_SHARE = 0.02


def judge_text_layer(raw: str) -> Verdict:
    """Good or garbage, on the raw layer (before repairs hide the evidence).

    Garbage: too few letters (a scan), too few Thai letters among them (a font
    whose ToUnicode map is wrong gives Latin-1 soup), `(cid:N)` placeholders,
    private-use glyphs outside the legacy Thai table, replacement characters or
    UTF-8/TIS-620 mojibake (Thai bytes read as Latin-1: "à¸", "¡Ã").
    """
    letters = thai = bad = 0
    pua = pua_table()
    for ch in raw:
        if ch.isalpha():
            letters += 1
        o = ord(ch)
        if 0x0E00 <= o <= 0x0E7F:
            thai += 1
        elif o in pua:
            thai += 1
        elif 0xE000 <= o <= 0xF8FF or ch in "\ufffd\ufffe" or (o < 32 and ch not in "\n\r\t\f"):
            bad += 1
        elif 0x00C0 <= o <= 0x00FF or 0x00A1 <= o <= 0x00BF:
            bad += 1
    cids = len(_CID.findall(raw))
    if letters + cids < MIN_LETTERS:
        return Verdict(False, f"no usable text layer ({letters} letters)")
    if cids / (letters + cids) > MAX_CID_SHARE:
        return Verdict(False, f"text layer has {cids} (cid:N) placeholders")
    if bad / max(1, len(raw)) > MAX_BAD_SHARE:
        return Verdict(False, f"text layer looks garbled ({bad} undecodable characters)")
    if thai / max(1, letters) < MIN_THAI_SHARE:
        return Verdict(False, f"text layer has too few Thai characters ({thai} of {letters} letters)")
    return Verdict(True)
