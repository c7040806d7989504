"""The 附件3 assessment form (敖汉旗分散供养特困人员排查评估表) as an Excel workbook.

:func:`write_assessment_form` writes one township's form in the official layout:
title, 填报单位 and 月份, the 18 official header labels, one row per person (or 30
numbered blank rows), and the form's three notes. Every column with a fixed
answer list gets a drop-down (Excel data validation) built from
:data:`tekun_helpers.schema.VOCABULARIES`, the ages a whole-number check.

:func:`write_blank_forms` writes the month's blank forms for the townships,
optionally pre-filled with last month's people (identifying columns only).

Files are written atomically and reproducibly: the same content gives the same
bytes (fixed document dates derived from the month, fixed zip timestamps).
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins

from .month import check_month
from .schema import (ASSESSMENT_HEADER, ASSESSMENT_NOTES, ASSESSMENT_TITLE, ASSESSMENT_UNIT_LABEL, ASSESSMENTS, AGE,
                     ChoiceField, VOCABULARIES)
from .workbooks import SAMPLE_KEYWORD, SAMPLE_TEXT

#: the visible mark in row 2 of every generated sample form (the reader looks for 示例数据 + tekun)
SAMPLE_MARK = f"{SAMPLE_TEXT}（tekun 生成，人物均为虚构）"
#: the columns copied from last month's form into this month's blank form
IDENTIFYING_KEYS = ("village", "name", "sex", "age", "guardian_name", "guardian_age", "guardian_relation")
BLANK_ROWS = 30
SHEET_TITLE = "排查评估表"
FONT_NAME = "宋体"

# the form's columns, in the official order (序号 first)
FIELDS = ASSESSMENTS.fields
KEYS = tuple(f.key for f in FIELDS)
assert len(KEYS) == len(ASSESSMENT_HEADER) == 18, "schema.ASSESSMENTS and ASSESSMENT_HEADER must have the 18 official columns"
N_COLS = len(KEYS)
LAST_COL = get_column_letter(N_COLS)

# column widths in Excel character units (a Chinese character is about 2 units)
WIDTHS = {
    "seq": 5.5, "village": 13, "name": 9, "sex": 5.5, "age": 5.5, "guardian_name": 10, "guardian_age": 8,
    "guardian_relation": 12, "self_care": 9, "housing": 9, "environment": 10, "quality": 9, "care": 9,
    "treated": 9, "self_controls_allowance": 9, "rights_infringed": 10, "result": 9, "note": 20,
}
LEFT_ALIGNED = {"village", "note"}
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SAMPLE_FILL = PatternFill("solid", fgColor="C00000")


def month_label(month: str) -> str:
    """'2023-08' -> '2023年8月'."""
    check_month(month)
    year, mon = month.split("-")
    return f"{int(year)}年{int(mon)}月"


def month_stamp(month: str) -> dt.datetime:
    """The fixed document date of a month's generated files: the 1st of the month, 00:00 (UTC)."""
    check_month(month)
    year, mon = month.split("-")
    return dt.datetime(int(year), int(mon), 1)


