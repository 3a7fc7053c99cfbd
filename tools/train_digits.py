#!/usr/bin/env python3
"""Build pipeline/data/thai_digits.npz: the Thai digit classifier of the OCR digit pass.

Why a model of our own: Debian's tesseract `tha` model cannot output ๔ ๖ ๗ ๘ ๙
and misreads ๓, so the OCR stage re-reads every digit glyph (pipeline/ocr/digits.py).
This script makes that model reproducible from fonts on the machine:

  apt: fonts-thai-tlwg, fonts-tlwg-laksaman      PyPI: fontpkg-sarabun, fontpkg-noto-sans-thai

It renders synthetic "words" (digit runs, references, dates, phone numbers,
Thai and Latin letters as negatives) char by char so every glyph's box is
known, degrades each word image the way scans are degraded (stroke width,
scale, rotation, blur, noise, speckle, JPEG), cuts it into glyphs with the same
`segment_word` the pipeline uses, labels each glyph by position, and trains a
one-hidden-layer network (scikit-learn's MLPClassifier, needed only here; the
pipeline runs the weights with numpy).

    python tools/train_digits.py                # ~5 minutes on one core
    python tools/train_digits.py --words 300 --check

Deterministic for a given --seed.
"""
from __future__ import annotations

import argparse
import glob
import io
import os
import sys
import time
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ocr.digits import CLASSES, OTHER, PUNCT, THAI_DIGITS, DigitModel, glyph_features, segment_word  # noqa: E402

TLWG_DIR = "/usr/share/fonts/truetype/tlwg"
# Thai letters that look most like digits get extra weight as negatives.
LOOKALIKES = "ดตคฅผฝพฟญฐบปถภกถฤรลวอฮมนหยงจฉชซสศษทธฑฒณ"
THAI_LETTERS = "กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮะาเแโใไๆฯ"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%&@#"


def font_files() -> list[str]:
    """Regular and bold upright faces of every Thai font family the project can install."""
    files = []
    for path in sorted(glob.glob(f"{TLWG_DIR}/*.ttf")):
        stem = Path(path).stem.lower()
        if any(k in stem for k in ("oblique", "italic")):
            continue
        files.append(path)
    try:
        import fontpkg_sarabun

        base = Path(fontpkg_sarabun.__file__).parent / "files"
        files += [str(base / f"Sarabun-{w}.ttf") for w in ("Regular", "Light", "Medium", "SemiBold", "Bold")]
    except ImportError:
        print("warning: fontpkg-sarabun missing; accuracy on Sarabun-like scans drops sharply", file=sys.stderr)
    try:
        import fontpkg_noto_sans_thai

        files += sorted(glob.glob(str(Path(fontpkg_noto_sans_thai.__file__).parent / "files" / "*.ttf")))
    except ImportError:
        print("warning: fontpkg-noto-sans-thai missing", file=sys.stderr)
    return [f for f in files if Path(f).exists()]


def random_word(rng: np.random.Generator) -> str:
    """A token of the kinds circulars print: years, dates, references, phones, amounts, words."""
    d = lambda n: "".join(rng.choice(list(THAI_DIGITS), n))  # noqa: E731
    kind = rng.integers(0, 12)
    if kind == 0:
        return "๒๕" + d(2)
    if kind == 1:
        return d(int(rng.integers(1, 3)))
    if kind == 2:
        return f"{d(4)}.{d(1)}/ว{d(int(rng.integers(1, 5)))}" if rng.random() < 0.5 else f"{d(4)}.{d(1)}/ว"
    if kind == 3:
        return f"{d(1)}-{d(4)}-{d(4)}" if rng.random() < 0.5 else f"{d(2)}-{d(3)}-{d(4)}"
    if kind == 4:
        return f"{d(int(rng.integers(1, 4)))},{d(3)}" if rng.random() < 0.5 else f"{d(2)}.{d(2)}"
    if kind == 5:
        return f"({d(int(rng.integers(1, 3)))})"
    if kind == 6:
        return f"{d(2)}:{d(2)}"
    if kind == 7:
        return "".join(rng.choice(list(LOOKALIKES), int(rng.integers(2, 6))))
    if kind == 8:
        return "".join(rng.choice(list(THAI_LETTERS), int(rng.integers(2, 6))))
    if kind == 9:
        return "".join(rng.choice(list(LATIN), int(rng.integers(2, 6))))
    if kind == 10:
        mixed = list(THAI_DIGITS) * 2 + list(LOOKALIKES) + list(PUNCT)
        return "".join(rng.choice(mixed, int(rng.integers(3, 8))))
    return d(int(rng.integers(3, 7)))


@lru_cache(maxsize=256)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def label_of(ch: str) -> str:
    return ch if ch in THAI_DIGITS or ch in PUNCT else OTHER


