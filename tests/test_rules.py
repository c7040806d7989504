"""The plan's transfer, escalation and alert rules, person by person; masking of personal data."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tekun_helpers import load_policy
from tekun_helpers.io.privacy import age_band, mask_name, mask_people
from tekun_helpers.analysis.rules import Condition, decide, load_rules

GOOD = {"township": "丰收乡", "village": "甲村", "name": "王小明", "sex": "男", "age": 70, "guardian_name": "王大",
        "guardian_age": 45, "guardian_relation": "侄子", "self_care": "自理", "housing": "自有",
        "environment": "整洁干净", "quality": "较好", "care": "较好", "treated": "是",
        "self_controls_allowance": "是", "rights_infringed": "否", "result": "较好", "note": ""}

CASES = [
    ("transfer", {"care": "较差"}, "护理情况较差"),
    ("transfer", {"care": "差"}, "护理情况差"),
    ("transfer", {"environment": "脏乱差"}, "居住环境脏乱差"),
    ("transfer", {"quality": "较差"}, "生活质量较差"),
    ("transfer", {"result": "差"}, "评估结果为差"),
    ("transfer", {"guardian_name": ""}, "无人照料"),
    ("escalate", {"self_controls_allowance": "否"}, "不由本人支配"),
    ("escalate", {"rights_infringed": "是"}, "侵占"),
    ("alert", {"treated": "否"}, "不能得到及时救治"),
]


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def test_good_person_meets_no_rule(policy):
    assert decide(pd.DataFrame([GOOD]), policy).empty


@pytest.mark.parametrize("rule, change, reason", CASES)
def test_each_rule_fires_on_its_person_only(policy, rule, change, reason):
    people = pd.DataFrame([GOOD, {**GOOD, "name": "李四", **change}])
    d = decide(people, policy)
    assert list(d["person"]) == [1]
    assert list(d["rule"]) == [rule]
    assert reason in d["reasons"].iloc[0]


@pytest.mark.parametrize("change", [{"care": "一般"}, {"environment": "一般"}, {"quality": "一般"}, {"result": "较差"}])
def test_middle_answers_do_not_transfer(policy, change):
    assert decide(pd.DataFrame([{**GOOD, **change}]), policy).empty


def test_fully_disabled_first_and_all_reasons_kept(policy):
    people = pd.DataFrame([
        {**GOOD, "name": "甲", "care": "差"},
        {**GOOD, "name": "乙", "care": "差", "self_care": "失能", "environment": "脏乱差"},
        {**GOOD, "name": "丙", "quality": "较差", "self_care": "半失能"},
    ])
    d = decide(people, policy)
    t = d[d["rule"] == "transfer"]
    assert list(t["person"]) == [1, 2, 0]
    assert t["reasons"].iloc[0] == "护理情况差；居住环境脏乱差"


def test_rules_come_from_policy(policy, tmp_path):
    import dataclasses
    text = (tmp_path / "p.toml")
    source = (Path(__file__).parent.parent / "data" / "reference" / "policy.toml").read_text(encoding="utf-8")
    start, end = source.index("[rules.transfer]"), source.index("[rules.placement]")
    text.write_text(source[:start] + '[rules.transfer]\nlabel = "测试"\n[[rules.transfer.when]]\nfield = "care"\n'
                    'levels = ["一般"]\nreason = "x"\n\n' + source[end:], encoding="utf-8")
    county = Path(__file__).parent.parent / "data" / "reference" / "county.toml"     # the county's words beside it
    (tmp_path / "county.toml").write_text(county.read_text(encoding="utf-8"), encoding="utf-8")
    p2 = load_policy(text)
    d = decide(pd.DataFrame([{**GOOD, "care": "一般"}]), p2)
    assert list(d["label"]) == ["测试"]
    bad = dataclasses.replace(policy, rules={"transfer": dataclasses.replace(
        p2.rules["transfer"], conditions=(Condition("care", ("坏",)),))})
    with pytest.raises(Exception, match="没有填写项"):
        load_rules(bad)


@pytest.mark.parametrize("name, masked", [("张三", "张*"), ("张小明", "张*明"), ("欧阳小明", "欧**明"), ("王", "*"),
                                           ("", ""), ("𠮷田太郎", "𠮷**郎"), ("甲" * 500, "甲" + "*" * 12 + "甲")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_mask_people_and_age_bands():
    df = mask_people(pd.DataFrame([GOOD, {**GOOD, "age": 92, "guardian_age": None}]))
    assert list(df["name"]) == ["王*明", "王*明"] and list(df["guardian_name"]) == ["王*", "王*"]
    assert list(df["age"]) == ["70-79岁", "90岁及以上"]
    assert age_band(59) == "60岁以下"


# -- people to watch: mental illness and new applicants -------------------------------------

def test_mental_illness_without_guardian_heads_the_transfer_list(policy):
    people = pd.DataFrame([
        {**GOOD, "name": "甲", "self_care": "失能", "care": "较差"},               # fully disabled: normally first
        {**GOOD, "name": "乙", "mental_illness": "是", "guardian_name": ""},      # mental illness, no guardian
        {**GOOD, "name": "丙", "mental_illness": "是", "care": "一般"},           # mental illness, care not good
    ])
    d = decide(people, policy)
    t = d[d["rule"] == "transfer"]
    assert list(t["person"]) == [1, 2, 0]
    assert t["reasons"].iloc[0].startswith("患有精神疾病，无监护人")
    assert t["reasons"].iloc[1].startswith("患有精神疾病，护理情况一般")


def test_mental_illness_well_cared_for_is_not_listed(policy):
    """Mental illness alone, with a guardian and good care, is not a reason to transfer."""
    assert decide(pd.DataFrame([{**GOOD, "mental_illness": "是"}]), policy).empty


def test_new_applicant_unsuited_to_home_care_is_listed_for_placement(policy):
    people = pd.DataFrame([
        {**GOOD, "name": "甲", "new_applicant": "是", "environment": "脏乱差"},   # unsuited: placement after approval
        {**GOOD, "name": "乙", "new_applicant": "是"},                           # suited to home care: no list
        {**GOOD, "name": "丙", "environment": "脏乱差"},                          # not new: transfer only
    ])
    d = decide(people, policy)
    placed = d[d["rule"] == "placement"]
    assert list(placed["person"]) == [0]
    assert placed["reasons"].iloc[0] == "新申请；居住环境脏乱差"
    assert set(d.loc[d["rule"] == "transfer", "person"]) == {0, 2}


def test_transfer_list_is_in_the_order_policy_states(seed_month):
    """名单顺序 as the report states it (Rule.priority_text, from policy.toml): the people a ``first`` condition
    names (mental illness, no guardian or poor care) first, then 失能, 半失能, 自理 — within the first group too."""
    from tekun_helpers.analysis import rules as rl

    rule = seed_month.policy.rules["transfer"]
    assert rule.priority_text == "患有精神疾病且无监护人或护理情况不好的列在最前，其余依次为失能、半失能、自理"
    cases = rl.case_list(seed_month.assessments, rl.decide(seed_month.assessments, seed_month.policy), "transfer")
    order = list(rule.priority_order)
    keys = [(p != -1, order.index(s)) for p, s in zip(cases["priority"], cases["self_care"])]
    assert keys == sorted(keys) and (cases["priority"] == -1).any() and len(set(cases["self_care"])) == 3
    first = cases[cases["priority"] == -1]
    assert all(r.startswith("患有精神疾病") for r in first["reasons"])
