"""分散供养特困人员减少情况表: the people who left a township's dispersed-care list, and why.

Each row's township and (for 转入集中供养) home become the official names of the reference data;
a name that is not known is a warning naming the closest known one, and the row still counts.
"""
from __future__ import annotations

from ..config.county import County
from ..config.reference import Reference
from ..config.schema import VOCABULARIES
from ..core.issues import Issue
from ..core.text import clip
from ..io.readers import ParsedTable
from .tables import HOME_WORD, _hint, _issue, resolve_row_township

TRANSFERRED = VOCABULARIES["change"].labels[0]      # 转入集中供养


def check_changes(t: ParsedTable, ref: Reference, county: County) -> list[Issue]:
    """Townships and homes of the rows resolved to official names; a transfer without a home is a warning."""
    out: list[Issue] = []
    for r in t.rows:
        v = r.values
        if not v.get("name"):
            continue
        out += resolve_row_township(ref, t, r, county)
        home = v.get("home")
        if home:
            official, suggestion = ref.match("homes", home)
            if official is None:
                out.append(_issue("unknown_name_kept", t, r.row, "home", home, raw=clip(home), what=HOME_WORD,
                                  hint=_hint(suggestion, HOME_WORD), then=""))
            v["home"] = official or home
        elif v.get("change") == TRANSFERRED:
            out.append(_issue("change_home_missing", t, r.row, "home", "", change=TRANSFERRED))
    return out
