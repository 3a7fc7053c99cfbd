"""Correct OCR slips in the words that carry a letter's structure.

Tesseract's Thai model drops marks above the line: ที่ comes out as ที, เรื่อง
as เรือง, สิ่งที่ส่งมาด้วย as สิงทีส่งมาด้วย. Those words are exactly what the
segmenter and extractors key on, so each is matched against the domain
vocabulary (data/ocr_vocabulary.json) chosen by the token's position: the first
token of a line, the token before a number, a month between a day and a year.
A token is replaced only when it equals a vocabulary word once the easily
dropped marks are ignored (or, for month names, differs by one letter from
exactly one month), so ordinary words elsewhere in the text are never touched.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Callable

from pipeline.thai.chars import (CONSONANT, DIGIT, MARK, THAI, TO_ARABIC, TONE, TONES, UPPER_VOWELS, WORD_START,
                                 one_edit_apart)

# Marks tesseract tends to drop or swap: tones, thanthakhat, maitaikhu, nikhahit,
# and the sara i / sara ue family it confuses (ิ ี ึ ื).
_FRAGILE = re.compile("[\u0e48-\u0e4e\u0e34-\u0e37\u0e31]")
_DIGIT_START = re.compile(rf"^[(\[]?[{DIGIT}0-9]")
_DIGIT_END = re.compile(rf"[{DIGIT}0-9][,.)]?$")
# ที่ glued to the two letters of an agency code, at the start of a reference line
_GLUED_REF = re.compile(f"^ที[{TONE}]?([{CONSONANT}]{{2}})$")
_THAI_RUN = re.compile(f"[{THAI}]+")
# Thai letters, vowels and marks: not ฯ, ๆ or ฿, which end or stand beside words
_WORD_RUN = re.compile(f"[{CONSONANT}\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]+")
# every Thai mark above or below the line; sara am counts as sara aa with a nikhahit
_ALL_MARKS = re.compile(f"[{MARK}]")
_ABBREVIATION = re.compile(f"[{CONSONANT}]{{1,4}}")  # agency letters (สค, สนง): no vowel to lose
# a run opening with a vowel or mark no word starts with: OCR lost its first letter (ะหว่างวันที่)
_LOST_INITIAL = re.compile(f"(?<![{THAI}])[\u0e30-\u0e3a\u0e47-\u0e4e][{THAI}]*")
_SALUTATION = re.compile("^(?:เรียน|ถึง)\\s")
_SUBJECT_HEAD = re.compile("^เรื่อง(?:\\s|$)")


def skeleton(word: str) -> str:
    return _FRAGILE.sub("", word)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, str]]:
    """For each position: skeleton -> vocabulary word (a skeleton shared by two words is left out)."""
    doc = json.loads(resources.files("pipeline").joinpath("data/ocr_vocabulary.json").read_text("utf-8"))
    out: dict[str, dict[str, str]] = {}
    for key in ("line_start", "before_number", "months"):
        table: dict[str, str] = {}
        clash: set[str] = set()
        for word in doc[key]:
            sk = skeleton(word)
            if sk in table and table[sk] != word:
                clash.add(sk)
            table[sk] = word
        out[key] = {k: v for k, v in table.items() if k not in clash}
    out["latin_before_number"] = doc.get("latin_before_number", {})
    out["latin_line_start"] = doc.get("latin_line_start", {})
    out["latin_line_start_before_thai"] = doc.get("latin_line_start_before_thai", {})
    out["before_month"] = {word: word for word in doc.get("before_month", [])}
    return out


def _fix(token: str, table: dict[str, str], suffix: bool = False) -> str:
    """The vocabulary word `token` (or, with `suffix`, its ending) is a slip of, else `token`."""
    if token in table.values():
        return token
    sk = skeleton(token)
    if sk in table:
        return table[sk]
    if suffix:
        for vsk, word in table.items():
            if len(vsk) >= 4 and sk.endswith(vsk) and not token.endswith(word):
                return token[: _cut(token, len(vsk))] + word
    return token


def _cut(token: str, skeleton_len: int) -> int:
    """Index in `token` where its last `skeleton_len` skeleton characters start."""
    count = 0
    for i in range(len(token) - 1, -1, -1):
        if not _FRAGILE.match(token[i]):
            count += 1
            if count == skeleton_len:
                return i
    return 0


def _fix_month(token: str, months: dict[str, str]) -> str:
    fixed = _fix(token, months)
    if fixed != token or len(token) < 5:
        return fixed
    sk = skeleton(token)
    near = {word for vsk, word in months.items() if len(vsk) >= 5 and one_edit_apart(sk, vsk)}
    return near.pop() if len(near) == 1 else token


# Letters OCR glued before a month name: at most this many (a speck of a stamp or of a
# handwritten day: r47's `อุจธันวาคม`); a longer head is a word of its own (เดือน, ปลาย…)
MAX_MONTH_HEAD = 3


@lru_cache(maxsize=1)
def _full_months() -> re.Pattern:
    """The months' full names (pipeline/thai/data/months.json: names of six letters or more
    without a dot), longest first."""
    from pipeline.thai import facts

    names = [n for n in facts.months() if len(n) >= 6 and "." not in n]
    return re.compile("|".join(sorted(names, key=len, reverse=True)))


def _month_head(token: str) -> str:
    """`token` without 1-3 letters glued before a full month name that ends it, unless those
    letters are a word that goes there (data/ocr_vocabulary.json's before_month: ต้นธันวาคม,
    early December, is left alone). The dictionary is no guide: it has อุจ."""
    m = _full_months().search(token)
    if not m or m.end() != len(token) or not 0 < m.start() <= MAX_MONTH_HEAD:
        return token
    head = token[:m.start()]
    if not re.fullmatch(f"[{THAI}]+", head) or head in vocabulary()["before_month"]:
        return token
    return m.group()


_BE_YEAR = re.compile(f"^(?:๒๕|25)[{DIGIT}0-9]{{2}}(?![{DIGIT}0-9])")
_YEAR_WORD = re.compile("(?:ปี|ปีงบประมาณ|ปีการศึกษา)$")
_LATIN_ERA = re.compile("[A-Za-z][A-Za-z.]{0,4}")
_OFFICE_CODE = rf"[{DIGIT}0-9]{{3,5}}(?:\.[{DIGIT}0-9]{{1,3}})*"  # ๐๓๐๕.๑ of ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐
_DAY = re.compile(f"[{DIGIT}0-9]{{1,2}}")
_LATIN_ABBR = re.compile("[A-Za-z]{1,4}\\.")
# a reference's office code with a Thai letter OCR put among its digits (๐๘๑๐.ญ๗)
_CODE_SPECK = re.compile(f"(?<=[{DIGIT}0-9.])[{CONSONANT}](?=[{DIGIT}0-9][{DIGIT}0-9.]*\\s*/)")


_TRAILING_RULE = re.compile(r"(?<=\S)(?:\s+[|¦!_~`]+)+\s*$")

# A letter's own reference line as OCR may read it: specks before the words, ที่ with its
# marks wrong or in Latin letters, the agency letters with a stray mark, then the office
# code and a slash (`" ทิ สูน ๐๐๑๘.๑/ว ๑๕๓๒` for `ที่ สน ๐๐๑๘.๑/ว ๑๕๓๒`)
_REF_LINE = re.compile(
    rf"^[^{THAI}A-Za-z0-9{DIGIT}]*?\s*"
    rf"(?P<lead>[{THAI}]{{1,4}}|[A-Za-z]{{1,4}})\s+"
    rf"(?P<agency>[{THAI}]{{2,6}})\.?\s*"
    rf"(?P<tail>{_OFFICE_CODE}\s*/.*)$")


@lru_cache(maxsize=1)
def _agency_by_letters() -> dict[str, str]:
    """An agency's letters without marks -> the letters (no two codes share them)."""
    from pipeline.thai.facts import agencies

    return {loose_key(code): code for code in agencies()}


