"""What the notebooks display: each function renders one part of a briefing.

Text taken from input files is always escaped before it is shown as HTML, so
a name holding markup appears as text and never runs.
"""
from __future__ import annotations

import dataclasses
import html

import pandas as pd
from IPython.display import HTML, Markdown, display

from ..analysis import assessment
from ..config.schema import ASSESSMENTS, VOCABULARIES
from ..config import outputs
from ..core.fmt import cn_date, cn_month, money, percent, signed, signed_points, thousands
from ..core.frames import rows_of
from ..core.text import printable
from ..month import PROVENANCE
from . import followup, sections, tables
from .briefing import Briefing

esc = html.escape


def _line(title: str, text: str, css: str = "") -> str:
    """A part with nothing to show at length: its title and what there is to say, on one line."""
    return f"<p class='tekun-short-section{' ' + css if css else ''}'><b>{esc(title)}：</b>{esc(text)}</p>"


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"


def prose(b: Briefing, text: str) -> None:
    """Show a notebook's own paragraph (Markdown) with the plan's facts filled in from policy.toml.

    ``text`` names the facts in braces, e.g. ``"力争到{occupancy.deadline_label}，入住率达到{occupancy.percent}以上"``
    or ``"{duties[assessment].due_label}"``; see :meth:`Briefing.facts` for the names. The prose
    stays in the notebook, the numbers and dates come from the one place that holds them.
    """
    display(Markdown(text.format_map(b.facts())))


def title(b: Briefing) -> None:
    doc = b.policy.document
    display(HTML(f"<h1>{esc(b.title())}</h1>"
                 f"<p class='tekun-sub'>{esc(b.policy.county.bureau)} · "
                 f"依据《{esc(doc.title)}》（{esc(doc.number)}） · 数据指纹 {esc(b.data.fingerprint)}</p>"))
    sample = b.sample_files()
    if sample:
        real = [s.name for s in b.data.sources if not s.sample]
        said = (f"真实数据：{'、'.join(_table_names(real))}；其余 {len(sample)} 个文件" if real
                else f"全部 {len(sample)} 个文件")
        display(HTML(f"<p class='tekun-note'>{esc(said)}为<b>示例数据</b>（程序生成，人物均为虚构），"
                     "用到它们的部分标有“示例数据”，仅供演示，不得作为工作依据。</p>"))


def sample_mark(b: Briefing, *kinds: str) -> None:
    """The mark under a section's heading: which of the inputs its figures come from are sample data.

    ``kinds`` are the inputs the section's figures come from (names of :data:`tekun_helpers.month.INPUT_KINDS`:
    附件1, 附件2, 附件3, 台账, 名册, 资金). When any of them was read from generated sample files the section
    gets a red 示例数据 badge naming them (and the real ones); when all are real, a small grey 真实数据 line;
    when none was read this month, nothing.
    """
    read = b.data.kinds_read(*kinds)
    sample = b.data.sample_kinds(*kinds)
    real = [k for k in read if k not in sample]
    if sample:
        text = f"本节的{'、'.join(sample)}为程序生成的示例数据" + (f"，{'、'.join(real)}为真实数据" if real else "")
        display(HTML(f"<p class='tekun-mark tekun-mark-sample'><b>示例数据</b><span>{esc(text)}</span></p>"))
    elif real:
        display(HTML(f"<p class='tekun-mark tekun-mark-real'>真实数据：{esc('、'.join(real))}</p>"))


