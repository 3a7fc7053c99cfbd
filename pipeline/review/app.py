"""The review app's routes (Flask): pages for a person, a small JSON API for the page's script.

Everything a browser sends is checked before anything is written: an
unknown letter is a 404, an unknown field, an impossible date or a malformed
body a 400 (JSON `{"error": …}`), and nothing reaches the log.
Bound to the loopback address the app also checks the `Host` header (a web
page elsewhere cannot reach it through DNS rebinding) and takes only JSON
posts (a cross-site form cannot forge one); listening anywhere else it
requires the token it was started with, on every request.
"""
from __future__ import annotations

import hmac
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from pipeline.colours import label_colour
from pipeline.store.corrections import FORMS, SECRECIES, URGENCIES, CorrectionError
from pipeline.review.pages import PDF_SUFFIXES, PageError, Sources, page_numbers, render_page, value_boxes
from pipeline.review.state import Filters, Review, UnknownLetter

TOKEN_COOKIE = "review_token"
MAX_BODY = 1 << 20  # a save is a few fields: a megabyte is already far too much
CHOICES = {"form": FORMS, "urgency": URGENCIES, "secrecy": SECRECIES}
LONG_FIELDS = {"subject", "signatory_position", "issuer"}  # a textarea rather than a line


def create_app(review: Review, sources: Sources, token: str | None = None) -> Flask:
    """The app for one dataset. With `token`, every request must carry it (header, cookie or
    `?token=` once, which sets the cookie); `app.config["ALLOWED_HOSTS"]`, set once the port is
    known, lists the `Host` values accepted."""
    here = Path(__file__).parent
    app = Flask(__name__, template_folder=str(here / "templates"), static_folder=str(here / "static"))
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, ALLOWED_HOSTS=None)
    app.json.ensure_ascii = False

    @app.before_request
    def guard() -> Response | None:
        hosts = app.config["ALLOWED_HOSTS"]
        if hosts is not None and request.host not in hosts:
            return _error(403, f"this app answers at {' or '.join(sorted(hosts))}, not {request.host}")
        if token is None:
            return None
        given = (request.headers.get("X-Review-Token") or request.cookies.get(TOKEN_COOKIE)
                 or request.args.get("token") or _bearer())
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            return _error(401, "this app needs its token: open the address it printed (with ?token=…)")
        return None

    @app.after_request
    def remember_token(response: Response) -> Response:
        if token is not None and request.args.get("token") == token:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return _error(exc.code or 500, exc.description or exc.name)

    @app.get("/")
    def index() -> Any:
        review.refresh()
        filters = _filters()
        queue = review.queue(filters)
        if queue:
            return redirect(url_for("letter_page", letter_id=queue[0].letter_id, **filters.query()))
        return render_template("review.html", letter=None, queue=[], filters=filters, choices=review.choices(),
                               total=len(review.letters))

    @app.get("/letters/<letter_id>")
    def letter_page(letter_id: str) -> Any:
        review.refresh()
        filters = _filters()
        try:
            letter = review.letter(letter_id)
        except UnknownLetter as exc:
            abort(404, str(exc))
        queue = review.queue(filters)
        ids = [e.letter_id for e in queue]
        at = ids.index(letter_id) if letter_id in ids else -1
        query = filters.query()
        link = (lambda lid: url_for("letter_page", letter_id=lid, **query) if lid else None)
        fields = review.fields(letter_id)
        for f in fields:
            f["choices"] = CHOICES.get(f["name"])
            f["long"] = f["name"] in LONG_FIELDS
            f["colour"] = label_colour(f["name"])
        data = {"letter_id": letter_id, "fields": {f["name"]: f["value"] for f in fields},
                "next": link(ids[at + 1]) if 0 <= at < len(ids) - 1 else None,
                "prev": link(ids[at - 1]) if at > 0 else None,
                "save": url_for("save", letter_id=letter_id)}
        pages = page_numbers(letter)
        text, spans = review.text_and_spans(letter_id)
        return render_template(
            "review.html", letter=letter, title=review.title(letter_id), fields=fields,
            doubts=review.doubts(letter_id), queue=queue, at=at, filters=filters, choices=review.choices(),
            query=("?" + urlencode(query)) if query else "", pages=pages,
            boxes=_boxes(sources, letter, pages, text, spans), colour=label_colour,
            text=marked_text(text, spans),
            data=data, total=len(review.letters))

    @app.get("/api/queue")
    def queue_api() -> Any:
        review.refresh()
        return jsonify([vars(e) for e in review.queue(_filters())])

    @app.get("/api/letters/<letter_id>")
    def letter_api(letter_id: str) -> Any:
        review.refresh()
        try:
            return jsonify({"letter_id": letter_id, "title": review.title(letter_id),
                            "doubts": review.doubts(letter_id), "fields": review.fields(letter_id)})
        except UnknownLetter as exc:
            return _error(404, str(exc))

    @app.post("/api/letters/<letter_id>/corrections")
    def save(letter_id: str) -> Any:
        if not request.is_json:
            return _error(415, "send the changes as JSON (Content-Type: application/json)")
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _error(400, "the body is not a JSON object {changes: [...]}")
        unknown = set(body) - {"changes", "who"}
        if unknown:
            return _error(400, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; send changes and who")
        review.refresh()  # an ingest since: save against the letters as they are now
        try:
            records = review.save(letter_id, body.get("changes"), body.get("who"))
        except UnknownLetter as exc:
            return _error(404, str(exc))
        except CorrectionError as exc:
            return _error(400, str(exc))
        return jsonify({"saved": len(records), "fields": review.fields(letter_id),
                        "doubts": review.doubts(letter_id)})

    @app.get("/pages/<letter_id>/<int:number>.png")
    def page_image(letter_id: str, number: int) -> Any:
        try:
            letter = review.letter(letter_id)
            if number not in page_numbers(letter):
                raise PageError(f"page {number} is not one of this letter's pages")
            png = render_page(sources.find(letter), number)
        except UnknownLetter as exc:
            return _error(404, str(exc))
        except PageError as exc:
            return _error(exc.status, str(exc))
        return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"})

    return app


def _boxes(sources: Sources, letter: dict[str, Any], pages: list[int], text: str,
           spans: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Where the values are on a PDF's pages with a text layer; none for scans (nor when the source
    cannot be found: the page route says why)."""
    if letter.get("text_source") != "pdf_text" or Path(str(letter.get("source_path"))).suffix.lower() not in PDF_SUFFIXES:
        return {}
    try:
        return value_boxes(sources.find(letter), pages, text, spans)
    except PageError:
        return {}


def _filters() -> Filters:
    return Filters(**{k: request.args.get(k, "").strip() for k in ("form", "agency", "source")})


def _bearer() -> str | None:
    value = request.headers.get("Authorization", "")
    return value[7:] if value.startswith("Bearer ") else None


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


def marked_text(text: str, spans: list[dict[str, Any]]) -> Markup:
    """The letter's text with every extracted value in a <mark>, named by its labels.

    The text is cut at every span boundary, so overlapping values (a
    recipient inside the distribution list) still each show; a piece takes
    the colour of the innermost value over it. `data-labels` lets the page
    light up where the field being edited was read.
    """
    good = [s for s in spans if s.get("start") is not None and s.get("end") is not None
            and 0 <= int(s["start"]) < int(s["end"]) <= len(text)]
    cuts = sorted({0, len(text), *(int(s["start"]) for s in good), *(int(s["end"]) for s in good)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        over = sorted((s for s in good if int(s["start"]) <= a and b <= int(s["end"])),
                      key=lambda s: int(s["end"]) - int(s["start"]))
        piece = escape(text[a:b])
        if not over:
            out.append(piece)
            continue
        labels = " ".join(dict.fromkeys(str(s["label"]) for s in over))
        out.append(f'<mark data-labels="{escape(labels)}" title="{escape(labels)}" '
                   f'style="background:{label_colour(str(over[0]["label"]))}">{piece}</mark>')
    return Markup("".join(out))

