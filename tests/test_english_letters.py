"""Letters in English (form `other`): found after a Thai covering letter, and read by their own anatomy.

`tests/data/english/r43_seameo_letter.txt` is an excerpt (44 of its lines, some body paragraphs
left out) of the pipeline's OCR of pages 2-3 of the dev set's r43 (krupong/smartobec
`modules/mail/upload_files/14199000010571452240856_1.pdf` at commit 4f0a667): the SEAMEO
Secretariat's letter that OBEC forwarded under a memo, read from a scan with a receipt stamp and
handwritten Thai minutes over it, OCR slips kept (`Dr Kamo!`, `Tet:`, `Enck`, `+46` for `+66`).
`unesco_invitation.txt` and `embassy_letter.txt` are letters written for these tests in the style
of a UN agency (`Excellency,` … `the assurances of my highest consideration`, a `Subject:` line,
bulleted enclosures) and of an embassy (`July 1, 2019`, `Re:`, `Sincerely,`), to show the reading
is not r43's.
"""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.contacts import misread_addresses
from extractors.english import (EnglishLayout, latin_part, reference_value, spelled_as_greeted,
                                without_noise_tail)
from extractors.englishdate import find_english_dates
from extractors.context import split_lines
from pipeline.letters.extract import extract_letter
from pipeline.letters.segment import split_letters
from pipeline.thai.normalise import normalise
from tests.conftest import DATA

ENGLISH = DATA / "english"

# the head of r43's covering memo (page 1 of the same scan, as the pipeline reads it)
R43_MEMO = """ด่วนที่สุด บันทึกข้อความ

ส่วนราชการ สำนักนโยบายและแผนการศึกษาขั้นพื้นฐาน กลุ่มวิเทศสัมพันธ์ โทร๐ ๒๒๘๑ ๔๔๑๒

วันที่ ๒๓ กรกฎาคม ๒๕๕๘
เรื่อง SEAMEO ๕๐%๓ Schools’ Network and SEAMEO Song Anekalung Contest

เรียน ผู้อำนวยการสำนักเทคโนโลยีเพื่อการเรียนการสอน

ด้วยศูนย์ซีมีโอเรคแซม มีหนังสือแจ้ง สพฐ.ในฐานะที่เป็นคณะกรรมการซีมีโอเรคแซม ว่า
โรงเรียนที่สนใจสามารถส่งใบสมัครภายในวันที่ ๑๗ สิงหาคม ๒๕๕๘
จึงเรียนมาเพื่อโปรดทราบและพิจารณาดำเนินการต่อไปด้วย จะขอบคุณยง

ภ 9 f.4. 2558 ผู้อำนวยการสำนักเทคโนโลยี
"""


def letters_of(text: str) -> list[tuple[str, str | None]]:
    norm = normalise(text)
    return [(norm.display[s.start:s.end], s.form_hint) for s in split_letters(norm.parse)]


def read(text: str, hint: str | None = "english"):
    norm = normalise(text)
    ctx, _ = extract_letter(norm.display, norm.parse, hint)
    return ctx


def english(name: str) -> str:
    return (ENGLISH / name).read_text(encoding="utf-8")


# --- splitting -------------------------------------------------------------------

def test_the_forwarded_english_letter_is_a_letter_of_its_own():
    parts = letters_of(R43_MEMO + "\n" + english("r43_seameo_letter.txt"))
    assert [hint for _, hint in parts] == ["memo", "english"]
    # it starts at its letterhead, which the memo does not keep
    assert parts[1][0].startswith("50 Years of Education Coopera")
    assert "SOUTHEAST ASIAN" not in parts[0][0] and "ผู้อำนวยการสำนักเทคโนโลยี" in parts[0][0]


def test_an_english_letter_alone_and_two_in_a_row():
    parts = letters_of(english("unesco_invitation.txt") + "\n" + english("embassy_letter.txt"))
    assert [hint for _, hint in parts] == ["english", "english"]
    assert parts[1][0].startswith("EMBASSY OF THE REPUBLIC OF KOREA")


def test_a_thai_letter_quoting_dear_colleagues_stays_one_thai_letter():
    text = ("ที่ ศธ ๐๔๐๐๖/ว ๑๒๓๔\nสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน\n๑ กรกฎาคม ๒๕๕๘\n"
            "เรื่อง การประชุมเครือข่ายโรงเรียน\nเรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา ทุกเขต\n"
            "ด้วยสำนักเลขาธิการซีมีโอแจ้งว่า ได้มีหนังสือเวียนถึงโรงเรียนในเครือข่าย ขึ้นต้นว่า\n"
            "Dear colleagues,\n"
            "We are pleased to invite your school to the network meeting.\n"
            "และลงท้ายว่า Yours sincerely\n"
            "Yours sincerely,\n"
            "จึงเรียนมาเพื่อโปรดทราบ\nขอแสดงความนับถือ\n(นายกมล รอดคล้าย)\nเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน\n")
    parts = letters_of(text)
    assert len(parts) == 1 and parts[0][1] == "ref"
    assert "Dear colleagues" in parts[0][0]
    ctx = read(parts[0][0], parts[0][1])
    assert ctx.letter["form"] == "external"


