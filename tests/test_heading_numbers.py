"""Heading numbers as in government documents (GB/T 9704): 一、 sections written in the notebooks,
（一） and 1. for their parts numbered by the report exporter in the order they appear."""
from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tekun_helpers.publish.numbering import HeadingNumbers, cn_number, label

MONTH = "2023-08"


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九")])
def test_chinese_numbers(n, text):
    assert cn_number(n) == text


def test_labels_by_level():
    assert label(3, 2) == "（二）" and label(4, 3) == "3."


def _html_cell(*parts: str):
    return new_code_cell("", outputs=[new_output("display_data", data={"text/html": p}) for p in parts])


def _numbered(nb):
    nb, _ = HeadingNumbers().preprocess(nb, {})
    return nb


def test_parts_count_within_their_section_and_nothing_before_the_first_section():
    nb = new_notebook(cells=[
        _html_cell("<h3>本月问题与措施（5 类）</h3>"),                        # the leader's page: no number
        new_markdown_cell("## 一、摘要\n\n说明文字。"),
        _html_cell("<h3>甲</h3><p>文字</p><h3 class='x'>乙</h3>",
                   "<p class='tekun-short-section'><b>丙：</b>无。</p>"),
        new_markdown_cell("### 丁\n\n#### 子一\n\n#### 子二"),
        _html_cell("<p class='tekun-short-section tekun-h4'><b>子三：</b>无。</p>", "<p class='tekun-short-section'>没有标题的一行。</p>"),
        new_markdown_cell("## 二、下一节"),
        _html_cell("<h3>戊</h3>"),
    ])
    nb = _numbered(nb)
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    md = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert html[0] == "<h3>本月问题与措施（5 类）</h3>"
    assert html[1] == "<h3>（一）甲</h3><p>文字</p><h3 class='x'>（二）乙</h3>"
    assert html[2] == "<p class='tekun-short-section'><b role=\"heading\" aria-level=\"3\">（三）丙：</b>无。</p>"
    assert md[1] == "### （四）丁\n\n#### 1.子一\n\n#### 2.子二"
    assert html[3] == "<p class='tekun-short-section tekun-h4'><b role=\"heading\" aria-level=\"4\">3.子三：</b>无。</p>"
    assert html[4] == "<p class='tekun-short-section'>没有标题的一行。</p>"       # not a heading
    assert md[0] == "## 一、摘要\n\n说明文字。" and md[2] == "## 二、下一节"
    assert html[5] == "<h3>（一）戊</h3>"                                     # a new section counts from （一）


def test_a_heading_that_has_its_number_keeps_it_and_code_blocks_are_left_alone():
    nb = new_notebook(cells=[
        new_markdown_cell("## 一、节\n\n### （一）自己编号\n\n```\n### 代码里的井号\n```\n\n### 下一个"),
    ])
    assert _numbered(nb).cells[0].source == "## 一、节\n\n### （一）自己编号\n\n```\n### 代码里的井号\n```\n\n### （二）下一个"


def _headings(page: str) -> list[str]:
    out = []
    for m in re.finditer(r"<h([234])[^>]*>(.*?)</h\1>|<p class=[\"']tekun-short-section[^\"']*[\"']><b[^>]*>(.*?)：</b>", page, re.S):
        inner = m.group(2) if m.group(2) is not None else m.group(3)
        inner = re.sub(r"<span [^>]*class=[\"']tekun-mark .*", "", inner, flags=re.S)     # the section's mark, at its end
        text = re.sub(r"<[^>]+>", "", inner).strip()
        out.append(text)
    return out


def _check_sequence(heads: list[str]) -> None:
    """Sections 一、二、… in order; in each, its parts （一）（二）… in order from （一）."""
    sections = [h for h in heads if re.match(r"[一二三四五六七八九十]+、", h)]
    assert [h.split("、", 1)[0] for h in sections] == [cn_number(i + 1) for i in range(len(sections))], sections
    part = None
    for h in heads:
        if re.match(r"[一二三四五六七八九十]+、", h):
            part = 0
        elif part is not None and (m := re.match(r"（([一二三四五六七八九十]+)）", h)):
            part += 1
            assert m.group(1) == cn_number(part), (h, part)


def test_banner_and_township_reports_number_their_parts(rendered_2023_08):
    banner = (rendered_2023_08 / MONTH / f"敖汉旗_{MONTH}_月度简报.html").read_text(encoding="utf-8")
    heads = _headings(banner)
    _check_sequence(heads)
    assert heads.index("八、资金与政策衔接") < heads.index("（一）与其他社会救助待遇的衔接") < heads.index("九、方法与数据来源")
    assert any(h.startswith("（二）供养资金拨付与使用") for h in heads)
    assert not any(re.match(r"（|\d+\.", h) for h in heads[:heads.index("一、摘要")])     # the leader's page
    town = (rendered_2023_08 / MONTH / "乡镇" / f"贝子府镇_{MONTH}_月度简报.html").read_text(encoding="utf-8")
    theads = _headings(town)
    _check_sequence(theads)
    assert [h for h in theads if re.match(r"[一二三四五六七八九]、", h)][-1] == "八、方法与数据来源"
    assert any(h.startswith("（二）应纳入敬老院集中供养人员") for h in theads)


def test_a_sections_mark_moves_into_its_heading_and_others_stay():
    from tekun_helpers.publish.numbering import SectionMarks

    mark = "<p class='tekun-mark tekun-mark-sample'><b>示例数据</b><span>本节的附件3为程序生成的示例数据</span></p>"
    nb = new_notebook(cells=[
        new_markdown_cell("## 四、排查评估 & 其他\n\n逐人评估。"),
        _html_cell(mark, "<p>已评估 10 人。</p>"),
        new_markdown_cell("## 五、**强调**的标题"),                 # Markdown in the heading: left as it is
        _html_cell(mark),
        new_markdown_cell("说明文字，不是标题。"),
        _html_cell(mark),
    ])
    nb, _ = SectionMarks().preprocess(nb, {})
    assert nb.cells[0].source.split("\n")[0] == (
        '<h2>四、排查评估 &amp; 其他<span class="tekun-mark tekun-mark-sample" inert><b>示例数据</b>'
        '<span>本节的附件3为程序生成的示例数据</span></span></h2>')
    assert "逐人评估。" in nb.cells[0].source
    assert [o["data"]["text/html"] for o in nb.cells[1].outputs] == ["<p>已评估 10 人。</p>"]
    assert nb.cells[2].source == "## 五、**强调**的标题" and len(nb.cells[3].outputs) == 1
    assert len(nb.cells[5].outputs) == 1
