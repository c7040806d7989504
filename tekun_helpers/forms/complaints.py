"""举报与媒体报道问题登记表: the bureau's register of complaints and media reports, one workbook for the county.

One row per case (schema.COMPLAINTS): its 登记编号, the day it was received, the channel and the category (drop-downs
from data/reference/complaints.toml), the township, the home or person concerned, what was reported, the handling
unit and its deadline, what was found, what was done, the day it was closed and the day its result was published.
A case stays in the register month after month under the same number until it is closed and published
(``tekun forms --kind 举报`` carries the previous month's such cases into the new month's blank register). Read
back like every other table; the checks are :mod:`tekun_helpers.checks.complaints`.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from ..config.complaints import complaints_for
from ..config.schema import COMPLAINTS, bind
from ..core.months import check_month, month_end
from .layout import (
    FIRST_DATA_ROW,
    date_range,
    date_validation,
    example_day,
    ledger_sheet,
    list_validation,
    month_label,
    month_stamp,
    save_reproducible,
    set_properties,
    wrapped_lines,
)

SHEET = "举报登记"
#: numbered blank rows after the cases carried over
BLANK_ROWS = 20
WIDTHS = {"seq": 5, "case_no": 12, "received_on": 11, "channel": 7, "township": 11, "home": 14, "person_name": 8,
          "category": 10, "summary": 26, "unit": 12, "deadline": 11, "found": 26, "result": 26, "closed_on": 11,
          "published_on": 11, "note": 12}
LEFT = ("summary", "found", "result", "note", "unit")
#: the dates and what their drop-down's message says
DATES = {"received_on": "受理日期必填", "deadline": "未定期限的留空（按受理后规定的天数计）", "closed_on": "未办结的留空",
         "published_on": "处理结果未公布的留空"}


def complaints_filename(month: str) -> str:
    """'举报与媒体报道问题登记表 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{COMPLAINTS.label} {month}.xlsx"


def complaints_notes(policy) -> list[str]:
    """The notes under the register: one row per case, the numbers kept, the drop-downs, what is published."""
    s = complaints_for(policy)
    notes = [
        "注：1.每件举报或媒体报道的问题登记一行；未办结或未公布的件下月继续登记，沿用同一“登记编号”，"
        "办结、公布后填写“办结日期”“公布日期”。",
        f"2.“来源渠道”从下拉列表中选择：{'、'.join(s.channel_names)}；“问题类别”：{'、'.join(s.category_names)}。"
        f"日期按“{example_day(policy).isoformat()}”的格式填写；未填“办理期限”的按受理后 {s.default_days} 天计。",
        "3.“反映的问题”“调查核实情况”“处理结果”将在处理结果公示中公布：不写姓名、身份证号和健康状况，"
        "人员写作“一名分散供养特困人员”等；“涉及人员”一栏只供内部跟踪，不公布。",
    ]
    if s.source:
        notes.append(f"方案原文：“{s.source}”")
    return notes


def build_complaints_form(month: str, rows: list[dict] | None = None, *, townships: list[str] | None = None,
                          homes: list[str] | None = None, sample: bool = False, policy=None) -> Workbook:
    """The register of ``month`` as an openpyxl Workbook (see :func:`write_complaints_form`)."""
    check_month(month)
    if policy is None:
        from ..config.policy import load_policy

        policy = load_policy()
    if townships is None or homes is None:
        from ..config.reference import reference_for

        ref = reference_for(policy)
        townships = ref.township_names if townships is None else townships
        homes = ref.home_names if homes is None else homes
    s = complaints_for(policy)
    rows = [dict(r) for r in rows or []]
    if not sample:
        rows += [{} for _ in range(BLANK_ROWS)]
    table = bind(COMPLAINTS, policy.county)
    title = f"{policy.county.name}{s.title}"
    low, high = date_range(policy)
    validations = {
        "channel": list_validation(table.field("channel").label, s.channel_names),
        "category": list_validation(table.field("category").label, s.category_names),
        "township": list_validation(table.field("township").label, list(townships)),
        "home": list_validation(table.field("home").label, list(homes)),
        **{k: date_validation(table.field(k).label, low, high if k != "received_on" else month_end(month), words,
                              example=example_day(policy)) for k, words in DATES.items()},
    }
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ledger_sheet(ws, table, title=title, month=month, rows=rows, notes=complaints_notes(policy),
                 validations=validations, sample=sample, left_aligned=LEFT, widths=WIDTHS)
    _heights(ws, table.fields, len(rows))
    set_properties(wb, f"{title}（{month_label(month)}）", month_stamp(month), sample)
    return wb


def _heights(ws, fields, n_rows: int) -> None:
    """Each case's row as high as its longest text needs (at least one line)."""
    keys = [f.key for f in fields]
    for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + n_rows):
        lines = max(wrapped_lines(str(ws.cell(r, keys.index(k) + 1).value or ""), WIDTHS[k]) for k in LEFT)
        if lines > 1:
            ws.row_dimensions[r].height = 13.5 * lines + 6


def write_complaints_form(path: str | os.PathLike, month: str, rows: list[dict] | None = None, *,
                          townships: list[str] | None = None, homes: list[str] | None = None, sample: bool = False,
                          policy=None) -> Path:
    """Write the register of ``month`` as .xlsx.

    path:      the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:     'YYYY-MM' (填报月份).
    rows:      one dict per case keyed like schema.COMPLAINTS (dates as datetime.date): the cases carried over or,
               for sample data, the month's cases; a blank register gets 20 numbered blank rows after them.
    townships, homes: the drop-downs (default: the reference's).
    sample:    mark the file as generated sample data (no blank rows).
    policy:    whose county's words and complaints.toml (default: policy.toml's).
    The same input gives the same bytes.
    """
    wb = build_complaints_form(month, rows, townships=townships, homes=homes, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))


def carried_over(previous) -> list[dict]:
    """The cases of the previous month's register (a MonthData) still to follow: not closed, or closed and not yet
    published; as rows for :func:`write_complaints_form`."""
    df = getattr(previous, "complaints", None)
    if df is None or not len(df):
        return []
    keys = [f.key for f in COMPLAINTS.fields if f.key != "seq"]
    out = []
    for r in df[keys].astype(object).where(df[keys].notna(), None).to_dict("records"):
        if not r.get("closed_on") or not r.get("published_on"):
            out.append({k: (v if v != "" else None) for k, v in r.items()})
    return out


def write_register(month: str, data_dir=None, out_dir=None) -> tuple[Path, int, str, str]:
    """``tekun forms --kind 举报``: write the month's register into ``out_dir`` (default outputs/<month>/举报登记空白表/)
    with the previous month's cases still to follow (:func:`carried_over`) and 20 blank rows. Returns (the file, how
    many cases were carried over, the previous month, the county's word for the whole county)."""
    from ..config.policy import load_policy
    from ..core.months import previous_month
    from ..core.paths import output_dir
    from ..month import load_month

    policy = load_policy(data_dir=data_dir).in_force(month)
    prev = previous_month(month)
    rows = carried_over(load_month(prev, data_dir))
    out = Path(out_dir) if out_dir else output_dir() / month / "举报登记空白表"
    path = write_complaints_form(out / complaints_filename(month), month, rows, policy=policy)
    return path, len(rows), prev, policy.county.whole