def test_a_thai_letter_whose_start_was_not_read_keeps_its_text_before_the_english_one():
    thai = "เรียน ผู้อำนวยการ\nสำนักงานได้รับหนังสือจากสำนักเลขาธิการซีมีโอ\nรายละเอียดตามเอกสารที่แนบ\nจึงเรียนมาเพื่อโปรดทราบ\n"
    parts = letters_of(thai + "\n" + english("embassy_letter.txt"))
    assert [hint for _, hint in parts] == [None, "english"]
    assert parts[0][0].startswith("เรียน ผู้อำนวยการ")


# --- the real letter -------------------------------------------------------------

def test_r43_english_letter_fields():
    ctx = read(english("r43_seameo_letter.txt"))
    letter = ctx.letter
    assert letter["form"] == "other"
    assert letter["ref"] == "12.301.5/530/15"
    assert letter["date"] == dt.date(2015, 7, 1)
    assert letter["issuer"] == "SOUTHEAST ASIAN MINISTERS OF EDUCATION SECRETARIAT"
    assert letter["subject"] == ("Announcement of the SEAMEO 50x3 Schools’ Network, and "
                                 "SEAMEO Song Angkalung Contest")
    assert [r["recipient"] for r in ctx.recipients] == [
        "Dr Kamol Rodklai Secretary-General Office of the Basic Education Commission "
        "Ministry of Education, Thailand"]
    assert letter["signatory_name"] == "Gatot Hari Priowirjanto"
    assert letter["signatory_position"] == "Director"
    assert [e["position"] for e in ctx.enclosures] == [1, 2, 3]
    assert ctx.enclosures[2]["description"] == "CDs containing files of announcement materials"
    assert [(d["kind"], d["date"]) for d in ctx.deadlines] == [
        ("due", dt.date(2015, 8, 17)), ("due", dt.date(2015, 9, 18))]
    assert all(d["weekday_ok"] for d in ctx.deadlines)
    phones = {(c["kind"], c["value"]) for c in ctx.contacts if c["kind"] in ("phone", "fax")}
    # `Tet:` (Tel) and the `+46` fax are OCR slips: the country code makes the numbers telephones
    assert phones == {("phone", "023910144"), ("phone", "023910256"), ("phone", "023910554")}
    assert {c["value"] for c in ctx.contacts if c["kind"] == "email"} == {
        "secretariat@seameo.org", "piyapa@seameo.org"}


# --- letters in the style of a UN agency and an embassy ---------------------------

def test_un_agency_letter_fields():
    ctx = read(english("unesco_invitation.txt"))
    letter = ctx.letter
    assert letter["ref"] == "BGK/ED/2016/031"
    assert letter["date"] == dt.date(2016, 3, 3)
    assert letter["issuer"] == "UNITED NATIONS EDUCATIONAL, SCIENTIFIC AND CULTURAL ORGANIZATION"
    assert letter["issuer_address"] == "920 Sukhumvit Road, Prakanong, Klongtoey, Bangkok 10110, Thailand"
    assert letter["subject"] == "Regional Consultation on Early Childhood Care and Education"
    assert [r["recipient"] for r in ctx.recipients] == [
        "H.E. Dr Chaiyapruk Sereerak Permanent Secretary Office of the Permanent Secretary Ministry of Education"]
    assert (letter["signatory_name"], letter["signatory_position"]) == ("Shigeru Aoyagi", "Director")
    assert [e["description"] for e in ctx.enclosures] == ["Concept note", "Nomination form"]
    # the consultation's own dates (`to be held … from 16 to 18 May`) and the report published
    # `by 30 June` ask nothing of the reader
    assert sorted((d["kind"], d["date"]) for d in ctx.deadlines) == [
        ("due", dt.date(2016, 4, 15)),
        ("window_end", dt.date(2016, 3, 31)), ("window_start", dt.date(2016, 3, 1))]
    phones = sorted((c["kind"], c["value"]) for c in ctx.contacts if c["kind"] in ("phone", "fax"))
    assert phones == [("fax", "023910866"), ("phone", "023910577"), ("phone", "023910578")]


