"""The month story's files (示例数据): the 减少情况表 rows (:func:`change_rows`), the forms and their three added
columns month by month (:func:`story_identities`), and the months told (:func:`story_months`)."""
from __future__ import annotations

import os
from pathlib import Path

from ..config.policy import load_policy
from ..core.months import next_month
from ..config.schema import VOCABULARIES
from ..forms.assessment import form_filename, write_assessment_form
from ..forms.changes import changes_filename, write_changes_form
from ..month import load_month
from .identities import IdentityMonth, plan_identities
from .people import PERSON_KEYS
from .rows import people_of_month
from .start import first_month
from .story_terms import FIRST_MONTHS, StoryMonth


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
