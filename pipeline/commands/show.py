"""`circulars show FILE|LETTER_ID [--out OUT]`: one letter in the terminal, checkable at a glance.

A wrong value is found fastest by looking at where it was read. So the
letter's text is printed with every extracted value highlighted in place and
tagged with its field (`‹date›๑๘ มกราคม ๒๕๖๗`), and the fields beside it use
the same colours. Given a FILE, the pipeline runs on it here and now (nothing
is written), which is how an extractor change is checked on one awkward
letter; given a LETTER_ID (or a prefix of one, or a reference), the letter
is read from the dataset as it was ingested.

With `--png OUT.png` (a FILE that has pages: a PDF or a page image), each page
of the letters shown is also written as a PNG with every value boxed where it
was read on the page, in the same colours (pipeline.draw): OUT.png for one
page, OUT-p1.png, OUT-p2.png … for several. A text file has no page to draw
on: that is a usage error (exit 2), as is --png with a LETTER_ID.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.colours import label_colour

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

    from pipeline.api import LetterView

# letter columns not worth a row in the field list (the text is shown below it; offsets are plumbing)
HIDDEN_FIELDS = {"text", "char_start", "char_end", "source_sha256"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="one letter in the terminal: fields, and its text with each value highlighted",
                       description="Show a letter: its fields, and its text with each extracted value "
                                   "highlighted where it was read. FILE is processed now (nothing is "
                                   "written); otherwise the argument is a letter_id (or a prefix of one, "
                                   "or a reference such as 'มท 0305.1/ว 1660') in the dataset OUT.")
    p.add_argument("target", metavar="FILE|LETTER_ID")
    p.add_argument("--out", type=Path, default=Path("out"), help="dataset folder (default: out)")
    p.add_argument("--png", type=Path, metavar="OUT.png",
                   help="FILE a PDF or a page image: also draw each value boxed on its page, written as "
                        "OUT.png (one page) or OUT-p1.png, OUT-p2.png … (several)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from pipeline.api import DatasetError, LetterView, open_dataset
    from pipeline.commands import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE

    console = Console()
    target = Path(args.target)
    png = getattr(args, "png", None)
    if png is not None:
        problem = png_usage_problem(target, png)
        if problem:
            print(f"circulars show: {problem}", file=sys.stderr)
            return EXIT_USAGE
    if target.is_file():
        from pipeline.letters.process import process_source
        from pipeline.model import ReadError
        from pipeline.read.pages import read_source
        from pipeline.settings import Settings

        settings = Settings.from_env()
        pages = None
        if png is not None:  # read here, so that the pages drawn are the ones the letters were read from
            try:
                pages = read_source(target, settings=settings)
            except ReadError as exc:
                console.print(f"[bold red]error[/] {exc.stage}/{exc.error_type}: {_esc(exc.message)}")
                return EXIT_SOME_FAILED
        result = process_source(target, target.name, pages=pages, settings=settings)
        for error in result.errors:
            console.print(f"[bold red]error[/] {error.stage}/{error.error_type}: {error.message}", markup=True)
        for warning in result.warnings:
            console.print(f"[yellow]warning[/] {warning}")
        views = [LetterView.from_record(r) for r in result.letters]
        if not views:
            console.print(f"no letter found in {target}" + (": nothing drawn" if png is not None else ""))
            return EXIT_SOME_FAILED if result.errors else EXIT_OK
        for view in views:
            render_letter(console, view)
        written = write_pngs(console, target, pages or [], views, png) if png is not None else True
        return EXIT_SOME_FAILED if result.errors or not written else EXIT_OK
    try:
        view = open_dataset(args.out).letter(args.target)
    except DatasetError as exc:
        hint = "" if args.out != Path("out") or Path("out").is_dir() else " (is the dataset elsewhere? use --out)"
        print(f"circulars show: {exc}{hint}", file=sys.stderr)
        return EXIT_USAGE
    render_letter(console, view)
    return EXIT_OK


def png_usage_problem(target: Path, png: Path) -> str | None:
    """Why `--png` cannot be done for `target` (before anything is read), or None."""
    from pipeline.read.pages import IMAGE_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES

    if not target.is_file():
        return (f"--png needs a FILE with pages (a PDF or a page image): {target} is not a file "
                "(a letter in the dataset keeps no page image)")
    suffix = target.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return f"{target} is a text file: it has no page image to draw on (--png needs a PDF or a page image)"
    if suffix not in PDF_SUFFIXES | IMAGE_SUFFIXES:
        return f"{target}: --png needs a PDF or a page image, not {suffix or 'a file without a suffix'}"
    if not png.parent.is_dir():
        return f"--png {png}: no folder {png.parent} to write into"
    return None


def write_pngs(console: "Console", target: Path, pages: list, views: list["LetterView"], png: Path) -> bool:
    """Draw the letters' pages (pipeline.draw), write them, and say where, and what could not be
    placed. False when a PNG could not be written."""
    from pipeline.draw import draw_letters, png_paths

    drawings = draw_letters(target, pages, views)
    paths = png_paths(png, [d.number for d in drawings])
    for drawing in drawings:
        path = paths[drawing.number]
        try:
            drawing.image.save(path, format="PNG")
        except OSError as exc:
            console.print(f"[bold red]error[/] cannot write {_esc(str(path))}: {_esc(exc.strerror or str(exc))}",
                          soft_wrap=True)
            return False
        extra = "".join(f", {n} {what}{'s' if n > 1 else ''}" for n, what in
                        ((drawing.stamps, "receipt stamp"), (drawing.cuts, "block cut")) if n)
        console.print(f"page {drawing.number} → [bold]{_esc(str(path))}[/]: "
                      f"{len(drawing.placed)} values boxed{extra}", soft_wrap=True)
        for label, value in drawing.not_placed:
            console.print(f"  [yellow]not placed[/] {label}: {_esc(value[:60])}", soft_wrap=True)
    if not drawings:
        console.print("no page to draw: the letters have no page numbers")
    return True


def render_letter(console: "Console", view: "LetterView") -> None:
    """Print one letter: header, fields (with the colour of their highlight), child rows, text."""
    from rich.panel import Panel
    from rich.rule import Rule

    console.print(Rule(f"[bold]{_esc(view.title)}[/]"))
    console.print(fields_table(view))
    for renderable in related_tables(view):
        console.print(renderable)
    console.print(Panel(highlighted_text(view), title="text (values highlighted where read)",
                        title_align="left", border_style="dim"))
    labels = sorted({s["label"] for s in view.valid_spans()})
    if labels:
        console.print(legend(labels))


def fields_table(view: "LetterView") -> "RenderableType":
    """The letter's non-empty fields; a field read from the text shows its highlight colour."""
    from rich.table import Table
    from rich.text import Text

    from pipeline.thai.wrap import thai_cell

    read = {s["label"] for s in view.spans}
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name, value in view.letter.items():
        if name in HIDDEN_FIELDS or value is None or value == [] or value == "":
            continue
        shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        key = Text(name, style=f"bold black on {label_colour(name)}" if name in read else "bold")
        table.add_row(key, thai_cell(shown))
    return table


