"""Dataset step for deadlines, and the feed downstream systems read.

Two things need the whole dataset rather than one letter:

- chains. A province's covering letter repeats the ministry's window and sets
  its own, earlier date for the districts (27 February, ahead of the
  ministry's 28 February). Both are kept; a deadline that repeats one of the
  letter it forwards or cites is `chain = restated` with `source_letter_id`
  that letter, and an earlier internal one is `chain = internal` with
  `upstream_letter_id` the letter it runs ahead of. The upstream letter is
  found through `citations` (the graph's `target_letter_id` when the graph
  stage filled it, else the same reference and date among `letters`).
- the split. Extractors put `relative` and `recurring` rows beside the printed
  dates; here they move to `deadline_rules`, so `deadlines` keeps exactly the
  contract's kinds (`due`, `window_start`, `window_end`) and a consumer that
  counts rows of `deadlines` counts printed deadlines only.

`link_deadlines(out)` runs after the graph in `pipeline.run.ingest._link`; it
rewrites each deadlines part in place (atomically, same name) and is safe to
run twice. `feed(out)` gives every deadline with its letter's reference,
subject, issuer and agency: what `circulars deadlines` prints and exports.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extractors.deadlines import BANGKOK, RULE_KINDS
from pipeline.store.write import write_table_file
from schemas.tables import TABLES

RULES_PART = "part-rules.parquet"
INTERNAL_MAX_DAYS = 31  # an internal deadline further ahead than this of the upstream one is not a relay


def _rows(folder: Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """A table's rows as dicts; with `columns`, only those (a part lacking one gives None).

    Name the columns wherever the rows are not written back: the letters'
    `text` alone is most of the dataset's bytes.
    """
    out: list[dict[str, Any]] = []
    for part in sorted(folder.glob("part-*.parquet")):
        if columns is None:
            out.extend(pq.read_table(part).to_pylist())
            continue
        have = set(pq.read_schema(part).names)
        table = pq.read_table(part, columns=[c for c in columns if c in have])
        missing = [c for c in columns if c not in have]
        out.extend({**row, **dict.fromkeys(missing)} if missing else row for row in table.to_pylist())
    return out


def _norm_ref(ref: str | None) -> str | None:
    return re.sub(r"\s+", "", ref) if ref else None


def deadline_id(row: dict[str, Any], occurrence: int) -> str:
    """Stable across runs for the same letter bytes: the letter, what the deadline is,
    and its order among identical ones. Not its character offset, so a change in
    normalisation does not turn a calendar's events into duplicates."""
    date = row.get("date")
    parts = [row["letter_id"], row.get("kind"), date.isoformat() if date else "", row.get("time") or "",
             str(row.get("period") or ""), row.get("period_unit") or "", row.get("base") or "",
             row.get("rrule") or "", str(occurrence)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _assign_ids(rows: Iterable[dict[str, Any]]) -> None:
    seen: Counter = Counter()
    for row in rows:
        key = (row["letter_id"], row.get("kind"), row.get("date"), row.get("time"), row.get("period"),
               row.get("period_unit"), row.get("base"), row.get("rrule"))
        row["deadline_id"] = deadline_id(row, seen[key])
        seen[key] += 1


def upstream_letters(out: Path) -> dict[str, list[str]]:
    """letter_id -> the letters in the dataset it cites, encloses or forwards (its upstream)."""
    letters = _rows(out / "letters", ["letter_id", "ref", "date"])
    by_key: dict[tuple, str] = {}
    for row in letters:
        if row.get("ref"):
            by_key.setdefault((_norm_ref(row["ref"]), row.get("date")), row["letter_id"])
    pairs: list[tuple[str, str | None]] = []
    for row in _rows(out / "citations", ["letter_id", "target_letter_id", "ref", "date"]):
        pairs.append((row["letter_id"], row.get("target_letter_id")
                      or by_key.get((_norm_ref(row.get("ref")), row.get("date")))))
    # the graph's edges add what citations cannot say: the copy a covering letter
    # `forwards`, and mentions merged across an OCR slip
    node_letter = {row["node_id"]: row.get("letter_id") for row in _rows(out / "nodes", ["node_id", "letter_id"])}
    for edge in _rows(out / "edges", ["kind", "src", "dst", "letter_id"]):
        if edge.get("kind") in ("cites", "encloses", "forwards"):
            pairs.append((node_letter.get(edge["src"]) or edge.get("letter_id"), node_letter.get(edge["dst"])))
    up: dict[str, list[str]] = defaultdict(list)
    for src, target in pairs:
        if src and target and target != src and target not in up[src]:
            up[src].append(target)
    return up


def _same_time(a: str | None, b: str | None) -> bool:
    return a == b or a is None or b is None


def link_chains(rows: list[dict[str, Any]], upstream: dict[str, list[str]]) -> None:
    """Mark restated and internal deadlines (see the module's doc); rows change in place."""
    by_letter: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_letter[row["letter_id"]].append(row)
    for row in rows:
        row["chain"] = row["source_letter_id"] = row["upstream_letter_id"] = None
    for row in rows:
        if row.get("date") is None:
            continue
        ups = [(u, r) for u in upstream.get(row["letter_id"], []) for r in by_letter.get(u, [])
               if r.get("date") is not None]
        same = [u for u, r in ups if r["kind"] == row["kind"] and r["date"] == row["date"]
                and _same_time(r.get("time"), row.get("time"))]
        if same:
            row.update(chain="restated", source_letter_id=same[0], upstream_letter_id=same[0])
            continue
        if row["kind"] != "due":
            continue
        later = [(u, r) for u, r in ups if r["kind"] in ("due", "window_end")
                 and 0 <= (r["date"] - row["date"]).days <= INTERNAL_MAX_DAYS]
        if later:
            def fit(item: tuple[str, dict]) -> tuple[float, int]:
                ratio = SequenceMatcher(None, row.get("action") or "", item[1].get("action") or "").ratio()
                return (round(ratio, 2), -(item[1]["date"] - row["date"]).days)
            best = later[0] if len(later) == 1 else max(later, key=fit)
            row.update(chain="internal", upstream_letter_id=best[0])


# what ids and chains are computed from; the other columns go through untouched, as Arrow
_LINK_INPUTS = ["letter_id", "kind", "date", "time", "action", "period", "period_unit", "base", "rrule"]
_LINK_OUTPUTS = ["deadline_id", "chain", "source_letter_id", "upstream_letter_id"]


def _conform(table: pa.Table) -> pa.Table:
    """A deadlines part in the current schema (a part written before a column was added lacks it)."""
    schema = TABLES["deadlines"]
    if table.schema.equals(schema):
        return table
    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names
               else pa.nulls(len(table), f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _with_outputs(table: pa.Table, rows: list[dict[str, Any]]) -> pa.Table:
    for name in _LINK_OUTPUTS:
        table = table.set_column(table.schema.get_field_index(name), name,
                                 pa.array([row.get(name) for row in rows], pa.string()))
    return table


def link_deadlines(out: Path) -> None:
    """Split rule rows into `deadline_rules`, give every row its id, link chains.

    Works on Arrow tables: only the columns the ids and chains are computed
    from become Python values (timestamps with a time zone are slow to
    convert and nothing here reads them), and a part whose rows come out the
    same is not written again, so a nightly run that changed a few files
    rewrites a few parts.
    """
    out = Path(out)
    folder = out / "deadlines"
    parts = {part: _conform(pq.read_table(part)) for part in sorted(folder.glob("part-*.parquet"))}
    if not parts:
        return
    rows_of_part = {part: table.select(_LINK_INPUTS).to_pylist() for part, table in parts.items()}
    is_rule = {part: [row["kind"] in RULE_KINDS for row in rows] for part, rows in rows_of_part.items()}
    printed = [row for part, rows in rows_of_part.items() for row, rule in zip(rows, is_rule[part]) if not rule]
    moved = [row for part, rows in rows_of_part.items() for row, rule in zip(rows, is_rule[part]) if rule]
    _assign_ids(printed)
    _assign_ids(moved)
    link_chains(printed, upstream_letters(out))

    moved_tables = []
    for part, table in parts.items():
        rows, rule = rows_of_part[part], pa.array(is_rule[part], pa.bool_())
        linked = _with_outputs(table, rows)
        if any(is_rule[part]):
            moved_tables.append(linked.filter(rule))
            linked = linked.filter(pc.invert(rule))
        if not linked.equals(table):
            write_table_file(linked, part)

    rules_folder = out / "deadline_rules"
    letter_ids = pa.array({row["letter_id"] for row in _rows(out / "letters", ["letter_id"])}, pa.string())
    fresh = pa.array({row["letter_id"] for row in moved}, pa.string())  # letters read this run: rules anew
    old = [_conform(pq.read_table(p)) for p in sorted(rules_folder.glob("part-*.parquet"))]
    kept = [t.filter(pc.and_(pc.is_in(t["letter_id"], letter_ids), pc.invert(pc.is_in(t["letter_id"], fresh))))
            for t in old]
    rules = pa.concat_tables([TABLES["deadline_rules"].empty_table(), *kept, *moved_tables])
    current = pa.concat_tables([TABLES["deadline_rules"].empty_table(), *old])
    names = [p.name for p in rules_folder.glob("part-*.parquet")]
    if names != [RULES_PART] or not rules.equals(current):
        write_table_file(rules.combine_chunks(), rules_folder / RULES_PART)
    for part in rules_folder.glob("part-*.parquet"):
        if part.name != RULES_PART:
            part.unlink()


def _letter_fields(out: Path) -> dict[str, dict[str, Any]]:
    fields = ("ref", "date", "subject", "issuer", "agency_code", "agency_name", "source_path")
    return {row["letter_id"]: {k: row.get(k) for k in fields} for row in _rows(out / "letters", ["letter_id", *fields])}


def feed(out: Path, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every deadline of the dataset, printed and rule, with its letter's reference,
    subject, issuer and agency, and its status on `today`: `overdue`, `open`
    (a window running), `upcoming`, or `undated` (a rule with no computable date).
    Windows come as one entry (`window`), from the pair of rows; sorted soonest first."""
    out = Path(out)
    today = today or dt.datetime.now(BANGKOK).date()
    now = dt.datetime.combine(today, dt.time(0, 0), BANGKOK)
    letters = _letter_fields(out)
    rows = _rows(out / "deadlines") + _rows(out / "deadline_rules")
    entries: list[dict[str, Any]] = []
    starts: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        if row["kind"] == "window_start" and row.get("window_end_at") is not None:
            starts[(row["letter_id"], row.get("window_start_at"), row.get("window_end_at"))] = row
    for row in rows:
        if row["kind"] == "window_start" and row.get("window_end_at") is not None:
            continue  # reported with its window_end, as one window
        entry = dict(row)
        if row["kind"] == "window_end" and row.get("window_start_at") is not None:
            start = starts.get((row["letter_id"], row.get("window_start_at"), row.get("window_end_at")))
            entry["kind"] = "window"
            entry["start_id"] = start["deadline_id"] if start else None
        letter = letters.get(row["letter_id"], {})
        entry.update({"ref": letter.get("ref") or row.get("letter_ref"), "letter_date": letter.get("date"),
                      "subject": letter.get("subject"), "issuer": letter.get("issuer"),
                      "agency_code": letter.get("agency_code"), "agency_name": letter.get("agency_name"),
                      "source_path": letter.get("source_path")})
        due = entry.get("due_at")
        if due is None:
            entry["status"] = "undated"
        elif due < now:
            entry["status"] = "overdue"
        elif entry["kind"] == "window" and entry.get("window_start_at") and entry["window_start_at"] <= now:
            entry["status"] = "open"
        else:
            entry["status"] = "upcoming"
        entry["days_left"] = (due.astimezone(BANGKOK).date() - today).days if due is not None else None
        entries.append(entry)
    far = dt.datetime.max.replace(tzinfo=BANGKOK)
    entries.sort(key=lambda e: (e.get("due_at") or far, e.get("ref") or "", e["deadline_id"] or ""))
    return entries
