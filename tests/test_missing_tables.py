"""Unknown is not zero: a township's 附件3 form not received is 未报送 wherever it would have counted.

The month is 2023-11 as :func:`tests.arrivals.arrived_month` makes it from the bundled 2023-10: 四道湾子镇's
form missing, two of its people recorded in the 减少情况表 as moved into its home (附件2 up by two), and one
person of 丰收乡 gone from its form without a line in the 减少情况表. Briefings are built as objects and
their sections captured as HTML (no rendering).
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from builders import displayed
from arrivals import MISSING, MONTH, arrived_month
from tekun_helpers.analysis import flows
from tekun_helpers.analysis import register as rg
from tekun_helpers.core.months import month_end
from tekun_helpers.report import actions, followup, leader, people
from tekun_helpers.report.briefing import Briefing

LEAVER_TOWN = "丰收乡"
#: a count of zero people to move, however the markup splits it ('0 人应纳入', '<b>0</b><small>人</small>…')
ZERO_TO_MOVE = re.compile(r"(?<![\d,])0\s*人\s*(应纳入|符合纳入)")


@pytest.fixture(scope="module")
def arrival(tmp_path_factory):
    return arrived_month(tmp_path_factory.mktemp("arrival"), unreported_leaver=LEAVER_TOWN)


@pytest.fixture(scope="module")
def banner(arrival):
    return Briefing(MONTH, arrival.data_dir)


@pytest.fixture(scope="module")
def own(arrival):
    return Briefing(MONTH, arrival.data_dir, township=MISSING)


def _text(*parts) -> str:
    """What the sections display, as text (tags removed)."""
    html = displayed(*parts, markdown=True)
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _sections(b) -> str:
    return _text(lambda: leader.leader_page(b), lambda: people.assessment_section(b), lambda: followup.section(b))


def test_the_banner_says_which_township_did_not_send_its_form(banner):
    assert banner.unreported() == [MISSING]
    text = _text(lambda: people.assessment_section(banner))
    assert re.search(rf"{MISSING}( 未报送)+", text), "its row in the table by township says 未报送"
    assert f"不含未报送的 1 个{banner.policy.county.towns}" in text
    assert "不含未报送" in banner.attention()[0]
    assessed = banner.key_changes().set_index("item").filter(like="已评估人数", axis=0)
    assert MISSING in assessed.index[0], "the fall in 已评估人数 says why"


def test_its_own_briefing_says_not_received_and_never_zero_to_move(own):
    text = _sections(own)
    assert "未收到四道湾子镇的排查评估表" in text
    assert "未报送" in text
    assert not ZERO_TO_MOVE.search(text), ZERO_TO_MOVE.search(text)
    assert not any(ZERO_TO_MOVE.search(a) for a in own.attention())
    assessed = own.key_changes().set_index("item").filter(like="已评估人数", axis=0)
    assert "未报送" in assessed.index[0] and assessed["now"].isna().all()


def test_a_township_that_sent_its_form_still_says_how_many_to_move(arrival):
    b = Briefing(MONTH, arrival.data_dir, township=LEAVER_TOWN)
    assert b.unreported() == [] and not b.form_missing
    assert re.search(r"\d+\s*人\s*应纳入", _text(lambda: leader.leader_page(b)))


def test_no_flow_and_no_unexplained_departures_for_the_missing_township(banner):
    flow, warnings = followup.township_flow(banner)
    assert MISSING not in set(flow["township"])
    assert (flow["out_未说明原因"] > 0).sum() == 1, "only the one person who really left unexplained"
    assert any(MISSING in w.message and "未报送" in w.message for w in warnings)
    assert MISSING not in set(banner.leavers()["township"])


def test_the_person_who_left_unreported_is_named(arrival, banner):
    gone = flows.unexplained_leavers(banner.prev, banner.data)
    assert list(gone["id_number"]) == [arrival.leaver["id_number"]]
    assert list(gone["name"]) == [arrival.leaver["name"]] and list(gone["township"]) == [LEAVER_TOWN]
    shown = banner.leavers()
    assert shown["name"].iloc[0] != arrival.leaver["name"] and shown["name"].iloc[0][0] == arrival.leaver["name"][0]
    sentence = banner.leavers_sentence()
    assert shown["name"].iloc[0] in sentence and arrival.leaver["name"] not in sentence
    assert arrival.leaver["id_number"] not in sentence
    assert sentence in _text(lambda: followup.section(banner))


def test_people_of_the_missing_township_stay_open_as_unverified_not_overdue(banner):
    items = followup.register(banner).items
    mine = items[(items["township"] == MISSING) & items["topic"].isin(rg.PERSON_RULES)]
    unverified = mine[mine["status"] == rg.UNVERIFIED]
    assert len(unverified) and (unverified["days_overdue"] == 0).all()
    assert not (mine["status"] == rg.UNKNOWN).any()
    assert not set(unverified["key"]) & set(followup.overdue(banner)["key"])


def test_findings_the_changes_table_confirms_are_closed(arrival, banner):
    items = followup.register(banner).items
    for person in arrival.placed:
        row = items[(items["topic"] == "transfer") & (items["id_number"] == person["id_number"])]
        assert len(row) == 1, person
        assert row["status"].iloc[0] == rg.PLACED and row["closed_in"].iloc[0] == MONTH
        assert person["home"] in row["detail"].iloc[0] and "11月5日" in row["detail"].iloc[0]


def test_page_one_names_the_township_whose_form_is_missing(banner, own):
    items = followup.register(banner).items
    forms = items[items["topic"] == "forms"]
    assert list(forms["responsible"]) == [MISSING]
    due = month_end(MONTH) + dt.timedelta(days=banner.policy.feedback.resubmit_within_days)
    assert forms["due"].iloc[0] == due and forms["status"].iloc[0] in rg.OPEN_STATUSES
    for b in (banner, own):
        line = [a for a in actions.actions(b) if a.finding == f"{MISSING}未报送排查评估表"]
        assert len(line) == 1 and line[0].who == MISSING and f"{due.month}月{due.day}日" in line[0].due


def test_a_month_with_every_form_has_no_unreported_township():
    b = Briefing("2023-10")
    assert b.unreported() == [] and b.unreported_words() == ""
    items = followup.register(b).items
    assert not (items["topic"] == "forms").any() and not (items["status"] == rg.UNVERIFIED).any()
    assert not [a for a in actions.actions(b) if "未报送排查评估表" in a.finding]


def test_the_returned_workbook_gets_the_leavers_by_name_from_the_month_alone(arrival):
    from tekun_helpers.month import load_month

    data = load_month(MONTH, arrival.data_dir)
    gone = flows.unexplained_leavers_for(data)
    assert list(gone["name"]) == [arrival.leaver["name"]] and list(gone["township"]) == [LEAVER_TOWN]
    assert gone["source_file"].iloc[0].endswith(".xlsx") and gone["source_row"].iloc[0] > 0


def test_the_excel_sheets_leave_the_missing_township_out_and_say_so(banner):
    from tekun_helpers.config import outputs

    sheets = banner.export_tables()
    for key in ("coverage", "rule_counts", "capacity"):
        frame = sheets[outputs.table(key).title].frame
        assert MISSING not in set(frame["township"]) and len(frame) >= 17
        if key != "capacity":                     # (承接能力 has no 合计)
            assert "不含未报送的 1 个" in frame["township"].iloc[-1]
    (line,) = [a for a in actions.actions(banner) if a.kind == "集中供养"]
    assert "不含未报送" in line.finding and MISSING in line.finding
