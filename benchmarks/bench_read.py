"""Read-stage benchmark: text-layer PDF speed, OCR cost against bare tesseract, Thai-digit accuracy.

    python -m benchmarks.bench_read            # a few minutes: 4 OCR pages
    python -m benchmarks.bench_read --full     # every seed page, 4 scan kinds (~100 OCR pages)

Everything is measured side by side in one process, on pages rendered from
the real seed letters (samples/) by tests/tools/render.py:

* text-layer PDFs (engines fpdf, fpdf-shaped, fpdf-pua): pages per second on
  one core, the whole per-page reader (glyph geometry, repairs, verdict).
  Target ≥ 100.
* OCR: seconds per page of the whole page stage (tesseract + digit pass +
  word fixes, `read_image_pages`) against the bare `tesseract` command on the
  same PNG, both single-threaded, after one page read first and not counted
  (the process loads its models and word lists once; that load is printed
  apart). Target ≤ 1.15×.
* Thai-digit accuracy on those scans (Sarabun and Laksaman, `--degrade medium`
  and `heavy`): the share of the drawn Thai digits that come out right (by
  alignment with the drawn text), for stock tesseract's text and for ours.
  Target ≥ 99 %.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# One thread each, as ingest's workers run (pipeline.run.runner.SINGLE_THREAD_ENV): tesseract's, and
# OpenBLAS's for the digit classifier's matrix product, which with a second thread on a busy
# machine took ~24 ms a page instead of ~0.3 ms (measured side by side on 2 cores). Set before
# numpy is imported, which reads them once.
for _var in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RENDER = ROOT / "tests" / "tools" / "render.py"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
SCAN_KINDS = [("Sarabun", "medium"), ("Sarabun", "heavy"), ("Laksaman", "medium"), ("Laksaman", "heavy")]


def font_path(name: str) -> str:
    if name == "Sarabun":
        import fontpkg_sarabun

        return str(Path(fontpkg_sarabun.__file__).parent / "files" / "Sarabun-Regular.ttf")
    return "Laksaman"


def render(src: Path, out: Path, *args: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(RENDER), str(src), "--out", str(out), *args], check=True,
                   capture_output=True)


def digit_score(reference: str, hypothesis: str) -> tuple[int, int]:
    """(Thai digits of the reference read right, Thai digits in the reference).

    Right means inside a block the two texts share once whitespace is removed
    (difflib alignment), so a digit dropped, added or changed counts as wrong.
    """
    ref = re.sub(r"\s+", "", reference)
    hyp = re.sub(r"\s+", "", hypothesis)
    matcher = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    right = sum(ch in THAI_DIGITS for a, _, n in matcher.get_matching_blocks() for ch in ref[a:a + n])
    return right, sum(ch in THAI_DIGITS for ch in ref)


def bench_text_layer(work: Path, seconds: float) -> None:
    from pipeline.read.pdf import read_pdf_pages

    pdfs = []
    for engine in ("fpdf", "fpdf-shaped", "fpdf-pua"):
        for seed in sorted(SAMPLES.glob("*.txt")):
            out = work / "born" / engine
            render(seed, out, "--engine", engine)
            pdfs.append((engine, out / f"{seed.stem}.pdf"))
    print("text-layer PDFs (one core, whole page reader):")
    for engine in ("fpdf", "fpdf-shaped", "fpdf-pua"):
        files = [p for e, p in pdfs if e == engine]
        pages = 0
        start = time.perf_counter()
        while True:
            for path in files:
                result = read_pdf_pages(path)
                assert all(p.source == "pdf_text" for p in result), path
                pages += len(result)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        print(f"  {engine:12s} {pages / elapsed:7.0f} pages/s  ({pages} pages in {elapsed:.1f} s)")


def bench_ocr(work: Path, full: bool) -> None:
    from pipeline.ocr.engine import CONFIG, LANG, read_image_pages

    seeds = sorted(SAMPLES.glob("*.txt"))
    jobs: list[tuple[str, Path, str]] = []  # (kind, page image, drawn text)
    for font, degrade in SCAN_KINDS:
        kind = f"{font}/{degrade}"
        for i, seed in enumerate(seeds if full else seeds[:1]):
            out = work / "scan" / f"{font}-{degrade}"
            render(seed, out, "--scan", "--no-scan-pdf", "--font", font_path(font), "--degrade", degrade,
                   "--seed", str(11 + i))
            drawn = (out / f"{seed.stem}.gt.txt").read_text(encoding="utf-8").split("\f")
            pngs = sorted(out.glob(f"{seed.stem}.p*.png"), key=lambda p: int(p.stem.rsplit(".p", 1)[1]))
            for number, png in enumerate(pngs if full else pngs[:1], 1):
                jobs.append((kind, png, drawn[number - 1]))
    print(f"OCR ({len(jobs)} pages, tesseract {LANG} {CONFIG}, OMP_THREAD_LIMIT=1 OPENBLAS_NUM_THREADS=1, "
          "one page at a time):")
    # The page stage loads its models and word lists once per process (tesseract's, the digit
    # classifier, pythainlp's dictionary and frequencies); a batch pays that once, not per page.
    # One page read first, not counted, so the figures are the per-page cost; the load is shown apart.
    t0 = time.perf_counter()
    read_image_pages(jobs[0][1])
    warm = time.perf_counter() - t0
    totals: dict[str, list[float]] = {}
    bare_s = ours_s = 0.0
    for kind, png, drawn in jobs:
        t0 = time.perf_counter()
        bare = subprocess.run(["tesseract", str(png), "stdout", "-l", LANG, *CONFIG.split()],
                              capture_output=True, text=True, check=True).stdout
        t1 = time.perf_counter()
        ours = "\n".join(p.text for p in read_image_pages(png))
        t2 = time.perf_counter()
        bare_s += t1 - t0
        ours_s += t2 - t1
        s = totals.setdefault(kind, [0, 0, 0])
        right_bare, n = digit_score(drawn, bare)
        right_ours, _ = digit_score(drawn, ours)
        s[0] += right_bare
        s[1] += right_ours
        s[2] += n
    n_pages = len(jobs)
    print(f"  bare tesseract   {bare_s / n_pages:6.2f} s/page")
    print(f"  our page stage   {ours_s / n_pages:6.2f} s/page  ({ours_s / bare_s:.3f}× bare; target ≤ 1.15×)")
    print(f"  (first page of the process, not counted: {warm:.2f} s, the models and word lists loaded once)")
    print("Thai-digit accuracy (digits read right / digits drawn):")
    all_bare = all_ours = all_n = 0
    for kind, (b, o, n) in totals.items():
        print(f"  {kind:18s} stock tesseract {b / n:7.2%}   ours {o / n:7.2%}   ({n} digits)")
        all_bare, all_ours, all_n = all_bare + b, all_ours + o, all_n + n
    print(f"  {'all':18s} stock tesseract {all_bare / all_n:7.2%}   ours {all_ours / all_n:7.2%}   "
          f"({all_n} digits; target ≥ 99 %)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="OCR every page of every seed in all four scan kinds")
    ap.add_argument("--seconds", type=float, default=3.0, help="time per text-layer measurement")
    ap.add_argument("--no-ocr", action="store_true")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-read-") as tmp:
        work = Path(tmp)
        bench_text_layer(work, a.seconds)
        if not a.no_ocr:
            bench_ocr(work, a.full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
