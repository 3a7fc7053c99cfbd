"""The directive graph, end to end through the real pipeline.

Two kinds of evidence, because both matter to analysts:

* the seeds: edges the letters state, checked by hand and written out below,
  and seed 000's lineage drawn by Graphviz;
* an archive built from real letter text (seeds 001 and 003 with their
  references, dates, citations and enclosures varied), arriving in two ingest
  runs, with OCR-slipped duplicates and distinct-but-similar letters. Its
  edge precision and recall are measured against the generator's truth.
"""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main as cli
from pipeline.link.graph import link_dataset
from pipeline.run.ingest import run_ingest
from pipeline.letters.process import process_source
from pipeline.store.write import DatasetWriter, ensure_tables

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds")
    run_ingest([str(SAMPLES)], out)
    return out


def _edges(out: Path) -> set[tuple[str, str, str]]:
    edges = pd.read_parquet(out / "edges")
    return set(zip(edges["src"], edges["dst"], edges["kind"]))


# --------------------------------------------------------------------------- the seeds

# Read off the letters themselves (อ้างถึง, สิ่งที่ส่งมาด้วย, the copies printed in
# the same file, and the dated decisions in the body).
SEED_EDGES = {
    # 000: Sakon Nakhon forwards the Department of Provincial Administration's letter
    ("สน 0018.1/ว 1532@2024-01-26", "สน 0018.1/ว 20512@2023-11-27", "cites"),
    ("สน 0018.1/ว 1532@2024-01-26", "มท 0305.1/ว 1660@2024-01-18", "encloses"),
    ("สน 0018.1/ว 1532@2024-01-26", "มท 0305.1/ว 1660@2024-01-18", "forwards"),
    ("มท 0305.1/ว 1660@2024-01-18", "มท 0305.1/ว 33857@2023-11-21", "cites"),
    # 001: the policy of 1 Sep 2015 and the briefing of 1 Feb 2019
    ("มท 0810.7/ว 200@2019-02-15", "policy@2015-09-01", "acts_on"),
    ("มท 0810.7/ว 200@2019-02-15", "meeting@2019-02-01", "acts_on"),
    # 003: cites the department's letter, encloses the ministry's, acts on the cabinet
    ("มท 0810.7/7555@2022-06-22", "มท 0810.7/ว 1408@2022-05-18", "cites"),
    ("มท 0810.7/7555@2022-06-22", "มท 0218/ว 4252@2022-06-15", "encloses"),
    ("มท 0810.7/7555@2022-06-22", "cabinet_resolution@2022-05-03", "acts_on"),
    # 004: Samut Sakhon encloses ว 5992 of 20 Oct; the copy that follows prints ว 5162 of 21 Oct
    ("สค 0017.1/ว 15123@2017-11-09", "มท 0218/ว 5162@2017-10-21", "encloses"),
    ("สค 0017.1/ว 15123@2017-11-09", "มท 0218/ว 5162@2017-10-21", "forwards"),
    ("สค 0017.1/ว 15123@2017-11-09", "policy@2015-09-01", "acts_on"),
    ("มท 0218/ว 5162@2017-10-21", "policy@2015-09-01", "acts_on"),
}


def test_seed_edges_are_the_ones_the_letters_state(seeds: Path) -> None:
    found = _edges(seeds)
    assert SEED_EDGES <= found, SEED_EDGES - found
    letter_edges = {e for e in found if e[2] != "acts_on"}
    assert letter_edges == {e for e in SEED_EDGES if e[2] != "acts_on"}


def test_seed_forwarded_letters_resolve_to_their_rows(seeds: Path) -> None:
    letters = pd.read_parquet(seeds / "letters").set_index("ref")
    citations = pd.read_parquet(seeds / "citations")
    target = dict(zip(citations["ref"], citations["target_letter_id"]))
    assert target["มท 0305.1/ว 1660"] == letters.loc["มท 0305.1/ว 1660", "letter_id"]
    assert target["มท 0218/ว 5992"] == letters.loc["มท 0218/ว 5162", "letter_id"]  # by position
    assert pd.isna(target["มท 0305.1/ว 33857"])  # not in the dataset
    nodes = pd.read_parquet(seeds / "nodes").set_index("node_id")
    assert nodes.loc["มท 0218/ว 5162@2017-10-21", "kind"] == "letter"
    assert list(nodes.loc["มท 0218/ว 5162@2017-10-21", "aliases"]) == ["มท 0218/ว 5992@2017-10-20"]
    assert nodes.loc["มท 0305.1/ว 33857@2023-11-21", "kind"] == "external_letter"
    assert nodes.loc["cabinet_resolution@2022-05-03", "kind"] == "cabinet_resolution"
    members = pd.read_parquet(seeds / "node_members")
    why = members[members["ref"] == "มท 0218/ว 5992"]
    assert list(why["merge_reason"]) == ["position"]
    assert "004_" in why["detail"].iloc[0]


