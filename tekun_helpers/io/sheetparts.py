"""What a workbook package holds beyond its cells, read from the zip itself: entries stored twice, XML
declarations no office program writes, and what openpyxl's read-only mode does not give of a worksheet (the
merged ranges, the rows that are an Excel table's own total row), streamed or read in bounded pieces."""
from __future__ import annotations

import logging
import posixpath
import re
import zipfile

from ..core.catalogue import issue
from ..core.issues import At

log = logging.getLogger("tekun.io")

#: an XML document type or entity declaration: no part of a workbook Excel, WPS or LibreOffice saves has one
DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_PROLOG = 16 << 20     # bytes before a part's root element: more is no file an office program saved


def declares_dtd(f) -> bool:
    """True when the XML part being read from ``f`` declares a document type or entities (<!DOCTYPE …>, which
    must come before the root element), or when its prolog (declaration, comments, processing instructions)
    runs past :data:`MAX_PROLOG` bytes. Comments are skipped as XML defines them, so that a long comment
    cannot push a declaration out of sight."""
    data, pos = b"", 0
    while True:
        while len(data) - pos < 64:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            data = data[pos:] + chunk
            pos = 0
            if len(data) > MAX_PROLOG:
                return True
        rest = data[pos:].lstrip()
        pos = len(data) - len(rest)
        if rest.startswith(b"\xef\xbb\xbf"):
            pos += 3
            continue
        ends = {b"<?": b"?>", b"<!--": b"-->"}
        lead = next((k for k in (b"<!--", b"<?") if rest.startswith(k)), None)
        if lead is None:
            return bool(DTD.match(rest)) or rest.startswith(b"<!")
        end = data.find(ends[lead], pos + len(lead))
        while end < 0:
            chunk = f.read(1 << 16)
            if not chunk or len(data) > MAX_PROLOG:
                return True
            data += chunk
            end = data.find(ends[lead], pos + len(lead))
        pos = end + len(ends[lead])


def duplicate_entries(path) -> list[tuple[str, int]]:
    """The package's entries stored more than once, with how often: [('xl/worksheets/sheet1.xml', 2)].

    Excel never writes two entries of one name; a reader would take one of them silently (Python's zipfile
    the last), so the figures read would depend on the tool. Such a package is refused.
    """
    try:
        with zipfile.ZipFile(path) as z:
            counts: dict[str, int] = {}
            for i in z.infolist():
                counts[i.filename] = counts.get(i.filename, 0) + 1
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return []
    return [(n, c) for n, c in counts.items() if c > 1]


def refuse_duplicate_entries(path, name: str, issues: list) -> bool:
    """True, with an issue about ``name`` added to ``issues``, when the package stores an entry twice
    (:func:`duplicate_entries`): such a workbook is not read."""
    twice = duplicate_entries(path)
    if not twice:
        return False
    entry, count = twice[0]
    issues.append(issue("zip_duplicate_entries", At(name), value=entry, entry=entry, count=count,
                        others=len(twice) - 1))
    return True


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)"')
MAX_MERGES = 100_000


def merged_ranges(source, part: str | None) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet part, read from the package (openpyxl's read-only mode does not):
    [(first row, first column, last row, last column)], 0-based and inclusive. Streamed, so that a large
    part is never held whole."""
    from openpyxl.utils.cell import range_boundaries

    if not part:
        return []
    out: list[tuple[int, int, int, int]] = []
    try:
        with zipfile.ZipFile(source()) as z, z.open(part.lstrip("/")) as f:
            tail = b""
            while chunk := f.read(1 << 20):
                data = tail + chunk
                cut = data.rfind(b"<")
                head, tail = (data[:cut], data[cut:]) if cut > 0 and len(chunk) == 1 << 20 else (data, b"")
                for ref in _MERGE_CELL.findall(head):
                    c0, r0, c1, r1 = range_boundaries(ref.decode())
                    out.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
                    if len(out) > MAX_MERGES:
                        return out
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, TypeError) as exc:
        log.info("merged ranges of %s not read: %r", part, exc)
    return out


MAX_TOTAL_ROWS = 10       # an Excel table has one total row; a larger count in a table part is not believed
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_TABLE_DEF = re.compile(rb"<(?:\w+:)?table\b[^>]*>")


def _attribute(tag: bytes, name: bytes) -> str | None:
    m = re.search(rb"\b" + name + rb'="([^"]*)"', tag)
    return m.group(1).decode("utf-8", "replace") if m else None


def table_total_rows(source, part: str | None) -> set[int]:
    """The 0-based rows of a worksheet that are its Excel tables' own total rows: the last ``totalsRowCount``
    rows of each table's range, from the table parts the sheet's relationships name."""
    from openpyxl.utils.cell import range_boundaries

    if not part:
        return set()
    part = part.lstrip("/")
    folder, base = posixpath.split(part)
    out: set[int] = set()
    try:
        with zipfile.ZipFile(source()) as z:
            try:
                rels = z.read(posixpath.join(folder, "_rels", base + ".rels"))
            except KeyError:
                return out
            for tag in _RELATIONSHIP.findall(rels[: 1 << 20]):
                kind, target = _attribute(tag, b"Type") or "", _attribute(tag, b"Target") or ""
                if not kind.endswith("/table") or not target:
                    continue
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                try:
                    with z.open(path) as f:
                        head = f.read(1 << 16)
                except KeyError:
                    continue
                m = _TABLE_DEF.search(head)
                count = int(_attribute(m.group(0), b"totalsRowCount") or 0) if m else 0
                ref = _attribute(m.group(0), b"ref") if m else None
                if 0 < count <= MAX_TOTAL_ROWS and ref:
                    _, _, _, last = range_boundaries(ref)
                    out |= set(range(last - count, last))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, TypeError) as exc:
        log.info("table parts of %s not read: %r", part, exc)
    return out
