"""The official look shared by every generated workbook: page set-up, cell styles, drop-downs, saving.

Every form and ledger the package writes (the 附件3 assessment form, the schedule ledgers, the benefit
rosters, the money ledger, the Excel exports of :mod:`tekun_helpers.publish.excel`) is built from these
parts:

- the month as written on a form (:func:`month_label`; days as :func:`tekun_helpers.core.fmt.cn_date` writes them) and the fixed document date
  of a month's files (:func:`month_stamp`);
- the rows of an official sheet: merged title (:func:`title_row`), the line under it with the sample
  mark (:func:`month_line`), the bordered header (:func:`header_row`), the notes merged across the
  width (:func:`note_rows`), the page footer (:func:`page_footer`), A4 landscape (:func:`a4_landscape`);
- Excel data validations: drop-down lists, whole numbers, dates, amounts, identity-number length;
- :func:`ledger_sheet`, the generic ledger sheet (title, month line, the schema's header, one bordered
  row per dict, an optional 合计 row, notes), which every ledger of the package is;
- :func:`set_properties` (title, author, dates, the sample keywords) and :func:`save_reproducible`:
  files are written atomically and reproducibly, the same content giving the same bytes (fixed
  document dates derived from the month, fixed zip timestamps).
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

from ..config.schema import COUNT, DATE, IDNUM, MONEY
from ..core.fmt import cn_date
from ..core.months import check_month, month_end
from ..io.workbooks import SAMPLE_FORM_MARK, SAMPLE_KEYWORD, SAMPLE_TEXT

#: the visible mark in row 2 of every generated sample form (the reader looks for 示例数据 + tekun)
FONT_NAME = "宋体"
#: the rows of an official sheet: title (1), the month line (2), the header (3), then the data
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1

#: column widths in Excel character units (a Chinese character is about 2 units), by schema key:
#: the 附件3 form's columns
WIDTHS = {
    "seq": 5.5, "village": 13, "name": 9, "sex": 5.5, "age": 5.5, "guardian_name": 10, "guardian_age": 8,
    "guardian_relation": 12, "self_care": 9, "housing": 9, "environment": 10, "quality": 9, "care": 9,
    "treated": 9, "self_controls_allowance": 9, "rights_infringed": 10, "result": 9, "note": 20,
    # 18 digits and a little room; the two marks take 是/否
    "id_number": 21, "mental_illness": 9, "new_applicant": 8, "assessed_on": 11,
}
#: ... and the ledgers' columns (a ledger's 备注 is 24 wide unless its builder says otherwise)
LEDGER_WIDTHS = {
    # 乡镇工作进度台账
    "township": 14, "home": 22, "group_formed": 14, "scheme_adopted": 13, "agreements_signed": 13, "agreements_filed": 13,
    "filed_on": 12,
    # 敬老院工作人员台账
    "staff_name": 12, "role": 10, "employment": 10, "hired_on": 12, "training_hours": 12,
    # 护理型床位与入住构成
    "nursing_beds": 14, "residents_tekun": 14, "residents_other": 14,
}
#: Excel's number format "text": what is typed stays as typed (an 18-digit number would keep only 15 digits)
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
#: the years after the plan's year a date typed into a ledger may still fall in (:func:`date_range`)
DATE_YEARS = 7

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
SAMPLE_FILL = PatternFill("solid", fgColor="C00000")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


# -- the month on a form ---------------------------------------------------------------------------

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


def example_day(policy) -> dt.date:
    """The day a form shows the date format with (日期按“2023-09-15”的格式填写): the plan's first due date
    (policy.toml [schedule]; 2023-09-15 in the bundled plan), so that a county's forms show a day of its plan."""
    return min(d.due for d in policy.duties)


def date_range(policy) -> tuple[dt.date, dt.date]:
    """The range a date typed into a ledger may take (Excel data validation): from 1 January of the year the
    plan was issued (policy.toml [document] issued) to the end of the :data:`DATE_YEARS` th year after
    (2023-01-01 to 2030-12-31 for a plan of 2023)."""
    year = policy.document.issued.year
    return dt.date(year, 1, 1), dt.date(year + DATE_YEARS, 12, 31)


