"""Excel exports: the official layout read back by the project's own reader; text never becomes a formula."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import decimal
import math
import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from builders import home_rows, home_sheet, make_month, township_rows, township_sheet
from tekun_helpers import load_month
from tekun_helpers.publish.excel import SAMPLE_TABLE_MARK, export_official, export_tables, safe_text, write_cell

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@x", "-2 备注", "=1+1"]


def read_back(tmp_path, files, month="2023-08"):
    """Put exported files into a fresh month folder and read it with the project's own reader."""
    data = make_month(tmp_path / "back", month=month, townships=False, homes=False)
    for f in files:
        shutil.copy(f, data / month / f.name)
    return load_month(month, data)


def every_cell(path):
    ws = load_workbook(path).active
    return [c for row in ws.iter_rows() for c in row]


# -- 附件1 / 附件2 ------------------------------------------------------------------------

def test_official_export_reads_back_to_the_same_numbers(tmp_path, seed_month):
    files = export_official(seed_month, tmp_path / "out")
    back = read_back(tmp_path, files)
    assert back.issues == [], [i.message for i in back.issues]
    assert not back.is_sample

    tcols = ["township", "dispersed", "fully_disabled", "semi_disabled"]
    assert back.townships[tcols].equals(seed_month.townships[tcols])
    assert back.townships[["dispersed", "fully_disabled", "semi_disabled"]].sum().tolist() == [2700, 24, 184]

    hcols = ["home", "beds", "residents", "staff", "head", "phone"]
    assert back.homes[hcols].equals(seed_month.homes[hcols])
    policy = seed_month.policy
    needed = [policy.needed_residents(b) for b in seed_month.homes.beds]
    assert back.homes.needed_stated.tolist() == needed
    assert back.homes.missing_stated.tolist() == [n - r for n, r in zip(needed, seed_month.homes.residents)]
    # the policy's rounding reproduces the official columns exactly
    assert back.homes.needed_stated.tolist() == seed_month.homes.needed_stated.tolist()
    assert back.homes.missing_stated.tolist() == seed_month.homes.missing_stated.tolist()
    assert int(back.homes.needed_stated.sum()) == 441          # not 0.6 x 733 = 439.8
    assert int(back.homes.missing_stated.sum()) == 100         # the official net total
    assert int(back.homes.missing_stated.clip(lower=0).sum()) == 117


def test_file_names(tmp_path, seed_month):
    f1, f2 = export_official(seed_month, tmp_path)
    assert f1.name == "附件1 2023年8月分散供养人员分乡镇统计表.xlsx"
    assert f2.name == "附件2 敖汉旗养老机构8月情况统计表.xlsx"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f1.name, f2.name])   # no temporary file left


def test_official_layout(tmp_path, seed_month):
    f1, f2 = export_official(seed_month, tmp_path)
    for path, label, title, n_cols, n_rows, total_label in (
            (f1, "附件1", "2023年8月分散供养人员分乡镇统计表", 6, 18, "合 计"),
            (f2, "附件2", "敖汉旗养老机构8月情况统计表", 10, 14, "公办敬老院合计")):
        ws = load_workbook(path).active
        last = "ABCDEFGHIJ"[n_cols - 1]
        total_row = 4 + n_rows
        assert ws["A1"].value == label
        assert ws["A2"].value == title and ws["A2"].font.b and ws["A2"].font.sz == 16
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert f"A2:{last}2" in merged and f"A{total_row}:B{total_row}" in merged
        for c in ws[3]:
            assert c.font.b and c.alignment.wrap_text and c.border.bottom.style == "thin"
        for row in ws.iter_rows(min_row=3, max_row=total_row, max_col=n_cols):
            for c in row:
                # inside a merged range (the total's label over 序号 and 名称) only the outer edges show
                inner = c.coordinate == f"B{total_row}"
                sides = (c.border.right, c.border.top, c.border.bottom) if inner else (
                    c.border.left, c.border.right, c.border.top, c.border.bottom)
                assert all(s.style == "thin" for s in sides), c
        assert ws.cell(total_row, 1).value == total_label
        assert ws.max_row == total_row
        assert ws.freeze_panes == "A4"
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$3"
        assert all(ws.column_dimensions[ch].width >= 6 for ch in "ABCDEFGHIJ"[:n_cols])
        assert not [c.coordinate for c in every_cell(path) if c.data_type == "f"]      # totals are values

    ws1 = load_workbook(f1).active
    assert [c.value for c in ws1[3]] == ["序号", "乡镇苏木街道", "分散供养人数", "其中：全失能人数", "半失能人数", "备注"]
    assert [c.value for c in ws1[22]][2:5] == [2700, 24, 184]
    ws2 = load_workbook(f2).active
    assert [c.value for c in ws2[3]] == ["序号", "名称", "实有床位数（张）", "现入住老人数（人）", "60%应住人数",
                                         "达到60%\n还应入住人数", "工作人员人数", "负责人", "联系电话", "备注"]
    assert [c.value for c in ws2[18]][2:7] == [733, 341, 441, 100, 79]
    assert [ws2.cell(r, 5).value for r in (8, 13, 15)] == [15, 29, 32]     # 24 -> 15, 48 -> 29, 53 -> 32 beds
    assert ws2["F5"].value == -12 and ws2["F5"].data_type == "n"           # negative numbers stay numbers


