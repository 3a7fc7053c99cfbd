"""Re-read Thai digits that tesseract gets wrong: glyph segmentation, features, classifier.

Debian's `tha` model cannot output ๔ ๖ ๗ ๘ ๙ (its character set lacks them)
and misreads ๓ often, so every Buddhist-era year from ๒๕๖๐ to ๒๕๖๙ comes out
wrong. Dates, references and phone numbers are what this project extracts, so
each OCR'd word that holds digits is cut into glyphs (connected components of
the word's box) and every glyph is classified again by a small neural network
trained on the project's own renderings of Thai fonts (tools/train_digits.py,
weights in data/thai_digits.npz).

The same `segment_word` and `glyph_features` serve training and inference, so
the classifier sees at run time exactly what it was trained on. Inference is
numpy only: one matrix product per word.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from PIL import Image
from scipy import ndimage

from pipeline.thai.chars import THAI_DIGITS

PUNCT = "./-,:()"
OTHER = "?"  # any glyph that is neither a Thai digit nor digit punctuation
CLASSES = THAI_DIGITS + PUNCT + OTHER
SIDE = 24  # glyph bitmap side, pixels
N_SIZE_FEATURES = 4
MODEL_FILE = "data/thai_digits.npz"


@dataclass
class Glyph:
    """One glyph cut from a word image: its box in the word crop and its bitmap."""

    x0: int
    y0: int
    x1: int
    y1: int
    ink: np.ndarray  # float32 in [0, 1], 1 = ink, the glyph's own box


def otsu_threshold(gray: np.ndarray) -> float:
    """Otsu's threshold of a uint8 image (ink is below it)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128.0
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    mean = m0[-1] / total
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean * w0 - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return float(np.argmax(between))


def segment_word(gray: np.ndarray, threshold: float | None = None, drop_edge: bool = False) -> list[Glyph]:
    """Cut a word crop (uint8, dark ink on light paper) into glyphs, left to right.

    Components are 8-connected after a 3×3 box blur (a median filter removed
    speckle as well but cost 10× more); specks are dropped by area; components that overlap horizontally are one glyph (a
    colon's two dots, a mark over its consonant). With `drop_edge`, components
    touching the top or bottom of the crop are dropped unless centred in its
    middle half, and so are components that start below the baseline: on a
    page they are the marks and tails of the lines above and below (the OCR
    crop is the text band with half its height above and below).
    """
    if gray.size == 0:
        return []
    smooth = ndimage.uniform_filter(gray, 3)
    t = otsu_threshold(smooth) if threshold is None else threshold
    mask = smooth < t
    labels, n = ndimage.label(mask, structure=np.ones((3, 3), bool))
    if n == 0:
        return []
    boxes = ndimage.find_objects(labels)
    areas = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    rows = gray.shape[0]
    inside = [not drop_edge or (s[0].start > 0 and s[0].stop < rows) or rows / 4 <= (s[0].start + s[0].stop) / 2 <= 3 * rows / 4
              for s in boxes]
    heights = [s[0].stop - s[0].start for s, ok in zip(boxes, inside) if ok]
    if not heights:
        return []
    min_area = max(4.0, (0.06 * max(heights)) ** 2)
    if drop_edge:
        # ink is dark: a component none of whose pixels is is a clump of noise (a blank line's
        # speckle that tesseract took for text, thresholded at the noise's own middle)
        dark = np.bincount(labels[smooth < 128], minlength=n + 1)[1:]
        inside = [ok and d > 0 for ok, d in zip(inside, dark)]
    parts = [[s[1].start, s[0].start, s[1].stop, s[0].stop, [i + 1]]
             for i, s in enumerate(boxes) if inside[i] and areas[i] >= min_area]
    if drop_edge and parts:
        # nothing of a digit run starts below the baseline: what does is a mark of the line below
        base_at = _baseline(parts)
        tall_h = _median([p[3] - p[1] for p in parts if p[3] - p[1] >= 0.6 * max(heights)] or [max(heights)])
        parts = [p for p in parts if p[1] < base_at((p[0] + p[2]) / 2) - 0.12 * tall_h]
    parts.sort(key=lambda p: p[0])
    merged: list[list] = []
    for p in parts:
        if merged:
            q = merged[-1]
            overlap = min(q[2], p[2]) - max(q[0], p[0])
            if overlap > 0.5 * min(q[2] - q[0], p[2] - p[0]):
                q[0], q[1] = min(q[0], p[0]), min(q[1], p[1])
                q[2], q[3] = max(q[2], p[2]), max(q[3], p[3])
                q[4].extend(p[4])
                continue
        merged.append(p)
    ink_all = 1.0 - smooth.astype(np.float32) / 255.0
    tall = [q[3] - q[1] for q in merged]
    ref_h = _median([h for h in tall if h >= 0.5 * max(tall)]) if tall else 0.0
    glyphs = []
    for x0, y0, x1, y1, ids in merged:
        sub = labels[y0:y1, x0:x1]
        keep = sub == ids[0] if len(ids) == 1 else np.isin(sub, ids)
        baseline = base_at((x0 + x1) / 2) if drop_edge else 0.0
        if drop_edge and y1 - baseline > 0.15 * ref_h and baseline - y0 > 0.5 * ref_h:
            # a glyph hanging below the baseline by a thread: blur joined it to a mark of the
            # line below; cut at the first thin row about the baseline
            lo = max(int(0.6 * ref_h), int(baseline - 0.25 * ref_h) - y0)
            hi = min(y1 - y0, int(baseline + 0.3 * ref_h) - y0)
            if hi > lo > 0:
                counts = keep[lo:hi].sum(axis=1)
                thin = np.nonzero(counts <= max(3, 0.25 * (x1 - x0)))[0]
                r = lo + int(thin[0]) if thin.size else 0  # the first thin row: where the mark joins
                if thin.size:
                    keep[r:] = False
                    rows = np.nonzero(keep.any(axis=1))[0]
                    if rows.size:
                        y1 = y0 + int(rows[-1]) + 1
                        sub, keep = sub[:y1 - y0], keep[:y1 - y0]
        # grey levels of the glyph's own pixels (and their rim), not its neighbours'
        keep = _dilate(keep)
        ink = np.where(keep, ink_all[y0:y1, x0:x1], 0.0).astype(np.float32)
        glyphs.extend(_split_touching(Glyph(x0, y0, x1, y1, ink), ref_h))
    return glyphs


