"""tekun feedback as a township reads it, over several rounds (issue 32).

- a misspelt township name is one issue ("玛尼汗乡 应为 玛尼罕乡？"), not also "玛尼罕乡 missing", and the
  township is not told that the bureau's 附件1 lacks its row;
- no receipt or returned workbook names the software's files or keys;
- a unit that sent nothing is asked to send ("未收到…，请于…前报送");
- a returned copy sent back and returned again keeps one （退回修改）; a file unchanged since the last round
  reports nothing fixed; times are to the minute.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from builders import ROOT, make_month, township_rows, township_sheet, workbook_text
from tekun_helpers import load_month
from tekun_helpers.forms.feedback import write_feedback
from tekun_helpers.forms.markup import RETURNED_MARK

MONTH = "2023-08"
BANNER = "敖汉旗"
WHEN = dt.datetime(2023, 9, 4, 14, 7)
#: what a township must never read: the software's files and keys
SOFTWARE_WORDS = ("policy.toml", "county.toml", "townships.csv", "nursing_homes.csv", ".csv", "resubmit_within_days",
                  "[feedback]", "[occupancy]", "[benefits]")


def misspelt_month(tmp: Path, right: str, wrong: str) -> Path:
    """The seed's 附件1 with the township ``right`` written ``wrong``."""
    rows = township_rows()
    (row,) = [r for r in rows if r[1] == right]
    row[1] = wrong
    return make_month(tmp, townships=township_sheet(rows))


def all_text(folder: Path) -> dict[str, str]:
    return {p.name: workbook_text(p) for p in sorted(folder.rglob("*.xlsx"))}