def test_target_and_rounding_come_from_policy(tmp_path, seed_month):
    policy = seed_month.policy.with_occupancy(target=0.7, rounding="down")
    m = dataclasses.replace(seed_month, policy=policy)
    _, f2 = export_official(m, tmp_path)
    ws = load_workbook(f2).active
    assert ws["E3"].value == "70%应住人数" and ws["F3"].value == "达到70%\n还应入住人数"
    beds = seed_month.homes.beds.tolist()
    assert [ws.cell(4 + i, 5).value for i in range(len(beds))] == [math.floor(0.7 * b + 1e-9) for b in beds]
    assert ws["E18"].value == sum(math.floor(0.7 * b + 1e-9) for b in beds)


def test_export_is_reproducible_and_replaces_atomically(tmp_path, seed_month):
    first = [p.read_bytes() for p in export_official(seed_month, tmp_path)]
    again = export_official(seed_month, tmp_path)        # over the existing files
    assert [p.read_bytes() for p in again] == first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in again)


def _hostile_month(seed_month):
    """The seed month with formula-like notes and heads, as a reader might have read them."""
    towns = seed_month.townships.copy()
    towns.loc[: len(HOSTILE) - 1, "note"] = HOSTILE
    homes = seed_month.homes.copy()
    homes.loc[: len(HOSTILE) - 1, "note"] = HOSTILE
    homes.loc[: len(HOSTILE) - 1, "head"] = HOSTILE[::-1]
    return dataclasses.replace(seed_month, townships=towns, homes=homes)


def test_formula_like_text_is_written_as_text(tmp_path, seed_month):
    m = _hostile_month(seed_month)
    f1, f2 = export_official(m, tmp_path / "out")
    ws1, ws2 = load_workbook(f1).active, load_workbook(f2).active
    for i, text in enumerate(HOSTILE):
        for cell, expected in ((ws1.cell(4 + i, 6), text), (ws2.cell(4 + i, 10), text), (ws2.cell(4 + i, 8), HOSTILE[::-1][i])):
            assert cell.value == expected and cell.data_type == "s", (cell.coordinate, cell.value)
            assert cell.quotePrefix                     # stays text when someone edits the cell in Excel
    assert not [c.coordinate for p in (f1, f2) for c in every_cell(p) if c.data_type == "f"]

    # and the project's own reader gets back exactly the input text, with nothing to complain about
    back = read_back(tmp_path, [f1, f2])
    assert back.issues == [], [i.message for i in back.issues]
    assert back.townships.note.tolist() == m.townships.note.tolist()
    assert back.homes.note.tolist() == m.homes.note.tolist()
    assert back.homes["head"].tolist() == m.homes["head"].tolist()


