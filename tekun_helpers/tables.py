"""pandas Styler tables for the briefings: Chinese labels, thousands, percentages, highlights.

Each builder takes a statistics frame and returns a Styler; the notebooks only display them.
"""
from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from .fmt import percent, thousands
from .policy import Policy
from .schema import HOMES, TOWNSHIPS

BELOW = "background-color: #fde2e1; color: #8a1c14;"
OK = "background-color: #e3f1e1;"
TOTAL = "font-weight: bold; background-color: #f3f4f6;"


def _label(table, key, fallback):
    try:
        return table.field(key).label
    except KeyError:
        return fallback


def styled(df: pd.DataFrame, labels: dict[str, str], *, ints=(), pcts=(), floats=(), total_row: bool = False,
           caption: str | None = None, wrap=()) -> Styler:
    """A Styler over ``df[labels.keys()]`` with Chinese headers and formats; the last row bold when total_row."""
    view = df[list(labels)].rename(columns=labels).reset_index(drop=True)
    fmt = {}
    for k in ints:
        fmt[labels[k]] = lambda v: "" if v is None or (isinstance(v, float) and v != v) or v == "" else thousands(v)
    for k in pcts:
        fmt[labels[k]] = lambda v: "" if v is None or (isinstance(v, float) and v != v) or v == "" else percent(v)
    for k in floats:
        fmt[labels[k]] = lambda v: "—" if v is None or (isinstance(v, float) and v != v) or v == "" else f"{v:.1f}"
    st = view.style.format(fmt, na_rep="", escape="html").hide(axis="index")
    numeric = {labels[k] for k in (*ints, *pcts, *floats)}
    text_cols = [c for c in view.columns if c not in numeric]
    if text_cols:
        wrapped = {labels[k] for k in wrap}
        cls = ["tekun-wrap" if c in wrapped else ("tekun-text" if c in text_cols else "") for c in view.columns]
        st = st.set_td_classes(pd.DataFrame([cls] * len(view),
                                            index=view.index, columns=view.columns))
    if total_row and len(view):
        st = st.apply(lambda row: [TOTAL] * len(row) if row.name == len(view) - 1 else [""] * len(row), axis=1)
    if caption:
        st = st.set_caption(caption)
    return st


def township_table(ts: pd.DataFrame) -> Styler:
    """附件1 with shares and rank, and a 合计 row."""
    total = {"township": "合计", "dispersed": ts["dispersed"].sum(), "fully_disabled": ts["fully_disabled"].sum(),
             "semi_disabled": ts["semi_disabled"].sum(), "disabled": ts["disabled"].sum()}
    n = total["dispersed"]
    total.update(disabled_share=total["disabled"] / n if n else 0.0, share_of_banner=1.0 if n else 0.0, rank=None)
    df = pd.concat([ts, pd.DataFrame([total])], ignore_index=True)
    df["rank"] = df["rank"].astype(object)
    labels = {"township": _label(TOWNSHIPS, "township", "乡镇"), "dispersed": _label(TOWNSHIPS, "dispersed", "分散供养人数"),
              "fully_disabled": _label(TOWNSHIPS, "fully_disabled", "全失能人数"),
              "semi_disabled": _label(TOWNSHIPS, "semi_disabled", "半失能人数"), "disabled": "失能合计",
              "disabled_share": "失能占比", "share_of_banner": "占全旗比例", "rank": "排名"}
    return styled(df, labels, ints=("dispersed", "fully_disabled", "semi_disabled", "disabled", "rank"),
                  pcts=("disabled_share", "share_of_banner"), total_row=True)


def home_table(hs: pd.DataFrame, policy: Policy, *, with_total: bool = True) -> Styler:
    """附件2 with computed needed residents, signed gap, missing, occupancy; homes below target highlighted."""
    df = hs.copy()
    if with_total and len(df):
        beds, res, staff = df["beds"].sum(), df["residents"].sum(), df["staff"].sum()
        df = pd.concat([df, pd.DataFrame([{
            "home": "公办敬老院合计", "township": "", "beds": beds, "residents": res, "occupancy": res / beds if beds else 0.0,
            "needed": df["needed"].sum(), "gap": df["gap"].sum(), "missing": df["missing"].sum(),
            "free_beds": df["free_beds"].sum(), "staff": staff, "residents_per_staff": res / staff if staff else None,
            "at_target": True}])], ignore_index=True)
    t = policy.target_percent
    labels = {"home": _label(HOMES, "home", "名称"), "beds": "床位（张）", "residents": "现入住（人）",
              "occupancy": "入住率", "needed": f"{t}应住人数", "gap": f"达到{t}还应入住（净，负数为超出）",
              "missing": "未达标院尚缺人数", "free_beds": "空余床位", "staff": "工作人员",
              "residents_per_staff": "每名工作人员服务人数"}
    st = styled(df, labels, ints=("beds", "residents", "needed", "gap", "missing", "free_beds", "staff"),
                pcts=("occupancy",), floats=("residents_per_staff",), total_row=with_total)
    below = [not bool(x) for x in df["at_target"]]
    st = st.apply(lambda col: [BELOW if below[i] else "" for i in range(len(col))],
                  subset=[labels["occupancy"], labels["missing"]], axis=0)
    return st
