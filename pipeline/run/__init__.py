"""Running a whole ingest: `ingest` the incremental run over a folder, `runner` the worker
processes (local or Dask) that read each source under its limits."""
