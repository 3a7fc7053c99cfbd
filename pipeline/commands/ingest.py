"""`circulars ingest PATH... --out OUT`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="read circulars (text, PDF, images) into a Parquet dataset",
                       description="Read every supported file under PATH (files and folders, "
                                   "recursively) and write the Parquet dataset to OUT. Exit status: "
                                   "0 all read, 3 some files failed (see OUT/errors), 2 usage error.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
    from pipeline.ingest import OutputError, run_ingest

    try:
        summary = run_ingest(args.paths, args.out)
    except OutputError as exc:
        print(f"circulars: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        for error in summary.errors[:20]:
            print(f"error: {error.source_path}: {error.message}", file=sys.stderr)
        print(summary.line())
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK
