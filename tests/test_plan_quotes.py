"""Every sentence the reference data quotes from the plan is the plan's own text, word for word.

policy.toml's ``source`` and ``rule`` strings and inspection.toml's clauses are shown to leaders as the plan's
words; they are checked against the plan's text kept in tests/fixtures (the source document the project was
built from). A string that frames its quotes (方案要求…“…”) is checked quote by quote, and each sentence on its own
(a stage's heading quoted with its first item, without the item's number "1.", is two sentences of the plan)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLAN = (ROOT / "tests" / "fixtures" / "plan_敖政办发2023_59.txt").read_text(encoding="utf-8")
FLAT = re.sub(r"\s+", "", PLAN)


def _quotes(node, path=""):
    """(where, text) of every source/rule/clause string in a parsed TOML tree, adjustments left out."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "adjustments":
                continue
            if k in ("source", "rule", "clause") and isinstance(v, str):
                yield f"{path}.{k}", v
            else:
                yield from _quotes(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _quotes(v, f"{path}[{i}]")


def _fragments(text: str) -> list[str]:
    inner = re.findall(r"“([^”]+)”", text)
    return inner if inner else [text]


QUOTES = [(f"{name}{where}", t) for name in ("policy.toml", "inspection.toml")
          for where, t in _quotes(tomllib.loads((ROOT / "data" / "reference" / name).read_text(encoding="utf-8")))]


def test_there_are_quotes_to_check():
    assert len(QUOTES) >= 20


@pytest.mark.parametrize("where, text", QUOTES, ids=[w for w, _ in QUOTES])
def test_quote_is_the_plans_own_words(where, text):
    for frag in _fragments(text):
        for sentence in filter(None, re.sub(r"\s+", "", frag).split("。")):
            assert sentence.rstrip("；，") in FLAT, f"{where}: {sentence}"
