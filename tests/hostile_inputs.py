"""A mailroom folder of every bad input of issue 7, next to good letters, built from real parts.

Used by tests/test_hostile.py; kept apart so the folder can also be built by
hand to look at (`python -m tests.hostile_inputs DIR`). Every bad file is
made the way such files arrive (a real PDF cut short, a real PNG whose
header claims 30,000 x 30,000 pixels, a letter saved in Latin-1), never a
stand-in. `BAD` says what errors row each must produce; `GOOD` says which
sample letter each good file holds.
"""
from __future__ import annotations

import codecs
import io
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# the page limit the test runs with; the long PDF is well past it
MAX_PAGES = 300
LONG_PDF_PAGES = 1200


@dataclass(frozen=True)
class Bad:
    """A file that must become exactly one errors row of this type (stage not checked)."""

    path: str
    error_type: str
    message_has: str = ""  # a phrase the user-facing message must contain


def sample(prefix: str) -> str:
    return next(SAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def thai_pdf(text: str, *, user_password: str | None = None, pages: int | None = None,
             page_size: tuple[float, float] | None = None) -> bytes:
    """A born-digital PDF with a real Thai text layer (fpdf2, HarfBuzz shaping, Sarabun)."""
    from fontpkg_sarabun import ROOT as FONT_ROOT
    from fpdf import FPDF

    pdf = FPDF(format=page_size or "A4", unit="pt" if page_size else "mm")
    pdf.add_font("Sarabun", fname=str(next(FONT_ROOT.rglob("Sarabun-Regular.ttf"))))
    pdf.set_font("Sarabun", size=14)
    pdf.set_text_shaping(True)
    if pages is None:
        pdf.add_page()
        pdf.multi_cell(0, 7, text)
    else:
        for _ in range(pages):
            pdf.add_page()
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())


