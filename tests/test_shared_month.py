"""A month's briefings share what they compute from the whole month (report/briefing.py's shared facts).

The banner and its 18 townships read the same month; statistics, rules, the schedule, compliance and the
follow-up register are computed once per process for the month's files and handed to each briefing as a copy.
"""
from __future__ import annotations

import pytest

from tekun_helpers.core.cache import CACHE, ProcessCache
from tekun_helpers.month import load_month
from tekun_helpers.report import briefing
from tekun_helpers.report.briefing import Briefing
from tekun_helpers.report.followup import register


@pytest.fixture(autouse=True)
def in_process_only(monkeypatch):
    """What the briefings share, shared in this process only: the disk store keeps it too (between processes,
    tests/test_store.py), and would answer what these tests count being computed."""
    monkeypatch.setattr(Briefing, "_store_key", lambda self, name: None)


@pytest.fixture
def counted(monkeypatch):
    """Count the calls of the rules (the costliest month-wide step) from a clean shared cache."""
    CACHE.facts.clear()
    calls = []
    real = briefing.rules.decide
    monkeypatch.setattr(briefing.rules, "decide", lambda *a, **k: calls.append(1) or real(*a, **k))
    yield calls
    CACHE.facts.clear()


def test_banner_and_townships_compute_the_month_once(counted):
    banner = Briefing("2023-08")
    town = Briefing("2023-08", township="丰收乡")
    assert len(counted) == 1
    assert banner.decisions.equals(town.decisions)
    assert town.scope.townships == ("丰收乡",) and banner.scope.whole


def test_the_transfer_plan_is_made_once_per_month(counted, monkeypatch):
    """转入安排 is planned for every township at once: the banner's table and each township's sentence share it."""
    from tekun_helpers.report import followup

    plans = []
    real = followup.placement.plan
    monkeypatch.setattr(followup.placement, "plan", lambda *a, **k: plans.append(1) or real(*a, **k))
    banner = Briefing("2023-08")
    towns = [Briefing("2023-08", township=t) for t in ("丰收乡", "贝子府镇")]
    shown = [followup.plan_towns(b) for b in (banner, *towns)]
    followup.export_sheets(banner)
    assert len(plans) == 1
    _, alone = real(banner.data, banner.decisions)
    assert shown[0].equals(alone)
    for b, got in zip(towns, shown[1:]):
        assert got.equals(alone[alone["township"] == b.township].reset_index(drop=True))


def test_the_monthly_flow_is_matched_once_per_month(counted, monkeypatch):
    """人员增减 matches last month's forms to this month's for every township at once (a second a briefing
    in 2023-10 when each did it again): the banner and each township take their rows of one result."""
    from tekun_helpers.report import followup

    calls = []
    real = followup.flows.township_flow
    monkeypatch.setattr(followup.flows, "township_flow", lambda *a, **k: calls.append(1) or real(*a, **k))
    banner = Briefing("2023-10")
    town = Briefing("2023-10", township="贝子府镇")
    (flow, warnings), (again, _) = followup.township_flow(banner), followup.township_flow(town)
    followup.export_sheets(banner)
    assert len(calls) == 1
    expected, expected_warnings = real(banner.prev, banner.data)
    assert len(flow) and flow.equals(expected) and again.equals(expected)
    assert [w.message for w in warnings] == [w.message for w in expected_warnings]


def test_home_changes_are_the_months_for_each_scope(counted):
    """敬老院入住变化 is computed for every home once per month; each briefing shows its own homes' rows."""
    from tekun_helpers.analysis import stats, trends

    banner, town = Briefing("2023-10"), Briefing("2023-10", township="新惠镇")
    every = trends.change_table(stats.home_stats(banner.data.homes, banner.policy),
                                stats.home_stats(banner.prev.homes, banner.policy), "home",
                                ["residents", "occupancy", "staff"])
    assert banner.home_changes().equals(every.reset_index(drop=True))
    mine = every[every["home"].isin(town.own_homes()["home"])].reset_index(drop=True)
    assert len(mine) and town.home_changes().equals(mine)


def test_each_briefing_gets_its_own_copy(counted):
    a = Briefing("2023-08")
    before = int(a.homes.loc[0, "residents"])
    a.homes.loc[0, "residents"] = -1
    a.compliance.ledger = None
    b = Briefing("2023-08", township="贝子府镇")
    assert int(b.homes.loc[0, "residents"]) == before
    assert b.compliance is not a.compliance
    assert register(a) is not register(b) and register(a).items.equals(register(b).items)


