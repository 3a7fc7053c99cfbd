"""`circulars register OUT --xlsx FILE`: the incoming register (ทะเบียนหนังสือรับ) as a spreadsheet.

A mailroom keeps its register in a spreadsheet it prints and files; so the
register is a real workbook (openpyxl): the regulation's columns, header row
frozen and filtered, widths set, text wrapped and each row as tall as its
wrapped text (LibreOffice, for one, leaves a row written by openpyxl one
line high, its text cut off), a Thai font (TH SarabunPSK,
the government's standard; named, not embedded, so a machine without it
falls back to another Thai font), printed landscape on A4 with the header on
every page. `--format csv` gives the same rows for other systems (a CSV file
gets a BOM so Excel reads its Thai). What goes in each row is
`pipeline.register`; the column layout is `pipeline/data/register.json`.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import uuid
from pathlib import Path
from typing import TextIO


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("register", help="the incoming register (ทะเบียนหนังสือรับ): a spreadsheet or CSV",
                       description="Write the incoming register (ทะเบียนหนังสือรับ) of the dataset in OUT: one "
                                   "row per received letter (a covering letter with the letters it forwards is "
                                   "one), with the regulation's columns, the receipt stamp's number and date "
                                   "where the page has one, dates in the Buddhist era and Thai digits.",
                       epilog="examples: circulars register out --xlsx register.xlsx; "
                              "circulars register out --format csv > register.csv")
    p.add_argument("out", type=Path, metavar="OUT", help="dataset folder written by `circulars ingest`")
    p.add_argument("--xlsx", type=Path, metavar="FILE", help="write a spreadsheet to FILE (same as --format xlsx -o FILE)")
    p.add_argument("--format", choices=["xlsx", "csv"], help="xlsx (needs a file) or csv (to -o FILE or stdout)")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE")
    p.add_argument("--arabic-digits", action="store_true", help="Arabic digits (18 ม.ค. 2567) instead of Thai (๑๘ ม.ค. ๒๕๖๗)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.api import DatasetError
    from pipeline.commands import EXIT_OK, EXIT_USAGE
    from pipeline.register import rows

    target = args.xlsx or args.output
    kind = args.format or ("xlsx" if args.xlsx or (target and target.suffix.lower() == ".xlsx") else
                           "csv" if target and target.suffix.lower() == ".csv" else None)
    if kind is None:
        print("circulars register: say where: --xlsx FILE, or --format csv (to stdout or -o FILE)", file=sys.stderr)
        return EXIT_USAGE
    if kind == "xlsx" and target is None:
        print("circulars register: a spreadsheet needs a file: --xlsx FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.xlsx and kind == "csv":
        print("circulars register: --xlsx writes a spreadsheet; for CSV use --format csv -o FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        register_rows = rows(args.out, thai_digits=not args.arabic_digits)
    except DatasetError as exc:
        print(f"circulars: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if target:
            target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "xlsx":
            write_xlsx(register_rows, target)
        elif target:
            with open(target, "w", encoding="utf-8-sig", newline="") as handle:
                write_csv(register_rows, handle)
        else:
            write_csv(register_rows, sys.stdout)
    except OSError as exc:
        print(f"circulars register: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    if target:
        stamped = sum(bool(r["received"]) for r in register_rows)
        print(f"register: {len(register_rows)} letters, {stamped} with a receipt date -> {target}", file=sys.stderr)
    return EXIT_OK


def write_csv(register_rows: list[dict[str, str]], handle: TextIO) -> None:
    from pipeline.register import layout

    columns = layout()["columns"]
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([c["header"] for c in columns])
    for row in register_rows:
        writer.writerow([row[c["key"]] for c in columns])


def row_points(values: tuple, columns: list[dict], font: dict) -> float:
    """A row's height: its tallest cell's lines, wrapped between words as the terminal's
    tables are (`pipeline.thai.wrap.divide`), at the column's width in Thai glyphs."""
    from pipeline.thai.wrap import divide

    lines = 1
    for value, column in zip(values, columns):
        cells = max(1, int(column["width"] * font["cells_per_width"]))
        paragraphs = str(value or "").split("\n")
        lines = max(lines, sum(len(divide(p, cells)) + 1 for p in paragraphs))
    return lines * font["line_points"]


def write_xlsx(register_rows: list[dict[str, str]], path: Path) -> None:
    """The register as a workbook, written under a temporary name and renamed into place
    (a clerk may have yesterday's register open; a half-written file must never replace it)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from pipeline.register import layout

    spec = layout()
    columns = spec["columns"]
    book = Workbook()
    sheet = book.active
    sheet.title = spec["sheet"]
    body = Font(name=spec["font"]["name"], size=spec["font"]["size"])
    bold = Font(name=spec["font"]["name"], size=spec["font"]["size"], bold=True)
    line = Side(style="thin")
    border = Border(left=line, right=line, top=line, bottom=line)
    sheet.append([c["header"] for c in columns])
    for row in register_rows:
        sheet.append([row[c["key"]] for c in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column["width"]
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        sheet.row_dimensions[number].height = row_points(cells, columns, spec["font"])
    for cells in sheet.iter_rows():
        for cell in cells:
            header = cell.row == 1
            cell.font = bold if header else body
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="center" if header else "top",
                                       horizontal="center" if header else None)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
