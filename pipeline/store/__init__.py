"""Records into tables: `write` writes Parquet part files atomically, `corrections` reads,
writes and applies reviewers' corrections (`OUT/corrections.jsonl`)."""
