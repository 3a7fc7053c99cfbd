"""Properties of normalisation and every extractor on arbitrary input (hypothesis).

A mailroom sends text no example-based test imagines: OCR soup, mixed
scripts, lone surrogates out of a broken PDF text layer, letters cut in
half or run together. Whatever arrives, normalisation and the extractors
must not raise (one exception is a lost letter), dates must be real dates
or null, normalisation must be idempotent (so re-running the pipeline on
its own output changes nothing) and every offset must point inside the
text it claims to come from (the `spans` table and `circulars show` rely
on it).

Example counts are kept moderate for CI; `fuzz/fuzz_text.py` runs the same
invariants at scale.
"""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors.reference import canonical, find_references
from extractors.thaidate import MAX_YEAR, MIN_YEAR, find_dates, normal_time, parse_date, year_to_ce
from fuzz.common import check_result, load_corpus, mailroom_text
from pipeline.letters.extract import extract_letter, letter_id, to_record
from pipeline.model import SourceResult
from pipeline.thai.normalise import TO_ARABIC, clean_raw, clean_value, normalise
from pipeline.letters.segment import split_letters

load_corpus()

THAI = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, codec=None, categories=["Cs"])
# every code point, Thai and the characters normalisation treats specially weighted up
# (a list joined, because st.text() leaves surrogates out whatever its alphabet)
ANY_TEXT = st.lists(st.one_of(st.characters(codec=None), THAI, THAI, st.sampled_from(
    "\n\r\t \u00a0\u200b\u200c\u200d\ufeff\u00ad\u0e4d\u0e32\u0e48\u0e40\x00\x0c\u3000.:/-()๑๒2567"),
    SURROGATE), max_size=300).map("".join)
LETTERS = mailroom_text()

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(ANY_TEXT)
@example("กััก")  # a doubled mark: the repaired run's last letter mapped back to its start
@example("xกัักy")
def test_normalise_keeps_its_views_aligned_and_offsets_inside(text: str) -> None:
    norm = normalise(text)
    assert len(norm.parse) == len(norm.display) == len(norm.offsets)
    assert norm.parse == norm.display.translate(TO_ARABIC)
    assert all(0 <= o < len(text) for o in norm.offsets)
    assert norm.offsets == sorted(norm.offsets), "offsets go back and forth"
    for start in range(0, len(norm.display) + 1, 7):
        a, b = norm.source_span(start, min(len(norm.display), start + 5))
        assert 0 <= a <= b <= len(text)


@FAST
@given(ANY_TEXT)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text).display
    assert normalise(once).display == once


def test_normalise_is_idempotent_on_marks_repeated_many_times() -> None:
    """Found by fuzz_text: pythainlp removed one repetition per call."""
    for text in ("ที่ี่ี่ มท", "ก" + "\u0e35\u0e48" * 9, "น้้้้ำ", "เเเเก"):
        once = normalise(text).display
        assert normalise(once).display == once


@FAST
@given(ANY_TEXT)
def test_normalised_text_is_encodable(text: str) -> None:
    """Lone surrogates (pdfium hands them out of broken text layers) would stop
    the tokenizer and the Parquet writer: normalisation must leave none."""
    norm = normalise(text)
    norm.display.encode("utf-8")


@FAST
@given(ANY_TEXT)
def test_clean_values_never_raise(text: str) -> None:
    for value in (clean_value(text), clean_raw(text)):
        assert value is None or (value == value.strip() and value)


@FAST
@given(st.one_of(ANY_TEXT, LETTERS))
def test_dates_are_valid_or_null_and_inside_the_text(text: str) -> None:
    parse = normalise(text).parse
    for found in find_dates(parse):
        assert 0 <= found.start < found.end <= len(parse)
        assert 1 <= found.month <= 12 and 1 <= found.day <= 31
        assert found.date is None or MIN_YEAR <= found.date.year <= MAX_YEAR
        assert found.weekday_ok in (None, True, False)
        assert found.time is None or (len(found.time) == 5 and found.time[2] == ":")
    date = parse_date(text)
    assert date is None or (isinstance(date, dt.date) and MIN_YEAR <= date.year <= MAX_YEAR)


@FAST
@given(st.integers(0, 99999), st.booleans())
def test_years_are_plausible_or_null(year: int, ce_marked: bool) -> None:
    for text in {str(year), f"{year:04d}"} if year < 10000 else {str(year)}:
        ce = year_to_ce(text, ce_marked=ce_marked)
        assert ce is None or MIN_YEAR <= ce <= MAX_YEAR


