"""What the review app knows: the dataset's letters, the queue by doubt, and the decisions saved.

A letter's value as the app shows it is the reviewer's last decision on
that field when there is one, else the dataset's. Saving validates every
change first (`pipeline.store.corrections.normalise_value`) and writes nothing
unless all are right; "value before" is taken here, under the lock, so two
tabs saving the same field record a chain, not two edits of one value.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.store.corrections import (
    ACTIONS,
    FIELDS,
    Correction,
    CorrectionError,
    CorrectionLog,
    dataset_value,
    latest,
    normalise_value,
    now_iso,
    read_log,
)
from schemas.tables import TABLES

LOW_OCR_CONFIDENCE = 80.0  # mean word confidence (0-100) below which a page is worth a look
HEADER_FIELDS = ("ref", "date", "subject", "issuer")  # a letter without one of these is in doubt


class UnknownLetter(LookupError):
    """A letter id that is not in the dataset."""


@dataclass
class Filters:
    """The queue's filters; empty means any."""

    form: str = ""
    agency: str = ""
    source: str = ""  # part of the source path: a folder or a file name

    def keep(self, letter: dict[str, Any]) -> bool:
        return ((not self.form or letter.get("form") == self.form)
                and (not self.agency or letter.get("agency_code") == self.agency)
                and (not self.source or self.source in str(letter.get("source_path") or "")))

    def query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class QueueEntry:
    letter_id: str
    title: str
    doubts: list[str]
    reviewed: bool
    score: float = field(default=0.0)


