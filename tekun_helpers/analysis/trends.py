"""Month-to-month comparison and the trend over the months up to a report's month."""
from __future__ import annotations

import pandas as pd

from ..core.months import available_months, previous_month
from ..month import MonthData, cached_trace, load_month
from . import stats


def history(month: str, data_dir=None, *, whole: bool = False) -> tuple[list[MonthData], list[str]]:
    """The months up to ``month`` (inclusive) whose data load without errors, oldest first,
    and the months skipped because their data have errors.

    ``month`` and the month before it are read whole, every frame but not the files' cells (``lean``: the
    comparison with last month reads its people);
    the earlier ones are their traces (:meth:`MonthData.trace`: what the trend, the schedule and the
    re-assessment cycle read of them), kept on disk, so a report's cost does not grow with the months
    before it. ``whole``: every month whole (a period report reads each month's tables).
    """
    ok, skipped = [], []
    near = {month, previous_month(month)}
    for m in available_months(data_dir):
        if m > month:
            continue
        d = load_month(m, data_dir, cache=True, lean=True) if whole or m in near else cached_trace(m, data_dir)
        (skipped if d.errors else ok).append(m if d.errors else d)
    return ok, skipped


def previous(month: str, months: list[MonthData]) -> MonthData | None:
    """The calendar month before ``month`` when its data are there and valid, else None."""
    want = previous_month(month)
    return next((d for d in months if d.month == want), None)


def banner_trend(months: list[MonthData]) -> pd.DataFrame:
    """One row per month: people, disabled, beds, residents, occupancy, homes at target, missing, and the target
    in force that month (each month is judged by its own policy: an adjustment changes the target from its month on)."""
    rows = []
    for d in months:
        k = stats.key_figures(d.townships, d.homes, d.policy, d.month)
        rows.append({"month": d.month, "dispersed": k["dispersed"], "fully_disabled": k["fully_disabled"],
                     "semi_disabled": k["semi_disabled"], "beds": k["beds"], "residents": k["residents"],
                     "occupancy": k["occupancy"], "homes_at_target": k["homes_at_target"], "homes": k["homes"],
                     "missing_below_target": k["missing_below_target"], "net_gap": k["net_gap"], "staff": k["staff"],
                     "assessed": int(len(d.assessments)), "target": d.policy.occupancy_target})
    return pd.DataFrame(rows)


def township_trend(months: list[MonthData], township: str, home_names: list[str]) -> pd.DataFrame:
    """One row per month for one township: its people and the residents/beds of the homes serving it."""
    rows = []
    for d in months:
        t = d.townships[d.townships["township"] == township]
        h = d.homes[d.homes["home"].isin(home_names)]
        beds, res = int(h["beds"].sum()), int(h["residents"].sum())
        rows.append({"month": d.month, "dispersed": int(t["dispersed"].sum()),
                     "fully_disabled": int(t["fully_disabled"].sum()), "semi_disabled": int(t["semi_disabled"].sum()),
                     "beds": beds, "residents": res, "occupancy": res / beds if beds else 0.0,
                     "assessed": int((d.assessments["township"] == township).sum()) if len(d.assessments) else 0})
    return pd.DataFrame(rows)


def change_table(current: pd.DataFrame, before: pd.DataFrame, key: str, columns: list[str]) -> pd.DataFrame:
    """``key`` plus, for each column, its value last month, this month and the change (NA when new)."""
    merged = current[[key, *columns]].merge(before[[key, *columns]], on=key, how="left", suffixes=("", "_prev"))
    out = merged[[key]].copy()
    for c in columns:
        out[f"{c}_prev"] = merged[f"{c}_prev"]
        out[c] = merged[c]
        out[f"{c}_change"] = merged[c] - merged[f"{c}_prev"]
    return out
