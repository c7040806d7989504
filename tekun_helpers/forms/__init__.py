"""The 附件3 assessment form (敖汉旗分散供养特困人员排查评估表) as an Excel workbook.

:func:`write_assessment_form` writes one township's form in the official layout:
title, 填报单位 and 月份, the 18 official header labels followed by the three columns the
banner adds (身份证号, 是否患有精神疾病, 是否新申请: the form's note 3 allows columns to be
added), one row per person (or 30 numbered blank rows), the form's three notes and a
fourth on typing the identity number as text. Every column with a fixed answer list
gets a drop-down (Excel data validation) built from
:data:`tekun_helpers.config.schema.VOCABULARIES`, the ages a whole-number check; the
身份证号 column is formatted as text (Excel keeps only 15 digits of a number).

:func:`write_blank_forms` writes the month's blank forms for the townships,
optionally pre-filled with last month's people (identifying columns only, 身份证号 included).

The plan's two ledgers are written here too: :func:`write_progress_form`
(乡镇工作进度台账: one row per township, the days the supervision group was formed,
the 考评方案 adopted and the 监管监护协议书 filed, with the plan's due dates quoted from
policy.toml) and :func:`write_staff_form` (敬老院工作人员台账 and, on a second sheet,
护理型床位与入住构成), blank or filled.

For the auditor's checks (资金与政策衔接): :func:`write_benefit_roster` writes the roster of
people receiving a benefit that excludes extreme-hardship support (one workbook per
benefit of policy.toml ``[benefits]``), :func:`write_funds_form` the support-money ledger
(特困人员供养资金拨付台账) with the spending detail on a second sheet.

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
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
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
    BENEFIT_LABEL,
    BENEFITS,
    COUNT,
    DATE,
    FUNDS,
    HOME_CARE,
    IDNUM,
    MONEY,
    PROGRESS,
    SPENDING,
    STAFF,
    VOCABULARIES,
    ChoiceField,
)
from ..core.months import check_month, month_end  # noqa: F401  (month_end re-exported for the sample generator)
from ..io.workbooks import SAMPLE_KEYWORD, SAMPLE_TEXT

#: the visible mark in row 2 of every generated sample form (the reader looks for 示例数据 + tekun)
SAMPLE_MARK = f"{SAMPLE_TEXT}（tekun 生成，人物均为虚构）"
#: the columns copied from last month's form into this month's blank form (the number identifies the person too)
IDENTIFYING_KEYS = ("village", "name", "sex", "age", "guardian_name", "guardian_age", "guardian_relation", "id_number")
BLANK_ROWS = 30
SHEET_TITLE = "排查评估表"
FONT_NAME = "宋体"

# the form's columns: the 18 official ones in the official order (序号 first), then the banner's three
OFFICIAL_FIELDS = ASSESSMENTS.fields[:len(ASSESSMENT_HEADER)]
FIELDS = ASSESSMENTS.fields[:len(ASSESSMENT_HEADER) + len(ASSESSMENT_EXTRA_HEADER)]
HEADER = (*ASSESSMENT_HEADER, *ASSESSMENT_EXTRA_HEADER)
KEYS = tuple(f.key for f in FIELDS)
assert len(OFFICIAL_FIELDS) == len(ASSESSMENT_HEADER) == 18, \
    "schema.ASSESSMENTS and ASSESSMENT_HEADER must have the 18 official columns"
assert KEYS[18:] == ("id_number", "mental_illness", "new_applicant") and \
    tuple(f.label for f in FIELDS[18:]) == ASSESSMENT_EXTRA_HEADER, "schema.ASSESSMENTS: the three added columns follow 备注"
N_COLS = len(KEYS)
LAST_COL = get_column_letter(N_COLS)

# column widths in Excel character units (a Chinese character is about 2 units)
WIDTHS = {
    "seq": 5.5, "village": 13, "name": 9, "sex": 5.5, "age": 5.5, "guardian_name": 10, "guardian_age": 8,
    "guardian_relation": 12, "self_care": 9, "housing": 9, "environment": 10, "quality": 9, "care": 9,
    "treated": 9, "self_controls_allowance": 9, "rights_infringed": 10, "result": 9, "note": 20,
    # 18 digits and a little room; the two marks take 是/否
    "id_number": 21, "mental_illness": 9, "new_applicant": 8,
}
#: Excel's number format "text": what is typed stays as typed (an 18-digit number would keep only 15 digits)
TEXT_FORMAT = "@"
#: the note under the form about the added columns (after the official notes 1-3)
ID_NOTE = ("4.“身份证号”“是否患有精神疾病”“是否新申请”为本旗增加的列（见注3）。身份证号须按文本填写18位号码"
           "（本列已设为文本格式；从其他表格粘贴时请选择“只粘贴值”），否则 Excel 会把号码存成数字，只保留15位有效数字，"
           "末几位变成0，号码即无法核对；“是否患有精神疾病”“是否新申请”从下拉列表中选择“是”或“否”。")
ASSESSMENT_FORM_NOTES = (*ASSESSMENT_NOTES, ID_NOTE)
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


def _id_validation() -> DataValidation:
    """18 characters in a 身份证号 cell: a warning (the person may go on), not a stop."""
    return DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True, showErrorMessage=True,
                          errorStyle="warning", errorTitle="身份证号位数不对",
                          error="身份证号应为18位（最后一位可以是X），请按文本格式填写；确认无误可点“是”保留。")


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
            dv = _id_validation()
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

    # row 3: the official header and the three added columns
    for idx, (key, label) in enumerate(zip(KEYS, HEADER), start=1):
        c = ws.cell(HEADER_ROW, idx, label)
        c.font = bold
        c.alignment = center
        c.border = BORDER
    lines = max(_lines(label, WIDTHS[key]) for key, label in zip(KEYS, HEADER))
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
            if key == "id_number" and value is not None:
                value = str(value)
            c = ws.cell(r, idx, value)
            c.font = body
            c.alignment = left if key in LEFT_ALIGNED else center
            c.border = BORDER
            if key == "id_number":
                c.number_format = TEXT_FORMAT
        note = _cell_value("note", person.get("note"))
        ws.row_dimensions[r].height = max(18, 13.5 * (_lines(str(note), WIDTHS["note"]) if note else 1) + 4)
    last_data_row = FIRST_DATA_ROW + len(rows) - 1

    for dv in _choice_validations(FIRST_DATA_ROW, last_data_row):
        ws.add_data_validation(dv)

    # the form's notes and the note on the added columns, each merged across the width
    r = last_data_row + 1
    for note in ASSESSMENT_FORM_NOTES:
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
                name, sex, age, guardian_name, ..., result, note, id_number, mental_illness,
                new_applicant); missing keys are left blank, a missing seq is numbered. None or
                empty: 30 numbered blank rows. The 身份证号 is written as text.
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
                     columns filled (村/居委会, 姓名, 性别, 年龄, 监护人/护理人 姓名、年龄、关系, 身份证号;
                     ages and numbers copied as given) and the assessment columns (with 是否患有精神疾病
                     and 是否新申请) left empty for this month's visit,
                     followed by ``spare_rows`` numbered blank rows for newly added people.
    Returns the files written, named '附件3 排查评估表 <township> <YYYY-MM>.xlsx'.
    """
    check_month(month)
    if townships is None:
        from ..config.reference import load_reference

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


