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

from builders import (ENGLISH_ERROR, HOME_HEADER, TOWNSHIP_HEADER, bundled_month, by_code, home_rows, home_sheet,
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
