#!/usr/bin/env python3
"""Where the OCR digit pass still goes wrong: every misread Thai digit, with its context.

Renders the seed letters (samples/*.txt) as scans the way benchmarks/bench_read.py
--full does (Sarabun and Laksaman × --degrade medium/heavy, seed 11 + i), runs
tesseract once per page and caches its text and word boxes (the slow part), then
runs the digit pass on the cached output, so a change to pipeline/digits.py or
the digit pass in pipeline/ocr.py is measured in seconds:

    python tools/digit_errors.py                    # summary per scan kind
    python tools/digit_errors.py --show 40          # and the misread digits in context
    python tools/digit_errors.py --seed-base 31     # other noise, same texts (a check against overfitting)

Besides digit accuracy (the bench's measure) it counts the damage the pass
does elsewhere: drawn non-digit characters that tesseract read right and the
pass turned wrong ("letters broken"), and Thai digits the pass put where the
drawn text has none ("digits invented").
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
from pipeline import ocr  # noqa: E402


def render_all(cache: Path, seed_base: int, kinds) -> list[tuple[str, Path, str]]:
    jobs = []
    for font, degrade in kinds:
        out = cache / f"s{seed_base}" / f"{font}-{degrade}"
        for i, seed in enumerate(sorted(SAMPLES.glob("*.txt"))):
            if not (out / f"{seed.stem}.gt.txt").exists():
                out.mkdir(parents=True, exist_ok=True)
                subprocess.run([sys.executable, str(RENDER), str(seed), "--out", str(out), "--scan", "--no-scan-pdf",
                                "--font", font_path(font), "--degrade", degrade, "--seed", str(seed_base + i)],
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
    text, words = ocr.run_tesseract(str(png), 300)
    path.write_text(json.dumps({"text": text, "words": [asdict(w) for w in words]}, ensure_ascii=False),
                    encoding="utf-8")
    return text, words


def _final(text: str) -> str:
    from pipeline.ocr_words import correct_structural_words

    return correct_structural_words(ocr.clean_ocr_text(text))


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


def evaluate(job: tuple[str, Path, str]) -> dict:
    kind, png, drawn = job
    text, words = tesseract_cached(png)
    gray = np.asarray(Image.open(png).convert("L"))
    ours, _ = ocr.digit_pass(gray, text, words)
    before, after = _final(text), _final(ours)
    rb, n = digit_score(drawn, before)
    ro, _ = digit_score(drawn, after)
    broken, invented, places = damage(drawn, before, after)
    return dict(kind=kind, page=png.name, n=n, stock=rb, ours=ro, broken=broken, invented=invented,
                errors=errors(drawn, after) + places)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/digit-errors-cache"))
    ap.add_argument("--seed-base", type=int, default=11, help="render seed of the first sample (bench: 11)")
    ap.add_argument("--show", type=int, default=0, help="print up to this many misread digits per scan kind")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--kinds", default="", help="e.g. Sarabun/heavy,Laksaman/medium (default: all four)")
    a = ap.parse_args(argv)
    kinds = [tuple(k.split("/")) for k in a.kinds.split(",")] if a.kinds else SCAN_KINDS
    jobs = render_all(a.cache, a.seed_base, kinds)
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as pool:
            results = list(pool.map(evaluate, jobs))
    else:
        results = [evaluate(j) for j in jobs]
    total = dict(n=0, stock=0, ours=0, broken=0, invented=0)
    for kind in dict.fromkeys(r["kind"] for r in results):
        rs = [r for r in results if r["kind"] == kind]
        s = {k: sum(r[k] for r in rs) for k in total}
        for k in total:
            total[k] += s[k]
        print(f"{kind:18s} stock {s['stock'] / s['n']:7.2%}  ours {s['ours'] / s['n']:7.2%}  "
              f"wrong {s['n'] - s['ours']:3d}/{s['n']}  letters broken {s['broken']:3d}  "
              f"digits invented {s['invented']:3d}")
        if a.show:
            shown = [f"    {r['page']}: {e}" for r in rs for e in r["errors"]]
            print("\n".join(shown[:a.show]))
    print(f"{'all':18s} stock {total['stock'] / total['n']:7.2%}  ours {total['ours'] / total['n']:7.2%}  "
          f"wrong {total['n'] - total['ours']:3d}/{total['n']}  letters broken {total['broken']:3d}  "
          f"digits invented {total['invented']:3d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
