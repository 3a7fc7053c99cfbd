"""Accuracy by input format: dev-set F1 of the whole pipeline on text, born-digital PDFs and scans.

    python -m benchmarks.bench_accuracy                 # every format, samples/ vs tests/data/gold
    python -m benchmarks.bench_accuracy --quick         # text + one PDF engine + one scan kind
    python -m benchmarks.bench_accuracy --texts DIR --gold DIR   # other letters, same measure
    python -m benchmarks.bench_accuracy --scans DIR --gold DIR   # real scans, scored the same way

Why: a mailroom holds the same letter as a text file, as a PDF exported by
some office suite, or as a scan, and the dataset should not depend on which.
The acceptance figures of that promise are measured here, by anyone, from a
clone: the seed letters (samples/*.txt) are drawn in every format by
tests/tools/render.py (the project's renderer), each format is read by the
real command (`circulars ingest FOLDER --out OUT`) and the dataset is scored
against the gold labels (tests/data/gold/, one NAME.json per seed) by
tests/tools/score.py, the project's field-by-field scorer.

Formats, one row each:

* text                  the seed .txt files themselves (the reference row);
* fpdf, fpdf-shaped,    born-digital PDFs from the three text-layer engines
  fpdf-pua              (exact, scrambled by shaping, legacy Thai PUA);
* scan-FONT-DEGRADE     the image-only scanned PDF (STEM.scan.pdf, what a
                        mailroom holds) in Sarabun and Laksaman, `--degrade
                        medium` and `heavy`, `--seed 11+i` for the i-th seed;
* scans:DIR             (with --scans) real scans, read as they are.

How to read a row:

* F1 is score.py's last figure: micro-averaged over every field of every
  letter (each value right, missing or extra counts), so 0.990 is one value
  in a hundred off. The gold letters are matched to the output by the source
  file's stem, which is why each rendering keeps its seed's stem.
* "vs text" is F1 minus the text row's: what reading that format costs.
* target: a born-digital PDF should be within 0.02 of plain text; a scan
  should reach 0.90. "ok" or "MISS" says whether the row meets it.
* weakest: the three fields with the lowest F1 that are below 1.000 (fields
  without any value in gold or output are left out), each with how many
  values were off (false positives + false negatives).
* ingest s: wall time of the ingest alone (OCR dominates the scan rows).

Renders are cached under --workdir (keyed by the letter, the options and
render.py itself), so a second run only ingests and scores again; the
datasets stay in WORKDIR/out/FORMAT for `tests/tools/score.py --detail`.
Without --workdir everything lives in a temporary folder that is removed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_read import RENDER, SAMPLES, font_path, render

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold"
SCORE = ROOT / "tests" / "tools" / "score.py"
PDF_WITHIN = 0.02
SCAN_AT_LEAST = 0.90


@dataclass(frozen=True)
class Format:
    """One way of presenting the letters to the pipeline."""

    name: str
    kind: str  # "text", "pdf" or "scan"
    args: tuple[str, ...] = ()  # render.py options (the scan seed is added per letter)
    rendered: str = ".txt"  # which rendered file is read: the suffix after the stem


def all_formats() -> list[Format]:
    """Every format measured by default, reference first."""
    formats = [Format("text", "text")]
    formats += [Format(engine, "pdf", ("--engine", engine), ".pdf") for engine in ("fpdf", "fpdf-shaped", "fpdf-pua")]
    for font in ("Sarabun", "Laksaman"):
        for degrade in ("medium", "heavy"):
            formats.append(Format(f"scan-{font}-{degrade}", "scan",
                                  ("--scan", "--font", font_path(font), "--degrade", degrade), ".scan.pdf"))
    return formats


QUICK = ("text", "fpdf", "scan-Sarabun-medium")


@dataclass
class Row:
    """The measured figures of one format."""

    name: str
    kind: str
    figures: dict  # score.py --json: field -> {"f1", "tp", "fp", "fn", ...}, plus "overall"
    seconds: float
    failed: bool  # ingest exit status 3: some files became errors rows

    @property
    def f1(self) -> float:
        return self.figures["overall"]["f1"]


def seeds(texts: Path, gold: Path) -> list[tuple[int, Path]]:
    """(render seed, letter) for every letter with gold labels.

    The render seed is 11 + the letter's index among all .txt files of the
    folder, as in bench_read, so a letter's scans do not change when the gold
    set is narrowed to fewer letters.
    """
    labelled = {p.stem for p in gold.glob("*.json")}
    chosen = [(11 + i, p) for i, p in enumerate(sorted(texts.glob("*.txt"))) if p.stem in labelled]
    missing = labelled - {p.stem for _, p in chosen}
    if missing:
        print(f"warning: no letter for gold {', '.join(sorted(missing))}: counted as missed", file=sys.stderr)
    return chosen


def cache_key(src: Path, args: tuple[str, ...]) -> str:
    """Identifies a rendering: the letter, the options and the renderer's own code."""
    digest = hashlib.sha256(RENDER.read_bytes() + src.read_bytes() + "\0".join(args).encode())
    return digest.hexdigest()[:16]


