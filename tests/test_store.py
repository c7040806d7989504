"""The month facts kept on disk (tekun_helpers.core.store): the same results as computing everything anew, a
later month folds only its own month, and nothing kept outlives a change of the files or the code."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from builders import ROOT, edit_cell
from tekun_helpers.analysis import register as rg
from tekun_helpers.analysis.trends import history
from tekun_helpers.core import store
from tekun_helpers.core.cache import CACHE
from tekun_helpers.month import Dropped, cached_trace

MONTHS = ("2023-08", "2023-09", "2023-10", "2023-11", "2023-12")


def _copy_months(d):
    shutil.copytree(ROOT / "data" / "reference", d / "reference")
    for m in MONTHS:
        shutil.copytree(ROOT / "data" / m, d / m)
    return d


@pytest.fixture(scope="module")
def months_copied(tmp_path_factory):
    """Five bundled months in a folder of this module's, for the tests that only read them."""
    return _copy_months(tmp_path_factory.mktemp("months") / "data")


@pytest.fixture(scope="module", autouse=True)
def files_parsed_once():
    """What a month's files hold is parsed once in this module (it is what these tests spend most of their time
    on, and not what they are about: which months are read whole, folded or taken from the store): the parse
    of a folder is kept by the folder and each file's name, size and modification time, so a file a test
    edits is parsed again. Everything above the parse (checks, frames, the cache, the store) runs each time."""
    import pickle

    from tekun_helpers import month as month_module

    real = month_module._read_folder
    parsed: dict = {}

    def once(month, folder, county):
        files = tuple(sorted((str(p.relative_to(folder)), st.st_size, st.st_mtime_ns)
                             for p in Path(folder).rglob("*") if p.is_file() for st in [p.stat()]))
        key = (str(folder), files, pickle.dumps(county))
        if key not in parsed:
            parsed[key] = pickle.dumps(real(month, folder, county))
        return pickle.loads(parsed[key])

    with pytest.MonkeyPatch.context() as m:
        m.setattr(month_module, "_read_folder", once)
        yield


