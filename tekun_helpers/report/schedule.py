"""工作进度 and 人员配备: the plan's schedule and the homes' staff.
"""
from __future__ import annotations

import pandas as pd
from IPython.display import HTML, Markdown, display

from ..core.fmt import cn_month
from . import tables
from .briefing import Briefing
from .parts import esc, ul as _ul


def _legend(long: pd.DataFrame) -> str:
    from ..analysis.progress import STATUSES
    from .tables import STATUS_STYLE

    parts = []
    for s_ in STATUSES:
        n = int((long["status"] == s_).sum())
        if n:
            parts.append(f"<span style='{STATUS_STYLE[s_]} padding:0 0.4em;'>{esc(s_)}</span> {n} 项")
    return "　".join(parts)


def progress_section(b: Briefing) -> None:
    """The schedule: the status table (due dates in the headers), then the plan's wording of each duty."""
    from ..analysis import progress as pg

    long = b.own_progress()
    as_of = pg.month_end(b.month)
    duties = pg.duties(b.policy)

    def when(d) -> str:
        return f"{d.start.month}月{d.start.day}日至{d.due.month}月{d.due.day}日" if d.start else f"{d.due.month}月{d.due.day}日前"

    missing = "" if b.has_ledger else (f"{cn_month(b.month)}没有收到乡镇工作进度台账，领导小组、考评方案和协议书三项按“台账未报送”处理。")
    lead = (f"<p>截至{as_of.month}月{as_of.day}日：{_legend(long)}</p>"
            + (f"<p class='tekun-note'>{esc(missing)}</p>" if missing else ""))
    heads = {d.short: f"{d.short}\n{when(d)}" for d in duties}
    if b.scope.whole:
        grid = pg.status_grid(long, b.policy).rename(columns=heads)
        table = tables.progress_table(grid, pg.status_grid(long, b.policy, details=False), policy=b.policy)
    else:
        view = long.assign(due_text=long["duty"].map({d.key: when(d) for d in duties}),
                           cell=long["status"] + ("　" + long["detail"]).where(long["detail"] != "", ""))   # one line
        grid = view[["short", "due_text", "cell"]].rename(columns={"short": "工作", "due_text": "期限", "cell": "状态"})
        statuses = view[["short", "due_text", "status"]].assign(due_text="")
        table = tables.progress_table(grid, statuses, first="工作", policy=b.policy)
    # the counts and the table are one block, kept on one page: printing may not leave the line above alone
    display(HTML(f"<div class='tekun-keep-block'>{lead}{table.to_html()}</div>"))
    rule = "期限当日完成算按时完成，有起止时间的工作在开始前已完成的算提前完成。"
    if not b.scope.whole:
        display(HTML(f"<p class='tekun-note'>{esc(rule)}</p>"))
        _reassessment(b)
        return
    notes = [f"{d.short}：{d.label}（{when(d)}）" for d in duties]
    display(HTML("<p class='tekun-note'>各项工作的方案原文：" + "；".join(esc(n) for n in notes) + "。"
                 f"入住率一项只适用于本乡镇有敬老院的，每所敬老院分别判断；{esc(rule)}</p>"))
    _reassessment(b)


def reassessment_sentence(due: pd.DataFrame, month: str, every: int | None) -> str:
    """The people due for the plan's periodic re-assessment, per township, in one sentence ('' when nobody is)."""
    from ..analysis.assessment import due_by_township

    if every is None or due.empty:
        return ""
    towns = pd.DataFrame({"township": list(dict.fromkeys(due["township"]))})
    per = [f"{r.township} {r.due} 人" for r in due_by_township(towns, due).itertuples() if r.due]
    return (f"逐人定期考核评价（每 {every} 个月一次）：截至{cn_month(month)}底，最近一次考核评价已满 {every} 个月、"
            f"应再次入户考核评价的有 {len(due)} 人（{'、'.join(per)}；最早一次在{cn_month(min(due['last_assessed']))}）。")


def _reassessment(b: Briefing) -> None:
    """Under the schedule: who is due for re-assessment (nothing while nobody is)."""
    from ..analysis.assessment import reassessment_due

    due = reassessment_due(b.months, b.month, b.policy)
    if not b.scope.whole:
        due = due[due["township"] == b.township]
    text = reassessment_sentence(due, b.month, b.policy.assessment.reassess_every_months)
    if text:
        display(HTML(f"<p>{esc(text)}</p>"))


def staffing_section(b: Briefing) -> None:
    """Training, part-time heads, residents per care worker and nursing beds, per home."""
    from ..analysis import staffing as sf

    if not b.has_staff:
        display(Markdown(f"{cn_month(b.month)}没有收到敬老院工作人员台账，本节暂无内容。"))
        return
    s = b.own_staffing()
    if s.empty:
        display(Markdown("本乡镇没有承接集中供养的敬老院记录。"))
        return
    norm = sf.ratio_norm(b.policy)
    ratio_note = (f"每名护理人员服务的入住老人按不超过 {norm:g} 人判断。" if norm is not None else
                  "方案要求“合理确定工作人员与服务对象的配备比例”，未给出具体数字；本表只列出比例，不作判断"
                  "（民政局确定标准后即按此判断）。")
    marked = (f"标红为需要关注：负责人兼职或缺负责人、有护理人员培训课时未达标或未填写"
              f"{'、比例超过标准' if norm is not None else ''}。")
    if b.scope.whole:
        display(HTML(f"<p>{esc(sf.rule_sentence(b.month, b.policy))}{esc(ratio_note)}"
                     f"方案要求对兼职的负责人（院长）及时调整。{esc(marked)}</p>"))
    flags = sf.flags(s, b.policy)       # what the table marks red
    if not b.scope.whole:       # a township's briefing: the rule, and the marks when some are red
        display(HTML(f"<p class='tekun-note'>{esc(sf.rule_sentence(b.month, b.policy))}{esc(marked) if flags else ''}</p>"))
    display(tables.staffing_table(s))
    if flags:
        display(HTML(_ul(flags)))