def _table_names(files: list[str]) -> list[str]:
    """'附件1 2023年8月分散供养人员分乡镇统计表.xlsx' -> '附件1'; other names as they are, without the extension."""
    out = []
    for f in files:
        stem = f.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        out.append(stem.split(" ", 1)[0] if stem.startswith("附件") else stem)
    return out


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
             (cn_date(occ.deadline).split("年", 1)[1], "", "入住率目标期限" + (
                 "（已过）" if k["outlook_passed"] else f"（还有 {k['outlook_days_left']} 天）"))]
    if b.has_assessments:
        n = int(b.scope.rows(b.capacity)["transfer"].sum())
        tiles.insert(3, (thousands(n), "人", "应纳入敬老院集中供养"))
    tile_html = "".join(f"<div class='tekun-tile'><b>{esc(v)}</b><small>{esc(u)}</small><span>{esc(t)}</span></div>"
                        for v, u, t in tiles)
    acts = ac.actions(b)
    view = pd.DataFrame([a.__dict__ for a in acts], columns=["kind", "finding", "who", "due"])
    html_parts = [f"<div class='tekun-tiles'>{tile_html}</div>", f"<h3>本月问题与措施（{len(acts)} 类）</h3>"]
    html_parts.append(tables.styled(view, tables.columns("actions"), wrap=("finding", "who", "due"))
                      .set_table_attributes('class="tekun-actions"').to_html()
                      if len(view) else "<p>本月未发现需要处理的问题。</p>")
    if len(below):
        cols = tables.columns("below_target")
        if not b.scope.whole:
            cols = [c for c in cols if c.key != "township"]
        html_parts.append(
            f"<h3>未达 {esc(occ.percent)} 的敬老院（按尚缺人数排列；负责人与电话取自附件2）</h3>"
            + (f"<div class='tekun-side'><div>{tables.styled(below, cols).to_html()}</div>"
               f"<div>{_chart_html(b, 'occupancy', dpi=200, side=True)}</div></div>" if b.scope.whole
               else tables.styled(below, cols).to_html()))
    # the banner's page 1 stands alone; a township's short briefing flows on after it
    end = "<div class='tekun-leader-end'></div>" if b.scope.whole else ""
    display(HTML("<div class='tekun-leader'>" + "".join(html_parts) + "</div>" + end))


def summary(b: Briefing) -> None:
    display(HTML(f"<p>{esc(b.summary())}</p><p>{esc(b.progress_sentence())}</p>"
                 f"<p><b>需要关注：</b></p>{_ul(b.attention())}"))


def key_figures(b: Briefing) -> None:
    k = b.key
    rows = [
        ("分散供养特困人员", f"{thousands(k['dispersed'])} 人", f"全失能 {k['fully_disabled']} 人，半失能 {k['semi_disabled']} 人"),
        ("公办敬老院", f"{k['homes']} 所", f"床位 {thousands(k['beds'])} 张，工作人员 {k['staff']} 人"),
        ("现入住", f"{thousands(k['residents'])} 人", f"入住率 {percent(k['occupancy'])}，空余床位 {thousands(k['free_beds'])} 张"),
        (f"{b.policy.target_percent}应住人数", f"{thousands(k['needed'])} 人", "各院按政策取整后相加"),
        ("未达标院尚缺", f"{thousands(k['missing_below_target'])} 人", f"{k['homes_below_target']} 所未达标敬老院差额之和"),
        ("官方“还应入住人数”合计", f"{thousands(k['net_gap'])} 人", "净数：已达标院的超出部分已相抵"),
        ("目标期限", cn_date(k["outlook_deadline"]),
         "已过期限" if k["outlook_passed"] else f"还有 {k['outlook_days_left']} 天"),
    ]
    df = pd.DataFrame(rows, columns=["指标", "数值", "说明"])
    display(tables.plain(df))


CHART_ALT = {
    "townships": "柱状图：各乡镇苏木街道分散供养特困人员人数，按全失能、半失能和自理分段。",
    "occupancy": "条形图：各敬老院入住率，竖线为入住率目标，未达标的敬老院标为红色。",
    "missing": "条形图：各敬老院距入住率目标还差的人数，从多到少排列。",
    "trend": "折线图：截至本月逐月的分散供养人数与敬老院入住率。",
}


def _chart_html(b: Briefing, which: str, *, width: str = "100%", dpi: int = 150, compact: bool = False,
                side: bool = False) -> str:
    import base64
    import io

    fig = b.chart(which, compact=compact, side=side)
    title = fig.axes[0].get_title() if fig.axes else ""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = f"{title}。{CHART_ALT.get(which, '')}" if title else CHART_ALT.get(which, "")
    return (f"<figure class='tekun-figure'><img src='data:image/png;base64,{data}' alt='{esc(alt)}' "
            f"style='width:{width}'></figure>")


