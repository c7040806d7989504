"""Issue 33: the briefings and the index read on a phone (390×844, device scale 2, mobile, touch) in Chromium.

Measured in the session's batch (``rendered_batch``): the banner's and a township's briefing of 2023-08 and
2023-10 and the index. What a reader needs: nothing wider than the screen except inside a box that scrolls
sideways (with a cue, its first column fixed); page 1's chart shown at least 300 px wide; table text at
least 11 px and no column under 40 px; each of page 1's problems with its deadline in view; a table of
contents linking the sections; links on the index at least 44 px tall; the charts' words at least 11 px.
"""
from __future__ import annotations

from pathlib import Path

import pytest


BANNER = "敖汉旗"
TOWNSHIP = "贝子府镇"
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)

MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  // overflow does nothing on a table row or an inline box; a box that clips (hidden, clip) hides what overflows
  const clips = el => { const s = getComputedStyle(el);
      return s.overflowX !== 'visible' && !/^(table-(row|row-group|header-group|footer-group|column)|inline)$/.test(s.display); };
  const scrolls = el => clips(el) && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  // the box that holds ``el`` when it is wider than the screen: its nearest clipping ancestor, if that scrolls
  const scroller = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (clips(p)) return scrolls(p) ? p : null; } return null; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const all = [...document.querySelectorAll('main *')].filter(visible);
  const wide = all.filter(el => { const r = el.getBoundingClientRect();
      return (r.right > vw + 1 || r.left < -1) && !scroller(el); }).map(el => name(el));
  const boxes = all.filter(el => scrolls(el) && el.scrollWidth > el.clientWidth + 1);
  const stuck = boxes.filter(b => { b.scrollLeft = 40; const moved = b.scrollLeft > 0; b.scrollLeft = 0; return !moved; });
  const cue = el => getComputedStyle(el, '::before').content.includes('左右滑动');
  const cued = boxes.filter(b => cue(b));
  const miscued = all.filter(el => cue(el) && !boxes.includes(el)).length;     // a cue over what does not scroll
  const sticky = boxes.filter(b => { const c = b.querySelector('tbody tr > :first-child');
      return c && getComputedStyle(c).position === 'sticky'; });
  // a chart is a PNG for the A4 page and an SVG drawn for the screen: whichever of the two is shown
  const shown = sel => [...document.querySelectorAll(sel)].filter(visible);
  const img = shown('.tekun-leader figure > :is(img, .tekun-phone-chart)')[0];
  const charts = shown('main figure > :is(img, .tekun-phone-chart)').map(i => Math.round(i.getBoundingClientRect().width));
  const pictures = shown('main figure > img').length;       // an A4 picture shrunk to the screen
  // each word of a chart as the reader sees it: its font size in the drawing times the drawing's scale on screen
  // (the scale of a turned word, an axis' name, is that of its matrix's first column; its box's width is then
  // its height)
  const words = shown('main figure svg text').filter(t => t.textContent.trim()).map(t => {
      const m = t.getScreenCTM(), r = t.getBoundingClientRect();
      return {text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
              height: Math.abs(m.b) > Math.abs(m.a) ? r.width : r.height}; });
  const small = [], narrow = [];
  for (const c of document.querySelectorAll('main table td, main table th')) {
    if (visible(c) && c.textContent.trim() && parseFloat(getComputedStyle(c).fontSize) < 11)
      small.push(name(c) + ' ' + getComputedStyle(c).fontSize);
  }
  for (const t of document.querySelectorAll('main table')) {
    if (!visible(t) || t.classList.contains('tekun-actions')) continue;
    const row = t.querySelector('thead tr:last-child') || t.querySelector('tr');
    for (const c of (row ? row.children : [])) {
      const w = c.getBoundingClientRect().width;
      if (w < 40) narrow.push(name(t) + ' ' + c.textContent.trim() + ' ' + Math.round(w));
    }
  }
  const deadlines = [];
  for (const t of document.querySelectorAll('.tekun-leader table.tekun-actions')) {
    const col = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim()).indexOf('期限');
    for (const tr of t.querySelectorAll('tbody tr')) {
      const td = tr.children[col], r = td.getBoundingClientRect(), box = scroller(td);
      deadlines.push({text: td.textContent.trim(), seen: r.width >= 40 && r.height > 0 && r.left >= 0
          && r.right <= vw + 1 && td.scrollWidth <= td.clientWidth + 1
          && (!box || r.right <= box.getBoundingClientRect().right + 1)});
    }
  }
  const toc = [...document.querySelectorAll('nav.tekun-toc a')].map(a => a.getAttribute('href'));
  const sections = [...document.querySelectorAll('main h2[id]')].map(h => '#' + h.id);
  return {vw, docWidth: document.documentElement.scrollWidth, wide, boxes: boxes.length, stuck: stuck.length,
          cued: cued.length, miscued,
          sticky: sticky.length, chart: img && visible(img) ? Math.round(img.getBoundingClientRect().width) : 0,
          charts, pictures, words, small, narrow, deadlines, toc, sections};
}"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def _measure(context, path: Path) -> dict:
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="load")
        return page.evaluate(MEASURE)
    finally:
        page.close()


