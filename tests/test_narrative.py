"""Chinese prose and number formatting, checked against the seed's figures."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from tekun_helpers.core import fmt

from tekun_helpers.analysis import stats
from tekun_helpers.report.narrative import attention_items, summary_paragraph, whole_area


@pytest.fixture(scope="module")
def key(seed_month, policy):
    return stats.key_figures(seed_month.townships, seed_month.homes, policy, "2023-08")


@pytest.fixture(scope="module")
def hs(seed_month, policy):
    return stats.home_stats(seed_month.homes, policy)


# -- fmt ----------------------------------------------------------------------------

def test_thousands():
    assert fmt.thousands(2700) == "2,700"
    assert fmt.thousands(341) == "341"
    assert fmt.thousands(1234567) == "1,234,567"
    assert fmt.thousands(-12) == "-12"
    assert fmt.thousands(2700.0) == "2,700"
    import numpy as np
    assert fmt.thousands(np.int64(2700)) == "2,700"
    for missing in (None, float("nan"), pd.NA):
        assert fmt.thousands(missing) == "—"


def test_percent():
    assert fmt.percent(341 / 733) == "46.5%"
    assert fmt.percent(0.6, 0) == "60%"
    assert fmt.percent(12 / 70, 2) == "17.14%"
    assert fmt.percent(0) == "0.0%"
    assert fmt.percent(None) == "—" and fmt.percent(pd.NA) == "—"


def test_dates():
    assert fmt.cn_date(dt.date(2023, 10, 31)) == "2023年10月31日"
    assert fmt.cn_date(dt.date(2023, 9, 1)) == "2023年9月1日"
    assert fmt.cn_month("2023-08") == "2023年8月"
    assert fmt.cn_month("2023-12") == "2023年12月"


def test_rounding_words():
    assert [fmt.rounding_words(r) for r in ("up", "nearest", "down")] == ["向上取整", "四舍五入", "向下取整"]


# -- summary paragraph --------------------------------------------------------------------

def test_summary_paragraph_quotes_the_seed(key, policy):
    text = summary_paragraph(key, policy)
    assert text.startswith("截至2023年8月底，全旗分散供养特困人员2,700人，其中全失能24人、半失能184人。")
    for s in ("全旗14所公办敬老院共有床位733张", "现入住341人", "入住率46.5%", "工作人员79人",
              "按各院床位的60%向上取整计算，应住441人", "尚未达标的11所敬老院共差117人",
              "已达标敬老院共超出目标17人", "相抵后的净数", "方法与数据来源",
              "距2023年10月31日的目标期限还有61天", "平均每月需新增入住约59人"):
        assert s in text, s
    assert "439.8" not in text
    assert "合计为" not in text and "100人" not in text       # the net total is left to the methods section


@pytest.mark.parametrize("rounding, words, needed", [("nearest", "四舍五入", "440"), ("down", "向下取整", "437")])
def test_summary_paragraph_says_the_policy_rounding(seed_month, policy, rounding, words, needed):
    p = policy.with_occupancy(rounding=rounding)
    k = stats.key_figures(seed_month.townships, seed_month.homes, p, "2023-08")
    text = summary_paragraph(k, p)
    assert f"60%{words}计算，应住{needed}人" in text
    assert "向上取整" not in text


def test_summary_paragraph_after_the_deadline(seed_month, policy):
    k = stats.key_figures(seed_month.townships, seed_month.homes, policy, "2023-11")
    text = summary_paragraph(k, policy)
    assert "截至2023年11月底" in text
    assert "目标期限（2023年10月31日）已过 30 天" in text and "仍有11所敬老院未达标" in text
    assert "还有" not in text and "每月" not in text and "按剩余" not in text


def test_summary_paragraph_at_the_deadline_month(seed_month, policy):
    """In the deadline's own month: 期限为本月底 and what is still missing, never a countdown of 0 days."""
    k = stats.key_figures(seed_month.townships, seed_month.homes, policy, "2023-10")
    text = summary_paragraph(k, policy)
    assert "入住率目标期限为本月底（2023年10月31日），仍有11所敬老院未达标，共差117人。" in text
    assert "还有" not in text and "按剩余" not in text and "每月" not in text


def test_summary_paragraph_never_prints_a_negative_net_gap(seed_month, policy):
    """Homes far above target make the official net total negative: the paragraph says the shortfall and the
    surplus each on its own, never the net figure."""
    homes = seed_month.homes.copy()
    homes["residents"] = [b if i % 2 else r for i, (b, r) in enumerate(zip(homes["beds"], homes["residents"]))]
    k = stats.key_figures(seed_month.townships, homes, policy, "2023-08")
    assert k["net_gap"] < 0
    text = summary_paragraph(k, policy)
    assert f"共差{k['missing_below_target']}人" in text
    assert f"共超出目标{k['missing_below_target'] - k['net_gap']}人" in text
    assert "合计为-" not in text and str(k["net_gap"]) not in text


def test_summary_paragraph_when_every_home_is_at_target(seed_month, policy):
    homes = seed_month.homes.copy()
    homes["residents"] = [policy.needed_residents(b) for b in homes["beds"]]
    k = stats.key_figures(seed_month.townships, homes, policy, "2023-08")
    text = summary_paragraph(k, policy)
    assert "14所敬老院均已达到60%的目标" in text
    assert "共差" not in text and "每月" not in text


def test_summary_paragraph_words_come_from_policy(key, policy):
    p = dataclasses.replace(policy, occupancy=dataclasses.replace(policy.occupancy, target=0.7),
                            county=dataclasses.replace(policy.county, name="某某县", whole="全县"))
    assert whole_area(p) == "全县"
    text = summary_paragraph(key, p)
    assert text.startswith("截至2023年8月底，全县") and "床位的70%" in text


