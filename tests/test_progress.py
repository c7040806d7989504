"""The plan's schedule: each status from a ledger built for it, the ledger's checks, and the training rule."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd
import pytest

from builders import SEED_TOWNSHIPS, make_month, one, write_xlsx
from tekun_helpers import load_month, load_policy
from tekun_helpers.analysis import progress as pg
from tekun_helpers.analysis import stats
from tekun_helpers.analysis import staffing as sf
from tekun_helpers.config.county import default_county
from tekun_helpers.config.schema import PROGRESS, STAFF, bind

D = dt.date
PROGRESS_HEADER = [f.label for f in bind(PROGRESS, default_county()).fields]
STAFF_HEADER = [f.label for f in STAFF.fields]
PEOPLE = {t[0]: t[1] for t in SEED_TOWNSHIPS}      # 附件1 of the seed, used for every test month


def ledger_rows(overrides: dict[str, dict]):
    """A full ledger: every township formed 09-10, scheme 09-12, all agreements filed 09-25; ``overrides``
    change a township's cells (key -> value)."""
    rows = []
    for i, (town, n, *_rest) in enumerate(SEED_TOWNSHIPS, start=1):
        v = {"group_formed": D(2023, 9, 10), "scheme_adopted": D(2023, 9, 12), "agreements_signed": n,
             "agreements_filed": n, "filed_on": D(2023, 9, 25), "note": None}
        v.update(overrides.get(town, {}))
        rows.append([i, town, v["group_formed"], v["scheme_adopted"], v["agreements_signed"], v["agreements_filed"],
                     v["filed_on"], v["note"]])
    return rows


def month_with_ledger(tmp_path, month, overrides=None, extra_rows=()):
    data = make_month(tmp_path, month)
    write_xlsx(data / month / "进度台账.xlsx", [PROGRESS_HEADER, *ledger_rows(overrides or {}), *extra_rows],
               title_rows=("乡镇工作进度台账",))
    return data, load_month(month, data)


def statuses(m, duty):
    long = pg.duty_status(m, [m])
    return dict(zip(long.loc[long["duty"] == duty, "township"], long.loc[long["duty"] == duty, "status"]))


@pytest.mark.parametrize("done_on, as_of, expected", [
    (D(2023, 9, 15), D(2023, 9, 30), pg.ON_TIME),        # on the due day
    (D(2023, 9, 16), D(2023, 9, 30), pg.LATE),           # one day after
    (None, D(2023, 9, 30), pg.OVERDUE),
    (None, D(2023, 9, 15), pg.NOT_DUE),                   # the due day itself has not passed
    (None, D(2023, 8, 31), pg.NOT_DUE),
    (D(2023, 8, 20), D(2023, 8, 31), pg.ON_TIME),        # done early
    (D(2023, 10, 3), D(2023, 9, 30), pg.OVERDUE),        # a date after the report's month is not known yet
])
def test_status_rule(done_on, as_of, expected):
    assert pg.status(done_on, D(2023, 9, 15), as_of) == expected


def test_each_status_from_a_ledger_built_for_it(tmp_path):
    _, m = month_with_ledger(tmp_path, "2023-09", {
        "长胜镇": {"group_formed": D(2023, 9, 20)},        # late
        "新惠镇": {"group_formed": None, "scheme_adopted": None},   # not done
    })
    s = statuses(m, "supervision_group")
    assert s["贝子府镇"] == pg.ON_TIME and s["长胜镇"] == pg.LATE and s["新惠镇"] == pg.OVERDUE
    assert set(s.values()) == {pg.ON_TIME, pg.LATE, pg.OVERDUE}


