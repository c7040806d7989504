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
"""
from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.rules import decide
from ..config.policy import load_policy
from ..core.exceptions import ValidationFailed
from ..core.months import month_end, months_between, next_month
from ..core.paths import data_dir as _data_dir
from ..config.schema import VOCABULARIES
from ..forms.assessment import form_filename, write_assessment_form
from ..forms.changes import changes_filename, write_changes_form
from ..month import load_month
from .identities import IdentityMonth, birth_date, person_key, plan_identities
from .official import write_official_tables
from .people import (
    CARE_BAD,
    CARE_FAIR,
    CARE_GOOD,
    CARE_POOR,
    CARE_SCALE_HEADER,
    CARE_SCALE_NOTE,
    ENVIRONMENT,
    FEMALE,
    FULL,
    MALE,
    NO,
    PERSON_KEYS,
    QUALITY,
    SELF,
    SEMI,
    YES,
    generate_people,
    make_name,
    overall_result,
    pastoral,
)
from .rows import people_of_month, person_from_row, plain
from .start import first_month

STORY_SEED = 20230901
#: How the made-up months unfold (the first two after the base month; :data:`LATER` for the months after). These are the story's own proportions, not the plan's rules:
#: the occupancy target and who must be moved come from policy.toml. Tuples hold one value per month
#: after the base month (first 2023-09, then 2023-10).
STORY = {
    # share of the people flagged for transfer (rules.decide, rule "transfer") who move in, by self-care
    "transfer_share": ({FULL: 0.85, SEMI: 0.6, SELF: 0.1}, {FULL: 0.85, SEMI: 0.6, SELF: 0.14}),
    # chance that each problem of a person who stays is put right (supervision at work)
    "improve_share": (0.2, 0.3),
    # chance that a middling answer (一般) of a person who stays becomes the best one
    "polish_share": (0.04, 0.06),
    "new_applicants": ((4, 8), (3, 7)),           # new people in dispersed care per month (range)
    "new_disabled": (0.05, 0.15),                 # chance a new person is 失能, 半失能 (cumulative)
    "deaths": ((2, 4), (1, 3)),                   # people in dispersed care who die per month (range)
    "homes_left_below": 2,                        # homes still below target at the end of the story
    "reach_share": (0.5, 1.0),                    # share of its gap a home below target has closed by each month
    "lag_share": (0.2, 0.4),                      # the same for the homes left below target
    "extra_admission": 0.3,                       # chance a home at target takes one more person in a month
    "staff_step": 12,                             # new residents that bring one more staff member
    # who leaves dispersed care besides those moved into a home and the deaths above, per month (a separate
    # random stream, after the month's other steps, so that the rest of the story stays as it was):
    "waiting_deaths": (0, 1),     # people flagged for transfer since the base month, still waiting, who die
    "leavers": (0, 1),            # people who leave extreme-hardship support (退出), none of them flagged
    "leave_notes": ("经复核，其子女已具备赡养能力，不再符合特困供养条件，终止供养",),
    "death_notes": ("病故", "因病去世", "突发疾病去世"),
    # the one person flagged for transfer in the base month who refuses to move (a bed was free) and why;
    # the refusal is on the person's form (备注) in every story month
    "refusal_reasons": ("不愿离开居住多年的老宅", "舍不得家中饲养的牛羊，不愿离家", "习惯独自生活，担心入住后不自由"),
}
#: the months told by STORY's tuples (2023-09 and 2023-10 after the bundled 2023-08, the months before and at
#: the plan's occupancy deadline); every later month follows LATER
FIRST_MONTHS = len(STORY["transfer_share"])
#: The months after the first two (2023-11 on): the plan keeps working after its deadline, more slowly.
#: Also the story's own proportions, not the plan's rules.
LATER = {
    "transfer_share": {FULL: 0.5, SEMI: 0.3, SELF: 0.05},   # fewer of those still flagged move each month
    "improve_share": 0.2,
    "polish_share": 0.05,
    "new_applicants": (2, 6),
    "deaths": (1, 4),
    "waiting_deaths": (0, 1),     # a range a month here (STORY: one count a month)
    "leavers": (0, 2),
    # the lagging homes keep closing their gap: this much more of it each month after the first two
    # (the first of them stays below target all along, the second reaches it after some months)
    "lag_steps": (0.05, 0.1),
    "extra_admission": 0.25,      # chance a home takes one more elderly person in a month
    "home_deaths": 0.2,           # chance a home above target loses one resident (died) in a month
}
#: the note of a newly approved person, in the month of approval
NEW_NOTE = "本月新纳入特困供养"
#: the 备注 of the person who refuses to move into a home, before the reason
REFUSAL_NOTE = "本人拒绝入住敬老院"


def _at(key: str, k: int):
    """The story's value of ``key`` for its ``k``-th month (0: the first after the base month)."""
    return STORY[key][k] if k < FIRST_MONTHS else LATER[key]


