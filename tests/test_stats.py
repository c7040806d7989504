"""Statistics against the seed document's own figures (附件1 and 附件2 of 敖政办发〔2023〕59号)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tekun_helpers import stats

# 附件2, typed from the source document: beds, 60%应住人数, 达到60%还应入住人数
SEED_HOME_COLUMNS = [
    ("敖汉旗新惠中心敬老院", 130, 78, 16), ("新惠镇敬老院", 60, 36, -12), ("贝子府镇敬老院", 40, 24, -2),
    ("古鲁板蒿镇敬老院", 40, 24, 4), ("萨力巴乡敬老院", 24, 15, -3), ("四家子镇敬老院", 40, 24, 4),
    ("玛尼罕乡敬老院", 70, 42, 30), ("金厂沟梁镇敬老院", 40, 24, 7), ("长胜镇敬老院", 50, 30, 7),
    ("下洼镇敬老院", 48, 29, 14), ("丰收乡敬老院", 48, 29, 11), ("兴隆洼镇敬老院", 53, 32, 4),
    ("四道湾子镇敬老院", 50, 30, 15), ("木头营子乡敬老院", 40, 24, 5),
]


def test_township_totals(seed_month):
    ts = stats.township_stats(seed_month.townships)
    assert stats.township_totals(ts) == {"dispersed": 2700, "fully_disabled": 24, "semi_disabled": 184,
                                         "disabled": 208, "townships": 18}
    assert ts["share_of_banner"].sum() == pytest.approx(1.0)
    top = ts.sort_values("rank").iloc[0]
    assert (top["township"], top["rank"]) == ("贝子府镇", 1)
    assert ts.loc[ts.township == "新州街道办", "disabled_share"].item() == pytest.approx(4 / 14)


def test_home_totals_match_the_seed(seed_month, policy):
    hs = stats.home_stats(seed_month.homes, policy)
    t = stats.home_totals(hs)
    assert (t["beds"], t["residents"], t["staff"]) == (733, 341, 79)
    assert t["needed"] == 441            # summed per home, rounded up; 0.6 x 733 would be 439.8
    assert t["net_gap"] == 100           # the official net total
    assert t["missing_below_target"] == 117
    assert (t["homes_at_target"], t["homes_below_target"]) == (3, 11)
    assert t["free_beds"] == 733 - 341


def test_per_home_needed_and_gap_row_by_row(seed_month, policy):
    hs = stats.home_stats(seed_month.homes, policy)
    got = list(zip(hs["home"], hs["beds"], hs["needed"], hs["gap"]))
    assert got == SEED_HOME_COLUMNS
    assert list(hs["needed"]) == list(seed_month.homes["needed_stated"])
    assert list(hs["gap"]) == list(seed_month.homes["missing_stated"])
    above = hs[hs["gap"] < 0]
    assert sorted(above["gap"]) == [-12, -3, -2]


@pytest.mark.parametrize("rounding, beds, needed", [("up", 24, 15), ("up", 48, 29), ("up", 53, 32), ("up", 40, 24),
                                                     ("nearest", 24, 14), ("nearest", 48, 29), ("nearest", 53, 32),
                                                     ("down", 24, 14), ("down", 48, 28), ("down", 40, 24)])
def test_rounding_rule_comes_from_policy(policy, rounding, beds, needed):
    assert dataclasses.replace(policy, rounding=rounding).needed_residents(beds) == needed


def test_deadline_outlook(seed_month, policy):
    hs = stats.home_stats(seed_month.homes, policy)
    o = stats.deadline_outlook(hs, policy, stats.month_end("2023-08"))
    assert (o["days_left"], o["months_left"], o["monthly_intake_needed"]) == (61, 2, 59)
    late = stats.deadline_outlook(hs, policy, dt.date(2023, 11, 30))
    assert late["passed"] and late["monthly_intake_needed"] is None
    assert stats.month_end("2024-02") == dt.date(2024, 2, 29)


def test_rates_and_zero_divisions(policy):
    import pandas as pd

    homes = pd.DataFrame([{"home": "甲", "township": "乙", "beds": 0, "residents": 0, "staff": 0}])
    hs = stats.home_stats(homes, policy)
    assert hs["occupancy"].item() == 0 and hs["residents_per_staff"].item() is None
    towns = pd.DataFrame([{"township": "乙", "dispersed": 0, "fully_disabled": 0, "semi_disabled": 0}])
    assert stats.township_stats(towns)["disabled_share"].item() == 0


def test_summary_paragraph_quotes_the_seed(seed_month, policy):
    from tekun_helpers.narrative import attention_items, summary_paragraph

    k = stats.key_figures(seed_month.townships, seed_month.homes, policy, "2023-08")
    text = summary_paragraph(k, policy)
    for s in ("2023年8月", "2,700人", "全失能24人", "半失能184人", "床位733张", "现入住341人", "46.5%", "应住441人",
              "共差117人", "合计为100人", "2023年10月31日", "61天"):
        assert s in text, s
    items = attention_items(stats.home_stats(seed_month.homes, policy), policy)
    assert items[0].startswith("玛尼罕乡敬老院") and "30人" in items[0]
