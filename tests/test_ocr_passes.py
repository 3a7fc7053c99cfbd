"""The OCR passes one by one (pipeline.ocr.passes.PASSES), and `circulars text --explain`.

Each pass runs alone here on what it is for (a case it fixes, as tesseract read rendered
or real scans; most are the cases of tests/test_ocr_words.py) and on correct text it must
leave alone. The passes on word boxes read real ink with the real tesseract: lines drawn
with PIL, or the crops of tests/data/ocr_crops with the misreading tesseract made of them.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_ocr import CROPS, REAL_PAGE, _line_words, font_path

from pipeline.cli import main
from pipeline.ocr.engine import Boxes, Word, digit_runs, latin_line_starts, recognise
from pipeline.ocr.passes import PASSES, apply_passes, named

# a case each text pass fixes, what it makes of it, and correct text it leaves alone
CASES = {
    "tidy-layout": ("ที่ มท   \n\n\n\nเรื่อง การประชุม\f\n\n", "ที่ มท\n\nเรื่อง การประชุม", "ที่ มท\n\nเรื่อง การประชุม"),
    "sara-am": ("จ\u0e4d\u0e32นวน ๑ ชุด", "จำนวน ๑ ชุด", "จำนวน ๑ ชุด"),
    "noise-line": ("เรียน ผู้ว่าราชการจังหวัด\na                 a\nตามที่", "เรียน ผู้ว่าราชการจังหวัด\nตามที่", "และ\n- ๒ -\n๑."),
    "trailing-speck": ("รองอธิบดี ปฏิบัติราชการแทน      :", "รองอธิบดี ปฏิบัติราชการแทน", "จำนวน      ๑"),
    "leading-speck": (": ศูนย์ราชการสะดวก (GECC)", "ศูนย์ราชการสะดวก (GECC)", "- ให้อำเภอแจ้งองค์กรปกครองส่วนท้องถิ่น"),
    "trailing-rule": ("ด่วนที่สุด |", "ด่วนที่สุด", "a | b"),
    "reference-line": ('" ทิ สูน ๐๐๑๘.๑/ว ๑๕๓๒', "ที่ สน ๐๐๑๘.๑/ว ๑๕๓๒", "ที่ สน๐๐๑๘.๑/ว ๒๐๕๑๒ ลงวันที่ ๒๗"),
    "double-ti": ("หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ ที่ มท ๐๘๑๐.๗/ว", "หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท ๐๘๑๐.๗/ว", "ที่ มท ๐๘๑๐.๗/ว ๒๐๐"),
    "code-speck": ("ที่ มท ๐๘๑๐.ญ๗/ว ๒๐๐", "ที่ มท ๐๘๑๐.๗/ว ๒๐๐", "ที่ มท ๐๒๑๘/ว ๕๙๙๒"),
    "agency-speck": ("ที่ ศธ5 ๐๔๐๒๒ /๓๔๓๘", "ที่ ศธ ๐๔๐๒๒ /๓๔๓๘", "ที่ ศธ ๐๔๐๒๒/๓๔๓๘ ห้อง ก5 ๑๒๓ คน"),
    "line-start-word": ("เรือง การประชุม", "เรื่อง การประชุม", "เรื่อง การประชุม"),
    "latin-ti": ("NWN สน ๐๐๑๘.๑/ว ๑๕๓๒", "ที่ สน ๐๐๑๘.๑/ว ๑๕๓๒", "NWN สน ๑๕๓๒"),
    "glued-ti": ("ทีมท ๐๘๑๐.๗/ว ๒๐๐", "ที่ มท ๐๘๑๐.๗/ว ๒๐๐", "ทีมท ๒๐๐ คน"),
    "latin-abbreviation-lead": ("NO.สำนักบริหารพื้นที่อนุรักษ์ ๓", "ผอ.สำนักบริหารพื้นที่อนุรักษ์ ๓", "NO. 5 is"),
    "month-at-line-end": ("ไปเมื่อวันที่ ๑๕ จันว่าคม", "ไปเมื่อวันที่ ๑๕ ธันวาคม", "ข้อ ๑๕ จันทร์"),
    "era-after-pho": ("ประจำปี พ. A. 2562", "ประจำปี พ. ศ. 2562", "ห้อง A. 12"),
    "latin-era": ("ประจำปี WAL ๒๕๖๒", "ประจำปี พ.ศ. ๒๕๖๒", "ประจำปี ISO ๙๐๐๑"),
    "latin-before-number": ("Ins. ๐-๒๒๔๑-๙๐๐๐ ต่อ ๒๓๑๒", "โทร. ๐-๒๒๔๑-๙๐๐๐ ต่อ ๒๓๑๒", "ห้อง AB ๒๕๖๗"),
    "before-number-word": ("หนังสือ ที ๑๒/๒๕๖๗", "หนังสือ ที่ ๑๒/๒๕๖๗", "จำนวน ๑ ชุด"),
    "month-between-numbers": ("ลงวันที่ ๒๗ พฤศจิกายุน ๒๕๖๖", "ลงวันที่ ๒๗ พฤศจิกายน ๒๕๖๖", "ลงวันที่ ๒๗ พฤศจิกายน ๒๕๖๖"),
    "month-glued-head": ("ที่ ๖ อุจธันวาคม ๒๕๕๙", "ที่ ๖ ธันวาคม ๒๕๕๙", "ต้นเดือน ๖ ต้นธันวาคม ๒๕๕๙"),
    "abbreviation-marks": ("ผ่อ. ศูนย์วิจัยทรัพยากรทางทะเล", "ผอ. ศูนย์วิจัยทรัพยากรทางทะเล", "จำนวน ๑ ชุด."),
    "dropped-marks": ("องค์กรปกครองส่วนท้องถิน", "องค์กรปกครองส่วนท้องถิ่น", "ส่งมาเพื่อทราบอย่างน้อย"),
    "lost-initial": ("ะหว่างวันที่ ๘ มกราคม", "ระหว่างวันที่ ๘ มกราคม", "ระหว่างวันที่ ๘ มกราคม"),
    "split-echo": ("การเป็นศูนย์ราชการสะ สะดวก", "การเป็นศูนย์ราชการสะดวก", "ระยะ ระยะทาง"),
    "dangling-vowel": ("โยธาธิการและ ะผังเมืองจังหวัดสมุทรสาคร", "โยธาธิการและผังเมืองจังหวัดสมุทรสาคร", "ให้แก่ประชาชน และกระทรวง"),
    "echo-letter": ("เรื่อง ง การสมัครขอรับการรับรองมาตรฐาน", "เรื่อง การสมัครขอรับการรับรองมาตรฐาน", "แกง ง่าย"),
    "stutter": ("ผอ. การกีฬาแห่งประเทศไทย จั จังหวัดสมุทรสาคร", "ผอ. การกีฬาแห่งประเทศไทย จังหวัดสมุทรสาคร", "สถานที่ ที่ดิน"),
    "broken-chunk": ("บญชรายชอแนบท่าย", "บัญชีรายชื่อแนบท้าย", "บัญชีรายชื่อแนบท้าย"),
    "unknown-word": ("อฮัยการจังหวัดประจำกรม (สคช.)", "อัยการจังหวัดประจำกรม (สคช.)", "ในการติดต่อขอรับบริการศูนย์ราชการสะดวกของประชาชน"),
    "compound-marks": ("รองผู้อำนวยการรักษาความมันคงภายในจังหวัดสมุทรสาคร", "รองผู้อำนวยการรักษาความมั่นคงภายในจังหวัดสมุทรสาคร", "รองอธิการบดี สถาบันการพลศึกษา วิทยาเขตสมุทรสาคร"),
    "rare-variant": ("เรียน หน่วยงานทีเกี่ยวข้อง", "เรียน หน่วยงานที่เกี่ยวข้อง", "คุณน้าของฉัน"),
    "word-scraps": ("ผู้ฮานวยการวิทยาลัยเทคนิคสมุทรสาคร", "ผู้อำนวยการวิทยาลัยเทคนิคสมุทรสาคร", "ขอให้จังหวัดแจ้งอำเภอทราบด้วย"),
    "latin-subject-head": ("๒๒ มิถุนายน ๒๕๖๕\nSas การขับเคลื่อนนโยบายศูนย์ราชการสะดวก\nเรียน ผู้ว่าราชการจังหวัดปัตตานี",
                           "๒๒ มิถุนายน ๒๕๖๕\nเรื่อง การขับเคลื่อนนโยบายศูนย์ราชการสะดวก\nเรียน ผู้ว่าราชการจังหวัดปัตตานี",
                           "เรื่อง การขับเคลื่อน\nAB นโยบายศูนย์ราชการสะดวก\nเรียน ผู้ว่าราชการจังหวัดปัตตานี"),
    "latin-agency-letters": ("ที่ มท ๐๘๑๐.๗/ ๗๕๕๕\nอ้างถึง หนังสือกรม NWN ๐๘๑๐.๗/ว ๑๔๐๘",
                             "ที่ มท ๐๘๑๐.๗/ ๗๕๕๕\nอ้างถึง หนังสือกรม ที่ มท ๐๘๑๐.๗/ว ๑๔๐๘",
                             "ที่ มท ๐๘๑๐.๗/ ๗๕๕๕\nอ้างถึง หนังสือ NWN ๐๘๑๑.๗/ว ๑๒"),
    "letterhead-agency": ("ที่ AA ๐๐๑๗.๑/ว ๑๕๑๒๓\n\nศาลากลางจังหวัดสมุทรสาคร\nถนนเศรษฐกิจ ๑ สค๗๔๐๐๐\n\nเรื่อง การพัฒนา",
                          "ที่ สค ๐๐๑๗.๑/ว ๑๕๑๒๓\n\nศาลากลางจังหวัดสมุทรสาคร\nถนนเศรษฐกิจ ๑ สค๗๔๐๐๐\n\nเรื่อง การพัฒนา",
                          "ที่ AA ๐๐๑๗.๑/ว ๑๕๑๒๓\n\nกรมส่งเสริมการปกครองท้องถิ่น\nถนนนครราชสีมา\n\nเรื่อง การพัฒนา"),
}

# passes whose cases are the tests below (on word boxes) or elsewhere (the dates)
TESTED_ON_BOXES = {"reference-lead-reread", "structural-lead-reread", "latin-abbreviation-reread", "name-line-reread",
                   "digit-reread", "false-space", "large-mark-reread"}  # large-mark-reread: on real pages in test_layout.py
TESTED_IN_TEST_PLAUSIBILITY = {"runner-up-dates"}  # its function is check_dates, tested there


def test_every_pass_has_its_cases():
    names = [p.name for p in PASSES]
    assert len(names) == len(set(names))
    assert set(names) == set(CASES) | TESTED_ON_BOXES | TESTED_IN_TEST_PLAUSIBILITY
    assert all(p.evidence for p in PASSES), "each pass says why in its docstring"


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_pass_fixes_its_case(name):
    ocr, fixed, _ = CASES[name]
    done = apply_passes(ocr, named(name))
    assert done.text == fixed
    assert set(done.counts()) == {name}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_pass_leaves_correct_text_alone(name):
    _, _, correct = CASES[name]
    done = apply_passes(correct, named(name))
    assert done.text == correct and done.changes == []


@pytest.mark.parametrize("ocr, fixed", [
    ("สงหทสงมาดวัย ๑ คาสงสำนักงาน", "สิ่งที่ส่งมาด้วย ๑ คาสงสำนักงาน"),  # r50: a letter added, marks lost
    ("ส่วนราชกาาร สำนักอำนวยการ", "ส่วนราชการ สำนักอำนวยการ"),
    ("ส่วนราชการฯ ทุกแห่ง", "ส่วนราชการฯ ทุกแห่ง"),  # ฯ is no slip
    ("หน่วยราชการ ทุกแห่ง", "หน่วยราชการ ทุกแห่ง"),  # a word of its own
    ("ขอแสดงความนับถืออย่างสูง", "ขอแสดงความนับถืออย่างสูง"),
])
def test_a_long_structural_word_with_one_letter_wrong(ocr, fixed):
    assert apply_passes(ocr, named("line-start-word")).text == fixed


def test_passes_run_in_order_and_count_each_change():
    """The whole list on a page: each change is the named pass's, in the list's order."""
    page = "เรือง การประชุม   \n\n\nผ่อ. ศูนย์วิจัยทรัพยากรทางทะ ทะเลและชายฝั่งอ่าวไทยฯ"
    done = apply_passes(page)
    assert done.text == "เรื่อง การประชุม\n\nผอ. ศูนย์วิจัยทรัพยากรทางทะเลและชายฝั่งอ่าวไทยฯ"
    assert done.counts() == {"tidy-layout": 1, "line-start-word": 1, "abbreviation-marks": 1, "split-echo": 1}
    order = [p.name for p in PASSES]
    assert [c.name for c in done.changes] == sorted((c.name for c in done.changes), key=order.index)
    first = done.changes[0]
    assert str(first) == "tidy-layout: เรือง การประชุม␣␣␣⏎⏎ → เรือง การประชุม⏎  (line 1)"
    assert str(done.changes[-1]) == ("split-echo: …ย์วิจัยทรัพยากรทางทะ ทะเลและชายฝั่งอ่าวไทยฯ → "
                                     "…ย์วิจัยทรัพยากรทางทะเลและชายฝั่งอ่าวไทยฯ  (line 3)")


def test_a_pass_switched_off_changes_nothing():
    page = "NO.สำนักบริหารพื้นที่อนุรักษ์ ๓"
    assert apply_passes(page).text == "ผอ.สำนักบริหารพื้นที่อนุรักษ์ ๓"
    without = tuple(p for p in PASSES if p.name != "latin-abbreviation-lead")
    assert apply_passes(page, without).text == page
    with pytest.raises(KeyError):
        named("no-such-pass")


# --- passes on word boxes: real ink, real tesseract -------------------------------
FACE_PX = 48


def drawn(text: str) -> np.ndarray:
    """One line of `text` in Sarabun, as a grayscale page strip."""
    face = ImageFont.truetype(font_path("Sarabun"), FACE_PX)
    img = Image.new("L", (60 + int(face.getlength(text)), 120), 255)
    ImageDraw.Draw(img).text((30, 30), text, font=face, fill=0)
    return np.asarray(img)


def test_digit_reread_gives_the_digits_tesseract_cannot():
    """Debian's tha model has no ๖ ๗: the year and day come out wrong, the pass reads the glyphs."""
    gray = drawn("ลงวันที่ ๒๖ มกราคม ๒๕๖๗")
    text, words = recognise(gray, 300)
    assert "๒๕๖๗" not in text
    done = apply_passes(Boxes(gray, text, words), named("digit-reread"))
    assert "๒๖ มกราคม ๒๕๖๗" in done.text
    assert done.counts()["digit-reread"] >= 1
    assert done.evidence and all(done.text[i] in "๐๑๒๓๔๕๖๗๘๙" for i in done.evidence)


