"""Shared fixtures. Expensive outputs (rendered reports) are made once per test session."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tekun_helpers import load_month, load_policy

ROOT = Path(__file__).resolve().parent.parent


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
