"""Chinese prose generated from the numbers: the briefing's opening paragraph and its attention list.

Every figure comes from :func:`tekun_helpers.analysis.stats.key_figures` or a statistics
frame, and every rule (target, rounding, deadline, staffing norm) from the policy.
"""
from __future__ import annotations

import pandas as pd

from ..config.policy import Adjustment, Policy, percent_label
from ..core.fmt import (
    cn_date,
    cn_month,
    decimal,
    is_missing,
    percent,
    rounding_words,
    thousands,
)
from . import sections

def whole_area(policy: Policy) -> str:
    """The whole county as a scope, as county.toml's ``whole`` says it (全县)."""
    return policy.county.whole


def summary_paragraph(key_figures: dict, policy: Policy) -> str:
    """The opening paragraph of the banner briefing.

    key_figures: :func:`tekun_helpers.analysis.stats.key_figures` of the month.
    Quotes both gap totals and says which is which: the residents missing at
    the homes below target, and the official net total of 还应入住人数.
    """
    k = key_figures
    area = whole_area(policy)
    target = policy.target_percent
    parts = [
        f"截至{cn_month(k['month'])}底，{area}分散供养特困人员{thousands(k['dispersed'])}人，"
        f"其中全失能{thousands(k['fully_disabled'])}人、半失能{thousands(k['semi_disabled'])}人。",
        f"{area}{k['homes']}所公办敬老院共有床位{thousands(k['beds'])}张，现入住{thousands(k['residents'])}人，"
        f"入住率{percent(k['occupancy'])}，工作人员{thousands(k['staff'])}人。",
        f"按各院床位的{target}{rounding_words(policy.rounding)}计算，应住{thousands(k['needed'])}人；",
    ]
    below = k["homes_below_target"]
    if below:
        parts.append(f"已达标{k['homes_at_target']}所，尚未达标的{below}所敬老院共差{thousands(k['missing_below_target'])}人")
        surplus = k["missing_below_target"] - k["net_gap"]
        if surplus > 0:
            # the official net total mixes the two: each is said on its own, the net is left to the methods section
            parts.append(f"；已达标敬老院共超出目标{thousands(surplus)}人（官方统计表“还应入住人数”的合计是两者相抵后的净数，"
                         f"不代表还差的人数，见{sections.see(sections.SOURCES)}）。")
        else:
            parts.append("。")
    else:
        parts.append(f"{k['homes']}所敬老院均已达到{target}的目标。")

    deadline = cn_date(k["outlook_deadline"])
    days_left = k["outlook_days_left"]
    if k["outlook_passed"]:
        if below:
            parts.append(f"入住率达到{target}以上的目标期限（{deadline}）已过 {-days_left} 天，"
                         f"仍有{below}所敬老院未达标，共差{thousands(k['missing_below_target'])}人。")
        else:
            parts.append(f"入住率目标期限（{deadline}）已过，各院均已达标。")
    elif (k["outlook_deadline"].year, k["outlook_deadline"].month) == (k["as_of"].year, k["as_of"].month):
        # the deadline falls in the report month: no countdown, what is still missing by the month's end
        if below:
            parts.append(f"入住率目标期限为本月底（{deadline}），"
                         f"仍有{below}所敬老院未达标，共差{thousands(k['missing_below_target'])}人。")
        else:
            parts.append(f"入住率目标期限为本月底（{deadline}），各院均已达标，请保持。")
    elif below:
        parts.append(f"距{deadline}的目标期限还有{days_left}天，"
                     f"按剩余{k['outlook_months_left']}个月计，"
                     f"平均每月需新增入住约{thousands(k['outlook_monthly_intake_needed'])}人。")
    else:
        parts.append(f"距{deadline}的目标期限还有{days_left}天，请保持。")
    parts.append(adjustment_sentence(policy))
    return "".join(parts)


def all_at_target_note(k: dict, policy: Policy) -> str:
    """The note on the two gap figures when every home meets the target: nothing is missing, and the official
    net column adds up only the homes' surplus (never '未达标院尚缺 0 人只计未达标的 0 所敬老院…')."""
    target = policy.target_percent
    head = f"{k['homes']}所敬老院均已达到{target}的目标，没有尚缺的入住人数"
    if k["net_gap"] < 0:
        return (f"{head}；附件2“达到{target}还应入住人数”一列的合计 {thousands(k['net_gap'])} 人是各院超出目标的人数之和"
                f"（共超出{thousands(-k['net_gap'])}人），不是还差的人数。")
    return head + "。"