def _median(values) -> float:
    """np.median of a short list, without numpy's overhead (it dominated segmenting a word)."""
    v = sorted(float(x) for x in values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def _dilate(mask: np.ndarray) -> np.ndarray:
    """ndimage.binary_dilation(mask) (cross-shaped, one step), by shifted ORs: ~10x faster on glyphs."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def _baseline(parts: list[list]):
    """y of the baseline at x: a line through the bottoms of the tall components (median slope
    of their pairs, as the page may be skewed), or their median bottom when there are few."""
    tallest = max(p[3] - p[1] for p in parts)
    pts = [((p[0] + p[2]) / 2, p[3]) for p in parts if p[3] - p[1] >= 0.6 * tallest]
    ys = np.array([y for _, y in pts], np.float64)
    xs = np.array([x for x, _ in pts], np.float64)
    if len(pts) < 3:
        level = _median(list(ys))
        return lambda x: level
    i, j = np.triu_indices(len(pts), 1)
    dx = xs[j] - xs[i]
    ok = dx > 0
    slope = _median(((ys[j] - ys[i])[ok] / dx[ok]).tolist()) if ok.any() else 0.0
    slope = max(-0.05, min(0.05, slope))  # at most ~3 degrees
    level = _median((ys - slope * xs).tolist())
    return lambda x: level + slope * x


# Thai digits are at most ~1.3 times as wide as tall; two touching ones about 2.
_MAX_ASPECT = 1.6


def _split_touching(g: Glyph, ref_h: float) -> list[Glyph]:
    """Cut a component that is two glyphs run together (blur, toner) at its thinnest column."""
    h, w = g.ink.shape
    if h < 0.6 * ref_h or w <= _MAX_ASPECT * max(h, ref_h * 0.8):
        return [g]
    profile = g.ink.sum(axis=0)
    lo, hi = int(w * 0.3), int(w * 0.7)
    cut = lo + int(np.argmin(profile[lo:hi])) if hi > lo else w // 2
    parts = []
    for a, b in ((0, cut), (cut, w)):
        piece = g.ink[:, a:b]
        rows = np.nonzero(piece.max(axis=1) > 0.25)[0]
        if rows.size == 0 or b - a < 3:
            continue
        top, bottom = int(rows[0]), int(rows[-1]) + 1
        sub = Glyph(g.x0 + a, g.y0 + top, g.x0 + b, g.y0 + bottom, piece[top:bottom])
        parts.extend(_split_touching(sub, ref_h))
    return parts or [g]


def glyph_features(glyphs: list[Glyph]) -> np.ndarray:
    """One row per glyph: its bitmap scaled into SIDE×SIDE, then size and place in the word.

    Size matters (a full stop is a small ๐), so heights are relative to the
    word's typical glyph height.
    """
    if not glyphs:
        return np.zeros((0, SIDE * SIDE + N_SIZE_FEATURES), np.float32)
    heights = np.array([g.y1 - g.y0 for g in glyphs], np.float32)
    ref_h = _median(list(heights[heights >= 0.5 * heights.max()]))
    bottoms = np.array([g.y1 for g in glyphs], np.float32)
    ref_bottom = _median(list(bottoms[heights >= 0.5 * heights.max()]))
    rows = np.zeros((len(glyphs), SIDE * SIDE + N_SIZE_FEATURES), np.float32)
    for i, g in enumerate(glyphs):
        h, w = g.ink.shape
        scale = (SIDE - 4) / max(h, w)
        nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
        small = np.asarray(Image.fromarray((g.ink * 255).astype(np.uint8)).resize((nw, nh), Image.BILINEAR),
                           np.float32) / 255.0
        peak = small.max()
        if peak > 0:
            small = small / peak
        canvas = np.zeros((SIDE, SIDE), np.float32)
        oy, ox = (SIDE - nh) // 2, (SIDE - nw) // 2
        canvas[oy:oy + nh, ox:ox + nw] = small
        rows[i, :SIDE * SIDE] = canvas.ravel()
        rows[i, SIDE * SIDE:] = (h / ref_h, w / ref_h, (ref_bottom - g.y1) / ref_h, w / max(h, 1))
    return rows


@dataclass
class DigitModel:
    """A one-hidden-layer network: features -> ReLU -> softmax over CLASSES."""

    mean: np.ndarray
    scale: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    classes: str = CLASSES

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        x = (features - self.mean) / self.scale
        hidden = np.maximum(x @ self.w1 + self.b1, 0.0)
        logits = hidden @ self.w2 + self.b2
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path) -> None:
        np.savez_compressed(path, mean=self.mean.astype(np.float32), scale=self.scale.astype(np.float32),
                            w1=self.w1.astype(np.float16), b1=self.b1.astype(np.float32),
                            w2=self.w2.astype(np.float16), b2=self.b2.astype(np.float32),
                            classes=np.array(self.classes))


@lru_cache(maxsize=1)
def load_model() -> DigitModel:
    """The committed model (rebuild it with `python tools/train_digits.py`)."""
    with resources.files("pipeline").joinpath(MODEL_FILE).open("rb") as fh:
        z = np.load(fh)
        return DigitModel(z["mean"], z["scale"], z["w1"].astype(np.float32), z["b1"],
                          z["w2"].astype(np.float32), z["b2"], str(z["classes"]))


def classify(glyphs: list[Glyph], model: DigitModel | None = None) -> list[tuple[str, float, np.ndarray]]:
    """(best class, its probability, all probabilities) for each glyph."""
    if not glyphs:
        return []
    model = model or load_model()
    probs = model.probabilities(glyph_features(glyphs))
    best = probs.argmax(axis=1)
    return [(model.classes[k], float(probs[i, k]), probs[i]) for i, k in enumerate(best)]


def classify_words(words: list[list[Glyph]], model: DigitModel | None = None) -> list[list[tuple[str, float, np.ndarray]]]:
    """`classify` for several words at once: one matrix product (small ones cost mostly overhead)."""
    feats = [glyph_features(g) for g in words]
    if not any(len(f) for f in feats):
        return [[] for _ in words]
    model = model or load_model()
    probs = model.probabilities(np.concatenate(feats))
    best = probs.argmax(axis=1)
    out, at = [], 0
    for f in feats:
        out.append([(model.classes[best[i]], float(probs[i, best[i]]), probs[i]) for i in range(at, at + len(f))])
        at += len(f)
    return out
