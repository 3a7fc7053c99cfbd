"""A reviewer's corrections: the log `OUT/corrections.jsonl`, and applying it to the dataset.

No extractor reads every letter right, and a value a person fixed must stay
fixed: the review app (`pipeline.review`) appends one line per decision to
`OUT/corrections.jsonl`, and every ingest that links the dataset applies the
log again (`apply_corrections`), so a corrected value survives re-runs and
`--force`. The log is the record, the dataset is derived from it:

* **Append-only.** A line is never rewritten; the last line for a
  (letter, field) is the one that counts. Each append is one `write` on an
  `O_APPEND` descriptor under a lock (a thread lock and `flock`, for two
  tabs and two app processes alike), then `fsync`, before the app answers.
* **Crash-tolerant.** A last line cut short by a crash mid-write is read up
  to that line, with a warning, and the next append starts on a new line.
* **Never applied blindly.** A correction names the letter's source and its
  sha256; when the letter is gone from the dataset (its source changed, so
  its letter id did) the correction is *stale*: reported, kept in the
  `corrections` table with its reason, and not applied to whatever the
  source holds now.

The dataset says what was corrected: `letters.corrected_fields` lists the
fields whose value is a reviewer's, and the `corrections` table holds one row
per reviewed field (applied, confirmed or stale) with the extracted value.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import TABLES

LOG_NAME = "corrections.jsonl"
TABLE = "corrections"
TABLE_PART = "part-corrections.parquet"  # one part, replaced whole at every apply (like the graph's)

FORMS = ("external", "internal", "stamped", "order", "announcement", "other")
URGENCIES = ("ด่วนที่สุด", "ด่วนมาก", "ด่วน")
SECRECIES = ("ลับที่สุด", "ลับมาก", "ลับ", "ปกปิด")
ACTIONS = ("correct", "clear", "confirm")

# letter columns that follow from `ref` and are re-derived when a reviewer corrects it
REF_PARTS = ("agency_code", "agency_name", "office_code", "ref_number", "is_circular")


class CorrectionError(ValueError):
    """A correction that cannot be right (unknown field, impossible date …): a message for the user."""


def _text(value: str) -> str:
    """Free text as the contract keeps it: spacing folded, Thai digits Arabic."""
    from pipeline.thai.normalise import clean_value

    return clean_value(value) or ""


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if value not in options:
            raise CorrectionError(f"must be one of {', '.join(options)}, not {value!r}")
        return value
    return check


def _date(value: str) -> str:
    """An ISO date (Common Era) that exists; a Buddhist-era year is a common slip, so it is named."""
    from pipeline.thai.normalise import to_arabic

    value = to_arabic(value.strip())
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise CorrectionError(f"a date is written YYYY-MM-DD (Common Era), not {value!r}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CorrectionError(f"{value} is not a date that exists") from None
    if day.year > 2400:
        raise CorrectionError(f"{value}: the year looks Buddhist-era; write the Common-Era year ({day.year - 543})")
    return day.isoformat()


def _ref(value: str) -> str:
    """A reference in canonical form when it parses as one (`มท ๐๓๐๕.๑/ว ๑๖๖๐` -> `มท 0305.1/ว 1660`)."""
    from extractors.reference import canonical

    return canonical(value) or _text(value)


# the letter fields a reviewer can correct: the header fields the gold format scores, each with
# the check that turns what was typed into the dataset's form of the value (or says why not)
FIELDS: dict[str, Callable[[str], str]] = {
    "form": _choice(FORMS),
    "ref": _ref,
    "date": _date,
    "urgency": _choice(URGENCIES),
    "secrecy": _choice(SECRECIES),
    "issuer": _text,
    "subject": _text,
    "signatory_name": _text,
    "signatory_position": _text,
}


def normalise_value(field_name: str, value: Any) -> str | None:
    """The value to record for `field_name`, in the dataset's form; None clears the field.

    Raises CorrectionError for an unknown field or a value that cannot be right.
    """
    check = FIELDS.get(field_name)
    if check is None:
        raise CorrectionError(f"unknown field {field_name!r}; fields: {', '.join(FIELDS)}")
    if value is None:
        return None
    if not isinstance(value, str):
        raise CorrectionError(f"{field_name}: a value is a string or null, not {type(value).__name__}")
    if not value.strip():
        return None
    try:
        return check(value) or None
    except CorrectionError as exc:
        raise CorrectionError(f"{field_name}: {exc}") from None


def dataset_value(value: Any) -> str | None:
    """A letters value as the log writes it (dates ISO, everything a string)."""
    if value is None or value != value:  # NaN / NaT from pandas
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


@dataclass
class Correction:
    """One line of the log: a reviewer's decision on one field of one letter."""

    letter_id: str
    field: str
    value_before: str | None
    value_after: str | None
    action: str  # correct, clear or confirm (marked right)
    who: str
    saved_at: str  # ISO 8601 with its offset
    source_path: str | None = None
    source_sha256: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Correction":
        missing = {"letter_id", "field", "value_after", "who", "saved_at"} - set(data)
        if missing:
            raise ValueError(f"missing {', '.join(sorted(missing))}")
        defaults = {"value_before": None, "action": "correct"}  # a line written by hand may leave them out
        return cls(**{**defaults, **{k: data[k] for k in cls.__dataclass_fields__ if k in data}})


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="milliseconds")


