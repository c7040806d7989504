"""Open whatever a township sends (.xlsx, .xls, .csv) as plain grids of cell values.

No table logic here: each file becomes a list of :class:`Sheet`, each a list of
rows of cell values, where row ``i`` of the list is Excel row ``i + 1``. A file
that cannot be opened becomes an :class:`Issue`, never an exception.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .issues import ERROR, WARNING, Issue

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".csv")
SAMPLE_KEYWORD = "tekun-sample"
SAMPLE_TEXT = "示例数据"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Percent:
    """A number that Excel shows as a percentage (number format with %)."""

    value: float

    def __str__(self) -> str:
        return f"{self.value * 100:g}%"


@dataclass(frozen=True)
class Formula:
    """A formula cell whose file holds no computed value (as openpyxl and some tools save them)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Sheet:
    file: str          # name relative to the month folder
    name: str          # worksheet name ('' for CSV)
    rows: list[list]   # rows[i][j] is Excel row i+1, column j+1
    hidden: bool = False


@dataclass
class SourceFile:
    """One input file: where it is, its sha256, whether it is generated sample data."""

    path: Path
    name: str
    sha256: str
    sample: bool = False
    sheets: list[Sheet] = field(default_factory=list, repr=False)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _trim(rows: list[list]) -> list[list]:
    """Drop trailing empty cells of each row and trailing empty rows."""
    out = []
    for r in rows:
        r = list(r)
        while r and (r[-1] is None or (isinstance(r[-1], str) and not r[-1].strip())):
            r.pop()
        out.append(r)
    while out and not out[-1]:
        out.pop()
    return out


def _cell_value(cell):
    v = cell.value
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt:
            return Percent(float(v))
    return v


def _read_xlsx(path: Path, name: str, issues: list[Issue]) -> tuple[list[Sheet], bool]:
    import openpyxl

    with open(path, "rb") as f:
        head = f.read(8)
    if head == OLE_MAGIC:
        issues.append(Issue(ERROR, name, "", None, None, "",
                            f"文件《{name}》是加密（设置了打开密码）或旧格式的工作簿，无法读取：请取消密码后另存为 .xlsx 再放入本月文件夹。",
                            "file_encrypted"))
        return [], False
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        issues.append(Issue(ERROR, name, "", None, None, "",
                            f"文件《{name}》不是有效的 Excel 工作簿（{type(exc).__name__}），无法读取：请用 Excel 或 WPS 打开后另存为 .xlsx。",
                            "file_unreadable"))
        return [], False
    except Exception as exc:  # openpyxl raises many kinds on malformed packages
        issues.append(Issue(ERROR, name, "", None, None, "",
                            f"文件《{name}》无法作为 Excel 工作簿读取（{type(exc).__name__}: {exc}）：请用 Excel 或 WPS 打开后另存为 .xlsx。",
                            "file_unreadable"))
        return [], False
    sample = SAMPLE_KEYWORD in (wb.properties.keywords or "")
    sheets = []
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # chartsheets
            ws.reset_dimensions()  # some writers store wrong dimensions
            rows = [[_cell_value(c) for c in row] for row in ws.iter_rows()]
            sheets.append(Sheet(name, ws.title, _trim(rows), hidden=ws.sheet_state != "visible"))
        if any(_is_formula(v) for sh in sheets for r in sh.rows for v in r):
            _use_cached_values(path, sheets)
    except Exception as exc:
        issues.append(Issue(ERROR, name, "", None, None, "",
                            f"文件《{name}》读取中断（{type(exc).__name__}: {exc}）：文件可能已损坏，请重新导出。",
                            "file_unreadable"))
    finally:
        wb.close()
    return sheets, sample


def _is_formula(v) -> bool:
    return isinstance(v, str) and v.startswith("=") and len(v) > 1