def test_a_month_passed_in_is_computed_on_its_own(counted):
    Briefing("2023-08")
    m = load_month("2023-08", cache=True)
    m.homes.loc[0, "residents"] = 0              # a changed copy must not get the shared results
    b = Briefing("2023-08", data=m)
    assert len(counted) == 2
    assert int(b.homes.loc[0, "residents"]) == 0


def test_a_batch_hands_its_months_to_workers_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    """ProcessCache.snapshot / take: a worker or kernel takes the months the batch read, without reading the
    files; a month whose files changed since is read again."""
    import os
    import pickle
    import shutil

    from builders import ROOT, edit_cell
    from tekun_helpers import month as month_module

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "2023-08", data / "2023-08")
    planner = ProcessCache()
    read = month_module.cached_month("2023-08", data, planner.months)
    sent = pickle.dumps(planner.snapshot())           # as the batch's seed carries it to another process

    reads = []
    real = month_module.load_month
    monkeypatch.setattr(month_module, "load_month", lambda *a, **k: reads.append(a) or real(*a, **k))
    worker = ProcessCache()
    worker.take(pickle.loads(sent))
    got = month_module.cached_month("2023-08", data, worker.months)
    assert reads == []
    assert got.townships.equals(read.townships) and got.homes.equals(read.homes)
    assert len(got.assessments) == len(read.assessments) == 2700

    f = next((data / "2023-08").glob("附件2*.xlsx"))
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))   # saved again, unchanged
    month_module.cached_month("2023-08", data, worker.months)
    assert reads == []          # the disk store knows the files by content: nothing to read again
    home = str(read.homes["home"].iloc[0])
    edit_cell(f, "实有床位", home, int(read.homes["beds"].iloc[0]) + 1)       # saved with a change
    again = month_module.cached_month("2023-08", data, worker.months)
    assert len(reads) == 1
    assert int(again.homes["beds"].iloc[0]) == int(read.homes["beds"].iloc[0]) + 1


@pytest.fixture
def fresh_process(monkeypatch):
    """This process as a new batch worker would find it: no month read, nothing shared, no seed taken."""
    def reset():
        CACHE.clear()

    reset()
    yield reset
    reset()


def test_a_worker_takes_what_the_months_briefings_share_from_the_batchs_seed(tmp_path, monkeypatch, fresh_process):
    """share_month + write_seed: the batch computes the rules, the register, 人员增减 and 转入安排 once; a
    worker given the seed computes none of them again, and its briefings show the same as briefings that
    computed everything themselves (every computed table of the Excel export, banner and a township)."""
    from tekun_helpers.publish.batch import share_month
    from tekun_helpers.publish.warm import prepare, write_seed
    from tekun_helpers.report import followup

    def sheets(township=None):
        return Briefing("2023-10", township=township).export_tables()

    expected = {t: sheets(t) for t in (None, "贝子府镇")}     # computed here, the usual way
    fresh_process()
    share_month("2023-10")
    seed = tmp_path / "2023-10.pickle"
    write_seed(seed)
    fresh_process()                                              # the worker: a process of its own

    calls = []
    for module, name in ((briefing.rules, "decide"), (followup.placement, "plan"),
                         (followup.flows, "township_flow"), (followup.rg, "build")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    prepare(str(seed), clear=True)
    got = {t: sheets(t) for t in expected}
    assert calls == []
    for township, sheets_ in expected.items():
        assert list(got[township]) == list(sheets_)
        for name, sheet in sheets_.items():
            assert got[township][name].frame.equals(sheet.frame), (township, name)


def test_a_seed_of_files_changed_since_is_not_used(tmp_path, monkeypatch, fresh_process):
    """The shared results are keyed by the months' files (sizes and times): saved again after the batch
    wrote its seed, the month is read and its briefing computed afresh."""
    import os
    import shutil

    from builders import ROOT
    from tekun_helpers.publish.batch import share_month
    from tekun_helpers.publish.warm import prepare, write_seed

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "2023-08", data / "2023-08")
    share_month("2023-08", data)
    seed = tmp_path / "2023-08.pickle"
    write_seed(seed)
    fresh_process()
    f = next((data / "2023-08").glob("附件1*.xlsx"))
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))
    calls = []
    real = briefing.rules.decide
    monkeypatch.setattr(briefing.rules, "decide", lambda *a, **k: calls.append(1) or real(*a, **k))
    prepare(str(seed), clear=True)
    Briefing("2023-08", data)
    assert calls == [1]


