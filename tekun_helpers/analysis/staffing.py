"""Nursing-home staff: training against the yearly class hours, part-time heads, residents per care worker.

The plan: 机构内护理人员……每年累计培训时间不少于48课时 (policy.toml ``[training]``), judged pro rata
through the year: by the end of month *m* a care worker needs ``hours × m / 12`` class hours, counted
from the month they started when they started this year (``[staffing] training_pro_rata``).
Comparisons use exact fractions, so 36 hours in September (48 × 9/12 = 36) meet the rule and 35 do not;
the hours required are shown rounded as the output registry rounds a DECIMAL (3.33333 -> 3.3).

The rule runs per calendar year (每年累计): the roster's hours are the year's, and on 1 January the count
starts again. A shortfall belongs to its year: a worker short in December whose January hours meet
January's share has not put 2023 right, the year closed unfinished (:func:`year_closed`,
:func:`year_end_words`); each year's shortfall is its own finding (:func:`finding_key`).
"""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd

from ..config.outputs import DECIMAL, DIGITS
from ..config.policy import Policy
from ..core.fmt import round_half_up
from ..config.schema import PART_TIME, ROLE_CARE, ROLE_HEAD
from ..core.frames import rows_of

MET, NOT_MET, NOT_FILLED = "达标", "未达标", "未填写"


def months_counted(month: str, hired_on: dt.date | None) -> int:
    """Months of the report's year that count for the training rule, through the report month.

    From January, or from the month the worker started when that is in the report's year;
    0 when they started after the report month.
    """
    y, m = map(int, month.split("-"))
    if hired_on is None or pd.isna(hired_on) or hired_on.year < y:
        return m
    if hired_on.year > y:
        return 0
    return max(m - hired_on.month + 1, 0)


def required_hours(month: str, policy: Policy, hired_on: dt.date | None = None) -> Fraction:
    """Class hours a care worker needs by the end of ``month`` (exact)."""
    if not policy.staffing.training_pro_rata:
        return Fraction(policy.training_hours)
    return Fraction(policy.training_hours * months_counted(month, hired_on), 12)


def shown_hours(hours) -> float:
    """Hours as reports show them: rounded as the registry's DECIMAL (one decimal, halves up); 36.0 stays 36."""
    v = float(round_half_up(float(hours), DIGITS[DECIMAL]))
    return int(v) if v == int(v) else v


def year_of(month: str) -> int:
    """The calendar year whose hours the roster of ``month`` counts."""
    return int(month[:4])


def finding_key(home: str, name: str, month: str) -> str:
    """A training shortfall's identity in the follow-up register: the home, the worker and the year
    (a new year's shortfall is a new finding, not last year's carried on)."""
    return f"training|{year_of(month)}|{home}|{name}"


def year_closed(first_seen: str, month: str) -> bool:
    """Whether a shortfall first seen in ``first_seen`` belongs to a year that has ended by ``month``: it closes
    as 未完成 then, whatever the new year's hours say."""
    return year_of(month) > year_of(first_seen)


def year_due(first_seen: str, due) -> "dt.date":
    """A shortfall's due date, at the latest the last day of its year (the year's hours cannot be made up after)."""
    end = dt.date(year_of(first_seen), 12, 31)
    return min(due, end)


def year_end_words(first_seen: str, last_hours, policy: Policy) -> str:
    """Why a year's shortfall closed unfinished: '2023年全年累计培训 40 课时，不足 48 课时，年度已结束，未完成'
    (last_hours: the hours of the year's last roster that had the worker, None when not filled)."""
    y = year_of(first_seen)
    got = "未填写课时" if last_hours is None or pd.isna(last_hours) else f"累计培训 {int(last_hours)} 课时"
    return f"{y}年{got}，不足全年 {policy.training_hours} 课时，年度已结束，未完成"


def rule_sentence(month: str, policy: Policy) -> str:
    """The rule as the report states it, with this month's figure."""
    y, m = map(int, month.split("-"))
    need = required_hours(month, policy)
    shown = f"{shown_hours(need):g}"
    if not policy.staffing.training_pro_rata:
        return f"护理人员每年累计培训不少于 {policy.training_hours} 课时，本报告按全年要求判断。"
    return (f"护理人员每年累计培训不少于 {policy.training_hours} 课时，按月折算：截至{m}月底应不少于 {shown} 课时"
            f"（{policy.training_hours} 课时 × {m}/12）；当年到岗的从到岗当月起折算。")


