"""举报与媒体反映问题 in the briefings and the Excel export: the month's cases of the bureau's register.

A township's briefing lists the cases about it (its own or its homes'): number, day received, channel, category,
what was reported, the handling unit, the deadline and how it stands (one line when there is none, or when the
month has no register: 未收到, never 0 cases). The Excel export has a sheet of the month's cases in the briefing's
scope. The texts are public (:func:`tekun_helpers.analysis.complaints.public`: no name, identity number or health
word); the person concerned is never shown.
"""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from ..analysis import complaints as ac
from ..config import outputs
from ..config.outputs import Sheet
from ..core.fmt import cn_month
from . import tables
from .tables import line

esc = html.escape
#: what the township briefing's table shows (one A4 page wide); the Excel sheet has every column
SHOWN = ("case_no", "category", "summary", "unit", "deadline", "state")


def cases(b) -> pd.DataFrame:
    """The month's cases in the briefing's scope (all for the banner; a township: its own and its homes')."""
    df = b.once("complaint_cases", lambda: ac.cases(b.data, ac.people_names(*b.months)))
    if b.scope.whole or not len(df):
        return df
    homes = set(b.scope.homes)
    return df[df["township"].isin(b.scope.townships) | df["home"].isin(homes) | df["unit"].isin(homes)
              ].reset_index(drop=True)


def township_part(b, title: str, intro: str, mark=None) -> None:
    """A township's 举报与媒体反映问题 part under the notebook's title and intro; one line when the month has no register
    or no case about the township. ``mark``: the sample mark (show.py passes opening.sample_mark)."""
    if not ac.has_register(b.data):
        display(HTML(line(title, f"{cn_month(b.month)}未收到举报与媒体报道问题登记表。")))
        return
    own = cases(b)
    if own.empty:
        display(HTML(line(title, f"{cn_month(b.month)}登记表中没有涉及{b.township or b.policy.county.whole}的件。")))
        return
    display(HTML(f"<h3>{esc(title)}</h3><p>{esc(intro)}</p>"))
    if mark is not None:
        mark(b, "举报")
    late = own[own["days_overdue"] > 0]
    words = f"本月登记 {len(own)} 件，其中未办结 {int(own['closed_on'].isna().sum())} 件" + (
        f"、逾期 {len(late)} 件（由承办单位立即办结）" if len(late) else "") + "。"
    display(HTML(f"<p>{esc(words)}</p>"))
    display(tables.styled(own, tables.columns("complaint_cases", *SHOWN), policy=b.policy, wrap=("summary", "unit")))


def export_sheets(b) -> dict[str, Sheet]:
    """举报与媒体反映问题 for the Excel export: the month's cases in scope (nothing in a month without the register)."""
    if not ac.has_register(b.data):
        return {}
    t = outputs.table("complaint_cases")
    return {t.title: Sheet(t.columns, cases(b), b.data.from_sample(b.data.complaints), b.policy)}
