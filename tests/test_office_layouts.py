"""Layouts that offices really send (issue 34, classes 1 to 3): each read as a careful person would.

Class 1, merged group cells: a merged 敬老院名称 over a home's staff rows, merged village cells in 附件3,
  filled down where they group rows and only there.
Class 2, signature lines: 填报人：… 审核人：… 填报日期： and 单位负责人： under a table, skipped with a note.
Class 3, layouts that vary: a title row above the header is never glued into it; extra columns anywhere;
  headers over up to three rows; two tables side by side on one sheet.
Every input is built here; the tests assert issue codes and fields, not wording.
"""
from __future__ import annotations

import re

from openpyxl import Workbook, load_workbook

from builders import (rewrite_entry, ENGLISH_ERROR, HOME_HEADER, TOWNSHIP_HEADER, bundled_month, by_code, home_rows, home_sheet,
                      home_total, make_month, one, township_rows, township_sheet, township_total, write_csv,
                      write_xlsx)
from tekun_helpers import load_month
from tekun_helpers.config.schema import ASSESSMENT_HEADER

MONTH = "2023-08"
STAFF = "敬老院工作人员台账 2023-08.xlsx"


def clean(m):
    for i in m.issues:
        assert not re.search(ENGLISH_ERROR, i.message), i.message


def codes(m):
    return sorted({i.code for i in m.issues})


def person(seq, village, name, age=70):
    return [seq, village, name, "男", age, None, None, None, "自理", "自有", "整洁干净", "较好", "较好", "是", "是",
            "否", "较好", None]


def write_rows(path, rows, merges=()):
    """A workbook of ``rows`` (row 1 first) with ``merges`` ('A3:A9') merged; returns the path."""
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(list(r))
    for ref in merges:
        ws.merge_cells(ref)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# -- class 2: signature lines ---------------------------------------------------------------------------------

def test_signature_lines_under_a_form_are_skipped_with_a_note(tmp_path):
    data = make_month(tmp_path)
    rows = ["附件3", "填报单位：下洼镇"]
    people = [person(1, "甲村", "张三"), person(2, "乙村", "李四"),
              ["填报人：王五", None, None, None, "审核人：赵六", None, None, "填报日期：2023年9月30日"],
              [None, "单位负责人：", "钱七"]]
    write_xlsx(data / MONTH / "附件3.xlsx", [ASSESSMENT_HEADER, *people], title_rows=rows)
    m = load_month(MONTH, data)
    clean(m)
    assert len(m.assessments) == 2 and set(m.assessments.name) == {"张三", "李四"}
    notes = by_code(m, "signature_line")
    assert [(i.file, i.row) for i in notes] == [("附件3.xlsx", 6), ("附件3.xlsx", 7)]
    assert notes[0].fields["text"].startswith("填报人：王五") and not notes[0].is_error
    assert not by_code(m, "empty_name") and not by_code(m, "empty_value")


def test_signature_lines_under_attachment_2_are_not_homes(tmp_path):
    rows = home_sheet() + [["填报人：", "王五", None, "审核人：", "赵六", None, "联系电话：", 13912345678],
                           ["单位负责人：李四", None, None, None, None, "填报日期：", "2023-08-31"]]
    m = load_month(MONTH, make_month(tmp_path, homes=rows))
    clean(m)
    assert m.ok, codes(m)
    assert len(m.homes) == 14
    assert [i.row for i in by_code(m, "signature_line")] == [19, 20]


def test_a_signature_line_in_a_csv(tmp_path):
    data = make_month(tmp_path, townships=False)
    write_csv(data / MONTH / "附件1.csv", [["附件1"], *township_sheet(), ["填报人：王五", "", "审核人：赵六"]])
    m = load_month(MONTH, data)
    assert m.ok, codes(m)
    note = one(m, "signature_line")
    assert (note.file, note.sheet, note.row) == ("附件1.csv", "", 22)


def test_a_row_after_the_signature_line_is_still_reported(tmp_path):
    rows = township_sheet(total=False) + [["填报人：王五"], [19, "新地方", 3, 0, 0]]
    m = load_month(MONTH, make_month(tmp_path, townships=rows))
    assert one(m, "signature_line").row == 22
    assert one(m, "row_after_total").row == 23


# -- class 1: merged group cells ----------------------------------------------------------------------------