def test_digit_reread_leaves_arabic_digits_and_words_alone():
    """"9001" is looked at (a Latin stand-in for Thai digits), and its glyphs are not Thai digits."""
    gray = drawn("มาตรฐาน ISO 9001 ของ")
    text, words = recognise(gray, 300)
    assert any("9001" in "".join(w.text for w in run) for run in digit_runs(text, words))
    done = apply_passes(Boxes(gray, text, words), named("digit-reread"))
    assert done.text == text and done.changes == []


def test_false_space_pass_joins_only_narrow_gaps():
    """The boxes of test_ocr's false-space case (Laksaman, seed 004): a narrow gap after ะ or an
    abbreviation's dot is no space; a numbered item's "๓." keeps its space."""
    text = "ผอ. การกีฬา วิจัยและ พัฒนา ๓. ให้"
    words = _line_words(text, [("ผ", 352, 27), ("อ", 390, 19), (".", 430, 8), ("ก", 446, 27), ("า", 483, 20),
                               ("ร", 515, 26), ("ก", 548, 23), ("ี", 570, 31), ("ฬา", 600, 56),
                               ("ว", 790, 17), ("ิ", 806, 29), ("จ", 834, 28), ("ั", 865, 25), ("ย", 902, 15),
                               ("แล", 920, 50), ("ะ", 977, 29), ("พ", 1012, 35), ("ั", 1058, 27), ("ฒ", 1084, 31),
                               ("น", 1114, 32), ("า", 1153, 25), ("๓", 1550, 27), (".", 1580, 8), ("ให", 1596, 50),
                               ("้", 1630, 20)])
    done = apply_passes(Boxes(np.full((300, 1800), 255, np.uint8), text, words), named("false-space"))
    assert done.text == "ผอ.การกีฬา วิจัยและพัฒนา ๓. ให้"
    assert done.counts() == {"false-space": 2}


