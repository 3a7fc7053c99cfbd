"""The run's settings travel as one object: from the environment's defaults, to the readers, to a worker process."""
from __future__ import annotations

import threading

import pypdfium2 as pdfium
import pytest
from PIL import Image

from pipeline.model import ReadError
from pipeline.read.pages import read_source
from pipeline.run.runner import Task, WorkerProcess, file_settings
from pipeline.settings import DEFAULT, Settings
from schemas.errors import ErrorType


def test_from_env_reads_each_field_and_keeps_defaults_for_bad_values():
    env = {"CIRCULARS_TIMEOUT": "5", "CIRCULARS_MEMORY_MB": "100", "CIRCULARS_MAX_PAGES": "7",
           "CIRCULARS_MAX_PIXELS": "1000", "CIRCULARS_OCR_WORKERS": "3"}
    assert Settings.from_env(env) == Settings(timeout=5, memory_mb=100, max_pages=7, max_pixels=1000, ocr_workers=3)
    assert Settings.from_env({"CIRCULARS_MAX_PAGES": "oops", "CIRCULARS_OCR_WORKERS": ""}) == DEFAULT
    assert Settings.from_env({}) == DEFAULT
    assert Settings(ocr_workers=0).ocr_workers == 1
    assert "ocr_workers" not in DEFAULT.limits()  # what a run's manifest records, as before
    with pytest.raises(AttributeError):
        DEFAULT.max_pages = 1  # type: ignore[misc]  # frozen: nobody changes it on the way down


def test_a_file_is_lent_the_cores_of_its_task():
    settings = Settings(max_pages=9)
    assert file_settings(settings, Task("a.tif", "a.tif", threads=4)) == Settings(max_pages=9, ocr_workers=4)
    assert file_settings(settings, Task("a.tif", "a.tif")) == Settings(max_pages=9, ocr_workers=1)


def tiff(path, frames: int, size: int = 40):
    images = [Image.new("L", (size, size), 255) for _ in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:])
    return path


def pdf(path, pages: int):
    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    doc.save(str(path))
    return path


def test_limits_reach_the_readers(tmp_path):
    two = tiff(tmp_path / "two.tif", 2)
    with pytest.raises(ReadError) as exc:
        read_source(two, settings=Settings(max_pages=1))
    assert exc.value.error_type == ErrorType.TOO_MANY_PAGES
    with pytest.raises(ReadError) as exc:
        read_source(two, settings=Settings(max_pixels=100))
    assert exc.value.error_type == ErrorType.IMAGE_TOO_LARGE
    with pytest.raises(ReadError) as exc:
        read_source(pdf(tmp_path / "three.pdf", 3), settings=Settings(max_pages=2))
    assert exc.value.error_type == ErrorType.TOO_MANY_PAGES


def test_ocr_workers_reach_the_page_pool(tmp_path, monkeypatch):
    from pipeline.ocr import engine
    from pipeline.model import Page

    seen: list[str] = []

    def fake_ocr_page(img, number, dpi=None):
        seen.append(threading.current_thread().name)
        return Page(number=number, text="", source="ocr")

    monkeypatch.setattr(engine, "ocr_page", fake_ocr_page)
    three = tiff(tmp_path / "three.tif", 3)
    read_source(three, settings=Settings(ocr_workers=1))
    assert seen == ["MainThread"] * 3
    seen.clear()
    read_source(three, settings=Settings(ocr_workers=2))
    assert len(seen) == 3 and "MainThread" not in seen


@pytest.mark.slow
def test_a_worker_process_reads_under_the_settings_it_is_sent(tmp_path):
    two = tiff(tmp_path / "two.tif", 2)
    worker = WorkerProcess(Settings(max_pages=1), str(tmp_path / "work"))
    try:
        result = worker.call(Task(str(two), "two.tif", size=two.stat().st_size))
    finally:
        worker.kill()
    assert [e.error_type for e in result.errors] == [ErrorType.TOO_MANY_PAGES]
