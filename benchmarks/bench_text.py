"""Text throughput: letters per second per core, end to end including Parquet.

Runs the whole per-file path (read, normalise, split, spaCy extractors) and
the Parquet writer in this one process on a generated corpus, and reports
both wall-clock and CPU-time rates: CPU time is the per-core figure, and stays
honest when other work shares the machine. The tokenizer engines are measured
side by side in the same run.

    python -m benchmarks.bench_text [--letters 2000]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipeline.corpus import make_corpus

ROOT = Path(__file__).resolve().parents[1]


def measure(folder: Path, out: Path, engine: str | None = None) -> dict:
    from pipeline.letters import extract
    from pipeline.thai import tokens
    from pipeline.letters.process import process_source
    from pipeline.store.write import DatasetWriter

    if engine:
        extract.nlp.cache_clear()
        tokens.tokenizer_engine = lambda: engine  # type: ignore[assignment]
    files = sorted(folder.rglob("*.txt"))
    process_source(files[0], "warm-up")  # load spaCy and the dictionaries outside the timing
    writer = DatasetWriter(out)
    wall, cpu = time.perf_counter(), time.process_time()
    letters = chars = 0
    for path in files:
        result = process_source(path, path.name)
        letters += len(result.letters)
        chars += sum(len(r.letter["text"]) for r in result.letters)
        writer.add(result)
    writer.flush()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"letters": letters, "files": len(files), "wall_s": wall, "cpu_s": cpu,
            "letters_per_cpu_s": letters / cpu, "letters_per_wall_s": letters / wall,
            "chars_per_letter": chars / max(letters, 1)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--letters", type=int, default=2000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp, "corpus")
        seeds = sorted((ROOT / "samples").glob("*.txt"))
        # the seeds hold 7 letters in 5 files
        files = len(make_corpus(corpus, seeds, max(1, round(args.letters * 5 / 7)), seed=7))
        print(f"corpus: {files} files (seed letters with numbers, dates and names varied)")
        rows = []
        for engine in ("nlpo3", "newmm"):
            r = measure(corpus, Path(tmp, f"out-{engine}"), engine)
            rows.append((engine, r))
            print(f"tokenizer {engine:6}: {r['letters']} letters ({r['chars_per_letter']:.0f} chars each) "
                  f"in {r['cpu_s']:.1f} s CPU / {r['wall_s']:.1f} s wall -> "
                  f"{r['letters_per_cpu_s']:.0f} letters/s per core (CPU), {r['letters_per_wall_s']:.0f} letters/s wall")
        fast, slow = rows[0][1], rows[1][1]
        print(f"nlpo3 / newmm speed-up: {fast['letters_per_cpu_s'] / slow['letters_per_cpu_s']:.2f}x")
        print("target: >= 100 letters/s/core")


if __name__ == "__main__":
    main()
