"""Comparison with last month and the trend over the bundled months 2023-08 to 2023-10."""
from __future__ import annotations

import pytest

from tekun_helpers.report.briefing import Briefing


@pytest.fixture(scope="module")
def oct_():
    return Briefing("2023-10")


def test_first_month_has_no_previous_month():
    b = Briefing("2023-08")
    assert b.prev is None and b.key_changes().empty and b.township_changes().empty
    assert [d.month for d in b.months] == ["2023-08"]


def test_changes_against_last_month(oct_):
    assert oct_.prev.month == "2023-09"
    kc = oct_.key_changes().set_index("item")
    sep = Briefing("2023-09", data=oct_.prev)
    assert kc.loc["分散供养人数", "prev"] == sep.key["dispersed"]
    assert kc.loc["分散供养人数", "now"] == oct_.key["dispersed"]
    assert kc.loc["分散供养人数", "change"] == oct_.key["dispersed"] - sep.key["dispersed"]
    assert kc.loc["敬老院现入住人数", "change"] == oct_.key["residents"] - sep.key["residents"]
    tc = oct_.township_changes()
    assert (tc["dispersed_change"] == tc["dispersed"] - tc["dispersed_prev"]).all()
    assert int(tc["dispersed_change"].sum()) == oct_.key["dispersed"] - sep.key["dispersed"]


def test_trend_covers_every_month_up_to_the_report(oct_):
    t = oct_.trend()
    assert list(t["month"]) == ["2023-08", "2023-09", "2023-10"]
    assert t.iloc[0]["dispersed"] == 2700 and t.iloc[0]["residents"] == 341
    assert list(t["occupancy"]) == sorted(t["occupancy"])          # the story: occupancy rising
    sep = Briefing("2023-09", data=oct_.prev)
    assert list(sep.trend()["month"]) == ["2023-08", "2023-09"]    # never a later month


def test_township_trend_and_home_changes(oct_):
    b = Briefing("2023-10", township="玛尼罕乡", data=oct_.data)
    t = b.trend()
    assert list(t["month"]) == ["2023-08", "2023-09", "2023-10"] and t.iloc[0]["dispersed"] == 129
    hc = b.home_changes()
    assert list(hc["home"]) == ["玛尼罕乡敬老院"]
    assert hc.iloc[0]["residents_change"] == hc.iloc[0]["residents"] - hc.iloc[0]["residents_prev"]