@dataclass
class StoryMonth:
    """One made-up month: its tables, its forms and what happened since the month before.

    townships:  附件1 rows (township, dispersed, fully_disabled, semi_disabled, note).
    homes:      附件2 rows (home, beds, residents, staff, head, phone, note).
    people:     township -> the people on its 附件3 form this month (dicts keyed like schema.ASSESSMENTS).
    transfers:  people moved from dispersed care into a home (name, township, village, sex, self_care, home,
                reasons, on: the day).
    no_bed:     people who were to move but found no free bed in the homes serving their township.
    admissions: home -> other elderly people admitted this month (not from the dispersed-care lists).
    home_deaths: home -> residents who died in the home this month (months after the first two).
    applicants: people newly approved for dispersed care (name, township, village, self_care).
    deaths:     people in dispersed care who died (name, township, village, sex, self_care, on, note;
                waited: flagged for transfer since the base month).
    leavers:    people who left extreme-hardship support (退出; name, township, village, sex, self_care, on, note).
    refusals:   people flagged for transfer who refuse to move, with the note on their form (name, township,
                village, note).
    improved:   people who stay and whose answers improved.
    staff_added: homes whose staff rose by one.
    """

    month: str
    townships: list[dict]
    homes: list[dict]
    people: dict[str, list[dict]]
    transfers: list[dict] = field(default_factory=list)
    no_bed: list[dict] = field(default_factory=list)
    admissions: dict[str, int] = field(default_factory=dict)
    home_deaths: dict[str, int] = field(default_factory=dict)
    applicants: list[dict] = field(default_factory=list)
    deaths: list[dict] = field(default_factory=list)
    leavers: list[dict] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)
    improved: int = 0
    staff_added: list[str] = field(default_factory=list)

    def transfers_by_home(self) -> dict[str, int]:
        """home -> people moved in from dispersed care this month (0 for every home without)."""
        out = {h["home"]: 0 for h in self.homes}
        for t in self.transfers:
            out[t["home"]] += 1
        return out

    def summary(self, policy) -> dict:
        """The month in numbers."""
        homes = self.homes
        beds = sum(h["beds"] for h in homes)
        residents = sum(h["residents"] for h in homes)
        return {
            "month": self.month,
            "dispersed": sum(t["dispersed"] for t in self.townships),
            "fully_disabled": sum(t["fully_disabled"] for t in self.townships),
            "semi_disabled": sum(t["semi_disabled"] for t in self.townships),
            "beds": beds, "residents": residents, "occupancy": residents / beds if beds else 0.0,
            "homes_at_target": sum(1 for h in homes if h["residents"] >= policy.needed_residents(h["beds"])),
            "homes": len(homes),
            "transfers": len(self.transfers), "no_bed": len(self.no_bed),
            "other_admissions": sum(self.admissions.values()),
            "new_applicants": len(self.applicants), "deaths": len(self.deaths), "leavers": len(self.leavers),
            "refusals": len(self.refusals),
            "improved": self.improved, "staff_added": len(self.staff_added),
        }