#: the words of an adjusted key in the briefing (other keys are counted, not named)
_ADJUSTED = {
    "occupancy.target": ("入住率目标", percent_label),
    "occupancy.deadline": ("入住率目标期限", cn_date),
    "training.min_hours_per_year": ("护理人员每年累计培训课时", lambda v: f"{v} 课时"),
    "assessment.reassess_every_months": ("逐人考核评价周期", lambda v: f"{v} 个月"),
    "funds.monthly_standard_per_person": ("每人每月拨付标准", lambda v: f"{thousands(v)} 元"),
    "funds.allocation_day": ("资金拨付期限", lambda v: f"每月{v}日前"),
}


def adjustment_words(a: Adjustment) -> str:
    """One adjustment in words: '自2024年1月1日起，入住率目标调整为70%，入住率目标期限调整为2024年6月30日
    （依据：“…”）'."""
    named = [f"{_ADJUSTED[k][0]}调整为{_ADJUSTED[k][1](v)}" for k, v in a.changes if k in _ADJUSTED]
    others = sum(1 for k, _ in a.changes if k not in _ADJUSTED)
    if others:
        named.append(f"{'另' if named else ''}调整其他设置 {others} 项")
    return f"自{cn_date(a.effective)}起，{'，'.join(named)}（依据：“{a.source}”）"


def adjustment_sentence(policy: Policy) -> str:
    """Which adjustments of the plan apply to the month and what they say, quoted ('' for the plan as issued)."""
    if not policy.applied:
        return ""
    doc = policy.document
    return (f"本月按《{doc.title}》（{doc.number}）及其后的政策调整判断："
            + "；".join(adjustment_words(a) for a in policy.applied) + "。")


def _staff_norm(policy: Policy):
    norm = policy.staffing.residents_per_staff_max
    return norm if norm is not None and norm > 0 else None


def attention_items(home_stats_df: pd.DataFrame, policy: Policy, warnings: list[str] = (), limit: int = 3) -> list[str]:
    """What needs a leader's attention, one sentence each.

    - the ``limit`` homes with the most residents missing (then the lowest occupancy),
      with their occupancy and missing count;
    - every home with more residents than beds;
    - homes with more residents per staff member than ``[staffing] residents_per_staff_max``
      of the policy (only when the policy sets that norm);
    - one item per data warning passed in (messages as given), at most ``limit`` of them;
      beyond that one line saying how many more are in the data-quality section.
    """
    hs = home_stats_df
    target = policy.target_percent
    items = []
    below = hs[hs["missing"] > 0].sort_values(["missing", "occupancy"], ascending=[False, True], kind="stable")
    for _, r in below.head(limit).iterrows():
        items.append(f"{r['home']}入住率{percent(r['occupancy'])}，距{target}目标还差{thousands(r['missing'])}人"
                     f"（床位{thousands(r['beds'])}张，现入住{thousands(r['residents'])}人）。")
    for _, r in hs[hs["over_capacity"]].iterrows():
        items.append(f"{r['home']}现入住{thousands(r['residents'])}人，超过床位数{thousands(r['beds'])}张，请核实。")
    norm = _staff_norm(policy)
    if norm is not None:
        for _, r in hs.iterrows():
            rps = r["residents_per_staff"]
            if not is_missing(rps) and rps > norm:
                items.append(f"{r['home']}每名工作人员服务{decimal(rps)}人（入住{thousands(r['residents'])}人、"
                             f"工作人员{thousands(r['staff'])}人），高于每人{decimal(norm, 0 if norm == int(norm) else 1)}人的配备标准。")
    warnings = list(warnings)
    shown = warnings if len(warnings) <= limit else warnings[: limit - 1]
    for w in shown:
        items.append(f"数据提示：{w}")
    if len(shown) < len(warnings):
        items.append(f"另有{len(warnings) - len(shown)}条数据提示，详见{sections.see(sections.SOURCES)}。")
    return items
