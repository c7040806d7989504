"""Reading one entry of a reference TOML file (inspection.toml, complaints.toml): a Chinese
:class:`~tekun_helpers.core.exceptions.PolicyError` naming the file, the entry and what is wrong."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.exceptions import PolicyError


def fail(label: str, path: Path, where: str, what: str, value: Any = ...) -> None:
    """Stop the load: '<label> <path>：<where> <what>，实际为 <value>'."""
    got = "" if value is ... else f"，实际为 {value!r}"
    raise PolicyError(f"{label} {path}：{where} {what}{got}")


def text(label: str, path: Path, where: str, raw: dict, key: str, *, required: bool = True) -> str:
    """The entry's text ``key`` (stripped); an error when it is not text, or empty and ``required``."""
    v = raw.get(key, "")
    if not isinstance(v, str):
        fail(label, path, where, f"{key} 应为文字（加引号）", v)
    if required and not v.strip():
        fail(label, path, where, f"缺少 {key}")
    return v.strip()
