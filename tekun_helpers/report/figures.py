"""The briefing's figures: charts, the township and home tables, the two gaps to the occupancy target, and
the comparison with last month.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
from IPython.display import HTML, Markdown, display

from ..config import outputs
from ..core.fmt import percent, signed, signed_points, thousands
from . import narrative, tables
from .briefing import Briefing
from .parts import esc, line as _line, chart_html as _chart_html


def chart(b: Briefing, which: str, *, compact: bool = False) -> None:
    """Draw one of the briefing's charts and show it as an embedded PNG with a Chinese description (alt);
    ``compact``: half the usual height (a printed page is not taken by one chart)."""
    display(HTML(_chart_html(b, which, compact=compact)))


def chart_pair(b: Briefing, left: str, right: str) -> None:
    """Two of the briefing's charts drawn small, side by side (each half the page's width)."""
    display(HTML("<div class='tekun-pair'>" + _chart_html(b, left, compact=True)
                 + _chart_html(b, right, compact=True) + "</div>"))


def township_table(b: Briefing) -> None:
    display(tables.township_table(b.towns, b.policy))


def occupancy_note(b: Briefing) -> None:
    k = b.key
    if not k["homes_below_target"]:         # nothing missing: no sentence about 0 homes lacking 0 people
        display(HTML(f"<p>{esc(narrative.all_at_target_note(k, b.policy))}</p>"))
        return
    display(HTML(
        f"<p>两种“还差多少人”的口径：<b>官方净数 {thousands(k['net_gap'])} 人</b>是附件2“达到{esc(b.policy.target_percent)}"
        f"还应入住人数”一列的合计，"
        f"其中已达标敬老院的负数（超出目标的人数）抵减了未达标院的差额；"
        f"<b>未达标院尚缺 {thousands(k['missing_below_target'])} 人</b>只计未达标的 {k['homes_below_target']} 所敬老院，"
        f"是要让每所敬老院都达标实际还需新增的入住人数。</p>"))


def home_table(b: Briefing) -> None:
    homes = b.own_homes()
    if homes.empty:
        display(Markdown("本乡镇没有承接集中供养的敬老院记录。"))
        return
    display(tables.home_table(homes, b.policy, with_total=b.scope.whole))
    if not b.scope.whole:
        shared = b.shared_homes()
        if shared:
            display(HTML(f"<p>{esc('、'.join(shared))}同时承接多个{esc(b.policy.county.towns)}，其空余床位由这些乡镇共用。</p>"))


def comparison(b: Briefing) -> None:
    """Changes since last month and the trend over the months; says so when there is no last month."""
    from ..core.fmt import cn_month as _cm
    from ..core.months import previous_month

    prev = previous_month(b.month)
    if b.prev is None:
        why = ("数据中没有该月的文件夹" if prev not in [d.month for d in b.months] and prev not in b.skipped_months
               else "该月数据有错误，未用于比较")
        display(HTML(f"<p class='tekun-short-section'>没有上月（{esc(_cm(prev))}）的数据可供比较（{esc(why)}）。"
                     f"本节不显示增减，以免把缺少的数据当作零。</p>"))
    else:
        beside = not b.scope.whole and len(b.months) >= 2
        since = f"与{_cm(b.prev.month)}相比（“变化”为本月减上月）"
        if not beside:
            display(HTML(f"<p>{esc(since)}：</p>"))
        kc = b.key_changes()
        view = pd.DataFrame({
            "item": kc["item"],
            "prev_t": [percent(v) if p else thousands(v) for v, p in zip(kc["prev"], kc["pct"])],
            "now_t": [percent(v) if p else thousands(v) for v, p in zip(kc["now"], kc["pct"])],
            "change_t": [(f"{signed_points(v)} 个百分点" if p else signed(v)) for v, p in zip(kc["change"], kc["pct"])],
        })
        cols = tables.columns("key_changes")
        heads = {"prev_t": _cm(b.prev.month), "now_t": _cm(b.month)}   # the months are the headers
        cols = [dataclasses.replace(c, label=heads.get(c.key, c.label), kind=outputs.STATUS if c.key != "item"
                                    else c.kind) for c in cols]
        if beside:
            # a township's short briefing: its few figures and its trend side by side, one block; the lead-in
            # goes under the figures, where the taller chart leaves room
            display(HTML("<div class='tekun-beside'><div>" + tables.styled(view, cols, policy=b.policy).to_html()
                         + f"<p class='tekun-note'>{esc(since)}。</p></div>"
                         + _chart_html(b, "trend") + "</div>"))
        else:
            display(tables.styled(view, cols, policy=b.policy))
        if b.scope.whole:
            tc = b.township_changes()
            moved = tc[tc["dispersed_change"].fillna(0) != 0]
            if len(moved):
                display(HTML(f"<h3>分散供养人数有变化的{esc(b.policy.county.towns)}</h3>"))
                display(tables.styled(moved, tables.columns("township_changes"), policy=b.policy))
        hc = b.home_changes()
        if len(hc) == 1 and not b.scope.whole:      # a township's one home reads as a sentence, named as the table
            cols = tables.columns("home_changes")
            said = "，".join(c.said(hc.iloc[0][c.key]) for c in cols[1:])
            display(HTML(_line(outputs.table("home_changes").title, f"{hc.iloc[0]['home']}{said}。")))
        elif len(hc):
            display(HTML("<h3>敬老院入住变化</h3>"))
            display(tables.styled(hc, tables.columns("home_changes"), policy=b.policy))
    if len(b.months) >= 2 and (b.scope.whole or b.prev is None):
        # the banner's trend at the page's width; a township's, smaller (beside its figures when it has last month's)
        display(HTML(_chart_html(b, "trend", width="100%" if b.scope.whole else "70%")))
    if b.skipped_months:
        display(HTML(f"<p class='tekun-note'>以下月份的数据有错误，未计入趋势：{esc('、'.join(b.skipped_months))}。</p>"))
