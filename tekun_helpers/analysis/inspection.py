"""评比考核: the bureau's inspections of the nursing homes, scored and ranked, and the items not met.

The month's filled checklists (``MonthData.inspections``, one row per home and item) give, for each home its
latest visit in the month (:func:`visits`). Each answer is worth what inspection.toml ``[inspection.scores]``
says (符合 1, 基本符合 0.5, 不符合 0); 不适用 is left out of the home's full marks. A home's score is the weighted
share of its full marks (:func:`ranking`, ranked highest first, equal scores sharing a place; homes not inspected
last, 未督查); an item's is the same share over the homes (:func:`item_table`). Each 不符合 is a typed finding
(:data:`~tekun_helpers.analysis.findings.INSPECTION_FAILED`) owned by the home, with its head and township
(data/reference/nursing_homes.csv) and due ``[followup] act_within_days`` after the month's end; the follow-up
register closes it when a later inspection finds the item 符合 (:func:`close`).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..config.inspection import MET, NOT_APPLICABLE, NOT_MET, PARTLY, inspection_for
from ..core.frames import rows_of
from ..core.months import month_end
from ..core.text import to_text
from . import findings as fd

NOT_INSPECTED = "未督查"
COUNTS = {"met": MET, "partly": PARTLY, "not_met": NOT_MET, "not_applicable": NOT_APPLICABLE}
RANKING_COLUMNS = ["rank", "home", "township", "inspected_on", "score", *COUNTS, "failed", "head", "inspected"]
ITEM_COLUMNS = ["item", "title", "section", "weight", "score", *COUNTS]
FAILED_COLUMNS = ["home", "township", "item", "title", "evidence", "head", "due", "source"]


def has_inspections(d) -> bool:
    """Whether the month has any filled checklist row."""
    return len(getattr(d, "inspections", ())) > 0


def visits(d) -> pd.DataFrame:
    """The rows of each home's latest visit in the month (by date, then file), with a known item and an answer,
    each item once; plus the item's weight and what the answer scores (None for 不适用)."""
    cols = ["home", "item", "answer", "evidence", "inspected_on", "source_file", "source_sheet", "source_row"]
    if not has_inspections(d):
        return pd.DataFrame(columns=[*cols, "weight", "value"])
    df = d.inspections
    df = df[df["item"].astype(object).map(to_text).astype(bool) & df["answer"].notna() & (df["home"] != "")]
    last = {}
    for r in rows_of(df):
        key = (r["inspected_on"] or dt.date.min, r["source_file"], r["source_sheet"])
        if r["home"] not in last or key > last[r["home"]]:
            last[r["home"]] = key
    keep = [((r["inspected_on"] or dt.date.min), r["source_file"], r["source_sheet"]) == last[r["home"]]
            for r in rows_of(df)]
    df = df[keep].drop_duplicates(subset=["home", "item"], keep="first")[cols].reset_index(drop=True)
    checklist = inspection_for(d.policy)
    weights = {i.id: i.weight for i in checklist.items}
    df["weight"] = df["item"].map(weights)
    df["value"] = df["answer"].map(lambda a: checklist.score(a))
    return df[df["weight"].notna()].reset_index(drop=True)


def _share(rows: pd.DataFrame) -> float | None:
    """The weighted share of full marks of ``rows`` (不适用 left out); None when nothing is scored."""
    scored = rows[rows["value"].notna()]
    full = float(scored["weight"].sum())
    return float((scored["weight"] * scored["value"].astype(float)).sum()) / full if full else None


def _counts(rows: pd.DataFrame) -> dict[str, int]:
    c = rows["answer"].value_counts()
    return {k: int(c.get(a, 0)) for k, a in COUNTS.items()}


