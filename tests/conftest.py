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

#: the test files that read the session's rendered batch (they name one of its fixtures): one group
RENDERED_GROUP = "rendered_batch"
RENDERED_FILES = frozenset(
    f"tests/{p.name}" for p in Path(__file__).parent.glob("test_*.py")
    if re.search(r"\brendered_(batch|2023_08)\b", p.read_text(encoding="utf-8")))


def worker_unit(nodeid: str) -> str:
    """The unit a worker takes whole: the test's file, or all the files that read the rendered batch."""
    path = nodeid.split("::", 1)[0]
    return RENDERED_GROUP if path in RENDERED_FILES else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """The suite runs on every CPU (pytest-xdist, ``-n auto``) without rendering anything twice.

    A worker takes a whole file, so a module-scoped fixture runs once; the files that read the session's
    rendered batch go to one worker together, first (see pytest_collection_modifyitems), so that worker
    starts the longest render at once while the other runs the rest. (xdist's own ``--dist loadgroup``
    does not work with pytest 9, whose test ids it can no longer rename.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return worker_unit(nodeid)

    return ByFile(config, log)


def pytest_collection_modifyitems(config, items):
    """The readers of the rendered batch first (stable: files keep their order otherwise)."""
    items.sort(key=lambda item: worker_unit(item.nodeid) != RENDERED_GROUP)


@pytest.fixture(scope="session")
def seed_month():
    """The bundled month 2023-08, as read by the project's readers."""
    return load_month("2023-08")


@pytest.fixture(scope="session")
def policy():
    return load_policy()


def pdf_text(path: Path) -> str:
    """The text of a PDF (pdftotext, layout kept), pages separated by form feeds."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


BATCH_MONTHS = ("2023-08", "2023-09", "2023-10")


@pytest.fixture(scope="session")
def rendered_batch(tmp_path_factory):
    """A full batch of the bundled months (banner and 18 townships each, HTML, PDF, Excel, index), default
    (masked) mode, run through the command line as an analyst runs it.

    Returns the output folder; its console output is kept in ``batch.log`` there. Rendered once per
    session and shared by many tests.
    """
    import sys

    out = tmp_path_factory.mktemp("outputs")
    cmd = [sys.executable, "-m", "tekun_helpers.cli", "batch", "--months", f"{BATCH_MONTHS[0]}..{BATCH_MONTHS[-1]}",
           "--scope", "all", "--force", "--no-progress", "--out", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    (out / "batch.log").write_text(run.stdout + run.stderr, encoding="utf-8")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def rendered_2023_08(rendered_batch):
    """The output folder of the full batch, for tests about the 2023-08 reports (banner and 18 townships)."""
    return rendered_batch
