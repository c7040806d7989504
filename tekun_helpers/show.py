"""What the notebooks display: each function renders one part of a briefing.

Text taken from input files is always escaped before it is shown as HTML, so
a name holding markup appears as text and never runs.
"""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Markdown, display

from . import assessment, tables
from .briefing import Briefing
from .fmt import cn_date, cn_month, percent, thousands
from .schema import ASSESSMENTS, VOCABULARIES

esc = html.escape


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"


def title(b: Briefing) -> None:
    doc = b.policy.raw.get("document", {})
    display(HTML(f"<h1>{esc(b.title())}</h1>"
                 f"<p class='tekun-sub'>{esc(b.policy.raw.get('document', {}).get('bureau', ''))} · "
                 f"依据《{esc(doc.get('title', ''))}》（{esc(doc.get('number', ''))}） · 数据指纹 {esc(b.data.fingerprint)}</p>"))
    sample = b.sample_files()
    if sample:
        display(HTML(f"<p class='tekun-note'><b>示例数据：</b>本报告所用的 {len(sample)} 个文件为程序生成的示例数据"
                     f"（人物均为虚构），仅供演示，不得作为工作依据。</p>"))


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


def chart(b: Briefing, which: str) -> None:
    """Draw one of the briefing's charts and show it as an embedded PNG."""
    import io

    from IPython.display import Image

    fig = b.chart(which)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    display(Image(data=buf.getvalue(), format="png"))


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
    display(tables.home_table(homes, b.policy, with_total=b.township is None))
    if b.township is not None:
        shared = [h for h in homes["home"] if len([t for t in b.reference.townships if h in t.served_by]) > 1]
        if shared:
            display(HTML(f"<p>{esc('、'.join(shared))}同时承接多个乡镇苏木街道，其空余床位由这些乡镇共用。</p>"))


# -- assessments ----------------------------------------------------------------------

CASE_COLUMNS = {"village": "村/居委会", "name": "姓名", "sex": "性别", "age": "年龄", "self_care": "自理情况",
                "guardian_name": "监护人/护理人", "reasons": "理由"}


def _cases(b: Briefing, rule: str, title_text: str, limit: int | None = None) -> None:
    df = b.cases(rule)
    label = b.rules_label(rule)
    if df.empty:
        display(HTML(f"<h3>{esc(title_text)}</h3><p>无。</p>"))
        return
    shown = df if limit is None else df.head(limit)
    cols = dict(CASE_COLUMNS)
    if b.township is None:
        cols = {"township": "乡镇苏木街道", **cols}
    more = f"（共 {len(df)} 人，列出前 {len(shown)} 人）" if len(shown) < len(df) else f"（共 {len(df)} 人）"
    display(HTML(f"<h3>{esc(title_text)}{esc(more)}</h3><p class='tekun-note'>{esc(label)}</p>"))
    display(tables.styled(shown, cols, wrap=("reasons",)))


