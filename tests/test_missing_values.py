"""A count that cannot be read, in the normal month: one cell broken in a copy of the whole bundled month.

The month holds 附件1, 附件2, the 附件3 forms, the ledgers, the rosters and the money ledger, so every
cross-table check meets the missing value (附件3 counts against 附件1, staff roster against 附件2, nursing
beds against the beds...). The cell's own error is the only new issue: every other check takes the
missing value as "cannot check". Each case is checked through load_month and through `tekun validate`.
"""
from __future__ import annotations

import re

import pytest

from builders import ATT1, ATT2, ENGLISH_ERROR, bundled_month, edit_cell, tekun
from tekun_helpers import load_month

MONTH = "2023-08"

# (file, column header, row name, value written, issue code, words of the message)
CASES = {
    "blank_staff": (ATT2, "工作人员人数", "新惠镇敬老院", None, "empty_number", "为空"),
    "blank_beds": (ATT2, "实有床位数", "新惠镇敬老院", None, "empty_number", "为空，应填写床位数"),
    "na_beds": (ATT2, "实有床位数", "贝子府镇敬老院", "#N/A", "bad_number", "“#N/A”不是数字"),
    "blank_residents": (ATT2, "现入住老人数", "贝子府镇敬老院", None, "empty_number", "为空"),
    "words_staff": (ATT2, "工作人员人数", "敖汉旗新惠中心敬老院", "一百六十九", "bad_number", "“一百六十九”不是数字"),
    "words_dispersed": (ATT1, "分散供养人数", "丰收乡", "一百六十九", "bad_number", "“一百六十九”不是数字"),
    "na_dispersed": (ATT1, "分散供养人数", "贝子府镇", "#N/A", "bad_number", "“#N/A”不是数字"),
}


def _key(i):
    return (i.severity, i.code, i.file, i.sheet, i.row, i.column_letter, i.value)


@pytest.fixture(scope="module", params=sorted(CASES))
def broken(request, tmp_path_factory):
    """The month with this case's cell broken, made once for both tests of the case (neither changes it)."""
    file, column, row_name, value, code, words = CASES[request.param]
    data = bundled_month(tmp_path_factory.mktemp(request.param))
    row, letter = edit_cell(data / MONTH / file, column, row_name, value)
    return data, file, row, letter, code, words


def test_the_copy_holds_every_kind_of_table(tmp_path):
    """The cases below are only worth something if the cross-table checks run: the folder holds every table."""
    m = load_month(MONTH, bundled_month(tmp_path))
    kinds = {t.table.key for t in m.tables}
    assert {"townships", "homes", "assessments", "progress", "staff", "home_care", "benefits", "funds",
            "spending"} <= kinds, kinds
    assert m.ok, [i.message for i in m.errors]


def test_load_month_reports_the_cell_and_nothing_else(broken, seed_month):
    data, file, row, letter, code, words = broken
    m = load_month(MONTH, data)
    before = {_key(i) for i in seed_month.issues}
    new = [i for i in m.issues if _key(i) not in before]
    assert len(new) == 1, [i.message for i in new]
    issue = new[0]
    assert (issue.severity, issue.code, issue.file, issue.sheet, issue.row, issue.column_letter) == \
        ("error", code, file, "Sheet1", row, letter)
    assert f"《{file}》" in issue.message and f"第{row}行{letter}列" in issue.message and words in issue.message


def test_tekun_validate_prints_the_issue_without_a_traceback(broken):
    data, file, row, letter, code, words = broken
    run = tekun("validate", "--month", MONTH, "--data-dir", data)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out[-2000:]
    assert not re.search(ENGLISH_ERROR, out), out[-2000:]
    lines = [line for line in run.stdout.splitlines() if f"《{file}》" in line and f"第{row}行{letter}列" in line]
    assert len(lines) == 1 and "[错误]" in lines[0] and words in lines[0], out[-2000:]
    assert "错误 1 项" in run.stdout, run.stdout[-500:]
