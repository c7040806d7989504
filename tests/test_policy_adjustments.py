"""[[adjustments]] of policy.toml: a later notice changes the plan from its effective date on.

A copy of data/ gets the adjustment the issue describes (70% by 2024-06-30, in force from 2024-01-01):
the months of 2023 stay under 60% by 2023-10-31, a month of 2024 is judged under 70% by 2024-06-30 and
the briefing's words quote the notice. Wrong entries stop the load with a Chinese error naming the entry.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import ROOT
from tekun_helpers import PolicyError, load_month, load_policy
from tekun_helpers.analysis import stats
from tekun_helpers.report.narrative import summary_paragraph

from builders import SEVENTY, SEVENTY_SOURCE as SOURCE


def _reference(tmp_path, *entries: str):
    """A copy of data/reference whose policy.toml ends with ``entries``."""
    ref = tmp_path / "data" / "reference"
    shutil.copytree(ROOT / "data" / "reference", ref)
    with open(ref / "policy.toml", "a", encoding="utf-8") as f:
        f.write("".join(entries))
    return tmp_path / "data"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    data = _reference(tmp_path_factory.mktemp("adjusted"), SEVENTY)
    for month in ("2023-08", "2023-10"):
        shutil.copytree(ROOT / "data" / month, data / month)
    return data


def test_the_file_keeps_the_plan_and_the_adjustment_beside_it(data):
    p = load_policy(data_dir=data)
    assert (p.target_percent, p.occupancy_deadline, p.applied) == ("60%", dt.date(2023, 10, 31), ())
    (a,) = p.adjustments
    assert (a.effective, a.source, a.keys) == (dt.date(2024, 1, 1), SOURCE, ("occupancy.target", "occupancy.deadline"))


@pytest.mark.parametrize("month,percent,deadline", [
    ("2023-08", "60%", dt.date(2023, 10, 31)),
    ("2023-12", "60%", dt.date(2023, 10, 31)),
    ("2024-01", "70%", dt.date(2024, 6, 30)),     # in force on the month's last day
    ("2025-03", "70%", dt.date(2024, 6, 30)),
])
def test_a_month_is_judged_by_the_policy_in_force_on_its_last_day(data, month, percent, deadline):
    p = load_policy(data_dir=data).in_force(month)
    assert (p.target_percent, p.occupancy_deadline, p.duty("occupancy").due) == (percent, deadline, deadline)
    assert p.county.target == percent               # the tables' 应住人数 column follows the target in force


def test_an_adjustment_effective_mid_month_applies_from_that_month(tmp_path):
    p = load_policy(data_dir=_reference(tmp_path, SEVENTY.replace("2024-01-01", "2024-01-15")))
    assert p.in_force("2023-12").target_percent == "60%"
    assert p.in_force("2024-01").target_percent == "70%"
    assert p.in_force(dt.date(2024, 1, 14)).target_percent == "60%"


def test_the_2023_months_are_unchanged(data):
    for month in ("2023-08", "2023-10"):
        plain, adjusted = load_month(month), load_month(month, data)
        assert adjusted.policy.applied == () and adjusted.policy.occupancy == plain.policy.occupancy
        k_plain = stats.key_figures(plain.townships, plain.homes, plain.policy, month)
        k_adj = stats.key_figures(adjusted.townships, adjusted.homes, adjusted.policy, month)
        assert k_adj == k_plain
        assert summary_paragraph(k_adj, adjusted.policy) == summary_paragraph(k_plain, plain.policy)
        assert "70%" not in summary_paragraph(k_adj, adjusted.policy)


def test_a_2024_month_reads_70_percent_by_june_30_and_quotes_the_notice(data):
    """2023-10's tables seen as a month of 2024 (a folder of 2024 is loaded with the policy then in force)."""
    m = load_month("2023-10", data)
    p = load_policy(data_dir=data).in_force("2024-03")
    k = stats.key_figures(m.townships, m.homes, p, "2024-03")
    text = summary_paragraph(k, p)
    assert "床位的70%" in text and "2024年6月30日" in text
    assert "距2024年6月30日的目标期限还有" in text
    assert f"依据：“{SOURCE}”" in text and "自2024年1月1日起，入住率目标调整为70%，入住率目标期限调整为2024年6月30日" in text
    assert "60%" not in text and "10月31日" not in text
    # the figures are computed under 70%: more residents needed than under 60%
    k60 = stats.key_figures(m.townships, m.homes, m.policy, "2023-10")
    assert k["needed"] > k60["needed"]
    # the occupancy rule's quoted source is now the notice's
    assert p.occupancy.source == SOURCE and p.duty("occupancy").source == SOURCE


