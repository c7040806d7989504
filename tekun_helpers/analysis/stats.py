"""Township and nursing-home statistics as functions of the month's frames and the policy.

DataFrames in, DataFrames (or flat dicts of totals) out; no hidden state, the
input frames are never modified, and row order is kept. Provenance columns
(``source_file``, ``source_sheet``, ``source_row``) and free text are not
carried into the statistics frames.

Two totals of the nursing-home table must not be confused:

- ``net_gap``: the sum of the signed per-home gaps, i.e. the official
  附件2 total of 还应入住人数 (homes above target offset those below it);
- ``missing_below_target``: the residents actually missing at the homes
  below target (the negative gaps are not counted).
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ..config.policy import Policy
from ..core.months import month_end  # noqa: F401  (re-exported)

TOWNSHIP_COLUMNS = ["township", "dispersed", "fully_disabled", "semi_disabled"]
HOME_COLUMNS = ["home", "township", "beds", "residents", "staff"]


def _ratio(num, den) -> float:
    """num / den, 0.0 when den is 0 (never NaN or inf)."""
    return float(num) / float(den) if den else 0.0


def _ratios(num: pd.Series, den: pd.Series) -> list[float]:
    return [_ratio(a, b) for a, b in zip(num, den)]


# -- townships (附件1) ----------------------------------------------------------------

def township_stats(townships: pd.DataFrame) -> pd.DataFrame:
    """Per township: people in dispersed care, disabled people, shares and rank.

    townships: one row per township (no total row) with ``township``, ``dispersed``,
    ``fully_disabled``, ``semi_disabled``.

    Adds ``disabled`` (fully + semi), ``fully_share``, ``semi_share``, ``disabled_share``
    (of the township's own dispersed people; 0 when it has none), ``share_of_banner``
    (dispersed / banner total) and ``rank`` (1 = most people; ties share the lowest rank).
    Rows keep their order; the index is reset.
    """
    df = townships[TOWNSHIP_COLUMNS].copy().reset_index(drop=True)
    for c in TOWNSHIP_COLUMNS[1:]:
        df[c] = df[c].astype("int64")
    df["disabled"] = df["fully_disabled"] + df["semi_disabled"]
    df["fully_share"] = _ratios(df["fully_disabled"], df["dispersed"])
    df["semi_share"] = _ratios(df["semi_disabled"], df["dispersed"])
    df["disabled_share"] = _ratios(df["disabled"], df["dispersed"])
    total = int(df["dispersed"].sum())
    df["share_of_banner"] = [_ratio(a, total) for a in df["dispersed"]]
    df["rank"] = df["dispersed"].rank(method="min", ascending=False).astype("int64")
    return df


def township_totals(township_stats_df: pd.DataFrame) -> dict:
    """Banner totals of :func:`township_stats`: dispersed, fully_disabled, semi_disabled, disabled, townships."""
    t = township_stats_df
    full, semi = int(t["fully_disabled"].sum()), int(t["semi_disabled"].sum())
    return {"dispersed": int(t["dispersed"].sum()), "fully_disabled": full, "semi_disabled": semi,
            "disabled": full + semi, "townships": int(len(t))}


# -- nursing homes (附件2) ----------------------------------------------------------------

def home_stats(homes: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per home: occupancy, residents needed for the target, signed gap, missing residents.

    homes: one row per home (no total row) with ``home``, ``township``, ``beds``,
    ``residents``, ``staff``.

    - ``occupancy``           residents / beds (0 when there are no beds);
    - ``needed``              ``policy.needed_residents(beds)``, rounded as policy says
                              (official: up, so 24 beds -> 15);
    - ``gap``                 needed - residents, signed: the official 还应入住人数,
                              negative for a home above target;
    - ``missing``             max(gap, 0): residents missing at a home below target;
    - ``at_target``           residents >= needed;
    - ``over_capacity``       residents > beds;
    - ``free_beds``           max(beds - residents, 0);
    - ``residents_per_staff`` residents / staff, NaN when a home reports no staff.
    """
    df = homes[HOME_COLUMNS].copy().reset_index(drop=True)
    for c in ("beds", "residents", "staff"):
        df[c] = df[c].astype("int64")
    df["occupancy"] = _ratios(df["residents"], df["beds"])
    df["needed"] = pd.Series([policy.needed_residents(int(b)) for b in df["beds"]], dtype="int64")
    df["gap"] = df["needed"] - df["residents"]
    df["missing"] = df["gap"].clip(lower=0)
    df["at_target"] = df["residents"] >= df["needed"]
    df["over_capacity"] = df["residents"] > df["beds"]
    df["free_beds"] = (df["beds"] - df["residents"]).clip(lower=0)
    df["residents_per_staff"] = pd.Series(
        [float(r) / float(s) if s else float("nan") for r, s in zip(df["residents"], df["staff"])], dtype="float64")
    return df


def home_totals(home_stats_df: pd.DataFrame) -> dict:
    """Banner totals of :func:`home_stats`.

    ``needed`` is the sum of the per-home rounded figures (441 for 2023-08), not
    target x beds (439.8); ``net_gap`` is the official net total of 还应入住人数 (100);
    ``missing_below_target`` counts only homes below target (117).
    """
    h = home_stats_df
    beds, res, staff = int(h["beds"].sum()), int(h["residents"].sum()), int(h["staff"].sum())
    at = int(h["at_target"].sum())
    return {"homes": int(len(h)), "beds": beds, "residents": res, "occupancy": _ratio(res, beds),
            "needed": int(h["needed"].sum()), "net_gap": int(h["gap"].sum()),
            "missing_below_target": int(h["missing"].sum()), "homes_at_target": at,
            "homes_below_target": int(len(h)) - at, "staff": staff,
            "free_beds": int(h["free_beds"].sum()), "over_capacity": int(h["over_capacity"].sum()),
            "residents_per_staff": _ratio(res, staff)}


# -- deadline ---------------------------------------------------------------------------------

def deadline_outlook(home_stats_df: pd.DataFrame, policy: Policy, as_of: dt.date) -> dict:
    """How far the homes are from the occupancy deadline, seen from ``as_of``.

    Returns deadline, days_left (negative once passed), passed, months_left (calendar
    months from as_of's month to the deadline's month; at least 1 while not passed,
    0 once passed), missing_below_target, and monthly_intake_needed
    (ceil(missing / months_left); None once passed).
    """
    deadline = policy.occupancy_deadline
    days_left = (deadline - as_of).days
    passed = days_left < 0
    months = (deadline.year - as_of.year) * 12 + (deadline.month - as_of.month)
    months_left = 0 if passed else max(months, 1)
    missing = int(home_stats_df["missing"].sum())
    return {"deadline": deadline, "days_left": days_left, "passed": passed, "months_left": months_left,
            "missing_below_target": missing,
            "monthly_intake_needed": None if passed else math.ceil(missing / months_left)}


# -- everything at once --------------------------------------------------------------------

def key_figures(townships: pd.DataFrame, homes: pd.DataFrame, policy: Policy, month: str) -> dict:
    """One flat dict for the summary paragraph and the index page.

    Keys: month, as_of (last day of the month), target, rounding, the keys of
    :func:`township_totals` and :func:`home_totals`, and those of
    :func:`deadline_outlook` prefixed ``outlook_`` (outlook_deadline, outlook_days_left, ...).
    """
    ts, hs = township_stats(townships), home_stats(homes, policy)
    as_of = month_end(month)
    out = {"month": month, "as_of": as_of, "target": policy.occupancy_target, "rounding": policy.rounding}
    out.update(township_totals(ts))
    out.update(home_totals(hs))
    out.update({f"outlook_{k}": v for k, v in deadline_outlook(hs, policy, as_of).items()})
    return out