# -- attention items -----------------------------------------------------------------------

def test_attention_items_name_the_homes_furthest_below_target(hs, policy):
    items = attention_items(hs, policy)
    assert len(items) == 3                     # no home over capacity, no staffing norm, no warnings
    assert items[0] == "玛尼罕乡敬老院入住率17.1%，距60%目标还差30人（床位70张，现入住12人）。"
    assert items[1].startswith("敖汉旗新惠中心敬老院入住率47.7%") and "还差16人" in items[1]
    assert items[2].startswith("四道湾子镇敬老院入住率30.0%") and "还差15人" in items[2]
    assert len(attention_items(hs, policy, limit=5)) == 5


def test_attention_items_over_capacity_and_warnings(policy):
    homes = pd.DataFrame({"home": ["甲院", "乙院"], "township": ["甲", "乙"], "beds": [10, 20], "residents": [12, 5],
                          "staff": [2, 1]})
    hs = stats.home_stats(homes, policy)
    items = attention_items(hs, policy, ["附件1第5行：备注列有文字", "附件2第3行：负责人为空"])
    assert items[0].startswith("乙院入住率25.0%")
    assert any(i.startswith("甲院现入住12人，超过床位数10张") for i in items)
    assert items[-2:] == ["数据提示：附件1第5行：备注列有文字", "数据提示：附件2第3行：负责人为空"]
    assert not any("工作人员服务" in i for i in items)          # policy.toml sets no staffing norm
    many = attention_items(hs, policy, [f"警告{i}" for i in range(10)])
    assert many[-3:] == ["数据提示：警告0", "数据提示：警告1", "另有8条数据提示，详见“方法与数据来源”一节。"]


def test_staffing_norm_only_when_policy_sets_it(hs, policy):
    assert policy.staffing.residents_per_staff_max is None
    p = dataclasses.replace(policy, staffing=dataclasses.replace(policy.staffing, residents_per_staff_max=6))
    items = [i for i in attention_items(hs, p) if "工作人员服务" in i]
    assert len(items) == 3                                       # 新惠镇 48/6, 贝子府镇 26/4, 兴隆洼镇 28/4
    assert items[0] == "新惠镇敬老院每名工作人员服务8.0人（入住48人、工作人员6人），高于每人6人的配备标准。"
    assert items[1].startswith("贝子府镇敬老院每名工作人员服务6.5人")
    assert items[2].startswith("兴隆洼镇敬老院每名工作人员服务7.0人")


def test_staff_zero_is_not_a_staffing_item(policy):
    p = dataclasses.replace(policy, staffing=dataclasses.replace(policy.staffing, residents_per_staff_max=6))
    homes = pd.DataFrame({"home": ["甲院"], "township": ["甲"], "beds": [10], "residents": [6], "staff": [0]})
    assert attention_items(stats.home_stats(homes, p), p) == []


# -- the deadline words follow the calendar: one month's figures under policies with other deadlines -----

@pytest.mark.parametrize("deadline,want,never", [
    (dt.date(2023, 12, 31), ["距2023年12月31日的目标期限还有122天，按剩余4个月计，平均每月需新增入住约"], ["本月底", "已过"]),
    (dt.date(2023, 8, 31), ["入住率目标期限为本月底（2023年8月31日），仍有11所敬老院未达标，共差117人。"],
     ["还有", "按剩余", "每月需"]),
    (dt.date(2023, 8, 15), ["目标期限（2023年8月15日）已过 16 天，仍有11所敬老院未达标，共差117人。"],
     ["还有", "按剩余", "本月底", "每月需"]),
    (dt.date(2023, 6, 30), ["目标期限（2023年6月30日）已过 62 天，仍有11所敬老院未达标"], ["还有", "按剩余", "本月底"]),
])
def test_deadline_words_before_at_and_after(seed_month, policy, deadline, want, never):
    p = policy.with_occupancy(deadline=deadline)
    text = summary_paragraph(stats.key_figures(seed_month.townships, seed_month.homes, p, "2023-08"), p)
    for w in want:
        assert w in text, (w, text)
    for w in never:
        assert w not in text, (w, text)
    assert "还有0天" not in text and "合计为-" not in text


@pytest.mark.parametrize("deadline", [dt.date(2023, 12, 31), dt.date(2023, 8, 31), dt.date(2023, 6, 30)])
def test_deadline_words_when_every_home_meets_the_target(seed_month, policy, deadline):
    from tekun_helpers.report.narrative import all_at_target_note

    p = policy.with_occupancy(deadline=deadline)
    homes = seed_month.homes.copy()
    homes["residents"] = [p.needed_residents(b) + (1 if i == 0 else 0) for i, b in enumerate(homes["beds"])]
    k = stats.key_figures(seed_month.townships, homes, p, "2023-08")
    text = summary_paragraph(k, p)
    assert "未达标" not in text and "共差" not in text and "按剩余" not in text and "还有0天" not in text
    note = all_at_target_note(k, p)
    assert note == ("14所敬老院均已达到60%的目标，没有尚缺的入住人数；附件2“达到60%还应入住人数”一列的合计 -1 人"
                    "是各院超出目标的人数之和（共超出1人），不是还差的人数。")
    assert "尚缺 0 人" not in note and "0 所" not in note
    homes["residents"] = [p.needed_residents(b) for b in homes["beds"]]
    exact = stats.key_figures(seed_month.townships, homes, p, "2023-08")
    assert all_at_target_note(exact, p) == "14所敬老院均已达到60%的目标，没有尚缺的入住人数。"
