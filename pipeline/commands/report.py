"""`circulars report OUT --html FILE`: the whole archive as one HTML file to open or mail.

A reviewer should not need Python, a server or the dataset to check an
ingest, so the report is one self-contained file: CSS inline, every picture
a `data:` URI, no external request. It holds what one looks at first (counts
by agency, form and month; when deadlines fall; who cites what), what went
wrong (`errors`, every warning), and then every letter twice over: its text
with each extracted value marked where it was read (spaCy's displaCy span
renderer) and the fields beside it, so a wrong value is spotted in seconds.

Plots are matplotlib figures saved as SVG with text kept as text, so the
browser shapes the Thai; the directive graph is laid out by Graphviz `dot`
(networkx + matplotlib when `dot` is not installed).
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.colours import label_colour
from pipeline.commands.show import HIDDEN_FIELDS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from pipeline.api import Dataset, LetterView

THAI_FONTS = ["Sarabun", "Noto Sans Thai", "Garuda", "Loma", "Laksaman", "Tahoma", "DejaVu Sans"]
CSS_FONTS = "'Sarabun', 'Noto Sans Thai', 'Leelawadee UI', 'Tahoma', 'Garuda', 'Loma', sans-serif"
KIND_COLOURS = {"due": "#d62728", "window_start": "#1f77b4", "window_end": "#1f77b4"}
NODE_STYLE = {  # graph node kind -> Graphviz attributes
    "letter": 'shape=box style="rounded,filled" fillcolor="#ffe8a3"',
    "external_letter": 'shape=box style="rounded,dashed"',
    "cabinet_resolution": 'shape=hexagon style=filled fillcolor="#c3e6cb"',
    "policy": 'shape=ellipse style=filled fillcolor="#d6d8f0"',
    "meeting": 'shape=ellipse style=filled fillcolor="#f5d0e0"',
}
EDGE_COLOURS = {"cites": "#555555", "encloses": "#1f77b4", "forwards": "#2ca02c", "acts_on": "#9467bd"}
MAX_GRAPH_NODES = 300  # beyond this `dot` takes minutes and the picture is unreadable anyway


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="one self-contained HTML report of a dataset, to open or mail",
                       description="Write one self-contained HTML file: counts by agency, form and month, "
                                   "a deadlines timeline, the directive graph, errors and warnings, and "
                                   "every letter with its extracted values highlighted beside its fields.")
    p.add_argument("out", type=Path, metavar="OUT", help="dataset folder written by `circulars ingest`")
    p.add_argument("--html", type=Path, required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--max-letters", type=int, default=1000, metavar="N",
                   help="show at most N letters in full (default 1000), so the file stays mailable")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.api import DatasetError, open_dataset
    from pipeline.commands import EXIT_OK, EXIT_USAGE

    try:
        dataset = open_dataset(args.out)
    except DatasetError as exc:
        print(f"circulars report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    page = build_report(dataset, max_letters=args.max_letters)
    target = Path(args.html)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        print(f"circulars report: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {target} ({len(page.encode()) // 1024} KiB, {len(dataset.letters)} letters)")
    return EXIT_OK


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- the page ------------------------------------------------------------------------------------

def build_report(dataset: "Dataset", max_letters: int = 1000, today: dt.date | None = None) -> str:
    """The whole report as one HTML string (no file or network is touched but the dataset's)."""
    today = today or dt.date.today()
    letters = dataset.letters
    sections = [
        _summary(dataset),
        _counts_section(letters),
        _deadlines_section(dataset, today),
        _graph_section(dataset),
        _problems_section(dataset),
        _letters_section(dataset, max_letters),
    ]
    title = f"Circulars report: {dataset.path.name or dataset.path}"
    return PAGE.format(title=_e(title), css=CSS, body="\n".join(sections), script=SCRIPT)


def _summary(dataset: "Dataset") -> str:
    manifest = dataset.manifest
    counts = [
        ("letters", len(dataset.letters)),
        ("sources", len(manifest.get("sources", {})) or dataset.letters["source_path"].nunique()),
        ("deadlines", len(dataset.deadlines)),
        ("citations", len(dataset.citations)),
        ("graph nodes", len(dataset.nodes)),
        ("errors", len(dataset.errors)),
        ("warnings", len(_warnings(dataset))),
    ]
    tiles = "".join(f'<div class="tile"><b>{n}</b><span>{_e(k)}</span></div>' for k, n in counts)
    run = manifest.get("created", "")
    version = manifest.get("schema_version", "")
    return (f'<header><h1>Circulars report</h1><p class="meta">dataset <code>{_e(str(dataset.path))}</code>'
            f'{" · run " + _e(str(run)) if run else ""}{" · schema_version " + _e(str(version)) if version else ""}'
            f' · report made {dt.datetime.now().strftime("%Y-%m-%d %H:%M")}</p>'
            f'<nav><a href="#counts">counts</a> <a href="#deadlines">deadlines</a> <a href="#graph">graph</a> '
            f'<a href="#problems">errors &amp; warnings</a> <a href="#letters">letters</a></nav>'
            f'<div class="tiles">{tiles}</div></header>')


# -- counts --------------------------------------------------------------------------------------

def _counts_section(letters: "pd.DataFrame") -> str:
    agency = Counter(_agency_label(row) for row in letters.to_dict("records"))
    form = Counter(str(f) if f else "unknown" for f in letters["form"].tolist())
    month = Counter(d.strftime("%Y-%m") if d is not None and d == d else "no date"
                    for d in letters["date"].tolist())
    months = sorted(month, key=lambda m: (m == "no date", m))
    parts = ['<section id="counts"><h2>Letters by agency, form and month</h2><div class="row">']
    for title, counter, order in (("by agency", agency, [k for k, _ in agency.most_common()]),
                                  ("by form", form, [k for k, _ in form.most_common()]),
                                  ("by month", month, months)):
        figure = _bar_figure(title, order, [counter[k] for k in order], horizontal=title != "by month")
        table = "".join(f"<tr><td>{_e(k)}</td><td class=num>{counter[k]}</td></tr>" for k in order)
        parts.append(f'<figure class="count" data-chart="{_e(title)}">{_img(figure, title)}'
                     f'<figcaption>letters {_e(title)}</figcaption>'
                     f'<details><summary>table</summary><table>{table}</table></details></figure>')
    parts.append("</div></section>")
    return "".join(parts)


def _agency_label(row: dict[str, Any]) -> str:
    code, name = row.get("agency_code"), row.get("agency_name")
    code = code if isinstance(code, str) else None
    name = name if isinstance(name, str) else None
    if code and name:
        return f"{code} {name}"
    return code or name or "unknown"


def _bar_figure(title: str, labels: list[str], values: list[int], horizontal: bool) -> "Figure":
    fig = _figure(6.0 if not horizontal else 5.0, max(2.2, 0.35 * len(labels) + 1.0) if horizontal else 3.2)
    ax = fig.add_subplot()
    if horizontal:
        ax.barh(range(len(labels)), values, color="#4c72b0")
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlabel("letters")
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.bar(range(len(labels)), values, color="#4c72b0")
        ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
        ax.set_ylabel("letters")
        ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"letters {title}")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