def reference_line(line: str) -> str:
    """The line as `ที่ AGENCY CODE/…` when it has a reference line's shape and OCR only broke
    its words: what is read as ที่ is ท with any marks (or a few Latin letters) and the agency
    letters, marks ignored, are an agency's we know. Anything else is left as it is: the shape
    alone (digits, a slash) is no reason to call a line a reference."""
    m = _REF_LINE.match(line)
    if not m:
        return line
    lead, agency = m.group("lead"), m.group("agency")
    if not (loose_key(lead) == "ท" or lead.isascii()):
        return line
    code = _agency_by_letters().get(loose_key(agency))
    if code is None or (lead == "ที่" and agency == code):
        return line  # not a reference, or read right: left as printed
    return f"ที่ {code} {m.group('tail')}"


# ที่ twice before a reference (the re-read of Latin agency letters gave ที่ มท after a ที่ read right)
_DOUBLE_TI = re.compile(rf"ที่\s+(?=ที่\s+[{CONSONANT}]{{2,3}}\.?\s*{_OFFICE_CODE}\s*/)")


# ---------------------------------------------------------------------------
# Line passes of a letter's structural lines (pipeline.ocr.passes runs them in order)
# ---------------------------------------------------------------------------
def drop_trailing_rule(line: str) -> str:
    """"ด่วนที่สุด |": a table rule or a speck tesseract read after the words, as | ¦ ! _ ~ `."""
    return _TRAILING_RULE.sub("", line)


def correct_reference_line(line: str) -> str:
    """`reference_line`, on lines with a slash (a reference number has one)."""
    return reference_line(line) if "/" in line else line


def drop_double_ti(line: str) -> str:
    """ที่ twice before a reference: the re-read of Latin agency letters gave ที่ มท after a ที่
    read right (`_DOUBLE_TI`)."""
    return _DOUBLE_TI.sub("", line) if "/" in line else line


# a digit OCR glued to a reference's agency letters, the office code after a space (`ศธ5 ๐๔๐๒๒ /๓๔๓๘`)
_AGENCY_SPECK = re.compile(
    f"(?<![{THAI}])(?P<agency>[{CONSONANT}]{{2,4}})[{DIGIT}0-9](?=\\s+[{DIGIT}0-9]{{3,6}}(?:\\.[{DIGIT}0-9]{{1,3}})*\\s*/)")


def drop_agency_speck(line: str) -> str:
    """A digit glued to a reference's agency letters when the office code follows after a
    space (r47: `ที่ ศธ5 ๐๔๐๒๒ /๓๔๓๘`, a speck of the emblem's ink read as 5): no reference
    has a digit there, and the reference is not read at all with it. A code that starts right
    after the letters (`ศธ๐๔๐๒๒/๓๔๓๘`) is left as it is."""
    return _AGENCY_SPECK.sub(r"\g<agency>", line) if "/" in line else line


def drop_code_speck(line: str) -> str:
    """A reference's office code with a Thai letter OCR put among its digits (๐๘๑๐.ญ๗/ว)."""
    return _CODE_SPECK.sub("", line) if "/" in line else line


TokenRule = Callable[[str, str, str, str], str]


def token_pass(rule: TokenRule, first_only: bool = False) -> Callable[[str], str]:
    """A line pass that gives `rule` each token of the line (split at single spaces) with the
    token before it (as the rule already changed it), the token after it (as read) and the
    line; with `first_only`, the line's first token only. Its docstring is the rule's."""
    def run(line: str) -> str:
        tokens = line.split(" ")
        filled = [i for i, tok in enumerate(tokens) if tok]
        for k, i in enumerate(filled):
            if first_only and k:
                break
            prev = tokens[filled[k - 1]] if k else ""
            nxt = tokens[filled[k + 1]] if k + 1 < len(filled) else ""
            tokens[i] = rule(tokens[i], prev, nxt, line)
        return " ".join(tokens)

    run.__name__, run.__doc__ = rule.__name__, rule.__doc__
    return run


# A long structural word (its skeleton this many letters or more) is also taken with one
# letter wrong, added or lost: no two of them, nor a word of the dictionary, lie that close
MIN_ONE_EDIT_LINE_START = 8


def line_start_word(tok: str, prev: str, nxt: str, line: str) -> str:
    """The first token of a line that is a structural word with marks dropped or swapped
    (ที -> ที่, เรือง -> เรื่อง, สิงทีส่งมาด้วย -> สิ่งที่ส่งมาด้วย): data/ocr_vocabulary.json's
    line_start words, matched by their skeleton; a long one also with one letter wrong, added or
    lost, when the token is Thai letters only and no word of the dictionary (r50's `สงหทสงมาดวัย`)."""
    table = vocabulary()["line_start"]
    fixed = _fix(tok, table)
    if fixed != tok or len(skeleton(tok)) < MIN_ONE_EDIT_LINE_START or not _WORD_RUN.fullmatch(tok):
        return fixed
    from pythainlp.corpus import thai_words

    if tok in thai_words():
        return tok
    sk = skeleton(tok)
    near = {word for vsk, word in table.items() if len(vsk) >= MIN_ONE_EDIT_LINE_START and one_edit_apart(sk, vsk)}
    return near.pop() if len(near) == 1 else tok



