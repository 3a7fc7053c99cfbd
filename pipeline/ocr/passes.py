"""The OCR corrections as one ordered list of named passes, and the one loop that runs them.

Every correction the OCR stage makes to tesseract's reading of a page is a pass of
`PASSES`, applied in that order by `apply_passes`, which also records what each pass
changed (`Change`), so a pass can be measured, switched off (`apply_passes(..., passes=…)`)
or added in one place. A pass's evidence (what it fixes, measured where) is its function's
docstring. Scopes:

* `boxes`: edits on tesseract's own text made from the word boxes and the pixels
  (pipeline.ocr.engine: digit runs re-read by the glyph classifier, Latin misreadings read again
  with `tha`; pipeline.ocr.names: the signature block's name line read again). All of them are
  found on tesseract's text and applied at once, after the last; an earlier one's words are
  not edited by a later one.
* `page`: the page's text to text.
* `line`: each line to a line (None drops the line).
* `word`: each stretch of a line outside people's names (pipeline.ocr.words.name_free_parts;
  the stretches are found once, before the first of a row of word passes).

The last pass reads an impossible date again from the digit classifier's runner-up digits
(pipeline.ocr.plausibility); it is given the evidence of the `boxes` passes moved to the same
digits of the text it gets (`carry_evidence`).

`circulars text --explain FILE` prints each page's changes (`recording`).
"""
from __future__ import annotations

import difflib
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Literal, Sequence

import numpy as np

from pipeline.ocr import words as w
from pipeline.ocr.engine import (
    Boxes,
    Edit,
    drop_false_spaces,
    join_sara_am,
    reread_digit_runs,
    reread_large_marks,
    reread_latin_abbreviations,
    reread_reference_leads,
    reread_structural_leads,
    tidy_layout,
)
from pipeline.ocr.names import reread_name_lines
from pipeline.ocr.plausibility import carry_evidence, check_dates
from pipeline.thai.chars import MARKS

Scope = Literal["boxes", "page", "line", "word"]


@dataclass(frozen=True)
class Pass:
    """One correction: its name (as `--explain` prints it), its scope (see the module's
    docstring) and its function, whose docstring is the evidence for it."""

    name: str
    scope: Scope
    function: Callable
    uses_evidence: bool = False  # a page pass given the digit classifier's evidence too

    @property
    def evidence(self) -> str:
        return " ".join((self.function.__doc__ or "").split())


def _lines_pass(function: Callable[[list[str]], list[str]]) -> Callable[[str], str]:
    """A page pass of a function of the page's lines (its docstring is the function's)."""
    def run(text: str) -> str:
        return "\n".join(function(text.split("\n")))

    run.__name__, run.__doc__ = function.__name__, function.__doc__
    return run


