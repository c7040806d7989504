"""Statistics against the seed document's own figures (附件1 and 附件2 of 敖政办发〔2023〕59号).

The expected values are typed here from the source document, so a reader that
got a number wrong cannot make these tests pass.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

import pandas as pd
import pytest

from tekun_helpers.analysis import stats

from tekun_helpers.report import tables

# 附件1, typed from the source document: township, 分散供养人数, 全失能, 半失能
SEED_TOWNSHIPS = [
    ("敖润苏莫苏木", 21, 0, 0), ("贝子府镇", 325, 1, 14), ("丰收乡", 169, 0, 13), ("古鲁板蒿镇", 161, 11, 17),
    ("黄羊洼镇", 87, 0, 7), ("惠州街道办", 16, 0, 6), ("金厂沟梁镇", 180, 3, 9), ("玛尼罕乡", 129, 1, 11),
    ("木头营子乡", 158, 0, 4), ("牛古吐镇", 261, 0, 8), ("萨力巴乡", 89, 0, 5), ("四道湾子镇", 94, 0, 12),
    ("四家子镇", 200, 1, 14), ("下洼镇", 175, 1, 0), ("新惠镇", 267, 1, 23), ("新州街道办", 14, 2, 2),
    ("兴隆洼镇", 215, 0, 18), ("长胜镇", 139, 3, 21),
]

# 附件2, typed from the source document:
# name, 实有床位数, 现入住老人数, 60%应住人数, 达到60%还应入住人数, 工作人员人数
SEED_HOMES = [
    ("敖汉旗新惠中心敬老院", 130, 62, 78, 16, 16), ("新惠镇敬老院", 60, 48, 36, -12, 6),
    ("贝子府镇敬老院", 40, 26, 24, -2, 4), ("古鲁板蒿镇敬老院", 40, 20, 24, 4, 7),
    ("萨力巴乡敬老院", 24, 18, 15, -3, 4), ("四家子镇敬老院", 40, 20, 24, 4, 6),
    ("玛尼罕乡敬老院", 70, 12, 42, 30, 5), ("金厂沟梁镇敬老院", 40, 17, 24, 7, 5),
    ("长胜镇敬老院", 50, 23, 30, 7, 5), ("下洼镇敬老院", 48, 15, 29, 14, 5),
    ("丰收乡敬老院", 48, 18, 29, 11, 4), ("兴隆洼镇敬老院", 53, 28, 32, 4, 4),
    ("四道湾子镇敬老院", 50, 15, 30, 15, 3), ("木头营子乡敬老院", 40, 19, 24, 5, 5),
]
SEED_NEEDED = [h[3] for h in SEED_HOMES]    # 60%应住人数
SEED_GAP = [h[4] for h in SEED_HOMES]       # 达到60%还应入住人数 (signed)


@pytest.fixture(scope="module")
def ts(seed_month):
    return stats.township_stats(seed_month.townships)


@pytest.fixture(scope="module")
def hs(seed_month, policy):
    return stats.home_stats(seed_month.homes, policy)


# -- townships ----------------------------------------------------------------------

def test_township_rows_match_the_seed_in_order(ts):
    assert list(ts[["township", "dispersed", "fully_disabled", "semi_disabled"]].itertuples(index=False, name=None)) \
        == SEED_TOWNSHIPS


def test_township_totals(ts):
    assert stats.township_totals(ts) == {"dispersed": 2700, "fully_disabled": 24, "semi_disabled": 184,
                                         "disabled": 208, "townships": 18}


def test_township_shares_and_rank(ts):
    assert ts["share_of_banner"].sum() == pytest.approx(1.0)
    assert ts.loc[ts.township == "贝子府镇", "share_of_banner"].item() == pytest.approx(325 / 2700)
    row = ts[ts.township == "新州街道办"].iloc[0]
    assert (row["disabled"], row["fully_share"], row["semi_share"], row["disabled_share"]) == \
        (4, pytest.approx(2 / 14), pytest.approx(2 / 14), pytest.approx(4 / 14))
    ranked = ts.sort_values("rank")
    assert list(ranked["township"].head(3)) == ["贝子府镇", "新惠镇", "牛古吐镇"]
    assert list(ranked["rank"]) == list(range(1, 19))
    assert ts.loc[ts.township == "新州街道办", "rank"].item() == 18


def test_township_stats_ignores_provenance_and_keeps_input(seed_month, ts):
    before = seed_month.townships.copy()
    again = stats.township_stats(seed_month.townships)
    pd.testing.assert_frame_equal(seed_month.townships, before)
    pd.testing.assert_frame_equal(again, ts)
    assert not {"source_file", "source_sheet", "source_row"} & set(ts.columns)


def test_ties_share_the_lowest_rank_and_zero_people_give_zero_shares():
    towns = pd.DataFrame({"township": ["甲", "乙", "丙", "丁"], "dispersed": [10, 30, 10, 0],
                          "fully_disabled": [1, 0, 0, 0], "semi_disabled": [0, 3, 0, 0]})
    t = stats.township_stats(towns)
    assert list(t["township"]) == ["甲", "乙", "丙", "丁"]          # row order kept
    assert list(t["rank"]) == [2, 1, 2, 4]
    last = t.iloc[3]
    assert (last["fully_share"], last["semi_share"], last["disabled_share"]) == (0.0, 0.0, 0.0)
    assert t[["fully_share", "semi_share", "disabled_share", "share_of_banner"]].notna().all().all()
    assert all(math.isfinite(x) for x in t["disabled_share"])
    none = stats.township_stats(towns.assign(dispersed=0, fully_disabled=0, semi_disabled=0))
    assert list(none["share_of_banner"]) == [0.0] * 4


# -- nursing homes -----------------------------------------------------------------

def test_home_rows_match_the_seed(hs):
    got = list(hs[["home", "beds", "residents", "needed", "gap", "staff"]].itertuples(index=False, name=None))
    assert got == SEED_HOMES


def test_per_home_needed_and_gap_equal_the_official_columns_row_by_row(seed_month, hs):
    stated = seed_month.homes
    assert stated["needed_stated"].notna().all() and stated["missing_stated"].notna().all()
    for i, (name, needed, gap) in enumerate(zip(hs["home"], hs["needed"], hs["gap"])):
        assert needed == int(stated["needed_stated"].iloc[i]) == SEED_NEEDED[i], name
        assert gap == int(stated["missing_stated"].iloc[i]) == SEED_GAP[i], name


def test_home_totals_match_the_seed(hs):
    t = stats.home_totals(hs)
    assert (t["homes"], t["beds"], t["residents"], t["staff"]) == (14, 733, 341, 79)
    assert t["needed"] == 441            # summed per home, rounded up; 0.6 x 733 would be 439.8
    assert t["net_gap"] == 100           # the official net total of 还应入住人数
    assert t["missing_below_target"] == 117
    assert (t["homes_at_target"], t["homes_below_target"]) == (3, 11)
    assert t["free_beds"] == 733 - 341
    assert t["occupancy"] == pytest.approx(341 / 733)
    assert t["over_capacity"] == 0


def test_home_columns(hs):
    above = hs[hs["gap"] < 0]
    assert sorted(above["gap"]) == [-12, -3, -2]
    assert list(above["missing"]) == [0, 0, 0] and above["at_target"].all()
    assert (hs["missing"] == hs["gap"].clip(lower=0)).all()
    row = hs[hs.home == "玛尼罕乡敬老院"].iloc[0]
    assert (row["occupancy"], row["missing"], row["free_beds"], row["residents_per_staff"]) == \
        (pytest.approx(12 / 70), 30, 58, pytest.approx(12 / 5))
    assert str(hs["needed"].dtype) == "int64" and str(hs["gap"].dtype) == "int64"


def test_zero_beds_and_zero_staff_are_safe(policy):
    homes = pd.DataFrame({"home": ["甲院", "乙院"], "township": ["甲", "乙"], "beds": [0, 10], "residents": [0, 12],
                          "staff": [0, 2]})
    hs = stats.home_stats(homes, policy)
    assert hs["occupancy"].iloc[0] == 0 and pd.isna(hs["residents_per_staff"].iloc[0])
    assert hs["residents_per_staff"].iloc[1] == 6.0
    assert list(hs["over_capacity"]) == [False, True]
    assert list(hs["free_beds"]) == [0, 0]


@pytest.mark.parametrize("rounding, beds, needed", [("up", 24, 15), ("up", 48, 29), ("up", 53, 32), ("up", 40, 24),
                                                     ("nearest", 24, 14), ("nearest", 48, 29), ("nearest", 53, 32),
                                                     ("down", 24, 14), ("down", 48, 28), ("down", 53, 31),
                                                     ("down", 40, 24)])
def test_rounding_rule_comes_from_policy(policy, rounding, beds, needed):
    assert policy.with_occupancy(rounding=rounding).needed_residents(beds) == needed


@pytest.mark.parametrize("rounding, needed_total, net_gap, missing", [("up", 441, 100, 117), ("nearest", 440, 99, 117),
                                                                     ("down", 437, 96, 114)])
def test_home_totals_follow_the_rounding_mode(seed_month, policy, rounding, needed_total, net_gap, missing):
    p = policy.with_occupancy(rounding=rounding)
    t = stats.home_totals(stats.home_stats(seed_month.homes, p))
    assert (t["needed"], t["net_gap"], t["missing_below_target"]) == (needed_total, net_gap, missing)


def test_nearest_rounds_halves_up(policy):
    p = policy.with_occupancy(target=0.5, rounding="nearest")
    assert [p.needed_residents(b) for b in (25, 24, 27)] == [13, 12, 14]


# -- deadline -----------------------------------------------------------------------

def test_deadline_outlook_from_the_end_of_august(hs, policy):
    o = stats.deadline_outlook(hs, policy, stats.month_end("2023-08"))
    assert o["deadline"] == policy.occupancy_deadline == dt.date(2023, 10, 31)
    assert (o["days_left"], o["months_left"], o["passed"]) == (61, 2, False)
    assert (o["missing_below_target"], o["monthly_intake_needed"]) == (117, 59)   # ceil(117 / 2)


def test_deadline_outlook_in_the_deadline_month_and_after(hs, policy):
    same = stats.deadline_outlook(hs, policy, dt.date(2023, 10, 15))
    assert (same["months_left"], same["monthly_intake_needed"]) == (1, 117)
    on_the_day = stats.deadline_outlook(hs, policy, dt.date(2023, 10, 31))
    assert (on_the_day["days_left"], on_the_day["passed"], on_the_day["months_left"]) == (0, False, 1)
    late = stats.deadline_outlook(hs, policy, dt.date(2023, 11, 30))
    assert late["passed"] and late["days_left"] == -30 and late["months_left"] == 0
    assert late["monthly_intake_needed"] is None


def test_month_end():
    assert stats.month_end("2023-08") == dt.date(2023, 8, 31)
    assert stats.month_end("2024-02") == dt.date(2024, 2, 29)
    assert stats.month_end("2023-12") == dt.date(2023, 12, 31)


def test_key_figures_is_flat_and_complete(seed_month, policy):
    k = stats.key_figures(seed_month.townships, seed_month.homes, policy, "2023-08")
    assert k["month"] == "2023-08" and k["as_of"] == dt.date(2023, 8, 31)
    assert (k["dispersed"], k["fully_disabled"], k["semi_disabled"], k["townships"]) == (2700, 24, 184, 18)
    assert (k["beds"], k["residents"], k["needed"], k["net_gap"], k["missing_below_target"], k["staff"]) == \
        (733, 341, 441, 100, 117, 79)
    assert (k["outlook_days_left"], k["outlook_months_left"], k["outlook_monthly_intake_needed"]) == (61, 2, 59)
    assert k["target"] == policy.occupancy_target and k["rounding"] == policy.rounding
    assert not any(isinstance(v, (dict, list, pd.DataFrame)) for v in k.values())


# -- Styler tables ------------------------------------------------------------------------

def _highlighted_rows(html: str, css: str) -> set[int]:
    style = html.split("</style>")[0]
    rows = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", style):
        if css in body:
            rows |= {int(r) for r in re.findall(r"_row(\d+)_col\d+", selectors)}
    return rows


def test_township_table_renders_with_chinese_labels_and_total(ts):
    st = tables.township_table(ts)
    html = st.to_html()
    assert list(st.data.columns) == ["乡镇苏木街道", "分散供养人数", "全失能人数", "半失能人数", "失能合计", "失能占比",
                                     "占全旗比例", "排名"]
    assert st.data.iloc[-1, 0] == "合计" and len(st.data) == 19
    for s in ("2,700", "208", "100.0%", "12.0%", "合计"):
        assert s in html, s
    assert "source_file" not in html and "T_" in html


def test_home_table_highlights_homes_below_target(hs, policy):
    st = tables.home_table(hs, policy)
    html = st.to_html()
    cols = list(st.data.columns)
    gap, missing = "达到60%还应入住人数（人，净数，负数为超出）", "未达标院尚缺人数（人）"
    for label in ("敬老院", "实有床位数（张）", "现入住老人数（人）", "工作人员人数", "入住率", gap, missing, "空余床位（张）",
                  "每名工作人员服务人数（人）"):
        assert label in cols, label
    assert any("应住人数" in c and "向上取整" in c for c in cols)
    total = st.data.iloc[-1]
    assert total.iloc[0] == "合计"
    assert (total["实有床位数（张）"], total[gap], total[missing]) == (733, 100, 117)
    for s in ("46.5%", "17.1%", "441", "-12", "4.3"):
        assert s in html, s
    below = {i for i, ok in enumerate(hs["at_target"]) if not ok}
    assert len(below) == 11
    assert _highlighted_rows(html, tables.BELOW.split(";")[0]) == below
    assert tables.home_table(hs, policy, with_total=False).data.shape[0] == 14
