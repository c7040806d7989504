"""The bundled year, 2023-08 to 2024-07 (issue 31): the real 2023-08 and eleven sample months of the month story.

Read from data/ as they are committed (load_month only, nothing rendered): every month loads without errors and
is marked as sample data (but 2023-08's 附件1 and 附件2), the people flow from month to month as the forms and
the 减少情况表 say (上月人数 + 新增 − 减少 = 本月人数 per township), the occupancy deadline passes with a home
still below target, and the training hours of a calendar year start again in January.
"""
from __future__ import annotations

import pytest

from tekun_helpers.analysis.assessment import reassessment_due
from tekun_helpers.analysis.flows import UNSTATED, township_flow
from tekun_helpers.core.months import month_end
from tekun_helpers.month import load_month
from tekun_helpers.sample import month_folders

BUNDLED = ("2023-08", "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04",
           "2024-05", "2024-06", "2024-07")
REAL = "2023-08"


@pytest.fixture(scope="module")
def year():
    """month -> MonthData of every bundled month."""
    return {month: load_month(month, cache=True) for month in BUNDLED}     # read once a run (the month store)


def test_the_year_is_bundled_and_loads_without_errors(year):
    assert set(BUNDLED) <= set(month_folders())
    for month, m in year.items():
        assert m.ok, (month, [i.message for i in m.errors][:5])
        assert m.has_assessments and len(m.townships) and len(m.homes), month
        # every table of the sample months: 附件1, 附件2, 减少情况表, the ledgers, rosters and money
        if month != REAL:
            assert len(m.changes) and len(m.staff) and len(m.progress) and len(m.funds), month
            assert all(s.sample for s in m.sources), (month, [s.name for s in m.sources if not s.sample])


def test_people_flow_from_month_to_month(year):
    """Last month's people + new − left = this month's, per township, and 附件1 agrees; nobody leaves unexplained."""
    for before, month in zip(BUNDLED, BUNDLED[1:]):
        flow, issues = township_flow(year[before], year[month])
        assert len(flow) == len(year[month].townships), month
        assert not issues, (month, [i.message for i in issues])
        assert (flow["last"] + flow["new"] - flow["out"] == flow["now"]).all(), month
        assert (flow["now"] == flow["annex1_now"]).all() and not flow["mismatch"].any(), month
        assert (flow[f"out_{UNSTATED}"] == 0).all(), month
        assert flow["out"].sum() > 0 and flow["new"].sum() > 0, month    # a few leave and come every month


def test_the_occupancy_deadline_passes_with_a_home_below_target(year):
    after = [month for month, m in year.items() if month_end(month) > m.policy.occupancy.deadline]
    assert after and after[-1] == BUNDLED[-1] and len(after) >= 6, after
    for month in after:
        m = year[month]
        below = [r.home for r in m.homes.itertuples() if r.residents < m.policy.needed_residents(int(r.beds))]
        assert below, month          # the story keeps one home below target all year
    last = year[BUNDLED[-1]]
    first_after = year[after[0]]
    assert last.homes["residents"].sum() > first_after.homes["residents"].sum()


def test_training_hours_count_per_calendar_year(year):
    """Hours never go down within a year and start again in January: everyone on both ledgers who came
    before December has fewer hours at the end of 2024-01 than at the end of 2023-12."""
    hours = {month: dict(zip(zip(m.staff["home"], m.staff["staff_name"]), m.staff["training_hours"]))
             for month, m in year.items()}
    for before, month in zip(BUNDLED, BUNDLED[1:]):
        both = hours[before].keys() & hours[month].keys()
        assert both, month
        if month[:4] == before[:4]:
            assert all(hours[month][k] >= hours[before][k] for k in both), month
            continue
        december = year[before].staff
        hired = dict(zip(zip(december["home"], december["staff_name"]), december["hired_on"]))
        earlier = [k for k in both if str(hired[k])[:7] != before]      # hired in December: a month of each year
        assert len(earlier) > 0.9 * len(both), month
        assert all(hours[month][k] < hours[before][k] for k in earlier), \
            (month, [(k, hours[before][k], hours[month][k]) for k in earlier if hours[month][k] >= hours[before][k]])


def test_some_people_in_some_townships_come_due_for_reassessment_and_close_when_assessed_again(year):
    """The forms' 评估日期 (a few townships sent 2023-08 answers of an earlier round of visits): with the bundled
    policy's cycle, people come due within the year, per township; a person due one month is, the next month,
    still due, gone from dispersed care, or on the form with a new 评估日期 in that month."""
    months = list(year.values())
    every = year[REAL].policy.assessment.reassess_every_months
    due = {month: reassessment_due(months, month, year[month].policy) for month in BUNDLED}
    assert any(len(d) for d in due.values()), {m: len(d) for m, d in due.items()}
    towns = set().union(*(set(d["township"]) for d in due.values()))
    assert 1 < len(towns) < len(year[REAL].townships), towns       # some townships, not all
    for month, d in due.items():
        assert (d["months_since"] >= every).all(), month
    for before, month in zip(BUNDLED, BUNDLED[1:]):
        still = set(due[month]["person"])
        forms = year[month].assessments
        on = dict(zip(zip(forms["township"], forms["village"], forms["name"]), forms["assessed_on"]))
        changes = year[month].changes
        left = set(zip(changes["township"], changes["village"], changes["name"]))
        for r in due[before].itertuples():
            key = (r.township, r.village, r.name)
            if r.person in still or key in left:
                continue
            day = on.get(key)
            assert day is not None and f"{day:%Y-%m}" == month, (month, key, day)


def test_the_register_follows_the_people_due_until_assessed_again(year):
    """The register opens a 定期考核评价 finding for each person due (owned by the township) and closes it as
    已整改 in the month the form shows the new 评估日期."""
    from tekun_helpers.analysis import findings as fd
    from tekun_helpers.analysis import register as rg

    items = rg.build(list(year.values())).items
    due = items[items["topic"] == fd.REASSESS_DUE.topic]
    assert len(due) and (due["responsible"] == due["township"]).all()
    closed = due[due["status"] == rg.FIXED]
    assert len(closed) and closed["detail"].str.contains("评估日期").all()
    assert (closed["closed_in"] > closed["first_seen"]).all()
