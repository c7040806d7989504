"""The support-money ledger: each flag fires at its boundary and not one step inside it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from tekun_helpers.analysis import findings as fd
from tekun_helpers.analysis.funds import LEDGER_COLUMNS, check_ledger, check_spending, deadline_for, to_money

MONTH = "2023-08"
STANDARD = 1234.57  # 元/人·月, a made-up figure (the plan gives none)
DAY = 10
FORBIDDEN = ["工作经费", "运转费用", "维修改造", "设施建设"]
DUE_3 = Decimal("3703.71")  # 1234.57 x 3


def ledger(*rows):
    base = {"home": "甲敬老院", "allocated": float(DUE_3), "allocated_on": dt.date(2023, 8, 10),
            "source_file": "资金.xlsx", "source_row": 4}
    return pd.DataFrame([{**base, **r} for r in rows], columns=list(base))


def kinds(found) -> list[str]:
    """The codes of a row's findings, in order."""
    return [f.code for f in found]


def one(*rows, residents=None):
    d = check_ledger(ledger(*rows), residents or {"甲敬老院": 3}, MONTH, STANDARD, DAY)
    assert list(d.columns) == LEDGER_COLUMNS
    return d.iloc[0]


def test_the_bundled_policy_has_the_values_these_tests_use(policy):
    sec = policy.funds
    assert sec.allocation_day == DAY and list(sec.forbidden_categories) == FORBIDDEN
    assert sec.source.startswith("旗财政、民政部门按标准足额安排")


def test_due_is_exact_to_the_fen():
    r = one({})
    assert r["due"] == DUE_3 and isinstance(r["due"], Decimal)
    assert r["allocated"] == DUE_3 and r["shortfall"] == 0
    assert r["findings"] == () and not r["late"] and r["source"] == "资金.xlsx:4"
    # 0.1 + 0.2 in floats is 0.30000000000000004; in Decimal it is 0.30 exactly
    d = check_ledger(ledger({"allocated": 0.1 + 0.2}), {"甲敬老院": 3}, MONTH, 0.1, DAY)
    assert d["due"].iloc[0] == Decimal("0.30") and d["shortfall"].iloc[0] == 0 and d["findings"].iloc[0] == ()


def test_one_fen_short_is_short_and_exact_is_not():
    r = one({"allocated": float(DUE_3 - Decimal("0.01"))})
    assert r["shortfall"] == Decimal("0.01")
    (f,) = r["findings"]
    assert f.kind is fd.SHORT_PAID and f.amount == Decimal("0.01") and f.home == "甲敬老院"
    assert f.fact("expected") == DUE_3 and f.fact("actual") == DUE_3 - Decimal("0.01")
    assert f.due == dt.date(2023, 8, 10) and f.cells == (fd.Cell("资金.xlsx", "", 4),)
    assert f.text == "少拨 0.01 元（应拨 3,703.71 元，实拨 3,703.70 元）"     # rendered from the fields
    assert one({"allocated": "3,703.71元"})["findings"] == ()


def test_more_than_due_is_pointed_out():
    r = one({"allocated": float(DUE_3 + Decimal("0.01"))})
    assert r["shortfall"] == Decimal("-0.01") and kinds(r["findings"]) == ["over_paid"]
    assert r["findings"][0].amount == Decimal("0.01")


def test_deadline_day_is_on_time_and_the_day_after_is_late():
    assert not one({"allocated_on": dt.date(2023, 8, 10)})["late"]
    assert not one({"allocated_on": pd.Timestamp("2023-08-10 17:30")})["late"]
    assert not one({"allocated_on": dt.date(2023, 7, 28)})["late"]  # paid in advance
    r = one({"allocated_on": dt.date(2023, 8, 11)})
    (f,) = r["findings"]
    assert r["late"] and f.kind is fd.PAID_LATE and f.days == 1 and f.due == dt.date(2023, 8, 10)
    assert f.fact("on") == dt.date(2023, 8, 11)
    assert one({"allocated_on": "2023-08-11"})["late"]


def test_missing_date_with_money_is_late_and_said_so():
    r = one({"allocated_on": None})
    assert r["late"] and kinds(r["findings"]) == ["undated"]


@pytest.mark.parametrize("amount", [None, 0, float("nan")])
def test_nothing_allocated_is_not_paid_not_late(amount):
    r = one({"allocated": amount, "allocated_on": None})
    assert kinds(r["findings"]) == ["not_paid"] and r["findings"][0].amount == DUE_3 and not r["late"]


