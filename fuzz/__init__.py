"""Fuzzers for the text and PDF stages, run by hand for a set time (not in CI).

`python -m fuzz.fuzz_text --seconds 900` and `python -m fuzz.fuzz_pdf --seconds 900`;
what they found is logged in docs/FUZZING.md.
"""
