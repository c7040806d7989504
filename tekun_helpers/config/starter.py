"""Starting a county: a reference folder written from templates (``tekun init DIR``).

The templates (package data under ``tekun_helpers/config/templates/``) are the four files every county
needs, with a Chinese comment on every field (and inspection.toml, the nursing-home inspection's items, and
complaints.toml, the complaints register's channels, categories and public notice): county.toml (the county's words and header words),
policy.toml (its plan: the bundled plan's structure with example dates and figures marked as such, and
placeholders where the county's own plan text belongs), townships.csv and nursing_homes.csv (one example
row each), and a README.md explaining the CSV columns. ``${name}``, ``${level}`` and ``${towns}`` in them
are filled with the county's name, level word and township word (:func:`write_reference`).
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from string import Template

from ..core.exceptions import UsageError

#: the files of a reference folder, in the order they are written (README.md explains the CSV columns)
TEMPLATES = ("county.toml", "policy.toml", "townships.csv", "nursing_homes.csv", "inspection.toml", "complaints.toml",
             "README.md")
#: the level words a county's name may end with
LEVELS = ("县", "旗", "区", "市")
DEFAULT_NAME, DEFAULT_TOWNS = "本县", "乡镇（街道）"


def template_text(name: str) -> str:
    """The text of one template file (``TEMPLATES``)."""
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")


def county_words(name: str | None = None, towns: str | None = None) -> dict[str, str]:
    """The words the templates are filled with: the county's name, its level word (the name's last character
    when that is 县, 旗, 区 or 市, else 县) and its word for its townships together."""
    name = (name or DEFAULT_NAME).strip()
    level = name[-1] if name[-1:] in LEVELS else "县"
    bureau_short = f"{level}民政局"
    return {"name": name, "level": level, "towns": (towns or DEFAULT_TOWNS).strip(), "bureau_short": bureau_short}


def write_reference(data_dir: str | os.PathLike, name: str | None = None, towns: str | None = None) -> list[Path]:
    """Write ``<data_dir>/reference/`` from the templates, filled with :func:`county_words`.

    Refuses (:class:`UsageError`, Chinese message) when that folder already exists: a county's reference
    data is never overwritten. Returns the files written; they read without error (checked here).
    """
    folder = Path(data_dir) / "reference"
    if folder.exists():
        raise UsageError(f"参考数据文件夹 {folder} 已存在，不会覆盖其中的文件。"
                         f"请换一个数据文件夹，或先把已有的 reference 文件夹改名或移走。")
    words = county_words(name, towns)
    folder.mkdir(parents=True)
    written = []
    for file in TEMPLATES:
        path = folder / file
        path.write_text(Template(template_text(file)).substitute(words), encoding="utf-8")
        written.append(path)
    from .policy import load_policy
    from .reference import load_reference

    from .inspection import read_inspection

    load_policy(data_dir=folder.parent)
    load_reference(folder.parent)
    read_inspection(folder)
    return written
