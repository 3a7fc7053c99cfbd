"""The OCR stage's last check (pipeline.ocr.plausibility): implausible dates, runner-up digits.

Unit tests take real letter text (tests/data/letter_000_head.txt, lines of the
seeds), put in the misreads the digit pass makes (๓ for ๒, ๓ for ๖, ๘ for ๒) and
give the digits probability vectors made here, as the classifier gives them:
almost all the probability on the digit read, sometimes a runner-up. The last
tests go through the real OCR stage (tesseract, the committed classifier) on
rendered pages.
"""
from __future__ import annotations

import numpy as np
import pytest
from test_ocr import HEAD_000, font_path, scan

from pipeline.thai import facts
from pipeline.ocr import plausibility
from pipeline.ocr.digits import CLASSES, THAI_DIGITS
from pipeline.ocr.engine import read_image_pages
from pipeline.ocr.passes import correct_structural_words, recording
from pipeline.ocr.plausibility import RUNNER_UP_MIN, carry_evidence, check_dates, find_dates

HEAD = HEAD_000.read_text(encoding="utf-8")  # dates ๒๖ มกราคม ๒๕๖๗, ๒๗ พฤศจิกายน ๒๕๖๖, ๑๘ มกราคม ๒๕๖๗
LETTER_DATE = "๒๖ มกราคม ๒๕๖๗"
CONTACT = "หมายเลขโทรศัพท์ ๐๖-๓๙๐๔-๐๙๓๒ เป็นผู้ประสานงาน\nโทร./โทรสาร. ๐ ๔๒๗๑ ๑๔๖๑\n"  # seed 000


def vector(read: str, rival: str | None = None, p: float = 0.0) -> np.ndarray:
    """Probabilities over CLASSES: `p` on `rival`, the rest but a trace on `read`."""
    v = np.full(len(CLASSES), 1e-5, np.float32)
    if rival:
        v[CLASSES.index(rival)] = p
    v[CLASSES.index(read)] = 1.0 - v.sum() + v[CLASSES.index(read)]
    return v


def evidence(text: str, rivals: dict[int, tuple[str, float]] | None = None) -> dict[int, np.ndarray]:
    """Every Thai digit of `text` read from its glyph (as the digit pass does), those at the
    positions in `rivals` with a runner-up digit."""
    rivals = rivals or {}
    assert all(text[i] in THAI_DIGITS for i in rivals), "a runner-up for a digit only"
    return {i: vector(ch, *rivals.get(i, (None, 0.0))) for i, ch in enumerate(text) if ch in THAI_DIGITS}


def misread(text: str, date: str, wrong: str) -> tuple[str, int]:
    """`text` with its first `date` read as `wrong` (same length), and where the date starts."""
    at = text.index(date)
    return text[:at] + wrong + text[at + len(date):], at


# --- the decision ------------------------------------------------------------------
def test_impossible_day_fixed_by_runner_up():
    text, at = misread(HEAD, LETTER_DATE, "๓๖ มกราคม ๒๕๖๗")  # ๒ read as ๓: no 36 January
    fixed, warnings = check_dates(text, evidence(text, {at: ("๒", 0.3)}))
    assert fixed == HEAD
    assert warnings == ["date ๓๖ มกราคม ๒๕๖๗ read as ๒๖ มกราคม ๒๕๖๗: runner-up digit (p=0.30), "
                        "the date as read cannot be right"]


def test_31_april_takes_the_likelier_runner_up():
    line = "อ้างถึง หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท ๐๘๑๐.๗/ว ๑๔๐๘ ลงวันที่ ๑๘ พฤษภาคม ๒๕๖๕\n"
    text = line.replace("๑๘ พฤษภาคม", "๓๑ เมษายน")  # seed 003's line, a date April has not
    at = text.index("๓๑ เมษายน")
    fixed, _ = check_dates(text, evidence(text, {at: ("๒", 0.05), at + 1: ("๐", 0.2)}))
    assert "ลงวันที่ ๓๐ เมษายน ๒๕๖๕" in fixed  # one glyph either way: the likelier one


def test_29_february_of_a_common_year():
    line = "๘ มกราคม (เวลา ๐๘.๓๐ น.) - ๒๙ กุมภาพันธ์ (เวลา ๑๖.๓๐ น.) ๒๕๖๗ ผ่านระบบออนไลน์ทางเว็บไซต์\n"
    text = HEAD + line.replace("๒๕๖๗", "๒๕๖๖")  # seed 000: 2566 (2023) has no 29 February
    year = text.rindex("๒๕๖๖")
    day = text.index("๒๙ กุมภาพันธ์")
    fixed, warnings = check_dates(text, evidence(text, {year + 3: ("๗", 0.4), day + 1: ("๘", 0.1)}))
    assert fixed == HEAD + line and len(warnings) == 1
    # the time in brackets is not part of the date's digits, whatever its runner-ups
    ev = evidence(text, {year + 3: ("๗", 0.4), text.index("๑๖.๓๐") + 1: ("๗", 0.9)})
    assert check_dates(text, ev)[0] == HEAD + line


