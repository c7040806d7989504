"""An .xlsx read with calamine (python-calamine, pandas' own fast Excel engine) where it gives exactly what
openpyxl would, and None where it might not, so that the caller reads the file with openpyxl as before.

openpyxl parses each cell in Python (a township's 附件3 of 1,300 rows: 0.34 s; calamine, in Rust: 0.03 s; the
ten-times county's month spent half its reading there). calamine gives the cells' values only, so the package
is looked at first (bounded reads of its XML parts) and openpyxl keeps every file where the two could differ:

- a formula (the value Excel saved with it, or :class:`~.grids.Formula` when none, is openpyxl's path);
- an error cell (#N/A: calamine gives an empty cell);
- a number in a percent format (:class:`~.grids.Percent`; calamine does not give the format);
- an escaped character (``_x000D_``: calamine decodes it, openpyxl keeps it as written);
- phonetic runs in the shared strings, an Excel table (its total row), a sheet other than a worksheet or
  chartsheet, document properties outside docProps/core.xml;
- a whole number too large for a double to hold every digit (an ID number typed as a number by a program
  other than Excel: openpyxl keeps its digits, calamine rounds it).

Otherwise the grid is openpyxl's: empty cells None, whole numbers int, dates datetime, rows from A1. One
difference is left: a whole number that another program wrote as 83.0 or 1.5E3 (Excel writes 83 and 1500) is
int here and float in openpyxl; every reader of the grid treats the two alike (core.text.to_text, the counts).
tests/test_fastxlsx.py reads every kind of workbook both ways and compares.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import math
import os
import re
import zipfile
from pathlib import Path

from .grids import SAMPLE_KEYWORD, Sheet, trim
from .sheetparts import _RELATIONSHIP, _attribute

log = logging.getLogger("tekun.io")

#: what only openpyxl reads as the project expects, in a worksheet part or the shared strings (each looked
#: for only where a plain byte search finds its start: one pattern of them all took 36 ms a 1.6 MB sheet)
_NEEDS_OPENPYXL = ((b"<f", re.compile(rb'<f[\s>/]')), (b":f", re.compile(rb'<\w+:f[\s>/]')),
                   (b't="e"', re.compile(rb'\st="e"')), (b"_x", re.compile(rb"_x[0-9A-Fa-f]{4}_")),
                   (b"rPh", re.compile(rb'<(?:\w+:)?rPh[\s>/]')))
#: the format of a cell with content (an empty styled cell, <c r="C9" s="3"/>, has no value to be a percent)
_STYLE_INDEX = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bs="(\d+)"[^>]*(?<!/)>')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_KEYWORDS = re.compile(rb"<(?:\w+:)?keywords\b[^>]*>(.*?)</(?:\w+:)?keywords>", re.S)
PERCENT_BUILTIN = {9, 10}          # 0% and 0.00%
EXACT_BELOW = 2 ** 53              # every whole number below this is a double exactly
MAX_SCANNED = 64 << 20             # a larger part is left to openpyxl's path (it compacts and streams)


def enabled() -> bool:
    """Whether calamine reads the plain files: always, unless ``TEKUN_XLSX_READER=openpyxl`` (to compare the two
    readers on a file, or to set calamine aside should it ever misread one)."""
    return os.environ.get("TEKUN_XLSX_READER", "").strip().lower() != "openpyxl"


def _attr(tag: bytes, name: bytes) -> str | None:
    """An attribute of an XML start tag, its entities (&amp; …) decoded."""
    value = _attribute(tag, name)
    return html.unescape(value) if value is not None else None


def _percent_styles(z: zipfile.ZipFile, names: set[str]) -> set[int] | None:
    """The cell formats (their index in cellXfs, a cell's s="…") whose number format shows a percent; None
    when the styles part cannot be read plainly."""
    if "xl/styles.xml" not in names:
        return set() if not any(n.lower().endswith("styles.xml") for n in names) else None
    data = z.read("xl/styles.xml")
    if b"%" not in data and not re.search(rb'numFmtId="(?:9|10)"', data):
        return set()
    percent = set(PERCENT_BUILTIN)
    for tag in _NUM_FMT.findall(data):
        fid, code = _attr(tag, b"numFmtId"), _attr(tag, b"formatCode")
        if fid is None or code is None:
            return None
        if "%" in code:
            percent.add(int(fid))
    m = _CELL_XFS.search(data)
    if m is None:
        return None
    out = set()
    for i, attrs in enumerate(_XF.findall(m.group(1))):
        if int(_attr(attrs, b"numFmtId") or 0) in percent:
            out.add(i)
    return out


def _keywords(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """The document's keywords (docProps/core.xml); None when its properties are kept elsewhere."""
    rels = z.read("_rels/.rels") if "_rels/.rels" in names else b""
    for tag in _RELATIONSHIP.findall(rels):
        if (_attr(tag, b"Type") or "").endswith("/core-properties") and \
                (_attr(tag, b"Target") or "").lstrip("/") != "docProps/core.xml":
            return None
    if "docProps/core.xml" not in names:
        return ""
    m = _KEYWORDS.search(z.read("docProps/core.xml"))
    return html.unescape(m.group(1).decode("utf-8", "replace")) if m else ""


def _plain_package(path: Path, worksheets: set[str]) -> bool | None:
    """Whether the file is generated sample data (by its keywords), when calamine reads it as openpyxl would;
    None when openpyxl must read it."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        names = {i.filename for i in infos}
        if any(n.startswith("xl/tables/") for n in names):
            return None
        percent = _percent_styles(z, names)
        if percent is None:
            return None
        keywords = _keywords(z, names)
        if keywords is None:
            return None
        for info in infos:
            if info.filename not in worksheets and not info.filename.lower().endswith("sharedstrings.xml"):
                continue
            if info.file_size > MAX_SCANNED:
                return None
            data = z.read(info)
            if any(start in data and pattern.search(data) for start, pattern in _NEEDS_OPENPYXL):
                return None
            if percent and info.filename in worksheets and percent & {int(s) for s in _STYLE_INDEX.findall(data)}:
                return None
    return SAMPLE_KEYWORD in keywords


def _value(v):
    """openpyxl's value for calamine's: raises ValueError where they could differ."""
    if isinstance(v, str):
        return None if v == "" else v
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(v)
        if v.is_integer():
            if abs(v) >= EXACT_BELOW:
                raise ValueError(v)
            return int(v)
        return v
    if isinstance(v, (int, dt.datetime, dt.time, dt.timedelta)):
        return v
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    raise ValueError(v)


def read_xlsx(path: Path, name: str, worksheets: set[str]) -> tuple[list[Sheet], bool] | None:
    """The worksheets of the .xlsx at ``path`` (``name``: as the messages call it; ``worksheets``: its worksheet
    parts) as openpyxl's path would read them (chartsheets left out), and whether it is sample data; None when
    openpyxl must read the file (see the module's docstring), or calamine cannot."""
    try:
        import python_calamine
    except ImportError:      # an environment set up before the dependency: openpyxl reads everything
        return None
    try:
        sample = _plain_package(path, worksheets)
        if sample is None:
            return None
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:   # whatever calamine or zipfile raise: openpyxl's path reports the file
        log.info("calamine left %s to openpyxl: %r", path, exc)
        return None
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            kind = str(meta.typ).rsplit(".", 1)[-1]
            if kind == "ChartSheet":
                continue
            if kind != "WorkSheet":
                return None
            sh = wb.get_sheet_by_name(meta.name)
            rows = [[_value(v) for v in row] for row in sh.to_python(skip_empty_area=False)]
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sh.merged_cell_ranges or [])]
            hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
            sheets.append(Sheet(name, meta.name, trim(rows), hidden=hidden, merged=sorted(merged)))
    except Exception as exc:
        log.info("calamine left %s to openpyxl: %r", path, exc)
        return None
    finally:
        wb.close()
    return sheets, sample