def test_not_yet_due_relative_to_the_report_month(tmp_path):
    _, m = month_with_ledger(tmp_path, "2023-08", {t: {"group_formed": None, "scheme_adopted": None,
                                                       "agreements_filed": 0, "filed_on": None}
                                                   for t in PEOPLE if t != "贝子府镇"}
                             | {"贝子府镇": {"group_formed": D(2023, 8, 25), "scheme_adopted": D(2023, 8, 28),
                                          "filed_on": D(2023, 8, 30)}})
    s = statuses(m, "supervision_group")
    assert s["贝子府镇"] == pg.ON_TIME
    assert {v for k, v in s.items() if k != "贝子府镇"} == {pg.NOT_DUE}
    assert statuses(m, "agreement")["长胜镇"] == pg.NOT_DUE and statuses(m, "agreement")["贝子府镇"] == pg.ON_TIME


def test_a_date_after_the_month_is_a_warning_and_counts_as_not_done(tmp_path):
    _, m = month_with_ledger(tmp_path, "2023-09", {"长胜镇": {"group_formed": D(2023, 10, 8)}})
    issue = one(m, "date_after_month")
    assert issue.severity == "warning" and issue.column == "监督评价领导小组成立日期" and issue.column_letter == "C"
    assert statuses(m, "supervision_group")["长胜镇"] == pg.OVERDUE


def test_agreements_are_done_when_every_person_is_filed(tmp_path):
    n = PEOPLE["贝子府镇"]
    # due 09-30: in the September report an unfinished one is not yet due; seen at the end of October
    _, m = month_with_ledger(tmp_path, "2023-10", {
        "贝子府镇": {"agreements_filed": n - 1},                      # one short: not done
        "长胜镇": {"filed_on": D(2023, 9, 30)},                       # on the due day
        "新惠镇": {"filed_on": None},                                # complete, no date: warning, not done
    })
    s = statuses(m, "agreement")
    assert s["贝子府镇"] == pg.OVERDUE and s["长胜镇"] == pg.ON_TIME and s["新惠镇"] == pg.OVERDUE
    assert one(m, "filed_without_date").column == "备案日期"
    long = pg.duty_status(m, [m])
    detail = long[(long["township"] == "贝子府镇") & (long["duty"] == "agreement")]["detail"].iloc[0]
    assert f"{n - 1}/{n}" in detail
    m9 = load_month("2023-09", month_with_ledger(tmp_path / "9", "2023-09", {"贝子府镇": {"agreements_filed": n - 1}})[0])
    assert statuses(m9, "agreement")["贝子府镇"] == pg.NOT_DUE


def test_ledger_checks_name_the_cell(tmp_path):
    _, m = month_with_ledger(tmp_path, "2023-09", {"贝子府镇": {"agreements_signed": 10, "agreements_filed": 12},
                                                   "长胜镇": {"group_formed": "9月5号"}})
    i = one(m, "filed_exceeds_signed")
    assert (i.severity, i.row, i.column_letter) == ("error", 4, "F")
    bad = one(m, "bad_date")
    assert bad.row == 3 + [t[0] for t in SEED_TOWNSHIPS].index("长胜镇") and bad.column_letter == "C"
    assert "9月5号" in bad.message


def test_dates_in_many_spellings(tmp_path):
    _, m = month_with_ledger(tmp_path, "2023-09", {"贝子府镇": {"group_formed": "2023年9月8日"},
                                                   "长胜镇": {"group_formed": "2023.9.9"},
                                                   "新惠镇": {"group_formed": 45179}})   # a day serial without format
    p = m.progress.set_index("township")["group_formed"]
    assert p["贝子府镇"] == D(2023, 9, 8) and p["长胜镇"] == D(2023, 9, 9) and p["新惠镇"] == D(2023, 9, 10)
    assert one(m, "date_serial").severity == "warning"


