"""本月问题与措施: every class of problem found this month, one line each, with whom to call and by when.

:func:`actions` turns a briefing's computed tables into :class:`Action` lines for its scope
(the banner, or one township and the homes serving it): occupancy, transfers and capacity,
escalations, money, excluded benefits, staffing and training, late duties, earlier findings
still open, data problems. Each line holds the count, the responsible townships or homes
(in the official order) and the due date from the policy; none is written here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import progress
from ..analysis.funds import FLAG_NOT_PAID
from ..config.policy import day_label
from ..core.fmt import thousands
from ..core.frames import rows_of
from . import sections

if TYPE_CHECKING:
    from .briefing import Briefing

#: at most this many names in one line; the rest are counted
SHOWN_NAMES = 4


@dataclass(frozen=True)
class Action:
    """One line of 本月问题与措施."""

    kind: str        # 入住率, 集中供养, 移交处理, 资金, 待遇衔接, 人员培训, 工作进度, 上月问题, 数据
    finding: str     # what was found, with its count
    who: str         # the townships or homes that must act
    due: str         # by when (the plan's date, or the bureau's)


def _names(names, limit: int = SHOWN_NAMES) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等 {len(names)} 个"


def _money(v) -> str:
    return f"{float(v):,.0f}" if float(v) == int(float(v)) else f"{float(v):,.2f}"


def actions(b: "Briefing") -> list[Action]:
    """The problems of this month in the briefing's scope, most urgent class first."""
    out: list[Action] = []
    p = b.policy
    occ = p.occupancy
    homes = b.own_homes()
    below = homes[~homes["at_target"].astype(bool)].sort_values("missing", ascending=False, kind="stable")
    if len(below):
        out.append(Action("入住率", f"{len(below)} 所敬老院入住率未达 {occ.percent}，共差 {thousands(below['missing'].sum())} 人",
                          _names(below["home"]), f"{occ.deadline_label}前"))
    if b.has_assessments:
        transfer = b.scope.rows(b.capacity)
        n = int(transfer["transfer"].sum())
        if n:
            short = transfer[transfer["beds_short"] > 0]
            text = f"{thousands(n)} 人应纳入敬老院集中供养（按名单的优先顺序安排）"
            if len(short):
                text += "；" + "、".join(f"{r['township']} {r['transfer']} 人、承接院空床 {r['free_beds']} 张"
                                        for r in rows_of(short.head(3)))
                text += f"等 {len(short)} 个乡镇床位不足" if len(short) > 3 else "，床位不足"
            due = p.duty(p.followup.transfer_duty).due
            out.append(Action("集中供养", text, _names(transfer.loc[transfer["transfer"] > 0, "township"]),
                              f"{day_label(due)}前"))
        people = b.own_people()
        for rule, kind in (("escalate", "移交处理"), ("alert", "就医提醒")):
            d = b.decisions[(b.decisions["rule"] == rule) & b.decisions["person"].isin(people.index)]
            if len(d):
                label = p.rules[rule].label if rule in p.rules else kind
                out.append(Action(kind, f"{len(d)} 人需{label}", _names(d["township"]), "立即"))
    ledger, spending = b.own_money()
    if ledger is not None:
        parts, who = [], []
        for r in rows_of(ledger):
            for f in r["flags"]:
                if f == FLAG_NOT_PAID:
                    parts.append(f"{r['home']}未拨付 {_money(r['due'])} 元")
                elif f.startswith("少拨"):
                    parts.append(f"{r['home']}少拨 {_money(r['shortfall'])} 元")
                elif f.startswith("拨付晚于期限") and r["allocated_on"] is not None:
                    parts.append(f"{r['home']}迟拨 {(r['allocated_on'] - r['deadline']).days} 天")
                else:
                    continue
                who.append(r["home"])
        if spending is not None:
            bad = spending[spending["forbidden"]]
            for home, rows in bad.groupby("home", sort=False):
                total = sum(a for a in rows["amount"] if a is not None)
                parts.append(f"{home}违规列支 {_money(total)} 元")
                who.append(home)
        if parts:
            out.append(Action("资金", "；".join(parts), "旗财政、民政部门；" + _names(who),
                              f"每月{p.funds.allocation_day}日前足额拨付"))
    conf = b.own_conflicts()
    if len(conf):
        n_conf = int(conf["confirmed"].sum())
        out.append(Action("待遇衔接", f"{len(conf)} 人次同时享受不能同时享受的待遇（已确认 {n_conf} 人次）",
                          _names(conf["township"]), "停发应停止的待遇"))
    if b.has_staff:
        s = b.own_staffing()
        n = int(s["not_trained"].sum())
        pt = s.loc[s["head_part_time"].astype(bool), "home"].tolist()
        parts = ([f"{n} 名护理人员培训课时不足"] if n else []) + ([f"{len(pt)} 所敬老院院长兼职"] if pt else [])
        if parts:
            out.append(Action("人员培训", "，".join(parts), _names([*s.loc[s["not_trained"] > 0, "home"], *pt]),
                              f"全年不少于 {p.training.min_hours_per_year} 课时"))
    late = b.own_progress()
    late = late[late["status"].isin(progress.LATE_STATUSES)]
    if len(late):
        overdue = late[late["status"] == progress.OVERDUE]
        text = f"{len(late)} 项工作逾期" + (f"，其中 {len(overdue)} 项仍未完成" if len(overdue) else "")
        out.append(Action("工作进度", text, _names(late["township"]),
                          "、".join(dict.fromkeys(f"{r['short']}{day_label(r['due'])}前" for r in rows_of(late)))))
    overdue = _overdue_findings(b)
    if overdue is not None and len(overdue):
        out.append(Action("上月问题", f"以前月份发现的 {len(overdue)} 项问题逾期未整改，最长 {int(overdue['days_overdue'].max())} 天",
                          _names(overdue["responsible"]), "尽快销号"))
    notes = b.quality_notes()
    if notes:
        out.append(Action("数据", f"报送的表格有 {len(notes)} 处需核实（见{sections.see(sections.SOURCES)}）", "报送单位",
                          f"收到反馈后 {p.feedback.resubmit_within_days} 日内"))
    return out


def _overdue_findings(b: "Briefing") -> pd.DataFrame | None:
    """Findings of earlier months still open past their due date (the follow-up register)."""
    from ..analysis import register as rg
    from . import followup

    df = followup.items(b)
    if not len(df):
        return df
    return df[(df["first_seen"] < b.month) & df["status"].isin(rg.OPEN_STATUSES) & (df["days_overdue"] > 0)]


def below_target(b: "Briefing") -> pd.DataFrame:
    """The homes below target in scope, ranked by the residents they lack, with head and phone (public in 附件2)."""
    homes = b.own_homes()
    # most residents lacking first; ties keep the official order of the reference data
    below = homes[~homes["at_target"].astype(bool)].sort_values("missing", ascending=False, kind="stable")
    contact = b.data.homes.set_index("home")[["head", "phone"]]
    return below.join(contact, on="home").reset_index(drop=True)
