"""The made-up months 2023-09 and 2023-10 (generate_month_story) and the official-layout writer of 附件1/附件2.

Everything is generated into a temporary copy of data/reference and data/2023-08; the files made are then
compared with the committed 2023-09 and 2023-10 folders (regenerating gives the same bytes).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

import datetime as dt

from tekun_helpers.io import idcard
from tekun_helpers.forms import SAMPLE_FORM_MARK, form_filename, month_end
from tekun_helpers.month import load_month
from tekun_helpers.analysis.rules import decide
from tekun_helpers.sample import ID_STORY, generate_month_story, write_official_tables
from tekun_helpers.io.workbooks import SAMPLE_KEYWORD

ROOT = Path(__file__).resolve().parent.parent
BASE = "2023-08"
MONTHS = ("2023-09", "2023-10")


def copy_data(dest: Path) -> Path:
    for sub in ("reference", BASE):
        shutil.copytree(ROOT / "data" / sub, dest / sub)
    return dest


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def second_run(tmp_path_factory):
    """The same generation in another process (another hash seed), started at once to run alongside."""
    base = copy_data(tmp_path_factory.mktemp("again"))
    code = "import sys; from tekun_helpers.sample import generate_month_story; generate_month_story(data_dir=sys.argv[1])"
    proc = subprocess.Popen([sys.executable, "-c", code, str(base)], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    yield base, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def story(tmp_path_factory, second_run):
    base = copy_data(tmp_path_factory.mktemp("story"))
    before = tree_hashes(base / BASE)
    files = generate_month_story(data_dir=base)
    months = {m: load_month(m, base) for m in (BASE, *MONTHS)}
    return base, files, months, before


def test_months_are_written_and_load_without_issues(story):
    base, files, months, _ = story
    assert list(files) == list(MONTHS)
    for month in MONTHS:
        m = months[month]
        assert m.ok, [i.message for i in m.errors]
        # the only warnings are the identity numbers made wrong on purpose (see test_identity_numbers)
        assert {i.code for i in m.warnings} == {"bad_id", "id_mismatch"}, [i.message for i in m.warnings]
        assert len(files[month]) == 3 + 18        # 附件1, 附件2, 减少情况表 and the 18 forms
        names = sorted(p.relative_to(base / month).as_posix() for p in files[month])
        assert sorted(s.name for s in m.sources) == names
        assert {p.name for p in (base / month / "附件3").iterdir()} == {form_filename(t, month) for t in m.townships.township}
        assert not list((base / month).glob("*.json"))  # the folder holds only what townships send


def test_regenerating_gives_the_bundled_files(story):
    """附件1, 附件2 and the 附件3 forms of 2023-09 and 2023-10, made again from 2023-08, are the committed ones."""
    base, files, _, _ = story
    for month in MONTHS:
        for path in files[month]:
            rel = path.relative_to(base / month)
            assert path.read_bytes() == (ROOT / "data" / month / rel).read_bytes(), rel.as_posix()


def test_identity_numbers(story):
    """The same person keeps the same number every month; a few numbers are left out, one or two have a wrong check
    digit and one or two a birth year that does not fit the form's age; no number is used twice."""
    _, files, months, _ = story
    ids = files.identities
    assert list(ids) == [BASE, *MONTHS]
    for prev, month in zip((BASE, *MONTHS), MONTHS):
        kept = set(ids[prev].numbers) & set(ids[month].numbers)
        assert len(kept) > 2500 and all(ids[prev].numbers[k] == ids[month].numbers[k] for k in kept)
    for month in MONTHS:
        m, i = months[month], ids[month]
        end = month_end(month)
        roles = i.roles
        for role in ("missing", "bad_check_digit", "age_mismatch"):
            lo, hi = ID_STORY[role]
            assert lo <= len(roles[role]) <= hi, (month, role)
        by_code = {code: sorted((x.file, x.row) for x in m.issues if x.code == code) for code in ("bad_id", "id_mismatch")}
        assert len(by_code["bad_id"]) == len(roles["bad_check_digit"]) and "校验位" in \
            next(x.message for x in m.issues if x.code == "bad_id")
        assert len(by_code["id_mismatch"]) == len(roles["age_mismatch"])
        written = [n for n in m.assessments["id_number"] if n]
        assert len(written) == len(m.assessments) - len(roles["missing"]) and len(set(written)) == len(written)
        for r in m.assessments.to_dict("records"):
            key = (r["township"], r["village"], r["name"])
            assert (r["id_number"] or None) == i.written[key]
            if key not in {*roles["bad_check_digit"], *roles["age_mismatch"], *roles["missing"]}:
                idc = idcard.check(r["id_number"], on=end)
                assert idc.ok and r["id_number"] == i.numbers[key] and not idcard.compare_with_form(idc, r["age"], r["sex"], end)


