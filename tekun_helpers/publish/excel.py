"""Excel exports: 附件1 and 附件2 in the official layout with the computed columns, and every computed table.

:func:`export_official` writes the month's 附件1 (分散供养人员分乡镇统计表) and 附件2
(养老机构情况统计表) as the source document prints them: the attachment label, the
title merged across the table, the official header, one row per township or home
in reference order and the total row. The columns the plan computes are filled by
policy: 附件2's "60%应住人数" is ``policy.needed_residents(beds)`` (rounded as
policy.toml says) and "达到60%还应入住人数" is that minus the residents, signed, so
homes above target are negative and the total is the official net sum.

:func:`export_tables` writes every computed table of a briefing, one sheet each.

Safety: text that came from input files is always written as text. openpyxl
stores a string starting with ``=`` as a formula; a township's note or a head's
name such as ``=HYPERLINK(...)`` must never become one in a workbook that leaves
the bureau. :func:`write_cell` guarantees it (and marks text starting with
``= + - @`` with Excel's quote prefix, so it stays text when someone edits the
cell). Numbers stay numbers, negative ones included. Totals are values, never
formulas, so every reader sees them without recalculating.

Files are written atomically (temporary file, then ``os.replace``) and
reproducibly (the same content gives the same bytes), see
:func:`tekun_helpers.forms.layout.save_reproducible`.
"""
from __future__ import annotations

import datetime as dt
import decimal
import fractions
import math
import numbers
import re
from copy import copy
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from ..config.outputs import DATE_FORMAT, TOTAL_LABEL, Sheet
from ..config.schema import HOMES, TOWNSHIPS, bind
from ..core.fmt import cn_month, percent
from ..forms.layout import a4_landscape, month_stamp, page_footer, save_reproducible
from ..io.workbooks import SAMPLE_KEYWORD, SAMPLE_TABLE_MARK, SAMPLE_TEXT

__all__ = ["export_official", "export_tables", "official_filenames", "safe_text", "write_cell",
           "FORMULA_PREFIXES", "SAMPLE_TABLE_MARK"]

#: text starting with one of these is what spreadsheet programs take for a formula
FORMULA_PREFIXES = ("=", "+", "-", "@")
#: columns of a computed table whose fractions are shown as percentages
PERCENT_WORDS = ("率", "占比", "比例")
MAX_CELL_TEXT = 32767                    # Excel's limit on the characters of one cell
FONT_NAME = "宋体"
LABEL_ROW, TITLE_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
MAX_WIDTH = 40.0                         # wider text wraps
HEADER_WIDTH = 14.0                      # a computed table's header wraps beyond this; its data sets the width

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
SAMPLE_FILL = PatternFill("solid", fgColor="C00000")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_NAME_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


# -- cells ---------------------------------------------------------------------------------