def assessment_section(b: Briefing) -> None:
    if not b.has_assessments:
        display(Markdown(f"{cn_month(b.month)}尚未收到排查评估表（附件3），本节暂无内容。"))
        return
    cov = b.coverage if b.township is None else b.coverage[b.coverage["township"] == b.township]
    assessed, dispersed = int(cov["assessed"].sum()), int(cov["dispersed"].sum())
    ct = b.capacity_totals
    text = (f"已评估 {thousands(assessed)} 人，占分散供养人数 {thousands(dispersed)} 人的 "
            f"{percent(assessed / dispersed if dispersed else 1.0)}；")
    if b.township is None:
        text += (f"按方案应纳入敬老院集中供养 {thousands(ct['transfer'])} 人，"
                 f"全旗敬老院空余床位 {thousands(ct['free_beds'])} 张，达到入住率目标尚缺 {thousands(ct['missing_to_target'])} 人。")
    else:
        cap = b.capacity[b.capacity["township"] == b.township].iloc[0]
        text += (f"按方案应纳入敬老院集中供养 {cap['transfer']} 人，承接敬老院（{cap['homes']}）空余床位 {cap['free_beds']} 张，"
                 f"达到入住率目标尚缺 {cap['missing_to_target']} 人。")
    display(HTML(f"<p>{esc(text)}</p>"))

    if b.township is None:
        display(HTML("<h3>评估覆盖情况</h3>"))
        display(tables.styled(b.coverage, {"township": "乡镇苏木街道", "dispersed": "分散供养人数", "assessed": "已评估",
                                           "to_assess": "未评估", "coverage": "覆盖率"},
                              ints=("dispersed", "assessed", "to_assess"), pcts=("coverage",)))
        display(HTML("<h3>评估结果与处理意见（按乡镇）</h3>"))
        res = assessment.results_by_township(b.data.townships, b.people)
        merged = res.merge(b.rule_counts, on="township").merge(b.capacity[["township", "free_beds", "missing_to_target"]],
                                                                 on="township")
        labels = {"township": "乡镇苏木街道", **{lv: f"结果{lv}" for lv in VOCABULARIES['result'].labels},
                  "transfer": "应纳入集中供养", "transfer_fully_disabled": "其中失能", "escalate": "移交处理",
                  "alert": "就医提醒", "free_beds": "承接院空余床位", "missing_to_target": "承接院距目标尚缺"}
        display(tables.styled(merged, labels, ints=tuple(k for k in labels if k != "township")))
        display(HTML("<p class='tekun-note'>承接院按 data/reference/townships.csv 的 served_by 列确定；"
                     "同一敬老院承接多个乡镇时，其空余床位在各乡镇行中重复列出，全旗合计按敬老院去重。</p>"))
        _cases(b, "transfer", "应纳入敬老院集中供养人员（失能者优先）", limit=20)
        _cases(b, "escalate", "需移交处理人员", limit=20)
    else:
        people = b.own_people()
        rows = []
        for f in ("self_care", "housing", "environment", "quality", "care", "treated", "self_controls_allowance",
                  "rights_infringed", "result"):
            counts = assessment.answer_counts(people, f)
            n = int(counts["people"].sum())
            parts = [f"{a} {c} 人（{percent(c / n) if n else '—'}）" for a, c in zip(counts["answer"], counts["people"]) if c]
            rows.append({"field": ASSESSMENTS.field(f).label, "answers": "；".join(parts)})
        display(HTML("<h3>评估结果分布</h3>"))
        display(tables.styled(pd.DataFrame(rows), {"field": "评估项目", "answers": "各项人数"}, wrap=("answers",)))
        _cases(b, "transfer", "应纳入敬老院集中供养人员（失能者优先）")
        _cases(b, "escalate", "需移交处理人员")
        _cases(b, "alert", "就医提醒")


def township_summary(b: Briefing) -> None:
    r = b.town_row()
    homes = b.own_homes()
    text = (f"截至{cn_month(b.month)}底，{b.township}分散供养特困人员 {thousands(r['dispersed'])} 人，"
            f"其中全失能 {r['fully_disabled']} 人、半失能 {r['semi_disabled']} 人，占全旗的 {percent(r['share_of_banner'])}，"
            f"人数居全旗第 {r['rank']} 位（共 {len(b.towns)} 个乡镇苏木街道）。")
    if len(homes):
        parts = [f"{h['home']}床位 {h['beds']} 张、入住 {h['residents']} 人（入住率 {percent(h['occupancy'])}，"
                 + (f"距{b.policy.target_percent}目标还差 {h['missing']} 人）" if h["missing"] else "已达标）")
                 for _, h in homes.iterrows()]
        text += "承接本乡镇集中供养的" + "；".join(parts) + "。"
    if b.has_assessments:
        text += (f"本月排查评估中，应纳入敬老院集中供养 {b.counts('transfer', b.township)} 人，"
                 f"需移交处理 {b.counts('escalate', b.township)} 人，就医提醒 {b.counts('alert', b.township)} 人。")
    display(HTML(f"<p>{esc(text)}</p><p>{esc(b.progress_sentence())}</p>"))


def comparison(b: Briefing) -> None:
    """Changes since last month and the trend over the months; says so when there is no last month."""
    from .fmt import cn_month as _cm
    from .month import previous_month

    prev = previous_month(b.month)
    if b.prev is None:
        why = ("数据中没有该月的文件夹" if prev not in [d.month for d in b.months] and prev not in b.skipped_months
               else "该月数据有错误，未用于比较")
        display(HTML(f"<p>没有上月（{esc(_cm(prev))}）的数据可供比较（{esc(why)}）。本节不显示增减，以免把缺少的数据当作零。</p>"))
    else:
        display(HTML(f"<p>与{esc(_cm(b.prev.month))}相比（“变化”为本月减上月）：</p>"))
        kc = b.key_changes()
        view = pd.DataFrame({
            "指标": kc["item"],
            f"{_cm(b.prev.month)}": [percent(v) if p else thousands(v) for v, p in zip(kc["prev"], kc["pct"])],
            f"{_cm(b.month)}": [percent(v) if p else thousands(v) for v, p in zip(kc["now"], kc["pct"])],
            "变化": [(f"{v * 100:+.1f} 个百分点" if p else f"{int(v):+,}") for v, p in zip(kc["change"], kc["pct"])],
        })
        display(tables.plain(view))
        if b.township is None:
            tc = b.township_changes()
            moved = tc[tc["dispersed_change"].fillna(0) != 0]
            if len(moved):
                display(HTML("<h3>分散供养人数有变化的乡镇苏木街道</h3>"))
                display(tables.styled(moved, {"township": "乡镇苏木街道", "dispersed_prev": "上月", "dispersed": "本月",
                                              "dispersed_change": "变化", "fully_disabled_change": "全失能变化",
                                              "semi_disabled_change": "半失能变化"},
                                      ints=("dispersed_prev", "dispersed", "dispersed_change", "fully_disabled_change",
                                            "semi_disabled_change")))
        hc = b.home_changes()
        if len(hc):
            display(HTML("<h3>敬老院入住变化</h3>"))
            display(tables.styled(hc, {"home": "敬老院", "residents_prev": "上月入住", "residents": "本月入住",
                                       "residents_change": "变化", "occupancy_prev": "上月入住率", "occupancy": "本月入住率",
                                       "staff_change": "工作人员变化"},
                                  ints=("residents_prev", "residents", "residents_change", "staff_change"),
                                  pcts=("occupancy_prev", "occupancy")))
    if len(b.months) >= 2:
        chart(b, "trend")
    if b.skipped_months:
        display(HTML(f"<p class='tekun-note'>以下月份的数据有错误，未计入趋势：{esc('、'.join(b.skipped_months))}。</p>"))