@pytest.mark.parametrize("month", ["2023-08", "2023-10"])
@pytest.mark.parametrize("who", [BANNER, TOWNSHIP])
def test_a_briefing_reads_on_a_phone(rendered_batch, phone, month, who):
    folder = rendered_batch / month if who == BANNER else rendered_batch / month / "乡镇"
    m = _measure(phone, folder / f"{who}_{month}_月度简报.html")
    assert m["vw"] == 390 and m["docWidth"] == 390, m["docWidth"]
    assert not m["wide"], m["wide"][:10]                 # wider than the screen only inside a scroll box
    assert m["boxes"] >= 1 and m["stuck"] == 0, m       # and those boxes do scroll
    assert m["sticky"] == m["boxes"], m                  # every scrolled table keeps its first column
    assert m["cued"] == m["boxes"] and m["miscued"] == 0, m      # each says so, and nothing else does
    if who == BANNER:                                    # page 1's occupancy chart beside its table
        assert m["chart"] >= 300, m["chart"]
    assert all(w >= 300 for w in m["charts"]), m["charts"]          # every chart the screen's width


@pytest.mark.parametrize("month", ["2023-08", "2023-10"])
@pytest.mark.parametrize("who", [BANNER, TOWNSHIP])
def test_chart_words_are_drawn_for_the_screen(rendered_batch, phone, month, who):
    """The charts' words at least 11 px on the phone's screen: the A4 pictures shrunk to 390 px had shown them
    at about 5 px; a chart drawn for the screen (SVG, its words text) is shown there instead."""
    folder = rendered_batch / month if who == BANNER else rendered_batch / month / "乡镇"
    m = _measure(phone, folder / f"{who}_{month}_月度简报.html")
    # a township's first month has no chart (no trend yet); every other briefing has at least one
    assert (len(m["charts"]) >= 1 or (who == TOWNSHIP and month == "2023-08")) and m["pictures"] == 0, m["charts"]
    assert len(m["words"]) >= 10 * len(m["charts"]), len(m["words"])        # every chart's words measured
    small = [w for w in m["words"] if w["px"] < 11 or w["height"] < 11]
    assert not small, small[:10]
    assert not m["small"], m["small"][:10]
    assert not m["narrow"], m["narrow"][:10]
    assert m["deadlines"] and all(d["seen"] for d in m["deadlines"]), m["deadlines"]
    assert m["toc"] and m["toc"] == m["sections"], (m["toc"], m["sections"])


def test_the_index_reads_on_a_phone(rendered_batch, phone):
    page = phone.new_page()
    try:
        page.goto((rendered_batch / "index.html").as_uri(), wait_until="load")
        m = page.evaluate("""() => {
          const links = [...document.querySelectorAll('a')].map(a => a.getBoundingClientRect());
          const first = document.querySelector('section');
          const kids = [...first.children].filter(k => k.getBoundingClientRect().height > 0);
          const top = sel => { const e = first.querySelector(sel); return e ? e.getBoundingClientRect().top : null; };
          return {n: links.length, low: links.filter(r => r.height < 44).length,
                  docWidth: document.documentElement.scrollWidth, reports: top('.reports'), figs: top('.figs')};
        }""")
    finally:
        page.close()
    assert m["n"] > 50 and m["low"] == 0, m
    assert m["docWidth"] == 390
    assert m["reports"] < m["figs"], m                   # the links first, the figures after them


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_a_notebooks_charts_are_shown_once_without_the_reports_stylesheet(rendered_batch, browser, viewport):
    """JupyterLab shows a notebook's outputs without the report's stylesheet: each chart once, its A4 picture (the
    SVG drawn for the phone is hidden by its own style; the report's phone rule shows it instead, see above)."""
    import nbformat

    nb = nbformat.read(rendered_batch / "2023-08" / "notebooks" / f"{BANNER}_2023-08_月度简报.ipynb", as_version=4)
    html = [out.data["text/html"] for cell in nb.cells for out in cell.get("outputs", [])
            if "tekun-figure" in out.get("data", {}).get("text/html", "")]
    assert html, "the banner's notebook has chart outputs"
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.set_content("<html><body>" + "".join(html) + "</body></html>")
        shown = page.evaluate("""() => [...document.querySelectorAll('figure.tekun-figure')].map(f =>
            [...f.children].filter(c => { const r = c.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
                           .map(c => c.tagName.toLowerCase()))""")
    finally:
        context.close()
    assert len(shown) >= 4 and all(s == ["img"] for s in shown), shown
