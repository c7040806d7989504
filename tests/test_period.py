"""The period report (``tekun report --period``, issue 31): its tables agree with the months' own figures.

Built as objects from the bundled months (2023-08..2023-10, the months up to the occupancy deadline) and from a
copy of data/ with the 70% adjustment of 2024-01-01 (2023-08..2023-10 and the bundled 2024-01),
so the deadline month, the adjustment and the target under it are reported. No PDF here; the CLI's arguments
are checked without rendering.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import ROOT
from tekun_helpers.analysis import register as rg
from tekun_helpers.analysis import trends
from tekun_helpers.report import period

from builders import SEVENTY, SEVENTY_SOURCE as SOURCE


@pytest.fixture(scope="module")
def autumn():
    return period.build("2023-08", "2023-10")


@pytest.fixture(scope="module")
def adjusted(tmp_path_factory):
    data = tmp_path_factory.mktemp("period") / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    with open(data / "reference" / "policy.toml", "a", encoding="utf-8") as f:
        f.write(SEVENTY)
    for month in ("2023-08", "2023-09", "2023-10"):
        shutil.copytree(ROOT / "data" / month, data / month)
    shutil.copytree(ROOT / "data" / "2024-01", data / "2024-01")
    return period.build("2023-08", "2024-01", data)


def test_the_months_figures_are_the_trends_figures(autumn):
    months, _ = trends.history("2023-10")
    trend = trends.banner_trend(months)
    m = autumn.monthly
    assert list(m["month"]) == ["2023-08", "2023-09", "2023-10"] == autumn.months
    for col in ("dispersed", "residents", "beds", "occupancy", "homes_at_target", "assessed", "target"):
        assert list(m[col]) == list(trend[col]), col


def test_people_moved_over_the_period_are_the_sum_of_the_months(autumn):
    total = int(autumn.monthly["moved_in"].sum())
    assert total == autumn.moved_in > 0
    assert int(autumn.moves_township["moved_in"].sum()) == total
    assert int(autumn.moves_home["moved_in"].sum()) == total
    assert period.headline(autumn)["moved_in"] == total


def test_the_deadline_month_reports_who_met_the_target_and_when(autumn):
    t = autumn.targets
    assert set(t["deadline"]) == {dt.date(2023, 10, 31)} and set(t["target"]) == {0.6}
    whole = t.iloc[0]
    assert (whole["reached_in"], whole["status"]) == ("2023-10", period.ON_TIME)
    missed = t[t["status"] == period.MISSED]
    assert len(missed) and set(missed["reached_in"]) == {""}
    words = period.target_words(autumn)
    assert "2023年10月31日" in words and all(h in words for h in missed["item"])
    assert autumn.adjustments.empty


def test_findings_opened_and_closed_come_from_the_register(autumn):
    reg = rg.register_for("2023-10")
    f = autumn.findings
    assert int(f["opened"].sum()) == len(reg.items)            # the period starts with the first month
    assert int(f["closed"].sum()) == int(reg.items["closed_in"].ne("").sum())
    assert int(f["open_end"].sum()) == int(reg.items["status"].isin(rg.OPEN_STATUSES).sum())


def test_money_due_and_paid_are_sums_over_the_months(autumn):
    f = autumn.funds
    assert len(f) and set(f["months"]) <= {1, 2, 3}
    assert (f["due"] - f["allocated"] - f["shortfall"]).abs().max() < 0.005


def test_an_adjustment_is_reported_with_its_month_and_target(adjusted):
    m = adjusted.monthly.set_index("month")
    assert list(m["target"]) == [0.6, 0.6, 0.6, 0.7]
    assert m.loc["2024-01", "deadline"] == dt.date(2024, 6, 30)
    (a,) = adjusted.adjustments.to_dict("records")
    assert (a["effective"], a["first_month"], a["source"]) == (dt.date(2024, 1, 1), "2024-01", SOURCE)
    t = adjusted.targets
    assert list(dict.fromkeys(zip(t["target"], t["deadline"]))) == [(0.6, dt.date(2023, 10, 31)),
                                                                  (0.7, dt.date(2024, 6, 30))]
    seventy = t[t["target"] == 0.7]
    assert not (seventy["status"] == period.MISSED).any()       # the new deadline has not passed by 2024-01
    assert "70.0%" in period.target_words(adjusted)


def test_each_townships_months_are_its_annex1_figures_and_add_up_to_the_banners(autumn):
    """各乡镇逐月分散供养人数: each township's figure of each month is that month's 附件1 row; the columns add up to
    the banner's 逐月关键指标; the change is the last month's figure less the first's."""
    from tekun_helpers.month import load_month

    t = autumn.townships.set_index("township")
    for m in autumn.months:
        a1 = load_month(m, cache=True).townships.set_index("township")["dispersed"]
        assert {k: int(v) for k, v in a1.items()} == {k: int(v) for k, v in t[m].items() if v is not None}
        assert int(t[m].sum()) == int(autumn.monthly.set_index("month").loc[m, "dispersed"])
    assert (t["change"] == t[autumn.months[-1]] - t[autumn.months[0]]).all()
    assert list(t.index) == load_month(autumn.end, cache=True).reference.township_names


