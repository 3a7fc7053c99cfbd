"""Real letters of every form, read whole and line by line.

`tests/data/real/` holds documents of the real dev set (`../shared/eval/real`,
provenance in its MANIFEST.tsv): Royal Gazette texts flattened to one paragraph
a page, news pages reproducing orders, announcements and letters, and the OCR
text of every scanned letter (as the OCR stage reads their pages: `ocr/`, a form
feed between pages), with their gold labels. The line-break property also runs over the whole dev set
when `../shared` is beside the repo.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest

from extractors.reference import find_references
from extractors.thaidate import find_dates
from extractors.zones import align, letter_starts, rules_read_as_letters, with_breaks
from pipeline.letters.extract import extract_letter
from pipeline.thai.normalise import normalise, to_arabic
from pipeline.letters.process import process_source
from pipeline.model import Page
from pipeline.read.text import read_text_pages

REAL = Path(__file__).parent / "data" / "real"
SHARED_DOCS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "real" / "docs"
HEADER_FIELDS = ["ref", "date", "form", "issuer", "subject", "signatory_name", "signatory_position"]


def norm(value) -> str | None:
    """Compare as the scorer does: spacing, digit script and sara am encoding ignored."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    text = re.sub(r"\s+", "", text.replace("\u0e4d\u0e32", "\u0e33")).strip("()[].,:;\"'“”")
    return text or None


def gold(name: str) -> list[dict]:
    return json.loads((REAL / "gold" / f"{name}.json").read_text(encoding="utf-8"))["letters"]


def letters(path: Path) -> list[dict]:
    """The letters of a text file, or of a scan's OCR pages (`ocr/`)."""
    result = process_source(path, path.name, pages=ocr_pages(path) if path.parent.name == "ocr" else None)
    assert not result.errors
    return [record.letter for record in result.letters]


def run(text: str, ocr: bool = False):
    n = normalise(text)
    ctx, _ = extract_letter(n.display, n.parse, ocr=ocr)
    return ctx


# --- every header field of real texts, as labelled ------------------------

TEXTS = sorted(p.stem for p in (REAL / "texts").glob("*.txt"))


@pytest.mark.parametrize("name", TEXTS)
def test_real_text_header_as_labelled(name):
    """Orders, announcements, by-laws and letters from the Gazette and news pages: the
    header fields read as the gold labels give them, whatever the line breaks."""
    got = letters(REAL / "texts" / f"{name}.txt")
    expected = gold(name)
    assert len(got) == len(expected)
    for letter, label in zip(got, expected):
        signatory = label.get("signatory") or {}
        want = {**label, "signatory_name": signatory.get("name"), "signatory_position": signatory.get("position")}
        for field in HEADER_FIELDS:
            value = letter[field].isoformat() if isinstance(letter[field], dt.date) else letter[field]
            assert norm(value) == norm(want[field]), f"{name} {field}"


# --- the line-break property ----------------------------------------------

# Documents whose values change when every line break becomes a space, and why. Each is
# a document the layout carries that no cue word can replace.
FLATTENING_CHANGES = {
    # two diplomatic letters on one news page, neither with a ที่ line or a heading: they are
    # told apart by the first one's signature block (name, then position, on lines of their
    # own); flattened, that block is gone and both are read as one
    "r15": {"letters", "date", "issuer", "signatory_name", "signatory_position", "recipients"},
    # scans (`ocr/`, each page's lines run into one):
    # the rule under a title that OCR read as Latin noise (`eee rite errtrrrir`) ends the title
    # only on a line of its own
    "r33 ocr": {"subject"},
    "r36 ocr": {"subject"},
    # an English letter after a Thai memo is opened by its head's lines (`Ref:`, a date line, `Dear`)
    "r43 ocr": {"letters", "signatory_name"},
    # a routing memo written by hand over a printed one: its addressee and signer run into the
    # handwriting's noise
    "r45 ocr": {"recipients", "signatory_name", "signatory_position"},
    # handwritten minutes under the signer's position run on after it
    "r51 ocr": {"signatory_position"},
}


def _values(path: Path, pages: list[Page]) -> list[dict]:
    out = []
    for record in process_source(path, path.name, pages=pages).letters:
        values = {k: record.letter.get(k) for k in HEADER_FIELDS + ["urgency"]}
        values["recipients"] = [r["recipient"] for r in record.recipients if r["role"] == "to"]
        out.append(values)
    return out


def _flat_values(path: Path, text: str) -> list[dict]:
    return _values(path, read_text_pages(path, text.encode("utf-8")))


def ocr_pages(path: Path) -> list[Page]:
    """A scan's pages as the OCR stage read them (`tests/data/real/ocr`, a form feed between pages)."""
    return [Page(number, text, "ocr") for number, text in enumerate(path.read_text(encoding="utf-8").split("\f"), 1)]


def flattened(pages: list[Page]) -> list[Page]:
    """Each page's lines run into one."""
    return [Page(p.number, p.text.replace("\n", " "), p.source) for p in pages]


def _text_documents() -> list[Path]:
    docs = sorted((REAL / "texts").glob("*.txt"))
    if SHARED_DOCS.is_dir():
        docs += sorted(p for p in SHARED_DOCS.glob("*.txt") if p.name not in {d.name for d in docs})
    return docs


def _same_values_but(original: list[dict], flattened: list[dict], allowed: set[str]) -> None:
    assert len(original) == len(flattened) or "letters" in allowed
    for a, b in zip(original, flattened):
        changed = {k for k in a if a[k] != b[k]}
        assert changed <= allowed, {k: (a[k], b[k]) for k in changed - allowed}


@pytest.mark.parametrize("path", _text_documents(), ids=lambda p: p.stem)
def test_line_breaks_are_a_hint_not_a_requirement(path):
    """The cue words are found in the token stream: a text with every line break turned
    into a space gives the same header values (FLATTENING_CHANGES lists the exceptions)."""
    text = path.read_text(encoding="utf-8-sig")
    _same_values_but(_flat_values(path, text), _flat_values(path, text.replace("\n", " ")),
                     FLATTENING_CHANGES.get(path.stem, set()))


@pytest.mark.parametrize("path", sorted((REAL / "ocr").glob("*.txt")), ids=lambda p: p.stem)
def test_a_scans_line_breaks_are_a_hint_not_a_requirement(path):
    """The same on the OCR text of every scan of the dev set, each page's lines run into one."""
    _same_values_but(_values(path, ocr_pages(path)), _values(path, flattened(ocr_pages(path))),
                     FLATTENING_CHANGES.get(f"{path.stem} ocr", set()))


# --- the forms' zones on real lines -----------------------------------------

R01_HEAD = ("ค ําสั่งนํายทะเบียน ที่ 47 / 25 54 เรื่อง ให้บริษัทประกันชีวิตยื่นรํายงํานข้อมูล "
            "อําศัยอ ํานําจตํามควํามในมําตรํา 48 (3) สั่ง ณ วันที่ 16 พฤ ศจิกํายน พ.ศ. 25 54 "
            "ประเวช องอําจสิทธิกุล เลขําธิกําร คณะกรรมกํารกํากับและส่งเสริมกํารประกอบธุรกิจประกันภัย "
            "นํายทะเบียน ้ หนา 31 ่ เลม 140 ตอนพิเศษ 109 ง ราชกิจจานุเบกษา 11 พฤษภาคม 2566")


def test_flattened_gazette_order_aligns_every_zone():
    """r01: one paragraph, a word broken by a stray sara am (`ค ําสั่ง`), the number and the
    date with split digits, an unbracketed signature run into its position, the page footer."""
    ctx = run(R01_HEAD)
    assert ctx.letter["form"] == "order"
    assert ctx.letter["ref"] == "47/2554"
    assert ctx.letter["date"] == dt.date(2011, 11, 16)
    assert norm(ctx.letter["issuer"]) == norm("นำยทะเบียน")
    assert norm(ctx.letter["subject"]) == norm("ให้บริษัทประกันชีวิตยื่นรำยงำนข้อมูล")
    assert norm(ctx.letter["signatory_name"]) == norm("ประเวช องอำจสิทธิกุล")
    assert ctx.letter["signatory_position"].endswith("นำยทะเบียน")  # the footer is not part of it


def test_the_letters_own_date_is_the_last_dated_line():
    """r20: the body recalls an older announcement `ประกาศ ณ วันที่ 12 กุมภาพันธ์ พ.ศ. 2552`."""
    ctx = run("ประกาศคณะกรรมการส่งเสริมการศึกษาเอกชน เรื่อง การกำหนดประเภทของโรงเรียน "
              "โดยที่เป็นการสมควรแก้ไข ข้อ 3 ให้ยกเลิกความในประกาศ ลงนาม ประกาศ ณ วันที่ 12 กุมภาพันธ์ พ.ศ. 2552 "
              "และให้ใช้ความต่อไปนี้แทน ประกาศ ณ วันที่ 10 พฤศจิกายน พ.ศ. 25 6 5 ตรีนุช เทียนทอง "
              "รัฐมนตรีว่าการกระทรวงศึกษาธิการ")
    assert ctx.letter["form"] == "announcement"
    assert ctx.letter["date"] == dt.date(2022, 11, 10)
    assert ctx.letter["signatory_name"] == "ตรีนุช เทียนทอง"


