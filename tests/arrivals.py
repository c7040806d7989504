"""A month as it really arrives: 2023-11 made from the bundled 2023-10, with the mistakes townships make.

:func:`arrived_month` copies the reference data and the bundled 2023-08..10 into a temporary folder and
makes 2023-11 from 2023-10: every table's month words say 11月 (so nothing is a copy of last month), the
people of the forms are those of October, the 减少情况表 holds only the transfers it is told to record, and
October's inspection checklists (dated in October, optional) are left out. Then, as asked:

- ``missing``: that township's 附件3 is not there (default 四道湾子镇);
- ``placed``: how many of the missing township's people to move (October's 应纳入集中供养 list) the
  减少情况表 records as moved into its home on 2023-11-05; 附件2 shows that home up by as many and 附件1
  the township down by as many (the tables other than 附件3 agree);
- ``unreported_leaver``: a township one of whose people is no longer on its form nor on the 减少情况表
  (附件1 counts one less, as if the township had counted right but not said who left);
- ``misspelt``: (official, as written) -- 附件1 writes that township's name wrong;
- ``word_in_count``: (township, text) -- 附件1's 分散供养人数 of that township is a word;
- ``wrong_total``: 附件1's 合计 of 分散供养人数 is off by one.

Returns an :class:`Arrival` naming the data folder and what was done, so a test can look for it.
"""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
MONTH, LAST = "2023-11", "2023-10"
MISSING = "四道湾子镇"
MOVED_ON = dt.datetime(2023, 11, 5)


@dataclass
class Arrival:
    """What :func:`arrived_month` made: the data folder (``data_dir``) and the people it changed."""

    data_dir: Path
    month: str = MONTH
    missing: str | None = None
    placed: list[dict] = field(default_factory=list)      # the people recorded as moved: name, id_number, home
    home: str = ""                                         # the home they moved into
    leaver: dict | None = None                             # the person who left unreported: township, name, id_number


def _month_words(text: str) -> str:
    return (text.replace("2023年10月31日", "2023年11月30日").replace("2023年10月", "2023年11月")
            .replace("2023-10", "2023-11").replace("10月", "11月"))


def _retitle(path: Path) -> Path:
    """The month's words in the top rows and in the file name say November."""
    wb = load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows(max_row=3):
            for c in row:
                if isinstance(c.value, str):
                    c.value = _month_words(c.value)
    new = path.with_name(_month_words(path.name))
    wb.save(new)
    if new != path:
        path.unlink()
    return new


def _header_row(ws, word: str) -> int:
    return next(r[0].row for r in ws.iter_rows(max_row=30) if any(isinstance(c.value, str) and word in c.value for c in r))


