"""`tekun report --notebook PATH`: an analyst's own notebook through the briefings' pipeline."""
from __future__ import annotations

import json
import subprocess
import sys

import nbformat

from builders import ROOT
from conftest import pdf_text
from tekun_helpers.month import load_month


def tekun(*args):
    return subprocess.run([sys.executable, "-m", "tekun_helpers.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_a_copy_of_the_briefing_with_a_section_added(tmp_path):
    nb = nbformat.read(ROOT / "notebooks" / "monthly_briefing.ipynb", as_version=4)
    nb.cells += [
        nbformat.v4.new_markdown_cell("## 七、分析员补充", id="mine-1"),
        nbformat.v4.new_code_cell('top = b.homes.sort_values("beds", ascending=False).iloc[0]\n'
                                  'display(Markdown(f"床位最多的敬老院是{top[\'home\']}，共 {int(top[\'beds\'])} 张。"))',
                                  id="mine-2"),
    ]
    mine = tmp_path / "我的简报.ipynb"
    nbformat.write(nb, mine)
    out = tmp_path / "out"
    run = tekun("report", "--month", "2023-08", "--notebook", str(mine), "--internal", "--out", str(out))
    assert run.returncode == 0, run.stderr[-3000:]

    folder = out / "内部资料" / "2023-08"
    html = (folder / "我的简报_2023-08.html").read_text(encoding="utf-8")
    data = load_month("2023-08")
    top = data.homes.sort_values("beds", ascending=False).iloc[0]
    assert f"床位最多的敬老院是{top['home']}，共 {int(top['beds'])} 张。" in html and "七、分析员补充" in html
    assert "<title>敖汉旗特困人员供养服务月度简报 2023-08</title>" in html
    assert 'class="tekun-banner tekun-banner-sample"' in html and 'class="tekun-banner tekun-banner-internal"' in html
    assert "notebook 说明" not in html and '<div class="highlight' not in html

    executed = json.loads((folder / "notebooks" / "我的简报_2023-08.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"] == {"month": "2023-08", "internal": True, "data_dir": None}
    assert executed["metadata"]["tekun"]["notebook"]["file"] == "我的简报.ipynb"

    first = pdf_text(folder / "我的简报_2023-08.pdf").split("\f")[0]
    for text in ("敖汉旗特困人员供养服务月度简报", "2023-08", "示例数据", "内部资料", "第 1 页 / 共"):
        assert text in first, text
    assert "数据指纹" not in first           # only in the methods section


def test_a_new_notebook_using_the_package_for_one_township(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    nb.cells = [
        nbformat.v4.new_code_cell('month = "2023-07"\ndata_dir = None\ninternal = False\ntownship = None', id="p",
                                  metadata={"tags": ["parameters", "remove-cell"]}),
        nbformat.v4.new_markdown_cell("# 承接敬老院专题", id="h"),
        nbformat.v4.new_code_cell("from tekun_helpers.report import Briefing, show\n"
                                  "b = Briefing(month, data_dir, township=township, internal=internal)\n"
                                  "show.home_table(b)", id="t"),
    ]
    mine = tmp_path / "homes.ipynb"
    nbformat.write(nb, mine)
    run = tekun("report", "--month", "2023-08", "--notebook", str(mine), "--township", "长胜镇", "--format", "html",
                "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr[-3000:]
    html = (tmp_path / "out" / "2023-08" / "乡镇" / "homes_长胜镇_2023-08.html").read_text(encoding="utf-8")
    assert "<title>承接敬老院专题 2023-08</title>" in html and "<table" in html
    assert not (tmp_path / "out" / "2023-08" / "乡镇" / "homes_长胜镇_2023-08.pdf").exists()


def test_a_missing_notebook_is_a_chinese_error(tmp_path):
    run = tekun("report", "--month", "2023-08", "--notebook", str(tmp_path / "nope.ipynb"), "--out", str(tmp_path))
    assert run.returncode == 1 and "找不到要生成报告的 notebook" in run.stderr and "Traceback" not in run.stderr