def _merge_groups(path, column: int, first_row: int):
    """Merge the runs of equal values in ``column`` (1-based) from ``first_row`` down, as a clerk formats a
    ledger: the value stays in the run's first cell. Returns the number of ranges merged."""
    wb = load_workbook(path)
    ws = wb.active
    runs, start, last = [], None, None
    for r in range(first_row, ws.max_row + 2):
        v = ws.cell(r, column).value if r <= ws.max_row else None
        if v != last or v is None:
            if start is not None and r - 1 > start:
                runs.append((start, r - 1))
            start, last = (r, v) if v is not None else (None, None)
    for a, b in runs:
        for r in range(a + 1, b + 1):
            ws.cell(r, column).value = None
        ws.merge_cells(start_row=a, start_column=column, end_row=b, end_column=column)
    wb.save(path)
    return len(runs)


def test_a_merged_home_name_over_its_staff_rows_is_filled_down(tmp_path):
    data = bundled_month(tmp_path)
    before = load_month(MONTH, data).staff
    assert _merge_groups(data / MONTH / STAFF, 2, 4) >= 10
    m = load_month(MONTH, data)
    clean(m)
    assert not [i for i in m.issues if i.file == STAFF], [i.message for i in m.issues if i.file == STAFF][:3]
    assert m.staff.equals(before)


def test_merged_villages_in_a_form_are_filled_down_and_namesakes_differ(tmp_path):
    data = make_month(tmp_path)
    people = [person(1, "甲村", "张三", 70), person(2, None, "李四", 80), person(3, None, "王五", 75),
              person(4, "乙村", "张三", 70), person(5, None, "赵六", 66)]
    write_rows(data / MONTH / "附件3.xlsx", [["附件3"], ["填报单位：下洼镇"], list(ASSESSMENT_HEADER), *people],
               merges=("B4:B6", "B7:B8"))
    m = load_month(MONTH, data)
    clean(m)
    assert list(m.assessments.village) == ["甲村", "甲村", "甲村", "乙村", "乙村"]
    assert not by_code(m, "duplicate_person") and not by_code(m, "same_name_person")


def test_without_the_merge_the_namesakes_are_a_duplicate(tmp_path):
    data = make_month(tmp_path)
    people = [person(1, "甲村", "张三", 70), person(2, "甲村", "张三", 70)]
    write_rows(data / MONTH / "附件3.xlsx", [["附件3"], ["填报单位：下洼镇"], list(ASSESSMENT_HEADER), *people])
    assert one(load_month(MONTH, data), "duplicate_person").row == 5


def test_only_grouping_columns_are_filled_down(tmp_path):
    data = make_month(tmp_path)
    people = [person(1, "甲村", "张三", 70), person(2, "甲村", "李四", None), person(3, "甲村", "王五", 75)]
    people[0][17] = "同住一户"
    write_rows(data / MONTH / "附件3.xlsx", [["附件3"], ["填报单位：下洼镇"], list(ASSESSMENT_HEADER), *people],
               merges=("E4:E5", "R4:R6"))           # a merged age and a merged note are not grouping cells
    m = load_month(MONTH, data)
    issue = one(m, "empty_value")
    assert (issue.row, issue.column_letter) == (5, "E")
    assert list(m.assessments.note) == ["同住一户", "", ""]


def test_merged_home_names_in_attachment_2_are_not_filled(tmp_path):
    rows = home_rows()
    rows[1][1] = None                                    # the second home's name left blank under a merge
    data = make_month(tmp_path, homes=False)
    write_rows(data / MONTH / "附件2.xlsx", [["附件2"], ["统计表"], HOME_HEADER, *rows, home_total(rows)],
               merges=("B4:B5",))
    m = load_month(MONTH, data)
    assert one(m, "empty_name").row == 5                 # one row per home: a merge there is not a group


def test_merged_villages_in_an_xls_form(tmp_path):
    import xlwt

    data = make_month(tmp_path)
    book = xlwt.Workbook()
    ws = book.add_sheet("Sheet1")
    rows = [["附件3"], ["填报单位：下洼镇"], list(ASSESSMENT_HEADER),
            person(1, None, "张三", 70), person(2, None, "李四", 80), person(3, "乙村", "张三", 70)]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None and not (r == 3 and c == 1):
                ws.write(r, c, v)
    ws.write_merge(3, 4, 1, 1, "甲村")
    book.save(str(data / MONTH / "附件3.xls"))
    m = load_month(MONTH, data)
    assert list(m.assessments.village) == ["甲村", "甲村", "乙村"]
    assert not by_code(m, "duplicate_person")


