"""OpenDocument spreadsheets (.ods, LibreOffice's own format) through pandas' odf engine (odfpy): each sheet's
rows as LibreOffice numbers them, its merged ranges, the package checked as an .xlsx is before it is parsed."""
from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

from ..core.catalogue import issue
from ..core.issues import At, Issue
from .grids import Sheet, trim as _trim
from .sheetparts import MAX_MERGES, declares_dtd, refuse_duplicate_entries

log = logging.getLogger("tekun.io")

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_ODS_PACKAGE_BYTES = 1 << 30  # everything the package expands to, as for an .xlsx
MAX_ODS_ROWS = 200_000           # rows of one sheet: a month's tables hold a few thousand
MAX_ODS_REPEAT = 1024            # a cell with a value repeated over more columns is no table of ours
_ODS_REPEATED_VALUE = re.compile(rb'<table:table-cell\b[^>]*?number-columns-repeated="(\d{4,})"[^>]*?value-type')


def _ods_too_wide(path: Path) -> bool:
    """A cell with a value repeated across thousands of columns (a few bytes that expand to millions of cells),
    found by streaming content.xml before odfpy parses it."""
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
            tail = b""
            while chunk := f.read(1 << 20):
                data = tail + chunk
                if any(int(n) > MAX_ODS_REPEAT for n in _ODS_REPEATED_VALUE.findall(data)):
                    return True
                tail = data[-512:]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return False
    return False


def is_ods(path: Path) -> bool:
    """An OpenDocument spreadsheet (LibreOffice, WPS's .ods): a zip whose mimetype entry says so."""
    try:
        with zipfile.ZipFile(path) as z:
            return z.read("mimetype").strip() == ODS_MIMETYPE
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return False


def _ods_value(v):
    """A cell of pandas' odf reader as the grids hold cells: '' and NaT as None, Timestamps as datetime."""
    import pandas as pd

    if v is None or v is pd.NaT or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def _ods_merged(sheet, rows: int) -> list[tuple[int, int, int, int]]:
    """The merged ranges of an .ods sheet (cells spanning rows or columns), 0-based and inclusive, counted
    as pandas' odf reader counts rows and columns (repeated rows and cells included)."""
    from odf.namespaces import TABLENS
    from odf.table import CoveredTableCell, TableCell, TableRow

    names = {TableCell().qname, CoveredTableCell().qname}
    out: list[tuple[int, int, int, int]] = []
    r = 0
    for row in sheet.getElementsByType(TableRow):
        if r >= rows:
            break
        c = 0
        for cell in row.childNodes:
            if not hasattr(cell, "qname") or cell.qname not in names:
                continue
            across = int(cell.attributes.get((TABLENS, "number-columns-spanned"), 1))
            down = int(cell.attributes.get((TABLENS, "number-rows-spanned"), 1))
            if across > 1 or down > 1:
                out.append((r, c, r + down - 1, c + across - 1))
                if len(out) > MAX_MERGES:
                    return out
            c += int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
        r += int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
    return out


def read_ods(path: Path, name: str, issues: list[Issue]) -> tuple[list[Sheet], bool]:
    """An .ods workbook through pandas' odf engine (odfpy), each sheet's rows as Excel numbers them; the
    package is checked first as an .xlsx is (size, entries twice, XML entity declarations)."""
    if refuse_duplicate_entries(path, name, issues):
        return [], False
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            for info in infos:
                if info.filename.lower().endswith(".xml"):
                    with z.open(info) as f:
                        if declares_dtd(f):
                            total = -1
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        issues.append(issue("file_unreadable", At(name), variant="ods"))
        return [], False
    if total < 0 or total > MAX_ODS_PACKAGE_BYTES or _ods_too_wide(path):
        issues.append(issue("file_unreadable", At(name), variant="ods"))
        return [], False
    try:
        from pandas.io.excel._odfreader import ODFReader

        book = ODFReader(str(path))
        sheets = []
        for title in book.sheet_names:
            element = book.get_sheet_by_name(title)
            grid = book.get_sheet_data(element, file_rows_needed=MAX_ODS_ROWS + 1)
            if len(grid) > MAX_ODS_ROWS:
                issues.append(issue("file_unreadable", At(name), variant="ods"))
                return [], False
            sheets.append(Sheet(name, title, _trim([[_ods_value(v) for v in row] for row in grid]),
                                merged=_ods_merged(element, len(grid))))
    except ImportError:
        issues.append(issue("file_unreadable", At(name), variant="no_odf"))
        return [], False
    except Exception as exc:     # odfpy raises many kinds on a malformed document
        log.info("odf could not read %s: %r", path, exc)
        issues.append(issue("file_unreadable", At(name), variant="ods"))
        return [], False
    return sheets, False