class StoryPlan(dict):
    """month -> StoryMonth, as :func:`plan_month_story` makes them; ``.base_month`` and ``.base_people``
    (township -> the people on the base month's forms, the 18 official columns) are where it starts."""

    base_month: str
    base_people: dict[str, list[dict]]


class StoryFiles(dict):
    """month -> files written (附件1, 附件2, then the 附件3 forms); ``.story`` holds month -> StoryMonth,
    ``.identities`` month -> IdentityMonth."""

    story: dict[str, StoryMonth]
    identities: dict[str, IdentityMonth]




_PROBLEM_NOTES = {  # the notes generate_people writes for a problem, by what puts it right
    "guardian": "独自生活，无监护人/护理人",
    "treated": "患病未及时就医",
    "care": "被褥衣服较脏，室内异味较大",
}



def _care_scale(people: list[dict]) -> tuple[str, ...]:
    """The 护理情况 scale a township's form uses: the header's (with 一般) or the note's."""
    cares = [p["care"] for p in people]
    if CARE_FAIR in cares:
        return CARE_SCALE_HEADER
    return CARE_SCALE_NOTE


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, drawn one by one with the given weights (deterministic for a given rng)."""
    items, weights = list(items), list(weights)
    out = []
    for _ in range(min(k, len(items))):
        j = rng.choices(range(len(items)), weights)[0]
        out.append(items.pop(j))
        weights.pop(j)
    return out


def _improve(p: dict, rng: random.Random, share: float, polish: float, scale: tuple[str, ...],
             used: set[str]) -> bool:
    """Put some of a person's problems right (and polish some middling answers); True when anything changed."""
    before = dict(p)
    notes = [n for n in (p.get("note") or "").split("；") if n]
    added: list[str] = []
    if p["care"] in (CARE_POOR, CARE_BAD) and rng.random() < share:
        if p["care"] == CARE_BAD:
            p["care"] = CARE_POOR
        else:
            p["care"] = CARE_FAIR if CARE_FAIR in scale else CARE_GOOD
        added.append("护理情况已改善")
    if p["environment"] == ENVIRONMENT[2] and rng.random() < share:
        p["environment"] = ENVIRONMENT[1]
        added.append("居住环境已整治")
    if p["quality"] == QUALITY[2] and rng.random() < share:
        p["quality"] = QUALITY[1]
    if not p["guardian_name"] and rng.random() < share:
        p["guardian_name"] = make_name(rng, MALE if rng.random() < 0.6 else FEMALE, used)
        p["guardian_age"] = rng.randint(38, 66)
        p["guardian_relation"] = "村委会指定护理人"
        added.append("已由村委会指定护理人")
    if p["self_controls_allowance"] == NO and p["rights_infringed"] != YES and rng.random() < share:
        p["self_controls_allowance"] = YES
        added.append("供养金已改由本人支配")
    if p["treated"] == NO and rng.random() < share:
        p["treated"] = YES
        added.append("已就医治疗")
    # middling answers
    if p["care"] == CARE_FAIR and rng.random() < polish:
        p["care"] = CARE_GOOD
    if p["environment"] == ENVIRONMENT[1] and rng.random() < polish:
        p["environment"] = ENVIRONMENT[0]
    if p["quality"] == QUALITY[1] and rng.random() < polish:
        p["quality"] = QUALITY[0]
    if p == before:
        return False
    # notes of problems put right go; what was done is noted
    if p["guardian_name"]:
        notes = [n for n in notes if n != _PROBLEM_NOTES["guardian"]]
    if p["treated"] == YES:
        notes = [n for n in notes if n != _PROBLEM_NOTES["treated"]]
    if p["care"] != CARE_BAD:
        notes = [n for n in notes if n != _PROBLEM_NOTES["care"]]
    if p["self_controls_allowance"] == YES:
        notes = [n for n in notes if not n.startswith("供养金由")]
    notes += [a for a in added if a not in notes]
    p["note"] = "；".join(notes)
    p["result"] = overall_result(p)
    return True


