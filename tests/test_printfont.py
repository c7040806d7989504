"""The TrueType copy of the Chinese font that the printing browser uses (publish/printfont.py).

Chromium cannot embed the installed CFF font collection in a PDF and draws every glyph as a
Type 3 font instead; with the copy found first by fontconfig, a report's pages, header and
footer embed subset TrueType fonts. Building the copy takes about a minute of CPU the first
time on a machine (then it is cached), so these tests need the installed font.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import has_browser
from tekun_helpers.publish import printfont, render

needs_font = pytest.mark.skipif(printfont.find_installed(400) is None, reason="Noto Sans CJK SC is not installed")
needs_tools = pytest.mark.skipif(shutil.which("pdffonts") is None or not has_browser(),
                                 reason="needs poppler-utils and a Chromium")


def test_charset_has_the_everyday_characters_and_punctuation():
    points = set(printfont.charset())
    for ch in "敖汉旗特困人员供养服务月度简报贝子府镇第页共，。、（）：；“”—·•%0123456789AZaz":
        assert ord(ch) in points, ch
    assert ord("𠀀") not in points        # rare characters stay with the installed font


def test_without_fontconfig_there_is_no_copy_and_printing_falls_back(monkeypatch):
    monkeypatch.setattr(printfont.shutil, "which", lambda name: None)
    assert printfont.find_installed(400) is None
    assert printfont.browser_env() is None


@needs_font
def test_the_copy_is_what_fontconfig_finds_first():
    env = printfont.browser_env()
    assert env is not None
    for weight in printfont.WEIGHTS:
        _, path = printfont.print_font(weight)
        assert printfont._matched(env, weight) == str(path)
        assert path.suffix == ".ttf" and path.read_bytes()[:4] == b"\x00\x01\x00\x00"   # TrueType outlines


@needs_font
@needs_tools
def test_a_printed_report_embeds_truetype_fonts_not_type3(tmp_path):
    html = tmp_path / "r.html"
    html.write_text('<!doctype html><html lang="zh-CN"><body style="font-family:\'Noto Sans CJK SC\'">'
                    "<h1>敖汉旗特困人员供养服务月度简报</h1><p>贝子府镇分散供养 40 人，罕见字𠀀。</p></body></html>",
                    encoding="utf-8")
    with render.PdfPrinter() as p:
        pdf = p.print_pdf(html, tmp_path / "r.pdf", title="敖汉旗简报", month="2023-08", fingerprint="fp",
                          generated_at="2023-09-01 10:00", sample=True)
        again = p.print_pdf(html, tmp_path / "r2.pdf", title="敖汉旗简报", month="2023-08", fingerprint="fp",
                            generated_at="2023-09-01 10:00")      # the reused page prints a second report
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    truetype = [line for line in fonts.splitlines() if "CID TrueType" in line and "NotoSansCJKsc" in line]
    assert truetype, fonts
    # the header, footer and text use the copy; only the character the copy lacks may come from the collection
    assert sum("Type 3" in line for line in fonts.splitlines()) <= 1, fonts
    text = subprocess.run(["pdftotext", str(again), "-"], capture_output=True, text=True, check=True).stdout
    assert "贝子府镇" in text and "示例数据" not in text