def test_a_regulation_without_its_own_subject_has_none():
    """r05: `ว่าด้วย …` is its title; the only `เรื่อง` belongs to an announcement the body recalls."""
    ctx = run("ระเบียบองค์การบริหารส่วนตำบลสวายจีก ว่าด้วยการรักษาความเป็นระเบียบเรียบร้อย พ.ศ. 2562 "
              "อาศัยอานาจตามความในมาตรา 9 และข้อ 4 แห่งประกาศคณะกรรมการข้อมูลข่าวสารของราชการ "
              "ลงวันที่ 24 กุมภาพันธ์ พ.ศ. 2541 เรื่อง หลักเกณฑ์และวิธีการ ประกาศ ณ วันที่ 12 พฤศจิกายน พ.ศ. 256 2 "
              "ชลิต อุตสารัมย์ นายกองค์การบริหารส่วนตาบลสวายจีก")
    assert ctx.letter["form"] == "order"
    assert ctx.letter["subject"] is None
    assert ctx.letter["issuer"] == "องค์การบริหารส่วนตำบลสวายจีก"
    assert ctx.letter["ref"] is None


def test_a_number_recalled_in_the_body_is_no_reference():
    """r02: `ที่ 11/2551` is the number of an older announcement this one cancels."""
    ctx = run("ประกาศกองทุนบาเหน็จบานาญข้าราชการ เรื่อง แบบขอรับเงินจากกองทุน อาศัยอำนาจตามความในข้อ 7 "
              "ข้อ 3 ให้ยกเลิกประกาศกองทุนบำเหน็จบำนาญข้าราชการ ที่ 11/2551 ประกาศ ณ วันที่ 2 6 มกราคม พ.ศ. 25 55 "
              "โสภาวดี เลิศมนัสชัย เลขาธิการคณะกรรมการ กองทุนบาเหน็จบานาญข้าราชการ")
    assert ctx.letter["ref"] is None
    assert ctx.letter["date"] == dt.date(2012, 1, 26)
    assert ctx.letter["signatory_position"] == "เลขาธิการคณะกรรมการ กองทุนบาเหน็จบานาญข้าราชการ"


def test_a_titled_signatory_keeps_a_title_standing_alone():
    """r10: `พลตำรวจตรี ไพศาล วงศ์วัชรมงคล` then two position phrases."""
    ctx = run("ข้อบังคับหัวหน้าเจ้าพนักงานจราจรทางบกจังหวัดนนทบุรี ว่าด้วยการปิดกั้นการจราจร พ.ศ. 256 6 "
              "ตามหนังสือเทศบาลนครนนทบุรี ลงวันที่ 16 มีนาคม 2566 ประกาศ ณ วันที่ 28 มีนาคม พ.ศ. 256 6 "
              "พลตำรวจตรี ไพศาล วงศ์วัชรมงคล ผู้บังคับการตำรวจภูธรจังหวัดนนทบุรี หัวหน้าเจ้าพนักงานจราจรทางบกจังหวัดนนทบุรี")
    assert ctx.letter["signatory_name"] == "พลตำรวจตรี ไพศาล วงศ์วัชรมงคล"
    assert ctx.letter["issuer"] == "หัวหน้าเจ้าพนักงานจราจรทางบกจังหวัดนนทบุรี"


def test_a_press_credit_is_no_signature():
    """r18: a news page ends an order with the press office's credit, not a signature."""
    ctx = run("คำสั่งสำนักงานการบินพลเรือนแห่งประเทศไทย ที่103/2563 เรื่อง การระงับการดำเนินงานของสนามบินภูเก็ต\n"
              "ตามที่ผู้ว่าราชการจังหวัดภูเก็ต ได้ออกมาตรการ\nสั่ง ณ วันที่ 30 เมษายน พ.ศ. 2563\n"
              "***กองเผยแพร่และประชาสัมพันธ์ สำนักงานปลัดกระทรวงคมนาคม***\n\nที่มา : https://www.thaigov.go.th/news/")
    assert ctx.letter["ref"] == "103/2563"
    assert ctx.letter["subject"] == "การระงับการดำเนินงานของสนามบินภูเก็ต"
    assert ctx.letter["signatory_name"] is None


def test_a_typed_letter_keeps_its_lines():
    """with_breaks changes nothing where every cue already opens a line (the seeds' layout)."""
    text = to_arabic("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\nกรมการปกครอง\n๑๘ มกราคม ๒๕๖๗\nเรื่อง การสมัคร\nเรียน ผู้ว่าราชการจังหวัด\n"
                     "ด้วยกรมการปกครอง\nขอแสดงความนับถือ\n(นายอรรชัช สุสัมพันธรัตน์)\nอธิบดีกรมการปกครอง")
    alignment = align(text)
    assert alignment.form == "external"
    assert with_breaks(text, alignment) == text


def test_breaks_keep_every_offset():
    text = to_arabic(R01_HEAD)
    broken = with_breaks(text, align(text))
    assert len(broken) == len(text)
    assert [i for i, (a, b) in enumerate(zip(text, broken)) if a != b] == \
        [i for i, c in enumerate(broken) if c == "\n"]


def test_a_personal_letters_addressee_ends_where_its_body_starts():
    """r16 (a news page): `กราบเรียน นายกรัฐมนตรี ข้าพเจ้า …` on one line."""
    ctx = run("ทำเนียบรัฐบาล ๒๑ พฤษภาคม ๒๕๖๗ เรื่อง ขอลาออกจากตำแหน่ง กราบเรียน นายกรัฐมนตรี "
              "ข้าพเจ้า นายพิชิต ชื่นบาน ขอลาออก ขอแสดงความนับถืออย่างยิ่ง (นายพิชิต ชื่นบาน) "
              "รัฐมนตรีประจำสำนักนายกรัฐมนตรี ที่มา : https://www.thaigov.go.th/news")
    assert ctx.letter["form"] == "external"
    assert [r["recipient"] for r in ctx.recipients] == ["นายกรัฐมนตรี"]
    assert ctx.letter["date"] == dt.date(2024, 5, 21)
    assert ctx.letter["signatory_name"] == "นายพิชิต ชื่นบาน"
    assert ctx.letter["signatory_position"] == "รัฐมนตรีประจำสำนักนายกรัฐมนตรี"


# --- dates, references and partial values on real lines ---------------------

@pytest.mark.parametrize("printed, expected", [
    ("ประกาศ ณ วันที่ 2 6 มกราคม พ.ศ. 25 55", dt.date(2012, 1, 26)),   # r02: day and year split
    ("สั่ง ณ วันที่ 16 พฤ ศจิกํายน พ.ศ. 25 54", dt.date(2011, 11, 16)),  # r01: month split, sara am for aa
    ("ประกาศ ณ วันที่ 2 0 เ ม ษายน พ.ศ. 25 6 6", dt.date(2023, 4, 20)),  # r11
    ("ภายในวันที่ 15 พฤศจิกายน 256 5 ไม่ว่า", dt.date(2022, 11, 15)),    # r08
    ("ลงวันที่ ๓๑ ม.ค. ๖๐ 12 ฉบับ", dt.date(2017, 1, 31)),               # a two-digit year left alone
])
def test_dates_split_by_a_text_layer(printed, expected):
    n = normalise(printed)
    assert [d.date for d in find_dates(n.parse)][:1] == [expected]


def test_a_number_after_a_date_is_not_a_split_year():
    assert [d.date for d in find_dates("วันที่ 5 มกราคม 2567 12 คน")] == [dt.date(2024, 1, 5)]


def test_reference_whose_slash_ocr_lost():
    """r38: tesseract reads `มท ๐๒๑๐.๕/ว๒๔๗๖` as `มท ๐๒๑๐.๕ว๒๔๗๖`; ว still divides the codes."""
    assert [r.ref for r in find_references(to_arabic("ที่ มท ๐๒๑๐.๕ว๒๔๗๖"))] == ["มท 0210.5/ว 2476"]
    assert find_references(to_arabic("มท ๐๒๑๐ วันที่ ๕")) == []


def test_a_handwritten_number_read_as_digits_with_a_glued_vowel_is_no_number():
    """r39 and r34: a handwritten running number that OCR made digits of, a mark or sara aa
    glued on, is left out (the reference is partial); a number before ลงวันที่ is kept."""
    ctx = run("ที่ มท ๐๒๑๒.๒/ว๕์๔๑\n\nถึง กลุ่มจังหวัดทุกกลุ่มจังหวัด และจังหวัดทุกจังหวัด\n\nตามที่กระทรวง\n")
    assert ctx.letter["ref"] is None and ctx.letter["ref_partial"] == "มท 0212.2/ว"
    assert find_references(to_arabic("ที่ พท ๐๐๑๓.๒/ว๓๒๐๕๑า")) == []
    assert [r.ref for r in find_references(to_arabic("ที่ มท ๐๓๐๕.๑/ว๑๖๖๐ลงวันที่"))] == ["มท 0305.1/ว 1660"]
    assert find_references(to_arabic("ที่ พท ๐๐๓๓.๐๐๘/๒ ว๑")) == []  # r35: ว after the number


