"""A generated corpus for benchmarks: the real seed letters with their numbers, dates and names varied.

Each file keeps a real letter's structure and vocabulary (so every stage does
its real work) but gets new reference numbers, days, Buddhist-era years and
people, so nothing downstream can win by caching identical text.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from pipeline.normalise import THAI_DIGITS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "samples").glob("*.txt"))

_THAI = str.maketrans("0123456789", THAI_DIGITS)
_REF_NUMBER = re.compile(r"(/\s?ว?\s?)([๐-๙]{2,6})")
_DAY_MONTH = re.compile(r"(?<![๐-๙\d])([๐-๙]{1,2})(\s+(?:มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม))")
_YEAR = re.compile(r"๒๕[๕๖][๐-๙]")
_PERSON = re.compile(r"(นางสาว|นาง|นาย)([ก-๙]{2,})\s([ก-๙]{2,})")


def _names() -> tuple[list[str], list[str]]:
    try:
        from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

        first = sorted(thai_male_names() | thai_female_names())
        last = sorted(thai_family_names())
        return first[:5000], last[:5000]
    except Exception:
        return ["สมชาย", "สมศรี", "ประยูร"], ["ใจดี", "แสงทอง", "รัตนเสนีย์"]


def vary(text: str, rng: random.Random, first: list[str], last: list[str]) -> str:
    text = _REF_NUMBER.sub(lambda m: m.group(1) + str(rng.randint(1, 99999)).translate(_THAI), text)
    text = _DAY_MONTH.sub(lambda m: str(rng.randint(1, 28)).translate(_THAI) + m.group(2), text)
    shift = rng.randint(-3, 2)
    text = _YEAR.sub(lambda m: str(int(m.group(0).translate(str.maketrans(THAI_DIGITS, "0123456789"))) + shift).translate(_THAI), text)
    return _PERSON.sub(lambda m: f"{m.group(1)}{rng.choice(first)} {rng.choice(last)}", text)


def generate(folder: Path, letters: int, seed: int = 7) -> int:
    """Write files until they hold at least `letters` letters; returns the file count."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    first, last = _names()
    bases = [(p.read_text(encoding="utf-8"), 2 if p.name[:3] in ("000", "004") else 1) for p in SEEDS]
    made = files = 0
    while made < letters:
        text, count = bases[files % len(bases)]
        (folder / f"gen_{files:06d}.txt").write_text(vary(text, rng, first, last), encoding="utf-8")
        made += count
        files += 1
    return files
