"""complaints.toml as typed objects: the channels and categories of the complaints and media register
(举报与媒体报道登记), and the words of the public notice of results (公布处理结果, plan 四（四）).

The channels (电话, 信访, 网络, 媒体) and the categories (补贴被侵占, 照料不到位, 资金挪用, …) are the register's
drop-downs; each has aliases read as the same. ``[notice]`` gives the notice's title, the prefix of its number
(文号), its days of publication and the health words never published. A key missing or of the wrong kind stops
the load with a Chinese :class:`~tekun_helpers.core.exceptions.PolicyError` naming the file and the entry.

A reference folder without complaints.toml reads the package's template (the same lists, no county's words).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from ..core.paths import reference_dir
from ..core.text import fold
from . import entries as entry
from .county import read_toml

FILE = "complaints.toml"


@dataclass(frozen=True)
class Choice:
    """One entry of a drop-down: its name and the other spellings read as it."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Complaints:
    """The register's lists and the notice's words."""

    path: Path
    title: str
    source: str
    default_days: int
    channels: tuple[Choice, ...]
    categories: tuple[Choice, ...]
    notice_title: str
    doc_prefix: str
    notice_days: int
    health_words: tuple[str, ...]
    person: str = "{township}一名分散供养特困人员"

    @property
    def channel_names(self) -> list[str]:
        return [c.name for c in self.channels]

    @property
    def category_names(self) -> list[str]:
        return [c.name for c in self.categories]

    def channel(self, raw) -> str | None:
        """The channel's name for what a register wrote (None: not one of them, never guessed)."""
        return _match(self.channels, raw)

    def category(self, raw) -> str | None:
        return _match(self.categories, raw)

    def prefix(self, county) -> str:
        """The notice number's prefix: ``[notice] doc_prefix``, else the county name's first character + 民公示."""
        return self.doc_prefix or f"{county.name[:1]}民公示"


def _match(choices: tuple[Choice, ...], raw) -> str | None:
    key = fold(raw, drop_units=False) if raw is not None else ""
    if not key:
        return None
    for c in choices:
        if key in {fold(x, drop_units=False) for x in (c.name, *c.aliases)}:
            return c.name
    return None


_fail = partial(entry.fail, "举报登记设置文件")
_text = partial(entry.text, "举报登记设置文件")


def _days(path: Path, where: str, raw: dict, key: str, default: int) -> int:
    v = raw.get(key, default)
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        _fail(path, where, f"{key} 应为大于 0 的整数（天）", v)
    return v


def _choices(path: Path, raw: dict, key: str) -> tuple[Choice, ...]:
    entries = raw.get(key)
    if not isinstance(entries, list) or not entries:
        _fail(path, f"[[{key}]]", "应至少有一项（每项一个段，含 name）")
    out, seen = [], set()
    for n, e in enumerate(entries, 1):
        where = f"[[{key}]] 第{n}项"
        if not isinstance(e, dict):
            _fail(path, where, "应为一个表", e)
        name = _text(path, where, e, "name")
        if name in seen:
            _fail(path, where, f"“{name}”与前面的项目重复")
        seen.add(name)
        aliases = e.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            _fail(path, where, "aliases 应为文字的列表（如 [\"热线电话\"]）", aliases)
        out.append(Choice(name, tuple(a.strip() for a in aliases if a.strip())))
    return tuple(out)


def parse_complaints(raw: dict, path: Path) -> Complaints:
    """The settings from the parsed TOML ``raw`` of ``path`` (checked; :class:`PolicyError` naming the entry)."""
    head = raw.get("complaints")
    if not isinstance(head, dict):
        _fail(path, "[complaints]", "缺少该段（title、source、default_days）")
    notice = raw.get("notice", {})
    if not isinstance(notice, dict):
        _fail(path, "[notice]", "应为一个表", notice)
    words = notice.get("health_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        _fail(path, "[notice]", "health_words 应为文字的列表", words)
    title = _text(path, "[notice]", notice, "title", required=False) or "关于{month}举报和媒体反映问题处理结果的公示"
    if "{month}" not in title:
        _fail(path, "[notice]", "title 中应有 {month}（填入公示的月份）", title)
    return Complaints(path, _text(path, "[complaints]", head, "title"), _text(path, "[complaints]", head, "source",
                                                                                required=False),
                      _days(path, "[complaints]", head, "default_days", 30), _choices(path, raw, "channels"),
                      _choices(path, raw, "categories"), title,
                      _text(path, "[notice]", notice, "doc_prefix", required=False),
                      _days(path, "[notice]", notice, "days", 7),
                      tuple(sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)),
                      _text(path, "[notice]", notice, "person", required=False) or "{township}一名分散供养特困人员")


@lru_cache(maxsize=16)
def _read(path: str, mtime: int) -> Complaints:
    p = Path(path)
    return parse_complaints(read_toml(p, "举报登记设置文件"), p)


@lru_cache(maxsize=4)
def _template(folder: str) -> Complaints:
    from importlib import resources

    text = (resources.files(__package__) / "templates" / FILE).read_text(encoding="utf-8")
    return parse_complaints(tomllib.loads(text), Path(folder) / FILE)


def read_complaints(folder: str | os.PathLike) -> Complaints:
    """The settings of the reference folder ``folder``: its complaints.toml, else the package's template."""
    p = Path(folder) / FILE
    if p.is_file():
        return _read(str(p), p.stat().st_mtime_ns)
    return _template(str(Path(folder)))


def complaints_for(policy=None) -> Complaints:
    """The settings beside ``policy``'s policy.toml (the default data folder's without a policy)."""
    path = getattr(policy, "path", None)
    if path is not None:
        return read_complaints(Path(path).parent)
    return read_complaints(reference_dir(None))
