"""A synthetic mailroom: many distinct letters made from a few real ones.

Scale tests and benchmarks need thousands of letters that the pipeline reads
like real ones (same layout, same Thai numerals and month names, same
segmentation), but that are not byte-identical, because identical bytes would
share letter ids and the incremental run would see nothing new. So each copy
of a real seed letter gets other reference numbers, other valid dates and
other signatory names; everything else is the seed's text.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from pipeline.thai.chars import THAI_DIGITS
MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
          "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
FIRST = ["สมชาย", "สมศักดิ์", "วิชัย", "ประเสริฐ", "สุรชัย", "อนุชา", "ธนากร", "ชัยวัฒน์", "กิตติ", "พงศกร"]
LAST = ["ใจดี", "ศรีสุข", "วงศ์ใหญ่", "แก้วมณี", "บุญมา", "สุขสวัสดิ์", "ทองคำ", "รัตนพันธ์", "พรหมมา", "ชัยมงคล"]
TOKEN = re.compile(
    r"(?P<day>[๐-๙]{1,2})(?P<sp>\s*)(?P<month>" + "|".join(MONTHS) + r")"  # day of a month
    r"|(?P<time>[๐-๙]{1,2}\.[๐-๙]{2})(?=\s*น)"  # clock time: ๐๘.๓๐ น.
    r"|(?P<year>๒๕[๐-๙]{2})"  # Buddhist-era year
    r"|(?P<digits>[๐-๙]+)")  # reference numbers, codes, phone numbers, quantities
SIGNATORY = re.compile(r"\((นางสาว|นาย|นาง)([^\s()]+)\s+([^\s()]+)\)")


def thai(number: int, width: int = 0) -> str:
    return "".join(THAI_DIGITS[int(d)] for d in str(number).zfill(width))


def arabic(digits: str) -> int:
    return int("".join(str(THAI_DIGITS.index(d)) for d in digits))


def vary(text: str, rng: random.Random) -> str:
    """The same letter with other numbers, valid dates and times, and other signatory names.

    Years move by one offset per copy and months stay, so the order of the
    letter's dates (a window's start before its end) is kept.
    """
    shift = rng.randint(-6, 1)

    def token(m: re.Match) -> str:
        if m.group("day"):
            return f"{thai(rng.randint(1, 28))}{m.group('sp')}{m.group('month')}"
        if m.group("time"):
            return f"{thai(rng.randint(8, 16), 2)}.{thai(rng.choice([0, 15, 30, 45]), 2)}"
        if m.group("year"):
            return thai(arabic(m.group("year")) + shift)
        digits = m.group("digits")
        return thai(rng.randrange(10 ** len(digits)), len(digits))

    def name(m: re.Match) -> str:
        return f"({m.group(1)}{rng.choice(FIRST)} {rng.choice(LAST)})"

    return SIGNATORY.sub(name, TOKEN.sub(token, text))


def make_corpus(folder: Path, seeds: list[Path], files: int, seed: int = 0, per_folder: int = 500) -> list[Path]:
    """Write `files` varied copies of the seed letters into `folder` (in sub-folders of `per_folder`)."""
    rng = random.Random(seed)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in seeds]
    written = []
    for i in range(files):
        stem, text = texts[i % len(texts)]
        path = Path(folder) / f"box{i // per_folder:03d}" / f"{i:06d}_{stem}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(vary(text, rng), encoding="utf-8")
        written.append(path)
    return written
