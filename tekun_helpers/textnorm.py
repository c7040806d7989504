"""Folding of labels and names as people type them in Excel and WPS.

Townships send their tables with full-width digits and brackets, stray spaces,
line breaks inside header cells, and units in brackets. Everything that
compares a label or a name goes through :func:`fold` first.
"""
from __future__ import annotations

import re
import unicodedata

_UNIT_IN_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")
_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[：:、，,。．.·/／\\-—_]")


def to_text(value: object) -> str:
    """The cell value as text: '' for empty cells, integral floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def fold_width(text: str) -> str:
    """Full-width ASCII forms (１２３、ＡＢＣ、（）) to half-width; ideographic space to space."""
    return unicodedata.normalize("NFKC", text)


def fold(value: object, *, drop_units: bool = True) -> str:
    """Canonical form of a label or name for comparison.

    NFKC (full-width -> half-width), no whitespace or line breaks, no
    bracketed units such as （张） or (人) when ``drop_units``, lower case.
    """
    text = fold_width(to_text(value))
    if drop_units:
        text = _UNIT_IN_BRACKETS.sub("", text)
    text = _SPACE.sub("", text)
    return text.lower()


def fold_label(value: object) -> str:
    """Fold a header label: as :func:`fold`, and without the "其中：" prefix and separators."""
    text = fold(value)
    if text.startswith("其中"):
        text = text[2:]
    return _SEPARATORS.sub("", text)


def similarity(a: str, b: str) -> float:
    """Similarity of two folded names in [0, 1] (difflib ratio)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio()