def test_load_month_applies_the_policy_of_its_own_month(data, tmp_path):
    shutil.copytree(data / "2023-10", data / "2024-02", dirs_exist_ok=True)
    try:
        m = load_month("2024-02", data)
        assert m.policy.target_percent == "70%" and m.policy.adjustment.source == SOURCE
    finally:
        shutil.rmtree(data / "2024-02")


def test_the_bundled_file_is_the_plan_as_issued():
    p = load_policy()
    assert p.in_force("2030-01") is p                 # the bundled file is the plan as issued


def test_two_adjustments_in_force_one_after_the_other(tmp_path):
    later = SEVENTY.replace("2024-01-01", "2025-01-01").replace("0.70", "0.80").replace(
        '"occupancy.deadline" = 2024-06-30', '"training.min_hours_per_year" = 60')
    data = _reference(tmp_path, SEVENTY, later)
    p = load_policy(data_dir=data)
    p24, p25 = p.in_force("2024-12"), p.in_force("2025-01")
    assert (p24.target_percent, p24.training_hours) == ("70%", 48)
    assert (p25.target_percent, p25.occupancy_deadline, p25.training_hours) == ("80%", dt.date(2024, 6, 30), 60)
    assert [a.effective.year for a in p25.applied] == [2024, 2025]


@pytest.mark.parametrize("entry,words", [
    (SEVENTY.replace('"occupancy.target"', '"occupancy.targte"'),
     ["第 1 项调整", "未知的设置", "occupancy.targte", "occupancy.target"]),
    (SEVENTY.replace("0.70", '"七成"'), ["第 1 项调整", "[occupancy] target", "应为数字", "七成"]),
    (SEVENTY.replace("= 2024-06-30", '= "6月30日"'), ["第 1 项调整", "[occupancy] deadline", "应为日期"]),
    (SEVENTY.replace("0.70", "70"), ["第 1 项调整", "[occupancy] target", "0 到 1"]),
    (SEVENTY.replace("2024-01-01", "2023-01-01"), ["第 1 项", "effective", "早于方案印发日期", "2023-09-11"]),
    (SEVENTY.replace(f'source = "{SOURCE}"\n', ""), ["第 1 项", "source", "缺少此项"]),
    (SEVENTY.replace('"occupancy.target" = 0.70\n"occupancy.deadline" = 2024-06-30\n', ""),
     ["第 1 项调整", "没有调整任何设置"]),
    (SEVENTY.replace('"occupancy.target"', '"document.number"'), ["第 1 项调整", "未知的设置", "document.number"]),
])
def test_a_wrong_adjustment_is_a_chinese_error_naming_the_entry(tmp_path, entry, words):
    data = _reference(tmp_path, entry)
    with pytest.raises(PolicyError) as e:
        load_policy(data_dir=data)
    for w in words + [str(data / "reference" / "policy.toml")]:
        assert w in str(e.value), (w, str(e.value))


def test_the_wrong_entry_is_named_among_several(tmp_path):
    bad = SEVENTY.replace("2024-01-01", "2025-01-01").replace("0.70", "1.5")
    data = _reference(tmp_path, SEVENTY, bad)
    with pytest.raises(PolicyError, match=r"第 2 项调整（effective = 2025-01-01）.*\[occupancy\] target"):
        load_policy(data_dir=data)


def test_the_trend_judges_each_month_by_its_own_policy(data):
    from types import SimpleNamespace

    from tekun_helpers.analysis import trends

    m = load_month("2023-10", data)
    p = load_policy(data_dir=data)
    months = [SimpleNamespace(month=mo, townships=m.townships, homes=m.homes, assessments=m.assessments,
                              staff=m.staff, policy=p.in_force(mo)) for mo in ("2023-12", "2024-01")]
    t = trends.banner_trend(months).set_index("month")
    assert t["target"].to_dict() == {"2023-12": 0.6, "2024-01": 0.7}
    assert t.at["2024-01", "missing_below_target"] > t.at["2023-12", "missing_below_target"]


def test_dotted_keys_may_be_written_without_quotes(tmp_path):
    """TOML reads 'occupancy.target = 0.70' as a nested table: the same adjustment as the quoted key."""
    data = _reference(tmp_path, SEVENTY.replace('"occupancy.target"', "occupancy.target"))
    p = load_policy(data_dir=data).in_force("2024-01")
    assert (p.target_percent, p.occupancy_deadline) == ("70%", dt.date(2024, 6, 30))


def test_a_list_valued_key_can_be_adjusted(tmp_path):
    """A list (the forbidden spending categories) is a value like any other."""
    entry = SEVENTY.replace('"occupancy.deadline" = 2024-06-30', '"funds.forbidden_categories" = ["工作经费", "招待费"]')
    p = load_policy(data_dir=_reference(tmp_path, entry)).in_force("2024-05")
    assert p.funds.forbidden_categories == ("工作经费", "招待费") and p.funds.source == SOURCE
