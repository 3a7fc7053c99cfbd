from pipeline.thai.normalise import clean_value, normalise


def test_sara_am_zero_width_and_spaces_are_cleaned_with_offsets_kept():
    source = "อัยการจังหวัดประจ\u0e4d\u0e32กรม  \u200b(สคช.)"
    norm = normalise(source)
    assert norm.display == "อัยการจังหวัดประจำกรม (สคช.)"
    assert len(norm.offsets) == len(norm.display)
    # every character maps back to a source character that produced it
    i = norm.display.index("(")
    assert source[norm.offsets[i]] == "("


def test_thai_digits_become_arabic_only_in_the_parse_view():
    norm = normalise("ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐")
    assert norm.display == "ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐"
    assert norm.parse == "ที่ มท 0305.1/ว 1660"
    assert len(norm.parse) == len(norm.display)


def test_doubled_and_misordered_marks_are_fixed():
    assert normalise("ท\u0e48\u0e35").display == "ที่"  # tone mark typed before the vowel
    assert normalise("กร\u0e38\u0e38ณา").display == "กรุณา"


def test_lines_are_kept_and_blank_runs_folded():
    norm = normalise("ด่วนที่สุด\r\n\r\n\r\n\r\nที่ สน ๐๐๑๘.๑/ว ๑๕๓๒   \n")
    assert norm.display == "ด่วนที่สุด\n\nที่ สน ๐๐๑๘.๑/ว ๑๕๓๒"


def test_normalise_is_idempotent_on_a_real_letter(tmp_path):
    from tests.conftest import seed

    text = seed("000").read_text(encoding="utf-8")
    once = normalise(text).display
    assert normalise(once).display == once


def test_clean_value_folds_lines_and_digits():
    assert clean_value("ประจำปี\nพ.ศ. ๒๕๖๗ ") == "ประจำปี พ.ศ. 2567"
    assert clean_value("   ") is None