def rendered_file(fmt: Format, seed: int, src: Path, cache: Path) -> Path:
    """The file of `src` in format `fmt`, rendered once and kept in `cache`."""
    if fmt.kind == "text":
        return src
    args = fmt.args + (("--seed", str(seed)) if fmt.kind == "scan" else ())
    kept = cache / fmt.name / cache_key(src, args) / f"{src.stem}{fmt.rendered}"
    if not kept.exists():
        staging = kept.parent / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        render(src, staging, *args)  # also writes .gt.txt, page PNGs...: only one file is kept
        (staging / kept.name).replace(kept)
        shutil.rmtree(staging)
    return kept


def inputs_folder(fmt: Format, letters: list[tuple[int, Path]], cache: Path, folder: Path) -> Path:
    """A folder holding exactly one file per letter, named STEM.txt or STEM.pdf for the scorer."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for seed, src in letters:
        path = rendered_file(fmt, seed, src, cache)
        shutil.copyfile(path, folder / f"{src.stem}{path.suffix}")
    return folder


def circulars() -> list[str]:
    """The `circulars` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("circulars")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.cli"]


def ingest(folder: Path, out: Path, jobs: int | None) -> tuple[float, bool]:
    """Reads `folder` into a fresh dataset `out`: (seconds, whether some files failed).

    The dataset is made afresh each time: an incremental run would keep the
    letters read by the code of an earlier run.
    """
    shutil.rmtree(out, ignore_errors=True)
    command = circulars() + ["ingest", str(folder), "--out", str(out), "--quiet"]
    command += ["--jobs", str(jobs)] if jobs else []
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 3):
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return seconds, done.returncode == 3


def score(gold: Path, out: Path) -> dict:
    """score.py's figures for one dataset (its --json output)."""
    done = subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--out", str(out), "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def measure(name: str, kind: str, folder: Path, gold: Path, out: Path, jobs: int | None) -> Row:
    """Ingests and scores one folder of inputs."""
    seconds, failed = ingest(folder, out, jobs)
    return Row(name, kind, score(gold, out), seconds, failed)


def weakest(figures: dict, n: int = 3) -> str:
    """The n lowest fields below F1 1, as 'field 0.950 (2 off)'."""
    fields = [(fig["f1"], field, fig["fp"] + fig["fn"]) for field, fig in figures.items()
              if field != "overall" and fig["tp"] + fig["fp"] + fig["fn"] and fig["f1"] < 1.0]
    return ", ".join(f"{field} {f:.3f} ({off} off)" for f, field, off in sorted(fields)[:n]) or "-"


