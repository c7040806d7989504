"""The checks of a filled inspection checklist (schema.INSPECTIONS), besides those every table gets.

The date and the inspectors are written once, in a cell merged down the rows: they are filled down the table's
rows first (:func:`fill_down`), so every row is the visit's. Then each row: the item's id must be one of
inspection.toml's (else the row is not scored), once per table; a 不符合 answer needs what was seen; the date
must fall in the folder's month. The home's name is resolved like any home's (checks.tables.resolve_names).
"""
from __future__ import annotations

from ..config.inspection import NOT_MET, inspection_for
from ..core.catalogue import issue
from ..core.issues import Issue
from ..core.months import month_end
from ..core.text import clip, fold, to_text
from ..io.readers import ParsedTable
from .tables import cell

ONCE = ("inspected_on", "inspectors")


def fill_down(t: ParsedTable) -> None:
    """The date and the inspectors of the first row that has them given to every later row without them."""
    for key in ONCE:
        value = None
        for r in t.rows:
            if r.values.get(key):
                value = r.values[key]
            elif value is not None:
                r.values[key] = value


def _item_issues(t: ParsedTable, ids: list[str]) -> list[Issue]:
    known = {fold(i): i for i in ids}
    first: dict[str, int] = {}
    out = []
    for r in t.rows:
        raw = to_text(r.values.get("item"))
        if not raw:
            continue
        item = known.get(fold(raw))
        if item is None:
            out.append(issue("inspection_unknown_item", cell(t, r.row, "item"), value=clip(raw), raw=clip(raw),
                             ids="、".join(ids)))
            r.values["item"] = None
        elif item in first:
            out.append(issue("inspection_duplicate_item", cell(t, r.row, "item"), value=clip(raw), item=item,
                             first_row=first[item]))
            r.values["item"] = None
        else:
            first[item] = r.row
            r.values["item"] = item
    return out


def _date_issues(t: ParsedTable, month: str) -> list[Issue]:
    if t.month is not None and t.month != month:
        return []          # the checklist's 检查月份 line names another month: that error says it (wrong_month)
    last = month_end(month)
    first = last.replace(day=1)
    out = []
    dated = [r for r in t.rows if r.values.get("inspected_on")]
    if t.rows and not dated and "inspected_on" in t.columns:
        out.append(issue("inspection_date_missing", cell(t, t.rows[0].row, "inspected_on"), month=month))
    seen = set()
    for r in dated:
        day = r.values["inspected_on"]
        if not first <= day <= last and day not in seen:
            seen.add(day)
            out.append(issue("inspection_date_outside", cell(t, r.row, "inspected_on"), value=day.isoformat(),
                             day=day.isoformat(), month=month, first=first.isoformat(), last=last.isoformat()))
    return out


def check_inspection(t: ParsedTable, month: str, policy) -> list[Issue]:
    """The issues of one filled checklist; the rows' date and inspectors filled down, unknown and repeated items'
    ids set to None (not scored)."""
    fill_down(t)
    out = _item_issues(t, inspection_for(policy).ids) + _date_issues(t, month)
    for r in t.rows:
        if r.values.get("answer") == NOT_MET and not to_text(r.values.get("evidence")):
            out.append(issue("inspection_no_evidence", cell(t, r.row, "evidence")))
    return out
