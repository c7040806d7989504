"""pandas Styler tables for the briefings: Chinese labels, thousands, percentages, highlights.

Each builder takes a statistics frame (:mod:`tekun_helpers.analysis.stats`) and returns a
Styler; the notebooks only display them. Columns that are fields of the official
tables take their label from :mod:`tekun_helpers.config.schema`.
"""
from __future__ import annotations

import hashlib
import html

import pandas as pd
from pandas.io.formats.style import Styler

from ..config import outputs
from ..config.outputs import LABEL, STATUS, SUM, TEXT, TOTAL_LABEL, Column
from ..config.policy import Policy
from ..config.reference import Reference


def line(title: str, text: str, css: str = "") -> str:
    """A part with nothing to show at length: its title and what there is to say, on one line (HTML; both
    escaped)."""
    return (f"<p class='tekun-short-section{' ' + css if css else ''}'><b>{html.escape(title)}：</b>"
            f"{html.escape(text)}</p>")

BELOW = "background-color: #fde2e1; color: #8a1c14;"   # light red: home below target
OK = "background-color: #e3f1e1;"
TOTAL = "font-weight: bold; background-color: #f3f4f6;"


def _stable_id(view: pd.DataFrame, *args) -> str:
    """A table id that depends only on the table's content, so that the same input renders the same HTML
    (pandas would otherwise pick a random id for every table)."""
    h = hashlib.sha1(view.to_json(orient="split", force_ascii=False, default_handler=str).encode())
    h.update(repr(args).encode())
    return h.hexdigest()[:8]


def plain(df: pd.DataFrame) -> Styler:
    """A table shown as it is: index hidden, text HTML-escaped, a stable id."""
    return df.style.hide(axis="index").format(escape="html").set_uuid(_stable_id(df, "plain"))


ALIGN_CLASS = {"right": "tekun-num", "center": "tekun-center", "left": "tekun-text"}


def columns(table_key: str, *keys: str) -> list[Column]:
    """The registry's columns of ``table_key`` (all, or ``keys`` in that order)."""
    t = outputs.table(table_key)
    return [t.column(k) for k in keys] if keys else list(t.columns)


def add_total(df: pd.DataFrame, cols: list[Column]) -> pd.DataFrame:
    """``df`` with a 合计 row made as the registry says: sums, ratios recomputed from the summed columns,
    the word 合计 in the label column and nothing where a total means nothing."""
    if not len(df):
        return df
    total: dict = {}
    by_key = {c.key: c for c in cols}
    for c in cols:
        if c.total == LABEL:
            total[c.key] = TOTAL_LABEL
        elif c.total == SUM and c.ratio_of is None and c.key in df.columns:
            total[c.key] = df[c.key].sum(min_count=1)
    for c in cols:
        if c.total == SUM and c.ratio_of is not None:
            num, den = c.ratio_of
            n = total.get(num, df[num].sum() if num in df.columns else None)
            d = total.get(den, df[den].sum() if den in df.columns else None)
            total[c.key] = (float(n) / float(d)) if n is not None and d else None
    if not any(k in total for k in by_key if by_key[k].total != LABEL):
        return df
    row = pd.DataFrame([{k: total.get(k, "") for k in df.columns}])
    return pd.concat([df.astype(object), row.astype(object)], ignore_index=True)


#: headers of at most this many characters never wrap
SHORT_HEADER = 5


