"""pandas Styler tables for the briefings: Chinese labels, thousands, percentages, highlights.

Each builder takes a statistics frame (:mod:`tekun_helpers.analysis.stats`) and returns a
Styler; the notebooks only display them. Columns that are fields of the official
tables take their label from :mod:`tekun_helpers.config.schema`.
"""
from __future__ import annotations

import hashlib

import pandas as pd
from pandas.io.formats.style import Styler

from ..config.policy import Policy
from ..config.schema import HOMES, TOWNSHIPS
from ..core.fmt import decimal, is_missing, percent, rounding_words, thousands

BELOW = "background-color: #fde2e1; color: #8a1c14;"   # light red: home below target
OK = "background-color: #e3f1e1;"
TOTAL = "font-weight: bold; background-color: #f3f4f6;"
TOTAL_LABEL = "合计"


def _label(table, key, fallback):
    try:
        return table.field(key).label
    except KeyError:
        return fallback


def _int(v) -> str:
    return "" if is_missing(v) or v == "" else thousands(v)


def _pct(v) -> str:
    return "" if is_missing(v) or v == "" else percent(v)


def _dec(v) -> str:
    return "—" if is_missing(v) or v == "" else decimal(v)


def _stable_id(view: pd.DataFrame, *args) -> str:
    """A table id that depends only on the table's content, so that the same input renders the same HTML
    (pandas would otherwise pick a random id for every table)."""
    h = hashlib.sha1(view.to_json(orient="split", force_ascii=False, default_handler=str).encode())
    h.update(repr(args).encode())
    return h.hexdigest()[:8]


def plain(df: pd.DataFrame) -> Styler:
    """A table shown as it is: index hidden, text HTML-escaped, a stable id."""
    return df.style.hide(axis="index").format(escape="html").set_uuid(_stable_id(df, "plain"))


def styled(df: pd.DataFrame, labels: dict[str, str], *, ints=(), pcts=(), floats=(), total_row: bool = False,
           caption: str | None = None, wrap=()) -> Styler:
    """A Styler over ``df[labels.keys()]`` with Chinese headers and formats; the last row bold when total_row.

    labels: column -> Chinese header, in display order. ints get thousands
    separators, pcts are ratios shown as percentages, floats one decimal. Text
    is HTML-escaped; the index is hidden.
    """
    view = df[list(labels)].rename(columns=labels).reset_index(drop=True)
    fmt = {}
    for k in ints:
        fmt[labels[k]] = _int
    for k in pcts:
        fmt[labels[k]] = _pct
    for k in floats:
        fmt[labels[k]] = _dec
    st = view.style.format(fmt, na_rep="", escape="html").hide(axis="index").set_uuid(
        _stable_id(view, labels, ints, pcts, floats, total_row, caption, wrap))
    numeric = {labels[k] for k in (*ints, *pcts, *floats)}
    text_cols = [c for c in view.columns if c not in numeric]
    if text_cols:
        wrapped = {labels[k] for k in wrap}
        cls = ["tekun-wrap" if c in wrapped else ("tekun-text" if c in text_cols else "") for c in view.columns]
        st = st.set_td_classes(pd.DataFrame([cls] * len(view), index=view.index, columns=view.columns))
    if total_row and len(view):
        last = len(view) - 1
        st = st.apply(lambda row: [TOTAL] * len(row) if row.name == last else [""] * len(row), axis=1)
    if caption:
        st = st.set_caption(caption)
    return st


def township_labels() -> dict[str, str]:
    """Column -> Chinese header of :func:`township_table`."""
    return {"township": _label(TOWNSHIPS, "township", "乡镇苏木街道"),
            "dispersed": _label(TOWNSHIPS, "dispersed", "分散供养人数"),
            "fully_disabled": _label(TOWNSHIPS, "fully_disabled", "全失能人数"),
            "semi_disabled": _label(TOWNSHIPS, "semi_disabled", "半失能人数"),
            "disabled": "失能合计", "disabled_share": "失能占比", "share_of_banner": "占全旗比例", "rank": "排名"}


def township_table(township_stats_df: pd.DataFrame) -> Styler:
    """附件1 with disabled totals, shares and rank, and a final 合计 row.

    township_stats_df: :func:`tekun_helpers.analysis.stats.township_stats`.
    """
    ts = township_stats_df
    n = int(ts["dispersed"].sum())
    disabled = int(ts["disabled"].sum())
    total = {"township": TOTAL_LABEL, "dispersed": n, "fully_disabled": int(ts["fully_disabled"].sum()),
             "semi_disabled": int(ts["semi_disabled"].sum()), "disabled": disabled,
             "disabled_share": disabled / n if n else 0.0, "share_of_banner": 1.0 if n else 0.0, "rank": None}
    df = pd.concat([ts.astype({"rank": object}), pd.DataFrame([total])], ignore_index=True)
    labels = township_labels()
    return styled(df, labels, ints=("dispersed", "fully_disabled", "semi_disabled", "disabled", "rank"),
                  pcts=("disabled_share", "share_of_banner"), total_row=True)


def home_labels(policy: Policy) -> dict[str, str]:
    """Column -> Chinese header of :func:`home_table`."""
    t = policy.target_percent
    return {"home": _label(HOMES, "home", "名称"), "beds": _label(HOMES, "beds", "实有床位数（张）"),
            "residents": _label(HOMES, "residents", "现入住老人数（人）"), "occupancy": "入住率",
            "needed": f"{t}应住人数（按政策{rounding_words(policy.rounding)}）",
            "gap": "差额（负数为超出）", "missing": "尚缺人数", "free_beds": "空余床位",
            "staff": _label(HOMES, "staff", "工作人员人数"), "residents_per_staff": "每名工作人员服务人数"}