@pytest.mark.parametrize("wrong,rival", [
    ("๑๘ มกราคม ๒๕๓๗", (12, "๖")),  # ๖ read as ๓: 30 years from the page's other dates
    ("๑๘ มกราคม ๘๕๖๗", (10, "๒")),  # ๒ read as ๘: no letter's year
])
def test_far_year_fixed_by_runner_up(wrong, rival):
    text, at = misread(HEAD, "๑๘ มกราคม ๒๕๖๗", wrong)
    fixed, warnings = check_dates(text, evidence(text, {at + rival[0]: (rival[1], 0.08)}))
    assert fixed == HEAD and len(warnings) == 1


def test_year_no_letter_has_is_fixed_alone_on_its_page():
    text = "๑๘ มกราคม ๘๕๖๗\n"
    assert check_dates(text, evidence(text, {10: ("๒", 0.1)}))[0] == "๑๘ มกราคม ๒๕๖๗\n"


def test_a_far_year_needs_the_page_to_agree():
    """One other date on the page: which of two years is wrong is not known."""
    text = "ลงวันที่ ๑๘ มกราคม ๒๕๓๗\n๒๖ มกราคม ๒๕๖๗\n"
    assert check_dates(text, evidence(text, {text.index("๓๗"): ("๖", 0.4)})) == (text, [])


def test_plausible_date_left_alone_even_with_a_runner_up():
    at = HEAD.index("๑๘ มกราคม")
    ev = evidence(HEAD, {at + 1: ("๙", 0.45), HEAD.index(LETTER_DATE) + 12: ("๙", 0.4)})
    assert check_dates(HEAD, ev) == (HEAD, [])


def test_no_evidence_no_change():
    text, at = misread(HEAD, LETTER_DATE, "๓๕ มกราคม ๒๕๖๗")
    ev = evidence(text)  # every digit read surely: nothing to go on
    assert check_dates(text, ev) == (text, [])
    ev = {i: v for i, v in evidence(text, {at: ("๒", 0.5)}).items() if not at <= i < at + 2}
    assert check_dates(text, ev) == (text, [])  # the day's digits were not re-read
    assert check_dates(text, {}) == (text, [])


def test_lone_zero_day_is_left_alone():
    """On a 150 dpi scan ๒๕ เมษายน came out ๐ เมษายน, the two digits cut as one glyph (its
    probabilities ๐ 0.38, ๒ 0.18, ๖ 0.13): ๒ เมษายน would be a date, and wrong."""
    line = "อ้างถึง หนังสือ ที่ อส ๓๐๗๕.๓/ว ๓๐ ลงวันที่ ๐ เมษายน ๒๕๖๘\n"
    text = HEAD + line
    at = text.index("๐ เมษายน")
    assert check_dates(text, evidence(text, {at: ("๒", 0.18)})) == (text, [])
    text = text.replace("๐ เมษายน", "๐๐ เมษายน")  # two glyphs: one of them misread
    assert "๒๐ เมษายน" in check_dates(text, evidence(text, {at: ("๒", 0.18)}))[0]


def test_runner_up_must_reach_the_threshold():
    text, at = misread(HEAD, LETTER_DATE, "๓๖ มกราคม ๒๕๖๗")
    assert check_dates(text, evidence(text, {at: ("๒", RUNNER_UP_MIN * 0.9)}))[0] == text
    assert check_dates(text, evidence(text, {at: ("๒", RUNNER_UP_MIN)}))[0] == HEAD


def test_fewest_glyphs_changed_first():
    text, at = misread(HEAD, LETTER_DATE, "๓๖ เมษายน ๒๕๖๗")
    # two changes of higher joint probability (๓๖ -> ๒๑) lose to one (๓๖ -> ๒๖)
    ev = evidence(text, {at: ("๒", 0.03), at + 1: ("๑", 0.6)})
    assert check_dates(text, ev)[0] == HEAD.replace(LETTER_DATE, "๒๖ เมษายน ๒๕๖๗")


def test_no_more_than_two_glyphs_changed():
    text, at = misread(HEAD, LETTER_DATE, "๓๖ มกราคม ๒๕๖๗")
    text = text.replace("๓๖ มกราคม ๒๕๖๗", "๓๖ มกราคม ๘๕๓๗")
    ev = evidence(text, {at: ("๒", 0.3), at + 10: ("๒", 0.3), at + 12: ("๖", 0.3)})
    assert plausibility.MAX_CHANGED == 2
    assert check_dates(text, ev) == (text, [])


