"""Monthly flow: 上月人数 + 新增 − 减少 = 本月人数, per township (from the person-level forms) and per home.

Townships: the people on last month's and this month's 附件3 forms are matched by identity
(:class:`~tekun_helpers.analysis.register.Identities`); 新增 are this month's people not there last month,
减少 last month's people not there now, by the reason the 减少情况表 gives (转入集中供养, 死亡, 退出, 迁出;
迁出 also when the person is on another township's form now), else 未说明原因. The flow is then set
against 附件1: last month's 附件1 + 新增 − 减少 should be this month's 附件1; a difference is a warning
naming the township. A township that sent no form this month is 未报送, not a township whose people all
left: its flow is not computed (no row, one warning naming it). :func:`unexplained_leavers` names the
people counted as 未说明原因.

Homes: 附件2 has no names, so residents last month + 转入 (the 减少情况表's transfers into the home)
is set against this month's residents; the rest (其他增减: other elderly admitted, residents who left or
died) is what 附件2 implies and is shown, not checked.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.frames import rows_of
from ..core.catalogue import issue
from ..core.issues import At, Issue
from .register import DIED, LEFT, MOVED, TRANSFERRED, Identities, unreported

REASONS = (TRANSFERRED, DIED, LEFT, MOVED)
UNSTATED = "未说明原因"
TOWNSHIP_COLUMNS = ["township", "last", "new", *[f"out_{r}" for r in REASONS], f"out_{UNSTATED}", "out", "now",
                    "annex1_last", "annex1_now", "annex1_expected", "mismatch"]
HOME_COLUMNS = ["home", "township", "last", "transferred_in", "other", "now"]


@dataclass
class _Match:
    """Last month's and this month's people matched by identity, and why those who left did."""

    before: dict          # identity -> last month's form row
    now: dict             # identity -> this month's form row
    reason: object        # reason(identity, row) -> one of REASONS or UNSTATED
    sent: set             # the townships with a form this month


#: the last two months matched and their match: township_flow and unexplained_leavers of the same two months
#: (the briefing asks both) match them once; held by reference, so ``is`` cannot mistake a new month for an old
_LAST: list = []


def _match(prev, cur) -> _Match | None:
    """Last month's and this month's people matched (a _Match), None without both months' forms."""
    if _LAST and _LAST[0] is prev and _LAST[1] is cur:
        return _LAST[2]
    m = _matched(prev, cur)
    _LAST[:] = [prev, cur, m]
    return m


def _matched(prev, cur) -> _Match | None:
    if prev is None or not prev.has_assessments or not cur.has_assessments:
        return None
    ids = Identities()
    before = {}
    for r in rows_of(prev.assessments):
        before[ids.resolve(r, prev.month)] = r
    now = {}
    for r in rows_of(cur.assessments):
        now[ids.resolve(r, cur.month)] = r
    changes = rows_of(cur.changes) if len(cur.changes) else []
    return _Match(before, now, _reasons(changes, ids, now, cur.month), reported(cur))


def reported(data) -> set[str]:
    """The townships whose 附件3 form the month has (the others' figures are 未报送, not zero)."""
    return set(data.assessments["township"]) if len(data.assessments) else set()


def township_flow(prev, cur) -> tuple[pd.DataFrame, list[Issue]]:
    """One row per township of the reference that sent its form this month (TOWNSHIP_COLUMNS) and the
    warnings; (empty, []) without both months' forms. A township without a form this month has no row (its
    flow is not computed: its people are not known to have left) and one warning names it."""
    m = _match(prev, cur)
    if m is None:
        return pd.DataFrame(columns=TOWNSHIP_COLUMNS), []
    rows, issues = [], []
    a1_last = dict(zip(prev.townships["township"], prev.townships["dispersed"])) if len(prev.townships) else {}
    a1_now = dict(zip(cur.townships["township"], cur.townships["dispersed"])) if len(cur.townships) else {}
    last_by_town, here_by_town = _by_township(m.before), _by_township(m.now)
    for town in cur.reference.township_names:
        if town not in m.sent:
            continue
        last, here = last_by_town.get(town, set()), here_by_town.get(town, set())
        new = here - last
        out = {x: 0 for x in (*REASONS, UNSTATED)}
        for c in last - here:
            out[m.reason(c, m.before[c])] += 1
        n_out = sum(out.values())
        row = {"township": town, "last": len(last), "new": len(new), **{f"out_{k}": v for k, v in out.items()},
               "out": n_out, "now": len(here)}
        al, an = a1_last.get(town), a1_now.get(town)
        expected = None if al is None else int(al) + len(new) - n_out
        row.update(annex1_last=al, annex1_now=an, annex1_expected=expected,
                   mismatch=expected is not None and an is not None and int(an) != expected)
        if row["mismatch"]:
            issues.append(issue("flow_mismatch", At(column="分散供养人数"), value=str(an), town=town, last=al,
                                new=len(new), left=n_out, expected=expected, now=an, difference=int(an) - expected))
        rows.append(row)
    held = getattr(cur, "held_back", ())          # a draft's forms with errors: its notice names them
    missing = [t for t in unreported(cur) if t not in held]
    if missing:
        issues.append(issue("flow_unreported", At(), towns="、".join(missing), count=len(missing),
                            county=cur.policy.county))
    return pd.DataFrame(rows, columns=TOWNSHIP_COLUMNS), issues


