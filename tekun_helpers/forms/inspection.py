"""敬老院供养服务督查检查表: the bureau's checklist for one inspection visit to one nursing home.

One workbook per home (:func:`write_inspection_forms`, ``tekun forms --kind 督查``): the title, the line
“受检敬老院：<home>” with the month, then one row per item of data/reference/inspection.toml (the item's id,
its short name, the plan's clause quoted, its weight), the answer chosen from a drop-down (符合 / 基本符合 /
不符合 / 不适用), what the inspectors saw (看到的情况) and remarks. The home is written on every row; the
date and the inspectors once, in a cell merged down the rows. Read back like every other table
(schema.INSPECTIONS; the checks are :mod:`tekun_helpers.checks.inspection`).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ..config.inspection import ANSWERS, NOT_MET, inspection_for
from ..config.schema import INSPECTIONS, bind
from ..core.months import check_month, month_end
from .layout import (
    FIRST_DATA_ROW,
    date_validation,
    ledger_sheet,
    list_validation,
    month_label,
    month_stamp,
    save_reproducible,
    set_properties,
    wrapped_lines,
)

SHEET = "督查检查表"
#: the title, after the county's name; filled with the checklist's title (敖汉旗敬老院供养服务督查评比检查表)
TITLE = "{name}{title}检查表"
WIDTHS = {"seq": 5, "home": 13, "inspected_on": 11, "inspectors": 10, "item": 13, "title": 15, "clause": 40,
          "weight": 5.5, "answer": 9, "evidence": 26, "note": 12}
#: the columns written once for the visit (merged down the rows)
ONCE = ("inspected_on", "inspectors")
LEFT = ("title", "clause", "evidence", "note")


def _policy(policy):
    from ..config.policy import load_policy

    return policy or load_policy()


def inspection_filename(home: str, month: str) -> str:
    """'督查检查表 <home> <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"督查检查表 {home} {month}.xlsx"


def inspection_notes(checklist, policy) -> list[str]:
    """The notes under the checklist: how to answer, what 不符合 needs, how the score is made, the plan's words."""
    scores = "、".join(f"{a} {s:g}" for a, s in checklist.scores)
    notes = [
        f"注：1.“检查结果”从下拉列表中选择：{'、'.join(ANSWERS)}；“检查日期”“检查人员”填写一次即可。",
        f"2.检查结果为“{NOT_MET}”的，须在“看到的情况”中写明现场看到的问题（整改情况逐月跟踪，到再次检查“符合”为止）；"
        f"其他结果也请简要记录依据。",
        f"3.得分 = 各项（{scores}）乘以权重之和 ÷ 参加评分各项的权重之和（“不适用”的项目不计入），"
        f"权重由{policy.county.bureau_short}确定。“项目编号”用于读回检查结果，请勿改动。",
    ]
    if checklist.source:
        notes.append(f"方案原文：“{checklist.source}”")
    return notes


def checklist_rows(checklist, home: str, answers: dict[str, dict] | None = None, *,
                   inspected_on: dt.date | None = None, inspectors: str = "") -> list[dict]:
    """One row per item: the home, the item's id, title, clause and weight, and the given answer, evidence and
    note (``answers``: item id -> {answer, evidence, note}); the date and inspectors on the first row only."""
    rows = []
    for n, item in enumerate(checklist.items):
        given = (answers or {}).get(item.id, {})
        rows.append({"home": home, "item": item.id, "title": item.title,
                     "clause": f"{item.section}：{item.clause}", "weight": f"{item.weight:g}",
                     "answer": given.get("answer"), "evidence": given.get("evidence"), "note": given.get("note"),
                     "inspected_on": inspected_on if n == 0 else None, "inspectors": inspectors if n == 0 else None})
    return rows


