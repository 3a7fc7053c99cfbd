"""`circulars sql OUT "SELECT …"`: DuckDB over the dataset, from the shell.

An analyst's first question is rarely worth a notebook. Every table is a
view named after it (`letters`, `deadlines`, …, see `circulars schema`), the
same views `open_dataset(OUT).duckdb` gives, so a query tried here pastes
into Python unchanged. `--format csv|json` is for piping into other tools.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sql", help="run SQL (DuckDB) over a dataset; every table is a view",
                       description="Run one DuckDB query over the dataset in OUT, where every table "
                                   "(letters, deadlines, citations, ...) is a view of the same name. "
                                   "Timestamps are shown in Asia/Bangkok time.",
                       epilog='example: circulars sql out "SELECT agency_code, count(*) FROM letters GROUP BY 1"')
    p.add_argument("out", type=Path, metavar="OUT", help="dataset folder written by `circulars ingest`")
    p.add_argument("query", metavar="QUERY", help="one SQL statement")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table (default, for reading), csv or json (for other tools)")
    p.add_argument("--max-width", type=int, default=60, metavar="N",
                   help="table format: cut cells longer than N characters (0: never)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.api import DatasetError, open_dataset
    from pipeline.commands import EXIT_OK, EXIT_USAGE

    try:
        dataset = open_dataset(args.out)
        result = dataset.duckdb.sql(args.query)
    except DatasetError as exc:
        print(f"circulars: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.Error as exc:
        print(f"circulars sql: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if result is None:  # a statement with no result set (SET, CREATE ...)
        return EXIT_OK
    columns = list(result.columns)
    rows = result.fetchall()
    if args.format == "csv":
        write_csv(columns, rows)
    elif args.format == "json":
        write_json(columns, rows)
    else:
        print_table(columns, [str(t) for t in result.types], rows, args.max_width)
    return EXIT_OK


def cell(value: Any) -> Any:
    """A DuckDB value as JSON-able Python (dates as ISO strings, lists kept as lists)."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [cell(v) for v in value]
    if isinstance(value, dict):
        return {str(k): cell(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return value


def text_cell(value: Any) -> str:
    """A value as one text cell: empty for null, lists as JSON (unambiguous, Thai kept)."""
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([text_cell(v) for v in row])


def write_json(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A JSON array of objects, one per row: what `jq` and `pd.read_json` expect."""
    records = [{c: cell(v) for c, v in zip(columns, row)} for row in rows]
    json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def print_table(columns: Sequence[str], types: Sequence[str], rows: Sequence[Sequence[Any]],
                max_width: int) -> None:
    """For reading: a rich table whose Thai values wrap between words (`pipeline.thai.wrap`)."""
    from rich.console import Console
    from rich.table import Table

    from pipeline.thai.wrap import shorten, thai_cell

    console = Console()
    table = Table(show_lines=False, header_style="bold", caption=f"{len(rows)} rows")
    for name, kind in zip(columns, types):
        numeric = any(k in kind.upper() for k in ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL"))
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    null = thai_cell("null", style="dim")
    for row in rows:
        table.add_row(*[null if v is None else thai_cell(shorten(text_cell(v), max_width)) for v in row])
    console.print(table)