def render_word(word: str, font_path: str, rng: np.random.Generator) -> tuple[np.ndarray, list[tuple[str, int, int]]]:
    """A degraded grey image of `word` and each character's (label, left, right) in it."""
    size = int(rng.integers(42, 92))  # 10–22 pt at 300 dpi
    font = _font(font_path, size)
    pad = int(size * 0.6)
    advances = [font.getlength(ch) * float(rng.uniform(0.98, 1.08)) for ch in word]
    width = int(sum(advances)) + 2 * pad
    height = int(size * 1.9)
    paper, ink = int(rng.integers(200, 256)), int(rng.integers(0, 70))
    img = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(img)
    stroke = 1 if rng.random() < 0.2 else 0
    x = float(pad)
    boxes = []
    y = int(size * 0.35)
    for ch, adv in zip(word, advances):
        l, t, r, b = draw.textbbox((x, y), ch, font=font, stroke_width=stroke)
        draw.text((x, y), ch, font=font, fill=ink, stroke_width=stroke, stroke_fill=ink)
        boxes.append((label_of(ch), l, r))
        x += adv
    if rng.random() < 0.15:
        img = img.filter(ImageFilter.MaxFilter(3))  # thinner strokes (light toner)
    angle = float(rng.uniform(-1.8, 1.8))
    img = img.rotate(angle, resample=Image.BILINEAR, fillcolor=paper)
    scale = float(rng.uniform(0.75, 1.15))  # resampling as scanners do
    if abs(scale - 1) > 0.03:
        img = img.resize((max(8, int(width * scale)), max(8, int(height * scale))), Image.BILINEAR)
        boxes = [(c, int(l * scale), int(r * scale)) for c, l, r in boxes]
    blur = float(rng.uniform(0, 1.6))
    if blur > 0.2:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(img, np.float32)
    noise = float(rng.uniform(0, 24))
    a = a + rng.normal(0, noise, a.shape)
    if rng.random() < 0.3:
        speck = rng.random(a.shape)
        p = float(rng.uniform(0, 0.003))
        a[speck < p / 2] = 0
        a[speck > 1 - p / 2] = 255
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if rng.random() < 0.7:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=int(rng.integers(25, 95)))
        img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return np.asarray(img), boxes


def samples_from(gray: np.ndarray, boxes: list[tuple[str, int, int]]) -> tuple[np.ndarray, list[str]]:
    """Cut the word as the pipeline would, keep glyphs that match exactly one character."""
    glyphs = segment_word(gray)
    feats = glyph_features(glyphs)
    keep_rows, labels = [], []
    used: dict[int, int] = {}
    matches = []
    for gi, g in enumerate(glyphs):
        cx = (g.x0 + g.x1) / 2
        hits = [bi for bi, (_, l, r) in enumerate(boxes) if l - 1 <= cx <= r + 1]
        matches.append(hits)
        for bi in hits:
            used[bi] = used.get(bi, 0) + 1
    for gi, hits in enumerate(matches):
        if len(hits) == 1 and used[hits[0]] == 1:
            keep_rows.append(gi)
            labels.append(boxes[hits[0]][0])
    return feats[keep_rows], labels


def build_set(fonts: list[str], words_per_font: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, groups = [], [], []
    for fi, path in enumerate(fonts):
        rng = np.random.default_rng([seed, fi])
        for _ in range(words_per_font):
            gray, boxes = render_word(random_word(rng), path, rng)
            f, labels = samples_from(gray, boxes)
            if len(labels):
                xs.append(f)
                ys += labels
                groups += [fi] * len(labels)
        print(f"  {Path(path).name}: {len(ys)} glyphs so far", file=sys.stderr, flush=True)
    return np.concatenate(xs), np.array([CLASSES.index(c) for c in ys]), np.array(groups)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=150, help="synthetic words per font")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "pipeline" / "data" / "thai_digits.npz")
    ap.add_argument("--check", action="store_true", help="also report accuracy on fonts held out of training")
    a = ap.parse_args(argv)

    from sklearn.neural_network import MLPClassifier

    fonts = font_files()
    print(f"{len(fonts)} fonts", file=sys.stderr)
    t0 = time.time()
    x, y, groups = build_set(fonts, a.words, a.seed)
    print(f"{len(y)} glyphs in {time.time() - t0:.0f}s; per class: "
          + " ".join(f"{c}:{int((y == i).sum())}" for i, c in enumerate(CLASSES)), file=sys.stderr)

    def fit(xtr: np.ndarray, ytr: np.ndarray) -> DigitModel:
        mean = xtr.mean(axis=0)
        scale = xtr.std(axis=0) + 1e-3
        clf = MLPClassifier(hidden_layer_sizes=(a.hidden,), alpha=1e-4, batch_size=256, learning_rate_init=2e-3,
                            max_iter=60, early_stopping=True, n_iter_no_change=6, random_state=a.seed)
        clf.fit((xtr - mean) / scale, ytr)
        # classes the set lacks would shift columns: the set has all of them, insist on it
        assert list(clf.classes_) == list(range(len(CLASSES))), clf.classes_
        return DigitModel(mean, scale, clf.coefs_[0], clf.intercepts_[0], clf.coefs_[1], clf.intercepts_[1])

    if a.check:
        held = {i for i, f in enumerate(fonts) if "Sarabun-Regular" in f or "Laksaman.ttf" in f}
        mask = np.isin(groups, list(held))
        model = fit(x[~mask], y[~mask])
        pred = model.probabilities(x[mask]).argmax(axis=1)
        digit = np.isin(y[mask], range(10))
        print(f"held-out fonts (Sarabun-Regular, Laksaman): all {np.mean(pred == y[mask]):.4f}, "
              f"digits {np.mean(pred[digit] == y[mask][digit]):.4f}", file=sys.stderr)
    model = fit(x, y)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size} bytes) in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
