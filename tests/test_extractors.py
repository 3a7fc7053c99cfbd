"""Each extractor on lines taken from real letters (the seeds), OCR slips included."""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.reference import canonical, find_references
from extractors.thaidate import fill_missing_years, find_dates, parse_date
from pipeline.letters.extract import extract_letter
from pipeline.thai.normalise import normalise, to_arabic
from tests.conftest import FORMS, seed


def run(text: str):
    norm = normalise(text)
    ctx, doc = extract_letter(norm.display, norm.parse)
    return ctx, doc


# --- references ----------------------------------------------------------

@pytest.mark.parametrize("printed, expected, circular", [
    ("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐", "มท 0305.1/ว 1660", True),
    ("ที่ มท ๐๘๑๐.๗/ ๗๕๕๕", "มท 0810.7/7555", False),        # OCR: space after the slash, no ว
    ("ที่ นท ๐๘๑๒/๖๙๔", "นท 0812/694", False),               # OCR: นท for มท, kept as printed
    ("ที่ มท ๐๒๑๘/ว๕๑๖๒", "มท 0218/ว 5162", True),           # no space before the number
    ("ที่ สน 0018.1/ว 1532", "สน 0018.1/ว 1532", True),       # Arabic digits
    ("ที่ กค. ๐๔๐๖.๓/ว ๗๘", "กค 0406.3/ว 78", True),          # dot after the agency letters
])
def test_reference_variants(printed, expected, circular):
    refs = find_references(to_arabic(printed))
    assert [r.ref for r in refs] == [expected]
    assert refs[0].is_circular is circular


def test_reference_without_number_is_not_a_reference():
    assert find_references(to_arabic("ด่วนที่สุด ที่ มท ๐๓๐๕.๑/ว ลงวันที่ มกราคม ๒๕๖๗")) == []


def test_agency_names_cover_ministries_and_provinces():
    ctx, _ = run("ที่ สน ๐๐๑๘.๑/ว ๑๕๓๒\nศาลากลางจังหวัดสกลนคร\nถนนศูนย์ราชการ สน ๔๗๐๐๐\n๒๖ มกราคม ๒๕๖๗\nเรื่อง ทดสอบ\nเรียน นายอำเภอ ทุกอำเภอ")
    assert ctx.letter["agency_name"] == "จังหวัดสกลนคร"
    assert canonical("มท ๐๒๑๘/ว ๔๒๕๒") == "มท 0218/ว 4252"
    ctx, _ = run("ที่ นท ๐๘๑๒/๖๙๔\nถึง สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด ทุกจังหวัด")
    assert ctx.letter["agency_name"] is None
    assert any("นท" in w for w in ctx.warnings)


# --- dates -----------------------------------------------------------------

@pytest.mark.parametrize("printed, expected", [
    ("๒๖ มกราคม ๒๕๖๗", dt.date(2024, 1, 26)),
    ("31 ม.ค. 60", dt.date(2017, 1, 31)),                  # two-digit Buddhist-era year
    ("วันที่ ๑๘ ม.ค. ๒๕๖๗", dt.date(2024, 1, 18)),
    ("๙ พฤศจิกายน พ.ศ. ๒๕๖๐", dt.date(2017, 11, 9)),
    ("๕ มีนาคม พุทธศักราช ๒๕๖๗", dt.date(2024, 3, 5)),
    ("12 มีนาคม 2024", dt.date(2024, 3, 12)),               # a Common-Era year is left as it is
    ("5 มีนาคม ค.ศ. 2024", dt.date(2024, 3, 5)),
    ("30 ต.ค. 2560", dt.date(2017, 10, 30)),
])
def test_dates(printed, expected):
    assert parse_date(printed) == expected


def test_impossible_date_is_null():
    assert parse_date("๓๑ กุมภาพันธ์ ๒๕๖๗") is None


@pytest.mark.parametrize("line", [
    "ระหว่างวันที่ ๘ มกราคม (เวลา ๐๘.๓๐ น.) - ๒๙ กุมภาพันธ์ (เวลา ๑๖.๓๐ น.) ๒๕๖๗",
    # OCR (Laksaman, heavy) read น. as a Latin letter
    "ระหว่างวันที่ ๘ มกราคม (เวลา ๐๘.๓๐ U.) - ๒๙ กุมภาพันธ์ (เวลา ๑๖.๓๐ น.) ๒๕๖๗",
])
def test_range_takes_the_year_and_times_from_context(line):
    text = to_arabic(line)
    dates = find_dates(text)
    fill_missing_years(dates, None)
    assert [(d.date, d.time) for d in dates] == [(dt.date(2024, 1, 8), "08:30"), (dt.date(2024, 2, 29), "16:30")]


def test_a_day_before_a_month_is_not_a_two_digit_year():
    # OCR (Sarabun, medium) lost the dash of a range: ๒๙ is the next date's day
    dates = find_dates(to_arabic("ระหว่างวันที่ ๕ มกราคม (เวลา ๐๘.๓๐ น. ) ๒๙ กุมภาพันธ์ (เวลา ๑๖.๓๐ น.) ๒๕๖๗"))
    assert [(d.day, d.month, d.year) for d in dates] == [(5, 1, None), (29, 2, 2024)]
    assert find_dates(to_arabic("๓๑ ม.ค. ๖๐"))[0].year == 2017


