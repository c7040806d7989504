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
    _, pdf = banner_files(rendered_2023_08)
    pages = pdf_text(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for i, page in enumerate(pages, start=1):
        assert "示例数据" in page, i
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
