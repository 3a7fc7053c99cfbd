"""Thai script facts the readers, the OCR passes and the normaliser share, defined once.

It imports nothing of the pipeline. The class names in capitals without an S (CONSONANT,
MARK, …) are the inside of a regular expression's brackets, to be put in patterns as
f"[{CONSONANT}]"; the plural names are the characters themselves.
"""
from __future__ import annotations

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

# Inside a regular expression's [ ]
DIGIT = "๐-๙"
CONSONANT = "\u0e01-\u0e2e"  # ก … ฮ
LEADING_VOWEL = "\u0e40-\u0e44"  # เ แ โ ใ ไ, written before the consonant they follow
WORD_START = CONSONANT + LEADING_VOWEL  # what a Thai word can start with
THAI = "\u0e01-\u0e4e"  # letters, vowels, marks, ฯ and ๆ: all Thai but the digits and ฿
MARK = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # every mark drawn above or below a letter
TONE = "\u0e48-\u0e4b"  # mai ek, mai tho, mai tri, mai chattawa

MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
TONES = "\u0e48\u0e49\u0e4a\u0e4b"
UPPER_VOWELS = "\u0e34\u0e35\u0e36\u0e37"  # sara i, sara ii, sara ue, sara uee
SARA_A = "\u0e30"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"


def one_edit_apart(a: str, b: str) -> bool:
    """Whether a and b differ by at most one substitution, insertion or deletion: what the
    OCR passes and the extractors both take for a one-letter slip."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]
