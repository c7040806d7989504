"""Township and nursing-home statistics as functions of the month's frames and the policy.

DataFrames in, DataFrames (or plain dicts of totals) out; no hidden state.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math

import pandas as pd

from .policy import Policy


def _ratio(num, den) -> float:
    return float(num) / float(den) if den else 0.0


def township_stats(townships: pd.DataFrame) -> pd.DataFrame:
    """Per township: people, disabled, their shares, share of the banner, rank (1 = most people)."""
    df = townships[["township", "dispersed", "fully_disabled", "semi_disabled"]].copy()
    df["disabled"] = df["fully_disabled"] + df["semi_disabled"]
    df["fully_share"] = [_ratio(a, b) for a, b in zip(df["fully_disabled"], df["dispersed"])]
    df["semi_share"] = [_ratio(a, b) for a, b in zip(df["semi_disabled"], df["dispersed"])]
    df["disabled_share"] = [_ratio(a, b) for a, b in zip(df["disabled"], df["dispersed"])]
    total = int(df["dispersed"].sum())
    df["share_of_banner"] = [_ratio(a, total) for a in df["dispersed"]]
    df["rank"] = df["dispersed"].rank(method="min", ascending=False).astype("int64")
    return df.reset_index(drop=True)


def township_totals(township_stats_df: pd.DataFrame) -> dict:
    t = township_stats_df
    full, semi = int(t["fully_disabled"].sum()), int(t["semi_disabled"].sum())
    return {"dispersed": int(t["dispersed"].sum()), "fully_disabled": full, "semi_disabled": semi,
            "disabled": full + semi, "townships": int(len(t))}


def home_stats(homes: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per home: occupancy, residents needed for the target (policy rounding), signed gap, missing, free beds.

    gap     = needed - residents: the official 还应入住人数 (negative when above target).
    missing = max(gap, 0): residents actually missing at a home below target.
    """
    df = homes[["home", "township", "beds", "residents", "staff"]].copy()
    df["occupancy"] = [_ratio(r, b) for r, b in zip(df["residents"], df["beds"])]
    df["needed"] = [policy.needed_residents(int(b)) for b in df["beds"]]
    df["gap"] = df["needed"] - df["residents"]
    df["missing"] = df["gap"].clip(lower=0)
    df["at_target"] = df["residents"] >= df["needed"]
    df["over_capacity"] = df["residents"] > df["beds"]
    df["free_beds"] = (df["beds"] - df["residents"]).clip(lower=0)
    df["residents_per_staff"] = [float(r) / s if s else None for r, s in zip(df["residents"], df["staff"])]
    for c in ("needed", "gap", "missing", "free_beds"):
        df[c] = df[c].astype("int64")
    return df.reset_index(drop=True)


def home_totals(home_stats_df: pd.DataFrame) -> dict:
    """Banner totals of the homes. ``needed`` is the sum over homes (441), not target x beds (439.8)."""
    h = home_stats_df
    beds, res = int(h["beds"].sum()), int(h["residents"].sum())
    at = int(h["at_target"].sum())
    return {"homes": int(len(h)), "beds": beds, "residents": res, "occupancy": _ratio(res, beds),
            "needed": int(h["needed"].sum()), "net_gap": int(h["gap"].sum()),
            "missing_below_target": int(h["missing"].sum()), "homes_at_target": at,
            "homes_below_target": int(len(h)) - at, "staff": int(h["staff"].sum()),
            "free_beds": int(h["free_beds"].sum()), "over_capacity": int(h["over_capacity"].sum()),
            "residents_per_staff": _ratio(res, int(h["staff"].sum()))}


def month_end(month: str) -> dt.date:
    """'2023-08' -> 2023-08-31: the date a monthly report speaks of."""
    y, m = (int(x) for x in month.split("-"))
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def deadline_outlook(home_stats_df: pd.DataFrame, policy: Policy, as_of: dt.date) -> dict:
    """Days and months left to the occupancy deadline and the monthly intake needed to meet it."""
    deadline = policy.occupancy_deadline
    days_left = (deadline - as_of).days
    months_left = (deadline.year - as_of.year) * 12 + (deadline.month - as_of.month)
    passed = days_left < 0
    months_left = 0 if passed else max(months_left, 1)
    missing = int(home_stats_df["missing"].sum())
    return {"deadline": deadline, "days_left": days_left, "passed": passed, "months_left": months_left,
            "missing_below_target": missing,
            "monthly_intake_needed": None if passed else math.ceil(missing / months_left)}


def key_figures(townships: pd.DataFrame, homes: pd.DataFrame, policy: Policy, month: str) -> dict:
    """Everything the summary paragraph and the index page quote, in one flat dict."""
    ts, hs = township_stats(townships), home_stats(homes, policy)
    out = {"month": month, "as_of": month_end(month)}
    out.update(township_totals(ts))
    out.update(home_totals(hs))
    out.update({f"outlook_{k}": v for k, v in deadline_outlook(hs, policy, month_end(month)).items()})
    out["target"] = policy.occupancy_target
    return out
