"""The month story: sample data for the months after the bundled 2023-08, told as the plan at work (示例数据).

The months after the base month are made up from it (:func:`plan_month_story`): 2023-08's real
附件1 and 附件2 and its sample forms are the starting point; in 2023-09 and 2023-10 (the months before
and at the occupancy deadline, :data:`STORY`) people flagged for transfer move into the home serving
their township, homes take other elderly people toward the occupancy target, a few people die and a
few are newly approved, and care improves. In 2023-10 one of August's transfer candidates dies while
still waiting and one person leaves support (退出); one August candidate refuses to move, with the
reason on the form (备注) of every month. The months after those two (:data:`LATER`; the bundled data
goes on to 2024-07) continue the plan after its deadline: fewer transfers, a few deaths, approvals and
leavers each month, one lagging home reaching the target after some months and one never.
:func:`generate_month_story` writes those months' 附件1 and 附件2 (through
:func:`tekun_helpers.sample.official.write_official_tables`), the 分散供养特困人员减少情况表 saying who left the
forms and why (:func:`change_rows`), and their 附件3 forms, with the three added columns of
:func:`story_identities`.

Who else leaves, the days and the refusal come from random streams of their own, drawn after each month's
other steps: adding them left the rest of the story (transfers, deaths, applicants, improvements,
admissions) as it was. Each month has random streams of its own, and the refusal is chosen from the first
two months: a month is the same however many months are told after it.

The story's terms (proportions, notes, records) are in :mod:`.story_terms`, its steps in :mod:`.story_steps`,
its files (减少情况表 rows, forms, the added columns month by month) in :mod:`.story_files`.
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from ..config.policy import load_policy
from ..core.months import month_end, months_between, next_month
from ..core.paths import data_dir as _data_dir
from .identities import birth_date, person_key
from .official import write_official_tables
from .start import first_month
from .story_terms import (  # noqa: F401 (the story's terms, re-exported)
    FIRST_MONTHS,
    LATER,
    NEW_NOTE,
    REFUSAL_NOTE,
    STORY,
    STORY_SEED,
    StoryFiles,
    StoryMonth,
    StoryPlan,
    _at,
)
from .story_steps import (
    _admissions,
    _admissions_later,
    _base,
    _care_scale,
    _days,
    _deaths,
    _flagged,
    _key,
    _lagging,
    _leaving,
    _new_applicants,
    _refusal,
    _refusing,
    _staff_and_notes,
    _stay,
    _township_rows,
    _transfers,
)
from .story_files import (  # noqa: F401 (the story's files, re-exported)
    change_rows,
    story_identities,
    story_months,
    write_story_changes,
    write_story_forms,
)


@dataclass
class _Teller:
    """What the story carries from month to month while it is told (see :func:`plan_month_story`)."""

    policy: object
    ref: object
    order: list[str]
    scales: dict
    used: set
    base_residents: dict[str, int]
    staff_base: dict[str, int]
    lagging: list[str] = field(default_factory=list)
    waiting: set = field(default_factory=set)
    refusal: tuple | None = None
    born: dict = field(default_factory=dict)     # person key -> the birth date their identity number carries


def _born(t: _Teller, people: dict[str, list[dict]], month: str, keys=None) -> None:
    """Note the birth date of each person of ``people`` (only ``keys`` when given) as their identity number
    will carry it (:func:`tekun_helpers.sample.identities.plan_identities`: the age on the month's last day)."""
    end = month_end(month)
    for town, plist in people.items():
        for p in plist:
            key = _key(town, p)
            if (keys is None or key in keys) and key not in t.born and p["age"] is not None:
                t.born[key] = birth_date(person_key(town, p), p["age"], end)


def _aged(t: _Teller, people: dict[str, list[dict]], month: str) -> dict[str, list[dict]]:
    """The people a year on: each one's age (周岁) on the month's last day, from the birth date (the first two
    months keep the base month's ages, as they were written)."""
    end = month_end(month)
    out = {}
    for town, plist in people.items():
        out[town] = []
        for p in plist:
            b = t.born.get(_key(town, p))
            age = p["age"] if b is None else end.year - b.year - ((end.month, end.day) < (b.month, b.day))
            out[town].append(dict(p, age=age))
    return out


def _tell_month(t: _Teller, sm: StoryMonth, people: dict[str, list[dict]], seed: int, k: int) -> dict[str, list[dict]]:
    """The story's ``k``-th month (``sm``, its homes copied from the month before) from last month's
    ``people``; returns the month's people by township."""
    rng = random.Random(f"tekun-story/{seed}/{sm.month}")
    crng = random.Random(f"tekun-story/{seed}/{sm.month}/减少")   # who else leaves, and the days
    if k >= FIRST_MONTHS:
        people = _aged(t, people, sm.month)
    keep = _refusing(sm, people, t.refusal) if k >= FIRST_MONTHS else frozenset()
    flat = [(town, p) for town in t.order for p in people[town]]
    flagged = _flagged(flat, t.policy)
    flagged_now = {_key(*flat[i]) for i in flagged["person"]}
    if k == 0:
        t.waiting = set(flagged_now)
    gone = _transfers(sm, rng, flat, flagged, t.ref, _at("transfer_share", k), keep)
    _deaths(sm, rng, flat, gone, k, keep)
    people = _stay(sm, rng, flat, gone, t.order, t.scales, t.used, k, keep)
    _new_applicants(sm, rng, people, t.order, t.scales, t.used, k)
    _born(t, people, sm.month, {(a["township"], a["village"], a["name"]) for a in sm.applicants})
    _leaving(sm, crng, people, t.waiting, flagged_now, k, keep)
    _days(sm, crng)
    sm.people = {town: [{"seq": n, **p} for n, p in enumerate(people[town], start=1)] for town in t.order}
    if k == 0:
        t.lagging = _lagging(sm.homes, t.policy)
    if k < FIRST_MONTHS:
        _admissions(sm, rng, t.policy, t.base_residents, t.lagging, k, FIRST_MONTHS)
    else:
        _admissions_later(sm, rng, t.policy, t.base_residents, t.lagging, k)
    _staff_and_notes(sm, t.staff_base)
    _township_rows(sm, people, t.order)
    return people


def plan_month_story(data_dir: str | os.PathLike | None = None, seed: int = STORY_SEED, *,
                     base_month: str | None = None, months: int | None = None,
                     until: str | None = None) -> StoryPlan:
    """Make up the months after ``base_month`` (default: the data folder's first month,
    :func:`tekun_helpers.sample.start.first_month`) without writing anything: ``months`` of them, or up to
    ``until``; at least (and by default) the first two, 2023-09 and 2023-10 after the bundled 2023-08.

    The base month's 附件1, 附件2 and 附件3 forms (load_month) are the starting point. Each month:
    people the previous month's forms flag for transfer (rules.decide, rule "transfer", in its
    priority order) move, a share of them, into the first home serving their township that has
    a free bed (Reference.township(t).served_by; none free: the person stays); a few people die
    and a few new people are approved; the answers of people who stay keep mostly, with some
    problems put right; homes take other elderly people so that all but
    ``STORY["homes_left_below"]`` homes reach the policy's target by the second month; a home
    whose residents grew by ``STORY["staff_step"]`` gets one more staff member. Then (streams of their
    own) ``STORY["waiting_deaths"]`` people flagged since the base month die waiting and
    ``STORY["leavers"]`` people leave support, every transfer, death and leaving gets a day of the month,
    and after the second month one base-month candidate who never moved refuses, on every month's form.
    The months after the first two follow :data:`LATER`: fewer transfers, the lagging homes closing their
    gap slowly (one of them never reaching the target), homes losing a resident now and then, the refusal
    kept. A month is the same however many months are made up after it.
    Returns month -> :class:`StoryMonth`, in month order (a :class:`StoryPlan`, which also holds the base
    month's people). Deterministic for a given seed.
    Raises ValidationFailed when the base month has errors or no 附件3 forms.
    """
    base_month = base_month or first_month(data_dir)
    if until is not None:
        months = months_between(base_month, until)
    n_months = max(FIRST_MONTHS, months or 0)
    m, people, used, homes = _base(base_month, data_dir)
    order = m.reference.township_names
    base_residents = {h["home"]: h["residents"] for h in homes}
    teller = _Teller(m.policy, m.reference, order, {t: _care_scale(people[t]) for t in order}, used,
                     base_residents, dict(base_residents))
    _born(teller, people, base_month)
    story = StoryPlan()
    story.base_month = base_month
    story.base_people = {t: [dict(p) for p in plist] for t, plist in people.items() if plist}
    month = base_month
    for k in range(n_months):
        month = next_month(month)
        homes = [dict(h, note="") for h in homes]
        sm = StoryMonth(month, [], homes, {})
        people = _tell_month(teller, sm, people, seed, k)
        story[month] = sm
        if k == FIRST_MONTHS - 1:
            teller.refusal = _refusal(story, seed, teller.waiting, teller.policy)
    return story


def generate_month_story(data_dir: str | os.PathLike | None = None, seed: int = STORY_SEED, *,
                         months: int | None = None, until: str | None = None) -> dict[str, list[Path]]:
    """Write sample data for the months after the base month, told as a story of the plan at work (示例数据):
    by default the first two (2023-09 and 2023-10 after the bundled 2023-08), or ``months`` of them, or up
    to ``until`` (the bundled year: ``until="2024-07"``, eleven months).

    data_dir: the data folder holding reference/ and 2023-08/ (default: the project's data/);
              the months are written to <data_dir>/2023-09/, <data_dir>/2023-10/, …: 附件1, 附件2
              and the 分散供养特困人员减少情况表 at the top, one 附件3 form per township under 附件3/, as in
              2023-08. 2023-08 is only read.
    seed:     the random seed; the same seed and the same 2023-08 give the same files, byte for byte.
    Returns month -> files written (附件1, 附件2, the 减少情况表, then the forms in township order). The returned
    dict's ``.story`` attribute holds month -> :class:`StoryMonth`: who moved into which home,
    other admissions, new applicants, deaths (nothing of it is written into the data folder);
    ``.identities`` month -> :class:`IdentityMonth` (the three added columns, see :func:`story_identities`).
    See :func:`plan_month_story` for how the months are made up.
    """
    base = _data_dir(data_dir)
    story = plan_month_story(base, seed, months=months, until=until)
    policy = load_policy(data_dir=base)
    identities = story_identities(story, base, policy=policy)
    out = StoryFiles()
    previous = story.base_month
    for month, sm in story.items():
        folder = base / month
        files = write_official_tables(month, sm.townships, sm.homes, folder, sample=True, policy=policy)
        files.append(write_story_changes(sm, identities[previous], folder, policy))
        files += write_story_forms(sm, identities[month], folder / "附件3", policy)
        out[month] = files
        previous = month
    out.story = story
    out.identities = identities
    return out