# ======================================================================================
# The plan's schedule: 乡镇工作进度台账 and 敬老院工作人员台账 (with 护理型床位与入住构成)
# ======================================================================================
#
# Both are ledgers the bureau keeps month by month: the township ledger records when each township
# formed its supervision group, adopted its 考评方案 and filed its 监管监护协议书; the staff ledger lists
# every nursing-home staff member with the training hours of the year so far, and a second sheet
# the nursing beds and the residents of each home. The layout follows the 附件3 form: merged title,
# a line with the month, the header from schema (PROGRESS, STAFF, HOME_CARE), bordered rows,
# notes quoting the plan (dates and hours read from policy.toml), A4 landscape.

PROGRESS_TITLE = "敖汉旗特困人员供养服务乡镇工作进度台账"
STAFF_TITLE = "敖汉旗敬老院工作人员台账"
HOME_CARE_TITLE = "敖汉旗敬老院护理型床位与入住构成表"
STAFF_SHEET = "工作人员台账"
HOME_CARE_SHEET = "护理型床位与入住构成"
PROGRESS_SHEET = "乡镇工作进度台账"
#: the range a date typed into a ledger may take (Excel data validation)
DATE_MIN, DATE_MAX = dt.date(2023, 1, 1), dt.date(2030, 12, 31)
#: staff may have started long before the plan: 到岗日期 accepts any day the reader accepts from 2000 on
HIRED_MIN = dt.date(2000, 1, 1)
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
#: numbered blank rows per home in a blank staff roster (the largest home has 17 staff)
STAFF_ROWS_PER_HOME = 8
LEDGER_WIDTHS = {
    # 乡镇工作进度台账
    "township": 14, "home": 22, "group_formed": 14, "scheme_adopted": 13, "agreements_signed": 13, "agreements_filed": 13,
    "filed_on": 12,
    # 敬老院工作人员台账
    "staff_name": 12, "role": 10, "employment": 10, "hired_on": 12, "training_hours": 12,
    # 护理型床位与入住构成
    "nursing_beds": 14, "residents_tekun": 14, "residents_other": 14,
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def progress_filename(month: str) -> str:
    """'乡镇工作进度台账 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{PROGRESS.label} {month}.xlsx"


def staff_filename(month: str) -> str:
    """'敬老院工作人员台账 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{STAFF.label} {month}.xlsx"


def day_label(day: dt.date) -> str:
    """date(2023, 9, 15) -> '2023年9月15日'."""
    return f"{day.year}年{day.month}月{day.day}日"




def _serial(day: dt.date) -> str:
    return str((day - _EXCEL_EPOCH).days)


def _date_validation(label: str, low: dt.date, high: dt.date, blank: str = "尚未完成的请留空") -> DataValidation:
    return DataValidation(type="date", operator="between", formula1=_serial(low), formula2=_serial(high),
                          allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”应填写 {low.isoformat()} 至 {high.isoformat()} 之间的日期，"
                                f"格式如 2023-09-15；{blank}。")


def _count_validation(label: str, unit: str) -> DataValidation:
    return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                          showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”应填写不小于 0 的整数（{unit}）。")


def _list_validation(label: str, labels: list[str]) -> DataValidation:
    formula = '"' + ",".join(labels) + '"'
    if len(formula) - 2 > 255:  # Excel's limit for a list typed into the validation
        raise ValueError(f"“{label}”的下拉选项合计超过 255 个字符，Excel 无法保存为下拉列表。")
    return DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                          showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”只能从下拉列表中选择：{'、'.join(labels)}。")


def _ledger_value(f, value):
    value = _cell_value(f.key, value)
    if value is None:
        return None
    if f.kind == DATE and isinstance(value, dt.datetime):
        return value.date()
    if f.kind == COUNT and isinstance(value, float) and value.is_integer():
        return int(value)
    if f.kind == MONEY and isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):  # numpy scalars
        return value.item()
    return value