def chart(b: Briefing, which: str, *, compact: bool = False) -> None:
    """Draw one of the briefing's charts and show it as an embedded PNG with a Chinese description (alt);
    ``compact``: half the usual height (a printed page is not taken by one chart)."""
    display(HTML(_chart_html(b, which, compact=compact)))


def chart_pair(b: Briefing, left: str, right: str) -> None:
    """Two of the briefing's charts drawn small, side by side (each half the page's width)."""
    display(HTML("<div class='tekun-pair'>" + _chart_html(b, left, compact=True)
                 + _chart_html(b, right, compact=True) + "</div>"))


def township_table(b: Briefing) -> None:
    display(tables.township_table(b.towns))


def occupancy_note(b: Briefing) -> None:
    k = b.key
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
        shared = [h for h in homes["home"] if len([t for t in b.reference.townships if h in t.served_by]) > 1]
        if shared:
            display(HTML(f"<p>{esc('、'.join(shared))}同时承接多个乡镇苏木街道，其空余床位由这些乡镇共用。</p>"))


# -- assessments ----------------------------------------------------------------------

def _scoped(b: Briefing, table_key: str, *keys: str) -> list:
    """The registry's columns of a table for this briefing's scope: a township's briefing leaves out
    the township column (every row is its own)."""
    cols = tables.columns(table_key, *keys)
    return cols if b.scope.whole else [c for c in cols if c.key != "township"]


def _cases(b: Briefing, rule: str, title_text: str, limit: int | None = None, level: int = 3) -> None:
    """One rule's list of people under a heading of ``level`` (3: a part of its section, 4: a part of a part)."""
    df = b.cases(rule)
    label = b.rules_label(rule)
    if df.empty:
        css = "tekun-short-section" + (" tekun-h4" if level == 4 else "")
        display(HTML(f"<p class='{css}'><b>{esc(title_text)}：</b>无。</p>"))
        return
    shown = df if limit is None else df.head(limit)
    cols = [c for c in _scoped(b, "cases") if c.key != "overdue"]
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
    display(tables.styled(shown, cols, wrap=("reasons",), soft=("overdue",)).set_table_attributes('class="tekun-list"'))


#: how many people the banner's briefing lists of each group (a township's briefing lists all of its own)
BANNER_LIST = 10


