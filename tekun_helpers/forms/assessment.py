"""The 附件3 assessment form (<county>分散供养特困人员排查评估表) as an Excel workbook.

:func:`write_assessment_form` writes one township's form in the official layout:
title, 填报单位 and 月份, the 18 official header labels followed by the four columns the
banner adds (身份证号, 是否患有精神疾病, 是否新申请, 评估日期: the form's note 3 allows columns to be
added), one row per person (or 30 numbered blank rows), the form's three notes and a
fourth on typing the identity number as text. Every column with a fixed answer list
gets a drop-down (Excel data validation) built from
:data:`tekun_helpers.config.schema.VOCABULARIES`, the ages a whole-number check; the
身份证号 column is formatted as text (Excel keeps only 15 digits of a number).

:func:`write_blank_forms` writes the month's blank forms for the townships,
optionally pre-filled with last month's people (identifying columns only, 身份证号 included, and each person's 评估日期: a person not assessed again keeps it).

The title and the notes speak the county's words (county.toml, through ``policy.county``).
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins

from ..config.schema import (
    AGE,
    ASSESSMENT_EXTRA_HEADER,
    ASSESSMENT_HEADER,
    ASSESSMENT_NOTES,
    ASSESSMENT_TITLE,
    ASSESSMENT_UNIT_LABEL,
    ASSESSMENTS,
    IDNUM,
    VOCABULARIES,
    ChoiceField,
)
from ..config.county import default_county
from ..core.months import check_month
from .layout import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    WIDTHS,
    a4_landscape,
    body_rows,
    cell_value,
    header_row,
    id_validation,
    month_label,
    month_line,
    month_stamp,
    note_rows,
    page_footer,
    right_line,
    save_reproducible,
    set_properties,
    title_row,
)

#: the columns copied from last month's form into this month's blank form (the number identifies the person too)
IDENTIFYING_KEYS = ("village", "name", "sex", "age", "guardian_name", "guardian_age", "guardian_relation", "id_number")
#: ... and the columns the blank form carries over besides: the day of the latest assessment (changed when assessed again)
CARRIED_KEYS = (*IDENTIFYING_KEYS, "assessed_on")
BLANK_ROWS = 30
SHEET_TITLE = "排查评估表"

# the form's columns: the 18 official ones in the official order (序号 first), then the banner's four
OFFICIAL_FIELDS = ASSESSMENTS.fields[:len(ASSESSMENT_HEADER)]
FIELDS = ASSESSMENTS.fields[:len(ASSESSMENT_HEADER) + len(ASSESSMENT_EXTRA_HEADER)]
HEADER = (*ASSESSMENT_HEADER, *ASSESSMENT_EXTRA_HEADER)
KEYS = tuple(f.key for f in FIELDS)
assert len(OFFICIAL_FIELDS) == len(ASSESSMENT_HEADER) == 18, \
    "schema.ASSESSMENTS and ASSESSMENT_HEADER must have the 18 official columns"
assert KEYS[18:] == ("id_number", "mental_illness", "new_applicant", "assessed_on") and \
    tuple(f.label for f in FIELDS[18:]) == ASSESSMENT_EXTRA_HEADER, "schema.ASSESSMENTS: the four added columns follow 备注"
N_COLS = len(KEYS)
LAST_COL = get_column_letter(N_COLS)

#: the note under the form about the added columns (after the official notes 1-3)
ID_NOTE = ("4.“身份证号”“是否患有精神疾病”“是否新申请”“评估日期”为本{level}增加的列（见注3）。身份证号须按文本填写18位号码"
           "（本列已设为文本格式；从其他表格粘贴时请选择“只粘贴值”），否则 Excel 会把号码存成数字，只保留15位有效数字，"
           "末几位变成0，号码即无法核对；“是否患有精神疾病”“是否新申请”从下拉列表中选择“是”或“否”；“评估日期”填此人最近一次"
           "入户考核评价的日期（按“年-月-日”的格式），本月未再次考核评价的照抄上次的日期，不填即按本表月份计。")
#: the notes under the form, as templates of the county's words (fill with ``policy.county.fill``)
ASSESSMENT_FORM_NOTES = (*ASSESSMENT_NOTES, ID_NOTE)
LEFT_ALIGNED = {"village", "note"}
#: row 2's parts: 填报单位 over A..F, the sample mark over H..N, 月份 from O to the last column
_UNIT_END, _MARK, _MONTH_FROM = 6, (8, 14), 15


def form_filename(township: str, month: str) -> str:
    """'附件3 排查评估表 <township> <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"附件3 排查评估表 {township} {month}.xlsx"


def _choice_validations(first: int, last: int) -> list[DataValidation]:
    """A drop-down list per fixed-vocabulary column, a 0..120 check on the ages and an 18-character check
    on the identity numbers, for rows first..last."""
    out = []
    for idx, f in enumerate(FIELDS, start=1):
        col = get_column_letter(idx)
        ref = f"{col}{first}:{col}{last}"
        if isinstance(f, ChoiceField):
            labels = VOCABULARIES[f.vocabulary].labels
            dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
                                showDropDown=False, showErrorMessage=True, errorStyle="stop",
                                errorTitle=f"{f.label}填写有误",
                                error=f"“{f.label}”只能从下拉列表中选择：{'、'.join(labels)}。")
        elif f.kind == AGE:
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="120", allow_blank=True,
                                showErrorMessage=True, errorStyle="stop", errorTitle=f"{f.label}填写有误",
                                error=f"“{f.label}”应填 0 到 120 之间的整数（周岁）。")
        elif f.kind == IDNUM:
            dv = id_validation()
        else:
            continue
        dv.add(ref)
        out.append(dv)
    return out


