"""上月问题落实情况: the follow-up register, the monthly flow and the transfer plan for a briefing.

Computed from the briefing's months (:attr:`Briefing.months`, the folders up to the report month);
names are masked unless the briefing is internal. :func:`section` shows it in a notebook,
:func:`export_sheets` gives the Excel sheets (整改跟踪, 人员增减, 转入安排; always masked).
"""
from __future__ import annotations

import html
import pandas as pd
from IPython.display import HTML, Markdown, display

from ..analysis import flows, placement
from ..analysis import register as rg
from ..core.fmt import cn_month
from ..io.privacy import mask_people
from . import tables

# ``Briefing`` (report/briefing.py) in the annotations is not imported: briefing imports this module for its export.

esc = html.escape
REGISTER_LABELS = {"kind": "类别", "responsible": "责任单位", "township": "乡镇苏木街道", "village": "村/居委会",
                   "name": "姓名", "item": "问题", "first_seen": "首次发现月份", "due": "期限", "status": "状态",
                   "days_overdue": "逾期天数", "detail": "落实情况", "closed_in": "销号月份", "months_open": "跟踪月数"}
FLOW_LABELS = {"township": "乡镇苏木街道", "last": "上月人数", "new": "新增",
               **{f"out_{r}": f"减少：{r}" for r in (*flows.REASONS, flows.UNSTATED)},
               "out": "减少合计", "now": "本月人数", "annex1_now": "附件1 本月", "annex1_expected": "按增减推算"}
HOME_FLOW_LABELS = {"home": "敬老院", "last": "上月入住", "transferred_in": "转入（分散供养特困人员）",
                    "other": "其他增减（附件2 推算）", "now": "本月入住"}
PLAN_LABELS = {"township": "乡镇苏木街道", "candidates": "应纳入集中供养", "free_beds": "承接敬老院空余床位",
               "placed_own": "可入住承接敬老院", "shortfall": "缺口", "placed_nearest": "就近调剂", "unplaced": "无床位"}


def register(b: Briefing) -> rg.Register:
    """The register as of the briefing's month (its months up to it), computed once per briefing."""
    if "_register" not in b.__dict__:
        b.__dict__["_register"] = rg.build([d for d in b.months if d.month <= b.month])
    return b.__dict__["_register"]


def items(b: Briefing) -> pd.DataFrame:
    """The register's rows in the briefing's scope (a township: its own findings and its homes')."""
    df = register(b).items
    if b.township is not None:
        homes = set(b.reference.township(b.township).served_by) | {h.name for h in b.reference.homes
                                                                    if h.township == b.township}
        df = df[(df["township"] == b.township) | df["responsible"].isin(homes)]
    return df.reset_index(drop=True)


def township_flow(b: Briefing) -> tuple[pd.DataFrame, list]:
    return flows.township_flow(b.prev, b.data)


def _shown(df: pd.DataFrame, b: Briefing) -> pd.DataFrame:
    return df if b.internal else mask_people(df)


def counts_sentence(b: Briefing) -> str:
    """One sentence: findings from earlier months and where they stand now."""
    df = items(b)
    earlier = df[df["first_seen"] < b.month]
    if not len(earlier):
        return "没有以前月份发现的问题需要跟踪（本月是第一个有数据的月份）。"
    c = earlier["status"].value_counts()
    parts = [f"{s} {int(c[s])} 项" for s in rg.STATUSES if s != rg.NEW and c.get(s, 0)]
    od = earlier[earlier["status"].isin(rg.OPEN_STATUSES) & (earlier["days_overdue"] > 0)]
    tail = f"，其中 {len(od)} 项已超过期限" if len(od) else ""
    return f"以前月份发现的问题共 {len(earlier)} 项：" + "，".join(parts) + tail + "。"


def section(b: Briefing, *, limit: int = 30) -> None:
    """上月问题落实情况: counts by status, last month's list now, the overdue ones (longest first), the flow."""
    df = items(b)
    reg = register(b)
    prev = reg.months[-2] if len(reg.months) > 1 else None
    display(HTML(f"<p>{esc(counts_sentence(b))}</p>"))
    if len(df):
        by = (df.assign(n=1).pivot_table(index="kind", columns="status", values="n", aggfunc="sum", fill_value=0)
              .reindex(columns=list(rg.STATUSES), fill_value=0).reset_index())
        display(tables.styled(by, {"kind": "类别", **{s: s for s in rg.STATUSES}}, ints=rg.STATUSES))
    if prev:
        last = df[df["first_seen"] == prev]
        c = last["status"].value_counts()
        done = int(sum(c.get(s, 0) for s in rg.CLOSED_STATUSES))
        display(HTML(f"<h3>{esc(cn_month(prev))}发现的问题（{len(last)} 项）</h3><p>已销号 {done} 项（"
                     + "，".join(f"{s} {int(c.get(s, 0))}" for s in rg.CLOSED_STATUSES) + "），仍未销号 "
                     + f"{len(last) - done} 项。</p>"))
    od = df[df["status"].isin(rg.OPEN_STATUSES) & (df["days_overdue"] > 0)].sort_values(
        ["days_overdue", "first_seen"], ascending=[False, True], kind="stable")
    if len(od):
        shown = od.head(limit)
        more = f"（共 {len(od)} 项，列出逾期最久的 {len(shown)} 项）" if len(shown) < len(od) else f"（共 {len(od)} 项）"
        display(HTML(f"<h3>逾期未整改{esc(more)}</h3>"))
        cols = {k: REGISTER_LABELS[k] for k in ("kind", "responsible", "village", "name", "first_seen", "due",
                                                 "days_overdue", "detail")}
        display(tables.styled(_shown(shown, b).assign(due=lambda d: d["due"].map(lambda x: x.isoformat())), cols,
                              ints=("days_overdue",), wrap=("detail",)))
    else:
        display(HTML("<p>没有逾期未整改的问题。</p>"))
    flow, warnings = township_flow(b)
    if len(flow):
        if b.township is not None:
            flow = flow[flow["township"] == b.township]
        display(HTML("<h3>分散供养人员增减（按排查评估表逐人比对）</h3>"))
        cols = {k: v for k, v in FLOW_LABELS.items() if k in flow.columns}
        display(tables.styled(flow, cols, ints=[k for k in cols if k != "township"]))
        ws = [w.message for w in warnings if b.township is None or b.township in w.message]
        if ws:
            display(HTML("<ul>" + "".join(f"<li>{esc(w)}</li>" for w in ws) + "</ul>"))
    elif b.prev is None:
        display(Markdown("没有上月数据，无法计算人员增减。"))


def export_sheets(b: Briefing) -> dict[str, pd.DataFrame]:
    """整改跟踪 (masked), 人员增减 and 转入安排 for the Excel export."""
    out = {}
    df = mask_people(items(b))
    out["整改跟踪"] = df.assign(due=df["due"].map(lambda x: x.isoformat()))[list(REGISTER_LABELS)].rename(
        columns=REGISTER_LABELS)
    flow, _ = township_flow(b)
    if len(flow):
        out["人员增减"] = flow[list(FLOW_LABELS)].rename(columns=FLOW_LABELS)
    homes = flows.home_flow(b.prev, b.data)
    if len(homes):
        out["敬老院人员增减"] = homes[list(HOME_FLOW_LABELS)].rename(columns=HOME_FLOW_LABELS)
    _, towns = placement.plan(b.data, b.decisions)
    if len(towns):
        out["转入安排"] = towns[list(PLAN_LABELS)].rename(columns=PLAN_LABELS)
    return out