def related_tables(view: "LetterView") -> list["RenderableType"]:
    """One small table per child table that has rows for this letter."""
    from rich.table import Table

    from pipeline.thai.wrap import thai_cell

    out = []
    for name, rows in view.related.items():
        if not rows:
            continue
        columns = [c for c in rows[0] if c != "letter_id"
                   and any(r.get(c) not in (None, "", []) for r in rows)]
        table = Table(title=f"{name} ({len(rows)})", title_justify="left", title_style="bold",
                      header_style="dim", show_edge=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*[thai_cell(_cell(row.get(c))) for c in columns])
        out.append(table)
    return out


def highlighted_text(view: "LetterView") -> "Text":
    """The letter's text with a coloured background on each span and a ‹label› tag where it starts.

    Spans may nest (a citation's date inside the citation); the innermost,
    i.e. the one starting last, decides the colour of the characters it covers.
    Lines wrap between Thai words (`ThaiText`), not wherever the panel ends.
    """
    from pipeline.thai.wrap import ThaiText

    text = view.text
    spans = view.valid_spans()
    starts: dict[int, list[dict[str, Any]]] = {}
    for span in spans:
        starts.setdefault(int(span["start"]), []).append(span)
    bounds = sorted({0, len(text)} | {int(s["start"]) for s in spans} | {int(s["end"]) for s in spans})
    out = ThaiText()
    for left, right in zip(bounds, bounds[1:]):
        for span in starts.get(left, []):
            out.append(f"‹{span['label']}›", style=f"bold black on {label_colour(span['label'])}")
        active = [s for s in spans if int(s["start"]) <= left < int(s["end"])]
        style = f"black on {label_colour(active[-1]['label'])}" if active else ""
        out.append(text[left:right], style=style)
    return out


def legend(labels: list[str]) -> "Text":
    from rich.text import Text

    out = Text("labels: ")
    for label in labels:
        out.append(f" {label} ", style=f"black on {label_colour(label)}")
        out.append(" ")
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
