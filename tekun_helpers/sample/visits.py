"""The 评估日期 of the sample 附件3 forms (示例数据): the day of each person's latest 考核评价 (入户评估).

The plan asks for 逐人定期考核评价, every ``[assessment] reassess_every_months`` months (policy.toml). In the
first month (the bundled 2023-08, the plan's 排查) most people are assessed in the month itself; a few
townships (``VISIT_STORY["carried_towns"]``) send most of their people's answers from an earlier round of
visits, each township its own month, so that their people fall due for re-assessment at different months
within the cycle (never before ``VISIT_STORY["first_due_after"]`` months after the first month). Each later
month a person keeps their date until the cycle runs out; the township visits them again in the month it runs
out or up to ``VISIT_STORY["late"]`` months later (the form then carries the new day); a newly approved person
is assessed in the month of approval. Without a cycle in the policy everyone is assessed in the first month and
keeps that date. The dates come from random streams of their own (person and month), so the rest of the
sample stays as it was.

:func:`plan_visits` makes one month's dates (person -> day); nothing is written here.
"""
from __future__ import annotations

import datetime as dt
import random

from ..core.months import month_end, months_between, shift_month

VISIT_STORY = {
    "carried_towns": 0.3,          # share of townships whose first-month forms carry an earlier round of visits
    "carried_share": (0.6, 0.9),   # share of such a township's people assessed in that earlier round
    "first_due_after": 3,          # the earliest of those people fall due this many months after the first month
    # how many months after the cycle runs out the township visits a person again (weights of 0, 1, 2 months):
    # 0 never shows as due; 1 and 2 are listed as due in the month the cycle ran out and closed when visited
    "late": (1, 3, 2),
}
VISIT_SEED = 20230816


def _day(rng: random.Random, month: str) -> dt.date:
    """A working day's date in ``month`` (the 1st to the 28th, or the month's end)."""
    end = month_end(month)
    return dt.date(end.year, end.month, rng.randint(1, min(28, end.day)))


def _first_month(month: str, keys: list[tuple], every: int | None, seed: int) -> dict[tuple, dt.date]:
    """The first month's dates: most people in the month, some townships' people in an earlier round."""
    rng = random.Random(f"tekun-visits/{seed}/{month}")
    towns = list(dict.fromkeys(k[0] for k in keys))
    lo = min(VISIT_STORY["first_due_after"], (every or 1) - 1)
    spans = list(range(max(lo, 1), every)) if every and every > 1 else []   # the due month, months after the first
    n = min(len(spans), max(1, round(len(towns) * VISIT_STORY["carried_towns"]))) if spans else 0
    carried = dict(zip(rng.sample(towns, n), rng.sample(spans, n)))
    shares = {t: rng.uniform(*VISIT_STORY["carried_share"]) for t in carried}
    out = {}
    for key in keys:
        prng = random.Random(f"tekun-visits/{seed}/{month}/" + "/".join(key))
        town = key[0]
        if town in carried and prng.random() < shares[town]:
            out[key] = _day(prng, shift_month(month, carried[town] - every))
        else:
            out[key] = _day(prng, month)
    return out


def plan_visits(month: str, keys: list[tuple], every: int | None, previous: dict[tuple, dt.date] | None = None,
                seed: int = VISIT_SEED) -> dict[tuple, dt.date]:
    """Each person's 评估日期 on the month's forms (person key -> day).

    keys:     the people on the month's forms (township, village, name), in form order.
    every:    the policy's re-assessment cycle in months (None: no cycle).
    previous: last month's dates (None: the first month, see the module's story).
    """
    if previous is None:
        return _first_month(month, keys, every, seed)
    out = {}
    for key in keys:
        last = previous.get(key)
        if last is None:                               # newly approved: assessed in the month of approval
            out[key] = _day(random.Random(f"tekun-visits/{seed}/{month}/new/" + "/".join(key)), month)
            continue
        out[key] = last
        if every is None:
            continue
        late = random.Random(f"tekun-visits/{seed}/late/{last.isoformat()}/" + "/".join(key)).choices(
            range(len(VISIT_STORY["late"])), VISIT_STORY["late"])[0]
        if months_between(f"{last.year:04d}-{last.month:02d}", month) >= every + late:
            out[key] = _day(random.Random(f"tekun-visits/{seed}/{month}/again/" + "/".join(key)), month)
    return out
