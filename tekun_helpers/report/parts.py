"""Rendering shared by the briefing's sections: a short part on one line, a list, a chart as an embedded
PNG, a list of people under its heading. ``b`` is a :class:`~tekun_helpers.report.briefing.Briefing` (not
imported here, not even for annotations: the briefing imports sections that use this module).

Text taken from input files is always escaped before it is shown as HTML, so a name holding markup
appears as text and never runs.
"""
from __future__ import annotations

import html

from IPython.display import HTML, display

from ..core.frames import rows_of
from . import followup, tables
from .tables import line  # noqa: F401  (the sections find it here, with esc and ul)


esc = html.escape


def ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"


CHART_ALT = {
    "townships": "柱状图：各{towns}分散供养特困人员人数，按全失能、半失能和自理分段。",
    "occupancy": "条形图：各敬老院入住率，竖线为入住率目标，未达标的敬老院标为红色。",
    "missing": "条形图：各敬老院距入住率目标还差的人数，从多到少排列。",
    "trend": "折线图：截至本月逐月的分散供养人数与敬老院入住率。",
    "inspection": "条形图：各敬老院督查评比得分率，从高到低排列；有不符合项目的敬老院标为红色。",
}


def chart_html(b, which: str, *, width: str = "100%", dpi: int = 150, compact: bool = False,
               side: bool = False) -> str:
    """A chart as a figure: the PNG drawn for the A4 page (print, and wider screens), and the same chart drawn
    for a phone's screen as SVG, shown instead below 600 px (the template's CSS): its words stay text, at their
    size on the screen (the A4 chart shrunk to a phone showed them at 5 px). Kept with what the month's
    briefings share (the briefing's scope in the key), where :func:`draw_ahead` may have drawn it already."""
    args = dict(width=width, dpi=dpi, compact=compact, side=side)
    return b.shared(_chart_key(b, which, args), lambda: _draw_chart_html(b, which, **args), keep=_kept(b))


def _kept(b) -> bool:
    """Whether ``b``'s charts are kept in the disk store: the banner's (a township's 18 briefings a month would
    crowd out the store's other months, and only the banner's are drawn ahead)."""
    return b.scope.whole


#: the charts of the banner's briefing (notebooks/monthly_briefing.ipynb: the leader's page, the townships'
#: chart, the homes' pair; the trend once there are two months), as (which, chart_html's keywords)
BANNER_CHARTS = (("occupancy", dict(dpi=200, side=True)), ("townships", dict(compact=True)),
                 ("occupancy", dict(compact=True)), ("missing", dict(compact=True)))


def banner_charts(b) -> list[tuple[str, dict]]:
    """:data:`BANNER_CHARTS`, the trend where the briefing has two months or more, and the 督查评比 ranking in a
    month with checklists (in this order, which shares them evenly between two cores: see :func:`draw_ahead`)."""
    from ..analysis.inspection import has_inspections

    return [*BANNER_CHARTS, *([("trend", dict(width="100%"))] if len(b.months) >= 2 else []),
            *([("inspection", {})] if has_inspections(b.data) else [])]


def draw_ahead(b, charts: list[tuple[str, dict]]) -> None:
    """Draw ``charts`` of ``b`` (as :func:`chart_html` would, one after the other) on every core at once, and keep
    them where :func:`chart_html` finds them: a single banner briefing (``tekun report``) draws its charts while
    its one worker has not started, instead of one after the other in its notebook, on one core."""
    from ..core.parallel import map_forked

    todo = [(which, args) for which, args in charts if not b.has_shared(_chart_key(b, which, args), keep=_kept(b))]
    if todo:
        from . import charts as _charts  # noqa: F401  (matplotlib imported here once, not by each helper)
    drawn = map_forked(lambda c: _draw_chart_html(b, c[0], **c[1]), todo)
    for (which, args), html_ in zip(todo, drawn):
        b.shared(_chart_key(b, which, args), lambda h=html_: h, keep=_kept(b))


#: chart_html's keywords when not given
CHART_DEFAULTS = dict(width="100%", dpi=150, compact=False, side=False)


def _chart_key(b, which: str, args: dict) -> tuple:
    return ("chart_html", b.township, which, *sorted({**CHART_DEFAULTS, **args}.items()))


def _draw_chart_html(b, which: str, *, width: str = "100%", dpi: int = 150, compact: bool = False,
                     side: bool = False) -> str:
    import base64
    import io

    from .charts import phone_svg   # matplotlib only when a chart is drawn: the banner's are kept (core/store.py)

    fig = b.chart(which, compact=compact, side=side)
    title = fig.axes[0].get_title().replace("\n", "") if fig.axes else ""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    words = b.policy.county.fill(CHART_ALT.get(which, ""))
    alt = f"{title}。{words}" if title else words
    phone = phone_svg(b.chart(which, phone=True), salt=f"{which}-{'side' if side else 'compact' if compact else 'page'}")
    return (f"<figure class='tekun-figure'><img src='data:image/png;base64,{data}' alt='{esc(alt)}' "
            f"style='width:{width}'><div class='tekun-phone-chart' style='display:none' role='img' "
            f"aria-label='{esc(alt)}'>{phone}</div></figure>")


def scoped(b, table_key: str, *keys: str) -> list:
    """The registry's columns of a table for this briefing's scope: a township's briefing leaves out
    the township column (every row is its own)."""
    cols = tables.columns(table_key, *keys)
    return cols if b.scope.whole else [c for c in cols if c.key != "township"]


#: how many people the banner's briefing lists of each group (a township's briefing lists all of its own)
BANNER_LIST = 10


def cases(b, rule: str, title_text: str, limit: int | None = None, level: int = 3) -> None:
    """One rule's list of people under a heading of ``level`` (3: a part of its section, 4: a part of a part)."""
    df = b.cases(rule)
    label = b.rules_label(rule)
    if df.empty:
        css = "tekun-short-section" + (" tekun-h4" if level == 4 else "")
        display(HTML(f"<p class='{css}'><b>{esc(title_text)}：</b>无。</p>"))
        return
    shown = df if limit is None else df.head(limit)
    cols = [c for c in scoped(b, "cases") if c.key != "overdue"]
    late = followup.carried_over(b, rule) if not b.scope.whole else None
    if late is not None and len(late):        # people found in an earlier month and past due: said in the list
        shown = shown.assign(overdue="")
        at = shown.columns.get_loc("overdue")
        for r in rows_of(late.sort_values("days_overdue")):      # the longest overdue is written last
            shown.iloc[r["pos"], at] = followup.overdue_text(r["first_seen"], r["days_overdue"])
        cols.append(tables.columns("cases", "overdue")[0])
    more = (f"（共 {len(df)} 人，列出前 {len(shown)} 人，全部名单见各乡镇简报）" if len(shown) < len(df)
            else f"（共 {len(df)} 人）")
    rule_ = b.policy.rules.get(rule)
    order = f"名单顺序：{rule_.priority_text}。" if rule_ is not None and rule_.priority_text else ""
    # the plan's wording is quoted in the banner's briefing; a township's says only the order of its list
    note = order + (label if b.scope.whole else "")
    display(HTML(f"<h{level}>{esc(title_text)}{esc(more)}</h{level}>" + (f"<p class='tekun-note'>{esc(note)}</p>" if note else "")))
    display(tables.styled(shown, cols, policy=b.policy, wrap=("reasons",), soft=("overdue",))
            .set_table_attributes('class="tekun-list"'))