def _merge_row(ws, row: int, first: int, last: int) -> None:
    if last > first:
        ws.merge_cells(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")


def _ledger_sheet(ws, table, *, title: str, month: str, rows: list[dict], notes: list[str],
                  validations: dict[str, DataValidation], sample: bool, total: dict | None = None,
                  left_aligned: tuple[str, ...] = ("note",), fields=None, line: str | None = None,
                  right: str | None = None, spans: tuple[int, int] | None = None,
                  widths: dict[str, float] | None = None) -> None:
    """One ledger sheet in the official look: title (row 1), month line (row 2, with the sample mark),
    the schema's header (row 3), one bordered row per dict of ``rows`` (序号 numbered), an optional
    合计 row (``total``: key -> number), the notes merged across the width, A4 landscape.

    fields: the columns (default all of ``table``); line / right: the texts of row 2 (default 填报月份
    and 数据截至); spans: the last column of row 2's left part and of its middle part (the sample
    mark), default a third and all but the last two; widths: column widths overriding the defaults.
    Date columns are formatted yyyy-mm-dd, money columns #,##0.00, identity numbers as text."""
    fields = tuple(table.fields if fields is None else fields)
    keys = [f.key for f in fields]
    n = len(keys)
    last = get_column_letter(n)
    widths = {**WIDTHS, **LEDGER_WIDTHS, "note": 24, **(widths or {})}
    body = Font(name=FONT_NAME, size=10)
    bold = Font(name=FONT_NAME, size=10, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for idx, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = widths[key]
    total_width = sum(widths[k] for k in keys)

    ws.merge_cells(f"A1:{last}1")
    c = ws["A1"]
    c.value = title
    c.font = Font(name=FONT_NAME, size=18, bold=True)
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    # row 2: 填报月份 (left), the sample mark (middle, sample only), the cut-off day (right)
    third, middle = spans if spans is not None else (max(1, n // 3), n - 2)
    _merge_row(ws, 2, 1, third)
    c = ws["A2"]
    c.value = line if line is not None else f"填报月份：{month_label(month)}"
    c.font = Font(name=FONT_NAME, size=11, bold=True)
    c.alignment = Alignment(horizontal="left", vertical="center")
    if sample:
        _merge_row(ws, 2, third + 1, middle)
        c = ws.cell(2, third + 1, SAMPLE_MARK)
        c.font = Font(name=FONT_NAME, size=11, bold=True, color="FFFFFF")
        c.fill = SAMPLE_FILL
        c.alignment = Alignment(horizontal="center", vertical="center")
    _merge_row(ws, 2, middle + 1, n)
    c = ws.cell(2, middle + 1, right if right is not None else f"数据截至：{day_label(month_end(month))}")
    c.font = Font(name=FONT_NAME, size=11, bold=True)
    c.alignment = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[2].height = 22

    for idx, f in enumerate(fields, start=1):
        c = ws.cell(HEADER_ROW, idx, f.label)
        c.font = bold
        c.alignment = center
        c.border = BORDER
    ws.row_dimensions[HEADER_ROW].height = 14 * max(_lines(f.label, widths[f.key]) for f in fields) + 6

    for i, row in enumerate(rows):
        r = FIRST_DATA_ROW + i
        for idx, f in enumerate(fields, start=1):
            value = _ledger_value(f, row.get(f.key))
            if f.key == "seq" and value is None:
                value = i + 1
            if f.kind == IDNUM and value is not None:
                value = str(value)
            c = ws.cell(r, idx, value)
            c.font = body
            c.alignment = left if f.key in left_aligned else center
            c.border = BORDER
            if f.kind == DATE:
                c.number_format = DATE_FORMAT
            elif f.kind == MONEY:
                c.number_format = MONEY_FORMAT
            elif f.kind == IDNUM:
                c.number_format = TEXT_FORMAT
        note = _cell_value("note", row.get("note"))
        ws.row_dimensions[r].height = max(18, 13.5 * (_lines(str(note), widths["note"]) if note else 1) + 4)
    last_data_row = FIRST_DATA_ROW + len(rows) - 1

    r = last_data_row + 1
    if total is not None:
        ws.merge_cells(f"A{r}:B{r}")
        c = ws.cell(r, 1, "合 计")
        c.font = bold
        c.alignment = center
        for idx, f in enumerate(fields, start=1):
            cell = ws.cell(r, idx) if idx > 1 else c
            if f.key in total:
                cell.value = total[f.key]
                cell.font = bold
                cell.alignment = center
            cell.border = BORDER
        ws.row_dimensions[r].height = 20
        r += 1

    for key, dv in validations.items():
        col = get_column_letter(keys.index(key) + 1)
        dv.add(f"{col}{FIRST_DATA_ROW}:{col}{max(last_data_row, FIRST_DATA_ROW)}")
        ws.add_data_validation(dv)

    for note in notes:
        ws.merge_cells(f"A{r}:{last}{r}")
        c = ws.cell(r, 1, note)
        c.font = body
        c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = 14 * _lines(note, total_width) + 4
        r += 1

    a4_landscape(ws, first_data_row=FIRST_DATA_ROW, title_rows=f"1:{HEADER_ROW}", area=f"A1:{last}{r - 1}",
                 margins=PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.2, footer=0.25))
    footer = f"{title} {month_label(month)}　第 &P 页，共 &N 页"
    if sample:
        footer = f"{SAMPLE_MARK}　" + footer
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9


def _properties(wb: Workbook, title: str, month: str, sample: bool) -> None:
    props = wb.properties
    props.title = f"{title}（{month_label(month)}）"
    props.creator = "tekun"
    props.lastModifiedBy = "tekun"
    props.created = props.modified = month_stamp(month)
    if sample:
        props.keywords = SAMPLE_KEYWORD
        props.subject = SAMPLE_TEXT
        props.description = SAMPLE_MARK


def _policy_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def schedule_duties(policy=None) -> list:
    """The plan's dated duties recorded in the township ledger: the :class:`~tekun_helpers.config.policy.Duty`
    of policy.toml ``[schedule]`` whose ``field`` is a column of schema.PROGRESS, in the policy's order."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    return [d for d in policy.duties if d.field in PROGRESS.keys]


def progress_notes(policy=None) -> list[str]:
    """The notes under the township ledger: the plan's dated duties with their due dates and the plan's
    words, all read from policy.toml ([document], [schedule.*])."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    doc = policy.document
    basis = f"《{doc.title}》（{doc.number}）"
    notes, quoted = [], set()
    for n, duty in enumerate(schedule_duties(policy), start=1):
        column = PROGRESS.field(duty.field).label
        text = f"{n}.{duty.label}（填“{column}”）：应于{day_label(duty.due)}前完成"
        if duty.field == "filed_on":
            text += (f"，“{PROGRESS.field('agreements_filed').label}”应达到附件1中本乡镇的分散供养人数"
                     f"（每名分散供养特困人员一份）")
        text += "。"
        source = duty.source
        if source and source not in quoted:
            quoted.add(source)
            text += f"方案原文：“{source}”"
        notes.append(text)
    notes.append(f"{len(notes) + 1}.日期按“2023-09-15”的格式填写，尚未完成的留空；份数填截至本月底的累计份数。"
                 f"本台账逐月累计填报，已填写的日期在以后各月保留。")
    notes[0] = f"注：依据{basis}。" + notes[0]
    return notes


def build_progress_form(month: str, townships: list[str] | None = None, rows: list[dict] | None = None, *,
                        sample: bool = False, policy=None) -> Workbook:
    """The 乡镇工作进度台账 as an openpyxl Workbook (see :func:`write_progress_form`)."""
    check_month(month)
    if rows is None:
        if townships is None:
            from ..config.reference import load_reference

            townships = load_reference().township_names
        rows = [{"township": t} for t in townships]
    rows = [dict(r) for r in rows]
    wb = Workbook()
    ws = wb.active
    ws.title = PROGRESS_SHEET
    validations = {}
    for f in PROGRESS.fields:
        if f.kind == DATE:
            validations[f.key] = _date_validation(f.label, DATE_MIN, DATE_MAX)
        elif f.kind == COUNT:
            validations[f.key] = _count_validation(f.label, "份")
    _ledger_sheet(ws, PROGRESS, title=PROGRESS_TITLE, month=month, rows=rows, notes=progress_notes(policy),
                  validations=validations, sample=sample)
    _properties(wb, PROGRESS_TITLE, month, sample)
    return wb


def write_progress_form(path: str | os.PathLike, month: str, townships: list[str] | None = None,
                        rows: list[dict] | None = None, *, sample: bool = False, policy=None) -> Path:
    """Write the 乡镇工作进度台账 (敖汉旗特困人员供养服务乡镇工作进度台账) as .xlsx.

    path:      the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:     'YYYY-MM': the 填报月份 line (填报月份：2023年9月), the cut-off day (数据截至 the month's
               last day) and the file's document date.
    townships: the townships listed, one row each; None means the 18 of data/reference/townships.csv
               in official order. Ignored when ``rows`` is given.
    rows:      one dict per township keyed like schema.PROGRESS (township, group_formed,
               scheme_adopted, agreements_signed, agreements_filed, filed_on, note); dates as
               datetime.date. Missing keys are left blank, seq is numbered.
    sample:    mark the file as generated sample data (as :func:`write_assessment_form`).
    policy:    the policy whose [schedule.*] due dates the notes quote (default: policy.toml).
    Date columns are formatted yyyy-mm-dd and accept only dates from 2023-01-01 to 2030-12-31, the
    counts only whole numbers >= 0. The same input gives the same bytes.
    """
    wb = build_progress_form(month, townships, rows, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))


def staff_notes(policy=None) -> list[str]:
    """The notes under the staff roster: the plan's training rule (hours read from policy.toml)."""
    from fractions import Fraction

    from ..config.policy import load_policy

    policy = policy or load_policy()
    hours = policy.training_hours
    per_month = Fraction(hours, 12)
    per_month_text = f"{float(per_month):g}" if per_month.denominator in (1, 2, 4, 5) else f"{hours}/12"
    source = policy.training.source
    quote = f"方案原文：“{source}”" if source else ""
    return [
        f"注：1.护理人员每年累计培训时间不少于{hours}课时。{quote}",
        f"2.“{STAFF.field('training_hours').label}”填本年1月1日至本月底累计参加岗前培训、在岗培训的课时数；"
        f"年内未满一年的按月折算（每月{per_month_text}课时），本年新到岗人员自到岗当月起折算。",
        f"3.每所敬老院填一名岗位为“{VOCABULARIES['role'].labels[0]}”的人员（院长）；"
        f"“{STAFF.field('employment').label}”按实际用工形式选择，由其他单位人员兼任的选“{VOCABULARIES['employment'].labels[1]}”。",
    ]


HOME_CARE_NOTES = (
    "注：1.护理型床位数不超过附件2“实有床位数”；入住特困人员数与入住社会老人数之和应等于附件2“现入住老人数”。",
    "2.人数均填本月底的实际人数。",
)


def build_staff_form(month: str, homes: list[str] | None = None, staff_rows: list[dict] | None = None,
                     care_rows: list[dict] | None = None, *, sample: bool = False, policy=None) -> Workbook:
    """The 敬老院工作人员台账 workbook (see :func:`write_staff_form`)."""
    check_month(month)
    if homes is None:
        from ..config.reference import load_reference

        homes = load_reference().home_names
    homes = list(homes)
    wb = Workbook()

    ws = wb.active
    ws.title = STAFF_SHEET
    if staff_rows is None:
        rows = [{} for _ in range(max(20, STAFF_ROWS_PER_HOME * len(homes)))]
    else:
        rows = [dict(r) for r in staff_rows]
    validations = {}
    for f in STAFF.fields:
        if f.key == "home":
            validations[f.key] = _list_validation(f.label, homes)
        elif isinstance(f, ChoiceField):
            validations[f.key] = _list_validation(f.label, VOCABULARIES[f.vocabulary].labels)
        elif f.kind == DATE:
            validations[f.key] = _date_validation(f.label, HIRED_MIN, DATE_MAX, "不清楚的可留空")
        elif f.kind == COUNT:
            validations[f.key] = _count_validation(f.label, "课时")
    _ledger_sheet(ws, STAFF, title=STAFF_TITLE, month=month, rows=rows, notes=staff_notes(policy),
                  validations=validations, sample=sample, left_aligned=("home", "note"))

    ws = wb.create_sheet(HOME_CARE_SHEET)
    if care_rows is None:
        rows = [{"home": h} for h in homes]
    else:
        rows = [dict(r) for r in care_rows]
    summed = [f.key for f in HOME_CARE.fields if f.summed]
    total = None
    if care_rows is not None and rows:
        values = {k: [_ledger_value(HOME_CARE.field(k), r.get(k)) for r in rows] for k in summed}
        if all(isinstance(v, int) for vs in values.values() for v in vs):
            total = {k: sum(vs) for k, vs in values.items()}
    validations = {f.key: _count_validation(f.label, "张" if "床位" in f.label else "人")
                   for f in HOME_CARE.fields if f.kind == COUNT}
    _ledger_sheet(ws, HOME_CARE, title=HOME_CARE_TITLE, month=month, rows=rows, notes=list(HOME_CARE_NOTES),
                  validations=validations, sample=sample, total=total, left_aligned=("home", "note"))

    _properties(wb, STAFF_TITLE, month, sample)
    return wb


def write_staff_form(path: str | os.PathLike, month: str, homes: list[str] | None = None,
                     staff_rows: list[dict] | None = None, care_rows: list[dict] | None = None, *,
                     sample: bool = False, policy=None) -> Path:
    """Write the 敬老院工作人员台账 as .xlsx: two sheets, “工作人员台账” and “护理型床位与入住构成”.

    path:       the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:      'YYYY-MM' (填报月份 line, cut-off day, document date).
    homes:      the homes offered in the 敬老院名称 drop-down and listed on the second sheet; None means
                the 14 of data/reference/nursing_homes.csv in official order.
    staff_rows: one dict per staff member keyed like schema.STAFF (home, staff_name, role, employment,
                hired_on, training_hours, note). None: numbered blank rows (8 per home, at least 20).
    care_rows:  one dict per home keyed like schema.HOME_CARE (home, nursing_beds, residents_tekun,
                residents_other, note). None: the homes pre-filled, numbers blank and no 合计 row;
                given: a 合计 row with the column sums (plain numbers) when every number is filled.
    sample:     mark the file as generated sample data (as :func:`write_assessment_form`).
    policy:     the policy whose [training] rule the notes quote (default: policy.toml).
    The roster's 岗位 and 专职或兼职 are drop-downs of schema.VOCABULARIES["role"] and ["employment"],
    training hours and the second sheet's numbers whole numbers >= 0, 到岗日期 a date. The same input
    gives the same bytes.
    """
    wb = build_staff_form(month, homes, staff_rows, care_rows, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))


# ======================================================================================
# 资金与政策衔接: the benefit rosters and the support-money ledger
# ======================================================================================
#
# The auditor's first checks need three more lists each month: who receives a benefit that excludes
# extreme-hardship support (one roster per benefit of policy.toml [benefits]: 最低生活保障, 孤儿基本
# 生活保障, 困难残疾人生活补贴, 重度残疾人护理补贴), what each nursing home was allocated and when, and
# what the homes spent it on. The layouts follow the ledgers above; rules and amounts are quoted from
# policy.toml, never written here.

ROSTER_SHEET = "名册"
FUNDS_SHEET = "资金拨付台账"
SPENDING_SHEET = "资金支出明细"
FUNDS_TITLE = "敖汉旗特困人员供养资金拨付台账"
SPENDING_TITLE = "敖汉旗特困人员供养资金支出明细"
#: numbered blank rows of a blank roster, and of the spending detail per home
ROSTER_ROWS = 40
SPENDING_ROWS_PER_HOME = 6
#: the roster's columns: the schema's without 待遇类别 (the line above the header says which benefit)
ROSTER_FIELDS = tuple(f for f in BENEFITS.fields if f.key != "benefit")
ROSTER_WIDTHS = {"township": 14, "village": 16, "name": 10, "id_number": 26, "note": 30}
FUNDS_WIDTHS = {"home": 22, "allocated": 20, "allocated_on": 16, "note": 36}
SPENDING_WIDTHS = {"home": 22, "category": 22, "amount": 18, "note": 30}
#: spending categories shown as examples in the note (what the support money is for)
SPENDING_EXAMPLES = ("伙食费", "护理费", "被服", "医疗", "水电取暖", "日用品")


def benefit_sections(policy=None) -> list[tuple]:
    """The benefits of policy.toml ``[benefits]`` that exclude extreme-hardship support: (key, section) in
    the policy's order; each section has ``label`` and ``rule``."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    return list(policy.benefits.items())


def roster_filename(label: str, month: str) -> str:
    """'<待遇> 对象名册 <YYYY-MM>.xlsx', e.g. '最低生活保障对象名册 2023-09.xlsx'."""
    check_month(month)
    return f"{label}对象名册 {month}.xlsx"


def funds_filename(month: str) -> str:
    """'特困人员供养资金拨付台账 <YYYY-MM>.xlsx'."""
    check_month(month)
    return f"{FUNDS.label} {month}.xlsx"


def _money_validation(label: str) -> DataValidation:
    return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                          showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”应填写不小于 0 的金额（元），如 12345.60；没有的填 0。")


def roster_notes(section: dict, policy=None) -> list[str]:
    """The notes under a benefit roster: the plan's rule (from policy.toml) and how to fill the numbers in."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    doc = policy.document
    basis = f"《{doc.title}》（{doc.number}）"
    return [
        f"注：1.本名册用于核对与特困人员救助供养不能同时享受的待遇，依据{basis}。方案原文：“{section.rule}”",
        "2.“身份证号”须按文本填写18位号码（本列已设为文本格式；粘贴时请选择“只粘贴值”），否则 Excel 只保留15位有效数字，"
        "末几位变成0。有身份证号的按号码核对；没有号码的只能按乡镇、村和姓名比对，结果须人工核实。",
        "3.“乡镇苏木街道”从下拉列表中选择正式名称；“村/居委会”按排查评估表（附件3）的写法填写。",
    ]


def build_benefit_roster(month: str, section: dict, rows: list[dict] | None = None, *, townships: list[str] | None = None,
                         sample: bool = False, policy=None) -> Workbook:
    """One benefit's roster as an openpyxl Workbook (see :func:`write_benefit_roster`)."""
    from ..config.policy import load_policy

    check_month(month)
    policy = policy or load_policy()
    label = section.label
    if townships is None:
        from ..config.reference import load_reference

        townships = load_reference().township_names
    rows = [{} for _ in range(ROSTER_ROWS)] if rows is None else [dict(r) for r in rows]
    title = f"{policy.banner}{label}对象名册"
    wb = Workbook()
    ws = wb.active
    ws.title = ROSTER_SHEET
    validations = {"township": _list_validation(BENEFITS.field("township").label, list(townships)),
                   "id_number": _id_validation()}
    _ledger_sheet(ws, BENEFITS, title=title, month=month, rows=rows, notes=roster_notes(section, policy),
                  validations=validations, sample=sample, left_aligned=("village", "note"), fields=ROSTER_FIELDS,
                  line=f"{BENEFIT_LABEL}：{label}", right=f"填报月份：{month_label(month)}", spans=(3, 5),
                  widths=ROSTER_WIDTHS)
    _properties(wb, title, month, sample)
    return wb


def write_benefit_roster(path: str | os.PathLike, month: str, section: dict, rows: list[dict] | None = None, *,
                         townships: list[str] | None = None, sample: bool = False, policy=None) -> Path:
    """Write the roster of one benefit that excludes extreme-hardship support (e.g. 最低生活保障对象名册) as .xlsx.

    path:      the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:     'YYYY-MM' (填报月份, document date).
    section:   the benefit's section of policy.toml ``[benefits]`` (``label``, ``rule``): the label is
               written as the line “待遇类别：<label>” above the header (the reader takes the benefit
               from it), the rule is quoted in the notes.
    rows:      one dict per person keyed like schema.BENEFITS (township, village, name, id_number, note);
               None: 40 numbered blank rows.
    townships: the 乡镇苏木街道 drop-down (default: the 18 of data/reference/townships.csv).
    sample:    mark the file as generated sample data (as :func:`write_assessment_form`).
    The header is schema.BENEFITS without the 待遇类别 column; 身份证号 is a text column with an
    18-character check (a warning). The same input gives the same bytes.
    """
    wb = build_benefit_roster(month, section, rows, townships=townships, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))