def test_mental_illness_and_new_applicants(story):
    """Mental illness stays with the person; the story's newly approved people are the month's new applicants, and
    at least two new applicants a month are unsuited to home care (placement)."""
    _, files, months, _ = story
    people = {m: months[m].assessments.set_index("name") for m in (BASE, *MONTHS)}
    for prev, month in zip((BASE, *MONTHS), MONTHS):
        both = people[prev].index.intersection(people[month].index)
        assert (people[prev].loc[both, "mental_illness"] == people[month].loc[both, "mental_illness"]).all()
    for month in (BASE, *MONTHS):
        p = people[month]
        assert 0.01 * len(p) <= (p["mental_illness"] == "是").sum() <= 0.02 * len(p)
        m = months[month]
        d = decide(m.assessments, m.policy)
        assert (d["rule"] == "placement").sum() >= 2, month
        listed = d[(d["rule"] == "transfer") & d["reasons"].str.startswith("患有精神疾病")]
        assert len(listed) >= 3 and (listed["priority"] == -1).all(), month
    for month in MONTHS:
        new = set(people[month].index[people[month]["new_applicant"] == "是"])
        approved = {a["name"] for a in files.story[month].applicants}
        assert approved <= new
        # the others are new applicants of an earlier month still waiting for a bed (unsuited to home care)
        carried = new - approved
        assert carried <= set(people[BASE].index) | {a["name"] for s in files.story.values() for a in s.applicants}
        assert {k[2] for k in files.identities[month].roles["new_carried"]} == carried
        assert carried <= {k[2] for k in files.identities[month].unsuited}


def test_base_month_is_only_read(story):
    base, _, _, before = story
    assert tree_hashes(base / BASE) == before


def test_forms_cover_everyone_in_dispersed_care(story):
    _, _, months, _ = story
    for month in MONTHS:
        m = months[month]
        counts = Counter(zip(m.assessments.township, m.assessments.self_care))
        per_town = Counter(m.assessments.township)
        for t in m.townships.itertuples():
            assert per_town[t.township] == t.dispersed, (month, t.township)
            assert counts[(t.township, "失能")] == t.fully_disabled, (month, t.township)
            assert counts[(t.township, "半失能")] == t.semi_disabled, (month, t.township)
        assert m.assessments.name.is_unique


def _people(m) -> dict[str, dict]:
    return {r["name"]: r for r in m.assessments.to_dict("records")}


def test_people_move_between_months_as_recorded(story):
    _, files, months, _ = story
    for prev, month in zip((BASE, *MONTHS), MONTHS):
        p, m, sm = months[prev], months[month], files.story[month]
        before, after = _people(p), _people(m)
        moved = {t["name"] for t in sm.transfers}
        died = {d["name"] for d in sm.deaths}
        left = {x["name"] for x in sm.leavers}
        new = {a["name"] for a in sm.applicants}
        assert moved and died and new and not (moved & died) and not (left & (moved | died))
        # who left the forms and who joined them
        assert set(before) - set(after) == moved | died | left
        assert set(after) - set(before) == new
        # the people moved were flagged for transfer on last month's forms, and went to a home serving them
        flagged = decide(p.assessments, p.policy)
        flagged = set(p.assessments.loc[flagged[flagged["rule"] == "transfer"]["person"], "name"])
        assert moved <= flagged
        for t in sm.transfers:
            assert before[t["name"]]["township"] == t["township"]
            assert t["home"] in p.reference.township(t["township"]).served_by
        # the same person keeps name, village, sex and age
        for name in set(before) & set(after):
            assert [before[name][k] for k in ("township", "village", "sex", "age")] == \
                   [after[name][k] for k in ("township", "village", "sex", "age")]
        # 附件1 changes by exactly what happened, township by township
        d_prev = dict(zip(p.townships.township, p.townships.dispersed))
        for t in m.townships.itertuples():
            out = sum(1 for x in [*sm.transfers, *sm.deaths, *sm.leavers] if x["township"] == t.township)
            inn = sum(1 for x in sm.applicants if x["township"] == t.township)
            assert t.dispersed == d_prev[t.township] - out + inn, (month, t.township)
        # 附件2: each home's residents rise by the transfers and the other admissions recorded
        r_prev = dict(zip(p.homes.home, p.homes.residents))
        by_home = sm.transfers_by_home()
        for h in m.homes.itertuples():
            assert h.residents - r_prev[h.home] == by_home[h.home] + sm.admissions[h.home], (month, h.home)
            assert h.residents <= h.beds
        assert sum(by_home.values()) == len(sm.transfers)


