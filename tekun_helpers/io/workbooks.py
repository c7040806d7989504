"""Open whatever a township sends (.xlsx, .xls, .ods, .csv) as plain grids of cell values.

.csv files are decoded in :mod:`.csvfiles`, .ods in :mod:`.odsfiles`; an .xlsx's merged ranges and Excel
tables' total rows come from :mod:`.sheetparts`; archives are only listed (:mod:`.archives`).

No table logic here: each file becomes a list of :class:`Sheet`, each a list of
rows of cell values, where row ``i`` of the list is Excel row ``i + 1``. A file
that cannot be opened becomes an :class:`Issue`, never an exception.

The reader is chosen by the file's content, not only its name: an .xls renamed
.xlsx (or the reverse) is read with a warning, an encrypted workbook, a zip or a
web page named .xls is an error that says so. A sheet formatted far below its
data (a million styled empty cells) is compacted before it is parsed.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..core.catalogue import issue
from ..core.issues import At, Issue
from .grids import SAMPLE_KEYWORD, Formula, Percent, Sheet, trim as _trim  # noqa: F401  (re-exported)
from .sheetparts import declares_dtd, refuse_duplicate_entries, merged_ranges, table_total_rows

log = logging.getLogger("tekun.io")

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".csv", ".ods")
SAMPLE_TEXT = "示例数据"
#: the mark on every generated form (people are made up) and on every export of sample figures
SAMPLE_FORM_MARK = f"{SAMPLE_TEXT}（tekun 生成，人物均为虚构）"
SAMPLE_TABLE_MARK = f"{SAMPLE_TEXT}（tekun 生成，数字为虚构，不得作为正式报表）"
# the first sheet that `tekun feedback` adds to a returned copy: skipped when the township sends the copy back
FEEDBACK_SHEET = "问题清单"
FEEDBACK_MARK = "tekun 退回修改"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # compound file: .xls, or an .xlsx with an opening password
ZIP_MAGIC = b"PK"
# an .xlsx saved with an opening password is an OLE compound file holding these streams
ENCRYPTION_MARKERS = tuple(n.encode("utf-16-le") for n in ("EncryptedPackage", "EncryptionInfo"))
COMPACT_ABOVE = 1 << 20            # a worksheet part larger than this (bytes) is compacted before reading
MAX_SHEET_BYTES = 512 << 20        # a larger worksheet part is refused rather than read (zip bomb, runaway export)
# formatted but empty cells and rows (<c r="A9" s="3"/>, <row r="9" s="2"/>) that Excel writes for a styled range;
# only those with an explicit position, so that removing them never moves another cell
_EMPTY_CELL = re.compile(rb'<(?:\w+:)?c\s(?=[^>]*\br=")[^>]*/>')
_EMPTY_ROW = re.compile(rb'<(?:\w+:)?row\s(?=[^>]*\br=")[^>]*/>')
_EMPTY_ROW_PAIR = re.compile(rb'<((?:\w+:)?)row\s(?=[^>]*\br=")[^>/]*>\s*</\1row>')


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


def _cell_value(cell):
    v = cell.value
    if isinstance(v, (ArrayFormula, DataTableFormula)):
        # an array or dynamic-array formula ({=SUM(…)}, Excel 365's spilled formulas): its text, so that the
        # value Excel saved with it is read like any formula's (never the object's repr)
        text = getattr(v, "text", None) or ""
        return text if text.startswith("=") else "=" + (text or "?")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        fmt = getattr(cell, "number_format", "") or ""
        if "%" in fmt:
            return Percent(float(v))
    return v


WORKSHEET_TYPE = b"spreadsheetml.worksheet+xml"
MAX_PACKAGE_BYTES = 1 << 30         # everything a package expands to (every part, shared strings included)
MAX_SHARED_STRINGS = 200_000        # entries of the shared-strings table; a month's tables hold a few thousand
_PART_NAME = re.compile(rb'<Override\b[^>]*?PartName="/?([^"]+)"[^>]*?ContentType="([^"]+)"')
_PART_NAME_REV = re.compile(rb'<Override\b[^>]*?ContentType="([^"]+)"[^>]*?PartName="/?([^"]+)"')
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
# Strict OOXML (ISO/IEC 29500 Strict, "Strict Open XML 电子表格") names its parts in other namespaces;
# openpyxl reads only the transitional ones, so a strict package is translated first.
STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/chart", b"http://schemas.openxmlformats.org/drawingml/2006/chart"),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", b"http://schemas.openxmlformats.org/officeDocument/2006/math"),
)


def _size(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB" if n >= 1 << 20 else f"{n / 1024:.0f} KB"


def worksheet_parts(z: zipfile.ZipFile) -> set[str]:
    """The package's worksheet parts: those [Content_Types].xml declares as worksheets, wherever they are
    stored, and anything under a worksheets/ folder."""
    parts = {i.filename for i in z.infolist() if "worksheets/" in i.filename}
    try:
        info = z.getinfo("[Content_Types].xml")
    except KeyError:
        return parts
    if info.file_size > 16 << 20:
        return parts
    types = z.read(info)
    for name, ctype in _PART_NAME.findall(types):
        if WORKSHEET_TYPE in ctype:
            parts.add(name.decode("utf-8", "replace"))
    for ctype, name in _PART_NAME_REV.findall(types):
        if WORKSHEET_TYPE in ctype:
            parts.add(name.decode("utf-8", "replace"))
    return parts


def _count_shared_strings(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """Entries of the shared-strings part, counted while it is decompressed (stops past ``limit``)."""
    n, tail = 0, b""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            data = tail + chunk
            n += len(_SHARED_STRING.findall(data[: len(data) - 8] if len(chunk) == 1 << 20 else data))
            tail = data[len(data) - 8:] if len(chunk) == 1 << 20 else b""
            if n > limit:
                break
    return n


def _zip_problem(path: Path) -> str | None:
    """Why a file is not an .xlsx package that is safe to read, in Chinese, or None when it is one.

    Limits what the archive expands to (every part, the shared strings included) before any part is
    parsed, so that a small file that unpacks to gigabytes or millions of strings is refused in seconds.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if len(names) != len(infos):
                return None   # reported by refuse_duplicate_entries
            if "xl/workbook.xml" not in names and not any(n.lower().endswith("workbook.xml") for n in names):
                if "word/document.xml" in names:
                    return "是 Word 文档（.docx），不是 Excel 工作簿"
                if "ppt/presentation.xml" in names:
                    return "是 PowerPoint 文档，不是 Excel 工作簿"
                return "是一个 zip 压缩包，不是 Excel 工作簿（其中没有工作簿内容）"
            total = sum(i.file_size for i in infos)
            if total > MAX_PACKAGE_BYTES:
                return (f"解压后共 {_size(total)}，超过 {_size(MAX_PACKAGE_BYTES)}，不像是一张统计表"
                        f"（可能已损坏或是恶意构造的文件），为保护程序未读取")
            sheets = worksheet_parts(z)
            for info in infos:
                if info.filename in sheets and info.file_size > MAX_SHEET_BYTES:
                    return (f"中有工作表解压后超过 {_size(MAX_SHEET_BYTES)}，不像是一张统计表"
                            f"（可能已损坏），为保护程序未读取")
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels")):
                    continue
                with z.open(info) as f:
                    declared = declares_dtd(f)
                if declared:
                    return (f"的内部文件“{info.filename}”含 XML 文档类型或实体声明（<!DOCTYPE>/<!ENTITY>）："
                            f"Excel 和 WPS 保存的工作簿不会有这种内容，可能是恶意构造的文件，为安全未读取")
                if info.filename.lower().endswith("sharedstrings.xml"):
                    n = _count_shared_strings(z, info, MAX_SHARED_STRINGS)
                    if n > MAX_SHARED_STRINGS:
                        return (f"的共享字符串表超过 {MAX_SHARED_STRINGS:,} 条（文件很小却展开成海量文字），"
                                f"不像是一张统计表（可能是恶意构造的文件），为保护程序未读取")
    except zipfile.BadZipFile:
        return "已损坏（压缩结构不完整，可能下载或拷贝时中断），无法读取"
    except (OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        log.info("zip check of %s failed: %r", path, exc)
        return "无法读取（压缩格式不受支持或已损坏）"
    return None


def _is_strict(z: zipfile.ZipFile) -> bool:
    """True for a Strict OOXML package (its workbook or package relationships use the purl.oclc.org names)."""
    for name in ("xl/workbook.xml", "_rels/.rels"):
        try:
            with z.open(name) as f:
                if b"purl.oclc.org/ooxml" in f.read(8192):
                    return True
        except KeyError:
            continue
    return False


def _repack(path: Path) -> tuple[bytes | None, bool]:
    """(the package rewritten for openpyxl, or None when it can be read as it is; whether it was Strict OOXML).

    Strict OOXML namespaces become the transitional ones. A worksheet part larger than
    :data:`COMPACT_ABOVE` loses its formatted-but-empty cells and rows: a sheet formatted down to row
    100,000 holds a million empty styled cells that openpyxl would parse one by one. Cells and rows with a
    value, and every position (the r attribute), are kept as they are.
    """
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        sheets = worksheet_parts(z)
        strict = _is_strict(z)
        big = {i.filename for i in infos if i.filename in sheets and i.file_size > COMPACT_ABOVE}
        if not big and not strict:
            return None, False
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in infos:
                data = z.read(info.filename)
                if strict and info.filename.lower().endswith((".xml", ".rels")):
                    for strict_ns, transitional in STRICT_NAMESPACES:
                        data = data.replace(strict_ns, transitional)
                    data = data.replace(b' conformance="strict"', b"")
                if info.filename in big:
                    data = _EMPTY_CELL.sub(b"", data)
                    data = _EMPTY_ROW.sub(b"", data)
                    data = _EMPTY_ROW_PAIR.sub(b"", data)
                out.writestr(info.filename, data)
    return buf.getvalue(), strict


def _ole_is_encrypted(path: Path) -> bool:
    """An OLE compound file holding an encrypted .xlsx (the stream names are in its directory)."""
    with open(path, "rb") as f:
        data = f.read(64 << 20)
    return any(m in data for m in ENCRYPTION_MARKERS)


def _read_ole(path: Path, name: str, issues: list[Issue]) -> tuple[list[Sheet], bool]:
    """A compound file named .xlsx: an encrypted workbook, or an old .xls renamed (then read as .xls)."""
    if not _ole_is_encrypted(path):
        tried: list[Issue] = []
        sheets, sample = _read_xls(path, name, tried)
        if sheets and not tried:
            issues.append(issue("file_extension", At(name), variant="xls", suffix=path.suffix))
            return sheets, sample
    issues.append(issue("file_encrypted", At(name), variant="ole"))
    return [], False


LONG_NUMBER = 300   # digits: a longer number cell is kept as its text (Python refuses int() past 4,300 digits)


def _guard_long_numbers() -> None:
    """Make openpyxl keep a number cell of more than :data:`LONG_NUMBER` characters as text.

    openpyxl converts each number with int()/float(); a 5,000-digit cell raises ValueError and the whole
    file would be lost. Kept as text, the reader reports that one cell as too large.
    """
    from openpyxl.worksheet import _reader

    if getattr(_reader._cast_number, "tekun_guard", False):
        return
    original = _reader._cast_number

    def cast(value):
        return value if len(value) > LONG_NUMBER else original(value)

    cast.tekun_guard = True
    _reader._cast_number = cast


def _read_xlsx(path: Path, name: str, issues: list[Issue]) -> tuple[list[Sheet], bool]:
    import openpyxl

    _guard_long_numbers()

    with open(path, "rb") as f:
        head = f.read(8)
    if head == OLE_MAGIC:
        return _read_ole(path, name, issues)
    if refuse_duplicate_entries(path, name, issues):
        return [], False
    problem = _zip_problem(path)
    if problem:
        issues.append(issue("file_unreadable", At(name), variant="zip", problem=problem))
        return [], False
    fast = _read_with_calamine(path, name)
    if fast is not None:
        return fast
    try:
        compacted, strict = _repack(path)
        if strict:
            issues.append(issue("strict_ooxml", At(name)))
        if compacted is not None:
            source = lambda: io.BytesIO(compacted)  # noqa: E731
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            source = lambda: str(path)  # noqa: E731
        else:  # an .xlsx named otherwise: openpyxl accepts only its own extensions by name
            content = path.read_bytes()
            source = lambda: io.BytesIO(content)  # noqa: E731
        wb = openpyxl.load_workbook(source(), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        log.info("openpyxl could not open %s: %r", path, exc)
        issues.append(issue("file_unreadable", At(name), variant="broken"))
        return [], False
    except Exception as exc:  # openpyxl raises many kinds on malformed packages
        log.info("openpyxl could not open %s: %r", path, exc)
        issues.append(issue("file_unreadable", At(name), variant="not_excel"))
        return [], False
    sample = SAMPLE_KEYWORD in (wb.properties.keywords or "")
    sheets = []
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # chartsheets
            ws.reset_dimensions()  # some writers store wrong dimensions
            rows = [[_cell_value(c) for c in row] for row in ws.iter_rows()]
            if is_feedback_sheet(ws.title, rows):
                continue  # our own list of problems on a corrected copy sent back: not the township's data
            part = getattr(ws, "_worksheet_path", None)
            sheets.append(Sheet(name, ws.title, _trim(rows), hidden=ws.sheet_state != "visible",
                                merged=merged_ranges(source, part), total_rows=table_total_rows(source, part)))
        if any(_is_formula(v) for sh in sheets for r in sh.rows for v in r):
            _use_cached_values(source, sheets)
    except Exception as exc:
        log.info("reading the sheets of %s failed: %r", path, exc)
        issues.append(issue("file_unreadable", At(name), variant="interrupted"))
    finally:
        wb.close()
    return sheets, sample


def _read_with_calamine(path: Path, name: str) -> tuple[list[Sheet], bool] | None:
    """The file read by :mod:`.fastxlsx` where that gives what openpyxl would; None: openpyxl reads it."""
    from . import fastxlsx

    if not fastxlsx.enabled():
        return None
    try:
        with zipfile.ZipFile(path) as z:
            if _is_strict(z):
                return None
            parts = worksheet_parts(z)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as exc:
        log.info("calamine left %s to openpyxl: %r", path, exc)
        return None
    read = fastxlsx.read_xlsx(path, name, parts)
    if read is None:
        return None
    sheets, sample = read
    return [sh for sh in sheets if not is_feedback_sheet(sh.name, sh.rows)], sample


def is_feedback_sheet(title: str, rows: list[list]) -> bool:
    """True for the 问题清单 sheet that `tekun feedback` puts first in a returned copy (its A1 carries the mark)."""
    first = rows[0][0] if rows and rows[0] else None
    return title == FEEDBACK_SHEET and isinstance(first, str) and FEEDBACK_MARK in first


def _is_formula(v) -> bool:
    if isinstance(v, (ArrayFormula, DataTableFormula)):
        return True
    return isinstance(v, str) and v.startswith("=") and len(v) > 1


def _use_cached_values(source, sheets: list[Sheet]) -> None:
    """Replace formula cells by the value Excel saved with them, or by :class:`Formula` when none was saved.

    source: a function returning a fresh binary file of the workbook.
    """
    import openpyxl

    wb = openpyxl.load_workbook(source(), read_only=True, data_only=True)
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
        try:     # with formatting: the merged ranges (a merged village over its people)
            book = xlrd.open_workbook(str(path), formatting_info=True)
        except Exception:
            book = xlrd.open_workbook(str(path), formatting_info=False)
    except Exception as exc:
        if "encrypt" in str(exc).lower() or _ole_is_encrypted(path):
            issues.append(issue("file_encrypted", At(name), variant="xls"))
        else:
            issues.append(issue("file_unreadable", At(name), variant="xls"))
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
        merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in getattr(sh, "merged_cells", None) or []]
        sheets.append(Sheet(name, sh.name, _trim(rows), hidden=getattr(sh, "visibility", 0) != 0, merged=merged))
    return sheets, False


def _looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in text[:512]


def _reader_for(path: Path, name: str, head: bytes, issues: list[Issue]):
    """The reader for a file by its content; a name that lies about the content is a warning."""
    from .csvfiles import read_csv
    from .odsfiles import is_ods, read_ods

    suffix = path.suffix.lower()
    by_name = {".xlsx": _read_xlsx, ".xlsm": _read_xlsx, ".xls": _read_xls, ".csv": read_csv,
               ".ods": read_ods}[suffix]
    if head.startswith(ZIP_MAGIC) and is_ods(path):
        if suffix != ".ods":
            issues.append(issue("file_extension", At(name), variant="ods", suffix=path.suffix))
        return read_ods
    if suffix == ".ods":
        def not_ods(path, name, issues):
            issues.append(issue("file_unreadable", At(name), variant="ods"))
            return [], False
        return not_ods
    if head.startswith(ZIP_MAGIC) and suffix not in (".xlsx", ".xlsm"):
        if _zip_problem(path) is None:
            issues.append(issue("file_extension", At(name), variant="xlsx", suffix=path.suffix))
        return _read_xlsx
    ole = head[:8] == OLE_MAGIC
    if ole and suffix == ".csv":
        return _read_ole
    if suffix != ".csv" and not head.startswith(ZIP_MAGIC) and not ole and _looks_like_html(head):
        def html(path, name, issues):
            issues.append(issue("file_unreadable", At(name), variant="html"))
            return [], False
        return html
    return by_name


def read_file(path: Path, name: str, issues: list[Issue]) -> SourceFile:
    """Read one input file into a :class:`SourceFile`; problems are appended to ``issues``, never raised."""
    try:
        src = SourceFile(path=path, name=name, sha256=sha256_of(path))
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as exc:
        issues.append(issue("file_unreadable", At(name), variant="os"))
        return SourceFile(path=path, name=name, sha256="")
    if size == 0:
        issues.append(issue("file_empty", At(name)))
        return src
    try:
        reader = _reader_for(path, name, head, issues)
        src.sheets, src.sample = reader(path, name, issues)
    except Exception as exc:  # whatever a library raises on a hostile file is an issue of that file, never a crash
        log.info("reading %s failed", path, exc_info=True)   # never on the terminal: the issue says it
        issues.append(issue("file_unreadable", At(name), variant="failed"))
        src.sheets, src.sample = [], False
    if not src.sample:
        # a visible mark in the first rows also counts (sample files say 示例数据 on their face)
        for sh in src.sheets:
            for row in sh.rows[:3]:
                if any(isinstance(v, str) and SAMPLE_TEXT in v and "tekun" in v for v in row):
                    src.sample = True
    for sh in src.sheets:
        if sh.hidden and any(any(v is not None for v in r) for r in sh.rows):
            issues.append(issue("hidden_sheet", At(name, sh.name)))
    return src


def safe_name(rel: str) -> tuple[str, bool]:
    """(a file name that can be printed, hashed and written to a page; whether the stored name is not UTF-8).

    A zip made on Chinese Windows and unpacked on Linux leaves names in GBK bytes, which Python holds as
    lone surrogates: printing or encoding them fails. Such a name is read as GB18030 when it decodes,
    else its undecodable bytes are shown as \\xNN.
    """
    try:
        rel.encode("utf-8")
        return rel, False
    except UnicodeEncodeError:
        raw = os.fsencode(rel)
        try:
            return raw.decode("gb18030"), True
        except UnicodeDecodeError:
            return raw.decode("utf-8", "backslashreplace"), True


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