def official_order(df: pd.DataFrame, reference: Reference, key: str = "township") -> pd.DataFrame:
    """``df``'s rows in 附件1's order of the townships in its column ``key`` (:meth:`Reference.township_rank`);
    rows naming something else follow in their own order. Use it after a pivot or groupby, which sort their
    keys in text (Unicode) order."""
    order = df[key].map(reference.township_rank)
    return df.assign(_rank=order).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def styled(df: pd.DataFrame, cols: list[Column], *, policy: Policy | None = None, total_row: bool = False,
           caption: str | None = None, wrap=(), soft=()) -> Styler:
    """A Styler over the registry columns ``cols`` of ``df``: headers, formats (one rounding rule) and
    alignment from :mod:`tekun_helpers.config.outputs`; the last row bold when ``total_row``.

    policy: fills labels such as ``{target}应住人数`` and the county's words (``{towns}``; without a policy, the
    default data folder's county: pass it wherever it is at hand, see :func:`tekun_helpers.config.outputs.fill`). wrap: keys of text columns that may wrap and keep
    a reading width (reasons, 落实情况); soft: keys of short texts that may wrap when the table is wide
    (类别, 责任单位): they wrap only when the table would not fit the printed page's width with them on
    one line (see :func:`_one_line_width`).
    Text is HTML-escaped; the index is hidden.
    """
    keys = [c.key for c in cols]
    headers = [c.header(policy) for c in cols]
    view = df[keys].copy().reset_index(drop=True)
    view.columns = headers
    fmt = {h: c.text for h, c in zip(headers, cols)}
    st = view.style.format(fmt, na_rep="", escape="html").hide(axis="index").set_uuid(
        _stable_id(view, headers, [c.kind for c in cols], total_row, caption, wrap, soft))
    if soft and _one_line_width(view, headers, cols, wrap) <= PAGE_EM:
        soft = ()                         # the table fits the page with every short text on one line
    cls = ["tekun-wrap" if c.key in wrap else "tekun-soft" if c.key in soft else ALIGN_CLASS[c.align] for c in cols]
    st = st.set_td_classes(pd.DataFrame([cls] * len(view), index=view.index, columns=view.columns))
    # a short header (负责人, 村/居委会) stays on one line and so does a number (381,600.00): the column is
    # as wide as they need, and longer headers wrap instead of being cut to one character per line
    keep = {h: [{"selector": "th", "props": "white-space: nowrap;"}] for h, c in zip(headers, cols)
            if len(h) <= SHORT_HEADER}
    for h, c in zip(headers, cols):
        if c.numeric:
            keep.setdefault(h, []).append({"selector": "td", "props": "white-space: nowrap;"})
    if keep:
        st = st.set_table_styles(keep, overwrite=False)
    if total_row and len(view):
        last = len(view) - 1
        st = st.apply(lambda row: [TOTAL] * len(row) if row.name == last else [""] * len(row), axis=1)
    if caption:
        st = st.set_caption(caption)
    return st


#: the printed page's width in ems of a table's font (A4 less the margins, 182 mm, at 8.5 pt), less a margin of error
PAGE_EM = 56
_CELL_PAD_EM = 0.8                 # a cell's padding and borders
_WRAP_EM = 12                      # a wrapping column's reading width (td.tekun-wrap's min-width)
_HEADER_EM = 3                     # a header wraps to no fewer than three characters a line (print CSS)


