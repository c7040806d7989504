"""Drafts (issue 32): `tekun report --draft` and `tekun batch --draft` render a month that still has errors,
every page marked 草稿 with the reason and the errors listed first; without --draft the errors stop the report.

The month is a copy of the bundled 2023-08 in which 丰收乡's 附件3 has a word in a person's age (an error).
"""
from __future__ import annotations

import re

import pytest

from builders import bundled_month, edit_cell, tekun
from conftest import has_browser, pdf_text

TOWN = "丰收乡"
FORM = f"附件3/附件3 排查评估表 {TOWN} 2023-08.xlsx"
BANNER_PDF = "2023-08/敖汉旗_2023-08_月度简报.pdf"
TOWN_PDF = f"2023-08/乡镇/{TOWN}_2023-08_月度简报.pdf"


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("draft")
    data = bundled_month(tmp)
    edit_cell(data / "2023-08" / FORM, "年龄", "龙兰香", "六十九")
    return data, tmp


@pytest.fixture(scope="module")
def drafted(faulty):
    data, tmp = faulty
    out = tmp / "out"
    run = tekun("report", "--month", "2023-08", "--data-dir", data, "--out", out, "--draft", "--scope", "all",
                "--township", TOWN, "--township", "长胜镇", timeout=900)
    return run, out


def test_without_draft_the_errors_stop_the_report(faulty):
    data, tmp = faulty
    out = tmp / "stopped"
    run = tekun("report", "--month", "2023-08", "--data-dir", data, "--out", out, "--format", "html", timeout=600)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "报告未生成" in run.stderr and "六十九" in run.stderr
    assert not list(out.rglob("*.html"))


@pytest.mark.skipif(not has_browser(), reason="未找到 Chromium 浏览器")
def test_a_draft_has_the_draft_mark_and_its_reason_on_every_pdf_page(drafted):
    run, out = drafted
    assert run.returncode == 0, run.stdout + run.stderr
    assert "草稿" in run.stdout
    for pdf in (BANNER_PDF, TOWN_PDF, "2023-08/乡镇/长胜镇_2023-08_月度简报.pdf"):
        pages = [p for p in pdf_text(out / pdf).split("\f") if p.strip()]
        assert len(pages) > 1
        flat = [re.sub(r"\s+", "", p) for p in pages]
        assert all("草稿：数据尚有1个错误未改正" in p for p in flat), pdf


def test_a_draft_lists_the_errors_first_and_marks_the_faulty_township(drafted):
    run, out = drafted
    assert run.returncode == 0, run.stdout + run.stderr
    html = (out / BANNER_PDF).with_suffix(".html").read_text(encoding="utf-8")
    # the notice, with the error itself, comes before the report's first section
    notice, first_section = html.index("尚未改正的错误（1 个）"), html.index('id="tekun-s1"')
    assert notice < html.index("六十九") < first_section
    assert f"{TOWN}的数字<b>待核实</b>" in html
    assert "tekun-draft-badge" in html and "tekun-draft-marks" in html    # on screen and printed from a browser
    town = (out / TOWN_PDF).with_suffix(".html").read_text(encoding="utf-8")
    assert "本报告的数字<b>待核实</b>" in town
    other = (out / "2023-08/乡镇/长胜镇_2023-08_月度简报.html").read_text(encoding="utf-8")
    assert "草稿" in other and "本报告的数字<b>待核实</b>" not in other
    assert not list(out.rglob("Excel/*.xlsx"))       # report writes no Excel, draft or not


def test_batch_draft_renders_the_faulty_month_and_batch_without_it_does_not(faulty):
    data, tmp = faulty
    out = tmp / "batch"
    args = ("batch", "--months", "2023-08", "--data-dir", data, "--out", out, "--scope", "banner",
            "--format", "html", "--no-progress")
    stopped = tekun(*args, timeout=600)
    assert stopped.returncode == 1 and "该月报告未生成" in stopped.stderr
    assert not list((out / "2023-08").rglob("*.html"))
    run = tekun(*args, "--draft", timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    html = (out / BANNER_PDF).with_suffix(".html").read_text(encoding="utf-8")
    assert "草稿" in html and "六十九" in html
    assert not list(out.rglob("Excel/*.xlsx"))       # a draft month's tables are not exported