def write_benefit_rosters(out_dir: str | os.PathLike, month: str, rows: dict[str, list[dict]] | None = None, *,
                          townships: list[str] | None = None, sample: bool = False, policy=None) -> list[Path]:
    """Write one roster per benefit of policy.toml ``[benefits]`` (in the policy's order) into ``out_dir``.

    rows: benefit key (dibao, orphan, ...) -> its rows; a benefit missing from it gets a blank roster.
    Returns the files written, named by :func:`roster_filename`.
    """
    from ..config.policy import load_policy

    policy = policy or load_policy()
    out = Path(out_dir)
    written = []
    for key, sec in benefit_sections(policy):
        given = (rows or {}).get(key)
        written.append(write_benefit_roster(out / roster_filename(sec.label, month), month, sec, given,
                                            townships=townships, sample=sample, policy=policy))
    return written


def funds_notes(policy=None) -> list[str]:
    """The notes under the money ledger: the standard, the allocation day and the plan's words (policy.toml [funds])."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    sec = policy.funds
    day = sec.allocation_day
    standard = sec.monthly_standard_per_person
    notes = []
    if day:
        notes.append(f"注：1.当月资金应于当月{day}日前（含当日）拨付到各敬老院（当月没有这一天的以月末为限）。")
    else:
        notes.append("注：1.当月资金应及时拨付到各敬老院。")
    if standard:
        text = (f"2.应拨金额 = 每人每月 {standard:,} 元 × 该院本月入住特困人员数（见敬老院工作人员台账“{HOME_CARE_SHEET}”表）"
                f"{'；该标准为示例值，以民政局当年确定的标准为准' if sec.standard_is_example else ''}。")
    else:
        text = "2.应拨金额按每人每月标准乘以该院本月入住特困人员数计算（标准由民政局确定）。"
    notes.append(text)
    notes.append("3.本月未拨付的，拨付金额填 0，拨付日期留空；分次拨付的可分行填写，日期按“2023-09-08”的格式填写。")
    if sec.source:
        notes.append(f"方案原文：“{sec.source}”")
    return notes


def spending_notes(policy=None) -> list[str]:
    """The notes under the spending detail: the forbidden categories (policy.toml [funds]) and the plan's words."""
    from ..config.policy import load_policy

    policy = policy or load_policy()
    sec = policy.funds
    forbidden = list(sec.forbidden_categories)
    notes = []
    if forbidden:
        notes.append(f"注：1.特困人员救助供养费不得列支：{'、'.join(forbidden)}（支出类别中含有其中任一词的即视为违规列支）。")
    else:
        notes.append("注：1.特困人员救助供养费只能用于特困人员的基本生活和照料护理。")
    notes.append(f"2.“{SPENDING.field('category').label}”按实际用途填写，如{'、'.join(SPENDING_EXAMPLES)}等；"
                 f"一笔支出一行，金额单位为元。")
    if sec.source:
        notes.append(f"方案原文：“{sec.source}”")
    return notes


