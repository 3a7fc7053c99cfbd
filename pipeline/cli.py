"""The `circulars` command: one subcommand per module in `pipeline.commands`."""
from __future__ import annotations

import argparse
import importlib
import sys

from pipeline import __version__

# Order is the order of `circulars --help`. A module that is not there yet is skipped.
COMMANDS = ["ingest", "text", "graph", "deadlines", "register", "sql", "show", "report", "review", "export_gold",
            "schema"]

from pipeline.commands import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE  # noqa: F401 - the command's exit statuses


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="circulars",
        description="Ingest Thai government circulars into a Parquet dataset.",
    )
    parser.add_argument("--version", action="version", version=f"circulars {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"pipeline.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pipeline.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
