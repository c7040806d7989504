"""督查评比: the bureau's inspections of the homes in a briefing and the Excel export.

The banner briefing ranks every home by its score (:func:`tekun_helpers.analysis.inspection.ranking`), draws the
scores as a chart, lists each item not met with the home's head and township and the due date, and scores the
items over the homes. A township's briefing shows its own homes' rows (with their place among all homes) and
their items not met. A month without any filled checklist says 未收到, never a score of zero.
"""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Markdown, display

from ..analysis import inspection as ai
from ..config import outputs
from ..config.inspection import inspection_for
from ..config.outputs import Sheet
from ..core.fmt import cn_month
from . import tables
from .parts import chart_html
from .tables import line

esc = html.escape
RANKING_WRAP = ("failed",)
#: what the briefing's tables show (the Excel sheets have every column): one A4 page wide
RANKING_SHOWN = ("rank", "home", "score", "not_met", "failed", "head")
FAILED_SHOWN = ("home", "township", "title", "evidence", "head", "due")


def ranking(b) -> pd.DataFrame:
    """The month's ranking of every home (computed once per briefing)."""
    return b.inspection_ranking()


def failed(b) -> pd.DataFrame:
    """The items not met at the month's visits (all homes), one row each."""
    return b.once("inspection_failed", lambda: ai.failed_table(b.data))


def items(b) -> pd.DataFrame:
    return b.once("inspection_items", lambda: ai.item_table(b.data))


def _how(b) -> str:
    """How the score is made, with the plan's words (inspection.toml)."""
    c = inspection_for(b.policy)
    scores = "、".join(f"{a} {s:g} 分" for a, s in c.scores)
    quote = f"方案要求：“{c.source}”" if c.source else ""
    return (f"{quote}督查检查表共 {len(c.items)} 项，每项摘自方案原文并有权重（由{b.policy.county.bureau_short}确定）；"
            f"得分率 = 各项得分（{scores}）乘以权重之和 ÷ 参加评分各项的权重之和，“不适用”的项目不计入。"
            f"名次按得分率从高到低，得分率相同的名次相同；同一敬老院本月检查多次的，按最近一次计。")


def _failed_list(b, rows: pd.DataFrame) -> None:
    if rows.empty:
        display(HTML("<p>本月督查的项目没有“不符合”。</p>"))
        return
    display(HTML(f"<p><b>不符合的项目（{len(rows)} 项）</b>：由敬老院负责人整改，所在{esc(b.policy.county.towns)}督促，"
                 f"整改情况在“上月问题落实情况”中逐月跟踪，到再次督查为“符合”为止。</p>"))
    display(tables.styled(rows, tables.columns("inspection_failed", *FAILED_SHOWN), policy=b.policy,
                          wrap=("title", "evidence")))


def township_part(b, title: str, intro: str, mark=None) -> None:
    """A township's 督查评比 part, titled and introduced by the notebook's own words: its homes' rows and their
    items not met; in a month without any checklist one line (the banner's section says more), so a
    township's briefing of such a month keeps its length. ``mark``: shows the checklists' sample mark under the
    heading (show.py passes opening.sample_mark, which this module cannot import without a cycle)."""
    if not ai.has_inspections(b.data):
        display(HTML(f"<p class='tekun-short-section'><b>{esc(title)}：</b>"
                     f"{esc(cn_month(b.month))}未收到督查检查表（没有得分，不是零分）。</p>"))
        return
    display(HTML(f"<h3>{esc(title)}</h3><p>{esc(intro)}</p>"))
    if mark is not None:
        mark(b, "督查")
    section(b)


def section(b) -> None:
    """督查评比: the ranking table and chart, the items not met with their owners, the items' scores (banner);
    a township's briefing: its homes' rows and their items not met."""
    if not ai.has_inspections(b.data):
        display(Markdown(f"{cn_month(b.month)}未收到督查检查表，本节暂无内容（不是零分）。"))
        return
    rank = ranking(b)
    if not b.scope.whole:
        own = b.scope.home_rows(rank)
        if own.empty:
            display(Markdown("本乡镇没有承接集中供养的敬老院。"))
            return
        n = int(rank["inspected"].sum())
        display(HTML(f"<p class='tekun-note'>{esc(_how(b))}名次为在本月督查的 {n} 所敬老院中的名次。</p>"))
        display(tables.styled(own, tables.columns("inspection_ranking", *RANKING_SHOWN), policy=b.policy,
                          wrap=RANKING_WRAP))
        _failed_list(b, b.scope.home_rows(failed(b)))
        return
    display(HTML(f"<p>{esc(_how(b))}</p>"))
    missing = rank.loc[~rank["inspected"], "home"].tolist()
    if missing:
        display(HTML(f"<p class='tekun-note'>本月未督查：{esc('、'.join(missing))}（列在表末，不排名次）。</p>"))
    display(tables.styled(rank, tables.columns("inspection_ranking", *RANKING_SHOWN), policy=b.policy,
                          wrap=RANKING_WRAP))
    display(HTML(chart_html(b, "inspection")))   # drawn ahead with the banner's other charts (parts.banner_charts)
    _failed_list(b, failed(b))
    display(HTML("<p><b>各检查项目得分率</b>（本月督查的敬老院合计）</p>"))
    display(tables.styled(items(b), tables.columns("inspection_items"), policy=b.policy))


def export_sheets(b) -> dict[str, Sheet]:
    """督查评比排名, 督查不符合项目 and 督查项目得分 for the Excel export (nothing in a month without inspections);
    the same frames the briefing shows."""
    if not ai.has_inspections(b.data):
        return {}
    sample = b.data.from_sample(b.data.inspections)
    out = {}
    for key, frame in (("inspection_ranking", ranking(b)), ("inspection_failed", failed(b)),
                       ("inspection_items", items(b))):
        t = outputs.table(key)
        out[t.title] = Sheet(t.columns, frame.reset_index(drop=True), sample, b.policy)
    return out
