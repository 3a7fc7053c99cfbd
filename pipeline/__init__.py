"""thai-circulars: Thai government circulars into a Parquet dataset and a directive graph.

Stages, one module each, data flowing one way:
read (`read`, `read_text`, `read_pdf`, `ocr`) -> normalise (`normalise`) ->
split (`segment`) -> extract (`extract`, with `extractors/`) -> link (`graph`)
-> write (`write`), driven by `ingest` and the `circulars` command (`cli`).
"""
__version__ = "0.1.0"


def __getattr__(name: str):
    """`from pipeline import open_dataset`, imported on first use so the CLI and workers stay light."""
    if name == "open_dataset":
        from pipeline.api import open_dataset

        return open_dataset
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
