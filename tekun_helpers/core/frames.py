"""Rows of a DataFrame as plain dicts, fast; its texts and dates shared with equal ones (:func:`share_values`)."""
from __future__ import annotations

import datetime as dt
import sys

import numpy as np
import pandas as pd


#: what :func:`_values` changes in an object column: NumPy scalars, ``pd.NA``, NumPy dates and durations
_BOXED = (np.number, np.bool_, type(pd.NA), np.datetime64, np.timedelta64)


def _values(column: pd.Series) -> list:
    """A column's values as ``DataFrame.to_dict("records")`` gives them: Python scalars where the column holds
    NumPy ones, None for a nullable column's ``pd.NA``, Timestamps and NaT for dates."""
    values = column.tolist()         # NumPy columns: Python scalars (Timestamps for dates) already
    dtype = column.dtype
    if dtype == object:              # what pandas boxes in an object column (maybe_box_native)
        if not any(issubclass(t, _BOXED) for t in set(map(type, values))):
            return values            # nothing to box (text, dates, Python numbers): 29,000 rows 40 -> 2 ms
        out = []
        for v in values:
            if isinstance(v, (np.number, np.bool_)):
                v = v.item()
            elif v is pd.NA:
                v = None
            elif isinstance(v, np.datetime64):
                v = pd.Timestamp(v)
            elif isinstance(v, np.timedelta64):
                v = pd.Timedelta(v)
            out.append(v)
        return out
    if not isinstance(dtype, np.dtype) and getattr(dtype, "na_value", None) is pd.NA:
        return [None if v is pd.NA else v for v in values]
    return values


def rows_of(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")``, the same values of the same types, column by column: pandas goes row by row,
    boxing every cell (2,700 people of 24 columns: 30 ms against 5 ms; the month's shared results call it
    some 25 times). A frame with repeated column names is left to pandas."""
    columns = df.columns.tolist()
    if len(set(columns)) != len(columns):
        return df.to_dict("records")
    if not columns:
        return [{} for _ in range(len(df))]
    return [dict(zip(columns, row)) for row in zip(*(_values(df.iloc[:, i]) for i in range(len(columns))))]


def share_values(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each text of its object and string columns replaced by the one equal text this process keeps
    (``sys.intern``) and each date by one object per day, in place; returns ``frame``. Equal values: nothing that reads
    the frame can tell (see :func:`tekun_helpers.month.share_strings` for why)."""
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if col.dtype != object and not isinstance(col.dtype, pd.StringDtype):
            continue
        values = np.asarray(col.array)
        if values.dtype == object and values.flags.writeable:
            values[:] = [sys.intern(x) if type(x) is str else _DAYS.setdefault(x, x) if type(x) is dt.date else x
                         for x in values.tolist()]
    return frame


#: the dates of the frames shared (:func:`share_values`): one object per day, a few hundred a year
_DAYS: dict = {}
