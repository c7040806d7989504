"""The benefit rosters as sample data (示例数据): one per benefit of policy.toml ``[benefits]``.

A benefit such as 最低生活保障 cannot be held together with extreme-hardship support, so the auditor
compares each roster with the month's 附件3 forms. The rosters made here (:func:`plan_benefit_rosters`)
list made-up people who are not in extreme hardship, the same every month, and a few people of the
month's forms: for each benefit one matched by number, one by name and village only (no number on
the roster) and one with the same name and village but another valid number (another person: it must
not match). :func:`write_benefit_samples` writes them.
"""
from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass
from pathlib import Path

from ..config.policy import load_policy
from ..core.exceptions import ValidationFailed
from ..core.months import check_month, month_end
from ..core.paths import data_dir as _data_dir
from ..forms.compliance import benefit_sections, write_benefit_rosters
from ..io import idcard
from ..month import load_month
from .people import FEMALE, MALE, make_name

BENEFIT_SEED = 20231012
BENEFIT_STORY = {
    # made-up people on each roster who are not in extreme hardship (the same every month)
    "others": {"dibao": (42, 56), "orphan": (9, 14), "hardship_disability": (22, 30), "severe_disability": (16, 24)},
    # their years of birth (orphans are children)
    "born": {"dibao": (1936, 2001), "orphan": (2006, 2020), "hardship_disability": (1943, 2005),
             "severe_disability": (1938, 2014)},
    "no_number_share": 0.05,       # made-up rows without a number
    # people of the month's forms on each roster: matched by number, by name and village only, near misses
    "confirmed": {"dibao": 2},     # default 1
    "unconfirmed": 1,
    "near_miss": 1,
    "orphan_max_age": 45,          # the forms' people put on the orphan roster are the youngest ones
    # the forms' people are split into this many groups, one a month in turn, so that a case found in one
    # month (and put right) is not made again in the next months
    "month_groups": 3,
}
_ROSTER_NOTES = {"unconfirmed": "身份证号待补录", "other_missing": "身份证号待补录"}


@dataclass
class RosterMonth:
    """One month's rosters: benefit key -> rows (township, village, name, id_number, note), and the cases
    made on purpose: roles[benefit] = {'confirmed': [...], 'unconfirmed': [...], 'near_miss': [...]}
    (person keys of the month's forms)."""

    month: str
    rows: dict[str, list[dict]]
    roles: dict[str, dict[str, list]]


class _Numbers:
    """The identity numbers in use (the forms' and the rosters'): new ones never repeat one."""

    def __init__(self, numbers: set[str]):
        self.numbers = numbers

    def new(self, rng: random.Random, born: tuple[int, int], sex: str) -> str:
        """A valid made-up number of someone born in the years ``born`` (first, last), not yet in use."""
        while True:
            mon = rng.randint(1, 12)
            birth = dt.date(rng.randint(*born), mon, rng.randint(1, 28))
            number = idcard.sample_number(rng, birth, sex)
            if number not in self.numbers:
                self.numbers.add(number)
                return number


def _others(key: str, seed: int, towns: list[str], villages: dict[str, list[str]], used: set[str],
            numbers: _Numbers) -> list[dict]:
    """The made-up people on one benefit's roster who are not in extreme hardship: the same every month
    (as long as the townships' villages are); a few without a number."""
    st = BENEFIT_STORY
    rng = random.Random(f"tekun-roster/{seed}/{key}")
    lo, hi = st["others"].get(key, (10, 20))
    out = []
    for _ in range(rng.randint(lo, hi)):
        town = rng.choice([t for t in towns if villages.get(t)])
        village = villages[town][rng.randrange(len(villages[town]))]
        sex = MALE if rng.random() < 0.55 else FEMALE
        name = make_name(rng, sex, used)
        number = numbers.new(rng, st["born"].get(key, (1940, 2005)), sex)
        note = ""
        if rng.random() < st["no_number_share"]:
            number, note = None, _ROSTER_NOTES["other_missing"]
        out.append({"township": town, "village": village, "name": name, "id_number": number, "note": note})
    return out


class _Picker:
    """The month's people of the forms who may go on a roster, in a random order, each taken once: this
    month's group of :data:`BENEFIT_STORY` ``month_groups`` (so that a case is not made again next month)."""

    def __init__(self, people: list[dict], month: str, seed: int, rng: random.Random, end: dt.date):
        groups = BENEFIT_STORY["month_groups"]
        turn = (int(month[:4]) * 12 + int(month[5:])) % groups

        def group(p) -> int:
            """The person's group, fixed by the person (township, village, name)."""
            return int(random.Random(f"tekun-roster-group/{seed}/{p['township']}/{p['village']}/{p['name']}").random()
                       * groups)

        self.people, self.end = people, end
        self.order = [i for i in range(len(people)) if group(people[i]) == turn]
        rng.shuffle(self.order)
        self.taken: set[int] = set()

    def _number_ok(self, p) -> bool:
        """The person's number is valid and agrees with the form's age and sex."""
        idc = idcard.check(p["id_number"], on=self.end)
        return idc.ok and not idcard.compare_with_form(idc, p["age"], p["sex"], self.end)

    def pick(self, valid: bool, max_age: int | None = None) -> dict | None:
        """The next person not yet taken (``valid``: whose number is right and fits the form); with
        ``max_age``, someone that young if there is one."""
        for young in ((True, False) if max_age else (False,)):
            for i in self.order:
                p = self.people[i]
                if i in self.taken or (valid and not self._number_ok(p)) or \
                        (young and (p["age"] is None or p["age"] > max_age)):
                    continue
                self.taken.add(i)
                return p
        return None