def _base(base_month: str, data_dir) -> tuple:
    """The story's starting point: the base month (load_month), its people by township, the names taken
    and its homes (附件2 rows). Raises ValidationFailed when the month has errors or no 附件3 forms."""
    m = load_month(base_month, data_dir)
    if m.errors or not m.has_assessments:
        lines = "\n".join(f"- {i.message}" for i in m.errors[:10])
        why = "有错误" if m.errors else "没有附件3排查评估表"
        raise ValidationFailed(f"{base_month} 的数据{why}，无法由此生成后续月份的示例数据。\n{lines}".rstrip(), m.issues)
    ref = m.reference
    people: dict[str, list[dict]] = {t: [] for t in ref.township_names}
    for row in m.assessments.to_dict("records"):
        people[row["township"]].append(person_from_row(row))
    used: set[str] = {h.head for h in ref.homes if h.head}
    for plist in people.values():
        for p in plist:
            used.add(p["name"])
            if p["guardian_name"]:
                used.add(p["guardian_name"])
    homes = [{"home": r["home"], "beds": int(r["beds"]), "residents": int(r["residents"]), "staff": int(r["staff"]),
              "head": plain(r.get("head")) or "", "phone": plain(r.get("phone")) or "", "note": ""}
             for r in m.homes.to_dict("records")]
    return m, people, used, homes


def _flagged(flat: list[tuple[str, dict]], policy) -> pd.DataFrame:
    """The decisions of rule "transfer" (rules.decide) on ``flat``'s people, in the rule's priority order."""
    if not flat:
        return pd.DataFrame(columns=["person", "reasons"])
    decisions = decide(pd.DataFrame([{"township": t, **p} for t, p in flat]), policy)
    return decisions[decisions["rule"] == "transfer"]


def _key(town: str, p: dict) -> tuple:
    return (town, p["village"], p["name"])


def _transfers(sm: StoryMonth, rng: random.Random, flat: list[tuple[str, dict]], flagged: pd.DataFrame, ref,
               shares: dict[str, float], keep: frozenset = frozenset()) -> set[int]:
    """Step 1: a share of the people last month's forms flag for transfer (``flagged``: rules.decide, in
    its priority order) move into the first home serving their township with a free bed (none free:
    ``sm.no_bed``; ``keep``: people who refuse to move). Returns the indexes (in ``flat``) of those who moved."""
    by_home = {h["home"]: h for h in sm.homes}
    gone: set[int] = set()
    for d in flagged.itertuples(index=False):
        town, p = flat[d.person]
        if _key(town, p) in keep:
            continue
        if rng.random() >= shares.get(p["self_care"], 0.0):
            continue
        record = {"name": p["name"], "township": town, "village": p["village"], "sex": p["sex"],
                  "self_care": p["self_care"], "reasons": d.reasons}
        home = next((by_home[h] for h in ref.township(town).served_by
                     if h in by_home and by_home[h]["residents"] < by_home[h]["beds"]), None)
        if home is None:
            sm.no_bed.append(record)
            continue
        home["residents"] += 1
        sm.transfers.append({**record, "home": home["home"]})
        gone.add(d.person)
    return gone


def _deaths(sm: StoryMonth, rng: random.Random, flat: list[tuple[str, dict]], gone: set[int], k: int,
            keep: frozenset = frozenset()) -> None:
    """Step 2: a few of those who did not move die, the old more likely (added to ``gone``; never ``keep``'s)."""
    left = [i for i in range(len(flat)) if i not in gone and _key(*flat[i]) not in keep]
    n_deaths = rng.randint(*_at("deaths", k))
    weights = [max(1.0, (int(flat[i][1]["age"] or 60) - 55) ** 2) for i in left]
    for i in sorted(_weighted_sample(rng, left, weights, n_deaths)):
        town, p = flat[i]
        sm.deaths.append({"name": p["name"], "township": town, "village": p["village"], "sex": p["sex"],
                          "self_care": p["self_care"], "waited": False})
        gone.add(i)


