"""排查评估: the assessment forms' results, what is to be done with whom, and where the people to move can go.
"""
from __future__ import annotations

from IPython.display import HTML, Markdown, display

from ..analysis import placement
from ..config import outputs
from ..config.schema import ASSESSMENTS, VOCABULARIES
from ..core.fmt import cn_month, percent, thousands
from . import followup, tables
from ..analysis.absence import NOT_RECEIVED, absence_note
from .briefing import Briefing
from .parts import esc, cases as _cases, BANNER_LIST


def hosted_note(hosting: placement.Hosting) -> str:
    """The homes taking the people of townships without a home of their own, said in brackets, and that it
    is an assumption when the reference data notes it so (:func:`placement.hosting`):
    '（没有敬老院的乡镇暂按旗中心敬老院承接，这是假设，待民政局确认）'; '' when every township has its own."""
    if not hosting.townships:
        return ""
    assumed = "，这是假设，待民政局确认" if hosting.noted else ""
    return f"（没有敬老院的乡镇暂按{'、'.join(hosting.homes)}承接{assumed}）"


def unreported_sentence(b: Briefing) -> str:
    """A township's briefing whose 附件3 figures are not in the month: what is 未报送 (or, in a draft, 待核实)
    and what follows from it."""
    why = b.own_absence
    if why != NOT_RECEIVED:
        return (f"{cn_month(b.month)}{b.township}{why.why}：评估结果、应纳入集中供养、移交处理和就医提醒的人数均为"
                f"{why.label}，不计入{b.policy.county.whole}合计。")
    return (f"{cn_month(b.month)}未收到{b.township}的排查评估表（附件3）：评估结果、应纳入集中供养、移交处理和就医提醒的"
            f"人数均为未报送（不是零）；上月名单中的人员在整改跟踪中为“未核实”，待报送后核实。")


def with_unreported(df, cols, absent: dict):
    """``df`` (one row per township) with its 合计 over the townships that sent their forms, and the
    others' rows (``absent``: township -> why, :meth:`Briefing.absent`) saying 未报送 (or 待核实) in every
    figure, in the official order before the 合计."""
    import pandas as pd

    missing = list(absent)
    if not missing:
        return tables.add_total(df, cols)
    sent = tables.add_total(df[~df["township"].isin(missing)].reset_index(drop=True), cols)
    figures = [c.key for c in cols if c.key != "township" and c.key in df.columns]
    left = df[df["township"].isin(missing)].astype(object)
    for k in figures:
        left[k] = left["township"].map(lambda t: absent[t].label)
    body, total = sent.iloc[:-1], sent.iloc[-1:]
    rank = {t: i for i, t in enumerate(df["township"])}
    body = pd.concat([body.astype(object), left], ignore_index=True)
    body = body.sort_values("township", key=lambda s: s.map(rank), kind="stable")
    total = total.assign(township=f"{total['township'].iloc[0]}{absence_note(absent)}")
    return pd.concat([body, total.astype(object)], ignore_index=True)



def assessment_section(b: Briefing) -> None:
    if not b.has_assessments:
        display(Markdown(f"{cn_month(b.month)}尚未收到排查评估表（附件3），本节暂无内容。"))
        return
    if b.form_missing:
        display(HTML(f"<p>{esc(unreported_sentence(b))}</p>"))
        return
    missing = b.unreported()
    cov = b.scope.rows(b.coverage)
    cov = cov[~cov["township"].isin(missing)]
    assessed, dispersed = int(cov["assessed"].sum()), int(cov["dispersed"].sum())
    ct = b.capacity_totals
    text = (f"已评估 {thousands(assessed)} 人，占分散供养人数 {thousands(dispersed)} 人的 "
            f"{percent(assessed / dispersed if dispersed else 1.0)}{b.unreported_words()}；")
    if b.scope.whole:
        text += (f"按方案应纳入敬老院集中供养 {thousands(ct['transfer'])} 人，"
                 f"{b.policy.county.whole}敬老院空余床位 {thousands(ct['free_beds'])} 张，达到入住率目标尚缺 {thousands(ct['missing_to_target'])} 人。")
    else:
        cap = b.capacity[b.capacity["township"] == b.township].iloc[0]
        # the transfer plan under the list names the people to move and the free beds; here only the homes and the gap
        text += (f"承接敬老院为{cap['homes']}，达到入住率目标尚缺 {cap['missing_to_target']} 人。" if cap["transfer"]
                 else f"按方案应纳入敬老院集中供养 0 人，承接敬老院（{cap['homes']}）空余床位 {cap['free_beds']} 张，"
                      f"达到入住率目标尚缺 {cap['missing_to_target']} 人。")
    display(HTML(f"<p>{esc(text)}</p>"))

    if b.scope.whole:
        short = b.coverage[(b.coverage["to_assess"] > 0) & ~b.coverage["township"].isin(missing)]
        if short.empty:
            display(HTML(f"<p class='tekun-short-section'><b>评估覆盖情况：</b>{len(b.coverage)} 个{esc(b.policy.county.towns)}"
                         f"均已全部评估（覆盖率 100.0%）。</p>"))
        else:
            display(HTML(f"<h3>评估覆盖情况（未全部评估的 {len(short)} 个{esc(b.policy.county.towns)}）</h3>"))
            cols = tables.columns("coverage")
            display(tables.styled(tables.add_total(short, cols), cols, policy=b.policy, total_row=len(short) > 1))
        # one table by township: the results, what is to be done, and where the people to move can go (转入安排)
        display(HTML("<h3>评估结果、处理意见与转入安排（按乡镇）</h3>"))
        merged = b.assessment_by_township()
        plan_cols = ("placed_own", "placed_nearest", "unplaced")
        cols = [*tables.columns("rule_counts", "township"), *outputs.result_columns(VOCABULARIES["result"].labels),
                *tables.columns("rule_counts", "transfer", "transfer_fully_disabled", "escalate", "alert"),
                *tables.columns("capacity_brief", "free_beds"), *tables.columns("placement", *plan_cols),
                *tables.columns("capacity_brief", "missing_to_target")]
        display(tables.styled(with_unreported(merged, cols, b.absent()), cols, policy=b.policy, total_row=True))
        display(HTML("<p class='tekun-note'>承接院为民政局参考资料中确定的承接各乡镇集中供养的敬老院"
                     f"{esc(hosted_note(placement.hosting(b.reference)))}；"
                     "同一敬老院承接多个乡镇时，其空余床位在各乡镇行中重复列出，不作合计。"
                     f"转入安排：{esc(followup.plan_note(b))}</p>"))
        _cases(b, "transfer", "应纳入敬老院集中供养人员", limit=BANNER_LIST)
        _cases(b, "escalate", "需移交处理人员", limit=BANNER_LIST)
    else:
        # counts only: the number assessed is said above, and each item then fits one line of its column
        rows = [(ASSESSMENTS.field(f).label, "；".join(f"{a} {c} 人" for a, c in zip(counts["answer"], counts["people"]) if c))
                for f, counts in b.own_answers().items()]
        # a short list in two columns, each item its field and its answers: read at a glance, not row by row
        display(HTML(f"<h3>{esc(outputs.table('answers').title)}</h3>"))     # its own output: the list may break
        display(HTML("<ul class='tekun-answers'>" + "".join(f"<li><b>{esc(fl)}</b>：{esc(a)}</li>" for fl, a in rows)
                     + "</ul>"))
        _cases(b, "transfer", "应纳入敬老院集中供养人员")
        followup.transfer_plan(b)
        _cases(b, "escalate", "需移交处理人员")
        _cases(b, "alert", "就医提醒")
