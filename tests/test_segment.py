import re

from pipeline.thai.normalise import normalise
from pipeline.letters.segment import split_letters
from tests.conftest import FORMS, seed


def letters_of(path):
    norm = normalise(path.read_text(encoding="utf-8"))
    return [norm.display[s.start:s.end] for s in split_letters(norm.parse)]


def test_covering_letter_and_forwarded_letter_split_with_urgency_kept():
    parts = letters_of(seed("000"))
    assert len(parts) == 2
    assert parts[0].startswith("ด่วนที่สุด\n\nที่ สน ๐๐๑๘.๑/ว ๑๕๓๒")
    # the forwarded letter takes its own urgency mark; its QR-code page stays with it
    assert parts[1].startswith("ด่วนที่สุด\n\nที่ มท ๐๓๐๕.๑/ว ๑๖๖๐")
    assert "QR Code สิ่งที่มาด้วย" in parts[1]
    # the page-continuation marker is not a letter
    assert "/ ๑. แจ้งที่ทำการ" in parts[1]


def test_distribution_list_belongs_to_its_covering_letter():
    parts = letters_of(seed("004"))
    assert len(parts) == 2
    assert len(re.findall(r"^บัญชีรายชื่อแนบท้าย$", parts[0], re.M)) == 3
    assert "ที่ สค ๐๐๑๗.๑/ว ๑๕๑๖๓" in parts[0]  # the list's own header is not a letter
    assert parts[1].startswith("ที่ มท ๐๒๑๘/ว๕๑๖๒")


def test_single_letters_stay_whole():
    for prefix in ("001", "002", "003"):
        assert len(letters_of(seed(prefix))) == 1


def test_memo_order_announcement_headings_open_letters():
    memo = (FORMS / "memo.txt").read_text(encoding="utf-8")
    order = (FORMS / "order.txt").read_text(encoding="utf-8")
    norm = normalise(memo + "\n\n" + order)
    segments = split_letters(norm.parse)
    assert [s.form_hint for s in segments] == ["memo", "heading"]
    # the memo's own `ที่` line does not split it
    assert "ที่ ขก" in norm.display[segments[0].start:segments[0].end]


def test_body_line_starting_with_prakat_is_not_a_heading():
    text = "ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\nเรื่อง ทดสอบ\nเรียน ผู้ว่าราชการจังหวัด\nประกาศหลักเกณฑ์มาตรฐานฯ (GECC) ประจำปี\nงบประมาณ พ.ศ. ๒๕๖๗ และได้กำหนด"
    assert len(split_letters(normalise(text).parse)) == 1


def test_text_without_letters_gives_none():
    assert split_letters(normalise("hello world\nno letter here").parse) == []


def test_a_wrapped_citation_at_a_line_start_is_not_a_new_letter():
    text = ("ที่ สค ๐๐๑๗.๑/ว ๑๕๑๒๓\nศาลากลางจังหวัดสมุทรสาคร\n๙ พฤศจิกายน ๒๕๖๐\nเรื่อง การพัฒนางานบริการ\n"
            "เรียน หน่วยงานที่เกี่ยวข้อง\nด้วยจังหวัดได้รับแจ้งจากกระทรวงมหาดไทยตามหนังสือ\n"
            "ที่ มท ๐๒๑๘/ว ๕๙๙๒ ลงวันที่ ๒๐ ตุลาคม ๒๕๖๐ ว่า นายกรัฐมนตรีได้มอบนโยบาย\n"
            "ที่ มท ๐๒๑๘/ว ๕๙๙๓\nซึ่งแจ้งไว้แล้ว\nจึงเรียนมาเพื่อทราบ\nขอแสดงความนับถือ")
    assert len(split_letters(normalise(text).parse)) == 1


def test_the_splitter_reads_lines_as_the_layout_does():
    """A table rule OCR'd before the forwarded letter's reference (`| ที่ มท …`) still opens it."""
    text = seed("000").read_text(encoding="utf-8").replace("\nที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\n", "\n| ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\n")
    assert len(letters_of_text(text)) == 2


def letters_of_text(text: str) -> list:
    norm = normalise(text)
    return split_letters(norm.parse)


def test_urgency_above_an_ocr_speck_opens_the_next_letter():
    # Laksaman heavy: a speck line `a` between the forwarded letter's urgency and its ที่
    text = ("ที่ สน ๐๐๑๘.๑/ว ๑๕๓๒\n\nเรื่อง การสมัคร\n\nเรียน นายอำเภอ ทุกอำเภอ\n\nขอแสดงความนับถือ\n\n"
            "โทร./โทรสาร. ๐ ๔๒๗๑ ๑๔๖๑\n\nด่วนที่สุด\n\na\nที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\n\nเรื่อง การสมัคร\n\n"
            "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n")
    norm = normalise(text)
    parts = [norm.display[s.start:s.end] for s in split_letters(norm.parse)]
    assert len(parts) == 2
    assert parts[1].startswith("ด่วนที่สุด\n\na\nที่ มท")
    assert "ด่วนที่สุด" not in parts[0]