def test_embassy_letter_fields():
    ctx = read(english("embassy_letter.txt"))
    letter = ctx.letter
    assert (letter["ref"], letter["date"]) == ("KORBKK-2019-0412", dt.date(2019, 7, 1))
    assert letter["issuer"] == "EMBASSY OF THE REPUBLIC OF KOREA"
    assert letter["subject"] == "Korean Government Scholarship Programme 2020"
    # the city closing the inside address is postal, not the addressee
    assert [r["recipient"] for r in ctx.recipients] == [
        "Ms Siriporn Chaiyaporn Director, Bureau of International Cooperation "
        "Office of the Permanent Secretary, Ministry of Education"]
    assert (letter["signatory_name"], letter["signatory_position"]) == ("Kim Jae-won", "First Secretary")
    assert [e["description"] for e in ctx.enclosures] == ["Application guidelines"]
    assert [(d["kind"], d["date"], d["weekday_ok"]) for d in ctx.deadlines] == [
        ("due", dt.date(2019, 8, 30), True)]
    assert [c["value"] for c in ctx.contacts if c["kind"] == "phone"] == ["022477537"]


# --- the units ----------------------------------------------------------------------

@pytest.mark.parametrize("printed, expected", [
    ("1 July 2015", dt.date(2015, 7, 1)),
    ("July 1, 2015", dt.date(2015, 7, 1)),
    ("1st July 2015", dt.date(2015, 7, 1)),
    ("the 1st of July 2015", dt.date(2015, 7, 1)),
    ("Friday, 18 September 2015", dt.date(2015, 9, 18)),
    ("17 Aug. 2015", dt.date(2015, 8, 17)),
    ("2015-07-01", dt.date(2015, 7, 1)),
])
def test_english_dates(printed, expected):
    assert [d.date for d in find_english_dates(printed)] == [expected]


@pytest.mark.parametrize("printed", ["01/07/2015", "1.7.2015", "item 1 may be sent", "in August 2015"])
def test_ambiguous_or_partial_dates_are_skipped(printed):
    assert [d.date for d in find_english_dates(printed) if d.date] == []


def test_a_day_range_borrows_its_month_and_year():
    dates = find_english_dates("between 1 and 15 July 2015")
    assert [d.date for d in dates] == [dt.date(2015, 7, 1), dt.date(2015, 7, 15)]


@pytest.mark.parametrize("line, value", [
    ("Ref: — 12.301.5/530/15", "12.301.5/530/15"),
    ("Our ref.: BGK/ED/2016/031", "BGK/ED/2016/031"),
    ("Reference No. EO 123/2015", "EO 123/2015"),
    ("Reference is made to your letter of 5 June 2015", None),
    ("Your ref: 0406/123", None),
])
def test_reference_lines(line, value):
    found = reference_value(line)
    assert (line[found[0]:found[1]] if found else None) == value


def test_a_stamps_scraps_leave_an_address_line():
    assert latin_part("Secretary-General จัรี่ 5") == "Secretary-General"
    assert latin_part("Was Director (นายกมล รอดคล้าย)") == "Was Director"
    assert without_noise_tail("Office of the Basic Education Commission Kit | fA. 2558") == \
        "Office of the Basic Education Commission"
    assert without_noise_tail("Ministry of Education, Thailand am Gq 19.") == "Ministry of Education, Thailand"
    # a short tail of function words and capitals is the office's name
    assert without_noise_tail("Permanent Mission of Thailand to the UN") == "Permanent Mission of Thailand to the UN"


def test_the_salutation_spells_the_addressee():
    assert spelled_as_greeted("Dr Kamo! Rodklai", "Dear Dr Kamol,") == "Dr Kamol Rodklai"
    assert spelled_as_greeted("Dr Kamol Rodklai", "Dear Dr Kamol,") == "Dr Kamol Rodklai"
    assert spelled_as_greeted("Ms Piyada Suk", "Dear Ms Piyapa,") == "Ms Piyada Suk"  # another name


def test_layout_of_the_real_letter():
    lines = split_lines(normalise(english("r43_seameo_letter.txt")).parse)
    lay = EnglishLayout(lines)
    assert lines[lay.reference].text.startswith("Ref:")
    assert lines[lay.date].text.startswith("1 July 2015")
    assert lines[lay.salutation].text == "Dear Dr Kamol,"
    assert lines[lay.closing].text.startswith("Yours sincerely")


def test_an_address_misread_once_beside_its_many_copies():
    printed = ["schoolnetwork@seameo.org"] * 7 + ["schoolnetwork@seamec.org", "piyapa@seameo.org"]
    assert misread_addresses(printed) == {"schoolnetwork@seamec.org"}
    assert misread_addresses(["piyapa@seameo.org", "piyada@seameo.org"]) == set()
