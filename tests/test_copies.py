"""A copy of last month is not new data: byte-identical files and titles naming another month."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from builders import by_code, make_month, one, township_sheet, write_xlsx
from tekun_helpers import load_month
from tekun_helpers.checks.copies import months_named

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "tekun_helpers.cli", *args], capture_output=True, text=True)


def test_validate_on_a_copy_of_2023_10_names_2023_10_and_says_the_files_are_the_same(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    for month in ("2023-10", "2023-11"):
        for p in (ROOT / "data" / "2023-10").glob("附件[12]*.xlsx"):
            (data / month).mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, data / month / p.name)
    r = run_cli("validate", "--month", "2023-11", "--data-dir", str(data))
    assert r.returncode == 1, r.stdout
    same = [line for line in r.stdout.splitlines() if "完全相同" in line]
    assert len(same) == 2 and all("2023-10" in line and "2023-11" in line and "[错误]" in line for line in same)
    assert any("逐字节相同" in line and "2023-10" in line for line in r.stdout.splitlines())
    titles = [line for line in r.stdout.splitlines() if "标题写的是" in line]
    assert titles and all("10月" in line and "2023-11" in line for line in titles)

    r = run_cli("validate", "--month", "2023-11", "--data-dir", str(data), "--json")
    errors = [i for i in json.loads(r.stdout) if i["severity"] == "error"]
    assert sorted(i["file"] for i in errors) == sorted(p.name for p in (data / "2023-11").iterdir())
    assert all(i["value"] == i["file"] for i in errors)     # the value is last month's file of the same bytes

def test_carried_over_mark_turns_the_error_into_a_warning(tmp_path):
    data = make_month(tmp_path, "2023-08")
    (data / "2023-09").mkdir()
    for p in (data / "2023-08").iterdir():
        shutil.copy2(p, data / "2023-09" / f"{p.stem}（沿用上月）{p.suffix}")
    m = load_month("2023-09", data)
    assert m.ok, [i.message for i in m.errors]
    assert len(by_code(m, "carried_over")) == 2
    assert one(m, "month_copied").severity == "warning"


def test_new_data_is_not_a_copy_and_a_wrong_title_is_named(tmp_path):
    data = make_month(tmp_path, "2023-08")
    rows = township_sheet()
    rows[1][2] += 1                                      # one more person: a different file
    rows[-1][2] += 1
    write_xlsx(data / "2023-09" / "附件1.xlsx", rows, title_rows=("附件1", "2023年8月分散供养人员分乡镇统计表"))
    shutil.copy2(data / "2023-08" / "附件2.xlsx", data / "2023-09" / "附件2.xlsx")
    m = load_month("2023-09", data)
    assert not by_code(m, "month_copied")
    err = one(m, "same_as_last_month")
    assert err.file == "附件2.xlsx" and err.severity == "error"
    title = one(m, "title_other_month")
    assert title.file == "附件1.xlsx" and title.row == 2
    assert title.fields == {"named": "2023年8月", "here": "2023年9月（2023-09）"}


def test_months_named_in_titles():
    assert months_named("敖汉旗养老机构10月情况统计表", "2023-11") == [(None, 10)]
    assert months_named("2023年11月分散供养人员分乡镇统计表", "2023-11") == []
    assert months_named("2022年11月统计表", "2023-11") == [(2022, 11)]
    assert months_named("填报日期：2023年12月5日", "2023-11") == []     # a date, not the month reported
    assert months_named("9月1日至9月30日", "2023-11") == []