def assessment_section(b: Briefing) -> None:
    if not b.has_assessments:
        display(Markdown(f"{cn_month(b.month)}尚未收到排查评估表（附件3），本节暂无内容。"))
        return
    cov = b.scope.rows(b.coverage)
    assessed, dispersed = int(cov["assessed"].sum()), int(cov["dispersed"].sum())
    ct = b.capacity_totals
    text = (f"已评估 {thousands(assessed)} 人，占分散供养人数 {thousands(dispersed)} 人的 "
            f"{percent(assessed / dispersed if dispersed else 1.0)}；")
    if b.scope.whole:
        text += (f"按方案应纳入敬老院集中供养 {thousands(ct['transfer'])} 人，"
                 f"全旗敬老院空余床位 {thousands(ct['free_beds'])} 张，达到入住率目标尚缺 {thousands(ct['missing_to_target'])} 人。")
    else:
        cap = b.capacity[b.capacity["township"] == b.township].iloc[0]
        # the transfer plan under the list names the people to move and the free beds; here only the homes and the gap
        text += (f"承接敬老院为{cap['homes']}，达到入住率目标尚缺 {cap['missing_to_target']} 人。" if cap["transfer"]
                 else f"按方案应纳入敬老院集中供养 0 人，承接敬老院（{cap['homes']}）空余床位 {cap['free_beds']} 张，"
                      f"达到入住率目标尚缺 {cap['missing_to_target']} 人。")
    display(HTML(f"<p>{esc(text)}</p>"))

    if b.scope.whole:
        short = b.coverage[b.coverage["to_assess"] > 0]
        if short.empty:
            display(HTML(f"<p class='tekun-short-section'><b>评估覆盖情况：</b>{len(b.coverage)} 个乡镇苏木街道"
                         f"均已全部评估（覆盖率 100.0%）。</p>"))
        else:
            display(HTML(f"<h3>评估覆盖情况（未全部评估的 {len(short)} 个乡镇苏木街道）</h3>"))
            cols = tables.columns("coverage")
            display(tables.styled(tables.add_total(short, cols), cols, total_row=len(short) > 1))
        # one table by township: the results, what is to be done, and where the people to move can go (转入安排)
        display(HTML("<h3>评估结果、处理意见与转入安排（按乡镇）</h3>"))
        res = assessment.results_by_township(b.data.townships, b.people)
        merged = res.merge(b.rule_counts, on="township").merge(b.capacity[["township", "free_beds", "missing_to_target"]],
                                                                 on="township")
        plan_cols = ("placed_own", "placed_nearest", "unplaced")
        towns = followup.plan_towns(b)
        plan = towns[["township", *plan_cols]] if len(towns) else pd.DataFrame(columns=["township", *plan_cols])
        merged = merged.merge(plan, on="township", how="left")
        merged[list(plan_cols)] = merged[list(plan_cols)].fillna(0).astype("int64")
        cols = [*tables.columns("rule_counts", "township"), *outputs.result_columns(VOCABULARIES["result"].labels),
                *tables.columns("rule_counts", "transfer", "transfer_fully_disabled", "escalate", "alert"),
                *tables.columns("capacity_brief", "free_beds"), *tables.columns("placement", *plan_cols),
                *tables.columns("capacity_brief", "missing_to_target")]
        display(tables.styled(tables.add_total(merged, cols), cols, total_row=True))
        display(HTML("<p class='tekun-note'>承接院为民政局参考资料中确定的承接各乡镇集中供养的敬老院"
                     "（没有敬老院的乡镇暂按旗中心敬老院承接，这是假设，待民政局确认）；"
                     "同一敬老院承接多个乡镇时，其空余床位在各乡镇行中重复列出，不作合计。"
                     f"转入安排：{esc(followup.plan_note(b))}</p>"))
        _cases(b, "transfer", "应纳入敬老院集中供养人员", limit=BANNER_LIST)
        _cases(b, "escalate", "需移交处理人员", limit=BANNER_LIST)
    else:
        people = b.own_people()
        rows = []
        for f in ("self_care", "housing", "environment", "quality", "care", "treated", "self_controls_allowance",
                  "rights_infringed", "result"):
            counts = assessment.answer_counts(people, f)
            n = int(counts["people"].sum())
            # counts only: the number assessed is said above, and each item then fits one line of its column
            parts = [f"{a} {c} 人" for a, c in zip(counts["answer"], counts["people"]) if c]
            rows.append((ASSESSMENTS.field(f).label, "；".join(parts)))
        # a short list in two columns, each item its field and its answers: read at a glance, not row by row
        display(HTML(f"<h3>{esc(outputs.table('answers').title)}</h3>"))     # its own output: the list may break
        display(HTML("<ul class='tekun-answers'>" + "".join(f"<li><b>{esc(fl)}</b>：{esc(a)}</li>" for fl, a in rows)
                     + "</ul>"))
        _cases(b, "transfer", "应纳入敬老院集中供养人员")
        followup.transfer_plan(b)
        _cases(b, "escalate", "需移交处理人员")
        _cases(b, "alert", "就医提醒")


