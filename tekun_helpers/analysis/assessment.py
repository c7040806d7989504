"""Roll-up of the person-level assessments: coverage, answers, rule counts, capacity, and who is due for
the plan's periodic re-assessment (逐人定期考核评价, every ``[assessment] reassess_every_months`` months)."""
from __future__ import annotations

import pandas as pd

from ..config.policy import Policy
from ..config.reference import Reference
from ..config.schema import ASSESSMENTS, VOCABULARIES
from ..core.fmt import cn_month
from ..core.frames import rows_of
from ..core.months import month_end, months_between, shift_month
from ..core.text import fold, to_text
from ..io.idcard import check as check_id
from ..io.idcard import normalise as normalise_id
from . import findings as fd


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


# -- periodic re-assessment ----------------------------------------------------------------------

LAST_COLUMNS = ["person", "township", "village", "name", "sex", "id_number", "last_assessed", "left"]
DUE_COLUMNS = ["person", "township", "village", "name", "sex", "id_number", "last_assessed", "months_since", "due_month"]


def _person(r: dict) -> str:
    """Who a form's row is about: the valid identity number, else township, village, name and sex (folded)."""
    raw = r.get("id_number")
    if raw and isinstance(raw, str) and check_id(raw).ok:
        return "id:" + normalise_id(raw)
    return "name:" + "|".join(fold(to_text(r.get(k))) for k in ("township", "village", "name", "sex"))


def _name_key(r: dict) -> tuple:
    return tuple(fold(to_text(r.get(k))) for k in ("township", "village", "name"))


def assessed_month(row: dict, month: str) -> str:
    """The month (YYYY-MM) of a form row's assessment: its 评估日期 (assessed_on), or the form's ``month`` when
    blank (older forms have no such column) or later than the month (a warning of the checks)."""
    day = row.get("assessed_on")
    if day is None or not hasattr(day, "year") or pd.isna(day):
        return month
    return min(f"{day.year:04d}-{day.month:02d}", month)


def _assessed(months: list) -> tuple[dict, dict, dict]:
    """(people, by_name, by_id) after the forms of ``months`` (oldest first), folded one month at a time. The
    state after each month is kept in the disk store (:mod:`tekun_helpers.core.store`) under the months' store
    keys and the code, so a report reads every earlier month's forms once, not every month (the forms of a
    county's year are 31,000 rows: 1.15 s a call in month 12 of the bundled year, against 0.1 s from the store).
    A month not read through the store (a draft's) is folded every time."""
    from ..core import store

    if not months:
        return {}, {}, {}
    *before, last = months
    key = None
    if all(getattr(d, "store_key", None) for d in months):
        key = store.digest("assessed", store.code_version(), tuple(d.store_key for d in months))
        kept = store.get("assessed", key)
        if kept is not None:
            return kept
    people, by_name, by_id = _assessed(before)
    _add_forms(people, by_name, by_id, last)
    if key:
        store.put("assessed", key, (people, by_name, by_id))
    return people, by_name, by_id


def _add_forms(people: dict, by_name: dict, by_id: dict, d) -> None:
    """Fold the month ``d``'s forms into the people seen so far (see :func:`last_assessed`)."""
    seen: set[str] = set()
    for r in rows_of(d.assessments) if len(d.assessments) else ():
        key = _person(r)
        named = [k for k in by_name.get(_name_key(r), []) if k not in seen]
        # the same person when a month's number is left out or mistyped: the number, else the one of that name
        # (not yet on this month's forms)
        pid = by_id.get(key) or (named[0] if len(named) == 1 else key)
        seen.add(pid)
        if pid not in named:
            by_name.setdefault(_name_key(r), []).append(pid)
        if key.startswith("id:"):
            by_id[key] = pid
        people[pid] = {"person": pid, **{k: to_text(r.get(k)) for k in ("township", "village", "name", "sex")},
                       "id_number": to_text(r.get("id_number")), "last_assessed": assessed_month(r, d.month),
                       "left": ""}


def last_assessed(months) -> pd.DataFrame:
    """Each person's latest assessment over ``months`` (objects with ``month``, ``assessments`` and ``changes``
    frames, e.g. MonthData), LAST_COLUMNS: last_assessed is the month of the 评估日期 on the latest form listing
    them (:func:`assessed_month`: the form's month when blank), left the month a later 减少情况表 says they left
    dispersed care ('' while they have not): a row with the same valid identity number, or the same township,
    village and name."""
    months = sorted(months, key=lambda d: d.month)
    people, by_name, by_id = _assessed(months)
    for d in months:
        for c in rows_of(d.changes) if len(d.changes) else ():
            keys = by_name.get(_name_key(c), []) + ([by_id.get(_person(c), "")] if _person(c).startswith("id:") else [])
            for p in (people[k] for k in keys if k in people):
                if d.month >= p["last_assessed"] and not p["left"]:
                    p["left"] = d.month
    return pd.DataFrame(list(people.values()), columns=LAST_COLUMNS)


def reassessment_due(months, month: str, policy: Policy) -> pd.DataFrame:
    """The people due for re-assessment at the end of ``month`` (DUE_COLUMNS), in the order the forms first
    listed them.

    Due: still in dispersed care, and their last assessment (over the months up to ``month``; the 评估日期 of the
    latest form listing them, else that form's month) is ``policy.assessment.reassess_every_months`` months old or
    older (assessed 2023-01, cycle 12: due in 2024-01).
    due_month is the month it fell due. Empty when the policy sets no cycle.
    """
    every = policy.assessment.reassess_every_months
    months = [d for d in months if d.month <= month]
    if every is None or not months:
        return pd.DataFrame(columns=DUE_COLUMNS)
    last = last_assessed(months)
    last = last[last["left"] == ""].copy()
    last["months_since"] = [months_between(m, month) for m in last["last_assessed"]]
    due = last[last["months_since"] >= every].copy()
    due["due_month"] = [shift_month(m, every) for m in due["last_assessed"]]
    return due[DUE_COLUMNS].reset_index(drop=True)


def due_by_township(townships: pd.DataFrame, due: pd.DataFrame) -> pd.DataFrame:
    """Per township (附件1's order): people due for re-assessment and the oldest last assessment among them."""
    out = townships[["township"]].copy()
    counts = due.groupby("township").size() if len(due) else pd.Series(dtype="int64")
    oldest = due.groupby("township")["last_assessed"].min() if len(due) else pd.Series(dtype=object)
    out["due"] = out["township"].map(counts).fillna(0).astype("int64")
    out["oldest"] = out["township"].map(oldest).fillna("")
    return out.reset_index(drop=True)


def due_findings(due: pd.DataFrame, policy: Policy) -> list:
    """One :data:`findings.REASSESS_DUE` finding per person due, owned by the township, due at the end of the
    month the cycle ran out."""
    every = policy.assessment.reassess_every_months
    return [fd.make(fd.REASSESS_DUE, township=r["township"], person=r["person"],
                    count=int(r["months_since"]), due=month_end(r["due_month"]), last=cn_month(r["last_assessed"]),
                    every=every, name=r["name"], village=r["village"])
            for r in rows_of(due)]
