"""Markup in the input never runs in a report: it is shown as text.

A month with the seed's tables and one assessment form for 丰收乡 whose villages hold
``<script>`` and ``<img onerror=...>``; the 丰收乡 briefing is rendered as HTML in
internal and in default (masked) mode, opened in headless Chromium, and checked:
no injected script ran, and the markup is shown literally.
"""
from __future__ import annotations

import pytest

from builders import make_month, write_xlsx
from test_assessments import GOOD, form_rows
from tekun_helpers.publish.reports import render_month

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
TOWNSHIP = "丰收乡"


def person(village: str, name: str) -> list:
    row = list(GOOD)
    row[0], row[1] = village, name
    row[11] = "差"          # 护理情况 差: the person is on the transfer list, which shows the village
    return row


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{mode: path of the rendered 丰收乡 briefing} for internal and default mode, rendered once."""
    tmp = tmp_path_factory.mktemp("markup")
    data = make_month(tmp)
    write_xlsx(data / "2023-08" / "丰收乡.xlsx", form_rows([person(SCRIPT, "王小明"), person(IMG, "李小红")]),
               title_rows=())
    out = tmp / "outputs"
    pages = {}
    for mode, internal in (("internal", True), ("default", False)):
        results = render_month("2023-08", data, out, scope="townships", formats=("html",), internal=internal,
                               townships=[TOWNSHIP])
        (res,) = [r for r in results if r.job.township == TOWNSHIP]
        assert res.error is None, res.error
        pages[mode] = res.files["html"]
    return pages


@pytest.mark.parametrize("mode", ["internal", "default"])
def test_markup_in_input_is_text_not_code(rendered, browser, mode):
    html = rendered[mode]
    page = browser.new_page()
    try:
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)          # let a broken <img> fire its onerror, were there one
        assert page.evaluate("typeof window.__pwned") == "undefined"
        text = page.inner_text("body")
        assert SCRIPT in text and IMG in text
        assert page.locator("img[onerror]").count() == 0
        assert page.evaluate("document.querySelectorAll('script').length") == page.evaluate(
            "Array.from(document.querySelectorAll('script')).filter(s => !s.textContent.includes('__pwned')).length")
    finally:
        page.close()
    if mode == "default":
        assert "王小明" not in text and "李小红" not in text       # names are masked outside internal mode
    else:
        assert "王小明" in text