def _missing(value) -> bool:
    """None, NaN, NaT, pd.NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def safe_text(value) -> str | None:
    """The text to store for ``value`` in a text cell: None when missing, else the text unchanged.

    The only characters dropped are the control characters that an .xlsx file cannot
    hold (openpyxl would refuse the whole workbook); text longer than Excel's cell
    limit (32,767 characters) is cut there. Nothing else is changed: no quote is
    added, no prefix removed. Writing the result with :func:`write_cell` keeps it text.
    """
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime) and value.time() == dt.time(0):
        text = value.date().isoformat()
    else:
        text = str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:MAX_CELL_TEXT]


def _number(value):
    """A Python int/float for a number of any kind (numpy, Decimal, Fraction), else None."""
    if isinstance(value, bool) or _missing(value):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        f = float(value)
        return None if math.isinf(f) else f
    return None


def write_cell(ws, row: int, col: int, value, number_format: str | None = None):
    """Write ``value`` into ``ws`` at (row, col) and return the cell.

    - Strings are always stored as text (``data_type`` "s"), never as formulas, whatever
      they start with; text starting with ``= + - @`` also gets Excel's quote prefix so it
      stays text when someone edits the cell.
    - Numbers (int, float, numpy, Decimal, Fraction) stay numbers, negative ones too.
    - None, NaN, NaT and pd.NA leave the cell empty; dates stay dates; booleans stay booleans.
    - Anything else is written as its text.
    number_format: an Excel number format for the cell (e.g. "0.0%").
    """
    cell = ws.cell(row=row, column=col)
    if _missing(value):
        cell.value = None
    elif isinstance(value, (bool, np.bool_)):
        cell.value = bool(value)
    elif isinstance(value, (numbers.Number, decimal.Decimal)):
        cell.value = _number(value)
    elif isinstance(value, pd.Timestamp):
        cell.value = value.to_pydatetime()
        cell.number_format = DATE_FORMAT
    elif isinstance(value, (dt.date, dt.time)):
        cell.value = value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            cell.number_format = DATE_FORMAT
    else:                                         # str, and anything else as its text
        text = safe_text(value)
        cell.value = text
        if text is not None:
            cell.data_type = TYPE_STRING          # openpyxl would otherwise take '=...' as a formula
            if text.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    return cell


def _display_units(text: str) -> float:
    """Width of ``text`` in Excel character units: CJK and full-width characters count 2."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _width_for(texts, minimum: float) -> float:
    """A column width that shows the longest line of ``texts`` (capped at MAX_WIDTH; wider text wraps)."""
    longest = 0.0
    for t in texts:
        if t is None:
            continue
        for line in str(t).split("\n"):
            longest = max(longest, _display_units(line))
    return min(max(minimum, longest + 2), MAX_WIDTH)


def _lines(text, width: float) -> int:
    """Lines that ``text`` takes in a wrapped cell ``width`` units wide."""
    if text is None:
        return 1
    return sum(max(1, math.ceil(_display_units(line) / max(width - 1.5, 1))) for line in str(text).split("\n"))


# -- the official tables -------------------------------------------------------------------

def _int_or_none(value):
    """An int, or None for a missing value (a month with errors may have them)."""
    if _missing(value):
        return None
    return int(value)


def _total(values: list) -> int | None:
    """The column total as a value; None (blank) when a value is missing, so no partial sum poses as the total."""
    if any(v is None for v in values):
        return None
    return int(sum(values))


def _safe_filename(text: str) -> str:
    return _FILE_NAME_BAD.sub("", text).strip()


def official_filenames(month: str, banner: str) -> tuple[str, str]:
    """('附件1 2023年8月分散供养人员分乡镇统计表.xlsx', '附件2 <banner>养老机构8月情况统计表.xlsx')."""
    month_no = int(month.split("-")[1])
    return (_safe_filename(f"附件1 {cn_month(month)}分散供养人员分乡镇统计表") + ".xlsx",
            _safe_filename(f"附件2 {banner}养老机构{month_no}月情况统计表") + ".xlsx")


