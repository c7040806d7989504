"""The leader's pages over the bundled year (issue 31), without rendering: for every bundled month the banner's
page 1 (leader_page), section 三 (followup.section) and the Excel 整改跟踪 sheet count the same overdue findings;
the words follow the calendar (never "还有0天", no "按剩余" at or after the deadline, no deadline that has passed
written as "…前", the tile's date with its year once it has passed); the homes below target are named on page 1
and are open findings of the register with an owner, overdue after the deadline; a duty done late in an earlier
month has left page 1.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from builders import displayed
from tekun_helpers.analysis import progress
from tekun_helpers.analysis import register as rg
from tekun_helpers.core.months import month_end

from test_bundled_year import BUNDLED

@pytest.fixture(scope="module", params=BUNDLED)
def page(request):
    """month -> (briefing, page 1's HTML text, section 三's HTML text, the 整改跟踪 sheet's frame)."""
    from tekun_helpers.report import followup
    from tekun_helpers.report.briefing import Briefing
    from tekun_helpers.report.leader import leader_page
    from tekun_helpers.report.narrative import summary_paragraph

    b = Briefing(request.param)
    text = lambda h: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h))     # noqa: E731
    return (b, text(displayed(lambda: leader_page(b))) + " " + summary_paragraph(b.key, b.policy),
            text(displayed(lambda: followup.section(b))), followup.export_sheets(b)["整改跟踪"].frame)


def test_overdue_counts_agree_on_page_1_in_section_3_and_in_excel(page):
    b, page1, section, sheet = page
    excel = int((sheet["status"].isin(rg.OPEN_STATUSES) & (sheet["days_overdue"].fillna(0) > 0)).sum())
    on_page = re.search(r"(\d+) 项问题逾期未整改", page1)
    in_section = re.search(r"逾期未整改（共 (\d+) 项", section)
    if not excel:
        assert not on_page and not in_section, b.month
        return
    assert on_page and in_section, b.month
    assert int(on_page.group(1)) == int(in_section.group(1)) == excel, b.month


def test_no_countdown_at_or_after_the_deadline_and_no_passed_day_written_as_ahead(page):
    b, page1, _, _ = page
    end = month_end(b.month)
    assert "还有0天" not in page1 and "还有 0 天" not in page1, b.month
    if b.policy.occupancy.deadline <= end:          # the deadline's month and after: no months left to count
        assert "按剩余" not in page1, b.month
    for year, mon, day in re.findall(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日前", page1):
        assert dt.date(int(year or b.month[:4]), int(mon), int(day)) >= end, (b.month, year, mon, day)
    deadline = b.policy.occupancy.deadline
    if deadline < end:      # passed: the tile says the year
        assert f"{deadline.year}年{deadline.month}月{deadline.day}日 入住率目标期限（已过" in page1, b.month


def test_homes_below_target_are_named_overdue_with_their_owners(page):
    b, page1, _, sheet = page
    homes = b.own_homes()
    below = homes[~homes["at_target"].astype(bool)]
    assert len(below), b.month                     # the story keeps one home below target all year
    for home in below["home"]:
        assert home in page1, (b.month, home)
    if b.policy.occupancy.deadline > month_end(b.month):
        return                                      # before the deadline's month: not yet a finding
    occupancy = sheet[(sheet["topic"] == "occupancy") & sheet["status"].isin(rg.OPEN_STATUSES)]
    assert set(below["home"]) <= set(occupancy["home"]), b.month
    assert (occupancy["responsible"].fillna("") != "").all(), b.month
    if b.policy.occupancy.deadline < month_end(b.month):
        assert "目标期限已过，均为逾期未完成" in page1, b.month
        assert (occupancy["days_overdue"].fillna(0) > 0).all(), b.month


def test_duties_done_late_in_an_earlier_month_leave_page_1(page):
    from tekun_helpers.report.actions import actions

    b, _, _, _ = page
    long = b.own_progress()
    (line,) = [a for a in actions(b) if a.kind == "工作进度"] or [None]
    overdue = int((long["status"] == progress.OVERDUE).sum())
    first = month_end(b.month).replace(day=1)
    done_now = int(((long["status"] == progress.LATE) & long["done_on"].map(lambda d: d is not None and d == d
                                                                            and d >= first)).sum())
    if not overdue and not done_now:
        assert line is None, b.month
        return
    assert line is not None, b.month
    said = [int(n) for n in re.findall(r"(\d+) 项", line.finding)]
    assert said == [n for n in (overdue, done_now) if n], (b.month, line.finding)
