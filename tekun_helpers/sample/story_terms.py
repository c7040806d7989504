"""The month story's terms (示例数据): its proportions (:data:`STORY` for the first two months after the base
month, :data:`LATER` after them), its notes, and the records it makes (:class:`StoryMonth` a month,
:class:`StoryPlan` the months, :class:`StoryFiles` the files written). See :mod:`tekun_helpers.sample.story`."""
from __future__ import annotations

from dataclasses import dataclass, field

from .identities import IdentityMonth
from .people import FULL, SELF, SEMI


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
