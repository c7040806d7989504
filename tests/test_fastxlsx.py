"""calamine reads a plain .xlsx exactly as openpyxl's path does, and leaves every other file to openpyxl
(tekun_helpers/io/fastxlsx.py).

Each workbook here is read both ways (``TEKUN_XLSX_READER=openpyxl`` is the old path) and compared cell by
cell, type included: edge cases written for it, every workbook of the bundled months, the second county's
(another layout, merged title rows, two-row headers), a month whose files carry typos and workbooks saved again
by LibreOffice (another writer: shared strings, its own styles); and a month read both ways gives the same issues,
with the same file, sheet, row and column."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.table import Table

from tekun_helpers.io import fastxlsx, workbooks
from tekun_helpers.month import load_month

from builders import bundled_month, edit_cell, rewrite_entry
from counties import build_county

ROOT = Path(__file__).resolve().parent.parent
FORM = "附件3/附件3 排查评估表 丰收乡 2023-08.xlsx"


def both(path: Path, monkeypatch) -> tuple[tuple, tuple | None]:
    """(openpyxl's path's (sheets, sample), calamine's or None)."""
    monkeypatch.setenv("TEKUN_XLSX_READER", "openpyxl")
    issues: list = []
    old = workbooks._read_xlsx(path, path.name, issues)
    monkeypatch.delenv("TEKUN_XLSX_READER")
    return old, workbooks._read_with_calamine(path, path.name)


def assert_same(old, new, path) -> None:
    assert new is not None, f"{path}: left to openpyxl"
    (a, sample_a), (b, sample_b) = old, new
    assert sample_a == sample_b, path
    assert [s.name for s in a] == [s.name for s in b], path
    for x, y in zip(a, b):
        where = f"{path.name}/{x.name}"
        assert (x.hidden, sorted(x.merged), x.total_rows, x.file) == (y.hidden, sorted(y.merged), y.total_rows, y.file), where
        assert len(x.rows) == len(y.rows), where
        for i, (r1, r2) in enumerate(zip(x.rows, y.rows)):
            assert r1 == r2, f"{where} row {i + 1}"
            assert [type(v) for v in r1] == [type(v) for v in r2], f"{where} row {i + 1}"


def save(wb, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


def plain_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws["C3"] = "敖汉旗特困人员统计表"             # the data start below and right of A1: positions kept
    ws.merge_cells("C3:F3")
    ws.append([])
    rows = [["序号", "姓名", "年龄", "身份证号", "日期", "时间", "是否", "备注"],
            [1, "张三", 83, "150430193909271674", dt.datetime(2023, 5, 22), dt.time(13, 5), True, " 前后有空格 "],
            [2, "李四", 72.5, "15043019500403433X", dt.datetime(2023, 5, 22, 8, 30), dt.timedelta(hours=30), False, ""],
            [3, "王五", -1, 150430195004034, dt.date(2024, 1, 2), None, None, "多行\n文字"]]
    for r in rows:
        ws.append([None, None, *r])
    ws.cell(20, 12, "孤零零的一格")
    ws.cell(9, 3).number_format = 'yyyy"年"m"月"d"日"'
    ws.cell(9, 3).value = 45000
    ws.cell(10, 3).number_format = "[h]:mm:ss"
    ws.cell(10, 3).value = 1.5
    hidden = wb.create_sheet("旧表")
    hidden["A1"] = "隐藏的表"
    hidden.sheet_state = "hidden"
    very = wb.create_sheet("备用")
    very.sheet_state = "veryHidden"
    wb.create_sheet("空表")
    wb.properties.keywords = workbooks.SAMPLE_KEYWORD
    return wb


def test_a_plain_workbook_reads_the_same(tmp_path, monkeypatch):
    path = save(plain_workbook(), tmp_path, "plain.xlsx")
    old, new = both(path, monkeypatch)
    assert_same(old, new, path)
    sheets, sample = new
    assert sample and [s.hidden for s in sheets] == [False, True, True, False]
    first = sheets[0]
    assert first.rows[2][2] == "敖汉旗特困人员统计表" and first.merged == [(2, 2, 2, 5)]
    assert first.rows[5][5] == "150430193909271674" and first.rows[7][5] == 150430195004034
    assert first.rows[19][11] == "孤零零的一格"
    assert isinstance(first.rows[5][6], dt.datetime) and isinstance(first.rows[7][6], dt.datetime)


def test_a_chartsheet_is_skipped_and_the_feedback_sheet_too(tmp_path, monkeypatch):
    wb = plain_workbook()
    ws = wb.active
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=5, min_row=6, max_row=8))
    wb.create_chartsheet("图").add_chart(chart)
    fb = wb.create_sheet(workbooks.FEEDBACK_SHEET, 0)
    fb["A1"] = f"{workbooks.FEEDBACK_MARK}：请按问题清单修改"
    path = save(wb, tmp_path, "chart.xlsx")
    old, new = both(path, monkeypatch)
    assert_same(old, new, path)
    assert workbooks.FEEDBACK_SHEET not in [s.name for s in new[0]] and "图" not in [s.name for s in new[0]]


