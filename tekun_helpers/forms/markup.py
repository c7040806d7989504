"""A received workbook returned with its problems marked: fills, Chinese comments and a 问题清单 sheet.

:func:`write_marked_copy` copies one received file: every cell that an issue is about is
filled (light red for an error, light yellow for a warning) and carries a comment saying
what was found, what is expected and the rule; a problem with a whole column (a missing
or repeated column) marks the table's header cell; a first sheet 问题清单 lists every
issue in Excel row order, with a link to its cell. A .csv or .xls file is returned as an
.xlsx built from its cells (the first lines of 问题清单 say so). The received file is
only read.

A copy that comes back corrected is read again as any file: the month reader skips our
问题清单 sheet (:func:`tekun_helpers.io.workbooks.is_feedback_sheet`), and this module
removes its own earlier fills and comments before marking again.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from ..core.catalogue import advice
from ..core.issues import ERROR, SEVERITY_LABELS, Issue
from ..io.readers import ParsedTable
from ..io.workbooks import FEEDBACK_MARK, FEEDBACK_SHEET, Formula, Percent, SourceFile

AUTHOR = "tekun 数据检查"
FILL_COLOURS = {ERROR: "FFC7CE", "warning": "FFEB9C"}          # Excel's own 差 (bad) and 适中 (neutral) styles
FILLS = {k: PatternFill("solid", fgColor=v, bgColor=v) for k, v in FILL_COLOURS.items()}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT = "宋体"
CONVERTED_SHEET = "数据"
UNREADABLE = "无法读取"
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")

def rule_for(issue: Issue, county) -> tuple[str, str]:
    """(what to fill in, the rule) for ``issue``, in the county's words: the catalogue's advice
    (:mod:`tekun_helpers.core.catalogue`), which the comment and the 问题清单 both say."""
    return advice(issue, county)


@dataclass(frozen=True)
class Place:
    """The cell a problem is shown on: a data cell, or a header cell standing for its column or table."""

    sheet: str
    row: int
    letter: str
    header: bool = False

    @property
    def ref(self) -> str:
        return f"{self.letter}{self.row}"

    def order(self) -> tuple[int, int]:
        return (self.row, column_index_from_string(self.letter))


def place(issue: Issue, tables: list[ParsedTable]) -> Place | None:
    """Where ``issue`` is shown in its file, or None for a problem of the whole file."""
    if issue.row is not None and issue.column_letter:
        header = any(t.sheet == issue.sheet and t.header_row == issue.row for t in tables)
        return Place(issue.sheet, issue.row, issue.column_letter, header)
    mine = [t for t in tables if t.sheet == issue.sheet]
    for t in mine:
        col = next((c for c in t.columns.values() if c.field.label == issue.column), None) if issue.column else None
        if col is not None:
            row = issue.row if issue.row is not None else t.header_row
            return Place(issue.sheet, row, col.letter, row == t.header_row)
    for t in mine:          # a missing column, or a problem of a row: the table's first column
        first = min(t.columns.values(), key=lambda c: c.index, default=None)
        if first is not None and (issue.row is not None or issue.column):
            row = issue.row if issue.row is not None else t.header_row
            return Place(issue.sheet, row, first.letter, row == t.header_row)
    return None


def _comment_text(issues: list[Issue], county) -> str:
    parts = []
    for i in issues:
        expected, rule = rule_for(i, county)
        parts.append(f"【{SEVERITY_LABELS.get(i.severity, i.severity)}】{i.detail}\n应填写：{expected}\n规则：{rule}")
    return "\n\n".join(parts)


def _comment(text: str) -> Comment:
    lines = sum(max(1, len(line) // 22 + 1) for line in text.split("\n"))
    c = Comment(text, AUTHOR)
    c.width = 320
    c.height = min(600, 18 * lines + 20)
    return c


def _sheet_title(name: str) -> str:
    stem = _BAD_TITLE.sub("_", Path(name).stem).strip("'") or CONVERTED_SHEET
    return stem[:31]


def _from_grids(source: SourceFile) -> tuple[Workbook, dict[str, str]]:
    """A workbook built from the cells read from a .csv or .xls file; {sheet as read: title in the copy}."""
    wb = Workbook()
    wb.remove(wb.active)
    titles = {}
    for sh in source.sheets:
        title = sh.name or _sheet_title(source.name)
        titles[sh.name] = title
        ws = wb.create_sheet(title)
        for i, row in enumerate(sh.rows, start=1):
            for j, v in enumerate(row, start=1):
                if v is None:
                    continue
                c = ws.cell(i, j)
                if isinstance(v, Percent):
                    c.value, c.number_format = v.value, "0%"
                elif isinstance(v, Formula):
                    c.value = v.text
                else:
                    c.value = v
                    if isinstance(v, str) and v.startswith("="):
                        c.data_type = "s"     # text that looks like a formula stays text, as it was in the file
                    elif isinstance(v, (dt.date, dt.datetime)):
                        c.number_format = "yyyy-mm-dd"
    if not wb.worksheets:
        wb.create_sheet(CONVERTED_SHEET)
    return wb, titles


def _strip_own_marks(wb: Workbook) -> None:
    """Remove what an earlier feedback put in this workbook (a corrected copy sent back)."""
    for ws in list(wb.worksheets):
        if ws.title == FEEDBACK_SHEET and isinstance(ws["A1"].value, str) and FEEDBACK_MARK in ws["A1"].value:
            wb.remove(ws)
    ours = set(FILL_COLOURS.values())
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None and c.comment.author == AUTHOR:
                    c.comment = None
                fill = c.fill
                if fill is not None and fill.fill_type == "solid" and str(fill.fgColor.rgb)[-6:] in ours:
                    c.fill = PatternFill(fill_type=None)


def open_copy(source: SourceFile) -> tuple[Workbook, dict[str, str], str | None]:
    """(workbook to mark, {sheet as read: title in the copy}, the original format when converted)."""
    suffix = source.path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") and source.sheets:
        try:
            wb = openpyxl.load_workbook(source.path)
            _strip_own_marks(wb)
            return wb, {ws.title: ws.title for ws in wb.worksheets}, None
        except Exception:  # what the reader could read but openpyxl cannot edit is rebuilt from its cells
            pass
    wb, titles = _from_grids(source)
    if not source.sheets:
        return wb, titles, UNREADABLE
    kind = {".csv": "CSV", ".xls": ".xls"}.get(suffix, suffix or "未知格式")
    return wb, titles, kind


RETURNED_MARK = "（退回修改）"
#: the mark, once or more, at the end of a name (a returned copy sent back as it came, perhaps more than once)
_RETURNED_TAIL = re.compile(r"(?:\s*[（(]\s*退回修改\s*[）)])+\s*$")


def copy_name(source: SourceFile) -> str:
    """The returned copy's name: the original name and one （退回修改）, however many rounds it has been through."""
    stem = _RETURNED_TAIL.sub("", Path(source.name).stem) or Path(source.name).stem
    return f"{stem}{RETURNED_MARK}.xlsx"