def test_missing_township_in_the_ledger_is_a_warning_and_not_reported(tmp_path):
    data = make_month(tmp_path, "2023-09")
    rows = [r for r in ledger_rows({}) if r[1] != "长胜镇"]
    write_xlsx(data / "2023-09" / "进度台账.xlsx", [PROGRESS_HEADER, *rows], title_rows=())
    m = load_month("2023-09", data)
    assert one(m, "not_reported_name").severity == "warning" and m.ok
    long = pg.duty_status(m, [m])
    row = long[(long["township"] == "长胜镇") & (long["duty"] == "group_formed".replace("group_formed", "supervision_group"))]
    assert row["status"].iloc[0] == pg.OVERDUE and row["detail"].iloc[0] == "台账未报送"


def test_occupancy_duty_applies_only_to_townships_with_a_home(seed_month):
    s = statuses(seed_month, "occupancy")
    assert s["贝子府镇"] == pg.ON_TIME          # 26 of 40 beds in 2023-08, at target before the deadline
    assert s["长胜镇"] == pg.NOT_DUE and s["黄羊洼镇"] == pg.NOT_APPLICABLE


def test_summary_counts_late_items(tmp_path):
    _, m = month_with_ledger(tmp_path, "2023-09", {"长胜镇": {"group_formed": D(2023, 9, 20)},
                                                   "新惠镇": {"group_formed": None, "scheme_adopted": None}})
    long = pg.duty_status(m, [m])
    c = pg.late_counts(long)
    late = long[long["status"].isin(pg.LATE_STATUSES)]
    assert c["late"] == len(late) > 0 and "长胜镇" in c["late_townships"]
    text = pg.summary_sentence(long, "2023-09")
    assert f"有 {c['late']} 项逾期" in text and "长胜镇" in text and "9月30日" in text


def test_status_grid_reads_townships_down_duties_across(tmp_path):
    _, m = month_with_ledger(tmp_path, "2023-09", {})
    grid = pg.status_grid(pg.duty_status(m, [m]), m.policy)
    assert list(grid["township"]) == [t[0] for t in SEED_TOWNSHIPS]
    assert list(grid.columns[1:]) == [d.short for d in pg.duties(m.policy)]


# -- training and staffing ------------------------------------------------------------

@pytest.mark.parametrize("month, hired_on, expected", [
    ("2023-09", None, Fraction(36)),
    ("2023-12", None, Fraction(48)),
    ("2023-01", None, Fraction(4)),
    ("2023-09", D(2023, 7, 1), Fraction(12)),        # July to September: 3 months
    ("2023-09", D(2022, 3, 1), Fraction(36)),
    ("2023-09", D(2023, 10, 1), Fraction(0)),
    ("2023-10", D(2023, 7, 15), Fraction(16)),
])
def test_required_hours_pro_rata(month, hired_on, expected):
    assert sf.required_hours(month, load_policy(), hired_on) == expected


def _staff(rows):
    return pd.DataFrame(rows, columns=["home", "staff_name", "role", "employment", "hired_on", "training_hours"])


def test_training_verdict_at_the_boundary():
    policy = load_policy()
    staff = _staff([["贝子府镇敬老院", "甲", "护理人员", "专职", None, 36],
                    ["贝子府镇敬老院", "乙", "护理人员", "专职", None, 35],
                    ["贝子府镇敬老院", "丙", "护理人员", "专职", D(2023, 7, 1), 12],
                    ["贝子府镇敬老院", "丁", "护理人员", "专职", D(2023, 7, 1), 11],
                    ["贝子府镇敬老院", "戊", "护理人员", "专职", None, None],
                    ["贝子府镇敬老院", "己", "其他", "专职", None, 0]])     # not a care worker: no rule
    t = sf.training(staff, "2023-09", policy).set_index("staff_name")["verdict"]
    assert t.to_dict() == {"甲": sf.MET, "乙": sf.NOT_MET, "丙": sf.MET, "丁": sf.NOT_MET, "戊": sf.NOT_FILLED}
    assert "36 课时" in sf.rule_sentence("2023-09", policy) and "9/12" in sf.rule_sentence("2023-09", policy)


