"""Measure how the OCR stage reads low-resolution pages (faxes, 75-150 dpi scans), as is and upscaled.

Page 1 of every scanned PDF in DOCS is rendered as the reader renders it (300 dpi,
the reference) and at each low resolution; each low page is read by the OCR stage
with its upscaling off (as tesseract gets it) and on (pipeline.ocr.engine.prepare_resolution),
and compared with the 300 dpi read: characters alike (difflib ratio over the page
text, spaces folded) and the letter's header fields found alike (reference, date,
subject, signatory, from pipeline.letters.extract on each text).

    python tools/ocr_low_resolution.py --docs ../shared/eval/real/docs --dpi 100 75
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ocr import engine as ocr  # noqa: E402
from pipeline.thai.normalise import normalise  # noqa: E402
from pipeline.read.pdf import open_pdf, page_text_layer, judge_text_layer, render_page  # noqa: E402

FIELDS = ("ref", "date", "subject", "signatory_name")


def fields(text: str) -> dict[str, object]:
    from pipeline.letters.extract import extract_letter

    norm = normalise(text)
    ctx, _ = extract_letter(norm.display, norm.parse)
    return {f: ctx.letter.get(f) for f in FIELDS}


def similarity(a: str, b: str) -> float:
    fold = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    return difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False).ratio()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--dpi", type=int, nargs="+", default=[100, 75])
    ap.add_argument("--limit", type=int, default=0, help="at most this many documents")
    args = ap.parse_args(argv)
    pdfs = []
    for path in sorted(args.docs.glob("*.pdf")):
        pdf = open_pdf(path)
        raw, _ = page_text_layer(pdf[0])
        if not judge_text_layer(raw).good:  # a scan: no usable text layer
            pdfs.append((path, pdf))
    if args.limit:
        pdfs = pdfs[:args.limit]
    totals: dict[tuple[int, str], list[float]] = {}
    agree: dict[tuple[int, str], list[int]] = {}
    seconds: dict[tuple[int, str], float] = {}
    for path, pdf in pdfs:
        reference = ocr.ocr_page(render_page(pdf[0], 300), 1, 300).text
        ref_fields = fields(reference)
        row = [path.stem]
        for dpi in args.dpi:
            low = render_page(pdf[0], dpi)
            for mode in ("as_is", "upscaled"):
                t0 = time.perf_counter()
                text = ocr.ocr_page(low, 1, dpi, upscale=mode == "upscaled").text
                seconds[(dpi, mode)] = seconds.get((dpi, mode), 0.0) + time.perf_counter() - t0
                sim = similarity(text, reference)
                got = fields(text)
                same = sum(got[f] == ref_fields[f] and ref_fields[f] is not None for f in FIELDS)
                totals.setdefault((dpi, mode), []).append(sim)
                agree.setdefault((dpi, mode), []).append(same)
                row.append(f"{dpi}/{mode}: {sim:.3f} {same}/{sum(v is not None for v in ref_fields.values())}")
        print("  ".join(row), flush=True)
    print("\ndpi  mode       pages  chars alike  header fields alike  seconds")
    for (dpi, mode), sims in sorted(totals.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        print(f"{dpi:<4} {mode:<10} {len(sims):>5}  {sum(sims) / len(sims):>11.3f}  "
              f"{sum(agree[(dpi, mode)]):>19}  {seconds[(dpi, mode)]:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
