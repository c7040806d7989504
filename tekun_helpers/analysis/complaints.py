"""举报与媒体反映的问题: the month's cases of the bureau's register (plan 四（四）: "对公众举报和媒体报道的问题，要及时查处
并公布处理结果"), each open case a finding followed in the register until closed, and the cases closed in a month
for the public notice of results (:mod:`tekun_helpers.report.notice`).

A case's due date is its 办理期限, else the day it was received + complaints.toml's ``default_days``; its owner
the handling unit (承办单位). What may be shown of a case outside the bureau (its summary, what was found, what
was done) is passed through :func:`tekun_helpers.io.privacy.public_text` with the names of every person in the
month's tables (:func:`people_names`), so that no name, identity number or health word reaches a report.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..config.complaints import complaints_for
from ..config.schema import PERSON_NAME_FIELDS
from ..core.frames import rows_of
from ..core.months import month_end
from ..core.text import to_text
from ..io.privacy import public_text
from . import findings as fd

OPEN_WORD, CLOSED_WORD = "未办结", "已办结"
#: the columns of :func:`cases` (the Excel sheet and the township briefing's list)
CASE_COLUMNS = ["case_no", "received_on", "channel", "township", "home", "category", "summary", "unit", "deadline",
                "state", "days_overdue", "found", "result", "closed_on", "published_on", "source"]
#: the person-name columns of every table a month may hold (schema keys), and the reference's heads of homes
NAME_COLUMNS = PERSON_NAME_FIELDS


def has_register(d) -> bool:
    """Whether the month has the register (a month without it says 未收到, never 0 cases)."""
    return len(getattr(d, "complaints", ())) > 0


def people_names(*months) -> list[str]:
    """Every person's name in the tables of ``months`` (MonthData) and the reference's heads of homes: what a
    public text must never hold. Inspectors written several to a cell (张三、李四) are split. Each month's names
    are kept in the disk store with the month (a report of month 12 read twelve months' tables: 0.55 s)."""
    from ..core import store

    out: set[str] = set()
    for d in months:
        key = getattr(d, "store_key", None)
        if key:
            out |= store.kept("names", store.digest("names", store.code_version(), key), lambda d=d: _names_of(d))
        else:
            out |= _names_of(d)
    return sorted(out)


def _names_of(d) -> frozenset[str]:
    """The names of one month's tables and its reference's heads of homes (see :func:`people_names`)."""
    out: set[str] = set()
    for frame, keys in NAME_COLUMNS.items():
        df = getattr(d, frame, None)
        if df is None or not len(df):
            continue
        for key in keys:
            if key in df.columns:
                for v in df[key].dropna().unique():
                    for part in to_text(v).replace("，", "、").replace(",", "、").replace(" ", "、").split("、"):
                        if len(part.strip()) >= 2:
                            out.add(part.strip())
    out |= {h.head for h in d.reference.homes if getattr(h, "head", "") and len(h.head) >= 2}
    return frozenset(out)


def due(r: dict, policy) -> dt.date | None:
    """A case's due date: its deadline, else received + ``default_days``."""
    if r.get("deadline"):
        return r["deadline"]
    got = r.get("received_on")
    return got + dt.timedelta(days=complaints_for(policy).default_days) if got else None


def public(d, text, names=None) -> str:
    """``text`` of a case as it may be shown outside the bureau (names, identity numbers, health words as ××)."""
    names = people_names(d) if names is None else names
    return public_text(text, names, complaints_for(d.policy).health_words)


def _rows(d) -> list[dict]:
    return rows_of(d.complaints) if has_register(d) else []


def findings(d, names=None) -> list[fd.Finding]:
    """One finding per case open at the month's end (not closed), in the register's order; the summary public."""
    names = people_names(d) if names is None else names
    out = []
    for r in _rows(d):
        if r.get("closed_on") or not r.get("case_no") or due(r, d.policy) is None:
            continue
        cell = fd.Cell(r["source_file"], r["source_sheet"], int(r["source_row"]), "closed_on")
        out.append(fd.make(fd.COMPLAINT_OPEN, township=to_text(r.get("township")), home=to_text(r.get("home")),
                           due=due(r, d.policy), cells=(cell,), case_no=r["case_no"], unit=to_text(r.get("unit")),
                           category=to_text(r.get("category")), channel=to_text(r.get("channel")),
                           received=r.get("received_on"), summary=public(d, r.get("summary"), names)))
    return out


def closed_words(r: dict, d, names=None) -> str:
    """What the register says of a case closed: '9月18日办结：<result>' (the result public)."""
    day = r.get("closed_on")
    return f"{day.month}月{day.day}日办结：{public(d, r.get('result'), names)}"


def close(case_no: str, d, seen: dict | None) -> tuple[bool, str]:
    """Whether month ``d`` closes the case (``seen``: case number -> its row this month; None: no register)."""
    mon = int(d.month[5:])
    if seen is None:
        return False, f"{mon}月未收到举报登记表，无法核实"
    r = seen.get(case_no)
    if r is None:
        return False, f"{mon}月登记表中没有此件（未办结的件应逐月登记）"
    if r.get("closed_on"):
        return True, closed_words(r, d)
    return False, ""


def index(d) -> dict[str, dict] | None:
    """Case number -> its row this month; None when the month has no register."""
    return {r["case_no"]: r for r in _rows(d) if r.get("case_no")} if has_register(d) else None


def cases(d, names=None) -> pd.DataFrame:
    """The month's cases (CASE_COLUMNS): open ones first (longest overdue first), then those closed; the texts
    public; ``state`` 未办结 / 逾期 / 已办结, ``days_overdue`` at the month's end (0 when not overdue)."""
    names = people_names(d) if names is None else names
    end = month_end(d.month)
    rows = []
    for r in _rows(d):
        when = due(r, d.policy)
        closed = r.get("closed_on")
        late = 0 if closed or when is None else max(0, (end - when).days)
        rows.append({"case_no": r["case_no"], "received_on": r.get("received_on"), "channel": r.get("channel"),
                     "township": to_text(r.get("township")), "home": to_text(r.get("home")),
                     "category": r.get("category"), "summary": public(d, r.get("summary"), names),
                     "unit": to_text(r.get("unit")), "deadline": when,
                     "state": CLOSED_WORD if closed else (f"逾期 {late} 天" if late else OPEN_WORD),
                     "days_overdue": late, "found": public(d, r.get("found"), names),
                     "result": public(d, r.get("result"), names), "closed_on": closed,
                     "published_on": r.get("published_on"), "source": f"{r['source_file']}:{r['source_row']}"})
    df = pd.DataFrame(rows, columns=CASE_COLUMNS)
    if len(df):
        df["_closed"] = df["closed_on"].notna()
        df = df.sort_values(["_closed", "days_overdue"], ascending=[True, False], kind="stable").drop(columns="_closed")
    return df.reset_index(drop=True)


def closed_in_month(d) -> list[dict]:
    """The rows of the cases closed in the month (their 办结日期 in it), in the order closed: the notice's cases."""
    first = month_end(d.month).replace(day=1)
    rows = [r for r in _rows(d) if r.get("closed_on") and r["closed_on"] >= first]
    return sorted(rows, key=lambda r: (r["closed_on"], r["source_row"]))
