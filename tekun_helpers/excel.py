"""Excel exports: 附件1 and 附件2 in the official layout with the computed columns, and every computed table.

Text that came from input files is always written as text: a name such as
``=HYPERLINK(...)`` or ``+1`` or ``@x`` must never become a formula in a
workbook that leaves the bureau.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .fmt import cn_month
from .forms import month_stamp, save_reproducible
from .schema import HOMES, TOWNSHIPS

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FORMULA_PREFIXES = ("=", "+", "-", "@")
PERCENT_WORDS = ("率", "占比", "比例")


def write_cell(ws, row: int, col: int, value):
    """Write ``value``; strings are always stored as text, never as formulas. Returns the cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = TYPE_STRING          # openpyxl would otherwise take '=...' as a formula
    elif value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        cell.value = None
    elif hasattr(value, "item") and not isinstance(value, (dt.date, dt.datetime)):
        cell.value = value.item()             # numpy scalars
    else:
        cell.value = value
    return cell


def _official_sheet(ws, label: str, title: str, header: list[str], rows: list[list], total: list, widths: list[float],
                    text_cols: set[int]):
    n = len(header)
    last = get_column_letter(n)
    write_cell(ws, 1, 1, label)
    write_cell(ws, 2, 1, title)
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 30
    for j, h in enumerate(header, start=1):
        c = write_cell(ws, 3, j, h)
        c.font = Font(bold=True)
        c.alignment = CENTER
        c.border = BORDER
        c.fill = HEADER_FILL
    ws.row_dimensions[3].height = 36
    for i, row in enumerate([*rows, total], start=4):
        for j, v in enumerate(row, start=1):
            c = write_cell(ws, i, j, v)
            c.border = BORDER
            c.alignment = LEFT if j in text_cols and i < 4 + len(rows) else CENTER
    tr = 4 + len(rows)
    ws.merge_cells(f"A{tr}:B{tr}")
    for j in range(1, n + 1):
        ws.cell(row=tr, column=j).font = Font(bold=True)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def export_official(month_data, out_dir) -> list[Path]:
    """附件1 and 附件2 of the month in the official layout, computed columns filled by the policy.

    month_data: a :class:`tekun_helpers.month.MonthData` without errors.
    out_dir:    the folder to write into. Returns the two files.
    """
    from .stats import home_stats

    m = month_data
    out = Path(out_dir)
    policy = m.policy
    month_no = int(m.month.split("-")[1])
    stamp = month_stamp(m.month)

    t = m.townships
    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    header1 = ["序号", TOWNSHIPS.field("township").label, TOWNSHIPS.field("dispersed").label,
               "其中：" + TOWNSHIPS.field("fully_disabled").label, TOWNSHIPS.field("semi_disabled").label,
               TOWNSHIPS.field("note").label]
    rows1 = [[i, r.township, int(r.dispersed), int(r.fully_disabled), int(r.semi_disabled), r.note or None]
             for i, r in enumerate(t.itertuples(index=False), start=1)]
    total1 = ["合 计", None, int(t.dispersed.sum()), int(t.fully_disabled.sum()), int(t.semi_disabled.sum()), None]
    _official_sheet(ws, "附件1", f"{cn_month(m.month)}分散供养人员分乡镇统计表", header1, rows1, total1,
                    [6, 16, 14, 16, 12, 16], {2, 6})
    f1 = save_reproducible(wb, out / f"附件1 {cn_month(m.month)}分散供养人员分乡镇统计表.xlsx", stamp)

    hs = home_stats(m.homes, policy)
    h = m.homes.assign(needed=hs["needed"].values, gap=hs["gap"].values)
    tp = policy.target_percent
    wb = Workbook()
    ws = wb.active
    ws.title = "附件2"
    header2 = ["序号", HOMES.field("home").label, HOMES.field("beds").label, HOMES.field("residents").label,
               f"{tp}应住人数", f"达到{tp}\n还应入住人数", HOMES.field("staff").label, HOMES.field("head").label,
               HOMES.field("phone").label, "备  注"]
    rows2 = [[i, r.home, int(r.beds), int(r.residents), int(r.needed), int(r.gap), int(r.staff), r.head or None,
              r.phone or None, r.note or None] for i, r in enumerate(h.itertuples(index=False), start=1)]
    total2 = ["公办敬老院合计", None, int(h.beds.sum()), int(h.residents.sum()), int(h.needed.sum()), int(h.gap.sum()),
              int(h.staff.sum()), None, None, None]
    _official_sheet(ws, "附件2", f"{policy.banner}养老机构{month_no}月情况统计表", header2, rows2, total2,
                    [6, 24, 11, 11, 10, 12, 10, 9, 14, 12], {2, 8, 9, 10})
    f2 = save_reproducible(wb, out / f"附件2 {policy.banner}养老机构{month_no}月情况统计表.xlsx", stamp)
    return [f1, f2]


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in '[]:*?/\\')[:31] or "表"
    out, k = base, 2
    while out in used:
        out = f"{base[:28]}({k})"
        k += 1
    used.add(out)
    return out


def export_tables(tables: dict[str, pd.DataFrame], path, stamp: dt.datetime | None = None) -> Path:
    """One sheet per table (Chinese sheet names), bold frozen header, sensible widths; text stays text."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, df in tables.items():
        ws = wb.create_sheet(_sheet_name(name, used))
        for j, col in enumerate(df.columns, start=1):
            c = write_cell(ws, 1, j, str(col))
            c.font = Font(bold=True)
            c.fill = HEADER_FILL
            c.border = BORDER
            c.alignment = CENTER
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) * 1.6 + 2
            ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 40)
        pct_cols = {j for j, col in enumerate(df.columns, start=1) if any(w in str(col) for w in PERCENT_WORDS)}
        for i, row in enumerate(df.itertuples(index=False), start=2):
            for j, v in enumerate(row, start=1):
                c = write_cell(ws, i, j, v)
                c.border = BORDER
                if j in pct_cols and isinstance(v, float):
                    c.number_format = "0.0%"
        ws.freeze_panes = "A2"
    return save_reproducible(wb, path, stamp or dt.datetime(2000, 1, 1))