LEAVER_COLUMNS = ["township", "village", "name", "sex", "id_number", "source_file", "source_row"]


def unexplained_leavers(prev, cur) -> pd.DataFrame:
    """The people of last month's forms who are neither on this month's forms nor in the 减少情况表 (the
    人员增减's 未说明原因, by name): township, village, name, sex, identity number (as written) and where
    last month's form had them (LEAVER_COLUMNS), in the official order of the townships. Only townships that
    sent their form this month (the others' people are 未核实, not gone). Names in full: mask them
    (:func:`~tekun_helpers.io.privacy.mask_people`) for anything but the township's own returned workbook."""
    m = _match(prev, cur)
    if m is None:
        return pd.DataFrame(columns=LEAVER_COLUMNS)
    rows = [{k: r.get(k, "") for k in LEAVER_COLUMNS} for c, r in m.before.items()
            if c not in m.now and r["township"] in m.sent and m.reason(c, r) == UNSTATED]
    rank = {t: i for i, t in enumerate(cur.reference.township_names)}
    rows.sort(key=lambda r: rank.get(r["township"], len(rank)))
    return pd.DataFrame(rows, columns=LEAVER_COLUMNS)


def unexplained_leavers_for(data) -> pd.DataFrame:
    """:func:`unexplained_leavers` of ``data`` (a MonthData, errors and all: a township's returned workbook
    is made for a month with errors) against the calendar month before it, read (cached) from the same data
    folder; empty when that month has no forms. For one township: ``df[df["township"] == town]``; its
    ``name`` and ``id_number`` are as written, for that township's own returned workbook only."""
    from ..core.months import previous_month
    from ..month import load_month

    before = previous_month(data.month)
    if not (data.folder.parent / before).is_dir():
        return pd.DataFrame(columns=LEAVER_COLUMNS)
    return unexplained_leavers(load_month(before, data.folder.parent, cache=True, lean=True), data)


def _by_township(people: dict[str, dict]) -> dict[str, set]:
    """The identities of ``people`` (identity -> form row) grouped by the row's township."""
    out: dict[str, set] = {}
    for c, r in people.items():
        out.setdefault(r["township"], set()).add(c)
    return out


def _reasons(changes: list[dict], ids: Identities, now: dict, month: str):
    """``reason(identity, row)``: why a person of last month's forms left, from the 减少情况表 ``changes``.

    The first row of the table (in its order) that is the person -- the same identity, or the same township,
    village and name -- gives the reason; each row is looked up once (an index by identity and by name), so
    the cost grows with the people and the rows, not with their product."""
    by_id: dict[str, int] = {}
    by_name: dict[tuple, int] = {}
    for i, ch in enumerate(changes):
        c = ids.find({**ch, "age": None}, month)
        if c is not None:
            by_id.setdefault(c, i)
        by_name.setdefault((ch.get("township"), ch.get("village"), ch.get("name")), i)

    def reason(c: str, r: dict) -> str:
        if c in now:                               # on another township's form now
            return MOVED
        hits = [i for i in (by_id.get(c), by_name.get((r["township"], r.get("village"), r.get("name"))))
                if i is not None]
        return (changes[min(hits)].get("change") or UNSTATED) if hits else UNSTATED

    return reason


def home_flow(prev, cur) -> pd.DataFrame:
    """One row per home of this month's 附件2: last month's residents, transfers in, other changes, residents now."""
    if prev is None or not len(prev.homes) or not len(cur.homes):
        return pd.DataFrame(columns=HOME_COLUMNS)
    last = dict(zip(prev.homes["home"], prev.homes["residents"]))
    moved: dict[str, int] = {}
    if len(cur.changes):
        for ch in rows_of(cur.changes):
            if ch.get("change") == TRANSFERRED and ch.get("home"):
                moved[ch["home"]] = moved.get(ch["home"], 0) + 1
    rows = []
    for r in rows_of(cur.homes):
        before = last.get(r["home"])
        n_in = moved.get(r["home"], 0)
        rows.append({"home": r["home"], "township": r["township"], "last": before, "transferred_in": n_in,
                     "other": None if before is None else int(r["residents"]) - int(before) - n_in,
                     "now": int(r["residents"])})
    return pd.DataFrame(rows, columns=HOME_COLUMNS)
