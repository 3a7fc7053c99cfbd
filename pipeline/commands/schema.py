"""`circulars schema [--json-schema | --markdown]`: the contract, printed from `schemas/`.

`schemas/tables.py` is the one place the tables are defined, `schemas/errors.py`
the one place the `errors` table's `error_type` values are; everything that
describes them is generated from them here, so nothing can drift: the terminal
listing, a JSON Schema of the records (for validating rows exported as JSON,
or generating types in another language), and the README's table list and
error-type list, which a test compares with `README_SECTIONS`
(`--update-readme README.md` rewrites them after a column or a type is added).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from schemas.errors import ErrorType
from schemas.tables import EXTENSIONS, SCHEMA_VERSION, TABLES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the dataset's tables and columns (the contract)",
                       description="Print the tables and columns of the Parquet dataset as defined in "
                                   "schemas/tables.py; columns beyond shared/spec/OUTPUT.md are marked +.")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json-schema", action="store_true",
                       help="print a JSON Schema (2020-12) of the records of every table")
    group.add_argument("--markdown", action="store_true",
                       help="print the README's generated sections: the table list and the error types")
    group.add_argument("--update-readme", type=Path, metavar="README",
                       help="rewrite the generated table list and error types in README (between their markers)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.commands import EXIT_OK, EXIT_USAGE

    if args.json_schema:
        print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    elif args.markdown:
        print("\n\n".join(section.render() for section in README_SECTIONS))
    elif args.update_readme:
        try:
            text = args.update_readme.read_text(encoding="utf-8")
            args.update_readme.write_text(replace_readme_sections(text), encoding="utf-8")
        except (OSError, ValueError) as exc:
            print(f"circulars schema: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"updated the table list and the error types in {args.update_readme}")
    else:
        print_contract()
    return EXIT_OK


def type_name(kind: pa.DataType) -> str:
    """Arrow's own spelling, shortened where it is noisy (`list<item: string>` -> `list<string>`)."""
    if pa.types.is_list(kind):
        return f"list<{type_name(kind.value_type)}>"
    return str(kind)


def is_extension(table: str, column: str | None = None) -> bool:
    return (f"{table}.{column}" if column else table) in EXTENSIONS


def print_contract() -> None:
    """Every table and column, in the terminal; extensions marked and explained."""
    from rich.console import Console
    from rich.table import Table

    from pipeline.thai.wrap import thai_cell

    console = Console()
    console.print(f"[bold]schema_version {SCHEMA_VERSION}[/]: each table is OUT/<table>/part-*.parquet "
                  "([bold]+[/] = beyond shared/spec/OUTPUT.md)")
    for name, schema in TABLES.items():
        title = f"{name}{' +' if is_extension(name) else ''}"
        table = Table(title=title, title_justify="left", title_style="bold", show_edge=False,
                      header_style="dim")
        table.add_column("column")
        table.add_column("type")
        table.add_column("note", overflow="fold")
        for field in schema:
            plus = is_extension(name, field.name)
            table.add_row(f"{field.name}{' +' if plus else ''}", type_name(field.type),
                          thai_cell(EXTENSIONS.get(f"{name}.{field.name}", "")))
        console.print(table)
        if is_extension(name):
            console.print(f"  + {EXTENSIONS[name]}")
    types = Table(title="errors.error_type values", title_justify="left", title_style="bold", show_edge=False,
                  header_style="dim")
    types.add_column("error_type")
    types.add_column("meaning", overflow="fold")
    for error_type in ErrorType:
        types.add_row(error_type.value, thai_cell(error_type.description))
    console.print(types)


def field_schema(kind: pa.DataType) -> dict[str, Any]:
    """JSON Schema of one Arrow type as it appears in JSON (dates as ISO strings); null allowed."""
    if pa.types.is_list(kind):
        return {"type": ["array", "null"], "items": field_schema(kind.value_type)}
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return {"type": ["string", "null"]}
    if pa.types.is_boolean(kind):
        return {"type": ["boolean", "null"]}
    if pa.types.is_integer(kind):
        bits = kind.bit_width
        return {"type": ["integer", "null"], "minimum": -(2 ** (bits - 1)), "maximum": 2 ** (bits - 1) - 1}
    if pa.types.is_floating(kind):
        return {"type": ["number", "null"]}
    if pa.types.is_date(kind):
        return {"type": ["string", "null"], "format": "date"}
    if pa.types.is_timestamp(kind):
        out: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}
        if kind.tz:
            out["description"] = f"timestamp in {kind.tz}, ISO 8601 with its offset"
        return out
    return {}  # anything newer: no constraint rather than a wrong one