def test_the_batchs_excel_export_takes_the_shared_results(tmp_path, monkeypatch, fresh_process):
    """The statistics workbook is built from the briefing the batch computed for its workers (share_month),
    not computed a third time; a month passed in that was not read through the cache is computed from itself."""
    from tekun_helpers.publish.batch import export_month, share_month
    from tekun_helpers.publish.reports import check_month_data

    calls = []
    real = briefing.rules.decide
    monkeypatch.setattr(briefing.rules, "decide", lambda *a, **k: calls.append(1) or real(*a, **k))
    data = check_month_data("2023-08")
    share_month("2023-08")
    export_month(data, tmp_path / "a")
    assert calls == [1]
    export_month(load_month("2023-08"), tmp_path / "b")        # not from the cache
    assert calls == [1, 1]


def test_a_reused_kernel_forgets_what_the_last_report_defined():
    """Between reports a batch worker's kernel keeps its imported modules and the months read, nothing else."""
    from builders import run_in_kernel
    from tekun_helpers.publish.kernel import worker_kernel
    from tekun_helpers.publish.warm import prepare

    km = worker_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        prepare(clear=True)
        run_in_kernel(kc, "b = 'last report'\nimport json\n1 + 1")
        assert run_in_kernel(kc, "print(len(Out), 'b' in dir())").split() == ["1", "True"]
        prepare(clear=True)
        seen = run_in_kernel(kc, "import sys\nprint(sorted(n for n in ('b', 'json') if n in dir()),"
                                 " 'tekun_helpers.report.show' in sys.modules, len(Out))")
        assert seen.split() == ["[]", "True", "0"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel()


def test_a_lone_banner_report_draws_its_charts_while_the_rest_is_computed(fresh_process, monkeypatch):
    """share_month(charts=True) (a single banner briefing, `tekun report`): the charts are drawn by helpers while
    this process computes the register, 人员增减 and 转入安排 (parallel.meanwhile); afterwards a briefing computes
    none of them again and finds every banner chart, the same as drawn here afterwards."""
    from tekun_helpers.publish.batch import share_month
    from tekun_helpers.report import followup
    from tekun_helpers.report.parts import _chart_key, _draw_chart_html, banner_charts

    fresh_process()
    share_month("2023-10", charts=True)
    calls = []
    for module, name in ((followup.placement, "plan"), (followup.flows, "township_flow"), (followup.rg, "build")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    b = Briefing("2023-10")
    b.compute_shared()
    assert calls == []
    wanted = banner_charts(b)
    assert [w for w, _ in wanted] == ["occupancy", "townships", "occupancy", "missing", "trend", "inspection"]
    for which, args in wanted:
        kept = b._shared[_chart_key(b, which, args)]
        # drawn again here: the same PNG and words (the phone SVG's ids differ from one drawing to the next)
        again = _draw_chart_html(b, which, **args)
        assert kept.split("<div class='tekun-phone-chart'")[0] == again.split("<div class='tekun-phone-chart'")[0]


@pytest.mark.parametrize("month", ["2023-09", "2023-10"])
def test_the_workers_month_drops_cells_and_rows_no_issue_points_at(month):
    """What a batch hands its workers (MonthData.for_reports): every frame as read, the files without their
    cells, the tables' rows only in files an issue points at; the townships each issue concerns and a draft's
    faulty forms come out the same from it as from the month read whole."""
    import dataclasses

    import pandas as pd

    from tekun_helpers.month import FRAMES, faulty_forms

    whole = load_month(month)
    lean = whole.for_reports()
    pointed = {i.file for i in whole.issues if i.file}
    assert pointed, "the month has issues that name their file"
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(lean, name), getattr(whole, name))
    assert [(s.name, s.sha256, s.sample) for s in lean.sources] == [(s.name, s.sha256, s.sample) for s in whole.sources]
    assert all(not s.sheets for s in lean.sources) and any(s.sheets for s in whole.sources)
    for kept, read in zip(lean.tables, whole.tables):
        assert (kept.file, kept.sheet, kept.unit) == (read.file, read.sheet, read.unit)
        assert len(kept.rows) == (len(read.rows) if read.file in pointed else 0)
    assert sum(len(t.rows) for t in lean.tables) < sum(len(t.rows) for t in whole.tables)
    a, b = Briefing(month, data=whole, draft=True), Briefing(month, data=lean, draft=True)
    for issue in whole.issues:
        assert a.concerns(issue) == b.concerns(issue)
    failing = dataclasses.replace(whole, issues=[dataclasses.replace(i, severity="error") for i in whole.issues])
    assert faulty_forms(failing.for_reports()) == faulty_forms(failing)
    assert faulty_forms(failing)