def _stay(sm: StoryMonth, rng: random.Random, flat: list[tuple[str, dict]], gone: set[int], order: list[str],
          scales: dict[str, tuple[str, ...]], used: set[str], k: int,
          keep: frozenset = frozenset()) -> dict[str, list[dict]]:
    """Step 3: the people who stay: the same person, mostly the same answers, some problems put right
    (``keep``'s stay as they are). After the first two months the note of the month of approval goes.
    Returns township -> its people, in form order."""
    new_people: dict[str, list[dict]] = {t: [] for t in order}
    for i, (town, p) in enumerate(flat):
        if i in gone:
            continue
        q = dict(p)
        if k >= FIRST_MONTHS and NEW_NOTE in (q["note"] or ""):
            q["note"] = "；".join(n for n in q["note"].split("；") if n and n != NEW_NOTE)
        if _key(town, q) in keep:
            new_people[town].append(q)
            continue
        if _improve(q, rng, _at("improve_share", k), _at("polish_share", k), scales[town], used):
            sm.improved += 1
        new_people[town].append(q)
    return new_people


def _new_applicants(sm: StoryMonth, rng: random.Random, people: dict[str, list[dict]], order: list[str],
                    scales: dict[str, tuple[str, ...]], used: set[str], k: int) -> None:
    """Step 4: new applicants approved for dispersed care, added at the end of their township's form
    (in a village already on it), larger townships more likely."""
    n_new = rng.randint(*_at("new_applicants", k))
    sizes = [max(1, len(people[t])) for t in order]
    chosen = [rng.choices(order, sizes)[0] for _ in range(n_new)]
    full_share, semi_share = STORY["new_disabled"]
    for town in order:
        n_t = chosen.count(town)
        if not n_t:
            continue
        levels = [rng.random() for _ in range(n_t)]
        full = sum(1 for x in levels if x < full_share)
        semi = sum(1 for x in levels if full_share <= x < semi_share)
        villages = list(dict.fromkeys(p["village"] for p in people[town]))
        for q in generate_people(town, n_t, full, semi, rng, used=used, care_scale=scales[town],
                                 herding_county=pastoral(order)):
            q = {key: q[key] for key in PERSON_KEYS}
            if villages:
                q["village"] = rng.choice(villages)
            q["note"] = "；".join(x for x in (NEW_NOTE, q["note"]) if x)
            people[town].append(q)
            sm.applicants.append({"name": q["name"], "township": town, "village": q["village"],
                                  "self_care": q["self_care"]})


def _leaving(sm: StoryMonth, crng: random.Random, people: dict[str, list[dict]], waiting: set[tuple],
             flagged_now: set[tuple], k: int, keep: frozenset = frozenset()) -> None:
    """Step 4b (its own random stream ``crng``): ``STORY["waiting_deaths"][k]`` of the people flagged for
    transfer since the base month and still waiting die, and ``STORY["leavers"][k]`` people not flagged
    leave extreme-hardship support (退出), never ``keep``'s. They go from ``people`` (the month's forms)."""
    def take(pool: list[tuple[str, dict]], n: int | tuple[int, int]) -> list[tuple[str, dict]]:
        n = crng.randint(*n) if isinstance(n, tuple) else n
        chosen = crng.sample(pool, min(n, len(pool)))
        for town, p in chosen:
            people[town].remove(p)
        return chosen

    on_forms = [(t, p) for t, plist in people.items() for p in plist if NEW_NOTE not in (p["note"] or "")]
    still = [(t, p) for t, p in on_forms if _key(t, p) in waiting and _key(t, p) in flagged_now
             and _key(t, p) not in keep]
    for town, p in take(still, _at("waiting_deaths", k)):
        sm.deaths.append({"name": p["name"], "township": town, "village": p["village"], "sex": p["sex"],
                          "self_care": p["self_care"], "waited": True})
    others = [(t, p) for t, p in on_forms if _key(t, p) not in flagged_now and p in people[t]]
    for town, p in take(others, _at("leavers", k)):
        sm.leavers.append({"name": p["name"], "township": town, "village": p["village"], "sex": p["sex"],
                           "self_care": p["self_care"], "note": crng.choice(STORY["leave_notes"])})