# -- deadlines -----------------------------------------------------------------------------------

def _deadlines_section(dataset: "Dataset", today: dt.date) -> str:
    deadlines = dataset.deadlines
    refs = _refs(dataset)
    head = '<section id="deadlines"><h2>Deadlines</h2>'
    if deadlines.empty:
        return head + '<p class="empty" data-timeline="empty">No deadline was found in these letters.</p></section>'
    rows = sorted(deadlines.to_dict("records"), key=lambda r: (_when(r), str(r.get("letter_id"))))
    figure = _timeline_figure(rows, refs, today)
    table = "".join(
        f'<tr class="{"past" if _when(r).date() < today else "coming"}"><td>{_e(_when(r).strftime("%Y-%m-%d %H:%M"))}</td>'
        f'<td>{_e(r.get("kind"))}</td><td>{_letter_link(r.get("letter_id"), refs)}</td>'
        f'<td>{_e(r.get("raw"))}</td><td class="action">{_e(r.get("action"))}</td>'
        f'<td>{_e("; ".join(_list(r.get("warnings"))))}</td></tr>'
        for r in rows)
    return (head + f'<figure class="timeline" data-timeline="{len(rows)}">{_img(figure, "deadlines timeline")}'
            f'<figcaption>when each letter asks for action: ◆ due date, bar: window; red line: today '
            f'({today.isoformat()})</figcaption></figure>'
            f'<table class="deadlines"><thead><tr><th>when (Bangkok)</th><th>kind</th><th>letter</th>'
            f'<th>as printed</th><th>action</th><th>warnings</th></tr></thead><tbody>{table}</tbody></table></section>')


