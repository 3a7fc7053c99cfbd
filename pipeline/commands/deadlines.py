"""`circulars deadlines OUT`: what must be done by when, across every letter in a dataset.

A district office does not read circulars one by one to find its deadlines;
it wants one list, soonest first, with the overdue ones marked, and a
calendar its staff already use. This command serves `pipeline.link.deadline_chains.feed`
four ways: a table to read, JSON and CSV for other systems, and an RFC 5545
calendar (`--format ics`) built with the `icalendar` library, one VEVENT per
deadline (a window is one event from its opening to its close), times in
Asia/Bangkok, UIDs from `deadline_id` so importing a newer export updates the
events instead of adding copies.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Iterable, TextIO

FIELDS = ["deadline_id", "status", "days_left", "kind", "date", "time", "due_at", "window_start_at",
          "window_end_at", "actor", "actor_source", "action", "ref", "letter_date", "subject", "issuer",
          "agency_code", "letter_id", "raw", "base", "base_date", "base_date_source", "period",
          "period_unit", "rrule", "chain", "source_letter_id", "upstream_letter_id", "weekday_ok",
          "warnings"]
UID_DOMAIN = "thai-circulars"
TABLE_ACTION_CHARS = 140
KIND_LABEL = {"due": "กำหนดส่ง", "window": "ช่วงเวลา", "window_start": "เริ่ม", "window_end": "สิ้นสุด",
              "relative": "กำหนด (นับระยะเวลา)", "recurring": "ทุกรอบ"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deadlines", help="deadlines across the dataset: table, JSON, CSV or calendar (.ics)",
                       description="List every deadline in the dataset in OUT, soonest first, overdue "
                                   "ones marked: printed dates, windows, relative deadlines (dated from "
                                   "the receipt stamp or the letter's date) and recurring ones. Each "
                                   "comes with who must act and the letter's reference, subject and issuer.",
                       epilog="example: circulars deadlines out --from 2024-02-01 --actor อำเภอ --format ics > due.ics")
    p.add_argument("out", type=Path, metavar="OUT", help="dataset folder written by `circulars ingest`")
    p.add_argument("--from", dest="start", type=_date, metavar="DATE",
                   help="only deadlines due on or after DATE (YYYY-MM-DD or a Thai date)")
    p.add_argument("--to", dest="end", type=_date, metavar="DATE", help="only deadlines due on or before DATE")
    p.add_argument("--agency", metavar="CODE", help="only letters of this agency (reference letters: มท, สน …)")
    p.add_argument("--actor", metavar="TEXT", help="only deadlines whose actor (or addressee) contains TEXT")
    p.add_argument("--hide-restated", action="store_true",
                   help="leave out deadlines a covering letter only repeats from a letter in the dataset "
                        "(the upstream letter's own row stays): one calendar event per real deadline")
    p.add_argument("--format", choices=["table", "json", "csv", "ics"], default="table")
    p.add_argument("--today", type=_date, metavar="DATE",
                   help="the day overdue is counted from (default: today in Asia/Bangkok)")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=run)


def _date(text: str) -> dt.date:
    """ISO dates for scripts, Thai dates (`๒๗ ก.พ. ๒๕๖๗`) for people who copy them from a letter."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from extractors.thaidate import parse_date

        found = parse_date(text)
        if found is None:
            raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)")
        return found


def select(entries: Iterable[dict[str, Any]], *, start: dt.date | None = None, end: dt.date | None = None,
           agency: str | None = None, actor: str | None = None, hide_restated: bool = False) -> list[dict[str, Any]]:
    """The entries the filters keep. A window is kept when it overlaps [start, end]; an
    undated rule only when no date range is asked for (it cannot be placed in one)."""
    kept = []
    for e in entries:
        if hide_restated and e.get("chain") == "restated":
            continue
        if agency and (e.get("agency_code") or "").replace(".", "") != agency.replace(".", ""):
            continue
        if actor and actor.casefold() not in (e.get("actor") or "").casefold():
            continue
        due = e.get("due_at")
        if due is None:
            if start or end:
                continue
        else:
            first = e["window_start_at"].date() if e["kind"] == "window" and e.get("window_start_at") else due.date()
            if start and due.date() < start:
                continue
            if end and first > end:
                continue
        kept.append(e)
    return kept


