"""The rendered 2023-08 briefings: numbers, Chinese text, no network, sample marks, masked names.

All reports are rendered once per session (fixture ``rendered_2023_08``) and every test reads them.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from conftest import pdf_text

URL_IN_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
URL_IN_CSS = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?\s*(?:https?:)?//""", re.I)


def banner_files(out: Path):
    folder = out / "2023-08"
    return folder / "敖汉旗_2023-08_月度简报.html", folder / "敖汉旗_2023-08_月度简报.pdf"


def all_reports(out: Path, suffix: str) -> list[Path]:
    return sorted(p for p in (out / "2023-08").rglob(f"*{suffix}") if "notebooks" not in p.parts)


def test_nineteen_briefings(rendered_2023_08):
    assert len(all_reports(rendered_2023_08, ".html")) == 19
    assert len(all_reports(rendered_2023_08, ".pdf")) == 19
    nbs = list((rendered_2023_08 / "2023-08").rglob("notebooks/*.ipynb"))
    assert len(nbs) == 19


def test_banner_pdf_has_the_seed_figures(rendered_2023_08):
    _, pdf = banner_files(rendered_2023_08)
    text = pdf_text(pdf)
    flat = text.replace(",", "")
    assert "敖汉旗" in text
    for figure in ("2700", "441", "117", "733", "341", "100"):
        assert re.search(rf"(?<!\d){figure}(?!\d)", flat), figure
    assert "未达标院尚缺" in text and "还应入住" in text


def test_every_page_has_header_footer_and_sample_mark(rendered_2023_08):
    """Every page's header says the report holds sample data and which inputs (附件1/附件2 are real)."""
    _, pdf = banner_files(rendered_2023_08)
    pages = pdf_text(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for i, page in enumerate(pages, start=1):
        assert "含示例数据（附件3、台账、名册、资金）" in page.splitlines()[0], i
        assert f"第 {i} 页" in page and f"共 {len(pages)} 页" in page, i
        assert "2023-08" in page


@pytest.mark.parametrize("kind", ["banner", "township"])
def test_html_makes_no_network_request(rendered_2023_08, kind):
    html_path = banner_files(rendered_2023_08)[0] if kind == "banner" else \
        rendered_2023_08 / "2023-08" / "乡镇" / "贝子府镇_2023-08_月度简报.html"
    html = html_path.read_text(encoding="utf-8")
    assert not URL_IN_ATTR.search(html)
    assert not URL_IN_CSS.search(html)
    assert "<script src" not in html
    assert "data:image/png;base64," in html          # charts embedded


def test_no_code_or_prompts_in_html(rendered_2023_08):
    html = banner_files(rendered_2023_08)[0].read_text(encoding="utf-8")
    assert "Briefing(" not in html and "show.summary" not in html and "In&nbsp;[" not in html
    assert "notebook 说明" not in html                  # remove-cell tagged cells stay out


def test_executed_notebook_kept_with_parameters(rendered_2023_08):
    nb_path = rendered_2023_08 / "2023-08" / "乡镇" / "notebooks" / "长胜镇_2023-08_月度简报.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    assert nb.metadata["papermill"]["parameters"]["township"] == "长胜镇"
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    streams = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                      if o.output_type == "stream" and o.get("name") == "stderr")
    assert "Glyph" not in streams and "missing from" not in streams


def test_township_briefing_content(rendered_2023_08, seed_month):
    pdf = rendered_2023_08 / "2023-08" / "乡镇" / "贝子府镇_2023-08_月度简报.pdf"
    text = pdf_text(pdf).replace(",", "")
    assert "贝子府镇" in text and "325" in text and "贝子府镇敬老院" in text
    assert "应纳入敬老院集中供养人员" in text


H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)
MARK = re.compile(r"class=['\"]tekun-mark (tekun-mark-sample|tekun-mark-real)['\"]")


IN_HEADING = re.compile(r"<span class=['\"]tekun-mark .*?</span></span>|<span class=['\"]tekun-mark .*?</span>", re.S)


def _sections(html: str) -> dict[str, str]:
    """Each h2 section of a report's HTML: its heading's text -> its HTML up to the next h2, starting
    with the section's mark, which the report puts at the right end of the heading's line."""
    heads = list(H2.finditer(html))
    ends = [h.start() for h in heads[1:]] + [len(html)]
    out = {}
    for h, end in zip(heads, ends):
        mark = IN_HEADING.search(h.group(1))
        title = IN_HEADING.sub("", h.group(1))
        out[re.sub(r"<[^>]+>|¶", "", title).strip()] = (mark.group(0) if mark else "") + html[h.end():end]
    return out


def test_the_mark_sits_in_its_heading(rendered_2023_08):
    """The mark of a section is inside its h2 (at the line's right end), not a line of its own under it."""
    html, _ = banner_files(rendered_2023_08)
    text = html.read_text(encoding="utf-8")
    heads = [h.group(1) for h in H2.finditer(text)]
    assert sum(bool(MARK.search(h)) for h in heads) >= 7, heads
    assert not any(MARK.search(text[h.end():h.end() + 2000].split("<h", 1)[0]) for h in H2.finditer(text))


def _head_mark(body: str) -> str | None:
    """The mark under a section's heading (before any subsection): 'sample', 'real' or None."""
    m = MARK.search(body.split("<h3", 1)[0])
    return m and m.group(1).rsplit("-", 1)[1]


def _named(sections: dict[str, str], word: str) -> str:
    found = [body for head, body in sections.items() if word in head]
    assert len(found) == 1, (word, list(sections))
    return found[0]


def test_sample_badge_only_on_sections_from_sample_data(rendered_2023_08):
    """2023-08: 附件1/附件2 are the plan's real figures, so their sections say 真实数据 and carry no
    示例数据 badge; the 附件3 assessment section (sample forms) carries one; no watermark anywhere."""
    html, _ = banner_files(rendered_2023_08)
    text = html.read_text(encoding="utf-8")
    assert 'class="tekun-watermark"' not in text
    sections = _sections(text)
    for word in ("附件1", "附件2"):
        body = _named(sections, word)
        assert _head_mark(body) == "real", word
        assert "tekun-mark-sample" not in body.split("<h3", 1)[0], word
    assert "真实数据：附件1" in _named(sections, "附件1")
    assessment = _named(sections, "附件3")
    assert _head_mark(assessment) == "sample"
    assert "本节的附件3为程序生成的示例数据" in assessment


def test_every_section_of_a_sample_month_is_badged(rendered_batch):
    """2023-09 is sample data throughout: every section with figures carries the 示例数据 badge."""
    text = (rendered_batch / "2023-09" / "敖汉旗_2023-09_月度简报.html").read_text(encoding="utf-8")
    sections = _sections(text)
    assert len(sections) >= 8, list(sections)
    for head, body in sections.items():
        if "数据来源" in head:           # the list of files, each marked 示例数据 on its own line
            assert "（示例数据）" in body
            continue
        assert _head_mark(body) == "sample", head
    assert {m.group(1) for m in MARK.finditer(text)} == {"tekun-mark-sample"}
