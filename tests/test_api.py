"""The analyst's side on the real seed letters: `open_dataset`, `circulars sql`, `show`, `schema`,
and the README's analyst walkthrough run as a new user would run it."""
from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from schemas.tables import TABLES
from tests.conftest import ROOT, seed

README = ROOT / "README.md"


def test_one_import_opens_every_table(seeds_dataset: Path):
    from pipeline import open_dataset  # the documented import

    ds = open_dataset(seeds_dataset)
    assert list(TABLES) == ds.tables[:len(TABLES)]
    for name, schema in TABLES.items():
        frame = getattr(ds, name)
        assert isinstance(frame, pd.DataFrame)
        assert set(schema.names) <= set(frame.columns), name
        assert frame is ds[name]  # read once, then kept
    assert len(ds.letters) == 7
    assert str(ds.deadlines["due_at"].dt.tz) == "Asia/Bangkok"


def test_duckdb_views_agree_with_pandas(seeds_dataset: Path):
    from pipeline import open_dataset

    ds = open_dataset(seeds_dataset)
    for name in TABLES:
        count = ds.duckdb.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
        assert count == len(ds.table(name)), name
    due = ds.duckdb.execute("SELECT CAST(due_at AS VARCHAR) FROM deadlines WHERE time = '12:00'").fetchall()[0][0]
    assert due.startswith("2024-02-28 12:00:00+07")  # shown in Bangkok time
    frame = ds.sql("SELECT ref FROM letters WHERE date = DATE '2024-01-18'")
    assert frame["ref"].tolist() == ["มท 0305.1/ว 1660"]


def test_missing_and_empty_tables_keep_their_columns(seeds_dataset: Path, tmp_path: Path):
    """A dataset written before the graph stage existed has no nodes/edges folders."""
    from pipeline.api import open_dataset

    out = tmp_path / "out"
    shutil.copytree(seeds_dataset, out)
    shutil.rmtree(out / "nodes")
    shutil.rmtree(out / "edges")
    ds = open_dataset(out)
    assert ds.nodes.empty and list(ds.nodes.columns) == TABLES["nodes"].names
    assert ds.duckdb.execute("SELECT count(*) FROM edges").fetchall()[0][0] == 0
    assert ds.duckdb.sql("SELECT * FROM nodes").columns == TABLES["nodes"].names


def test_a_letter_by_id_prefix_or_reference(seeds_dataset: Path):
    from pipeline.api import DatasetError, open_dataset

    ds = open_dataset(seeds_dataset)
    view = ds.letter("มท 0305.1/ว 1660")
    assert ds.letter(view.letter_id[:8]).letter_id == view.letter_id
    assert view.related["deadlines"] and view.spans
    for span in view.valid_spans():  # every span is a place in this letter's text
        assert view.text[span["start"]:span["end"]].strip()
    date = next(s for s in view.spans if s["label"] == "date")
    assert view.text[date["start"]:date["end"]] == "๑๘ มกราคม ๒๕๖๗"
    with pytest.raises(DatasetError):
        ds.letter("no-such-letter")
    with pytest.raises(DatasetError):
        open_dataset(seeds_dataset / "letters" / "missing")


