"""inspection.toml as typed objects: the items of the bureau's nursing-home inspection (督查评比) and their weights.

Each item quotes the plan's clause it checks (二（二）2–6, 三（二）2 and 4 of the bundled plan) and carries a
weight the bureau may change; ``[inspection.scores]`` says what each answer is worth (符合 1, 基本符合 0.5,
不符合 0; 不适用 leaves the item out of the home's full marks). A key that is missing or of the wrong kind stops
the load with a Chinese :class:`~tekun_helpers.core.exceptions.PolicyError` naming the file and the entry, e.g.
``检查项目文件 …/inspection.toml：[[items]] 第3项（id = "grading"）weight 应为大于 0 的数，实际为 'abc'``.

A reference folder without inspection.toml (a county that started before the file existed) reads the
package's template (the one ``tekun init`` writes, :mod:`tekun_helpers.config.starter`) filled with the
county's words.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from string import Template
from typing import Any

from ..core.paths import reference_dir
from . import entries as entry
from .county import read_toml
from .schema import VOCABULARIES

FILE = "inspection.toml"
#: the answers, in the order of the form's drop-down (schema's vocabulary "inspection")
ANSWERS = tuple(VOCABULARIES["inspection"].labels)
MET, PARTLY, NOT_MET, NOT_APPLICABLE = ANSWERS
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Item:
    """One item of the checklist.

    id:      stable identifier written on the form (项目编号), e.g. 'meals'.
    title:   short Chinese name (检查项目).
    section: where the plan says it ('二（二）2').
    clause:  the plan's words, quoted.
    weight:  its weight in a home's score (> 0).
    """

    id: str
    title: str
    section: str
    clause: str
    weight: float


@dataclass(frozen=True)
class Inspection:
    """The checklist: its title, the plan's words ordering it, what each answer scores, the items in order."""

    path: Path
    title: str
    source: str
    scores: tuple[tuple[str, float], ...]
    items: tuple[Item, ...]

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)

    def score(self, answer: str) -> float | None:
        """What ``answer`` is worth (None: 不适用, not counted)."""
        return dict(self.scores).get(answer)


_fail = partial(entry.fail, "检查项目文件")
_text = partial(entry.text, "检查项目文件")


def _scores(path: Path, raw: Any) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, dict):
        _fail(path, "[inspection.scores]", "应为一个表（符合 = 1.0 等）", raw)
    out = []
    for answer in (MET, PARTLY, NOT_MET):
        v = raw.get(answer)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            _fail(path, "[inspection.scores]", f"{answer} 应为 0 到 1 之间的数", v if answer in raw else ...)
        out.append((answer, float(v)))
    extra = [k for k in raw if k not in (MET, PARTLY, NOT_MET)]
    if extra:
        _fail(path, "[inspection.scores]", f"“{extra[0]}”不是可评分的检查结果，应为{MET}、{PARTLY}、{NOT_MET}之一"
                                           f"（{NOT_APPLICABLE}不计分）")
    return tuple(out)


def _item(path: Path, n: int, raw: Any, seen: set[str]) -> Item:
    if not isinstance(raw, dict):
        _fail(path, f"[[items]] 第{n}项", "应为一个表（[[items]] 段）", raw)
    item_id = raw.get("id")
    where = f"[[items]] 第{n}项" + (f"（id = \"{item_id}\"）" if isinstance(item_id, str) else "")
    if not isinstance(item_id, str) or not _ID.match(item_id):
        _fail(path, where, "id 应为以英文字母开头的英文字母、数字或下划线（如 \"meals\"）", item_id if "id" in raw else ...)
    if item_id in seen:
        _fail(path, where, "id 与前面的项目重复")
    seen.add(item_id)
    weight = raw.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not weight > 0:
        _fail(path, where, "weight 应为大于 0 的数", weight if "weight" in raw else ...)
    return Item(item_id, _text(path, where, raw, "title"), _text(path, where, raw, "section"),
                _text(path, where, raw, "clause"), float(weight))


def parse_inspection(raw: dict, path: Path) -> Inspection:
    """The checklist from the parsed TOML ``raw`` of ``path`` (checked; :class:`PolicyError` naming the entry)."""
    head = raw.get("inspection")
    if not isinstance(head, dict):
        _fail(path, "[inspection]", "缺少该段（title、source 和 [inspection.scores]）")
    title = _text(path, "[inspection]", head, "title")
    source = _text(path, "[inspection]", head, "source", required=False)
    scores = _scores(path, head.get("scores"))
    items = raw.get("items")
    if not isinstance(items, list) or not items:
        _fail(path, "[[items]]", "应至少有一项检查项目（每项一个 [[items]] 段）")
    seen: set[str] = set()
    return Inspection(path, title, source, scores, tuple(_item(path, n, x, seen) for n, x in enumerate(items, 1)))


@lru_cache(maxsize=16)
def _read(path: str, mtime: int) -> Inspection:
    p = Path(path)
    return parse_inspection(read_toml(p, "检查项目文件"), p)


@lru_cache(maxsize=16)
def _from_template(folder: str) -> Inspection:
    from importlib import resources

    from .county import load_county

    county = load_county(data_dir=Path(folder).parent)
    words = {"name": county.name, "level": county.level, "towns": county.towns, "bureau_short": county.bureau_short}
    template = (resources.files(__package__) / "templates" / FILE).read_text(encoding="utf-8")   # as config.starter
    text = Template(template).substitute(words)
    return parse_inspection(tomllib.loads(text), Path(folder) / FILE)


def read_inspection(folder: str | os.PathLike) -> Inspection:
    """The checklist of the reference folder ``folder``: its inspection.toml, else the package's template in the
    county's words."""
    p = Path(folder) / FILE
    if p.is_file():
        return _read(str(p), p.stat().st_mtime_ns)
    return _from_template(str(Path(folder)))


def load_inspection(data_dir: str | os.PathLike | None = None) -> Inspection:
    """The checklist of ``data_dir``'s reference folder (default: the project's data/reference)."""
    return read_inspection(reference_dir(data_dir))


def inspection_for(policy=None) -> Inspection:
    """The checklist beside ``policy``'s policy.toml (the default data folder's without a policy)."""
    path = getattr(policy, "path", None)
    if path is not None:
        return read_inspection(Path(path).parent)
    return load_inspection()
