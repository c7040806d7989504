"""本月问题与措施: every class of problem found this month, one line each, with whom to call and by when.

:func:`actions` turns a briefing's computed tables into :class:`Action` lines for its scope
(the banner, or one township and the homes serving it): occupancy, transfers and capacity,
escalations, money, excluded benefits, staffing and training, late duties, earlier findings
still open, data problems. Each line holds the count, the responsible townships or homes
(in the official order) and the due date from the policy; none is written here.
``b`` is a :class:`~tekun_helpers.report.briefing.Briefing`.
"""
from __future__ import annotations

from dataclasses import dataclass
import pandas as pd

from ..analysis import progress
from ..analysis import findings as fd
from ..config.policy import day_label
from ..core.fmt import thousands
from ..core.months import month_end
from ..core.frames import rows_of
from . import sections

#: at most this many names in one line; the rest are counted
SHOWN_NAMES = 4


@dataclass(frozen=True)
class Action:
    """One line of 本月问题与措施."""

    kind: str        # 入住率, 集中供养, 移交处理, 资金, 待遇衔接, 人员培训, 工作进度, 考核评价 (定期), 举报办理, 逾期问题, 数据
    finding: str     # what was found, with its count
    who: str         # the townships or homes that must act
    due: str         # by when (the plan's date, or the bureau's)


def _names(names, limit: int = SHOWN_NAMES) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等 {len(names)} 个"


def _occupancy(b) -> list[Action]:
    occ = b.policy.occupancy
    homes = b.own_homes()
    below = homes[~homes["at_target"].astype(bool)].sort_values("missing", ascending=False, kind="stable")
    if not len(below):
        return []
    return [Action("入住率", f"{len(below)} 所敬老院入住率未达 {occ.percent}，共差 {thousands(below['missing'].sum())} 人",
                   _names(below["home"]), due_words([occ.deadline], b.month))]


def deadline_label(day, month: str) -> str:
    """'10月31日', or '2023年10月31日' when the day is not in the report month's year or has passed by the month's
    end (a reader of a later month must not take it for this year's)."""
    passed = day < month_end(month)
    return f"{day.year}年{day_label(day)}" if passed or day.year != int(month[:4]) else day_label(day)


def due_words(dues, month: str) -> str:
    """By when: '9月30日前、2024年1月15日前' for the days still ahead (each once, earliest first; more than two:
    the first and the last), '2023年9月30日（已过）' for those passed by the month's end (more than one: the
    first and the last, '2023年9月30日至2023年12月15日（已过）'); the year said when the day is not in the report
    month's year or has passed."""
    days = sorted({d for d in dues if d is not None and not pd.isna(d)})
    end = month_end(month)
    past, ahead = [d for d in days if d < end], [d for d in days if d >= end]
    out = []
    if past:
        span = deadline_label(past[0], month) + (f"至{deadline_label(past[-1], month)}" if len(past) > 1 else "")
        out.append(f"{span}（已过）")
    if len(ahead) > 2:
        out.append(f"{deadline_label(ahead[0], month)}至{deadline_label(ahead[-1], month)}前（逐项）")
    else:
        out += [f"{deadline_label(d, month)}前" for d in ahead]
    return "、".join(out)


def _own_dues(b, topics) -> str:
    """The due dates the register gives this month's open findings of ``topics`` in the briefing's scope."""
    from . import followup
    from ..analysis import register as rg

    df = followup.items(b)
    df = df[df["topic"].isin(topics) & df["status"].isin(rg.OPEN_STATUSES)]
    return due_words(df["due"], b.month)


def _transfers(b) -> list[Action]:
    p = b.policy
    transfer = b.scope.rows(b.capacity)
    n = int(transfer["transfer"].sum())
    if not n:
        return []
    short = transfer[transfer["beds_short"] > 0]
    text = f"{thousands(n)} 人应纳入敬老院集中供养（按名单的优先顺序安排）{b.unreported_words()}"
    if len(short):
        text += "；" + "、".join(f"{r['township']} {r['transfer']} 人、承接院空床 {r['free_beds']} 张"
                                for r in rows_of(short.head(3)))
        text += f"等 {len(short)} 个乡镇床位不足" if len(short) > 3 else "，床位不足"
    # each person's own deadline from the register (found after the plan's phase: a later one), else the phase's
    due = _own_dues(b, ("transfer", "placement")) or due_words([p.duty(p.followup.transfer_duty).due], b.month)
    return [Action("集中供养", text, _names(transfer.loc[transfer["transfer"] > 0, "township"]), due)]


