"""Extract stage: run the extractors over one letter as a spaCy pipeline.

`spacy.blank("th")` tokenises with pythainlp (newmm); each extractor is one
pipeline component, in the order their fields depend on each other (the form
decides where the date is; the date completes deadline years). Every value is
also a span in `doc.spans[label]`, so a reviewer can see where it was read.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any, Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.citations import extract_citations, extract_enclosures
from extractors.contacts import extract_contacts
from extractors.context import LetterContext
from extractors.deadlines import extract_deadlines
from extractors.english import ENGLISH_HINT, extract_english_letter
from extractors.header import (extract_date, extract_form, extract_issuer, extract_marks,
                               extract_recipients, extract_reference, extract_subject)
from extractors.mentions import extract_mentions
from extractors.signatory import extract_signatory
from extractors.zones import Alignment, align, with_breaks
from pipeline.model import LetterRecord
from pipeline.thai import tokens

# component name -> extractor, in pipeline order
EXTRACTORS: dict[str, Callable[[LetterContext], None]] = {
    "circulars_reference": extract_reference,
    "circulars_marks": extract_marks,
    "circulars_form": extract_form,
    "circulars_date": extract_date,
    "circulars_issuer": extract_issuer,
    "circulars_subject": extract_subject,
    "circulars_recipients": extract_recipients,
    "circulars_citations": extract_citations,
    "circulars_enclosures": extract_enclosures,
    "circulars_deadlines": extract_deadlines,
    "circulars_mentions": extract_mentions,
    "circulars_contacts": extract_contacts,
    "circulars_signatory": extract_signatory,
}

# a letter in English (form `other`): its head and foot read by their own anatomy, then the deadlines
# and contacts, which read English cue words as they read Thai ones; the Thai zones are not looked for
ENGLISH_EXTRACTORS: dict[str, Callable[[LetterContext], None]] = {
    "circulars_english": extract_english_letter,
    "circulars_deadlines": extract_deadlines,
    "circulars_contacts": extract_contacts,
}


def _component(extractor: Callable[[LetterContext], None]) -> Callable[[Doc], Doc]:
    def run(doc: Doc) -> Doc:
        extractor(doc.user_data["circulars"])
        return doc

    return run


for _name, _extractor in {**EXTRACTORS, **ENGLISH_EXTRACTORS}.items():
    if not Language.has_factory(_name):
        Language.component(_name, func=_component(_extractor))


_LONG_DIGITS_RE = re.compile(r"\d{100,}")
_LONG_RUN_RE = re.compile(r"\S{400,}")


class PythainlpTokenizer:
    """spaCy tokenizer over pythainlp's `word_tokenize` with a chosen engine."""

    def __init__(self, vocab, engine: str):
        from pythainlp.tokenize import word_tokenize

        self.vocab = vocab
        self.engine = engine
        self._tokenize = word_tokenize

    def __call__(self, text: str) -> Doc:
        # Both engines take quadratic time on a run of digits (16,000 took 7 s, found
        # by fuzzing); no number in a letter is 100 digits long, so such runs are cut
        # into tokens here and only the text around them is tokenised.
        words: list[str] = []
        pos = 0
        for run in _LONG_DIGITS_RE.finditer(text):
            words += self._words(text[pos:run.start()])
            words += [run.group()[i:i + 100] for i in range(0, len(run.group()), 100)]
            pos = run.end()
        words += self._words(text[pos:])
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def _words(self, text: str) -> list[str]:
        # A long run without a space can make maximal matching explode (กรอก x 4,000
        # took 135 s, found by fuzzing); real letters have none over ~120 characters,
        # so such runs go to newmm's safe mode, which cuts them into bounded windows.
        words: list[str] = []
        pos = 0
        for run in _LONG_RUN_RE.finditer(text):
            words += self._engine_words(text[pos:run.start()], self.engine, "newmm")
            words += self._engine_words(run.group(), "newmm-safe", "newmm-safe")
            pos = run.end()
        return words + self._engine_words(text[pos:], self.engine, "newmm")

    def _engine_words(self, text: str, engine: str, fallback: str) -> list[str]:
        if not text:
            return []
        words = self._tokenize(text, engine=engine, keep_whitespace=True)
        if "".join(words) != text:  # an engine must never lose characters; fall back if it does
            words = self._tokenize(text, engine=fallback, keep_whitespace=True)
        return words


@lru_cache(maxsize=None)
def nlp(language: str = "th") -> Language:
    """The pipeline for letters in `language` (`th`, or `en` for letters in English), built once per process."""
    pipeline = spacy.blank("th")
    pipeline.tokenizer = PythainlpTokenizer(pipeline.vocab, tokens.tokenizer_engine())
    for name in (ENGLISH_EXTRACTORS if language == "en" else EXTRACTORS):
        pipeline.add_pipe(name)
    return pipeline


def letter_id(source_sha256: str, segment: int) -> str:
    """Stable across runs: the same bytes and position give the same id."""
    return hashlib.sha256(f"{source_sha256}:{segment}".encode()).hexdigest()[:20]


def extract_letter(display: str, parse: str, form_hint: str | None = None,
                   received: Any = None, ocr: bool = False) -> tuple[LetterContext, Doc]:
    """Run every extractor over one letter's normalised text (`received`: the receipt stamp
    found on its page, an extractors.receipts.Receipt, when it has one; `ocr`: its text was
    read from page images, so a value may have lost what the page prints)."""
    language = "en" if form_hint == ENGLISH_HINT else "th"
    if language == "en":
        alignment = Alignment(None, 0.0)  # the regulation's forms are Thai: a Thai minute's `เรื่อง` is no zone
    else:
        # the forms' zones, found whatever the line breaks; a line break where each starts
        # (one space replaced, offsets unchanged) lets the line readers read a flattened text
        alignment = align(parse)
        parse = with_breaks(parse, alignment)
    ctx = LetterContext(display=display, parse=parse, form_hint=form_hint, language=language,
                        alignment=alignment, received=received, ocr=ocr)
    pipeline = nlp(language)
    doc = pipeline.make_doc(parse)
    doc.user_data["circulars"] = ctx
    ctx.doc = doc
    for _, proc in pipeline.pipeline:
        doc = proc(doc)
    ctx.doc = None  # the record must pickle without the Doc
    return ctx, doc


def to_record(ctx: LetterContext, base: dict) -> LetterRecord:
    """The context's fields as table rows, each carrying the letter's id."""
    lid = base["letter_id"]
    letter = {**base, **ctx.letter, "text": ctx.display, "warnings": list(ctx.warnings)}

    def rows(items: list[dict]) -> list[dict]:
        return [{"letter_id": lid, **item} for item in items]

    deadlines = []
    for row in rows(ctx.deadlines):
        warnings = row.pop("warnings", [])
        deadlines.append({**row, "warnings": warnings})
    return LetterRecord(
        letter=letter, recipients=rows(ctx.recipients), citations=rows(ctx.citations),
        enclosures=rows(ctx.enclosures), deadlines=deadlines, mentions=rows(ctx.mentions),
        contacts=rows(ctx.contacts), spans=list(ctx.spans),
    )