def home_table(home_stats_df: pd.DataFrame, policy: Policy, *, with_total: bool = True) -> Styler:
    """附件2 with computed needed residents, signed gap, missing, occupancy and a final 合计 row.

    home_stats_df: :func:`tekun_helpers.analysis.stats.home_stats`. Every cell of a home
    below target has a light red background. ``with_total=False`` leaves out the
    合计 row (a township's own homes are not a banner total).
    """
    df = home_stats_df.copy()
    if with_total and len(df):
        beds, res, staff = int(df["beds"].sum()), int(df["residents"].sum()), int(df["staff"].sum())
        df = pd.concat([df, pd.DataFrame([{
            "home": TOTAL_LABEL, "township": "", "beds": beds, "residents": res, "occupancy": res / beds if beds else 0.0,
            "needed": int(df["needed"].sum()), "gap": int(df["gap"].sum()), "missing": int(df["missing"].sum()),
            "free_beds": int(df["free_beds"].sum()), "staff": staff,
            "residents_per_staff": res / staff if staff else float("nan"), "at_target": True}])], ignore_index=True)
    labels = home_labels(policy)
    st = styled(df, labels, ints=("beds", "residents", "needed", "gap", "missing", "free_beds", "staff"),
                pcts=("occupancy",), floats=("residents_per_staff",), total_row=with_total)
    below = [not bool(x) for x in df["at_target"]]
    return st.apply(lambda row: [BELOW if below[row.name] else ""] * len(row), axis=1)


# -- the plan's schedule and the homes' staff ---------------------------------------------

STATUS_STYLE = {
    "按时完成": "background-color: #e3f1e1; color: #1e5b2a;",
    "逾期完成": "background-color: #fff1c2; color: #6b4e00;",
    "逾期未完成": "background-color: #fde2e1; color: #8a1c14; font-weight: bold;",
    "未到期": "background-color: #eef0f3; color: #444;",
    "不适用": "color: #999;",
}


def _status_css(value) -> str:
    text = str(value or "")
    return next((css for s, css in STATUS_STYLE.items() if text.startswith(s)), "")


def progress_table(grid: pd.DataFrame, *, first: str = "乡镇苏木街道") -> Styler:
    """The schedule at a glance: one row per township (or duty), each status cell coloured.

    grid: :func:`tekun_helpers.analysis.progress.status_grid` (or any frame whose cells start with a status);
    a cell's detail after a line break is shown on a second, smaller line.
    """
    labels = {c: (first if i == 0 else c) for i, c in enumerate(grid.columns)}
    st = styled(grid, labels)
    cols = [labels[c] for c in grid.columns[1:]]
    return st.map(_status_css, subset=cols).set_table_styles(
        [{"selector": "td", "props": "white-space: pre-line; line-height: 1.3; text-align: center; font-size: 0.92em;"},
         {"selector": "td:first-child", "props": "text-align: left; white-space: nowrap;"},
         {"selector": "th", "props": "white-space: pre-line; text-align: center; line-height: 1.3;"}], overwrite=False)


def staffing_labels() -> dict[str, str]:
    return {"home": "敬老院", "staff_listed": "台账人数", "care_workers": "护理人员", "trained_text": "培训达标",
            "head_text": "负责人", "residents": "现入住（人）", "residents_per_care_worker": "每名护理人员服务人数",
            "nursing_beds": "护理型床位", "residents_tekun": "其中特困人员", "residents_other": "其中社会老人"}


def staffing_table(staffing_df: pd.DataFrame) -> Styler:
    """Per home: roster size, care workers, training verdicts, the head's employment, ratio, nursing beds.

    staffing_df: :func:`tekun_helpers.analysis.staffing.home_staffing`. A part-time head, a care worker below the
    training rule and a ratio above the norm (when policy sets one) are highlighted.
    """
    df = staffing_df.copy()
    df["trained_text"] = [f"{t}/{c}" if r else "未报送" for t, c, r in zip(df["trained"], df["care_workers"], df["reported"])]
    df["head_text"] = ["兼职" if p else ("缺" if m else ("专职" if r else "")) for p, m, r in
                       zip(df["head_part_time"], df["head_missing"], df["reported"])]
    for c in ("staff_listed", "care_workers"):
        df[c] = [v if r else None for v, r in zip(df[c], df["reported"])]
    labels = staffing_labels()
    st = styled(df, labels, ints=("staff_listed", "care_workers", "residents", "nursing_beds", "residents_tekun",
                                  "residents_other"), floats=("residents_per_care_worker",))
    bad_head = [bool(p or m) for p, m in zip(df["head_part_time"], df["head_missing"])]
    bad_training = [bool(n) for n in df["not_trained"]]
    over = [bool(x) for x in df["ratio_over_norm"]]

    def mark(col: pd.Series):
        name = col.name
        flags = {labels["head_text"]: bad_head, labels["trained_text"]: bad_training,
                 labels["residents_per_care_worker"]: over}.get(name)
        return [BELOW if flags and flags[i] else "" for i in range(len(col))]

    return st.apply(mark, axis=0)
