"""Benefits that exclude each other: people in extreme hardship who are also on another roster.

The plan's rules are policy.toml's ``[benefits.*]`` sections, read as
:class:`~tekun_helpers.config.policy.Benefit` (label, the plan's rule, and ``stops``: which
side must stop, ``benefit`` or ``tekun``); :func:`find_conflicts` takes them as
``policy.benefits``, a mapping of key -> Benefit.

Matching a person in extreme hardship with a roster row:

- both have a valid identity number: the same number is a match (confirmed, "身份证号一致");
  different numbers are never a match, whatever the names;
- otherwise (a side has no number, or a number that fails :func:`idcard.check`): same township,
  village and name, compared after :func:`textnorm.fold` (no whitespace, full-width and
  traditional characters folded), is a match to be verified (confirmed = False). An empty
  township, village or name never matches.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from ..config.policy import Benefit
from ..core.frames import rows_of
from ..core.text import fold, to_text
from ..io.idcard import check, normalise

TEKUN_LABEL = "特困人员救助供养"

BASIS_ID = "身份证号一致"
BASIS_NAME = "姓名、村相同，未核对身份证号（待核实）"
BASIS_NAME_BAD_ID = "姓名、村相同，身份证号有误未能核对（待核实）"
COLUMNS = ["township", "village", "name", "id_number", "benefit", "rule", "confirmed", "basis",
           "people_source", "roster_source", "to_stop"]
_NEEDED = ["township", "village", "name", "id_number", "source_file", "source_row"]


def _source(row) -> str:
    file, line = to_text(row.get("source_file")), to_text(row.get("source_row"))
    return f"{file}:{line}" if file or line else ""


def _keys(df: pd.DataFrame, what: str) -> pd.DataFrame:
    """The frame with ``_id`` (valid normalised number or ''), ``_has_id`` (anything typed) and ``_name_key``."""
    missing = [c for c in _NEEDED if c not in df.columns]
    if missing:
        raise ValueError(f"{what}缺少列：{'、'.join(missing)}")
    out = df.reset_index(drop=True).copy()
    typed = out["id_number"].map(normalise)
    valid = out["id_number"].map(lambda v: check(v).ok)
    out["_id"] = typed.where(valid, "")
    out["_bad_id"] = (typed != "") & ~valid
    parts = [out[c].map(fold) for c in ("township", "village", "name")]
    complete = (parts[0] != "") & (parts[1] != "") & (parts[2] != "")
    out["_name_key"] = (parts[0] + "\x1f" + parts[1] + "\x1f" + parts[2]).where(complete, "")
    return out


def _check_benefits(benefits: Mapping[str, Benefit], rosters: dict) -> Mapping[str, Benefit]:
    unknown = [k for k in rosters if k not in benefits]
    if unknown:
        raise ValueError(f"政策参数的待遇衔接规则中没有这些待遇：{'、'.join(unknown)}")
    return benefits


def find_conflicts(people: pd.DataFrame, rosters: dict[str, pd.DataFrame], benefits: Mapping[str, Benefit],
                   township_order: list[str] | None = None) -> pd.DataFrame:
    """One row per person in extreme hardship and benefit they must not have together with it.

    ``rosters`` maps a key of ``benefits`` to that benefit's roster; a benefit without a roster
    is not checked. Columns: township, village, name, id_number (normalised, unmasked: mask
    before showing), benefit, rule, confirmed, basis, people_source and roster_source
    ("file:row"; several roster rows joined with '；'), to_stop (the label of what should stop).
    Sorted by ``township_order`` (townships not in it last, by name), village, name, benefit order.
    """
    table = _check_benefits(benefits, rosters)
    persons = _keys(people, "特困人员名单")
    records_of_persons = rows_of(persons)      # plain dicts: iterrows is slow on 2,700 people
    order = {t: i for i, t in enumerate(township_order or [])}
    records = []
    for b_rank, (key, b) in enumerate(table.items()):
        if key not in rosters:
            continue
        roster = _keys(rosters[key], f"{b.label}名单")
        by_id = roster[roster["_id"] != ""].groupby("_id").groups
        by_name = roster[roster["_name_key"] != ""].groupby("_name_key").groups
        for p in records_of_persons:
            hits, basis = [], ""
            if p["_id"] and p["_id"] in by_id:
                hits, basis = list(by_id[p["_id"]]), BASIS_ID
            elif p["_name_key"] and p["_name_key"] in by_name:
                rows = roster.loc[list(by_name[p["_name_key"]])]
                if p["_id"]:
                    rows = rows[rows["_id"] == ""]  # a different valid number is another person
                hits = list(rows.index)
                if hits:
                    bad = p["_bad_id"] or bool(rows["_bad_id"].any())
                    basis = BASIS_NAME_BAD_ID if bad else BASIS_NAME
            if not hits:
                continue
            township = to_text(p["township"])
            records.append({
                "township": township, "village": to_text(p["village"]), "name": to_text(p["name"]),
                "id_number": normalise(p["id_number"]), "benefit": b.label, "rule": b.rule,
                "confirmed": basis == BASIS_ID, "basis": basis, "people_source": _source(p),
                "roster_source": "；".join(_source(roster.loc[i]) for i in hits),
                "to_stop": TEKUN_LABEL if b.stops == "tekun" else b.label,
                "_t": (order.get(township, len(order)), township), "_b": b_rank,
            })
    if not records:
        return pd.DataFrame(columns=COLUMNS).astype({"confirmed": bool})
    records.sort(key=lambda r: (r["_t"], r["village"], r["name"], r["_b"]))
    return pd.DataFrame.from_records(records, columns=COLUMNS)
