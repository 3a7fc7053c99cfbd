"""thai-circulars: Thai government circulars into a Parquet dataset and a directive graph.

Stages, one sub-package each, data flowing one way (source -> pages -> letters ->
records -> tables): `read` and `ocr` (pages) -> `letters` (segment, extract with
`extractors/`) -> `store` (write) -> `link` (graph, deadline chains), driven by
`run` (ingest, runner) and the `circulars` command (`cli`, `commands`). `thai` is
the leaf of Thai text facts every stage uses; the import-linter contracts in
pyproject.toml hold the order (README, "Code layout").
"""
__version__ = "0.1.0"


def __getattr__(name: str):
    """`from pipeline import open_dataset`, imported on first use so the CLI and workers stay light."""
    if name == "open_dataset":
        from pipeline.api import open_dataset

        return open_dataset
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