def test_seed_000_lineage_svg(seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = tmp_path / "lineage.svg"
    assert cli(["graph", str(seeds), "--letter", "มท ๐๓๐๕.๑/ว ๑๖๖๐", "--svg", str(svg)]) == 0
    printed = capsys.readouterr().out
    assert "มท 0305.1/ว 33857" in printed and "สน 0018.1/ว 1532" in printed
    titles = [t.text for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}title")]
    province, ministry, earlier = ("สน 0018.1/ว 1532@2024-01-26", "มท 0305.1/ว 1660@2024-01-18",
                                   "มท 0305.1/ว 33857@2023-11-21")
    assert {province, ministry, earlier} <= set(titles)
    assert f"{province}->{ministry}" in titles  # province → ministry letter
    assert f"{ministry}->{earlier}" in titles  # ministry letter → earlier ministry letter


def test_graph_exports(seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import networkx as nx

    assert cli(["graph", str(seeds), "--letter", "มท 0305.1/ว 1660", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 3
    assert cli(["graph", str(seeds), "--letter", "มท 0305.1/ว 1660", "--format", "graphml"]) == 0
    path = tmp_path / "g.graphml"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert nx.read_graphml(path).number_of_nodes() == 3
    assert cli(["graph", str(seeds), "--letter", "มท 0305.1/ว 1660", "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    subprocess.run(["dot", "-Tsvg", "-o", str(tmp_path / "x.svg")], input=dot.encode(), check=True)
    assert cli(["graph", str(seeds), "--letter", "กค 9/9"]) == 1


# --------------------------------------------------------------------------- a test archive

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
          "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
SUBJECTS = ["การขับเคลื่อนนโยบายศูนย์ราชการสะดวก", "การรับสมัครขอรับรองมาตรฐานศูนย์ราชการสะดวก",
            "การประเมินความพึงพอใจของประชาชนต่อการให้บริการ", "การจัดส่งแบบรายงานผลการดำเนินงาน",
            "การเตรียมความพร้อมรับการตรวจประเมินมาตรฐาน", "การอบรมเจ้าหน้าที่ผู้ให้บริการประชาชน",
            "การปรับปรุงสถานที่ให้บริการประชาชน", "การรายงานผลการรักษามาตรฐานการให้บริการ",
            "การประชาสัมพันธ์ช่องทางการให้บริการออนไลน์", "การสำรวจความต้องการสิ่งจูงใจ",
            "การแต่งตั้งคณะทำงานศูนย์ราชการสะดวก", "การติดตามผลการสมัครขอรับรองมาตรฐาน"]


def thai_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year + 543}".translate(THAI)


@dataclass
class Letter:
    """One true letter of the archive (in it or only cited)."""

    tid: str
    agency: str
    office: str
    number: int
    when: date
    subject: str
    template: str = "003"
    cites: list[tuple["Letter", str | None, date | None]] = field(default_factory=list)  # (letter, printed ref, date)
    encloses: list[tuple["Letter", str | None, date | None]] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.agency} {self.office}/ว {self.number}"

    @property
    def key(self) -> str:
        return f"{self.ref}@{self.when.isoformat()}"


def letter_text(letter: Letter, printed_ref: str | None = None, printed_date: date | None = None) -> str:
    """The seed letter's own text with this letter's reference, date, subject and citations."""
    source = (SAMPLES / ("003_b966650b6c24f55a.txt" if letter.template == "003" else "001_b09dd22fc028d3ba.txt"))
    text = source.read_text(encoding="utf-8")
    ref = (printed_ref or letter.ref).translate(THAI)
    text = re.sub(r"^ที่ .*$", f"ที่ {ref}", text, count=1, flags=re.M)
    old_date = "๒๒ มิถุนายน ๒๕๖๕" if letter.template == "003" else "๑๕ กุมภาพันธ์ ๒๕๖๒"
    text = text.replace(f"\n{old_date}\n", f"\n{thai_date(printed_date or letter.when)}\n", 1)
    text = re.sub(r"^เรื่อง .*$", f"เรื่อง {letter.subject}", text, count=1, flags=re.M)
    text = re.sub(r"^(อ้างถึง|สิ่งที่ส่งมาด้วย) .*\n\n", "", text, flags=re.M)
    lines = []
    for i, (cited, as_ref, as_date) in enumerate(letter.cites):
        head = "อ้างถึง " if i == 0 else "         "
        count = f"{i + 1}. ".translate(THAI) if len(letter.cites) > 1 else ""
        lines.append(f"{head}{count}หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ {(as_ref or cited.ref).translate(THAI)} "
                     f"ลงวันที่ {thai_date(as_date or cited.when)}")
    for cited, as_ref, as_date in letter.encloses:
        lines.append(f"สิ่งที่ส่งมาด้วย สำเนาหนังสือกระทรวงมหาดไทย ที่ {(as_ref or cited.ref).translate(THAI)} "
                     f"ลงวันที่ {thai_date(as_date or cited.when)} จำนวน ๑ ชุด")
    block = "".join(line + "\n\n" for line in lines)
    text = re.sub(r"^(เรียน .*\n)\n?", lambda m: m.group(1) + "\n" + block, text, count=1, flags=re.M)
    return text


def slip(number: int, position: int = -1) -> int:
    """One digit of `number` changed the way OCR changes Thai digits (๓→๘, ๕→๖, ๙→๑ ...)."""
    swap = {"3": "8", "8": "3", "5": "6", "6": "5", "9": "1", "1": "9", "0": "8", "2": "3", "4": "5", "7": "1"}
    digits = list(str(number))
    digits[position] = swap[digits[position]]
    return int("".join(digits))


@dataclass
class Archive:
    files: dict[str, list[tuple[str, str]]]  # name -> [(truth id, text)] in file order
    runs: list[list[str]]  # file names per ingest run
    truth: dict[str, Letter]
    edges: set[tuple[str, str, str]]  # (truth src, truth dst, kind)


def build_archive(families: int = 6) -> Archive:
    """Ministry → department → province → district chains, plus traps.

    Run 1 brings the letters that pass instructions on; run 2 the letters they
    cite, so run 1's citations dangle until run 2. Family i:
      M  มท 0218/ว n      the ministry's root letter (run 2; family 0 only cited)
      D  มท 0810.7/ว n    the department's, citing M (run 2)
      P  province letter  enclosing D, with D's copy printed after it (run 1)
      A  district letter  citing P (run 1)
    OCR slips: A cites P with a slipped digit (odd families); D's copy is
    printed `นท` (family 2); P's enclosure is printed two digits and a day off
    the copy (family 4: position). Traps that must stay apart: M's number in
    another year and under another ministry, and two department letters of
    one day with adjacent numbers.
    """
    provinces = [("สน", "0018.1"), ("สค", "0017.1"), ("ชม", "0017.3"), ("ขก", "0023.2"), ("นม", "0017.2"),
                 ("ปน", "0018.4"), ("ลป", "0017.5"), ("สข", "0023.1")]
    truth: dict[str, Letter] = {}
    files: dict[str, list[tuple[str, str]]] = {}
    runs: list[list[str]] = [[], []]
    edges: set[tuple[str, str, str]] = set()

    def new(tid: str, *args, **kwargs) -> Letter:
        truth[tid] = Letter(tid, *args, **kwargs)
        return truth[tid]

    for i in range(families):
        day = date(2021, 2, 3) + timedelta(days=47 * i)
        m = new(f"M{i}", "มท", "0218", 4252 + 131 * i, day, SUBJECTS[i % len(SUBJECTS)], template="001")
        d = new(f"D{i}", "มท", "0810.7", 1408 + 97 * i, day + timedelta(days=6), SUBJECTS[(i + 1) % len(SUBJECTS)])
        d.cites.append((m, None, None))
        agency, office = provinces[i % len(provinces)]
        p = new(f"P{i}", agency, office, 15123 + 211 * i, day + timedelta(days=15), SUBJECTS[(i + 1) % len(SUBJECTS)])
        enclosed_ref, enclosed_date = None, None
        copy_ref, copy_date = None, None
        if i == 4:  # the covering letter names the copy as the seed 004 one does: two digits and a day off
            enclosed_ref, enclosed_date = f"มท 0810.7/ว {d.number + 440}", d.when - timedelta(days=1)
        if i == 2:
            copy_ref = d.ref.replace("มท", "นท")
        p.encloses.append((d, enclosed_ref, enclosed_date))
        a = new(f"A{i}", agency, office.split(".")[0] + ".9", 2200 + 13 * i, day + timedelta(days=22),
                SUBJECTS[(i + 1) % len(SUBJECTS)], template="001")
        a.cites.append((p, f"{agency} {office}/ว {slip(p.number)}" if i % 2 else None, None))
        edges |= {(d.tid, m.tid, "cites"), (p.tid, d.tid, "encloses"), (p.tid, d.tid, "forwards"),
                  (a.tid, p.tid, "cites")}
        files[f"p{i}.txt"] = [(p.tid, letter_text(p)), (d.tid, letter_text(d, copy_ref, copy_date))]
        files[f"a{i}.txt"] = [(a.tid, letter_text(a))]
        runs[0] += [f"p{i}.txt", f"a{i}.txt"]
        files[f"d{i}.txt"] = [(d.tid, letter_text(d))]
        runs[1].append(f"d{i}.txt")
        if i:  # M0 is known only from D0's citation
            files[f"m{i}.txt"] = [(m.tid, letter_text(m))]
            runs[1].append(f"m{i}.txt")

    # traps: same number as M1 a year earlier; same number and day under another ministry;
    # a department letter one number before D3 (one digit apart), same day, other subject
    m1, d3 = truth["M1"], truth["D3"]
    y = new("Y", "มท", "0218", m1.number, m1.when - timedelta(days=365), SUBJECTS[7], template="001")
    s = new("S", "สธ", "0218", m1.number, m1.when, SUBJECTS[8], template="001")
    n = new("N", "มท", "0810.7", d3.number - 1, d3.when, SUBJECTS[9])
    # two letters not in the archive, a digit apart on one day, each cited by another trap: two nodes
    z1 = new("Z1", "มท", "0218", 9001, m1.when + timedelta(days=3), "")
    z2 = new("Z2", "มท", "0218", 9002, m1.when + timedelta(days=3), "")
    y.cites.append((z1, None, None))
    s.cites.append((z2, None, None))
    edges |= {(y.tid, z1.tid, "cites"), (s.tid, z2.tid, "cites")}
    for trap in (y, s, n):
        files[f"trap_{trap.tid}.txt"] = [(trap.tid, letter_text(trap))]
        runs[1].append(f"trap_{trap.tid}.txt")
    # a letter citing each trap and the real ones beside them (run 1)
    c = new("C", "สน", "0018.9", 777, m1.when + timedelta(days=30), SUBJECTS[10])
    c.cites += [(y, None, None), (s, None, None), (m1, None, None), (n, None, None), (d3, None, None)]
    # and one citing a letter not in the archive whose number is one slip from D3's, another day
    x = new("X", "มท", "0810.7", slip(d3.number), d3.when + timedelta(days=2), "")
    c.cites.append((x, None, None))
    files["c.txt"] = [(c.tid, letter_text(c))]
    runs[0].append("c.txt")
    edges |= {(c.tid, t.tid, "cites") for t in (y, s, m1, n, d3, x)}
    # acts_on: template 003 acts on the cabinet resolution of 3 May 2022; 001 on a policy and a meeting
    for letter in truth.values():
        if letter.tid in ("M0", "X", "Z1", "Z2"):
            continue
        if letter.template == "003":
            edges.add((letter.tid, "cabinet_resolution@2022-05-03", "acts_on"))
        else:
            edges |= {(letter.tid, "policy@2015-09-01", "acts_on"), (letter.tid, "meeting@2019-02-01", "acts_on")}
    return Archive(files, runs, truth, edges)


def ingest_run(out: Path, folder: Path, names: list[str], run_id: str) -> None:
    """One ingest run that adds part files beside the earlier runs' (as an incremental run does)."""
    writer = DatasetWriter(out, run_id=run_id)
    for name in names:
        writer.add(process_source(folder / name, name))
    writer.flush()
    link_dataset(out)
    ensure_tables(out)


def score(out: Path, archive: Archive) -> dict[str, float | int | set]:
    """Edge precision/recall against the archive's truth, nodes mapped to true letters."""
    letters = pd.read_parquet(out / "letters")
    row_truth = {lid: archive.files[src][seg][0]
                 for lid, src, seg in zip(letters["letter_id"], letters["source_path"], letters["segment"])}
    key_truth = {t.key: t.tid for t in archive.truth.values()}
    nodes = pd.read_parquet(out / "nodes")
    node_truth = {}
    for node_id, letter_id in zip(nodes["node_id"], nodes["letter_id"]):
        if isinstance(letter_id, str):
            node_truth[node_id] = row_truth[letter_id]
        elif node_id in key_truth:
            node_truth[node_id] = key_truth[node_id]
        else:
            node_truth[node_id] = node_id  # a mention node, or an unknown letter
    found = {(node_truth[s], node_truth[d], k) for s, d, k in _edges(out)}
    tp = len(found & archive.edges)
    members = pd.read_parquet(out / "node_members")
    rows = members[members["mention"] == "letter"]
    truths_per_node = rows.groupby("node_id")["letter_id"].agg(lambda ids: {row_truth[i] for i in ids})
    nodes_per_truth: dict[str, set[str]] = {}
    for node_id, lid in zip(rows["node_id"], rows["letter_id"]):
        nodes_per_truth.setdefault(row_truth[lid], set()).add(node_id)
    return {"precision": tp / max(len(found), 1), "recall": tp / max(len(archive.edges), 1),
            "false": found - archive.edges, "missed": archive.edges - found,
            "wrong_merges": sum(len(t) > 1 for t in truths_per_node),
            "split_letters": sum(len(n) > 1 for n in nodes_per_truth.values())}


@pytest.fixture(scope="module")
def archive_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Path, dict]:
    archive = build_archive()
    folder = tmp_path_factory.mktemp("archive")
    for name, segments in archive.files.items():
        (folder / name).write_text("\n\n\n".join(text for _, text in segments), encoding="utf-8")
    out = tmp_path_factory.mktemp("archive_out")
    ingest_run(out, folder, archive.runs[0], "run1")
    after_first = {
        "targets": pd.read_parquet(out / "citations")["target_letter_id"].notna().sum(),
        "citations": len(pd.read_parquet(out / "citations")),
    }
    ingest_run(out, folder, archive.runs[1], "run2")
    return archive, out, after_first


def test_archive_letters_read_as_generated(archive_runs: tuple[Archive, Path, dict]) -> None:
    archive, out, _ = archive_runs
    letters = pd.read_parquet(out / "letters")
    assert len(letters) == sum(len(s) for s in archive.files.values())


def test_archive_later_run_resolves_dangling_citations(archive_runs: tuple[Archive, Path, dict]) -> None:
    archive, out, after_first = archive_runs
    citations = pd.read_parquet(out / "citations")
    assert len(citations) == after_first["citations"] + sum(
        len(archive.truth[t].cites) + len(archive.truth[t].encloses)
        for name in archive.runs[1] for t, _ in archive.files[name])
    # run 1 held A→P citations (resolved at once) and C's; run 2's letters resolve the rest
    assert citations["target_letter_id"].notna().sum() > after_first["targets"]
    dangling = citations[citations["target_letter_id"].isna()]
    # M0, X, Z1 and Z2 are not in the archive
    assert set(dangling["ref"]) == {truth_ref(archive, t) for t in ("M0", "X", "Z1", "Z2")}


def truth_ref(archive: Archive, tid: str) -> str:
    return archive.truth[tid].ref


def test_archive_edge_precision_recall(archive_runs: tuple[Archive, Path, dict]) -> None:
    archive, out, _ = archive_runs
    result = score(out, archive)
    print(f"\narchive: {len(archive.edges)} true edges; precision {result['precision']:.3f}, "
          f"recall {result['recall']:.3f}; wrong merges {result['wrong_merges']}, "
          f"split letters {result['split_letters']}")
    assert result["wrong_merges"] == 0
    assert result["split_letters"] == 0
    assert result["precision"] >= 0.95, result["false"]
    assert result["recall"] >= 0.95, result["missed"]


def test_archive_merges_and_keeps_apart(archive_runs: tuple[Archive, Path, dict]) -> None:
    archive, out, _ = archive_runs
    members = pd.read_parquet(out / "node_members")
    reasons = set(members["merge_reason"])
    assert {"same_ref_date", "ocr_digit", "ocr_agency", "position"} <= reasons, reasons
    nodes = pd.read_parquet(out / "nodes").set_index("node_id")
    for tid in ("Y", "S", "N", "M1", "D3"):
        assert nodes.loc[archive.truth[tid].key, "kind"] == "letter"
    assert nodes.loc[archive.truth["X"].key, "kind"] == "external_letter"  # not merged into D3
    for tid in ("Z1", "Z2"):  # a digit apart, same day, both only cited: kept apart
        assert nodes.loc[archive.truth[tid].key, "kind"] == "external_letter"
    d2 = nodes.loc[archive.truth["D2"].key]
    assert d2["letter_count"] == 2 and "นท" in " ".join(d2["aliases"])