def _crop_page(name: str, text: str, after: list[tuple[str, int, int, int, int]]) -> Boxes:
    """A crop of tests/data/ocr_crops as a page: `text`, whose first word is the crop's word as
    tesseract misread it (or as given), then the words `after` it with their boxes."""
    boxes = json.loads((CROPS / "boxes.json").read_text(encoding="utf-8"))[name]
    _, left, top, width, height = boxes["word"]
    gray = np.asarray(Image.open(CROPS / f"{name}.png").convert("L"))
    first = text.split(" ")[0]
    words = [Word(first, left, top, width, height, 50.0, (1, 1, 1), 0, len(first))]
    for chars, x, y, w, h in after:
        at = text.index(chars, words[-1].end)
        words.append(Word(chars, x, y, w, h, 50.0, (1, 1, 1), at, at + len(chars)))
    return Boxes(gray, text, words)


def test_latin_abbreviation_reread_makes_the_thai_abbreviation():
    """"NO. .สำนัก…" on a Laksaman heavy scan of seed 004: the ink is ผอ.; the speck goes too."""
    page = _crop_page("latin_NO_for_pho_o", "NO. .สำนัก", [(".", 107, -5, 12, 20), ("สำนัก", 125, 30, 150, 43)])
    done = apply_passes(page, named("latin-abbreviation-reread"))
    assert done.text == "ผอ. สำนัก"
    assert done.counts() == {"latin-abbreviation-reread": 2}


