"""The printed briefings' layout: page counts and no near-empty page, measured on the session's batch.

How full a page is: the page is rasterised in grey at 30 dpi (pdftoppm) and the lowest row holding ink
(a pixel darker than 160 of 255) between the header band and the footer band is found; the page is that
far full. Ink, not text, so a chart counts; the threshold is dark enough that the light 示例数据
watermark, zebra stripes and table header shading are not ink, so a page holding only a watermark is
empty. It measures where the content stops, which is what a reader sees as a half-empty page.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import BATCH_MONTHS

BANNER = "敖汉旗"
INK = 160            # grey level (0-255) below which a pixel is ink
HEADER_MM, FOOTER_MM, PAGE_MM = 20, 17, 297     # the PDF's header and footer bands (render.PAGE_MARGIN + bars)


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(info.split("Pages:")[1].split()[0])


def page_fill(pdf: Path, dpi: int = 30) -> list[float]:
    """For each page, how far down (0..1 of the body between header and footer) its content reaches."""
    from PIL import Image

    out = []
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), f"{d}/p"], check=True)
        for f in sorted(Path(d).glob("p-*.pgm")):
            im = Image.open(f)
            w, h = im.size
            top, bottom = int(h * HEADER_MM / PAGE_MM), int(h * (PAGE_MM - FOOTER_MM) / PAGE_MM)
            px = im.load()
            last = top
            for y in range(top, bottom):
                if any(px[x, y] < INK for x in range(w)):
                    last = y
            out.append((last - top) / (bottom - top))
    return out


def test_page_fill_sees_ink_and_blank(tmp_path):
    """The measure itself: a page with text at its foot is full, a blank page is empty."""
    html = tmp_path / "t.html"
    html.write_text("<html><body style='margin:0'><div style='height:30mm'></div><p style='margin:0'>上</p>"
                    "<div style='height:195mm'></div><p style='margin:0'>下</p><div style='break-before:page'></div>"
                    "<p style='color:rgba(180,35,24,0.08);font-size:60pt'>示例数据</p></body></html>", encoding="utf-8")
    pdf = tmp_path / "t.pdf"
    from tekun_helpers.core.exceptions import RenderError
    from tekun_helpers.publish.render import find_browser

    try:
        subprocess.run([str(find_browser()), "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}",
                        "--no-pdf-header-footer", html.as_uri()], capture_output=True, timeout=120, check=True)
    except (RenderError, OSError, subprocess.SubprocessError):
        pytest.skip("chromium 不可用")
    fill = page_fill(pdf)
    assert fill[0] > 0.8 and fill[-1] == 0.0


def _briefings(out: Path, month: str) -> list[Path]:
    return [out / month / f"{BANNER}_{month}_月度简报.pdf", *sorted((out / month / "乡镇").glob("*.pdf"))]


def test_banner_2023_08_is_at_most_ten_pages(rendered_batch):
    assert page_count(rendered_batch / "2023-08" / f"{BANNER}_2023-08_月度简报.pdf") <= 10


def test_township_briefings_2023_08_are_short(rendered_batch):
    """Every township of the real month fits three pages (issue 18), also those with long lists of people
    to move (新惠镇 33, 贝子府镇 40): the sample marks sit in the headings' lines."""
    pages = {p.name.split("_")[0]: page_count(p) for p in (rendered_batch / "2023-08" / "乡镇").glob("*.pdf")}
    assert len(pages) == 18
    assert max(pages.values()) <= 3, pages


def test_leader_page_is_one_page_every_month(rendered_batch):
    """领导摘要 (page 1 of the banner) ends on page 1: page 2 begins with 摘要, in every bundled month
    (2023-10's ran onto page 2 when its long due dates squeezed the findings to a narrow column)."""
    for month in BATCH_MONTHS:
        pdf = rendered_batch / month / f"{BANNER}_{month}_月度简报.pdf"
        second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout
        before = second.split("摘要", 1)[0]          # the page header, then the section 摘要
        assert "摘要" in second and "敬老院" not in before and "本月问题与措施" not in before, (month, before)


@pytest.mark.parametrize("month", BATCH_MONTHS)
def test_no_page_but_the_last_is_under_a_third_full_and_none_is_blank(rendered_batch, month):
    thin = []
    for pdf in _briefings(rendered_batch, month):
        fill = page_fill(pdf)
        thin += [(pdf.name, i + 1, round(f, 2)) for i, f in enumerate(fill[:-1]) if f < 1 / 3]
        if fill[-1] == 0:                       # a blank last page (2023-10's 惠州街道办 had one)
            thin.append((pdf.name, len(fill), 0.0))
    assert not thin, thin


MM = 72 / 25.4       # PDF points in a millimetre


def words_past_the_margins(pdf: Path) -> list[tuple[int, str, float]]:
    """(page, word, x) of every word whose box reaches beyond the left or right page margin
    (render.PAGE_MARGIN): a table wider than the page is cut off at the paper's edge in print."""
    import html as htmllib
    import re

    from tekun_helpers.publish.render import PAGE_MARGIN

    left, right = (float(PAGE_MARGIN[k].removesuffix("mm")) * MM for k in ("left", "right"))
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    past = []
    for n, page in enumerate(out.split("<page ")[1:], start=1):
        width = float(re.search(r'width="([0-9.]+)"', page).group(1))
        for x0, x1, word in re.findall(r'<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">(.*?)</word>', page):
            if float(x1) > width - right + 1 or float(x0) < left - 1:
                past.append((n, htmllib.unescape(word), round(float(x1), 1)))
    return past


