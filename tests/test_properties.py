"""Property-based tests (hypothesis) of the readers and the statistics.

- any valid township table (all 18 reference townships, fully + semi <= dispersed),
  written as a workbook and read back, gives the same frame, and totals equal the
  sum of the rows;
- any valid homes table (beds 0..300, residents 0..beds) gives occupancy in [0, 1],
  the needed residents of the policy's rounding (checked with exact fractions),
  missing >= 0 and a net gap equal to needed - residents;
- reading the project's own Excel export of a month gives back the same frames.

Examples are small and few (max_examples 25) so the file runs in well under a minute.
"""
from __future__ import annotations

import math
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import ROOT, home_sheet, make_month, township_sheet
from tekun_helpers import load_month, load_policy
from tekun_helpers.publish.excel import export_official
from tekun_helpers.config.reference import load_reference
from tekun_helpers.analysis.stats import home_stats, home_totals, township_stats, township_totals

MONTH = "2023-08"
REF = load_reference(ROOT / "data")
POLICY = load_policy(data_dir=ROOT / "data")
TOWNSHIPS = REF.township_names
HOMES = REF.home_names
TOWN_COLS = ["township", "dispersed", "fully_disabled", "semi_disabled"]
HOME_COLS = ["home", "beds", "residents", "staff"]

SETTINGS = settings(max_examples=25, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# free text the tables may carry in 备注 / 负责人: markup, characters outside the BMP, formula-like text
NOTES = st.one_of(st.none(), st.sampled_from(["", "<b>注意</b>", "𠮷", "+1", "-2 备注", "@x", "新建", "A&B <c>"]))


@st.composite
def township_tables(draw):
    """18 rows (name, dispersed, fully, semi, note) in a random order, fully + semi <= dispersed."""
    rows = []
    for name in TOWNSHIPS:
        n = draw(st.integers(0, 400))
        full = draw(st.integers(0, n))
        semi = draw(st.integers(0, n - full))
        rows.append((name, n, full, semi, draw(NOTES)))
    return draw(st.permutations(rows))


@st.composite
def home_tables(draw):
    """14 rows (name, beds, residents, staff, head, phone) with residents <= beds."""
    rows = []
    for name in HOMES:
        beds = draw(st.integers(0, 300))
        rows.append((name, beds, draw(st.integers(0, beds)), draw(st.integers(0, 40)),
                     draw(st.sampled_from(["", "张三", "欧阳小明", "𠮷田"])), draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))))
    return draw(st.permutations(rows))


def needed_exact(beds: int, target: float, rounding: str) -> int:
    x = Fraction(str(target)) * beds
    return {"up": math.ceil(x), "down": math.floor(x), "nearest": math.floor(x + Fraction(1, 2))}[rounding]


def township_block(rows):
    return township_sheet([[i, name, n, full, semi, note] for i, (name, n, full, semi, note) in enumerate(rows, 1)])


def home_block(rows, stated=True):
    out = []
    for i, (name, beds, res, staff, head, phone) in enumerate(rows, 1):
        need = POLICY.needed_residents(beds)
        out.append([i, name, beds, res, need if stated else None, need - res if stated else None, staff, head or None,
                    phone, None])
    return home_sheet(out)


def in_reference_order(rows, names):
    rank = {n: i for i, n in enumerate(names)}
    return sorted(rows, key=lambda r: rank[r[0]])


def read_month(townships=None, homes=None):
    with tempfile.TemporaryDirectory() as tmp:
        return load_month(MONTH, make_month(Path(tmp), townships=townships, homes=homes))


# -- townships --------------------------------------------------------------------------

@SETTINGS
@given(township_tables())
def test_any_valid_township_table_reads_back_and_totals_are_the_row_sums(rows):
    m = read_month(townships=township_block(rows))
    assert m.issues == [], [i.message for i in m.issues]
    expected = [r[:4] for r in in_reference_order(rows, TOWNSHIPS)]
    assert list(m.townships[TOWN_COLS].itertuples(index=False, name=None)) == expected
    assert list(m.townships.note) == [r[4] or "" for r in in_reference_order(rows, TOWNSHIPS)]
    stats = township_stats(m.townships)
    totals = township_totals(stats)
    for key, pos in (("dispersed", 1), ("fully_disabled", 2), ("semi_disabled", 3)):
        assert totals[key] == sum(r[pos] for r in rows)
    assert totals["disabled"] == totals["fully_disabled"] + totals["semi_disabled"]
    for col in ("fully_share", "semi_share", "disabled_share", "share_of_banner"):
        assert stats[col].between(0, 1).all(), col
    assert math.isclose(stats["share_of_banner"].sum(), 1.0) or totals["dispersed"] == 0