def build_assessment_form(township: str, month: str, people: list[dict] | None = None, *,
                          sample: bool = False, spare_rows: int = 0, policy=None) -> Workbook:
    """The 附件3 form as an openpyxl Workbook (see :func:`write_assessment_form`)."""
    check_month(month)
    county = policy.county if policy is not None else default_county()
    title = county.fill(ASSESSMENT_TITLE)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    for idx, key in enumerate(KEYS, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = WIDTHS[key]
    total_width = sum(WIDTHS[k] for k in KEYS)

    title_row(ws, title, N_COLS)
    # row 2: 填报单位 (left), the sample mark (middle, sample only), 月份 (right)
    month_line(ws, f"{ASSESSMENT_UNIT_LABEL}：{township}", left_end=_UNIT_END, mark=_MARK if sample else None)
    right_line(ws, f"月份：{month_label(month)}", first=_MONTH_FROM, n_cols=N_COLS)
    # row 3: the official header and the four added columns
    header_row(ws, list(HEADER), [WIDTHS[k] for k in KEYS])

    # the people, or numbered blank rows
    rows: list[dict] = [dict(p) for p in (people or [])]
    if not rows:
        rows = [{} for _ in range(BLANK_ROWS)]
    rows += [{} for _ in range(spare_rows)]
    last_data_row = body_rows(ws, FIELDS, rows, value=lambda f, v: cell_value(v), left_aligned=LEFT_ALIGNED,
                              note_width=WIDTHS["note"])
    for dv in _choice_validations(FIRST_DATA_ROW, last_data_row):
        ws.add_data_validation(dv)

    # the form's notes and the note on the added columns, each merged across the width
    last_row = note_rows(ws, last_data_row + 1, [county.fill(n) for n in ASSESSMENT_FORM_NOTES], n_cols=N_COLS, total_width=total_width) - 1

    # view and print
    a4_landscape(ws, first_data_row=FIRST_DATA_ROW, title_rows=f"1:{HEADER_ROW}", area=f"A1:{LAST_COL}{last_row}",
                 margins=PageMargins(left=0.3, right=0.3, top=0.4, bottom=0.5, header=0.2, footer=0.25))
    page_footer(ws, f"{township} {month_label(month)}", sample)
    set_properties(wb, f"{title}（{township}，{month_label(month)}）", month_stamp(month), sample)
    return wb


def write_assessment_form(path: str | os.PathLike, township: str, month: str, people: list[dict] | None = None, *,
                          sample: bool = False, spare_rows: int = 0, policy=None) -> Path:
    """Write one township's 附件3 form (<county>分散供养特困人员排查评估表) as .xlsx.

    path:       the .xlsx file to write (its folder is created; an existing file is replaced atomically).
    township:   the 填报单位, as in data/reference/townships.csv.
    month:      'YYYY-MM'; shown as 月份 (e.g. 2023年8月) and used as the file's document date.
    people:     one dict per person, keyed by the English keys of schema.ASSESSMENTS (seq, village,
                name, sex, age, guardian_name, ..., result, note, id_number, mental_illness,
                new_applicant, assessed_on); missing keys are left blank, a missing seq is numbered. None or
                empty: 30 numbered blank rows. The 身份证号 is written as text.
    sample:     mark the file as generated sample data (document keywords ``tekun-sample``, subject
                示例数据, and a red 示例数据 cell in row 2 and in the page footer).
    spare_rows: numbered blank rows added after the people, for people added this month.
    policy:     its county's words are in the title and the notes (default: the default data folder's county).
    Returns the path written; the same input gives the same bytes.
    """
    wb = build_assessment_form(township, month, people, sample=sample, spare_rows=spare_rows, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))


def write_blank_forms(out_dir: str | os.PathLike, month: str, townships: list[str] | None = None,
                      previous_people: dict[str, list[dict]] | None = None, *, spare_rows: int = 5,
                      policy=None) -> list[Path]:
    """Write the month's blank 附件3 forms, one per township, for the townships to fill in.

    out_dir:         folder to write into (created when missing).
    month:           'YYYY-MM'.
    townships:       township names; None means every township of data/reference/townships.csv.
    previous_people: township -> last month's people (dicts as for :func:`write_assessment_form`).
                     When a township has people, its form lists them with only the identifying
                     columns filled (村/居委会, 姓名, 性别, 年龄, 监护人/护理人 姓名、年龄、关系, 身份证号;
                     ages and numbers copied as given; 评估日期 copied too, a person not assessed again
                     keeps it) and the assessment columns (with 是否患有精神疾病 and 是否新申请) left empty
                     for this month's visit,
                     followed by ``spare_rows`` numbered blank rows for newly added people.
    policy:          its county's words are in the forms' titles and notes (default: the default data folder's).
    Returns the files written, named '附件3 排查评估表 <township> <YYYY-MM>.xlsx'.
    """
    check_month(month)
    if townships is None:
        from ..config.reference import reference_for

        townships = reference_for(policy).township_names
    previous_people = previous_people or {}
    out = Path(out_dir)
    written = []
    for town in townships:
        prev = previous_people.get(town) or []
        people = [{k: p.get(k) for k in CARRIED_KEYS} for p in prev]
        path = out / form_filename(town, month)
        written.append(write_assessment_form(path, town, month, people, spare_rows=spare_rows if people else 0,
                                             policy=policy))
    return written
