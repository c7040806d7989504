"""The plan's schedule (三、进度安排): one status per township and duty, as of the report month's last day.

Statuses:

- 按时完成   done on or before the due date;
- 逾期完成   done, but after the due date;
- 逾期未完成 not done and the due date has passed;
- 未到期     not done and the due date has not come yet;
- 不适用     the duty does not apply (入住率 for a township without a nursing home).

Where each duty's completion date comes from (dates and labels in policy.toml ``[schedule]``):

- 成立领导小组, 制定考评方案, 协议书签订备案: the month's 乡镇工作进度台账 (a date filled after the
  month's end counts as not done yet; the agreements are done when the filed count reaches the
  township's people in dispersed care in 附件1, on the filing date);
- 入户考核评价: the assessment forms (附件3) of the months from the window's start: done at the end
  of the first month whose forms cover every person of the township in that month's 附件1;
- 敬老院入住率达标: 附件2 over the months: done at the end of the first month of the current run of
  months in which every home of the township is at the target; a home now below target is not done.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..config.policy import Duty, Policy
from ..core.fmt import percent
from ..core.months import month_end

ON_TIME, LATE, OVERDUE, NOT_DUE, NOT_APPLICABLE = "按时完成", "逾期完成", "逾期未完成", "未到期", "不适用"
STATUSES = (ON_TIME, LATE, OVERDUE, NOT_DUE, NOT_APPLICABLE)
LATE_STATUSES = (LATE, OVERDUE)




def status(done_on: dt.date | None, due: dt.date, as_of: dt.date) -> str:
    """The status of a duty due on ``due``, done on ``done_on`` (None: not done), seen on ``as_of``.

    A completion date after ``as_of`` is not known yet on that day: the duty counts as not done.
    """
    if done_on is not None and done_on <= as_of:
        return ON_TIME if done_on <= due else LATE
    return OVERDUE if as_of > due else NOT_DUE


def duties(policy: Policy) -> list[Duty]:
    """The duties in the order of policy.toml ``[schedule] order``."""
    return list(policy.duties)


def _cn(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _ledger_done(row: dict | None, duty: Duty, people: int | None) -> tuple[dt.date | None, str]:
    """Completion date and a short detail for a duty read from the township ledger."""
    if row is None:
        return None, "台账未报送"
    if duty.key == "agreement":
        filed, signed = row.get("agreements_filed"), row.get("agreements_signed")
        filed = None if filed is None or pd.isna(filed) else int(filed)
        signed = None if signed is None or pd.isna(signed) else int(signed)
        if people is None:
            return None, "无附件1人数"
        if filed is not None and filed >= people and row.get("filed_on") is not None:
            return row["filed_on"], f"{filed}/{people}份"
        part = f"已备案 {filed if filed is not None else 0}/{people}"
        if signed is not None:
            part += f"，已签 {signed}"
        if filed is not None and filed >= people:
            part += "，缺备案日期"
        return None, part
    day = row.get(duty.field)
    return (day if isinstance(day, dt.date) else None), ""


def _assessment_done(township: str, months, start: dt.date, as_of: dt.date) -> tuple[dt.date | None, str]:
    """The end of the first month from ``start`` whose forms cover every person of the township."""
    last = ""
    for d in sorted(months, key=lambda d: d.month):
        end = month_end(d.month)
        if end < start or end > as_of:
            continue
        t = d.townships[d.townships["township"] == township]
        n = int(t["dispersed"].sum()) if len(t) else 0
        got = int((d.assessments["township"] == township).sum()) if len(d.assessments) else 0
        if n and got >= n:
            return end, f"{d.month[5:].lstrip('0')}月评估 {got}/{n}人"
        last = f"已评估 {got}/{n}人"
    return None, last


def _occupancy_done(township: str, months, policy: Policy, as_of: dt.date) -> tuple[dt.date | None, str, bool]:
    """(date the current run at target began, detail, applies) for the homes located in the township."""
    run_start, detail, applies = None, "", False
    for d in sorted(months, key=lambda d: d.month):
        end = month_end(d.month)
        if end > as_of:
            continue
        h = d.homes[d.homes["township"] == township]
        if not len(h):
            continue
        applies = True
        ok = all(int(r) >= policy.needed_residents(int(b)) for r, b in zip(h["residents"], h["beds"]))
        beds, res = int(h["beds"].sum()), int(h["residents"].sum())
        detail = percent(res / beds) if beds else ""
        run_start = (run_start or end) if ok else None
    return run_start, detail, applies


def duty_status(data, months, policy: Policy | None = None) -> pd.DataFrame:
    """One row per township and duty: township, duty, short, status, done_on, due, detail.

    data: the report month's MonthData; months: the MonthData of the months up to the report's
    (:func:`tekun_helpers.analysis.trends.history`), for the assessments and the occupancy run.
    """
    policy = policy or data.policy
    as_of = month_end(data.month)
    months = list(months)
    if not any(d.month == data.month for d in months):
        months.append(data)
    ledger = {r["township"]: r for r in data.progress.to_dict("records")} if len(data.progress) else {}
    people = dict(zip(data.townships["township"], data.townships["dispersed"]))
    rows = []
    for town in data.reference.township_names:
        for duty in duties(policy):
            applies = True
            if duty.key == "assessment":
                done, detail = _assessment_done(town, months, duty.start or dt.date.min, as_of)
            elif duty.key == "occupancy":
                done, detail, applies = _occupancy_done(town, months, policy, as_of)
            else:
                n = people.get(town)
                done, detail = _ledger_done(ledger.get(town), duty, None if n is None else int(n))
            st = status(done, duty.due, as_of) if applies else NOT_APPLICABLE
            if st in (ON_TIME, LATE) and duty.key not in ("assessment", "occupancy"):
                detail = _cn(done) + (f"，{detail}" if detail else "")
            elif st in (ON_TIME, LATE) and duty.key == "occupancy":
                detail = f"{done.month}月起达标，{detail}"
            elif not applies:
                detail = "本乡镇无敬老院"
            rows.append({"township": town, "duty": duty.key, "short": duty.short, "status": st,
                         "done_on": done if st in (ON_TIME, LATE) else None, "due": duty.due, "detail": detail})
    return pd.DataFrame(rows, columns=["township", "duty", "short", "status", "done_on", "due", "detail"])


def status_grid(long: pd.DataFrame, policy: Policy, *, details: bool = True) -> pd.DataFrame:
    """Townships down, duties across; each cell the status (and its detail on a second line)."""
    shorts = [d.short for d in duties(policy)]
    cell = long["status"] + (("\n" + long["detail"]).where(long["detail"] != "", "") if details else "")
    grid = long.assign(cell=cell).pivot(index="township", columns="short", values="cell")
    order = list(dict.fromkeys(long["township"]))
    return grid.reindex(index=order, columns=shorts).reset_index()


def late_counts(long: pd.DataFrame) -> dict:
    """Counts for the summary: items by status, late items and the townships with any."""
    counts = {s: int((long["status"] == s).sum()) for s in STATUSES}
    late = long[long["status"].isin(LATE_STATUSES)]
    return {**counts, "late": int(len(late)), "late_townships": list(dict.fromkeys(late["township"])),
            "overdue_townships": list(dict.fromkeys(long.loc[long["status"] == OVERDUE, "township"]))}


def summary_sentence(long: pd.DataFrame, month: str) -> str:
    """One sentence for the briefing's opening: how many schedule items are late, and where."""
    c = late_counts(long)
    as_of = month_end(month)
    head = f"截至{as_of.month}月{as_of.day}日，方案进度安排中"
    if not c["late"]:
        pending = c[NOT_DUE]
        return head + ("各项工作均按时完成或尚未到期" + (f"（{pending} 项尚未到期）" if pending else "") + "。")
    towns = c["late_townships"]
    shown = "、".join(towns[:6]) + (f"等 {len(towns)} 个乡镇苏木街道" if len(towns) > 6 else "")
    return (head + f"有 {c['late']} 项逾期（逾期未完成 {c[OVERDUE]} 项、逾期完成 {c[LATE]} 项），涉及{shown}；"
            f"按时完成 {c[ON_TIME]} 项，未到期 {c[NOT_DUE]} 项。")