def township_summary(b: Briefing) -> None:
    """The township's place in the banner; its people, homes and this month's cases are on page 1 (the tiles,
    本月问题与措施 and the homes below target) and its schedule opens 工作进度, so they are not said again."""
    r = b.town_row()
    # the numbers of people are page 1's first tile; here the township's place in the banner
    text = (f"{b.township}分散供养特困人员人数占全旗的 {percent(r['share_of_banner'])}，"
            f"人数居全旗第 {r['rank']} 位（共 {len(b.towns)} 个乡镇苏木街道）。")
    display(HTML(f"<p class='tekun-town'>{esc(text)}</p>"))     # the mark of a township's briefing (print sizes)


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
            display(HTML("<div class='tekun-beside'><div>" + tables.styled(view, cols).to_html()
                         + f"<p class='tekun-note'>{esc(since)}。</p></div>"
                         + _chart_html(b, "trend") + "</div>"))
        else:
            display(tables.styled(view, cols))
        if b.scope.whole:
            tc = b.township_changes()
            moved = tc[tc["dispersed_change"].fillna(0) != 0]
            if len(moved):
                display(HTML("<h3>分散供养人数有变化的乡镇苏木街道</h3>"))
                display(tables.styled(moved, tables.columns("township_changes")))
        hc = b.home_changes()
        if len(hc) == 1 and not b.scope.whole:      # a township's one home reads as a sentence, named as the table
            cols = tables.columns("home_changes")
            said = "，".join(c.said(hc.iloc[0][c.key]) for c in cols[1:])
            display(HTML(_line(outputs.table("home_changes").title, f"{hc.iloc[0]['home']}{said}。")))
        elif len(hc):
            display(HTML("<h3>敬老院入住变化</h3>"))
            display(tables.styled(hc, tables.columns("home_changes")))
    if len(b.months) >= 2 and (b.scope.whole or b.prev is None):
        # the banner's trend at the page's width; a township's, smaller (beside its figures when it has last month's)
        display(HTML(_chart_html(b, "trend", width="100%" if b.scope.whole else "70%")))
    if b.skipped_months:
        display(HTML(f"<p class='tekun-note'>以下月份的数据有错误，未计入趋势：{esc('、'.join(b.skipped_months))}。</p>"))


def data_quality(b: Briefing) -> None:
    notes = b.quality_notes()
    title = "数据检查警告"
    back = "" if b.scope.whole else "tekun-back"     # a township's back matter prints small (the banner's is longer)
    display(HTML(_line(title, notes[0], back) if len(notes) == 1 else f"<h3>{esc(title)}</h3>" + _ul(notes) if notes
                 else _line(title, "本月数据未发现问题。", back)))
    label = {c.key: c.header() for c in tables.columns("sources")}
    if not b.scope.whole:
        # a township's own files, by short name (附件1, 附件3 新惠镇 ...); their fingerprints are in the banner's list
        sources = [s for s in b.data.sources if b.township in s.name or not _is_form_of_another(b, s.name)]
        sources.sort(key=lambda s: not _short_name(s.name, b.township).startswith("附件"))   # the plan's tables first
        every = bool(sources) and all(s.sample for s in sources)      # all sample: said once, not after each file
        items = "；".join(f"<span class='tekun-file'>{esc(printable(_short_name(s.name, b.township)))}"
                         + (f"<small>（{esc(label['sample'])}）</small>" if s.sample and not every else "") + "</span>"
                         for s in sources)
        display(HTML(f"<p class='tekun-short-section tekun-back'><b>数据来源：</b>本乡镇用到全旗 {len(b.data.sources)} 个文件中的 "
                     f"{len(sources)} 个（" + (f"均为{esc(label['sample'])}，" if every else "")
                     + f"各文件的{esc(label['fingerprint'])}见全旗简报）："
                     f"<span class='tekun-files-short'>{items}。</span></p>"))
        return
    sources = b.data.sources
    # one short line per file, in two columns: the list is for checking versions, not for reading
    items = "".join(f"<li>{esc(printable(s.name))}　<code>{esc(s.sha256[:SOURCE_FINGERPRINT])}</code>"
                    + (f"<small>（{esc(label['sample'])}）</small>" if s.sample else "") + "</li>" for s in sources)
    note = (f"每个文件后为其{label['fingerprint']}（由文件内容算出的前 {SOURCE_FINGERPRINT} 位）："
            "文件有任何改动，指纹就会不同，可据此核对所用的是哪一版文件。")
    display(HTML(f"<h3>数据来源（{len(sources)} 个文件）</h3>"
                 f"<p class='tekun-note'>{esc(note)}</p><ul class='tekun-files'>{items}</ul>"))