@dataclass
class LogRead:
    """What reading the log found: the corrections, what was skipped and why, and its fingerprint."""

    corrections: list[Correction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""  # of the bytes read; "" when there is no log


def log_path(out: Path) -> Path:
    return Path(out) / LOG_NAME


def read_log(out: Path) -> LogRead:
    """Every correction in the log, in the order written; bad lines are skipped with a warning.

    A last line with no newline that does not parse is a write a crash cut
    short: everything before it is read, and the warning says so.
    """
    path = log_path(out)
    result = LogRead()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return result
    result.sha256 = hashlib.sha256(data).hexdigest()
    lines = data.split(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            result.corrections.append(Correction.from_json(json.loads(line)))
        except (ValueError, TypeError) as exc:
            if number == len(lines):  # no newline after it: the write was cut short
                result.warnings.append(f"{path}: line {number} is cut short (a crash mid-write?); "
                                       f"read up to line {number - 1}")
            else:
                result.warnings.append(f"{path}: line {number} is not a correction ({exc}); skipped")
    return result


def latest(corrections: list[Correction]) -> dict[tuple[str, str], Correction]:
    """The decision that counts for each (letter, field): the last one written."""
    return {(c.letter_id, c.field): c for c in corrections}


class CorrectionLog:
    """Appends to `OUT/corrections.jsonl`: whole lines, one write, on disk before it returns.

    One instance per app; the thread lock orders its own threads (two tabs
    saving at once), `flock` orders it against another process appending to
    the same file.
    """

    def __init__(self, out: Path):
        self.path = log_path(out)
        self.lock = threading.Lock()

    def append(self, corrections: list[Correction]) -> None:
        if not corrections:
            return
        payload = b"".join(json.dumps(asdict(c), ensure_ascii=False).encode() + b"\n" for c in corrections)
        with self.lock:
            created = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    payload = b"\n" + payload  # a line a crash cut short must not swallow this one
                written = 0
                while written < len(payload):
                    written += os.write(fd, payload[written:])
                os.fsync(fd)
            finally:
                os.close(fd)  # closing drops the flock
            if created:  # the new file's name must survive a power cut too, not only its bytes
                folder = os.open(self.path.parent, os.O_RDONLY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)


@dataclass
class ApplyReport:
    """What applying the log did, for the ingest summary."""

    applied: int = 0  # fields set to a reviewer's value
    confirmed: int = 0  # fields a reviewer marked right, the extraction agreeing
    stale: list[str] = field(default_factory=list)  # one line per correction kept aside
    warnings: list[str] = field(default_factory=list)  # from reading the log
    sha256: str = ""

    def counts(self) -> dict[str, int]:
        return {"applied": self.applied, "confirmed": self.confirmed, "stale": len(self.stale)}

    def lines(self) -> list[str]:
        if not (self.applied or self.confirmed or self.stale or self.warnings):
            return []
        out = [f"corrections: {self.applied} applied, {self.confirmed} confirmed, {len(self.stale)} stale "
               "(see the corrections table)"]
        out += [f"stale correction, kept aside: {line}" for line in self.stale[:10]]
        out += [f"warning: {w}" for w in self.warnings[:10]]
        return out


def _as_column(name: str, values: list[Any]) -> pa.Array:
    kind = TABLES["letters"].field(name).type
    if pa.types.is_date(kind):
        values = [None if v is None else dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]
    return pa.array(values, kind)


def _ref_parts(ref: str | None) -> dict[str, Any]:
    """The letter columns that follow from a reference (null when it does not parse)."""
    from extractors.reference import parse_reference
    from pipeline.thai.normalise import to_arabic

    parsed = parse_reference(to_arabic(ref)) if ref else None
    if parsed is None:
        return dict.fromkeys(REF_PARTS)
    return {"agency_code": parsed.agency_code, "agency_name": parsed.agency_name,
            "office_code": parsed.office_code, "ref_number": parsed.number, "is_circular": parsed.is_circular}


def _with_columns(table: pa.Table, columns: dict[str, list[Any]]) -> pa.Table:
    for name, values in columns.items():
        column = _as_column(name, values) if name != "corrected_fields" else pa.array(values, pa.list_(pa.string()))
        f = TABLES["letters"].field(name)
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), f, column)
        else:
            table = table.append_column(f, column)
    return table


