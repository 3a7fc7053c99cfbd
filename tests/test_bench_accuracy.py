"""The accuracy benchmark runs as a command and its figures mean something.

One seed letter, plain text and one born-digital PDF engine (no OCR, a few
seconds): the real script renders, ingests and scores, and the rows it prints
must parse and show the F1 the pipeline reaches on this letter. A broken
renderer call, a file name the scorer cannot match to its gold, or a
misread score would all show up as a missing row or a low F1.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().parent / "data" / "gold"
ROW = re.compile(r"^(?P<name>\S+)\s+(?P<f1>\d\.\d{3})\s+(?P<versus>[+-]\d\.\d{3}|-)\s", re.M)


def test_text_and_born_digital_pdf_score_high_on_one_seed(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(next(GOLD.glob("001_*.json")), gold)  # the gold narrows the run to this one letter
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_accuracy", "--texts", str(ROOT / "samples"),
         "--gold", str(gold), "--formats", "text,fpdf", "--jobs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "letters: 1 from" in done.stdout, done.stdout
    rows = {m["name"]: m for m in ROW.finditer(done.stdout)}
    assert set(rows) == {"text", "fpdf"}, done.stdout
    assert float(rows["text"]["f1"]) >= 0.9, done.stdout
    assert float(rows["fpdf"]["f1"]) >= 0.9, done.stdout
    assert abs(float(rows["fpdf"]["versus"])) <= 0.02, done.stdout
    assert "MISS" not in done.stdout, done.stdout