def target(row: Row, reference: float | None) -> tuple[str, bool | None]:
    """The acceptance target of a row and whether it is met (None: nothing to compare)."""
    if row.kind == "pdf":
        if reference is None:
            return f"text-{PDF_WITHIN:.2f}", None
        return f">= {reference - PDF_WITHIN:.3f}", row.f1 >= reference - PDF_WITHIN - 1e-9
    if row.kind == "scan":
        return f">= {SCAN_AT_LEAST:.3f}", row.f1 >= SCAN_AT_LEAST
    return "reference", None


def print_row(row: Row, reference: float | None) -> None:
    aim, met = target(row, reference)
    versus = f"{row.f1 - reference:+.3f}" if reference is not None and row.kind != "text" else "-"
    verdict = {True: "ok", False: "MISS", None: ""}[met]
    note = "  (some files failed: see OUT/errors)" if row.failed else ""
    print(f"{row.name:22} {row.f1:6.3f} {versus:>8} {aim:>10} {verdict:4} {row.seconds:9.1f}  "
          f"{weakest(row.figures)}{note}", flush=True)


def summary(rows: list[Row], reference: float | None) -> str:
    """One line: were the acceptance targets met."""
    misses = [r.name for r in rows if target(r, reference)[1] is False]
    if misses:
        return f"targets missed by: {', '.join(misses)}"
    return f"targets (PDFs within {PDF_WITHIN} of text, scans >= {SCAN_AT_LEAST}): all met that could be checked"


def chosen_formats(a: argparse.Namespace) -> list[Format]:
    """The formats the options ask for."""
    formats = all_formats()
    if a.formats is not None:
        names = [n for n in a.formats.split(",") if n]
    elif a.quick:
        names = list(QUICK)
    elif a.scans:
        names = ["text"] if a.texts else []  # real scans alone; the text row only when asked
    else:
        return formats
    unknown = set(names) - {f.name for f in formats}
    if unknown:
        raise SystemExit(f"unknown format {', '.join(sorted(unknown))}: choose from "
                         f"{', '.join(f.name for f in formats)}")
    return [f for f in formats if f.name in names]


def run(a: argparse.Namespace, work: Path) -> list[Row]:
    """Measures every chosen format, printing each row as it is done."""
    letters = seeds(a.texts or SAMPLES, a.gold)
    print(f"letters: {len(letters)} from {a.texts or SAMPLES} vs gold {a.gold}; work in {work}")
    print(f"{'format':22} {'F1':>6} {'vs text':>8} {'target':>10} {'':4} {'ingest s':>9}  weakest fields")
    rows: list[Row] = []
    reference = None
    for fmt in chosen_formats(a):
        folder = inputs_folder(fmt, letters, work / "renders", work / "inputs" / fmt.name)
        row = measure(fmt.name, fmt.kind, folder, a.gold, work / "out" / fmt.name, a.jobs)
        reference = row.f1 if fmt.kind == "text" else reference
        print_row(row, reference)
        rows.append(row)
    if a.scans:
        row = measure(f"scans:{a.scans.name}", "scan", a.scans, a.gold, work / "out" / "scans", a.jobs)
        print_row(row, reference)
        rows.append(row)
    print(summary(rows, reference))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    ap.add_argument("--formats", help="comma-separated format names (overrides --quick)")
    ap.add_argument("--texts", type=Path, help="folder of letters NAME.txt to render (default samples/)")
    ap.add_argument("--scans", type=Path, help="folder of real scans NAME.pdf/.png/.tif, read as they are")
    ap.add_argument("--gold", type=Path, default=GOLD, help="folder of gold NAME.json (default tests/data/gold)")
    ap.add_argument("--workdir", type=Path, help="keep renders (a cache) and datasets here")
    ap.add_argument("--jobs", type=int, help="ingest worker processes (default: circulars' own)")
    a = ap.parse_args(argv)
    start = time.perf_counter()
    if a.workdir:
        a.workdir.mkdir(parents=True, exist_ok=True)
        run(a, a.workdir.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="bench-accuracy-") as tmp:
            run(a, Path(tmp))
    print(f"total {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