@pytest.fixture(scope="module")
def misspelt(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("misspelt")
    right = township_rows()[3][1]
    wrong = right[:-2] + "汗" + right[-1] if right[-2] != "汗" else right[:-2] + "罕" + right[-1]
    data = misspelt_month(tmp, right, wrong)
    res = write_feedback(MONTH, data, tmp / "out", today=WHEN)
    return right, wrong, data, res


def test_a_misspelt_township_is_one_issue(misspelt):
    right, wrong, data, _ = misspelt
    issues = load_month(MONTH, data).issues
    about = [i for i in issues if right in i.message or wrong in i.message]
    assert len(about) == 1, [i.message for i in about]
    (one,) = about
    assert one.is_error and one.code == "unknown_name"
    assert f"“{wrong}”应为“{right}”？" in one.message
    assert not any(i.code == "missing_name" for i in issues)


def test_a_name_not_close_to_any_missing_one_stays_two_issues(tmp_path):
    rows = township_rows()
    missing = rows[0][1]
    rows[0][1] = "新会镇"
    issues = load_month(MONTH, make_month(tmp_path, townships=township_sheet(rows))).issues
    assert {i.code for i in issues if "新会镇" in i.message or missing in i.message} == {"unknown_name", "missing_name"}


def test_the_township_is_not_asked_for_the_bureaus_table(misspelt):
    right, _, _, res = misspelt
    town = res.owner(right)
    assert not any("附件1" in m for m in town.receipt.missing), town.receipt.missing
    text = workbook_text(town.receipt_path)
    assert "附件1" not in text and "没有" + right not in text


def test_no_file_or_key_of_the_software_in_receipts_or_returned_workbooks(misspelt):
    _, _, _, res = misspelt
    texts = all_text(res.folder)
    assert any(RETURNED_MARK in name for name in texts) and any(name.startswith("回执") for name in texts)
    leaks = {name: [w for w in SOFTWARE_WORDS if w in text] for name, text in texts.items()}
    assert not any(leaks.values()), {k: v for k, v in leaks.items() if v}


def test_a_unit_that_sent_nothing_is_asked_to_send(misspelt):
    right, _, _, res = misspelt
    text = workbook_text(res.owner(right).receipt_path)
    assert "未收到本单位 2023-08 的表格，请于 " in text and f"{res.deadline.isoformat()} 前报送" in text
    assert "未发现问题" not in text and "报回改正后的表格" not in text


def test_receipt_and_returned_copy_are_timed_to_the_minute(misspelt):
    _, _, _, res = misspelt
    assert "回执时间：2023-09-04 14:07" in workbook_text(res.owner(BANNER).receipt_path)
    wb = openpyxl.load_workbook(res.owner(BANNER).files[0].copy)
    assert wb.properties.modified == WHEN


def _send_back(res, data: Path, name: str, change=None) -> str:
    """The township sends the returned copy of ``name`` back as it got it (its name and all), after ``change``."""
    copy = next(f.copy for f in res.owner(BANNER).files if f.source.name == name)
    wb = openpyxl.load_workbook(copy)
    if change:
        change(wb.worksheets[1])
    (data / MONTH / name).unlink()
    wb.save(data / MONTH / copy.name)
    return copy.name


def test_three_rounds_keep_one_mark_and_an_unchanged_file_reports_nothing_fixed(tmp_path):
    rows = township_rows()
    rows[1][4] = "十四"                                   # E5: text in a number cell
    rows[2][4] = "三"                                     # E6: the same
    data = make_month(tmp_path, townships=township_sheet(rows))
    out = tmp_path / "out"
    first = write_feedback(MONTH, data, out, today=WHEN)

    def fix_e5(ws):
        ws["E5"] = 14
    name = _send_back(first, data, "附件1.xlsx", fix_e5)
    second = write_feedback(MONTH, data, out, today=WHEN + dt.timedelta(days=1))
    f = next(f for f in second.owner(BANNER).files if f.source.name == name)
    assert len(f.changes.fixed) == 1 and f.changes.cells == ["Sheet1!E5"]
    assert f.copy.name == "附件1" + RETURNED_MARK + ".xlsx"

    again = write_feedback(MONTH, data, out, today=WHEN + dt.timedelta(days=1))      # the same folder: a re-run
    assert len(next(f for f in again.owner(BANNER).files if f.source.name == name).changes.fixed) == 1

    # third round: another file changes, 附件1 does not
    wb = openpyxl.load_workbook(data / MONTH / "附件2.xlsx")
    wb.worksheets[0]["H4"] = "张三"
    wb.save(data / MONTH / "附件2.xlsx")
    third = write_feedback(MONTH, data, out, today=WHEN + dt.timedelta(days=2, minutes=5))
    f = next(f for f in third.owner(BANNER).files if f.source.name == name)
    assert f.changes.unchanged and not f.changes.fixed and not f.changes.cells and len(f.changes.remaining) == 1
    assert f.copy.name == "附件1" + RETURNED_MARK + ".xlsx"
    line = next(r for r in third.owner(BANNER).receipt.files if r.name == name)
    assert "已改正" not in line.changes and "文件未改动" in line.changes
    text = workbook_text(f.copy)
    assert "文件没有改动" in text and "已改正 1 项" not in text

    # fourth round: the township sends the copy of the copy back; the name still has one mark
    name2 = _send_back(third, data, name)
    assert name2 == name
    fourth = write_feedback(MONTH, data, out, today=WHEN + dt.timedelta(days=3))
    names = [p.name for p in fourth.folder.joinpath(BANNER).iterdir()]
    assert "附件1" + RETURNED_MARK + ".xlsx" in names
    assert not any(RETURNED_MARK * 2 in n for n in names)


def test_bundled_month_with_a_misspelt_township(tmp_path):
    """The bundled 2023-10 folder as a new month with 玛尼罕乡 written 玛尼汗乡 in 附件1."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "2023-10", data / MONTH)
    (a1,) = (data / MONTH).glob("附件1*.xlsx")
    wb = openpyxl.load_workbook(a1)
    cells = [c for row in wb.active.iter_rows() for c in row if c.value == "玛尼罕乡"]
    assert cells
    cells[0].value = "玛尼汗乡"
    wb.save(a1)
    res = write_feedback(MONTH, data, tmp_path / "out", today=WHEN)
    banner = workbook_text(next(f.copy for f in res.owner(BANNER).files if f.source.name == a1.name))
    assert "“玛尼汗乡”应为“玛尼罕乡”？" in banner and "缺少乡镇苏木街道“玛尼罕乡”" not in banner
    town = res.owner("玛尼罕乡").receipt
    assert not any("附件1" in m for m in town.missing)
    texts = all_text(res.folder)
    leaks = {name: [w for w in SOFTWARE_WORDS if w in text] for name, text in texts.items()}
    assert not any(leaks.values()), {k: v for k, v in leaks.items() if v}