def json_schema() -> dict[str, Any]:
    """A JSON Schema (2020-12): `$defs` has one record schema per table; the root is the
    dataset as JSON, an object of table name -> list of records."""
    defs = {}
    for name, schema in TABLES.items():
        properties = {}
        for field in schema:
            prop = field_schema(field.type)
            note = EXTENSIONS.get(f"{name}.{field.name}")
            if note:
                prop = {**prop, "description": f"extension: {note}"}
            if (name, field.name) == ("errors", "error_type"):
                prop = {"type": "string", "enum": [e.value for e in ErrorType],
                        "description": "one of schemas/errors.py's ErrorType (the README lists their meanings)"}
            properties[field.name] = prop
        record = {"type": "object", "title": f"{name} record", "properties": properties,
                  "required": [f.name for f in schema]}
        if is_extension(name):
            record["description"] = f"extension: {EXTENSIONS[name]}"
        defs[name] = record
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"thai-circulars/schema_version/{SCHEMA_VERSION}",
        "title": "thai-circulars dataset records",
        "description": f"schema_version {SCHEMA_VERSION}; generated from schemas/tables.py and schemas/errors.py",
        "type": "object",
        "properties": {name: {"type": "array", "items": {"$ref": f"#/$defs/{name}"}} for name in TABLES},
        "$defs": defs,
    }


def _table_lines() -> list[str]:
    """The README's table list: one line per table with its columns; extensions in italics."""
    lines = [f"Tables of `schema_version` {SCHEMA_VERSION} (`circulars schema` prints them with types; "
             "_italic_ = added beyond `OUTPUT.md`):", "",
             "| table | columns |", "|---|---|"]
    for name, schema in TABLES.items():
        columns = ", ".join(f"_`{f.name}`_" if is_extension(name, f.name) else f"`{f.name}`" for f in schema)
        label = f"_`{name}`_" if is_extension(name) else f"`{name}`"
        lines.append(f"| {label} | {columns} |")
    lines.append("")
    for key, note in EXTENSIONS.items():
        lines.append(f"- _`{key}`_: {note}")
    return lines


def _error_lines() -> list[str]:
    """The README's list of error types, in the enumeration's order, each with its meaning."""
    return ["| `error_type` | meaning |", "|---|---|",
            *(f"| `{error_type.value}` | {error_type.description} |" for error_type in ErrorType)]


@dataclass(frozen=True)
class ReadmeSection:
    """A README section generated from the code that defines what it lists, kept between two
    HTML comments so that `--update-readme` can rewrite it in place (or put it at a
    `<!-- section:NAME -->` line the first time) and a test can compare the two."""

    name: str
    source: str  # the file it is generated from, named in its opening marker for the reader
    lines: Callable[[], list[str]]

    @property
    def begin(self) -> str:
        return (f"<!-- {self.name}:begin (generated from {self.source} "
                "by `circulars schema --update-readme README.md`) -->")

    @property
    def end(self) -> str:
        return f"<!-- {self.name}:end -->"

    @property
    def placeholder(self) -> str:
        return f"<!-- section:{self.name} -->"

    def render(self) -> str:
        """The section as it stands in the README, markers included."""
        return "\n".join([self.begin, "", *self.lines(), "", self.end])

    def find(self, text: str) -> str | None:
        """The section as it stands in `text`, or None when it has none."""
        match = re.search(re.escape(self.begin) + r".*?" + re.escape(self.end), text, flags=re.S)
        return match.group(0) if match else None

    def replace(self, text: str) -> str:
        """`text` with this section (or its placeholder) replaced by `render()`."""
        block = self.find(text)
        if block is not None:
            return text.replace(block, self.render())
        if self.placeholder in text:
            return text.replace(self.placeholder, self.render(), 1)
        raise ValueError(f"no {self.name} section and no {self.placeholder} line to put one at")


README_SECTIONS = (
    ReadmeSection("tables", "schemas/tables.py", _table_lines),
    ReadmeSection("errors", "schemas/errors.py", _error_lines),
)


def replace_readme_sections(text: str) -> str:
    """README text with every generated section brought up to date."""
    for section in README_SECTIONS:
        text = section.replace(text)
    return text