def _cell(ws, ref: str):
    """The cell at ``ref``, or the first cell of the merged range holding it."""
    for rng in ws.merged_cells.ranges:
        if ref in rng:
            return ws.cell(rng.min_row, rng.min_col)
    return ws[ref]


def mark_workbook(wb: Workbook, titles: dict[str, str], issues: list[Issue], tables: list[ParsedTable], county
                  ) -> dict[Issue, Place]:
    """Fill and comment every cell an issue is about (the advice in ``county``'s words). Returns where each
    issue was shown."""
    placed: dict[Issue, Place] = {}
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for i in issues:
        p = place(i, tables)
        title = titles.get(i.sheet) if p else None
        if p is None or title is None or title not in wb.sheetnames:
            continue
        p = Place(title, p.row, p.letter, p.header)
        placed[i] = p
        by_cell.setdefault((title, p.ref), []).append(i)
    for (title, ref), found in by_cell.items():
        c = _cell(wb[title], ref)
        severity = ERROR if any(i.is_error for i in found) else "warning"
        c.fill = FILLS[severity]
        text = _comment_text(found, county)
        if c.comment is not None and c.comment.author != AUTHOR:
            text = f"{text}\n\n（原批注）{c.comment.text}"
        c.comment = _comment(text)
    return placed


SUMMARY_HEADER = ("序号", "类别", "工作表", "单元格", "列", "填写的值", "问题", "应填写", "规则", "与上次相比")
SUMMARY_WIDTHS = (6, 7, 14, 9, 16, 16, 52, 28, 32, 11)


def _issue_order(sheet_index: dict[str, int], placed: dict[Issue, Place]):
    def key(i: Issue):
        p = placed.get(i)
        if p is None:
            return (-1, 0, 0, i.code)
        return (sheet_index.get(p.sheet, 99), *p.order(), i.code)
    return key


