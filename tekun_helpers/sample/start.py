"""A county's first month made up from its reference data alone (示例数据), and where a data folder starts.

A county that has just written its reference folder (``tekun init``: county.toml, townships.csv,
nursing_homes.csv, policy.toml) has no month yet. :func:`write_first_month` makes up that month's 附件1
and 附件2 for the county's own townships and homes (townships.csv, nursing_homes.csv, in their order),
in the official layout of :func:`tekun_helpers.sample.official.write_official_tables`; the other sample
generators then work from them as from any month (附件3 forms from 附件1, the ledgers from 附件1 and
附件2, the rosters from the forms, the money ledger from the staff ledger). The numbers are the
starting month's own proportions (:data:`START`), not the plan's: the target and the rounding of 应住人数
come from policy.toml.

:func:`first_month` is where a data folder's months begin (the bundled data: 2023-08): the month
story and the ledgers' story count from it.
"""
from __future__ import annotations

import os
import random
import re
from pathlib import Path

from ..config.policy import load_policy
from ..config.reference import load_reference
from ..core.months import check_month
from ..core.paths import data_dir as _data_dir
from .official import write_official_tables

START_SEED = 20230801
#: How a made-up first month looks: people per township, the disabled among them, and the homes' beds,
#: residents and staff. The starting month's own proportions, not the plan's rules.
START = {
    "dispersed": (40, 240),            # people in dispersed care per township (range)
    "fully_disabled": (0.0, 0.03),     # share of them fully disabled (range)
    "semi_disabled": (0.03, 0.12),     # share semi-disabled (range)
    "beds": (20, 90),                  # beds per home (range)
    "occupancy": (0.25, 0.8),          # residents per bed (range): some homes below target, some above
    "residents_per_staff": 8,          # one staff member for this many residents, plus 1-3
}

_MONTH = re.compile(r"^\d{4}-\d{2}$")


def month_folders(data_dir: str | os.PathLike | None = None) -> list[str]:
    """The month folders (``YYYY-MM``) of ``data_dir`` that hold a file, earliest first."""
    base = _data_dir(data_dir)
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and _MONTH.match(p.name)
                  and any(f.is_file() for f in p.rglob("*")))


def first_month(data_dir: str | os.PathLike | None = None, month: str | None = None) -> str | None:
    """The earliest month folder (``YYYY-MM``) of ``data_dir`` that holds a file, or ``month`` when that is
    earlier or the folder has none; None when there is neither (the bundled data: 2023-08)."""
    months = month_folders(data_dir)
    if month is not None:
        months = sorted({*months, month})
    return months[0] if months else None


def plan_first_month(month: str, data_dir: str | os.PathLike | None = None,
                     seed: int = START_SEED) -> tuple[list[dict], list[dict]]:
    """A made-up 附件1 and 附件2 for every township and home of the reference data, without writing:
    (township rows keyed township, dispersed, fully_disabled, semi_disabled, note; home rows keyed home,
    beds, residents, staff, head, phone, note), in the reference data's order. Deterministic for a seed."""
    check_month(month)
    ref = load_reference(data_dir)
    rng = random.Random(f"tekun-start/{seed}/{month}")
    st = START
    towns = []
    for t in ref.townships:
        n = rng.randint(*st["dispersed"])
        full = round(n * rng.uniform(*st["fully_disabled"]))
        semi = round(n * rng.uniform(*st["semi_disabled"]))
        towns.append({"township": t.name, "dispersed": n, "fully_disabled": full, "semi_disabled": semi, "note": None})
    homes = []
    for h in ref.homes:
        beds = rng.randint(*st["beds"])
        residents = round(beds * rng.uniform(*st["occupancy"]))
        staff = residents // st["residents_per_staff"] + rng.randint(1, 3)
        homes.append({"home": h.name, "beds": beds, "residents": residents, "staff": staff,
                      "head": h.head or None, "phone": h.phone or None, "note": None})
    return towns, homes


def write_first_month(month: str, data_dir: str | os.PathLike | None = None, seed: int = START_SEED) -> list[Path]:
    """Write the made-up 附件1 and 附件2 of :func:`plan_first_month` into <data_dir>/<month>/, marked as sample
    data. Returns the two files."""
    base = _data_dir(data_dir)
    towns, homes = plan_first_month(month, base, seed)
    return write_official_tables(month, towns, homes, base / month, sample=True, policy=load_policy(data_dir=base))