def test_weekday_is_checked():
    ok = find_dates(to_arabic("ภายในวันศุกร์ที่ ๑๙ มกราคม ๒๕๖๗"))[0]
    wrong = find_dates(to_arabic("ภายในวันจันทร์ที่ ๑๙ มกราคม ๒๕๖๗"))[0]
    assert ok.weekday_ok is True and wrong.weekday_ok is False


def test_day_range_borrows_month_and_year():
    dates = find_dates(to_arabic("ตั้งแต่วันที่ ๑ - ๑๕ กุมภาพันธ์ ๒๕๖๗"))
    assert [d.date for d in dates] == [dt.date(2024, 2, 1), dt.date(2024, 2, 15)]


# --- the head of a letter ----------------------------------------------------

def test_receipt_stamp_is_neither_issuer_nor_date():
    text = seed("000").read_text(encoding="utf-8")
    second = text[text.index("ด่วนที่สุด\n\nที่ มท"):]
    ctx, _ = run(second)
    assert ctx.letter["issuer"] == "กรมการปกครอง"                # not the stamp's office, no (วังไชยา)
    assert ctx.letter["issuer_address"] == "ถนนนครสวรรค์ กทม. 10300"
    assert ctx.letter["date"] == dt.date(2024, 1, 18)
    assert ctx.letter["date_raw"] == "๑๘ มกราคม ๒๕๖๗"
    assert ctx.letter["urgency"] == "ด่วนที่สุด"
    assert ctx.letter["form"] == "external"


def test_subject_keeps_what_is_printed_up_to_the_salutation():
    text = seed("004").read_text(encoding="utf-8")
    ctx, _ = run(text[text.index("ที่ มท ๐๒๑๘/ว๕๑๖๒"):])
    assert ctx.letter["subject"].endswith("GECC) 2433 1 ต.ค. 2560")
    assert ctx.letter["issuer"] == "กระทรวงมหาดไทย"


@pytest.mark.parametrize("line", [
    # OCR (Laksaman, medium/heavy): a stray tone or a speck between เรื่อง and the subject
    "เรื่อง ๊ การพัฒนางานบริการประชาชน",
    "เรื่อง . การพัฒนางานบริการประชาชน",
])
def test_subject_without_leading_speck(line):
    ctx, _ = run(f"ที่ มท ๐๒๑๘/ว ๕๑๖๒\n\n{line}\n\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n")
    assert ctx.letter["subject"] == "การพัฒนางานบริการประชาชน"


def test_cited_letter_after_ocr_comma():
    # Laksaman heavy: `อ้างถึง, ,หนังสือ…`
    ctx, _ = run("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\n\nเรื่อง การสมัคร\n\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\n"
                 "อ้างถึง, ,หนังสือกรมการปกครอง ด่วนที่สุด ที่ มท ๐๓๐๕.๑/ว ๓๓๘๕๗ ลงวันที่ ๒๑ พฤศจิกายน ๒๕๖๖\n\n"
                 "ตามที่ กรมการปกครองได้กำหนด\n")
    assert [c["ref"] for c in ctx.citations if c["kind"] == "cites"] == ["มท 0305.1/ว 33857"]


def test_subject_across_line_breaks():
    ctx, _ = run((FORMS / "memo.txt").read_text(encoding="utf-8"))
    assert ctx.letter["subject"] == "ขอให้จัดส่งข้อมูลโครงการเพื่อจัดทำแผนพัฒนาจังหวัด ประจำปีงบประมาณ พ.ศ. 2568"


@pytest.mark.parametrize("name, form, ref, date, issuer", [
    ("memo", "internal", "ขก 0017.2/ว 1234", dt.date(2024, 3, 5), "สำนักงานจังหวัดขอนแก่น กลุ่มงานยุทธศาสตร์และข้อมูลเพื่อการพัฒนาจังหวัด"),
    ("order", "order", "1234/2567", dt.date(2024, 1, 10), "จังหวัดสกลนคร"),
    ("announcement", "announcement", None, dt.date(2024, 1, 24), "กรมการปกครอง"),
    ("stamped", "stamped", "ศธ 04009/ว 567", dt.date(2023, 6, 12), "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"),
    ("pdf_layout", "external", "กค 0406.3/ว 78", dt.date(2024, 1, 31), "กระทรวงการคลัง"),
])
def test_forms(name, form, ref, date, issuer):
    ctx, _ = run((FORMS / f"{name}.txt").read_text(encoding="utf-8"))
    assert (ctx.letter["form"], ctx.letter["ref"], ctx.letter["date"], ctx.letter["issuer"]) == (form, ref, date, issuer)


