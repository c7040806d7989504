"""Shared fixtures. Expensive outputs (rendered reports) are made once per test session."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tekun_helpers import load_month, load_policy

ROOT = Path(__file__).resolve().parent.parent


def has_browser() -> bool:
    """Whether a Chromium to print with is found (render.find_browser)."""
    from tekun_helpers.core.exceptions import RenderError
    from tekun_helpers.publish.render import find_browser

    try:
        find_browser()
    except RenderError:
        return False
    return True

#: the test files that read the session's rendered batch (they name one of its fixtures)
RENDERED_FILES = frozenset(
    f"tests/{p.name}" for p in Path(__file__).parent.glob("test_*.py")
    if re.search(r"\brendered_(batch|2023_08)\b", p.read_text(encoding="utf-8")))


def pytest_configure(config):
    """The on-disk store of month facts (tekun_helpers.core.store) in a folder of this run, shared by the
    xdist workers (they inherit the environment) and removed at the end: tests never read what another run,
    or the analyst's outputs/.cache, kept."""
    import os
    import tempfile

    if "TEKUN_CACHE_DIR" not in os.environ:
        os.environ["TEKUN_CACHE_DIR"] = config._tekun_cache = tempfile.mkdtemp(prefix="tekun-cache-")


def pytest_unconfigure(config):
    folder = getattr(config, "_tekun_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


#: the files that take longest apart from the rendered batch's readers, longest first (summed --durations of a
#: whole run with -n 2 on the loaded 2-core machine, 2026-12-07: 360 s down to 75 s; the period report's
#: render and the complaints' notices, added the same day, put first by their setup times); the rest are shorter
HEAVY_FILES = tuple(f"tests/{name}.py" for name in (
    "test_period_render", "test_complaints", "test_any_county", "test_county_words", "test_schedule_forms",
    "test_batch", "test_charts", "test_missing_values", "test_batch_interrupt", "test_cli_args", "test_sample_months", "test_bundled_year",
    "test_forms_sample", "test_lab", "test_policy_adjustments", "test_draft", "test_hostile_inputs",
    "test_draft_totals", "test_excel", "test_bundled_year_pages", "test_store"))


def file_rank(path: str) -> tuple[int, int]:
    """Where a test file goes in the run: the readers of the rendered batch first, so that the batch, the
    longest thing the suite makes, starts at once; then the other long files, longest first; then the rest in
    their own order. pytest-xdist (--dist loadfile) hands out whole files in this order, so the short files
    fill the end of the run instead of a long one starting last on one worker while the other has finished."""
    if path in RENDERED_FILES:
        return (0, 0)
    if path in HEAVY_FILES:
        return (1, HEAVY_FILES.index(path))
    return (2, 0)


def pytest_collection_modifyitems(config, items):
    """The files in :func:`file_rank`'s order (stable: tests keep their order within a file)."""
    items.sort(key=lambda item: file_rank(item.nodeid.split("::", 1)[0]))


@pytest.fixture(scope="session")
def seed_month():
    """The bundled month 2023-08, as read by the project's readers."""
    return load_month("2023-08")


@pytest.fixture(scope="session")
def policy():
    return load_policy()


@pytest.fixture(scope="module")
def browser():
    """The Chromium the reports are printed with, driven by Playwright, for one test module."""
    from playwright.sync_api import sync_playwright

    from tekun_helpers.publish.render import BROWSER_ARGS, find_browser

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(find_browser()), args=BROWSER_ARGS, headless=True)
        yield b
        b.close()


def pdf_text(path: Path) -> str:
    """The text of a PDF (pdftotext, layout kept), pages separated by form feeds."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


BATCH_MONTHS = ("2023-08", "2023-09", "2023-10")


@pytest.fixture(scope="session")
def rendered_batch(tmp_path_factory, worker_id):
    """A full batch of the bundled months (banner and 18 townships each, HTML, PDF, Excel, index), default
    (masked) mode, run through the command line as an analyst runs it.

    Returns the output folder; its console output is kept in ``batch.log`` there. Rendered once per
    session and shared by many tests.
    """
    import fcntl
    import sys

    # the suite runs on every CPU (pytest-xdist, each worker takes whole files): the first worker that
    # needs the batch renders it under a lock in the run's shared temporary folder, the others wait for it
    # and read the same folder (pytest-xdist's documented way to run a session fixture once)
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    out, done, failed = shared / "rendered_batch", shared / "rendered_batch.ok", shared / "rendered_batch.failed"
    with open(shared / "rendered_batch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"))
        if not done.exists():
            cmd = [sys.executable, "-m", "tekun_helpers.cli", "batch", "--months",
                   f"{BATCH_MONTHS[0]}..{BATCH_MONTHS[-1]}", "--scope", "all", "--force", "--no-progress",
                   "--out", str(out)]
            out.mkdir(parents=True, exist_ok=True)
            run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            (out / "batch.log").write_text(run.stdout + run.stderr, encoding="utf-8")
            if run.returncode != 0:
                failed.write_text(run.stdout[-3000:] + run.stderr[-3000:], encoding="utf-8")
                pytest.fail(failed.read_text(encoding="utf-8"))
            done.touch()
    return out


@pytest.fixture(scope="session")
def rendered_2023_08(rendered_batch):
    """The output folder of the full batch, for tests about the 2023-08 reports (banner and 18 townships)."""
    return rendered_batch