class Review:
    """The letters of one dataset and the decisions on them, for the app's threads."""

    def __init__(self, out: Path, who: str):
        self.out = Path(out)
        self.who = who
        self.log = CorrectionLog(self.out)
        self.lock = threading.Lock()
        self.letters: dict[str, dict[str, Any]] = {}
        self.decisions: dict[tuple[str, str], Correction] = {}
        self.loaded_stamp: float | None = None
        self.reload()

    def _stamp(self) -> float | None:
        try:
            return (self.out / "manifest.json").stat().st_mtime
        except OSError:
            return None

    def reload(self) -> None:
        """Read the letters, their spans and the log (again: an ingest may have run meanwhile)."""
        from pipeline.api import open_dataset

        dataset = open_dataset(self.out)
        # the queue needs every letter's fields, not their texts: those are read one letter at a time
        columns = [name for name in TABLES["letters"].names if name != "text"]
        letters = {str(r["letter_id"]): r for r in dataset.arrow("letters", columns=columns).to_pylist()}
        log = read_log(self.out)
        for warning in log.warnings:
            print(f"circulars review: warning: {warning}", file=sys.stderr)
        with self.lock:
            self.letters = letters
            self.decisions = latest(log.corrections)
            self.loaded_stamp = self._stamp()

    def text_and_spans(self, letter_id: str) -> tuple[str, list[dict[str, Any]]]:
        """A letter's text and where each value was read in it, read from the dataset when shown."""
        import pyarrow.dataset as pads

        from pipeline.api import open_dataset

        self.letter(letter_id)
        dataset = open_dataset(self.out)
        mine = pads.field("letter_id") == letter_id
        texts = dataset.arrow("letters", columns=["text"], where=mine).column("text").to_pylist()
        return str(texts[0] or "") if texts else "", dataset.arrow("spans", where=mine).to_pylist()

    def refresh(self) -> None:
        """Reload when an ingest rewrote the dataset since it was read."""
        if self._stamp() != self.loaded_stamp:
            self.reload()

    # -- one letter ----------------------------------------------------------------------------

    def letter(self, letter_id: str) -> dict[str, Any]:
        try:
            return self.letters[letter_id]
        except KeyError:
            raise UnknownLetter(f"no letter {letter_id!r} in {self.out}") from None

    def value(self, letter_id: str, name: str) -> str | None:
        decision = self.decisions.get((letter_id, name))
        return decision.value_after if decision else dataset_value(self.letter(letter_id).get(name))

    def fields(self, letter_id: str) -> list[dict[str, Any]]:
        """Each reviewable field: its value now, the dataset's, and the last decision on it."""
        letter = self.letter(letter_id)
        out = []
        for name in FIELDS:
            decision = self.decisions.get((letter_id, name))
            out.append({"name": name, "value": self.value(letter_id, name),
                        "dataset": dataset_value(letter.get(name)),
                        "status": decision.action if decision else None,
                        "who": decision.who if decision else None,
                        "saved_at": decision.saved_at if decision else None})
        return out

    def reviewed(self, letter_id: str) -> bool:
        return any((letter_id, name) in self.decisions for name in FIELDS)

    def doubts(self, letter_id: str) -> list[str]:
        """Why a letter is worth a look, most telling first: warnings, weak OCR, missing header fields."""
        letter = self.letter(letter_id)
        reasons = [f"warning: {w}" for w in (letter.get("warnings") or [])]
        confidence = letter.get("ocr_confidence")
        if confidence is not None and confidence < LOW_OCR_CONFIDENCE:
            reasons.append(f"OCR confidence {confidence:.0f}")
        reasons += [f"no {name}" for name in HEADER_FIELDS if self.value(letter_id, name) is None]
        return reasons

    def title(self, letter_id: str) -> str:
        letter = self.letter(letter_id)
        where = f"{letter.get('source_path')} #{letter.get('segment')}"
        ref = self.value(letter_id, "ref")
        return f"{ref} · {where}" if ref else where

    # -- the queue -----------------------------------------------------------------------------

    def queue(self, filters: Filters) -> list[QueueEntry]:
        """Letters to review, most doubtful first; reviewed ones last, in source order."""
        entries = []
        for lid, letter in self.letters.items():
            if not filters.keep(letter):
                continue
            doubts = self.doubts(lid)
            confidence = letter.get("ocr_confidence")
            score = len(doubts) + (max(0.0, 100.0 - confidence) / 20 if confidence is not None else 0.0)
            entries.append(QueueEntry(lid, self.title(lid), doubts, self.reviewed(lid), score))
        return sorted(entries, key=lambda e: (e.reviewed, -e.score, self.letters[e.letter_id].get("source_path") or "",
                                              self.letters[e.letter_id].get("segment") or 0))

    def choices(self) -> dict[str, list[str]]:
        """The values the filters offer."""
        letters = self.letters.values()
        return {"form": sorted({str(l["form"]) for l in letters if l.get("form")}),
                "agency": sorted({str(l["agency_code"]) for l in letters if l.get("agency_code")})}

    # -- saving --------------------------------------------------------------------------------

    def save(self, letter_id: str, changes: Any, who: str | None = None) -> list[Correction]:
        """Validate every change, then append them all to the log (on disk when this returns).

        `changes`: a list of {"field", "action": correct|clear|confirm, "value"}.
        Raises UnknownLetter or CorrectionError; then nothing is written.
        """
        letter = self.letter(letter_id)
        if not isinstance(changes, list) or not changes:
            raise CorrectionError("`changes` must be a non-empty list of {field, action, value}")
        who = self.who if who is None else who
        if not isinstance(who, str) or not who.strip() or len(who) > 200:
            raise CorrectionError("`who` must be a name of 1 to 200 characters")
        wanted: list[tuple[str, str, str | None]] = []
        for change in changes:
            if not isinstance(change, dict):
                raise CorrectionError("each change is an object {field, action, value}")
            name, action = change.get("field"), change.get("action", "correct")
            if action not in ACTIONS:
                raise CorrectionError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
            if not isinstance(name, str) or name not in FIELDS:
                raise CorrectionError(f"unknown field {name!r}; fields: {', '.join(FIELDS)}")
            value = None if action == "clear" else normalise_value(name, change.get("value"))
            if action == "correct" and value is None:
                raise CorrectionError(f"{name}: a correction needs a value (clear the field to empty it)")
            wanted.append((name, action, value))
        with self.lock:
            saved_at = now_iso()
            records: list[Correction] = []
            made: dict[str, Correction] = {}  # a field changed twice in one save: the second follows the first
            for name, action, value in wanted:
                before = made[name].value_after if name in made else self.value(letter_id, name)
                after = before if action == "confirm" else value
                made[name] = Correction(letter_id, name, before, after, action, who.strip(), saved_at,
                                        letter.get("source_path"), letter.get("source_sha256"))
                records.append(made[name])
            self.log.append(records)  # on disk before anything shows it as saved
            self.decisions.update({(letter_id, name): c for name, c in made.items()})
        return records
