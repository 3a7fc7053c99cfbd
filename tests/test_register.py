"""`circulars register`: the incoming register from the ingested seed letters, as a real
spreadsheet read back with openpyxl and pandas, without and with a `receipts` table."""
from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.register import headers, layout, thai_date

HEADERS = ["เลขทะเบียนรับ", "วันที่รับ", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ"]

# the receipts table as the work on real pages writes it
RECEIPTS_SCHEMA = pa.schema([
    ("source_path", pa.string()), ("letter_id", pa.string()), ("number", pa.string()), ("date", pa.date32()),
    ("time", pa.string()), ("raw", pa.string()), ("page", pa.int32()), ("box", pa.list_(pa.int32())),
    ("confidence", pa.float64()),
])


def letter_id(dataset: Path, ref: str) -> str:
    letters = pd.read_parquet(dataset / "letters", columns=["letter_id", "ref"])
    return letters.loc[letters["ref"] == ref, "letter_id"].item()


def source_of(dataset: Path, ref: str) -> str:
    letters = pd.read_parquet(dataset / "letters", columns=["source_path", "ref"])
    return letters.loc[letters["ref"] == ref, "source_path"].item()


def by_ref(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["ที่"]: row for row in frame.fillna("").astype(str).to_dict("records")}


def test_the_layout_is_the_regulations_columns_in_order():
    assert headers() == HEADERS
    keys = [c["key"] for c in layout()["columns"]]
    assert len(set(keys)) == len(keys)


def test_dates_are_written_in_the_buddhist_era():
    assert thai_date(dt.date(2024, 1, 5)) == "5 ม.ค. 2567"
    assert thai_date(None, "2024-12") == "ธ.ค. 2567"  # the day was handwritten
    assert thai_date(None) == "" and thai_date(None, "not-a-month") == ""


def test_register_of_the_seed_letters_without_receipts(seeds_dataset: Path, tmp_path: Path):
    """No receipts table (a dataset ingested before stamps were read): receipt columns empty,
    numbers are the rows' order by the letters' dates; one row per file, the covering letter."""
    xlsx = tmp_path / "register.xlsx"
    assert main(["register", str(seeds_dataset), "--xlsx", str(xlsx)]) == 0

    book = load_workbook(xlsx)
    sheet = book.active
    assert sheet.title == "ทะเบียนหนังสือรับ"
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["G"].width == 50  # เรื่อง, the widest
    assert all(sheet.column_dimensions[col].width >= 10 for col in "ABCDEFGHI")
    assert sheet["A1"].font.name == "TH SarabunPSK" and sheet["A1"].font.b
    assert sheet["G3"].font.name == "TH SarabunPSK" and sheet["G3"].alignment.wrap_text
    assert sheet.max_row == 1 + 5  # five files, one received letter each
    # rows as tall as their wrapped text (a spreadsheet does not grow them by itself)
    heights = {sheet.cell(r, 3).value: sheet.row_dimensions[r].height for r in range(2, 7)}
    assert all(h and h >= 26 for h in heights.values())
    assert heights["สค ๐๐๑๗.๑/ว ๑๕๑๒๓"] > heights["มท ๐๘๑๐.๗/๗๕๕๕"]  # a long subject and remarks

    frame = pd.read_excel(xlsx, dtype=str)
    assert list(frame.columns) == HEADERS
    assert frame["เลขทะเบียนรับ"].tolist() == ["๑", "๒", "๓", "๔", "๕"]
    assert frame["วันที่รับ"].isna().all()
    rows = by_ref(frame)
    # seed 000: the province's covering letter is what a district receives; the ministry's letter
    # it forwards (which bears the province's own receipt stamp) is named in หมายเหตุ, not a row
    province = rows["สน ๐๐๑๘.๑/ว ๑๕๓๒"]
    assert province["ลงวันที่"] == "๒๖ ม.ค. ๒๕๖๗"
    assert province["จาก"] == "ศาลากลางจังหวัดสกลนคร"
    assert province["ถึง"] == "นายอำเภอ ทุกอำเภอ"
    assert province["เรื่อง"].endswith("ประจำปีงบประมาณ พ.ศ. ๒๕๖๗")
    assert province["หมายเหตุ"] == "พร้อมหนังสือ มท ๐๓๐๕.๑/ว ๑๖๖๐ ลว. ๑๘ ม.ค. ๒๕๖๗"
    assert "มท ๐๓๐๕.๑/ว ๑๖๖๐" not in rows
    # addressees, not the distribution list of seed 004
    assert rows["สค ๐๐๑๗.๑/ว ๑๕๑๒๓"]["ถึง"] == "หน่วยงานที่เกี่ยวข้อง (ตามบัญชีรายชื่อแนบท้าย)"
    # ordered by the letters' dates; the undated stamped form last
    assert frame["ที่"].tolist()[-1] == "นท ๐๘๑๒/๖๙๔"
    assert frame["ลงวันที่"].tolist()[:2] == ["๙ พ.ย. ๒๕๖๐", "๑๕ ก.พ. ๒๕๖๒"]


def test_an_empty_receipts_table_is_no_receipts_table(seeds_dataset: Path, tmp_path: Path):
    """A receipts table with no rows (no page had a stamp) numbers the rows as if there were none."""
    from pipeline.register import rows
    from pipeline.store.write import write_table_file

    out = tmp_path / "out"
    shutil.copytree(seeds_dataset, out)
    without = rows(out)
    write_table_file(RECEIPTS_SCHEMA.empty_table(), out / "receipts" / "part-empty.parquet")
    assert rows(out) == without
    assert [r["number"] for r in without] == ["๑", "๒", "๓", "๔", "๕"]
    assert not any(r["remarks"] == "ไม่พบตรารับ" for r in without)


def with_receipts(seeds_dataset: Path, tmp_path: Path) -> Path:
    """A copy of the seeds dataset with a receipts table: stamps this office put on the covering
    letters, and the province's stamp on the ministry letter it forwards (seed 000)."""
    from pipeline.store.write import write_table_file

    out = tmp_path / "out"
    shutil.copytree(seeds_dataset, out)
    province, ministry = letter_id(out, "สน 0018.1/ว 1532"), letter_id(out, "มท 0305.1/ว 1660")
    seed000 = source_of(out, "สน 0018.1/ว 1532")
    dla = letter_id(out, "มท 0810.7/ว 200")
    seed001 = source_of(out, "มท 0810.7/ว 200")
    seed004 = source_of(out, "สค 0017.1/ว 15123")
    stamps = [
        # this office's stamp on the covering letter
        dict(source_path=seed000, letter_id=province, number="๓๒๑", date=dt.date(2024, 1, 29), time="10:15",
             raw="เลขรับ ๓๒๑ วันที่ ๒๙ ม.ค. ๒๕๖๗ เวลา ๑๐.๑๕ น.", page=1, box=[1500, 80, 2300, 300], confidence=0.91),
        # the province's stamp, printed on the copy of the ministry's letter: not this office's
        dict(source_path=seed000, letter_id=ministry, number="1094", date=dt.date(2024, 1, 18), time="11:39",
             raw="เลขรับ 1094 วันที่ 18 ม.ค. 2567 เวลา 11:39", page=2, box=[1500, 80, 2300, 300], confidence=0.9),
        # two stamps on one letter: the upper one is the register's, the other noted
        dict(source_path=seed001, letter_id=dla, number="45", date=dt.date(2019, 2, 20), time=None,
             raw="เลขรับ 45", page=1, box=[1500, 900, 2300, 1100], confidence=0.8),
        dict(source_path=seed001, letter_id=dla, number="9", date=dt.date(2019, 2, 19), time="09:00",
             raw="เลขรับ 9", page=1, box=[1500, 60, 2300, 260], confidence=0.85),
        # a stamp the reader could not attribute to a letter, whose number is unreadable
        dict(source_path=seed004, letter_id=None, number=None, date=dt.date(2017, 11, 13), time=None,
             raw="เลขรับ ... วันที่ ๑๓ พ.ย. ๒๕๖๐", page=1, box=[1400, 50, 2300, 280], confidence=0.4),
    ]
    write_table_file(pa.Table.from_pylist(stamps, schema=RECEIPTS_SCHEMA), out / "receipts" / "part-test.parquet")
    return out


def test_register_takes_number_and_date_from_the_receipt_stamps(seeds_dataset: Path, tmp_path: Path):
    out = with_receipts(seeds_dataset, tmp_path)
    xlsx = tmp_path / "register.xlsx"
    assert main(["register", str(out), "--xlsx", str(xlsx)]) == 0
    frame = pd.read_excel(xlsx, dtype=str)
    assert len(frame) == 5
    # in the order of receipt; letters without a stamp after, by their own date
    assert frame["ที่"].tolist() == ["สค ๐๐๑๗.๑/ว ๑๕๑๒๓", "มท ๐๘๑๐.๗/ว ๒๐๐", "สน ๐๐๑๘.๑/ว ๑๕๓๒",
                                    "มท ๐๘๑๐.๗/๗๕๕๕", "นท ๐๘๑๒/๖๙๔"]
    rows = by_ref(frame)
    province = rows["สน ๐๐๑๘.๑/ว ๑๕๓๒"]
    assert (province["เลขทะเบียนรับ"], province["วันที่รับ"]) == ("๓๒๑", "๒๙ ม.ค. ๒๕๖๗")
    assert "๑๐๙๔" not in frame.to_string()  # the forwarding office's stamp is not ours
    dla = rows["มท ๐๘๑๐.๗/ว ๒๐๐"]
    assert (dla["เลขทะเบียนรับ"], dla["วันที่รับ"]) == ("๙", "๑๙ ก.พ. ๒๕๖๒")
    assert dla["หมายเหตุ"] == "ตรารับอื่น เลขรับ ๔๕ วันที่ ๒๐ ก.พ. ๒๕๖๒"
    samut_sakhon = rows["สค ๐๐๑๗.๑/ว ๑๕๑๒๓"]
    assert (samut_sakhon["เลขทะเบียนรับ"], samut_sakhon["วันที่รับ"]) == ("", "๑๓ พ.ย. ๒๕๖๐")
    assert samut_sakhon["หมายเหตุ"].startswith("เลขรับอ่านไม่ออก; พร้อมหนังสือ มท ๐๒๑๘/ว ๕๑๖๒")
    for unstamped in ("มท ๐๘๑๐.๗/๗๕๕๕", "นท ๐๘๑๒/๖๙๔"):
        assert rows[unstamped]["เลขทะเบียนรับ"] == "" and rows[unstamped]["หมายเหตุ"] == "ไม่พบตรารับ"

    # the same rows as CSV on stdout, in Arabic digits
    buffer = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(buffer):
        assert main(["register", str(out), "--format", "csv", "--arabic-digits"]) == 0
    records = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(records) == 5 and list(records[0]) == HEADERS
    assert records[2]["ที่"] == "สน 0018.1/ว 1532"
    assert (records[2]["เลขทะเบียนรับ"], records[2]["วันที่รับ"], records[2]["ลงวันที่"]) == ("321", "29 ม.ค. 2567", "26 ม.ค. 2567")


def test_csv_file_opens_in_excel_and_pandas(seeds_dataset: Path, tmp_path: Path):
    target = tmp_path / "register.csv"
    assert main(["register", str(seeds_dataset), "--format", "csv", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads the Thai as UTF-8
    frame = pd.read_csv(target, dtype=str, encoding="utf-8-sig")
    assert list(frame.columns) == HEADERS and len(frame) == 5


@pytest.mark.parametrize("argv", [[], ["--format", "xlsx"], ["--xlsx", "r.xlsx", "--format", "csv"], ["-o", "r.txt"]])
def test_register_says_where_to_write(seeds_dataset: Path, tmp_path: Path, argv: list[str], capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["register", str(seeds_dataset), *argv]) == 2
    assert "circulars register:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_register_makes_the_folder_and_reports_a_place_it_cannot_write(seeds_dataset: Path, tmp_path: Path,
                                                                        capsys):
    target = tmp_path / "registers" / "2567" / "register.xlsx"
    assert main(["register", str(seeds_dataset), "--xlsx", str(target)]) == 0
    assert load_workbook(target).active.max_row == 6
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert main(["register", str(seeds_dataset), "--xlsx", str(blocked / "register.xlsx")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_register_of_a_folder_that_is_no_dataset(tmp_path: Path, capsys):
    assert main(["register", str(tmp_path / "nowhere"), "--format", "csv"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_readme_register_section_runs_and_shows_real_rows(seeds_dataset: Path, tmp_path: Path, monkeypatch):
    """The README's register section, run as written in a folder whose `out/` is the ingested
    samples: every `circulars …` line works, and every row it shows is a row of the register."""
    import re
    import shlex

    from tests.conftest import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## The incoming register")
    section = text[start:text.index("\n## ", start + 1)]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").symlink_to(seeds_dataset, target_is_directory=True)
    commands = [line.split("#")[0].split(">")[0].strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)
                for line in block.splitlines() if line.startswith("circulars ")]
    assert len(commands) == 3
    for command in commands:
        assert main(shlex.split(command)[1:]) == 0, command
    frame = pd.read_excel(tmp_path / "register.xlsx", dtype=str).fillna("")
    real = [list(row) for row in frame.itertuples(index=False)]
    shown = [[cell.strip() for cell in line.strip().strip("|").split("|")]
             for line in section.splitlines() if line.startswith("| ") and not line.startswith("| เลข")]
    shown = [row for row in shown if row[0] != "…"]
    assert len(shown) >= 3
    for row in shown:
        assert row in real, row
