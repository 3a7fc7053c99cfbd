"""`circulars graph OUT [--letter REF] [--format text|json|graphml|dot] [--svg FILE]`.

Analysts ask of one letter "where did this come from, and who passed it
on?". The lineage answers both: everything the letter rests on (following
edges, up to the root directive and the decisions it acts on) and every
letter that passes it on (following edges backwards). People would rather
look at a lineage than read it, so `--svg` draws it with Graphviz.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if TYPE_CHECKING:  # networkx takes 0.15 s to import: every `circulars` command would pay it
    import networkx as nx

# the Thai fonts `make install` brings (fonts-thai-tlwg); Graphviz falls back if missing
DOT_FONT = "Loma"
KIND_STYLE = {
    "letter": 'shape=box, style="rounded,filled", fillcolor="#eef3fb"',
    "external_letter": 'shape=box, style="rounded,dashed"',
    "cabinet_resolution": 'shape=ellipse, style=filled, fillcolor="#fdf0d5"',
    "policy": 'shape=ellipse, style=filled, fillcolor="#fdf0d5"',
    "meeting": 'shape=ellipse, style=filled, fillcolor="#fdf0d5"',
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("graph", help="the directive graph: a letter's lineage, exported or drawn",
                       description="Print the lineage of a letter (what it rests on, up to the root "
                                   "directive, and every letter that passes it on), or export it. "
                                   "Without --letter the whole graph is exported. Exit status: 0 found, "
                                   "1 no such letter, 2 usage error.")
    p.add_argument("out", type=Path, metavar="OUT", help="dataset folder written by `circulars ingest`")
    p.add_argument("--letter", metavar="REF", help='reference, e.g. "มท 0305.1/ว 1660" (Thai digits too)')
    p.add_argument("--date", help="the letter's date (YYYY-MM-DD) when several letters share the reference")
    p.add_argument("--format", choices=["text", "json", "graphml", "dot"], default="text")
    p.add_argument("--svg", type=Path, metavar="FILE", help="also draw the lineage to FILE with Graphviz `dot`")
    p.set_defaults(func=run)


def load_graph(out: Path, only: set[str] | None = None) -> nx.MultiDiGraph:
    """The dataset's nodes and edges (all, or those among `only`) as a networkx multigraph.

    A multigraph, because one letter may both enclose and forward another.
    Filtering happens in Arrow before networkx sees a row, so a lineage out
    of 100,000 letters loads only its own few nodes.
    """
    nodes, edges = pq.read_table(out / "nodes"), pq.read_table(out / "edges")
    letters = pq.read_table(out / "letters", columns=["letter_id", "issuer", "subject"])
    if only is not None:
        ids = pa.array(sorted(only), pa.string())
        nodes = nodes.filter(pc.is_in(nodes["node_id"], value_set=ids))
        edges = edges.filter(pc.and_(pc.is_in(edges["src"], value_set=ids), pc.is_in(edges["dst"], value_set=ids)))
        letters = letters.filter(pc.is_in(letters["letter_id"], value_set=nodes["letter_id"].combine_chunks()))
    about = {row["letter_id"]: row for row in letters.to_pylist()}
    import networkx as nx

    graph = nx.MultiDiGraph()
    for row in nodes.to_pylist():
        extra = about.get(row["letter_id"]) or {}
        graph.add_node(row["node_id"], **row, issuer=extra.get("issuer"), subject=extra.get("subject"))
    for row in edges.to_pylist():
        graph.add_edge(row["src"], row["dst"], key=row["kind"], **row)
    return graph


def find_letters(out: Path, ref: str, when: str | None = None) -> list[str]:
    """Nodes whose reference (or a merged alias of it) is `ref`, optionally on `when`, oldest first."""
    from extractors.reference import canonical

    wanted = canonical(ref) or ref.strip()
    table = pq.read_table(out / "nodes", columns=["node_id", "ref", "date", "aliases"])
    found = []
    for node_id, node_ref, day, aliases in zip(*(table.column(c).to_pylist() for c in table.column_names)):
        names = {f"{node_ref}@{_iso(day) or '?'}"} | set(aliases or [])
        if any(name.split("@")[0] == wanted and (when is None or name.split("@")[1] == when) for name in names):
            found.append((_iso(day) or "", node_id))
    return [node_id for _, node_id in sorted(found)]


def lineage_ids(out: Path, starts: list[str]) -> set[str]:
    """The letters, all they rest on (following edges) and all that pass them on (against them)."""
    edges = pq.read_table(out / "edges", columns=["src", "dst"])
    forward: dict[str, list[str]] = defaultdict(list)
    backward: dict[str, list[str]] = defaultdict(list)
    for src, dst in zip(edges.column("src").to_pylist(), edges.column("dst").to_pylist()):
        forward[src].append(dst)
        backward[dst].append(src)
    keep = set(starts)
    for links in (forward, backward):
        stack, seen = list(starts), set(starts)
        while stack:
            for other in links.get(stack.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        keep |= seen
    return keep


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def describe(data: dict[str, Any]) -> str:
    kind = data.get("kind")
    if kind in ("letter", "external_letter"):
        text = data.get("label") or data["node_id"]
        return text + ("" if kind == "letter" else "  [not in the dataset]")
    return data.get("label") or data["node_id"]


def print_lineage(graph: nx.MultiDiGraph, node: str, stream: TextIO) -> None:
    """A letter, then the tree of what it rests on and the tree of who passes it on."""
    stream.write(describe(graph.nodes[node]) + "\n")
    subject = graph.nodes[node].get("subject")
    if subject:
        stream.write(f"  {subject}\n")

    def walk(here: str, forward: bool, depth: int, seen: set[str]) -> None:
        pairs = graph.out_edges(here, keys=True) if forward else graph.in_edges(here, keys=True)
        by_other: dict[str, list[str]] = {}
        for src, dst, kind in pairs:
            by_other.setdefault(dst if forward else src, []).append(kind)
        for other in sorted(by_other, key=lambda n: _iso(graph.nodes[n].get("date")) or "", reverse=not forward):
            kinds = ", ".join(sorted(by_other[other]))
            again = other in seen
            stream.write(f"{'   ' * depth}└─ {kinds}: {describe(graph.nodes[other])}"
                         f"{'  (see above)' if again else ''}\n")
            if not again:
                seen.add(other)
                walk(other, forward, depth + 1, seen)

    stream.write("rests on (up to the root directive):\n")
    if graph.out_degree(node):
        walk(node, True, 1, {node})
    else:
        stream.write("   nothing in the dataset\n")
    stream.write("passed on by:\n")
    if graph.in_degree(node):
        walk(node, False, 1, {node})
    else:
        stream.write("   no letter in the dataset\n")


def _quote(text: Any) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: nx.MultiDiGraph, focus: set[str] | None = None) -> str:
    """Graphviz DOT text: newer letters on the left, what they rest on to the right."""
    lines = ["digraph lineage {", "  rankdir=LR;",
             f'  node [fontname={_quote(DOT_FONT)}, fontsize=11]; edge [fontname={_quote(DOT_FONT)}, fontsize=9];']
    for node_id, data in sorted(graph.nodes(data=True)):
        if data.get("kind") in ("letter", "external_letter"):
            subject = data.get("subject") or ""
            parts = (data.get("ref") or "(no reference)", _iso(data.get("date")), data.get("issuer"),
                     subject[:40] + ("…" if len(subject) > 40 else ""))
        else:
            parts = (data.get("label"),)
        label = "\n".join(x for x in parts if x)
        style = KIND_STYLE.get(data.get("kind"), "shape=box")
        if focus and node_id in focus:
            style += ", penwidth=2.5"
        lines.append(f"  {_quote(node_id)} [label={_quote(label)}, {style}];")
    for src, dst, kind in sorted(graph.edges(keys=True)):
        lines.append(f"  {_quote(src)} -> {_quote(dst)} [label={_quote(kind)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(graph: nx.MultiDiGraph) -> str:
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"


def to_graphml(graph: nx.MultiDiGraph, stream: TextIO) -> None:
    """GraphML wants scalar attributes: dates as ISO text, lists joined, nulls as empty."""
    import networkx as nx

    plain = nx.MultiDiGraph()
    for node_id, data in graph.nodes(data=True):
        plain.add_node(node_id, **{k: _scalar(v) for k, v in data.items()})
    for src, dst, kind, data in graph.edges(keys=True, data=True):
        plain.add_edge(src, dst, key=kind, **{k: _scalar(v) for k, v in data.items()})
    for line in nx.generate_graphml(plain):
        stream.write(line + "\n")


def _scalar(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if isinstance(value, date):
        return value.isoformat()
    return value


def render_svg(dot: str, path: Path) -> None:
    """Draw with Graphviz `dot` (an argument list, never a shell string)."""
    binary = shutil.which("dot")
    if binary is None:
        raise FileNotFoundError("Graphviz `dot` is not installed (apt-get install graphviz)")
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([binary, "-Tsvg", "-o", str(path)], input=dot.encode("utf-8"), check=True,
                   capture_output=True, timeout=300)


def run(args: argparse.Namespace) -> int:
    from pipeline.commands import EXIT_OK, EXIT_USAGE

    if not (args.out / "nodes").is_dir():
        print(f"circulars: {args.out} has no graph (run `circulars ingest ... --out {args.out}` first)",
              file=sys.stderr)
        return EXIT_USAGE
    if args.letter:
        starts = find_letters(args.out, args.letter, args.date)
        if not starts:
            print(f"circulars: no letter {args.letter}{' of ' + args.date if args.date else ''} "
                  f"in {args.out}", file=sys.stderr)
            return 1
        graph = view = load_graph(args.out, lineage_ids(args.out, starts))
    else:
        starts, graph = [], load_graph(args.out)
        view = graph
    if args.format == "text":
        if not starts:
            kinds: dict[str, int] = {}
            for _, data in graph.nodes(data=True):
                kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
            print(f"{graph.number_of_nodes()} nodes ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}), "
                  f"{graph.number_of_edges()} edges; --letter REF prints a lineage")
        for i, start in enumerate(starts):
            if i:
                print()
            print_lineage(view, start, sys.stdout)
    elif args.format == "json":
        sys.stdout.write(to_json(view))
    elif args.format == "graphml":
        to_graphml(view, sys.stdout)
    else:
        sys.stdout.write(to_dot(view, set(starts)))
    if args.svg:
        try:
            render_svg(to_dot(view, set(starts)), args.svg)
        except (FileNotFoundError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            print(f"circulars: cannot draw {args.svg}: {exc} {detail.decode(errors='replace')}".strip(),
                  file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK
