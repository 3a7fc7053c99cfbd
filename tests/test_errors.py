"""The `errors` table's `error_type` values: one enumeration (schemas/errors.py), used by every
place that makes an errors row, documented in full, and refused when unknown.

The README's list is compared with the enumeration in tests/test_api.py, next to the table list.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Iterator

import pytest

from pipeline.cli import main
from pipeline.model import ReadError, SourceError
from schemas.errors import ErrorType
from tests.conftest import ROOT

# the code that makes errors rows: it names a type only as `ErrorType.X`
WRITERS = ("pipeline", "extractors", "schemas")
# code that expects or compares types (tests, fuzzers, tools): a string is fine if it is a real type
READERS = ("tests", "fuzz", "tools", "benchmarks")
# where a call takes an error type: callee -> position of the argument (or a keyword `error_type`)
ERROR_TYPE_ARGUMENT = {"ReadError": 0, "SourceError": 2, "failed": 1, "Bad": 1}
VALUES = {e.value for e in ErrorType}  # (a member hashes by its name, so `"timeout" in set(ErrorType)` is False)

# Every value written under schema_version 1. Consumers filter on these strings: a value may
# be added to ErrorType, never renamed or dropped (shared/spec/OUTPUT.md, table `errors`).
PUBLISHED = {
    "empty_file", "binary_file", "unknown_encoding", "bad_encoding", "too_large", "corrupt_pdf",
    "encrypted_pdf", "too_many_pages", "page_too_large", "corrupt_image", "image_too_large",
    "ocr_failed", "ocr_unavailable", "timeout", "worker_crashed", "worker_error", "interrupted",
    "unreadable", "not_found", "not_a_file", "unsupported", "internal_error",
}


def _sources(folders: tuple[str, ...]) -> Iterator[tuple[Path, ast.Module]]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == Path(__file__).resolve():
                continue  # this file makes unknown types on purpose
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "append" and isinstance(func.value, ast.Attribute):
        return f"{func.value.attr}.append"  # found.problems.append((path, error_type, message))
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _error_type_places(tree: ast.Module) -> Iterator[ast.expr]:
    """Every expression the code gives as an error type: call arguments, discovery problems,
    and what `error_type` is compared with."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _callee(node)
            if name in ERROR_TYPE_ARGUMENT and len(node.args) > ERROR_TYPE_ARGUMENT[name]:
                yield node.args[ERROR_TYPE_ARGUMENT[name]]
            if name == "problems.append" and node.args and isinstance(node.args[0], ast.Tuple):
                yield node.args[0].elts[1]
            yield from (k.value for k in node.keywords if k.arg == "error_type")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_error_type(o) for o in operands):
                for operand in operands:
                    yield from operand.elts if isinstance(operand, (ast.Set, ast.List, ast.Tuple)) else [operand]


def _is_error_type(node: ast.expr) -> bool:
    """`x.error_type`, `error_type` or `frame["error_type"]`, anywhere in the expression."""
    return any(isinstance(n, ast.Attribute) and n.attr == "error_type"
               or isinstance(n, ast.Name) and n.id == "error_type"
               or isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and n.slice.value == "error_type"
               for n in ast.walk(node))


def _members_named(tree: ast.Module) -> Iterator[ast.Attribute]:
    """Every `ErrorType.X` in the code."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ErrorType":
            yield node


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def test_the_writers_name_error_types_from_the_enumeration_only():
    """No error type as a bare string where a row is made: a typo there would be a new public
    value nobody documented, found only when that rare failure happens."""
    literals, unknown = [], []
    for path, tree in _sources(WRITERS):
        for node in _error_type_places(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.append(f"{_where(path, node)}: {node.value!r}")
        for node in _members_named(tree):
            if node.attr not in ErrorType.__members__ and not node.attr.startswith("_"):
                unknown.append(f"{_where(path, node)}: ErrorType.{node.attr}")
    assert not literals, f"use ErrorType.<NAME> instead of a string: {literals}"
    assert not unknown, f"not members of ErrorType: {unknown}"


def test_every_error_type_the_code_names_is_in_the_enumeration():
    """Tests, fuzzers and tools compare with strings: each must be a real type, or the check
    it makes can never be true."""
    found, unknown = set(), []
    for path, tree in _sources(WRITERS + READERS):
        for node in _error_type_places(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
                if node.value not in VALUES:
                    unknown.append(f"{_where(path, node)}: {node.value!r}")
    assert not unknown, f"error types used in the code but not in schemas/errors.py: {unknown}"
    assert {"timeout", "internal_error", "corrupt_pdf", "not_a_file"} <= found  # the scan sees the tests


def test_every_error_type_in_the_enumeration_is_one_the_pipeline_writes():
    """The README lists exactly what can appear: no type that nothing writes any more."""
    named = {node.attr for _, tree in _sources(WRITERS) for node in _members_named(tree)} & set(ErrorType.__members__)
    assert named == set(ErrorType.__members__), f"never written: {set(ErrorType.__members__) - named}"


def test_published_error_types_are_never_renamed_or_dropped():
    assert PUBLISHED <= VALUES, PUBLISHED - VALUES


def test_each_error_type_has_a_short_name_and_a_one_line_meaning():
    for member in ErrorType:
        assert member.value.isascii() and member.value.replace("_", "").isalpha() and member.value.islower(), member
        assert member.description and "\n" not in member.description and "|" not in member.description, member


def test_an_unknown_error_type_fails_where_the_row_is_made():
    with pytest.raises(ValueError, match="unknown error_type 'timed_out'.*schemas.errors.ErrorType"):
        SourceError("a.txt", "process", "timed_out", "gave up")
    with pytest.raises(ValueError, match="unknown error_type 'corrupt'"):
        ReadError("corrupt", "cannot read")


def test_a_known_error_type_is_taken_as_a_string_and_written_as_one(tmp_path: Path):
    """ReadError keeps accepting the value; the row holds the member, which is the plain string."""
    error = ReadError("encrypted_pdf", "a password is required")
    assert error.error_type is ErrorType.ENCRYPTED_PDF and error.error_type == "encrypted_pdf"
    row = SourceError("a.pdf", error.stage, error.error_type, error.message)
    assert json.loads(json.dumps(vars(row)))["error_type"] == "encrypted_pdf"


def test_the_json_schema_lists_the_error_types(capsys):
    assert main(["schema", "--json-schema"]) == 0
    error_type = json.loads(capsys.readouterr().out)["$defs"]["errors"]["properties"]["error_type"]
    assert error_type["enum"] == [e.value for e in ErrorType]
