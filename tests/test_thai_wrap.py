"""Thai in the terminal: the tables of `circulars sql`, `deadlines` and `show` wrap Thai between
words, rendered by rich at narrow widths and checked against pythainlp's own word boundaries."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pythainlp.tokenize import subword_tokenize, word_tokenize
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from pipeline.cli import main
from pipeline.thai.wrap import ThaiText, shorten, thai_cell

# real values of the seed letters: a subject, an action, a distribution-list entry
SUBJECT = "การพัฒนางานบริการประชาชนเพื่อรองรับการเป็นศูนย์ราชการสะดวก (Government Easy Contact Center : GECC)"
ACTION = ("เพื่อประชาสัมพันธ์และช่วยอธิบายรายละเอียดขั้นตอนการสมัครเข้ารับการรับรองมาตรฐานศูนย์ราชการสะดวกฯ "
          "(GECC) ให้กับองค์กรปกครองส่วนท้องถิ่น")
ENTRY = "ผู้อำนวยการสำนักงานพระพุทธศาสนาจังหวัดสมุทรสาคร"
THAI_LETTER = range(0x0E01, 0x0E4F)


def thai(ch: str) -> bool:
    return ord(ch) in THAI_LETTER


def column_lines(printed: str, column: int) -> list[str]:
    """The text of one column of a rich table, line by line (box characters and padding removed)."""
    out = []
    for line in printed.splitlines():
        cells = line.split("│") if "│" in line else None
        if cells and len(cells) > column + 1:
            out.append(cells[column + 1].strip())
    return out


def breaks_inside_words(lines: list[str]) -> list[tuple[str, str]]:
    """Line ends that cut a Thai word: both sides Thai letters, and pythainlp, reading the two
    lines as one text, puts no word boundary there."""
    bad = []
    for left, right in zip(lines, lines[1:]):
        if not (left and right and thai(left[-1]) and thai(right[0])):
            continue
        joined = left + right
        bounds, at = set(), 0
        for word in word_tokenize(joined, engine="newmm", keep_whitespace=True):
            at += len(word)
            bounds.add(at)
        if len(left) not in bounds:
            bad.append((left, right))
    return bad


def render(cell, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width)
    table = Table()
    table.add_column("value", overflow="fold")
    table.add_row(cell)
    console.print(table)
    return column_lines(console.file.getvalue(), 0)


@pytest.mark.parametrize("text", [SUBJECT, ACTION, ENTRY])
def test_a_table_cell_wraps_between_words_at_every_narrow_width(text: str):
    longest = max(len(w) for w in word_tokenize(text, engine="newmm"))
    for width in range(longest + 4, 61):
        lines = render(thai_cell(text), width)
        assert len(lines) > 1 or width >= cell_len(text) + 4  # borders and padding take 4
        assert breaks_inside_words(lines) == [], width
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost or added


def test_plain_rich_cuts_inside_words_which_is_the_bug():
    """The check above can fail: rich alone folds Thai wherever the column ends."""
    assert any(breaks_inside_words(render(SUBJECT, width)) for width in range(16, 40))
    assert render(SUBJECT, 22)[:2] == ["การพัฒนางานบริการประ", "ชาชนเพื่อรองรับการเป็น"]  # ประ|ชาชน


def test_zero_width_spaces_do_not_make_rich_wrap():
    """Why ThaiText finds its own breaks: U+200B between words is no break to rich."""
    spaced = "\u200b".join(word_tokenize("การพัฒนางานบริการประชาชนเพื่อรองรับการเป็นศูนย์ราชการ", engine="newmm"))
    lines = render(spaced, 22)
    assert breaks_inside_words([line.replace("\u200b", "") for line in lines])


def test_a_word_wider_than_the_column_folds_between_syllables():
    word = "องค์กรปกครองส่วนท้องถิ่น"  # one word to the dictionary
    assert word_tokenize(word, engine="newmm") == [word]
    syllables = subword_tokenize(word, engine="dict")
    for width in range(8, 14):
        lines = render(thai_cell(word), width)
        assert len(lines) > 1 and "".join(lines) == word
        ends, at = set(), 0
        for syllable in syllables:
            at += len(syllable)
            ends.add(at)
        at = 0
        for line in lines[:-1]:
            at += len(line)
            assert at in ends, (width, lines)


def test_tags_references_and_marks_stay_whole():
    lines = render(ThaiText("ลงวันที่ ‹date›๑๘ มกราคม ๒๕๖๗ ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐"), 16)
    assert lines == ["ลงวันที่", "‹date›๑๘", "มกราคม ๒๕๖๗", "ที่ มท", "๐๓๐๕.๑/ว", "๑๖๖๐"]
    for width in range(8, 16):  # ๆ (repeat the word) never opens a line
        lines = render(ThaiText("สิ่งของต่างๆที่ส่งมาด้วย"), width)
        assert "".join(lines) == "สิ่งของต่างๆที่ส่งมาด้วย"
        assert not any(line.startswith("ๆ") for line in lines)


def test_shorten_cuts_between_words():
    short = shorten(SUBJECT, 30)
    assert short == "การพัฒนางานบริการประชาชนเพื่อ…"
    assert shorten("สั้น", 30) == "สั้น" and shorten(None, 5) == "" and shorten(SUBJECT, 0) == SUBJECT
    long_word = shorten("องค์กรปกครองส่วนท้องถิ่น", 10)
    assert len(long_word) <= 10 and long_word.endswith("…")


def test_sql_table_wraps_thai_between_words(seeds_dataset: Path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "44")
    assert main(["sql", str(seeds_dataset), "SELECT subject FROM letters WHERE subject IS NOT NULL ORDER BY subject"]) == 0
    lines = column_lines(capsys.readouterr().out, 0)
    assert len(lines) > 10
    assert breaks_inside_words(lines) == []
    assert "ราชการสะดวก…" in lines  # --max-width (60 characters) cut between words


def test_deadlines_table_wraps_thai_between_words(seeds_dataset: Path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "150")
    assert main(["deadlines", str(seeds_dataset), "--today", "2024-02-01"]) == 0
    printed = capsys.readouterr().out
    assert "deadlines," in printed and "overdue" in printed
    for column in (6, 7):  # actor, action
        lines = column_lines(printed, column)
        assert len(lines) > 20
        assert breaks_inside_words(lines) == [], column


def test_show_wraps_fields_child_tables_and_text_between_words(seeds_dataset: Path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    assert main(["show", "สค 0017.1/ว 15123", "--out", str(seeds_dataset)]) == 0
    printed = capsys.readouterr().out
    text_lines = [line.strip("│ ") for line in printed.splitlines() if line.startswith("│")]
    assert len(text_lines) > 40
    assert breaks_inside_words(text_lines) == []
    field_lines = [line[20:].strip() for line in printed.split("recipients (")[0].splitlines()[1:]]
    assert breaks_inside_words(field_lines) == []