def _use_cached_values(path: Path, sheets: list[Sheet]) -> None:
    """Replace formula cells by the value Excel saved with them, or by :class:`Formula` when none was saved."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        by_name = {sh.name: sh for sh in sheets}
        for ws in wb.worksheets:
            sh = by_name.get(ws.title)
            if sh is None or not hasattr(ws, "iter_rows"):
                continue
            ws.reset_dimensions()
            for i, row in enumerate(ws.iter_rows()):
                if i >= len(sh.rows):
                    break
                target = sh.rows[i]
                for j, c in enumerate(row):
                    if j < len(target) and _is_formula(target[j]):
                        cached = _cell_value(c)
                        target[j] = cached if cached is not None else Formula(target[j])
    finally:
        wb.close()


def _read_xls(path: Path, name: str, issues: list[Issue]) -> tuple[list[Sheet], bool]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=False)
    except Exception as exc:
        text = str(exc)
        why = "已加密（设置了打开密码）" if "encrypt" in text.lower() else f"无法读取（{text}）"
        issues.append(Issue(ERROR, name, "", None, None, "",
                            f"文件《{name}》{why}：请用 Excel 或 WPS 打开后另存为 .xlsx。", "file_unreadable"))
        return [], False
    sheets = []
    for sh in book.sheets():
        rows = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                v = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        v = xlrd.xldate.xldate_as_datetime(v, book.datemode)
                    except Exception:
                        pass
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    v = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    v = bool(v)
                row.append(v)
            rows.append(row)
        sheets.append(Sheet(name, sh.name, _trim(rows), hidden=getattr(sh, "visibility", 0) != 0))
    return sheets, False


def _decode_csv(data: bytes) -> tuple[str | None, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    for enc, label in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return data.decode(enc), label
        except UnicodeDecodeError:
            continue
    return None, ""


def _read_csv(path: Path, name: str, issues: list[Issue]) -> tuple[list[Sheet], bool]:
    data = path.read_bytes()
    text, _enc = _decode_csv(data)
    if text is None:
        issues.append(Issue(ERROR, name, "", None, None, "",
                            f"文件《{name}》的编码既不是 UTF-8 也不是 GB18030，无法读取：请在 Excel 中另存为“CSV UTF-8”或 .xlsx。",
                            "file_encoding"))
        return [], False
    sample_line = text.lstrip().startswith("#") and SAMPLE_KEYWORD in text.splitlines()[0]
    sniff_sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sniff_sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [[c if c.strip() else None for c in r] for r in csv.reader(io.StringIO(text), dialect)]
    return [Sheet(name, "", _trim(rows))], sample_line


def read_file(path: Path, name: str, issues: list[Issue]) -> SourceFile:
    """Read one input file into a :class:`SourceFile`; problems are appended to ``issues``."""
    src = SourceFile(path=path, name=name, sha256=sha256_of(path))
    if path.stat().st_size == 0:
        issues.append(Issue(ERROR, name, "", None, None, "", f"文件《{name}》是空文件（0 字节）：请重新导出后放入本月文件夹。", "file_empty"))
        return src
    suffix = path.suffix.lower()
    reader = {".xlsx": _read_xlsx, ".xlsm": _read_xlsx, ".xls": _read_xls, ".csv": _read_csv}[suffix]
    src.sheets, src.sample = reader(path, name, issues)
    if not src.sample:
        # a visible mark in the first rows also counts (sample files say 示例数据 on their face)
        for sh in src.sheets:
            for row in sh.rows[:3]:
                if any(isinstance(v, str) and SAMPLE_TEXT in v and "tekun" in v for v in row):
                    src.sample = True
    for sh in src.sheets:
        if sh.hidden and any(any(v is not None for v in r) for r in sh.rows):
            issues.append(Issue(WARNING, name, sh.name, None, None, "",
                                f"文件《{name}》的工作表“{sh.name}”是隐藏的，但有内容：已一并读取检查，请确认其中数据是否应当报送。",
                                "hidden_sheet"))
    return src


def list_input_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(readable files, ignored files) below ``folder``, sorted by relative path.

    Skips Office lock files (~$...), hidden files and folders.
    """
    readable, ignored = [], []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        if not p.is_file():
            continue
        (readable if p.suffix.lower() in SUPPORTED else ignored).append(p)
    return readable, ignored


def is_date_like(value) -> bool:
    return isinstance(value, (dt.date, dt.datetime, dt.time))
