"""资金与政策衔接 on the bundled sample month 2023-09: the made-up data has a case for every check.

The rosters, the money ledger and the identity numbers are made by tekun_helpers.sample (see
plan_identities, plan_benefit_rosters and plan_funds); these tests read the committed files through
load_month and compliance.build, as a briefing does, and check what the story says was put there.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tekun_helpers.analysis import compliance

from tekun_helpers.io import idcard

from tekun_helpers import load_month
from tekun_helpers.forms import benefit_sections
from tekun_helpers.analysis.rules import decide
from tekun_helpers.sample import plan_benefit_rosters, plan_funds

MONTH = "2023-09"


@pytest.fixture(scope="module")
def month():
    return load_month(MONTH)


@pytest.fixture(scope="module")
def checks(month):
    decisions = decide(month.assessments, month.policy)
    return decisions, compliance.build(month, decisions)


@pytest.fixture(scope="module")
def rosters():
    return plan_benefit_rosters(MONTH)


def test_month_loads_without_errors(month):
    assert month.ok, [i.message for i in month.errors]
    assert month.is_sample
    # every file the auditor's checks read is there and marked as sample data
    names = {s.name: s.sample for s in month.sources}
    labels = [sec.label for _, sec in benefit_sections(month.policy)]
    for name in (*(f"{x}对象名册 {MONTH}.xlsx" for x in labels), f"特困人员供养资金拨付台账 {MONTH}.xlsx"):
        assert names.get(name) is True, name
    assert len(month.funds) == len(month.reference.home_names) and len(month.spending) > 50
    assert set(month.benefits["benefit"]) == set(labels)
    # only the deliberate identity problems are warned about
    assert {i.code for i in month.warnings} == {"bad_id", "id_mismatch"}


def test_each_benefit_has_a_confirmed_and_an_unconfirmed_conflict(checks, month):
    _, c = checks
    found = c.conflicts
    labels = [sec.label for _, sec in benefit_sections(month.policy)]
    assert c.rosters == labels
    for label in labels:
        rows = found[found["benefit"] == label]
        assert rows["confirmed"].any() and (~rows["confirmed"]).any(), label
    assert (found["to_stop"] == "特困人员救助供养").sum() == (found["benefit"] == "孤儿基本生活保障").sum()


def test_conflicts_are_the_ones_made_and_near_misses_do_not_match(checks, rosters, month):
    _, c = checks
    found = {(r["township"], r["village"], r["name"], r["benefit"]): bool(r["confirmed"])
             for r in c.conflicts.to_dict("records")}
    label = {k: sec.label for k, sec in benefit_sections(month.policy)}
    expected = {}
    for key, roles in rosters.roles.items():
        assert len(roles["confirmed"]) >= 1 and len(roles["unconfirmed"]) >= 1 and len(roles["near_miss"]) >= 1
        for person in roles["confirmed"]:
            expected[(*person, label[key])] = True
        for person in roles["unconfirmed"]:
            expected[(*person, label[key])] = False
        for person in roles["near_miss"]:
            assert (*person, label[key]) not in found, person      # same name and village, another valid number
    assert found == expected
    # a near miss really is a namesake in the same village with another valid number
    people = month.assessments.set_index("name")
    for key, roles in rosters.roles.items():
        for town, village, name in roles["near_miss"]:
            row = next(r for r in rosters.rows[key] if (r["township"], r["village"], r["name"]) == (town, village, name))
            assert idcard.check(row["id_number"]).ok and idcard.check(people.loc[name, "id_number"]).ok
            assert row["id_number"] != people.loc[name, "id_number"]


def test_made_up_roster_people_are_not_in_extreme_hardship(rosters, month):
    names = set(month.assessments["name"])
    keys = {(r["township"], r["village"], r["name"]) for r in month.assessments.to_dict("records")}
    for key, rows in rosters.rows.items():
        made = [r for r in rows if (r["township"], r["village"], r["name"]) not in keys]
        assert len(made) > 0.8 * len(rows), key
        assert not {r["name"] for r in made} & names
        numbered = [r for r in made if r["id_number"]]
        assert numbered, key          # else the checks below hold for nothing
        assert all(r["id_number"].startswith(idcard.SAMPLE_REGION) and idcard.is_valid(r["id_number"]) for r in numbered)
        if key == "orphan":   # orphans are children
            assert all(2005 < int(r["id_number"][6:10]) for r in numbered)


def test_ledger_has_a_short_a_late_and_an_unpaid_home(checks, month):
    _, c = checks
    ledger = c.ledger.set_index("home")
    plan = plan_funds(MONTH)
    standard = Decimal(str(month.policy.funds.monthly_standard_per_person))
    day = month.policy.funds.allocation_day
    residents = dict(zip(month.home_care["home"], month.home_care["residents_tekun"]))
    for home, row in ledger.iterrows():
        assert row["due"] == standard * residents[home]
    short, late, unpaid = (plan.roles[k] for k in ("short", "late", "unpaid"))
    assert Decimal("0") < ledger.loc[short, "shortfall"] <= standard
    assert [f.amount for f in ledger.loc[short, "findings"] if f.code == "short_paid"] == [ledger.loc[short, "shortfall"]]
    assert ledger.loc[late, "late"] and ledger.loc[late, "allocated_on"] > dt.date(2023, 9, day)
    assert ledger.loc[late, "shortfall"] == 0
    assert "not_paid" in [f.code for f in ledger.loc[unpaid, "findings"]] and ledger.loc[unpaid, "allocated"] == 0
    assert ledger.loc[unpaid, "allocated_on"] is None
    others = ledger.drop(index=[short, late, unpaid])
    assert all(f == () for f in others["findings"]) and not others["late"].any()
    assert all(dt.date(2023, 9, 1) <= d <= dt.date(2023, 9, day) for d in others["allocated_on"])


def test_spending_has_forbidden_rows(checks, month):
    _, c = checks
    s = c.spending
    bad = s[s["forbidden"]]
    assert 1 <= len(bad) <= 2 and len(s) > 50
    forbidden = month.policy.funds.forbidden_categories
    assert set(bad["matched"]) <= set(forbidden)
    assert set(plan_funds(MONTH).roles["forbidden"]) == set(bad["home"])
    ok = s[~s["forbidden"]]
    assert {"伙食费", "护理费", "水电取暖", "医疗"} <= set(ok["category"])
    # nothing spent by the home that was not paid, and no home spends more than it got
    got = dict(zip(c.ledger["home"], c.ledger["allocated"]))
    for home, total in s.groupby("home")["amount"].sum().items():
        assert Decimal("0") < total <= got[home], home


def test_identity_issues(checks, month):
    _, c = checks
    counts = c.id_issues.groupby("kind")["count"].sum().to_dict()
    assert 1 <= counts.get(compliance.ID_CODES["bad_id"], 0) <= 2
    assert 1 <= counts.get(compliance.ID_CODES["id_mismatch"], 0) <= 2
    assert compliance.ID_CODES["duplicate_id"] not in counts
    # the issues never show a whole number
    assert not idcard.find_valid_numbers("\n".join(f"{i.value} {i.message}" for i in month.issues))


def test_watch_counts(checks, month):
    decisions, c = checks
    w = c.watch.sum(numeric_only=True)
    assert 0.01 * len(month.assessments) <= w["mental_illness"] <= 0.02 * len(month.assessments)
    assert w["mental_listed"] >= 3 and w["new_applicants"] >= 4 and w["placement"] >= 2
    transfer = decisions[decisions["rule"] == "transfer"]
    head = transfer["reasons"].str.startswith("患有精神疾病")
    assert head.sum() >= 3 and head.iloc[:head.sum()].all()        # mental illness heads the transfer list
    placed = set(decisions.loc[decisions["rule"] == "placement", "person"])
    assert placed <= set(month.assessments.index[month.assessments["new_applicant"] == "是"])
