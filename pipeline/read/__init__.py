"""Source files into pages: `sources` finds and hashes them, `pages` reads one by its suffix
(`text` for .txt/.md, `pdf` for a PDF's text layer, scanned pages handed to `pipeline.ocr`)."""