def _people(b) -> list[Action]:
    out = []
    people = b.own_people()
    for rule, kind in (("escalate", "移交处理"), ("alert", "就医提醒")):
        d = b.decisions[(b.decisions["rule"] == rule) & b.decisions["person"].isin(people.index)]
        if len(d):
            label = b.policy.rules[rule].label if rule in b.policy.rules else kind
            out.append(Action(kind, f"{len(d)} 人需{label}", _names(d["township"]), "立即"))
    return out


def _money(b) -> list[Action]:
    """The money findings with words of their own on page 1 (:attr:`Kind.action`): unpaid, short, late, and
    each home's forbidden expenses added up."""
    ledger, spending = b.own_money()
    if ledger is None:
        return []
    listed = [f for found in ledger["findings"] for f in found if f.action]
    if spending is not None:
        forbidden: dict[str, list] = {}
        for f in (f for found in spending["findings"] for f in found if f.code == fd.FORBIDDEN_SPENDING.code):
            forbidden.setdefault(f.home, []).append(f)
        listed += [fd.summed(fs) for fs in forbidden.values()]
    if not listed:
        return []
    return [Action("资金", "；".join(f.action for f in listed), b.policy.county.fill("{level}财政、民政部门；") + _names(f.home for f in listed),
                   f"每月{b.policy.funds.allocation_day}日前足额拨付")]


def _benefits(b) -> list[Action]:
    conf = b.own_conflicts()
    if not len(conf):
        return []
    n_conf = int(conf["confirmed"].sum())
    return [Action("待遇衔接", f"{len(conf)} 人次同时享受不能同时享受的待遇（已确认 {n_conf} 人次）",
                   _names(conf["township"]), "停发应停止的待遇")]


def _training(b) -> list[Action]:
    s = b.own_staffing()
    n = int(s["not_trained"].sum())
    pt = s.loc[s["head_part_time"].astype(bool), "home"].tolist()
    parts = ([f"{n} 名护理人员培训课时不足"] if n else []) + ([f"{len(pt)} 所敬老院院长兼职"] if pt else [])
    if not parts:
        return []
    return [Action("人员培训", "，".join(parts), _names([*s.loc[s["not_trained"] > 0, "home"], *pt]),
                   f"全年不少于 {b.policy.training.min_hours_per_year} 课时")]


def _duties(b) -> list[Action]:
    """The duties still overdue, each with its own deadline, and those done late this month (a duty done late
    in an earlier month has left page 1; the 工作进度 section keeps it)."""
    long = b.own_progress()
    first = month_end(b.month).replace(day=1)
    overdue = long[long["status"] == progress.OVERDUE]
    done = long[(long["status"] == progress.LATE) & long["done_on"].map(lambda d: d is not None and not pd.isna(d)
                                                                          and d >= first)]
    if not len(overdue) and not len(done):
        return []
    # each open duty with its own deadline (the year said: it has passed) in the problem; the span in 期限
    shorts = {}
    for r in rows_of(overdue):
        shorts.setdefault(r["short"], r["due"])
    named = "、".join(f"{short}（{deadline_label(due, b.month)}到期）" for short, due in shorts.items())
    parts = ([f"{len(overdue)} 项工作逾期未完成：{named}"] if len(overdue) else []) + (
        [f"{len(done)} 项本月逾期完成"] if len(done) else [])
    return [Action("工作进度", "；".join(parts), _names(pd.concat([overdue["township"], done["township"]])),
                   due_words(overdue["due"], b.month) or "已完成")]


def _unreported(b) -> list[Action]:
    """The townships whose 附件3 form did not come this month (the register's open 未报送表格 findings)."""
    from . import followup

    df = followup.items(b)
    df = df[(df["topic"] == fd.FORMS_MISSING.topic) & (df["closed_in"] == "")]
    if not len(df):
        return []
    return [Action("数据", "；".join(f.action for fs in df["findings"] for f in fs), _names(df["responsible"]),
                   f"{day_label(min(df['due']))}前")]


