"""The banner's added columns of the sample 附件3 forms: 身份证号, 是否患有精神疾病, 是否新申请, and 评估日期
(the day of each person's latest assessment, :mod:`tekun_helpers.sample.visits`).

The auditor's checks need cases to find. On the forms every person gets an identity number of
the unreal region 990000 (:func:`tekun_helpers.io.idcard.sample_number`), made from the person
(township, village, name) and a birth date that agrees with the form's age, so the same person keeps
the same number every month; each month a few numbers are left out, and (outside
``ID_STORY["clean_months"]``) one or two have a wrong check digit and one or two a birth year that
does not fit the age. About 1.5% of the people have a mental illness (a property of the person, so
it stays; more often among those with nobody or poor care, who then head the transfer list). New
applicants: the month story's newly approved people; in a month without a story a handful chosen at
random, ``ID_STORY["new_unsuited"]`` of them unsuited to home care; an unsuited new applicant stays
flagged while still on the form (placement waits for approval). None of this touches the 18 official
columns or the random sources of the month story, so 附件1 and 附件2 stay as they are.

:func:`plan_identities` makes one month's columns (an :class:`IdentityMonth`); nothing is written here.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import pandas as pd

from ..analysis.rules import decide
from ..core.months import month_end
from ..io import idcard
from .visits import plan_visits
from .people import CARE_BAD, CARE_FAIR, CARE_POOR, NO, PERSON_KEYS, SELF, YES

IDENTITY_SEED = 20231011
ID_STORY = {
    "missing": (3, 6),             # people whose number is left out, per month
    "bad_check_digit": (1, 2),     # numbers with a wrong check digit (a typing error)
    "age_mismatch": (1, 2),        # valid numbers whose birth year does not fit the form's age
    "mismatch_years": (3, 9),      # by how many years those birth years are off
    "mental_share": 0.013,         # people with a mental illness ...
    "mental_share_at_risk": 0.025,  # ... among those with nobody caring or care 一般 or worse (about 1.5% in all)
    "new_applicants": (5, 7),      # new applicants in a month without a story (2023-08)
    "new_unsuited": 3,             # of which unsuited to home care (the plan's placement rule)
    # The bundled 2023-08 is the real month (official 附件1 and 附件2) and is expected to read without
    # any issue (tests/test_readers.py): its forms get no deliberately wrong numbers, only missing ones.
    "clean_months": ("2023-08",),
}
YES_NO = {True: YES, False: NO}

PersonKey = tuple  # (township, village, name)


def person_key(township: str, person: dict) -> PersonKey:
    """The person's key (township, village, name): who the person is from month to month."""
    return (township, person.get("village") or "", person.get("name") or "")


def birth_date(key: PersonKey, age: int, anchor: dt.date) -> dt.date:
    """A birth date made from the person, on which the person is ``age`` on ``anchor`` (a date)."""
    rng = random.Random("tekun-birth/" + "/".join(key))
    mon = rng.randint(1, 12)
    day = rng.randint(1, 28 if mon == 2 else (30 if mon in (4, 6, 9, 11) else 31))
    year = anchor.year - int(age) - (1 if (mon, day) > (anchor.month, anchor.day) else 0)
    return dt.date(year, mon, day)


@dataclass
class IdentityMonth:
    """The four added columns of one month's forms.

    numbers: person -> the person's real (made-up) number, kept from the month the person first appears.
    written: person -> what the form says (None: left out; may be wrong, see ``roles``).
    mental:  people with a mental illness.
    new:     people marked 是否新申请 = 是.
    unsuited: people meeting a condition of [rules.transfer] this month (mental illness included).
    roles:   'missing', 'bad_check_digit', 'age_mismatch' (the deliberate errors), 'new_unsuited',
             'mental_listed' (mentally ill and on the transfer list), 'new_carried' (unsuited new
             applicants of an earlier month still waiting).
    assessed: person -> the day of the person's latest assessment (评估日期, :func:`.visits.plan_visits`).
    """

    month: str
    numbers: dict = field(default_factory=dict)
    written: dict = field(default_factory=dict)
    mental: set = field(default_factory=set)
    new: set = field(default_factory=set)
    unsuited: set = field(default_factory=set)
    roles: dict = field(default_factory=dict)
    assessed: dict = field(default_factory=dict)

    def row(self, township: str, person: dict) -> dict:
        """The person's form row with the four added columns."""
        key = person_key(township, person)
        return {**person, "id_number": self.written.get(key), "mental_illness": YES_NO[key in self.mental],
                "new_applicant": YES_NO[key in self.new], "assessed_on": self.assessed.get(key)}

    def rows(self, township: str, people: list[dict]) -> list[dict]:
        """:meth:`row` for each of a township's people."""
        return [self.row(township, p) for p in people]