def run(args: argparse.Namespace) -> int:
    from pipeline.commands import EXIT_OK, EXIT_USAGE
    from pipeline.link.deadline_chains import feed

    if not (args.out / "letters").is_dir():
        print(f"circulars: {args.out} is not a dataset (no letters table): run `circulars ingest` first",
              file=sys.stderr)
        return EXIT_USAGE
    entries = select(feed(args.out, today=args.today), start=args.start, end=args.end,
                     agency=args.agency, actor=args.actor, hide_restated=args.hide_restated)
    if args.format == "ics":
        data = to_ics(entries)
        if args.output:
            args.output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return EXIT_OK
    handle = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        {"json": write_json, "csv": write_csv, "table": write_table}[args.format](entries, handle)
    finally:
        if args.output:
            handle.close()
    return EXIT_OK


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def records(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries as JSON-ready dicts with the feed's fields, in a fixed order."""
    return [{f: _plain(e.get(f)) for f in FIELDS} for e in entries]


def write_json(entries: list[dict[str, Any]], out: TextIO) -> None:
    json.dump(records(entries), out, ensure_ascii=False, indent=1)
    out.write("\n")


def write_csv(entries: list[dict[str, Any]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in records(entries):
        row["warnings"] = "; ".join(row["warnings"] or [])
        writer.writerow(row)


def _when(e: dict[str, Any]) -> str:
    due = e.get("due_at")
    if due is None:
        return e.get("rrule") or "-"
    text = due.strftime("%Y-%m-%d") + (f" {e['time']}" if e.get("time") else "")
    if e["kind"] == "window" and e.get("window_start_at"):
        text = f"{e['window_start_at']:%Y-%m-%d} → {text}"
    return text


def write_table(entries: list[dict[str, Any]], out: TextIO) -> None:
    """For reading: one row per deadline, overdue ones marked, warnings flagged with `!`. Thai
    wraps between words (`pipeline.thai.wrap`); an action is cut between words after
    TABLE_ACTION_CHARS (the whole sentence is in the JSON), so a row stays a few lines."""
    from rich.console import Console
    from rich.table import Table

    from pipeline.thai.wrap import shorten, thai_cell

    if not entries:
        out.write("no deadlines\n")
        return
    overdue = sum(e["status"] == "overdue" for e in entries)
    table = Table(header_style="bold", caption=f"{len(entries)} deadlines, {overdue} overdue")
    for name in ("", "due", "status", "days", "kind", "ref", "actor", "action"):
        table.add_column(name, justify="right" if name == "days" else "left",
                         no_wrap=name in ("", "days", "status"), overflow="fold")
    for e in entries:
        mark = {"overdue": "OVERDUE", "open": "open", "undated": "rule"}.get(e["status"], "")
        days = "" if e.get("days_left") is None else f"{e['days_left']:+d}d"
        flag = "!" if e.get("warnings") is not None and len(e["warnings"]) else ""
        table.add_row(*map(thai_cell, (flag, _when(e), mark, days, KIND_LABEL.get(e["kind"], e["kind"]),
                                       e.get("ref"), e.get("actor"), shorten(e.get("action"), TABLE_ACTION_CHARS))))
    Console(file=out).print(table)


def _all_day(start: dt.datetime, end: dt.datetime) -> bool:
    """A deadline with no printed time is a whole day (00:00 to 23:59:59), shown as such in a calendar."""
    return (start.hour, start.minute) == (0, 0) and (end.hour, end.minute, end.second) == (23, 59, 59)


def description(e: dict[str, Any]) -> str:
    """What a calendar user needs without opening the dataset: the letter, who acts, what to do, caveats."""
    lines = [f"หนังสือ: {e.get('ref') or '-'}" + (f" ลงวันที่ {e['letter_date']}" if e.get("letter_date") else "")]
    for label, key in (("เรื่อง", "subject"), ("จาก", "issuer"), ("ผู้ดำเนินการ", "actor"), ("การดำเนินการ", "action"),
                       ("ข้อความ", "raw")):
        if e.get(key):
            lines.append(f"{label}: {e[key]}")
    if e["kind"] == "relative":
        lines.append(f"ระยะเวลา: {e.get('period')} {e.get('period_unit')} นับจาก {e.get('base')}"
                     + (f" ({e['base_date']}, {e.get('base_date_source')})" if e.get("base_date") else ""))
    if e.get("chain"):
        lines.append(f"chain: {e['chain']} (upstream letter {e.get('upstream_letter_id')})")
    for warning in e.get("warnings") or []:
        lines.append(f"warning: {warning}")
    lines.append(f"letter_id: {e['letter_id']}")
    return "\n".join(lines)


def to_ics(entries: Iterable[dict[str, Any]], *, stamp: dt.datetime | None = None) -> bytes:
    """An RFC 5545 calendar of the dated entries. UID = deadline_id (stable for the same
    letter bytes), so a calendar that re-imports the file updates its events; undated
    rules are left out, a recurring one with a first date repeats by its RRULE."""
    from icalendar import Calendar, Event, vRecur

    from extractors.deadlines import BANGKOK
    from pipeline.thai.wrap import shorten

    cal = Calendar()
    cal.add("prodid", "-//thai-circulars//deadlines//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "กำหนดส่งตามหนังสือราชการ")
    cal.add("x-wr-timezone", "Asia/Bangkok")
    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for e in entries:
        due = e.get("due_at")
        if due is None:
            continue
        due = due.astimezone(BANGKOK)
        start = e["window_start_at"].astimezone(BANGKOK) if e["kind"] == "window" and e.get("window_start_at") else due
        event = Event()
        event.add("uid", f"{e['deadline_id']}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        if _all_day(start, due) or (start == due and (due.hour, due.minute, due.second) == (23, 59, 59)):
            event.add("dtstart", start.date())
            event.add("dtend", due.date() + dt.timedelta(days=1))
        else:
            event.add("dtstart", start)
            if due > start:
                event.add("dtend", due)
        label = KIND_LABEL.get(e["kind"], e["kind"])
        event.add("summary", f"{label}: {e.get('ref') or 'หนังสือ'} — {shorten(e.get('action'), 90)}")
        event.add("description", description(e))
        event.add("categories", [e["kind"]])
        if e.get("rrule"):
            event.add("rrule", vRecur.from_ical(e["rrule"]))
        if e.get("status") == "overdue":
            event.add("x-circulars-status", "overdue")
        event.add("x-circulars-letter-id", e["letter_id"])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