def _shape(ws, fields, n_rows: int) -> None:
    """The date and inspectors merged down the rows; each row as high as its clause needs."""
    keys = [f.key for f in fields]
    last = FIRST_DATA_ROW + n_rows - 1
    for key in ONCE:
        col = get_column_letter(keys.index(key) + 1)
        if n_rows > 1:
            ws.merge_cells(f"{col}{FIRST_DATA_ROW}:{col}{last}")
        ws[f"{col}{FIRST_DATA_ROW}"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    clause_col, evidence_col = keys.index("clause") + 1, keys.index("evidence") + 1
    for r in range(FIRST_DATA_ROW, last + 1):
        lines = max(wrapped_lines(str(ws.cell(r, clause_col).value or ""), WIDTHS["clause"]),
                    wrapped_lines(str(ws.cell(r, evidence_col).value or ""), WIDTHS["evidence"]), 2)
        ws.row_dimensions[r].height = 13.5 * lines + 6


def build_inspection_form(month: str, home: str, answers: dict[str, dict] | None = None, *,
                          inspected_on: dt.date | None = None, inspectors: str = "", sample: bool = False,
                          policy=None, checklist=None) -> Workbook:
    """The checklist of ``home`` for a visit in ``month`` as an openpyxl Workbook (see :func:`write_inspection_form`)."""
    check_month(month)
    policy = _policy(policy)
    checklist = checklist or inspection_for(policy)
    table = bind(INSPECTIONS, policy.county)
    title = TITLE.format(name=policy.county.name, title=checklist.title)
    rows = checklist_rows(checklist, home, answers, inspected_on=inspected_on, inspectors=inspectors)
    first, last = month_stamp(month).date(), month_end(month)
    validations = {"answer": list_validation(table.field("answer").label, list(ANSWERS)),
                   "inspected_on": date_validation(table.field("inspected_on").label, first, last,
                                                   "检查当天的日期", example=first)}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ledger_sheet(ws, table, title=title, month=month, rows=rows, notes=inspection_notes(checklist, policy),
                 validations=validations, sample=sample, left_aligned=LEFT, widths=WIDTHS,
                 line=f"受检敬老院：{home}", right=f"检查月份：{month_label(month)}", spans=(4, 8))
    _shape(ws, table.fields, len(rows))
    set_properties(wb, f"{title}（{home}，{month_label(month)}）", month_stamp(month), sample)
    return wb


def write_inspection_form(path: str | os.PathLike, month: str, home: str, answers: dict[str, dict] | None = None, *,
                          inspected_on: dt.date | None = None, inspectors: str = "", sample: bool = False,
                          policy=None, checklist=None) -> Path:
    """Write the inspection checklist of one home as .xlsx.

    path:         the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:        'YYYY-MM' of the visit (检查月份 line; the date's drop-down accepts only that month's days).
    home:         the home's official name (written on every row).
    answers:      item id -> {"answer": 符合…, "evidence": 看到的情况, "note": 备注}; None: blank answers.
    inspected_on, inspectors: the visit's date and the inspectors' names (written once).
    sample:       mark the file as generated sample data.
    policy:       whose county's words are in the title and notes (default: policy.toml).
    checklist:    the items (default: inspection.toml beside the policy).
    The same input gives the same bytes.
    """
    wb = build_inspection_form(month, home, answers, inspected_on=inspected_on, inspectors=inspectors,
                               sample=sample, policy=policy, checklist=checklist)
    return save_reproducible(wb, path, month_stamp(month))


def write_inspection_forms(out_dir: str | os.PathLike, month: str, homes: list[str] | None = None, *,
                           policy=None) -> list[Path]:
    """A blank checklist for each of ``homes`` (default: the reference's homes in official order) in ``out_dir``."""
    policy = _policy(policy)
    if homes is None:
        from ..config.reference import reference_for

        homes = reference_for(policy).home_names
    checklist = inspection_for(policy)
    return [write_inspection_form(Path(out_dir) / inspection_filename(h, month), month, h, policy=policy,
                                  checklist=checklist) for h in homes]


def inspected_homes(ref, towns: list[str] | None) -> list[str]:
    """The homes whose checklists ``tekun forms --kind 督查`` writes: every home of the reference, or (``--township``)
    the homes in ``towns`` and those serving them; none: a :class:`UsageError` in Chinese."""
    if towns is None:
        return ref.home_names
    served = {h for t in towns for h in ref.township(t).served_by}
    homes = [h.name for h in ref.homes if h.township in towns or h.name in served]
    if not homes:
        from ..core.exceptions import UsageError

        raise UsageError(f"{'、'.join(towns)}没有敬老院，也没有承接其集中供养的敬老院，不生成督查检查表；"
                         f"去掉 --township 生成全部 {len(ref.home_names)} 所敬老院的检查表。")
    return homes
