"""领导摘要: the leader's one page.
"""
from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from ..core.fmt import percent, thousands
from . import tables
from .briefing import Briefing
from .parts import esc, chart_html as _chart_html


#: a tile's value longer than this many characters is set smaller (2023年10月31日 fits one line)
LONG_TILE = 7


def _deadline_note(k: dict) -> str:
    """The deadline tile's note: days left before the deadline's month, 本月底 in it, days past after it."""
    deadline, as_of = k["outlook_deadline"], k["as_of"]
    if k["outlook_passed"]:
        return f"（已过 {-k['outlook_days_left']} 天）"
    if (deadline.year, deadline.month) == (as_of.year, as_of.month):
        return "（本月底到期）"
    return f"（还有 {k['outlook_days_left']} 天）"


def leader_page(b: Briefing) -> None:
    """领导摘要, one A4 page: key-figure tiles, 本月问题与措施 (what, who, by when), the homes below
    target ranked by the residents they lack with their heads' phones, and the occupancy chart small."""
    from . import actions as ac

    k = b.key
    occ = b.policy.occupancy
    homes = b.own_homes()
    below = ac.below_target(b)
    if b.scope.whole:
        people = (f"{thousands(k['dispersed'])}", "人", f"分散供养特困人员（全失能 {k['fully_disabled']}、半失能 {k['semi_disabled']}）")
    else:
        r = b.town_row()
        people = (f"{thousands(r['dispersed'])}", "人", f"分散供养特困人员（全失能 {r['fully_disabled']}、半失能 {r['semi_disabled']}）")
    beds, res = int(homes["beds"].sum()), int(homes["residents"].sum())
    occupancy = (percent(res / beds) if beds else "—", "", f"敬老院入住率（入住 {thousands(res)} 人 / 床位 {thousands(beds)} 张）")
    if not b.scope.whole and len(homes) > 1:       # each home is judged on its own: no pooled rate of several homes
        occupancy = (f"{int(homes['at_target'].astype(bool).sum())}/{len(homes)}", "所", f"敬老院达到 {occ.percent}（"
                     + "、".join(f"{h['home']} {percent(h['occupancy'])}" for _, h in homes.iterrows()) + "）")
    tiles = [people, occupancy,
             (f"{len(below)}", "所", f"未达 {occ.percent} 的敬老院，共差 {thousands(below['missing'].sum())} 人"),
             (ac.deadline_label(occ.deadline, b.month), "", "入住率目标期限" + _deadline_note(k))]
    if b.has_assessments:
        n = int(b.scope.rows(b.capacity)["transfer"].sum())
        tiles.insert(3, (b.own_absence.label, "", f"应纳入敬老院集中供养（{b.own_absence.tile}）") if b.form_missing
                     else (thousands(n), "人", "应纳入敬老院集中供养"))
    # a long value (a date with its year) in a smaller size, on one line
    long = " class='tekun-long'"
    tile_html = "".join(f"<div class='tekun-tile'><b{long if len(v) > LONG_TILE else ''}>{esc(v)}</b>"
                        f"<small>{esc(u)}</small><span>{esc(t)}</span></div>" for v, u, t in tiles)
    acts = ac.actions(b)
    view = pd.DataFrame([a.__dict__ for a in acts], columns=["kind", "finding", "who", "due"])
    html_parts = [f"<div class='tekun-tiles'>{tile_html}</div>", f"<h3>本月问题与措施（{len(acts)} 类）</h3>"]
    html_parts.append(_card_labels(tables.styled(view, tables.columns("actions"), policy=b.policy,
                                                 wrap=("finding", "who", "due"))
                                   .set_table_attributes('class="tekun-actions"').to_html(), from_col=2)
                      if len(view) else "<p>本月未发现需要处理的问题。</p>")
    if len(below):
        cols = tables.columns("below_target")
        if not b.scope.whole:
            cols = [c for c in cols if c.key != "township"]
        html_parts.append(
            f"<h3>未达 {esc(occ.percent)} 的敬老院（{'目标期限已过，均为逾期未完成；' if k['outlook_passed'] else ''}"
            f"按尚缺人数排列；负责人与电话取自附件2）</h3>"
            + (f"<div class='tekun-side'><div>{tables.styled(below, cols, policy=b.policy).to_html()}</div>"
               f"<div>{_chart_html(b, 'occupancy', dpi=200, side=True)}</div></div>" if b.scope.whole
               else f"<div class='tekun-wide'>{tables.styled(below, cols, policy=b.policy).to_html()}</div>"))
    # the banner's page 1 stands alone; a township's short briefing flows on after it
    end = "<div class='tekun-leader-end'></div>" if b.scope.whole else ""
    display(HTML("<div class='tekun-leader'>" + "".join(html_parts) + "</div>" + end))


_HEAD = re.compile(r'<th [^>]*class="col_heading level0 col(\d+)"[^>]*>(.*?)</th>', re.S)
_CELL = re.compile(r'<td [^>]*class="data row\d+ col(\d+)[ "]')


def _card_labels(table_html: str, from_col: int) -> str:
    """Give each cell of column ``from_col`` and after its column's header as ``data-label``: on a phone the
    table is a stack of cards (one a problem, see the template's CSS) and these cells say what they are
    (责任单位：…, 期限：…); the first columns (class, problem) speak for themselves."""
    labels = {int(n): esc(html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), quote=True)
              for n, text in _HEAD.findall(table_html)}

    def put(m: re.Match) -> str:
        col = int(m.group(1))
        if col < from_col or col not in labels:
            return m.group(0)
        return f'<td data-label="{labels[col]}" ' + m.group(0)[len("<td "):]
    return _CELL.sub(put, table_html)