def _cases(key: str, picker: _Picker, rng: random.Random, numbers: _Numbers) -> tuple[list[dict], dict[str, list]]:
    """The forms' people put on one benefit's roster: matched by number, by name and village only (no number),
    and near misses (same name and village, another valid number). Returns (rows, roles)."""
    st = BENEFIT_STORY
    max_age = st["orphan_max_age"] if key == "orphan" else None
    roles: dict[str, list] = {"confirmed": [], "unconfirmed": [], "near_miss": []}
    made = []
    for _ in range(st["confirmed"].get(key, 1)):
        p = picker.pick(True, max_age)
        made.append({"township": p["township"], "village": p["village"], "name": p["name"],
                     "id_number": idcard.normalise(p["id_number"]), "note": ""})
        roles["confirmed"].append((p["township"], p["village"], p["name"]))
    for _ in range(st["unconfirmed"]):
        p = picker.pick(False, max_age)
        made.append({"township": p["township"], "village": p["village"], "name": p["name"], "id_number": None,
                     "note": _ROSTER_NOTES["unconfirmed"]})
        roles["unconfirmed"].append((p["township"], p["village"], p["name"]))
    for _ in range(st["near_miss"]):
        p = picker.pick(True)
        sex = MALE if rng.random() < 0.55 else FEMALE
        made.append({"township": p["township"], "village": p["village"], "name": p["name"],
                     "id_number": numbers.new(rng, st["born"].get(key, (1940, 2005)), sex), "note": ""})
        roles["near_miss"].append((p["township"], p["village"], p["name"]))
    return made, roles


def _in_roster_order(rng: random.Random, rows: list[dict], towns: list[str], villages: dict[str, list[str]]) -> list[dict]:
    """``rows`` listed township by township, village by village (in the forms' order), as a roster is kept;
    in random order within a village."""
    rank = {t: i for i, t in enumerate(towns)}
    vrank = {(t, v): j for t, vs in villages.items() for j, v in enumerate(vs)}
    positions = {id(r): rng.random() for r in rows}
    return sorted(rows, key=lambda r: (rank.get(r["township"], len(rank)), vrank.get((r["township"], r["village"]), 0),
                                       positions[id(r)]))


def plan_benefit_rosters(month: str, data_dir: str | os.PathLike | None = None, seed: int = BENEFIT_SEED) -> RosterMonth:
    """Make up the month's benefit rosters from the month's 附件3 forms (load_month), without writing.

    Each roster (one per benefit of policy.toml [benefits]) lists made-up people who are not in extreme
    hardship, the same every month, and a few people of the month's forms (:func:`_cases`).
    Raises ValidationFailed when the month has no 附件3 forms.
    """
    m = load_month(month, data_dir)
    if not m.has_assessments:
        raise ValidationFailed(f"{month} 没有附件3排查评估表，无法生成示例待遇名册（名册中要有与评估表人员重复的情况）；"
                               f"请先生成附件3示例数据。", m.issues)
    towns = m.reference.township_names
    people = m.assessments.to_dict("records")
    villages: dict[str, list[str]] = {}
    for p in people:
        villages.setdefault(p["township"], [])
        if p["village"] not in villages[p["township"]]:
            villages[p["township"]].append(p["village"])
    used = set(m.assessments["name"]) | {n for n in m.assessments["guardian_name"] if n}
    used |= {h.head for h in m.reference.homes if h.head}
    numbers = _Numbers({idcard.normalise(p["id_number"]) for p in people if p["id_number"]})

    sections = benefit_sections(m.policy)
    rows = {key: _others(key, seed, towns, villages, used, numbers) for key, _ in sections}
    rng = random.Random(f"tekun-roster/{seed}/{month}")
    picker = _Picker(people, month, seed, rng, month_end(month))
    roles: dict[str, dict[str, list]] = {}
    for key, _ in sections:
        made, roles[key] = _cases(key, picker, rng, numbers)
        rows[key] = _in_roster_order(rng, rows[key] + made, towns, villages)
    return RosterMonth(month, rows, roles)


def write_benefit_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int = BENEFIT_SEED, *,
                          out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample benefit rosters (示例数据), one per benefit of policy.toml ``[benefits]``,
    through :func:`tekun_helpers.forms.compliance.write_benefit_rosters`, into ``out_dir`` (default data/<month>/).

    See :func:`plan_benefit_rosters` (the month's 附件3 forms must be there). Returns the files written.
    """
    check_month(month)
    base = _data_dir(data_dir)
    plan = plan_benefit_rosters(month, base, seed)
    policy = load_policy(data_dir=base)
    out = Path(out_dir) if out_dir is not None else base / month
    return write_benefit_rosters(out, month, plan.rows, sample=True, policy=policy)

