"""Reference numbers (เลขที่หนังสือ): `ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐` -> `มท 0305.1/ว 1660`.

A reference is the agency's letters, its office code, `/`, `ว` when the
letter is a circular, and the running number. OCR and typing vary it: a
space after the slash, none before the number, a dot after the letters
(`กค.`), Thai or Arabic digits. Matching runs on the parse view (Arabic
digits); the raw form is cut from the display view at the same offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.thai import facts
from pipeline.thai.chars import MARK, SARA_A, SARA_AA, SARA_AM

# What never follows a digit in Thai writing: a mark drawn above or below a letter, and the
# vowels that only follow a consonant (ะ า ำ). A running number with one glued on is a
# handwritten number OCR made digits of (r39: `ว๕์๔๑`, r34: `ว๓๒๐๕๑า`), not a number to
# report; the line is then read as a reference without its number (`ref_partial`). So is a
# number with a circular's ว and digits after it (r35: `๐๐๓๓.๐๐๘/๒ ว๑`): ว comes before the number.
NOT_AFTER_DIGIT = MARK + SARA_A + SARA_AA + SARA_AM

REF_RE = re.compile(
    r"(?<![ก-ฮ\w])(?P<agency>[ก-ฮ]{2,4})\s?\.?\s?"
    r"(?:\(\s?(?P<division>[ก-ฮ]{2,6})\.?\s?\)\s?)?"  # a division in brackets: `กค (กวพ) ๐๔๒๑.๓/ว ๑๒`
    # one leading digit only before a dotted part (`สปสช ๕.๖๑/ว …`); OCR: `๐๓๐๕,.๑`
    r"(?P<office>(?:\d{2,6}|\d(?=\s?\.\s?\d))(?:\s?[.,]{1,2}\s?\d{1,3}){0,3})"
    # OCR loses the slash before a circular's ว (`๐๒๑๐.๕ว๒๔๗๖`): ว between the codes still divides them
    r"(?:\s*/\s*(?P<circ>ว\s?\.?)?|\s?(?P<circ_unslashed>ว)\s?\.?)\s*(?P<num>\d{1,6})"
    rf"(?![\d/{NOT_AFTER_DIGIT}]|\s?ว\s?\.?\s?\d)"
)


# printed agency letters and office code before the slash, the running number written by hand
# and unreadable (`พท ๐๐๑๗.๒/ว` then noise): a reference's head, no reference
PARTIAL_REF = (r"(?P<agency>[ก-ฮ]{2,4})\s?\.?\s?"
               r"(?P<office>\d{2,6}(?:\s?[.,]\s?\d{1,3}){0,3})\s*/\s*(?P<circ>ว(?![ก-ฮ]))?")


@dataclass
class Reference:
    start: int
    end: int
    ref: str
    agency_code: str
    office_code: str
    number: str
    is_circular: bool

    @property
    def agency_name(self) -> str | None:
        return facts.agency_name(self.agency_code)


def parse_reference(text: str, start: int = 0, end: int | None = None) -> Reference | None:
    """The first reference in text[start:end] (parse view), or None."""
    found = find_references(text, start, end)
    return found[0] if found else None


def find_references(text: str, start: int = 0, end: int | None = None) -> list[Reference]:
    out = []
    for m in REF_RE.finditer(text, start, len(text) if end is None else end):
        office = re.sub(r"\s", "", re.sub(r"[.,]{1,2}", ".", m.group("office")))
        agency = m.group("agency")
        circular = bool(m.group("circ") or m.group("circ_unslashed"))
        number = m.group("num").lstrip("0") or "0"
        division = f" ({m.group('division')})" if m.group("division") else ""
        ref = f"{agency}{division} {office}/{'ว ' if circular else ''}{number}"
        out.append(Reference(m.start(), m.end(), ref, agency, office, number, circular))
    return out


def canonical(ref: str | None) -> str | None:
    """A reference string in canonical form, whatever its spacing or digits."""
    if not ref:
        return None
    from pipeline.thai.normalise import to_arabic

    found = parse_reference(to_arabic(ref))
    return found.ref if found else None
