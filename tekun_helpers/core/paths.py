"""Where the workbook keeps its files. Every path can be overridden by the caller."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data folder: ``override``, else $TEKUN_DATA_DIR, else <project>/data."""
    if override is not None:
        return Path(override)
    env = os.environ.get("TEKUN_DATA_DIR")
    return Path(env) if env else PROJECT_DIR / "data"


def reference_dir(data: str | os.PathLike | None = None) -> Path:
    """data/reference, falling back to the project's own when a data folder has none."""
    own = data_dir(data) / "reference"
    return own if own.is_dir() else PROJECT_DIR / "data" / "reference"


def output_dir(override: str | os.PathLike | None = None) -> Path:
    if override is not None:
        return Path(override)
    env = os.environ.get("TEKUN_OUTPUT_DIR")
    return Path(env) if env else PROJECT_DIR / "outputs"
