"""公布处理结果: the public notice (公示) of the complaints and media reports closed in a month (plan 四（四）).

:func:`build` gathers the cases of the month's register whose 办结日期 falls in the month; :func:`show` displays the
notice in the manner of a government notice: the title, a number (文号: complaints.toml's prefix, the year, the
month), an opening sentence quoting the plan, one numbered paragraph per case (what was reported, what was found,
what was done, by which unit, when it was closed), the days of publication, and the bureau as signer with the
date (the month's last day). It is rendered by ``tekun report --notice --month M`` through the briefings' engine
(notebooks/public_notice.ipynb; :mod:`tekun_helpers.publish.notice`).

Nobody is named: a person concerned is written as complaints.toml's ``person`` (“某乡镇一名分散供养特困人员”), homes
by their name (they are institutions); every text passes :func:`tekun_helpers.analysis.complaints.public` with the
names of every person in every table of the months up to this one, so that no name, identity number or health
word reaches the notice even when a clerk wrote one into the register.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from IPython.display import HTML, display

from ..analysis import complaints as ac
from ..config.complaints import complaints_for
from ..core.fmt import cn_date, cn_month
from ..core.months import month_end
from ..core.text import to_text

esc = html.escape
_NUMERALS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (up to 99)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _NUMERALS[tens]) + "十" if tens else "") + (_NUMERALS[ones] if ones else "") or "〇"


@dataclass(frozen=True)
class Case:
    """One paragraph of the notice: every text public."""

    case_no: str
    subject: str        # the home, the township, or a person written generically
    category: str
    received: dt.date | None
    channel: str
    summary: str
    unit: str
    found: str
    result: str
    closed: dt.date


@dataclass(frozen=True)
class Notice:
    month: str
    title: str
    number: str
    opening: str
    cases: tuple[Case, ...]
    closing: str
    signer: str
    date: dt.date
    sample: bool


def _sentence(text: str) -> str:
    text = text.strip().rstrip("。；;，,")
    return f"{text}。" if text else ""


def _subject(r: dict, settings) -> str:
    if to_text(r.get("home")):
        return to_text(r["home"])
    if to_text(r.get("person_name")):
        return settings.person.format(township=to_text(r.get("township")))
    return to_text(r.get("township"))


def build(month: str, data_dir=None, data=None) -> Notice:
    """The notice of the cases closed in ``month`` (its register; names of the months up to it kept out)."""
    from ..analysis.trends import history
    from ..month import load_month

    d = data or load_month(month, data_dir, cache=True, lean=True)
    months, _ = history(month, d.folder.parent, whole=True)     # every table's names, of every month
    names = ac.people_names(d, *months)
    settings = complaints_for(d.policy)
    county = d.policy.county
    rows = ac.closed_in_month(d)
    cases = tuple(Case(r["case_no"], _subject(r, settings), to_text(r.get("category")), r.get("received_on"),
                       to_text(r.get("channel")), ac.public(d, r.get("summary"), names), to_text(r.get("unit")),
                       ac.public(d, r.get("found"), names), ac.public(d, r.get("result"), names), r["closed_on"])
                  for r in rows)
    date = month_end(month)
    end = date + dt.timedelta(days=settings.notice_days - 1)
    quote = f"“{settings.source.rstrip('。')}”" if settings.source else "公布处理结果"
    doc = d.policy.document
    opening = (f"按照《{doc.title}》（{doc.number}）{quote}的要求，现将{cn_month(month)}办结的 {len(cases)} 件群众举报和媒体反映问题的处理结果公示如下：")
    closing = (f"公示期为 {settings.notice_days} 天（{cn_date(date)}至{cn_date(end)}）。对处理结果有异议的，"
               f"请在公示期内向{county.bureau}反映。")
    return Notice(month, settings.notice_title.format(month=cn_month(month)),
                  f"{settings.prefix(county)}〔{date.year}〕{date.month}号", opening, cases, closing, county.bureau, date,
                  d.from_sample(d.complaints))


def paragraph(n: int, c: Case) -> str:
    """The case's paragraph: '一、关于<subject><category>问题（<number>）。<date>通过<channel>受理，<summary>。经<unit>调查核实：…处理结果：…'."""
    got = f"{c.received.month}月{c.received.day}日" if c.received else ""
    parts = [f"{cn_number(n)}、关于{c.subject}{c.category}问题（{c.case_no}）。",
             f"{got}通过{c.channel}受理，{_sentence(c.summary)}",
             f"经{c.unit}调查核实：{_sentence(c.found) or '反映的问题属实。'}",
             f"处理结果：{_sentence(c.result)}",
             f"{c.closed.month}月{c.closed.day}日办结。"]
    return "".join(parts)


def text(n: Notice) -> str:
    """The notice as plain text, in reading order (title, number, opening, paragraphs, closing, signer, date)."""
    lines = [n.title, n.number, n.opening, *(paragraph(i, c) for i, c in enumerate(n.cases, 1)), n.closing,
             n.signer, cn_date(n.date)]
    return "\n".join(lines)


STYLE = ("font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;line-height:1.9;font-size:15px;"
         "max-width:42em;margin:0 auto")


def notice_html(n: Notice) -> str:
    """The notice as HTML in the manner of a government notice."""
    if not n.cases:
        body = f"<p style='text-indent:2em'>{esc(cn_month(n.month))}没有办结的举报和媒体反映问题，本月不公示。</p>"
    else:
        body = (f"<p style='text-indent:2em'>{esc(n.opening)}</p>"
                + "".join(f"<p style='text-indent:2em'>{esc(paragraph(i, c))}</p>" for i, c in enumerate(n.cases, 1))
                + f"<p style='text-indent:2em'>{esc(n.closing)}</p>")
    return (f"<article class='tekun-notice' style=\"{STYLE}\">"
            f"<p style='text-align:center;margin:0'>{esc(n.number)}</p>"
            f"<h1 style='text-align:center;font-size:22px;font-weight:bold;margin:0.6em 0 1em'>{esc(n.title)}</h1>"
            f"{body}"
            f"<p style='text-align:right;margin-top:2em;margin-bottom:0'>{esc(n.signer)}</p>"
            f"<p style='text-align:right;margin-top:0'>{esc(cn_date(n.date))}</p></article>")


def show(n: Notice) -> None:
    """Display the notice (the notebook's one visible output)."""
    display(HTML(notice_html(n)))