def ranking(d) -> pd.DataFrame:
    """One row per home of the reference (RANKING_COLUMNS): its score and place, its answers counted, the items
    not met named; highest score first, equal scores sharing a place, homes not inspected last (未督查)."""
    v = visits(d)
    titles = {i.id: i.title for i in inspection_for(d.policy).items}
    rows = []
    for order, h in enumerate(d.reference.homes):
        mine = v[v["home"] == h.name]
        inspected = len(mine) > 0
        failed = [titles[i] for i in mine.loc[mine["answer"] == NOT_MET, "item"]]
        rows.append({"home": h.name, "township": h.township, "head": h.head, "inspected": inspected,
                     "inspected_on": mine["inspected_on"].dropna().max() if inspected else None,
                     "score": _share(mine) if inspected else None, **_counts(mine),
                     "failed": "；".join(failed) if inspected else NOT_INSPECTED, "_order": order})
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    df["inspected_on"] = df["inspected_on"].astype(object).where(df["inspected_on"].notna(), None)
    scores = df["score"].astype(float).round(6)
    df["rank"] = scores.rank(method="min", ascending=False).astype("Int64")
    df["_key"] = scores.fillna(-1.0)
    df = df.sort_values(["_key", "_order"], ascending=[False, True], kind="stable")
    return df[RANKING_COLUMNS].reset_index(drop=True)


def item_table(d) -> pd.DataFrame:
    """One row per item of the checklist (ITEM_COLUMNS): its weight, its share of full marks over the homes
    inspected, the homes by answer."""
    v = visits(d)
    rows = []
    for item in inspection_for(d.policy).items:
        mine = v[v["item"] == item.id]
        rows.append({"item": item.id, "title": item.title, "section": item.section, "weight": item.weight,
                     "score": _share(mine) if len(mine) else None, **_counts(mine)})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def due_date(month: str, policy) -> dt.date:
    """By when an item not met in ``month`` is to be put right: the month's end + ``[followup] act_within_days``."""
    return month_end(month) + dt.timedelta(days=policy.followup.act_within_days)


def findings(d) -> list[fd.Finding]:
    """One finding per item not met at each home's latest visit, in ranking order of the homes, then the items'."""
    v = visits(d)
    checklist = inspection_for(d.policy)
    order = {i.id: n for n, i in enumerate(checklist.items)}
    homes = {h.name: h for h in d.reference.homes}
    due = due_date(d.month, d.policy)
    out = []
    bad = v[v["answer"] == NOT_MET].copy()
    bad["_o"] = bad["item"].map(order)
    for r in rows_of(bad.sort_values("_o", kind="stable")):
        h = homes.get(r["home"])
        item = checklist.item(r["item"])
        cell = fd.Cell(r["source_file"], r["source_sheet"], int(r["source_row"]), "answer")
        out.append(fd.make(fd.INSPECTION_FAILED, home=r["home"], township=h.township if h else "", due=due,
                           cells=(cell,), item=item.id, title=item.title, section=item.section,
                           evidence=to_text(r["evidence"]), head=h.head if h else "",
                           inspected_on=r["inspected_on"]))
    rank = {h: n for n, h in enumerate(ranking(d)["home"])}
    return sorted(out, key=lambda f: rank.get(f.home, len(rank)))


def failed_table(d, found: list[fd.Finding] | None = None) -> pd.DataFrame:
    """The items not met (FAILED_COLUMNS), one row per finding of :func:`findings`."""
    found = findings(d) if found is None else found
    rows = [{"home": f.home, "township": f.township, "item": f.fact("item"), "title": f.fact("title"),
             "evidence": f.fact("evidence"), "head": f.fact("head"), "due": f.due,
             "source": "；".join(str(c) for c in f.cells)} for f in found]
    return pd.DataFrame(rows, columns=FAILED_COLUMNS)


def answers(d) -> dict[tuple[str, str], dict] | None:
    """(home, item) -> the row of its latest visit this month; None when the month has no inspection."""
    if not has_inspections(d):
        return None
    return {(r["home"], r["item"]): r for r in rows_of(visits(d))}


def close(home: str, item: str, d, seen: dict | None = None) -> tuple[bool | None, str]:
    """Whether month ``d`` closes the item not met at ``home`` (``seen``: :func:`answers` of ``d``, computed when
    None): (True, detail) when it was found 符合, (False, detail) when it stays open, with why."""
    seen = answers(d) if seen is None else seen
    mon = int(d.month[5:])
    if seen is None:
        return False, f"{mon}月未收到督查检查表，无法核实"
    r = seen.get((home, item))
    if r is None:
        return False, f"{mon}月未督查{home}的该项目"
    when = f"{r['inspected_on'].month}月{r['inspected_on'].day}日" if r["inspected_on"] else f"{mon}月"
    if r["answer"] == MET:
        return True, f"{when}督查为“{MET}”"
    return False, f"{when}督查为“{r['answer']}”" + (f"：{to_text(r['evidence'])}" if to_text(r["evidence"]) else "")
