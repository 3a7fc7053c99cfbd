"""Receipt stamps (ตรารับหนังสือ) on a scanned page: found by their frame, kept out of the letter.

The regulation on official correspondence (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ,
ข้อ ๓๘ and แบบที่ ๑๓) has the receiving office stamp every incoming letter at the
top right of its first page with a framed stamp, about 2.5 x 5 cm: the office's
name, then เลขรับ, วันที่ and เวลา, with the values written or stamped in by hand.
Read as lines of the letter, a stamp puts handwriting noise and a second date
into the letterhead (the dev set's r51 got its date from one).

`find_stamps` looks for that frame in the page's pixels (long straight dark
runs: the stamp's rules and border, which no glyph has), takes tesseract's words
inside it out of the page text, and reads the frame's pixels again as one block,
so the stamp is kept whole as a `StampRead` (raw text, box, confidence) for the
extraction stage to parse (extractors.receipts) and write to the `receipts` table.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from scipy import ndimage

from pipeline.ocr.layout import remove_words

if TYPE_CHECKING:
    from pipeline.ocr.engine import Word


@dataclass
class StampRead:
    """A receipt stamp as read from the page: its text, its box in the page's pixels
    (x0, y0, x1, y1, at the page's resolution), and tesseract's mean word confidence."""

    raw: str
    box: tuple[int, int, int, int]
    confidence: float | None
    page: int | None = None
    # spans of `raw` (start, end) that tesseract read with a confidence under SURE_CONFIDENCE:
    # no value is taken from them (extractors.receipts)
    unsure: list[tuple[int, int]] = field(default_factory=list)


# Dark is under this grey level (0-255): the stamp's ink is light on faded copies (r51).
DARK_BELOW = 170
# A stamp's rules run its whole width (5 cm of 21, about 0.24 of the page) and its
# sides its height (2.5 cm of 29.7, 0.085); no glyph has a straight run a tenth of
# either. Rules and sides are found as runs at least this share of the page long.
RULE_MIN = 0.09
SIDE_MIN = 0.022
# The frames of the dev set's stamps (r43, r45, r50, r51) are 0.20-0.56 of the page
# wide (r50's has the routing boxes of its office's sections) and 0.04-0.13 high; a
# table is wider or taller, an underline has no sides.
WIDTH_RANGE = (0.16, 0.6)
HEIGHT_RANGE = (0.03, 0.16)
# "At the top right": every stamp of the dev set starts in the page's top third and
# ends in its right third (r50's, the widest, starts near the centre). The emblem
# (ครุฑ) at the top centre, whose feathers make long strokes too, is 0.12-0.15 wide
# and ends at 0.56-0.6 of the width: too narrow and too far left.
TOP_SHARE = 0.4
RIGHT_EDGE_FROM = 0.65
# Sampling: a sample a 2 x 2 block (dark if any of its pixels is) keeps a rule one pixel wide
# (strided sampling could step over it); 4 x 4 blocks darken text into false rules (r45, r48).
STEP = 2


def _window_sums(values: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Sums of `values` over the `length` samples ending at each sample along `axis` (0 before)."""
    sums = np.cumsum(values, axis=axis, dtype=np.int32)
    shifted = np.zeros_like(sums)
    if axis == 1:
        shifted[:, length:] = sums[:, :-length]
    else:
        shifted[length:] = sums[:-length]
    return sums - shifted


def _runs(dark: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Samples that lie on a straight dark run at least `length` long along `axis`."""
    if length < 3 or dark.shape[axis] <= length:
        return np.zeros_like(dark)
    # a scan's rule leans a few pixels over its length: a sample beside the run counts
    ink = dark.copy()
    if axis == 1:
        ink[1:] |= dark[:-1]
        ink[:-1] |= dark[1:]
    else:
        ink[:, 1:] |= dark[:, :-1]
        ink[:, :-1] |= dark[:, 1:]
    # only a row (for rules; a column for sides) with that much ink in all can hold a run:
    # the window sums are taken on those alone (most rows of a page are text, with far less)
    need = int(0.9 * length)
    lines = np.flatnonzero(ink.sum(axis=axis, dtype=np.int32) >= need)
    out = np.zeros_like(dark)
    if lines.size == 0:
        return out
    if axis == 1:
        out[lines] = _full_windows(ink[lines], length, need, axis)
    else:
        out[:, lines] = _full_windows(ink[:, lines], length, need, axis)
    return out


def _full_windows(ink: np.ndarray, length: int, need: int, axis: int) -> np.ndarray:
    """Samples of `ink` on a window of `length` samples along `axis` holding `need` inked ones."""
    ends = _window_sums(ink.view(np.uint8), length, axis) >= need
    # a window's last sample marks the whole window: a sample is on a run when a full
    # window ends within `length` samples after it
    grown = _window_sums(ends.view(np.uint8), length, axis) > 0  # a full window ends at or before
    out = np.zeros_like(grown)
    if axis == 1:
        out[:, :-(length - 1)] = grown[:, length - 1:]
    else:
        out[:-(length - 1)] = grown[length - 1:]
    return out


def find_frames(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of framed stamps in the top right of the page."""
    h, w = gray.shape[0] // STEP, gray.shape[1] // STEP  # the page's size in samples
    top = int(gray.shape[0] * (TOP_SHARE + HEIGHT_RANGE[1])) // STEP * STEP
    width = gray.shape[1] // STEP * STEP
    dark = _darkest_of_blocks(gray[:top, :width]) < DARK_BELOW
    rules = _runs(dark, int(RULE_MIN * w), axis=1)
    if not rules.any():
        return []  # a frame has rules (most pages have none: no table, no stamp, no underline)
    sides = _runs(dark, int(SIDE_MIN * h), axis=0)
    # the rules and sides, grown over the corners the rules stop short of; labelled within the
    # box of them (and the growth), which gives the same parts as the whole page, sooner
    grow = 4
    rows, cols = np.nonzero(rules | sides)
    y0, x0 = max(0, int(rows.min()) - grow), max(0, int(cols.min()) - grow)
    window = (slice(y0, int(rows.max()) + grow + 1), slice(x0, int(cols.max()) + grow + 1))
    rules, sides = rules[window], sides[window]
    labels, _ = ndimage.label(ndimage.binary_dilation(rules | sides, iterations=grow))
    found: list[tuple[int, int, int, int]] = []
    for index, box in enumerate(ndimage.find_objects(labels), 1):
        if box is None:
            continue
        part = labels[box] == index
        ys = slice(y0 + box[0].start, y0 + box[0].stop)  # in the page's samples
        xs = slice(x0 + box[1].start, x0 + box[1].stop)
        side_x = np.nonzero((sides[box] & part).any(axis=0))[0]
        if side_x.size and side_x[-1] - side_x[0] >= WIDTH_RANGE[0] * w:
            # the frame runs between its sides: a rule it touches (the page's top border on
            # r50) may run on beyond them
            xs = slice(xs.start + int(side_x[0]), xs.start + int(side_x[-1]) + 1)
        bw, bh = (xs.stop - xs.start) / w, (ys.stop - ys.start) / h
        if not (WIDTH_RANGE[0] <= bw <= WIDTH_RANGE[1] and HEIGHT_RANGE[0] <= bh <= HEIGHT_RANGE[1]):
            continue
        if ys.start / h > TOP_SHARE or xs.stop / w < RIGHT_EDGE_FROM:
            continue
        if not (rules[box] & part).any() or not (sides[box] & part).any():
            continue  # a frame has both: a rule alone is an underline, a side alone a stroke
        found.append((xs.start * STEP, ys.start * STEP, xs.stop * STEP, ys.stop * STEP))
    return found


def _darkest_of_blocks(gray: np.ndarray) -> np.ndarray:
    """The darkest pixel of each STEP x STEP block (the sample is dark when any pixel of its
    block is: a one-pixel rule survives); `gray`'s sides are multiples of STEP."""
    out = gray[0::STEP, 0::STEP]
    for dy in range(STEP):
        for dx in range(STEP):
            if dy or dx:
                out = np.minimum(out, gray[dy::STEP, dx::STEP])
    return out


def _inside(word: "Word", box: tuple[int, int, int, int]) -> bool:
    cx, cy = word.left + word.width / 2, word.top + word.height / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


# A stamp's value is taken only from words tesseract reads at this confidence (0-100) or more.
# The printed labels of the dev set's stamps read at 85-97; the handwritten and rubber-stamped
# values it misreads at 0-68 (r51's number 2298 read "44608" at 36, r45's date at 62-68).
SURE_CONFIDENCE = 80

# Marks OCR drops first (tones, upper vowels, thanthakhat): a label is matched without them.
_FRAGILE_MARKS = re.compile("[\u0e31\u0e34-\u0e37\u0e47-\u0e4e\\s.]")


@lru_cache(maxsize=1)
def _labels() -> tuple[str, ...]:
    doc = json.loads(resources.files("pipeline").joinpath("data/stamps.json").read_text("utf-8"))
    return tuple(_FRAGILE_MARKS.sub("", label.lower()) for label in doc["labels"])


def has_stamp_label(text: str) -> bool:
    """Whether `text` holds a word a receipt stamp prints (data/stamps.json), marks ignored."""
    bare = _FRAGILE_MARKS.sub("", text.lower())
    return any(label in bare for label in _labels())


Reader = Callable[[np.ndarray], tuple[str, list["Word"]]]


def find_stamps(gray: np.ndarray, text: str, words: list["Word"],
                reread: Reader) -> tuple[str, list["Word"], list[StampRead]]:
    """The page text and words without the receipt stamps' words, and the stamps.

    `reread(crop) -> (text, words)` reads a frame's pixels again as one block of text
    (pipeline.ocr.engine gives tesseract); the frame is a stamp when that text holds a
    stamp's label. A frame that is not a stamp (a box of a form, a logo) is left as it is.
    """
    frames = find_frames(gray)
    if not frames:
        return text, words, []
    stamps: list[StampRead] = []
    drop: set[int] = set()
    for box in frames:
        x0, y0, x1, y1 = box
        again, again_words = reread(gray[y0:y1, x0:x1])
        raw = again.strip()
        if not raw or not has_stamp_label(raw):
            continue
        lead = len(again) - len(again.lstrip())
        confs = [w.conf for w in again_words if w.conf >= 0]
        unsure = [(w.start - lead, w.end - lead) for w in again_words if w.start >= 0 and w.conf < SURE_CONFIDENCE]
        conf = round(sum(confs) / len(confs), 2) if confs else None
        stamps.append(StampRead(raw=raw, box=box, confidence=conf, unsure=unsure))
        drop.update(id(w) for w in words if _inside(w, box))
    text, words = remove_words(text, words, drop)
    return text, words, stamps