def latin_ti(tok: str, prev: str, nxt: str, line: str) -> str:
    """"NWN สน ๐๐๑๘.๑/ว ๑๕๓๒": Latin for ที่ before agency letters on a reference line (a few
    Latin letters before a known agency's: `reference_line`)."""
    if "/" in line and tok in vocabulary()["latin_line_start"] and re.match(f"[{CONSONANT}]", nxt):
        return "ที่"
    return tok


def glued_ti(tok: str, prev: str, nxt: str, line: str) -> str:
    """"ทีมท ๐๘๑๐.๗/ว ๒๐๐": ที่ and the agency letters run together, its tone lost."""
    glued = _GLUED_REF.match(tok)
    if glued and _DIGIT_START.match(nxt) and "/" in line:
        return "ที่ " + glued.group(1)
    return tok


def latin_abbreviation_lead(tok: str, prev: str, nxt: str, line: str) -> str:
    """"NO.สำนักบริหารพื้นที่อนุรักษ์ ๓": ผอ. opening a distribution row, read as Latin
    (data/ocr_vocabulary.json's latin_line_start_before_thai)."""
    table = vocabulary()["latin_line_start_before_thai"]
    lead = _LATIN_ABBR.match(tok)
    if lead and lead.group() in table and (
            len(tok) > len(lead.group()) or re.match(f"[{WORD_START}]", nxt)):
        return table[lead.group()] + tok[len(lead.group()):]
    return tok


def month_at_line_end(tok: str, prev: str, nxt: str, line: str) -> str:
    """A month name after a day at the end of a line, the year wrapped to the next line
    ("๑๕ จันว่าคม"): the month it is a slip of (`_fix_month`)."""
    if not nxt and _DAY.fullmatch(prev):
        return _fix_month(tok, vocabulary()["months"])
    return tok


def era_after_pho(tok: str, prev: str, nxt: str, line: str) -> str:
    """"พ. A. ๒๕๖๒": a lone Latin letter after พ. before a year is ศ."""
    if _DIGIT_START.match(nxt) and prev == "พ." and re.fullmatch("[A-Za-z]\\.", tok):
        return "ศ."
    return tok


def latin_era(tok: str, prev: str, nxt: str, line: str) -> str:
    """"ประจำปี WAL ๒๕๖๒": a few Latin letters between a year word and a Buddhist-era year
    are the era, พ.ศ."""
    if _DIGIT_START.match(nxt) and _BE_YEAR.match(nxt) and _YEAR_WORD.search(prev) and _LATIN_ERA.fullmatch(tok):
        return "พ.ศ."
    return tok


def latin_before_number(tok: str, prev: str, nxt: str, line: str) -> str:
    """Latin before a number that tesseract's eng model made of a Thai word ("W.A." for พ.ศ.,
    "Ins." for โทร.): data/ocr_vocabulary.json's latin_before_number."""
    if _DIGIT_START.match(nxt):
        return vocabulary()["latin_before_number"].get(tok, tok)
    return tok


def before_number_word(tok: str, prev: str, nxt: str, line: str) -> str:
    """A word before a number (ที่, ฉบับที่, ลงวันที่, ชั้น …) with marks dropped, alone or as the
    end of a longer token, an opening bracket or quote before it kept (`(ชัน 1 สถาบันวิจัย…)`,
    r51's floor): data/ocr_vocabulary.json's before_number words."""
    if _DIGIT_START.match(nxt):
        lead = _OPENERS.match(tok).group()
        return lead + _fix(tok[len(lead):], vocabulary()["before_number"], suffix=True)
    return tok


_OPENERS = re.compile("[(\"'“‘]*")


def month_between_numbers(tok: str, prev: str, nxt: str, line: str) -> str:
    """A month name between a day and a year with marks dropped or one letter wrong
    (`_fix_month`)."""
    if _DIGIT_START.match(nxt) and _DIGIT_END.search(prev):
        return _fix_month(tok, vocabulary()["months"])
    return tok


def month_glued_head(tok: str, prev: str, nxt: str, line: str) -> str:
    """A full month name between a day and a year with a few letters that are no word glued
    before it (`๖ อุจธันวาคม ๒๕๕๙`, r47: the date line's ink runs into a handwritten mark):
    the month alone (`_month_head`)."""
    if _DIGIT_START.match(nxt) and _DAY.fullmatch(prev):
        return _month_head(tok)
    return tok


# ---------------------------------------------------------------------------
# Marks dropped inside ordinary words (ท้องถิ่น -> ท้องถิน, ขับเคลื่อน -> ขับเคลือน)
# ---------------------------------------------------------------------------
# Shorter slips are too often real words or parts of them ("ที" is a word, "ถิน" is in "ถินา").
MIN_REPAIR_LEN = 5
MAX_REPAIR_LEN = 24


@lru_cache(maxsize=1)
def mark_repairs() -> dict[str, str]:
    """Slip -> word, for every word of pythainlp's Thai word list missing one or more tone
    marks, or one upper vowel, where the slip is not itself a word and only one word
    makes it. Built once (~1 s) from the dictionary, so no list of ours to keep up."""
    from pythainlp.corpus import thai_words

    words = thai_words()
    out: dict[str, str] = {}
    clash: set[str] = set()
    for word in words:
        if len(word) > MAX_REPAIR_LEN + 3:
            continue
        slips: set[str] = set()
        tones = [i for i, ch in enumerate(word) if ch in TONES]
        for mask in range(1, 1 << len(tones)):
            drop = {tones[k] for k in range(len(tones)) if mask >> k & 1}
            slips.add("".join(ch for i, ch in enumerate(word) if i not in drop))
        for i, ch in enumerate(word):
            if ch in UPPER_VOWELS:
                slips.add(word[:i] + word[i + 1:])
        for slip in slips:
            if len(slip) < MIN_REPAIR_LEN or slip in words:
                continue
            if slip in out and out[slip] != word:
                clash.add(slip)
            out[slip] = word
    for slip in clash:
        del out[slip]
    return out


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def repair_marks(line: str) -> str:
    """`line` with each dictionary word that lost a mark given it back.

    Only where the line does not read as dictionary words: newmm cuts the line,
    and a slip is looked for only over a word it could not find ("ถิน" of
    ท้องถิน), starting and ending at its cuts, longest first. So correct text
    (ส่ง+มา, อย่าง+น้อย) is never rewritten.
    """
    if not _THAI_RUN.search(line):
        return line
    table = mark_repairs()
    words = _words()
    tokens, cuts = _cuts(line)
    edits: list[tuple[int, int, str]] = []
    done = 0  # tokens before this index are inside an edit already
    for t, tok in enumerate(tokens):
        if t < done or tok in words or not _THAI_RUN.fullmatch(tok):
            continue
        best: tuple[int, int, str] | None = None
        for a in range(max(done, t - 3), t + 1):
            for b in range(t + 1, min(len(tokens), t + 4) + 1):
                start, end = cuts[a], cuts[b]
                word = table.get(line[start:end])
                if word and (best is None or end - start > best[1] - best[0]):
                    best = (start, end, word)
                    best_b = b
        if best:
            edits.append(best)
            done = best_b
    return _apply_edits(line, edits)


