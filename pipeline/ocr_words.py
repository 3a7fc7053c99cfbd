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
import re
from functools import lru_cache
from importlib import resources

# Marks tesseract tends to drop or swap: tones, thanthakhat, maitaikhu, nikhahit,
# and the sara i / sara ue family it confuses (ิ ี ึ ื).
_FRAGILE = re.compile("[\u0e48-\u0e4e\u0e34-\u0e37\u0e31]")
_DIGIT_START = re.compile(r"^[(\[]?[๐-๙0-9]")
_DIGIT_END = re.compile(r"[๐-๙0-9][,.)]?$")
# ที่ glued to the two letters of an agency code, at the start of a reference line
_GLUED_REF = re.compile("^ที[\u0e48-\u0e4b]?([\u0e01-\u0e2e]{2})$")


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
    return out


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by at most one substitution, insertion or deletion."""
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
    near = {word for vsk, word in months.items() if len(vsk) >= 5 and _one_edit(sk, vsk)}
    return near.pop() if len(near) == 1 else token


def correct_line(line: str) -> str:
    vocab = vocabulary()
    tokens = line.split(" ")
    for i, tok in enumerate(tokens):
        if not tok:
            continue
        nxt = next((t for t in tokens[i + 1:] if t), "")
        prev = next((t for t in reversed(tokens[:i]) if t), "")
        if i == 0 or not any(tokens[:i]):
            tok = _fix(tok, vocab["line_start"])
            # "NWN สน ๐๐๑๘.๑/ว ๑๕๓๒": Latin for ที่ only before an agency code and a reference
            if tok in vocab["latin_line_start"] and re.match("[\u0e01-\u0e2e]", nxt) and "/" in line:
                tok = vocab["latin_line_start"][tok]
            # "ทีมท ๐๘๑๐.๗/ว ๒๐๐": ที่ and the agency letters run together, its tone lost
            glued = _GLUED_REF.match(tok)
            if glued and _DIGIT_START.match(nxt) and "/" in line:
                tok = "ที่ " + glued.group(1)
        if _DIGIT_START.match(nxt):
            tok = vocab["latin_before_number"].get(tok, tok)
            tok = _fix(tok, vocab["before_number"], suffix=True)
            if _DIGIT_END.search(prev):
                tok = _fix_month(tok, vocab["months"])
        tokens[i] = tok
    return " ".join(tokens)


# ---------------------------------------------------------------------------
# Marks dropped inside ordinary words (ท้องถิ่น -> ท้องถิน, ขับเคลื่อน -> ขับเคลือน)
# ---------------------------------------------------------------------------
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_UPPER_VOWELS = "\u0e34\u0e35\u0e36\u0e37"
_MARK = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
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
        tones = [i for i, ch in enumerate(word) if ch in _TONES]
        for mask in range(1, 1 << len(tones)):
            drop = {tones[k] for k in range(len(tones)) if mask >> k & 1}
            slips.add("".join(ch for i, ch in enumerate(word) if i not in drop))
        for i, ch in enumerate(word):
            if ch in _UPPER_VOWELS:
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
    from pythainlp.tokenize import word_tokenize

    table = mark_repairs()
    words = _words()
    tokens = word_tokenize(line, engine="newmm", keep_whitespace=True)
    cuts = [0]
    for tok in tokens:
        cuts.append(cuts[-1] + len(tok))
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
    for start, end, word in reversed(edits):
        line = line[:start] + word + line[end:]
    return line


_THAI_RUN = re.compile("[\u0e01-\u0e4e]+")


def correct_structural_words(text: str) -> str:
    """Every line of an OCR'd page with its structural words corrected and dropped marks restored."""
    return "\n".join(repair_marks(correct_line(line)) for line in text.split("\n"))
