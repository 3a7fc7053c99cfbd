"""`circulars review` as a reviewer uses it: the real command serving the seed letters (and a
born-digital PDF of one), driven in Debian's headless Chromium through Playwright; the correction
then survives `circulars ingest --force` and `circulars export-gold` scores 1.0 on it with the
scorer. The app's screenshots are kept in tests/artifacts/.

Also the app's guard rails over real HTTP: what it refuses (and that nothing is written then),
many saves at once, the token, and a log a crash cut short."""
from __future__ import annotations

import io
import json
import os
import select
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from pipeline.cli import main
from tests.conftest import ROOT, SAMPLES, seed

ARTIFACTS = ROOT / "tests" / "artifacts"
SCORER = ROOT / "tests" / "tools" / "score.py"
CORRECTED_DATE = "2017-01-10"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The seed letters, and seed 001 as a born-digital PDF under a stem of its own."""
    folder = tmp_path_factory.mktemp("review-in")
    shutil.copytree(SAMPLES, folder, dirs_exist_ok=True)
    rendered = tmp_path_factory.mktemp("rendered")
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "render.py"), str(seed("001")),
                           "--out", str(rendered), "--stem", "101_pdf", "--engine", "fpdf"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    shutil.copy(rendered / "101_pdf.pdf", folder / "101_pdf.pdf")
    return folder


@pytest.fixture(scope="module")
def dataset(inputs: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review-out")
    assert main(["ingest", str(inputs), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    return out


def _letters(out: Path) -> dict[str, dict]:
    from pipeline.api import open_dataset

    return {r["letter_id"]: r for r in open_dataset(out).arrow("letters").to_pylist()}


def _by_source(out: Path, name: str) -> dict:
    found = [l for l in _letters(out).values() if l["source_path"] == name]
    assert len(found) == 1, found
    return found[0]


class App:
    """`circulars review` in a process of its own, as a user starts it."""

    def __init__(self, out: Path, *flags: str):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "review", str(out), "--who", "tester",
                                      *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env, cwd=ROOT)
        ready, _, _ = select.select([self.proc.stdout], [], [], 90)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("review: http://127.0.0.1:"):
            self.stop()
            pytest.fail(f"the app did not start: {line!r} {self.proc.stderr.read()}")
        self.address = line.split()[1]
        self.url = self.address.split("?")[0]

    def stop(self) -> str:
        self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err

    def request(self, path: str, body: object = None, *, raw: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        heads = {"Content-Type": "application/json"} if data is not None else {}
        req = urllib.request.Request(self.url + path.lstrip("/"), data=data, headers={**heads, **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                payload = response.read()
                kind = response.headers.get("Content-Type", "")
                return response.status, (json.loads(payload) if "json" in kind else {"bytes": payload})
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


@pytest.fixture(scope="module")
def app(dataset: Path) -> Iterator[App]:
    running = App(dataset)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make install puts it there)")
        pytest.skip("chromium is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _log_lines(out: Path) -> list[dict]:
    path = out / "corrections.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_correct_a_date_in_the_browser_then_ingest_and_score(app: App, dataset: Path, inputs: Path, browser,
                                                            tmp_path: Path):
    letter = _by_source(dataset, seed("002").name)
    assert letter["date"] is None  # the stamped letter prints no date: the reviewer supplies it
    before = tmp_path / "before"
    shutil.copytree(dataset, before)

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(app.url)  # the queue: the most doubtful letter first
    page.wait_for_selector("body[data-ready=yes]")
    assert page.locator(".queue li").count() == len(_letters(dataset))
    page.goto(f"{app.url}letters/{letter['letter_id']}")
    page.wait_for_selector("body[data-ready=yes]")
    assert page.input_value("#f-date") == ""
    assert "no date" in page.inner_text("ul.doubts")
    assert page.locator("mark[data-labels~=ref]").count() >= 1  # every value marked where it was read

    page.keyboard.press("3")  # to the third field, the date, by keyboard
    assert page.evaluate("document.activeElement.id") == "f-date"
    assert page.locator("mark.focus").count() == 0  # no date was read: nothing to light up
    page.keyboard.type("2017-02-30")  # a date that cannot exist is refused, and said why
    page.keyboard.press("Enter")
    page.wait_for_selector("#message.error")
    assert "not a date that exists" in page.inner_text("#message")
    assert _log_lines(dataset) == []
    page.fill("#f-date", CORRECTED_DATE)
    page.keyboard.press("Enter")
    page.wait_for_selector("#message.ok")
    assert page.inner_text("#message") == "saved 1 field"

    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    assert page.input_value("#f-date") == CORRECTED_DATE
    assert "corrected by tester" in page.inner_text(".field[data-field=date]")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "review.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 30_000
    page.close()

    [line] = _log_lines(dataset)
    assert (line["letter_id"], line["field"], line["value_before"], line["value_after"], line["who"]) == \
        (letter["letter_id"], "date", None, CORRECTED_DATE, "tester")
    assert line["source_sha256"] == letter["source_sha256"] and line["saved_at"]

    # the correction is the dataset's from the next ingest on, even one that reads everything again
    assert main(["ingest", str(inputs), "--out", str(dataset), "--quiet", "--force", "--jobs", "1"]) == 0
    now = _by_source(dataset, seed("002").name)
    assert now["date"].isoformat() == CORRECTED_DATE and now["corrected_fields"] == ["date"]

    gold = tmp_path / "gold"
    assert main(["export-gold", str(dataset), str(gold)]) == 0
    assert sorted(p.name for p in gold.iterdir()) == [f"{seed('002').stem}.json"]
    [exported] = json.loads((gold / f"{seed('002').stem}.json").read_text(encoding="utf-8"))["letters"]
    assert exported["date"] == CORRECTED_DATE and exported["reviewed_fields"] == ["date"]

    def date_f1(out: Path) -> float:
        done = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--out", str(out), "--json"],
                              capture_output=True, text=True, timeout=120, check=True)
        return json.loads(done.stdout)["date"]["f1"]

    assert date_f1(dataset) == 1.0
    assert date_f1(before) == 0.0  # the extractor alone misses it: the gold holds the reviewer's date


def test_a_pdf_page_shows_where_each_value_is_printed(app: App, dataset: Path, browser):
    letter = _by_source(dataset, "101_pdf.pdf")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app.url}letters/{letter['letter_id']}")
    page.wait_for_selector("body[data-ready=yes]")
    # a PDF's page is rendered (pypdfium2) and shown beside its fields
    page.wait_for_function("document.querySelector('figure.page img').naturalWidth > 500")
    # where each value is printed, from the PDF's text layer: the reference near the top of page 1
    ref_box = page.locator("figure.page .box[data-labels=ref]")
    assert ref_box.count() == 1
    sheet = page.locator("figure.page img").first.bounding_box()
    box = ref_box.bounding_box()
    assert sheet["y"] < box["y"] < sheet["y"] + sheet["height"] / 3 and 5 < box["height"] < 60
    page.keyboard.press("7")  # to the subject: where it was read lights up, in the text and on the page
    assert page.evaluate("document.activeElement.id") == "f-subject"
    assert page.locator("mark.focus").count() >= 1 and page.locator(".box.focus").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-pdf.png"))
    page.close()


def test_keyboard_accept_marks_the_rest_right_and_moves_on(app: App, dataset: Path, browser):
    letter = _by_source(dataset, seed("003").name)
    count = len(_log_lines(dataset))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app.url}letters/{letter['letter_id']}")
    page.wait_for_selector("body[data-ready=yes]")
    page.keyboard.press("e")  # into the fields, and out again: keys are the app's, not the field's
    assert page.evaluate("document.activeElement.id") == "f-form"
    page.keyboard.press("Escape")
    page.keyboard.press("2")  # the reference is right: mark it so, and save
    page.keyboard.press("Alt+r")
    page.keyboard.press("Enter")
    page.wait_for_selector("#message.ok")
    [right] = _log_lines(dataset)[count:]
    assert (right["field"], right["action"], right["value_after"]) == ("ref", "confirm", letter["ref"])
    page.keyboard.press("Escape")  # the field keeps the focus after a save
    page.keyboard.press("7")  # the subject is wrong beyond repair: clear it, then accept the letter
    page.keyboard.press("Alt+c")
    assert page.input_value("#f-subject") == ""
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert letter["letter_id"] not in page.url
    page.close()
    lines = _log_lines(dataset)[count + 1:]
    assert sorted(l["field"] for l in lines) == sorted(["form", "ref", "date", "urgency", "secrecy", "issuer",
                                                        "subject", "signatory_name", "signatory_position"])
    cleared = [l for l in lines if l["action"] != "confirm"]
    assert [(l["field"], l["action"], l["value_before"], l["value_after"]) for l in cleared] == \
        [("subject", "clear", letter["subject"], None)]
    assert all(l["value_after"] == l["value_before"] for l in lines if l["action"] == "confirm")
    status, queue = app.request("api/queue")
    assert status == 200 and queue[-1]["reviewed"] and not queue[0]["reviewed"]  # reviewed ones go last


def test_bad_input_is_refused_and_nothing_written(app: App, dataset: Path):
    letter = _by_source(dataset, seed("003").name)
    save = f"api/letters/{letter['letter_id']}/corrections"
    size = (dataset / "corrections.jsonl").stat().st_size if (dataset / "corrections.jsonl").exists() else 0
    cases = [
        (save, {"changes": [{"field": "colour", "action": "correct", "value": "red"}]}, 400, "unknown field"),
        (save, {"changes": [{"field": "date", "action": "correct", "value": "2024-02-30"}]}, 400, "not a date that exists"),
        (save, {"changes": [{"field": "date", "action": "correct", "value": "2567-01-18"}]}, 400, "Buddhist-era"),
        (save, {"changes": [{"field": "form", "action": "correct", "value": "memo"}]}, 400, "must be one of"),
        (save, {"changes": [{"field": "date", "action": "shred"}]}, 400, "action must be one of"),
        # one bad change spoils the save: the good one beside it is not written either
        (save, {"changes": [{"field": "subject", "action": "correct", "value": "ok"},
                            {"field": "date", "action": "correct", "value": "18/01/2024"}]}, 400, "YYYY-MM-DD"),
        (save, {"changes": []}, 400, "non-empty list"),
        (save, {"changes": [{"field": "subject", "value": "x"}], "admin": True}, 400, "unknown key"),
        ("api/letters/0000000000000000dead/corrections",
         {"changes": [{"field": "date", "action": "correct", "value": "2024-01-18"}]}, 404, "no letter"),
    ]
    for path, body, status, says in cases:
        got, answer = app.request(path, body)
        assert (got, says in answer.get("error", "")) == (status, True), (body, answer)
    assert app.request(save, raw=b"{not json")[0] == 400
    assert app.request(save, raw=b"[]")[0] == 400
    assert app.request(save, raw=b'{"changes": []}', headers={"Content-Type": "text/plain"})[0] == 415
    assert app.request("api/queue", headers={"Host": "rebound.example:80"})[0] == 403
    assert app.request("api/letters/nope")[0] == 404
    after = (dataset / "corrections.jsonl").stat().st_size if (dataset / "corrections.jsonl").exists() else 0
    assert after == size


def test_many_tabs_saving_at_once_lose_nothing(app: App, dataset: Path):
    letters = [l for l in _letters(dataset).values() if l["source_path"] != "101_pdf.pdf"]
    count = len(_log_lines(dataset))
    barrier = threading.Barrier(8)
    failures: list[object] = []

    def tab(worker: int) -> None:
        barrier.wait()
        for i in range(25):
            letter = letters[(worker + i) % len(letters)]
            status, answer = app.request(f"api/letters/{letter['letter_id']}/corrections",
                                         {"changes": [{"field": "subject", "action": "correct",
                                                       "value": f"เรื่อง {worker}-{i}"},
                                                      {"field": "issuer", "action": "confirm"}]})
            if status != 200 or answer["saved"] != 2:
                failures.append(answer)

    threads = [threading.Thread(target=tab, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    lines = _log_lines(dataset)[count:]  # every line parses (no two writes interleaved)
    assert len(lines) == 8 * 25 * 2
    assert sorted(l["value_after"] for l in lines if l["field"] == "subject") == \
        sorted(f"เรื่อง {w}-{i}" for w in range(8) for i in range(25))
    # each letter's subject records a chain: each save's "before" is the value the save before left
    for letter in letters:
        chain = [l for l in lines if l["letter_id"] == letter["letter_id"] and l["field"] == "subject"]
        assert all(a["value_after"] == b["value_before"] for a, b in zip(chain, chain[1:]))


def test_token_beyond_loopback(dataset: Path, capsys):
    assert main(["review", str(dataset), "--host", "0.0.0.0"]) == 2
    assert "without a token" in capsys.readouterr().err
    secret = "s3cret-token-for-the-test"
    guarded = App(dataset, "--token", secret)
    try:
        assert guarded.address.endswith(f"?token={secret}")
        assert guarded.request("api/queue")[0] == 401
        assert guarded.request("api/queue", headers={"X-Review-Token": "wrong-token-wrong-token"})[0] == 401
        assert guarded.request("api/queue", headers={"X-Review-Token": secret})[0] == 200
        assert guarded.request("api/queue", headers={"Authorization": f"Bearer {secret}"})[0] == 200
        with urllib.request.urlopen(guarded.url + f"api/queue?token={secret}", timeout=60) as response:
            cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert guarded.request("api/queue", headers={"Cookie": cookie.split(";")[0]})[0] == 200
    finally:
        guarded.stop()


def test_a_log_cut_short_is_read_up_to_the_cut(dataset: Path, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(dataset, out)
    letter = _by_source(out, seed("003").name)
    good = {"letter_id": letter["letter_id"], "field": "subject", "value_before": letter["subject"],
            "value_after": "เรื่องที่แก้แล้ว", "action": "correct", "who": "t", "saved_at": "2024-01-01T00:00:00+07:00"}
    (out / "corrections.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n" + '{"letter_id": "ab',
                                           encoding="utf-8")
    cut = App(out)
    try:
        status, answer = cut.request(f"api/letters/{letter['letter_id']}")
        assert status == 200
        assert {f["name"]: f["value"] for f in answer["fields"]}["subject"] == "เรื่องที่แก้แล้ว"
        status, _ = cut.request(f"api/letters/{letter['letter_id']}/corrections",
                                {"changes": [{"field": "date", "action": "clear"}]})
        assert status == 200
    finally:
        err = cut.stop()
    assert "line 2 is cut short" in err
    lines = (out / "corrections.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[1] == '{"letter_id": "ab' and json.loads(lines[2])["field"] == "date"


def test_queue_filters(app: App, dataset: Path):
    letters = _letters(dataset).values()
    for query, expected in [("form=stamped", {l["letter_id"] for l in letters if l["form"] == "stamped"}),
                            ("agency=สค", {l["letter_id"] for l in letters if l["agency_code"] == "สค"}),
                            ("source=004_", {l["letter_id"] for l in letters if l["source_path"].startswith("004_")})]:
        status, queue = app.request(f"api/queue?{urllib.parse.quote(query, safe='=')}")
        assert status == 200 and {e["letter_id"] for e in queue} == expected and expected, query
    status, queue = app.request("api/queue")
    reviewed = [e["reviewed"] for e in queue]
    assert reviewed == sorted(reviewed)  # reviewed letters go last
    waiting = [e["score"] for e in queue if not e["reviewed"]]
    assert waiting == sorted(waiting, reverse=True)  # the most doubtful first
    assert all(e["score"] >= len(e["doubts"]) for e in queue)
    stamped = next(e for e in queue if e["letter_id"] == _by_source(dataset, seed("002").name)["letter_id"])
    assert "warning: unknown agency letters 'นท' in reference" in stamped["doubts"]


def test_pages_of_a_scan_and_of_a_changed_source(dataset: Path, inputs: Path, tmp_path: Path):
    from PIL import Image

    from pipeline.review.pages import PageError, render_page

    scan = tmp_path / "scan.tiff"
    pages = [Image.new("L", (2480, 3508), shade) for shade in (255, 128)]  # A4 at 300 dpi, two pages
    pages[0].save(scan, save_all=True, append_images=pages[1:])
    with Image.open(io.BytesIO(render_page(scan, 2))) as shown:
        assert shown.size[0] == 1100 and shown.convert("L").getpixel((10, 10)) == 128
    with pytest.raises(PageError, match="no page 3"):
        render_page(scan, 3)

    changed = tmp_path / "elsewhere"
    changed.mkdir()
    (changed / "101_pdf.pdf").write_bytes((inputs / "101_pdf.pdf").read_bytes() + b"\n% changed\n")
    letter = _by_source(dataset, "101_pdf.pdf")
    elsewhere = App(dataset, "--sources", str(changed))
    try:
        status, answer = elsewhere.request(f"pages/{letter['letter_id']}/1.png")
        assert status == 409 and "changed since it was read" in answer["error"]
        assert elsewhere.request(f"pages/{letter['letter_id']}/9.png")[0] == 404
    finally:
        elsewhere.stop()