# -- class 3: titles, extra columns, deep headers, tables side by side -----------------------------------------

TITLE = "敖汉旗养老机构8月情况统计表"


def _with_column(rows, at, header, value):
    """``rows`` (header first, then data, then the 合计) with a column inserted at ``at``."""
    out = []
    for k, r in enumerate(rows):
        r = list(r) + [None] * (len(HOME_HEADER) - len(r))
        r.insert(at, header if k == 0 else (value if k < len(rows) - 1 else None))
        out.append(r)
    return out


def _homes_file(data, rows, merges=(), name="附件2.xlsx"):
    return write_rows(data / MONTH / name, [["附件2"], [TITLE], *rows], merges=merges)


def test_a_title_row_is_never_glued_into_the_header(tmp_path):
    for at, header in ((0, "所属乡镇"), (4, "床位使用率"), (10, "所属乡镇")):
        data = make_month(tmp_path / str(at), homes=False)
        rows = _with_column(home_sheet(), at, header, "x")
        _homes_file(data, rows, merges=("A2:K2",))
        m = load_month(MONTH, data)
        clean(m)
        assert m.ok and not by_code(m, "duplicate_column"), (at, [i.message for i in m.issues])
        assert len(m.homes) == 14 and int(m.homes.beds.sum()) == 733 and int(m.homes.staff.sum()) == 79
        t = next(t for t in m.tables if t.table.key == "homes")
        assert t.header_row == 3 and TITLE not in t.columns["home"].label


def test_a_title_row_over_a_form_with_an_extra_column(tmp_path):
    data = make_month(tmp_path)
    header = list(ASSESSMENT_HEADER) + ["联系电话"]
    people = [person(1, "甲村", "张三") + ["13900000000"], person(2, "乙村", "李四") + [None]]
    write_rows(data / MONTH / "附件3.xlsx", [["敖汉旗分散供养特困人员排查评估表"], ["填报单位：下洼镇"], header, *people],
               merges=("A1:S1",))
    m = load_month(MONTH, data)
    assert len(m.assessments) == 2 and not [i for i in m.issues if i.file == "附件3.xlsx" and i.is_error]


def test_an_extra_column_that_holds_a_label_is_only_a_warning(tmp_path):
    data = make_month(tmp_path, homes=False)
    rows = _with_column(home_sheet(), 10, "入住人数占比", 0.5)
    _homes_file(data, rows)
    m = load_month(MONTH, data)
    assert m.ok
    issue = one(m, "duplicate_optional_column")
    assert (issue.row, issue.column_letter, issue.fields["read_letter"]) == (3, "K", "D")
    assert int(m.homes.residents.sum()) == 341


HEADER_3 = (["序号", "名称", "床位及入住情况", None, None, None, "工作人员人数", "负责人", "联系电话", "备注"],
            [None, None, "实有床位数", "现入住老人数", "按60%入住率", None, None, None, None, None],
            [None, None, "（张）", "（人）", "应住人数", "还应入住人数", None, None, None, None])
MERGES_3 = ("A2:J2", "C3:F3", "E4:F4", "A3:A5", "B3:B5", "G3:G5", "H3:H5", "I3:I5", "J3:J5", "C4:C5", "D4:D5")


def test_a_header_over_three_rows_reads_every_column(tmp_path):
    rows = home_rows()
    rows[0][4] = 70                                      # a wrong 60%应住人数 must be found
    data = make_month(tmp_path, homes=False)
    _homes_file(data, [*HEADER_3, *rows, home_total(rows)], merges=MERGES_3)
    m = load_month(MONTH, data)
    clean(m)
    t = next(t for t in m.tables if t.table.key == "homes")
    assert t.header_row == 5
    assert {k: c.letter for k, c in t.columns.items() if k in ("beds", "needed_stated", "missing_stated")} == \
        {"beds": "C", "needed_stated": "E", "missing_stated": "F"}
    issue = one(m, "needed_mismatch")
    assert (issue.row, issue.column_letter, issue.fields["stated"]) == (6, "E", 70)
    assert len(m.homes) == 14 and not by_code(m, "missing_column")


