"""Finding the source files of a run: files and folders, recursively, safely.

Mailroom folders hold symlink loops, unreadable folders, Thai names with
spaces and files of every type. Walking never follows a folder twice, never
raises, and says what it passed over.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.read.pages import SUPPORTED_SUFFIXES
from schemas.errors import ErrorType


@dataclass
class SourceFile:
    path: Path  # where to read it
    source_path: str  # as recorded: relative to the input root it was found under


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # unsupported types inside folders
    problems: list[tuple[str, ErrorType, str]] = field(default_factory=list)  # (path, error_type, message)


def discover(inputs: list[str | Path]) -> Discovery:
    found = Discovery()
    seen_files: dict[tuple[int, int] | str, str] = {}  # file identity -> the name it was first found by
    for raw in inputs:
        root = Path(raw)
        if not root.exists() and not root.is_symlink():
            found.problems.append((recorded(raw), ErrorType.NOT_FOUND, "no such file or folder"))
            continue
        if root.is_file():
            key = file_identity(root)
            if key not in seen_files:
                seen_files[key] = recorded(raw)
                found.files.append(SourceFile(root, recorded(raw)))
            else:
                found.ignored.append(f"{recorded(raw)} (the same file as {seen_files[key]})")
            continue
        if not root.is_dir():
            found.problems.append((recorded(raw), ErrorType.NOT_A_FILE, "not a regular file or folder"))
            continue
        visited: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=lambda e: found.problems.append(
                (recorded(Path(e.filename).relative_to(root)) if e.filename else recorded(root),
                 ErrorType.UNREADABLE, f"cannot read folder: {e.strerror}"))):
            real = os.path.realpath(dirpath)
            if real in visited:
                dirnames[:] = []
                continue
            visited.add(real)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and os.path.realpath(os.path.join(dirpath, d)) not in visited)
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath, name)
                rel = recorded(path.relative_to(root))
                if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    found.ignored.append(rel)
                    continue
                if not path.is_file():
                    found.problems.append((rel, ErrorType.NOT_A_FILE, "broken link or not a regular file"))
                    continue
                key = file_identity(path)
                if key in seen_files:
                    found.ignored.append(f"{rel} (the same file as {seen_files[key]})")
                    continue
                seen_files[key] = rel
                found.files.append(SourceFile(path, rel))
    return found


def recorded(name: str | Path) -> str:
    """A name as the dataset records it: always valid UTF-8.

    Linux file names are bytes; one that is not UTF-8 (an old Windows share, a
    TIS-620 name) comes out of os.walk with surrogate escapes, which Parquet
    cannot store, and one such name took the whole run down. Its bad bytes are
    written as `\\xNN`, so the name stays unique and readable.
    """
    text = str(name)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def file_identity(path: Path) -> tuple[int, int] | str:
    """What makes two names one file: device and inode, so a hard link is caught as
    well as a symbolic one (a mailroom share holds both); the real path when stat fails."""
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (st.st_dev, st.st_ino)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