def test_a_day_in_latin_digits_beside_a_thai_year_is_written_by_hand():
    """r50: the day ๑๒ written by hand in the date line's blank, read by tesseract as `9`; the
    month and year are kept, the day is not made up. A date typed in Arabic digits is kept."""
    head = "ที่ ศธ ๐๔๐๐๕/ว ๑๒\n\nกระทรวงศึกษาธิการ กทม. ๑๐๓๐๐\n{}\nเรื่อง การปรับปรุงระบบ\nเรียน ผู้อำนวยการ\n"
    ctx = run(head.format("9 ตุลาคม ๒๕๕๙"))
    assert ctx.letter["date"] is None and ctx.letter["date_partial"] == "2016-10"
    assert any("written by hand" in w for w in ctx.warnings)
    assert run(head.format("12 ตุลาคม 2559")).letter["date"] == dt.date(2016, 10, 12)
    assert run(head.format("๑๒ ตุลาคม ๒๕๕๙")).letter["date"] == dt.date(2016, 10, 12)


def test_an_order_number_whose_slash_ocr_merged_into_the_year():
    """r33: `ที่ ๑๒๐๑ /๒๕๖๗` read `ที่ ๑๒๐๑ ๗๕๖๗`; the order is dated ๒๕๖๗, so the number is
    1201/2567. A year that is not the order's stays unread (no slash, no number)."""
    order = ("คำสั่งจังหวัดพัทลุง\nที่ ๑๒๐๑ {}\nเรื่อง แต่งตั้งคณะกรรมการจัดทำข้อกำหนดขอบเขตของงาน\n\n"
             "ด้วยจังหวัดพัทลุง จะดำเนินการจัดจ้างเหมาบริการ\nทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป\n"
             "สั่ง ณ วันที่ ๗ มิถุนายน พ.ศ. ๒๕๖๗\n\n(นางสาวอภิชญา พุทธพงษ์)\nอุตสาหกรรมจังหวัดพัทลุง\n")
    assert run(order.format("๗๕๖๗")).letter["ref"] == "1201/2567"
    assert run(order.format("/๒๕๖๗")).letter["ref"] == "1201/2567"
    assert run(order.format("๗๕๖๖")).letter["ref"] is None


def test_a_letterhead_name_whose_marks_ocr_lost_takes_them_from_the_body():
    """r44: the bold letterhead `สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน` read without its marks;
    the body prints the same letters with them. A name the body does not print stays as read."""
    letter = ("ที่ ศธ ๐๔๐๐๑/ ว ๑๔๒\nสำนักงานคณะกรรมการการศกษาขนพนฐาน\n\nกระทรวงศึกษาธิการ กทม. ๑๐๓๐๐\n"
              "๑๓ กรกฎาคม ๒๕๕๘\n\nเรื่อง การสรรหา\n\nเรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต\n\n"
              "ตามที่คณะกรรมการเขตพื้นที่การศึกษาได้พ้นจากตำแหน่งตามวาระ {}พิจารณาแล้ว\n")
    assert run(letter.format("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"), ocr=True).letter["issuer"] == \
        "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"
    assert run(letter.format("กระทรวง"), ocr=True).letter["issuer"] == "สำนักงานคณะกรรมการการศกษาขนพนฐาน"
    # a text file prints what it prints
    assert run(letter.format("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน")).letter["issuer"] == \
        "สำนักงานคณะกรรมการการศกษาขนพนฐาน"


def test_handwritten_number_and_day_leave_partial_values():
    """r37's covering letter: the number and the day were filled in by hand and OCR reads noise."""
    ctx = run("ที่ พท ๐๐๑๗.๒/ว id ฮู 4\n\nศาลากลางจังหวัดพัทลุง\nถนนราเมศวร พท ๙๓๐๐๐\n\n! กันยายน ๒๕๖๗\n"
              "เรื่อง แต่งตั้งคณะกรรมการ\nเรียน ตามบัญชีรายชื่อแนบท้าย\nด้วยจังหวัดพัทลุง\nขอแสดงความนับถือ\n")
    assert ctx.letter["ref"] is None and ctx.letter["ref_partial"] == "พท 0017.2/ว"
    assert ctx.letter["agency_code"] == "พท"
    assert ctx.letter["date"] is None and ctx.letter["date_partial"] == "2024-09"
    assert ctx.letter["issuer"] == "ศาลากลางจังหวัดพัทลุง"
    assert any("reference number missing" in w for w in ctx.warnings)
    assert any("day of the date" in w for w in ctx.warnings)


def test_scanned_letters_of_the_dev_set():
    """OCR text of three real scans: a lost slash, a letterhead read above the reference,
    a numbered distribution list with group rows, a handwritten number."""
    r38 = letters(REAL / "ocr" / "r38.txt")[0]
    assert (r38["ref"], r38["issuer"], r38["date"]) == ("มท 0210.5/ว 2476", "กระทรวงมหาดไทย", dt.date(2017, 5, 8))
    result = process_source(REAL / "ocr" / "r34.txt", "r34.txt", pages=ocr_pages(REAL / "ocr" / "r34.txt"))
    distribution = [r["recipient"] for r in result.letters[0].recipients if r["role"] == "distribution"]
    labelled = [norm(d) for d in gold("r34")[0]["distribution"]]
    assert sum(norm(d) in labelled for d in distribution) >= 14  # one row keeps OCR's `วิ วิทยาลัย`
    assert len(distribution) == len(labelled) and not any(d.startswith(("คณะกรรมการ", "ส่วนราชการ")) for d in distribution)
    r37 = letters(REAL / "ocr" / "r37.txt")
    assert [l["form"] for l in r37] == ["external", "order"]
    assert r37[0]["ref_partial"] == "พท 0017.2/ว"


def test_pua_tone_marks_of_a_text_copied_from_a_pdf():
    """r06: a Gazette text keeps the PDF's legacy glyphs (U+F70A for ่)."""
    page = read_text_pages(Path("x.txt"), "จังหวัดขอนแก\uf70aน ผู้ว\uf70aา รู\uf70bจัก ศุกร\uf70eที่".encode("utf-8"))[0]
    assert page.text == "จังหวัดขอนแก่น ผู้ว่า รู้จัก ศุกร์ที่"
    assert any("PUA" in w for w in page.warnings)


def test_a_news_pages_repeated_heading_is_one_letter():
    got = letters(REAL / "texts" / "r19.txt")
    assert len(got) == 1 and got[0]["form"] == "announcement"


# --- deadlines ----------------------------------------------------------------

def test_an_effective_date_is_no_deadline():
    """r02, r03, r17: `ให้ใช้บังคับตั้งแต่วันที่ …`, `ตั้งแต่วันที่ … เวลา ๐๔๐๐ นาฬิกา เป็นต้นไป`."""
    ctx = run("ประกาศ เรื่อง ก ข้อ 2 ประกาศนี้ให้มีผลใช้บังคับตั้งแต่วันที่ 1 มีนาคม 2555 เป็นต้นไป\n"
              "ทั้งนี้ ตั้งแต่วันที่ 15 ตุลาคม พ.ศ. 2563 เวลา 0400 นาฬิกา เป็นต้นไป")
    assert ctx.deadlines == []


def test_a_windows_end_is_not_a_due_date_too():
    """r07: `ตั้งแต่วันที่ 16 กรกฎาคม พ.ศ. 2565 จนถึงวันที่ 15 กรกฎาคม พ.ศ. 2566` is one window."""
    ctx = run("ผู้ประกอบกิจการที่ยื่นคาขอกู้ ตั้งแต่วันที่ 16 กรกฎาคม พ.ศ. 2565 จนถึงวันที่ 15 กรกฎาคม พ.ศ. 2566 "
              "ต้องทาสัญญาให้เสร็จสิ้นภายในวันที่ 31 สิงหาคม พ.ศ. 2566")
    assert [(d["kind"], d["date"]) for d in ctx.deadlines] == [
        ("window_start", dt.date(2022, 7, 16)), ("window_end", dt.date(2023, 7, 15)), ("due", dt.date(2023, 8, 31))]


# --- contacts in a Gazette text layer ----------------------------------------

def test_contacts_spaced_by_a_text_layer():
    """r05, r09, r11: the Gazette's text layer spaces hyphens and an address's punctuation."""
    ctx = run("หมายเลขโทรศัพท์ 0 - 4411 - 0144 ในวันและเวลาราชการ หมายเลขโทรศัพท์ 0 - 2590 - 9125 และ 0 - 2590 - 9127\n"
              "1.1 Saraban_ 04940701 @dla . go . th ( 2 ) 2.1 โรงเรียนเทศบาล 1 E - mail : Schoolpaknam 2 @gmail . com\n"
              "2.3 โรงเรียน E - mail : Pata 3 school@gmail . com")
    assert [c["value"] for c in ctx.contacts if c["kind"] == "phone"] == ["044110144", "025909125", "025909127"]
    assert [c["value"] for c in ctx.contacts if c["kind"] == "email"] == [
        "saraban_04940701@dla.go.th", "schoolpaknam2@gmail.com", "pata3school@gmail.com"]


def test_an_unspaced_address_is_read_as_written():
    """A typed letter's address ends at its last dot; `Tel` after it is no part of it."""
    ctx = run("E-mail : schoolnetwork@seameo.org. Tel: 02 391 0144 ติดต่อ John Smith john@x.go.th")
    assert [c["value"] for c in ctx.contacts if c["kind"] == "email"] == ["schoolnetwork@seameo.org", "john@x.go.th"]


# --- a text layer whose font reads sara aa as sara am (r42) ---------------------