def test_a_header_over_three_rows_in_a_csv(tmp_path):
    data = make_month(tmp_path, townships=False)
    header = [["序号", "乡镇苏木街道", "分散供养人数", "其中", None, "备注"],
              [None, None, None, "失能情况", None, None],
              [None, None, None, "全失能人数", "半失能人数", None]]
    write_csv(data / MONTH / "附件1.csv", [["附件1"], *header, *township_sheet()[1:]])
    m = load_month(MONTH, data)
    assert m.ok, [i.message for i in m.issues]
    t = next(t for t in m.tables if t.table.key == "townships")
    assert t.header_row == 4 and t.columns["fully_disabled"].letter == "D" and t.columns["semi_disabled"].letter == "E"
    assert int(m.townships.fully_disabled.sum()) == 24 and int(m.townships.semi_disabled.sum()) == 184


def _side_by_side(gap: bool):
    left, right = township_sheet(), home_sheet()
    out = []
    for k in range(max(len(left), len(right))):
        a = list(left[k]) if k < len(left) else []
        a += [None] * (6 - len(a)) + ([None] if gap else [])
        out.append(a + (list(right[k]) if k < len(right) else []))
    return out


def test_two_tables_side_by_side_are_each_read(tmp_path):
    for gap in (True, False):
        data = make_month(tmp_path / str(gap), townships=False, homes=False)
        write_rows(data / MONTH / "附件1和附件2.xlsx", [["附件1、附件2"], *_side_by_side(gap)])
        m = load_month(MONTH, data)
        clean(m)
        assert m.ok, (gap, [i.message for i in m.issues])
        assert len(m.townships) == 18 and int(m.townships.dispersed.sum()) == 2700
        assert len(m.homes) == 14 and int(m.homes.beds.sum()) == 733
        homes = next(t for t in m.tables if t.table.key == "homes")
        assert homes.columns["home"].letter == ("I" if gap else "H")


def test_a_cell_error_in_the_right_hand_table_names_its_own_column(tmp_path):
    data = make_month(tmp_path, townships=False, homes=False)
    rows = _side_by_side(True)
    rows[3][9] = "很多"                                  # 实有床位数 of the third home, column J
    write_rows(data / MONTH / "附件1和附件2.xlsx", [["附件1、附件2"], *rows])
    m = load_month(MONTH, data)
    issue = one(m, "bad_number")
    assert (issue.row, issue.column_letter, issue.value) == (5, "J", "很多")
    assert not by_code(m, "unknown_name") and len(m.errors) == 1


def test_a_row_of_column_numbers_under_the_header_is_no_data(tmp_path):
    rows = [TOWNSHIP_HEADER, ["甲", "乙", 1, 2, 3, 4], *township_sheet()[1:]]
    m = load_month(MONTH, make_month(tmp_path, townships=rows))
    assert m.ok, [i.message for i in m.issues]
    assert len(m.townships) == 18 and int(m.townships.dispersed.sum()) == 2700


def test_a_first_data_row_is_never_taken_for_column_numbers(tmp_path):
    rows = township_sheet()
    rows[1] = [1, 2, 3, 4, 5]                           # a broken first row: its name is a number, still reported
    m = load_month(MONTH, make_month(tmp_path, townships=rows))
    assert one(m, "unknown_name").row == 4


def test_column_numbers_over_every_column(tmp_path):
    rows = [TOWNSHIP_HEADER, [1, 2, 3, 4, 5, 6], *township_sheet()[1:]]
    m = load_month(MONTH, make_month(tmp_path, townships=rows))
    assert m.ok and len(m.townships) == 18


def test_more_signature_lines(tmp_path):
    rows = township_sheet() + [["填报单位（盖章）：", None, "制表：王五"], ["领导签字："], ["电话：", 13912345678]]
    m = load_month(MONTH, make_month(tmp_path, townships=rows))
    assert m.ok and [i.row for i in by_code(m, "signature_line")] == [23, 24, 25]


