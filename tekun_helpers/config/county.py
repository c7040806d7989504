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
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from ..core.exceptions import PolicyError
from ..core.paths import reference_dir

#: the template fields :meth:`County.fill` knows, in the order county.toml lists them
WORDS = ("name", "level", "whole", "towns", "bureau", "bureau_short", "own_level")


class _Words(dict):
    def __missing__(self, key):
        raise KeyError(f"unknown county word {{{key}}}; known: {', '.join(WORDS)}")


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

    def words(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if k in WORDS}

    def fill(self, template: str) -> str:
        """``template`` with its named fields replaced by this county's words ('占{whole}比例' -> '占全旗比例')."""
        return template.format_map(_Words(self.words()))


def load_county(path: str | os.PathLike | None = None, data_dir=None) -> County:
    """Read county.toml (default: data/reference/county.toml) into a :class:`County`.

    Raises :class:`PolicyError` with a Chinese message naming the file and the word that is wrong.
    """
    p = Path(path) if path else reference_dir(data_dir) / "county.toml"
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"找不到本县用语文件 {p}（参考数据中的 county.toml）") from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(f"本县用语文件 {p} 不是 UTF-8 编码的文本") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"本县用语文件 {p} 格式有误：{exc}") from exc
    sec = raw.get("county")
    if not isinstance(sec, dict):
        raise PolicyError(f"本县用语文件 {p}：缺少 [county] 段")
    values = {}
    for key in WORDS:
        value = sec.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PolicyError(f"本县用语文件 {p}：[county] 段的 {key} 应为非空文字，现为 {value!r}")
        values[key] = value.strip()
    return County(**values)
