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


@pytest.fixture(scope="session")
def rendered_2023_08(tmp_path_factory):
    """Every report of 2023-08 (banner and 18 townships), HTML and PDF, default (masked) mode.

    Returns the output folder; rendered once per session and shared by many tests.
    """
    from tekun_helpers.batch import run_batch

    out = tmp_path_factory.mktemp("outputs")
    res = run_batch(["2023-08"], "all", None, ("html", "pdf"), True, None, out, progress=False)
    assert res.ok, ([(r.job.township, r.error) for r in res.failed], res.month_errors)
    return out