def build_funds_form(month: str, homes: list[str] | None = None, ledger_rows: list[dict] | None = None,
                     spending_rows: list[dict] | None = None, *, sample: bool = False, policy=None) -> Workbook:
    """The support-money workbook (see :func:`write_funds_form`)."""
    check_month(month)
    if homes is None:
        from ..config.reference import load_reference

        homes = load_reference().home_names
    homes = list(homes)
    wb = Workbook()

    ws = wb.active
    ws.title = FUNDS_SHEET
    rows = [{"home": h} for h in homes] if ledger_rows is None else [dict(r) for r in ledger_rows]
    validations = {"home": _list_validation(FUNDS.field("home").label, homes),
                   "allocated": _money_validation(FUNDS.field("allocated").label),
                   "allocated_on": _date_validation(FUNDS.field("allocated_on").label, DATE_MIN, DATE_MAX,
                                                    "本月未拨付的请留空")}
    _ledger_sheet(ws, FUNDS, title=FUNDS_TITLE, month=month, rows=rows, notes=funds_notes(policy),
                  validations=validations, sample=sample, left_aligned=("home", "note"), spans=(2, 4),
                  widths=FUNDS_WIDTHS)

    ws = wb.create_sheet(SPENDING_SHEET)
    if spending_rows is None:
        rows = [{} for _ in range(max(30, SPENDING_ROWS_PER_HOME * len(homes)))]
    else:
        rows = [dict(r) for r in spending_rows]
    validations = {"home": _list_validation(SPENDING.field("home").label, homes),
                   "amount": _money_validation(SPENDING.field("amount").label)}
    _ledger_sheet(ws, SPENDING, title=SPENDING_TITLE, month=month, rows=rows, notes=spending_notes(policy),
                  validations=validations, sample=sample, left_aligned=("home", "category", "note"), spans=(2, 4),
                  widths=SPENDING_WIDTHS)

    _properties(wb, FUNDS_TITLE, month, sample)
    return wb


