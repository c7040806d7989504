"""Report behaviour on a small made-up month: errors stop it, warnings show in it, internal mode is separate."""
from __future__ import annotations

import subprocess
import sys

import pytest

from builders import home_rows, home_sheet, make_month, township_rows, township_sheet, township_total, write_xlsx
from conftest import pdf_text
from tekun_helpers.publish.reports import render_month
from test_assessments import GOOD, form_rows


@pytest.fixture(scope="module")
def small_month(tmp_path_factory):
    """2023-08 with a stated 60%应住人数 that disagrees with the policy (a warning) and one township's forms."""
    tmp = tmp_path_factory.mktemp("small")
    rows = home_rows()
    rows[4][4] = 14                      # 萨力巴乡敬老院: policy says 15
    rows[4][5] = -4
    data = make_month(tmp, homes=home_sheet(rows))
    people = [GOOD, [GOOD[0], "李秀英", "女", 88, "", None, None, "失能", "借住", "脏乱差", "较差", "差", "否", "否", "是", "差", None]]
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows(people), title_rows=())
    out = tmp / "out"
    default = render_month("2023-08", data, out, scope="banner", formats=("html",))
    internal = render_month("2023-08", data, out, scope="townships", formats=("html", "pdf"), internal=True,
                            townships=["丰收乡"])
    return data, out, default, internal


def test_warnings_are_shown_in_the_data_quality_section(small_month):
    _, _, default, _ = small_month
    html = default[0].files["html"].read_text(encoding="utf-8")
    assert "数据检查警告" in html
    assert "萨力巴乡敬老院" in html and "应为 15" in html and "报告采用 15" in html


def test_report_uses_the_policy_value_not_the_stated_one(small_month):
    _, _, default, _ = small_month
    html = default[0].files["html"].read_text(encoding="utf-8")
    assert "应住441人" in html.replace(",", "")


def test_default_mode_masks_names(small_month):
    _, out, default, _ = small_month
    html = default[0].files["html"].read_text(encoding="utf-8")
    assert "李秀英" not in html and "李*英" in html and "王小明" not in html
    assert "内部资料" not in str(default[0].files["html"].relative_to(out))


def test_internal_mode_goes_to_its_own_folder_and_says_so_on_every_page(small_month):
    _, out, _, internal = small_month
    res = [r for r in internal if r.job.township == "丰收乡"][0]
    assert res.files["pdf"].relative_to(out).parts[0] == "内部资料"
    text = pdf_text(res.files["pdf"])
    assert "李秀英" in text                     # full names, as asked for
    pages = [p for p in text.split("\f") if p.strip()]
    assert pages and all("内部资料" in p and "含个人信息" in p for p in pages)
    # every file of the internal run lies under 内部资料/, and nothing outside it holds the full name
    written = [f for r in internal for f in r.files.values()]
    assert written and all(f.relative_to(out).parts[0] == "内部资料" for f in written)
    outside = [p for p in out.rglob("*") if p.is_file() and "内部资料" not in p.relative_to(out).parts]
    assert outside and not [p for p in outside if p.suffix in (".html", ".ipynb") and "李秀英" in p.read_text(encoding="utf-8")]


def test_errors_stop_the_report_and_list_the_issues(tmp_path):
    rows = township_rows()
    rows[2][3] = "十二"
    data = make_month(tmp_path, townships=township_sheet(rows, total=township_total(township_rows())))
    r = subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "report", "--month", "2023-08", "--data-dir",
                        str(data), "--out", str(tmp_path / "out"), "--format", "html"], capture_output=True, text=True)
    assert r.returncode == 1
    assert "报告未生成" in r.stderr and "第6行D列（全失能人数）" in r.stderr and "十二" in r.stderr
    assert not list((tmp_path / "out").rglob("*.html"))
