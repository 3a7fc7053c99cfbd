"""`circulars export-gold OUT DIR`: the reviewed letters as gold files (docs/GOLD_FORMAT.md).

A team that corrects its own letters in `circulars review` gets, from this,
an evaluation set of its own mail: score each new pipeline version on it with
`tests/tools/score.py --gold DIR --out NEW_OUT`. One `<stem>.json` per
source stem (the scorer pairs a gold file with every source of that stem)
that holds at least one reviewed letter; every letter of those sources is
written, in file order, so the scorer pairs them one to one. Each letter
says which fields a person decided (`reviewed_fields`); the rest are the
extractor's values at export time (accept a letter, `a` in the app, to
decide them all).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-gold", help="write the reviewed letters as gold files, to score new versions on",
                       description="Write one gold JSON file (docs/GOLD_FORMAT.md) per source holding a "
                                   "letter reviewed with `circulars review`, for tests/tools/score.py.")
    p.add_argument("out", type=Path, metavar="OUT", help="the dataset folder")
    p.add_argument("dir", type=Path, metavar="DIR", help="folder for the gold files")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.api import DatasetError, open_dataset
    from pipeline.commands import EXIT_OK, EXIT_USAGE
    from pipeline.review.state import Review

    try:
        dataset = open_dataset(args.out)
        review = Review(args.out, who="export-gold")
    except DatasetError as exc:
        print(f"circulars export-gold: {exc}", file=sys.stderr)
        return EXIT_USAGE
    files = gold_files(dataset, review)
    try:
        args.dir.mkdir(parents=True, exist_ok=True)
        for stem, gold in files.items():
            _write_json(args.dir / f"{stem}.json", gold)
    except OSError as exc:
        print(f"circulars export-gold: cannot write to {args.dir}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    letters = sum(len(g["letters"]) for g in files.values())
    reviewed = sum(bool(l["reviewed_fields"]) for g in files.values() for l in g["letters"])
    print(f"wrote {len(files)} gold file{'' if len(files) == 1 else 's'} to {args.dir}: {letters} letters, {reviewed} reviewed"
          + (f" ({letters - reviewed} unreviewed letters share a file with reviewed ones: their values "
             "are the extractor's)" if letters > reviewed else ""))
    if not files:
        print("no letter is reviewed yet: review some with `circulars review`", file=sys.stderr)
    return EXIT_OK


def gold_files(dataset: Any, review: Any) -> dict[str, dict[str, Any]]:
    """Gold JSON per source stem holding a reviewed letter: header fields as reviewed, the rest
    from the dataset's tables, shaped as docs/GOLD_FORMAT.md says."""
    from pipeline.store.corrections import FIELDS

    letters = sorted(review.letters.values(), key=lambda l: (str(l["source_path"]), l.get("segment") or 0))
    by_stem: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for letter in letters:
        by_stem[Path(str(letter["source_path"])).stem].append(letter)
    stems = {stem: rows for stem, rows in by_stem.items() if any(review.reviewed(l["letter_id"]) for l in rows)}
    wanted = {l["letter_id"] for rows in stems.values() for l in rows}
    related = _related(dataset, wanted)
    out = {}
    for stem, rows in sorted(stems.items()):
        gold_letters = []
        for letter in rows:
            lid = letter["letter_id"]
            value = {name: review.value(lid, name) for name in FIELDS}
            gold_letters.append({
                "letter_id": lid,
                "reviewed_fields": [n for n in FIELDS if (lid, n) in review.decisions],
                **{n: value[n] for n in ("ref", "date", "urgency", "secrecy", "form", "issuer", "subject")},
                **{k: v.get(lid, []) for k, v in related.items() if k != "enclosure_count"},
                "enclosure_count": related["enclosure_count"].get(lid, 0),
                "signatory": {"name": value["signatory_name"], "position": value["signatory_position"]},
            })
        sources = sorted({str(l["source_path"]) for l in rows})
        out[stem] = {"source": ", ".join(sources) + f" (reviewed in circulars review; dataset {dataset.path})",
                     "letters": gold_letters}
    return out


def _related(dataset: Any, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The list fields of the gold format from the child tables, per letter id."""
    out: dict[str, dict[str, Any]] = {k: defaultdict(list) for k in
                                      ("recipients", "distribution", "cites", "encloses", "deadlines",
                                       "mentions", "phones", "emails")}
    out["enclosure_count"] = defaultdict(int)

    def rows(name: str) -> list[dict[str, Any]]:
        return [r for r in dataset.arrow(name).to_pylist() if r.get("letter_id") in wanted]

    for r in sorted(rows("recipients"), key=lambda r: r.get("position") or 0):
        out["distribution" if r.get("role") == "distribution" else "recipients"][r["letter_id"]].append(r["recipient"])
    for r in rows("citations"):
        if r.get("kind") in ("cites", "encloses"):
            out[r["kind"]][r["letter_id"]].append({"ref": r.get("ref"), "date": _iso(r.get("date"))})
    for r in rows("enclosures"):
        out["enclosure_count"][r["letter_id"]] += 1
    for r in rows("deadlines"):
        out["deadlines"][r["letter_id"]].append({"date": _iso(r.get("date")), "time": r.get("time"), "kind": r.get("kind")})
    for r in rows("mentions"):
        out["mentions"][r["letter_id"]].append({"kind": r.get("kind"), "date": _iso(r.get("date"))})
    for r in rows("contacts"):
        kind = {"phone": "phones", "mobile": "phones", "fax": "phones", "email": "emails"}.get(r.get("kind"))
        if kind and r.get("value") and r["value"] not in out[kind][r["letter_id"]]:
            out[kind][r["letter_id"]].append(r["value"])
    return out


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()[:10]


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Atomically: a gold file half written would score as a wrong one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