def _text_em(text: str) -> float:
    """Width of a line of text in ems: a CJK or full-width character 1, anything else about 0.55."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def _one_line_width(view: pd.DataFrame, headers: list[str], cols: list[Column], wrap) -> float:
    """The narrowest a table can print, in ems, when every column but the wrapping ones keeps its
    longest cell on one line (a header may wrap to three characters; a short header stays whole)."""
    total = 0.0
    for h, c in zip(headers, cols):
        if c.key in wrap:
            total += _WRAP_EM + _CELL_PAD_EM
            continue
        head = _text_em(h) if len(h) <= SHORT_HEADER else _HEADER_EM
        cells = max((_text_em(c.text(v)) for v in view[h]), default=0.0)
        total += max(head, cells) + _CELL_PAD_EM
    return total


def township_labels(policy: Policy | None = None) -> dict[str, str]:
    """Column -> Chinese header of :func:`township_table`."""
    return {c.key: c.header(policy) for c in columns("townships", *TOWNSHIP_TABLE)}


TOWNSHIP_TABLE = ("township", "dispersed", "fully_disabled", "semi_disabled", "disabled", "disabled_share",
                  "share_of_banner", "rank")


def township_table(township_stats_df: pd.DataFrame, policy: Policy | None = None) -> Styler:
    """附件1 with disabled totals, shares and rank, and a final 合计 row.

    township_stats_df: :func:`tekun_helpers.analysis.stats.township_stats`; policy: its county's words
    label the columns (占全县比例).
    """
    cols = columns("townships", *TOWNSHIP_TABLE)
    return styled(add_total(township_stats_df, cols), cols, policy=policy, total_row=True)


HOME_TABLE = ("home", "beds", "residents", "occupancy", "needed", "gap", "missing", "free_beds", "staff",
              "residents_per_staff")


def home_labels(policy: Policy) -> dict[str, str]:
    """Column -> Chinese header of :func:`home_table`."""
    return {c.key: c.header(policy) for c in columns("homes", *HOME_TABLE)}


def home_table(home_stats_df: pd.DataFrame, policy: Policy, *, with_total: bool = True) -> Styler:
    """附件2 with computed needed residents, signed gap, missing, occupancy and a final 合计 row.

    home_stats_df: :func:`tekun_helpers.analysis.stats.home_stats`. Every cell of a home
    below target has a light red background. ``with_total=False`` is a township's table: no
    合计 row (its own homes are not a banner total) and no signed net gap (that is the banner's
    official total of 附件2; for one home 尚缺 says it).
    """
    cols = columns("homes", *(HOME_TABLE if with_total else [k for k in HOME_TABLE if k != "gap"]))
    df = add_total(home_stats_df, cols) if with_total else home_stats_df.reset_index(drop=True)
    st = styled(df, cols, policy=policy, total_row=with_total)
    below = [not bool(x) if i < len(home_stats_df) else False for i, x in enumerate(df["at_target"])]
    return st.apply(lambda row: [BELOW if below[row.name] else ""] * len(row), axis=1)


# -- the plan's schedule and the homes' staff ---------------------------------------------

STATUS_STYLE = {        # every status of analysis.progress.STATUSES; the done ones green
    "提前完成": "background-color: #e3f1e1; color: #1e5b2a;",
    "按时完成": "background-color: #e3f1e1; color: #1e5b2a;",
    "逾期完成": "background-color: #fff1c2; color: #6b4e00;",
    "逾期未完成": "background-color: #fde2e1; color: #8a1c14; font-weight: bold;",
    "未到期": "background-color: #eef0f3; color: #444;",
    "不适用": "color: #999;",
}


def progress_table(grid: pd.DataFrame, statuses: pd.DataFrame, *, first: str = outputs.TOWNSHIP.label,
                   policy: Policy | None = None) -> Styler:
    """The schedule at a glance: one row per township (or duty), each status cell coloured.

    grid: :func:`tekun_helpers.analysis.progress.status_grid` (the cells as shown: a status and its detail);
    a cell's detail after a line break is shown on a second, smaller line. statuses: the grid's shape, each
    cell its status only (``status_grid(..., details=False)``), which colours the cell (:data:`STATUS_STYLE`).
    first: the first column's header (default: the county's word for its townships, filled from ``policy``).
    """
    head = grid.columns[0]
    # the duties' columns are named by the policy (工作 and its due date); the first is a township or a duty
    cols = [Column(head, first, TEXT)] + [Column(c, c, STATUS) for c in grid.columns[1:]]
    st = styled(grid, cols, policy=policy).set_table_attributes('class="tekun-keep"')    # one page: it is read as a whole
    body = list(grid.columns[1:])
    css = pd.DataFrame([[STATUS_STYLE.get(s, "") if isinstance(s, str) else "" for s in row]
                        for row in statuses[list(statuses.columns[1:])].itertuples(index=False)],
                       index=grid.index, columns=body)
    return st.apply(lambda _: css, axis=None, subset=body).set_table_styles(
        [{"selector": "td", "props": "white-space: pre-line; line-height: 1.15; text-align: center; font-size: 0.92em;"},
         {"selector": "td:first-child", "props": "text-align: left; white-space: nowrap;"},
         {"selector": "th", "props": "white-space: pre-line; text-align: center; line-height: 1.3;"}], overwrite=False)


def staffing_labels() -> dict[str, str]:
    return {c.key: c.header() for c in columns("staffing_brief")}


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
    st = styled(df, columns("staffing_brief"))
    bad_head = [bool(p or m) for p, m in zip(df["head_part_time"], df["head_missing"])]
    bad_training = [bool(n) for n in df["not_trained"]]
    over = [bool(x) for x in df["ratio_over_norm"]]

    def mark(col: pd.Series):
        name = col.name
        flags = {labels["head_text"]: bad_head, labels["trained_text"]: bad_training,
                 labels["residents_per_care_worker"]: over}.get(name)
        return [BELOW if flags and flags[i] else "" for i in range(len(col))]

    return st.apply(mark, axis=0)
