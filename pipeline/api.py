"""The analyst's entry point: `open_dataset(OUT)` opens an output folder in one call.

Analysts reach for pandas, DuckDB or polars, and each of those can read the
Parquet parts on its own; what they cannot know is which folders make a
table, that a table with no rows is still a table with columns, or which
timezone deadlines are in. This module knows that once, so every notebook,
`circulars sql`, `circulars show` and `circulars report` read the dataset the
same way:

    >>> from pipeline import open_dataset
    >>> ds = open_dataset("out")
    >>> ds.letters.groupby("agency_code").size()        # pandas, read on first use
    >>> ds.duckdb.sql("SELECT ref, date FROM letters").df()

Tables are read lazily and cached: opening a large archive costs nothing
until a table is used. Every table of `schemas.tables.TABLES` is there even
when its folder is missing or empty (the graph tables are, before the graph
stage runs), with the contract's columns and no rows, so analysis code never
has to special-case an empty archive.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from schemas.tables import TABLES

if TYPE_CHECKING:  # imported lazily: `circulars schema` and `--help` should not pay for them
    import duckdb
    import pandas as pd

    from pipeline.model import LetterRecord

TIMEZONE = "Asia/Bangkok"  # the contract's `due_at` zone; DuckDB shows timestamps in it

# tables that hang off a letter, shown beside it by `show` and `report`
LETTER_TABLES = ["recipients", "citations", "enclosures", "deadlines", "mentions", "contacts"]


class DatasetError(Exception):
    """The folder is not a dataset, or a letter asked for is not in it (message for a user)."""


@dataclass
class LetterView:
    """One letter with everything needed to review it: fields, where each was read, child rows.

    The same shape whether the letter comes from a dataset or straight from
    `process_source` on a file, so `show` and `report` render both alike.
    `spans` offsets index `letter["text"]` (the contract's `spans` table).
    """

    letter: dict[str, Any]
    spans: list[dict[str, Any]] = field(default_factory=list)
    related: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def letter_id(self) -> str:
        return str(self.letter.get("letter_id") or "")

    @property
    def text(self) -> str:
        return str(self.letter.get("text") or "")

    @property
    def title(self) -> str:
        """What a reviewer recognises a letter by: its reference, else its source."""
        ref = self.letter.get("ref")
        where = f"{self.letter.get('source_path')} #{self.letter.get('segment')}"
        return f"{ref} ({where})" if ref else where

    def valid_spans(self) -> list[dict[str, Any]]:
        """Spans that fall inside the text, sorted by position (a bad offset must not break a view)."""
        n = len(self.text)
        good = [s for s in self.spans
                if s.get("start") is not None and s.get("end") is not None
                and 0 <= int(s["start"]) < int(s["end"]) <= n]
        return sorted(good, key=lambda s: (int(s["start"]), -int(s["end"]), str(s.get("label"))))

    @classmethod
    def from_record(cls, record: "LetterRecord") -> "LetterView":
        """A letter as `process_source` returned it, before it was written."""
        spans = [{"label": s.label, "start": s.start, "end": s.end,
                  "value": None if s.value is None else str(s.value)} for s in record.spans]
        related = {name: list(getattr(record, name)) for name in LETTER_TABLES}
        return cls(letter=dict(record.letter), spans=spans, related=related)


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_name(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


class Dataset:
    """An output folder of `circulars ingest`: each table as a pandas DataFrame, and `.duckdb`.

    Attribute access (`ds.letters`) and item access (`ds["letters"]`) read a
    table on first use and keep it; `ds.duckdb` is one in-memory DuckDB
    connection with every table as a view over `OUT/<table>/*.parquet`, so a
    query sees the files as they are on disk.
    """

    # the contract's tables, for readers and type checkers; read by __getattr__
    letters: "pd.DataFrame"
    recipients: "pd.DataFrame"
    citations: "pd.DataFrame"
    enclosures: "pd.DataFrame"
    deadlines: "pd.DataFrame"
    mentions: "pd.DataFrame"
    contacts: "pd.DataFrame"
    nodes: "pd.DataFrame"
    edges: "pd.DataFrame"
    spans: "pd.DataFrame"
    errors: "pd.DataFrame"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_dir():
            raise DatasetError(f"{self.path} is not a folder: make one with `circulars ingest PATH --out {self.path}`")
        if not (self.path / "manifest.json").exists() and not any(
                (self.path / name).is_dir() for name in TABLES):
            raise DatasetError(f"{self.path} holds no dataset (no manifest.json and no table folders)")
        self._frames: dict[str, pd.DataFrame] = {}

    def __repr__(self) -> str:
        return f"Dataset({str(self.path)!r}, tables={self.tables})"

    # -- what is there -------------------------------------------------------------------------

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """The run's manifest (schema version, options, sources), `{}` when there is none."""
        path = self.path / "manifest.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    @property
    def tables(self) -> list[str]:
        """The contract's tables, then any other table folder a newer writer left."""
        extra = sorted(p.name for p in self.path.iterdir()
                       if p.is_dir() and p.name not in TABLES and not p.name.startswith(".")
                       and any(p.glob("*.parquet")))
        return list(TABLES) + extra

    def files(self, name: str) -> list[Path]:
        """The part files of a table (none when its folder is missing)."""
        return sorted((self.path / name).glob("*.parquet"))

    # -- pandas / arrow ------------------------------------------------------------------------

    def arrow(self, name: str, columns: list[str] | None = None, where: "pads.Expression | None" = None) -> pa.Table:
        """A table as Arrow, with at least the contract's columns (null where a part lacks one).

        `columns` and `where` (a `pyarrow.dataset` filter) are pushed down to the
        Parquet reader, so a caller that needs one letter, or the letters
        without their text, does not hold the whole table in memory.
        """
        if name not in self.tables:
            raise KeyError(f"no table {name!r}; tables: {', '.join(self.tables)}")
        files = self.files(name)
        contract = TABLES.get(name)
        if not files:
            empty = contract.empty_table() if contract is not None else pa.table({})
            return empty.select(columns) if columns is not None else empty
        schemas = ([contract] if contract is not None else []) + [pq.read_schema(f) for f in files]
        schema = pa.unify_schemas(schemas)
        return pads.dataset([str(f) for f in files], format="parquet", schema=schema).to_table(
            columns=columns, filter=where)

    def table(self, name: str) -> "pd.DataFrame":
        """A table as pandas, read once (dates as `datetime.date`, as `pd.read_parquet` gives)."""
        if name not in self._frames:
            self._frames[name] = self.arrow(name).to_pandas()
        return self._frames[name]

    def __getitem__(self, name: str) -> "pd.DataFrame":
        return self.table(name)

    def __getattr__(self, name: str) -> "pd.DataFrame":
        if name.startswith("_") or name in ("path",):
            raise AttributeError(name)
        if name in TABLES or (self.path / name).is_dir():
            return self.table(name)
        raise AttributeError(f"{type(self).__name__} has no attribute or table {name!r}")

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.tables))

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    # -- DuckDB --------------------------------------------------------------------------------

    @cached_property
    def duckdb(self) -> "duckdb.DuckDBPyConnection":
        """An in-memory DuckDB connection with every table as a view (timestamps in Bangkok time)."""
        import duckdb

        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET TimeZone = {_sql_string(TIMEZONE)}")
        except duckdb.Error:  # a DuckDB built without ICU still works, in UTC
            pass
        for name in self.tables:
            if self.files(name):
                pattern = str((self.path / name).resolve() / "*.parquet")
                con.execute(f"CREATE VIEW {_sql_name(name)} AS SELECT * FROM "
                            f"read_parquet({_sql_string(pattern)}, union_by_name = true)")
            else:  # no part yet: still a view with the contract's columns
                con.register(f"_empty_{name}", TABLES[name].empty_table())
                con.execute(f"CREATE VIEW {_sql_name(name)} AS SELECT * FROM {_sql_name('_empty_' + name)}")
        return con

    def sql(self, query: str) -> "pd.DataFrame":
        """Run SQL over the views and return pandas (a shortcut for `ds.duckdb.sql(q).df()`)."""
        return self.duckdb.sql(query).df()

    def close(self) -> None:
        if "duckdb" in self.__dict__:
            self.__dict__.pop("duckdb").close()

    def __enter__(self) -> "Dataset":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one letter ----------------------------------------------------------------------------

    def find_letter_ids(self, key: str) -> list[str]:
        """Letters a user may mean by `key`: an exact id, an id prefix, or a reference."""
        letters = self.table("letters")
        ids = letters["letter_id"].astype(str)
        if (ids == key).any():
            return [key]
        by_ref = letters.loc[letters["ref"] == key, "letter_id"].astype(str).tolist()
        if by_ref:
            return by_ref
        return ids[ids.str.startswith(key)].tolist() if len(key) >= 4 else []

    def letter(self, key: str) -> LetterView:
        """One letter, its spans and its child rows; `key` as for `find_letter_ids`."""
        found = self.find_letter_ids(key)
        if not found:
            raise DatasetError(f"no letter {key!r} in {self.path} (give a letter_id, a prefix of one, or a ref)")
        if len(found) > 1:
            raise DatasetError(f"{key!r} matches {len(found)} letters: {', '.join(found[:10])}")
        return self.letter_views(found)[0]

    def letter_views(self, letter_ids: list[str] | None = None) -> list[LetterView]:
        """Letters (all, or those given, in that order) ready to render.

        Built from Arrow rather than pandas so values stay what the contract
        says (an int32 with nulls stays an int, not a float).
        """
        letters = {str(r["letter_id"]): r for r in self.arrow("letters").to_pylist()}
        related = {name: _group(self.arrow(name)) for name in LETTER_TABLES}
        spans = _group(self.arrow("spans"))
        views = []
        for lid in (list(letters) if letter_ids is None else letter_ids):
            views.append(LetterView(
                letter=letters[lid],
                spans=spans.get(lid, []),
                related={name: rows.get(lid, []) for name, rows in related.items()},
            ))
        return views


def _group(table: pa.Table) -> dict[str, list[dict[str, Any]]]:
    """Rows of a table by letter_id, as plain dicts."""
    out: dict[str, list[dict[str, Any]]] = {}
    if "letter_id" not in table.column_names:
        return out
    for row in table.to_pylist():
        out.setdefault(str(row["letter_id"]), []).append(row)
    return out


def open_dataset(path: str | Path) -> Dataset:
    """Open an output folder of `circulars ingest` (tables are read when first used)."""
    return Dataset(path)