def _when(row: dict[str, Any]) -> dt.datetime:
    """The deadline's moment (`due_at`, else its date), naive, for sorting and plotting."""
    value = row.get("due_at")
    if value is not None and value == value:
        return value.to_pydatetime().replace(tzinfo=None) if hasattr(value, "to_pydatetime") else value.replace(tzinfo=None)
    date = row.get("date")
    if date is not None and date == date:
        return dt.datetime.combine(date, dt.time())
    return dt.datetime(1970, 1, 1)


def _timeline_figure(rows: list[dict[str, Any]], refs: dict[str, str], today: dt.date) -> "Figure":
    """One line per letter: windows as bars, due dates as diamonds, today as a red line."""
    import matplotlib.dates as mdates

    order: list[str] = []
    for row in rows:
        if row["letter_id"] not in order:
            order.append(row["letter_id"])
    fig = _figure(9.0, max(2.4, 0.42 * len(order) + 1.4))
    ax = fig.add_subplot()
    for y, lid in enumerate(order):
        mine = [r for r in rows if r["letter_id"] == lid]
        starts = [r for r in mine if r.get("kind") == "window_start"]
        ends = [r for r in mine if r.get("kind") == "window_end"]
        for start, end in zip(starts, ends):  # a letter's windows pair up in order
            a, b = mdates.date2num(_when(start)), mdates.date2num(_when(end))
            ax.broken_barh([(a, max(b - a, 0.5))], (y - 0.25, 0.5), color=KIND_COLOURS["window_start"], alpha=0.6)
        for r in starts[len(ends):] + ends[len(starts):]:  # an unpaired end of a window
            ax.plot(_when(r), y, marker="|", markersize=14, color=KIND_COLOURS["window_start"])
        for r in mine:
            if r.get("kind") == "due":
                ax.plot(_when(r), y, marker="D", markersize=7, color=KIND_COLOURS["due"])
    lo = min(_when(r) for r in rows)
    hi = max(_when(r) for r in rows)
    if lo - dt.timedelta(days=60) <= dt.datetime.combine(today, dt.time()) <= hi + dt.timedelta(days=60):
        ax.axvline(dt.datetime.combine(today, dt.time()), color="#d62728", linewidth=1)
    ax.set_yticks(range(len(order)), [refs.get(lid, lid[:8]) for lid in order])
    ax.invert_yaxis()
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#dddddd")
    ax.set_title("deadlines by letter")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


# -- the directive graph -------------------------------------------------------------------------

def graph_frames(dataset: "Dataset") -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """Nodes and edges to draw, and where they came from.

    The graph stage's `nodes`/`edges` when it has run; before it has, the
    `citations` table already says who cites and encloses what, so the
    picture is drawn from that (and says so) rather than left blank.
    """
    nodes, edges = dataset.nodes, dataset.edges
    if not edges.empty:
        return nodes.to_dict("records"), edges.to_dict("records"), "nodes/edges"
    citations = dataset.citations
    if citations.empty:
        return nodes.to_dict("records"), [], "nodes/edges"
    letters = dataset.letters
    by_id = {r["letter_id"]: r for r in letters.to_dict("records")}
    out_nodes: dict[str, dict[str, Any]] = {}
    out_edges = []
    for row in citations.to_dict("records"):
        src = row["letter_id"]
        target = row.get("target_letter_id")
        target = target if isinstance(target, str) and target in by_id else None
        dst = target or f"ref:{row.get('ref') or row.get('ref_raw')}:{row.get('date')}"
        for node_id, letter in ((src, by_id.get(src)), (dst, by_id.get(target) if target else None)):
            if node_id in out_nodes:
                continue
            if letter is not None:
                out_nodes[node_id] = {"node_id": node_id, "kind": "letter", "ref": letter.get("ref"),
                                      "date": letter.get("date"), "letter_id": node_id}
            else:
                out_nodes[node_id] = {"node_id": node_id, "kind": "external_letter", "ref": row.get("ref"),
                                      "date": row.get("date"), "letter_id": None}
        out_edges.append({"src": src, "dst": dst, "kind": row.get("kind"), "letter_id": src})
    return list(out_nodes.values()), out_edges, "citations"


