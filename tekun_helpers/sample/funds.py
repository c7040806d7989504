"""The support-money ledger as sample data (示例数据): 特困人员供养资金拨付台账 and its spending detail.

:func:`plan_funds` allocates the standard (policy.toml [funds]) x each home's 特困 residents
(敬老院工作人员台账, 护理型床位与入住构成) by the allocation day, except one home short, one late and one
not paid; the spending detail splits the money into the usual categories and has one or two rows in a
forbidden category. :func:`write_funds_samples` writes the month's ledger.
"""
from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..config.policy import load_policy
from ..core.exceptions import ValidationFailed
from ..core.months import check_month, month_end
from ..core.paths import data_dir as _data_dir
from ..forms.compliance import funds_filename, write_funds_form
from ..month import load_month

FUNDS_SEED = 20231013
FUNDS_STORY = {
    "batch_day": (4, 8),           # most homes are paid on one day of the first ten
    "other_day_share": 0.25,       # homes paid on another day within the deadline
    "late_days": (3, 12),          # days after the deadline the late home is paid
    "short_people": 1,             # the short home is paid for this many residents fewer
    # what the money is spent on: (category, share of the allocation) — shares vary a little
    "spending": (("伙食费", 0.44), ("护理费", 0.28), ("水电取暖", 0.07), ("医疗", 0.05), ("日用品", 0.04),
                 ("被服", 0.03)),
    "heating_months": (10, 11, 12, 1, 2, 3, 4),   # 水电取暖 costs more
    # rows in a forbidden category (policy.toml [funds] forbidden_categories): (category, note, share)
    "forbidden": (("院内维修改造费", "院内围墙及锅炉房维修", 0.06), ("工作经费", "购置办公用品", 0.025)),
    "forbidden_rows": (1, 2),      # homes with a forbidden row, one and two in turn; so do the categories
}


@dataclass
class FundsMonth:
    """One month's money ledger and spending rows, and the homes of the cases made on purpose:
    roles = {'short': home, 'late': home, 'unpaid': home, 'forbidden': [homes]}."""

    month: str
    ledger: list[dict]
    spending: list[dict]
    roles: dict


def plan_funds(month: str, data_dir: str | os.PathLike | None = None, seed: int = FUNDS_SEED) -> FundsMonth:
    """Make up the month's support-money ledger and spending from the month's 护理型床位与入住构成
    (敬老院工作人员台账) and policy.toml [funds], without writing.

    Raises ValidationFailed when the month has no 护理型床位与入住构成 table (generate the 台账 first) or
    policy.toml sets no standard.
    """
    m = load_month(month, data_dir)
    standard = m.policy.funds.monthly_standard_per_person
    if not len(m.home_care):
        raise ValidationFailed(f"{month} 没有敬老院工作人员台账（护理型床位与入住构成），无法按各院入住特困人员数生成示例资金台账；"
                               f"请先生成台账示例数据（tekun sample --kind 台账）。", m.issues)
    if not standard:
        raise ValidationFailed("policy.toml [funds] 未设置 monthly_standard_per_person，无法生成示例资金台账。", [])
    st = FUNDS_STORY
    rate = Decimal(str(standard))
    fen = Decimal("0.01")
    day = m.policy.funds.allocation_day
    end = month_end(month)
    deadline = min(day, end.day)
    residents = {r["home"]: int(r["residents_tekun"]) for r in m.home_care.to_dict("records")}
    homes = [h for h in m.reference.home_names if h in residents]
    rng = random.Random(f"tekun-funds/{seed}/{month}")
    paid_homes = [h for h in homes if residents[h] > st["short_people"]]
    # a county with fewer homes leaves the later cases out (None)
    short, late, unpaid = (rng.sample(paid_homes, min(3, len(paid_homes))) + [None] * 3)[:3]
    batch = min(rng.randint(*st["batch_day"]), deadline)

    ledger, allocated = [], {}
    for h in homes:
        due = (rate * residents[h]).quantize(fen)
        on = dt.date(end.year, end.month, batch if rng.random() >= st["other_day_share"] else rng.randint(1, deadline))
        note = ""
        if h == short:
            amount = due - rate * st["short_people"]
        elif h == unpaid or not residents[h]:
            amount, on, note = Decimal("0.00"), None, "本月资金尚未拨付"
        else:
            amount = due
        if h == late:
            on = dt.date(end.year, end.month, min(end.day, deadline + rng.randint(*st["late_days"])))
        allocated[h] = amount
        ledger.append({"home": h, "allocated": amount, "allocated_on": on, "note": note})

    turn = int(month[:4]) * 12 + int(month[5:])
    lo, hi = st["forbidden_rows"]
    paid = [h for h in homes if allocated[h] > 0]
    forbidden_homes = rng.sample(paid, min(len(paid), lo + turn % (hi - lo + 1)))
    forbidden = {h: st["forbidden"][(turn + i) % len(st["forbidden"])] for i, h in enumerate(forbidden_homes)}
    spending = []
    for h in homes:
        money = allocated[h]
        if money <= 0:
            continue
        for category, share in st["spending"]:
            if category == "水电取暖" and end.month in st["heating_months"]:
                share *= 1.8
            amount = (money * Decimal(str(share * rng.uniform(0.85, 1.15)))).quantize(fen, rounding=ROUND_HALF_UP)
            spending.append({"home": h, "category": category, "amount": amount, "note": ""})
        if h in forbidden:
            category, note, share = forbidden[h]
            amount = (money * Decimal(str(share * rng.uniform(0.8, 1.2)))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
            spending.append({"home": h, "category": category, "amount": amount, "note": note})
    return FundsMonth(month, ledger, spending, {"short": short, "late": late, "unpaid": unpaid,
                                                "forbidden": forbidden_homes})


def write_funds_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int = FUNDS_SEED, *,
                        out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample 特困人员供养资金拨付台账 (示例数据: the ledger and the spending detail)
    through :func:`tekun_helpers.forms.compliance.write_funds_form` into ``out_dir`` (default data/<month>/).

    See :func:`plan_funds` (the month's 敬老院工作人员台账 must be there). Returns [the file written].
    """
    check_month(month)
    base = _data_dir(data_dir)
    plan = plan_funds(month, base, seed)
    policy = load_policy(data_dir=base)
    out = Path(out_dir) if out_dir is not None else base / month
    homes = [r["home"] for r in plan.ledger]
    return [write_funds_form(out / funds_filename(month), month, homes, plan.ledger, plan.spending, sample=True,
                             policy=policy)]
