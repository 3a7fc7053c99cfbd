"""Measure the name-line pass (pipeline.ocr.names): names mended, and right names it would change.

Two measures, each counting, over the bracketed name lines the pass looks at, what it
does to tesseract's reading: `right kept`, `right changed` (a right name made wrong:
must stay 0), `wrong mended`, `wrong changed` (to another wrong reading), `wrong kept`.

Real scans (--docs, --gold, --work): every page of every scanned PDF of DOCS with a gold
file, read by tesseract as the OCR stage reads it and cached in WORK
(tools/ocr_pass_ablation.py's `read_pages`); a line's reading is right when it is a
signatory name of the document's gold, and misread when it is much like one (lines like
none, a minute's stamped name, are counted apart). Prints each line: tesseract's reading, the pass's, the ink's
readings.

    python tools/ocr_name_lines.py --docs ../shared/eval/real/docs --gold ../shared/eval/real/gold \
        --work /tmp/names

Rendered blocks (--synthetic N): N signature blocks (closing, name line, two position
lines) with a title and a given and family name from pythainlp's lists, in the Thai
fonts at hand, half of them with a pen stroke drawn down into the name, degraded as
tests/tools/render.py degrades scans (blur, noise, JPEG), and read by tesseract. As
most real names are in no list, a block's own given name, family name, both or
neither (in turn) are taken out of the lists while the pass decides.

    python tools/ocr_name_lines.py --synthetic 1100 --seed 2
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "tools"))

from ocr_pass_ablation import read_pages, scanned  # noqa: E402
from render import degrade  # noqa: E402

from pipeline.ocr import names  # noqa: E402
from pipeline.ocr.engine import Boxes, recognise  # noqa: E402

FONT_DIRS = ("/usr/share/fonts/truetype/tlwg", "/usr/share/fonts/truetype/thai")
TITLES = ("นาย", "นาง", "นางสาว")
POSITION = ("รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน", "ผู้ว่าราชการจังหวัดพัทลุง")
HOLD_OUT = ("none", "given", "family", "both")
SAME_PERSON = 0.7  # a name line this alike a gold signatory name is that signatory's, misread or not


def key(text: str | None) -> str:
    """A name as the scorer compares it: no spaces or brackets, sara am as one character."""
    return re.sub(r"[\s()]", "", (text or "").replace("\u0e4d\u0e32", "\u0e33"))


def mended(read: names.Name, better: dict[str, str]) -> str:
    return f"{better.get('head', read.head)} {better.get('surname', read.surname)}"


def tally(others: list[names.Name]) -> str:
    """The ink's readings, each with how many times it was read."""
    return " | ".join(f"{name} x{n}" for name, n in Counter(f"{o.head} {o.surname}" for o in others).most_common())


def outcome(truth: str, before: str, after: str) -> str:
    right, now = key(before) == key(truth), key(after) == key(truth)
    if right:
        return "right kept" if now else "right changed"
    return "wrong mended" if now else ("wrong kept" if key(before) == key(after) else "wrong changed")


def real(docs: Path, gold: Path, work: Path) -> Counter:
    counts: Counter = Counter()
    work.mkdir(parents=True, exist_ok=True)
    for path in sorted(docs.glob("*.pdf")):
        labels = gold / f"{path.stem}.json"
        if not labels.exists() or not scanned(path):
            continue
        signatories = {key((letter.get("signatory") or {}).get("name"))
                       for letter in json.loads(labels.read_text(encoding="utf-8"))["letters"]} - {""}
        for number, (gray, text, words) in enumerate(read_pages(path, work / f"{path.stem}.pages.pickle"), 1):
            page = Boxes(gray, text, list(words))
            for line in names.name_lines(page):
                read, others = names.read_again(page, line)
                if read is None:
                    continue
                before, after = f"{read.head} {read.surname}", mended(read, names.better_parts(read, others))
                truth = max(signatories, default=None, key=lambda s: SequenceMatcher(None, s, key(before)).ratio())
                if truth and SequenceMatcher(None, truth, key(before)).ratio() < SAME_PERSON:
                    truth = None
                kind = outcome(truth, before, after) if truth else (
                    "no signatory, kept" if before == after else "no signatory, changed")
                counts[kind] += 1
                print(f"{path.stem} p{number} {kind:22} {before} -> {after}   [{tally(others)}]")
    return counts


