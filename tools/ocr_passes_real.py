"""Measure the OCR post-correction passes on real scans, field by field.

Every page of every scanned PDF in DOCS is rendered as the reader renders it
and read once by tesseract; then the page text is written four ways, each a
folder of NAME.txt files (pages separated by a blank line):

* `bare`: tesseract's text as it is (stock tesseract, through the same engine);
* `clean`: with the layout tidied (`clean_ocr_text`);
* `digits`: the digit re-reader, then tidied;
* `words`: that, then the structural-word corrections (`correct_structural_words`);
* `full`: that, then the last check of implausible dates (what the OCR stage gives).

Score each folder with `score.py --gold GOLD --out` after `circulars ingest`
(`--score` does both) to see what each pass makes right and wrong on real
pages, not renders.

    python tools/ocr_passes_real.py --docs ../shared/eval/real/docs --out /tmp/passes --score ../shared/eval/real/gold
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ocr.engine import recognise  # noqa: E402
from pipeline.ocr.passes import clean_ocr_text, correct_structural_words, read_digits  # noqa: E402
from pipeline.ocr.plausibility import carry_evidence, check_dates  # noqa: E402
from pipeline.read.pdf import OCR_DPI, judge_text_layer, page_text_layer, render_page  # noqa: E402

VARIANTS = ("bare", "clean", "digits", "words", "full")


def page_variants(gray: np.ndarray) -> dict[str, str]:
    text, words = recognise(gray, OCR_DPI)
    digits = read_digits(gray, text, words)
    tidy = clean_ocr_text(digits.text)
    corrected = correct_structural_words(tidy)
    full, _ = check_dates(corrected, carry_evidence(digits.text, corrected, digits.evidence))
    return {"bare": text, "clean": clean_ocr_text(text), "digits": tidy, "words": corrected, "full": full}


def scanned(path: Path) -> bool:
    """A PDF whose first page's text layer is not used (the reader OCRs it)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        raw, _ = page_text_layer(page)
        page.close()
        return not judge_text_layer(raw).good
    finally:
        doc.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--score", type=Path, help="gold folder: ingest and score every variant")
    args = ap.parse_args()
    for v in VARIANTS:
        (args.out / v).mkdir(parents=True, exist_ok=True)
    for path in sorted(args.docs.glob("*.pdf")):
        if not scanned(path):
            continue
        pages: dict[str, list[str]] = {v: [] for v in VARIANTS}
        doc = pdfium.PdfDocument(str(path))
        try:
            for i in range(len(doc)):
                page = doc[i]
                image = render_page(page)
                page.close()
                gray = np.asarray(image.convert("L"))
                for v, text in page_variants(gray).items():
                    pages[v].append(text)
        finally:
            doc.close()
        for v in VARIANTS:
            (args.out / v / f"{path.stem}.txt").write_text("\n\n".join(pages[v]), encoding="utf-8")
        print(f"{path.name}: {len(pages['bare'])} pages", file=sys.stderr)
    if args.score:
        score = ROOT.parent / "shared" / "eval" / "score.py"
        for v in VARIANTS:
            out = args.out / f"{v}.out"
            subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(args.out / v), "--out", str(out),
                            "--force", "--quiet"], check=False, cwd=ROOT)
            result = subprocess.run([sys.executable, str(score), "--gold", str(args.score), "--out", str(out)],
                                    capture_output=True, text=True)
            print(f"== {v}\n{result.stdout}")


if __name__ == "__main__":
    main()