def test_sara_aa_read_as_sara_am_is_repaired_document_wide():
    """r42, a born-digital e-Saraban PDF: `กระทรวงศึกษำธิกำร` for กระทรวงศึกษาธิการ, its true
    sara am spaced off (`ส ำนักงำน`); a seed page (at most 0.25 ำ per า) is left alone."""
    from pipeline.thai.repair import maps_aa_to_am, repair_lines

    page = ["คำสั่งกระทรวงศึกษำธิกำร", "เรื่อง แต่งตั้งคณะกรรมกำรกำรบริหำรจัดกำรเวลำเรียน",
            "ตำมที่รัฐบำลมีนโยบำย โดยส ำนักงำนคณะกรรมกำรกำรศึกษำขั้นพื้นฐำน หำแนวทำงกำรบริหำร"]
    assert maps_aa_to_am("\n".join(page))
    assert repair_lines(page)[1] == "เรื่อง แต่งตั้งคณะกรรมการการบริหารจัดการเวลาเรียน"
    assert "โดยสำนักงานคณะกรรมการ" in repair_lines(page)[2]
    # the last page alone is too short to judge: the document's verdict decides
    assert repair_lines(["รัฐมนตรีว่ำกำรกระทรวงศึกษำธิกำร"]) == ["รัฐมนตรีว่ำกำรกระทรวงศึกษำธิกำร"]
    assert repair_lines(["รัฐมนตรีว่ำกำรกระทรวงศึกษำธิกำร"], aa_as_am=True) == ["รัฐมนตรีว่าการกระทรวงศึกษาธิการ"]
    seed = (Path(__file__).resolve().parents[1] / "samples").glob("*.txt")
    assert not any(maps_aa_to_am(p.read_text(encoding="utf-8")) for p in seed)


def test_a_draft_order_with_blank_number_day_and_name():
    """r42's last page: `สั่ง ณ วันที่ ____ ตุลาคม พ.ศ. ๒๕๕๘`, then the position alone."""
    ctx = run("คำสั่งกระทรวงศึกษาธิการ\nที่ / ๒๕๕๘\nเรื่อง แต่งตั้งคณะกรรมการ\n......\nตามที่รัฐบาลมีนโยบาย\n"
              "สั่ง ณ วันที่ ตุลาคม พ.ศ. ๒๕๕๘\n\nรัฐมนตรีว่าการกระทรวงศึกษาธิการ")
    assert (ctx.letter["form"], ctx.letter["ref"], ctx.letter["date"]) == ("order", None, None)
    assert ctx.letter["date_partial"] == "2015-10"
    assert ctx.letter["issuer"] == "กระทรวงศึกษาธิการ"
    assert (ctx.letter["signatory_name"], ctx.letter["signatory_position"]) == (None, "รัฐมนตรีว่าการกระทรวงศึกษาธิการ")


def test_an_urgency_stamp_beside_a_memo_heading():
    """r43: the red `ด่วนที่สุด` stamp is read on the heading's line."""
    ctx = run("ด่วนที่สุด บันทึกข้อความ\nส่วนราชการ สำนักนโยบายและแผนการศึกษาขั้นพื้นฐาน โทร ๐ ๒๒๘๑ ๔๔๑๒\n"
              "ที่ ศธ ๐๔๐๐๖/๑๒๓ วันที่ ๒๓ กรกฎาคม ๒๕๕๘\nเรื่อง การประชุม\nเรียน ผู้อำนวยการสำนัก\nด้วย")
    assert (ctx.letter["form"], ctx.letter["urgency"]) == ("internal", "ด่วนที่สุด")
    assert ctx.letter["date"] == dt.date(2015, 7, 23)
    assert run("บันทึกข้อความ\nส่วนราชการ ก\nเรื่อง ข\nเรียน ค\nด้วย").letter["urgency"] is None


# --- addressees ---------------------------------------------------------------

def test_several_addressees_on_a_wrapped_salutation():
    """r32 and r39: one `เรียน`/`ถึง` line (wrapped) names several addressees."""
    ctx = run("ที่ พท ๐๐๑๗.๒/ว ๒๖๔๔\nศาลากลางจังหวัดพัทลุง\n๒๙ พฤษภาคม ๒๕๖๗\nเรื่อง ประชาสัมพันธ์เว็บไซต์\n\n"
              "เรียน หัวหน้าส่วนราชการประจำจังหวัด ทุกส่วนราชการ หัวหน้าหน่วยงานรัฐวิสาหกิจ ทุกแห่ง\n"
              "นายอำเภอ ทุกอำเภอ นายกองค์การบริหารส่วนจังหวัดพัทลุง นายกเทศมนตรีเมืองพัทลุง\nและภาคเอกชนทุกแห่ง\n\n"
              "สิ่งที่ส่งมาด้วย โปสเตอร์\n\nด้วยจังหวัดพัทลุง ได้พัฒนาเว็บไซต์\nขอแสดงความนับถือ\n")
    assert [r["recipient"] for r in ctx.recipients] == [
        "หัวหน้าส่วนราชการประจำจังหวัด ทุกส่วนราชการ", "หัวหน้าหน่วยงานรัฐวิสาหกิจ ทุกแห่ง", "นายอำเภอ ทุกอำเภอ",
        "นายกองค์การบริหารส่วนจังหวัดพัทลุง", "นายกเทศมนตรีเมืองพัทลุง", "ภาคเอกชนทุกแห่ง"]
    stamped = run("ที่ มท ๐๒๑๒.๒/ว ๕๔๑\n\nถึง กลุ่มจังหวัดทุกกลุ่มจังหวัด และจังหวัดทุกจังหวัด\n\nตามที่กระทรวงมหาดไทยแจ้ง")
    assert [r["recipient"] for r in stamped.recipients] == ["กลุ่มจังหวัดทุกกลุ่มจังหวัด", "จังหวัดทุกจังหวัด"]


@pytest.mark.parametrize("line, expected", [
    ("เรียน นายกองค์การบริหารส่วนจังหวัดพัทลุง ง al 1 1 4มoc9 97bguv a aw", ["นายกองค์การบริหารส่วนจังหวัดพัทลุง"]),
    ("เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา เว้ มต eae sen", ["ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"]),
    ("เรียน นายอำเภอ ทุกอำเภอ (ยกเว้นอำเภอเมือง)", ["นายอำเภอ ทุกอำเภอ (ยกเว้นอำเภอเมือง)"]),  # left alone
    ("เรียน รองเลขาธิการฯ กพฐ. (นายสุเทพ ชิตยวงษ์)", ["รองเลขาธิการฯ กพฐ. (นายสุเทพ ชิตยวงษ์)"]),
    ("เรียน ผู้อำนวยการสถานศึกษาในสังกัด เขต 3", ["ผู้อำนวยการสถานศึกษาในสังกัด เขต 3"]),
])
def test_an_addressee_alone_without_ocr_noise(line, expected):
    ctx = run(f"ที่ ศธ ๐๔๐๐๑/ว ๑๔๒\nสำนักงาน\n๑๓ กรกฎาคม ๒๕๕๘\nเรื่อง การสรรหา\n{line}\n\nด้วยสำนักงาน")
    assert [r["recipient"] for r in ctx.recipients] == expected


@pytest.mark.parametrize("printed, expected, agency", [
    ("ที่ กค (กวพ) ๐๔๒๑.๓/ว ๑๒", "กค (กวพ) 0421.3/ว 12", "กระทรวงการคลัง"),  # a division in brackets
    ("ที่ อว ๒๕๖๗/ว ๑๒๓", "อว 2567/ว 123", "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"),  # number after the year
    ("ที่ สปสช ๕.๖๑/ว ๑๒๓๔", "สปสช 5.61/ว 1234", None),  # four letters, a one-digit office before its dot
    ("ที่ ผผ ๐๐๑๒/๓๔๕", "ผผ 0012/345", "สำนักงานผู้ตรวจการแผ่นดิน"),
])
def test_reference_shapes_of_the_regulation(printed, expected, agency):
    refs = find_references(to_arabic(printed))
    assert [(r.ref, r.agency_name) for r in refs] == [(expected, agency)]


@pytest.mark.parametrize("text", ["ฉบับที่ 2 (พ.ศ. 2565) ข้อ 1/2", "ตามมาตรา 4 (38) และ 139/2", "เลข 5/2567"])
def test_numbers_that_are_not_references(text):
    assert find_references(text) == []


def test_letterhead_on_a_scans_reference_line():
    """r32: a handwritten number OCR read as noise, then the right-hand letterhead on the same line."""
    ctx = run("ที่ พท ๐๐๑.๒/ว่าตุ66 ศาลากลางจังหวัดพัทลุง\n\nถนนราเมศวร พท ๙๓๐๐๐\nwe พฤษภาคม ๒๕๖๗\n"
              "เรื่อง ประชาสัมพันธ์\nเรียน นายอำเภอ ทุกอำเภอ\nด้วยจังหวัด\nขอแสดงความนับถือ")
    assert (ctx.letter["issuer"], ctx.letter["ref"], ctx.letter["ref_partial"]) == ("ศาลากลางจังหวัดพัทลุง", None, "พท 001.2/ว")
    assert ctx.letter["date_partial"] == "2024-05"