def test_latin_abbreviation_reread_leaves_latin_ink_alone():
    """The ink of "Username" (seed 000) is Latin: no abbreviation is made of it."""
    page = _crop_page("latin_username", "User. สมุทร", [("สมุทร", 354, 30, 221, 62)])
    done = apply_passes(page, named("latin-abbreviation-reread"))
    assert done.text == page.text and done.changes == []


def _reference_page(lead: str, rest: str, drawn_lead: str) -> Boxes:
    """A line whose first word tesseract read as `lead` where `drawn_lead` is printed, then `rest`."""
    face = ImageFont.truetype(font_path("Sarabun"), FACE_PX)
    gray = drawn(drawn_lead + "   " + rest)
    x1 = 30 + int(face.getlength(drawn_lead))
    x2 = 30 + int(face.getlength(drawn_lead + "   "))
    text = f"{lead} {rest}"
    words = [Word(lead, 30, 30, x1 - 30, 60, 50.0, (1, 1, 1), 0, len(lead)),
             Word(rest, x2, 30, int(face.getlength(rest)), 60, 90.0, (1, 1, 1), len(lead) + 1, len(text))]
    return Boxes(gray, text, words)


def test_reference_lead_reread_reads_ti_and_the_agency_letters():
    """tha+eng read ที่ มท as "NWN" on Sarabun scans; tha alone reads the ink right."""
    page = _reference_page("NWN", "๐๘๑๐.๗/ว", "ที่ มท")
    assert [[w.text for w in lead] for lead in latin_line_starts(page.text, page.words)] == [["NWN"]]
    done = apply_passes(page, named("reference-lead-reread"))
    assert done.text == "ที่ มท ๐๘๑๐.๗/ว"
    assert done.counts() == {"reference-lead-reread": 1}