# ---------------------------------------------------------------------------
# Abbreviations with a stray mark: ผ่อ. for ผอ., ผูจก.สนง. for ผจก.สนง., สันง. for สนง.
# ---------------------------------------------------------------------------
# one dotted piece of an abbreviation, at a word's start or after another piece
_ABBR_PIECE = re.compile(f"(?:(?<=^)|(?<=[\\s.(]))[{THAI}]{{1,6}}\\.")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], dict[str, str]]:
    """pythainlp's dotted abbreviations (ผอ., สนง., ธ.ก.ส., พ.ศ. …), and each one's letters
    without marks -> the abbreviation, where no other abbreviation has the same letters."""
    from pythainlp.corpus import thai_words

    known = frozenset(w for w in thai_words() if w.endswith(".") and len(w) <= 8)
    by_key: dict[str, set[str]] = {}
    for word in known:
        for piece in _ABBR_PIECE.findall(word):
            by_key.setdefault(loose_key(piece), set()).add(piece)
    return known, {k: next(iter(v)) for k, v in by_key.items() if len(v) == 1}


def repair_abbreviations(line: str) -> str:
    """Each dotted piece that carries a mark no abbreviation has, and whose letters are one
    abbreviation's, is that abbreviation. A piece with no mark is never touched, nor one
    that is an abbreviation already: marks are what OCR adds to the letters of ผอ."""
    if "." not in line:
        return line
    known, by_key = _abbreviations()

    def fix(m: re.Match) -> str:
        piece = m.group()
        if piece in known or not _ALL_MARKS.search(piece):
            return piece
        return by_key.get(loose_key(piece), piece)

    return _ABBR_PIECE.sub(fix, line)


def known_abbreviation(piece: str) -> str | None:
    """`piece` as a dotted Thai abbreviation of two letters or more (ผอ., กสท., อปท.), its
    stray marks dropped as `repair_abbreviations` drops them; None when it is none."""
    if not re.fullmatch(f"[{THAI}]{{2,6}}\\.", piece) or len(loose_key(piece)) < 3:
        return None
    known, by_key = _abbreviations()
    if piece in known:
        return piece
    return by_key.get(loose_key(piece)) if _ALL_MARKS.search(piece) else None


# ---------------------------------------------------------------------------
# Specks: dirt on a scan that tesseract reads as letters, marks and punctuation
# ---------------------------------------------------------------------------
_WIDE = re.compile(r"\S {3,}\S")  # words this far apart on a line are not one phrase
_PAGE_MARK = re.compile(rf"^[-–—]\s*[{DIGIT}0-9]{{1,3}}\s*[-–—]$")  # - ๒ -: the page-number line
# at the end of a line, past a wide gap: a lone mark, punctuation or one or two Latin letters
# ("ปฏิบัติราชการแทน      :", "ท้องถิ่น      ๊"); not a digit, which may be a quantity in a column
_TRAILING_SPECK = re.compile(f"(?<=\\S) {{3,}}(?:[{MARK}]|[:;,.'\"‘’“”`´]{{1,2}}|[A-Za-z]{{1,2}})\\s*$")
# at the start of a line, before its Thai words: punctuation and a space (": ศูนย์ราชการ…")
_LEADING_SPECK = re.compile(f"^\\s*[:;,.'\"‘’“”`´|]{{1,2}}\\s+(?=[{WORD_START}])")


def is_noise_line(line: str) -> bool:
    """A line of specks ("a        a", "1   a   7   ล   ม   ๕", "ew a"): every token three
    characters or fewer, and either Latin among them or wide gaps between them. A short
    Thai line (และ, ฯลฯ, ๑.) and the page-number line are text."""
    tokens = line.split()
    if not tokens or max(len(t) for t in tokens) > 3 or _PAGE_MARK.match(line.strip()):
        return False
    return bool(re.search("[A-Za-z]", line)) or bool(_WIDE.search(line))


def drop_noise_line(line: str) -> str | None:
    """None (the line is dropped) for a line of specks (`is_noise_line`), else the line."""
    return None if is_noise_line(line) else line


def drop_trailing_speck(line: str) -> str:
    """At the end of a line, past a wide gap, a lone mark, punctuation or one or two Latin
    letters ("ปฏิบัติราชการแทน      :", "ท้องถิ่น      ๊"); not a digit, which may be a
    quantity in a column (`_TRAILING_SPECK`)."""
    return _TRAILING_SPECK.sub("", line)


def drop_leading_speck(line: str) -> str:
    """At the start of a line, punctuation and a space before its Thai words (": ศูนย์ราชการ…")."""
    return _LEADING_SPECK.sub("", line)


# ---------------------------------------------------------------------------
# A reference's agency letters lost to Latin, put back from the letterhead
# ---------------------------------------------------------------------------
_LATIN_AGENCY_REF = re.compile(rf"^ที่ ([A-Za-z]{{1,4}})\.?\s*(?={_OFFICE_CODE}\s*/)")
LETTERHEAD_LINES = 6  # the issuer's name and address follow the reference within this many lines
_POSTCODE_AGENCY = re.compile(f"(?<![{THAI}])([{CONSONANT}]{{2,3}})\\.?\\s*[{DIGIT}0-9]{{5}}(?![{DIGIT}0-9])")


