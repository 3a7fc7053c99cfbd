"""Benchmark: directive-graph build over a generated archive of 100,000 letters.

`python -m benchmarks.bench_graph [--letters N]` writes a dataset of part
files the way ingest does (letters, citations, mentions, 2,000 letters a
part), then runs `pipeline.link.graph.link_dataset` in a fresh process and prints
its wall time and peak memory (the child's maximum resident set size, so
Arrow's buffers count too, not only Python objects).

The archive has the shape the graph is for: families of a ministry letter, a
department letter citing it, a province letter enclosing it with the copy
printed in the same file, and a district letter citing the province; 5% of
citations carry an OCR digit slip, 2% of copies an agency slip, and every
letter acts on a cabinet resolution, a policy or a meeting.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pipeline.store.write import write_table_file
from schemas.tables import to_table

MINISTRIES = ["มท", "กค", "ศธ", "สธ", "กษ", "พณ", "รง", "ทส", "คค", "อก", "นร", "กต"]
PROVINCES = ["สน", "สค", "ชม", "ขก", "นม", "ปน", "ลป", "สข", "อบ", "อด", "ชร", "พล", "นว", "รบ", "กจ", "นศ"]
SUBJECT_WORDS = ["การขับเคลื่อน", "นโยบาย", "ศูนย์ราชการสะดวก", "การประเมิน", "มาตรฐาน", "การรายงาน",
                 "การอบรม", "การจัดส่ง", "แบบสำรวจ", "งบประมาณ", "การเตรียมความพร้อม", "การป้องกัน"]
PART_LETTERS = 2000


def _slip(number: str, rng: random.Random) -> str:
    i = rng.randrange(len(number))
    other = rng.choice([d for d in "0123456789" if d != number[i]])
    return number[:i] + other + number[i + 1:]


def generate(out: Path, letters: int, seed: int = 4) -> dict[str, int]:
    """Write letters/citations/mentions part files for about `letters` letter rows."""
    rng = random.Random(seed)
    counters: dict[tuple[str, str, int], int] = {}
    buffers: dict[str, list[dict[str, Any]]] = {"letters": [], "citations": [], "mentions": []}
    counts = {"letters": 0, "citations": 0, "mentions": 0, "files": 0}
    parts = 0
    start = date(2014, 1, 1)

    def ref(agency: str, office: str, day: date) -> tuple[str, str]:
        key = (agency, office, day.year)
        counters[key] = counters.get(key, 0) + rng.randint(1, 6)
        return f"{agency} {office}/ว {counters[key]}", str(counters[key])

    def letter(source: str, segment: int, ref_: str, day: date, subject: str | None = None) -> str:
        letter_id = f"{source}:{segment}"
        subject = subject or " ".join(rng.sample(SUBJECT_WORDS, 4))
        buffers["letters"].append({"letter_id": letter_id, "source_path": source, "source_sha256": source,
                                   "segment": segment, "ref": ref_, "date": day, "issuer": source.split("/")[0],
                                   "subject": subject})
        kind = rng.choice(["cabinet_resolution", "policy", "meeting"])
        buffers["mentions"].append({"letter_id": letter_id, "kind": kind,
                                    "date": start + timedelta(days=rng.randrange(0, 3650))})
        return letter_id

    def cite(letter_id: str, kind: str, ref_: str, day: date) -> None:
        buffers["citations"].append({"letter_id": letter_id, "kind": kind, "ref": ref_, "ref_raw": ref_, "date": day})

    def flush() -> None:
        nonlocal parts
        for name, rows in buffers.items():
            if rows:
                write_table_file(to_table(name, rows), out / name / f"part-bench-{parts:05d}.parquet")
                counts[name] += len(rows)
                rows.clear()
        parts += 1

    family = 0
    while counts["letters"] + len(buffers["letters"]) < letters:
        family += 1
        day = start + timedelta(days=rng.randrange(0, 3650))
        ministry = rng.choice(MINISTRIES)
        m_ref, _ = ref(ministry, f"0{rng.randint(200, 260)}", day)
        d_day, p_day, a_day = day + timedelta(days=rng.randint(1, 10)), day + timedelta(days=rng.randint(11, 20)), \
            day + timedelta(days=rng.randint(21, 40))
        d_ref, d_num = ref(ministry, f"0{rng.randint(800, 830)}.{rng.randint(1, 9)}", d_day)
        province = rng.choice(PROVINCES)
        p_ref, p_num = ref(province, f"00{rng.randint(17, 23)}.{rng.randint(1, 6)}", p_day)
        a_ref, _ = ref(province, f"0{rng.randint(300, 399)}", a_day)
        letter(f"m/{family}", 0, m_ref, day)
        d_id = letter(f"d/{family}", 0, d_ref, d_day)
        cite(d_id, "cites", m_ref, day)
        p_id = letter(f"p/{family}", 0, p_ref, p_day)
        cite(p_id, "encloses", d_ref, d_day)
        copy_ref = d_ref.replace(ministry, "นท", 1) if ministry == "มท" and rng.random() < 0.02 else d_ref
        copy_id = letter(f"p/{family}", 1, copy_ref, d_day, buffers["letters"][-2]["subject"])
        cite(copy_id, "cites", m_ref, day)
        a_id = letter(f"a/{family}", 0, a_ref, a_day)
        cited = p_ref if rng.random() >= 0.05 else p_ref[: -len(p_num)] + _slip(p_num, rng)
        cite(a_id, "cites", cited, p_day)
        counts["files"] += 4
        if len(buffers["letters"]) >= PART_LETTERS:
            flush()
    flush()
    return counts


def child(out: Path) -> None:
    """Run in a fresh process: the link stage alone, so its peak memory is its own."""
    from pipeline.link.graph import link_dataset

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    link_dataset(out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak / 1024,
                      "baseline_rss_mb": baseline / 1024}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_graph", description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--out", type=Path, help="keep the generated dataset here (default: a temporary folder)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_graph_"))
    try:
        started = time.perf_counter()
        counts = generate(out, args.letters)
        generated = time.perf_counter() - started
        run = subprocess.run([sys.executable, "-m", "benchmarks.bench_graph", "--child", str(out)],
                             capture_output=True, text=True, check=True)
        result = json.loads(run.stdout.strip().splitlines()[-1])
        import pyarrow.parquet as pq

        nodes, edges = pq.read_table(out / "nodes"), pq.read_table(out / "edges")
        reasons = pq.read_table(out / "node_members", columns=["merge_reason"]).column(0).value_counts().to_pylist()
        print(f"graph build: {counts['letters']:,} letters, {counts['citations']:,} citations, "
              f"{counts['mentions']:,} mentions in {counts['files']:,} files (generated in {generated:.1f} s)")
        print(f"  {result['seconds']:.1f} s wall ({result['cpu_seconds']:.1f} s CPU: wall grows on a shared machine), peak memory {result['peak_rss_mb']:.0f} MB RSS "
              f"(interpreter and imports {result['baseline_rss_mb']:.0f} MB)")
        print(f"  {nodes.num_rows:,} nodes, {edges.num_rows:,} edges; merges: "
              + ", ".join(f"{r['values']} {r['counts']:,}" for r in reasons))
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