def summary_sheet(wb: Workbook, source: SourceFile, issues: list[Issue], placed: dict[Issue, Place], *,
                  month: str, lines: list[str], county, changes=None) -> None:
    """Insert the 问题清单 sheet first: a few lines of explanation, then one row per issue in Excel row order."""
    sheet_index = {ws.title: n for n, ws in enumerate(wb.worksheets)}
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    ncol = len(SUMMARY_HEADER)
    last = get_column_letter(ncol)
    ws["A1"] = f"问题清单：《{Path(source.name).name}》（{month}）　{FEEDBACK_MARK}"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(f"A1:{last}1")
    r = 2
    for text in lines:
        ws.cell(r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(r, 1).font = Font(name=FONT, size=10)
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.row_dimensions[r].height = 15 * max(1, len(text) // 95 + 1)
        r += 1
    r += 1
    header_row = r
    table_header(ws, r, SUMMARY_HEADER)
    order = sorted(issues, key=_issue_order(sheet_index, placed))
    for n, i in enumerate(order, start=1):
        p = placed.get(i)
        expected, rule = rule_for(i, county)
        status = changes.status(i) if changes is not None else ""
        values = (n, SEVERITY_LABELS.get(i.severity, i.severity), p.sheet if p else (i.sheet or "（整个文件）"),
                  (p.ref + ("（表头）" if p.header else "")) if p else "—", i.column or "", i.value, i.detail,
                  expected, rule, status)
        r += 1
        table_row(ws, r, values, fill=FILLS[ERROR if i.is_error else "warning"], fill_col=2)
        if p is not None:
            link = ws.cell(r, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{p.sheet}'!{p.ref}", display=link.value)
            link.font = Font(name=FONT, size=10, color="0563C1", underline="single")
    if changes is not None and changes.fixed:
        r += 2
        ws.cell(r, 1, f"上次反馈中已改正的问题（{len(changes.fixed)} 项）").font = Font(name=FONT, size=11, bold=True)
        r += 1
        table_header(ws, r, SUMMARY_HEADER)
        for n, d in enumerate(sorted(changes.fixed, key=lambda d: (d.get("row") or 0, d.get("column_letter") or "")),
                              start=1):
            r += 1
            ref = f"{d.get('column_letter') or ''}{d.get('row') or ''}" or "—"
            prob = Issue(d["severity"], changes.previous_name or source.name, d.get("sheet", ""), d.get("row"),
                         d.get("column"), d.get("value", ""), d.get("message", ""), d.get("code", ""),
                         d.get("column_letter"), detail=d.get("detail", ""))
            expected, rule = rule_for(prob, county)
            table_row(ws, r, (n, SEVERITY_LABELS.get(prob.severity, ""), prob.sheet, ref, prob.column or "", prob.value,
                         prob.detail, expected, rule, "已改正"))
    for j, w in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def table_header(ws, r: int, header) -> None:
    for j, text in enumerate(header, start=1):
        c = ws.cell(r, j, text)
        c.font = Font(name=FONT, size=10, bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def table_row(ws, r: int, values, *, fill=None, fill_col=None, widths=SUMMARY_WIDTHS) -> None:
    longest = 0
    for j, v in enumerate(values, start=1):
        c = ws.cell(r, j, v)
        if isinstance(v, str) and v.startswith("="):
            c.data_type = "s"
        c.font = Font(name=FONT, size=10)
        c.border = BORDER
        c.alignment = Alignment(vertical="top", wrap_text=True)
        if fill is not None and j == fill_col:
            c.fill = fill
        if isinstance(v, str):       # a Chinese character takes about two units of column width
            longest = max(longest, math.ceil(len(v) * 2.2 / max(4, widths[j - 1])))
    ws.row_dimensions[r].height = 14 * max(1, longest) + 2


def mark_print_comments(wb: Workbook) -> None:
    """Print each sheet's comments at the end of the sheet (Excel's and LibreOffice's 批注：工作表末尾)."""
    for ws in wb.worksheets:
        if ws.title != FEEDBACK_SHEET:
            ws.page_setup.cellComments = "atEnd"


def converted_note(kind: str | None) -> str:
    if not kind:
        return ""
    if kind == UNREADABLE:
        return "原文件无法读取，没有可标注的单元格：本文件只有问题清单。请按清单处理后重新报送。"
    return (f"原文件为 {kind} 格式，无法直接标注：本文件是按原文件内容重新生成的 .xlsx（只含单元格内容，不含原格式），"
            f"标注位置与原文件的行列一致。改正后报回 .xlsx 或原格式均可。")


def write_marked_copy(source: SourceFile, issues: list[Issue], tables: list[ParsedTable], path: str | Path, *,
                      month: str, lines: list[str], county, changes=None, stamp: dt.datetime) -> tuple[Path, str | None]:
    """Write the marked copy of ``source`` to ``path``. Returns (path, the original format when converted).

    lines:  sentences shown at the top of 问题清单 (fingerprint, counts, deadline, changes).
    county: whose words the advice is in (:class:`~tekun_helpers.config.county.County`).
    """
    from . import save_reproducible

    wb, titles, kind = open_copy(source)
    placed = mark_workbook(wb, titles, issues, tables, county)
    note = converted_note(kind)
    summary_sheet(wb, source, issues, placed, month=month, lines=[*lines, *([note] if note else [])], county=county,
                  changes=changes)
    mark_print_comments(wb)
    # openpyxl keeps a formula but not the value Excel saved with it: the spreadsheet program computes it
    # again on opening, so that a copy saved back by the township holds its values as the original did
    wb.calculation.fullCalcOnLoad = True
    return save_reproducible(wb, path, stamp), kind
