"""Transfer plan: this month's transfer candidates matched to free beds.

Candidates are the people the rule ``transfer`` applies to (:func:`~tekun_helpers.analysis.rules.decide`),
in its order (the policy's ``priority_order``: mental illness first, then 失能, 半失能, 自理). Each goes
to the first home serving their township (reference ``townships.csv`` served_by) with a free bed
(beds − residents in 附件2). Whoever finds no bed there goes, after every township's own homes have
been filled, to the home with free beds nearest in the reference data: the home next to the township's
own first home in ``nursing_homes.csv`` order (an assumption until the bureau gives distances); when no
home has a bed, the person is listed as unplaced.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.frames import rows_of
from .rules import decide

OWN, NEAREST, UNPLACED = "承接敬老院", "就近调剂", "无空床位"
PEOPLE_COLUMNS = ["township", "village", "name", "sex", "self_care", "priority", "reasons", "home", "how"]
TOWNSHIP_COLUMNS = ["township", "candidates", "free_beds", "placed_own", "shortfall", "placed_nearest", "unplaced"]


@dataclass(frozen=True)
class Hosting:
    """The townships with no home of their own and the homes that take their people (reference data).

    townships: those whose ``served_by`` homes all stand in other townships (townships.csv, nursing_homes.csv).
    homes:     the homes serving them, each by its shortest name in the reference data (its aliases).
    noted:     whether the reference data notes the arrangement (townships.csv's note: not yet confirmed).
    """

    townships: tuple[str, ...]
    homes: tuple[str, ...]
    noted: bool


def hosting(reference) -> Hosting:
    """Who takes the people of the townships that have no home of their own (:class:`Hosting`)."""
    town_of = {h.name: h.township for h in reference.homes}
    without = [t for t in reference.townships if t.served_by and all(town_of.get(h) != t.name for h in t.served_by)]
    hosts = dict.fromkeys(h for t in without for h in t.served_by)
    return Hosting(tuple(t.name for t in without),
                   tuple(min((h, *reference.home(h).aliases), key=len) for h in hosts),
                   any(t.note for t in without))


def plan(data, decisions: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(people, townships): one row per candidate (PEOPLE_COLUMNS, unmasked) and per township with any
    (TOWNSHIP_COLUMNS: free beds of its own homes, shortfall = candidates − placed in its own homes)."""
    people = data.assessments
    if not len(people) or not len(data.homes):
        return pd.DataFrame(columns=PEOPLE_COLUMNS), pd.DataFrame(columns=TOWNSHIP_COLUMNS)
    decisions = decide(people, data.policy) if decisions is None else decisions
    ref = data.reference
    free = {r["home"]: max(int(r["beds"]) - int(r["residents"]), 0) for r in rows_of(data.homes)}
    own_free = {t: sum(free.get(h, 0) for h in ref.township(t).served_by) for t in ref.township_names}
    order = [h for h in ref.home_names if h in free]
    rows, waiting = [], []
    for d in rows_of(decisions[decisions["rule"] == "transfer"]):
        p = people.loc[d["person"]]
        row = {"township": p["township"], "village": p["village"], "name": p["name"], "sex": p["sex"],
               "self_care": p["self_care"], "priority": d["priority"], "reasons": d["reasons"], "home": "", "how": ""}
        home = next((h for h in ref.township(p["township"]).served_by if free.get(h, 0) > 0), None)
        if home:
            free[home] -= 1
            row.update(home=home, how=OWN)
        else:
            waiting.append(row)
        rows.append(row)
    for row in waiting:
        served = ref.township(row["township"]).served_by
        anchor = order.index(served[0]) if served and served[0] in order else 0
        near = sorted((h for h in order if free[h] > 0), key=lambda h: (abs(order.index(h) - anchor), order.index(h)))
        if near:
            free[near[0]] -= 1
            row.update(home=near[0], how=NEAREST)
        else:
            row.update(how=UNPLACED)
    ppl = pd.DataFrame(rows, columns=PEOPLE_COLUMNS)
    towns = []
    for t in ref.township_names:
        mine = ppl[ppl["township"] == t]
        if not len(mine):
            continue
        own = int((mine["how"] == OWN).sum())
        towns.append({"township": t, "candidates": len(mine), "free_beds": own_free[t], "placed_own": own,
                      "shortfall": len(mine) - own, "placed_nearest": int((mine["how"] == NEAREST).sum()),
                      "unplaced": int((mine["how"] == UNPLACED).sum())})
    return ppl, pd.DataFrame(towns, columns=TOWNSHIP_COLUMNS)
