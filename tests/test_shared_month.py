"""A month's briefings share what they compute from the whole month (report/briefing.py's shared facts).

The banner and its 18 townships read the same month; statistics, rules, the schedule, compliance and the
follow-up register are computed once per process for the month's files and handed to each briefing as a copy.
"""
from __future__ import annotations

import pytest

from tekun_helpers.month import load_month
from tekun_helpers.report import briefing
from tekun_helpers.report.briefing import Briefing
from tekun_helpers.report.followup import register


@pytest.fixture
def counted(monkeypatch):
    """Count the calls of the rules (the costliest month-wide step) from a clean shared cache."""
    briefing.clear_shared()
    calls = []
    real = briefing.rules.decide
    monkeypatch.setattr(briefing.rules, "decide", lambda *a, **k: calls.append(1) or real(*a, **k))
    yield calls
    briefing.clear_shared()


def test_banner_and_townships_compute_the_month_once(counted):
    banner = Briefing("2023-08")
    town = Briefing("2023-08", township="丰收乡")
    assert len(counted) == 1
    assert banner.decisions.equals(town.decisions)
    assert town.scope.townships == ("丰收乡",) and banner.scope.whole


def test_each_briefing_gets_its_own_copy(counted):
    a = Briefing("2023-08")
    before = int(a.homes.loc[0, "residents"])
    a.homes.loc[0, "residents"] = -1
    a.compliance.ledger = None
    b = Briefing("2023-08", township="贝子府镇")
    assert int(b.homes.loc[0, "residents"]) == before
    assert b.compliance is not a.compliance
    assert register(a) is not register(b) and register(a).items.equals(register(b).items)


def test_a_month_passed_in_is_computed_on_its_own(counted):
    Briefing("2023-08")
    m = load_month("2023-08", cache=True)
    m.homes.loc[0, "residents"] = 0              # a changed copy must not get the shared results
    b = Briefing("2023-08", data=m)
    assert len(counted) == 2
    assert int(b.homes.loc[0, "residents"]) == 0