def test_digits_outside_dates_untouched():
    """References, a postal code, phone numbers, counts and times keep their digits, runner-ups
    or not, while the page's impossible date is fixed."""
    text, at = misread(HEAD + CONTACT, LETTER_DATE, "๓๖ มกราคม ๒๕๖๗")
    rivals = {i: ("๙", 0.5) for i, ch in enumerate(text) if ch in THAI_DIGITS and not at <= i < at + 14}
    rivals[at] = ("๒", 0.3)
    fixed, warnings = check_dates(text, evidence(text, rivals))
    assert fixed == HEAD + CONTACT and len(warnings) == 1
    assert check_dates(CONTACT, evidence(CONTACT, {i: ("๓", 0.9) for i, ch in enumerate(CONTACT) if ch in THAI_DIGITS})) == (CONTACT, [])


def test_common_era_years_are_not_compared():
    text = HEAD + "ระหว่างวันที่ ๑ มกราคม ค.ศ. ๒๐๒๔\n"
    assert check_dates(text, evidence(text, {text.rindex("๐๒๔"): ("๕", 0.5)})) == (text, [])


def test_every_month_form_of_the_data_is_a_date():
    for name, month in facts.months().items():
        found = find_dates(f"ลงวันที่ ๑๕ {name} ๒๕๖๗")
        assert [(d.month, d.year is not None) for d in found] == [(month, True)], name
    assert find_dates("๑๘ ม.ค. ๖๗")[0].short_year
    assert find_dates("๑๘ มกราคม ๖๗")[0].year is None  # two digits after a full name: no year
    assert find_dates("ทุกรอบ ๖ เดือน และ ๑๒ เดือน") == []


def test_abbreviated_month_with_two_digit_year():
    text = "ลงวันที่ ๓๘ ม.ค. ๖๗\n"
    fixed, _ = check_dates(text, evidence(text, {text.index("๓๘"): ("๑", 0.1)}))
    assert fixed == "ลงวันที่ ๑๘ ม.ค. ๖๗\n"


def test_evidence_follows_its_digits_through_word_repairs():
    raw = "ลงวันที ๓๖ มกราคม ๒๕๖๗\nเรือง ขอเชิญสมัคร ที มท ๐๘๑๐.๗/ว ๒๐๐\n"
    final = correct_structural_words(raw)
    assert final != raw and len(final) > len(raw)
    moved = carry_evidence(raw, final, evidence(raw, {raw.index("๓๖"): ("๒", 0.3)}))
    assert {final[i] for i in moved} <= set(THAI_DIGITS) and len(moved) == sum(c in THAI_DIGITS for c in raw)
    assert check_dates(final, moved)[0].startswith("ลงวันที่ ๒๖ มกราคม ๒๕๖๗\n")


# --- through the real OCR stage ------------------------------------------------------
def dates_of(text: str) -> set[str]:
    """The dates `find_dates` sees in `text`, a wrapped one on one line."""
    return {" ".join(text[d.start:d.end].split()) for d in find_dates(text)}


@pytest.mark.slow
def test_correctly_read_page_is_not_changed(tmp_path):
    """The letter head's dates, read by the real stage, reach the check plausible: no change,
    no warning; and the check did look (it had the digit pass's evidence for them)."""
    png = scan(HEAD_000, tmp_path, "--font", font_path("Sarabun"), "--degrade", "heavy", "--seed", "3")[0]
    with recording() as passed:
        page = read_image_pages(png)[0]
    assert len(passed) == 1
    done = passed[0]
    ev = carry_evidence(done.evidence_text, done.text, done.evidence)
    assert done.text == page.text and done.warnings == [] and not any("date" in w for w in page.warnings)
    assert "runner-up-dates" not in done.counts()
    assert dates_of(page.text) == {"๒๖ มกราคม ๒๕๖๗", "๒๗ พฤศจิกายน ๒๕๖๖", "๑๘ มกราคม ๒๕๖๗"}, page.text
    assert all(i in ev for d in find_dates(page.text) for i in range(*d.day))


@pytest.mark.slow
def test_date_impossible_on_paper_is_left_as_printed(tmp_path):
    """A date printed impossible is read surely by the classifier: no runner-up, no change."""
    src = tmp_path / "impossible.txt"
    src.write_text("๒๖ มกราคม ๒๕๖๗\n\n"
                   "อ้างถึง หนังสือจังหวัดสกลนคร ที่ สน ๐๐๑๘.๑/ว ๒๐๕๑๒ ลงวันที่ ๓๕ มกราคม ๒๕๖๗\n"
                   "สิ่งที่ส่งมาด้วย สำเนาหนังสือ ลงวันที่ ๓๑ เมษายน ๒๕๖๗ จำนวน ๑ ชุด\n", encoding="utf-8")
    png = scan(src, tmp_path / "out", "--font", font_path("Laksaman"), "--degrade", "medium", "--seed", "5")[0]
    page = read_image_pages(png)[0]
    assert dates_of(page.text) == {"๒๖ มกราคม ๒๕๖๗", "๓๕ มกราคม ๒๕๖๗", "๓๑ เมษายน ๒๕๖๗"}, page.text
    assert not page.warnings