def _days(sm: StoryMonth, crng: random.Random) -> None:
    """Step 4c (stream ``crng``): the day of each transfer, death and leaving in the month, and the deaths' notes."""
    end = month_end(sm.month)
    for record in (*sm.transfers, *sm.deaths, *sm.leavers):
        record["on"] = end.replace(day=crng.randint(1, end.day))
    for record in sm.deaths:
        record["note"] = crng.choice(STORY["death_notes"])


def _refusal(story: StoryPlan, seed: int, waiting: set[tuple], policy) -> tuple[tuple, str] | None:
    """The one refusal: a person flagged for transfer in the base month, on the forms of the story's first
    months (``story`` holds them) and flagged on each (a bed was free: never in ``no_bed``), who never moved,
    says on the forms from the first story month on that they refuse to move and why (备注). Only notes
    change: no figure of the story. Returns (the person's key, the note), None when nobody fits."""
    months = list(story.values())
    crng = random.Random(f"tekun-story/{seed}/refusal")
    no_bed = {_key(x["township"], x) for sm in months for x in sm.no_bed}
    keys = set(waiting) - no_bed
    for sm in months:
        flat = [(t, p) for t, plist in sm.people.items() for p in plist]
        keys &= {_key(*flat[i]) for i in _flagged(flat, policy)["person"]}
    if not keys:
        return None
    town, village, name = crng.choice(sorted(keys))
    note = f"{REFUSAL_NOTE}，{crng.choice(STORY['refusal_reasons'])}"
    for sm in months:
        p = next(p for p in sm.people[town] if (p["village"], p["name"]) == (village, name))
        p["note"] = "；".join(x for x in (p["note"], note) if x)
        sm.refusals.append({"name": name, "township": town, "village": village, "note": note})
    return (town, village, name), note


def _refusing(sm: StoryMonth, people: dict[str, list[dict]], refusal: tuple[tuple, str] | None) -> frozenset:
    """A month after the first ones: the person who refuses stays on the forms with the note (``people``: the
    month's forms so far, the note added once); returns the keys of those who refuse (empty: nobody)."""
    if refusal is None:
        return frozenset()
    (town, village, name), note = refusal
    p = next((p for p in people[town] if (p["village"], p["name"]) == (village, name)), None)
    if p is None:
        return frozenset()
    if note not in (p["note"] or ""):
        p["note"] = "；".join(x for x in (p["note"], note) if x)
    sm.refusals.append({"name": name, "township": town, "village": village, "note": note})
    return frozenset({(town, village, name)})


def _lagging(homes: list[dict], policy) -> list[str]:
    """The homes left below target to the end of the story: the ``STORY["homes_left_below"]`` furthest below."""
    short = [(policy.needed_residents(h["beds"]) - h["residents"], -j, h["home"])
             for j, h in enumerate(homes) if h["residents"] < policy.needed_residents(h["beds"])]
    return [name for _, _, name in sorted(short, reverse=True)[:STORY["homes_left_below"]]]