def _unsuited(people: dict[str, list[dict]], mental: set, policy) -> dict[PersonKey, int]:
    """person -> number of [rules.transfer] reasons, for the people meeting any of them (mental illness counted)."""
    flat = [(t, p) for t, plist in people.items() for p in plist]
    if not flat:
        return {}
    frame = pd.DataFrame([{"township": t, **{k: p.get(k) for k in PERSON_KEYS},
                           "mental_illness": YES_NO[person_key(t, p) in mental]} for t, p in flat])
    d = decide(frame, policy)
    d = d[d["rule"] == "transfer"]
    return {person_key(*flat[i]): int(n) for i, n in zip(d["person"], d["n_reasons"])}



def _numbers(ids: IdentityMonth, flat: list[tuple[str, dict]], keys: list[PersonKey],
             previous: IdentityMonth | None, end: dt.date) -> set[str]:
    """Each person's real (made-up) number into ``ids.numbers``: kept from ``previous``, else made from the
    person. Returns every number taken (this month's and earlier ones)."""
    taken = set(previous.numbers.values()) if previous else set()
    for (t, p), key in zip(flat, keys):
        if previous and key in previous.numbers:
            ids.numbers[key] = previous.numbers[key]
            continue
        birth = birth_date(key, p["age"], end)
        for salt in range(100):
            rng = random.Random("tekun-id/" + "/".join(key) + (f"/{salt}" if salt else ""))
            number = idcard.sample_number(rng, birth, p["sex"])
            if number not in taken:
                break
        taken.add(number)
        ids.numbers[key] = number
    return taken | set(ids.numbers.values())


def _mental(ids: IdentityMonth, flat: list[tuple[str, dict]], keys: list[PersonKey],
            previous: IdentityMonth | None, seed: int) -> None:
    """Who has a mental illness, into ``ids.mental``: a property of the person, decided when the person
    first appears (more often among those nobody looks after well: they head the transfer list)."""
    st = ID_STORY
    for (t, p), key in zip(flat, keys):
        if previous and key in previous.numbers:
            ill = key in previous.mental
        else:
            at_risk = not p.get("guardian_name") or p.get("care") in (CARE_FAIR, CARE_POOR, CARE_BAD)
            share = st["mental_share_at_risk"] if at_risk else st["mental_share"]
            ill = random.Random(f"tekun-mental/{seed}/" + "/".join(key)).random() < share
        if ill:
            ids.mental.add(key)


def _new_applicants(ids: IdentityMonth, rng: random.Random, flat: list[tuple[str, dict]], keys: list[PersonKey],
                    reasons: dict[PersonKey, int], previous: IdentityMonth | None, applicants: set | None) -> None:
    """Who is marked 是否新申请 = 是, into ``ids.new`` (and ``ids.roles['new_carried']``)."""
    st = ID_STORY
    if applicants is None:
        n_new = rng.randint(*st["new_applicants"])
        # unsuited ones with several reasons and able to look after themselves: the story moves few of them,
        # so they wait for placement in the months after
        position = {k: i for i, k in enumerate(keys)}
        pool = sorted((k for k in keys if k in reasons), key=lambda k: (-min(reasons[k], 3), position[k]))
        self_care = {person_key(t, p): p.get("self_care") for t, p in flat}
        pool = [k for k in pool if self_care[k] == SELF] or pool
        unsuited_new = rng.sample(pool[:4 * st["new_unsuited"]], min(st["new_unsuited"], len(pool)))
        others = [k for k in keys if k not in reasons]
        suited_new = rng.sample(others, min(len(others), max(0, n_new - len(unsuited_new))))
        ids.new = set(unsuited_new) | set(suited_new)
        ids.roles["new_carried"] = []
    else:
        present = set(keys)
        carried = [k for k in keys if previous and k in previous.new and k in ids.unsuited and k not in applicants]
        ids.new = {k for k in applicants if k in present} | set(carried)
        ids.roles["new_carried"] = carried


