#!/usr/bin/env python3
"""Letters dense in dates, for measuring the OCR stage's last check (pipeline.ocr.plausibility).

The seed letters hold some 60 dates, and on their rendered scans the digit pass
reads every one right, so the check meets nothing to do there. These letters
are reference lines of the seeds' shape, each with a date that exists and a
year near the page's (the check's premise), so that on hard scans
(tools/digit_errors.py --texts DIR --render "--dpi 150") the dates a misread
makes implausible, and what the check does with them, can be counted:

    python tools/date_pages.py /tmp/date-pages [--letters 6]
"""
from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def letter(seed: int) -> str:
    """A letter date, then 30 lines citing letters of its year or the two before."""
    rng = random.Random(seed)
    data = json.loads((ROOT / "extractors" / "data" / "months.json").read_text(encoding="utf-8"))
    names = {e["month"]: e["names"] for e in data["months"]}
    codes = [e["code"] for e in json.loads((ROOT / "extractors" / "data" / "agencies.json")
                                           .read_text(encoding="utf-8"))["agencies"]]

    def th(n: int) -> str:
        return str(n).translate(THAI)

    def date(year: int) -> str:
        month = rng.randint(1, 12)
        day = rng.randint(1, calendar.monthrange(year - 543, month)[1])
        if rng.random() < 0.2:  # abbreviated, two-digit year: ๑๘ ม.ค. ๖๗
            return f"{th(day)} {names[month][1]} {th(year % 100)}"
        return f"{th(day)} {names[month][0]} {th(year)}"

    own = rng.choice([2566, 2567, 2568])
    lines = [date(own), ""]
    for _ in range(30):
        lines.append(f"อ้างถึง หนังสือ ที่ {rng.choice(codes)} {th(rng.randint(1000, 9999))}.{th(rng.randint(1, 9))}"
                     f"/ว {th(rng.randint(1, 9999))} ลงวันที่ {date(own - rng.choice([0, 0, 0, 1, 2]))}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--letters", type=int, default=6)
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for i in range(a.letters):
        (a.out / f"dates_{i:02d}.txt").write_text(letter(i), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
