"""Subcommands of `circulars`: each module has `register(subparsers)`.

A module sets `func` on its parser; `func(args)` returns the exit status.
"""
