"""A copy of last month is not new data.

- Every file of the month's folder byte-identical to a file of the month before: a warning naming
  both months (nothing in the folder is new).
- 附件1 or 附件2 byte-identical to a file of the month before: an **error** naming both months,
  unless the file is marked as carried over: its file name contains :data:`CARRIED_OVER`
  (e.g. ``附件2 敖汉旗养老机构11月情况统计表（沿用上月）.xlsx``); then a warning says the figures are
  last month's. A township that really had no change still sends its table: marking it says so.
- A table whose title (the rows above its header) names another month (a form headed 10月 in
  2023-11): a warning naming both months. A day after the month (填报日期 2023年12月5日) is a date,
  not the month the table is about, and is not counted.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..config.county import County
from ..core.catalogue import issue
from ..core.issues import At, Issue
from ..core.months import previous_month, year_month
from ..io.readers import ParsedTable
from ..io.workbooks import SourceFile, list_input_files, sha256_of

#: The word in a file name that marks 附件1/附件2 as deliberately carried over from last month.
CARRIED_OVER = "沿用上月"
_MONTH_IN_TITLE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])(?!份?\s*\d)")
_OFFICIAL = ("townships", "homes")


def _label(month: str) -> str:
    y, m = year_month(month)
    return f"{y}年{m}月（{month}）"


def _previous_hashes(folder: Path) -> dict[str, str]:
    """sha256 -> relative file name, for the readable files of a month folder (empty when there is none)."""
    if not folder.is_dir():
        return {}
    files, _ = list_input_files(folder)
    return {sha256_of(p): p.relative_to(folder).as_posix() for p in files}


def months_named(text: str, month: str) -> list[tuple[int | None, int]]:
    """(year or None, month) for each month a title names that is not ``month`` itself."""
    y, m = year_month(month)
    out = []
    for ys, ms in _MONTH_IN_TITLE.findall(text or ""):
        n = int(ms)
        if not 1 <= n <= 12:
            continue
        year = int(ys) if ys else None
        if n != m or (year is not None and year != y):
            out.append((year, n))
    return out


def _title_text(sheet_rows: list[list], header_row: int) -> list[tuple[int, str]]:
    """(Excel row, text) of the rows above a table's header (its title, unit, date lines)."""
    out = []
    for i, row in enumerate(sheet_rows[: max(header_row - 1, 0)]):
        text = "".join(v for v in row if isinstance(v, str))
        if text.strip():
            out.append((i + 1, text))
    return out


def check_copy(month: str, base: Path, sources: list[SourceFile], tables: list[ParsedTable],
               county: County) -> list[Issue]:
    """Issues when the month's folder, or its 附件1/附件2, repeats last month's files, or titles name another month.

    base: the data folder (the month before is read from ``base/<previous month>``).
    """
    return _copied_files(month, base, sources, tables, county) + _titles_of_other_months(month, sources, tables)


def _copied_files(month: str, base: Path, sources: list[SourceFile], tables: list[ParsedTable],
                  county: County) -> list[Issue]:
    """The whole folder, or 附件1/附件2, byte-identical to files of the month before."""
    out: list[Issue] = []
    prev = previous_month(month)
    here, there = _label(month), _label(prev)
    old = _previous_hashes(base / prev)
    if not (old and sources):
        return out
    same = [s for s in sources if s.sha256 in old]
    if len(same) == len(sources):
        out.append(issue("month_copied", At(), value=str(len(same)), county=county, here=here, count=len(same),
                         there=there))
    kinds = {t.file: t.table.label for t in tables if t.table.key in _OFFICIAL}
    for s in same:
        if s.name not in kinds:
            continue
        at, was = At(s.name), old[s.sha256]
        if CARRIED_OVER in Path(s.name).name:
            out.append(issue("carried_over", at, value=was, table=kinds[s.name], there=there, previous=was,
                             mark=CARRIED_OVER))
        else:
            out.append(issue("same_as_last_month", at, value=was, table=kinds[s.name], there=there, previous=was,
                             here=here, mark=CARRIED_OVER))
    return out


def _titles_of_other_months(month: str, sources: list[SourceFile], tables: list[ParsedTable]) -> list[Issue]:
    """A table whose title lines name another month (the first such line of each sheet)."""
    out: list[Issue] = []
    here = _label(month)
    sheets = {(sh.file, sh.name): sh for s in sources for sh in s.sheets}
    seen: set[tuple[str, str]] = set()
    for t in tables:
        sh = sheets.get((t.file, t.sheet))
        if sh is None or (t.file, t.sheet) in seen:
            continue
        seen.add((t.file, t.sheet))
        for row, text in _title_text(sh.rows, t.header_row):
            named = months_named(text, month)
            if not named:
                continue
            y, m = named[0]
            shown = f"{y}年{m}月" if y else f"{m}月"
            out.append(issue("title_other_month", At(t.file, t.sheet, row), value=shown, named=shown, here=here))
            break
    return out