def _short_name(name: str, township: str) -> str:
    """A file's name in a township's list: '附件1 2023年8月分散供养….xlsx' -> '附件1', '附件3 排查评估表 新惠镇 2023-08.xlsx'
    -> '附件3 新惠镇'; other files without their month and extension ('乡镇工作进度台账 2023-08.xlsx' -> '乡镇工作进度台账')."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    head, _, rest = stem.partition(" ")
    if stem.startswith("附件"):
        return f"{head} {township}" if township in rest else head
    return head if rest and rest[:1].isdigit() else stem


#: characters of a file's SHA-256 shown in a briefing's list of sources (enough to tell two versions apart)
SOURCE_FINGERPRINT = 8


# -- the plan's schedule and the homes' staff ------------------------------------------------

def _is_form_of_another(b: Briefing, name: str) -> bool:
    """Whether a file is another township's assessment form (a township's briefing does not list those)."""
    return any(t.file == name and t.unit and t.unit != b.township for t in b.data.tables)


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
        table = tables.progress_table(grid)
    else:
        view = long.assign(due_text=long["duty"].map({d.key: when(d) for d in duties}),
                           cell=long["status"] + ("　" + long["detail"]).where(long["detail"] != "", ""))   # one line
        grid = view[["short", "due_text", "cell"]].rename(columns={"short": "工作", "due_text": "期限", "cell": "状态"})
        table = tables.progress_table(grid, first="工作")
    # the counts and the table are one block, kept on one page: printing may not leave the line above alone
    display(HTML(f"<div class='tekun-keep-block'>{lead}{table.to_html()}</div>"))
    rule = "期限当日完成算按时完成，有起止时间的工作在开始前已完成的算提前完成。"
    if not b.scope.whole:
        display(HTML(f"<p class='tekun-note'>{esc(rule)}</p>"))
        return
    notes = [f"{d.short}：{d.label}（{when(d)}）" for d in duties]
    display(HTML("<p class='tekun-note'>各项工作的方案原文：" + "；".join(esc(n) for n in notes) + "。"
                 f"入住率一项只适用于本乡镇有敬老院的，每所敬老院分别判断；{esc(rule)}</p>"))


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


# -- 资金与政策衔接 ------------------------------------------------------------------------

def _money_problem(r: dict) -> str:
    """A short verdict for one home's money: the table shows the amounts, so the words stay short."""
    return "；".join(f.verdict for f in r["findings"]) or "无"


def compliance_section(b: Briefing) -> None:
    """资金与政策衔接: benefits that exclude each other, the support money, identity numbers, people to watch."""
    for part in (_benefit_conflicts, _support_money, _identity_numbers, _people_to_watch):
        part(b, b.compliance)


def _benefit_conflicts(b: Briefing, c) -> None:
    """Benefits that exclude each other: the rosters compared and who holds two."""
    src = b.policy.benefits_source
    title = "与其他社会救助待遇的衔接"       # the plan's words come with a finding
    if not c.rosters:
        display(HTML(_line(title, f"{cn_month(b.month)}没有收到最低生活保障、孤儿基本生活保障、困难残疾人生活补贴或"
                                  "重度残疾人护理补贴名册，未作比对。")))
    else:
        conf = b.own_conflicts()
        missing = [x.label for x in b.policy.benefits.values() if x.label not in c.rosters]
        text = f"已比对的名册：{'、'.join(c.rosters)}" + (f"；未收到：{'、'.join(missing)}" if missing else "") + "。"
        if conf.empty:
            display(HTML(_line(title, f"{text}未发现同时享受的人员。")))
        else:
            display(HTML(f"<h3>{esc(title)}</h3>"))
            n_conf = int(conf["confirmed"].sum())
            display(HTML(f"<p class='tekun-note'>方案原文：“{esc(src)}”</p><p>{esc(text)}发现 {len(conf)} 人次同时享受方案规定不能同时享受的待遇，其中身份证号一致 {n_conf} 人次，"
                         f"仅姓名和村相同、待核实 {len(conf) - n_conf} 人次。</p>"))
            if b.scope.whole and len(conf) > 2 * BANNER_LIST:      # a short list by name says it all
                counts = tables.official_order(conf.pivot_table(index="township", columns="benefit", values="name",
                                                                aggfunc="count", fill_value=0).reset_index(),
                                               b.reference)
                cols = [*tables.columns("conflicts_brief", "township"),
                        *(outputs.Column(c, c, outputs.COUNT, "人次", outputs.SUM) for c in counts.columns[1:])]
                display(tables.styled(tables.add_total(counts, cols), cols, total_row=True))
            view = conf.assign(confirmed=conf["confirmed"].map({True: "已确认", False: "待核实"}),
                               to_stop=["停止特困供养" if t != bf else "停止该待遇"
                                        for t, bf in zip(conf["to_stop"], conf["benefit"])])
            display(tables.styled(view, _scoped(b, "conflicts_brief")))
            legend = {"已确认": "身份证号一致", "待核实": "一方没有身份证号，仅乡镇、村和姓名相同，须核对身份后处理"}
            shown = [f"{k}：{v}" for k, v in legend.items() if (view["confirmed"] == k).any()]   # the ones the table holds
            display(HTML(f"<p class='tekun-note'>{esc('；'.join(shown))}。应停止：按方案规定应停止的一方。</p>"))


