"""Chinese prose generated from the numbers: the briefing's opening paragraph and its attention list."""
from __future__ import annotations

import pandas as pd

from .fmt import cn_date, cn_month, percent, thousands
from .policy import Policy

ROUNDING_WORDS = {"up": "向上取整", "nearest": "四舍五入", "down": "向下取整"}


def summary_paragraph(k: dict, policy: Policy) -> str:
    """The opening paragraph of the banner briefing, from :func:`tekun_helpers.stats.key_figures`."""
    target = policy.target_percent
    parts = [
        f"截至{cn_month(k['month'])}底，全旗分散供养特困人员{thousands(k['dispersed'])}人，"
        f"其中全失能{thousands(k['fully_disabled'])}人、半失能{thousands(k['semi_disabled'])}人。",
        f"全旗{k['homes']}所公办敬老院共有床位{thousands(k['beds'])}张，现入住{thousands(k['residents'])}人，"
        f"入住率{percent(k['occupancy'])}，工作人员{thousands(k['staff'])}人。",
        f"按各院床位的{target}{ROUNDING_WORDS[policy.rounding]}计算，应住{thousands(k['needed'])}人；"
        f"已达标{k['homes_at_target']}所，未达标{k['homes_below_target']}所，"
        f"未达标敬老院共差{thousands(k['missing_below_target'])}人；"
        f"官方统计表“还应入住人数”合计为{thousands(k['net_gap'])}人，"
        f"是已达标敬老院超出部分相抵后的净数。",
    ]
    deadline = cn_date(k["outlook_deadline"])
    if k["outlook_passed"]:
        parts.append(f"入住率达到{target}以上的目标期限（{deadline}）已过，仍有{k['homes_below_target']}所未达标。"
                     if k["homes_below_target"] else f"目标期限（{deadline}）已过，各院均已达标。")
    elif k["missing_below_target"] == 0:
        parts.append(f"各敬老院均已达到{target}的目标，距{deadline}的期限还有{k['outlook_days_left']}天。")
    else:
        parts.append(f"距{deadline}的目标期限还有{k['outlook_days_left']}天，"
                     f"按剩余{k['outlook_months_left']}个月计，平均每月需新增入住约{thousands(k['outlook_monthly_intake_needed'])}人。")
    return "".join(parts)


def attention_items(home_stats_df: pd.DataFrame, policy: Policy, warnings: list[str] = (), limit: int = 3) -> list[str]:
    """What needs a leader's attention: homes furthest below target, homes over capacity, data warnings."""
    items = []
    below = home_stats_df[home_stats_df["missing"] > 0].sort_values(["missing", "occupancy"], ascending=[False, True])
    for _, r in below.head(limit).iterrows():
        items.append(f"{r['home']}入住率{percent(r['occupancy'])}，距{policy.target_percent}目标还差{thousands(r['missing'])}人"
                     f"（床位{thousands(r['beds'])}张，现入住{thousands(r['residents'])}人）。")
    for _, r in home_stats_df[home_stats_df["over_capacity"]].iterrows():
        items.append(f"{r['home']}现入住{thousands(r['residents'])}人，超过床位{thousands(r['beds'])}张，请核实。")
    norm = policy.section("staffing").get("residents_per_staff_max")
    if norm:
        for _, r in home_stats_df.iterrows():
            rps = r["residents_per_staff"]
            if rps is not None and rps == rps and rps > norm:
                items.append(f"{r['home']}每名工作人员服务{rps:.1f}人，高于{norm}人的标准。")
    if warnings:
        items.append(f"本月数据有{len(warnings)}条警告，详见“数据质量与来源”一节。")
    return items