PASSES: tuple[Pass, ...] = (
    # tesseract's words and pixels
    Pass("reference-lead-reread", "boxes", reread_reference_leads),
    Pass("structural-lead-reread", "boxes", reread_structural_leads),
    Pass("latin-abbreviation-reread", "boxes", reread_latin_abbreviations),
    Pass("large-mark-reread", "boxes", reread_large_marks),
    Pass("name-line-reread", "boxes", reread_name_lines),
    Pass("digit-reread", "boxes", reread_digit_runs),
    Pass("false-space", "boxes", drop_false_spaces),
    # layout
    Pass("tidy-layout", "page", tidy_layout),
    Pass("sara-am", "page", join_sara_am),
    Pass("noise-line", "line", w.drop_noise_line),
    Pass("trailing-speck", "line", w.drop_trailing_speck),
    Pass("leading-speck", "line", w.drop_leading_speck),
    # structural words (the segmenter's and the extractors' cues)
    Pass("trailing-rule", "line", w.drop_trailing_rule),
    Pass("reference-line", "line", w.correct_reference_line),
    Pass("double-ti", "line", w.drop_double_ti),
    Pass("code-speck", "line", w.drop_code_speck),
    Pass("agency-speck", "line", w.drop_agency_speck),
    Pass("line-start-word", "line", w.token_pass(w.line_start_word, first_only=True)),
    Pass("latin-ti", "line", w.token_pass(w.latin_ti, first_only=True)),
    Pass("glued-ti", "line", w.token_pass(w.glued_ti, first_only=True)),
    Pass("latin-abbreviation-lead", "line", w.token_pass(w.latin_abbreviation_lead, first_only=True)),
    Pass("month-at-line-end", "line", w.token_pass(w.month_at_line_end)),
    Pass("era-after-pho", "line", w.token_pass(w.era_after_pho)),
    Pass("latin-era", "line", w.token_pass(w.latin_era)),
    Pass("latin-before-number", "line", w.token_pass(w.latin_before_number)),
    Pass("before-number-word", "line", w.token_pass(w.before_number_word)),
    Pass("month-between-numbers", "line", w.token_pass(w.month_between_numbers)),
    Pass("month-glued-head", "line", w.token_pass(w.month_glued_head)),
    # marks and words OCR broke
    Pass("abbreviation-marks", "line", w.repair_abbreviations),
    Pass("dropped-marks", "line", w.repair_marks),
    Pass("lost-initial", "word", w.restore_lost_initial),
    Pass("split-echo", "word", w.drop_split_echo),
    Pass("dangling-vowel", "word", w.drop_dangling_vowel),
    Pass("echo-letter", "word", w.drop_echo_letter),
    Pass("stutter", "word", w.drop_stutter),
    Pass("broken-chunk", "word", w.repair_chunks),
    Pass("unknown-word", "word", w.repair_unknown),
    Pass("compound-marks", "word", w.repair_compounds),
    Pass("rare-variant", "word", w.repair_rare_variants),
    Pass("word-scraps", "word", w.repair_fragments),
    # the page's other lines as evidence
    Pass("latin-subject-head", "page", _lines_pass(w.latin_subject_heads)),
    Pass("latin-agency-letters", "page", _lines_pass(w.latin_agency_letters)),
    Pass("letterhead-agency", "page", _lines_pass(w.letterhead_agency)),
    # last: dates that cannot be right
    Pass("runner-up-dates", "page", check_dates, uses_evidence=True),
)


def named(*names: str) -> tuple[Pass, ...]:
    """The passes of PASSES with these names, in PASSES' order."""
    unknown = set(names) - {p.name for p in PASSES}
    if unknown:
        raise KeyError(f"no OCR pass named {', '.join(sorted(unknown))}")
    return tuple(p for p in PASSES if p.name in names)


def between(first: str, last: str) -> tuple[Pass, ...]:
    """The passes of PASSES from `first` to `last`, both included."""
    names = [p.name for p in PASSES]
    return PASSES[names.index(first):names.index(last) + 1]


@dataclass
class Change:
    """One change a pass made: the text before and after with a word or two of context
    either side, and the line (1-based, in the text the pass was given) where it is."""

    name: str
    line: int
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.name}: {_show(self.before)} → {_show(self.after)}  (line {self.line})"


