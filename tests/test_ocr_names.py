"""The name-line pass's parts (pipeline.ocr.names) without OCR: finding a name line, its two
parts, and when a reading of the ink replaces tesseract's. The pass on real ink is tested in
tests/test_ocr_passes.py."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.ocr import names
from pipeline.ocr.engine import Boxes, Word
from pipeline.ocr.names import LISTED, MADE_OF_WORDS, UNKNOWN, better_parts, parse_name


def readings(*texts: str, times: int = 1) -> list[names.Name]:
    return [parse_name(t) for t in texts for _ in range(times)]


def test_a_name_is_its_head_and_its_surname():
    name = parse_name("นายบปรีชา นวลน้อย")
    assert (name.head, name.title, name.given, name.surname) == ("นายบปรีชา", "นาย", "บปรีชา", "นวลน้อย")
    assert name.surname_at == len("นายบปรีชา ")
    apart = parse_name("นางสาว ปือะพร เจะเสด")  # a title standing apart is part of the head
    assert (apart.head, apart.title, apart.given, apart.surname) == ("นางสาว ปือะพร", "นางสาว", "ปือะพร", "เจะเสด")
    assert parse_name("(วายกผล รอดคล้าย)").title == ""  # no title we know: the whole head is unknown
    assert parse_name("(นายปรีชา)") is None and parse_name("ด้านสังคม และด้าน ความมั่นคง") is None


def test_ranks():
    assert names.head_rank(parse_name("นายปรีชา นวลน้อย")) == LISTED
    assert names.head_rank(parse_name("นายบปรีชา นวลน้อย")) == UNKNOWN
    assert names.head_rank(parse_name("มายปรีชา นวลน้อย")) == UNKNOWN  # no title
    assert names.surname_rank(parse_name("นายณัฐพงศ์ ศิริชนะ")) == LISTED
    assert names.surname_rank(parse_name("นายปรีชา คงทองสังข์")) == MADE_OF_WORDS
    for misread in ("ศิริขชนะ", "พลตือ", "wai"):
        assert names.surname_rank(parse_name(f"นายปรีชา {misread}")) == UNKNOWN


def test_a_listed_reading_replaces_an_unknown_part():
    read = parse_name("นายบปรีชา นวลน้อย")
    assert better_parts(read, readings("นายปรีชา นวลน้อย", times=5) + readings("นายบปรีชา นวลน้อย")) == {
        "head": "นายปรีชา"}
    # once is enough when no reading repeats tesseract's (r44: วายกผล, read กมล once of twelve)
    assert better_parts(parse_name("วายกผล รอดคล้าย"),
                        readings("นายกผล รอดคล้าย", "นายกกล รอดคล้าย", "นายกมล รอดคล้าย")) == {"head": "นายกมล"}


def test_a_listed_reading_the_ink_gives_no_more_often_than_tesseracts_is_not_taken():
    read = parse_name("นายบปรีชา นวลน้อย")
    for times in (2, 3):  # fewer, as often
        others = readings("นายบปรีชา นวลน้อย", times=3) + readings("นายปรีชา นวลน้อย", times=times)
        assert better_parts(read, others) == {}
    others = readings("นายบปรีชา นวลน้อย", times=3) + readings("นายปรีชา นวลน้อย", times=4)
    assert better_parts(read, others) == {"head": "นายปรีชา"}


def test_a_listed_part_is_never_changed():
    read = parse_name("นายปรีชา นวลน้อย")
    assert better_parts(read, readings("นายปรีดา นวลน้อย", times=12)) == {}  # ปรีดา is listed too


def test_a_surname_of_words_needs_most_readings():
    read = parse_name("นายภัณฑ์รักษ์ พลตือ")
    assert better_parts(read, readings("นายภัณฑ์รักษ์ พลตื้อ", times=8) + readings("นายภัณฑ์รักษ์ พลตือ", times=4)) \
        == {"surname": "พลตื้อ"}
    assert better_parts(read, readings("นายภัณฑ์รักษ์ พลตื้อ", times=7) + readings("นายภัณฑ์รักษ์ พลตือ", times=5)) \
        == {}


def test_a_far_reading_is_not_taken_but_latin_is_always_a_misreading():
    assert better_parts(parse_name("นายกขคงจฉ นวลน้อย"), readings("นายปรีชา นวลน้อย", times=12)) == {}
    assert better_parts(parse_name("นายภัณฑ์รักษ์ wai"), readings("นายภัณฑ์รักษ์ พลตื้อ", times=12)) == {
        "surname": "พลตื้อ"}


def test_readings_stop_only_when_the_rest_could_change_nothing():
    """`settled` after k readings: every way the readings left could go (a reading of any of
    the values, or none) gives `better_parts` nothing to change, as the k read so far do."""
    import itertools
    import random

    values = [None, "นายบปรีชา นวลน้อย", "นายปรีชา นวลน้อย", "นายปรีชา นวลนอย", "นายปรีชา วลน้อย",
              "นายภัณฑ์รักษ์ พลตือ", "นายภัณฑ์รักษ์ พลตื้อ", "นายภัณฑ์รักษ์ wai"]
    rng = random.Random(7)
    stopped = 0
    for read_text in ("นายบปรีชา นวลน้อย", "นายปรีชา นวลนอย", "นายภัณฑ์รักษ์ พลตือ", "นายปรีชา นวลน้อย"):
        read = parse_name(read_text)
        for _ in range(200):  # mostly tesseract's reading again, as on real ink
            seen = [read_text if rng.random() < 0.75 else rng.choice(values) for _ in range(rng.randint(0, 11))]
            others = [parse_name(v) for v in seen if v is not None]
            left = 12 - len(seen)
            if not names.settled(read, others, left):
                continue
            stopped += 1
            assert better_parts(read, others) == {}
            every_one = [[v] * left for v in values]  # the readings left all of one value: the likeliest to win
            for rest in every_one + list(itertools.islice(itertools.product(values, repeat=left), 0, None,
                                                          max(1, 8 ** left // 100))):
                assert better_parts(read, others + [parse_name(v) for v in rest if v is not None]) == {}
    assert stopped > 100


@pytest.mark.parametrize("line, found", [
    ("(นายปรีชา นวลน้อย)", True),
    (" --- (นายปรีชา นวลน้อย)", True),  # specks before the bracket
    ("(วายกผล รอดคล้าย)", True),  # a title's slip
    ("(นางสาว ปือะพร เจะเสด", True),  # the closing bracket lost
    ("(ด้านสังคม และด้านความมั่นคง)", False),  # no title
    ("(ส่วนแยกพัทลุง)", False),
    ("เรียน รองเลขาธิการฯ (นายสุเทพ ชิตยวงษ์)", False),  # a bracket in a sentence
    ("(นายปรีชา ๑๒๓)", False),
])
def test_name_lines_are_bracketed_titled_names(line, found):
    words, pos = [], 0
    for token in line.split(" "):
        if token:
            at = line.index(token, pos)
            words.append(Word(token, 10 * at, 10, 10 * len(token), 30, 90.0, (1, 1, 1), at, at + len(token)))
            pos = at + len(token)
    page = Boxes(np.full((60, 10 * len(line) + 20), 255, np.uint8), line, words)
    lines = names.name_lines(page)
    assert bool(lines) == found
    if found:
        assert line[lines[0].start:lines[0].end].strip(" (") == line.split("(", 1)[1].rstrip(")")