def test_an_address_over_three_lines_under_the_office():
    """r35: `๒๖๕๒ ถนนราเมศวร` / `ตำบล… อำเภอ…` / `จังหวัดพัทลุง ๙๓๐๐๐` under the office's name,
    which follows the reference's tail on its line."""
    ctx = run("ที่ พท ๐๐๓๓.๐๐๘/๒ ว๑ สำนักงานสาธารณสุขจังหวัดพัทลุง\n๒๖๕๒ ถนนราเมศวร\n\nตำบลคูหาสวรรค์ อำเภอเมือง\n\n"
              "จังหวัดพัทลุง ๙๓๐๐๐\n\nVy ตุลาคม ๒๕๖๗\nเรื่อง โครงการ\nเรียน นายกองค์การบริหารส่วนจังหวัดพัทลุง\nด้วย")
    assert ctx.letter["issuer"] == "สำนักงานสาธารณสุขจังหวัดพัทลุง"
    assert ctx.letter["issuer_address"] == "จังหวัดพัทลุง 93000"


def test_two_signed_letters_without_a_reference_are_two():
    """r15: a letter and its reply on one news page; the reply dates itself with its place."""
    got = letters(REAL / "texts" / "r15.txt")
    assert [(l["date"], l["signatory_name"]) for l in got] == [
        (dt.date(2020, 12, 17), "พลเอก ประยุทธ์ จันทร์โอชา"), (dt.date(2020, 12, 17), "ทองลุน สีสุลิด")]
    assert got[1]["issuer"] == "นายกรัฐมนตรี" and got[1]["signatory_position"] is None  # the inside address is no position


def test_one_signed_letter_with_a_distribution_list_stays_one():
    """A signature, then a distribution list and no second closing: one letter (r34's shape)."""
    result = process_source(REAL / "ocr" / "r34.txt", "r34.txt", pages=ocr_pages(REAL / "ocr" / "r34.txt"))
    assert len(result.letters) == 1


def test_announcements_one_after_another_stay_apart():
    """Only a heading repeated before any body is a web page's repeat; a file of announcements,
    each with its body and date, holds as many letters."""
    text = "ประกาศกรมการขนส่งทางบก\nเรื่อง ก\nอาศัยอำนาจตามความในมาตรา ๑\nประกาศ ณ วันที่ ๑ มกราคม ๒๕๖๗\nนายจิรุตม์ วิศาลจิตร\nอธิบดี\n"
    path = Path(__file__).parent / "data" / "real" / "texts" / "r19.txt"
    result = process_source(path, "x.txt", pages=read_text_pages(path, (text * 3).encode("utf-8")))
    assert len(result.letters) == 3


def test_a_meeting_dated_with_its_weekday():
    """r06: `ในคราวประชุมครั้งที่ 2/2565 เมื่อวันศุกร์ที่ 22 กรกฎาคม 2565`."""
    ctx = run("ประกาศจังหวัดขอนแก่น เรื่อง เปลี่ยนแปลงชื่อหมู่บ้าน ด้วย อำเภอชุมแพ ขอเปลี่ยน "
              "กระทรวงมหาดไทยได้จัดประชุมคณะกรรมการพิจารณา ในคราวประชุมครั้งที่ 2/2565 เมื่อวันศุกร์ที่ 22 กรกฎาคม 2565 "
              "โดยที่ประชุมมีมติเห็นชอบ ประกาศ ณ วันที่ 15 กันยายน พ.ศ. 2565")
    assert [(m["kind"], m["date"]) for m in ctx.mentions] == [("meeting", dt.date(2022, 7, 22))]


@pytest.mark.parametrize("clause, kind", [
    ("ด้วยควํามเห็นชอบของคณะรัฐมนตรี เมื่อวันที่ 18 ตุลําคม 2565 ได้มีมติแต่งตั้ง", "cabinet_resolution"),  # r12
    ("ในคราวประชุมครั้งที่ 2/2565 เมื่อวันที่ 22 กรกฎาคม 2565 โดยที่ประชุมมีมติเห็นชอบ", "meeting"),  # r06: a committee's มติ
])
def test_a_cabinet_resolution_is_the_cabinets(clause, kind):
    ctx = run(f"ประกาศจังหวัด เรื่อง ก ด้วย {clause} ประกาศ ณ วันที่ 15 พฤศจิกายน พ.ศ. 2565")
    assert [m["kind"] for m in ctx.mentions] == [kind]


@pytest.mark.parametrize("block, position", [
    # r32: Latin noise before the position, specks between its lines, noise before the second
    ("(นายปรีชา นวลน้อย)\nOo รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน\nเ\n7\n-« ผู้ว่าราชการจังหวัดพัทลุง",
     "รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน ผู้ว่าราชการจังหวัดพัทลุง"),
    # r38: a speck glued to the position's first word
    ("(นายณัฐพงศ์ ศิริชนะ)\n\nฐรองปลัดกระทรวงมหาดไทย ปฏิบัติราชการแทน\nปลัดกระทรวงมหาดไทย",
     "รองปลัดกระทรวงมหาดไทย ปฏิบัติราชการแทน ปลัดกระทรวงมหาดไทย"),
    # left alone: a position that opens with a position word, and the owner unit below it
    ("(นายอรรชัช สุสัมพันธรัตน์)\nอธิบดีกรมการปกครอง\nสำนักบริหารการปกครองท้องที่", "อธิบดีกรมการปกครอง"),
])
def test_a_scanned_position_without_its_specks(block, position):
    ctx = run(f"ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\nกรมการปกครอง\n๑๘ มกราคม ๒๕๖๗\nเรื่อง ก\nเรียน ข\nด้วย ค\nขอแสดงความนับถือ\n\n{block}")
    assert ctx.letter["signatory_position"] == position


def test_an_announcement_after_a_memo_with_its_number_in_brackets():
    """r51: a memo forwards `ประกาศมหาวิทยาลัยขอนแก่น` / `(ฉบับที่ ๕๓๓ /๒๕๕๓)`: two letters; an
    announcement's edition number (ฉบับที่) is no `ที่` reference."""
    text = ("บันทึกข้อความ\nส่วนราชการ สำนักงานอธิการบดี\nที่ ศธ ๐๕๑๔.๑.๑๒/ ๒๓๘ วันที่ ๒๐ เมษายน ๒๕๕๓\n"
            "เรื่อง ประกาศการรับสมัครทุน\nเรียน คณบดีคณะวิทยาศาสตร์\nด้วยมหาวิทยาลัย\n(รองศาสตราจารย์อภิรัฐ ศิริธราธิวัตร)\n"
            "ผู้ช่วยอธิการบดีฝ่ายวิจัย\n\n\nประกาศมหาวิทยาลัยขอนแก่น\n\n(ฉบับที่ ๕๓๓ /๒๕๕๓)\n"
            "เรื่อง การรับสมัครทุนการศึกษา\n\nตามที่มหาวิทยาลัยขอนแก่น ได้รับการคัดเลือก\n"
            "ประกาศ ณ วันที่ ๒๕ เมษายน พ.ศ. ๒๕๕๓\n(รองศาสตราจารย์กิตติชัย ไตรรัตนศิริชัย)\nรองอธิการบดีฝ่ายวิจัย")
    path = REAL / "texts" / "r19.txt"
    got = [r.letter for r in process_source(path, "x.txt", pages=read_text_pages(path, text.encode("utf-8"))).letters]
    assert [(l["form"], l["issuer"], l["ref"]) for l in got] == [
        ("internal", "สำนักงานอธิการบดี", "ศธ 0514.1.12/238"), ("announcement", "มหาวิทยาลัยขอนแก่น", None)]
    assert got[1]["date"] == dt.date(2010, 4, 25) and got[1]["subject"] == "การรับสมัครทุนการศึกษา"


def test_a_citation_by_number_alone():
    """r34: the writer's own earlier letter cited without its agency letters."""
    ctx = run("ที่ พท ๐๐๑๓.๒/ว ๓๒๐๕๑\nศาลากลางจังหวัดพัทลุง\n๒๘ พฤษภาคม ๒๕๖๗\nเรื่อง เชิญประชุม\nเรียน ตามบัญชีรายชื่อแนบท้าย\n"
              "อ้างถึง หนังสือจังหวัดพัทลุง ด่วนที่สุด ที่ ๐๐๑๗.๒/ว ๒๓๕๘ ลงวันที่ ๑๖ พฤษภาคม ๒๕๖๗\n"
              "สิ่งที่ส่งมาด้วย ระเบียบวาระการประชุม จำนวน ๑ ฉบับ\nตามหนังสืออ้างถึง จังหวัดพัทลุง")
    assert [(c["kind"], c["ref"], c["date"]) for c in ctx.citations] == [("cites", "0017.2/ว 2358", dt.date(2024, 5, 16))]
    # beside a reference with agency letters, a bare number is not read
    both = run("ที่ มท ๐๓๐๕.๑/ว ๑\nกรม\n๑ มกราคม ๒๕๖๗\nเรื่อง ก\nเรียน ข\n"
               "อ้างถึง หนังสือกรม ที่ มท ๐๓๐๕.๑/ว ๓๓๘๕๗ ลงวันที่ ๒๑ พฤศจิกายน ๒๕๖๖ ข้อ ที่ ๑๒/๒๕๖๖\nด้วย")
    assert [c["ref"] for c in both.citations] == ["มท 0305.1/ว 33857"]


