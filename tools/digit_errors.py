#!/usr/bin/env python3
"""Where the OCR digit pass still goes wrong: every misread Thai digit, with its context.

Renders the seed letters (samples/*.txt) as scans the way benchmarks/bench_read.py
--full does (Sarabun and Laksaman × --degrade medium/heavy, seed 11 + i), runs
tesseract once per page and caches its text and word boxes (the slow part), then
runs the digit pass on the cached output, so a change to pipeline/ocr/digits.py or
the digit pass in pipeline/ocr/engine.py is measured in seconds:

    python tools/digit_errors.py                    # summary per scan kind
    python tools/digit_errors.py --show 40          # and the misread digits in context
    python tools/digit_errors.py --seed-base 31     # other noise, same texts (a check against overfitting)
    python tools/digit_errors.py --render "--dpi 200" --runner-up   # worse scans; the date check's evidence
    python tools/date_pages.py /tmp/date-pages && \
        python tools/digit_errors.py --texts /tmp/date-pages --render "--dpi 150" --runner-up --show 40

Besides digit accuracy (the bench's measure) it counts the damage the pass
does elsewhere: drawn non-digit characters that tesseract read right and the
pass turned wrong ("letters broken"), and Thai digits the pass put where the
drawn text has none ("digits invented"); and the dates the last check
(pipeline.ocr.plausibility) changed, and how many of those changes give the drawn
digits ("dates changed", shown with --show). With --runner-up it prints what
the check's threshold rests on: for the re-read digits that are wrong, how
often the classifier gave the drawn digit at least p; for those that are
right, how often it gave another digit that much.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_read import RENDER, SAMPLES, SCAN_KINDS, THAI_DIGITS, digit_score, font_path  # noqa: E402
from pipeline.ocr import engine as ocr  # noqa: E402


def render_all(cache: Path, seed_base: int, kinds, extra: list[str] | None = None, texts: Path = SAMPLES
               ) -> list[tuple[str, Path, str]]:
    jobs = []
    extra = extra or []
    base = cache / (f"s{seed_base}" + ("" if texts == SAMPLES else f"-{texts.name}"))
    for font, degrade in kinds:
        out = base / "".join([f"{font}-{degrade}", *extra])
        for i, seed in enumerate(sorted(texts.glob("*.txt"))):
            if not (out / f"{seed.stem}.gt.txt").exists():
                out.mkdir(parents=True, exist_ok=True)
                subprocess.run([sys.executable, str(RENDER), str(seed), "--out", str(out), "--scan", "--no-scan-pdf",
                                "--font", font_path(font), "--degrade", degrade, *extra, "--seed", str(seed_base + i)],
                               check=True, capture_output=True)
            drawn = (out / f"{seed.stem}.gt.txt").read_text(encoding="utf-8").split("\f")
            pngs = sorted(out.glob(f"{seed.stem}.p*.png"), key=lambda p: int(p.stem.rsplit(".p", 1)[1]))
            for number, png in enumerate(pngs, 1):
                jobs.append((f"{font}/{degrade}", png, drawn[number - 1]))
    return jobs


def tesseract_cached(png: Path) -> tuple[str, list[ocr.Word]]:
    key = hashlib.sha256(png.read_bytes() + (ocr.LANG + ocr.CONFIG).encode()).hexdigest()[:16]
    path = png.with_suffix(f".{key}.tess.json")
    if path.exists():
        doc = json.loads(path.read_text(encoding="utf-8"))
        words = [ocr.Word(**{**w, "line": tuple(w["line"])}) for w in doc["words"]]
        return doc["text"], words
    with Image.open(png) as img:
        text, words = ocr.recognise(np.asarray(img.convert("L")), 300)
    path.write_text(json.dumps({"text": text, "words": [asdict(w) for w in words]}, ensure_ascii=False),
                    encoding="utf-8")
    return text, words


def _final(text: str) -> str:
    from pipeline.ocr.passes import clean_ocr_text, correct_structural_words

    return correct_structural_words(clean_ocr_text(text))


def errors(ref: str, hyp: str, width: int = 8) -> list[str]:
    """Each stretch of the alignment that loses a drawn digit, as 'drawn -> read' with context."""
    ref_s = re.sub(r"\s+", "", ref)
    hyp_s = re.sub(r"\s+", "", hyp)
    m = difflib.SequenceMatcher(None, ref_s, hyp_s, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in m.get_opcodes():
        if tag != "equal" and any(ch in THAI_DIGITS for ch in ref_s[i1:i2]):
            out.append(f"{ref_s[max(0, i1 - width):i1]}[{ref_s[i1:i2]}→{hyp_s[j1:j2]}]{ref_s[i2:i2 + width]}")
    return out


def damage(ref: str, before: str, after: str, width: int = 8) -> tuple[int, int, list[str]]:
    """(drawn non-digit characters right before the pass and wrong after it, digits invented by
    the pass, those places in context)."""
    ref_s = re.sub(r"\s+", "", ref)

    def matched(hyp: str) -> tuple[set[int], int, list[str]]:
        hyp_s = re.sub(r"\s+", "", hyp)
        m = difflib.SequenceMatcher(None, ref_s, hyp_s, autojunk=False)
        right = {a + k for a, _, n in m.get_matching_blocks() for k in range(n)}
        extra, where = 0, []
        for tag, i1, i2, j1, j2 in m.get_opcodes():
            if tag in ("insert", "replace"):
                n = max(0, sum(ch in THAI_DIGITS for ch in hyp_s[j1:j2]) - sum(ch in THAI_DIGITS for ch in ref_s[i1:i2]))
                if n:
                    extra += n
                    where.append(f"{ref_s[max(0, i1 - width):i1]}[{ref_s[i1:i2]}→{hyp_s[j1:j2]}]{ref_s[i2:i2 + width]}")
        return right, extra, where

    rb, eb, wb = matched(before)
    ra, ea, wa = matched(after)
    broken = [i for i in sorted(rb - ra) if ref_s[i] not in THAI_DIGITS]
    places = [f"broken: {ref_s[max(0, i - width):i]}[{ref_s[i]}]{ref_s[i + 1:i + 1 + width]}" for i in broken]
    places += [f"invented: {w}" for w in wa if w not in wb]
    return len(broken), max(0, ea - eb), places


def drawn_at(ref: str, hyp: str, places) -> dict[int, str]:
    """For positions in `hyp`, the drawn character there (where the alignment of the two texts,
    whitespace aside, puts one against it)."""
    ref_s = re.sub(r"\s+", "", ref)
    keep = [i for i, ch in enumerate(hyp) if not ch.isspace()]
    at = {i: k for k, i in enumerate(keep)}
    m = difflib.SequenceMatcher(None, ref_s, "".join(hyp[i] for i in keep), autojunk=False)
    back = {}
    for tag, i1, i2, j1, j2 in m.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            back.update((j1 + k, ref_s[i1 + k]) for k in range(j2 - j1))
    return {i: back[at[i]] for i in places if at.get(i) in back}


RUNNER_UP_LEVELS = (0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3)


def runner_up(drawn: str, text: str, evidence: dict[int, np.ndarray]) -> tuple[list[float], list[float]]:
    """(the drawn digit's probability for each wrong re-read digit, the best other digit's
    probability for each right one)."""
    from pipeline.ocr.digits import CLASSES

    wrong, right = [], []
    for i, truth in drawn_at(drawn, text, evidence).items():
        if truth not in THAI_DIGITS:
            continue
        probs = evidence[i]
        if truth != text[i]:
            wrong.append(float(probs[CLASSES.index(truth)]))
        else:
            right.append(max(float(probs[CLASSES.index(d)]) for d in THAI_DIGITS if d != truth))
    return wrong, right


def evaluate(job: tuple[str, Path, str]) -> dict:
    from pipeline.ocr.passes import repaired_text
    from pipeline.ocr.plausibility import check_dates, find_dates

    kind, png, drawn = job
    text, words = tesseract_cached(png)
    gray = np.asarray(Image.open(png).convert("L"))
    unchecked, evidence = repaired_text(gray, text, words)
    after, warnings = check_dates(unchecked, evidence)
    before = _final(text)
    rb, n = digit_score(drawn, before)
    ro, _ = digit_score(drawn, after)
    broken, invented, places = damage(drawn, before, after)
    changed = [i for i, (x, y) in enumerate(zip(unchecked, after)) if x != y]
    truth = drawn_at(drawn, unchecked, changed)
    verdicts = []  # one per date changed: all its changed digits are the drawn ones
    for d in find_dates(unchecked):
        mine = [i for i in changed if d.start <= i < d.end]
        if mine:
            verdicts.append(all(truth.get(i) == after[i] for i in mine))
    dates = [f"date {'right' if ok else 'WRONG'}: {w}" for ok, w in zip(verdicts, warnings)]
    wrong_p, right_p = runner_up(drawn, unchecked, evidence)
    return dict(kind=kind, page=png.name, n=n, stock=rb, ours=ro, broken=broken, invented=invented,
                dates=len(verdicts), dates_right=sum(verdicts),
                errors=dates + errors(drawn, after) + places, wrong_p=wrong_p, right_p=right_p)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/digit-errors-cache"))
    ap.add_argument("--seed-base", type=int, default=11, help="render seed of the first sample (bench: 11)")
    ap.add_argument("--show", type=int, default=0, help="print up to this many misread digits per scan kind")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--kinds", default="", help="e.g. Sarabun/heavy,Laksaman/medium (default: all four)")
    ap.add_argument("--texts", type=Path, default=SAMPLES, help="letters to render (default: the seeds, samples/)")
    ap.add_argument("--render", default="", help='more options for tests/tools/render.py, e.g. "--dpi 200" '
                    "(harder scans: more misread digits for the date check to meet)")
    ap.add_argument("--runner-up", action="store_true",
                    help="print how often a wrong digit's drawn digit, and a right one's rival, has probability >= p")
    a = ap.parse_args(argv)
    kinds = [tuple(k.split("/")) for k in a.kinds.split(",")] if a.kinds else SCAN_KINDS
    jobs = render_all(a.cache, a.seed_base, kinds, a.render.split(), a.texts)
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as pool:
            results = list(pool.map(evaluate, jobs))
    else:
        results = [evaluate(j) for j in jobs]
    total = dict(n=0, stock=0, ours=0, broken=0, invented=0, dates=0, dates_right=0)
    for kind in dict.fromkeys(r["kind"] for r in results):
        rs = [r for r in results if r["kind"] == kind]
        s = {k: sum(r[k] for r in rs) for k in total}
        for k in total:
            total[k] += s[k]
        print(f"{kind:18s} stock {s['stock'] / s['n']:7.2%}  ours {s['ours'] / s['n']:7.2%}  "
              f"wrong {s['n'] - s['ours']:3d}/{s['n']}  letters broken {s['broken']:3d}  "
              f"digits invented {s['invented']:3d}  dates changed {s['dates']} ({s['dates_right']} right)")
        if a.show:
            shown = [f"    {r['page']}: {e}" for r in rs for e in r["errors"]]
            print("\n".join(shown[:a.show]))
    print(f"{'all':18s} stock {total['stock'] / total['n']:7.2%}  ours {total['ours'] / total['n']:7.2%}  "
          f"wrong {total['n'] - total['ours']:3d}/{total['n']}  letters broken {total['broken']:3d}  "
          f"digits invented {total['invented']:3d}  dates changed {total['dates']} ({total['dates_right']} right)")
    if a.runner_up:
        wrong = [p for r in results for p in r["wrong_p"]]
        right = [p for r in results for p in r["right_p"]]
        print(f"re-read digits: {len(wrong)} wrong, {len(right)} right")
        for level in RUNNER_UP_LEVELS:
            print(f"  p >= {level:<5}: drawn digit of a wrong one {sum(p >= level for p in wrong):3d}/{len(wrong)}"
                  f"   another digit of a right one {sum(p >= level for p in right):4d}/{len(right)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