def test_sql_prints_table_csv_and_json(seeds_dataset: Path, capsys):
    query = "SELECT ref, date, warnings FROM letters WHERE ref IS NOT NULL ORDER BY date"
    assert main(["sql", str(seeds_dataset), query, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 7
    assert records[0] == {"ref": "มท 0218/ว 5162", "date": "2017-10-21", "warnings": []}

    assert main(["sql", str(seeds_dataset), query, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["ref", "date", "warnings"] and rows[1] == ["มท 0218/ว 5162", "2017-10-21", "[]"]

    assert main(["sql", str(seeds_dataset), "SELECT agency_code, count(*) AS n FROM letters GROUP BY 1"]) == 0
    printed = capsys.readouterr().out
    assert "agency_code" in printed and "มท" in printed and "rows" in printed


def test_sql_reports_a_bad_query(seeds_dataset: Path, capsys):
    assert main(["sql", str(seeds_dataset), "SELECT nope FROM letters"]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["sql", str(seeds_dataset / "nowhere"), "SELECT 1"]) == 2


def test_show_a_letter_from_the_dataset(seeds_dataset: Path, capsys):
    assert main(["show", "มท 0305.1/ว 1660", "--out", str(seeds_dataset)]) == 0
    out = capsys.readouterr().out
    assert "มท 0305.1/ว 1660" in out
    assert "‹date›๑๘ มกราคม ๒๕๖๗" in out  # the value tagged where it was read
    assert "‹ref›มท ๐๓๐๕.๑/ว ๑๖๖๐" in out
    assert "deadlines (" in out
    assert main(["show", "zzzz-not-there", "--out", str(seeds_dataset)]) == 2


def test_show_a_file_runs_the_pipeline_in_process(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing is written anywhere
    assert main(["show", str(seed("004"))]) == 0
    out = capsys.readouterr().out
    assert out.count("‹ref›") == 2  # the file holds two letters
    assert "สค 0017.1/ว 15123" in out and "มท 0218/ว 5162" in out
    assert list(tmp_path.iterdir()) == []


def test_schema_prints_the_contract_and_a_json_schema(seeds_dataset: Path, capsys):
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    for name in TABLES:
        assert name in printed
    assert main(["schema", "--json-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["$defs"]) == set(TABLES)
    letters = schema["$defs"]["letters"]
    assert letters["properties"]["date"] == {"type": ["string", "null"], "format": "date"}
    assert letters["properties"]["warnings"]["items"] == {"type": ["string", "null"]}
    # a real record, exported as JSON, has exactly the schema's fields
    assert main(["sql", str(seeds_dataset), "SELECT * FROM letters", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)[0]
    assert set(record) == set(letters["required"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", record["date"])


@pytest.mark.parametrize("name", ["tables", "errors"])
def test_readme_generated_sections_match_schemas(name: str):
    """README's table list and error types are generated from schemas/tables.py and
    schemas/errors.py; after changing either, run `circulars schema --update-readme README.md`."""
    from pipeline.commands.schema import README_SECTIONS

    section = next(s for s in README_SECTIONS if s.name == name)
    block = section.find(README.read_text(encoding="utf-8"))
    assert block is not None, f"README has no generated {name} section"
    assert block == section.render(), \
        f"README's {name} section is stale: run `circulars schema --update-readme README.md`"


def test_update_readme_rewrites_a_stale_section_and_fills_a_placeholder(tmp_path: Path, capsys):
    """`--update-readme` brings a stale section up to date and puts a missing one at its
    placeholder; a README with neither is a usage error, not a silent no-op."""
    from pipeline.commands.schema import README_SECTIONS

    tables, errors = README_SECTIONS
    readme = tmp_path / "README.md"
    stale = errors.render().replace("| `timeout` |", "| `time_out` |")
    readme.write_text(f"# x\n\n{tables.placeholder}\n\ntext\n\n{stale}\n", encoding="utf-8")
    assert main(["schema", "--update-readme", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == f"# x\n\n{tables.render()}\n\ntext\n\n{errors.render()}\n"
    readme.write_text(f"# x\n\n{tables.render()}\n", encoding="utf-8")
    assert main(["schema", "--update-readme", str(readme)]) == 2
    assert errors.placeholder in capsys.readouterr().err


def _analysts_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## For analysts")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else len(text)]


def test_readme_analyst_walkthrough_runs(seeds_dataset: Path, tmp_path: Path, monkeypatch, capsys):
    """Every Python block and every `circulars …` line of the README's analyst section, run as
    written in a folder whose `out/` is the ingested samples."""
    section = _analysts_section()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").symlink_to(seeds_dataset, target_is_directory=True)

    commands = [line.split("#")[0].strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)
                for line in block.splitlines() if line.startswith("circulars ")]
    assert len(commands) >= 4
    for command in commands:
        assert main(shlex.split(command)[1:]) == 0, command
    assert (tmp_path / "report.html").stat().st_size > 10_000

    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) >= 4
    for number, block in enumerate(blocks):
        if "import polars" in block:
            pytest.importorskip("polars")
        exec(compile(block, f"README analysts block {number}", "exec"), {})
    printed = capsys.readouterr().out
    assert "สน 0018.1/ว 1532" in printed  # the letter that encloses มท 0305.1/ว 1660
    assert "จังหวัดสกลนคร" in printed  # a deadline of the week, by province