def test_recipients_and_distribution_list():
    ctx, _ = run(seed("004").read_text(encoding="utf-8").split("ที่ มท ๐๒๑๘/ว๕๑๖๒")[0])
    to = [r["recipient"] for r in ctx.recipients if r["role"] == "to"]
    dist = [r["recipient"] for r in ctx.recipients if r["role"] == "distribution"]
    assert to == ["หน่วยงานที่เกี่ยวข้อง (ตามบัญชีรายชื่อแนบท้าย)"]
    assert len(dist) == 99
    assert dist[0] == "รองผู้อำนวยการรักษาความมั่นคงภายในจังหวัดสมุทรสาคร (ฝ่ายทหาร)"
    assert "สรรพากรพื้นที่สมุทรสาคร 1" in dist and dist[-1] == "ผู้จัดการธนาคาร ธ.ก.ส. สาขาสมุทรสาคร"
    assert [r["position"] for r in ctx.recipients] == list(range(100))


# --- citations and enclosures ------------------------------------------------

def test_citation_and_enclosed_letter():
    ctx, _ = run(seed("003").read_text(encoding="utf-8"))
    assert [(c["kind"], c["ref"], c["date"]) for c in ctx.citations] == [
        ("cites", "มท 0810.7/ว 1408", dt.date(2022, 5, 18)),
        ("encloses", "มท 0218/ว 4252", dt.date(2022, 6, 15)),
    ]
    assert ctx.citations[0]["ref_raw"] == "มท ๐๘๑๐.๗/ว ๑๔๐๘"
    assert [(e["quantity"], e["unit"], e["ref"]) for e in ctx.enclosures] == [(1, "ชุด", "มท 0218/ว 4252")]


def test_numbered_enclosures_with_quantities():
    text = seed("000").read_text(encoding="utf-8")
    ctx, _ = run(text[text.index("ด่วนที่สุด\n\nที่ มท"):])
    assert len(ctx.enclosures) == 7
    assert all(e["quantity"] == 1 and e["unit"] == "ชุด" for e in ctx.enclosures)
    assert ctx.enclosures[4]["description"] == "QR Code แบบรายงาน Username และ Password"


def test_several_numbered_citations():
    ctx, _ = run((FORMS / "pdf_layout.txt").read_text(encoding="utf-8"))
    assert [c["ref"] for c in ctx.citations] == ["กค 0406.3/ว 12", "กค 0406.3/ว 34"]


# --- mentions -------------------------------------------------------------------

def test_mentions_kinds_from_the_clause():
    ctx, _ = run(seed("001").read_text(encoding="utf-8"))
    assert [(m["kind"], m["date"]) for m in ctx.mentions] == [
        ("policy", dt.date(2015, 9, 1)), ("meeting", dt.date(2019, 2, 1))]
    ctx, _ = run(seed("003").read_text(encoding="utf-8"))
    assert [(m["kind"], m["date"]) for m in ctx.mentions] == [("cabinet_resolution", dt.date(2022, 5, 3))]


# --- contacts -------------------------------------------------------------------

def test_phone_forms_ranges_extensions_and_person():
    ctx, _ = run(seed("001").read_text(encoding="utf-8"))
    got = [(c["kind"], c["value"], c["extension"]) for c in ctx.contacts if c["kind"] != "url"]
    assert got == [
        ("phone", "022831261", None), ("phone", "022831262", None),   # ๐-๒๒๘๓-๑๒๖๑-๒ is a range
        ("phone", "022419000", "2312"), ("fax", "022416956", None), ("mobile", "0895157611", None),
    ]
    assert ctx.contacts[-2]["person"] == "นางแพรวนภา ก้องภพธนกุล" or any(
        c["person"] == "นางแพรวนภา ก้องภพธนกุล" for c in ctx.contacts)


def test_trunk_range_extensions_and_the_number_after_them():
    """r38's contact lines: `๖๕๖๐-๗๙` is a trunk group of twenty lines, named by its first
    number; the number after the extension (`ต่อ ๕๑๑๐๑, ๐ ๒๒๘๑ ๗๙๗๙`) is a number of its own."""
    ctx, _ = run("ที่ มท ๐๒๑๐.๕/ว ๑\nเรื่อง ทดสอบ\nเรียน ทุกจังหวัด\n"
                 "โทร.๐ ๒๒๘๒ ๖๕๖๐-๗๙ ต่อ ๕๑๑๐๑, ๐ ๒๒๘๑ ๗๙๗๙\nโทรสาร ๐ ๒๒๘๒ ๖๕๖๐-๗๙ ต่อ ๕๑๕๕๓, ๐ ๒๒๘๑ ๑๕๖๗\n"
                 "โทร. ๐-๒๒๔๑-๙๐๐๐ ต่อ ๒๓๑๒, ๒๓๑๓")
    got = [(c["kind"], c["value"], c["extension"]) for c in ctx.contacts]
    assert got == [("phone", "022826560", "51101"), ("phone", "022817979", None),
                   ("fax", "022811567", None), ("phone", "022419000", "2312,2313")]


