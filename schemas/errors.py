"""The `errors` table's `error_type` values: one enumeration, each with what it means.

`error_type` is part of the output contract (shared/spec/OUTPUT.md, table
`errors`): consumers filter and count on these strings, so a value is added
freely but never renamed or dropped. Every place that makes an errors row
names its type from here (`model.SourceError` and `model.ReadError` refuse
any other), and the README's list is generated from this enumeration by
`circulars schema --update-readme README.md`, as the table list is from
`schemas/tables.py`, so the code, the data and the documentation cannot
drift apart. A leaf module: it imports nothing of the pipeline.
"""
from __future__ import annotations

from enum import StrEnum


class ErrorType(StrEnum):
    """Why a source file (or some of its pages) could not be read: one value per `errors` row.

    A `str` enum, so a member is the very string written to Parquet and JSON
    (`ErrorType.TIMEOUT == "timeout"`). Each member carries a one-line
    `description` for the README and `circulars schema`; the members' order
    is the order they are listed in (by where the failure happens).
    """

    description: str

    def __new__(cls, value: str, description: str) -> ErrorType:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    @classmethod
    def _missing_(cls, value: object) -> ErrorType:
        """An unknown type is a bug where the row is made: say where the list is."""
        raise ValueError(f"unknown error_type {value!r}: an errors row names one of schemas.errors.ErrorType "
                         "(add a new type there, with what it means; never rename one)")

    # text files
    EMPTY_FILE = ("empty_file",
        "the file is empty: zero bytes (of any type), or a text file of white space only")
    BINARY_FILE = ("binary_file",
        "a `.txt`/`.md` file that holds binary data (NUL bytes, control characters), not text")
    UNKNOWN_ENCODING = ("unknown_encoding",
        "text that is neither UTF-8, UTF-16 with BOM nor TIS-620/cp874 (Latin-1, Shift-JIS …)")
    BAD_ENCODING = ("bad_encoding",
        "text whose BOM names an encoding (UTF-8, UTF-16) that its bytes then break")
    TOO_LARGE = ("too_large",
        "a text file over the text size limit (`MAX_TEXT_BYTES` in pipeline/read/text.py), or any "
        "file that needs more memory than `--memory-mb` allows")
    # PDFs
    CORRUPT_PDF = ("corrupt_pdf",
        "a PDF that is corrupt or truncated, has no pages, or none of whose pages can be read")
    ENCRYPTED_PDF = ("encrypted_pdf",
        "a PDF locked by a password (the empty password is tried first: such a PDF is read) or by a "
        "security handler pdfium does not support")
    PAGE_TOO_LARGE = ("page_too_large",
        "a PDF page whose rendering for OCR would have more pixels than `--max-pixels`")
    TOO_MANY_PAGES = ("too_many_pages",
        "a PDF or multi-page image with more pages than `--max-pages` (refused, not truncated)")
    # images and OCR
    CORRUPT_IMAGE = ("corrupt_image",
        "an image that cannot be decoded, or has no frames")
    IMAGE_TOO_LARGE = ("image_too_large",
        "an image (or TIFF frame) with more pixels than `--max-pixels` (a decompression bomb)")
    OCR_FAILED = ("ocr_failed",
        "tesseract could not recognise a page")
    OCR_UNAVAILABLE = ("ocr_unavailable",
        "no OCR on this machine: tesserocr is not installed or tesseract cannot load its `tha`/`eng` "
        "models")
    # any file
    UNSUPPORTED = ("unsupported",
        "a file named on the command line whose type is not read (inside folders such files are "
        "skipped, not errors)")
    UNREADABLE = ("unreadable",
        "a file or folder the operating system will not let us read (permissions, I/O error)")
    # finding the files (stage `discover`)
    NOT_FOUND = ("not_found",
        "a path given to `ingest` does not exist")
    NOT_A_FILE = ("not_a_file",
        "a path that is not a regular file or folder (a broken link, a device, a socket)")
    # running (stage `process`)
    TIMEOUT = ("timeout",
        "the file took longer than `--timeout` seconds; its worker was killed")
    WORKER_CRASHED = ("worker_crashed",
        "the worker process died reading the file (killed, out of memory, a crash in a library)")
    WORKER_ERROR = ("worker_error",
        "no worker could take the file: a worker process would not start, or the Dask cluster failed "
        "the task")
    INTERRUPTED = ("interrupted",
        "the run was stopped (Ctrl-C, SIGTERM) before or while the file was read; the next run reads "
        "it again")
    # a bug
    INTERNAL_ERROR = ("internal_error",
        "an unexpected exception in the pipeline: a bug to report (the other files are read as usual)")
