"""The Parquet contract (shared/spec/OUTPUT.md) as pyarrow schemas.

Names and types here are a public interface: add columns freely, never
rename or drop one without bumping SCHEMA_VERSION. Columns beyond the
contract are marked in EXTENSIONS so the README can say which they are.
"""
from __future__ import annotations

from typing import Any, Iterable

import pyarrow as pa

SCHEMA_VERSION = 1

s, i32, f64, b, d32 = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()
TS = pa.timestamp("us", tz="Asia/Bangkok")
STRINGS = pa.list_(pa.string())

TABLES: dict[str, pa.Schema] = {
    "letters": pa.schema([
        ("letter_id", s), ("source_path", s), ("source_sha256", s), ("segment", i32),
        ("page_start", i32), ("page_end", i32), ("text_source", s), ("ocr_confidence", f64),
        ("form", s), ("ref", s), ("ref_raw", s), ("agency_code", s), ("agency_name", s),
        ("office_code", s), ("ref_number", s), ("is_circular", b), ("date", d32), ("date_raw", s),
        ("urgency", s), ("secrecy", s), ("issuer", s), ("subject", s), ("signatory_name", s),
        ("signatory_position", s), ("text", s), ("warnings", STRINGS),
        # extensions
        ("issuer_address", s), ("char_start", pa.int64()), ("char_end", pa.int64()),
    ]),
    "recipients": pa.schema([("letter_id", s), ("recipient", s), ("role", s), ("position", i32)]),
    "citations": pa.schema([
        ("letter_id", s), ("kind", s), ("ref", s), ("ref_raw", s), ("date", d32),
        ("target_letter_id", s),
        ("date_raw", s),
    ]),
    "enclosures": pa.schema([
        ("letter_id", s), ("position", i32), ("description", s), ("quantity", i32), ("unit", s),
        ("ref", s),
    ]),
    "deadlines": pa.schema([
        ("letter_id", s), ("kind", s), ("date", d32), ("time", s), ("due_at", TS), ("raw", s),
        ("action", s), ("weekday_ok", b),
        ("warnings", STRINGS),
    ]),
    "mentions": pa.schema([("letter_id", s), ("kind", s), ("date", d32), ("raw", s)]),
    "contacts": pa.schema([
        ("letter_id", s), ("kind", s), ("value", s), ("extension", s), ("raw", s), ("person", s),
        ("also_fax", b),
    ]),
    "nodes": pa.schema([
        ("node_id", s), ("kind", s), ("ref", s), ("date", d32), ("agency_code", s), ("label", s),
        ("letter_id", s),
        ("aliases", STRINGS), ("letter_count", i32),
    ]),
    "edges": pa.schema([
        ("src", s), ("dst", s), ("kind", s), ("letter_id", s),
        ("basis", s),
    ]),
    "node_members": pa.schema([
        ("node_id", s), ("mention", s), ("letter_id", s), ("ref", s), ("date", d32),
        ("merge_reason", s), ("detail", s),
    ]),
    "spans": pa.schema([
        ("letter_id", s), ("label", s), ("start", pa.int64()), ("end", pa.int64()), ("value", s),
    ]),
    "errors": pa.schema([("source_path", s), ("stage", s), ("error_type", s), ("message", s)]),
}

# columns and tables added beyond shared/spec/OUTPUT.md, with why
EXTENSIONS: dict[str, str] = {
    "letters.issuer_address": "the letterhead's street address, kept apart from the issuer",
    "letters.char_start": "where the letter starts in its source's normalised text",
    "letters.char_end": "where it ends",
    "citations.date_raw": "the cited date as printed",
    "deadlines.warnings": "checks that failed: weekday mismatch, before the letter's date",
    "contacts.also_fax": "`โทร./โทรสาร`: one number that is both telephone and fax",
    "spans": "table: where each extracted value was read (offsets into letters.text)",
    "nodes.aliases": "other `ref@date` forms merged into this node (OCR slips, the enclosed copy)",
    "nodes.letter_count": "letter rows that are this letter (copies in several files); 0 if external",
    "edges.basis": "how the edge was established: the dst mention's merge_reason, `enclosed_copy`/`file_order` for forwards, `mention` for acts_on",
    "node_members": "table: every mention of a node (its letter rows and the citations naming it) and why it was merged",
}


def to_table(name: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Rows (dicts) to a table with exactly the contract's columns and types."""
    schema = TABLES[name]
    rows = list(rows)
    columns = {f.name: [r.get(f.name) for r in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def empty_table(name: str) -> pa.Table:
    return TABLES[name].empty_table()