def _admissions(sm: StoryMonth, rng: random.Random, policy, base_residents: dict[str, int], lagging: list[str],
                k: int, n_months: int) -> None:
    """Step 5: other elderly people admitted (the plan lets homes take them), so that every home but the
    lagging ones closes ``STORY["reach_share"]`` of its gap by each month and reaches the target by the last."""
    for h in sm.homes:
        needed = policy.needed_residents(h["beds"])
        gap0 = needed - base_residents[h["home"]]
        if h["home"] in lagging:
            goal = min(needed - 1, base_residents[h["home"]] + round(gap0 * STORY["lag_share"][k]))
        elif gap0 > 0 and k < n_months - 1:
            goal = base_residents[h["home"]] + math.ceil(gap0 * STORY["reach_share"][k])
        elif gap0 > 0:
            goal = needed + (1 if rng.random() < STORY["extra_admission"] else 0)
        else:
            goal = h["residents"] + (1 if rng.random() < STORY["extra_admission"] else 0)
        extra = max(0, min(goal, h["beds"]) - h["residents"])
        h["residents"] += extra
        sm.admissions[h["home"]] = extra


def _admissions_later(sm: StoryMonth, rng: random.Random, policy, base_residents: dict[str, int],
                      lagging: list[str], k: int) -> None:
    """Step 5 after the first two months: the lagging homes close ``LATER["lag_steps"]`` more of their base-month
    gap each month (the first of them never reaching the target), the others take one more person now and
    then; a home above target loses a resident (died) now and then."""
    for h in sm.homes:
        needed = policy.needed_residents(h["beds"])
        base = base_residents[h["home"]]
        if h["home"] in lagging:
            j = lagging.index(h["home"])
            share = STORY["lag_share"][-1] + LATER["lag_steps"][min(j, 1)] * (k - FIRST_MONTHS + 1)
            goal = base + round((needed - base) * share)
            if j == 0:
                goal = min(needed - 1, goal)
        else:
            goal = h["residents"] + (1 if rng.random() < LATER["extra_admission"] else 0)
        extra = max(0, min(goal, h["beds"]) - h["residents"])
        h["residents"] += extra
        sm.admissions[h["home"]] = extra
        if h["home"] not in lagging and h["residents"] > needed and rng.random() < LATER["home_deaths"]:
            h["residents"] -= 1
            sm.home_deaths[h["home"]] = 1


def _staff_and_notes(sm: StoryMonth, staff_base: dict[str, int]) -> None:
    """Step 6: one more staff member for every ``STORY["staff_step"]`` new residents, and the notes the
    homes would write on 附件2 (who came, staff added)."""
    moved = sm.transfers_by_home()
    for h in sm.homes:
        parts = []
        came = moved[h["home"]] + sm.admissions[h["home"]]
        if came:
            n_moved = moved[h["home"]]
            detail = ("（均为分散供养特困人员转入）" if n_moved == came
                      else f"（其中分散供养特困人员转入{n_moved}人）" if n_moved else "")
            parts.append(f"本月新入住{came}人{detail}")
        if sm.home_deaths.get(h["home"]):
            parts.append(f"入住老人病故{sm.home_deaths[h['home']]}人")
        if h["residents"] - staff_base[h["home"]] >= STORY["staff_step"]:
            h["staff"] += 1
            staff_base[h["home"]] = h["residents"]
            sm.staff_added.append(h["home"])
            parts.append("新增工作人员1人")
        h["note"] = "，".join(parts)


def _township_rows(sm: StoryMonth, people: dict[str, list[dict]], order: list[str]) -> None:
    """The month's 附件1 rows: the counts of the forms' people, and the notes the townships would write."""
    for town in order:
        plist = people[town]
        parts = []
        for label, items in (("转入敬老院集中供养", sm.transfers), ("新纳入", sm.applicants), ("死亡", sm.deaths),
                             ("退出特困供养", sm.leavers)):
            n = sum(1 for x in items if x["township"] == town)
            if n:
                parts.append(f"{label}{n}人")
        sm.townships.append({"township": town, "dispersed": len(plist),
                             "fully_disabled": sum(1 for p in plist if p["self_care"] == FULL),
                             "semi_disabled": sum(1 for p in plist if p["self_care"] == SEMI),
                             "note": "，".join(parts)})


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


