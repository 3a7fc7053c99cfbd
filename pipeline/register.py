"""The incoming register (ทะเบียนหนังสือรับ) of a dataset: one row per received letter.

A Thai office records every letter it receives in the register the
correspondence regulation prescribes (its columns, in order, are in
`pipeline/data/register.json`). This module turns a dataset into those rows,
written as a clerk writes them; `circulars register` saves them as a
spreadsheet or CSV. The rules, and why:

- **What was received is a file.** A source file is one item that reached
  the office: when it holds a chain (a province's covering letter, then the
  ministry's letter it forwards), the office received the covering letter, so
  the register has one row per file, for its first letter (the outermost one:
  its page carries this office's stamp), and the letters it forwards are named
  in หมายเหตุ (`พร้อมหนังสือ มท ๐๓๐๕.๑/ว ๑๖๖๐ ลว. ๑๘ ม.ค. ๒๕๖๗`).
- **The number and the date received come from the receipt stamp** (the
  dataset's `receipts` table): the stamp of the covering letter, or an
  unattributed stamp on its pages. A stamp printed on a forwarded letter is
  the stamp of the office that forwarded it, not this office's, and is not
  used. Where the covering letter has several stamps, the readable one highest
  on the first page is the register's and the others go to หมายเหตุ. Rows are in
  the order of receipt (date, time, number); a letter with no stamp gets no
  number (หมายเหตุ: ไม่พบตรารับ) and comes after the stamped ones, by its date.
- **A dataset with no receipt stamp at all** (no `receipts` table: ingested
  before stamps were read; or an empty one) has empty receipt columns, and the
  number is the row's place in the register ordered by the letters' dates
  (then file names), from 1: a running number for this listing, not a
  registered one. Once any stamp is read, numbers are the stamps' only, so a
  running number can never collide with a registered one.
- **Dates in the Buddhist era, digits in Thai** (`๑๘ ม.ค. ๒๕๖๗`, `มท ๐๓๐๕.๑/ว ๑๖๖๐`),
  as the regulation has clerks write; `thai_digits=False` gives Arabic digits.
  A date whose day is handwritten (`date_partial`) is written without its day.
- จาก is the letter's issuer (else its agency), ถึง its addressees (`to`
  recipients, not the distribution list), ที่ its reference (else the printed
  part of a handwritten one), การปฏิบัติ is left for the clerk.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.thai.normalise import TO_ARABIC

LAYOUT_FILE = "data/register.json"
RECEIPTS = "receipts"  # the table of receipt stamps, when the dataset has one
LETTER_COLUMNS = ["letter_id", "source_path", "segment", "page_start", "page_end", "ref", "ref_partial",
                  "date", "date_partial", "issuer", "agency_name", "subject"]
TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@lru_cache(maxsize=1)
def layout() -> dict[str, Any]:
    """The register's columns, sheet name, font and หมายเหตุ phrases (`data/register.json`)."""
    with resources.files("pipeline").joinpath(LAYOUT_FILE).open(encoding="utf-8") as handle:
        return json.load(handle)


def headers() -> list[str]:
    return [c["header"] for c in layout()["columns"]]


@dataclass
class Stamp:
    """One receipt stamp as the `receipts` table gives it."""

    number: str | None
    date: dt.date | None
    time: str | None
    page: int | None
    box: list[int] | None
    letter_id: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Stamp":
        return cls(number=(row.get("number") or "").strip() or None, date=row.get("date"),
                   time=row.get("time"), page=row.get("page"), box=row.get("box"),
                   letter_id=row.get("letter_id"))

    def place(self) -> tuple:
        """Readable first, then page, then highest on the page, then leftmost."""
        box = self.box or [0, 0, 0, 0]
        return (self.number is None, self.date is None, self.page or 0, box[1], box[0])


@dataclass
class Entry:
    """A received item: its covering letter, the letters it forwards, its stamps."""

    letter: dict[str, Any]
    addressees: list[str]
    forwarded: list[dict[str, Any]] = field(default_factory=list)
    stamps: list[Stamp] = field(default_factory=list)

    @property
    def stamp(self) -> Stamp | None:
        return self.stamps[0] if self.stamps else None

    def order(self) -> tuple:
        """The order of receipt: stamped first by date, time and number, then by letter date."""
        s = self.stamp or Stamp(None, None, None, None, None, None)
        date = self.letter.get("date")
        return (s.date is None, s.date or dt.date.min, s.time or "", _number_key(s.number),
                date is None, date or dt.date.min, str(self.letter.get("source_path")))


def _number_key(number: str | None) -> tuple:
    """เลขรับ sorts as a number where it is one (๙ before ๑๐), else as text."""
    if number is None:
        return (2, 0, "")
    plain = number.translate(TO_ARABIC)
    return (0, int(plain), "") if plain.isdigit() else (1, 0, plain)