def test_occupancy_rises_toward_the_target(story):
    _, files, months, _ = story
    occupancy = [months[m].homes.residents.sum() / months[m].homes.beds.sum() for m in (BASE, *MONTHS)]
    assert occupancy[0] < occupancy[1] < occupancy[2]
    m = months[MONTHS[-1]]
    needed = m.homes.beds.map(m.policy.needed_residents)
    below = int((m.homes.residents < needed).sum())
    assert 1 <= below <= 3, below  # most homes at target by the deadline, not all
    # the computed columns follow the policy
    for month in MONTHS:
        h = months[month].homes
        assert (h.needed_stated == h.beds.map(m.policy.needed_residents)).all()
        assert (h.missing_stated == h.needed_stated - h.residents).all()
    # staff never falls and rises by at most one a month
    for prev, month in zip((BASE, *MONTHS), MONTHS):
        diff = months[month].homes.staff.values - months[prev].homes.staff.values
        assert set(diff) <= {0, 1}
    summary = files.story[MONTHS[-1]].summary(m.policy)
    assert summary["homes_at_target"] == len(m.homes) - below


def test_changes_table_says_where_everyone_went(story):
    """The 减少情况表 of each month lists exactly who left the forms since the month before: moved into the home
    the story says (a day of the month), died or left support, with the person's own identity number."""
    _, files, months, _ = story
    for prev, month in zip((BASE, *MONTHS), MONTHS):
        m, sm = months[month], files.story[month]
        assert any(s.name.startswith("分散供养特困人员减少情况表") and s.sample for s in m.sources)
        rows = {(r["township"], r["village"], r["name"]): r for r in m.changes.to_dict("records")}
        assert len(rows) == len(m.changes) == len(sm.transfers) + len(sm.deaths) + len(sm.leavers)
        first, end = month_end(month).replace(day=1), month_end(month)
        for reason, home, items in (("转入集中供养", True, sm.transfers), ("死亡", False, sm.deaths),
                                    ("退出", False, sm.leavers)):
            for x in items:
                r = rows[(x["township"], x["village"], x["name"])]
                assert r["change"] == reason and r["sex"] == x["sex"]
                assert (r["home"] == x["home"]) if home else not r["home"]
                assert first <= r["changed_on"] <= end
                assert r["id_number"] == files.identities[prev].numbers[(x["township"], x["village"], x["name"])]
    # October: one of August's transfer candidates, still waiting, dies; one person leaves support
    flagged = decide(months[BASE].assessments, months[BASE].policy)
    candidates = set(months[BASE].assessments.loc[flagged[flagged["rule"] == "transfer"]["person"], "name"])
    october = files.story[MONTHS[-1]]
    waited = [d for d in october.deaths if d["waited"]]
    assert len(waited) == 1 and waited[0]["name"] in candidates and len(october.leavers) == 1
    assert not [d for d in files.story[MONTHS[0]].deaths if d["waited"]] and not files.story[MONTHS[0]].leavers


def test_one_candidate_refuses_and_says_why(story):
    """One of August's transfer candidates refuses to move: the refusal and its reason are on the person's form
    (备注) in both months, the person is flagged on both and never moved."""
    from tekun_helpers.sample.story import REFUSAL_NOTE, STORY

    _, files, months, _ = story
    refusals = {(r["township"], r["village"], r["name"], r["note"]) for sm in files.story.values() for r in sm.refusals}
    assert len(refusals) == 1
    town, village, name, note = refusals.pop()
    assert note.startswith(REFUSAL_NOTE) and any(note.endswith(why) for why in STORY["refusal_reasons"])
    for month in (BASE, *MONTHS):
        m = months[month]
        people = m.assessments
        row = people[(people["township"] == town) & (people["village"] == village) & (people["name"] == name)]
        assert len(row) == 1
        d = decide(people, m.policy)
        assert row.index[0] in set(d[d["rule"] == "transfer"]["person"]), month
        if month != BASE:
            assert note in row.iloc[0]["note"], month
    assert name not in {t["name"] for sm in files.story.values() for t in sm.transfers}
    # no one else's form says so
    others = months[MONTHS[-1]].assessments
    assert others["note"].fillna("").str.contains(REFUSAL_NOTE).sum() == 1


def test_care_improves(story):
    _, _, months, _ = story
    flagged = []
    for month in (BASE, *MONTHS):
        m = months[month]
        d = decide(m.assessments, m.policy)
        flagged.append((d["rule"] == "transfer").sum())
    assert flagged[0] > flagged[1] > flagged[2] > 0  # fewer each month, still some for the report