def test_shared_phone_fax_and_spaced_digits():
    text = seed("000").read_text(encoding="utf-8")
    ctx, _ = run(text[: text.index("ด่วนที่สุด\n\nที่ มท")])
    phones = {c["value"]: c for c in ctx.contacts if c["kind"] in ("phone", "mobile", "fax")}
    assert set(phones) == {"0639040932", "042711461"}
    assert phones["042711461"]["also_fax"] is True
    assert phones["0639040932"]["person"] == "นางอรอนงค์ จันทร์สองดวง"
    assert any(c["kind"] == "url" and c["value"] == "www.psc.opm.go.th" for c in ctx.contacts)


def test_email_lower_cased_and_numbers_without_cue_ignored():
    ctx, _ = run("ที่ มท ๐๒๑๘/ว ๑\nเรื่อง ทดสอบ\nเรียน ทุกจังหวัด\nเลขที่ ๑๙๘๓๓๓๓๓ E-mail: Supaluk.T@OPM.go.th")
    assert [(c["kind"], c["value"]) for c in ctx.contacts] == [("email", "supaluk.t@opm.go.th")]


# --- signatory --------------------------------------------------------------------

def test_title_on_its_own_line_and_acting_for():
    text = seed("000").read_text(encoding="utf-8")
    ctx, _ = run(text[: text.index("ด่วนที่สุด\n\nที่ มท")])
    assert ctx.letter["signatory_name"] == "ว่าที่ร้อยตรี รวยรุ่ง ไครบุตร"
    assert ctx.letter["signatory_position"] == "ปลัดจังหวัดสกลนคร ปฏิบัติราชการแทน ผู้ว่าราชการจังหวัดสกลนคร"


def test_owner_unit_is_not_part_of_the_position():
    ctx, _ = run(seed("004").read_text(encoding="utf-8").split("บัญชีรายชื่อแนบท้าย\n")[0])
    assert ctx.letter["signatory_name"] == "นายประภัสสร มาลาภาณุจัน"
    assert ctx.letter["signatory_position"] == "ผู้ว่าราชการจังหวัดสมุทรสาคร"


def test_stamped_letter_has_no_signatory():
    ctx, _ = run(seed("002").read_text(encoding="utf-8"))
    assert ctx.letter["form"] == "stamped"
    assert ctx.letter["signatory_name"] is None


# --- spans ------------------------------------------------------------------------

def test_every_value_is_a_span_in_the_spacy_doc():
    ctx, doc = run(seed("003").read_text(encoding="utf-8"))
    assert doc.lang_ == "th"
    assert len(doc) > 100  # tokenised by pythainlp, not one token per line
    refs = doc.spans["ref"]
    assert refs[0].text.startswith("มท 0810.7/")
    for span in ctx.spans:
        assert 0 <= span.start <= span.end <= len(ctx.display)
    subject = next(s for s in ctx.spans if s.label == "subject")
    assert ctx.display[subject.start:subject.end] == "การขับเคลื่อนนโยบายศูนย์ราชการสะดวก"


def test_ocr_slips_in_structural_words_and_urgency_on_the_reference_line():
    ctx, _ = run("ด่วนที่สุด ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\nกรมการปกครอง\nถนนนครสวรรค์ กทม. ๑๐๓๐๐\n๑๘ มกราคม ๒๕๖๗\n"
                 "เรือง การสมัคร\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\nสิ่งทีส่งมาด้วย แนวทาง จำนวน ๑ ชุด\n"
                 "ตามที่ ... โทร. ๐ ๒๒๒๑ ๔๗๔๙ - ๕๐\nขอแสดงความนับถือ\n(นายสมชาย ใจดี)\nอธิบดีกรมการปกครอง")
    letter = ctx.letter
    assert (letter["ref"], letter["urgency"], letter["issuer"], letter["subject"]) == (
        "มท 0305.1/ว 1660", "ด่วนที่สุด", "กรมการปกครอง", "การสมัคร")
    assert len(ctx.enclosures) == 1
    assert [c["value"] for c in ctx.contacts] == ["022214749", "022214750"]


# --- PDF text layers wrap lines at the page width ------------------------------------

def wrapped(stem: str) -> list:
    """Letters of a seed as a born-digital PDF draws it (lines wrapped, pages split by form feeds)."""
    from pipeline.model import Page
    from pipeline.letters.process import join_pages
    from pipeline.letters.segment import split_letters
    from tests.conftest import DATA

    text = (DATA / "wrapped" / f"{stem}.txt").read_text(encoding="utf-8")
    pages = [Page(i + 1, t, "pdf_text") for i, t in enumerate(text.split("\f"))]
    norm, _ = join_pages(pages)
    return [extract_letter(norm.display[s.start:s.end], norm.parse[s.start:s.end])[0]
            for s in split_letters(norm.parse)]


def test_wrapped_enclosure_list_and_window():
    covering, ministry = wrapped("000_1f361a35b1333c64")
    assert len(ministry.enclosures) == 7
    assert [(d["kind"], d["date"], d["time"]) for d in ministry.deadlines][:2] == [
        ("window_start", dt.date(2024, 1, 8), "08:30"), ("window_end", dt.date(2024, 2, 29), "16:30")]


