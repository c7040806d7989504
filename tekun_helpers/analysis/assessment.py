"""Roll-up of the person-level assessments: coverage, answers, rule counts, capacity."""
from __future__ import annotations

import pandas as pd

from ..config.reference import Reference
from ..config.schema import ASSESSMENTS, VOCABULARIES


def coverage(townships: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Per township: people in dispersed care (附件1), people assessed, still to assess, share assessed."""
    assessed = people.groupby("township").size() if len(people) else pd.Series(dtype="int64")
    out = townships[["township", "dispersed"]].copy()
    out["assessed"] = out["township"].map(assessed).fillna(0).astype("int64")
    out["to_assess"] = (out["dispersed"] - out["assessed"]).clip(lower=0)
    out["coverage"] = [a / d if d else (1.0 if a == 0 else 0.0) for a, d in zip(out["assessed"], out["dispersed"])]
    out["coverage"] = out["coverage"].clip(upper=1.0)
    return out.reset_index(drop=True)


def answer_counts(people: pd.DataFrame, field: str) -> pd.DataFrame:
    """How many people gave each answer of a fixed-vocabulary field, in the vocabulary's order."""
    f = ASSESSMENTS.field(field)
    labels = VOCABULARIES[f.vocabulary].labels
    counts = people[field].value_counts() if len(people) else pd.Series(dtype="int64")
    return pd.DataFrame({"answer": labels, "people": [int(counts.get(x, 0)) for x in labels]})


def results_by_township(townships: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Per township: count of each overall result (评估结果)."""
    labels = VOCABULARIES["result"].labels
    out = townships[["township"]].copy()
    for lab in labels:
        sub = people[people["result"] == lab].groupby("township").size() if len(people) else pd.Series(dtype="int64")
        out[lab] = out["township"].map(sub).fillna(0).astype("int64")
    return out.reset_index(drop=True)


def rule_counts(townships: pd.DataFrame, people: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Per township: people to transfer (and of them fully disabled), to escalate, to alert."""
    out = townships[["township"]].copy()
    for rule in ("transfer", "escalate", "alert"):
        d = decisions[decisions["rule"] == rule]
        out[rule] = out["township"].map(d.groupby("township").size()).fillna(0).astype("int64")
    t = decisions[decisions["rule"] == "transfer"]
    if len(t):
        disabled = people.loc[t["person"], ["township", "self_care"]]
        full = disabled[disabled["self_care"] == VOCABULARIES["self_care"].labels[-1]].groupby("township").size()
    else:
        full = pd.Series(dtype="int64")
    out["transfer_fully_disabled"] = out["township"].map(full).fillna(0).astype("int64")
    return out.reset_index(drop=True)


def capacity(rule_counts_df: pd.DataFrame, home_stats_df: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Per township: people to transfer against free beds and residents still missing at the home(s) serving it.

    A home may serve several townships (the banner's central home): its beds are listed for each,
    so the banner total of free beds is taken over distinct homes, see :func:`capacity_totals`.
    """
    hs = home_stats_df.set_index("home")
    rows = []
    for _, r in rule_counts_df.iterrows():
        homes = [h.name for h in reference.homes_serving(r["township"]) if h.name in hs.index]
        free = int(sum(int(hs.at[h, "free_beds"]) for h in homes))
        missing = int(sum(int(hs.at[h, "missing"]) for h in homes))
        rows.append({"township": r["township"], "homes": "、".join(homes), "transfer": int(r["transfer"]),
                     "free_beds": free, "missing_to_target": missing,
                     "beds_short": max(int(r["transfer"]) - free, 0),
                     "shared": any(len([t for t in reference.townships if h in t.served_by]) > 1 for h in homes)})
    return pd.DataFrame(rows, columns=["township", "homes", "transfer", "free_beds", "missing_to_target",
                                       "beds_short", "shared"])


def capacity_totals(capacity_df: pd.DataFrame, home_stats_df: pd.DataFrame) -> dict:
    """Banner totals: people to transfer, free beds and residents missing to 60% (over distinct homes)."""
    transfer = int(capacity_df["transfer"].sum()) if len(capacity_df) else 0
    free = int(home_stats_df["free_beds"].sum()) if len(home_stats_df) else 0
    missing = int(home_stats_df["missing"].sum()) if len(home_stats_df) else 0
    return {"transfer": transfer, "free_beds": free, "missing_to_target": missing,
            "beds_short": max(transfer - free, 0), "fills_target_share": (min(transfer, missing) / missing) if missing else 1.0}