@contextmanager
def held_out(given: str | None, family: str | None) -> Iterator[None]:
    """The pass's name lists without `given` and `family` while inside."""
    all_given, all_family = names.given_names, names.family_names
    names.given_names = lambda: all_given() - {given}
    names.family_names = lambda: all_family() - {family}
    try:
        yield
    finally:
        names.given_names, names.family_names = all_given, all_family


def fonts() -> list[str]:
    found = sorted(str(p) for d in FONT_DIRS for p in Path(d).glob("*.ttf")
                   if not re.search(r"Mono|Typ|Bold|Oblique|Italic", p.name))
    try:
        import fontpkg_sarabun

        found.append(str(Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf"))
    except ImportError:
        pass
    return found


def signature_block(name: str, font: str, rng: random.Random, stroke: bool) -> np.ndarray:
    """A signature block as a 300 dpi scan shows it: the closing, the bracketed name, the
    position; with `stroke`, a signature's line drawn down into the name."""
    size = rng.choice([44, 50, 56])  # 15-19 pt at 300 dpi: a consonant body of 24-30 pixels
    face = ImageFont.truetype(font, size)
    lines = ["ขอแสดงความนับถือ", "", "", f"({name})", *POSITION]
    width, step = 1400, int(size * 1.6)
    img = Image.new("L", (width, 80 + len(lines) * step), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        length = face.getlength(line)
        x, y = (width - length) / 2, 40 + i * step
        draw.text((x, y), line, font=face, fill=0)
        if stroke and line.startswith("("):
            point = (x + rng.uniform(0.1, 0.8) * length, y - rng.uniform(80, 140))
            points = [point]
            for _ in range(4):
                points.append((points[-1][0] + rng.uniform(-80, 80), points[-1][1] + rng.uniform(15, 45)))
            draw.line(points, fill=rng.randint(0, 80), width=rng.choice([3, 4, 5]))
    out, _ = degrade(img, np.random.default_rng(rng.randrange(1 << 30)), blur=rng.uniform(0.3, 1.3),
                     noise=rng.uniform(5, 25), jpeg=rng.choice([30, 50, 75]))
    return np.asarray(out)


def synthetic(count: int, seed: int) -> Counter:
    rng = random.Random(seed)
    given, family, faces = sorted(names.given_names()), sorted(names.family_names()), fonts()
    counts: Counter = Counter()
    for i in range(count):
        truth = f"{rng.choice(TITLES)}{rng.choice(given)} {rng.choice(family)}"
        parts = names.parse_name(truth)
        hold = HOLD_OUT[i % len(HOLD_OUT)]
        stroke = rng.random() < 0.5
        gray = signature_block(truth, rng.choice(faces), rng, stroke)
        text, words = recognise(gray, 300)
        page = Boxes(gray, text, words)
        with held_out(parts.given if hold in ("given", "both") else None,
                      parts.surname if hold in ("family", "both") else None):
            for line in names.name_lines(page):
                read, others = names.read_again(page, line)
                if read is None:
                    continue
                before, after = f"{read.head} {read.surname}", mended(read, names.better_parts(read, others))
                kind = outcome(truth, before, after)
                counts[kind] += 1
                if kind != "right kept":
                    print(f"{kind:14} held out {hold:6} stroke {stroke!s:5} {truth}: {before} -> {after}   "
                          f"[{tally(others)}]", flush=True)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path)
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/name_lines"))
    ap.add_argument("--synthetic", type=int, default=0, help="this many rendered signature blocks")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.synthetic:
        counts = synthetic(args.synthetic, args.seed)
    elif args.docs and args.gold:
        counts = real(args.docs, args.gold, args.work)
    else:
        ap.error("give --docs and --gold, or --synthetic N")
    print("\n" + " · ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