def _official_workbook(*, label: str, title: str, header: list[str], rows: list[list], total: list,
                       base_widths: list[float], text_cols: set[int], sample: bool, footer: str,
                       properties: dict) -> Workbook:
    """One official-layout table: label row, merged title, header, rows, total row (merged over 序号 and 名称)."""
    wb = Workbook()
    ws = wb.active
    ws.title = label
    n = len(header)
    last = get_column_letter(n)
    body = Font(name=FONT_NAME, size=11)
    bold = Font(name=FONT_NAME, size=11, bold=True)

    # column widths: the official proportions, widened for what is written in them
    widths = []
    for j in range(n):
        texts = [r[j] for r in rows] + [total[j] if j > 1 else None]   # the total's label spans two columns
        w = _width_for(texts, base_widths[j])
        widths.append(w)
        ws.column_dimensions[get_column_letter(j + 1)].width = w

    # row 1: the attachment label, and the sample mark when the data is generated
    c = write_cell(ws, LABEL_ROW, 1, label)
    c.font = Font(name="黑体", size=12)
    c.alignment = Alignment(horizontal="left", vertical="center")
    if sample:
        ws.merge_cells(start_row=LABEL_ROW, start_column=3, end_row=LABEL_ROW, end_column=n)
        c = write_cell(ws, LABEL_ROW, 3, SAMPLE_TABLE_MARK)
        c.font = Font(name=FONT_NAME, size=11, bold=True, color="FFFFFF")
        c.fill = SAMPLE_FILL
        c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[LABEL_ROW].height = 20

    # row 2: the title, merged across the table
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    c = write_cell(ws, TITLE_ROW, 1, title)
    c.font = Font(name=FONT_NAME, size=16, bold=True)
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 32

    # row 3: the official header
    for j, h in enumerate(header, start=1):
        c = write_cell(ws, HEADER_ROW, j, h)
        c.font = bold
        c.alignment = CENTER
        c.border = BORDER
        c.fill = HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 15 * max(_lines(h, widths[j]) for j, h in enumerate(header)) + 8

    # the rows and the total row, thin borders on every cell
    all_rows = [*rows, total]
    total_row = FIRST_DATA_ROW + len(rows)
    for i, values in enumerate(all_rows):
        r = FIRST_DATA_ROW + i
        for j, v in enumerate(values, start=1):
            c = write_cell(ws, r, j, v)
            c.border = BORDER
            c.font = bold if r == total_row else body
            c.alignment = LEFT if (j in text_cols and r != total_row) else CENTER
        ws.row_dimensions[r].height = max(20, 15 * max(_lines(v, widths[j]) for j, v in enumerate(values)) + 6)
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)

    # view and print: frozen below the header, A4 landscape, one page wide, header repeated
    a4_landscape(ws, first_data_row=FIRST_DATA_ROW, title_rows=f"{LABEL_ROW}:{HEADER_ROW}",
                 area=f"A{LABEL_ROW}:{last}{total_row}",
                 margins=PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3))
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9

    props = wb.properties
    for k, v in properties.items():
        setattr(props, k, v)
    if sample:
        props.keywords = SAMPLE_KEYWORD
        props.subject = SAMPLE_TEXT
    return wb