def test_reference_lead_reread_leaves_latin_ink_alone():
    """Latin printed before a reference-like number stays as printed."""
    page = _reference_page("ISO", "๙๐๐๑/๒๕๖๗", "ISO")
    done = apply_passes(page, named("reference-lead-reread"))
    assert done.text == page.text and done.changes == []


def test_structural_lead_reread_reads_a_cue_word_read_as_latin():
    """เรื่อง drawn, read "Goa" by tha+eng (r51): tha alone reads the ink as the cue word."""
    page = _reference_page("Goa", "การรับสมัครทุนการศึกษา", "เรื่อง")
    done = apply_passes(page, named("structural-lead-reread"))
    assert done.text == "เรื่อง การรับสมัครทุนการศึกษา"
    assert done.counts() == {"structural-lead-reread": 1}


def test_structural_lead_reread_leaves_latin_ink_and_other_words_alone():
    """Latin printed at a line start, and a Thai word that is not a line's cue, stay as read."""
    for drawn in ("Data", "ข้อมูล"):
        page = _reference_page("Data", "การบริหารจัดการ", drawn)
        done = apply_passes(page, named("structural-lead-reread"))
        assert done.text == page.text and done.changes == []


def _name_line_page(name: str) -> Boxes:
    """A signature block's name line cut from a real scan (tests/data/ocr_crops/name_lines.json:
    its source, the page's body height, and the line's text and words as tesseract read the page)."""
    data = json.loads((CROPS / "name_lines.json").read_text(encoding="utf-8"))[name]
    gray = np.asarray(Image.open(CROPS / f"{name}.png").convert("L"))
    words = [Word(text, left, top, width, height, conf, (1, 1, 1), start, start + len(text))
             for text, left, top, width, height, conf, start in data["words"]]
    page = Boxes(gray, data["text"], words)
    page.body = data["body"]  # the page's, not this one line's
    return page


