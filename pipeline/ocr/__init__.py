"""Page images into text: `engine` runs tesseract and the line corrections, `passes` is the
ordered list of named correction passes, with `words`, `digits`, `plausibility` (their
evidence), `layout` (columns, blocks) and `stamps` (receipt stamps)."""