def change_rows(sm: StoryMonth, previous: IdentityMonth) -> list[dict]:
    """The month's 减少情况表 rows (keyed like schema.CHANGES): everyone who left the forms since the month
    before (moved into a home, died, left support), in township order, then by day. The identity number is
    the person's own (``previous``: last month's IdentityMonth), as the township's records have it, even
    where last month's form left it out or had it wrong."""
    moved, died, left = VOCABULARIES["change"].labels[:3]
    records = ([(moved, t) for t in sm.transfers] + [(died, d) for d in sm.deaths] + [(left, x) for x in sm.leavers])
    order = {t: n for n, t in enumerate(sm.people)}
    records.sort(key=lambda r: (order[r[1]["township"]], r[1]["on"]))
    rows = []
    for change, r in records:
        key = (r["township"], r["village"], r["name"])
        rows.append({"township": r["township"], "village": r["village"], "name": r["name"], "sex": r["sex"],
                     "id_number": previous.numbers.get(key), "change": change, "home": r.get("home"),
                     "changed_on": r["on"], "note": r.get("note")})
    return rows


def write_story_changes(sm: StoryMonth, previous: IdentityMonth, folder: Path, policy=None) -> Path:
    """Write the month's 分散供养特困人员减少情况表 (:func:`change_rows`) into ``folder``, marked as sample data."""
    return write_changes_form(folder / changes_filename(sm.month), sm.month, change_rows(sm, previous),
                              townships=list(sm.people), homes=[h["home"] for h in sm.homes], sample=True,
                              policy=policy)


def write_story_forms(sm: StoryMonth, ids: IdentityMonth, out: Path, policy=None) -> list[Path]:
    """Write the month's 附件3 forms, one per township, with the three added columns of ``ids``, into ``out``
    (``policy``: its county's words are in the forms' titles and notes)."""
    return [write_assessment_form(out / form_filename(town, sm.month), town, sm.month, ids.rows(town, plist),
                                  sample=True, policy=policy)
            for town, plist in sm.people.items()]


def story_identities(story: dict[str, StoryMonth], data_dir: str | os.PathLike | None = None, *,
                     base_month: str | None = None, policy=None) -> dict[str, IdentityMonth]:
    """The three added columns of the story months, month by month from ``base_month``'s forms.

    The base month's columns are made again from its people (as :func:`tekun_helpers.sample.assessments.generate_sample`
    made them), so a
    person keeps the number and illness of the base month; the story's newly approved people are the
    month's new applicants. Returns month -> IdentityMonth for the base month and every story month.
    """
    base_month = base_month or getattr(story, "base_month", None) or first_month(data_dir)
    if getattr(story, "base_month", None) == base_month:
        base_people = story.base_people
    else:
        m = load_month(base_month, data_dir)
        policy = policy or m.policy
        base_people = people_of_month(m)
    if policy is None:
        policy = load_policy(data_dir=data_dir)
    out = {base_month: plan_identities(base_month, base_people, policy)}
    previous = out[base_month]
    for month, sm in story.items():
        applicants = {(a["township"], a["village"], a["name"]) for a in sm.applicants}
        rows = {t: [{k: p.get(k) for k in PERSON_KEYS} for p in plist] for t, plist in sm.people.items()}
        previous = out[month] = plan_identities(month, rows, policy, previous, applicants)
    return out


def story_months(base_month: str, until: str | None = None) -> list[str]:
    """The months the month story makes up after ``base_month``, up to ``until`` and at least the first two
    (2023-09 and 2023-10 after 2023-08)."""
    months = [next_month(base_month)]
    while len(months) < FIRST_MONTHS or (until is not None and months[-1] < until):
        months.append(next_month(months[-1]))
    return months


