"""Excel exports: official layout read back by the project's own readers; text never becomes a formula."""
from __future__ import annotations

import shutil

from openpyxl import load_workbook

from builders import ROOT, home_rows, home_sheet, make_month, township_rows, township_sheet
from tekun_helpers import load_month
from tekun_helpers.excel import export_official, export_tables


def test_official_export_reads_back_to_the_same_numbers(tmp_path, seed_month):
    files = export_official(seed_month, tmp_path / "x")
    data = make_month(tmp_path, townships=False, homes=False)
    for f in files:
        shutil.copy(f, data / "2023-08" / f.name)
    back = load_month("2023-08", data)
    assert back.issues == [], [i.message for i in back.issues]
    cols = ["township", "dispersed", "fully_disabled", "semi_disabled"]
    assert back.townships[cols].equals(seed_month.townships[cols])
    hcols = ["home", "beds", "residents", "staff", "needed_stated", "missing_stated", "head", "phone"]
    assert back.homes[hcols].equals(seed_month.homes[hcols])
    assert int(back.homes.needed_stated.sum()) == 441 and int(back.homes.missing_stated.sum()) == 100


def test_official_layout(tmp_path, seed_month):
    f1, f2 = export_official(seed_month, tmp_path)
    ws = load_workbook(f2).active
    assert ws["A1"].value == "附件2" and ws["A2"].value == "敖汉旗养老机构8月情况统计表"
    assert "A2:J2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A18"].value == "公办敬老院合计" and ws["E18"].value == 441 and ws["F18"].value == 100
    assert ws.freeze_panes == "A4" and ws.page_setup.orientation == "landscape"
    assert ws["C4"].border.left.style == "thin"
    ws1 = load_workbook(f1).active
    assert ws1["A22"].value == "合 计" and ws1["C22"].value == 2700


def test_formula_like_text_is_written_as_text(tmp_path):
    rows = township_rows()
    hostile = ['=HYPERLINK("http://x","y")', "+1", "-2 备注", "@x"]
    for r, text in zip(rows, hostile):
        r[5] = text
    hrows = home_rows()
    hrows[0][7] = "=1+1"
    data = make_month(tmp_path, townships=township_sheet(rows), homes=home_sheet(hrows))
    m = load_month("2023-08", data)
    assert not m.errors
    f1, f2 = export_official(m, tmp_path / "out")
    ws = load_workbook(f1).active
    for i, text in enumerate(hostile):
        cell = ws.cell(row=4 + i, column=6)
        assert cell.value == text and cell.data_type == "s"
    head = load_workbook(f2).active["H4"]
    assert head.value == "=1+1" and head.data_type == "s"
    assert load_workbook(f2).active["F5"].value == -12          # negative numbers stay numbers


def test_export_tables_one_sheet_per_table(tmp_path):
    import pandas as pd

    path = export_tables({"乡镇统计": pd.DataFrame({"乡镇": ["甲", "=x"], "入住率": [0.5, 0.25]}),
                          "敬老院统计": pd.DataFrame({"名称": ["乙"]})}, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["乡镇统计", "敬老院统计"]
    ws = wb["乡镇统计"]
    assert ws["A3"].value == "=x" and ws["A3"].data_type == "s"
    assert ws["B2"].number_format == "0.0%" and ws.freeze_panes == "A2"