# -- cell values -----------------------------------------------------------------------------------

def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (CJK counted double)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, math.ceil(units / max(width - 1.5, 1)))


def cell_value(value):
    """What goes into a cell for ``value``: None for None, NaN and blank text; text stripped; else as given."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return None
    return value


def ledger_value(f, value):
    """:func:`cell_value`, then typed for the schema field ``f``: dates as dates, whole counts as int,
    Decimal amounts as int or float, numpy scalars as Python numbers."""
    value = cell_value(value)
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


# -- data validations ------------------------------------------------------------------------------

def _serial(day: dt.date) -> str:
    """The day as Excel's serial number (days since 1899-12-30), as a validation formula takes it."""
    return str((day - _EXCEL_EPOCH).days)


def id_validation() -> DataValidation:
    """18 characters in a 身份证号 cell: a warning (the person may go on), not a stop."""
    return DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True, showErrorMessage=True,
                          errorStyle="warning", errorTitle="身份证号位数不对",
                          error="身份证号应为18位（最后一位可以是X），请按文本格式填写；确认无误可点“是”保留。")


def date_validation(label: str, low: dt.date, high: dt.date, blank: str = "尚未完成的请留空", *,
                    example: dt.date) -> DataValidation:
    """A date from ``low`` to ``high`` in column ``label``; ``blank`` says when the cell may stay empty;
    ``example`` is the day its message shows the format with (:func:`example_day`)."""
    return DataValidation(type="date", operator="between", formula1=_serial(low), formula2=_serial(high),
                          allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”应填写 {low.isoformat()} 至 {high.isoformat()} 之间的日期，"
                                f"格式如 {example.isoformat()}；{blank}。")


def count_validation(label: str, unit: str) -> DataValidation:
    """A whole number >= 0 (of ``unit``: 人, 份, 课时, ...) in column ``label``."""
    return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                          showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”应填写不小于 0 的整数（{unit}）。")


def money_validation(label: str) -> DataValidation:
    """An amount in 元 >= 0 in column ``label``."""
    return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                          showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”应填写不小于 0 的金额（元），如 12345.60；没有的填 0。")


def list_validation(label: str, labels: list[str]) -> DataValidation:
    """A drop-down of ``labels`` in column ``label``. Raises ValueError (Chinese) when the labels together
    exceed Excel's 255 characters."""
    formula = '"' + ",".join(labels) + '"'
    if len(formula) - 2 > 255:  # Excel's limit for a list typed into the validation
        raise ValueError(f"“{label}”的下拉选项合计超过 255 个字符，Excel 无法保存为下拉列表。")
    return DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                          showErrorMessage=True, errorStyle="stop", errorTitle=f"{label}填写有误",
                          error=f"“{label}”只能从下拉列表中选择：{'、'.join(labels)}。")


# -- the rows of an official sheet -----------------------------------------------------------------