def _written(ids: IdentityMonth, rng: random.Random, flat: list[tuple[str, dict]], keys: list[PersonKey],
             taken: set[str]) -> None:
    """The numbers as the form says them, into ``ids.written``: a few left out, and outside the clean
    months a few with a wrong check digit or a birth year that does not fit the age."""
    st = ID_STORY
    month = ids.month
    order = list(keys)
    rng.shuffle(order)
    missing = order[:rng.randint(*st["missing"])]
    rest = order[len(missing):]
    bad, mismatch = [], []
    if month not in st["clean_months"]:
        bad = rest[:rng.randint(*st["bad_check_digit"])]
        mismatch = rest[len(bad):len(bad) + rng.randint(*st["age_mismatch"])]
    ids.written = dict(ids.numbers)
    for key in missing:
        ids.written[key] = None
    for key in bad:
        true = ids.numbers[key]
        ids.written[key] = true[:17] + rng.choice([c for c in "0123456789" if c != true[17]])
    sexes = {person_key(t, p): p["sex"] for t, p in flat}
    for key in mismatch:
        true = ids.numbers[key]
        birth = dt.date(int(true[6:10]), int(true[10:12]), int(true[12:14]))
        shift = rng.randint(*st["mismatch_years"]) * rng.choice((-1, 1))
        wrong_birth = birth.replace(year=birth.year + shift)
        for salt in range(100):
            number = idcard.sample_number(random.Random(f"tekun-id-wrong/{month}/{salt}/" + "/".join(key)), wrong_birth,
                                          sexes[key])
            if number not in taken:
                break
        taken.add(number)
        ids.written[key] = number
    ids.roles.update(missing=missing, bad_check_digit=bad, age_mismatch=mismatch)


def plan_identities(month: str, people: dict[str, list[dict]], policy, previous: IdentityMonth | None = None,
                    applicants: set | None = None, seed: int = IDENTITY_SEED) -> IdentityMonth:
    """Make up the four added columns of a month's forms (nothing is written).

    people:     township -> the people on its form, in form order (dicts keyed like schema.ASSESSMENTS).
    policy:     the policy whose [rules.transfer] decides who is unsuited to home care.
    previous:   the month before (numbers and illnesses are kept; unsuited new applicants stay flagged; the
                assessment dates are kept until the policy's [assessment] cycle runs out).
    applicants: the people newly approved this month (person keys); None: choose a handful
                (ID_STORY["new_applicants"]), ID_STORY["new_unsuited"] of them unsuited to home care.
    The result depends only on the arguments (the people's names, villages, sexes and ages, and for the
    choices of the month the order of the people), never on the random sources of the other samples.
    """
    ids = IdentityMonth(month)
    flat = [(t, p) for t, plist in people.items() for p in plist]
    keys = [person_key(t, p) for t, p in flat]
    taken = _numbers(ids, flat, keys, previous, month_end(month))
    _mental(ids, flat, keys, previous, seed)
    reasons = _unsuited(people, ids.mental, policy)
    ids.unsuited = set(reasons)
    ids.roles["mental_listed"] = [k for k in keys if k in ids.mental and k in ids.unsuited]

    rng = random.Random(f"tekun-identity/{seed}/{month}")
    _new_applicants(ids, rng, flat, keys, reasons, previous, applicants)
    ids.roles["new_unsuited"] = [k for k in keys if k in ids.new and k in ids.unsuited]
    _written(ids, rng, flat, keys, taken)
    ids.assessed = plan_visits(month, keys, policy.assessment.reassess_every_months,
                               previous.assessed if previous is not None else None)
    return ids