def test_formula_like_text_from_input_files_stays_text(tmp_path):
    rows = township_rows()
    for r, text in zip(rows, ["+1", "@x", "-2 备注"]):
        r[5] = text
    hrows = home_rows()
    hrows[0][9] = "@sum(A1)"
    data = make_month(tmp_path, townships=township_sheet(rows), homes=home_sheet(hrows))
    m = load_month("2023-08", data)
    assert not m.errors
    f1, f2 = export_official(m, tmp_path / "out")
    ws = load_workbook(f1).active
    assert [(ws.cell(4 + i, 6).value, ws.cell(4 + i, 6).data_type) for i in range(3)] == [
        ("+1", "s"), ("@x", "s"), ("-2 备注", "s")]
    cell = load_workbook(f2).active["J4"]
    assert cell.value == "@sum(A1)" and cell.data_type == "s"


def test_missing_numbers_are_left_blank_not_guessed(tmp_path, seed_month):
    homes = seed_month.homes.copy()
    homes["beds"] = pd.array([pd.NA, *homes.beds.tolist()[1:]], dtype="Int64")
    _, f2 = export_official(dataclasses.replace(seed_month, homes=homes), tmp_path)
    ws = load_workbook(f2).active
    assert ws["C4"].value is None and ws["E4"].value is None and ws["F4"].value is None
    assert ws["C18"].value is None and ws["E18"].value is None      # no partial sum posing as the total
    assert ws["D18"].value == 341 and ws["E5"].value == 36


def test_sample_month_is_marked(tmp_path):
    m = load_month("2023-09")
    assert m.is_sample
    f1, f2 = export_official(m, tmp_path / "out")
    for path in (f1, f2):
        wb = load_workbook(path)
        assert "tekun-sample" in wb.properties.keywords
        ws = wb.active
        assert ws["C1"].value == SAMPLE_TABLE_MARK
        assert "示例数据" in ws.oddFooter.center.text
        # the fingerprint is provenance: in the file's properties, not printed in a header or footer
        printed = [part.text or "" for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter,
                                               ws.firstHeader, ws.firstFooter)
                   for part in (hf.left, hf.center, hf.right)]
        assert not any(m.fingerprint in t or "指纹" in t for t in printed), printed
        assert m.fingerprint in wb.properties.description
    back = read_back(tmp_path, [f1, f2], month="2023-09")
    assert back.is_sample and not back.errors


# -- the cell helpers ---------------------------------------------------------------------

def test_write_cell_keeps_text_text_and_numbers_numbers(tmp_path):
    wb = Workbook()
    ws = wb.active
    values = ["=1+1", "+1", "-1", "@x", "普通文字", -12, np.int64(-3), 2.5, np.float64(0.25), decimal.Decimal("7"),
              None, float("nan"), pd.NA, True, dt.date(2023, 10, 31), "a\x01b"]
    for i, v in enumerate(values, start=1):
        write_cell(ws, i, 1, v)
    path = tmp_path / "c.xlsx"
    wb.save(path)
    got = [(c.value, c.data_type) for c in load_workbook(path).active["A"]][: len(values)]
    assert got[:5] == [("=1+1", "s"), ("+1", "s"), ("-1", "s"), ("@x", "s"), ("普通文字", "s")]
    assert got[5:10] == [(-12, "n"), (-3, "n"), (2.5, "n"), (0.25, "n"), (7, "n")]
    assert [v for v, _ in got[10:13]] == [None, None, None]
    assert got[13] == (True, "b")
    assert got[14][0].date() == dt.date(2023, 10, 31)
    assert got[15] == ("ab", "s")                 # a control character an .xlsx cannot hold is dropped


def test_safe_text():
    assert safe_text('=HYPERLINK("http://x","y")') == '=HYPERLINK("http://x","y")'
    assert safe_text("+1") == "+1" and safe_text("@x") == "@x"
    assert safe_text(None) is None and safe_text(float("nan")) is None and safe_text(pd.NA) is None
    assert safe_text(15047678599) == "15047678599" and safe_text(12.0) == "12"


# -- every computed table -----------------------------------------------------------------

