"""`circulars report` on the seed letters: the file is self-contained, holds every part, and a real
headless Chromium renders it (letters, timeline, graph); its screenshot is kept in tests/artifacts/."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def report(seeds_dataset: Path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(seeds_dataset), "--html", str(path)]) == 0
    return path


def _letter_ids(dataset: Path) -> list[str]:
    from pipeline.api import open_dataset

    return open_dataset(dataset).letters["letter_id"].tolist()


def test_report_is_one_self_contained_file(report: Path):
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # nothing is fetched: no external script, stylesheet, image or font
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<link" not in page and "@import" not in page and not re.search(r"url\((?!#)", page)
    images = re.findall(r'<img [^>]*src="([^"]{0,30})', page)
    assert len(images) >= 5 and all(src.startswith("data:image/") for src in images)


def test_report_holds_every_part(report: Path, seeds_dataset: Path):
    page = report.read_text(encoding="utf-8")
    for section in ("counts", "deadlines", "graph", "problems", "letters"):
        assert f'<section id="{section}"' in page
    for chart in ("by agency", "by form", "by month"):
        assert f'data-chart="{chart}"' in page
    assert 'data-timeline="10"' in page  # one mark per deadline row
    assert re.search(r'data-graph="\d+ nodes, \d+ edges"', page)
    assert "unknown agency letters" in page  # the seed's one warning is listed
    assert "Every source was read." in page  # and there is no error
    for letter_id in _letter_ids(seeds_dataset):
        assert f'data-letter-id="{letter_id}"' in page
    # displaCy marked the values in the text; a field beside it
    assert "๑๘ มกราคม ๒๕๖๗" in page and ">date<" in page.replace("\n", "").replace(" ", "")


def test_report_graph_falls_back_to_citations(seeds_dataset: Path, tmp_path: Path):
    """Before the graph stage has run, the picture is drawn from `citations`, and says so."""
    from pipeline.api import open_dataset
    from pipeline.commands.report import build_report, graph_frames

    out = tmp_path / "out"
    shutil.copytree(seeds_dataset, out)
    for name in ("nodes", "edges"):
        shutil.rmtree(out / name)
    ds = open_dataset(out)
    nodes, edges, origin = graph_frames(ds)
    assert origin == "citations" and len(edges) == len(ds.citations)
    assert {n["kind"] for n in nodes} <= {"letter", "external_letter"}
    assert "the graph tables are empty" in build_report(ds)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make install puts it there)")
        pytest.skip("chromium is not installed")
    return found


def _run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180)


def test_report_renders_in_headless_chromium(report: Path, seeds_dataset: Path, tmp_path: Path):
    url = report.resolve().as_uri()
    dom = _run_chromium(["--virtual-time-budget=5000", "--dump-dom", url], tmp_path / "profile").stdout
    # the page's own script marked every picture the browser decoded
    total = len(re.findall(r"<img ", dom))
    assert total >= 5
    assert f'data-images-rendered="{total}/{total}"' in dom
    for figure in ("timeline", "graph"):
        block = re.search(rf'<figure class="{figure}"[^>]*>\s*<img [^>]*>', dom)
        assert block and 'data-rendered="yes"' in block.group(0), figure
        width = int(re.search(r'data-natural-width="(\d+)"', block.group(0)).group(1))
        assert width > 200, figure
    # every letter is there, with displaCy's span marks
    for letter_id in _letter_ids(seeds_dataset):
        assert f'data-letter-id="{letter_id}"' in dom
    assert dom.count('class="spans"') == len(_letter_ids(seeds_dataset))

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    _run_chromium(["--window-size=1400,6000", f"--screenshot={shot}", url], tmp_path / "profile")
    assert shot.exists() and shot.stat().st_size > 50_000
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1400, 6000)
        colours = image.convert("RGB").resize((140, 600)).getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # drawn, not a blank page
