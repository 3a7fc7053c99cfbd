import codecs

import pytest

from pipeline.model import ReadError
from pipeline.read.text import decode, read_text_pages
from tests.conftest import seed

LETTER = "ที่ มท ๐๓๐๕.๑/ว ๑๖๖๐\nเรื่อง การสมัครขอรับการรับรองมาตรฐาน\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n"


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", LETTER.encode("utf-8")),
    ("utf-8-sig", codecs.BOM_UTF8 + LETTER.encode("utf-8")),
    ("utf-16", LETTER.encode("utf-16")),
    ("cp874", LETTER.encode("tis-620")),
])
def test_encodings_decode_to_the_same_text(encoding, data):
    text, used = decode(data)
    assert text == LETTER
    assert used == encoding


def test_tis620_file_reads_with_a_warning(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(seed("003").read_text(encoding="utf-8").encode("cp874"))
    pages = read_text_pages(path)
    assert "ที่ มท ๐๘๑๐.๗/ ๗๕๕๕" in pages[0].text
    assert pages[0].warnings == ["decoded as cp874"]
    assert pages[0].number is None and pages[0].source == "text"


@pytest.mark.parametrize("data, error_type", [
    (b"", "empty_file"),
    (b"   \n\n", "empty_file"),
    (b"\x00\x01\x02binary\x00" * 50, "binary_file"),
    (bytes(range(128, 256)) * 4, "unknown_encoding"),          # neither UTF-8 nor Thai
    ("Grüße aus Köln".encode("latin-1"), "unknown_encoding"),
    (codecs.BOM_UTF8 + b"\xff\xfe broken", "bad_encoding"),
])
def test_bad_text_is_refused_with_a_type(data, error_type):
    with pytest.raises(ReadError) as info:
        decode(data)
    assert info.value.error_type == error_type