def export_official(month_data, out_dir) -> list[Path]:
    """Write the month's 附件1 and 附件2 in the official layout, computed columns filled by policy.

    month_data: a :class:`tekun_helpers.month.MonthData` (normally one without errors; a
                missing number is left blank, and so is the total of its column).
    out_dir:    the folder to write into (created when missing); existing files are replaced atomically.
    Returns [附件1 path, 附件2 path], named
    '附件1 <YYYY年M月>分散供养人员分乡镇统计表.xlsx' and '附件2 <banner>养老机构<M>月情况统计表.xlsx'.

    附件2's "60%应住人数" is ``policy.needed_residents(beds)`` per home (rounded as policy.toml
    says; 441 for 2023-08) and "达到60%还应入住人数" is needed - residents, signed, as in the
    official table (net total 100 for 2023-08). The label's percentage comes from the policy.
    A table read from generated sample files is marked as sample data in row 1, in the page
    footer and in the document properties, so a reader of the file knows, and so does the
    month reader. The data's fingerprint is provenance: in the document's properties only, not printed. (Bundled 2023-08: 附件1/附件2 are the official figures and stay unmarked,
    although the month's 附件3 forms are samples.)
    """
    m = month_data
    out = Path(out_dir)
    policy = m.policy
    banner = policy.banner
    month_no = int(m.month.split("-")[1])
    stamp = month_stamp(m.month)
    name1, name2 = official_filenames(m.month, banner)

    def footer(sample: bool) -> str:
        # the data's fingerprint is provenance: in the document's properties (description), not on every page
        text = f"{banner} {cn_month(m.month)}　第 &P 页，共 &N 页"
        return f"{SAMPLE_TEXT}（tekun 生成）　{text}" if sample else text

    base_props = dict(creator="tekun", lastModifiedBy="tekun", created=stamp, modified=stamp,
                      description=f"由 tekun 根据 {m.month} 的报送表格生成；数据指纹 {m.fingerprint}。")

    # 附件1 --------------------------------------------------------------------------------
    t = m.townships
    towns, homes = bind(TOWNSHIPS, policy.county), bind(HOMES, policy.county)
    title1 = f"{cn_month(m.month)}分散供养人员分乡镇统计表"
    header1 = ["序号", towns.field("township").label, towns.field("dispersed").label,
               "其中：" + towns.field("fully_disabled").label, towns.field("semi_disabled").label,
               towns.field("note").label]
    rows1 = []
    for i, r in enumerate(t.itertuples(index=False), start=1):
        rows1.append([i, safe_text(r.township), _int_or_none(r.dispersed), _int_or_none(r.fully_disabled),
                      _int_or_none(r.semi_disabled), safe_text(getattr(r, "note", None)) or None])
    total1 = ["合 计", None, *(_total([row[c] for row in rows1]) for c in (2, 3, 4)), None]
    sample1 = m.from_sample(t)
    wb1 = _official_workbook(label="附件1", title=title1, header=header1, rows=rows1, total=total1,
                             base_widths=[6, 16, 14, 12, 12, 16], text_cols={2, 6}, sample=sample1,
                             footer=footer(sample1),
                             properties={**base_props, "title": title1})
    f1 = save_reproducible(wb1, out / name1, stamp)

    # 附件2 --------------------------------------------------------------------------------
    h = m.homes
    tp = policy.target_percent
    title2 = f"{banner}养老机构{month_no}月情况统计表"
    header2 = ["序号", homes.field("home").label, homes.field("beds").label, homes.field("residents").label,
               f"{tp}应住人数", f"达到{tp}\n还应入住人数", homes.field("staff").label, homes.field("head").label,
               homes.field("phone").label, homes.field("note").label]
    rows2 = []
    for i, r in enumerate(h.itertuples(index=False), start=1):
        beds, residents = _int_or_none(r.beds), _int_or_none(r.residents)
        needed = policy.needed_residents(beds) if beds is not None else None
        gap = needed - residents if needed is not None and residents is not None else None
        rows2.append([i, safe_text(r.home), beds, residents, needed, gap, _int_or_none(r.staff),
                      safe_text(getattr(r, "head", None)) or None, safe_text(getattr(r, "phone", None)) or None,
                      safe_text(getattr(r, "note", None)) or None])
    total2 = ["公办敬老院合计", None, *(_total([row[c] for row in rows2]) for c in (2, 3, 4, 5, 6)), None, None, None]
    sample2 = m.from_sample(h)
    wb2 = _official_workbook(label="附件2", title=title2, header=header2, rows=rows2, total=total2,
                             base_widths=[6, 22, 10, 10, 10, 12, 10, 9, 14, 12], text_cols={2, 8, 10},
                             sample=sample2, footer=footer(sample2),
                             properties={**base_props, "title": title2})
    f2 = save_reproducible(wb2, out / name2, stamp)
    return [f1, f2]


# -- every computed table --------------------------------------------------------------------

def _sheet_name(name, used: set[str]) -> str:
    """A valid, unique worksheet name: no []:*?/\\, not starting or ending with ', at most 31 characters."""
    base = _SHEET_NAME_BAD.sub("", str(name)).strip().strip("'").strip() or "表"
    if base.casefold() == "history":          # reserved by Excel
        base = f"{base}表"
    base = base[:31]
    out, k = base, 2
    while out.casefold() in used:
        suffix = f"（{k}）"
        out = base[: 31 - len(suffix)] + suffix
        k += 1
    used.add(out.casefold())
    return out


def _table_value(value):
    """A computed table's value as written: yes/no in Chinese, numbers as numbers, the rest as is."""
    if isinstance(value, (bool, np.bool_)):
        return "是" if bool(value) else "否"
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, fractions.Fraction):
        return float(value)
    return value


