"""The render pipeline end to end: papermill -> nbconvert (tekun_report template) -> Chromium PDF.

The kernel and the browser are slow to start, so one module-scoped fixture
executes and renders a tiny report once and the tests look at its files.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import has_browser
from tekun_helpers.publish import render
from tekun_helpers.core.exceptions import RenderError

TITLE = "特困人员供养情况月报"
MONTH = "2023-08"
FINGERPRINT = "fp-3f2a9c71"
GENERATED_AT = "2023-09-05 10:00"
PROSE = "本报告汇总各乡镇分散供养人员情况。"
FIRST_H2 = "一、分散供养人员"
SECOND_H2 = "二、养老机构入住率"
THIRD_H2 = "三、方法与数据来源"

# src=/href= (quoted or not), @import and url(...) that point at http(s) or protocol-relative URLs.
EXTERNAL_URL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|@import\s+(?:url\(\s*)?["']?|\burl\(\s*["']?)\s*(?:https?:)?//""",
    re.IGNORECASE,
)

needs_browser = pytest.mark.skipif(not has_browser(), reason="未找到 Chromium 浏览器")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="未安装 poppler-utils")


def _code(source: str, *tags: str):
    cell = new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def build_notebook(path: Path) -> Path:
    """A tiny report: parameters cell, Chinese prose, a printed month, a Styler table, a chart."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        _code('month = "2000-01"', "parameters"),
        new_markdown_cell(f"# 敖汉旗特困人员供养情况月报\n\n{PROSE}"),
        _code('print(f"报告月份：{month}")'),
        new_markdown_cell(f"## {FIRST_H2}\n\n各乡镇苏木街道的分散供养人数如下。"),
        _code(
            "import pandas as pd\n"
            'df = pd.DataFrame({"乡镇苏木街道": ["新惠镇", "四家子镇"], "分散供养人数": [250, 180]})\n'
            'df.style.hide(axis="index").set_caption("表1 分散供养人员统计")'
        ),
        # the end of a leader's page 1 (show.leader_page): the one forced page break of a briefing
        _code('from IPython.display import HTML\nHTML("<div class=\'tekun-leader-end\'></div>")'),
        new_markdown_cell(f"## {SECOND_H2}"),
        _code(
            "import matplotlib.pyplot as plt\n"
            'plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]\n'
            "fig, ax = plt.subplots(figsize=(5, 2.5))\n"
            'ax.bar(["新惠镇", "四家子镇"], [250, 180])\n'
            'ax.set_title("分散供养人数")\n'
            "plt.show()"
        ),
        new_markdown_cell(f"## {THIRD_H2}\n\n其余各节连续排版，不再每节另起一页。"),
        _code('print("不应出现的内部单元")', "remove-cell"),
    ]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def printer():
    """One browser for every PDF of this module, as a batch would use it."""
    with render.PdfPrinter() as p:
        yield p


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Execute the tiny report once (month overridden) and convert it to HTML."""
    root = tmp_path_factory.mktemp("render")
    source = build_notebook(root / "report.ipynb")
    executed = render.execute_notebook(source, root / "out" / "report.ipynb", {"month": MONTH})
    html_path = render.notebook_to_html(executed, root / "out" / "report.html", title=TITLE, month=MONTH,
                                        fingerprint=FINGERPRINT, sample=True, generated_at=GENERATED_AT)
    return {"root": root, "source": source, "executed": executed, "html_path": html_path,
            "html": html_path.read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def pdf(rendered, printer):
    """The sample report printed to PDF."""
    return printer.print_pdf(rendered["html_path"], rendered["root"] / "out" / "report.pdf", title=TITLE,
                             month=MONTH, fingerprint=FINGERPRINT, generated_at=GENERATED_AT, sample=True)


def pdf_text(path: Path, page: int | None = None) -> str:
    """pdftotext of the whole PDF (or one page) with all whitespace removed."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


# --------------------------------------------------------------------------- execute

def test_executed_notebook_has_the_parameter(rendered):
    nb = nbformat.read(rendered["executed"], as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert f"报告月份：{MONTH}" in printed
    assert not list(rendered["executed"].parent.glob(".*.tmp*")), "临时文件没有清理"


def test_failing_notebook_raises_render_error_naming_the_kept_notebook(tmp_path):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [_code('month = "2000-01"', "parameters"), _code('raise ValueError("乡镇名称无法识别")')]
    source = tmp_path / "broken.ipynb"
    nbformat.write(nb, source)
    output = tmp_path / "out" / "broken.ipynb"

    with pytest.raises(RenderError) as info:
        render.execute_notebook(source, output, {"month": MONTH})

    kept = tmp_path / "out" / "broken.failed.ipynb"
    message = str(info.value)
    assert str(kept) in message and "ValueError" in message and "乡镇名称无法识别" in message
    assert str(source) in message and "执行失败" in message
    assert kept.is_file() and not output.exists()
    assert not list(output.parent.glob(".*.tmp*"))


def test_missing_notebook_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="找不到报告笔记本"):
        render.execute_notebook(tmp_path / "nope.ipynb", tmp_path / "out.ipynb", {})


# --------------------------------------------------------------------------- HTML

def test_html_shows_the_parameter_not_the_default(rendered):
    html = rendered["html"]
    assert f"报告月份：{MONTH}" in html
    assert "2000-01" not in html


def test_html_makes_no_network_reference(rendered):
    html = rendered["html"]
    assert not EXTERNAL_URL.findall(html), EXTERNAL_URL.findall(html)[:5]
    assert "<script src" not in html.lower()
    for cdn in ("cdnjs", "unpkg", "jsdelivr", "require.min.js", "MathJax.js", "mermaid.esm"):
        assert cdn not in html


def test_external_url_pattern_catches_cdn_references():
    for bad in ('<script src="https://cdnjs.cloudflare.com/x.js">', "<link href='http://a/b.css'>",
                '@import url("https://fonts.googleapis.com/css")', "background: url(//cdn.example/x.png)",
                "@import 'https://x/y.css';"):
        assert EXTERNAL_URL.search(bad), bad
    for good in ('<img src="data:image/png;base64,AAAA">', "url(data:image/svg+xml;base64,PHN2)",
                 '<a href="#section">'):
        assert not EXTERNAL_URL.search(good), good


def test_html_has_no_code_input_or_prompts(rendered):
    html = rendered["html"]
    # Markdown is rendered inside jp-InputArea too; code shows up as an editor block.
    assert not re.search(r'class="[^"]*(?:jp-InputArea-editor|cm-editor|jp-InputPrompt|jp-OutputPrompt)', html)
    assert "print(" not in html and "pd.DataFrame" not in html and "plt.subplots" not in html
    body = html.split("<body", 1)[1]  # the inlined lab CSS mentions Out[] in a comment
    assert "In&nbsp;[" not in body and "Out[" not in body
    assert "不应出现的内部单元" not in html  # remove-cell


def test_html_content_title_and_language(rendered):
    html = rendered["html"]
    assert '<html lang="zh-CN">' in html
    assert f"<title>{TITLE} {MONTH}</title>" in html
    assert PROSE in html and "新惠镇" in html and "表1 分散供养人员统计" in html
    assert "data:image/png;base64," in html  # the chart is embedded
    assert GENERATED_AT in html and FINGERPRINT not in html     # the fingerprint: in a briefing's methods section only
    assert "@page" in html and "size: A4" in html and "Noto Sans CJK SC" in html


def test_sample_and_internal_marks_follow_the_flags(rendered, tmp_path):
    # sample data are marked by the banner (and per section, show.sample_mark), no longer by a watermark
    assert "「示例数据」" in rendered["html"] and 'class="tekun-watermark"' not in rendered["html"]
    assert "「内部资料 含个人信息」" not in rendered["html"]

    plain = render.notebook_to_html(rendered["executed"], tmp_path / "plain.html", title=TITLE, month=MONTH,
                                    fingerprint=FINGERPRINT)
    text = plain.read_text(encoding="utf-8")
    assert "示例数据" not in text and "内部资料" not in text and 'class="tekun-watermark"' not in text

    internal = render.notebook_to_html(rendered["executed"], tmp_path / "internal.html", title=TITLE,
                                       month=MONTH, fingerprint=FINGERPRINT, internal=True)
    text = internal.read_text(encoding="utf-8")
    assert "「内部资料 含个人信息」" in text and "示例数据" not in text and 'class="tekun-watermark"' in text

    parts = render.notebook_to_html(rendered["executed"], tmp_path / "parts.html", title=TITLE, month=MONTH,
                                    fingerprint=FINGERPRINT, sample=["附件3", "台账"])
    assert "「示例数据」本报告包含程序生成的示例数据（附件3、台账）" in parts.read_text(encoding="utf-8")


def test_report_text_is_escaped(rendered, tmp_path):
    out = render.notebook_to_html(rendered["executed"], tmp_path / "x.html", title="<b>月报</b>", month=MONTH,
                                  fingerprint="<i>", generated_at=GENERATED_AT)
    text = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;月报&lt;/b&gt;" in text and "<b>月报</b>" not in text
    assert "数据指纹" not in text.split("<footer", 1)[-1]       # the fingerprint is in the methods section, not the footer


def test_one_exporter_converts_report_after_report_as_new_ones_would(rendered, tmp_path):
    """A process converts all its reports with one exporter (render.report_exporter): each HTML is what a
    new exporter makes of that notebook, whatever it converted before."""
    assert render.report_exporter() is render.report_exporter()
    other = build_notebook(tmp_path / "other.ipynb")        # not executed: other cells, no outputs
    cases = [(rendered["executed"], dict(sample=True, internal=False)), (other, dict(sample=False, internal=True)),
             (rendered["executed"], dict(sample=["附件3"], internal=False))]
    for i, (path, flags) in enumerate(cases):
        kept = render.notebook_to_html(path, tmp_path / f"{i}.html", title=TITLE, month=MONTH, fingerprint=FINGERPRINT,
                                       generated_at=GENERATED_AT, **flags)
        nb = nbformat.read(path, as_version=4)
        nb.metadata["title"] = f"{TITLE} {MONTH}"
        resources = {"tekun": render.report_resources(title=TITLE, month=MONTH, fingerprint=FINGERPRINT,
                                                      generated_at=GENERATED_AT, **flags)}
        fresh, _ = render.ReportExporter().from_notebook_node(nb, resources=resources)
        assert kept.read_text(encoding="utf-8") == fresh


# --------------------------------------------------------------------------- PDF

@needs_browser
@needs_poppler
def test_pdf_has_chinese_text_header_and_footer(pdf):
    text = pdf_text(pdf)
    for wanted in (PROSE, "新惠镇", f"报告月份：{MONTH}", TITLE + MONTH, "第1页", "共2页",
                   "生成时间" + GENERATED_AT, "示例数据"):
        assert re.sub(r"\s+", "", wanted) in text, wanted
    assert FINGERPRINT not in text and "数据指纹" not in text     # not in the running header or footer
    assert not list(pdf.parent.glob(".*.tmp*"))


@needs_browser
@needs_poppler
def test_the_leader_page_ends_in_a_page_break_and_sections_flow(pdf):
    first, second = pdf_text(pdf, 1), pdf_text(pdf, 2)
    assert FIRST_H2 in first and SECOND_H2 not in first
    assert SECOND_H2 in second and THIRD_H2 in second      # no page of its own for each section


@needs_browser
@needs_poppler
def test_every_page_carries_the_marks(rendered, printer):
    html_path = render.notebook_to_html(rendered["executed"], rendered["root"] / "out" / "internal.html",
                                        title=TITLE, month=MONTH, fingerprint=FINGERPRINT, sample=True,
                                        internal=True, generated_at=GENERATED_AT)
    out = printer.print_pdf(html_path, rendered["root"] / "out" / "internal.pdf", title=TITLE,
                            month=MONTH, fingerprint=FINGERPRINT, generated_at=GENERATED_AT,
                            sample=True, internal=True)
    for page in (1, 2):
        text = pdf_text(out, page)
        assert "示例数据" in text and "内部资料含个人信息" in text and f"第{page}页" in text


@needs_browser
def test_network_requests_are_blocked(tmp_path, printer):
    page = tmp_path / "net.html"
    page.write_text('<html><body><p>离线</p><img src="http://example.invalid/x.png">'
                    '<link rel="stylesheet" href="https://cdn.example.invalid/a.css"></body></html>',
                    encoding="utf-8")
    out = printer.print_pdf(page, tmp_path / "net.pdf", title=TITLE, month=MONTH, fingerprint=FINGERPRINT,
                            generated_at=GENERATED_AT)
    assert out.stat().st_size > 0
    assert any("example.invalid/x.png" in u for u in printer.blocked_requests)
    assert any("cdn.example.invalid" in u for u in printer.blocked_requests)


@needs_browser
def test_missing_html_is_a_render_error(tmp_path, printer):
    with pytest.raises(RenderError, match="找不到要打印的 HTML 文件"):
        printer.print_pdf(tmp_path / "nope.html", tmp_path / "nope.pdf", title=TITLE, month=MONTH,
                          fingerprint=FINGERPRINT, generated_at=GENERATED_AT)


def test_printer_used_outside_with_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="尚未启动"):
        render.PdfPrinter().print_pdf(tmp_path / "a.html", tmp_path / "a.pdf", title=TITLE, month=MONTH,
                                      fingerprint=FINGERPRINT, generated_at=GENERATED_AT)


def test_header_and_footer_templates():
    header = render.header_template("<月报>", MONTH, sample=True, internal=True)
    footer = render.footer_template(GENERATED_AT)
    assert "&lt;月报&gt;" in header and "示例数据" in header and "内部资料 含个人信息" in header
    assert "数据指纹" not in header and "数据指纹" not in footer and FINGERPRINT not in footer
    assert '<span class="pageNumber"></span>' in footer and '<span class="totalPages"></span>' in footer
    for template in (header, footer):
        assert "font-size:8pt" in template and "Noto Sans CJK SC" in template
    assert "示例数据" not in render.header_template(TITLE, MONTH)
    assert "含示例数据（附件3、资金）" in render.header_template(TITLE, MONTH, sample=("附件3", "资金"))


# --------------------------------------------------------------------------- browser lookup

def test_find_browser_honours_tekun_browser(monkeypatch, tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("")
    monkeypatch.setenv("TEKUN_BROWSER", str(fake))
    assert render.find_browser() == fake


def test_find_browser_rejects_a_missing_tekun_browser(monkeypatch, tmp_path):
    monkeypatch.setenv("TEKUN_BROWSER", str(tmp_path / "no-such-browser"))
    with pytest.raises(RenderError, match="TEKUN_BROWSER"):
        render.find_browser()


def test_find_browser_explains_how_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv("TEKUN_BROWSER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(render, "FALLBACK_BROWSERS", (tmp_path / "chromium",))
    with pytest.raises(RenderError) as info:
        render.find_browser()
    message = str(info.value)
    assert "未找到 Chromium 浏览器" in message and "apt-get install chromium-headless-shell" in message
    assert "TEKUN_BROWSER" in message


def test_find_browser_prefers_the_headless_shell_to_the_full_browser(monkeypatch, tmp_path):
    monkeypatch.delenv("TEKUN_BROWSER", raising=False)
    for name in ("chromium", "chromium-headless-shell"):
        exe = tmp_path / name
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert render.find_browser() == tmp_path / "chromium-headless-shell"
    (tmp_path / "chromium-headless-shell").unlink()
    assert render.find_browser() == tmp_path / "chromium"


@needs_browser
def test_a_page_is_renewed_after_page_prints_reports_and_prints_the_same(rendered, printer, pdf):
    """After render.PAGE_PRINTS reports a page is closed with its context (its renderer ends and gives back
    what the reports used); the next report gets a new page and prints the same PDF."""
    pages, texts = [], []
    for i in range(render.PAGE_PRINTS + 1):
        out = printer.print_pdf(rendered["html_path"], rendered["root"] / "out" / f"again{i}.pdf", title=TITLE,
                                month=MONTH, fingerprint=FINGERPRINT, generated_at=GENERATED_AT, sample=True)
        pages.append(printer._page)
        texts.append(pdf_text(out))
    assert None in pages                       # closed once it had printed PAGE_PRINTS reports
    at = pages.index(None)
    assert pages[at + 1] is not None and all(p is None or p is pages[at + 1] for p in pages[at + 1:])
    assert texts == [pdf_text(pdf)] * len(texts)