def test_part_time_head_and_ratio_without_norm(seed_month):
    policy = seed_month.policy
    homes = seed_month.homes
    staff = _staff([["贝子府镇敬老院", "甲", "负责人", "兼职", None, 0],
                    ["贝子府镇敬老院", "乙", "护理人员", "专职", None, 40],
                    ["贝子府镇敬老院", "丙", "护理人员", "专职", None, 40]])
    s = sf.home_staffing(homes, staff, pd.DataFrame(), "2023-09", policy).set_index("home")
    row = s.loc["贝子府镇敬老院"]
    assert row["head_part_time"] and row["care_workers"] == 2 and row["trained"] == 2
    assert row["residents_per_care_worker"] == homes.set_index("home").loc["贝子府镇敬老院", "residents"] / 2
    assert not s["ratio_over_norm"].any()                     # policy.toml sets no norm: no judgement
    assert not s.loc["长胜镇敬老院", "reported"]
    assert any("兼职" in f for f in sf.flags(s.reset_index(), policy))


def test_ratio_judged_only_when_policy_sets_a_norm(seed_month):
    import dataclasses

    policy = dataclasses.replace(seed_month.policy, staffing=dataclasses.replace(
        seed_month.policy.staffing, max_residents_per_care_worker=10.0))
    staff = _staff([["贝子府镇敬老院", "乙", "护理人员", "专职", None, 40]])      # 26 residents, 1 care worker
    s = sf.home_staffing(seed_month.homes, staff, pd.DataFrame(), "2023-09", policy).set_index("home")
    assert s.loc["贝子府镇敬老院", "ratio_over_norm"]
    assert any("超过 10 人" in f for f in sf.flags(s.reset_index(), policy))


def test_staff_roster_checks(tmp_path):
    data = make_month(tmp_path, "2023-09")
    rows = [[1, "贝子府镇敬老院", "甲一", "院长", "兼职", None, 0, None],
            [2, "贝子府镇敬老院", "乙二", "护工", "专职", None, 30, None],
            [3, "贝子府镇敬老院", "乙二", "护理人员", "专职", None, 30, None],
            [4, "贝子府镇敬老院", "丙三", "厨师长", "专职", None, 0, None],
            [5, "贝子府镇敬老院", "丁四", "护理人员", "专职", None, 40, None]]       # 5 listed, 附件2 says 4
    write_xlsx(data / "2023-09" / "人员台账.xlsx", [STAFF_HEADER, *rows], title_rows=("敬老院工作人员台账",))
    m = load_month("2023-09", data)
    assert len(m.staff) == 5 and m.staff["role"].tolist()[:3] == ["负责人", "护理人员", "护理人员"]
    dup = one(m, "duplicate_staff")
    assert dup.row == 5 and "乙二" not in dup.message and dup.value == "乙*"
    bad = one(m, "unknown_answer")
    assert (bad.row, bad.column_letter) == (6, "D") and "厨师长" in bad.message
    assert any(i.code == "staff_missing_home" and i.value == "长胜镇敬老院" for i in m.issues)
    assert any(i.code == "staff_count_mismatch" and i.value == "贝子府镇敬老院" for i in m.issues)


# -- work done before the window opens; occupancy per home (issue 18) ------------------------

@pytest.mark.parametrize("done_on, expected", [
    (D(2023, 8, 31), pg.EARLY),          # before the window (9月1日至9月30日) opens: done, not late
    (D(2023, 9, 1), pg.ON_TIME),         # the window's first day
    (D(2023, 9, 30), pg.ON_TIME),
    (D(2023, 10, 2), pg.LATE),
])
def test_status_before_a_window_opens_is_early(done_on, expected):
    assert pg.status(done_on, D(2023, 9, 30), D(2023, 10, 31), start=D(2023, 9, 1)) == expected
    assert pg.EARLY in pg.DONE_STATUSES and pg.EARLY not in pg.LATE_STATUSES