def _sheet_cells(item, sample: bool):
    """(headers, rows of (value, number format, alignment), sample mark?) of one table to export.

    A :class:`~tekun_helpers.config.outputs.Sheet` brings its labels, formats and alignment from the
    output registry; a plain DataFrame (Chinese column names) is written as it is, fractions in
    columns named …率 / …占比 / …比例 as percentages.
    """
    if isinstance(item, Sheet):
        df = item.frame.reset_index(drop=True)
        cols = list(item.columns)
        align = {"right": RIGHT, "center": CENTER, "left": LEFT}
        rows = []
        for i, rec in enumerate(df[[c.key for c in cols]].itertuples(index=False, name=None)):
            row = []
            for c, v in zip(cols, rec):
                at = item.column_at(c, i)
                row.append((at.excel(v), at.excel_unit_format if at is not c else at.excel_format, align[at.align]))
            rows.append(row)
        return item.headers(), rows, item.sample
    df = item
    if any(n is not None for n in df.index.names):
        df = df.reset_index()
    columns = [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in df.columns]
    pct_cols = {j for j, col in enumerate(columns) if any(w in col for w in PERCENT_WORDS)}
    rows = []
    for rec in df.itertuples(index=False, name=None):
        row = []
        for j, v in enumerate(rec):
            v = _table_value(v)
            fmt = None
            if (isinstance(v, (numbers.Real, decimal.Decimal)) and not isinstance(v, (numbers.Integral, np.bool_))
                    and not _missing(v) and math.isfinite(float(v))):
                fmt = "0.0%" if j in pct_cols else ("0" if float(v).is_integer() else "0.00")
            row.append((v, fmt, None))
        rows.append(row)
    return columns, rows, sample