def test_home_missing_from_ledger_is_not_paid_and_ledger_only_home_is_flagged():
    d = check_ledger(ledger({"home": "乙敬老院"}), {"甲敬老院": 3}, MONTH, STANDARD, DAY)
    assert list(d["home"]) == ["甲敬老院", "乙敬老院"]
    assert kinds(d["findings"].iloc[0]) == ["not_paid"] and d["due"].iloc[0] == DUE_3 and d["source"].iloc[0] == ""
    assert d["due"].iloc[1] is None and kinds(d["findings"].iloc[1])[0] == "residents_unknown"


def test_home_without_residents_needs_nothing():
    r = one({"allocated": 0, "allocated_on": None}, residents={"甲敬老院": 0})
    assert r["due"] == 0 and r["findings"] == ()


def test_several_rows_are_added_up():
    r = one({"allocated": 3000.0, "allocated_on": dt.date(2023, 8, 5)},
            {"allocated": 703.71, "allocated_on": dt.date(2023, 8, 12), "source_row": 5})
    assert r["allocated"] == DUE_3 and r["allocated_on"] == dt.date(2023, 8, 12) and r["late"]
    assert r["source"] == "资金.xlsx:4；资金.xlsx:5"
    assert kinds(r["findings"]) == ["rows_added", "paid_late"] and r["findings"][0].count == 2
    assert not r["findings"][0].kind.topic          # a note, not followed in the register


def test_unreadable_values_are_flagged():
    r = one({"allocated": "三千元"})
    assert r["allocated"] is None and r["shortfall"] is None and kinds(r["findings"]) == ["unreadable"]
    assert r["findings"][0].cells[0].column == "allocated" and "无法识别" in r["findings"][0].text
    f = one({"allocated_on": "八月十日"})["findings"][0]
    assert f.kind is fd.UNREADABLE and f.cells[0].column == "allocated_on"


def test_deadline_and_settings():
    assert deadline_for("2023-02", 31) == dt.date(2023, 2, 28)
    assert deadline_for("2024-02", 31) == dt.date(2024, 2, 29)
    with pytest.raises(ValueError, match="allocation_day"):
        deadline_for(MONTH, 0)
    with pytest.raises(ValueError, match="未设置"):
        check_ledger(ledger({}), {"甲敬老院": 3}, MONTH, 0, DAY)
    with pytest.raises(ValueError, match="YYYY-MM"):
        check_ledger(ledger({}), {"甲敬老院": 3}, "2023-8", STANDARD, DAY)
    with pytest.raises(ValueError, match="非负整数"):
        check_ledger(ledger({}), {"甲敬老院": -1}, MONTH, STANDARD, DAY)


def test_to_money():
    assert to_money(1234.1) == Decimal("1234.10")
    assert to_money("１２３.４５５") == Decimal("123.46")
    assert to_money("") is None and to_money(None) is None


def spending(*categories):
    return pd.DataFrame([{"home": "甲敬老院", "category": c, "amount": 100.0, "source_file": "支出.xlsx",
                          "source_row": i + 2} for i, c in enumerate(categories)])


@pytest.mark.parametrize("category, matched", [
    ("工作经费", "工作经费"), ("运转费用", "运转费用"), ("维修改造", "维修改造"), ("设施建设", "设施建设"),
    ("维修改造费", "维修改造"), ("院内设施建设", "设施建设"), ("维 修 改 造", "维修改造"), ("机构工作经费（办公）", "工作经费"),
])
def test_forbidden_categories_are_flagged(category, matched):
    r = check_spending(spending(category), FORBIDDEN).iloc[0]
    (f,) = r["findings"]
    assert r["forbidden"] and r["matched"] == matched and f.kind is fd.FORBIDDEN_SPENDING
    assert f.amount == Decimal("100.00") and f.fact("matched") == matched and f.fact("category") == category
    assert r["source"] == "支出.xlsx:2" and r["amount"] == Decimal("100.00")


@pytest.mark.parametrize("category", ["伙食费", "护理费", "被服费", "医疗费"])
def test_allowed_categories_are_not(category):
    r = check_spending(spending(category), FORBIDDEN).iloc[0]
    assert not r["forbidden"] and r["matched"] == "" and r["findings"] == ()


def test_empty_category_is_flagged_not_forbidden():
    r = check_spending(spending(""), FORBIDDEN).iloc[0]
    assert not r["forbidden"] and kinds(r["findings"]) == ["no_category"]


def test_amounts_in_sentences_have_thousands_separators():
    from decimal import Decimal

    from tekun_helpers.analysis.funds import yuan

    assert yuan(Decimal("24000")) == "24,000.00" and yuan(1200) == "1,200.00" and yuan(Decimal("0.005")) == "0.01"
    assert yuan(None) == "None"
