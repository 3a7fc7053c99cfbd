"""Dataset-wide links over the written tables: `graph` the directive graph, `deadline_chains`
the deadline rows apart and each deadline's chain of letters."""
