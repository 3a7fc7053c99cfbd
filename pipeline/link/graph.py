"""Link stage: the directive graph over the whole dataset.

Analysts ask "where did this instruction come from, and who passed it on?".
The answer is spread over many files: a province's covering letter encloses a
department's letter, which cites the ministry's. This stage reads the
`letters`, `citations` and `mentions` tables of the *whole* dataset (every
part file, whichever run wrote it) and writes the `nodes` and `edges` tables,
plus `node_members` (why each mention belongs to its node), and fills
`citations.target_letter_id`. It is rebuilt from scratch on every ingest, so a
letter ingested later resolves citations that were dangling before.

Identity ("are these two mentions one letter?") is decided in this order,
each step recorded as a `merge_reason`:

1. `same_ref_date`: agency, office code, circular mark, number and date agree
   after normalisation (the contract's rule).
2. `same_ref_undated`: one side has no date and exactly one dated letter has
   that reference.
3. `ocr_digit` / `ocr_agency`: the dates agree and the references differ by
   one OCR slip: one digit, or one agency letter that OCR confuses (`นท` for
   `มท`) where the slipped code is not a real agency. Different years or two
   real agencies are never merged. A slip is only accepted when it is the
   *only* candidate and no one letter names both; between two letters that
   are both in the dataset only when their subjects agree; and a digit slip
   needs one side printed as a letter in the dataset, because one office
   often issues letters with adjacent numbers on the same day.
4. `position`: the letter printed right after a covering letter in the same
   file is the copy that covering letter encloses, even when OCR changed two
   digits and the day (seed 004: `ว ๕๙๙๒` of 20 Oct enclosed, `ว๕๑๖๒` of
   21 Oct printed), provided agency and office agree and the dates are close.

Everything is done with dicts keyed by a reference tuple and blocked by date,
so the cost grows linearly with the archive (see benchmarks/bench_graph.py).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.store.write import write_table_file
from schemas.tables import TABLES

GRAPH_TABLES = ("nodes", "edges", "node_members")

# Thai consonants that OCR mistakes for one another in reference letters
# (นท for มท in seed 002). Each string is one class; a code whose letter is
# swapped within its class is an OCR slip only if the result is no real agency.
CONFUSABLE_CLASSES = ("นม", "บปษ", "ดตค", "ขชซ", "ศส", "ถภ", "พฟผฝ", "ฎฏ", "ฑฆ")
_CLASS_OF = {ch: cls[0] for cls in CONFUSABLE_CLASSES for ch in cls}

POSITION_MAX_DAYS = 31       # a covering letter's enclosure vs. the copy that follows it
SUBJECT_MIN_SIMILARITY = 0.8  # two dataset letters merged by an OCR slip must say the same thing

EPOCH = date(1970, 1, 1)

# (agency, office, circular, number, days since 1970 or None)
Key = tuple[str, str, bool, str, "int | None"]


# ----------------------------------------------------------------------------- references

def split_ref(ref: str | None) -> tuple[str, str, bool, str] | None:
    """A canonical reference (`มท 0305.1/ว 1660`) into (agency, office, circular, number).

    The extractors already write canonical references, so plain string
    splitting is enough and fast; anything else goes through the parser.
    """
    if not ref:
        return None
    try:
        agency, rest = ref.split(" ", 1)
        office, tail = rest.split("/", 1)
        circular = tail.startswith("ว ")
        number = tail[2:] if circular else tail
        if agency and office and number.isdigit():
            return agency, office, circular, number
    except ValueError:
        pass
    from extractors.reference import canonical

    again = canonical(ref)
    if again and again != ref:
        return split_ref(again)
    return None


def join_ref(agency: str, office: str, circular: bool, number: str) -> str:
    return f"{agency} {office}/{'ว ' if circular else ''}{number}"


def key_label(key: Key) -> str:
    """`มท 0305.1/ว 1660@2024-01-18`: readable node ids and merge details."""
    when = "?" if key[4] is None else (EPOCH + timedelta(days=key[4])).isoformat()
    return f"{join_ref(*key[:4])}@{when}"


def _known_agencies() -> frozenset[str]:
    try:
        from pipeline.thai import facts

        return frozenset(facts.agencies())
    except Exception:  # the facts table is optional for the graph; then any swap is doubtful
        return frozenset()


def agency_slip(a: str, b: str, known: frozenset[str]) -> bool:
    """True when `a` and `b` differ by one OCR-confusable letter and are not two real agencies."""
    if a == b or len(a) != len(b):
        return False
    diffs = [(x, y) for x, y in zip(a, b) if x != y]
    if len(diffs) != 1:
        return False
    x, y = diffs[0]
    if _CLASS_OF.get(x) is None or _CLASS_OF.get(x) != _CLASS_OF.get(y):
        return False
    return not (a in known and b in known)


def _agency_class(agency: str) -> str:
    return "".join(_CLASS_OF.get(ch, ch) for ch in agency)


def _squash(text: str | None) -> str:
    return "".join((text or "").split())


def subjects_agree(a: str | None, b: str | None) -> bool:
    a, b = _squash(a), _squash(b)
    if not a or not b:
        return False
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= SUBJECT_MIN_SIMILARITY and matcher.ratio() >= SUBJECT_MIN_SIMILARITY


# ----------------------------------------------------------------------------- reading

def _parts(out: Path, name: str) -> list[Path]:
    return sorted((out / name).glob("part-*.parquet"))


def _read(out: Path, name: str, columns: list[str]) -> pa.Table:
    """Every part of a table, only `columns` (the letters' text is never loaded)."""
    tables = []
    for part in _parts(out, name):
        have = set(pq.read_schema(part).names)
        table = pq.read_table(part, columns=[c for c in columns if c in have])
        for c in columns:
            if c not in have:
                table = table.append_column(c, pa.nulls(len(table), TABLES[name].field(c).type))
        tables.append(table.select(columns).cast(pa.schema([TABLES[name].field(c) for c in columns])))
    if not tables:
        return pa.schema([TABLES[name].field(c) for c in columns]).empty_table()
    return pa.concat_tables(tables)


def _days(column: pa.ChunkedArray) -> list[int | None]:
    return column.cast(pa.int32()).to_pylist()


# ----------------------------------------------------------------------------- identity

class UnionFind:
    """Groups of reference keys; each union remembers why, for `node_members`."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.letters: list[int] = []  # per root: letter rows in the group

    def add(self) -> int:
        self.parent.append(len(self.parent))
        self.letters.append(0)
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.letters[ra] += self.letters[rb]
        return ra


@dataclass
class Identity:
    """The keys (distinct reference+date values) of every mention and how they group."""

    keys: list[Key] = field(default_factory=list)
    index: dict[Key, int] = field(default_factory=dict)
    letters_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # key -> letter rows
    citations_of: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # key -> citation count
    cited_by: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # key -> citing letter ids
    links: list[tuple[int, int, str, str]] = field(default_factory=list)  # (a, b, reason, detail)
    uf: UnionFind = field(default_factory=UnionFind)

    def key_id(self, key: Key) -> int:
        kid = self.index.get(key)
        if kid is None:
            kid = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.uf.add()
        return kid

    def add_citation(self, kid: int, citing: str) -> None:
        self.citations_of[kid] += 1
        self.cited_by[kid].add(citing)

    def cited_together(self, a: int, b: int) -> bool:
        """True when some letter cites or encloses both keys: then they are two letters."""
        return not self.cited_by.get(a, set()).isdisjoint(self.cited_by.get(b, set()))

    def add_letter(self, kid: int, row: int) -> None:
        self.letters_of[kid].append(row)
        self.uf.letters[kid] += 1

    def group_letters(self, kid: int) -> int:
        """How many letter rows the group of `kid` holds (0: known only from citations)."""
        return self.uf.letters[self.uf.find(kid)]

    def link(self, a: int, b: int, reason: str, detail: str) -> None:
        if self.uf.find(a) != self.uf.find(b):
            self.uf.union(a, b)
            self.links.append((a, b, reason, detail))


def _members(identity: Identity) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for kid in range(len(identity.keys)):
        groups[identity.uf.find(kid)].append(kid)
    return groups


def _letters_in_group(identity: Identity, members: list[int]) -> list[int]:
    return [row for k in members for row in identity.letters_of.get(k, ())]


def _resolve_undated(identity: Identity, subjects: list[str | None]) -> None:
    """A mention without a date is the one dated letter with its reference, if there is one."""
    dated: dict[tuple, list[int]] = defaultdict(list)
    undated: list[int] = []
    for kid, key in enumerate(identity.keys):
        (undated if key[4] is None else dated[key[:4]]).append(kid)
    for kid in undated:
        candidates = dated.get(identity.keys[kid][:4], [])
        if len(candidates) != 1:
            continue
        other = candidates[0]
        mine, theirs = identity.letters_of.get(kid, []), identity.letters_of.get(other, [])
        if mine and theirs and not any(subjects_agree(subjects[a], subjects[b]) for a in mine for b in theirs):
            continue
        identity.link(other, kid, "same_ref_undated",
                      f"{key_label(identity.keys[kid])} has no date; {key_label(identity.keys[other])} is the only dated one")


def _resolve_slips(identity: Identity, subjects: list[str | None], known: frozenset[str]) -> None:
    """Merge keys one OCR slip apart (same date), blocked by date so it stays linear.

    Within a block (date, circular mark, agency class, lengths) every key is
    indexed under its office/number string with one position masked; keys
    sharing a masked string (or the whole string, for an agency slip) are
    candidates.
    """
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for kid, (agency, office, circular, number, day) in enumerate(identity.keys):
        if day is not None:
            blocks[(day, circular, _agency_class(agency), len(office), len(number))].append(kid)
    neighbours: dict[int, set[int]] = defaultdict(set)
    reasons: dict[tuple[int, int], str] = {}
    for kids in blocks.values():
        if len(kids) < 2:
            continue
        masked: dict[str, list[int]] = defaultdict(list)
        for kid in kids:
            agency, office, _, number, _ = identity.keys[kid]
            body = f"{office}/{number}"
            masked["=" + body].append(kid)
            for i, ch in enumerate(body):
                if ch.isdigit():
                    masked[f"{i}:{body[:i]}*{body[i + 1:]}"].append(kid)
        for mask, group in masked.items():
            if len(group) < 2:
                continue
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    ka, kb = identity.keys[a], identity.keys[b]
                    if mask.startswith("="):
                        if not agency_slip(ka[0], kb[0], known):
                            continue
                        reason = "ocr_agency"
                    elif ka[0] != kb[0]:
                        continue
                    else:
                        reason = "ocr_digit"
                    neighbours[a].add(b)
                    neighbours[b].add(a)
                    reasons[(min(a, b), max(a, b))] = reason
    for (a, b), reason in sorted(reasons.items()):
        la, lb = identity.letters_of.get(a, []), identity.letters_of.get(b, [])
        if la and lb:
            if not any(subjects_agree(subjects[x], subjects[y]) for x in la for y in lb):
                continue  # two letters in the dataset that say different things: two letters
        elif identity.cited_together(a, b):
            continue  # one letter names both: two letters, however alike their numbers
        elif la or lb:
            slipped = b if la else a  # the side known only from citations is the slip
            if len(neighbours[slipped]) != 1:
                continue  # ambiguous: which of several letters was meant?
        elif reason != "ocr_agency" or len(neighbours[a]) != 1 or len(neighbours[b]) != 1:
            # two references known only from citations, a digit apart: adjacent numbers of one
            # office and day are common, and neither side has a printed letter to prove the slip
            continue
        ka, kb = identity.keys[a], identity.keys[b]
        identity.link(a, b, reason, f"{key_label(ka)} ~ {key_label(kb)}")


@dataclass
class LetterRows:
    """The columns of `letters` the graph needs, as Python lists."""

    letter_id: list[str]
    source: list[str]
    segment: list[int]
    ref: list[str | None]
    day: list[int | None]
    issuer: list[str | None]
    subject: list[str | None]

    def __len__(self) -> int:
        return len(self.letter_id)

    def files(self) -> list[list[int]]:
        """Rows of each source holding several letters, in segment order (covering letter first)."""
        by_source: dict[str, list[int]] = defaultdict(list)
        for row, source in enumerate(self.source):
            by_source[source].append(row)
        return [sorted(rows, key=self.segment.__getitem__) for rows in by_source.values() if len(rows) > 1]


@dataclass
class CitationRows:
    letter_id: list[str]
    kind: list[str]
    ref: list[str | None]
    day: list[int | None]


def _position(identity: Identity, letters: LetterRows, letter_key: list[int | None],
              cites: CitationRows, cite_key: list[int | None], by_letter: dict[str, list[int]]) -> None:
    """The copy printed right after a covering letter is the letter it encloses (seed 004).

    Only an enclosure that matches no letter in the dataset is paired, and
    only with the next segment that none of the covering letter's own
    citations already names; agency (up to an OCR slip), office code and
    circular mark must agree and the dates lie within POSITION_MAX_DAYS.
    """
    known = _known_agencies()
    find = identity.uf.find
    for rows in letters.files():
        for pos, cover in enumerate(rows[:-1]):
            own = [c for c in by_letter.get(letters.letter_id[cover], []) if cite_key[c] is not None]
            pending = [c for c in own if cites.kind[c] == "encloses" and identity.group_letters(cite_key[c]) == 0]
            if not pending:
                continue
            later = rows[pos + 1:]
            cited = {find(cite_key[c]) for c in own}
            claimed = {r for r in later if letter_key[r] is not None and find(letter_key[r]) in cited}
            for c in pending:
                follow = next((r for r in later if r not in claimed), None)
                if follow is None or letter_key[follow] is None:
                    break
                ek, lk = identity.keys[cite_key[c]], identity.keys[letter_key[follow]]
                if ek[1] != lk[1] or ek[2] != lk[2]:
                    continue
                if ek[0] != lk[0] and not agency_slip(ek[0], lk[0], known):
                    continue
                if ek[4] is not None and lk[4] is not None and abs(ek[4] - lk[4]) > POSITION_MAX_DAYS:
                    continue
                identity.link(letter_key[follow], cite_key[c], "position",
                              f"{letters.source[cover].split('#')[0]}: segment {letters.segment[cover]} "
                              f"encloses {key_label(ek)}, segment {letters.segment[follow]} is {key_label(lk)}")
                claimed.add(follow)


# ----------------------------------------------------------------------------- the graph

@dataclass
class Graph:
    """Rows of the graph tables, and the citations' resolved targets."""

    nodes: pa.Table
    edges: pa.Table
    node_members: pa.Table
    target_letter_id: list[str | None]  # per citation row, in read order


def _iso(day: int | None) -> date | None:
    return None if day is None else EPOCH + timedelta(days=day)


MENTION_LABELS = {"cabinet_resolution": "มติคณะรัฐมนตรี", "policy": "นโยบาย", "meeting": "การประชุม"}


def build_graph(letters: LetterRows, cites: CitationRows,
                mentions: tuple[list[str], list[str], list[int | None]]) -> Graph:
    """The graph from plain columns: the part of link_dataset that has no files, for tests and the benchmark."""
    known = _known_agencies()
    identity = Identity()
    letter_key: list[int | None] = []
    for row in range(len(letters)):
        parts = split_ref(letters.ref[row])
        if parts is None:
            letter_key.append(None)
            continue
        kid = identity.key_id((*parts, letters.day[row]))
        identity.add_letter(kid, row)
        letter_key.append(kid)
    cite_key: list[int | None] = []
    by_letter: dict[str, list[int]] = defaultdict(list)
    for row in range(len(cites.letter_id)):
        by_letter[cites.letter_id[row]].append(row)
        parts = split_ref(cites.ref[row])
        if parts is None:
            cite_key.append(None)
            continue
        kid = identity.key_id((*parts, cites.day[row]))
        identity.add_citation(kid, cites.letter_id[row])
        cite_key.append(kid)

    _resolve_undated(identity, letters.subject)
    _resolve_slips(identity, letters.subject, known)
    _position(identity, letters, letter_key, cites, cite_key, by_letter)

    # ---- nodes: one per group of keys; the representative key names it
    groups = _members(identity)
    rep_key: dict[int, int] = {}
    rep_letter: dict[int, int | None] = {}
    for root, kids in groups.items():
        def weight(k: int) -> tuple:
            # a key some letter prints beats one only cited; then the most mentioned
            return (-len(identity.letters_of.get(k, ())), -identity.citations_of.get(k, 0), key_label(identity.keys[k]))
        best = min(kids, key=weight)
        rep_key[root] = best
        rows = identity.letters_of.get(best) or _letters_in_group(identity, kids)
        rep_letter[root] = min(rows, key=lambda r: (letters.source[r], letters.segment[r])) if rows else None

    # why each key is in its group: the path of links from the representative
    adjacency: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for a, b, reason, detail in identity.links:
        adjacency[a].append((b, reason, detail))
        adjacency[b].append((a, reason, detail))
    key_reason: dict[int, tuple[str, str | None]] = {}
    for root, kids in groups.items():
        start = rep_key[root]
        key_reason[start] = ("same_ref_date", None)
        if len(kids) == 1:
            continue
        stack = [start]
        while stack:
            here = stack.pop()
            for there, reason, detail in adjacency[here]:
                if there in key_reason:
                    continue
                before, before_detail = key_reason[here]
                chained = reason if before == "same_ref_date" else f"{before}+{reason}"
                key_reason[there] = (chained, detail if before_detail is None else f"{before_detail}; {detail}")
                stack.append(there)

    node_rows: dict[str, dict] = {}
    node_of_key: dict[int, str] = {}
    for root, kids in groups.items():
        key = identity.keys[rep_key[root]]
        row = rep_letter[root]
        node_id = key_label(key)
        ref = join_ref(*key[:4])
        when = _iso(key[4])
        if row is not None:
            kind = "letter"
            label = " ".join(x for x in (ref, when.isoformat() if when else None, letters.issuer[row]) if x)
            letter_id = letters.letter_id[row]
        else:
            kind, label, letter_id = "external_letter", f"{ref} ({when.isoformat() if when else 'no date'})", None
        aliases = sorted(key_label(identity.keys[k]) for k in kids if k != rep_key[root])
        node_rows[node_id] = {"node_id": node_id, "kind": kind, "ref": ref, "date": when,
                              "agency_code": key[0], "label": label, "letter_id": letter_id,
                              "aliases": aliases, "letter_count": len(_letters_in_group(identity, kids))}
        for k in kids:
            node_of_key[k] = node_id

    letter_node: list[str] = []
    member_rows: list[dict] = []
    for row in range(len(letters)):
        kid = letter_key[row]
        if kid is None:  # a letter with no `ที่` line: a node of its own, nothing can cite it
            node_id = f"letter:{letters.letter_id[row]}"
            when = _iso(letters.day[row])
            node_rows[node_id] = {"node_id": node_id, "kind": "letter", "ref": None, "date": when,
                                  "agency_code": None,
                                  "label": " ".join(x for x in (when.isoformat() if when else None,
                                                                letters.issuer[row], letters.subject[row]) if x)
                                  or letters.letter_id[row],
                                  "letter_id": letters.letter_id[row], "aliases": [], "letter_count": 1}
            letter_node.append(node_id)
            member_rows.append({"node_id": node_id, "mention": "letter", "letter_id": letters.letter_id[row],
                                "ref": None, "date": when, "merge_reason": "no_reference", "detail": None})
            continue
        node_id = node_of_key[kid]
        letter_node.append(node_id)
        reason, detail = key_reason.get(kid, ("same_ref_date", None))
        member_rows.append({"node_id": node_id, "mention": "letter", "letter_id": letters.letter_id[row],
                            "ref": join_ref(*identity.keys[kid][:4]), "date": _iso(identity.keys[kid][4]),
                            "merge_reason": reason, "detail": detail})

    # ---- edges
    node_of_letter: dict[str, str] = {}
    for row in range(len(letters)):
        node_of_letter.setdefault(letters.letter_id[row], letter_node[row])
    edge_rows: dict[tuple[str, str, str], dict] = {}

    def add_edge(src: str, dst: str, kind: str, letter_id: str, basis: str) -> None:
        if src != dst and (src, dst, kind) not in edge_rows:
            edge_rows[(src, dst, kind)] = {"src": src, "dst": dst, "kind": kind, "letter_id": letter_id,
                                           "basis": basis}

    targets: list[str | None] = []
    for row in range(len(cites.letter_id)):
        kid = cite_key[row]
        src = node_of_letter.get(cites.letter_id[row])
        if kid is None or src is None:
            targets.append(None)
            continue
        dst = node_of_key[kid]
        reason, detail = key_reason.get(kid, ("same_ref_date", None))
        targets.append(node_rows[dst]["letter_id"])
        add_edge(src, dst, cites.kind[row], cites.letter_id[row], reason)
        member_rows.append({"node_id": dst, "mention": cites.kind[row], "letter_id": cites.letter_id[row],
                            "ref": join_ref(*identity.keys[kid][:4]), "date": _iso(identity.keys[kid][4]),
                            "merge_reason": reason, "detail": detail})

    # forwards: a later segment of a file is sent on by the nearest earlier
    # segment that encloses it, else by the segment right before it
    for rows in letters.files():
        for pos in range(1, len(rows)):
            copy = rows[pos]
            target = letter_node[copy]
            cover, basis = rows[pos - 1], "file_order"
            for earlier in reversed(rows[:pos]):
                if (letter_node[earlier], target, "encloses") in edge_rows:
                    cover, basis = earlier, "enclosed_copy"
                    break
            add_edge(letter_node[cover], target, "forwards", letters.letter_id[cover], basis)

    m_letter, m_kind, m_day = mentions
    for row in range(len(m_letter)):
        src = node_of_letter.get(m_letter[row])
        if src is None or m_day[row] is None:
            continue  # an undated decision cannot be told apart from another of its kind
        when = _iso(m_day[row])
        node_id = f"{m_kind[row]}@{when.isoformat()}"
        if node_id not in node_rows:
            node_rows[node_id] = {"node_id": node_id, "kind": m_kind[row], "ref": None, "date": when,
                                  "agency_code": None,
                                  "label": f"{MENTION_LABELS.get(m_kind[row], m_kind[row])} {when.isoformat()}",
                                  "letter_id": None, "aliases": [], "letter_count": 0}
        add_edge(src, node_id, "acts_on", m_letter[row], "mention")

    return Graph(
        nodes=_table("nodes", node_rows.values()),
        edges=_table("edges", edge_rows.values()),
        node_members=_table("node_members", member_rows),
        target_letter_id=targets,
    )


def _table(name: str, rows: Iterable[dict]) -> pa.Table:
    """Rows to a table in one Arrow call (a struct array), the hot path at 100k letters."""
    schema = TABLES[name]
    array = pa.array(list(rows), type=pa.struct(list(schema)))
    return pa.Table.from_struct_array(array).cast(schema)


# ----------------------------------------------------------------------------- the dataset

def read_inputs(out: Path) -> tuple[LetterRows, CitationRows, tuple[list, list, list], list[tuple[Path, int]]]:
    """The graph's columns from every part; also (part, rows) of citations, to write targets back."""
    lt = _read(out, "letters", ["letter_id", "source_path", "source_sha256", "segment", "ref", "date",
                                "issuer", "subject"])
    source = [f"{p}#{h}" for p, h in zip(lt.column("source_path").to_pylist(),
                                         lt.column("source_sha256").to_pylist())]
    letters = LetterRows(
        letter_id=lt.column("letter_id").to_pylist(), source=source,
        segment=[s or 0 for s in lt.column("segment").to_pylist()], ref=lt.column("ref").to_pylist(),
        day=_days(lt.column("date")), issuer=lt.column("issuer").to_pylist(),
        subject=lt.column("subject").to_pylist())
    parts: list[tuple[Path, int]] = []
    tables = []
    for part in _parts(out, "citations"):
        table = pq.read_table(part, columns=["letter_id", "kind", "ref", "date"])
        parts.append((part, len(table)))
        tables.append(table.cast(pa.schema([TABLES["citations"].field(c) for c in table.column_names])))
    ct = pa.concat_tables(tables) if tables else pa.schema(
        [TABLES["citations"].field(c) for c in ("letter_id", "kind", "ref", "date")]).empty_table()
    cites = CitationRows(ct.column("letter_id").to_pylist(), ct.column("kind").to_pylist(),
                         ct.column("ref").to_pylist(), _days(ct.column("date")))
    mt = _read(out, "mentions", ["letter_id", "kind", "date"])
    mentions = (mt.column("letter_id").to_pylist(), mt.column("kind").to_pylist(), _days(mt.column("date")))
    return letters, cites, mentions, parts


def _write_targets(parts: list[tuple[Path, int]], targets: list[str | None]) -> None:
    """Rewrite a citations part (atomically, same name) only where a target changed."""
    offset = 0
    for part, rows in parts:
        mine = targets[offset:offset + rows]
        offset += rows
        table = pq.read_table(part)
        if "target_letter_id" in table.column_names:
            if table.column("target_letter_id").to_pylist() == mine:
                continue
            at = table.column_names.index("target_letter_id")
            table = table.set_column(at, TABLES["citations"].field("target_letter_id"),
                                     pa.array(mine, pa.string()))
        else:
            table = table.append_column(TABLES["citations"].field("target_letter_id"), pa.array(mine, pa.string()))
        write_table_file(table, part)


def _replace_parts(out: Path, name: str, table: pa.Table) -> None:
    """One part per graph table, replaced in place (os.replace), then stray older parts removed."""
    keep = out / name / "part-graph.parquet"
    write_table_file(table, keep)
    for part in _parts(out, name):
        if part != keep:
            part.unlink()


def link_dataset(out: Path) -> None:
    """Rebuild the graph over everything in `out` and write nodes, edges, node_members, citation targets."""
    out = Path(out)
    letters, cites, mentions, parts = read_inputs(out)
    graph = build_graph(letters, cites, mentions)
    _write_targets(parts, graph.target_letter_id)
    _replace_parts(out, "nodes", graph.nodes)
    _replace_parts(out, "edges", graph.edges)
    _replace_parts(out, "node_members", graph.node_members)