def write_funds_form(path: str | os.PathLike, month: str, homes: list[str] | None = None,
                     ledger_rows: list[dict] | None = None, spending_rows: list[dict] | None = None, *,
                     sample: bool = False, policy=None) -> Path:
    """Write the 特困人员供养资金拨付台账 as .xlsx: two sheets, “资金拨付台账” and “资金支出明细”.

    path:          the .xlsx file to write (folder created; an existing file is replaced atomically).
    month:         'YYYY-MM' (填报月份 line, cut-off day, document date).
    homes:         the homes listed on the ledger and offered in the 敬老院名称 drop-downs; None means the
                   14 of data/reference/nursing_homes.csv in official order.
    ledger_rows:   one dict per allocation keyed like schema.FUNDS (home, allocated, allocated_on, note);
                   None: the homes pre-filled, amounts and dates blank.
    spending_rows: one dict per spending keyed like schema.SPENDING (home, category, amount, note);
                   None: numbered blank rows (6 per home, at least 30).
    sample:        mark the file as generated sample data (as :func:`write_assessment_form`).
    policy:        the policy whose [funds] the notes quote: the standard, the allocation day, the
                   forbidden categories and the plan's words (default: policy.toml).
    Amounts are formatted #,##0.00 and accept only numbers >= 0, 拨付日期 only dates. The same input
    gives the same bytes.
    """
    wb = build_funds_form(month, homes, ledger_rows, spending_rows, sample=sample, policy=policy)
    return save_reproducible(wb, path, month_stamp(month))
