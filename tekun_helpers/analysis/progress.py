"""The plan's schedule (三、进度安排): one status per township and duty, as of the report month's last day.

Statuses:

- 提前完成   done before the window of a duty that has one opens (入户考核评价 before 9月1日): done, not late;
- 按时完成   done on or before the due date;
- 逾期完成   done, but after the due date;
- 逾期未完成 not done and the due date has passed;
- 未到期     not done and the due date has not come yet;
- 不适用     the duty does not apply (入住率 for a township without a nursing home).

Where each duty's completion date comes from (dates and labels in policy.toml ``[schedule]``):

- 成立领导小组, 制定考评方案, 协议书签订备案: the month's 乡镇工作进度台账 (a date filled after the
  month's end counts as not done yet; the agreements are done when the filed count reaches the
  township's people in dispersed care in 附件1, on the filing date);
- 入户考核评价: the assessment forms (附件3) of the months up to the report's: done at the end of the
  first month whose forms cover every person of the township in that month's 附件1 (a month that
  ends before the window opens makes it 提前完成);
- 敬老院入住率达标: 附件2 over the months, judged per home (:func:`home_occupancy`): a home is done at
  the end of the first month of its current run of months at the target. The township is done when
  every home located in it is, on the latest of their dates; its detail names each home's rate and
  status, never a pooled rate of several homes.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..config.county import default_county
from ..config.policy import Duty, Policy
from ..core.fmt import percent
from ..core.frames import rows_of
from ..core.months import month_end

EARLY, ON_TIME, LATE, OVERDUE, NOT_DUE, NOT_APPLICABLE = "提前完成", "按时完成", "逾期完成", "逾期未完成", "未到期", "不适用"
STATUSES = (EARLY, ON_TIME, LATE, OVERDUE, NOT_DUE, NOT_APPLICABLE)
DONE_STATUSES = (EARLY, ON_TIME, LATE)
LATE_STATUSES = (LATE, OVERDUE)


def status(done_on: dt.date | None, due: dt.date, as_of: dt.date, start: dt.date | None = None) -> str:
    """The status of a duty due on ``due``, done on ``done_on`` (None: not done), seen on ``as_of``.

    start: the first day of the duty's window, if it has one; work done before it is 提前完成.
    A completion date after ``as_of`` is not known yet on that day: the duty counts as not done.
    """
    if done_on is not None and done_on <= as_of:
        if start is not None and done_on < start:
            return EARLY
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


def _assessment_done(township: str, months, as_of: dt.date) -> tuple[dt.date | None, str]:
    """The end of the first month up to ``as_of`` whose forms cover every person of the township
    (a month before the window counts: the work is done early)."""
    last = ""
    for d in sorted(months, key=lambda d: d.month):
        end = month_end(d.month)
        if end > as_of:
            continue
        t = d.townships[d.townships["township"] == township]
        n = int(t["dispersed"].sum()) if len(t) else 0
        got = int((d.assessments["township"] == township).sum()) if len(d.assessments) else 0
        if n and got >= n:
            return end, f"{d.month[5:].lstrip('0')}月评估 {got}/{n}人"
        last = f"已评估 {got}/{n}人"
    return None, last


HOME_COLUMNS = ["home", "township", "status", "done_on", "due", "occupancy", "detail"]


def home_occupancy(months, policy: Policy, as_of: dt.date) -> pd.DataFrame:
    """The occupancy duty per home (HOME_COLUMNS), in the order of the last month's 附件2.

    A home is done at the end of the first month of its current run of months at the target
    (a home now below target is not done); status as :func:`status` with the policy's deadline.
    occupancy is the home's rate in the last month up to ``as_of``; detail says it in words.
    """
    runs: dict[str, dt.date | None] = {}
    last: dict[str, dict] = {}
    for d in sorted(months, key=lambda d: d.month):
        end = month_end(d.month)
        if end > as_of:
            continue
        for r in rows_of(d.homes):
            beds, res = int(r["beds"]), int(r["residents"])
            ok = res >= policy.needed_residents(beds)
            runs[r["home"]] = (runs.get(r["home"]) or end) if ok else None
            last[r["home"]] = {"township": r["township"], "occupancy": res / beds if beds else None}
    due = policy.occupancy.deadline
    rows = []
    for home, v in last.items():
        done = runs.get(home)
        st = status(done, due, as_of)
        rate = percent(v["occupancy"]) if v["occupancy"] is not None else ""
        detail = f"{done.month}月起达标，{rate}" if st in DONE_STATUSES else rate
        rows.append({"home": home, "township": v["township"], "status": st,
                     "done_on": done if st in DONE_STATUSES else None, "due": due,
                     "occupancy": v["occupancy"], "detail": detail})
    return pd.DataFrame(rows, columns=HOME_COLUMNS)


def _occupancy_done(township: str, homes: pd.DataFrame) -> tuple[dt.date | None, str, bool]:
    """(date every home of the township is at target, detail, applies) from :func:`home_occupancy`.

    One home: its own detail. Several: each home's rate and status on its own line, never pooled.
    """
    h = homes[homes["township"] == township]
    if not len(h):
        return None, "", False
    done_all = all(s in DONE_STATUSES for s in h["status"])
    done = max(h["done_on"]) if done_all else None
    if len(h) == 1:
        return done, h["occupancy"].map(lambda x: percent(x) if x is not None else "").iloc[0], True
    lines = [f"{r['home']} {percent(r['occupancy']) if r['occupancy'] is not None else ''} "
             f"{'已达标' if r['status'] in DONE_STATUSES else '未达标'}" for r in rows_of(h)]
    return done, "\n".join(lines), True


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
    ledger = {r["township"]: r for r in rows_of(data.progress)} if len(data.progress) else {}
    people = dict(zip(data.townships["township"], data.townships["dispersed"]))
    homes = home_occupancy(months, policy, as_of)
    rows = []
    for town in data.reference.township_names:
        for duty in duties(policy):
            applies = True
            if duty.key == "assessment":
                done, detail = _assessment_done(town, months, as_of)
            elif duty.key == "occupancy":
                done, detail, applies = _occupancy_done(town, homes)
            else:
                n = people.get(town)
                done, detail = _ledger_done(ledger.get(town), duty, None if n is None else int(n))
            st = status(done, duty.due, as_of, duty.start) if applies else NOT_APPLICABLE
            if st in DONE_STATUSES and duty.key not in ("assessment", "occupancy"):
                detail = _cn(done) + (f"，{detail}" if detail else "")
            elif st in DONE_STATUSES and duty.key == "occupancy" and "\n" not in detail:
                detail = f"{done.month}月起达标，{detail}"
            elif not applies:
                detail = "本乡镇无敬老院"
            rows.append({"township": town, "duty": duty.key, "short": duty.short, "status": st,
                         "done_on": done if st in DONE_STATUSES else None, "due": duty.due, "detail": detail})
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


def summary_sentence(long: pd.DataFrame, month: str, policy=None) -> str:
    """One sentence for the briefing's opening: how many schedule items are late, and where (the townships
    named in ``policy.county``'s words; without a policy, the default data folder's county)."""
    c = late_counts(long)
    as_of = month_end(month)
    head = f"截至{as_of.month}月{as_of.day}日，方案进度安排中"
    early = f"提前完成 {c[EARLY]} 项，" if c[EARLY] else ""
    this_month = _due_this_month(long, as_of)
    if not c["late"]:
        done = c[EARLY] + c[ON_TIME]
        parts = [f"{s} {c[s]} 项" for s in (EARLY, ON_TIME, NOT_DUE) if c[s]] + ([this_month] if this_month else [])
        word = "均已完成或尚未到期" if done else "均尚未到期"
        return head + f"各项工作{word}" + (f"（{'，'.join(parts)}）" if parts else "") + "。"
    towns = c["late_townships"]
    county = policy.county if policy is not None else default_county()
    shown = "、".join(towns[:6]) + (f"等 {len(towns)} 个{county.towns}" if len(towns) > 6 else "")
    return (head + f"有 {c['late']} 项逾期（逾期未完成 {c[OVERDUE]} 项、逾期完成 {c[LATE]} 项），涉及{shown}；"
            f"{early}按时完成 {c[ON_TIME]} 项，未到期 {c[NOT_DUE]} 项" + (f"（{this_month}）" if this_month else "") + "。")


def _due_this_month(long: pd.DataFrame, as_of: dt.date) -> str:
    """'期限均为本月底' / '其中 2 项期限为本月底' for the items not due yet whose due date is the report month's
    last day (at a deadline's month: no countdown, the month's end); '' when none is."""
    waiting = long[long["status"] == NOT_DUE]
    n = int((waiting["due"] == as_of).sum()) if len(waiting) else 0
    if not n:
        return ""
    return "期限均为本月底" if n == len(waiting) else f"其中 {n} 项期限为本月底"