def png_bytes(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def tiff_frames(count: int) -> bytes:
    """A multi-page TIFF of `count` tiny frames: a fax batch, or thousands of pages in one image file."""
    from PIL import Image

    frames = [Image.new("1", (16, 16), i % 2) for i in range(count)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("L", (800, 600), 255)
    draw = ImageDraw.Draw(img)
    for y in range(0, 600, 20):
        draw.line((0, y, 800, (y * 7) % 600), fill=0, width=3)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


# good files: path -> the sample whose letters it must yield
GOOD: dict[str, str] = {
    "letters/กอง คลัง/หนังสือ เวียน ที่ ๑.txt": "001",
    "letters/002 born digital.pdf": "002",
    "letters/003 empty password.pdf": "003",
    "letters/004 tis-620.txt": "004",
    "letters/000 utf-16.txt": "000",
    "letters/long line.txt": "001",
    "letters/$(touch PWNED); `touch PWNED` & echo.txt": "004",
    "letters/002 page tree says 2 more pages.pdf": "002",
}
# a name in TIS-620 bytes (สารบรรณ), not UTF-8: recorded with its bad bytes escaped
TIS620_NAME = b"letters/\xca\xd2\xc3\xba\xc3\xc3\xb3.txt"
GOOD[TIS620_NAME.decode("utf-8", "backslashreplace")] = "003"

BAD: list[Bad] = [
    Bad("bad/empty.txt", "empty_file"),
    Bad("bad/empty.pdf", "empty_file"),
    Bad("bad/truncated.pdf", "corrupt_pdf"),
    Bad("bad/garbage.pdf", "corrupt_pdf"),
    Bad("bad/letter named.pdf", "corrupt_pdf"),
    Bad("bad/password.pdf", "encrypted_pdf", "password is required"),
    Bad("bad/thousand pages.pdf", "too_many_pages"),
    Bad("bad/huge page.pdf", "page_too_large"),
    Bad("bad/bomb.png", "image_too_large"),
    Bad("bad/many frames.tif", "too_many_pages"),
    Bad("bad/truncated.png", "corrupt_image"),
    Bad("bad/truncated.jpg", "corrupt_image"),
    Bad("bad/binary.txt", "binary_file"),
    Bad("bad/sixty megabytes.txt", "too_large"),
    Bad("bad/latin-1.txt", "unknown_encoding"),
    Bad("bad/shift-jis.txt", "unknown_encoding"),
    Bad("bad/latin-1 french.txt", "unknown_encoding"),
    Bad("bad/locked.txt", "unreadable"),
    Bad("bad/locked folder", "unreadable"),
    Bad("bad/link to itself.txt", "not_a_file"),
]

# one file under two names (a hard link): read once, under either name
SAME_FILE = ("letters/000.txt", "letters/000 again.txt")

# read without error but hold no letter: a warning, not an errors row
NO_LETTERS = ["other/english.txt", "other/$(touch PWNED); `touch PWNED` scan.png"]
SHELL_NAMES = ["letters/$(touch PWNED); `touch PWNED` & echo.txt", NO_LETTERS[1]]


def build(root: Path) -> None:
    """Write the mailroom folder under `root` (which must be empty or missing)."""
    rng = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)

    def put(rel: str, data: bytes | str) -> Path:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    put("letters/000.txt", sample("000"))
    put("letters/กอง คลัง/หนังสือ เวียน ที่ ๑.txt", sample("001"))
    good_pdf = thai_pdf(sample("002"))
    put("letters/002 born digital.pdf", good_pdf)
    # a page tree counting pages that are not there (found by fuzz_pdf: pdfium's
    # "Failed to load page" once lost the whole file)
    count = re.search(rb"/Count (\d)\n", good_pdf)
    assert count and int(count.group(1)) < 8
    put("letters/002 page tree says 2 more pages.pdf",
        good_pdf.replace(count.group(0), b"/Count %d\n" % (int(count.group(1)) + 2)))
    put("letters/003 empty password.pdf", thai_pdf(sample("003"), user_password=""))
    put("letters/004 tis-620.txt", sample("004").encode("cp874"))
    put("letters/000 utf-16.txt", codecs.BOM_UTF16_LE + sample("000").encode("utf-16-le"))
    # one line of two megabytes after the letter: an export that lost its newlines
    put("letters/long line.txt", sample("001") + "\n\n" + "ข้อความ ยาว มาก " * 130_000 + "\n")
    # the same file twice: a second name (hard link) and a byte-identical copy
    os.link(root / "letters/000.txt", root / "letters/000 again.txt")
    put("letters/copy of 000.txt", sample("000"))

    put("bad/empty.txt", b"")
    put("bad/empty.pdf", b"")
    put("bad/truncated.pdf", good_pdf[:700])
    put("bad/garbage.pdf", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000)))
    put("bad/letter named.pdf", sample("000"))
    put("bad/password.pdf", thai_pdf(sample("002"), user_password="secret"))
    put("bad/thousand pages.pdf", thai_pdf("", pages=LONG_PDF_PAGES))
    put("bad/huge page.pdf", thai_pdf("", pages=1, page_size=(14400, 14400)))
    put("bad/bomb.png", png_bytes(30_000, 30_000))
    put("bad/many frames.tif", tiff_frames(MAX_PAGES + 100))
    real_png = png_bytes(1200, 900)
    put("bad/truncated.png", real_png[:len(real_png) // 3])
    jpeg = jpeg_bytes()
    put("bad/truncated.jpg", jpeg[:len(jpeg) // 3])
    with open(root / "bad/sixty megabytes.txt", "wb") as handle:  # sparse: no disk used
        handle.write(sample("000").encode("utf-8"))
        handle.truncate(60 * 2**20)
    put("bad/binary.txt", bytes(rng.randrange(256) for _ in range(4096)) + b"\x00" * 64)
    put("bad/latin-1.txt", ("Rundschreiben Nr. 12: Die Gebühren für Übersetzungen werden "
                            "geändert. Café, résumé, naïve, señor, ÀÉÎÕÜ.\n" * 20).encode("latin-1"))
    # every accented letter of this one decodes as cp874 too (é is a Thai tone mark there)
    put("bad/latin-1 french.txt", ("Circulaire : les frais de traduction sont modifiés à compter "
                                   "de l'été. Café, résumé, élève.\n" * 20).encode("latin-1"))
    (root / os.fsdecode(TIS620_NAME)).write_bytes(sample("003").encode("utf-8"))
    put("bad/shift-jis.txt", ("通達第十二号 翻訳料金の改定について。関係各位にお知らせします。\n" * 20).encode("shift_jis"))
    locked = put("bad/locked.txt", sample("000"))
    locked.chmod(0)
    locked_dir = root / "bad/locked folder"
    put("bad/locked folder/inside.txt", sample("001"))
    locked_dir.chmod(0)
    (root / "bad/link to itself.txt").symlink_to("link to itself.txt")
    # a folder that links back to its parent: walked once, never in circles
    (root / "letters/loop").symlink_to("..", target_is_directory=True)

    # names a shell would run: nothing may ever pass a file name through one (tesseract included)
    put("letters/$(touch PWNED); `touch PWNED` & echo.txt", sample("004"))
    blank = io.BytesIO()
    from PIL import Image

    Image.new("L", (600, 400), 255).save(blank, format="PNG")
    put("other/$(touch PWNED); `touch PWNED` scan.png", blank.getvalue())
    put("other/english.txt", "Minutes of the parish council meeting.\nPresent: all members.\n" * 30)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