def _support_money(b: Briefing, c) -> None:
    """The support money: allocated in full and on time, and spent as the plan allows."""
    fsrc = b.policy.funds.source
    ledger, spending = b.own_money()
    found = ((ledger is not None and any(bool(f) for f in ledger["findings"]))
             or (spending is not None and bool(spending["forbidden"].any())))
    display(HTML("<h3>供养资金拨付与使用</h3>"
                 + (f"<p class='tekun-note'>方案原文：“{esc(fsrc)}”</p>" if found and b.scope.whole else "")))
    if c.standard:
        example = "（示例值，须由民政局按当年标准确定）" if c.standard_is_example else ""
        day = b.policy.funds.allocation_day
        display(HTML(f"<p>应拨金额 = 每人每月 {money(c.standard)} 元{esc(example)} × 该院入住特困人员数；"
                     f"当月资金应于当月 {day} 日前（含）拨付到院。</p>"))
    for note in c.notes:
        display(HTML(f"<p class='tekun-note'>{esc(note)}</p>"))
    if ledger is None:
        if not c.notes:
            display(HTML(f"<p>{esc(cn_month(b.month))}没有收到供养资金拨付台账，本项暂无内容。</p>"))
    else:
        view = ledger.assign(problems=[_money_problem(r) for r in rows_of(ledger)])
        cols = tables.columns("funds", "home", "residents", "due", "allocated", "shortfall", "allocated_on", "problems")
        total = len(view) > 1
        st = tables.styled(tables.add_total(view, cols) if total else view, cols, total_row=total, wrap=("problems",))
        bad = [bool(f) for f in ledger["findings"]] + [False]
        problem = tables.columns("funds", "problems")[0].header()
        display(st.apply(lambda col: [tables.BELOW if bad[i] and col.name == problem else "" for i in range(len(col))]))
    if spending is not None:
        flagged = spending[spending["forbidden"]]
        if flagged.empty:
            display(HTML(f"<p>支出明细共 {len(spending)} 条，未发现用于工作经费、运转费用、维修改造等设施建设的支出。</p>"))
        else:
            total = sum((a for a in flagged["amount"] if a is not None), start=0)
            cols = tables.columns("spending")
            if len(flagged) == 1 and not b.scope.whole:     # one entry is one sentence, its values as the table shows them
                r = flagged.iloc[0]
                v = {c.key: c.text(r[c.key]) for c in cols}
                unit = next(c.unit for c in cols if c.key == "amount")
                said = f"{v['home']}的{v['category']} {v['amount']} {unit}，属于“{v['matched']}”"
                display(HTML(f"<p>支出明细中有 1 条属于方案规定不得列支的类别：{esc(said)}。</p>"))
            else:
                display(HTML(f"<p>支出明细中有 {len(flagged)} 条、共 {money(total)} 元属于方案规定不得列支的类别：</p>"))
                display(tables.styled(flagged, cols))