def _node_label(node: dict[str, Any]) -> str:
    label = node.get("label")
    if isinstance(label, str) and label:
        return label
    ref = node.get("ref") if isinstance(node.get("ref"), str) else None
    date = node.get("date")
    date = date.isoformat() if hasattr(date, "isoformat") and date == date else ""
    return "\n".join(x for x in (ref or str(node.get("kind") or "?"), date) if x)


def _graph_section(dataset: "Dataset") -> str:
    nodes, edges, origin = graph_frames(dataset)
    head = '<section id="graph"><h2>Directive graph</h2>'
    if not edges:
        return head + '<p class="empty" data-graph="empty">No edges: no letter cites, encloses, forwards or acts on another.</p></section>'
    used = {e["src"] for e in edges} | {e["dst"] for e in edges}
    shown = [n for n in nodes if n["node_id"] in used]
    note = ""
    if len(shown) > MAX_GRAPH_NODES:
        degree = Counter([e["src"] for e in edges] + [e["dst"] for e in edges])
        keep = {n for n, _ in degree.most_common(MAX_GRAPH_NODES)}
        shown = [n for n in shown if n["node_id"] in keep]
        edges = [e for e in edges if e["src"] in keep and e["dst"] in keep]
        note = f" Only the {MAX_GRAPH_NODES} most connected nodes are drawn."
    known = {n["node_id"] for n in shown}
    for e in edges:  # an edge to a node the nodes table lacks still gets drawn
        for end in (e["src"], e["dst"]):
            if end not in known:
                shown.append({"node_id": end, "kind": "external_letter", "ref": end})
                known.add(end)
    picture, engine = render_graph(shown, edges)
    source = ("the graph stage's <code>nodes</code> and <code>edges</code>" if origin == "nodes/edges"
              else "the <code>citations</code> table (the graph tables are empty)")
    legend = " ".join(f'<span class="edge" style="border-color:{c}">{k}</span>' for k, c in EDGE_COLOURS.items())
    return (head + f'<figure class="graph" data-graph="{len(shown)} nodes, {len(edges)} edges">'
            f'{picture}<figcaption>{len(shown)} nodes and {len(edges)} edges from {source}, drawn with '
            f'{engine}; an arrow points from a letter to what it depends on. {legend}{_e(note)}</figcaption>'
            f'</figure></section>')