def letterhead_agency(lines: list[str]) -> list[str]:
    """`ที่ AA ๐๐๑๗.๑/ว ๑๕๑๒๓`: the agency letters read as Latin, on a letter's own reference
    line. A province's letter says whose it is in its letterhead just below (ศาลากลางจังหวัด
    สมุทรสาคร; the address's `สค ๗๔๐๐๐`): when the lines below name exactly one agency
    we know, its letters are put back. Otherwise the line is left as read."""
    from pipeline.thai.facts import agencies

    known = agencies()
    by_name = {entry["name"]: code for code, entry in known.items() if entry["kind"] == "province"}
    for i, line in enumerate(lines):
        m = _LATIN_AGENCY_REF.match(line)
        if not m or m.group(1) in known:
            continue
        found: set[str] = set()
        for below in [b for b in lines[i + 1:] if b.strip()][:LETTERHEAD_LINES]:
            if _SUBJECT_HEAD.match(below) or _SALUTATION.match(below):
                break
            found |= {code for name, code in by_name.items() if name in below}
            found |= {c for c in _POSTCODE_AGENCY.findall(below) if c in known}
        if len(found) == 1:
            lines[i] = f"ที่ {found.pop()} " + line[m.end():]
    return lines


_OFFICE = rf"({_OFFICE_CODE})"
_THAI_REF = re.compile(rf"(?:^|\s)([{CONSONANT}]{{2}})\.?\s*{_OFFICE}\s*/")
_OFFICE_AFTER = re.compile(rf"\s+{_OFFICE}")
_LATIN_REF = re.compile(rf"(?<![A-Za-z])[A-Za-z]{{2,4}}(?=\s+{_OFFICE}\s*/)")


def latin_agency_letters(lines: list[str]) -> list[str]:
    """ที่ and the agency letters read as Latin mid-line ("… NWN ๐๘๑๐.๗/ว ๑๔๐๘"): an office
    code belongs to one agency, so where the page prints the same code after Thai agency
    letters (the letter's own ที่ มท ๐๘๑๐.๗/…), those letters are put back."""
    from pipeline.thai.facts import agencies

    known = agencies()
    owner: dict[str, set[str]] = {}
    for line in lines:
        for m in _THAI_REF.finditer(line):
            if m.group(1) in known:
                owner.setdefault(m.group(2).translate(TO_ARABIC), set()).add(m.group(1))
    if not owner:
        return lines

    def fix(m: re.Match) -> str:
        code = _OFFICE_AFTER.match(m.string, m.end()).group(1).translate(TO_ARABIC)
        agency = owner.get(code, set())
        return f"ที่ {next(iter(agency))}" if len(agency) == 1 else m.group()

    return [_LATIN_REF.sub(fix, line) if "/" in line else line for line in lines]


_LATIN_LEAD = re.compile(rf"^[A-Za-z]{{1,4}}[.:]?\s+(?=[{WORD_START}])")


SUBJECT_WRAP = 3


def latin_subject_heads(lines: list[str]) -> list[str]:
    """เรื่อง read as Latin ("Sas การขับเคลื่อน…", "Bos การสมัคร…"): a line of Thai opened by
    a few Latin letters, one of the three lines above the salutation, in a head with no
    เรื่อง line of its own."""
    for i, line in enumerate(lines):
        if not _SALUTATION.match(line):
            continue
        above = [j for j in range(i - 1, max(-1, i - 8), -1) if lines[j].strip()][:SUBJECT_WRAP]
        if not above or any(_SUBJECT_HEAD.match(l) for l in lines[max(0, above[-1] - 3):i]):
            continue
        for j in above:  # the subject wraps over a line or two
            lead = _LATIN_LEAD.match(lines[j])
            if lead:
                lines[j] = "เรื่อง " + lines[j][lead.end():]
                break
    return lines


# ---------------------------------------------------------------------------
# Words OCR broke in other ways: a mark added, dropped or swapped, a letter
# more or less (อฮัยการ, ทางหล่วง, สุมุทรสาคร, คดี่), a stutter (จั จังหวัด)
# ---------------------------------------------------------------------------
# a known word whose mark-variant is this many times more frequent is that variant
# with a mark dropped (ที -> ที่, ทัง -> ทั้ง, สิง -> สิ่ง; not มัน/มั่น, นำ/น้ำ)
FREQ_RATIO = 50


def loose_key(text: str) -> str:
    """`text` without marks, sara am as sara aa: what OCR keeps of a word."""
    return _ALL_MARKS.sub("", text.replace("\u0e33", "\u0e32"))


def _spell(text: str) -> str:
    return text.replace("\u0e33", "\u0e4d\u0e32")


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b (sara am spelt out), or limit + 1 once past limit."""
    a, b = _spell(a), _spell(b)
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    from pythainlp.corpus import get_corpus_path  # noqa: F401  (the file ships with pythainlp)
    from pythainlp.corpus.tnc import word_freqs

    return dict(word_freqs())


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """pythainlp's word list, the provinces, and the agencies and structural words we know."""
    return frozenset(_words() | _domain_words())


@lru_cache(maxsize=1)
def _domain_words() -> frozenset[str]:
    """The provinces, agencies and structural words of government letters."""
    words: set[str] = set()
    try:
        from pythainlp.corpus import provinces

        for p in provinces(details=True):
            words.add(p["name_th"])
            words.add("จังหวัด" + p["name_th"])
    except Exception:  # pragma: no cover - pythainlp without its corpus
        pass
    agencies = json.loads(resources.files("pipeline.thai").joinpath("data/agencies.json").read_text("utf-8"))
    words.update(a["name"] for a in agencies["agencies"] if " " not in a["name"])
    doc = json.loads(resources.files("pipeline").joinpath("data/ocr_vocabulary.json").read_text("utf-8"))
    words.update(w for w in doc["line_start"] + doc["before_number"] if _WORD_RUN.fullmatch(w))
    for key, value in _extractor_vocabulary().items():  # headings, closings, cue words
        if isinstance(value, list) and key != "name_titles":
            words.update(w for w in value if isinstance(w, str) and _WORD_RUN.fullmatch(w))
    return frozenset(words)


MIN_EDIT_KEY = 6  # a letter added, dropped or changed only in words this long


