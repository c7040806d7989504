"""Heading numbers as in government documents (GB/T 9704): 一、 for a section, （一） for its parts, 1. below.

The notebooks write a section's number themselves (``## 三、工作进度``: prose, as the reader sees it);
the parts inside a section come from ``tekun_helpers.report.show`` and from the notebook, and which
of them appear depends on the month. :class:`HeadingNumbers`, an nbconvert preprocessor the report
exporter runs after the instruction cells are removed, numbers them in the order they appear:

- a level-2 heading (Markdown ``##`` or HTML ``<h2>``) starts a section: its parts count from （一）;
- a level-3 heading (``###``, ``<h3>``, or a one-line part ``<p class='tekun-short-section'><b>…：</b>``)
  gets the next （一）（二）…; its level-4 parts (``####``, ``<h4>``, a one-line part of class
  ``tekun-short-section tekun-h4``) count 1. 2. … (a one-line part may carry other classes too, e.g. ``tekun-back``);
- nothing before the first section is numbered (the title and the 领导摘要 page);
- a heading that already carries a number at its level keeps it (and counts).

The numbers are real text, so they show in the HTML, in the PDF and in what a reader copies. A numbered
one-line part's title gets ``role="heading"`` and its level, so it is a bookmark in the PDF (render.py
prints with ``outline=True, tagged=True``) like the other headings.

:class:`SectionMarks` then puts each section's sample mark (``show.sample_mark``, the first output of
the code cell after the heading) into the heading's line, at its right end, so a mark costs no line
of its own on the page; in JupyterLab the mark stays where the notebook shows it.
"""
from __future__ import annotations

import html
import re

from nbconvert.preprocessors import Preprocessor

