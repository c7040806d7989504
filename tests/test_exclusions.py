"""Benefits that exclude extreme-hardship support: every exclusion fires on its own pair and nowhere else."""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from tekun_helpers.analysis.exclusions import (
    BASIS_ID,
    BASIS_NAME,
    BASIS_NAME_BAD_ID,
    COLUMNS,
    TEKUN_LABEL,
    find_conflicts,
)
from tekun_helpers.config.policy import Benefit
from tekun_helpers.io.idcard import sample_number

RULE_TEKUN_FIRST = "纳入特困人员救助供养范围的残疾人，不再享受困难残疾人生活补贴和重度残疾人护理补贴。"
BENEFITS = {  # as load_policy reads policy.toml's [benefits.*]
    "dibao": Benefit("dibao", "最低生活保障", "纳入特困人员救助供养范围的，不再适用最低生活保障政策。", "benefit"),
    "orphan": Benefit("orphan", "孤儿基本生活保障", "纳入孤儿基本生活保障范围的，不再适用特困人员救助供养政策。", "tekun"),
    "hardship_disability": Benefit("hardship_disability", "困难残疾人生活补贴", RULE_TEKUN_FIRST, "benefit"),
    "severe_disability": Benefit("severe_disability", "重度残疾人护理补贴", RULE_TEKUN_FIRST, "benefit"),
}
RNG = random.Random(11)
ID_A = sample_number(RNG, dt.date(1950, 3, 4), "男")
ID_B = sample_number(RNG, dt.date(1951, 6, 7), "男")


def person(**kw):
    row = {"township": "丰收乡", "village": "甲村", "name": "王大山", "id_number": ID_A,
           "source_file": "特困.xlsx", "source_row": 5}
    return {**row, **kw}


def roster_row(**kw):
    row = {"township": "丰收乡", "village": "甲村", "name": "王大山", "id_number": ID_A,
           "source_file": "名单.xlsx", "source_row": 9}
    return {**row, **kw}


def run(people, rows, key, **kw):
    return find_conflicts(pd.DataFrame(people), {key: pd.DataFrame(rows)}, BENEFITS, **kw)


def test_the_bundled_policy_is_what_the_tests_use(policy):
    assert policy.benefits == BENEFITS


@pytest.mark.parametrize("key", list(BENEFITS))
def test_match_by_id_is_confirmed(key):
    d = run([person()], [roster_row(name="王大山子", village="乙村", id_number=ID_A.lower())], key)
    assert len(d) == 1 and list(d.columns) == COLUMNS
    r = d.iloc[0]
    assert bool(r["confirmed"]) and r["basis"] == BASIS_ID
    assert r["benefit"] == BENEFITS[key].label and r["rule"] == BENEFITS[key].rule
    assert r["people_source"] == "特困.xlsx:5" and r["roster_source"] == "名单.xlsx:9"
    assert r["to_stop"] == (TEKUN_LABEL if key == "orphan" else BENEFITS[key].label)


@pytest.mark.parametrize("key", list(BENEFITS))
@pytest.mark.parametrize("who", ["person", "roster", "both"])
def test_match_by_name_without_id_is_unconfirmed(key, who):
    p = person(id_number="" if who in ("person", "both") else ID_A, name=" 王 大山")
    r = roster_row(id_number=None if who in ("roster", "both") else ID_A)
    d = run([p], [r], key)
    assert len(d) == 1
    assert not bool(d["confirmed"].iloc[0]) and d["basis"].iloc[0] == BASIS_NAME


def test_invalid_number_counts_as_no_number():
    d = run([person(id_number=ID_A[:17] + ("1" if ID_A[17] != "1" else "2"))], [roster_row()], "dibao")
    assert len(d) == 1 and d["basis"].iloc[0] == BASIS_NAME_BAD_ID and not d["confirmed"].iloc[0]


@pytest.mark.parametrize("key", list(BENEFITS))
@pytest.mark.parametrize("roster", [
    roster_row(id_number=ID_B),                    # different number, same name: another person
    roster_row(id_number="", village="乙村"),        # same name in another village
    roster_row(id_number="", township="新地镇"),      # same name and village name in another township
    roster_row(id_number="", name="王小山"),          # another name
], ids=["other-id", "other-village", "other-township", "other-name"])
def test_no_match_otherwise(key, roster):
    assert run([person()], [roster], key).empty


def test_person_not_on_roster_and_benefit_without_roster():
    d = find_conflicts(pd.DataFrame([person()]), {"dibao": pd.DataFrame([roster_row(id_number=ID_B, name="李四")])},
                       BENEFITS)
    assert d.empty and list(d.columns) == COLUMNS


def test_empty_names_never_match():
    d = run([person(id_number="", name="", village="")], [roster_row(id_number="", name="", village="")], "dibao")
    assert d.empty


def test_id_match_preferred_and_sorted_by_township_order():
    people = [person(township="新地镇", name="甲", id_number=ID_B), person(name="乙", id_number="")]
    rows = [roster_row(township="新地镇", name="甲", id_number=ID_B, source_row=3),
            roster_row(township="新地镇", name="甲", id_number="", source_row=4),
            roster_row(name="乙", id_number="", source_row=7)]
    d = run(people, rows, "dibao", township_order=["新地镇", "丰收乡"])
    assert list(d["name"]) == ["甲", "乙"]
    assert list(d["confirmed"]) == [True, False]
    assert d["roster_source"].iloc[0] == "名单.xlsx:3"
    assert list(run(people, rows, "dibao", township_order=["丰收乡", "新地镇"])["name"]) == ["乙", "甲"]


def test_one_row_per_person_and_benefit():
    rosters = {k: pd.DataFrame([roster_row()]) for k in BENEFITS}
    d = find_conflicts(pd.DataFrame([person()]), rosters, BENEFITS)
    assert list(d["benefit"]) == [b.label for b in BENEFITS.values()]


def test_unknown_roster_and_missing_column():
    with pytest.raises(ValueError, match="没有这些待遇"):
        find_conflicts(pd.DataFrame([person()]), {"pension": pd.DataFrame([roster_row()])}, BENEFITS)
    with pytest.raises(ValueError, match="缺少列"):
        find_conflicts(pd.DataFrame([person()]).drop(columns="village"), {}, BENEFITS)