def _reassess(b) -> list[Action]:
    """The people due for the periodic re-assessment (the register's open 定期考核评价 findings)."""
    from . import followup
    from ..analysis import register as rg

    df = followup.items(b)
    df = df[(df["topic"] == fd.REASSESS_DUE.topic) & df["status"].isin(rg.OPEN_STATUSES)]
    if not len(df):
        return []
    every = b.policy.assessment.reassess_every_months
    return [Action("考核评价", f"{len(df)} 人距最近一次考核评价已满 {every} 个月，应再次逐人考核评价",
                   _names(df["responsible"]), due_words(df["due"], b.month))]


def _complaints(b) -> list[Action]:
    """The cases of the complaints register open past their deadline (the register's open 举报与媒体反映 findings),
    each with its handling unit and days overdue; the case's number and category, never its words (a name)."""
    from . import followup
    from ..analysis import register as rg

    df = followup.items(b)
    df = df[(df["topic"] == fd.COMPLAINT_OPEN.topic) & df["status"].isin(rg.OPEN_STATUSES) & (df["days_overdue"] > 0)]
    if not len(df):
        return []
    df = df.sort_values("days_overdue", ascending=False, kind="stable")
    cases = "；".join(f"{f.action}逾期 {int(days)} 天" for fs, days in zip(df["findings"], df["days_overdue"])
                     for f in fs[:1])
    return [Action("举报办理", f"{len(df)} 件举报、媒体反映的问题逾期未办结：{cases}", _names(df["responsible"]),
                   "立即办结并公布处理结果")]


def _earlier(b) -> list[Action]:
    overdue = _overdue_findings(b)
    if overdue is None or not len(overdue):
        return []
    from . import followup

    # the heaviest classes (:attr:`Kind.weight`: the people to move) named, the rest counted: page 1 has room for a line
    weights = [followup.weight(f) for f in overdue["findings"]]
    top = overdue[[w == max(weights) for w in weights]]
    classes = "、".join(dict.fromkeys(top["kind"])) + f" {len(top)} 项" + (
        f"、其余 {len(overdue) - len(top)} 项" if len(top) < len(overdue) else "")
    return [Action("逾期问题", f"{len(overdue)} 项问题逾期未整改{followup_overdue_words(overdue, b.month)}：{classes}，"
                               f"最长 {int(overdue['days_overdue'].max())} 天",
                   _names(overdue["responsible"]), "尽快销号")]


def _data(b) -> list[Action]:
    notes = b.quality_notes()
    if not notes:
        return []
    return [Action("数据", f"报送的表格有 {len(notes)} 处需核实（见{sections.see(sections.SOURCES)}）", "报送单位",
                   f"收到反馈后 {b.policy.feedback.resubmit_within_days} 日内")]


def actions(b) -> list[Action]:
    """The problems of this month in the briefing's scope, most urgent class first."""
    out = _occupancy(b)
    if b.has_assessments:
        out += _transfers(b) + _people(b)
    out += _money(b) + _benefits(b)
    if b.has_staff:
        out += _training(b)
    return out + _duties(b) + _reassess(b) + _complaints(b) + _earlier(b) + _unreported(b) + _data(b)


def _overdue_findings(b) -> pd.DataFrame | None:
    """Findings still open past their due date (the follow-up register): section 三's count, this month's
    new ones already past their due date included (:func:`tekun_helpers.report.followup.overdue`)."""
    from . import followup

    return followup.overdue(b)


def followup_overdue_words(od: pd.DataFrame, month: str) -> str:
    from . import followup

    return followup.overdue_words(od, month)


def below_target(b) -> pd.DataFrame:
    """The homes below target in scope, ranked by the residents they lack, with head and phone (public in 附件2)."""
    homes = b.own_homes()
    # most residents lacking first; ties keep the official order of the reference data
    below = homes[~homes["at_target"].astype(bool)].sort_values("missing", ascending=False, kind="stable")
    contact = b.data.homes.set_index("home")[["head", "phone"]]
    return below.join(contact, on="home").reset_index(drop=True)