def form_filename(township: str, month: str) -> str:
    """'附件3 排查评估表 <township> <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"附件3 排查评估表 {township} {month}.xlsx"


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (CJK counted double)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, math.ceil(units / max(width - 1.5, 1)))


def _choice_validations(first: int, last: int) -> list[DataValidation]:
    """A drop-down list per fixed-vocabulary column and a 0..120 check on the ages, for rows first..last."""
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
        else:
            continue
        dv.add(ref)
        out.append(dv)
    return out


def _cell_value(key: str, value):
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return None
    return value


def build_assessment_form(township: str, month: str, people: list[dict] | None = None, *,
                          sample: bool = False, spare_rows: int = 0) -> Workbook:
    """The 附件3 form as an openpyxl Workbook (see :func:`write_assessment_form`)."""
    check_month(month)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    body = Font(name=FONT_NAME, size=10)
    bold = Font(name=FONT_NAME, size=10, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    for idx, key in enumerate(KEYS, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = WIDTHS[key]
    total_width = sum(WIDTHS[k] for k in KEYS)

    # row 1: title
    ws.merge_cells(f"A1:{LAST_COL}1")
    c = ws["A1"]
    c.value = ASSESSMENT_TITLE
    c.font = Font(name=FONT_NAME, size=18, bold=True)
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    # row 2: 填报单位 (left), the sample mark (middle, sample only), 月份 (right)
    ws.merge_cells("A2:F2")
    c = ws["A2"]
    c.value = f"{ASSESSMENT_UNIT_LABEL}：{township}"
    c.font = Font(name=FONT_NAME, size=11, bold=True)
    c.alignment = Alignment(horizontal="left", vertical="center")
    if sample:
        ws.merge_cells("H2:N2")
        c = ws["H2"]
        c.value = SAMPLE_MARK
        c.font = Font(name=FONT_NAME, size=11, bold=True, color="FFFFFF")
        c.fill = SAMPLE_FILL
        c.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"O2:{LAST_COL}2")
    c = ws["O2"]
    c.value = f"月份：{month_label(month)}"
    c.font = Font(name=FONT_NAME, size=11, bold=True)
    c.alignment = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[2].height = 22

    # row 3: the official header
    for idx, (key, label) in enumerate(zip(KEYS, ASSESSMENT_HEADER), start=1):
        c = ws.cell(HEADER_ROW, idx, label)
        c.font = bold
        c.alignment = center
        c.border = BORDER
    lines = max(_lines(label, WIDTHS[key]) for key, label in zip(KEYS, ASSESSMENT_HEADER))
    ws.row_dimensions[HEADER_ROW].height = 14 * lines + 6

    # the people, or numbered blank rows
    rows: list[dict] = [dict(p) for p in (people or [])]
    if not rows:
        rows = [{} for _ in range(BLANK_ROWS)]
    rows += [{} for _ in range(spare_rows)]
    for i, person in enumerate(rows):
        r = FIRST_DATA_ROW + i
        for idx, key in enumerate(KEYS, start=1):
            value = _cell_value(key, person.get(key))
            if key == "seq" and value is None:
                value = i + 1
            c = ws.cell(r, idx, value)
            c.font = body
            c.alignment = left if key in LEFT_ALIGNED else center
            c.border = BORDER
        note = _cell_value("note", person.get("note"))
        ws.row_dimensions[r].height = max(18, 13.5 * (_lines(str(note), WIDTHS["note"]) if note else 1) + 4)
    last_data_row = FIRST_DATA_ROW + len(rows) - 1

    for dv in _choice_validations(FIRST_DATA_ROW, last_data_row):
        ws.add_data_validation(dv)

    # the form's notes, each merged across the width
    r = last_data_row + 1
    for note in ASSESSMENT_NOTES:
        ws.merge_cells(f"A{r}:{LAST_COL}{r}")
        c = ws.cell(r, 1, note)
        c.font = body
        c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = 14 * _lines(note, total_width) + 4
        r += 1
    last_row = r - 1

    # view and print
    a4_landscape(ws, first_data_row=FIRST_DATA_ROW, title_rows=f"1:{HEADER_ROW}", area=f"A1:{LAST_COL}{last_row}",
                 margins=PageMargins(left=0.3, right=0.3, top=0.4, bottom=0.5, header=0.2, footer=0.25))
    footer = f"{township} {month_label(month)}　第 &P 页，共 &N 页"
    if sample:
        footer = f"{SAMPLE_MARK}　" + footer
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9

    props = wb.properties
    props.title = f"{ASSESSMENT_TITLE}（{township}，{month_label(month)}）"
    props.creator = "tekun"
    props.lastModifiedBy = "tekun"
    props.created = props.modified = month_stamp(month)
    if sample:
        props.keywords = SAMPLE_KEYWORD
        props.subject = SAMPLE_TEXT
        props.description = SAMPLE_MARK
    return wb


def a4_landscape(ws, *, first_data_row: int, title_rows: str, area: str, margins: PageMargins) -> None:
    """View and print set-up of an official-layout sheet: frozen below the header, A4 landscape,
    one page wide, the title rows repeated on every printed page."""
    ws.freeze_panes = f"A{first_data_row}"
    ws.print_title_rows = title_rows
    ws.print_area = area
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = margins


_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save_reproducible(wb: Workbook, path: str | os.PathLike, stamp: dt.datetime) -> Path:
    """Save ``wb`` to ``path`` atomically, with the document's modified date and every zip entry's
    timestamp set to ``stamp``, so the same workbook always gives the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # hidden name: a file left behind by a crash is skipped by the month reader
    fd, tmp_name = tempfile.mkstemp(prefix=".~tekun-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        with zipfile.ZipFile(tmp) as zin:
            entries = [(info, zin.read(info)) for info in zin.infolist()]
        iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        date_time = stamp.timetuple()[:6]
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info, data in entries:
                if info.filename == "docProps/core.xml":
                    data = _CORE_MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", data)
                fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = info.external_attr
                fixed.create_system = 3
                zout.writestr(fixed, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_assessment_form(path: str | os.PathLike, township: str, month: str, people: list[dict] | None = None, *,
                          sample: bool = False, spare_rows: int = 0) -> Path:
    """Write one township's 附件3 form (敖汉旗分散供养特困人员排查评估表) as .xlsx.

    path:       the .xlsx file to write (its folder is created; an existing file is replaced atomically).
    township:   the 填报单位, as in data/reference/townships.csv.
    month:      'YYYY-MM'; shown as 月份 (e.g. 2023年8月) and used as the file's document date.
    people:     one dict per person, keyed by the English keys of schema.ASSESSMENTS (seq, village,
                name, sex, age, guardian_name, ..., result, note); missing keys are left blank, a
                missing seq is numbered. None or empty: 30 numbered blank rows.
    sample:     mark the file as generated sample data (document keywords ``tekun-sample``, subject
                示例数据, and a red 示例数据 cell in row 2 and in the page footer).
    spare_rows: numbered blank rows added after the people, for people added this month.
    Returns the path written.
    """
    wb = build_assessment_form(township, month, people, sample=sample, spare_rows=spare_rows)
    return save_reproducible(wb, path, month_stamp(month))


def write_blank_forms(out_dir: str | os.PathLike, month: str, townships: list[str] | None = None,
                      previous_people: dict[str, list[dict]] | None = None, *, spare_rows: int = 5) -> list[Path]:
    """Write the month's blank 附件3 forms, one per township, for the townships to fill in.

    out_dir:         folder to write into (created when missing).
    month:           'YYYY-MM'.
    townships:       township names; None means every township of data/reference/townships.csv.
    previous_people: township -> last month's people (dicts as for :func:`write_assessment_form`).
                     When a township has people, its form lists them with only the identifying
                     columns filled (村/居委会, 姓名, 性别, 年龄, 监护人/护理人 姓名、年龄、关系; ages
                     copied as given) and the assessment columns left empty for this month's visit,
                     followed by ``spare_rows`` numbered blank rows for newly added people.
    Returns the files written, named '附件3 排查评估表 <township> <YYYY-MM>.xlsx'.
    """
    check_month(month)
    if townships is None:
        from .reference import load_reference

        townships = load_reference().township_names
    previous_people = previous_people or {}
    out = Path(out_dir)
    written = []
    for town in townships:
        prev = previous_people.get(town) or []
        people = [{k: p.get(k) for k in IDENTIFYING_KEYS} for p in prev]
        path = out / form_filename(town, month)
        written.append(write_assessment_form(path, town, month, people, spare_rows=spare_rows if people else 0))
    return written