def data_quality(b: Briefing) -> None:
    notes = b.quality_notes()
    if b.township is not None:
        notes = [n for n in notes if b.township in n] or notes[:0]
    display(HTML("<h3>数据检查警告</h3>" + (_ul(notes) if notes else "<p>本月数据未发现问题。</p>")))
    src = pd.DataFrame([{"文件": s.name, "SHA-256（前 16 位）": s.sha256[:16], "示例数据": "是" if s.sample else ""}
                        for s in b.data.sources])
    display(HTML(f"<h3>数据来源（{len(src)} 个文件）</h3>"))
    display(tables.plain(src))


# -- the plan's schedule and the homes' staff ------------------------------------------------

def _legend(long: pd.DataFrame) -> str:
    from .progress import STATUSES
    from .tables import STATUS_STYLE

    parts = []
    for s_ in STATUSES:
        n = int((long["status"] == s_).sum())
        if n:
            parts.append(f"<span style='{STATUS_STYLE[s_]} padding:0 0.4em;'>{esc(s_)}</span> {n} 项")
    return "　".join(parts)


def progress_section(b: Briefing) -> None:
    """The schedule: the duties with their due dates and the plan's words, then the status table."""
    from . import progress as pg

    long = b.own_progress()
    as_of = pg.month_end(b.month)
    duties = pg.duties(b.policy)
    items = []
    for d in duties:
        when = (f"{d.start.month}月{d.start.day}日至{d.due.month}月{d.due.day}日" if d.start
                else f"{d.due.year}年{d.due.month}月{d.due.day}日前")
        items.append(f"{d.short}（{when}）：{d.label}")
    display(HTML(f"<p>状态为截至{as_of.month}月{as_of.day}日的情况：按时完成、逾期完成、逾期未完成、未到期；"
                 f"入住率一项只适用于本乡镇有敬老院的。</p>{_ul(items)}"))
    if not b.has_ledger:
        display(HTML(f"<p class='tekun-note'>{esc(cn_month(b.month))}没有收到乡镇工作进度台账，领导小组、考评方案和协议书"
                     f"三项按“台账未报送”处理。</p>"))
    display(HTML(f"<p>{_legend(long)}</p>"))
    if b.township is None:
        display(tables.progress_table(pg.status_grid(long, b.policy)))
    else:
        view = long.assign(due_text=long["due"].map(lambda d: f"{d.month}月{d.day}日"),
                           cell=long["status"] + ("\n" + long["detail"]).where(long["detail"] != "", ""))
        grid = view[["short", "due_text", "cell"]].rename(columns={"short": "工作", "due_text": "期限", "cell": "状态"})
        display(tables.progress_table(grid, first="工作"))


def staffing_section(b: Briefing) -> None:
    """Training, part-time heads, residents per care worker and nursing beds, per home."""
    from . import staffing as sf

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
                  "（民政局确定标准后写入 policy.toml 的 [staffing] 即按此判断）。")
    display(HTML(f"<p>{esc(sf.rule_sentence(b.month, b.policy))}{esc(ratio_note)}"
                 f"方案要求对兼职的负责人（院长）及时调整。标红为需要关注：负责人兼职或缺负责人、"
                 f"有护理人员培训课时未达标或未填写{'、比例超过标准' if norm is not None else ''}。</p>"))
    display(tables.staffing_table(s))
    flags = sf.flags(s, b.policy)
    if flags:
        display(HTML(_ul(flags)))
