"""分散供养特困人员减少情况表: the people who left a township's dispersed-care list, and why.

Each row's township and (for 转入集中供养) home become the official names of the reference data;
a name that is not known is a warning naming the closest known one, and the row still counts.
"""
from __future__ import annotations

from ..config.reference import Reference
from ..config.schema import VOCABULARIES
from ..core.issues import WARNING, Issue
from ..core.text import clip
from ..io.readers import ParsedTable
from .tables import _issue, resolve_row_township

TRANSFERRED = VOCABULARIES["change"].labels[0]      # 转入集中供养


def check_changes(t: ParsedTable, ref: Reference) -> list[Issue]:
    """Townships and homes of the rows resolved to official names; a transfer without a home is a warning."""
    out: list[Issue] = []
    for r in t.rows:
        v = r.values
        if not v.get("name"):
            continue
        out += resolve_row_township(ref, t, r)
        home = v.get("home")
        if home:
            official, suggestion = ref.match("homes", home)
            if official is None:
                hint = f"是否为“{suggestion}”？" if suggestion else "请使用参考数据中的敬老院名称。"
                out.append(_issue(WARNING, t, r.row, "home", home,
                                  f"“{clip(home)}”不是已知的敬老院，{hint}", "unknown_name"))
            v["home"] = official or home
        elif v.get("change") == TRANSFERRED:
            out.append(_issue(WARNING, t, r.row, "home", "",
                              f"减少原因为“{TRANSFERRED}”，但未填写转入哪所敬老院：请补填“转入敬老院”。", "change_home_missing"))
    return out
