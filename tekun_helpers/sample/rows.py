"""load_month's frames back as the plain dicts the sample generators work on.

The generators start from what a month's folder holds (read by :func:`tekun_helpers.month.load_month`)
and write workbooks through :mod:`tekun_helpers.forms`; in between they work on plain Python values:
None for blanks, Python numbers for numpy scalars, one dict per row.
"""
from __future__ import annotations

from .people import PERSON_KEYS


def records(rows) -> list[dict]:
    """Rows given as a DataFrame or as mappings -> list of plain dicts."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return rows.to_dict("records")
    return [dict(r) for r in rows]


def plain(value):
    """None for blanks and NaN/NA; text stripped; numpy scalars as Python numbers."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "item"):
        return value.item()
    return value


def person_from_row(row: dict) -> dict:
    """A person of load_month's ``assessments`` frame as a form row: the 18 official columns
    (:data:`~tekun_helpers.sample.people.PERSON_KEYS`), blanks as '' except the two ages (None)."""
    p = {k: plain(row.get(k)) for k in PERSON_KEYS}
    for k in PERSON_KEYS:
        if p[k] is None and k not in ("age", "guardian_age"):
            p[k] = ""
    return p


def people_of_month(m) -> dict[str, list[dict]]:
    """township -> the people on its forms (the 18 official columns), in form order, from load_month's
    MonthData ``m``; townships without people are left out."""
    out: dict[str, list[dict]] = {t: [] for t in m.reference.township_names}
    for row in m.assessments.to_dict("records"):
        out.setdefault(row["township"], []).append(person_from_row(row))
    return {t: plist for t, plist in out.items() if plist}
