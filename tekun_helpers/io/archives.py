"""Archives in a month's folder (.zip, .rar, .7z): never extracted or read, only what they seem to hold."""
from __future__ import annotations

import zipfile
from pathlib import Path

# archives a clerk forwards unopened: named in the month's issues with what they seem to hold, never read
ARCHIVES = (".zip", ".rar", ".7z")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods", ".et")


def archive_contents(path: Path) -> list[str] | None:
    """The workbooks an archive in the month folder seems to hold (their names inside it, GBK names decoded),
    or None when it cannot be listed (a .rar or .7z, a damaged zip). Nothing in it is extracted or read."""
    if path.suffix.lower() != ".zip":
        return None
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return None
    names = []
    for info in infos:
        n = info.filename
        if not info.flag_bits & 0x800:              # not marked UTF-8: Chinese Windows stores GBK bytes
            try:
                n = n.encode("cp437").decode("gb18030")
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
        base = n.rstrip("/").rsplit("/", 1)[-1]
        if base.lower().endswith(WORKBOOK_SUFFIXES) and not base.startswith(("~$", ".")) \
                and "__MACOSX" not in n:
            names.append(n)
    return names