def test_wrapped_mentions():
    (letter,) = wrapped("001_b09dd22fc028d3ba")
    assert [(m["kind"], m["date"]) for m in letter.mentions] == [
        ("policy", dt.date(2015, 9, 1)), ("meeting", dt.date(2019, 2, 1))]


def test_distribution_table_across_page_breaks_and_wrapped_rows():
    covering, _ = wrapped("004_32409324e156e051")
    dist = [r["recipient"] for r in covering.recipients if r["role"] == "distribution"]
    assert len(dist) == 99
    assert "หัวหน้าศูนย์ศึกษาการเรียนรู้และพัฒนาทรัพยากรป่าชายเลนที่ 2 (สมุทรสาคร)" in dist
    assert covering.citations[0]["ref"] == "มท 0218/ว 5992"  # reference wrapped after `ว`


def test_a_health_ministry_letter_laid_out_in_columns():
    """Letterhead beside the reference, secrecy and urgency stacked, numbered
    citations and enclosures, a deadline with a time, a mobile with its owner, LINE."""
    ctx, _ = run((FORMS / "health.txt").read_text(encoding="utf-8"))
    letter = ctx.letter
    assert (letter["secrecy"], letter["urgency"], letter["issuer"], letter["date"]) == (
        "ลับ", "ด่วนที่สุด", "สำนักงานปลัดกระทรวงสาธารณสุข", dt.date(2023, 8, 7))
    assert letter["signatory_name"] == "นายแพทย์สมศักดิ์ อกศิลป์"
    assert letter["signatory_position"] == "รองปลัดกระทรวงสาธารณสุข ปฏิบัติราชการแทน ปลัดกระทรวงสาธารณสุข"
    assert [c["ref"] for c in ctx.citations] == ["สธ 0201.044/ว 123", "สธ 0201.044/ว 200"]
    assert [(e["quantity"], e["unit"]) for e in ctx.enclosures] == [(1, "ฉบับ"), (1, "เล่ม")]
    assert [(d["date"], d["time"]) for d in ctx.deadlines if d["kind"] == "due"] == [(dt.date(2023, 8, 31), "16:30")]
    contacts = {(c["kind"], c["value"]): c["person"] for c in ctx.contacts}
    assert contacts[("mobile", "0918765432")] == "นางสาวอรทัย ใจงาม"
    assert ("line", "@ddc_dengue") in contacts and ("email", "dengue.report@moph.go.th") in contacts


# --- OCR text: blank lines inside paragraphs, noise lines -------------------------------

OCR_001 = """กรมส่งเสริมการปกครองท้องถิน
ถนนนครราชสีมา กทม. ๑๐๓๐๐

๑๕ กุมภาพันธ์ ๒๕๖๒

เรื่อง ขอเชิญสมัครขอรับการรับรองมาตรฐานการให้บริการของศูนย์
ราชการสะดวก (GECC) ประจำปี พ.ศ. ๒๕๖๒
a Y 1 ๑7 ๑7 a
เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด

ด้วยกรมส่งเสริมการปกครองท้องถินได้รับแจ้งจาก

สำนักงานปลัดสำนักนายกรัฐมนตรีว่า ในการประชุมคณะรัฐมนตรี

เมื่อวันที่ ๑ กันยายน ๒๕๕๘

นายกรัฐมนตรีได้มอุบนโยบายให้ทุกกระทรวงก: กรม และจังหวัด
"""


def test_ocr_blank_lines_inside_a_clause_and_a_noise_line_after_the_subject():
    """Lines as tesseract gave them for a rendered scan of seed 001."""
    ctx, _ = run("ที่ มท ๐๘๑๐.๗/ว ๒๐๐\n" + OCR_001)
    assert ctx.letter["subject"] == "ขอเชิญสมัครขอรับการรับรองมาตรฐานการให้บริการของศูนย์ ราชการสะดวก (GECC) ประจำปี พ.ศ. 2562"
    assert [(m["kind"], m["date"]) for m in ctx.mentions] == [("policy", dt.date(2015, 9, 1))]


def test_reference_whose_agency_letters_ocr_could_not_read():
    """tesseract (tha+eng) read `ที่ มท` as `NNN` on a rendered scan of seed 001."""
    ctx, _ = run("NNN ๐๘๑๐.๗/ว ๒๐๐\n" + OCR_001)
    letter = ctx.letter
    assert letter["ref"] is None  # never a guess
    assert (letter["office_code"], letter["ref_number"], letter["is_circular"]) == ("0810.7", "200", True)
    assert letter["form"] == "external" and letter["issuer"] == "กรมส่งเสริมการปกครองท้องถิน"
    assert any("unreadable" in w for w in ctx.warnings)