def test_findings_by_township_are_the_findings_by_class_split(autumn):
    """各乡镇问题发现与整改: the same register counts as 问题发现与整改, split by each finding's township; the two
    tables' totals are equal; each township's opened findings are its items first seen in the period."""
    tf, f = autumn.township_findings, autumn.findings
    for k in ("opened", "closed", "open_end"):
        assert int(tf[k].sum()) == int(f[k].sum())
    assert int(tf["opened"].sum()) > 0
    reg = rg.register_for(autumn.end)
    items = reg.items[(reg.items["first_seen"] >= autumn.start) & (reg.items["first_seen"] <= autumn.end)]
    town = tf.iloc[0]["township"]
    assert int(tf.iloc[0]["opened"]) == int((items["township"] == town).sum())
    sheets = period.sheets(autumn)
    assert "各乡镇问题发现与整改" in sheets and "各乡镇逐月分散供养人数" in sheets
    assert sheets["各乡镇问题发现与整改"].frame.iloc[-1]["township"] == "合计"


def test_a_finding_of_no_township_has_a_row_in_the_countys_words(autumn):
    import dataclasses

    reg = rg.register_for(autumn.end)
    items = reg.items.copy()
    items.loc[items.index[0], "township"] = ""
    last = period.history(autumn.end)[0][-1]
    tf = period._township_findings(dataclasses.replace(reg, items=items), autumn.start, autumn.end, last)
    assert tf.iloc[-1]["township"] == last.policy.county.fill("{whole}（不属某个{towns}）") == "全旗（不属某个乡镇苏木街道）"
    assert int(tf[["opened", "closed", "open_end"]].sum().sum()) == int(
        period._township_findings(reg, autumn.start, autumn.end, last)[["opened", "closed", "open_end"]].sum().sum())


def test_the_tables_and_sheets_use_the_registry(autumn):
    from tekun_helpers.config import outputs

    sheets = period.sheets(autumn)
    assert "逐月关键指标" in sheets and "各院逐月入住率" in sheets
    html = period.table(autumn, "period_months").to_html()
    assert "2023年8月" in html and outputs.table("period_months").column("moved_in").label in html


@pytest.mark.parametrize("argv", [["report", "--period", "2023-08..2024-07"], ["report", "--month", "2023-08"]])
def test_report_takes_a_period_or_a_month(argv):
    from tekun_helpers.cli import build_parser

    args = build_parser().parse_args(argv)
    assert (args.period is not None) == ("--period" in argv)


def test_report_does_not_take_both():
    from tekun_helpers.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["report", "--month", "2023-08", "--period", "2023-08..2023-10"])


def test_wide_tables_are_split_for_the_page(autumn):
    assert len(period.occupancy_tables(autumn, per=2)) == 2
    assert len(period.target_tables(autumn)) == 1


def test_the_page_header_names_the_period_not_a_month_briefing():
    """Every PDF page's header shows the report's title and month: for a period, the period report's title and
    its first and last month (it said 月度简报 and the last month)."""
    from tekun_helpers.publish.jobs import ReportJob

    job = ReportJob(month="2024-07", period=("2023-08", "2024-07"))
    assert job.title("某县") == "某县特困人员供养服务期间工作报告" and job.shown_month() == "2023-08至2024-07"
    monthly = ReportJob(month="2024-07")
    assert monthly.title("某县") == "某县特困人员供养服务月度简报" and monthly.shown_month() == "2024-07"


@pytest.mark.parametrize("extra", [["--scope", "townships"], ["--scope", "all"], ["--township", "丰收乡"]])
def test_a_township_period_report_is_refused_in_chinese(extra, capsys):
    """Only the banner's period report exists: --scope townships/all or --township say so and stop (exit 2)."""
    from tekun_helpers.cli import main

    assert main(["report", "--period", "2023-08..2023-10", *extra]) == 2
    err = capsys.readouterr().err
    assert "期间报告目前只有全旗一份" in err and "各乡镇苏木街道" in err and "“各乡镇问题发现与整改”" in err


def test_draft_and_internal_reach_the_period_report(monkeypatch, tmp_path, capsys):
    """--draft and --internal are handed on (the draft renders although the last month has errors, its pages marked
    草稿); an internal period report goes to the 内部资料 folder; the notebook gets the tables already computed."""
    from tekun_helpers.cli import main
    from tekun_helpers.publish import period as publish
    from tekun_helpers.publish.jobs import INTERNAL_DIR, ReportResult

    seen = {}

    def fake(start, end, data_dir, out_dir, formats, **kw):
        seen.update(kw, start=start, end=end)
        return ReportResult(publish.period_job(start, end, **kw))

    monkeypatch.setattr(publish, "render_period", fake)
    assert main(["report", "--period", "2023-08..2023-10", "--draft", "--internal"]) == 0
    assert seen == {"start": "2023-08", "end": "2023-10", "draft": True, "internal": True}
    assert "草稿" in capsys.readouterr().out
    job = publish.period_job("2023-08", "2023-10", internal=True, draft=True, tables="/tmp/t.pickle")
    assert job.folder(tmp_path) == tmp_path / INTERNAL_DIR / "period" / "2023-08_2023-10"
    assert job.parameters(None)["tables"] == "/tmp/t.pickle"
    assert publish.period_job("2023-08", "2023-10").folder(tmp_path) == tmp_path / "period" / "2023-08_2023-10"


def test_the_tables_are_handed_over_whole(autumn, tmp_path):
    """The command computes the tables once; the notebook reads them back (period.load) unchanged."""
    import pickle

    path = tmp_path / "p.pickle"
    path.write_bytes(pickle.dumps(autumn))
    back = period.load(path)
    assert back.months == autumn.months and back.findings.equals(autumn.findings) and back.funds.equals(autumn.funds)
