"""Measure every OCR correction pass on real scans: the dev set's F1 with each pass switched off.

Every page of every scanned PDF in DOCS is read once by tesseract as the OCR stage
reads it (upscaled if small, turned upright, receipt stamps out, the letterhead's
blocks cut: pipeline.ocr) and cached. Then the page texts are written once with all
the passes of pipeline.ocr.passes.PASSES, once with none, and once without each
pass in turn; each set is ingested and scored against the gold labels of those
documents. A pass earns its place when the F1 without it is lower than with all:

    python tools/ocr_pass_ablation.py --docs ../shared/eval/real/docs \
        --gold ../shared/eval/real/gold --work /tmp/ablation

prints, per pass: how many changes it made on the pages, the F1 without it, the
difference from all passes, and the the fields where it adds right values (+) or wrong ones (-): true minus false positives.
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ocr import engine as ocr  # noqa: E402
from pipeline.ocr.layout import split_columns  # noqa: E402
from pipeline.ocr.passes import PASSES, apply_passes  # noqa: E402
from pipeline.read.pdf import OCR_DPI, judge_text_layer, page_text_layer, render_page  # noqa: E402
from pipeline.ocr.stamps import find_stamps  # noqa: E402

SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def scanned(path: Path) -> bool:
    doc = pdfium.PdfDocument(str(path))
    try:
        raw, _ = page_text_layer(doc[0])
        return not judge_text_layer(raw).good
    finally:
        doc.close()


def read_pages(path: Path, cache: Path) -> list[tuple[np.ndarray, str, list]]:
    """The pages of `path` as the OCR stage hands them to the passes, cached in `cache`."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    pages = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(doc)):
            gray = np.asarray(render_page(doc[i]).convert("L"))
            dpi = OCR_DPI
            text, words = ocr.recognise(gray, dpi)
            gray, dpi, text, words, _ = ocr._upscaled(gray, dpi, text, words)
            gray, text, words, _ = ocr._upright(gray, dpi, text, words)
            text, words, _ = find_stamps(gray, text, words, reread=lambda crop: ocr.recognise(crop, dpi, "block"))
            text, words, _ = split_columns(text, words, gray.shape[1], ocr.body_height(words))
            pages.append((gray, text, words))
    finally:
        doc.close()
    cache.write_bytes(pickle.dumps(pages))
    return pages


def write_variant(folder: Path, docs: dict[str, list], passes) -> int:
    """Each document's text after `passes`; the number of changes they made."""
    folder.mkdir(parents=True, exist_ok=True)
    changes = 0
    for stem, pages in docs.items():
        texts = []
        for gray, text, words in pages:
            done = apply_passes(ocr.Boxes(gray, text, list(words)), passes)
            changes += len(done.changes)
            texts.append(done.text)
        (folder / f"{stem}.txt").write_text("\n\n".join(texts), encoding="utf-8")
    return changes


def score(folder: Path, gold: Path) -> tuple[float, dict[str, int]]:
    """Overall F1, and per field true minus false positives, of `folder`'s texts ingested."""
    out = folder.with_suffix(".out")
    subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--out", str(out), "--force",
                    "--quiet"], check=False, cwd=ROOT, capture_output=True)
    result = subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--out", str(out), "--json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    fields = {name: row["tp"] - row["fp"] for name, row in data.items() if name != "overall"}
    return data["overall"]["f1"], fields


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--only", nargs="*", default=[], help="switch off only these passes")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    gold = args.work / "gold"
    gold.mkdir(exist_ok=True)
    docs: dict[str, list] = {}
    for path in sorted(args.docs.glob("*.pdf")):
        if scanned(path) and (args.gold / f"{path.stem}.json").exists():
            docs[path.stem] = read_pages(path, args.work / f"{path.stem}.pages.pickle")
            shutil.copy(args.gold / f"{path.stem}.json", gold / f"{path.stem}.json")
            print(f"{path.name}: {len(docs[path.stem])} pages", file=sys.stderr, flush=True)
    variants = [("all", PASSES), ("none", ())]
    for p in PASSES:
        if not args.only or p.name in args.only:
            variants.append((f"without {p.name}", tuple(q for q in PASSES if q is not p)))
    results = {}
    for name, passes in variants:
        folder = args.work / re.sub(r"\W+", "_", name)
        changes = write_variant(folder, docs, passes)
        results[name] = (changes, *score(folder, gold))
        print(f"{name:<40} changes {changes:>5}  F1 {results[name][1]:.4f}", file=sys.stderr, flush=True)
    all_changes, all_f1, all_fields = results["all"]
    print(f"\n{len(docs)} scanned documents; all passes F1 {all_f1:.4f}, no pass {results['none'][1]:.4f}\n")
    print(f"{'pass':<32} {'changes':>7} {'F1 without':>10} {'its gain':>9}  fields it makes right (+) / wrong (-)")
    for name, (changes, f1, fields) in results.items():
        if not name.startswith("without "):
            continue
        pass_name = name[len("without "):]
        made = all_changes - changes
        delta = {k: all_fields.get(k, 0) - v for k, v in fields.items() if all_fields.get(k, 0) != v}
        shown = ", ".join(f"{k} {v:+d}" for k, v in sorted(delta.items()))
        print(f"{pass_name:<32} {made:>7} {f1:>10.4f} {all_f1 - f1:>+9.4f}  {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
