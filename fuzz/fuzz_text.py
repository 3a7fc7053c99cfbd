"""Fuzz the text stages: bytes of a `.txt` -> decode -> normalise -> split -> extract -> table rows.

Run outside CI for a set time, at low priority on a shared machine:

    nice -n 19 python -m fuzz.fuzz_text --seconds 900

Inputs are sample letters cut, spliced, salted with keywords, marks,
controls and arbitrary Unicode, then written in one of the encodings the
reader accepts (or as bytes it must refuse). Each goes through the real
`process_source`, exactly as `circulars ingest` runs it, and the result is
checked against `fuzz.common.check_result`; normalisation is also checked
for idempotence and offsets. Exit status 1 when anything was found.
"""
from __future__ import annotations

import sys
import time

from hypothesis import given
from hypothesis import strategies as st

from fuzz.common import (EXAMPLES, LAST_FAILING, Finding, Watchdog, check_result, fuzz_settings,
                         mailroom_text, note_slow, run_for, work_dir)

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp874", "bytes"]


def encode(text: str, encoding: str, junk: bytes) -> bytes:
    """The text as a file would hold it; `bytes` mixes in raw junk the decoder must survive."""
    if encoding == "bytes":
        data = text.encode("utf-8", "replace")
        cut = len(data) // 2
        return data[:cut] + junk + data[cut:]
    return text.encode(encoding, "replace")


def check_normalise(text: str) -> None:
    """Normalisation is idempotent, keeps its two views aligned, and maps every character inside the source."""
    from pipeline.thai.normalise import normalise

    norm = normalise(text)
    if len(norm.parse) != len(norm.display) or len(norm.offsets) != len(norm.display):
        raise Finding(f"views out of step: {len(norm.display)} display, {len(norm.parse)} parse, "
                      f"{len(norm.offsets)} offsets")
    if any(not 0 <= o < max(1, len(text)) for o in norm.offsets):
        raise Finding("an offset outside the source text")
    again = normalise(norm.display).display
    if again != norm.display:
        raise Finding(f"normalise not idempotent: {norm.display[:80]!r} -> {again[:80]!r}")


def make_test(max_examples: int):
    from pipeline.letters.process import process_source

    folder = work_dir("fuzz_text")
    path = folder / "input.txt"

    @fuzz_settings(max_examples)
    @given(mailroom_text(), st.sampled_from(ENCODINGS), st.binary(max_size=64))
    def test(text: str, encoding: str, junk: bytes) -> None:
        EXAMPLES[0] += 1
        data = encode(text, encoding, junk)
        LAST_FAILING[0] = {"encoding": encoding, "text": text, "bytes_hex": data.hex() if len(data) < 4096 else None}
        path.write_bytes(data)
        started = time.monotonic()
        with Watchdog(120):
            check_normalise(text)
            result = process_source(path, "input.txt")
        note_slow("fuzz_text", time.monotonic() - started, len(text), LAST_FAILING[0])
        check_result(result)

    return test


def main(argv: list[str] | None = None) -> int:
    return run_for("fuzz_text", make_test, argv)


if __name__ == "__main__":
    sys.exit(main())
