"""Transfer plan: candidates in priority order against the free beds of the homes serving their township."""
from __future__ import annotations

from tekun_helpers.analysis import placement


def test_2023_08_plan_beizifu_40_to_place_14_free_beds(seed_month):
    people, towns = placement.plan(seed_month)
    t = towns.set_index("township").loc["贝子府镇"]
    assert (t["candidates"], t["free_beds"], t["placed_own"], t["shortfall"]) == (40, 14, 14, 26)
    assert t["placed_nearest"] + t["unplaced"] == t["shortfall"]
    mine = people[people["township"] == "贝子府镇"]
    own = mine[mine["how"] == placement.OWN]
    assert set(own["home"]) == {"贝子府镇敬老院"}
    # priority order: nobody placed in the own home has a lower priority than someone sent elsewhere
    assert own["priority"].max() <= mine.loc[mine["how"] != placement.OWN, "priority"].min()
    # no home gets more than its free beds
    free = {r["home"]: r["beds"] - r["residents"] for r in seed_month.homes.to_dict("records")}
    assert all(n <= free[h] for h, n in people[people["home"] != ""]["home"].value_counts().items())


def test_nobody_placed_without_free_beds(seed_month):
    full = seed_month.homes.assign(residents=seed_month.homes["beds"])
    data = type(seed_month)(**{**seed_month.__dict__, "homes": full})
    people, towns = placement.plan(data)
    assert (people["how"] == placement.UNPLACED).all() and (towns["unplaced"] == towns["candidates"]).all()