from ..report.sections import LEAD

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> '一', 10 -> '十', 12 -> '十二', 20 -> '二十', 99 -> '九十九' (1..99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"heading numbers run from 1 to 99, not {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def label(level: int, n: int) -> str:
    """The number a heading of ``level`` (3 or 4) shows: （一） or 1."""
    if level == 4:
        return f"{n}."
    return f"（{cn_number(n)}）" if n <= 99 else f"（{n}）"


_NUMBERED = {3: re.compile(r"\s*（[一二三四五六七八九十]+）"), 4: re.compile(r"\s*\d+[.．、]")}

# an HTML heading's opening tag, or a one-line part's bold title
_HTML_HEADING = re.compile(r"<h([234])(?:\s[^>]*)?>|<p class=['\"]tekun-short-section((?: [\w-]+)*)['\"]><b>")
_MD_HEADING = re.compile(r"^(#{2,4})[ \t]+(.*)$")


class _Counter:
    def __init__(self):
        self.started = False
        self.n = {3: 0, 4: 0}

    def next(self, level: int, text_after: str) -> str:
        """The number to put before a heading of ``level`` whose text starts ``text_after`` ('' when it has one)."""
        if level == 2:
            self.started = True
            self.n = {3: 0, 4: 0}
            return ""
        if not self.started:
            return ""
        self.n[level] += 1
        if level == 3:
            self.n[4] = 0
        return "" if _NUMBERED[level].match(text_after) else label(level, self.n[level])


class HeadingNumbers(Preprocessor):
    """Number the parts of each section in document order (see the module's docstring)."""

    def preprocess(self, nb, resources):
        counter = _Counter()
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = _number_markdown(cell.source, counter)
            elif cell.cell_type == "code":
                for out in cell.get("outputs", []):
                    data = out.get("data") if out.get("output_type") in ("display_data", "execute_result") else None
                    if data and "text/html" in data:
                        src = data["text/html"]
                        text = "".join(src) if isinstance(src, list) else src
                        data["text/html"] = _number_html(text, counter)
        return nb, resources


def _number_markdown(source: str, counter: _Counter) -> str:
    lines, fenced = [], False
    for line in source.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        m = None if fenced else _MD_HEADING.match(line)
        if m:
            level, text = len(m.group(1)), m.group(2)
            line = f"{m.group(1)} {counter.next(level, text)}{text}"
        lines.append(line)
    return "\n".join(lines)


def _number_html(text: str, counter: _Counter) -> str:
    def put(m: re.Match) -> str:
        level = int(m.group(1)) if m.group(1) else (4 if "tekun-h4" in (m.group(2) or "").split() else 3)
        number = counter.next(level, text[m.end():m.end() + 12])
        opening = m.group(0)
        if not m.group(1) and counter.started:   # a numbered one-line part is a heading to the PDF's outline
            opening = opening[:-len("<b>")] + f'<b role="heading" aria-level="{level}">'
        return opening + number
    return _HTML_HEADING.sub(put, text)


_MARK = re.compile(r"\s*<p class=['\"](tekun-mark tekun-mark-(?:sample|real))['\"]>(.*)</p>\s*", re.S)
_PLAIN_HEADING = re.compile(r"^## ([^*_`\[\]<>\\]+)$")


class SectionMarks(Preprocessor):
    """Move a section's mark into its heading: ``## 四、排查评估`` followed by a code cell whose first
    output is the mark becomes ``<h2>四、排查评估<span class="tekun-mark …">…</span></h2>`` (an HTML
    heading, since Markdown would take the mark's tags apart). Headings with Markdown syntax in them,
    and marks that do not directly follow a heading, are left as they are. A lead-in the code cell then
    shows (``show.lead``: the notebook's prose in the county's words) joins the heading's cell, as if the
    notebook had written it there."""

    def preprocess(self, nb, resources):
        cells = nb.cells
        for i, cell in enumerate(cells[:-1]):
            nxt = cells[i + 1]
            if cell.cell_type != "markdown" or nxt.cell_type != "code" or not nxt.get("outputs"):
                continue
            out = nxt.outputs[0]
            data = out.get("data") if out.get("output_type") == "display_data" else None
            src = data.get("text/html") if data else None
            src = "".join(src) if isinstance(src, list) else src
            m = _MARK.fullmatch(src or "")
            lines = cell.source.split("\n")
            head = _PLAIN_HEADING.match(lines[0]) if lines else None
            if not (m and head):
                continue
            # inert (out of the accessibility tree): the PDF's bookmark (and a screen reader's heading list) is
            # the heading's words alone; the mark still prints, and the report's banner and every page's header
            # say the same. (aria-hidden does the same, but the HTML's attributes come out sorted, before class.)
            lines[0] = (f"<h2>{html.escape(head.group(1).strip())}"
                        f"<span class=\"{m.group(1)}\" inert>{m.group(2)}</span></h2>\n")
            cell.source = "\n".join(lines)
            nxt.outputs = nxt.outputs[1:]
        for i, cell in enumerate(cells[:-1]):       # a section's lead-in (show.lead) joins its heading's cell
            nxt = cells[i + 1]
            while cell.cell_type == "markdown" and nxt.cell_type == "code" and nxt.get("outputs") and _lead(nxt.outputs[0]):
                cell.source += "\n\n" + _lead(nxt.outputs[0])
                nxt.outputs = nxt.outputs[1:]
        return nb, resources


def _lead(out) -> str:
    """The Markdown of an output that is a section's lead-in (``show.lead``: metadata ``tekun: lead``), else ''."""
    if out.get("output_type") != "display_data" or out.get("metadata", {}).get("tekun") != LEAD:
        return ""
    text = out.get("data", {}).get("text/markdown", "")
    return "".join(text) if isinstance(text, list) else text


#: where the report template wants the table of contents (see :func:`add_contents`)
CONTENTS_MARKER = "<!-- tekun-contents -->"

_SECTION_HEADING = re.compile(r"<h2(\s[^>]*)?>(.*?)</h2>", re.S)
_SECTION_NUMBER = re.compile(r"[一二三四五六七八九十]+、")
_HEADING_MARK = re.compile(r"<span [^>]*class=[\"']tekun-mark .*", re.S)


def add_contents(page: str) -> str:
    """The report's HTML with an id on each numbered section heading (一、…) and, at the template's
    :data:`CONTENTS_MARKER`, a table of contents linking them: a ``<details>`` list, closed, that a phone's
    reader opens with a tap (shown on screens only: the printed report and its PDF have bookmarks instead).
    A page without the marker or without numbered sections is returned as it is, without the marker."""
    entries: list[tuple[str, str]] = []

    def put(m: re.Match) -> str:
        attrs, inner = m.group(1) or "", m.group(2)
        text = html.unescape(re.sub(r"<[^>]+>", "", _HEADING_MARK.sub("", inner))).strip()
        if not _SECTION_NUMBER.match(text) or " id=" in attrs:
            return m.group(0)
        anchor = f"tekun-s{len(entries) + 1}"
        entries.append((anchor, text))
        return f'<h2 id="{anchor}"{attrs}>{inner}</h2>'

    head, marker, body = page.partition(CONTENTS_MARKER)
    if not marker:
        return page
    body = _SECTION_HEADING.sub(put, body)
    if not entries:
        return head + body
    items = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in entries)
    nav = (f'<nav class="tekun-toc" aria-label="目录"><details><summary>目录（{len(entries)} 节）</summary>'
           f"<ol>{items}</ol></details></nav>")
    return head + nav + body


__all__ = ["HeadingNumbers", "SectionMarks", "add_contents", "cn_number", "label"]