@lru_cache(maxsize=1)
def _by_key() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Loose key -> words, and (for keys of five letters or more) key less one letter -> words."""
    exact: dict[str, list[str]] = {}
    deletes: dict[str, list[str]] = {}
    for word in lexicon():
        key = loose_key(word)
        if not key:
            continue
        exact.setdefault(key, []).append(word)
        if len(key) >= MIN_EDIT_KEY - 1:
            for i in range(len(key)):
                deletes.setdefault(key[:i] + key[i + 1:], []).append(word)
    return ({k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in deletes.items()})


def best_word(text: str, min_key: int = 3) -> str | None:
    """The lexicon word OCR made `text` of, or None when there is none or no single best.

    The word has the same letters once marks are ignored, and differs by few marks;
    or, in a long word, one letter more, less or different as well.
    """
    key = loose_key(text)
    if len(key) < min_key:
        return None
    exact, deletes = _by_key()
    # marks: one in a short word, more in a long one (a 14-letter heading lost 4)
    limit = 1 if len(key) < 3 else 2 if len(key) < 7 else max(3, len(key) // 3)
    cands = set(exact.get(key, ()))
    if not cands and len(key) >= MIN_EDIT_KEY:
        cands = _letter_edits(key)
        limit = 2 if len(key) < 9 else 3
    return _nearest(text, cands, limit)


def _letter_edits(key: str) -> set[str]:
    """Lexicon words whose key is `key` with one letter dropped, added or changed."""
    exact, deletes = _by_key()
    cands = set(deletes.get(key, ()))  # OCR dropped a letter
    for i in range(len(key)):
        shorter = key[:i] + key[i + 1:]
        cands.update(exact.get(shorter, ()))  # OCR added one
        cands.update(deletes.get(shorter, ()))  # OCR changed one
    return cands


def _nearest(text: str, cands, limit: int) -> str | None:
    """The candidate fewest edits from `text` (at most `limit`); of equals, the one far
    more frequent in the TNC corpus than the others; else None."""
    scored = sorted((_distance(text, w, limit), w) for w in cands)
    scored = [(d, w) for d, w in scored if d <= limit]
    if not scored:
        return None
    best = [w for d, w in scored if d == scored[0][0]]
    if len(best) > 1:
        ours = [w for w in best if w in _domain_words()]
        if len(ours) == 1:
            return ours[0]  # a province or agency over a word list's variant spelling
    if len(best) > 1:
        freq = _frequencies()
        best.sort(key=lambda w: freq.get(w, 0), reverse=True)
        if freq.get(best[0], 0) <= freq.get(best[1], 0) * 2:
            return None
    return best[0]


def _more_frequent_variant(token: str) -> str | None:
    """A known word that is, far more often, the same word with one more mark (OCR drops them)."""
    if len(token) < 2 or not _ALL_MARKS.search(token) and not re.search("[\u0e30-\u0e45]", token):
        return None  # letters alone are an abbreviation (สค), not a word that lost its mark
    freq = _frequencies()
    own = freq.get(token, 0)
    exact, _ = _by_key()
    best = None
    for word in exact.get(loose_key(token), ()):
        if len(word) == len(token) + 1 and _distance(token, word, 1) == 1 and freq.get(word, 0) > FREQ_RATIO * max(own, 1):
            if best is None or freq[word] > freq[best]:
                best = word
    return best


_STUTTER = re.compile(f"(?<![{THAI}])([{CONSONANT}][\u0e31\u0e34-\u0e39\u0e47-\u0e4c]?[\u0e30\u0e31]?) +(?=\\1)")
_DANGLING = re.compile(f"([{THAI}])([\u0e30\u0e32\u0e33]) +\\2(?=[{WORD_START}])")


# a word's last letter read again on its own: "เรื่อง ง การสมัคร"
_ECHO = re.compile(f"(?<=[{THAI}]{{2}})([{CONSONANT}]) +\\1(?= +[{WORD_START}])")


# a word's syllable in sara a read twice across a gap inside the word: "ราชการสะ สะดวก", "ทางทะ ทะเล"
_SPLIT_ECHO = re.compile(f"(?<=[{THAI}])([{CONSONANT}]\u0e30) +\\1(?=[{THAI}])")


def drop_split_echo(text: str) -> str:
    """A word's syllable in sara a read on both sides of a gap inside the word: "ราชการสะ
    สะดวก", "ทางทะ ทะเล" (`_SPLIT_ECHO`)."""
    return _SPLIT_ECHO.sub(lambda m: m.group(1), text)


def drop_dangling_vowel(text: str) -> str:
    """A vowel read again after a gap before the next word: "และ ะผังเมือง" (`_DANGLING`)."""
    return _DANGLING.sub(lambda m: m.group(1) + m.group(2), text)


def drop_echo_letter(text: str) -> str:
    """A word's last letter read again on its own: "เรื่อง ง การสมัคร" (`_ECHO`)."""
    return _ECHO.sub(lambda m: m.group(1), text)


def drop_stutter(text: str) -> str:
    """A word's first letters read twice, the first time cut off: "จั จังหวัด"; not a word of
    its own before a word starting with it (`_STUTTER`)."""
    out, pos = [], 0
    for m in _STUTTER.finditer(text):
        if m.group(1) in _words() and len(m.group(1)) > 1:
            continue  # a word of its own, then a word starting with it
        out.append(text[pos:m.start()])
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _cuts(line: str) -> tuple[list[str], list[int]]:
    """newmm's tokens of `line` and the offsets where they start (and where the last ends)."""
    tokens, cuts = _newmm_cuts(line)
    return list(tokens), list(cuts)


