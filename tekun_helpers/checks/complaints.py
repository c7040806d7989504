"""The checks of the complaints and media register (schema.COMPLAINTS), besides those every table gets.

Each row is one case: its 登记编号 once per register; its channel and category one of complaints.toml's (else an
error naming the choices); its township and home the reference's official names (an unknown one is a warning and
kept as written, as in the 减少情况表); its handling unit the official name when it names a township or home. Its
dates in order: received by the month's end, the deadline not before it was received, closed not before it was
received nor after the month's end, published not before it was closed and not without being closed; a case
closed needs its result. What would be published (the summary, what was found, the result) must not name the
person concerned, hold an identity number or a health word: a warning (the notice masks them anyway).
"""
from __future__ import annotations

from ..config.complaints import complaints_for
from ..config.county import County
from ..config.reference import Reference
from ..core.catalogue import issue
from ..core.issues import Issue
from ..core.months import month_end
from ..core.text import clip, fold, to_text
from ..io.privacy import private_words
from ..io.readers import ParsedTable
from .tables import HOME_WORD, _hint, _issue, cell, resolve_row_township

#: the columns a public notice shows (checked for names, identity numbers and health words)
PUBLISHED = ("summary", "found", "result")


def _choice(t: ParsedTable, r, key: str, names: list[str], resolve, what: str) -> list[Issue]:
    raw = to_text(r.values.get(key))
    if not raw:
        return []
    official = resolve(raw)
    if official is None:
        r.values[key] = None
        return [issue("complaint_unknown_choice", cell(t, r.row, key), value=clip(raw), raw=clip(raw), what=what,
                      names="、".join(names))]
    r.values[key] = official
    return []


def _home(t: ParsedTable, r, ref: Reference) -> list[Issue]:
    home = to_text(r.values.get("home"))
    if not home:
        return []
    official, suggestion = ref.match("homes", home)
    r.values["home"] = official or home
    if official is not None:
        return []
    return [_issue("unknown_name_kept", t, r.row, "home", home, raw=clip(home), what=HOME_WORD,
                   hint=_hint(suggestion, HOME_WORD), then="")]


def _unit(r, ref: Reference) -> None:
    """The handling unit's official name when it is a township or a home (else as written: the bureau, say)."""
    unit = to_text(r.values.get("unit"))
    for kind in ("townships", "homes"):
        official, _ = ref.match(kind, unit) if unit else (None, None)
        if official is not None:
            r.values["unit"] = official
            return


def _dates(t: ParsedTable, r, month: str, days: int) -> list[Issue]:
    v, last = r.values, month_end(month)
    got, due, closed, published = (v.get(k) for k in ("received_on", "deadline", "closed_on", "published_on"))
    out = []

    def add(key: str, variant: str, **fields) -> None:
        out.append(issue("complaint_dates", cell(t, r.row, key), variant=variant, value=str(v.get(key) or ""),
                         **{k: x.isoformat() if hasattr(x, "isoformat") else x for k, x in fields.items()}))

    if got and got > last:
        add("received_on", "later", day=got, month=month)
    if got and due and due < got:
        add("deadline", "deadline", day=due, received=got)
    if closed and got and closed < got:
        add("closed_on", "closed_before", day=closed, received=got)
    if closed and closed > last:
        add("closed_on", "closed_later", day=closed, month=month)
    if published and not closed:
        add("published_on", "unclosed", day=published)
    elif published and published < closed:
        add("published_on", "published_before", day=published, closed=closed)
    if closed and not to_text(v.get("result")):
        out.append(issue("complaint_no_result", cell(t, r.row, "result"), day=closed.isoformat()))
    if got and not due:
        out.append(issue("complaint_no_deadline", cell(t, r.row, "deadline"), days=days))
    return out


def _private(t: ParsedTable, r, health: tuple[str, ...]) -> list[Issue]:
    out = []
    for key in PUBLISHED:
        words = private_words(r.values.get(key), [r.values.get("person_name")], health)
        if words:
            out.append(issue("complaint_private_words", cell(t, r.row, key), count=len(words)))
    return out


def check_complaints(t: ParsedTable, month: str, ref: Reference, county: County, policy) -> list[Issue]:
    """The issues of one register; its rows' channels, categories, townships, homes and units resolved."""
    settings = complaints_for(policy)
    first: dict[str, int] = {}
    out: list[Issue] = []
    for r in t.rows:
        case = to_text(r.values.get("case_no"))
        if not case:            # a row with data and no number: the reader's empty_name error
            continue
        if fold(case) in first:
            out.append(issue("complaint_duplicate", cell(t, r.row, "case_no"), value=clip(case), case=clip(case),
                             first_row=first[fold(case)]))
            r.values["case_no"] = None            # not read twice
            continue
        first[fold(case)] = r.row
        out += _choice(t, r, "channel", settings.channel_names, settings.channel, "来源渠道")
        out += _choice(t, r, "category", settings.category_names, settings.category, "问题类别")
        out += resolve_row_township(ref, t, r, county)
        out += _home(t, r, ref)
        _unit(r, ref)
        out += _dates(t, r, month, settings.default_days) + _private(t, r, settings.health_words)
    return out
