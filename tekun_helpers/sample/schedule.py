"""The plan's schedule ledgers as sample data: 乡镇工作进度台账 and 敬老院工作人员台账 (示例数据).

A story of the ledgers from the first bundled month on (:func:`plan_schedule_story`), told relative
to the plan's due dates (policy.toml [schedule.*]) and to each month's 附件1 and 附件2: every township
gets the day its supervision group is formed, its 考评方案 adopted and its agreements filed (some
late, one never), and each month's ledger shows what had happened by the month's last day, so that
a date filled in one month stays in the later months. Every nursing-home staff member gets a way of
accumulating training hours that never goes down. The numbers are the story's, not the plan's.
:func:`write_schedule_samples` writes a month's two ledgers.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import random
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..config.policy import load_policy
from ..config.reference import load_reference
from ..config.schema import VOCABULARIES
from ..core.exceptions import ValidationFailed
from ..core.months import check_month, month_end, next_month
from ..core.paths import data_dir as _data_dir
from ..forms.schedule import (
    progress_filename,
    schedule_duties,
    staff_filename,
    write_progress_form,
    write_staff_form,
)
from ..month import load_month
from .people import FEMALE, MALE, make_name, pastoral
from .start import first_month, month_folders

SCHEDULE_SEED = 20230915
SCHEDULE_STORY = {
    "early_groups": 5,              # townships whose group is formed in the second half of the month before
    "late_group_days": (3, 10),     # days after the due date the late groups are formed (09-18, 09-25)
    "after_group_days": 27,         # one of the two without a group in the due month: formed that many days late
    "scheme_after_group": (0, 5),   # days between forming the group and adopting the 考评方案
    "signed_share_before": (0.3, 0.6),  # share of the agreements signed in the months before the due month
    "filed_days_before_due": (3, 18),   # complete townships file this many days before the due date
    "late_filing_days": (9, 16),    # the two townships that finish after the due date: days late
    "part_time_heads": 3,           # homes whose head is 兼职 (a township official)
    "behind_care_workers": 3,       # care workers below the pro-rata training hours, besides the boundary-1 one
    "other_share": 0.25,            # share of the staff besides the head who are not care workers (其他)
    "part_time_care": 0.08,         # chance a care worker is 兼职
    "nursing_bed_share": (0.2, 0.5),
    "other_residents": (0, 3),      # social (non-特困) residents of a home in the first month; at most 5 later
    "other_residents_max": 5,
}
#: the jobs of the staff who are not care workers (其他), and whether the job is part-time
_OTHER_JOBS = (("厨师", False), ("炊事员", False), ("保洁", False), ("门卫", False), ("司机", False), ("会计", True))
_CARE_NOTES_PART_TIME = "本村村民，兼职护理"
_HEAD_NOTE_PART_TIME = "由乡镇干部兼任"
_NEW_STAFF_NOTE = "本月新聘护理人员"
_ROLE_HEAD, _ROLE_CARE, _ROLE_OTHER = VOCABULARIES["role"].labels
_FULL_TIME, _PART_TIME = VOCABULARIES["employment"].labels


@dataclass
class ScheduleMonth:
    """One month of the schedule story: the rows of the two ledgers and who is where in the story.

    progress:   乡镇工作进度台账 rows (township, group_formed, scheme_adopted, agreements_signed,
                agreements_filed, filed_on, note), township order.
    staff:      敬老院工作人员台账 rows (home, staff_name, role, employment, hired_on, training_hours, note).
    care:       护理型床位与入住构成 rows (home, nursing_beds, residents_tekun, residents_other, note).
    roles:      the story's parts: 'late_groups', 'missing_groups' (no group in the due month; the first is
                formed the month after), 'scheme_missing', 'group_on_due', 'early_groups', 'agreements_late'
                (signing incomplete, filing incomplete), 'filed_2_days_before_due', 'filed_on_due',
                'part_time_heads', 'boundary' (care worker exactly at the pro-rata hours), 'boundary_minus_1',
                'behind' (care workers below), 'hired_this_year' (care worker hired in the year, pro-rated),
                'training_people' (those care workers' names -> their home).
    """

    month: str
    progress: list[dict]
    staff: list[dict]
    care: list[dict]
    roles: dict = field(default_factory=dict)


def _pro_rata(hours_per_year: int, months: int) -> int:
    """The hours due after ``months`` months of a year, rounded up to a whole class hour."""
    return math.ceil(Fraction(hours_per_year * max(0, months), 12))


def _staff_hours(p: dict, month: str, hours_per_year: int) -> int:
    """A staff member's training hours of the calendar year up to the end of ``month``; never decreasing."""
    year, mon = (int(x) for x in month.split("-"))
    hired = p.get("hired_on")
    start = hired.month if hired is not None and hired.year == year else 1
    worked = mon - start + 1
    due = _pro_rata(hours_per_year, worked)
    kind = p["_kind"]
    if kind == "boundary":
        return due
    if kind == "boundary_minus_1":
        return max(0, due - 1)
    if kind == "behind":
        return max(0, due - p["_deficit"] - p["_slip"] * max(0, mon - p["_from"]))
    if kind == "other":
        return math.floor(due * p["_share"])
    return due + p["_surplus"] + 2 * math.floor(worked * p["_extra"])


def _month_ok(month: str, data_dir):
    """load_month for the story: only the month's 附件1 and 附件2 have to be right (else ValidationFailed)."""
    m = load_month(month, data_dir)
    sheets = {(t.file, t.sheet) for t in m.tables if t.table.key in ("townships", "homes")}
    errors = [i for i in m.errors if (i.file, i.sheet) in sheets or not i.file]
    if errors or m.townships.empty or m.homes.empty:
        lines = "\n".join(f"- {i.message}" for i in errors[:10])
        raise ValidationFailed(f"{month} 的附件1或附件2缺失或有错误，无法按其人数生成工作台账示例数据，请先改正：\n{lines}".rstrip("：\n"),
                               m.issues)
    return m


@dataclass
class _Townships:
    """The townships' days and parts in the story, drawn once, independent of the months."""

    group_due: dt.date
    scheme_due: dt.date
    agreement_due: dt.date
    group_day: dict[str, dt.date | None]
    scheme_day: dict[str, dt.date | None]
    filed_day: dict[str, dt.date]
    signed_share: dict[str, float]
    gaps: dict[str, tuple[int, int]]     # the two late townships: (agreements not signed, signed not filed)
    late: list[str]
    scheme_missing: str
    roles: dict


def _due_dates(policy) -> tuple[dt.date, dt.date, dt.date]:
    """(group formed, 考评方案 adopted, agreements filed) due dates of policy.toml [schedule.*]."""
    dues = {d.field: d.due for d in schedule_duties(policy)}
    missing_due = [f for f in ("group_formed", "filed_on") if f not in dues]
    if missing_due:
        raise ValidationFailed("政策文件的 [schedule.*] 中缺少领导小组成立或协议书备案的完成期限（due），无法生成工作台账示例数据。", [])
    group_due, agreement_due = dues["group_formed"], dues["filed_on"]
    return group_due, dues.get("scheme_adopted", group_due), agreement_due


def _township_days(rng: random.Random, towns: list[str], policy) -> _Townships:
    """Each township's part and the days of its group, 考评方案 and agreements (see :func:`plan_schedule_story`)."""
    st = SCHEDULE_STORY
    group_due, scheme_due, agreement_due = _due_dates(policy)
    # a county with few townships leaves the later parts out (None): the draws stay those of a larger county
    order = rng.sample(towns, len(towns)) + [None] * 6
    late, missing, scheme_missing, on_due = [t for t in order[0:2] if t], order[2:4], order[4], order[5]
    early = [t for t in order[6:6 + st["early_groups"]] if t]
    group_day: dict[str, dt.date | None] = {}
    scheme_day: dict[str, dt.date | None] = {}
    lo, hi = st["scheme_after_group"]
    for t in towns:
        if t in late:
            g = group_due + dt.timedelta(days=st["late_group_days"][late.index(t)])
        elif t == missing[0]:
            g = group_due + dt.timedelta(days=st["after_group_days"])
        elif t == missing[1]:
            g = None
        elif t == on_due:
            g = group_due
        elif t in early:
            g = group_due.replace(day=1) - dt.timedelta(days=rng.randint(1, 11))
        else:
            g = group_due - dt.timedelta(days=rng.randint(1, 14))
        group_day[t] = g
        if g is None or t == scheme_missing:
            scheme_day[t] = None
        elif t == on_due:
            scheme_day[t] = g
        else:
            s = g + dt.timedelta(days=rng.randint(lo, hi))
            scheme_day[t] = min(s, max(scheme_due, g)) if g <= group_due else s
    agreement_order = rng.sample(towns, len(towns)) + [None] * 4
    late_signing, late_filing, filed_two_before, filed_on_due = agreement_order[:4]
    filed_day: dict[str, dt.date] = {}
    for t in towns:
        if t == late_signing:
            filed_day[t] = agreement_due + dt.timedelta(days=st["late_filing_days"][1])
        elif t == late_filing:
            filed_day[t] = agreement_due + dt.timedelta(days=st["late_filing_days"][0])
        elif t == filed_two_before:
            filed_day[t] = agreement_due - dt.timedelta(days=2)
        elif t == filed_on_due:
            filed_day[t] = agreement_due
        else:
            filed_day[t] = agreement_due - dt.timedelta(days=rng.randint(*st["filed_days_before_due"]))
    signed_share = {t: rng.uniform(*st["signed_share_before"]) for t in towns}
    gaps = {late_signing: (rng.randint(4, 9), rng.randint(8, 15)), late_filing: (0, rng.randint(5, 10))}
    gaps.pop(None, None)
    roles = {"late_groups": late, "missing_groups": [t for t in missing if t], "scheme_missing": scheme_missing,
             "group_on_due": on_due, "early_groups": early,
             "agreements_late": [t for t in (late_signing, late_filing) if t],
             "filed_2_days_before_due": filed_two_before, "filed_on_due": filed_on_due}
    return _Townships(group_due, scheme_due, agreement_due, group_day, scheme_day, filed_day, signed_share, gaps,
                      late, scheme_missing, roles)


def _progress_rows(tw: _Townships, dispersed: dict[str, int], end: dt.date, county) -> list[dict]:
    """The township ledger as of ``end`` (the month's last day): what had happened by then, with the notes
    a township would write (in ``county``'s words). ``dispersed``: township -> the month's 分散供养人数 (one
    agreement each)."""
    progress = []
    for t in tw.group_day:
        n = dispersed.get(t, 0)
        g = tw.group_day[t] if tw.group_day[t] is not None and tw.group_day[t] <= end else None
        s = tw.scheme_day[t] if tw.scheme_day[t] is not None and tw.scheme_day[t] <= end else None
        notes = []
        if g is None and end >= tw.group_due:
            notes.append("领导小组成员待乡镇党委会研究确定，尚未成立")
        elif g is not None and g > tw.group_due and g.year == end.year and g.month == end.month:
            notes.append("乡镇班子调整，领导小组延后成立" if t in tw.late
                         else f"经乡镇党委会研究，领导小组于{g.month}月{g.day}日成立")
        if g is not None and s is None and t == tw.scheme_missing and end >= tw.scheme_due:
            notes.append("考评方案正在征求司法、公安意见，尚未印发")
        f = tw.filed_day[t]
        if f <= end:
            signed = filed = n
            filed_on = f
            if f > tw.agreement_due and f.year == end.year and f.month == end.month:
                notes.append(f"协议书于{f.month}月{f.day}日全部签订并补报备案")
        elif end < tw.agreement_due:
            signed, filed, filed_on = round(n * tw.signed_share[t]), 0, None
        else:
            gap_signed, gap_filed = tw.gaps[t]
            signed = max(0, n - gap_signed)
            filed = max(0, signed - gap_filed)
            filed_on = None
            notes.append("部分监护人外出务工，协议书尚未签齐" if gap_signed
                         else f"协议书已签齐，正在整理报{county.bureau_short}备案")
        progress.append({"township": t, "group_formed": g, "scheme_adopted": s, "agreements_signed": signed,
                         "agreements_filed": filed, "filed_on": filed_on, "note": "；".join(notes)})
    return progress


def _first_staff(roster: list[dict], h: str, want: int, mrng: random.Random, used: set[str], part_time: bool,
                 herding_county: bool, year: int) -> None:
    """The first month's staff of home ``h``: a made-up head and ``want - 1`` others, added to ``roster``
    (those with a known 到岗日期 hired in the 13 years before ``year``, the first month's)."""
    st = SCHEDULE_STORY
    # a made-up head as well: the sample must not attach made-up facts (兼职, hours) to the real
    # officials named in 附件2; its own RNG keeps the rest of the story unchanged
    head = make_name(random.Random(f"head:{h}"), MALE, used)
    roster.append({"home": h, "staff_name": head, "role": _ROLE_HEAD,
                   "employment": _PART_TIME if part_time else _FULL_TIME, "hired_on": None,
                   "note": _HEAD_NOTE_PART_TIME if part_time else "", "_kind": "ahead",
                   "_surplus": mrng.randint(0, 8), "_extra": mrng.uniform(0, 0.5), "_left": False})
    n_other = 0 if want <= 3 else max(1, round((want - 1) * st["other_share"]))
    for j in range(max(0, want - 1)):
        is_other = j >= want - 1 - n_other
        sex = FEMALE if mrng.random() < (0.4 if is_other else 0.75) else MALE
        p = {"home": h, "staff_name": make_name(mrng, sex, used, mongol=mrng.random() < 0.1 and herding_county),
             "hired_on": None, "_left": False}
        if mrng.random() < 0.55:
            p["hired_on"] = dt.date(mrng.randint(year - 13, year - 1), mrng.randint(1, 12), mrng.randint(1, 28))
        if is_other:
            job, part = mrng.choice(_OTHER_JOBS)
            p.update(role=_ROLE_OTHER, employment=_PART_TIME if part else _FULL_TIME,
                     note=f"{job}（兼）" if part else job,
                     _kind="other", _share=mrng.uniform(0.5, 0.9))
        else:
            part = mrng.random() < st["part_time_care"]
            p.update(role=_ROLE_CARE, employment=_PART_TIME if part else _FULL_TIME,
                     note=_CARE_NOTES_PART_TIME if part else "", _kind="ahead",
                     _surplus=mrng.randint(0, 10), _extra=mrng.uniform(0, 0.5))
        roster.append(p)


def _follow_staff(roster: list[dict], h: str, want: int, mrng: random.Random, used: set[str], end: dt.date) -> None:
    """A later month's staff of home ``h``: new care workers hired or the last ones taken on leaving,
    so that ``want`` are on the roster; the note 本月新聘护理人员 only in the month of arrival."""
    current = [p for p in roster if p["home"] == h and not p["_left"]]
    for p in current:  # a note about being new is for the month of arrival only
        if p["note"] == _NEW_STAFF_NOTE:
            p["note"] = ""
    if want > len(current):
        for _ in range(want - len(current)):
            sex = FEMALE if mrng.random() < 0.75 else MALE
            roster.append({"home": h, "staff_name": make_name(mrng, sex, used), "role": _ROLE_CARE,
                           "employment": _FULL_TIME, "note": _NEW_STAFF_NOTE, "_left": False,
                           "hired_on": dt.date(end.year, end.month, mrng.randint(1, 20)), "_kind": "ahead",
                           "_surplus": mrng.randint(0, 4), "_extra": 0.0})
    elif want < len(current):
        leaving = [p for p in current if p["role"] != _ROLE_HEAD and p["_kind"] in ("ahead", "other")]
        for p in leaving[len(leaving) - (len(current) - want):]:
            p["_left"] = True


def _training_cases(roster: list[dict], mrng: random.Random, month: str) -> dict:
    """The care workers the training checks are about, in different homes: one exactly at the pro-rata
    hours, one an hour below, one hired this year, a few further below. Returns their roles."""
    st = SCHEDULE_STORY
    care = [p for p in roster if p["role"] == _ROLE_CARE and p["employment"] == _FULL_TIME]
    picked: list[dict] = []
    for p in mrng.sample(care, len(care)):
        if all(p["home"] != q["home"] for q in picked):
            picked.append(p)
        if len(picked) == 3 + st["behind_care_workers"]:
            break
    picked += [None] * (3 - len(picked))        # a county with fewer homes leaves the later cases out
    boundary, minus_one, hired, *behind = picked
    year, month_no = int(month[:4]), int(month[5:])
    cases = {"boundary": boundary, "boundary_minus_1": minus_one, "hired_this_year": hired}
    for kind, p in cases.items():
        if p is None:
            continue
        if kind == "hired_this_year":       # hired in July (before the first month when that is July or earlier)
            p.update(hired_on=dt.date(year, max(1, min(7, month_no - 1)), 1), _surplus=2, _extra=0.0)
        else:
            p.update(_kind=kind, hired_on=None)
    for p in behind:
        p.update(_kind="behind", hired_on=None, _deficit=mrng.randint(3, 8), _slip=mrng.randint(0, 1),
                 _from=month_no)
    roles = {kind: p["staff_name"] for kind, p in cases.items() if p is not None}
    people = [p for p in (boundary, minus_one, hired, *behind) if p is not None]
    return dict(roles, behind=[p["staff_name"] for p in behind],
                training_people={p["staff_name"]: p["home"] for p in people})


def _staff_rows(roster: list[dict], homes: list[str], month: str, hours_per_year: int) -> list[dict]:
    """The staff ledger's rows: home by home, head first, then care workers, then the others."""
    rank = {_ROLE_HEAD: 0, _ROLE_CARE: 1, _ROLE_OTHER: 2}
    staff = []
    for h in homes:
        members = sorted((p for p in roster if p["home"] == h and not p["_left"]), key=lambda p: rank[p["role"]])
        for p in members:
            staff.append({"home": h, "staff_name": p["staff_name"], "role": p["role"],
                          "employment": p["employment"], "hired_on": p["hired_on"],
                          "training_hours": _staff_hours(p, month, hours_per_year), "note": p["note"]})
    return staff


def _care_rows(m, mrng: random.Random, other_residents: dict[str, int], bed_share: dict[str, float]) -> list[dict]:
    """护理型床位与入住构成 rows: nursing beds, and 附件2's residents split into 特困人员 and a few social
    residents (``other_residents`` carries each home's count from month to month)."""
    st = SCHEDULE_STORY
    care_rows = []
    for r in m.homes.to_dict("records"):
        h, beds, residents = r["home"], int(r["beds"]), int(r["residents"])
        if h not in other_residents:
            other_residents[h] = mrng.randint(*st["other_residents"])
        elif mrng.random() < 0.35:
            other_residents[h] = min(st["other_residents_max"], other_residents[h] + 1)
        other = min(other_residents[h], residents)
        care_rows.append({"home": h, "nursing_beds": min(beds, round(beds * bed_share[h])),
                          "residents_tekun": residents - other, "residents_other": other, "note": ""})
    return care_rows


def plan_schedule_story(data_dir: str | os.PathLike | None = None, seed: int = SCHEDULE_SEED, *,
                        until: str | None = None, first: str | None = None) -> dict[str, ScheduleMonth]:
    """Make up the two ledgers for every month from ``first`` to ``until`` without writing anything.

    ``first`` defaults to the data folder's first month (:func:`tekun_helpers.sample.start.first_month`;
    the bundled data's 2023-08), ``until`` to its last.

    Dates are told relative to policy.toml: [schedule.supervision_group].due (领导小组 and 考评方案)
    and [schedule.agreement].due (监管监护协议书). In the months before the due month about five
    townships have formed their group (late in the month) and 30-60% of the agreements are signed, none
    filed. By the due month most townships formed their group on time (one exactly on the due day),
    two late (3 and 10 days), two not at all (one forms it the next month, one never); in one township
    the 考评方案 is never adopted although the group exists. Agreements: one per person in dispersed
    care (that month's 附件1 分散供养人数); all but two townships have signed and filed them all by the
    due day (one two days before it, one on the day); the two finish the month after. The staff
    roster has exactly 附件2's 工作人员人数 per home: a made-up head (兼职 in three
    homes), care workers (护理人员) and a few 其他; training hours accumulate from January (or the hire
    month) and never go down: one care worker sits exactly at the pro-rata hours, one an hour below,
    three further below, one was hired this year. The care table splits 附件2's residents into
    特困人员 and a few (0-5) social residents.
    Returns month -> :class:`ScheduleMonth`; the months up to any month are the same whatever
    ``until`` is. Deterministic for a given seed and data.
    Raises ValidationFailed when a month's 附件1 or 附件2 is missing or has errors, or policy.toml has
    no due date for the group or the agreements; ValueError for ``until`` before ``first``.
    """
    until = until or (month_folders(data_dir) or [first])[-1]
    first = first or first_month(data_dir, until)
    if until < first:
        raise ValueError(f"工作台账示例数据从 {first} 开始，不能生成 {until}。")
    months = [first]
    while months[-1] < until:
        months.append(next_month(months[-1]))
    policy = load_policy(data_dir=data_dir) if data_dir is not None else load_policy()
    ref = load_reference(data_dir)
    st = SCHEDULE_STORY

    rng = random.Random(f"tekun-schedule/{seed}/townships")
    tw = _township_days(rng, ref.township_names, policy)
    # the homes' heads, the care table's fixed parts
    homes = ref.home_names
    part_time_heads = sorted(rng.sample(homes[1:], min(st["part_time_heads"], len(homes[1:]))), key=homes.index)
    bed_share = {h: rng.uniform(*st["nursing_bed_share"]) for h in homes}
    other_residents: dict[str, int] = {}
    roles = {**tw.roles, "part_time_heads": part_time_heads}

    used: set[str] = {h.head for h in ref.homes if h.head}
    roster: list[dict] = []          # everyone ever on the staff, in the order taken on
    story: dict[str, ScheduleMonth] = {}
    for k, month in enumerate(months):
        m = _month_ok(month, data_dir)
        end = month_end(month)
        mrng = random.Random(f"tekun-schedule/{seed}/{month}")
        if m.has_assessments:
            used.update(n for n in m.assessments["name"] if n)
            used.update(n for n in m.assessments["guardian_name"] if n)
        progress = _progress_rows(tw, {r["township"]: int(r["dispersed"]) for r in m.townships.to_dict("records")},
                                  end, policy.county)
        # the staff roster: exactly 附件2's count per home
        stated = {r["home"]: int(r["staff"]) for r in m.homes.to_dict("records")}
        for h in homes:
            if k == 0:
                _first_staff(roster, h, stated.get(h, 0), mrng, used, h in part_time_heads, pastoral(ref.township_names),
                             end.year)
            else:
                _follow_staff(roster, h, stated.get(h, 0), mrng, used, end)
        if k == 0:
            roles.update(_training_cases(roster, mrng, month))
        staff = _staff_rows(roster, homes, month, policy.training_hours)
        care_rows = _care_rows(m, mrng, other_residents, bed_share)
        story[month] = ScheduleMonth(month, progress, staff, care_rows, dict(roles))
    return story


def schedule_filenames(month: str) -> tuple[str, str]:
    """('乡镇工作进度台账 <month>.xlsx', '敬老院工作人员台账 <month>.xlsx')."""
    return progress_filename(month), staff_filename(month)


def write_schedule_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int = SCHEDULE_SEED, *,
                           out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample 乡镇工作进度台账 and 敬老院工作人员台账 (示例数据).

    month:    'YYYY-MM', the data folder's first month or later; every month from the first to it needs its
              附件1 and 附件2.
    data_dir: the data folder holding reference/ and the months (default: the project's data/).
    seed:     the random seed; the same seed and data give the same files, byte for byte.
    out_dir:  where to write (default: <data_dir>/<month>/).
    The files are written through :func:`tekun_helpers.forms.schedule.write_progress_form` and
    :func:`~tekun_helpers.forms.schedule.write_staff_form` and marked as
    sample data like the other sample files (document keywords ``tekun-sample``, subject 示例数据,
    the red 示例数据 cell in row 2 of every sheet). See :func:`plan_schedule_story` for the story.
    Returns [乡镇工作进度台账 <month>.xlsx, 敬老院工作人员台账 <month>.xlsx].
    """
    check_month(month)
    base = _data_dir(data_dir)
    sm = plan_schedule_story(base, seed, until=month)[month]
    policy = load_policy(data_dir=base)
    out = Path(out_dir) if out_dir is not None else base / month
    name1, name2 = schedule_filenames(month)
    homes = [r["home"] for r in sm.care]
    return [write_progress_form(out / name1, month, rows=sm.progress, sample=True, policy=policy),
            write_staff_form(out / name2, month, homes, sm.staff, sm.care, sample=True, policy=policy)]