def test_merged_villages_in_an_ods_form(tmp_path):
    import io
    import zipfile

    import pandas as pd

    data = make_month(tmp_path)
    people = [person(1, "甲村", "张三", 70), person(2, None, "李四", 80), person(3, "乙村", "张三", 70)]
    rows = [["附件3"], ["填报单位：下洼镇"], list(ASSESSMENT_HEADER), *people]
    path = data / MONTH / "附件3.ods"
    pd.DataFrame([r + [None] * (18 - len(r)) for r in rows]).to_excel(path, engine="odf", header=False, index=False)

    def span_two_rows(body: bytes) -> bytes:
        cell = re.search(rb'<table:table-cell [^>]*><text:p>\xe7\x94\xb2\xe6\x9d\x91</text:p>', body).group(0)
        return body.replace(cell, cell.replace(b"<table:table-cell ", b'<table:table-cell table:number-rows-spanned="2" '), 1)

    rewrite_entry(path, "content.xml", span_two_rows)
    m = load_month(MONTH, data)
    clean(m)
    assert list(m.assessments.village) == ["甲村", "甲村", "乙村"]
    assert not by_code(m, "duplicate_person")


def test_a_units_row_under_the_header_is_part_of_it(tmp_path):
    header = ["序号", "名称", "实有床位数", "现入住老人数", "60%应住人数", "还应入住人数", "工作人员人数", "负责人", "联系电话",
              "备注"]
    units = [None, None, "（张）", "（人）", "（人）", "（人）", "（人）"]
    data = make_month(tmp_path, homes=False)
    rows = home_rows()
    _homes_file(data, [header, units, *rows, home_total(rows)])
    m = load_month(MONTH, data)
    assert m.ok, [i.message for i in m.issues]
    assert next(t for t in m.tables if t.table.key == "homes").header_row == 4 and len(m.homes) == 14


def test_a_title_with_a_note_beside_it_is_not_glued_either(tmp_path):
    data = make_month(tmp_path, homes=False)
    rows = _with_column(home_sheet(), 4, "床位使用率", 0.5)
    write_rows(data / MONTH / "附件2.xlsx", [["附件2"], [TITLE] + [None] * 9 + ["单位：张、人"], *rows],
               merges=("A2:J2",))
    m = load_month(MONTH, data)
    assert m.ok and not by_code(m, "duplicate_optional_column"), [i.message for i in m.issues]
    assert len(m.homes) == 14


def test_a_huge_number_under_the_header_is_a_cell_error_not_a_sheet_failure(tmp_path):
    rows = township_sheet()
    rows.insert(1, ["甲", "9" * 5000, 1, 2, 3])
    m = load_month(MONTH, make_month(tmp_path, townships=rows))
    clean(m)
    assert not by_code(m, "sheet_failed")
    assert len(m.townships) == 18


def test_two_tables_side_by_side_without_sequence_columns(tmp_path):
    left = [r[1:] for r in township_sheet()]
    right = [r[1:] for r in home_sheet()]
    left[-1][0] = right[-1][0] = "合计"
    rows = [(list(left[k]) if k < len(left) else [None] * 5) + (list(right[k]) if k < len(right) else [])
            for k in range(len(left))]
    data = make_month(tmp_path, townships=False, homes=False)
    write_rows(data / MONTH / "附件1和附件2.xlsx", [["附件1、附件2"], *rows])
    m = load_month(MONTH, data)
    assert m.ok, [i.message for i in m.issues]
    assert len(m.townships) == 18 and len(m.homes) == 14
    assert next(t for t in m.tables if t.table.key == "homes").columns["home"].letter == "F"


def test_one_list_wrapped_into_two_blocks_of_columns(tmp_path):
    sheet = township_sheet()
    left, right = sheet[:10], [sheet[0], *sheet[10:]]        # 9 townships on the left, 9 and the 合计 on the right
    rows = [(list(left[k]) if k < len(left) else [None] * 6) + (list(right[k]) if k < len(right) else [])
            for k in range(len(right))]
    data = make_month(tmp_path, townships=False)
    write_rows(data / MONTH / "附件1.xlsx", [["附件1"], *rows])
    m = load_month(MONTH, data)
    assert m.ok and not by_code(m, "no_total"), [i.message for i in m.issues]
    assert len(m.townships) == 18 and int(m.townships.dispersed.sum()) == 2700
    rows[3][8] += 1                                          # one figure wrong on the right: the shared total says so
    write_rows(data / MONTH / "附件1.xlsx", [["附件1"], *rows])
    issue = one(load_month(MONTH, data), "total_mismatch")
    assert (issue.row, issue.column_letter, issue.fields["difference"]) == (12, "I", -1)
