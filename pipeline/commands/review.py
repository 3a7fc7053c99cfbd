"""`circulars review OUT`: start the review app (pipeline/review) on this machine and print its address.

Bound to 127.0.0.1 on a free port by default: the letters of a mailroom are
not for the network. `--host` elsewhere is refused unless `--token` is given,
and then every request must carry it.
"""
from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import secrets
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="a local web app to go through the letters and correct them",
                       description="Start a web app for reviewing OUT's letters, most doubtful first: each "
                                   "letter's page or text beside its fields; corrections are appended to "
                                   "OUT/corrections.jsonl and applied by every later ingest. Prints the "
                                   "address; Ctrl-C stops it.")
    p.add_argument("out", type=Path, metavar="OUT", help="the dataset folder")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs --token)")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--token", help="a secret every request must carry (required beyond the loopback "
                                   "address); 'random' makes one and prints it in the address")
    p.add_argument("--who", default=None, help="the reviewer's name in the log (default: the login name)")
    p.add_argument("--sources", type=Path, action="append", default=[], metavar="FOLDER",
                   help="where the source files are, when not where the ingest read them (repeatable)")
    p.set_defaults(func=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from pipeline.api import DatasetError, open_dataset
    from pipeline.commands import EXIT_OK, EXIT_USAGE
    from pipeline.review.app import create_app
    from pipeline.review.pages import Sources
    from pipeline.review.state import Review

    token = secrets.token_urlsafe(24) if args.token == "random" else args.token
    if not is_loopback(args.host) and not token:
        print(f"circulars review: refusing to listen on {args.host}, beyond this machine, without a token: "
              "give --token SECRET (or --token random)", file=sys.stderr)
        return EXIT_USAGE
    if token is not None and len(token) < 16:
        print("circulars review: a token must have at least 16 characters", file=sys.stderr)
        return EXIT_USAGE
    try:
        dataset = open_dataset(args.out)
        review = Review(args.out, args.who or _login())
    except DatasetError as exc:
        print(f"circulars review: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not os.access(args.out, os.W_OK):
        print(f"circulars review: cannot write corrections to {args.out}", file=sys.stderr)
        return EXIT_USAGE
    app = create_app(review, Sources(args.sources, dataset.manifest), token=token)
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as exc:
        print(f"circulars review: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    port = server.server_port
    if is_loopback(args.host) and token is None:
        # only the names of this address: a page elsewhere that rebinds its own name to 127.0.0.1
        # sends its own Host, and is turned away
        names = {"localhost", args.host, "127.0.0.1"} if args.host != "::1" else {"localhost", "[::1]"}
        app.config["ALLOWED_HOSTS"] = {f"{name}:{port}" for name in names}
    shown = f"[{args.host}]" if ":" in args.host else args.host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(f"review: {address}  ({len(review.letters)} letters; corrections go to "
          f"{args.out / 'corrections.jsonl'}; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"
