"""The complaints and media register (举报与媒体报道问题登记表, plan 四（四））: the form written blank, filled in and
read back; its checks; each open case a finding followed in the register; page 1; the township briefing."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from builders import by_code, make_month
from tekun_helpers.analysis import register as rg
from tekun_helpers.forms.complaints import SHEET, complaints_filename, write_complaints_form
from tekun_helpers.forms.layout import FIRST_DATA_ROW, HEADER_ROW
from tekun_helpers.month import load_month

MONTH = "2023-08"
D = dt.date


def case(no="JB-2023-001", **more) -> dict:
    row = {"case_no": no, "received_on": D(2023, 8, 3), "channel": "电话", "township": "丰收乡",
           "home": "丰收乡敬老院", "person_name": "张小明", "category": "照料不到位",
           "summary": "反映敬老院夜间无人值守", "unit": "丰收乡", "deadline": D(2023, 8, 20)}
    row.update(more)
    return row


def _fill(path, rows):
    """Type ``rows`` into the blank register at ``path`` the way a clerk does: by the headers' labels."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    column = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    labels = {"case_no": "登记编号", "received_on": "受理日期", "channel": "来源渠道", "township": "乡镇苏木街道",
              "home": "涉及敬老院", "person_name": "涉及人员", "category": "问题类别", "summary": "反映的问题",
              "unit": "承办单位", "deadline": "办理期限", "found": "调查核实情况", "result": "处理结果",
              "closed_on": "办结日期", "published_on": "公布日期"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            ws.cell(FIRST_DATA_ROW + n, column[labels[key]], value)
    wb.save(path)
    return column


def filled_month(tmp_path, rows):
    data = make_month(tmp_path)
    subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "forms", "--month", MONTH, "--kind", "举报",
                    "--data-dir", str(data), "--out", str(data / MONTH / "举报")], check=True, capture_output=True)
    path = data / MONTH / "举报" / complaints_filename(MONTH)
    assert path.is_file()
    _fill(path, rows)
    return data


def test_blank_register_filled_in_reads_back_without_issues(tmp_path):
    rows = [case(), case("JB-2023-002", channel="媒体", home=None, person_name=None, township="新惠镇",
                         category="资金挪用", summary="媒体报道某村特困供养金发放不及时", unit="新惠镇",
                         deadline=D(2023, 8, 25), found="经查发放晚了 10 天", result="已补发并约谈经办人员",
                         closed_on=D(2023, 8, 18), published_on=D(2023, 8, 25))]
    m = load_month(MONTH, filled_month(tmp_path, rows))
    mine = [i for i in m.issues if i.file and "举报" in i.file]
    assert mine == [], [i.message for i in mine]
    df = m.complaints
    assert list(df["case_no"]) == ["JB-2023-001", "JB-2023-002"]
    assert df.loc[1, "closed_on"] == D(2023, 8, 18) and df.loc[1, "channel"] == "媒体"
    assert df.loc[0, "home"] == "丰收乡敬老院" and df.loc[0, "unit"] == "丰收乡"


@pytest.mark.parametrize("edit, code, column", [
    ({"channel": "托梦"}, "complaint_unknown_choice", "来源渠道"),
    ({"category": "别的事"}, "complaint_unknown_choice", "问题类别"),
    ({"deadline": D(2023, 8, 1)}, "complaint_dates", "办理期限"),
    ({"closed_on": D(2023, 8, 10)}, "complaint_no_result", "处理结果"),
    ({"found": "查明", "result": "已整改", "closed_on": D(2023, 8, 10), "published_on": D(2023, 8, 9)},
     "complaint_dates", "公布日期"),
    ({"published_on": D(2023, 8, 9)}, "complaint_dates", "公布日期"),
    ({"received_on": D(2023, 9, 2), "deadline": D(2023, 9, 20)}, "complaint_dates", "受理日期"),
])
def test_a_bad_row_is_an_error_at_its_cell(tmp_path, edit, code, column):
    m = load_month(MONTH, filled_month(tmp_path, [case(**edit)]))
    found = by_code(m, code)
    assert found and m.errors == found and found[0].column == column and found[0].row == FIRST_DATA_ROW