def test_words_past_the_margins_finds_a_cut_table(tmp_path):
    """The measure itself, on the report's own template: a table wider than the page is seen, one that fits is not."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from tekun_helpers.publish.render import ReportExporter, html_to_pdf

    def report(name: str, table: str) -> Path:
        nb = new_notebook(cells=[new_markdown_cell("## 一、测试"), new_code_cell("", outputs=[
            new_output("display_data", data={"text/html": table})])])
        body, _ = ReportExporter().from_notebook_node(nb)
        html = tmp_path / f"{name}.html"
        html.write_text(body, encoding="utf-8")
        return html_to_pdf(html, tmp_path / f"{name}.pdf", title="测试", month="2023-08", fingerprint="0" * 12,
                           generated_at="2023-09-01 10:00")

    wide = report("wide", "<table><tr>" + "".join(f"<td>第{i}列很长很长的单元格内容</td>" for i in range(9)) + "</tr></table>")
    narrow = report("narrow", "<table><tr><td>一</td><td>二</td></tr></table>")
    assert words_past_the_margins(wide)
    assert not words_past_the_margins(narrow)


@pytest.mark.parametrize("month", BATCH_MONTHS)
def test_nothing_is_cut_off_at_the_page_edge(rendered_batch, month):
    """Every table fits the page's width: no word of any briefing runs past the margins (2023-10's township
    follow-up register once did, its 类别 and 责任单位 kept on one line each)."""
    cut = {pdf.name: w[:3] for pdf in _briefings(rendered_batch, month) if (w := words_past_the_margins(pdf))}
    assert not cut, cut


def stranded_at_page_foot(pdf: Path) -> list[tuple[int, str]]:
    """(page, line) where a page but the last ends with a heading (一、…, or （一）… without its text on the
    same line) or with the line that introduces the schedule (截至9月30日：…), its table on the next page."""
    import re

    h2 = re.compile(r"^[一二三四五六七八九十]+、\S")
    h3 = re.compile(r"^（[一二三四五六七八九十]+）[^：]*$")
    lead = re.compile(r"^截至\d+月\d+日：")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for n, page in enumerate(text.split("\f")[:-1], start=1):
        body = [ln.strip() for ln in page.splitlines() if ln.strip() and not re.match(r"^\s*第\s*\d+\s*页", ln)]
        if len(body) >= 2 and (h2.match(body[-1]) or h3.match(body[-1]) or lead.match(body[-1])):
            out.append((n, body[-1][:40]))
    return out


@pytest.mark.parametrize("month", BATCH_MONTHS)
def test_no_heading_or_lead_in_is_left_at_a_page_foot(rendered_batch, month):
    """A heading stays with what follows it (2023-09's 新惠镇 once ended page 2 with 五、工作进度 and its
    counts, the table on page 3)."""
    left = {pdf.name: s for pdf in _briefings(rendered_batch, month) if (s := stranded_at_page_foot(pdf))}
    assert not left, left


def test_a_section_with_one_line_to_say_has_no_lead_in(rendered_batch):
    """二、与上月比较 of the first month says only that there is no last month: the notebook's lead-in that
    describes the comparison is not printed before it (it was, while a nested :has() in the same selector
    list made the browser drop the rule). With last month's data (2023-09) the lead-in is there."""
    def text(month: str) -> str:
        pdf = rendered_batch / month / "乡镇" / f"惠州街道办_{month}_月度简报.pdf"
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    lead_in = "本乡镇与上月相比的变化"
    aug = text("2023-08")
    assert "没有上月（2023年7月）的数据可供比较" in aug and lead_in not in aug
    assert lead_in in text("2023-09")


def test_the_reports_css_has_no_nested_has():
    """:has() may not hold another :has(); a selector that does invalidates its whole rule, silently."""
    import re

    source = (Path(__file__).resolve().parent.parent / "tekun_helpers" / "report" / "templates" / "tekun_report"
              / "index.html.j2").read_text(encoding="utf-8")
    nested = [m.group(0) for m in re.finditer(r":has\((?:[^()]|\([^()]*\))*:has\(", source)]
    assert not nested, nested


@pytest.mark.parametrize("media", ["screen", "print"])
def test_headings_get_smaller_level_by_level(rendered_batch, media):
    """On screen and in print, a heading is larger than the one below it and than the text (JupyterLab's own
    h3 and h4 had been larger than the report's h2 and h3: 1.审批后纳入… stood out above （四）重点关注人员)."""
    from playwright.sync_api import sync_playwright

    from tekun_helpers.publish.render import BROWSER_ARGS, find_browser

    html = rendered_batch / "2023-08" / f"{BANNER}_2023-08_月度简报.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(find_browser()), args=BROWSER_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(html.as_uri())
            page.emulate_media(media=media)
            sizes = page.evaluate("""() => ['h1', 'h2', 'h3', 'h4', 'p'].map(tag => {
                const e = document.querySelector('.jp-RenderedHTMLCommon ' + tag);
                return e ? parseFloat(getComputedStyle(e).fontSize) : null; })""")
        finally:
            browser.close()
    assert None not in sizes, sizes        # the banner uses every level
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes), sizes