def apply_corrections(out: Path) -> ApplyReport:
    """Set every reviewed field of the dataset's letters to the reviewer's value; record what was done.

    Idempotent: run at every link of the dataset (a re-read letter comes back
    with the extractor's value and gets the reviewer's again); a letters part
    is rewritten (atomically, same name) only when a value in it changes. A
    field marked corrected that the log no longer decides (the log was
    replaced) gets the extractor's value back, so `corrected_fields` never
    claims what no correction says.
    """
    from pipeline.store.write import write_table_file

    out = Path(out)
    log = read_log(out)
    report = ApplyReport(warnings=log.warnings, sha256=log.sha256)
    by_letter: dict[str, dict[str, Correction]] = {}
    for (lid, name), c in latest(log.corrections).items():
        if name in FIELDS:
            by_letter.setdefault(lid, {})[name] = c
    previous = _previous_rows(out)
    rows: list[dict[str, Any]] = []
    found: set[str] = set()
    sources: dict[str, str] = {}  # source_path -> sha256 now in the dataset, for stale reasons
    for part in sorted((out / "letters").glob("part-*.parquet")):
        columns = [c for c in ("letter_id", "source_path", "source_sha256", "corrected_fields")
                   if c in pq.read_schema(part).names]
        ids = pq.read_table(part, columns=columns).to_pylist()
        for r in ids:
            sources[str(r["source_path"])] = str(r["source_sha256"])
        if not any(r["letter_id"] in by_letter or r.get("corrected_fields") for r in ids):
            continue
        table = pq.read_table(part)
        letters = table.to_pylist()
        changed: dict[str, list[Any]] = {}

        def put(at: int, name: str, value: Any) -> None:
            changed.setdefault(name, [dataset_value(x.get(name)) for x in letters])[at] = value
            if name == "ref":  # the reference's parts follow it
                for part_name, part_value in _ref_parts(value).items():
                    changed.setdefault(part_name, [x.get(part_name) for x in letters])[at] = part_value

        for at, letter in enumerate(letters):
            lid = letter["letter_id"]
            mine = by_letter.get(lid, {})
            found.update([lid] if mine else [])
            was_corrected = set(letter.get("corrected_fields") or [])
            corrected = []
            for name in sorted(was_corrected - set(mine)):  # undecided now: the extractor's value back
                put(at, name, previous.get((lid, name), {}).get("value_extracted"))
            for name, c in mine.items():
                current = dataset_value(letter.get(name))
                already = name in was_corrected
                if current != c.value_after:
                    put(at, name, c.value_after)
                applied = already or current != c.value_after
                corrected += [name] if applied else []
                report.applied += applied
                report.confirmed += not applied
                extracted = previous.get((lid, name), {}).get("value_extracted") if already else current
                rows.append({**asdict(c), "value_extracted": extracted,
                             "status": "applied" if applied else "confirmed", "reason": None})
            if sorted(corrected) != sorted(was_corrected):
                changed.setdefault("corrected_fields", [x.get("corrected_fields") for x in letters])[at] = \
                    sorted(corrected) or None
        if changed:
            write_table_file(_with_columns(table, changed), part)
    for lid, mine in by_letter.items():
        if lid in found:
            continue
        for c in mine.values():
            now = sources.get(str(c.source_path))
            if now is not None and now != c.source_sha256:
                reason = f"{c.source_path} changed since the review (sha256 {str(c.source_sha256)[:12]} -> {now[:12]})"
            else:
                reason = f"letter {lid} ({c.source_path}) is no longer in the dataset"
            report.stale.append(f"{c.field} of {reason}")
            rows.append({**asdict(c), "value_extracted": None, "status": "stale", "reason": reason})
    write_table_file(_corrections_table(rows), out / TABLE / TABLE_PART)
    return report


def _previous_rows(out: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The corrections table as the last apply left it: the extracted values a letters part no
    longer holds (it holds the reviewer's)."""
    path = Path(out) / TABLE / TABLE_PART
    if not path.exists():
        return {}
    return {(r["letter_id"], r["field"]): r for r in pq.read_table(path).to_pylist()}


def _corrections_table(rows: list[dict[str, Any]]) -> pa.Table:
    for row in rows:
        when = row.get("saved_at")
        try:
            row["saved_at"] = dt.datetime.fromisoformat(when) if isinstance(when, str) else None
        except ValueError:
            row["saved_at"] = None
    rows.sort(key=lambda r: (r["letter_id"], r["field"]))
    return pa.Table.from_pylist(rows, schema=TABLES[TABLE])


def fingerprint(out: Path) -> str:
    """The log's sha256 ("" without one): an ingest applies the log again when it changed."""
    try:
        return hashlib.sha256(log_path(out).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""
