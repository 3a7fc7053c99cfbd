"""The data tables every extractor and the OCR word passes draw on, loaded once.

Facts live in `pipeline/thai/data/*.json`; this module turns them into lookups
and regex alternations (longest first, so `ด่วนที่สุด` wins over `ด่วน`).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any


def _load(name: str) -> dict[str, Any]:
    return json.loads(resources.files("pipeline.thai").joinpath("data", name).read_text(encoding="utf-8"))


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=None)
def vocabulary() -> dict[str, Any]:
    return _load("vocabulary.json")


@lru_cache(maxsize=None)
def forms() -> dict[str, Any]:
    """The forms of the regulation as ordered zones (see `zones.py`)."""
    return _load("forms.json")


@lru_cache(maxsize=None)
def english() -> dict[str, Any]:
    """The cue words of letters in English that Thai offices receive and forward (see `data/english.json`)."""
    return _load("english.json")


def english_words(key: str) -> list[str]:
    """One list of `data/english.json`, whether stored bare or under `words` beside its `_why`."""
    entry = english()[key]
    return list(entry["words"] if isinstance(entry, dict) else entry)


def words(key: str) -> list[str]:
    return list(vocabulary()[key])


@lru_cache(maxsize=None)
def months() -> dict[str, int]:
    """Every printed form of a month (name, abbreviation) -> month number."""
    table: dict[str, int] = {}
    for entry in _load("months.json")["months"]:
        for name in entry["names"]:
            table[name] = entry["month"]
    return table


@lru_cache(maxsize=None)
def weekdays() -> dict[str, int]:
    return dict(_load("months.json")["weekdays"])


@lru_cache(maxsize=None)
def era_markers() -> tuple[list[str], list[str]]:
    data = _load("months.json")
    return data["buddhist_era_markers"], data["common_era_markers"]


@lru_cache(maxsize=None)
def agencies() -> dict[str, dict[str, str]]:
    """Agency letters of a reference -> {name, kind}: ministries and every province."""
    table: dict[str, dict[str, str]] = {}
    try:
        from pythainlp.corpus import provinces

        for p in provinces(details=True):
            code = p["abbr_th"].replace(".", "")
            table[code] = {"name": f"จังหวัด{p['name_th']}", "kind": "province"}
    except Exception:  # pythainlp without its corpus: ministries still resolve
        pass
    for entry in _load("agencies.json")["agencies"]:
        table[entry["code"]] = {"name": entry["name"], "kind": entry["kind"]}
    return table


def agency_name(code: str | None) -> str | None:
    if not code:
        return None
    entry = agencies().get(code.replace(".", ""))
    return entry["name"] if entry else None