def _cell(kind):
    """A workbook whose first sheet holds one cell that only openpyxl reads as the project expects."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "姓名"
    ws["A2"] = "张三"
    if kind == "formula":
        ws["B2"] = "=1+1"
    elif kind == "error":
        ws["B2"] = "#N/A"
    elif kind == "percent":
        ws["B2"] = 0.465
        ws["B2"].number_format = "0.0%"
    elif kind == "percent_custom":
        ws["B2"] = 0.465
        ws["B2"].number_format = '0.0"%"'
    elif kind == "escaped":
        ws["B2"] = "_x000D_换行"
    elif kind == "table":
        ws["B1"] = "年龄"
        ws["B2"] = 80
        ws.add_table(Table(displayName="T1", ref="A1:B2"))
    return wb


@pytest.mark.parametrize("kind", ["formula", "error", "percent", "percent_custom", "escaped", "table"])
def test_what_calamine_could_read_otherwise_is_left_to_openpyxl(kind, tmp_path, monkeypatch):
    path = save(_cell(kind), tmp_path, f"{kind}.xlsx")
    old, new = both(path, monkeypatch)
    assert new is None
    assert old[0][0].rows[1][0] == "张三"          # and openpyxl's path reads it as always


def test_a_percent_format_no_cell_uses_reads_fast(tmp_path, monkeypatch):
    wb = _cell("none")
    wb.active["C1"].number_format = "0.0%"     # a format on an empty cell: no cell value is a percent
    wb.active["C1"] = None
    path = save(wb, tmp_path, "unused.xlsx")
    old, new = both(path, monkeypatch)
    assert_same(old, new, path)


def test_digits_a_double_cannot_hold_are_left_to_openpyxl(tmp_path, monkeypatch):
    """An 18-digit ID number written as a number by a program other than Excel: openpyxl keeps every digit."""
    path = save(_cell("none"), tmp_path, "long.xlsx")
    rewrite_entry(path, "xl/worksheets/sheet1.xml",
                  lambda b: b.replace(b"</row></sheetData>", b'<c r="B2"><v>150430193909271674</v></c></row></sheetData>'))
    old, new = both(path, monkeypatch)
    assert new is None
    assert old[0][0].rows[1][1] == 150430193909271674


def test_an_environment_without_calamine_reads_with_openpyxl(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_calamine(name, *a, **k):
        if name == "python_calamine":
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_calamine)
    path = save(plain_workbook(), tmp_path, "plain.xlsx")
    assert fastxlsx.read_xlsx(path, path.name, {"xl/worksheets/sheet1.xml"}) is None
    assert workbooks._read_xlsx(path, path.name, [])[0][0].rows[2][2] == "敖汉旗特困人员统计表"


def corpus(tmp_path_factory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("corpus")
    bundled = [p for p in sorted((ROOT / "data").rglob("*.xlsx")) if "reference" not in p.parts]
    county = build_county(tmp / "county")
    typos = bundled_month(tmp / "typos")
    edit_cell(typos / "2023-08" / FORM, "年龄", "龙兰香", "六十九")        # a month with a typo
    return bundled + sorted(county.rglob("*.xlsx")) + sorted((typos / "2023-08").rglob("*.xlsx"))


def test_every_workbook_of_the_bundled_months_and_another_county_reads_the_same(tmp_path_factory, monkeypatch):
    files = corpus(tmp_path_factory)
    assert len(files) > 50
    for path in files:
        old, new = both(path, monkeypatch)
        assert_same(old, new, path)


def test_a_month_read_either_way_has_the_same_issues_and_figures(tmp_path, monkeypatch):
    data = bundled_month(tmp_path)
    edit_cell(data / "2023-08" / FORM, "年龄", "龙兰香", "六十九")
    edit_cell(data / "2023-08" / FORM, "是否新申请", "龙兰香", "不知道")
    fast = load_month("2023-08", data)
    monkeypatch.setenv("TEKUN_XLSX_READER", "openpyxl")
    slow = load_month("2023-08", data)

    def issues(m):
        return [(i.code, i.file, i.sheet, i.row, i.column, i.column_letter, i.message) for i in m.issues]

    assert issues(fast) == issues(slow)
    assert {("六十九", "年龄"), ("不知道", "是否新申请")} <= {(i.value, i.column) for i in fast.issues}
    for key in ("townships", "homes", "assessments"):
        a, b = getattr(fast, key), getattr(slow, key)
        assert a.equals(b), key


LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice 未安装（run.sh test 会安装 libreoffice-calc-nogui）")
def test_workbooks_saved_by_another_program_read_the_same(tmp_path, monkeypatch):
    """The bundled 附件1, 附件2, a 附件3 form and a ledger saved again by LibreOffice (shared strings, its own styles
    and properties, as WPS or LibreOffice users send them): read the same both ways, and read by calamine."""
    month = ROOT / "data" / "2023-08"
    names = [next(month.glob("附件1*.xlsx")), next(month.glob("附件2*.xlsx")), month / FORM,
             next(month.glob("敬老院工作人员台账*.xlsx"))]
    work = tmp_path / "in"
    work.mkdir()
    for p in names:
        shutil.copy(p, work / p.name)
    out = tmp_path / "out"
    run = subprocess.run([LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                          "--norestore", "--convert-to", "xlsx", "--outdir", str(out), *sorted(work.iterdir())],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    saved = sorted(out.glob("*.xlsx"))
    assert len(saved) == len(names), run.stderr[-2000:]
    for path in saved:
        with zipfile.ZipFile(path) as z:
            assert "xl/sharedStrings.xml" in z.namelist()        # not the inline strings of the originals
        old, new = both(path, monkeypatch)
        assert_same(old, new, path)