def test_name_line_reread_mends_a_name_the_signature_crosses():
    """r35: the signature's pen runs down through ส, which tesseract read with a tone mark
    (สุ่นทร); wiped, the ink reads สุนทร, a listed given name."""
    page = _name_line_page("name_r35_stroke")
    done = apply_passes(page, named("name-line-reread"))
    assert done.text == "(นายสุนทร คงทองสังข์)"
    assert done.counts() == {"name-line-reread": 1}


def test_name_line_reread_mends_a_surname_read_as_latin():
    """r47: tesseract's page reading made "wai" of พลตื้อ; every reading of the ink agrees on
    พลตื้อ, lexicon words (พล ตื้อ)."""
    page = _name_line_page("name_r47_latin")
    done = apply_passes(page, named("name-line-reread"))
    assert done.text == "(นายภัณฑ์รักษ์ พลตื้อ)"


def test_name_line_reread_leaves_a_listed_name_alone():
    """r37: นายปรีชา นวลน้อย read right (a listed given name, a surname of words); one
    reading of the ink says มายปรีชา นวสน้อย, another นายปรีขา: nothing changes."""
    page = _name_line_page("name_r37_right")
    done = apply_passes(page, named("name-line-reread"))
    assert done.text == page.text and done.changes == []


# --- circulars text --explain ----------------------------------------------------------
def test_explain_lists_the_changes_of_each_pass_on_a_real_scan(capsys):
    """The head of a real scanned letter (r38): each change one line, `PASS: before → after`,
    then the count per pass, which agrees with the lines."""
    assert main(["text", "--explain", str(REAL_PAGE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("=== page 1 · ocr · confidence")
    changes = [line for line in out[1:] if not line.startswith("--")]
    names = {p.name for p in PASSES}
    for line in changes:
        name, _, rest = line.partition(": ")
        assert name in names and " → " in rest, line
    # what tesseract's tha model cannot read (๖), and a ที่ that lost its marks
    assert "digit-reread: พ.ศ. ๒๕๐๐ → พ.ศ. ๒๕๖๐  (line 10)" in changes
    assert "line-start-word: ท มท → ที่ มท  (line 5)" in changes
    assert any(line.startswith("noise-line: ") for line in changes)
    summary = out[-1]
    assert summary.startswith("-- changes per pass: ")
    counted = dict(item.rsplit(" ", 1) for item in summary.removeprefix("-- changes per pass: ").split(" · "))
    listed: dict[str, int] = {}
    for line in changes:
        listed[line.split(":")[0]] = listed.get(line.split(":")[0], 0) + 1
    assert {k: int(v) for k, v in counted.items()} == listed


def test_explain_on_a_text_file_says_there_is_no_ocr(tmp_path, capsys):
    src = tmp_path / "letter.txt"
    src.write_text("ที่ มท ๐๘๑๐.๗/ว ๒๐๐\nเรื่อง การประชุม\n", encoding="utf-8")
    assert main(["text", "--explain", str(src)]) == 0
    assert "(not OCR'd: no OCR passes)" in capsys.readouterr().out


def test_a_word_before_a_number_after_an_opening_bracket():
    """r51's issuer `(ชั้น 1 สถาบันวิจัยและพัฒนา)`, its tone lost: `(ชัน 1`; ชัน (steep) is a word, but
    never before a number."""
    assert apply_passes("ฝ่ายวิจัย (ชัน 1 สถาบันวิจัยและพัฒนา)", named("before-number-word")).text == \
        "ฝ่ายวิจัย (ชั้น 1 สถาบันวิจัยและพัฒนา)"
    assert apply_passes("ภูเขาสูงชัน มาก", named("before-number-word")).text == "ภูเขาสูงชัน มาก"