@FAST
@given(st.from_regex(r"\d{1,3}\s?[.:]\s?\d{2}", fullmatch=True))
def test_times_are_valid_or_null(text: str) -> None:
    value = normal_time(text)
    assert value is None or dt.time.fromisoformat(value if value != "24:00" else "00:00")


@FAST
@given(st.one_of(ANY_TEXT, LETTERS))
def test_references_are_inside_the_text_and_canonical(text: str) -> None:
    parse = normalise(text).parse
    for ref in find_references(parse):
        assert 0 <= ref.start < ref.end <= len(parse)
        assert canonical(ref.ref) == ref.ref


@FAST
@given(st.one_of(ANY_TEXT, LETTERS))
def test_letters_split_into_ordered_segments_inside_the_text(text: str) -> None:
    parse = normalise(text).parse
    segments = split_letters(parse)
    previous_end = 0
    for seg in segments:
        assert previous_end <= seg.start < seg.end <= len(parse)
        previous_end = seg.end


def _extract_all(text: str) -> SourceResult:
    """Every extractor over one text, as one letter, shaped as the writer will see it."""
    norm = normalise(text)
    ctx, _ = extract_letter(norm.display, norm.parse)
    base = {"letter_id": letter_id("0" * 64, 0), "source_path": "x.txt", "source_sha256": "0" * 64,
            "segment": 0, "page_start": None, "page_end": None, "text_source": "text",
            "ocr_confidence": None, "char_start": 0, "char_end": len(norm.display)}
    return SourceResult("x.txt", "0" * 64, len(text), letters=[to_record(ctx, base)])


@SLOW
@given(ANY_TEXT)
def test_extractors_never_raise_on_arbitrary_text(text: str) -> None:
    check_result(_extract_all(text))


@SLOW
@given(LETTERS)
def test_extractors_never_raise_on_broken_letters(text: str) -> None:
    """Real letters cut, spliced, doubled and salted with keywords: the inputs that reach deep into each extractor."""
    check_result(_extract_all(text))


def test_many_reference_lines_split_in_linear_time() -> None:
    """32,000 letters in one file (a merged export): splitting once looked every line up
    with list.index, 5 s for 16,000 lines and minutes for a large file."""
    import time

    text = "\n".join(f"ที่ มท 0305/ว {i}" if i % 2 else "เรียน นาย ก" for i in range(64_000))
    parse = normalise(text).parse
    started = time.monotonic()
    assert len(split_letters(parse)) == 32_000 - 1
    assert time.monotonic() - started < 10


def test_a_paragraph_of_deadline_cues_is_extracted_in_linear_time() -> None:
    """Found by fuzzing: each cue scanned its whole paragraph, 40 s for 156,000 characters."""
    import time

    head = "ที่ มท 0305.1/ว 1660\n\n1 มกราคม 2567\n\nเรื่อง ทดสอบ\n\nเรียน ผู้ว่า\n\n"
    started = time.monotonic()
    check_result(_extract_all(head + "ภายใน 30 วัน " * 12_000))
    assert time.monotonic() - started < 20


def test_a_long_run_of_digits_is_tokenised_in_linear_time() -> None:
    """Found by fuzz_text: pythainlp's engines are quadratic on digit runs (75,000 digits hung a
    worker) and worse on some long runs without a space (กรอก x 4,000: 135 s)."""
    import time

    head = "ที่ มท 0305.1/ว 1660\n\n1 มกราคม 2567\n\nเรื่อง ทดสอบ\n\nเรียน ผู้ว่า\n\n"
    started = time.monotonic()
    result = _extract_all(head + "9" * 80_000 + " ๙" * 3 + "๙" * 20_000 + " " + "กรอก" * 8_000
                          + "\n\nขอแสดงความนับถือ")
    check_result(result)
    assert result.letters[0].letter["ref"] == "มท 0305.1/ว 1660"
    assert time.monotonic() - started < 20


def test_many_distribution_headings_are_read_in_linear_time() -> None:
    """Found by fuzz_text: every heading read its rows to the end of the letter (41,000 characters: 60 s)."""
    import time

    head = "ที่ มท 0305.1/ว 1660\n\n1 มกราคม 2567\n\nเรื่อง ทดสอบ\n\nเรียน ผู้ว่า\n\n"
    started = time.monotonic()
    result = _extract_all(head + "บัญชีแนบท้าย\nผู้ว่าราชการจังหวัดนนทบุรี\n" * 1500)
    check_result(result)
    assert len(result.letters[0].recipients) <= 1 + 1500
    assert time.monotonic() - started < 20