def training(staff: pd.DataFrame, month: str, policy: Policy) -> pd.DataFrame:
    """Care workers with their hours, the hours required by the month's end and the verdict."""
    care = staff[staff["role"] == ROLE_CARE].copy() if len(staff) else staff.copy()
    if not len(care):
        return care.assign(required=pd.Series(dtype=object), verdict=pd.Series(dtype=object))
    req = [required_hours(month, policy, h) for h in care["hired_on"]]
    care["required"] = [shown_hours(r) for r in req]      # shown rounded; the verdict uses the exact figure
    verdicts = []
    for hours, need in zip(care["training_hours"], req):
        if hours is None or pd.isna(hours):
            verdicts.append(NOT_FILLED)
        else:
            verdicts.append(MET if Fraction(int(hours)) >= need else NOT_MET)
    care["verdict"] = verdicts
    return care.reset_index(drop=True)


def ratio_norm(policy: Policy) -> float | None:
    """The most residents per care worker the bureau allows, or None when policy.toml sets none."""
    return policy.staffing.max_residents_per_care_worker


def home_staffing(homes: pd.DataFrame, staff: pd.DataFrame, home_care: pd.DataFrame, month: str,
                  policy: Policy) -> pd.DataFrame:
    """Per home: staff, care workers, training verdicts, head part-time, residents per care worker, nursing beds.

    homes: 附件2 (one row per home); staff: the roster; home_care: 护理型床位与入住构成.
    Homes missing from the roster have ``reported`` False and empty figures.
    """
    trained = training(staff, month, policy)
    norm = ratio_norm(policy)
    care_by = {r["home"]: r for r in rows_of(home_care)} if len(home_care) else {}
    rows = []
    for h in rows_of(homes):
        name = h["home"]
        s = staff[staff["home"] == name] if len(staff) else staff
        t = trained[trained["home"] == name] if len(trained) else trained
        heads = s[s["role"] == ROLE_HEAD] if len(s) else s
        care_workers = int((s["role"] == ROLE_CARE).sum()) if len(s) else 0
        ratio = h["residents"] / care_workers if care_workers else float("nan")
        hc = care_by.get(name, {})
        rows.append({
            "home": name, "township": h.get("township", ""), "reported": bool(len(s)),
            "staff_listed": int(len(s)), "care_workers": care_workers,
            "trained": int((t["verdict"] == MET).sum()) if len(t) else 0,
            "not_trained": int((t["verdict"] != MET).sum()) if len(t) else 0,
            "head_part_time": bool(len(heads)) and heads.iloc[0]["employment"] == PART_TIME,
            "head_missing": bool(len(s)) and not len(heads),
            "residents": int(h["residents"]),
            "residents_per_care_worker": ratio,
            "ratio_over_norm": (norm is not None and care_workers > 0 and ratio > norm) or (norm is not None and care_workers == 0 and h["residents"] > 0),
            "nursing_beds": hc.get("nursing_beds"), "residents_tekun": hc.get("residents_tekun"),
            "residents_other": hc.get("residents_other"),
        })
    return pd.DataFrame(rows)


def flags(staffing: pd.DataFrame, policy: Policy) -> list[str]:
    """Sentences for the attention list: part-time heads, untrained care workers, ratios over the norm."""
    out = []
    pt = staffing[staffing["head_part_time"]]["home"].tolist()
    if pt:
        out.append(f"{'、'.join(pt)}的负责人（院长）为兼职，方案要求对兼职人员及时调整。")
    missing = staffing[staffing["head_missing"]]["home"].tolist()
    if missing:
        out.append(f"{'、'.join(missing)}的工作人员台账中没有负责人（院长）。")
    n = int(staffing["not_trained"].sum())
    if n:
        homes = staffing[staffing["not_trained"] > 0]["home"].tolist()
        out.append(f"{n} 名护理人员培训课时未达到按月折算要求，分布在{'、'.join(homes)}。")
    over = staffing[staffing["ratio_over_norm"]]["home"].tolist()
    if over:
        out.append(f"{'、'.join(over)}每名护理人员服务的入住老人超过 {ratio_norm(policy):g} 人的标准。")
    return out