def render_graph(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> tuple[str, str]:
    """The graph as an <img> (SVG data URI) and the name of what drew it."""
    dot = shutil.which("dot")
    if dot:
        try:
            svg = subprocess.run([dot, "-Tsvg"], input=dot_source(nodes, edges).encode("utf-8"),
                                 capture_output=True, timeout=120, check=True).stdout
            return _data_img(svg, "image/svg+xml", "directive graph"), "Graphviz dot"
        except (subprocess.SubprocessError, OSError):
            pass  # fall through to networkx: a picture is better than none
    return _img(_networkx_figure(nodes, edges), "directive graph"), "networkx and matplotlib"


def dot_source(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> str:
    """Graphviz source: node style by kind, edge colour by kind, left to right (newer to older)."""
    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = ["digraph directives {", "  rankdir=LR;",
             '  node [fontname="Noto Sans Thai,Garuda,Sarabun,sans-serif" fontsize=11];',
             '  edge [fontname="DejaVu Sans" fontsize=9];']
    for node in nodes:
        style = NODE_STYLE.get(str(node.get("kind")), "shape=box")
        lines.append(f"  {q(str(node['node_id']))} [label={q(_node_label(node))} {style}];")
    for edge in edges:
        colour = EDGE_COLOURS.get(str(edge.get("kind")), "#999999")
        lines.append(f"  {q(str(edge['src']))} -> {q(str(edge['dst']))} "
                     f"[label={q(str(edge.get('kind') or ''))} color={q(colour)} fontcolor={q(colour)}];")
    lines.append("}")
    return "\n".join(lines)


def _networkx_figure(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> "Figure":
    import networkx as nx

    graph = nx.DiGraph()
    for node in nodes:
        graph.add_node(node["node_id"], label=_node_label(node))
    for edge in edges:
        graph.add_edge(edge["src"], edge["dst"], kind=edge.get("kind"))
    fig = _figure(9.0, 6.0)
    ax = fig.add_subplot()
    pos = nx.spring_layout(graph, seed=1)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color="#ffe8a3", node_size=300)
    nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True,
                           edge_color=[EDGE_COLOURS.get(str(d.get("kind")), "#999") for *_, d in graph.edges(data=True)])
    nx.draw_networkx_labels(graph, pos, ax=ax, labels=nx.get_node_attributes(graph, "label"), font_size=7,
                            font_family=_fonts()[0])
    ax.set_axis_off()
    fig.tight_layout()
    return fig


# -- errors and warnings -------------------------------------------------------------------------

def _warnings(dataset: "Dataset") -> list[tuple[str, str, str]]:
    """(letter_id, where, warning) for every warning on a letter or a deadline."""
    out = []
    for row in dataset.letters[["letter_id", "warnings"]].to_dict("records"):
        out.extend((row["letter_id"], "letter", str(w)) for w in _list(row["warnings"]))
    if "warnings" in dataset.deadlines.columns:
        for row in dataset.deadlines[["letter_id", "kind", "warnings"]].to_dict("records"):
            out.extend((row["letter_id"], f"deadline {row['kind']}", str(w)) for w in _list(row["warnings"]))
    return out


def _problems_section(dataset: "Dataset") -> str:
    refs = _refs(dataset)
    errors = dataset.errors.to_dict("records")
    warnings = _warnings(dataset)
    parts = ['<section id="problems"><h2>Errors and warnings</h2>', f'<h3>errors ({len(errors)})</h3>']
    if errors:
        parts.append('<table class="errors"><thead><tr><th>source</th><th>stage</th><th>type</th><th>message</th>'
                     '</tr></thead><tbody>' + "".join(
                         f"<tr><td>{_e(r.get('source_path'))}</td><td>{_e(r.get('stage'))}</td>"
                         f"<td>{_e(r.get('error_type'))}</td><td>{_e(r.get('message'))}</td></tr>" for r in errors)
                     + "</tbody></table>")
    else:
        parts.append('<p class="empty">Every source was read.</p>')
    parts.append(f'<h3>warnings ({len(warnings)})</h3>')
    if warnings:
        parts.append('<table class="warnings"><thead><tr><th>letter</th><th>on</th><th>warning</th></tr></thead><tbody>'
                     + "".join(f"<tr><td>{_letter_link(lid, refs)}</td><td>{_e(where)}</td><td>{_e(w)}</td></tr>"
                               for lid, where, w in warnings) + "</tbody></table>")
    else:
        parts.append('<p class="empty">No warnings.</p>')
    parts.append("</section>")
    return "".join(parts)


# -- letters -------------------------------------------------------------------------------------

def _letters_section(dataset: "Dataset", max_letters: int) -> str:
    views = dataset.letter_views()
    views.sort(key=lambda v: (str(v.letter.get("source_path")), v.letter.get("segment") or 0))
    shown = views[:max_letters]
    parts = [f'<section id="letters"><h2>Letters ({len(views)})</h2>']
    if len(views) > len(shown):
        parts.append(f'<p class="note">The first {len(shown)} letters are shown in full '
                     f'(<code>--max-letters</code> to change).</p>')
    parts.append("<ol class=toc>" + "".join(
        f'<li><a href="#{_anchor(v.letter_id)}">{_e(v.title)}</a> {_e(v.letter.get("subject") or "")}</li>'
        for v in shown) + "</ol>")
    parts.extend(letter_html(v) for v in shown)
    parts.append("</section>")
    return "".join(parts)


def letter_html(view: "LetterView") -> str:
    """One letter: its text with spans marked (displaCy) and its fields and child rows beside it."""
    fields = "".join(
        f'<tr><th><span class="swatch" style="background:{label_colour(k) if k in _labels(view) else "transparent"}">'
        f'</span>{_e(k)}</th><td>{_e(_cell(v))}</td></tr>'
        for k, v in view.letter.items() if k not in HIDDEN_FIELDS and v not in (None, "", []) and v == v)
    related = []
    for name, rows in view.related.items():
        if not rows:
            continue
        columns = [c for c in rows[0] if c != "letter_id" and any(r.get(c) not in (None, "", []) for r in rows)]
        if len(columns) <= 6:  # narrow: one table, a row per row
            body = ('<table class="rel"><tr>' + "".join(f"<th>{_e(c)}</th>" for c in columns) + "</tr>"
                    + "".join("<tr>" + "".join(f"<td>{_e(_cell(r.get(c)))}</td>" for c in columns) + "</tr>"
                              for r in rows) + "</table>")
        else:  # wide (deadlines): a column does not fit beside the text, so each row reads down
            body = "".join('<table class="rel kv">' + "".join(
                f"<tr><th>{_e(c)}</th><td>{_e(_cell(r.get(c)))}</td></tr>"
                for c in columns if r.get(c) not in (None, "", [])) + "</table>" for r in rows)
        related.append(f'<details open><summary>{_e(name)} ({len(rows)})</summary>{body}</details>')
    return (f'<article class="letter" id="{_anchor(view.letter_id)}" data-letter-id="{_e(view.letter_id)}">'
            f'<h3>{_e(view.title)}</h3><div class="pair"><div class="text">{spans_html(view)}</div>'
            f'<aside><table class="fields">{fields}</table>{"".join(related)}</aside></div></article>')


def spans_html(view: "LetterView") -> str:
    """displaCy's span rendering of the letter's text, line breaks kept.

    The Doc is cut at every span boundary and at whitespace, so each span is
    a whole number of tokens and the text is the letter's own, character for
    character. Newlines travel through displaCy as U+2028 (displaCy treats
    them as whitespace and would otherwise fold them into its markup's own
    newlines) and come out as <br>.
    """
    from spacy import displacy
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    text = view.text.replace("\r", " ")
    if not text:
        return '<p class="empty">(no text)</p>'
    spans = view.valid_spans()
    cuts = {0, len(text)}
    for span in spans:
        cuts.update((int(span["start"]), int(span["end"])))
    for i in range(1, len(text)):
        if text[i].isspace() != text[i - 1].isspace():
            cuts.add(i)
    bounds = sorted(cuts)
    words = [text[a:b].replace("\n", "\u2028") for a, b in zip(bounds, bounds[1:])]
    doc = Doc(Vocab(), words=words, spaces=[False] * len(words))
    doc.spans["sc"] = [s for s in (doc.char_span(int(x["start"]), int(x["end"]), label=str(x["label"]))
                                   for x in spans) if s is not None]
    colours = {str(s["label"]): label_colour(str(s["label"])) for s in spans}
    markup = displacy.render(doc, style="span", options={"colors": colours}, page=False, jupyter=False)
    # one newline breaks the line; a blank line (or more) is a small paragraph gap, not two
    # empty lines of displaCy's tall line height
    markup = re.sub("\u2028{2,} ?", '<br><span class="para"></span>', markup)
    return markup.replace("\u2028 ", "<br>").replace("\u2028", "<br>")


# -- helpers -------------------------------------------------------------------------------------

def _figure(width: float, height: float) -> "Figure":
    """A matplotlib Figure (no pyplot, no GUI backend) with a font that has Thai."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["font.family"] = _fonts()
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: the browser shapes the Thai
    return Figure(figsize=(width, height), dpi=100)


_FONTS: list[str] = []


def _fonts() -> list[str]:
    """The Thai-capable families matplotlib can use here, best first.

    Sarabun and Noto Sans Thai ship as Python packages (fontpkg) and are
    registered with matplotlib; the others are system fonts that may or may
    not be installed. Only families that exist are named, because matplotlib
    warns once per text for each missing one.
    """
    if _FONTS:
        return _FONTS
    from matplotlib import font_manager

    try:
        from fontpkg.mpl import use

        for family in ("Sarabun", "Noto Sans Thai"):
            try:
                use(family)
            except Exception:  # a missing font package only costs the fallback font
                pass
    except ImportError:
        pass
    known = {f.name for f in font_manager.fontManager.ttflist}
    _FONTS.extend([f for f in THAI_FONTS if f in known] or ["DejaVu Sans"])
    return _FONTS


def _img(figure: "Figure", alt: str) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _data_img(buffer.getvalue(), "image/svg+xml", alt)


def _data_img(data: bytes, mime: str, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{_e(alt)}" src="data:{mime};base64,{encoded}">'


def _refs(dataset: "Dataset") -> dict[str, str]:
    return {r["letter_id"]: (r["ref"] if isinstance(r["ref"], str) else f"{r['source_path']} #{r['segment']}")
            for r in dataset.letters[["letter_id", "ref", "source_path", "segment"]].to_dict("records")}


def _letter_link(letter_id: Any, refs: dict[str, str]) -> str:
    lid = str(letter_id)
    return f'<a href="#{_anchor(lid)}">{_e(refs.get(lid, lid))}</a>'


def _anchor(letter_id: str) -> str:
    return f"letter-{letter_id}"


def _labels(view: "LetterView") -> set[str]:
    return {str(s["label"]) for s in view.spans}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, float) and value != value:
        return []
    return list(value)


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return "" if value is None else str(value)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


PAGE = """<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}
<script>{script}</script>
</body>
</html>
"""

CSS = """
body { font-family: %s; margin: 0 auto; max-width: 1500px; padding: 1rem 2rem; color: #222; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2.5rem; }
.meta { color: #666; } nav a { margin-right: 1rem; }
.tiles { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.tile { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1rem; min-width: 6rem; }
.tile b { display: block; font-size: 1.6rem; } .tile span { color: #666; }
.row { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; } figcaption { color: #555; font-size: .9rem; margin-top: .3rem; }
figure img { max-width: 100%%; height: auto; }
table { border-collapse: collapse; font-size: .9rem; }
td, th { border-bottom: 1px solid #eee; padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; } td.action { max-width: 40rem; }
tr.past td { color: #888; }
.empty, .note { color: #666; font-style: italic; }
.edge { border-bottom: 3px solid; margin: 0 .3rem; padding: 0 .2rem; }
ol.toc { columns: 2; font-size: .9rem; }
article.letter { border-top: 1px solid #ccc; padding-top: .5rem; margin-top: 1.5rem; }
.pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; }
.text { font-size: 15px; } .text .para { display: block; height: .3em; } .text .spans { line-height: 2.6 !important; }
aside { font-size: .85rem; overflow-x: auto; }
table.deadlines { width: 100%%; } td { overflow-wrap: break-word; }
table.kv { width: 100%%; border-left: 3px solid #ddd; } table.kv th { width: 9rem; color: #555; } aside table.fields th { white-space: nowrap; font-weight: 600; }
.swatch { display: inline-block; width: .7rem; height: .7rem; border-radius: 2px; margin-right: .3rem; }
table.rel { font-size: .8rem; margin-bottom: .5rem; } details summary { cursor: pointer; color: #444; }
@media (max-width: 900px) { .pair { grid-template-columns: 1fr; } }
@media print { details { display: block; } nav { display: none; } }
""" % CSS_FONTS

# Marks each picture once the browser has decoded it, so a headless browser test (and a curious
# reader of the DOM) can tell a drawn picture from a broken one. The report works without it.
SCRIPT = """
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images), ok = 0;
  imgs.forEach(function (img) {
    var drawn = img.complete && img.naturalWidth > 0;
    img.setAttribute("data-rendered", drawn ? "yes" : "no");
    if (drawn) { img.setAttribute("data-natural-width", img.naturalWidth); ok += 1; }
  });
  document.body.setAttribute("data-images-rendered", ok + "/" + imgs.length);
});
"""