def _merge_row(ws, row: int, first: int, last: int) -> None:
    """Merge columns first..last of ``row`` (nothing to merge when last <= first)."""
    if last > first:
        ws.merge_cells(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")


def title_row(ws, title: str, n_cols: int) -> None:
    """Row 1: ``title`` merged across the ``n_cols`` columns, 18 pt bold, centred."""
    ws.merge_cells(f"A1:{get_column_letter(n_cols)}1")
    c = ws["A1"]
    c.value = title
    c.font = Font(name=FONT_NAME, size=18, bold=True)
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36


def month_line(ws, left: str, *, left_end: int, mark: tuple[int, int] | None) -> None:
    """Row 2's left part: ``left`` merged over columns 1..left_end, and the red sample mark merged over
    ``mark`` (first and last column; None: not sample data). :func:`right_line` writes the right part."""
    _merge_row(ws, 2, 1, left_end)
    c = ws["A2"]
    c.value = left
    c.font = Font(name=FONT_NAME, size=11, bold=True)
    c.alignment = Alignment(horizontal="left", vertical="center")
    if mark is not None:
        _merge_row(ws, 2, *mark)
        c = ws.cell(2, mark[0], SAMPLE_FORM_MARK)
        c.font = Font(name=FONT_NAME, size=11, bold=True, color="FFFFFF")
        c.fill = SAMPLE_FILL
        c.alignment = Alignment(horizontal="center", vertical="center")


def right_line(ws, text: str, *, first: int, n_cols: int) -> None:
    """Row 2's right part: ``text`` right-aligned over columns first..n_cols; row 2 made 22 high."""
    _merge_row(ws, 2, first, n_cols)
    c = ws.cell(2, first, text)
    c.font = Font(name=FONT_NAME, size=11, bold=True)
    c.alignment = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[2].height = 22


def header_row(ws, labels: list[str], widths: list[float]) -> None:
    """Row 3: the column labels, bold, centred, bordered; as high as the longest wrapped label needs."""
    bold = Font(name=FONT_NAME, size=10, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for idx, label in enumerate(labels, start=1):
        c = ws.cell(HEADER_ROW, idx, label)
        c.font = bold
        c.alignment = center
        c.border = BORDER
    ws.row_dimensions[HEADER_ROW].height = 14 * max(wrapped_lines(label, w) for label, w in zip(labels, widths)) + 6


def body_rows(ws, fields, rows: list[dict], *, value, left_aligned, note_width: float) -> int:
    """One bordered row per dict of ``rows`` from row 4 on (序号 numbered when missing), in the columns
    ``fields``; ``value(field, raw)`` gives a cell's value. Identity numbers are written as text, dates
    yyyy-mm-dd, amounts #,##0.00. A row is as high as its 备注 (``note_width`` wide) needs.
    Returns the last data row."""
    body = Font(name=FONT_NAME, size=10)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for i, row in enumerate(rows):
        r = FIRST_DATA_ROW + i
        for idx, f in enumerate(fields, start=1):
            v = value(f, row.get(f.key))
            if f.key == "seq" and v is None:
                v = i + 1
            if f.kind == IDNUM and v is not None:
                v = str(v)
            c = ws.cell(r, idx, v)
            c.font = body
            c.alignment = left if f.key in left_aligned else center
            c.border = BORDER
            if f.kind == DATE:
                c.number_format = DATE_FORMAT
            elif f.kind == MONEY:
                c.number_format = MONEY_FORMAT
            elif f.kind == IDNUM:
                c.number_format = TEXT_FORMAT
        note = cell_value(row.get("note"))
        ws.row_dimensions[r].height = max(18, 13.5 * (wrapped_lines(str(note), note_width) if note else 1) + 4)
    return FIRST_DATA_ROW + len(rows) - 1


def total_row(ws, row: int, fields, total: dict) -> None:
    """A 合计 row at ``row``: 合 计 merged over the first two columns, ``total`` (key -> number) in its columns."""
    bold = Font(name=FONT_NAME, size=10, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A{row}:B{row}")
    c = ws.cell(row, 1, "合 计")
    c.font = bold
    c.alignment = center
    for idx, f in enumerate(fields, start=1):
        cell = ws.cell(row, idx) if idx > 1 else c
        if f.key in total:
            cell.value = total[f.key]
            cell.font = bold
            cell.alignment = center
        cell.border = BORDER
    ws.row_dimensions[row].height = 20


def note_rows(ws, row: int, notes, *, n_cols: int, total_width: float) -> int:
    """The notes from ``row`` on, one a row, each merged across the width and wrapped. Returns the row after."""
    body = Font(name=FONT_NAME, size=10)
    last = get_column_letter(n_cols)
    for note in notes:
        ws.merge_cells(f"A{row}:{last}{row}")
        c = ws.cell(row, 1, note)
        c.font = body
        c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = 14 * wrapped_lines(note, total_width) + 4
        row += 1
    return row


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


def page_footer(ws, text: str, sample: bool) -> None:
    """The centred footer '<text>　第 &P 页，共 &N 页', led by the sample mark on sample data."""
    footer = f"{text}　第 &P 页，共 &N 页"
    if sample:
        footer = f"{SAMPLE_FORM_MARK}　" + footer
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9


# -- the generic ledger sheet ----------------------------------------------------------------------

def ledger_sheet(ws, table, *, title: str, month: str, rows: list[dict], notes: list[str],
                 validations: dict[str, DataValidation], sample: bool, total: dict | None = None,
                 left_aligned: tuple[str, ...] = ("note",), fields=None, line: str | None = None,
                 right: str | None = None, spans: tuple[int, int] | None = None,
                 widths: dict[str, float] | None = None) -> None:
    """One ledger sheet in the official look: title (row 1), month line (row 2, with the sample mark),
    the schema's header (row 3), one bordered row per dict of ``rows`` (序号 numbered), an optional
    合计 row (``total``: key -> number), the notes merged across the width, A4 landscape.

    table: the schema table (its fields give the header, kinds and keys); validations: key -> the
    data validation of that column's data rows; fields: the columns (default all of ``table``);
    line / right: the texts of row 2 (default 填报月份 and 数据截至); spans: the last column of row 2's
    left part and of its middle part (the sample mark), default a third and all but the last two;
    widths: column widths overriding :data:`WIDTHS` and :data:`LEDGER_WIDTHS`.
    Date columns are formatted yyyy-mm-dd, money columns #,##0.00, identity numbers as text."""
    fields = tuple(table.fields if fields is None else fields)
    keys = [f.key for f in fields]
    n = len(keys)
    widths = {**WIDTHS, **LEDGER_WIDTHS, "note": 24, **(widths or {})}
    for idx, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = widths[key]
    total_width = sum(widths[k] for k in keys)

    title_row(ws, title, n)
    # row 2: 填报月份 (left), the sample mark (middle, sample only), the cut-off day (right)
    third, middle = spans if spans is not None else (max(1, n // 3), n - 2)
    month_line(ws, line if line is not None else f"填报月份：{month_label(month)}", left_end=third,
               mark=(third + 1, middle) if sample else None)
    right_line(ws, right if right is not None else f"数据截至：{cn_date(month_end(month))}", first=middle + 1, n_cols=n)
    header_row(ws, [f.label for f in fields], [widths[k] for k in keys])
    last_data_row = body_rows(ws, fields, rows, value=ledger_value, left_aligned=left_aligned,
                              note_width=widths["note"])

    r = last_data_row + 1
    if total is not None:
        total_row(ws, r, fields, total)
        r += 1
    for key, dv in validations.items():
        col = get_column_letter(keys.index(key) + 1)
        dv.add(f"{col}{FIRST_DATA_ROW}:{col}{max(last_data_row, FIRST_DATA_ROW)}")
        ws.add_data_validation(dv)
    r = note_rows(ws, r, notes, n_cols=n, total_width=total_width)

    a4_landscape(ws, first_data_row=FIRST_DATA_ROW, title_rows=f"1:{HEADER_ROW}",
                 area=f"A1:{get_column_letter(n)}{r - 1}",
                 margins=PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.2, footer=0.25))
    page_footer(ws, f"{title} {month_label(month)}", sample)


# -- the file --------------------------------------------------------------------------------------

def set_properties(wb: Workbook, title: str, stamp: dt.datetime, sample: bool) -> None:
    """The document properties of a generated workbook: ``title``, author tekun, created and modified
    ``stamp``; sample data also gets keywords ``tekun-sample``, subject 示例数据 and the sample mark."""
    props = wb.properties
    props.title = title
    props.creator = "tekun"
    props.lastModifiedBy = "tekun"
    props.created = props.modified = stamp
    if sample:
        props.keywords = SAMPLE_KEYWORD
        props.subject = SAMPLE_TEXT
        props.description = SAMPLE_FORM_MARK


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
