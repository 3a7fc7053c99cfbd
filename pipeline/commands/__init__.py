"""Subcommands of `circulars`: each module has `register(subparsers)`.

A module sets `func` on its parser; `func(args)` returns the exit status.
"""

EXIT_OK = 0
EXIT_SOME_FAILED = 3  # the dataset was written, but some sources are `errors` rows
EXIT_USAGE = 2
