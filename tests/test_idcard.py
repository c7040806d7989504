"""Identity numbers (GB 11643-1999): check character, birth date, sex, masking, scanning text for numbers."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tekun_helpers.io.idcard import (EXCEL_PROBLEM, SAMPLE_REGION, age_on, check, check_digit, compare_with_form,
                                  find_valid_numbers, mask, normalise, sample_number)

PUBLISHED = "11010519491231002X"  # the example of GB 11643-1999: a woman born 1949-12-31
ON = dt.date(2023, 8, 31)
SETTINGS = settings(max_examples=200, deadline=None, database=None)

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=ON)
prefixes = st.builds(lambda region, birth, seq: f"{region:06d}{birth:%Y%m%d}{seq:03d}",
                     st.integers(0, 999999), dates, st.integers(0, 999))


def valid(first17: str) -> str:
    return first17 + check_digit(first17)


def test_published_example():
    c = check(PUBLISHED, on=ON)
    assert c.ok and c.problem is None
    assert c.birth == dt.date(1949, 12, 31) and c.sex == "女"
    assert check_digit(PUBLISHED[:17]) == "X"


@SETTINGS
@given(prefixes)
def test_standard_check_digit_passes(first17):
    c = check(valid(first17), on=ON)
    assert c.ok, c.problem
    assert c.birth.strftime("%Y%m%d") == first17[6:14]
    assert c.sex == ("男" if int(first17[16]) % 2 else "女")


@SETTINGS
@given(prefixes)
def test_no_single_character_change_passes(first17):
    number = valid(first17)
    for pos in range(18):
        for ch in "0123456789X":
            if ch == number[pos]:
                continue
            changed = number[:pos] + ch + number[pos + 1:]
            c = check(changed, on=ON)
            assert not c.ok, (number, changed)
            assert c.problem and c.birth is None and c.sex is None


def test_each_problem_is_named():
    assert "应为18位，实为17位" in check(PUBLISHED[:17], on=ON).problem
    assert "旧的15位" in check("110105491231002", on=ON).problem
    assert "非数字字符“A”" in check("1101051949123100A2", on=ON).problem
    assert "非数字字符" in check("1101051949X231002X", on=ON).problem
    assert check(PUBLISHED[:17] + "5", on=ON).problem.startswith("校验位应为 X，实为 5")
    feb31 = valid("11010519990231002")
    assert "出生日期 19990231 不存在" in check(feb31, on=ON).problem
    future = valid("11010520300101002")
    assert "出生日期 20300101 晚于 2023-08-31" in check(future, on=ON).problem
    assert check(future, on=dt.date(2031, 1, 1)).ok
    assert check("", on=ON).problem == "未填写身份证号"
    assert check(None, on=ON).problem == "未填写身份证号"
    assert check(float("nan"), on=ON).problem == "未填写身份证号"  # an empty Excel cell


@pytest.mark.parametrize("raw", [110105194912310020, 1.1010519491231e17, 110105194912310000.0, "1.10105E+17"])
def test_excel_numbers_are_not_trusted(raw):
    c = check(raw, on=ON)
    assert not c.ok and c.problem == EXCEL_PROBLEM


def test_normalise():
    assert normalise(" １１０１０５ 19491231 002x ") == PUBLISHED
    assert normalise("11010519491231002\u200bX") == PUBLISHED
    assert normalise("'" + PUBLISHED) == PUBLISHED
    assert normalise(float("nan")) == "" and normalise(None) == ""
    assert check("１１０１０５１９４９１２３１００２ｘ", on=ON).ok


def test_age_on():
    b = dt.date(1949, 12, 31)
    assert age_on(b, dt.date(2023, 12, 30)) == 73
    assert age_on(b, dt.date(2023, 12, 31)) == 74
    leap = dt.date(2000, 2, 29)
    assert age_on(leap, dt.date(2023, 2, 28)) == 22 and age_on(leap, dt.date(2023, 3, 1)) == 23
    with pytest.raises(ValueError):
        age_on(b, dt.date(1949, 12, 30))


@SETTINGS
@given(prefixes)
def test_mask_never_shows_the_middle(first17):
    number = valid(first17)
    m = mask(number)
    assert m == number[:6] + "********" + number[-4:]
    assert number[6:14] not in m


@pytest.mark.parametrize("raw, shown", [("12345", "12*45"), ("123", "1*3"), ("12", "**"), ("1", "*"), ("", ""),
                                         ("1" * 17, "11*************11"[:2] + "*" * 12 + "11")])
def test_mask_of_other_lengths(raw, shown):
    assert mask(raw) == shown
    assert raw == "" or mask(raw) != raw


def test_sample_numbers_are_valid_and_unreal():
    rng = random.Random(7)
    for sex in ("男", "女"):
        n = sample_number(rng, dt.date(1950, 2, 28), sex)
        c = check(n, on=ON)
        assert c.ok and c.sex == sex and c.birth == dt.date(1950, 2, 28) and n.startswith(SAMPLE_REGION)
    with pytest.raises(ValueError):
        sample_number(rng, dt.date(1950, 1, 1), "M")


def test_find_valid_numbers_in_text():
    other = sample_number(random.Random(1), dt.date(1960, 5, 6), "男")
    text = (f"王某某（身份证号{PUBLISHED}）住甲村；李某某{other.lower()[:17]}{other[17].lower()}。"
            f"编号9{PUBLISHED[:17]}1 不是；{PUBLISHED[:17]}5 校验位错；{valid('11010519990231002')} 日期错；"
            f"１１０１０５１９４９１２３１００２Ｘ")
    assert find_valid_numbers(text) == [PUBLISHED, other, PUBLISHED]
    nineteen = "1" + valid("10105194912310021")
    assert find_valid_numbers(f"单号{nineteen}号") == []
    assert find_valid_numbers("没有号码") == []


def test_compare_with_form():
    c = check(PUBLISHED, on=ON)  # 73 on 2023-08-31
    assert compare_with_form(c, 73, "女", ON) == []
    assert compare_with_form(c, 72, "女性", ON) == []  # filled before the birthday of the month
    assert compare_with_form(c, "73岁", None, ON) == []
    assert compare_with_form(c, None, "", ON) == []
    assert "应填 72 或 73 岁" in compare_with_form(c, 71, "女", ON)[0]
    assert "虚岁" in compare_with_form(c, 74, "女", ON)[0]
    assert compare_with_form(c, 73, "男", ON) == ["表中性别为男，身份证号第17位表明为女"]
    assert "无法识别" in compare_with_form(c, 73, "F", ON)[0]
    assert "不是整数" in compare_with_form(c, "七十三", "女", ON)[0]
    assert compare_with_form(check(PUBLISHED[:17] + "1", on=ON), 10, "男", ON) == []
    for msg in compare_with_form(c, 10, "男", ON):
        assert PUBLISHED not in msg and "1949" not in msg


def test_a_remembered_check_is_the_answer_for_its_own_day_and_value():
    """check() remembers its answers: asked again, about another day or the same digits typed as a number,
    it answers as if asked for the first time."""
    import datetime as dt

    from tekun_helpers.io import idcard

    first17 = "15043020230915123"               # born 2023-09-15
    number = first17 + idcard.check_digit(first17)
    for _ in range(2):
        assert not idcard.check(number, on=dt.date(2023, 9, 1)).ok          # born after the day asked about
        assert idcard.check(number, on=dt.date(2023, 10, 1)).ok
    assert idcard.check(int(number[:17] + "0"), on=dt.date(2023, 10, 1)).problem == idcard.EXCEL_PROBLEM
    assert idcard.check(number[:17] + "0", on=dt.date(2023, 10, 1)).problem != idcard.EXCEL_PROBLEM
    assert not idcard.check([number]).ok                # a value that cannot be remembered is checked all the same


def test_a_remembered_fold_keeps_its_options_apart():
    from tekun_helpers.core.text import fold

    assert fold("床位（张）") == "床位" and fold("床位（张）", drop_units=False) == "床位(张)"
    assert fold("床位（张）") == "床位"
    assert fold(["甲"]) == fold(str(["甲"]))           # not remembered, folded all the same


def test_remembered_keeps_types_apart_and_works_out_unhashable_arguments():
    """core.memo.remembered, the cache of idcard.check, text.fold and the readers' header text."""
    from tekun_helpers.core.memo import remembered

    calls = []

    @remembered(maxsize=8)
    def kind(x):
        calls.append(x)
        return type(x).__name__

    assert [kind(1), kind(1.0), kind(True), kind(1)] == ["int", "float", "bool", "int"]
    assert calls == [1, 1.0, True]
    assert kind([1]) == "list" and kind([1]) == "list" and calls[-2:] == [[1], [1]]
