"""Personal data kept out of reports: names masked (张*明), ages in bands.

Reports call :func:`mask_people` on every frame about people before showing it,
unless an explicit internal mode was asked for.
"""
from __future__ import annotations

import pandas as pd

from ..core.text import to_text

NAME_COLUMNS = ("name", "guardian_name", "staff_name", "person_name")
AGE_COLUMNS = ("age", "guardian_age")
ID_COLUMNS = ("id_number",)
MAX_SHOWN = 12  # a 500-character "name" is shown as its mask, not 500 stars


def mask_name(name: object) -> str:
    """张三 -> 张*, 张小明 -> 张*明, 欧阳小明 -> 欧**明; '' stays ''.

    Works on characters (code points), so names outside the Basic Multilingual Plane (𠮷) mask correctly.
    """
    text = to_text(name)
    chars = list(text)
    if not chars:
        return ""
    if len(chars) == 1:
        return "*"
    if len(chars) == 2:
        return chars[0] + "*"
    middle = min(len(chars) - 2, MAX_SHOWN)
    return chars[0] + "*" * middle + chars[-1]


def shown_value(key: str | None, value: object) -> str:
    """An issue's value as it may be printed or logged: a person's name masked, anything else as text.

    Issue lists go to the console, to ``validate --json`` and into the reports' data-quality
    section; the row and column they name find the cell, so the full name is never needed there.
    """
    if key in ID_COLUMNS:
        from .idcard import mask

        return mask(value) if to_text(value) else ""
    return mask_name(value) if key in NAME_COLUMNS else to_text(value)


def age_band(age: object, width: int = 10) -> str:
    """70 -> '70-79岁'; 95 -> '90岁及以上'; under 60 -> '60岁以下'; missing -> ''."""
    if age is None or age is pd.NA or (isinstance(age, float) and age != age):
        return ""
    a = int(age)
    if a >= 90:
        return "90岁及以上"
    if a < 60:
        return "60岁以下"
    lo = a // width * width
    return f"{lo}-{lo + width - 1}岁"


def mask_people(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with names masked and ages as bands; other columns unchanged."""
    out = df.copy()
    for c in NAME_COLUMNS:
        if c in out.columns:
            out[c] = out[c].map(mask_name)
    for c in AGE_COLUMNS:
        if c in out.columns:
            out[c] = out[c].map(age_band).astype(object)
    for c in ID_COLUMNS:
        if c in out.columns:
            out[c] = out[c].map(lambda v: shown_value(c, v))
    return out


#: a run of digits that may be an identity number (15 or 18 characters, the last maybe X), never published
_ID_LIKE = __import__("re").compile(r"(?<![0-9])[0-9]{14,17}[0-9Xx](?![0-9])")
PUBLIC_MASK = "××"


def private_words(text: object, names=(), health_words=()) -> list[str]:
    """What of ``text`` must not be published: the given people's ``names`` (two characters or more) it contains,
    identity-number-like digit runs, and ``health_words``; each once, in the order given."""
    s = to_text(text)
    found = [n for n in dict.fromkeys(to_text(n) for n in names) if len(n) >= 2 and n in s]
    found += [m.group(0) for m in _ID_LIKE.finditer(s)]
    return found + [w for w in health_words if w and w in s]


def public_text(text: object, names=(), health_words=()) -> str:
    """``text`` as it may be published (a public notice): people's ``names``, identity-number-like digit runs and
    ``health_words`` each replaced by ××; longer names first, so that 张小明 is not left as ××明."""
    s = _ID_LIKE.sub(PUBLIC_MASK, to_text(text))
    words = {to_text(n) for n in names if len(to_text(n)) >= 2} | {w for w in health_words if w}
    for w in sorted(words, key=len, reverse=True):
        s = s.replace(w, PUBLIC_MASK)
    return s