@dataclass
class Passed:
    """A page's text after the passes, the warnings they gave, the digit evidence of the
    `boxes` passes (keyed by offsets in `evidence_text`, the text they gave), and every change."""

    text: str
    warnings: list[str] = field(default_factory=list)
    evidence: dict[int, np.ndarray] = field(default_factory=dict)
    evidence_text: str = ""
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Changes per pass, in the order of PASSES, passes that changed nothing left out."""
        out: dict[str, int] = {}
        for change in self.changes:
            out[change.name] = out.get(change.name, 0) + 1
        return out


def apply_passes(page: Boxes | str, passes: Sequence[Pass] = PASSES) -> Passed:
    """Run `passes` in order on a page (tesseract's reading, or a text: then the `boxes`
    passes are skipped) and record each change they make."""
    if isinstance(page, Boxes):
        done = _apply_boxes(page, [p for p in passes if p.scope == "boxes"])
    else:
        done = Passed(page, evidence_text=page)
    text_passes = [p for p in passes if p.scope != "boxes"]
    k = 0
    while k < len(text_passes):
        p = text_passes[k]
        if p.scope == "word":
            group = [p]
            while k + len(group) < len(text_passes) and text_passes[k + len(group)].scope == "word":
                group.append(text_passes[k + len(group)])
            done.text = _apply_words(done.text, group, done.changes)
            k += len(group)
            continue
        before = done.text
        if p.scope == "line":
            lines = []
            for n, line in enumerate(before.split("\n"), 1):
                new = p.function(line)
                if new != line:
                    done.changes.extend(_diff(p.name, n, line, new))
                if new is not None:
                    lines.append(new)
            done.text = "\n".join(lines)
        elif p.uses_evidence:
            evidence = carry_evidence(done.evidence_text, before, done.evidence)
            done.text, warnings = p.function(before, evidence)
            done.warnings.extend(warnings)
        else:
            done.text = p.function(before)
        if p.scope == "page" and done.text != before:
            done.changes.extend(_page_diff(p.name, before, done.text))
        k += 1
    _record(done)
    return done


def _apply_boxes(page: Boxes, passes: Sequence[Pass]) -> Passed:
    """The `boxes` passes' edits, found in order on tesseract's text and applied at once."""
    changes: list[Change] = []
    for p in passes:
        edits = p.function(page)
        for e in edits:
            old = page.text[e.start:e.end]
            if e.new != old:
                changes.extend(_edit_change(p.name, page.text, e))
        page.edits.extend(edits)
    edits = sorted(page.edits, key=lambda e: (e.start, e.end))  # an insertion before a replacement at its place
    out: list[str] = []
    evidence: dict[int, np.ndarray] = {}
    pos = size = 0
    for e in edits:
        out.append(page.text[pos:e.start])
        size += e.start - pos
        evidence.update((size + k, v) for k, v in e.evidence.items())
        out.append(e.new)
        size += len(e.new)
        pos = e.end
    out.append(page.text[pos:])
    text = "".join(out)
    return Passed(text, evidence=evidence, evidence_text=text, changes=changes)


def _apply_words(text: str, group: Sequence[Pass], changes: list[Change]) -> str:
    """A row of word passes over each line's stretches outside names, found once for the row."""
    lines = [w.name_free_parts(line) for line in text.split("\n")]
    for p in group:
        for n, parts in enumerate(lines, 1):
            for i, (part, ok) in enumerate(parts):
                if not ok:
                    continue
                new = p.function(part)
                if new != part:
                    changes.extend(_diff(p.name, n, part, new))
                    parts[i] = (new, ok)
    return "\n".join("".join(part for part, _ in parts) for parts in lines)


# ---------------------------------------------------------------------------
# What changed, for people: a word or two of context around each change
# ---------------------------------------------------------------------------
_TOKEN = re.compile(r"\s+|\S+")
CONTEXT_CHARS = 20  # at most this much context either side of a change


def _diff(name: str, line_no: int, before: str, after: str | None) -> list[Change]:
    """The changes that make `before` (a line or a stretch of one) `after` (None: dropped):
    one for each stretch of words that differ, cut to the characters that differ, with the
    word on either side as context."""
    if after is None:
        return [Change(name, line_no, before + "\n", "")]
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start = sum(map(len, a[:i1]))
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        same = 0  # characters the two sides share at the front, then at the back
        while same < min(len(old), len(new)) and old[same] == new[same]:
            same += 1
        back = 0
        while back < min(len(old), len(new)) - same and old[-1 - back] == new[-1 - back]:
            back += 1
        start += same
        end = start + len(old) - same - back
        left, right = _context(before[:start], before[end:])
        out.append(Change(name, line_no, left + before[start:end] + right, left + new[same:len(new) - back] + right))
    return out


def _context(left: str, right: str) -> tuple[str, str]:
    """The word touching a change on either side (and the one before a space), at most
    CONTEXT_CHARS characters of each, cut with an ellipsis."""
    head = re.search(r"(?:\S+\s+)?\S*$", left).group()
    tail = re.match(r"\S*(?:\s+\S+)?", right).group()
    if len(head) > CONTEXT_CHARS:  # cut before a letter, not between it and its marks
        head = "…" + head[-CONTEXT_CHARS:].lstrip("".join(MARKS))
    if len(tail) > CONTEXT_CHARS:
        cut = CONTEXT_CHARS
        while cut < len(tail) and tail[cut] in MARKS:
            cut += 1
        tail = tail[:cut] + "…"
    return head, tail