@SETTINGS
@given(township_tables(), st.integers(1, 50), st.sampled_from([2, 3, 4]))
def test_a_total_that_is_not_the_row_sum_is_an_error(rows, delta, col):
    block = township_block(rows)
    block[-1][col] += delta
    m = read_month(townships=block)
    bad = [i for i in m.issues if i.code == "total_mismatch"]
    assert len(bad) == 1 and bad[0].severity == "error" and bad[0].row == 3 + 18 + 1
    assert f"相差 {delta}" in bad[0].message


# -- nursing homes ------------------------------------------------------------------------

@SETTINGS
@given(home_tables())
def test_any_valid_homes_table_gives_sound_statistics(rows):
    m = read_month(homes=home_block(rows))
    assert m.issues == [], [i.message for i in m.issues]
    ordered = in_reference_order(rows, HOMES)
    assert list(m.homes[HOME_COLS].itertuples(index=False, name=None)) == [r[:4] for r in ordered]
    hs = home_stats(m.homes, POLICY)
    assert POLICY.rounding == "up"
    assert hs["occupancy"].between(0, 1).all()
    assert list(hs["needed"]) == [needed_exact(b, POLICY.occupancy_target, "up") for b in hs["beds"]]
    assert (hs["missing"] >= 0).all() and (hs["missing"] >= hs["gap"]).all()
    assert (hs["free_beds"] == hs["beds"] - hs["residents"]).all()
    t = home_totals(hs)
    assert int(hs["gap"].sum()) == t["needed"] - t["residents"] == t["net_gap"]
    assert t["missing_below_target"] == sum(max(n - r, 0) for n, r in zip(hs["needed"], hs["residents"]))
    assert 0 <= t["occupancy"] <= 1 and t["beds"] == sum(r[1] for r in rows)
    assert t["homes_at_target"] + t["homes_below_target"] == len(HOMES)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.data()), min_size=1, max_size=20),
       st.sampled_from(["up", "nearest", "down"]), st.sampled_from([0.6, 0.5, 0.75, 0.66, 1.0]))
def test_needed_residents_follows_every_rounding_exactly(items, rounding, target):
    policy = POLICY.with_occupancy(rounding=rounding, target=target)
    beds = [b for b, _ in items]
    residents = [d.draw(st.integers(0, b)) for b, d in items]
    homes = pd.DataFrame({"home": [f"h{i}" for i in range(len(beds))], "township": "", "beds": beds,
                          "residents": residents, "staff": 1})
    hs = home_stats(homes, policy)
    assert list(hs["needed"]) == [needed_exact(b, target, rounding) for b in beds]
    assert hs["occupancy"].between(0, 1).all() and (hs["missing"] >= 0).all()
    assert int(hs["gap"].sum()) == int(hs["needed"].sum()) - sum(residents)


# -- the project's own export read back ---------------------------------------------------

@SETTINGS
@given(township_tables(), home_tables())
def test_the_official_export_reads_back_to_the_same_frames(trows, hrows):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        m = load_month(MONTH, make_month(tmp / "a", townships=township_block(trows), homes=home_block(hrows, stated=False)))
        assert m.errors == [], [i.message for i in m.errors]
        files = export_official(m, tmp / "export")
        data = make_month(tmp / "b", townships=False, homes=False)
        for f in files:
            shutil.copy(f, data / MONTH / f.name)
        back = load_month(MONTH, data)
    assert back.issues == [], [i.message for i in back.issues]
    assert back.townships[TOWN_COLS + ["note"]].equals(m.townships[TOWN_COLS + ["note"]])
    cols = HOME_COLS + ["township", "head", "phone"]
    assert back.homes[cols].equals(m.homes[cols])
    needed = [POLICY.needed_residents(b) for b in m.homes.beds]
    assert list(back.homes.needed_stated) == needed
    assert list(back.homes.missing_stated) == [n - r for n, r in zip(needed, m.homes.residents)]