# The word passes run one after another on the same stretch of a line (pipeline.ocr.passes'
# `word` scope), most changing nothing: each tokenised it again. A page's stretches are a
# few hundred; on 52 rendered heavy scan pages newmm was ~0.05 s a page, 5 calls a stretch.
@lru_cache(maxsize=512)
def _newmm_cuts(line: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    from pythainlp.tokenize import word_tokenize

    tokens = word_tokenize(line, engine="newmm", keep_whitespace=True)
    cuts = [0]
    for tok in tokens:
        cuts.append(cuts[-1] + len(tok))
    return tuple(tokens), tuple(cuts)


def _apply_edits(line: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, word in reversed(edits):
        line = line[:start] + word + line[end:]
    return line


def repair_unknown(line: str) -> str:
    """Each place newmm finds no word: the window of its cuts around it that is a
    lexicon word with the fewest edits (then the longest)."""
    words = lexicon()
    tokens, cuts = _cuts(line)
    edits: list[tuple[int, int, str]] = []
    done = 0
    for t, tok in enumerate(tokens):
        if t < done or tok in words or not _WORD_RUN.fullmatch(tok):
            continue
        if _ABBREVIATION.fullmatch(tok) and not any(
                0 <= n < len(tokens) and _WORD_RUN.fullmatch(tokens[n]) for n in (t - 1, t + 1)):
            continue  # letters standing alone: agency letters (สค), not a word's scrap
        best: tuple[int, int, int, str] | None = None  # (edits, -length, start, word)
        best_b = t + 1
        for a in range(max(done, t - 3), t + 1):
            if not all(_WORD_RUN.fullmatch(x) for x in tokens[a:t]):
                continue
            for b in range(t + 1, min(len(tokens), t + 4) + 1):
                if not _WORD_RUN.fullmatch(tokens[b - 1]):
                    break
                start, end = cuts[a], cuts[b]
                text = line[start:end]
                if text in words:
                    continue
                word = best_word(text, min_key=2 if b - a == 1 else 3)
                if word:
                    cand = (_distance(text, word, 9), -(end - start), start, word)
                    if best is None or cand < best:
                        best, best_b = cand, b
        if best:
            _, neg_len, start, word = best
            edits.append((start, start - neg_len, word))
            done = best_b
    return _apply_edits(line, edits)


MIN_COMPOUND_KEY = 5
MIN_COMPOUND_SWAP_KEY = 8


def repair_compounds(line: str) -> str:
    """Known words that together are a longer word with a mark wrong: มัน+คง (มั่นคง),
    ตำรวจ+นำ (ตำรวจน้ำ), สุ+มุ+ทร+สาคร (สมุทรสาคร). Marks only, never letters."""
    words = lexicon()
    exact, _ = _by_key()
    newmm_tokens, newmm_cuts = _cuts(line)
    tokens, cuts = _split_compounds(newmm_tokens, newmm_cuts)
    # a word newmm read whole is never rewritten into another (พลศึกษา is not พลีศึกษา)
    whole_words = {(newmm_cuts[i], newmm_cuts[i + 1]) for i in range(len(newmm_tokens))}
    ends = set(newmm_cuts)
    edits: list[tuple[int, int, str]] = []
    t = 0
    while t < len(tokens):
        found = None
        for b in range(min(len(tokens), t + 4), t + 1, -1):  # longest first
            if not all(_WORD_RUN.fullmatch(x) for x in tokens[t:b]) or not _whole(tokens, t, b):
                continue
            text = line[cuts[t]:cuts[b]]
            key = loose_key(text)
            if (text in words or len(key) < 4 or (cuts[t], cuts[b]) in whole_words
                    or cuts[b] not in ends):  # may start inside a newmm word, not end inside one (การ+พล of พลศึกษา)
                continue
            # sara am read as mai tho + sara aa (เรือนจ้า), or its nikhahit lost under a tone (ตำรวจน้า)
            # and a speck read as nikhahit over sara aa (อำชีพ)
            am = next((v for v in (text.replace("\u0e49\u0e32", "\u0e33"), text.replace("\u0e49\u0e32", "\u0e49\u0e33"),
                                   text.replace("\u0e33", "\u0e32"))
                       if v != text and v in words), None)
            if am:
                found = (b, am)
                break
            if len(key) < MIN_COMPOUND_KEY:
                continue
            limit = 1 if len(key) < 8 else 2
            word = _nearest(text, exact.get(key, ()), limit)
            if not word and len(key) >= MIN_COMPOUND_SWAP_KEY and not re.match(f"[{THAI}]", line[cuts[b]:]):
                # a letter wrong across known words that end the run, only into a province or
                # agency (สมุทร+สา+ควร; not จังหวัด+สกล of จังหวัดสกลนคร into จังหวัดสตูล)
                # with its first and last letters in place (not ที่+สมุทรสาคร -> สมุทรสาคร)
                word = _nearest(text, {w for w in _letter_edits(key) & _domain_words()
                                       if loose_key(w)[0] == key[0] and loose_key(w)[-1] == key[-1]}, 2)
            # marks OCR dropped; anything else only in a long word (งูบ+ประมาณ) or where
            # newmm had to cut the run into scraps of one letter (สุ+มุ+ทร): short known
            # words in a row (การ+ติดต่อ, not การตัดต่อ) stay
            if word and (_dropped_only(text, word) or len(key) >= MIN_COMPOUND_SWAP_KEY
                         or any(len(loose_key(x)) == 1 for x in tokens[t:b])):
                found = (b, word)
                break
        if found:
            edits.append((cuts[t], cuts[found[0]], found[1]))
            t = found[0]
        else:
            t += 1
    return _apply_edits(line, edits)


def _split_compounds(tokens: list[str], cuts: list[int]) -> tuple[list[str], list[int]]:
    """newmm's tokens with each compound it knows cut in two known words (สถานีตำรวจ ->
    สถานี+ตำรวจ), so a window can start or end inside it (ตำรวจ+นำ of สถานีตำรวจนำ)."""
    words = lexicon()
    out_tokens, out_cuts = [], [0]
    for tok in tokens:
        split = next((i for i in range(len(tok) - 2, 1, -1)
                      if tok[:i] in words and tok[i:] in words and _WORD_RUN.fullmatch(tok)
                      and not _ALL_MARKS.match(tok[i])), None) if len(tok) >= 6 else None
        parts = [tok[:split], tok[split:]] if split else [tok]
        for part in parts:
            out_tokens.append(part)
            out_cuts.append(out_cuts[-1] + len(part))
    return out_tokens, out_cuts


def _whole(tokens: list[str], a: int, b: int) -> bool:
    """Whether tokens[a:b] are whole words: Thai glued on either side is a word of its own
    (newmm cut `สกลนคร...` as สกล+นค+ร.: a window ending at นค is half a word)."""
    words = lexicon()
    before = tokens[a - 1] if a > 0 else ""
    after = tokens[b] if b < len(tokens) else ""
    return (not _WORD_RUN.match(after) or after in words) and (
        not re.search(f"{_WORD_RUN.pattern}$", before) or before in words)


def _dropped_only(text: str, word: str) -> bool:
    """Whether `word` is `text` with marks put back, none taken away or changed."""
    return len(word) > len(text) and _distance(text, word, len(word) - len(text)) == len(word) - len(text)


def repair_rare_variants(line: str) -> str:
    """A short known word far rarer than the same word with one more mark is that word with
    the mark dropped (ที -> ที่, ทัง -> ทั้ง, สิง -> สิ่ง; not มัน/มั่น, นำ/น้ำ: FREQ_RATIO)."""
    words = lexicon()
    tokens, cuts = _cuts(line)
    edits = []
    for t, tok in enumerate(tokens):
        if tok in words and _WORD_RUN.fullmatch(tok):
            variant = _more_frequent_variant(tok)
            if variant:
                edits.append((cuts[t], cuts[t + 1], variant))
    return _apply_edits(line, edits)


MAX_REPAIR_LINE = 2000
# People's names are not in any word list: a signatory's bracketed name line, and a
# title (extractors' name_titles) with the two words after it, are left as OCR read them.
_NAME_LINE = re.compile(r"^\s*\([^()\d]*\)\s*$")


def name_free_parts(line: str) -> list[tuple[str, bool]]:
    """The line cut into stretches, each with whether the word passes may change it.

    As `repair_marks`, correct text is left alone: the word passes look for a word only
    where newmm finds none, or where known words run together into a longer word but
    for a mark; and a short known word far rarer than its mark-variant is read as the
    variant. People's names are in no word list, so a title and the two words after it
    (`_name_re`, not a position such as นายอำเภอ) are not to be changed, nor a bracketed
    name line, a line with no Thai, or one longer than MAX_REPAIR_LINE (a page's line is
    short: thousands of characters are no line OCR read).
    """
    if not _THAI_RUN.search(line) or _NAME_LINE.match(line) or len(line) > MAX_REPAIR_LINE:
        return [(line, False)]
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _name_re().finditer(line):
        if _is_position(m.group()):
            continue
        parts.append((line[pos:m.start()], True))
        parts.append((m.group(), False))
        pos = m.end()
    parts.append((line[pos:], True))
    return [(text, ok and bool(_THAI_RUN.search(text))) for text, ok in parts]


def _is_position(text: str) -> bool:
    """นายอำเภอ…, นายกองค์การ…: a title that is the start of a longer word is a position."""
    tokens, _ = _cuts(text)
    return tokens[0] in lexicon() and tokens[0] not in _titles() and any(
        tokens[0].startswith(t) and len(tokens[0]) > len(t) for t in _titles())


def restore_lost_initial(text: str) -> str:
    """A run opening with a vowel or mark no word starts with: OCR lost its first letter
    (ะหว่างวันที่ -> ระหว่างวันที่), put back when exactly one consonant makes the run's
    start a word of four letters or more (`_initial`)."""
    return _LOST_INITIAL.sub(_initial, text) if _LOST_INITIAL.search(text) else text


# Known words that are OCR's scraps of one longer word (ผู้|ฮา|นวย|การ for ผู้อำนวยการ,
# พี|นุ|ที่ for พื้นที่, อธิ|บด for อธิบดี): every scrap is a word, so nothing above looks
# at them. A noisy channel decides: the longer word's TNC frequency, less a price for each
# edit OCR would have made, against the scraps' as separate words. Log10 units.
MARK_EDIT_COST = 1.5  # OCR drops and swaps marks often
LETTER_EDIT_COST = 3.0  # and letters far less often
FRAGMENT_MARGIN = 2.0  # the longer word must be this much (100x) likelier
MIN_FRAGMENT_WORD_FREQ = 100  # a candidate this common in TNC at least
FRAGMENT_WINDOW = 4


def _log_freq(word: str) -> float:
    freq = _frequencies()
    return math.log10(max(freq.get(word, 0), 0.5) / _tnc_total())


@lru_cache(maxsize=1)
def _tnc_total() -> int:
    return sum(_frequencies().values())


def repair_fragments(text: str) -> str:
    """Windows of 2 to FRAGMENT_WINDOW known words read as the longer word they are scraps of."""
    if not _THAI_RUN.search(text):
        return text
    words = lexicon()
    exact, _ = _by_key()
    tokens, cuts = _cuts(text)
    edits: list[tuple[int, int, str]] = []
    t = 0
    while t < len(tokens):
        best: tuple[float, int, str] | None = None  # (gain, end token, word)
        for b in range(t + 2, min(len(tokens), t + FRAGMENT_WINDOW) + 1):
            if not all(_WORD_RUN.fullmatch(x) for x in tokens[t:b]):
                break
            chunk = text[cuts[t]:cuts[b]]
            key = loose_key(chunk)
            if chunk in words or len(key) < 3:
                continue
            scraps = sum(_log_freq(x) for x in tokens[t:b])
            cands = [(w, 0) for w in exact.get(key, ())]
            if len(key) >= MIN_EDIT_KEY:
                cands += [(w, 1) for w in _letter_edits(key)]
            for word, letters in cands:
                if _frequencies().get(word, 0) < MIN_FRAGMENT_WORD_FREQ:
                    continue
                marks = _distance(chunk, word, 6) - letters
                if marks > 4:
                    continue
                gain = _log_freq(word) - MARK_EDIT_COST * marks - LETTER_EDIT_COST * letters - scraps
                if gain > FRAGMENT_MARGIN and (best is None or gain > best[0]):
                    best = (gain, b, word)
        if best:
            edits.append((cuts[t], cuts[best[1]], best[2]))
            t = best[1]
        else:
            t += 1
    return _apply_edits(text, edits)


INITIAL_LOOKAHEAD = 30


def _initial(m: re.Match) -> str:
    """The run with the one consonant that makes its start a word of four letters or more."""
    from pythainlp.tokenize import word_tokenize

    words = lexicon()
    found = set()
    head = m.group()[:INITIAL_LOOKAHEAD]  # a word's start is enough; newmm on a long run is slow
    for c in map(chr, range(0x0E01, 0x0E2F)):
        first = word_tokenize(c + head, engine="newmm")[0]
        if first in words and len(first) >= 4 and len(first) > len(c + head[:1]):
            found.add(c)
    return found.pop() + m.group() if len(found) == 1 else m.group()


def repair_chunks(text: str) -> str:
    """A whole run between spaces that is one long word OCR broke (บญชรายชอแนบท้าย):
    newmm cuts such a run into more scraps than a window of its cuts spans."""
    words = lexicon()
    exact, _ = _by_key()

    def fix(m: re.Match) -> str:
        chunk = m.group()
        key = loose_key(chunk)
        if chunk in words or len(key) < MIN_EDIT_KEY:
            return chunk
        # marks only (a run is often two words), but as many as half its letters: the
        # letters of a long run all in place are evidence enough (บญชรายชอแนบท่าย)
        return _nearest(chunk, exact.get(key, ()), len(key) // 2) or chunk

    return _WORD_RUN.sub(fix, text)


@lru_cache(maxsize=1)
def _extractor_vocabulary() -> dict:
    return json.loads(resources.files("pipeline.thai").joinpath("data/vocabulary.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    return tuple(sorted(set(_extractor_vocabulary()["name_titles"]) | {"นาย", "นาง", "นางสาว"}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _name_re() -> re.Pattern:
    alternation = "|".join(re.escape(t) for t in _titles())
    return re.compile(rf"(?<![{THAI}])(?:{alternation})\s?[^\s()\d]+(?:\s+[^\s()\d]+)?")