def _shown_text(value, fmt: str | None) -> str:
    """About what a cell shows, for its column's width."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year}年{value.month}月{value.day}日"
    if fmt and "%" in fmt:
        return percent(value)
    if fmt and fmt.startswith("#,##0") and isinstance(value, (int, float)):
        digits = 2 if fmt.startswith("#,##0.00") else (1 if fmt.startswith("#,##0.0") else 0)
        unit = fmt.split('"')[1] if '"' in fmt else ""
        return f"{value:,.{digits}f}{unit}"
    return str(value)


def _table_header(ws, columns: list, marked) -> int:
    """The red sample mark across the table (when marked) and the bold header under it; returns the header's row."""
    header_row = 2 if marked else 1
    n_cols = max(len(columns), 1)
    if marked:
        if n_cols > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
        c = write_cell(ws, 1, 1, SAMPLE_TABLE_MARK)
        c.font = Font(name=FONT_NAME, bold=True, color="FFFFFF")
        c.fill = SAMPLE_FILL
        c.alignment = Alignment(horizontal="center", vertical="center")
    for j, col in enumerate(columns, start=1):
        c = write_cell(ws, header_row, j, col)
        c.font = Font(name=FONT_NAME, bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = CENTER
    return header_row


def _table_rows(ws, columns: list, rows: list, header_row: int) -> list[list[str]]:
    """The rows under the header, the 合计 row bold; returns each column's texts as shown (for its width)."""
    shown: list[list[str]] = [[] for _ in columns]
    last = header_row + len(rows)
    total = bool(rows) and any(isinstance(v, str) and v == TOTAL_LABEL for v, _, _ in rows[-1])
    # a cell's style is a few indices into the workbook's lists of borders, alignments, fonts: worked out once
    # for each kind of cell and copied to the others (openpyxl looks every style object up by its hash, and
    # did so for every cell: half the time of a county's 统计表 with 30,000 people)
    styles: dict[tuple, StyleArray] = {}
    for i, row in enumerate(rows, start=header_row + 1):
        bold = total and i == last
        for j, (v, fmt, how) in enumerate(row):
            c = write_cell(ws, i, j + 1, v, number_format=fmt)
            align = how or (LEFT if isinstance(c.value, str) else CENTER)
            key = (tuple(c._style or ()), id(align), bold)
            if key in styles:
                c._style = copy(styles[key])
            else:
                c.border = BORDER
                c.alignment = align
                if bold:
                    c.font = Font(name=FONT_NAME, bold=True)
                    c.fill = HEADER_FILL
                styles[key] = copy(c._style)
            if i < header_row + 201:
                shown[j].append(_shown_text(c.value, fmt))
    return shown


def _fit_table(ws, columns: list, rows: list, shown: list[list[str]], header_row: int) -> None:
    """Column widths from the data, rows tall enough for their wrapped text, header frozen, filter buttons."""
    for j, texts in enumerate(shown, start=1):
        # the data sets the width; a long header wraps within HEADER_WIDTH instead of widening the column
        head = min(_width_for([columns[j - 1]], 8), HEADER_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = max(_width_for(texts, 8), head)
    widths = [ws.column_dimensions[get_column_letter(j)].width for j in range(1, len(columns) + 1)]
    for i, row in enumerate(rows, start=header_row + 1):      # wrapped text: rows tall enough to show it
        lines = max([1] + [_lines(v, widths[j]) for j, (v, _, _) in enumerate(row) if isinstance(v, str)])
        if lines > 1:
            ws.row_dimensions[i].height = 15 * lines + 3
    ws.row_dimensions[header_row].height = 15 * max([1] + [_lines(col, ws.column_dimensions[get_column_letter(j)].width)
                                                           for j, col in enumerate(columns, start=1)]) + 8
    ws.freeze_panes = f"A{header_row + 1}"
    if columns and rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + len(rows)}"


def _print_table(ws, header_row: int, marked: bool) -> None:
    """A4 landscape, one page wide, the header (and the sample mark) on every page, name and pages in the footer."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
    page_footer(ws, "&A", marked)
    ws.print_options.horizontalCentered = True


def export_tables(tables: dict, path, stamp: dt.datetime | None = None, *, sample: bool = False) -> Path:
    """Write every computed table of a briefing into one workbook, one sheet per table.

    tables: sheet name (Chinese; cut to Excel's 31 characters, made unique) -> a
            :class:`~tekun_helpers.config.outputs.Sheet` (labels, number formats, alignment and
            the sample mark from the output registry) or a DataFrame with Chinese column names.
    path:   the .xlsx file to write (folder created; an existing file is replaced atomically).
    stamp:  the document date (default a fixed date, so the same tables give the same bytes).
    sample: for DataFrames: they come from generated sample data. A Sheet says so itself, so only
            the sheets whose figures are sample data carry the red 示例数据 mark above their header;
            the document properties say so when any sheet does.
    Header bold with borders and wrapped, widths fitted to the content, header frozen, filter buttons
    on, the 合计 row bold. Numbers stay numbers and dates Excel dates (shown 2023年9月8日); the number
    format rounds as the registry says. Text never becomes a formula. Print: A4 landscape, one page
    wide, the header (and the sample mark) repeated on every page, the sheet's name and page numbers
    in the footer. Returns the path written.
    """
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    any_sample = False
    for name, item in tables.items():
        ws = wb.create_sheet(_sheet_name(name, used))
        columns, rows, marked = _sheet_cells(item, sample)
        any_sample |= bool(marked)
        header_row = _table_header(ws, columns, marked)
        shown = _table_rows(ws, columns, rows, header_row)
        _fit_table(ws, columns, rows, shown, header_row)
        _print_table(ws, header_row, bool(marked))
    if not wb.worksheets:                       # an empty dict still gives a valid workbook
        ws = wb.create_sheet("说明")
        write_cell(ws, 1, 1, "没有可导出的统计表。")
    stamp = stamp or dt.datetime(2000, 1, 1)
    props = wb.properties
    props.creator = props.lastModifiedBy = "tekun"
    props.created = props.modified = stamp
    if any_sample:
        props.keywords = SAMPLE_KEYWORD
        props.subject = SAMPLE_TEXT
    return save_reproducible(wb, path, stamp)
