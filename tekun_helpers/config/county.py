"""The county's own words (data/reference/county.toml): its name, level, scope and bureau.

Every title, label, sentence, file name, form heading and command-line text that speaks of the county
takes these words from here; nothing of one county is written in code. Texts that need them are written
as templates with named fields (``"占{whole}比例"``) and filled with :meth:`County.fill`.

Fields (the bundled county's values in brackets):

name:         the county's full name (敖汉旗), in titles and file names.
level:        its level word (旗; 县, 区, 市 elsewhere).
whole:        the whole county as a scope (全旗; 全县).
towns:        what it calls its townships together, 附件1's column (乡镇苏木街道; 乡镇（街道）).
bureau:       the civil affairs bureau's full name (敖汉旗民政局).
bureau_short: its short name in sentences (旗民政局: "报旗民政局备案").
own_level:    the county level as a reporting unit (旗本级), for the tables it compiles itself.
headers:      the county's own header words for input fields, beside the built-in ones of
              :mod:`~tekun_helpers.config.schema` (county.toml's ``[headers]``): pairs of a field key
              (every table with that field) or ``table.field`` (one table) and its extra header words.
              :func:`tekun_helpers.config.schema.bind` appends them to the fields' aliases.
target:       the plan's occupancy target as the county's tables head their columns (60%: 60%应住人数,
              达到60%还应入住人数); not a word of county.toml but of policy.toml's [occupancy], set by
              :func:`tekun_helpers.config.policy.load_policy` so that the schema's ``{target}`` labels follow the
              plan; 目标 for a county read without its policy.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.exceptions import PolicyError
from ..core.paths import reference_dir

#: the template fields :meth:`County.fill` knows, in the order county.toml lists them
WORDS = ("name", "level", "whole", "towns", "bureau", "bureau_short", "own_level")


class _Words(dict):
    def __missing__(self, key):
        raise KeyError(f"unknown county word {{{key}}}; known: {', '.join(WORDS)}, target")


@dataclass(frozen=True)
class County:
    """A county's words; see the module docstring."""

    name: str
    level: str
    whole: str
    towns: str
    bureau: str
    bureau_short: str
    own_level: str
    headers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target: str = "目标"

    def words(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in WORDS}

    def fill(self, template: str) -> str:
        """``template`` with its named fields replaced by this county's words ('占{whole}比例' -> '占全旗比例';
        '{target}应住人数' -> '60%应住人数' with the plan's target, see ``target``)."""
        if "{" not in template:
            return template
        return template.format_map(_Words(self.words(), target=self.target))

    def header_words(self, table: str, field: str) -> tuple[str, ...]:
        """The county's extra header words for ``field`` of ``table`` (both keys of the schema)."""
        out: list[str] = []
        for key, words in self.headers:
            if key == field or key == f"{table}.{field}":
                out.extend(words)
        return tuple(out)


#: what a county's words are, for a --help that cannot read county.toml: neutral words, no county's name
NEUTRAL = County(name="本县", level="县", whole="全县", towns="乡镇", bureau="县民政局", bureau_short="县民政局",
                 own_level="县本级")


def default_county() -> County:
    """The county of the project's default data folder (data/reference/county.toml), for a caller that shows a
    label without a policy at hand (a notebook's ``column_guide(m.townships, "townships")``); read again when
    the file changes. Code that has a policy uses ``policy.county``: a ``--data-dir`` may hold another county."""
    p = reference_dir(None) / "county.toml"
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _county_at(str(p), stamp)


@lru_cache(maxsize=4)
def _county_at(path: str, stamp) -> County:
    return load_county(path)


def read_toml(p: Path, what: str, *, missing: str | None = None) -> dict:
    """The TOML file ``p`` as a dict; a :class:`PolicyError` in Chinese naming the file (``what``: what the file
    is, e.g. 政策文件) when it is missing, not UTF-8 or not valid TOML (``missing``: the message for a missing file)."""
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(missing or f"找不到{what} {p}") from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{what} {p} 不是 UTF-8 编码的文本") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{what} {p} 格式有误：{exc}") from exc


def load_county(path: str | os.PathLike | None = None, data_dir=None) -> County:
    """Read county.toml (default: data/reference/county.toml) into a :class:`County`.

    Raises :class:`PolicyError` with a Chinese message naming the file and the word that is wrong.
    """
    p = Path(path) if path else reference_dir(data_dir) / "county.toml"
    raw = read_toml(p, "本县用语文件", missing=f"找不到本县用语文件 {p}（参考数据中的 county.toml）")
    sec = raw.get("county")
    if not isinstance(sec, dict):
        raise PolicyError(f"本县用语文件 {p}：缺少 [county] 段")
    values = {}
    for key in WORDS:
        value = sec.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PolicyError(f"本县用语文件 {p}：[county] 段的 {key} 应为非空文字，现为 {value!r}")
        values[key] = value.strip()
    return County(**values, headers=_headers(raw.get("headers", {}), p))


def _headers(sec, p: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """county.toml's ``[headers]``: ``field = ["写法", …]`` for every table with the field, or
    ``[headers.<table>]`` with ``field = [...]`` for one table; keys are checked against the schema."""
    from .schema import TABLES

    if not isinstance(sec, dict):
        raise PolicyError(f"本县用语文件 {p}：[headers] 应为“列名 = [\"写法\", …]”的列表，现为 {sec!r}")
    known = {f.key for t in TABLES.values() for f in t.fields}
    out = []

    def words(where: str, value) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
            raise PolicyError(f"本县用语文件 {p}：[headers] 的 {where} 应为非空文字的列表，如 [\"乡镇名称\"]，现为 {value!r}")
        return tuple(w.strip() for w in value)

    for key, value in sec.items():
        if isinstance(value, dict):
            if key not in TABLES:
                raise PolicyError(f"本县用语文件 {p}：[headers.{key}] 不是已知的表，可用：{'、'.join(TABLES)}")
            for fkey, v in value.items():
                if fkey not in {f.key for f in TABLES[key].fields}:
                    raise PolicyError(f"本县用语文件 {p}：[headers.{key}] 中的 {fkey} 不是该表的列，"
                                      f"可用：{'、'.join(f.key for f in TABLES[key].fields)}")
                out.append((f"{key}.{fkey}", words(f"{key}.{fkey}", v)))
        elif key not in known:
            raise PolicyError(f"本县用语文件 {p}：[headers] 中的 {key} 不是已知的列，可用：{'、'.join(sorted(known))}")
        else:
            out.append((key, words(key, value)))
    return tuple(out)