def _own_store(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TEKUN_CACHE_DIR", str(tmp_path / "store"))
    CACHE.clear()


@pytest.fixture()
def data(months_copied, tmp_path, monkeypatch):
    """The five months, with a store of the test's own."""
    _own_store(tmp_path, monkeypatch)
    yield months_copied
    CACHE.clear()


@pytest.fixture()
def own_data(tmp_path, monkeypatch):
    """Five bundled months in a folder of the test's own (it edits them), with a store of its own."""
    d = _copy_months(tmp_path / "data")
    _own_store(tmp_path, monkeypatch)
    yield d
    CACHE.clear()


def _same(a: rg.Register, b: rg.Register) -> None:
    cols = [c for c in a.items.columns if c != "findings"]
    pd.testing.assert_frame_equal(a.items[cols], b.items[cols])
    pd.testing.assert_frame_equal(a.history, b.history)
    assert a.months == b.months


def _folds(monkeypatch) -> list[str]:
    folded: list[str] = []
    fold = rg._Fold.fold

    def counting(self, d, months):
        folded.append(d.month)
        return fold(self, d, months)

    monkeypatch.setattr(rg._Fold, "fold", counting)
    return folded


def test_a_report_reads_earlier_months_as_traces_and_folds_only_its_own_month(data, monkeypatch):
    ok, _ = history("2023-11", data)
    assert [(d.month, d.is_trace) for d in ok] == [("2023-08", True), ("2023-09", True), ("2023-10", False),
                                                   ("2023-11", False)]
    first = rg.built(ok)
    CACHE.clear()                               # a new process: only the disk store is left
    folded = _folds(monkeypatch)
    ok, _ = history("2023-12", data)
    later = rg.built(ok)
    assert folded == ["2023-12"]                # 2023-08..11 taken from the store, kept by the first report
    CACHE.clear()
    folded.clear()
    again = rg.built(history("2023-12", data)[0])
    assert folded == []                         # the same month again: 2023-12 kept as well
    _same(later, again)
    assert first.months == list(MONTHS[:4])
    # the same register as folding every month read whole, with nothing kept
    monkeypatch.setenv("TEKUN_CACHE_DIR", "0")
    CACHE.clear()
    whole = rg.build([d.whole() for d in history("2023-12", data)[0]])
    _same(later, whole)
    assert whole.counts() == later.counts()


def test_a_drafts_month_is_folded_but_not_kept(data, monkeypatch):
    """A draft's month (tables held back: no store key) is not the month as its files say: the next report
    must not start from it."""
    import dataclasses

    ok, _ = history("2023-10", data)
    draft = [*ok[:-1], dataclasses.replace(ok[-1], store_key=None)]
    rg.built(draft)
    kept = sorted(p.name for p in (store.root() / "registers").iterdir())
    assert len(kept) == 2                       # after 2023-08 and after 2023-09, not after the draft's 2023-10
    CACHE.clear()
    folded = _folds(monkeypatch)
    rg.built(history("2023-10", data)[0])
    assert folded == ["2023-10"]
    assert len(list((store.root() / "registers").iterdir())) == 3


def test_a_changed_file_or_new_code_is_never_answered_from_the_store(own_data, monkeypatch):
    data = own_data
    rg.built(history("2023-10", data)[0])
    # new code: nothing kept by the old code is read
    CACHE.clear()
    kept_before = sorted(p.name for p in (store.root() / "months").iterdir())
    with monkeypatch.context() as m:
        m.setattr(store, "code_version", lambda: "another release")
        folded = _folds(m)
        rg.built(history("2023-10", data)[0])
        assert folded == ["2023-08", "2023-09", "2023-10"]
        assert set(p.name for p in (store.root() / "months").iterdir()) > set(kept_before)
    # the analyst corrects 2023-08's 附件1 after the fact: the month is read again, the new figure shown
    before = cached_trace("2023-08", data).townships.set_index("township")["dispersed"]
    town = before.index[0]
    CACHE.clear()
    path = next(p for p in (data / "2023-08").iterdir() if "附件1" in p.name)
    edit_cell(path, "分散供养", town, int(before[town]) + 5)
    after = cached_trace("2023-08", data).townships.set_index("township")["dispersed"]
    assert int(after[town]) == int(before[town]) + 5


def test_an_unreadable_store_file_is_computed_again(data, monkeypatch):
    good = rg.built(history("2023-11", data)[0])
    for p in store.root().rglob("*.pickle"):
        p.write_bytes(b"not a pickle")
    CACHE.clear()
    _same(rg.built(history("2023-11", data)[0]), good)


def test_the_store_can_be_turned_off(data, monkeypatch, tmp_path):
    monkeypatch.setenv("TEKUN_CACHE_DIR", "0")
    assert store.root() is None
    reg = rg.built(history("2023-10", data)[0])
    assert reg.months == list(MONTHS[:3])
    assert not (tmp_path / "store").exists()


def test_a_trace_refuses_what_it_does_not_keep(data):
    t = cached_trace("2023-08", data)
    assert t.is_trace and len(t.assessments) and len(t.townships) == 18
    assert isinstance(t.funds, Dropped)
    with pytest.raises(AttributeError, match="2023-08 的 funds 不在该月的摘要"):
        len(t.funds)
    assert len(t.whole().funds) > 0
    assert list(t.staff.columns) == ["staff_name"]       # only the names, for the public notice
    # the files read: the same names, fingerprints and sample marks, without their cells
    whole = t.whole()
    assert [(s.name, s.sha256, s.sample) for s in t.sources] == [(s.name, s.sha256, s.sample) for s in whole.sources]
    assert all(not s.sheets for s in t.sources) and any(s.sheets for s in whole.sources)


def test_what_later_months_read_of_a_trace_is_what_they_read_of_the_whole_month(data):
    """The schedule, the re-assessment cycle and the trend read earlier months as traces: the same answers."""
    from tekun_helpers.analysis import assessment, progress, trends

    traces, _ = history("2023-12", data)
    wholes = [d.whole() for d in traces]
    assert any(d.is_trace for d in traces) and not any(d.is_trace for d in wholes)
    pd.testing.assert_frame_equal(assessment.last_assessed(traces), assessment.last_assessed(wholes))
    due = assessment.reassessment_due(traces, "2023-12", wholes[-1].policy)
    assert len(due) > 0        # the bundled year's first people due (assessed in 2022-12)
    pd.testing.assert_frame_equal(due, assessment.reassessment_due(wholes, "2023-12", wholes[-1].policy))
    pd.testing.assert_frame_equal(progress.duty_status(wholes[-1], traces), progress.duty_status(wholes[-1], wholes))
    pd.testing.assert_frame_equal(trends.banner_trend(traces), trends.banner_trend(wholes))
    from tekun_helpers.analysis.complaints import people_names

    assert people_names(*traces) == people_names(*wholes) and len(people_names(*traces)) > 1000
    kept = people_names(*traces)                # each month's names now from the store
    assert len(list((store.root() / "names").iterdir())) == len(traces)


def test_the_names_a_public_text_keeps_out_are_the_same_from_the_store(data, monkeypatch):
    from tekun_helpers.analysis.complaints import people_names

    kept = people_names(*history("2023-12", data)[0])
    assert people_names(*history("2023-12", data)[0]) == kept
    monkeypatch.setenv("TEKUN_CACHE_DIR", "0")
    CACHE.clear()
    assert people_names(*history("2023-12", data)[0]) == kept


def test_the_last_assessments_are_kept_month_by_month_and_equal_a_fresh_count(data, monkeypatch):
    """Each person's last assessment (the re-assessment cycle) folds one month's forms a report, the rest from the
    store: the same table as counting every month's forms anew with the store off."""
    from tekun_helpers.analysis import assessment

    kept = assessment.last_assessed(history("2023-11", data)[0])
    added: list[str] = []
    real = assessment._add_forms
    monkeypatch.setattr(assessment, "_add_forms", lambda p, n, i, d: added.append(d.month) or real(p, n, i, d))
    later = assessment.last_assessed(history("2023-12", data)[0])
    assert added == ["2023-12"] and len(kept) > 1000
    monkeypatch.setenv("TEKUN_CACHE_DIR", "0")
    CACHE.clear()
    added.clear()
    fresh = assessment.last_assessed([d.whole() for d in history("2023-12", data)[0]])
    assert added == list(MONTHS)
    pd.testing.assert_frame_equal(later, fresh)


# -- what the month's briefings share (Briefing.shared), kept in the store as kind "shared" ---------------------

SHARED_MONTH = "2023-09"        # has a month before it: 人员增减, the leavers and the homes' changes are computed


def _equal(a, b, where: str = "") -> None:
    """``a`` and ``b`` hold the same values: frames compared as frames, objects field by field."""
    from dataclasses import fields, is_dataclass

    assert type(a) is type(b), where
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, obj=where or "frame")
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, obj=where or "series")
    elif is_dataclass(a):
        for f in fields(a):
            _equal(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _equal(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _equal(x, y, f"{where}[{i}]")
    elif hasattr(a, "__dict__") and not isinstance(a, type):
        _equal(vars(a), vars(b), where)
    else:
        assert a == b, where


def _banner(data, **kw):
    from tekun_helpers.report import Briefing
    from tekun_helpers.report.parts import banner_charts, chart_html

    b = Briefing(SHARED_MONTH, data, **kw)
    b.compute_shared()
    for which, args in banner_charts(b):
        chart_html(b, which, **args)
    return b


def test_what_the_briefings_share_is_kept_and_equals_a_fresh_computation(data, monkeypatch):
    """A kernel opening a month that a batch or `tekun report` made (a new process: only the store is left) finds
    the register, 人员增减, 转入安排, the homes' changes, the leavers, the facts and the banner's charts without
    computing them, and they equal what the same briefing computes with the store off."""
    from tekun_helpers.report import Briefing, parts

    made = _banner(data)
    names = list(made._shared)
    assert {"facts", "register", "township_flow", "placement", "home_changes", "leavers"} <= set(names)
    charts = [n for n in names if isinstance(n, tuple) and n[0] == "chart_html"]
    assert len(charts) >= 4 and all(n[1] is None for n in charts)      # the banner's
    CACHE.clear()
    monkeypatch.setattr(parts, "_draw_chart_html", lambda *a, **k: pytest.fail("a kept chart was drawn again"))
    opened = Briefing(SHARED_MONTH, data)
    assert all(opened.has_shared(n) for n in names)
    kept = _banner(opened.data.folder.parent)
    monkeypatch.undo()
    monkeypatch.setenv("TEKUN_CACHE_DIR", "0")
    CACHE.clear()
    fresh = _banner(data)
    assert list(fresh._shared) == names
    for n in names:
        _equal(kept._shared[n], fresh._shared[n], repr(n))
    # what a section shows of it: the same register
    _same(kept.shared("register", pytest.fail), fresh.shared("register", pytest.fail))


def test_a_townships_charts_are_not_kept(data):
    from tekun_helpers.report import Briefing
    from tekun_helpers.report.parts import chart_html

    b = Briefing(SHARED_MONTH, data, township=Briefing(SHARED_MONTH, data).reference.township_names[0])
    chart_html(b, "townships", compact=True)
    CACHE.clear()
    again = Briefing(SHARED_MONTH, data, township=b.township)
    assert again.has_shared("facts")
    assert not any(isinstance(n, tuple) and again.has_shared(n) for n in b._shared)


def test_what_the_briefings_share_is_not_answered_for_other_files_code_or_a_draft(own_data, monkeypatch):
    data = own_data
    from tekun_helpers.month import cached_month
    from tekun_helpers.report import Briefing

    _banner(data)
    CACHE.clear()
    assert Briefing(SHARED_MONTH, data).has_shared("register")
    # new code
    CACHE.clear()
    with monkeypatch.context() as m:
        m.setattr(store, "code_version", lambda: "another release")
        assert not Briefing(SHARED_MONTH, data).has_shared("register")
    # a draft, and a month handed in (it may have been changed): never from the store
    CACHE.clear()
    assert not Briefing(SHARED_MONTH, data, draft=True).has_shared("register")
    CACHE.clear()
    handed = Briefing(SHARED_MONTH, data, data=cached_month(SHARED_MONTH, data))
    assert not handed.has_shared("register")          # (its facts are its own: computed with it)
    # the analyst corrects the month before's 附件1 (the trend chart and 人员增减 read it), then this month's
    for month in ("2023-08", SHARED_MONTH):
        CACHE.clear()
        before = cached_month(month, data).townships.set_index("township")["dispersed"]
        town = before.index[0]
        path = next(p for p in (data / month).iterdir() if "附件1" in p.name)
        edit_cell(path, "分散供养", town, int(before[town]) + 5)
        edit_cell(path, "分散供养", "合 计", int(before.sum()) + 5)     # the total row agrees: no error
        CACHE.clear()
        again = Briefing(SHARED_MONTH, data)
        assert [d.month for d in again.months] == ["2023-08", SHARED_MONTH]
        assert not again.has_shared("register") and not again.has_shared("township_flow")
        if month == SHARED_MONTH:
            assert int(again.towns.set_index("township")["dispersed"][town]) == int(before[town]) + 5


def test_what_the_briefings_share_works_with_the_store_off(data, monkeypatch, tmp_path):
    monkeypatch.setenv("TEKUN_CACHE_DIR", "0")
    b = _banner(data)
    assert "register" in b._shared and not b.has_shared("absent from the store")
    assert not (tmp_path / "store").exists()


# -- what this process keeps of a month: lean for reports, whole for the returned forms, texts shared ---------------

def test_a_month_kept_for_reports_is_never_handed_to_a_caller_that_reads_cells(data):
    """A report reads the month without its files' cells (load_month(lean=True)); the returned forms (feedback)
    read it afterwards in the same process (a JupyterLab kernel) and must get the cells, not the report's copy."""
    from tekun_helpers.month import cached_month, load_month

    ok, _ = history("2023-10", data)
    assert [(d.month, d.lean) for d in ok[-2:]] == [("2023-09", True), ("2023-10", True)]
    lean = cached_month("2023-10", data, lean=True)
    assert lean.lean and all(not s.sheets for s in lean.sources)
    whole = load_month("2023-10", data, cache=True)
    assert not whole.lean and any(s.sheets for s in whole.sources)
    for name in ("townships", "homes", "assessments", "changes"):
        pd.testing.assert_frame_equal(getattr(lean, name), getattr(whole, name))
    # the whole month now kept: a report takes it as it is (read once more, its cells were given back again)
    again = cached_month("2023-10", data, lean=True)
    assert not again.lean and any(s.sheets for s in again.sources)


def test_the_same_text_in_two_months_is_one_object_and_the_frames_are_as_read(data):
    """share_strings: a person's name, ID and village in two months' traces and in the month read whole are one
    object in this process (what keeps a batch's seed and its workers' months small); every frame equals the
    month read with nothing kept."""
    from tekun_helpers.month import cached_month, load_month

    a, b = cached_trace("2023-08", data), cached_trace("2023-09", data)
    now = cached_month("2023-10", data, lean=True)
    for col in ("name", "id_number", "village", "township"):
        first = dict(zip(a.assessments["id_number"], a.assessments[col]))
        same = [(first[i], v) for i, v in zip(b.assessments["id_number"], b.assessments[col]) if i in first]
        same += [(first[i], v) for i, v in zip(now.assessments["id_number"], now.assessments[col]) if i in first]
        same = [(x, y) for x, y in same if x == y]      # (the sample year corrects a few names and villages)
        assert len(same) > 1000 and all(x is y for x, y in same), col
    days = [(x, y) for x, y in zip(a.assessments["assessed_on"], b.assessments["assessed_on"]) if x == y]
    assert len(days) > 100 and all(x is y for x, y in days)        # one object per day as well
    fresh = load_month("2023-10", data)
    for name in ("townships", "homes", "assessments", "changes", "staff", "benefits"):
        pd.testing.assert_frame_equal(getattr(now, name), getattr(fresh, name))