def test_export_tables_one_sheet_per_table(tmp_path):
    long_name = "一个非常非常长的统计表名称，超过了Excel工作表名称允许的三十一个字符的限制"
    tables = {
        "乡镇统计": pd.DataFrame({"乡镇": ["甲", "=x", "+1"], "入住率": [0.5, 0.25, float("nan")],
                                  "已达标": [True, False, True], "人数": pd.array([3, -2, pd.NA], dtype="Int64")}),
        "敬老院统计": pd.DataFrame({"名称": ["乙"]}),
        long_name: pd.DataFrame({"a": [1]}),
        long_name + "二": pd.DataFrame({"a": [2]}),
        "表/含:非法*字符?": pd.DataFrame(),
    }
    path = export_tables(tables, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert len(wb.sheetnames) == len(tables)
    assert wb.sheetnames[:2] == ["乡镇统计", "敬老院统计"]
    assert all(len(n) <= 31 for n in wb.sheetnames) and len(set(wb.sheetnames)) == len(tables)
    assert wb.sheetnames[4] == "表含非法字符"
    ws = wb["乡镇统计"]
    assert [c.value for c in ws[1]] == ["乡镇", "入住率", "已达标", "人数"]
    assert all(c.font.b for c in ws[1]) and ws.freeze_panes == "A2"
    assert ws["A3"].value == "=x" and ws["A3"].data_type == "s" and ws["A4"].value == "+1"
    assert ws["B2"].value == 0.5 and ws["B2"].number_format == "0.0%" and ws["B4"].value is None
    assert [ws.cell(r, 3).value for r in (2, 3, 4)] == ["是", "否", "是"]
    assert [ws.cell(r, 4).value for r in (2, 3, 4)] == [3, -2, None] and ws["D3"].data_type == "n"
    assert ws.column_dimensions["A"].width >= 8
    assert not [c for s in wb.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_export_tables_of_a_briefing(tmp_path, seed_month):
    from tekun_helpers.report.briefing import Briefing

    tables = Briefing(seed_month.month, data=seed_month).export_tables()
    path = export_tables(tables, tmp_path / "统计表.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == list(tables)
    for name, sheet in tables.items():
        ws = wb[name]
        head = 2 if sheet.sample else 1          # the sample mark sits above the header, on sample sheets only
        assert (ws["A1"].value == SAMPLE_TABLE_MARK) == sheet.sample
        assert ws.max_row == len(sheet.frame) + head and ws.max_column == len(sheet.columns)
        assert [c.value for c in ws[head]] == sheet.headers()
        assert not any(re.fullmatch(r"[a-z_]+", str(c.value)) for c in ws[head])     # no English keys
    # 附件1 and 附件2 are the real figures of the plan: their sheets carry no sample mark, the forms' do
    assert not tables["乡镇统计"].sample and not tables["敬老院统计"].sample and tables["评估覆盖"].sample
    homes = wb["敬老院统计"]
    total = [c.value for c in homes[homes.max_row]]
    assert total[0] == "合计" and total[2:4] == [733, 341] and 441 in total and 100 in total and 117 in total
    assert homes.cell(2, 3).number_format == "#,##0" and homes.cell(2, 5).number_format == "0.0%"
    keys = {r[0]: r[1] for r in wb["关键指标"].iter_rows(min_row=2, values_only=True)}
    assert keys["分散供养人数"] == 2700 and keys["还应入住人数（官方净数）"] == 100
    assert keys["应住人数取整方式"] == "向上取整" and not any(re.search("[a-z]_", k) for k in keys)


def test_export_tables_marks_sample_data(tmp_path):
    path = export_tables({"乡镇统计": pd.DataFrame({"乡镇": ["甲"], "人数": [1]})}, tmp_path / "s.xlsx", sample=True)
    wb = load_workbook(path)
    ws = wb["乡镇统计"]
    assert "tekun-sample" in wb.properties.keywords
    assert ws["A1"].value == SAMPLE_TABLE_MARK and [c.value for c in ws[2]] == ["乡镇", "人数"] and ws.freeze_panes == "A3"


@pytest.mark.parametrize("tables", [{}])
def test_export_tables_empty(tmp_path, tables):
    assert load_workbook(export_tables(tables, tmp_path / "e.xlsx")).sheetnames == ["说明"]


def test_cli_export(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "export", "--month", "2023-08", "--out", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in (tmp_path / "2023-08" / "Excel").glob("*.xlsx"))
    assert len(files) == 3 and any(f.startswith("附件1") for f in files) and any(f.startswith("附件2") for f in files)


def test_statistics_workbook_numbers_dates_totals_and_print_setup(tmp_path, seed_month):
    """关键指标 holds numbers formatted by their own registry column (unit in the format), dates are Excel
    dates shown the Chinese way, money #,##0.00 with a bold 合计 row, one format per column, A4 print."""
    import datetime as dt

    from tekun_helpers.config.outputs import DATE_FORMAT
    from tekun_helpers.report.briefing import Briefing

    path = export_tables(Briefing(seed_month.month, data=seed_month).export_tables(), tmp_path / "统计表.xlsx")
    wb = load_workbook(path)
    keys = {r[0].value: r[1] for r in wb["关键指标"].iter_rows(min_row=2)}
    assert keys["分散供养人数"].value == 2700 and keys["分散供养人数"].number_format == '#,##0" 人"'
    assert keys["还应入住人数（官方净数）"].value == 100 and keys["入住率"].number_format == "0.0%"
    assert keys["每名工作人员服务人数"].number_format == '#,##0.0" 人"'
    assert keys["数据截至"].is_date and keys["数据截至"].number_format == DATE_FORMAT
    assert keys["数据截至"].value.date() == dt.date(2023, 8, 31)
    assert keys["应住人数取整方式"].value == "向上取整"
    assert all(c.alignment.horizontal == "right" for c in keys.values() if isinstance(c.value, (int, float)))
    funds = wb["资金拨付"]
    head = [c.value for c in funds[2]]
    total = funds[funds.max_row]
    col = {h: i for i, h in enumerate(head)}
    assert total[0].value == "合计" and all(c.font.b for c in total)
    assert [total[col[h]].value for h in ("应拨（元）", "实拨（元）", "少拨（元）")] == [381600, 361200, 20400]
    assert {funds.cell(r, col["应拨（元）"] + 1).number_format for r in range(3, funds.max_row + 1)} == {"#,##0.00"}
    paid = funds.cell(3, col["拨付日期"] + 1)
    assert paid.is_date and paid.number_format == DATE_FORMAT
    assert not any("1200.00" in str(c.value) for row in funds.iter_rows() for c in row)   # 1,200.00 in sentences
    # a month is an Excel date too (the month's first day), shown 2023年8月
    from tekun_helpers.config.outputs import MONTH_FORMAT, table

    reg = wb[table("register").title]
    reg_head = 2 if reg["A1"].value == SAMPLE_TABLE_MARK else 1
    seen = reg.cell(reg_head + 1, [c.value for c in reg[reg_head]].index("首次发现月份") + 1)
    assert seen.is_date and seen.number_format == MONTH_FORMAT and seen.value.date() == dt.date(2023, 8, 1)
    assert table("register").column("first_seen").text("2023-08") == "2023年8月"
    for ws in wb.worksheets:
        # one number format per column below the header (8 and 3.88 never share a column)
        head_row = 2 if ws["A1"].value == SAMPLE_TABLE_MARK else 1
        for j in range(1, ws.max_column + 1):
            fmts = {ws.cell(r, j).number_format for r in range(head_row + 1, ws.max_row + 1)
                    if isinstance(ws.cell(r, j).value, (int, float)) and not isinstance(ws.cell(r, j).value, bool)}
            assert len(fmts) <= 1 or ws.title == "关键指标", (ws.title, j, fmts)
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == f"$1:${head_row}"
        assert "&A" in ws.oddFooter.center.text and ("示例数据" in ws.oddFooter.center.text) == (head_row == 2)
        assert re.fullmatch(r"[\u4e00-\u9fff（）]+", ws.title), ws.title          # Chinese sheet names