def entries(out: str | Path) -> tuple[list[Entry], bool]:
    """The dataset's received items in register order, and whether any receipt stamp was read
    (a `receipts` table with rows: an older dataset has none, and a table of no rows tells no
    more than no table)."""
    from pipeline.api import open_dataset

    ds = open_dataset(out)
    letters = ds.arrow("letters", columns=LETTER_COLUMNS).to_pylist()
    to: dict[str, list[tuple[int, str]]] = {}
    for r in ds.arrow("recipients", columns=["letter_id", "recipient", "role", "position"]).to_pylist():
        if r["role"] == "to" and r["recipient"]:
            to.setdefault(r["letter_id"], []).append((r["position"] or 0, r["recipient"]))
    by_source: dict[str, list[dict[str, Any]]] = {}
    for letter in letters:
        by_source.setdefault(str(letter["source_path"]), []).append(letter)
    receipts = ds.arrow(RECEIPTS).to_pylist() if RECEIPTS in ds.tables and ds.files(RECEIPTS) else []
    stamps: dict[str, list[Stamp]] = {}
    for row in receipts:
        stamps.setdefault(str(row.get("source_path")), []).append(Stamp.from_row(row))
    found = []
    for source, chain in by_source.items():
        chain.sort(key=lambda l: l["segment"] or 0)
        cover = chain[0]
        found.append(Entry(letter=cover, addressees=[name for _, name in sorted(to.get(cover["letter_id"], []))],
                           forwarded=chain[1:], stamps=_own_stamps(cover, stamps.get(source, []))))
    found.sort(key=Entry.order)
    return found, bool(receipts)


def _own_stamps(cover: dict[str, Any], stamps: list[Stamp]) -> list[Stamp]:
    """The covering letter's stamps: attributed to it, or unattributed on its pages."""
    first, last = cover.get("page_start"), cover.get("page_end")

    def on_its_pages(s: Stamp) -> bool:
        return first is None or s.page is None or first <= s.page <= (last or first)

    own = [s for s in stamps if s.letter_id == cover["letter_id"]]
    own += [s for s in stamps if s.letter_id is None and on_its_pages(s)]
    return sorted(own, key=Stamp.place)


def thai_date(date: dt.date | None, partial: str | None = None) -> str:
    """`18 ม.ค. 2567`: day, abbreviated month, Buddhist-era year, as a register is written.

    `partial` (`YYYY-MM`, a date whose day is handwritten) gives `ม.ค. 2567`.
    Digits are Arabic here; `digits` makes them Thai.
    """
    from pythainlp.util import thai_strftime

    if date is not None:
        return thai_strftime(dt.datetime.combine(date, dt.time()), "%-d %b %Y")
    if partial:
        try:
            year, month = (int(p) for p in partial.split("-")[:2])
            return thai_strftime(dt.datetime(year, month, 1), "%b %Y")
        except ValueError:
            return ""
    return ""


def digits(text: str, thai: bool) -> str:
    return text.translate(TO_THAI) if thai else text.translate(TO_ARABIC)


def rows(out: str | Path, *, thai_digits: bool = True) -> list[dict[str, str]]:
    """The register: one dict per received letter, keyed by the layout's column `key`s,
    plus `letter_id` and `source_path` (not register columns: for tracing a row back)."""
    found, has_receipts = entries(out)
    phrases = layout()["remarks"]
    result = []
    for place, entry in enumerate(found, start=1):
        letter, stamp = entry.letter, entry.stamp
        remarks = []
        if has_receipts and stamp is None:
            remarks.append(phrases["no_stamp"])
        elif stamp is not None:
            if stamp.number is None:
                remarks.append(phrases["number_unreadable"])
            if stamp.date is None:
                remarks.append(phrases["date_unreadable"])
        for other in entry.stamps[1:]:
            remarks.append(phrases["other_stamp"].format(number=other.number or "-",
                                                         received=thai_date(other.date) or "-"))
        for inner in entry.forwarded:
            ref = inner.get("ref") or inner.get("ref_partial")
            if ref:
                date = thai_date(inner.get("date"), inner.get("date_partial"))
                remarks.append(phrases["forwarded"].format(ref=ref, date=date) if date
                               else phrases["forwarded_no_date"].format(ref=ref))
        if has_receipts:
            number = stamp.number if stamp else None
        else:
            number = str(place)
        values = {
            "number": number or "",
            "received": thai_date(stamp.date) if stamp else "",
            "ref": letter.get("ref") or letter.get("ref_partial") or "",
            "date": thai_date(letter.get("date"), letter.get("date_partial")),
            "from": letter.get("issuer") or letter.get("agency_name") or "",
            "to": ", ".join(entry.addressees),
            "subject": letter.get("subject") or "",
            "action": "",
            "remarks": phrases["separator"].join(remarks),
        }
        row = {key: digits(value, thai_digits) for key, value in values.items()}
        row.update(letter_id=str(letter["letter_id"]), source_path=str(letter["source_path"]))
        result.append(row)
    return result