def test_august_forms_covering_everyone_are_assessments_done_early(seed_month):
    s = statuses(seed_month, "assessment")
    assert set(s.values()) == {pg.EARLY} and len(s) == 18          # all 2,700 people were assessed in August
    long = pg.duty_status(seed_month, [seed_month])
    row = long[(long["township"] == "贝子府镇") & (long["duty"] == "assessment")].iloc[0]
    assert row["done_on"] == D(2023, 8, 31) and "325/325" in row["detail"]
    c = pg.late_counts(long)
    assert c[pg.EARLY] == 18 and c["late"] == 0
    text = pg.summary_sentence(long, "2023-08")
    assert "提前完成 18 项" in text and "均已完成或尚未到期" in text
    grid = pg.status_grid(long, seed_month.policy)
    assert all(str(v).startswith(pg.EARLY) for v in grid["入户考核评价"])


def test_occupancy_is_judged_per_home_not_pooled(seed_month):
    as_of = pg.month_end(seed_month.month)
    homes = pg.home_occupancy([seed_month], seed_month.policy, as_of).set_index("home")
    assert homes.loc["新惠镇敬老院", "status"] == pg.ON_TIME and homes.loc["新惠镇敬老院", "occupancy"] == 0.8
    assert homes.loc["敖汉旗新惠中心敬老院", "status"] == pg.NOT_DUE
    assert list(homes.index) == list(seed_month.homes["home"])               # 附件2's order
    long = pg.duty_status(seed_month, [seed_month])
    row = long[(long["township"] == "新惠镇") & (long["duty"] == "occupancy")].iloc[0]
    # the township is done when each of its homes is; the detail names each home, never 110/190 = 57.9%
    assert row["status"] == pg.NOT_DUE
    assert "新惠镇敬老院 80.0% 已达标" in row["detail"] and "敖汉旗新惠中心敬老院 47.7% 未达标" in row["detail"]
    assert "57.9%" not in row["detail"]
    one_home = long[(long["township"] == "贝子府镇") & (long["duty"] == "occupancy")].iloc[0]
    assert one_home["detail"] == "8月起达标，65.0%"


@pytest.mark.parametrize("deadline,below_status", [
    (D(2023, 12, 31), pg.NOT_DUE),          # before
    (D(2023, 8, 31), pg.NOT_DUE),           # the deadline is the month's last day: due today, not yet late
    (D(2023, 6, 30), pg.OVERDUE),           # after: every home below target is overdue
])
def test_homes_below_target_are_overdue_only_after_the_deadline(seed_month, deadline, below_status):
    p = seed_month.policy.with_occupancy(deadline=deadline)
    homes = pg.home_occupancy([seed_month], p, D(2023, 8, 31))
    hs = stats.home_stats(seed_month.homes, p).set_index("home")
    below = homes[~homes["home"].map(hs["at_target"])]
    assert len(below) == 11 and set(below["status"]) == {below_status}
    assert set(homes.loc[homes["home"].map(hs["at_target"]), "status"]) <= set(pg.DONE_STATUSES)
    assert set(homes["due"]) == {deadline}


@pytest.mark.parametrize("deadline,occupancy_only,words", [
    (D(2023, 12, 31), True, "（按时完成 2 项，未到期 11 项）。"),
    (D(2023, 8, 31), True, "（按时完成 2 项，未到期 11 项，期限均为本月底）。"),
    (D(2023, 8, 31), False, "项，其中 11 项期限为本月底）。"),     # the other duties fall due in September
])
def test_the_summary_says_when_the_items_not_due_fall_due_this_month(seed_month, deadline, occupancy_only, words):
    """At a deadline's month the items not yet late are due at its end: said so, never a countdown."""
    p = seed_month.policy.with_occupancy(deadline=deadline)
    long = pg.duty_status(seed_month, [seed_month], p)
    if occupancy_only:
        long = long[long["duty"] == "occupancy"]
    text = pg.summary_sentence(long, "2023-08", p)
    assert text.endswith(words), text
    assert "还有" not in text
