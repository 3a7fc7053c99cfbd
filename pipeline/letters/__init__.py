"""Pages into letter records: `segment` splits a file into letters, `extract` runs the
extractors (`extractors/`) as a spaCy pipeline, `process` does both for one source file."""