def _data_rows(ws, header: int) -> list[int]:
    """The table's rows under ``header`` (up to the first note or blank row)."""
    out = []
    for r in range(header + 1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if first is None or (isinstance(first, str) and (first.startswith("注") or "合" in first)):
            break
        out.append(r)
    return out


def _delete_rows(ws, rows: list[int]) -> None:
    """Delete ``rows`` (sorted), unmerging the merged cells below them first (openpyxl does not move them)."""
    if not rows:
        return
    for m in [m for m in ws.merged_cells.ranges if m.min_row >= rows[0]]:
        ws.unmerge_cells(str(m))
    for r in reversed(rows):
        ws.delete_rows(r)


def _column(ws, header: int, word: str) -> int:
    return next(c.column for c in ws[header] if isinstance(c.value, str) and word in c.value.replace("\n", ""))


def _row_of(ws, col: int, value: str) -> int:
    return next(r[0].row for r in ws.iter_rows() if r[col - 1].value == value)


def _to_move(data_dir: Path, township: str, n: int) -> list[dict]:
    """The first ``n`` people of ``township`` whom October's forms say to move into a home."""
    from tekun_helpers.analysis.rules import decide
    from tekun_helpers.month import load_month

    d = load_month(LAST, data_dir)
    dec = decide(d.assessments, d.policy)
    dec = dec[(dec["rule"] == "transfer") & (dec["township"] == township)]
    rows = [d.assessments.loc[i].to_dict() for i in dec["person"][:n]]
    return [{k: r.get(k) for k in ("township", "village", "name", "sex", "id_number")} for r in rows]


def _record_moves(folder: Path, people: list[dict], home: str) -> None:
    """The 减少情况表 holds only these transfers into ``home``."""
    path = next(folder.glob("*减少情况表*.xlsx"))
    wb = load_workbook(path)
    ws = wb.active
    header = _header_row(ws, "序号")
    rows = _data_rows(ws, header)
    for i, (r, p) in enumerate(zip(rows, people), start=1):
        values = [i, p["township"], p["village"], p["name"], p["sex"], p["id_number"], "转入集中供养", home, MOVED_ON,
                  None]
        for col, value in enumerate(values, start=1):
            ws.cell(r, col).value = value
    _delete_rows(ws, rows[len(people):])
    wb.save(path)


def _add_to(path: Path, name_col_word: str, name: str, col_word: str, delta, sheet: str | None = None) -> None:
    """Add ``delta`` to (or, for a str, write it in) the cell of column ``col_word`` in the row named ``name``
    (and to the 合计 row's)."""
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    header = _header_row(ws, "序号")
    col = _column(ws, header, col_word)
    row = _row_of(ws, _column(ws, header, name_col_word), name)
    cell = ws.cell(row, col)
    cell.value = delta if isinstance(delta, str) else int(cell.value) + delta
    _fix_total(ws, header, col)
    wb.save(path)


def _fix_total(ws, header: int, col: int, off: int = 0) -> None:
    """The 合计 row of column ``col``: the sum of the rows above it, plus ``off``."""
    rows = _data_rows(ws, header)
    total = rows[-1] + 1
    if "合" not in str(ws.cell(total, 1).value or ""):
        return
    values = [ws.cell(r, col).value for r in rows]
    ws.cell(total, col).value = sum(v for v in values if isinstance(v, int)) + off


def _leave_unreported(folder: Path, township: str) -> dict:
    """Take the first person off ``township``'s form (the township did not say why): who it was."""
    path = next((folder / "附件3").glob(f"*{township}*.xlsx"))
    wb = load_workbook(path)
    ws = wb.active
    header = _header_row(ws, "序号")
    first = _data_rows(ws, header)[0]
    get = {w: ws.cell(first, _column(ws, header, w)).value for w in ("村/居委会", "姓名", "身份证号")}
    _delete_rows(ws, [first])
    wb.save(path)
    return {"township": township, "village": get["村/居委会"], "name": get["姓名"], "id_number": get["身份证号"]}


def arrived_month(tmp: Path, *, missing: str | None = MISSING, placed: int = 2, unreported_leaver: str | None = None,
                  misspelt: tuple[str, str] | None = None, word_in_count: tuple[str, str] | None = None,
                  wrong_total: bool = False) -> Arrival:
    """Make ``tmp/data`` with the bundled months and 2023-11 as described in the module's docstring."""
    data = tmp / "data"
    for sub in ("reference", "2023-08", "2023-09", LAST):
        shutil.copytree(ROOT / "data" / sub, data / sub, dirs_exist_ok=True)
    folder = data / MONTH
    shutil.copytree(data / LAST, folder)
    shutil.rmtree(folder / "督查", ignore_errors=True)      # October's inspections are dated in October (optional)
    for p in sorted(folder.rglob("*.xlsx")):
        _retitle(p)
    out = Arrival(data)
    town_file = next(folder.glob("附件1*.xlsx"))
    home_file = next(folder.glob("附件2*.xlsx"))
    moving = []
    if missing:
        out.missing = missing
        from tekun_helpers.config.reference import load_reference

        out.home = load_reference(data).township(missing).served_by[0]
        moving = _to_move(data, missing, placed) if placed else []
        for f in (folder / "附件3").glob(f"*{missing}*"):
            f.unlink()
        out.placed = [{**p, "home": out.home} for p in moving]
    _record_moves(folder, moving, out.home)
    if moving:
        _add_to(home_file, "名称", out.home, "现入住", len(moving))
        _add_to(home_file, "名称", out.home, "还应入住", -len(moving))
        _add_to(next(folder.glob("*工作人员台账*.xlsx")), "名称", out.home, "入住特困人员", len(moving),
                sheet="护理型床位与入住构成")
        _add_to(town_file, "乡镇", missing, "分散供养", -len(moving))
    if unreported_leaver:
        out.leaver = _leave_unreported(folder, unreported_leaver)
        _add_to(town_file, "乡镇", unreported_leaver, "分散供养", -1)
    if word_in_count:
        _add_to(town_file, "乡镇", word_in_count[0], "分散供养", word_in_count[1])
    if wrong_total:
        wb = load_workbook(town_file)
        ws = wb.active
        header = _header_row(ws, "序号")
        _fix_total(ws, header, _column(ws, header, "分散供养"), off=1)
        wb.save(town_file)
    if misspelt:
        wb = load_workbook(town_file)
        ws = wb.active
        header = _header_row(ws, "序号")
        ws.cell(_row_of(ws, _column(ws, header, "乡镇"), misspelt[0]), _column(ws, header, "乡镇")).value = misspelt[1]
        wb.save(town_file)
    return out


__all__ = ["Arrival", "arrived_month", "MONTH", "MISSING"]
