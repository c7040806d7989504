"""Drafts leave the faulty township out of the totals (issue 32): in ``--draft``, a township whose own 附件3 form
has errors is treated like a form not received for the figures -- its rows are in no total or statistic -- but
named 待核实 rather than 未报送, and the totals say "（不含待核实的 N 个…）".

The month is 2023-11 as :func:`tests.arrivals.arrived_month` makes it from the bundled 2023-10 with every form
there; in one copy 丰收乡's 附件3 has a word in a person's age (an error), the other copy is left clean to
compare with. Briefings are built as objects and their sections captured as HTML (no rendering).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from arrivals import MONTH, arrived_month
from builders import edit_cell
from test_missing_tables import _text
from tekun_helpers.analysis.absence import HELD_BACK
from tekun_helpers.core.exceptions import ValidationFailed
from tekun_helpers.core.fmt import thousands
from tekun_helpers.report import leader, opening, people
from tekun_helpers.report.briefing import Briefing

TOWN = "丰收乡"


@pytest.fixture(scope="module")
def arrived(tmp_path_factory) -> Path:
    """The data folder with 2023-11 and every form, made once (both copies start from it)."""
    return arrived_month(tmp_path_factory.mktemp("clean"), missing=None).data_dir


@pytest.fixture(scope="module")
def clean(arrived):
    return Briefing(MONTH, arrived)


@pytest.fixture(scope="module")
def faulty(arrived, tmp_path_factory):
    data = tmp_path_factory.mktemp("faulty") / "data"
    shutil.copytree(arrived, data)
    form = next((data / MONTH / "附件3").glob(f"*{TOWN}*.xlsx"))
    edit_cell(form, "年龄", "龙兰香", "六十九")
    return data


@pytest.fixture(scope="module")
def draft(faulty):
    return Briefing(MONTH, faulty, draft=True)


def test_without_draft_the_month_still_stops(faulty):
    with pytest.raises(ValidationFailed):
        Briefing(MONTH, faulty)


def test_the_faulty_township_is_held_back_as_pending_not_unreported(draft):
    assert draft.data.errors, "the month has its error"
    assert draft.unreported() == [TOWN] and draft.absent() == {TOWN: HELD_BACK}
    assert TOWN not in set(draft.people["township"])
    text = _text(lambda: people.assessment_section(draft))
    assert re.search(rf"{TOWN}( 待核实)+", text), "its row in the table by township says 待核实"
    assert f"不含待核实的 1 个{draft.policy.county.towns}：{TOWN}" in text
    assert "未报送" not in text
    assert "不含待核实的 1 个" in draft.attention()[0]
    assessed = draft.key_changes().set_index("item").filter(like="已评估人数", axis=0)
    assert "待核实" in assessed.index[0]
    notice = _text(lambda: opening.draft_notice(draft))
    assert f"{TOWN}的数字 待核实" in notice and "不计入" in notice and "暂按原表计入" not in notice


def test_the_county_totals_are_the_sum_of_the_other_townships(draft, clean):
    others = clean.coverage[clean.coverage["township"] != TOWN]
    assert int(others["assessed"].sum()) < int(clean.coverage["assessed"].sum())
    text = _text(lambda: people.assessment_section(draft))
    assert f"已评估 {thousands(int(others['assessed'].sum()))} 人" in text
    cap = clean.capacity[clean.capacity["township"] != TOWN]
    assert draft.capacity_totals["transfer"] == cap["transfer"].sum()
    rules = clean.rule_counts[clean.rule_counts["township"] != TOWN]
    for rule in ("transfer", "escalate", "alert"):
        assert int(draft.scope.rows(draft.rule_counts)[rule].sum()) == int(rules[rule].sum()), rule
    noted = [s.frame for s in draft.export_tables().values()
             if "township" in s.frame.columns and len(s.frame) and "不含" in str(s.frame["township"].iloc[-1])]
    assert len(noted) >= 2, "the 合计 rows of the tables by township say what they leave out"
    for frame in noted:
        assert str(frame["township"].iloc[-1]).endswith("（不含待核实的 1 个）")
        assert TOWN not in set(frame["township"])


def test_its_own_briefing_says_pending_and_no_figures(faulty):
    own = Briefing(MONTH, faulty, township=TOWN, draft=True)
    assert own.form_missing and own.own_absence == HELD_BACK
    text = _text(lambda: leader.leader_page(own), lambda: people.assessment_section(own))
    assert "待核实" in text and "未报送" not in text
    assert not re.search(r"(?<![\d,])0\s*人\s*(应纳入|符合纳入)", text)
    assessed = own.key_changes().set_index("item").filter(like="已评估人数", axis=0)
    assert "待核实" in assessed.index[0] and assessed["now"].isna().all()
    other = Briefing(MONTH, faulty, township="长胜镇", draft=True)
    assert not other.form_missing and other.unreported() == []