def test_spaced_memo_heading_and_en_dash_phone_range():
    ctx, _ = run("บันทึก ข้อความ\nส่วนราชการ สำนักงานจังหวัด\nที่ ขก ๐๐๑๗/ว ๑ วันที่ ๕ มีนาคม ๒๕๖๗\n"
                 "เรื่อง ทดสอบ\nเรียน ผวจ.\nโทรศัพท์ ๐ ๒๕๙๐ ๑๗๗๙ – ๘๐")
    assert (ctx.letter["form"], ctx.letter["date"]) == ("internal", dt.date(2024, 3, 5))
    assert [c["value"] for c in ctx.contacts] == ["025901779", "025901780"]


def test_ocr_breaks_in_dates_cues_subjects_and_phones():
    """Slips tesseract made on rendered scans of the seeds: a colon after the day,
    `ระหว่างวันที่` broken by a space and its tone lost, a table rule before `เรื่อง`,
    stray punctuation inside a mobile number."""
    ctx, _ = run("ที่ มท ๐๘๑๐.๗/ว ๒๐๐\nกรมส่งเสริมการปกครองท้องถิ่น\nถนนนครราชสีมา กทม. ๑๐๓๐๐\n๒๖: มกราคม ๒๕๖๗\n"
                 "| เรื่อง ขอเชิญสมัคร\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\nเปิดรับสมัคร ระ หว่างวันที ๒๕\n"
                 "มกราคม - ๒๘ กุมภาพันธ์ ๒๕๖๒ หมายเลขโทรศัพท์ ๐๖- ๓๙๐,๔-๐๙๓๒")
    assert ctx.letter["date"] == dt.date(2024, 1, 26)
    assert ctx.letter["subject"] == "ขอเชิญสมัคร"
    assert [(d["kind"], d["date"]) for d in ctx.deadlines] == [
        ("window_start", dt.date(2019, 1, 25)), ("window_end", dt.date(2019, 2, 28))]
    assert [c["value"] for c in ctx.contacts] == ["0639040932"]


def test_ocr_title_without_its_mark_and_a_comma_in_the_office_code():
    text = seed("000").read_text(encoding="utf-8")
    covering = text[: text.index("ด่วนที่สุด\n\nที่ มท")].replace("ว่าที่ร้อยตรี", "ว่าทีร้อยตรี").replace(
        "มท ๐๓๐๕.๑/ว ๑๖๖๐", "มท ๐๓๐๕,.๑/ว ๑๖๖๐")
    ctx, _ = run(covering)
    assert ctx.letter["signatory_name"] == "ว่าที่ร้อยตรี รวยรุ่ง ไครบุตร"
    assert [c["ref"] for c in ctx.citations if c["kind"] == "encloses"] == ["มท 0305.1/ว 1660"]


def test_a_subject_and_salutation_on_an_attached_page_are_not_the_head():
    """OCR read the forwarded letter's `เรื่อง` as `Bos`; its QR-code page repeats `เรียน` and
    `เรื่อง` after the signature: the head must not jump there."""
    text = seed("000").read_text(encoding="utf-8")
    ministry = text[text.index("ด่วนที่สุด\n\nที่ มท"):].replace("\nเรื่อง การสมัคร", "\nBos การสมัคร", 1)
    ctx, _ = run(ministry)
    assert ctx.letter["subject"] is None
    assert [r["recipient"] for r in ctx.recipients] == ["ผู้ว่าราชการจังหวัด ทุกจังหวัด"]
    assert len(ctx.enclosures) == 7 and ctx.letter["form"] == "external"


def test_enclosure_items_whose_numbers_ocr_misread():
    """The forwarded letter of seed 000 as tesseract read a medium-degraded scan."""
    ctx, _ = run("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\nกรมการปกครอง\nถนนนครสวรรค์ กทม. ๑๐๓๐๐\n๑๘ มกราคม ๒๕๖๗\nเรื่อง การสมัคร\n"
                 "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n"
                 "สิ่งที่ส่งมาด้วย ๗. แนวทางการขับเคลื่อนการพัฒนามาตรฐานฯ\n(GECC) ประจำปีงบประมาณ พ.ศ.๒๕๖๗ จำนวน ๑ ชุด\n\n"
                 "๙. ..หลักเกณฑ์การขอรับรองมาตรฐานฯ (GECC)\nประจำปีงบประ มาณ พ.ศ. ๒๕๖๗ จำนวน ๑ ชุด\n\n"
                 "๓. คู่มือการสมัครรับรองมาตรฐานฯ (GECC) ประจำปีงบประมาณ\nพ.ศ.๒๕๖๗ ,จ้านวน ๑ ชุด\n\n"
                 "ตามที่ กรมการปกครองได้กำหนด")
    assert [(e["position"], e["quantity"], e["unit"]) for e in ctx.enclosures] == [(1, 1, "ชุด"), (2, 1, "ชุด"), (3, 1, "ชุด")]


