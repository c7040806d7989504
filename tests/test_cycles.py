"""Cycles from policy: training hours per calendar year, re-assessment every N months (frames built directly)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from tekun_helpers.analysis import assessment as asm
from tekun_helpers.analysis import findings as fd
from tekun_helpers.analysis import staffing as sf

HOME = "贝子府镇敬老院"


def _staff(rows):
    return pd.DataFrame(rows, columns=["home", "staff_name", "role", "employment", "hired_on", "training_hours"])


def _verdicts(staff, month, policy):
    t = sf.training(staff, month, policy).set_index("staff_name")
    return t["verdict"].to_dict(), t["required"].to_dict()


# -- training per calendar year ------------------------------------------------------------------

def test_training_across_december_and_january_is_judged_per_year(policy):
    """December asks the whole year's 48 hours; January starts again at 48/12 = 4 with the new year's hours."""
    december = _staff([[HOME, "甲", "护理人员", "专职", dt.date(2020, 3, 1), 40],
                       [HOME, "乙", "护理人员", "专职", dt.date(2020, 3, 1), 48]])
    january = _staff([[HOME, "甲", "护理人员", "专职", dt.date(2020, 3, 1), 4],
                      [HOME, "乙", "护理人员", "专职", dt.date(2020, 3, 1), 3]])
    v12, r12 = _verdicts(december, "2023-12", policy)
    v01, r01 = _verdicts(january, "2024-01", policy)
    assert v12 == {"甲": sf.NOT_MET, "乙": sf.MET} and r12 == {"甲": 48, "乙": 48}
    assert v01 == {"甲": sf.MET, "乙": sf.NOT_MET} and r01 == {"甲": 4, "乙": 4}
    # 甲's 2023 shortfall is not put right by January's 4 hours: its year has closed, unfinished
    assert sf.finding_key(HOME, "甲", "2023-12") != sf.finding_key(HOME, "甲", "2024-01")
    assert sf.year_closed("2023-12", "2024-01") and not sf.year_closed("2023-03", "2023-12")
    words = sf.year_end_words("2023-12", 40, policy)
    assert words.startswith("2023年累计培训 40 课时") and "未完成" in words and "已整改" not in words
    assert sf.year_due("2023-12", dt.date(2024, 1, 30)) == dt.date(2023, 12, 31)
    assert sf.year_due("2023-08", dt.date(2023, 9, 30)) == dt.date(2023, 9, 30)


@pytest.mark.parametrize("month,hired,required", [
    ("2023-12", dt.date(2023, 7, 15), 24),        # July to December: 6 months of 48/12
    ("2024-01", dt.date(2023, 7, 15), 4),         # a new year: from January, not from the hiring month
    ("2024-03", dt.date(2024, 2, 1), 8),          # hired this year: from February
    ("2024-01", dt.date(2024, 2, 1), 0),          # not yet there
])
def test_a_worker_hired_mid_year_is_counted_from_that_month(policy, month, hired, required):
    _, req = _verdicts(_staff([[HOME, "丙", "护理人员", "专职", hired, 0]]), month, policy)
    assert req["丙"] == required


def test_hours_are_shown_rounded_as_the_registry_says(policy):
    """A 40-hour rule asks 40/12 hours by January: shown 3.3 (not 3.33333), judged on the exact figure."""
    forty = dataclasses.replace(policy, training=dataclasses.replace(policy.training, min_hours_per_year=40))
    v, req = _verdicts(_staff([[HOME, "丁", "护理人员", "专职", None, 3],
                               [HOME, "戊", "护理人员", "专职", None, 4]]), "2024-01", forty)
    assert req == {"丁": 3.3, "戊": 3.3}
    assert v == {"丁": sf.NOT_MET, "戊": sf.MET}            # judged on the exact 10/3, not the shown 3.3
    assert "3.3 课时" in sf.rule_sentence("2024-01", forty) and "3.33" not in sf.rule_sentence("2024-01", forty)
    _, req8 = _verdicts(_staff([[HOME, "丁", "护理人员", "专职", None, 3]]), "2024-08", forty)
    assert req8 == {"丁": 26.7}


# -- re-assessment every N months ----------------------------------------------------------------

ID_A = "11010519491231002X"     # a valid number (checksum X)


def _forms(*rows):
    return pd.DataFrame(rows, columns=["township", "village", "name", "sex", "id_number"])


def _month(month, forms=(), changes=()):
    cols = ["township", "village", "name", "sex", "id_number", "change"]
    return SimpleNamespace(month=month, assessments=_forms(*forms), changes=pd.DataFrame(list(changes), columns=cols))


def _cycle(policy, months):
    return dataclasses.replace(policy, assessment=dataclasses.replace(policy.assessment, reassess_every_months=months))


def test_a_person_assessed_12_months_ago_is_due_again_when_the_cycle_is_12(policy):
    months = [_month("2023-01", [("丰收乡", "甲村", "张三", "男", ""), ("丰收乡", "甲村", "李四", "女", ID_A)]),
              _month("2023-02", [("丰收乡", "乙村", "王五", "男", "")])]
    twelve = _cycle(policy, 12)
    due = asm.reassessment_due(months, "2024-01", twelve)
    assert due["name"].tolist() == ["张三", "李四"] and set(due["months_since"]) == {12}
    assert set(due["due_month"]) == {"2024-01"}
    # one month earlier nobody is due; a month later 王五 is too
    assert asm.reassessment_due(months, "2023-12", twelve).empty
    assert asm.reassessment_due(months, "2024-02", twelve)["name"].tolist() == ["张三", "李四", "王五"]
    # a cycle of 6 months makes them due sooner; no cycle, nobody
    assert len(asm.reassessment_due(months, "2023-07", _cycle(policy, 6))) == 2
    assert asm.reassessment_due(months, "2030-01", _cycle(policy, None)).empty


def test_a_new_assessment_restarts_the_cycle_and_a_person_who_left_is_not_due(policy):
    months = [_month("2023-01", [("丰收乡", "甲村", "张三", "男", ""), ("丰收乡", "甲村", "李四", "女", ID_A),
                                 ("新惠镇", "丙村", "赵六", "男", "")]),
              _month("2023-06", [("丰收乡", "甲村", "张三", "男", "")]),
              _month("2023-09", changes=[("丰收乡", "甲村", "李四", "女", ID_A, "死亡")])]
    due = asm.reassessment_due(months, "2024-01", _cycle(policy, 12))
    assert due["name"].tolist() == ["赵六"]                 # 张三 assessed again in June; 李四 died in September
    towns = pd.DataFrame({"township": ["丰收乡", "新惠镇"]})
    per = asm.due_by_township(towns, due).set_index("township")
    assert per["due"].to_dict() == {"丰收乡": 0, "新惠镇": 1} and per.at["新惠镇", "oldest"] == "2023-01"


def test_a_person_due_is_a_finding_of_the_township(policy):
    months = [_month("2023-01", [("丰收乡", "甲村", "张三", "男", "")])]
    twelve = _cycle(policy, 12)
    (f,) = asm.due_findings(asm.reassessment_due(months, "2024-03", twelve), twelve)
    assert f.kind is fd.REASSESS_DUE and f.responsible == "丰收乡" and f.due == dt.date(2024, 1, 31)
    assert f.text == "最近一次入户考核评价在2023年1月，已满 14 个月（每 12 个月逐人考核评价一次），应再次考核评价"


def test_the_schedule_says_who_is_due_per_township(policy):
    from tekun_helpers.report.schedule import reassessment_sentence

    months = [_month("2023-01", [("丰收乡", "甲村", "张三", "男", ""), ("新惠镇", "丙村", "赵六", "男", ""),
                                 ("丰收乡", "乙村", "王五", "男", "")])]
    due = asm.reassessment_due(months, "2024-01", _cycle(policy, 12))
    text = reassessment_sentence(due, "2024-01", 12)
    assert text == ("逐人定期考核评价（每 12 个月一次）：截至2024年1月底，最近一次考核评价已满 12 个月、"
                    "应再次入户考核评价的有 3 人（丰收乡 2 人、新惠镇 1 人；最早一次在2023年1月）。")
    assert reassessment_sentence(due.iloc[0:0], "2024-01", 12) == ""


def test_the_forms_assessment_date_counts_and_a_blank_one_is_the_forms_month(policy):
    """评估日期 (assessed_on): the cycle counts from it; blank (or a form without the column) is the form's month;
    a day after the month is taken as the form's month; a person whose number is left out one month is the same
    person (not a second one left behind with the old date)."""
    forms = _forms(("丰收乡", "甲村", "张三", "男", ""), ("丰收乡", "甲村", "李四", "女", ID_A))
    forms["assessed_on"] = [dt.date(2022, 11, 20), None]
    later = _forms(("丰收乡", "甲村", "张三", "男", ""), ("丰收乡", "甲村", "李四", "女", ""))
    later["assessed_on"] = [dt.date(2022, 11, 20), dt.date(2024, 5, 1)]        # 李四: a day after the month
    months = [SimpleNamespace(month="2023-08", assessments=forms, changes=_month("2023-08").changes),
              SimpleNamespace(month="2023-09", assessments=later, changes=_month("2023-09").changes)]
    twelve = _cycle(policy, 12)
    assert asm.reassessment_due(months[:1], "2023-10", twelve).empty
    due = asm.reassessment_due(months, "2023-11", twelve)
    assert due["name"].tolist() == ["张三"] and due["due_month"].tolist() == ["2023-11"]
    last = asm.last_assessed(months).set_index("name")["last_assessed"]
    assert last.to_dict() == {"张三": "2022-11", "李四": "2023-09"} and len(last) == 2
    # assessed again: the next form's new date closes it
    again = later.assign(assessed_on=[dt.date(2023, 12, 5), None])
    months.append(SimpleNamespace(month="2023-12", assessments=again, changes=_month("2023-12").changes))
    assert asm.reassessment_due(months, "2023-12", twelve).empty