def _identity_numbers(b: Briefing, c) -> None:
    """Identity numbers on the assessment forms that fail their checks, by township."""
    title = "身份证号核查"
    ids = b.scope.rows(c.id_issues)
    has_ids = "id_number" in b.own_people() and (b.own_people()["id_number"].fillna("") != "").any()
    if not has_ids:
        display(HTML(_line(title, "本月排查评估表未填写身份证号（可选列），未作核查。")))
    elif ids.empty:
        display(HTML(_line(title, "排查评估表中填写的身份证号均通过校验，出生日期和性别与表中年龄、性别一致。")))
    else:
        grid = tables.official_order(ids.pivot_table(index="township", columns="kind", values="count", aggfunc="sum",
                                                     fill_value=0).reset_index(), b.reference)
        cols = [*tables.columns("watch", "township"),
                *(outputs.Column(c, c, outputs.COUNT, "处", outputs.SUM) for c in grid.columns[1:])]
        where = f"逐条位置见{sections.see(sections.SOURCES)}。报告中身份证号只显示前6位和后4位。"
        if not b.scope.whole:       # a township's one row reads as a sentence, each kind named as the table would
            said = "，".join(c.said(grid.iloc[0][c.key]) for c in cols[1:] if grid.iloc[0][c.key])
            display(HTML(_line(title, f"身份证号问题共 {int(ids['count'].sum())} 处：{said}。{where}")))
            return
        display(HTML(f"<h3>{esc(title)}</h3>"))
        display(HTML(f"<p>身份证号问题共 {int(ids['count'].sum())} 处（校验位、出生日期、与表中年龄或性别不符、号码重复），"
                     f"{where}</p>"))
        display(tables.styled(grid, cols))


def _people_to_watch(b: Briefing, c) -> None:
    """People with a mental illness and new applicants: who heads the transfer list."""
    title = "重点关注人员"
    w = b.scope.rows(c.watch)
    if not int(w[["mental_illness", "new_applicants"]].to_numpy().sum()):
        display(HTML(_line(title, "本月排查评估表中没有标注精神疾病患者或新申请人员。")))
    else:
        m, ml = int(w["mental_illness"].sum()), int(w["mental_listed"].sum())
        n, pl = int(w["new_applicants"].sum()), int(w["placement"].sum())
        placed, listed = b.cases("placement"), b.cases("transfer")
        key = PROVENANCE
        # a township's briefing names them here when its list of people to move above holds them all
        inside = (not b.scope.whole and len(placed) > 0
                  and len(placed[key].merge(listed[key].drop_duplicates(), on=key)) == len(placed))
        who = ("（" + "、".join(f"{v}{nm}" for v, nm in zip(placed["village"], placed["name"]))
               + "，已列入上文应纳入敬老院集中供养人员名单）") if inside else ""
        # a group nobody belongs to this month is said in four words, not with its "其中 … 0 人"
        said = (f"精神疾病患者 {m} 人，其中无监护人或护理不到位、列入集中供养名单最前的 {ml} 人" if m
                else "本月没有精神疾病患者") + "；" + (
                f"新申请人员 {n} 人，其中不适合分散供养、应在审批后纳入敬老院集中供养的 {pl} 人{who}。" if n
                else "本月没有新申请人员。")
        if b.scope.whole or (pl and not inside):         # a list follows: the part has a heading of its own
            display(HTML(f"<h3>{esc(title)}</h3><p>{esc(said)}</p>"))
        else:
            display(HTML(_line(title, said)))
        if b.scope.whole:
            shown = w[(w["mental_illness"] > 0) | (w["new_applicants"] > 0)]
            display(tables.styled(shown, tables.columns("watch")))
        if pl and not inside:       # nobody to place: the sentence has said 0 人, no empty list follows
            _cases(b, "placement", "审批后纳入集中供养的新申请人员", level=4)


# -- 上月问题落实情况 (the follow-up register; added at the end so the table rework above stays untouched) --------

def followup_section(b: Briefing) -> None:
    """上月问题落实情况: findings of earlier months by status, last month's list now, the overdue ones by name
    (masked unless internal), longest overdue first, and this month's flow of people per township."""
    from .followup import section

    section(b)