def test_the_period_an_order_is_in_force_is_no_deadline():
    """r18: `ทั้งนี้ ตั้งแต่วันที่ … จนถึงวันที่ …` closes an order: it is in force then; a
    window someone must act in is kept (r07's application window)."""
    ctx = run("คำสั่งสำนักงานการบินพลเรือนแห่งประเทศไทย ที่103/2563 เรื่อง การระงับ\nตามที่ได้ออกมาตรการ\n"
              "ทั้งนี้ ตั้งแต่วันที่ 1 พฤษภาคม 2563 เวลา 00.01 น. จนถึงวันที่ 15 พฤษภาคม 2563 เวลา 23.59 น.\n"
              "สั่ง ณ วันที่ 30 เมษายน พ.ศ. 2563")
    assert ctx.deadlines == []
    kept = run("ผู้ประกอบกิจการที่ยื่นคำขอ ตั้งแต่วันที่ 16 กรกฎาคม พ.ศ. 2565 จนถึงวันที่ 15 กรกฎาคม พ.ศ. 2566")
    assert [d["kind"] for d in kept.deadlines] == ["window_start", "window_end"]


@pytest.mark.parametrize("after_blank, subject", [
    # r51 scanned: the title's last line, centred, set off by OCR's blank lines
    ("มหาวิทยาลัยขอนแก่น ประจำปี ๒๕๕๓", "การรับสมัครทุนการศึกษา ตามโครงการมหาวิทยาลัยวิจัยแห่งชาติ "
                                        "มหาวิทยาลัยขอนแก่น ประจำปี 2553"),
    # r33 scanned: the rule under the title read as noise is not part of it
    ("eee rite errtrrrir rite rr rr 1เ", "การรับสมัครทุนการศึกษา ตามโครงการมหาวิทยาลัยวิจัยแห่งชาติ"),
])
def test_a_scanned_titles_last_line_after_a_blank(after_blank, subject):
    ctx = run("ประกาศมหาวิทยาลัยขอนแก่น\n\n(ฉบับที่ ๕๓๓ /๒๕๕๓)\n"
              "เรื่อง การรับสมัครทุนการศึกษา ตามโครงการมหาวิทยาลัยวิจัยแห่งชาติ\n\n"
              f"{after_blank}\n\nตามที่มหาวิทยาลัยขอนแก่น ได้รับการคัดเลือก\n"
              "ประกาศ ณ วันที่ ๒๕ เมษายน พ.ศ. ๒๕๕๓\n(รองศาสตราจารย์กิตติชัย ไตรรัตนศิริชัย)\nรองอธิการบดีฝ่ายวิจัย")
    assert ctx.letter["form"] == "announcement"
    assert ctx.letter["subject"] == subject


MEMO = ("บันทึกข้อความ\nส่วนราชการ สำนักอำนวยการ กลุ่มบริหารสำนักงาน โทร. ๐ ๒๒๘๘ ๕๕๘๖\n"
        "ที่ ศธ ๐๔๐๐๑/๑๒๓๔\nวันที่ ๔ พฤศจิกายน ๒๕๕๘\nเรื่อง การบูรณะซ่อมแซมศาลตา-ยาย\n\n"
        "เรียน รองเลขาธิการฯ กพฐ. (นายสุเทพ ชิตยวงษ์)\n\n"
        "ด้วย งานยานพาหนะ สอ. มีความประสงค์จะบูรณะซ่อมแซมศาลตา-ยาย\n\n"
        "จึงเรียนมาเพื่อโปรดทราบและพิจารณา\n\n{signer}\nปฏิบัติราชการแทนผู้อำนวยการสำนักอำนวยการ\n\n"
        "อนุมัติ\n(นายสุเทพ ชิตยวงษ์)\nรองเลขาธิการ ปฏิบัติราชการแทน\nเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน\n")


def test_a_memo_is_signed_by_the_first_name_after_its_closing_sentence_not_a_minute():
    """r45: a deputy's approval, stamped with his name under the memo, is a minute; the signer
    is the name under `จึงเรียนมาเพื่อ…`, and when OCR garbled it the name is left empty."""
    ctx = run(MEMO.format(signer="(นายวิสุทธิ์ สุวรรณเนตร)"), ocr=True)
    assert ctx.letter["form"] == "internal"
    assert ctx.letter["signatory_name"] == "นายวิสุทธิ์ สุวรรณเนตร"
    ctx = run(MEMO.format(signer="(นายใส่กง สวารรถแก๓ร)"), ocr=True)
    assert ctx.letter["signatory_name"] is None and ctx.letter["signatory_position"] is None
    assert any("signer's name unreadable" in w for w in ctx.warnings)


@pytest.mark.parametrize("heading, issuer", [
    ("ประกาศสถานการณ์ฉุกเฉินที่มีความร้ายแรงในท้องที่เขตกรุงเทพมหานคร", None),  # r17: what is declared
    ("ประกาศผลการสอบคัดเลือกพนักงานราชการ", None),
    ("ประกาศจังหวัดพัทลุง", "จังหวัดพัทลุง"),
    ("ประกาศการไฟฟ้าส่วนภูมิภาค", "การไฟฟ้าส่วนภูมิภาค"),
])
def test_a_heading_that_names_what_is_declared_names_no_issuer(heading, issuer):
    ctx = run(f"{heading}\nเรื่อง การกำหนดพื้นที่\n\nโดยที่เป็นการสมควร\n\nประกาศ ณ วันที่ ๑๕ ตุลาคม พ.ศ. ๒๕๖๓\n\n"
              "พลเอก ประยุทธ์ จันทร์โอชา\nนายกรัฐมนตรี\n")
    assert ctx.letter["form"] == "announcement"
    assert ctx.letter["issuer"] == issuer


def test_a_flattened_scans_position_ends_before_the_owner_unit():
    """r38's OCR text with its line breaks turned to spaces: the signer's position is the same as
    with them, not run on through the owner unit, the contacts and the download note."""
    path = REAL / "ocr" / "r38.txt"
    assert [v["signatory_position"] for v in _values(path, flattened(ocr_pages(path)))] == \
        [v["signatory_position"] for v in _values(path, ocr_pages(path))] == \
        ["รองปลัดกระทรวงมหาดไทย ปฏิบัติราชการแทน ปลัดกระทรวงมหาดไทย"]


# --- flattened heads and signatures of real scans ---------------------------
# (OCR lines of the dev set's scans, their line breaks turned to spaces)

