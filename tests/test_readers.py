"""Reading the month's township (附件1) and nursing-home (附件2) tables, and every check on them."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from openpyxl import Workbook

from builders import (by_code, one, HOME_HEADER, SEED_HOMES, SEED_TOWNSHIPS, TOWNSHIP_HEADER, home_rows, home_sheet, make_month,
                      township_rows, township_sheet, township_total, write_csv, write_xlsx)
from tekun_helpers import load_month


# -- the bundled month -----------------------------------------------------

def test_bundled_month_has_no_issue_and_seed_totals():
    m = load_month("2023-08")
    assert m.issues == [], [i.message for i in m.issues]
    t, h = m.townships, m.homes
    assert len(t) == 18 and len(h) == 14
    assert (t.dispersed.sum(), t.fully_disabled.sum(), t.semi_disabled.sum()) == (2700, 24, 184)
    assert (h.beds.sum(), h.residents.sum(), h.staff.sum()) == (733, 341, 79)
    assert list(t.township) == [x[0] for x in SEED_TOWNSHIPS]
    assert list(h.home) == [x[0] for x in SEED_HOMES]
    assert h.loc[h.home == "新惠镇敬老院", "township"].item() == "新惠镇"
    assert all(len(s.sha256) == 64 for s in m.sources)
    official = [s for s in m.sources if s.name.startswith(("附件1", "附件2"))]
    assert len(official) == 2 and not any(s.sample for s in official)
    # the bundled 附件3 forms are generated sample data, so the month is marked as sample
    forms = [s for s in m.sources if s.name.startswith("附件3/")]
    assert len(forms) == 18 and all(s.sample for s in forms) and m.is_sample


def test_clean_copy_has_no_issue(tmp_path):
    m = load_month("2023-08", make_month(tmp_path))
    assert m.issues == []


# -- finding the table -------------------------------------------------------

def test_header_anywhere_with_widths_spaces_breaks_units_and_aliases(tmp_path):
    header = ["序 号", "乡镇（苏木、街道）", "分散供养人数（人）", "其中：全失能\n人数", "半失能人数（人）", "说明"]
    rows = [[i, name, f"{n}", str(full), semi, None] for i, (name, n, full, semi) in enumerate(SEED_TOWNSHIPS, 1)]
    rows[0][2] = "２１"           # full-width digits stored as text
    rows[1][2] = " 325 "
    rows[2][2] = 169.0           # a float that is a whole number
    blocks = [["填报单位：敖汉旗民政局"], [], [], *township_sheet(rows, header, total=township_total(township_rows()))]
    data = make_month(tmp_path, townships=False)
    write_xlsx(data / "2023-08" / "随便起的名字.xlsx", blocks, sheet="八月")
    m = load_month("2023-08", data)
    assert m.errors == []
    assert m.townships.dispersed.sum() == 2700
    assert m.townships.source_sheet.iloc[0] == "八月"
    assert m.townships.source_row.iloc[0] == 2 + 3 + 2  # two title rows, three extra rows, header


def test_two_row_merged_header(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["附件1"])
    ws.append(["2023年8月分散供养人员分乡镇统计表"])
    ws.append(["序号", "乡镇苏木街道", "分散供养人数", "其中", None, "备注"])
    ws.append([None, None, None, "全失能人数", "半失能人数", None])
    for r in (3, 3):
        pass
    ws.merge_cells("D3:E3")
    for c in "ABCF":
        ws.merge_cells(f"{c}3:{c}4")
    for row in township_sheet()[1:]:
        ws.append(row)
    data = make_month(tmp_path, townships=False)
    wb.save(data / "2023-08" / "a1.xlsx")
    m = load_month("2023-08", data)
    assert m.errors == []
    assert (m.townships.fully_disabled.sum(), m.townships.semi_disabled.sum()) == (24, 184)
    assert m.townships.source_row.iloc[0] == 5


def test_trailing_blank_rows_and_footnotes_are_ignored(tmp_path):
    blocks = township_sheet() + [[], [], ["注：1.本表由各乡镇填报。"], ["2.全失能指生活完全不能自理。"], [None] * 6]
    data = make_month(tmp_path, townships=blocks)
    m = load_month("2023-08", data)
    assert m.errors == [] and len(m.townships) == 18


def test_data_after_total_is_reported_not_lost(tmp_path):
    rows = township_rows()
    extra = rows.pop()
    blocks = township_sheet(rows) + [extra]
    m = load_month("2023-08", make_month(tmp_path, townships=blocks))
    issue = one(m, "row_after_total")
    assert issue.row == 3 + len(rows) + 2 and issue.column == "乡镇苏木街道" and issue.fields["name"] == "长胜镇"
    assert "长胜镇" in issue.message
    assert one(m, "missing_name").value == "长胜镇"


def test_both_tables_in_one_workbook_and_sheet_names_free(tmp_path):
    data = make_month(tmp_path, townships=False, homes=False)
    wb = Workbook()
    ws1 = wb.active
    ws1.title = "乡镇"
    for r in township_sheet():
        ws1.append(r)
    ws2 = wb.create_sheet("敬老院情况")
    for r in home_sheet():
        ws2.append(r)
    wb.save(data / "2023-08" / "八月报表.xlsx")
    m = load_month("2023-08", data)
    assert m.errors == []
    assert m.homes.beds.sum() == 733 and m.townships.dispersed.sum() == 2700


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    data = make_month(tmp_path, townships=False)
    write_csv(data / "2023-08" / "附件1.csv", [["附件1"], *township_sheet()], encoding=encoding)
    m = load_month("2023-08", data)
    assert m.errors == [], [i.message for i in m.issues]
    assert m.townships.dispersed.sum() == 2700


def test_csv_row_numbers_and_gb18030_issue_location(tmp_path):
    rows = township_rows()
    rows[4][2] = "八十七"
    data = make_month(tmp_path, townships=False)
    write_csv(data / "2023-08" / "附件1.csv", township_sheet(rows, total=township_total(township_rows())), encoding="gb18030")
    m = load_month("2023-08", data)
    issue = one(m, "bad_number")
    assert (issue.file, issue.sheet, issue.row, issue.column, issue.value) == ("附件1.csv", "", 6, "分散供养人数", "八十七")
    assert "附件1.csv" in issue.message and "第6行" in issue.message and "C列" in issue.message


def test_xls_files_are_read(tmp_path):
    xlwt = pytest.importorskip("xlwt", reason="xlwt is in the test extras")
    data = make_month(tmp_path, homes=False)
    book = xlwt.Workbook()
    sh = book.add_sheet("Sheet1")
    for i, row in enumerate([["附件2"], *home_sheet()]):
        for j, v in enumerate(row):
            if v is not None:
                sh.write(i, j, v)
    book.save(str(data / "2023-08" / "附件2.xls"))
    m = load_month("2023-08", data)
    assert m.errors == [], [i.message for i in m.issues]
    assert (m.homes.beds.sum(), m.homes.residents.sum()) == (733, 341)


# -- the checks ---------------------------------------------------------------

def test_required_column_missing(tmp_path):
    header = TOWNSHIP_HEADER.copy()
    header[4] = "其他"
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(header=header)))
    issue = one(m, "missing_column")
    assert issue.column == "半失能人数" and issue.row == 3 and issue.severity == "error"


@pytest.mark.parametrize("value, why", [(12.5, "不是整数"), (-3, "不能为负数"), ("十二", "不是数字"), ("45%", "百分比")])
def test_count_not_whole_or_negative(tmp_path, value, why):
    rows = township_rows()
    rows[2][3] = value          # 丰收乡 全失能, Excel row 3 + 3 = 6, column D
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(rows, total=township_total(township_rows()))))
    issue = one(m, "bad_number")
    assert (issue.row, issue.column, issue.column_letter) == (6, "全失能人数", "D")
    assert why in issue.fields["why"] and issue.severity == "error"


def test_disabled_more_than_dispersed(tmp_path):
    rows = township_rows()
    rows[5][3], rows[5][4] = 10, 10   # 惠州街道办: 16 people
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(rows)))
    issue = one(m, "disabled_exceeds")
    assert issue.row == 9 and issue.column == "全失能人数"
    assert issue.fields == {"fully": 10, "semi": 10, "disabled": 20, "people": 16}


def test_residents_more_than_beds(tmp_path):
    rows = home_rows()
    rows[4][3] = 30   # 萨力巴乡敬老院 24 beds
    m = load_month("2023-08", make_month(tmp_path, homes=home_sheet(rows)))
    issue = one(m, "over_capacity")
    assert (issue.row, issue.column, issue.value) == (8, "现入住老人数（人）", "30")


def test_unknown_name_with_suggestion(tmp_path):
    rows = township_rows()
    rows[1][1] = "贝子府"
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(rows)))
    issue = one(m, "unknown_name")          # one mistake, one issue: 贝子府镇 is not also reported missing
    assert (issue.row, issue.column, issue.value) == (5, "乡镇苏木街道", "贝子府")
    assert issue.fields["name"] == "贝子府镇" and "“贝子府”应为“贝子府镇”？" in issue.message
    assert not by_code(m, "missing_name")


def test_unknown_name_far_from_the_missing_one_keeps_both_issues(tmp_path):
    rows = township_rows()
    rows[1][1] = "新会镇"                     # close to no missing name (贝子府镇 is far): two issues
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(rows)))
    assert "hint" in one(m, "unknown_name").fields
    assert one(m, "missing_name").value == "贝子府镇"


def test_unknown_home_with_suggestion(tmp_path):
    rows = home_rows()
    rows[3][1] = "古鲁板蒿敬老院"
    m = load_month("2023-08", make_month(tmp_path, homes=home_sheet(rows)))
    issue = one(m, "unknown_name")
    assert issue.row == 7 and issue.fields["name"] == "古鲁板蒿镇敬老院" and not by_code(m, "missing_name")


def test_duplicate_name(tmp_path):
    rows = township_rows()
    rows[3][1] = rows[2][1]   # 丰收乡 twice; 古鲁板蒿镇 missing
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(rows)))
    dup = one(m, "duplicate")
    assert (dup.row, dup.value) == (7, "丰收乡") and dup.fields["first_row"] == 6 and "第6行" in dup.message
    assert one(m, "missing_name").value == "古鲁板蒿镇"


def test_total_disagrees(tmp_path):
    rows = township_rows()
    total = township_total(rows)
    total[2] = 2699
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(rows, total=total)))
    issue = one(m, "total_mismatch")
    assert (issue.row, issue.column, issue.value) == (22, "分散供养人数", "2699")
    assert issue.fields == {"stated": 2699, "actual": 2700, "difference": -1}


def test_stated_needed_and_missing_disagree_with_policy(tmp_path):
    rows = home_rows()
    rows[4][4] = 14   # 萨力巴乡 24 beds: 14.4 -> 15 by policy
    rows[4][5] = -4
    m = load_month("2023-08", make_month(tmp_path, homes=home_sheet(rows)))
    need = one(m, "needed_mismatch")
    assert (need.row, need.column, need.value) == (8, "60%应住人数", "14")
    assert (need.fields["stated"], need.fields["beds"], need.fields["needed"]) == (14, 24, 15)
    miss = one(m, "missing_mismatch")
    assert (miss.row, miss.column, miss.value) == (8, "达到60%还应入住人数", "-4")
    assert (miss.fields["stated"], miss.fields["expected"]) == (-4, -3)


def test_folder_missing_empty_or_without_tables(tmp_path):
    data = make_month(tmp_path, townships=False, homes=False)
    assert one(load_month("2023-08", data), "folder_empty").severity == "error"
    assert one(load_month("2023-09", data), "folder_missing").severity == "error"
    write_xlsx(data / "2023-08" / "无关.xlsx", [["姓名", "电话"], ["甲", "1"]])
    m = load_month("2023-08", data)
    assert len(by_code(m, "table_missing")) == 2 and one(m, "no_table_in_file").file == "无关.xlsx"


def test_lock_files_and_other_files(tmp_path):
    data = make_month(tmp_path)
    (data / "2023-08" / "~$附件1.xlsx").write_bytes(b"lock")
    (data / "2023-08" / "说明.docx").write_bytes(b"doc")
    m = load_month("2023-08", data)
    assert m.errors == []
    assert one(m, "file_ignored").file == "说明.docx"


def test_empty_and_corrupt_files(tmp_path):
    data = make_month(tmp_path)
    (data / "2023-08" / "空.xlsx").write_bytes(b"")
    (data / "2023-08" / "坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    m = load_month("2023-08", data)
    assert one(m, "file_empty").file == "空.xlsx"
    assert one(m, "file_unreadable").file == "坏.xlsx"


# -- the command ------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "tekun_helpers.cli", *args], capture_output=True, text=True)


def test_cli_validate_ok():
    r = run_cli("validate", "--month", "2023-08")
    assert r.returncode == 0, r.stderr
    assert "2700" in r.stdout and "733" in r.stdout and "未发现问题" in r.stdout


def test_cli_validate_json_and_exit_codes(tmp_path):
    rows = township_rows()
    rows[0][2] = -1
    data = make_month(tmp_path, townships=township_sheet(rows, total=township_total(township_rows())))
    r = run_cli("validate", "--month", "2023-08", "--data-dir", str(data), "--json")
    assert r.returncode == 1
    items = json.loads(r.stdout)
    assert all(set(i) == {"severity", "file", "sheet", "row", "column", "value", "message"} for i in items)
    bad = [i for i in items if i["value"] == "-1"]
    assert bad and bad[0]["row"] == 4 and bad[0]["column"] == "分散供养人数"
    assert run_cli("validate", "--month", "2023-8").returncode == 2
    assert run_cli("validate").returncode == 2


def test_formulas_with_and_without_cached_values(tmp_path):
    rows = township_rows()
    total = township_total(rows)
    total[2] = "=SUM(C4:C21)"          # openpyxl saves no computed value
    rows[0][5] = '=HYPERLINK("http://x","y")'
    m = load_month("2023-08", make_month(tmp_path, townships=township_sheet(rows, total=total)))
    assert m.errors == [], [i.message for i in m.errors]
    f = one(m, "total_formula")
    assert (f.row, f.column, f.severity) == (22, "分散供养人数", "warning") and "SUM" in f.fields["formula"]
    t = one(m, "formula_text")
    assert (t.row, t.column) == (4, "备注") and m.townships.note.iloc[0] == '=HYPERLINK("http://x","y")'
    rows = township_rows()
    rows[3][2] = "=100+61"
    m = load_month("2023-08", make_month(tmp_path / "b", townships=township_sheet(rows, total=township_total(township_rows()))))
    bad = one(m, "bad_number")
    assert (bad.row, bad.column, bad.severity) == (7, "分散供养人数", "error") and "公式" in bad.fields["why"]
