"""The month story's steps (示例数据): one function a step of a month (transfers, deaths, people who stay and
improve, new applicants, who else leaves, the days, the refusal, admissions, staff and notes, 附件1 rows), run in
that order by :func:`tekun_helpers.sample.story.plan_month_story`; each takes the month's random stream."""
from __future__ import annotations

import math
import random

import pandas as pd

from ..analysis.rules import decide
from ..core.exceptions import ValidationFailed
from ..core.months import month_end
from ..month import load_month
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
    SEMI,
    YES,
    generate_people,
    make_name,
    overall_result,
    pastoral,
)
from .rows import person_from_row, plain
from .story_terms import FIRST_MONTHS, LATER, NEW_NOTE, REFUSAL_NOTE, STORY, StoryMonth, StoryPlan, _at


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