def _page_diff(name: str, before: str, after: str) -> list[Change]:
    """The changes a page pass made, line by line (a line dropped or added is one change)."""
    a, b = before.split("\n"), after.split("\n")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                out.extend(_diff(name, i1 + k + 1, a[i1 + k], b[j1 + k]))
        else:
            out.append(Change(name, i1 + 1, "".join(x + "\n" for x in a[i1:i2]), "".join(x + "\n" for x in b[j1:j2])))
    return out


def _edit_change(name: str, text: str, e: Edit) -> list[Change]:
    """A `boxes` edit as the change it makes to its line of tesseract's text."""
    start = text.rfind("\n", 0, e.start) + 1
    end = text.find("\n", e.end)
    end = len(text) if end < 0 else end
    line = text[start:end]
    new = line[:e.start - start] + e.new + line[e.end - start:]
    return _diff(name, text.count("\n", 0, e.start) + 1, line, new)


def _show(text: str) -> str:
    """`text` on one line: its line breaks, and the spaces at the ends of its lines, shown."""
    if not text:
        return "∅"
    if text == "\n":
        return "(blank line)"
    text = re.sub(r"^ +| +$| +(?=\n)", lambda m: "␣" * len(m.group()), text)
    return text.replace("\n", "⏎").replace("\f", "␌")


# ---------------------------------------------------------------------------
# Recording, for `circulars text --explain`
# ---------------------------------------------------------------------------
_RECORDING: list[list[Passed]] = []
_RECORDING_LOCK = threading.Lock()


@contextmanager
def recording() -> Iterator[list[Passed]]:
    """While inside, every page the passes run on (in any thread) is added to the list given."""
    pages: list[Passed] = []
    with _RECORDING_LOCK:
        _RECORDING.append(pages)
    try:
        yield pages
    finally:
        with _RECORDING_LOCK:
            _RECORDING.remove(pages)


def _record(done: Passed) -> None:
    if _RECORDING:
        with _RECORDING_LOCK:
            for pages in _RECORDING:
                pages.append(done)


# ---------------------------------------------------------------------------
# Parts of the list by their old names (tools and tests)
# ---------------------------------------------------------------------------
@dataclass
class DigitPass:
    """The page text after the `boxes` passes, how many places they changed, and for each
    Thai digit read from a glyph (changed or not), its position in `text` -> the glyph's
    probabilities over pipeline.ocr.digits.CLASSES (for pipeline.ocr.plausibility)."""

    text: str
    changed: int
    evidence: dict[int, np.ndarray]


def read_digits(gray: np.ndarray, text: str, words: list) -> DigitPass:
    """Tesseract's page text after the `boxes` passes alone."""
    done = apply_passes(Boxes(gray, text, words), [p for p in PASSES if p.scope == "boxes"])
    return DigitPass(done.text, len(done.changes), done.evidence)


def repaired_text(gray: np.ndarray, text: str, words: list) -> tuple[str, dict[int, np.ndarray]]:
    """The page text after every pass but the last (the dates); and the digit evidence moved to
    the same digits of that text."""
    done = apply_passes(Boxes(gray, text, words), PASSES[:-1])
    return done.text, carry_evidence(done.evidence_text, done.text, done.evidence)


def _part(first: str, last: str, doc: str) -> Callable[[str], str]:
    """A function of a text that runs the passes from `first` to `last` on it."""
    passes = between(first, last)

    def run(text: str) -> str:
        return apply_passes(text, passes).text

    run.__doc__ = doc
    return run


clean_ocr_text = _part("tidy-layout", "sara-am", "Tesseract's text with its layout tidied.")
correct_structural_words = _part("noise-line", "letterhead-agency",
                                 "A tidied page's text after the line, word and page passes (not the dates).")
correct_line = _part("trailing-rule", "month-between-numbers", "A line after the passes of its structural words.")
despeck = _part("trailing-speck", "leading-speck", "A line without the specks at its ends.")
repair_words = _part("lost-initial", "word-scraps", "A line with each word OCR broke read against the lexicon.")
unstutter = _part("split-echo", "stutter", "A line without the letters and syllables read twice.")