def test_subject_split_by_ocr_blank_and_noise_lines():
    ctx, _ = run("ที่ สค ๐๐๑๗.๑/ว ๑๕๑๒๓\nศาลากลางจังหวัดสมุทรสาคร\nถนนเศรษฐกิจ ๑ สค ๗๔๐๐๐\n๙ พฤศจิกายน ๒๕๖๐\n"
                 "เรื่อง\n\nการพัฒนางานบริการประชาชน\n๕ oa\n\n(Government Easy Contact Center : GECC)\n\n"
                 "เรียน หน่วยงานที่เกี่ยวข้อง")
    assert ctx.letter["subject"] == "การพัฒนางานบริการประชาชน (Government Easy Contact Center : GECC)"
    order, _ = run((FORMS / "order.txt").read_text(encoding="utf-8"))
    assert order.letter["subject"] == "แต่งตั้งคณะกรรมการขับเคลื่อนศูนย์ราชการสะดวก (GECC) จังหวัดสกลนคร"


def test_weekday_with_its_tone_lost_by_ocr():
    dates = find_dates(to_arabic("ภายในวันอังคารที ๒๗ กุมภาพันธ์ ๒๕๖๗"))
    assert [(d.date, d.weekday_ok) for d in dates] == [(dt.date(2024, 2, 27), True)]


# --- distribution rows as OCR read them ------------------------------------------------
@pytest.mark.parametrize("ocr,row", [
    ("สถิติจังหวัดสมุทรสาคร ,", "สถิติจังหวัดสมุทรสาคร"),
    ("สำรวัตรใหญ่ด่านตรวจคนเข้าเมืองสมุทรสาคร          ”", "สำรวัตรใหญ่ด่านตรวจคนเข้าเมืองสมุทรสาคร"),
    ("ผู้อำนวยการศูนย์วิจัยและพัฒนาประมงชายฝั่งๆ -", "ผู้อำนวยการศูนย์วิจัยและพัฒนาประมงชายฝั่งฯ"),
    ("ผู้อำนวยการศูนย์ส่งเสริมและพัฒนาอาชีพๆ (พืชสวน)", "ผู้อำนวยการศูนย์ส่งเสริมและพัฒนาอาชีพฯ (พืชสวน)"),
    ("หัวหน้าศูนย์ศึกษาการเรียนรู้และพัฒนาทรัพยากรป่าชายเลนที่ ๒ (สมุทรสาคร)ย|]",
     "หัวหน้าศูนย์ศึกษาการเรียนรู้และพัฒนาทรัพยากรป่าชายเลนที่ ๒ (สมุทรสาคร)"),
    ("สถิติจังหวัดสมุทรสาคร ุ", "สถิติจังหวัดสมุทรสาคร"),
    (":สารวัตรใหญ่ด่านตรวจคนเข้าเมืองสมุทรสาคร", "สารวัตรใหญ่ด่านตรวจคนเข้าเมืองสมุทรสาคร"),
    ("ผอ. -สถานพินิจและคุ้มครองเด็กและเยาวชนจังหวัดสมุทรสาคร", "ผอ.สถานพินิจและคุ้มครองเด็กและเยาวชนจังหวัดสมุทรสาคร"),
    ("หน.สนง. :พัฒนาธุรกิจการค้าจังหวัดสมุทรสาคร", "หน.สนง.พัฒนาธุรกิจการค้าจังหวัดสมุทรสาคร"),
    ("หัวหน้าศูนย์ศึกษาการเรียนรู้ (สมุทรสาคร)ฯ", "หัวหน้าศูนย์ศึกษาการเรียนรู้ (สมุทรสาคร)"),
    # what a row really ends with stays
    ("อัยการจังหวัดประจำกรม (สคช.)", "อัยการจังหวัดประจำกรม (สคช.)"),
    ("ผจก.สนง.บริการลูกค้า กสท.", "ผจก.สนง.บริการลูกค้า กสท."),
])
def test_distribution_row_specks(ocr, row):
    from extractors.header import clean_row

    assert clean_row(ocr) == row


def test_enclosure_items_numbered_with_ocr_misreads():
    # Laksaman heavy: ๓. read as `on.`, ๖. as `©.`
    ctx, _ = run("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\n\nเรื่อง การสมัคร\n\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\n"
                 "สิ่งที่ส่งมาด้วย ๑. แนวทางการขับเคลื่อน จ้านวน ๑ ชุด\n"
                 "๙. หลักเกณฑ์การขอรับรองมาตรฐานฯ จำนวน ๑ ชุด\n"
                 "on. คู่มือการสมัครรับรองมาตรฐานฯ จำนวน ๑ ชุด\n"
                 "©. OR Code ช่องทางการประชาสัมพันธ์ข้อมูลข่าวสาร จำนวน ๑ ชุด\n\n"
                 "ตามที่ กรมการปกครองได้กำหนด\n")
    assert len(ctx.enclosures) == 4


def test_date_line_after_an_ocr_speck():
    # Sarabun heavy: `. ๒๑ ตุลาคม ๒๕๖๐` under the letterhead
    ctx, _ = run("ที่ มท ๐๒๑๘/ว๕๑๖๒\n\nกระทรวงมหาดไทย\nถนนอัษฎางค์ กรุงเทพฯ ๑๐๒๐๐\n\n. ๒๑ ตุลาคม ๒๕๖๐\n\n"
                 "เรื่อง การพัฒนางานบริการประชาชน\n\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n")
    assert ctx.letter["date"] == dt.date(2017, 10, 21)


