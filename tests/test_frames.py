"""rows_of(df) is df.to_dict("records"): the same values, of the same types."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from tekun_helpers import load_month
from tekun_helpers.core.frames import rows_of


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if a is pd.NaT:
        return b is pd.NaT
    return a == b


def assert_like_pandas(df: pd.DataFrame) -> None:
    want, got = df.to_dict("records"), rows_of(df)
    assert len(got) == len(want)
    for w, g in zip(want, got):
        assert list(g) == list(w)
        bad = {k: (w[k], g[k]) for k in w if not _same(w[k], g[k])}
        assert not bad, bad


def test_every_kind_of_column():
    df = pd.DataFrame({
        "int": [1, 2], "float": [1.5, np.nan], "bool": [True, False],
        "Int64": pd.array([1, None], dtype="Int64"), "boolean": pd.array([True, None], dtype="boolean"),
        "str": pd.array(["甲", None], dtype="str"), "string": pd.array(["乙", None], dtype="string"),
        "date": pd.to_datetime(["2023-08-31", None]), "delta": pd.to_timedelta(["1 day", None]),
        "object": [np.int64(3), "丙"], "object_na": [pd.NA, np.float64(2.5)],
        "object_date": [np.datetime64("2023-08-01"), None], "category": pd.Categorical(["a", "b"]),
    })
    assert_like_pandas(df)


def test_no_rows_no_columns_and_repeated_names():
    assert rows_of(pd.DataFrame()) == []
    assert rows_of(pd.DataFrame(index=range(2))) == [{}, {}]
    assert_like_pandas(pd.DataFrame(columns=["a", "b"]))
    with pytest.warns(UserWarning, match="not unique"):      # pandas' own warning, for both
        assert_like_pandas(pd.DataFrame([[1, 2]], columns=["a", "a"]))


@pytest.mark.parametrize("month", ["2023-08", "2023-10"])
def test_every_table_of_a_sample_month(month):
    data = load_month(month)
    frames = [v for f in dataclasses.fields(data) if isinstance(v := getattr(data, f.name), pd.DataFrame)]
    assert len(frames) >= 8
    for df in frames:
        assert_like_pandas(df)