def test_every_file_is_marked_sample(story):
    base, files, months, _ = story
    for month in MONTHS:
        assert all(s.sample for s in months[month].sources)
        for path in files[month]:
            wb = load_workbook(path, read_only=True)
            assert SAMPLE_KEYWORD in wb.properties.keywords and wb.properties.subject == "示例数据"
            wb.close()
        for path in files[month][:2]:  # 附件1 and 附件2: the red note in row 1, right of the label
            ws = load_workbook(path).active
            assert ws["A1"].value in ("附件1", "附件2")
            mark = [c for c in ws[1][1:] if c.value == SAMPLE_FORM_MARK]
            assert mark and mark[0].font.color.rgb.endswith("C00000")


def test_running_twice_gives_identical_files(story, second_run):
    base, files, _, _ = story
    other, proc = second_run
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, output
    for month in MONTHS:
        hashes = tree_hashes(base / month)
        assert sorted(hashes) == sorted(p.relative_to(base / month).as_posix() for p in files[month])
        assert tree_hashes(other / month) == hashes


def test_official_tables_reproduce_the_bundled_month(story, tmp_path):
    """Written from 2023-08's figures, the two tables hold exactly the cell values of the transcribed ones."""
    _, _, months, _ = story
    m = months[BASE]
    paths = write_official_tables(BASE, m.townships, m.homes, tmp_path, sample=False, policy=m.policy)
    originals = sorted((ROOT / "data" / BASE).glob("附件[12]*.xlsx"))
    assert [p.name for p in paths] == [p.name for p in originals]
    for new, old in zip(paths, originals):
        a, b = load_workbook(new).active, load_workbook(old).active
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
        assert {str(r) for r in a.merged_cells.ranges} == {str(r) for r in b.merged_cells.ranges}
        assert not (load_workbook(new).properties.keywords or "")
    # the same tables again: the same bytes
    again = write_official_tables(BASE, m.townships, m.homes, tmp_path / "again", sample=False, policy=m.policy)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]


def test_full_homes_take_nobody(story, tmp_path):
    """A full home takes no one: the next home serving the township does, else the person stays."""
    from tekun_helpers.sample import plan_month_story

    _, _, months, _ = story
    m = months[BASE]
    ref = m.reference
    shared = next(t for t in ref.townships if len(t.served_by) >= 2)   # served by two homes: fill the first
    alone = next(t for t in ref.townships                                # served by one home serving nobody else
                 if len(t.served_by) == 1 and sum(t.served_by[0] in u.served_by for u in ref.townships) == 1)
    full = {shared.served_by[0], alone.served_by[0]}
    homes = m.homes.copy()
    homes.loc[homes.home.isin(full), "residents"] = homes.loc[homes.home.isin(full), "beds"]
    data = copy_data(tmp_path)
    write_official_tables(BASE, m.townships, homes, data / BASE, sample=False, policy=m.policy)
    story_full = plan_month_story(data)
    sm = story_full[MONTHS[0]]
    assert not [t for t in sm.transfers if t["home"] in full]
    assert {t["home"] for t in sm.transfers if t["township"] == shared.name} == {shared.served_by[1]}
    stayed = [x["name"] for x in sm.no_bed if x["township"] == alone.name]
    assert stayed and set(stayed) <= {p["name"] for p in sm.people[alone.name]}
    for later in story_full.values():
        assert all(h["residents"] <= h["beds"] for h in later.homes)


def test_a_longer_story_keeps_its_first_months(story):
    """Telling more months (the bundled year goes on to 2024-07) leaves 2023-09 and 2023-10 as they are; the
    later months go on: the refusal stays on the forms, transfers slow down, nobody moves twice."""
    import dataclasses

    from tekun_helpers.sample import plan_month_story
    from tekun_helpers.sample.story import REFUSAL_NOTE

    base, files, _, _ = story
    longer = plan_month_story(base, until="2023-12")
    assert list(longer) == [*MONTHS, "2023-11", "2023-12"]
    for month in MONTHS:
        assert dataclasses.asdict(longer[month]) == dataclasses.asdict(files.story[month]), month
    (refusal,) = files.story[MONTHS[-1]].refusals
    moved = {(t["township"], t["name"]) for sm in longer.values() for t in sm.transfers}
    assert len(moved) == sum(len(sm.transfers) for sm in longer.values())
    for month in ("2023-11", "2023-12"):
        sm = longer[month]
        assert sm.refusals == [refusal], month
        notes = [p["note"] or "" for plist in sm.people.values() for p in plist]
        assert sum(REFUSAL_NOTE in n for n in notes) == 1
        assert 0 < len(sm.transfers) < len(files.story[MONTHS[-1]].transfers), month
        assert sm.deaths and sm.applicants, month