@pytest.mark.parametrize("head, issuer, address", [
    # r32: the letterhead, its address and the date on the reference's line
    ("ที่ พท ๐๐๑๗.๒/ว ๒๖๔๔ ศาลากลางจังหวัดพัทลุง ถนนราเมศวร พท ๙๓๐๐๐ ๒๙ พฤษภาคม ๒๕๖๗",
     "ศาลากลางจังหวัดพัทลุง", "ถนนราเมศวร พท 93000"),
    # r35: a house number opens the address
    ("ที่ พท ๐๐๓๓.๐๐๘/ว ๑๒๓ สำนักงานสาธารณสุขจังหวัดพัทลุง ๒๖๕๒ ถนนราเมศวร ตำบลคูหาสวรรค์ "
     "อำเภอเมือง จังหวัดพัทลุง ๙๓๐๐๐ ๑ ตุลาคม ๒๕๖๗", "สำนักงานสาธารณสุขจังหวัดพัทลุง",
     "2652 ถนนราเมศวร ตำบลคูหาสวรรค์ อำเภอเมือง จังหวัดพัทลุง 93000"),
    # r47: `เขต ๓` names the office's area, `อำเภอ…` opens the address
    ("ที่ ศธ ๐๔๐๒๒/๓๔๓๘ สำนักงานเขตพื้นที่การศึกษาประถมศึกษากาฬสินธุ์ เขต ๓ อำเภอห้วยผึ่ง "
     "จังหวัดกาฬสินธุ์ ๔๖๒๔๐ ๖ ธันวาคม ๒๕๕๙", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษากาฬสินธุ์ เขต 3",
     "อำเภอห้วยผึ่ง จังหวัดกาฬสินธุ์ 46240"),
    # r44: the office's building, a ministry, with its postcode
    ("ที่ ศธ ๐๔๐๐๑/ว ๑๔๒ สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน กระทรวงศึกษาธิการ กทม. ๑๐๓๐๐ "
     "๑๓ กรกฎาคม ๒๕๕๘", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน", "กระทรวงศึกษาธิการ กทม. 10300"),
])
def test_a_flattened_letterhead_names_its_office_apart_from_its_address(head, issuer, address):
    ctx = run(f"{head} เรื่อง การประชุม เรียน ผู้ว่าราชการจังหวัด ด้วยจังหวัดได้จัดประชุม ขอแสดงความนับถือ")
    assert (ctx.letter["issuer"], ctx.letter["issuer_address"]) == (issuer, address)
    assert ctx.letter["date"] is not None


def test_an_address_line_is_never_split_into_an_office():
    """r47 as printed: `อำเภอห้วยผึ่ง จังหวัดกาฬสินธุ์ ๔๖๒๔๐` is the address under the office."""
    ctx = run("ที่ ศธ ๐๔๐๒๒/๓๔๓๘\nสำนักงานเขตพื้นที่การศึกษาประถมศึกษากาฬสินธุ์ เขต ๓\n"
              "อำเภอห้วยผึ่ง จังหวัดกาฬสินธุ์ ๔๖๒๔๐\n๖ ธันวาคม ๒๕๕๙\nเรื่อง กบข พบสมาชิก\nเรียน ผู้อำนวยการ\n")
    assert ctx.letter["issuer"] == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษากาฬสินธุ์ เขต 3"


def test_marks_open_the_head_of_a_flattened_scan():
    """r34: `— ด่วนที่สุด`, a rule's speck before the mark; r48: OCR noise of a stamp before it
    and a reference OCR could not read after it."""
    r34 = run("_— ด่วนที่สุด  ที่ พท ๐๐๑๓.๒/ว๓๒๐๕๑า  ศาลากลางจังหวัดพัทลุง ถนนราเมศวร พท ๙๓๐๐๐  "
              "“ฑ์ พฤษภาคม ๒๕๖๗  เรื่อง เชิญประชุม  เรียน ตามบัญชีรายชื่อแนบท้าย ขอแสดงความนับถือ")
    assert (r34.letter["urgency"], r34.letter["ref_partial"], r34.letter["issuer"]) == \
        ("ด่วนที่สุด", "พท 0013.2/ว", "ศาลากลางจังหวัดพัทลุง")
    r48 = run("9อมจ๒อนรอยแลงงค  dines [ตรวจสอบๆ   เอ นตกร [ เลขาๆ  ด่วนที่สุด ที่ a5 ๐๔๐๐๕ ซา ad  2 ey  "
              "สิงหาคม ๒๕๕๙  เรื่อง แจ้งขอเข้าดำเนินการ เรียน ผู้อำนวยการ ขอแสดงความนับถือ")
    assert r48.letter["urgency"] == "ด่วนที่สุด"


@pytest.mark.parametrize("tail, position", [
    # r34: the owner unit and its telephone after the position
    ("รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน ผู้ว่าราชการจังหวัดพัทลุง สำนักงานจังหวัดพัทลุง "
     "กลุ่มงานยุทธศาสตร์และข้อมูลเพื่อการพัฒนาจังหวัด โทร/โทรสาร. ๐-๗๔๖๑-๓๔๐๘",
     "รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน ผู้ว่าราชการจังหวัดพัทลุง"),
    # r32: specks after the acting phrase, the enclosed poster's `QR-Code` after the position
    ("รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน เ 7 -« ผู้ว่าราชการจังหวัดพัทลุง QR-Code โปสเตอร์ประชาสัมพันธ์",
     "รองผู้ว่าราชการจังหวัด ปฏิบัติราชการแทน ผู้ว่าราชการจังหวัดพัทลุง"),
    # r40: a speck under the position
    ("ผู้ว่าราชการจังหวัดลพบุรี ฆ", "ผู้ว่าราชการจังหวัดลพบุรี"),
    # r50: the name of the minutes' signer below
    ("รองเลขาธิการ ปฏิบัติราชการแทน เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน ( นายตำส7 ๑๒นีโอหรว",
     "รองเลขาธิการ ปฏิบัติราชการแทน เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน"),
    # r41: a speck no Thai word can be, a full stop after the last word
    ("ผู้ว่าราชการ รจั จังหวัดอุบลราชธานี.", "ผู้ว่าราชการ จังหวัดอุบลราชธานี"),
    # an abbreviation's full stop stays
    ("ผู้อำนวยการ สพป.", "ผู้อำนวยการ สพป."),
    # r47: a number that ends the office's name stays
    ("ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษากาฬสินธุ์ เขต ๓",
     "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษากาฬสินธุ์ เขต 3"),
    # r02 (a Gazette text): a position that holds `กอง…` after a space, no telephone after it
    ("เลขาธิการคณะกรรมการ กองทุนบำเหน็จบำนาญข้าราชการ", "เลขาธิการคณะกรรมการ กองทุนบำเหน็จบำนาญข้าราชการ"),
])
def test_a_flattened_position_ends_where_its_lines_would(tail, position):
    ctx = run(f"ที่ พท ๐๐๑๗.๒/ว ๒๖๔๔ เรื่อง การประชุม เรียน ผู้ว่าราชการจังหวัด ด้วยจังหวัดได้จัดประชุม "
              f"ขอแสดงความนับถือ (นายปรีชา นวลน้อย) {tail}")
    assert ctx.letter["signatory_name"] == "นายปรีชา นวลน้อย"
    assert ctx.letter["signatory_position"] == position


@pytest.mark.parametrize("text, form, name, position", [
    # r44's announcement: OCR read `วันที่` and the handwritten day as `Tun 9๑ฑ` and the name's
    # title as `า`; the month still marks the date zone and the signature under it
    ("ประกาศสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน เรื่อง หลักเกณฑ์ วิธีการสรรหา "
     "ด้วยคณะกรรมการเขตพื้นที่การศึกษาพ้นจากตำแหน่งตามวาระ จึงประกาศหลักเกณฑ์ "
     "ประกาศ ณ Tun 9๑ฑ กรกฎาคม พ.ศ. “๒๕๕๘๙ (ายกกล รอดคล้าย) เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน",
     "announcement", "ายกกล รอดคล้าย", "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน"),
    # r51: a memo has no closing words; its signer's bracketed name, opening with a title, ends
    # the body (not an addressee's name in the head, `เรียน รองเลขาธิการฯ (นาย…)`)
    ("บันทึกข้อความ ส่วนราชการ สำนักงานอธิการบดี ที่ ศธ ๐๕๑๔.๑.๑๒/ ๒๓๘ วันที่ ๘ เมษายน ๒๕๕๓ "
     "เรื่อง ประกาศการรับสมัครทุนการศึกษา เรียน คณบดีคณะวิทยาศาสตร์ ด้วยฝ่ายวิจัยจะรับสมัครทุน "
     "จึงเรียนมาเพื่อโปรดพิจารณา (รองศาสตราจารย์อภิรัฐ ศิริธราธิวัตร) ผู้ช่วยอธิการบดีฝ่ายวิจัย",
     "internal", "รองศาสตราจารย์อภิรัฐ ศิริธราธิวัตร", "ผู้ช่วยอธิการบดีฝ่ายวิจัย"),
])
def test_the_signer_of_a_flattened_letter_without_its_cue_words(text, form, name, position):
    ctx = run(text)
    assert (ctx.letter["form"], ctx.letter["signatory_name"], ctx.letter["signatory_position"]) == (form, name, position)


def test_a_rule_read_as_letters_opens_the_body():
    """r37's enclosed order: the rule under its title read as `ว11 9 9ววววววะ…`, flattened."""
    title = "แต่งตั้งคณะกรรมการบริหารและจัดหาระบบคอมพิวเตอร์จังหวัดพัทลุง"
    ctx = run(f"คำสั่งจังหวัดพัทลุง ที่ ๔๒๕/๒๕๖๗ เรื่อง {title} ว11 9 9ววววววะววว1วะวะเระวเวเวเระระรเวเวเว "
              "ตามมติที่ประชุมคณะกรรมการ สั่ง ณ วันที่ ๙ กันยายน ๒๕๖๗ (นายปรีชา นวลน้อย) รองผู้ว่าราชการจังหวัด")
    assert ctx.letter["subject"] == title
    assert rules_read_as_letters("ประชาสัมพันธ์ ประชาสัมพันธ์") == []


def test_a_scanning_apps_watermark_is_page_chrome():
    """r33: `Scanned with CamScanner` at the foot of the page, after the signer's position."""
    ctx = run("คำสั่งจังหวัดพัทลุง ที่ ๑๒๐๑/๒๕๖๗ เรื่อง แต่งตั้งคณะกรรมการ ด้วยจังหวัดพัทลุงจะดำเนินการ "
              "สั่ง ณ วันที่ ๗ มิถุนายน พ.ศ. ๒๕๖๗ (นางสาวอภิชญา พุทธพงษ์) อุตสาหกรรมจังหวัดพัทลุง Scanned with CamScanner")
    assert ctx.letter["signatory_position"] == "อุตสาหกรรมจังหวัดพัทลุง"


def test_each_flattened_page_aligns_to_its_own_letter():
    """r37: a covering letter, then the order it encloses from the next page, each page's lines
    run into one: two letters, the second an order."""
    path = REAL / "ocr" / "r37.txt"
    assert [v["form"] for v in _values(path, flattened(ocr_pages(path)))] == ["external", "order"]


def test_a_flattened_order_number_whose_slash_ocr_lost():
    """r33: `ที่ ๑๒๐๑ ๗๕๖๗` for `ที่ ๑๒๐๑/๒๕๖๗`, run into the heading's and the title's line."""
    ctx = run("คำสั่งจังหวัดพัทลุง ที่ ๑๒๐๑ ๗๕๖๗ เรื่อง แต่งตั้งคณะกรรมการจัดทำข้อกำหนดขอบเขตของงาน "
              "ด้วยจังหวัดพัทลุงจะดำเนินการจัดจ้าง สั่ง ณ วันที่ ๗ มิถุนายน พ.ศ. ๒๕๖๗ (นางสาวอภิชญา พุทธพงษ์) "
              "อุตสาหกรรมจังหวัดพัทลุง")
    assert (ctx.letter["form"], ctx.letter["ref"]) == ("order", "1201/2567")


def test_a_word_that_only_starts_like_a_heading_opens_no_form():
    """A Gazette regulation (ratchagitja 140D108S0000000001200, not in the dev set) cites
    `ประกาศคณะกรรมการข้อมูล ข่าวสารของราชการ เรื่อง …` in its body, the word broken by a space:
    `ข่าวสาร` is no `ข่าว…` heading, so the text stays the regulation it opens as."""
    ctx = run("ระเบียบเทศบาลนครปากเกร็ด ว่าด้วยข้อมูลข่าวสารของราชการ (ฉบับที่ 3) พ.ศ. 2566 "
              "โดยที่เป็นการสมควรแก้ไขเพิ่มเติมปรับปรุงระเบียบเทศบาลนครปากเกร็ด อาศัยอานาจตามความในมาตรา 9 "
              "แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540 ประกอบข้อ 4 แห่งประกาศคณะกรรมการข้อมูล "
              "ข่าวสารของราชการ เรื่อง หลักเกณฑ์และวิธีการ เกี่ยวกับการจัดให้มีข้อมูลข่าวสารของราชการ "
              "ลงวันที่ 24 กุมภาพันธ์ 2541 จึงวางระเบียบไว้ ดังต่อไปนี้ ข้อ 1 ระเบียบนี้เรียกว่า "
              "ประกาศ ณ วันที่ 17 มีนำคม พ.ศ. 25 6 6 วิชัย บรรดาศักดิ์ นายกเทศมนตรีนครปากเกร็ด")
    assert (ctx.letter["form"], ctx.letter["issuer"], ctx.letter["subject"]) == ("order", "เทศบาลนครปากเกร็ด", None)
    assert ctx.letter["signatory_position"] == "นายกเทศมนตรีนครปากเกร็ด"


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_a_forwarded_letter_run_into_its_covering_letters_line(prefix):
    """A covering letter and the letter it forwards (the seed chains), every line break turned
    to a space: the forwarded letter still starts after the covering letter's closing, at its
    marks and `ที่ มท …`, and each keeps its own reference and signer."""
    path = next((Path(__file__).parents[1] / "samples").glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    typed, flat = _flat_values(path, text), _flat_values(path, text.replace("\n", " "))
    assert len(typed) == len(flat) == 2
    for key in ("ref", "date", "subject", "signatory_name", "signatory_position", "urgency"):
        assert [v[key] for v in flat] == [v[key] for v in typed], key


def test_a_citation_or_a_quoted_heading_opens_no_letter():
    """After a closing, `ที่ มท … ลงวันที่ …` is a citation; before any closing, a Gazette text's
    `ข้อ ๑ ประกาศนี้เรียกว่า “ประกาศ… เรื่อง …”` (r02) quotes its own heading."""
    forwarded = ("ด่วนที่สุด ที่ มท ๐๓๐๕/ว ๑๒ {} เรื่อง การประชุม เรียน ผู้ว่าราชการจังหวัด ด้วยกระทรวง")
    covering = "ที่ พท ๐๐๑๗.๒/ว ๒๖๔๔ เรื่อง การประชุม เรียน นายอำเภอ ด้วยจังหวัด ขอแสดงความนับถือ (นายปรีชา นวลน้อย) "
    assert letter_starts(covering + forwarded.format("ลงวันที่ ๑ มกราคม ๒๕๖๗")) == []
    assert letter_starts(covering + forwarded.format("กระทรวงมหาดไทย ๑ มกราคม ๒๕๖๗")) == [len(covering)]
    text = (REAL / "texts" / "r02.txt").read_text(encoding="utf-8").replace("\n", " ")
    assert letter_starts(normalise(text).parse) == []


# --- Royal Gazette texts outside the dev set (narze/ratchagitja.md, volume 140) -------------

@pytest.mark.parametrize("text, subject", [
    # 140/ง/… กรมพัฒนาธุรกิจการค้า ที่ 44/2565: the body opens `ขอประกาศว่า`
    ("ประกาศกรมพัฒนาธุ รกิจการค้า ที่ 4 4 / 2565 เรื่อง การจดทะเบียนบริษัทมหาชนจำกัด ตามพระราชบัญญัติ"
     "บริษัทมหาชนจากัด พ.ศ. 2535 ขอประกาศว่า บริษัทมหาชนจำ กัด ตามรายชื่อแนบท้ายประกาศนี้ ขอจดทะเบียน",
     "การจดทะเบียนบริษัทมหาชนจำกัด ตามพระราชบัญญัติบริษัทมหาชนจากัด พ.ศ. 2535"),
    # กระทรวงเกษตรและสหกรณ์ (ฉบับที่ 107): `อาศัยอ้านาจ`, the text layer's sara am drawn as mai tho + aa
    ("ประกาศกระทรวงเกษตรและสหกรณ์ เรื่อง ก้าหนดทางน้าชลประทานตามพระราชบัญญัติการชลประทานหลวง "
     "พุทธศักราช 2485 (ฉบับที่ 107 / 256 5) อาศัยอ้านาจตามความในมาตรา 5 แห่งพระราชบัญญัติการชลประทานหลวง",
     "ก้าหนดทางน้าชลประทานตามพระราชบัญญัติการชลประทานหลวง พุทธศักราช 2485 (ฉบับที่ 107 / 256 5)"),
    # a court's announcement: its case numbers after the title
    ("ประกาศศาลแพงตลิ่งชัน เรื่อง มีคําสั่งให้ เด็กหญิงเพลินพิศ สุคันธปรีย เป็นคนสาบสูญ คดีหมายเลขดําที่ "
     "พ 1315/2565 คดีหมายเลขแดงที่ พ 1752/2565 ด้วย นางสาวจิตริณีย สุคันธปรีย ผู้รอง ได้ยื่นคํารองขอต่อศาล",
     "มีคำสั่งให้ เด็กหญิงเพลินพิศ สุคันธปรีย เป็นคนสาบสูญ"),
])
def test_a_gazette_title_ends_where_its_body_opens(text, subject):
    assert run(text).letter["subject"] == subject


def test_a_gazette_signer_whose_rank_lost_its_tone_marks():
    """กรมสรรพสามิต (ฉบับที่ 20/2565): `วาที่รอยตรี` is `ว่าที่ร้อยตรี` without its marks."""
    ctx = run("ประกาศกรมสรรพสามิต เรื่อง ลักษณะเครื่องหมายแสดงการเสียภาษีจดทะเบียน (ฉบับที่ 20/2565) "
              "อาศัยอํานาจตามความในมาตรา 68 วรรคสาม แห่งพระราชบัญญัติภาษีสรรพสามิต พ.ศ. 2560 "
              "ประกาศ ณ วันที่ 14 ธันวาคม พ.ศ. 2565 วาที่รอยตรี ประยุทธ เสตถาภิรมย ผู้อํานวยการสํานัก"
              "มาตรฐานและพัฒนาการจัดเก็บภาษี 1 ปฏิบัติราชการแทน อธิบดีกรมสรรพสามิต ้ หนา 2 ่ เลม 140 ตอนที่ 18 ง "
              "ราชกิจจานุเบกษา 2 มีนาคม 2566")
    assert ctx.letter["signatory_name"] == "วาที่รอยตรี ประยุทธ เสตถาภิรมย"
    assert ctx.letter["signatory_position"] == ("ผู้อำนวยการสำนักมาตรฐานและพัฒนาการจัดเก็บภาษี 1 "
                                                "ปฏิบัติราชการแทน อธิบดีกรมสรรพสามิต")


def test_a_royal_proclamation_names_no_issuer():
    """`ประกาศสถาปนาสมณศักดิ์ พระบาทสมเด็จ…`: the heading names the act, not an issuing body."""
    ctx = run("ประกาศสถาปนาสมณศักดิ์ พระบาทสมเด็จพระปรเมนทรรามาธิบดีศรีสินทรมหาวชิราลงกรณ "
              "พระวชิรเกล้าเจ้าอยู่หัว มีพระบรมราชโองการโปรดเกล้าโปรดกระหม่อมให้ประกาศว่า")
    assert ctx.letter["form"] == "announcement" and ctx.letter["issuer"] is None


def test_a_news_page_without_a_document_is_no_letter():
    """A thaigov.go.th news page (outside the dev set) that reproduces no document: `เรื่อง` in
    `หลายเรื่อง` and the page's date line make no letter."""
    path = REAL / "news" / "thaigov_news10.txt"
    result = process_source(path, path.name)
    assert result.letters == [] and not result.errors
    assert "no letter found in this source" in result.warnings


@pytest.mark.parametrize("text, forms", [
    ("ข่าวทั่วไป\nวันนี้ นายก ได้ประชุม เรื่อง การพัฒนา\nด้วยวันนี้ นักเรียนมาร่วมงาน\n", []),
    ("ข่าวสำนักนายกรัฐมนตรี\nเรื่อง การประชุม\nด้วยวันนี้ นายกรัฐมนตรีได้ประชุม\n", ["announcement"]),
])
def test_news_is_a_heading_only_with_its_issuer(text, forms):
    """`ข่าว` (news) is a common word: it heads a letter only as `ข่าว<issuer>`."""
    path = REAL / "news" / "thaigov_news10.txt"
    result = process_source(path, "x.txt", pages=read_text_pages(path, text.encode("utf-8")))
    assert [r.letter["form"] for r in result.letters] == forms
