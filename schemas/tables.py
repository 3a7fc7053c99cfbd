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
        ("issuer_address", s), ("char_start", pa.int64()), ("char_end", pa.int64()), ("subject_raw", s),
        ("ref_partial", s), ("date_partial", s), ("corrected_fields", STRINGS),
    ]),
    "recipients": pa.schema([("letter_id", s), ("recipient", s), ("role", s), ("position", i32),
                             ("recipient_raw", s)]),
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
        ("deadline_id", s), ("actor", s), ("actor_source", s), ("letter_ref", s),
        ("window_start_at", TS), ("window_end_at", TS),
        ("base", s), ("base_date", d32), ("base_date_source", s), ("base_raw", s),
        ("period", i32), ("period_unit", s), ("rrule", s),
        ("chain", s), ("source_letter_id", s), ("upstream_letter_id", s),
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
        ("source_start", pa.int64()), ("source_end", pa.int64()),
    ]),
    "errors": pa.schema([("source_path", s), ("stage", s), ("error_type", s), ("message", s)]),
    "receipts": pa.schema([
        ("source_path", s), ("letter_id", s), ("number", s), ("date", d32), ("time", s), ("raw", s),
        ("page", i32), ("box", pa.list_(i32)), ("confidence", f64),
    ]),
    "corrections": pa.schema([
        ("letter_id", s), ("field", s), ("value_before", s), ("value_after", s), ("action", s), ("who", s),
        ("saved_at", TS), ("source_path", s), ("source_sha256", s), ("value_extracted", s), ("status", s),
        ("reason", s),
    ]),
}

# deadlines stated as a rule rather than a printed date: `relative` and `recurring`
TABLES["deadline_rules"] = TABLES["deadlines"]

# columns and tables added beyond shared/spec/OUTPUT.md, with why
EXTENSIONS: dict[str, str] = {
    "letters.issuer_address": "the letterhead's street address, kept apart from the issuer",
    "letters.char_start": "where the letter starts in its source's normalised text",
    "letters.char_end": "where it ends",
    "letters.subject_raw": "the subject as printed (Thai digits kept)",
    "letters.ref_partial": "the printed part of a reference whose number is handwritten or unreadable (`พท 0017.2/ว`); `ref` is then null",
    "letters.date_partial": "`YYYY-MM` (Common Era) of a date whose day is handwritten or unreadable; `date` is then null",
    "letters.corrected_fields": "fields whose value is a reviewer's correction (`OUT/corrections.jsonl`, applied at every ingest), not the extractor's; null when none",
    "recipients.recipient_raw": "the addressee or list entry as printed",
    "citations.date_raw": "the cited date as printed",
    "deadlines.warnings": "checks that failed: weekday mismatch, before the letter's date, impossible date (then `date` is null)",
    "deadlines.deadline_id": "stable id of the deadline (letter, kind, date or rule): the calendar UID, an upsert key",
    "deadlines.actor": "who must act: named in the sentence (`ให้ที่ทำการปกครองอำเภอ…`), else the addressees",
    "deadlines.actor_source": "`sentence`, `lead_in` (the `… ดังนี้` before numbered items) or `addressees`",
    "deadlines.letter_ref": "the setting letter's reference, so a feed row stands alone",
    "deadlines.window_start_at": "on both rows of a window: when it opens",
    "deadlines.window_end_at": "on both rows of a window: when it closes",
    "deadlines.base": "what a relative deadline counts from: `receipt`, `letter_date`, `event`, `unstated`; `fiscal_year`/`month` for recurring",
    "deadlines.base_date": "the base's date when known (then `date` = base_date + period)",
    "deadlines.base_date_source": "`receipt_stamp`, `letter_date` or `printed`",
    "deadlines.base_raw": "the receipt stamp as printed, when the base came from it",
    "deadlines.period": "relative: the span (7 of `ภายใน ๗ วัน`); recurring: the cycle",
    "deadlines.period_unit": "`day`, `working_day`, `week`, `month`, `year`",
    "deadlines.rrule": "recurring: RFC 5545 RRULE of the cycle",
    "deadlines.chain": "`restated` (repeats a deadline of the letter it forwards or cites) or `internal` (set ahead of that letter's deadline)",
    "deadlines.source_letter_id": "restated: the letter whose deadline this repeats",
    "deadlines.upstream_letter_id": "restated or internal: the upstream letter in the chain",
    "deadline_rules": "table, same columns as deadlines: `relative` and `recurring` deadlines (date computed where the base is known, else null)",
    "contacts.also_fax": "`โทร./โทรสาร`: one number that is both telephone and fax",
    "spans": "table: where each extracted value was read (offsets into letters.text, and source_start/source_end into the source's text as read)",
    "nodes.aliases": "other `ref@date` forms merged into this node (OCR slips, the enclosed copy)",
    "nodes.letter_count": "letter rows that are this letter (copies in several files); 0 if external",
    "edges.basis": "how the edge was established: the dst mention's merge_reason, `enclosed_copy`/`file_order` for forwards, `mention` for acts_on",
    "receipts": "table: receipt stamps (ตรารับหนังสือ) found on scanned pages and kept out of the letters' text: the letter stamped, the receipt number, date and time where OCR reads them with certainty (else null, with `raw`), the page, the frame's `box` (x0, y0, x1, y1 in pixels at the page's OCR resolution) and tesseract's mean word `confidence`",
    "node_members": "table: every mention of a node (its letter rows and the citations naming it) and why it was merged",
    "corrections": "table: one row per reviewed field, from `OUT/corrections.jsonl` (`circulars review`): `status` `applied` (the value is the reviewer's; `value_extracted` is the extractor's), `confirmed` (marked right) or `stale` (the letter's source changed since the review: kept aside, not applied; `reason` says why)",
}


def to_table(name: str, rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Rows (dicts) to a table with exactly the contract's columns and types."""
    schema = TABLES[name]
    rows = list(rows)
    columns = {f.name: [r.get(f.name) for r in rows] for f in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def empty_table(name: str) -> pa.Table:
    return TABLES[name].empty_table()