def test_enclosure_item_number_after_an_ocr_speck():
    # Sarabun heavy: `'๖. QR Code …` (a quote-like speck before the number), `๕.QR` (no space)
    items = "".join(f"{n}. รายการที่ {n} จำนวน ๑ ชุด\n" for n in "๑๒๓๔")
    ctx, _ = run("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\n\nเรื่อง การสมัคร\n\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\n"
                 f"สิ่งที่ส่งมาด้วย {items}๕.QR Code แบบรายงาน จำนวน ๑ ชุด\n'๖. QR Code ช่องทาง จำนวน ๑ ชุด\n"
                 "๗. แบบรายงาน จำนวน ๑ ชุด\n\nตามที่ กรมการปกครองได้กำหนด\n")
    assert len(ctx.enclosures) == 7


@pytest.mark.parametrize("listed, count", [
    # r50: the first item's dot lost (`๑ คาสง…`), the second's kept
    ("สิ่งที่ส่งมาด้วย ๑ คำสั่งสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน จำนวน ๑ ฉบับ\n๒. ตารางการประชุม จำนวน ๒ ชุด", 2),
    # r34: the second's lost, on a line of its own
    ("สิ่งที่ส่งมาด้วย ๑. ระเบียบวาระการประชุม\n\nจำนวน ๑ ฉบับ\n๒ แบบตอบรับการประชุมฯ\n\nจำนวน ๑ ฉบับ", 2),
    # a bare number alone is a quantity, not a list
    ("สิ่งที่ส่งมาด้วย ๑ ชุด แบบสำรวจการใช้งาน", 1),
])
def test_enclosure_item_numbers_whose_dot_ocr_lost(listed, count):
    ctx, _ = run("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\n\nเรื่อง การประชุม\n\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\n"
                 f"{listed}\n\nด้วยกรมการปกครองได้กำหนด\n")
    assert len(ctx.enclosures) == count


def test_a_four_digit_hotline_after_a_telephone_cue():
    """r11: `โทรสอบถามรายละเอียดเพิ่มเติมได้ที่ 1129 PEA Contact Center`; the last group of a spaced
    number (`๐ ๔๒๗๑ ๑๔๖๑`) and a number with no cue are no hotline."""
    ctx, _ = run("ที่ มท ๐๒๑๘/ว ๑\nเรื่อง ทดสอบ\nเรียน ทุกจังหวัด\nหรือโทรสอบถามรายละเอียดเพิ่มเติมได้ที่ 1129 PEA Contact Center\n"
                 "โทร. ๐ ๔๒๗๑ ๑๔๖๑\nจำนวน 1500 ชุด")
    assert [(c["kind"], c["value"]) for c in ctx.contacts] == [("phone", "042711461"), ("phone", "1129")]


def test_a_date_after_a_document_word_is_the_documents_not_a_mention():
    """r11: `… ตามมติคณะรัฐมนตรี และ ประกาศ กกพ. เมื่อวันที่ 7 เมษายน 2566`: the date is the
    announcement's; the meeting's own date before it is a mention."""
    ctx, _ = run("ที่ มท ๐๒๑๘/ว ๑\nเรื่อง ทดสอบ\nเรียน ทุกจังหวัด\nด้วยคณะกรรมการกำกับกิจการพลังงาน (กกพ.) "
                 "ในการประชุมเมื่อวันที่ 22 มีนาคม 2566 มีมติเห็นชอบให้วันหยุดราชการเพิ่มเป็นกรณีพิเศษตามมติคณะรัฐมนตรี "
                 "เป็นวัน Peak และ ประกาศ กกพ. เมื่อวันที่ 7 เมษายน 2566 เรื่อง กำหนดช่วงเวลา\n")
    assert [(m["kind"], m["date"]) for m in ctx.mentions] == [("meeting", dt.date(2023, 3, 22))]


def test_a_webmail_domain_ocr_misread_by_one_letter_on_a_scan():
    """r37 prints `Phatthalung.it@gmail.com`; OCR reads `@email.com`. A text prints what it prints."""
    from extractors.contacts import webmail_domain

    assert webmail_domain("phatthalung.it@email.com") == "phatthalung.it@gmail.com"
    assert webmail_domain("saraban@moi.go.th") == "saraban@moi.go.th"
    letter = "ที่ มท ๐๒๑๘/ว ๑\nเรื่อง ทดสอบ\nเรียน ทุกจังหวัด\nไปรษณีย์อิเล็กทรอนิกส์ Phatthalung.it@email.com\n"
    norm = normalise(letter)
    ocr, _ = extract_letter(norm.display, norm.parse, ocr=True)
    typed, _ = extract_letter(norm.display, norm.parse)
    assert [c["value"] for c in ocr.contacts if c["kind"] == "email"] == ["phatthalung.it@gmail.com"]
    assert [c["value"] for c in typed.contacts if c["kind"] == "email"] == ["phatthalung.it@email.com"]
