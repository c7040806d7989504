"""Checks on the month's parsed tables against the reference data and the policy.

Each check returns issues (built from :mod:`tekun_helpers.core.catalogue`); none raises. Row-level value
problems were already reported by :mod:`tekun_helpers.io.readers` while parsing. Checks that speak of the
townships take the county's words (``county``: :class:`~tekun_helpers.config.county.County`).
"""
from __future__ import annotations

import pandas as pd

from ..config.county import County
from ..config.policy import Policy
from ..config.reference import Reference
from ..config.schema import COUNT, SIGNED
from ..core.catalogue import issue
from ..core.fmt import rounding_words
from ..core.frames import rows_of
from ..core.issues import At, Issue
from ..core.months import month_end
from ..core.text import clip, fold, has_traditional, invisible_in, similarity, to_simplified, to_text
from ..io.privacy import mask_name, shown_value
from ..io.readers import ParsedRow, ParsedTable

HOME_WORD = "敬老院"       # what a nursing home is called in the names' messages


def known(value):
    """The value, or None when it is missing (None, NaN, pd.NA, NaT).

    A cell that could not be read is already an error of its own; a check that meets
    its missing value takes it as "cannot check" and says nothing more.
    """
    if value is None:
        return None
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):   # a list or other non-scalar is a value
        return value


def by_name(frame, name: str, column: str) -> dict:
    """{row name: value of ``column``} from a month frame, missing values as None."""
    if frame is None or not len(frame) or name not in frame.columns or column not in frame.columns:
        return {}
    return {n: known(x) for n, x in zip(frame[name], frame[column])}


def cell(t: ParsedTable, row: int | None, key: str | None) -> At:
    """The place of field ``key`` in Excel row ``row`` of table ``t`` (its column's letter when the table has it)."""
    col = t.column(key) if key else None
    label = col.field.label if col else (t.table.field(key).label if key else None)
    return At(t.file, t.sheet, row, label, col.letter if col else None)


def _issue(code: str, t: ParsedTable, row: int | None, key: str | None, value, /, **fields) -> Issue:
    """An issue about the cell of ``key`` in ``row``; the value is shown masked where it is a name."""
    return issue(code, cell(t, row, key), value=shown_value(key, value), **fields)


def _first(t0: ParsedTable, r0: ParsedRow) -> dict:
    """The fields naming where a repeated row first appeared."""
    return {"first_file": t0.file, "first_sheet": t0.sheet, "first_row": r0.row}


def _hint(suggestion: str | None, what: str) -> str:
    return f"是否为“{suggestion}”？" if suggestion else f"请使用参考数据中的{what}名称。"


def check_columns(t: ParsedTable) -> list[Issue]:
    """A required column missing from a located table."""
    return [issue("missing_column", At(t.file, t.sheet, t.header_row, f.label), table=t.table.label)
            for f in t.table.fields if f.required and f.key not in t.columns]


def check_month_line(t: ParsedTable, month: str) -> list[Issue]:
    """A 月份 line above the header (月份：2023年9月) must name the folder's month."""
    if not t.month_text:
        return []
    at = At(t.file, t.sheet, t.month_row, "月份", t.month_letter)
    if t.month is None:
        return [issue("month_unreadable", at, value=t.month_text, text=clip(t.month_text), month=month)]
    if t.month != month:
        y, m = t.month.split("-")
        return [issue("wrong_month", at, value=t.month_text, year=int(y), number=int(m), stated=t.month, month=month)]
    return []


#: how alike (difflib ratio of the folded names) an unknown name must be to a missing one to be taken as its misspelling
MISSPELT_SIMILARITY = 0.6


def misspellings(tables: list[ParsedTable], key: str, names) -> dict[tuple[str, str, int], str]:
    """{(file, sheet, row): official name} for each row whose name is unknown (its value None, its cell not
    empty) and close to a name of ``names`` that no row of ``tables`` has: 玛尼汗乡 for a missing 玛尼罕乡.
    Each missing name goes to the one unknown name closest to it."""
    seen = {r.values.get(key) for t in tables for r in t.rows}
    missing = [n for n in names if n not in seen]
    pairs = []
    for t in tables:
        for r in t.rows:
            raw = r.raw.get(key)
            if r.values.get(key) is not None or raw is None or not fold(raw):
                continue
            for n in missing:
                score = similarity(fold(raw), fold(n))
                if score >= MISSPELT_SIMILARITY:
                    pairs.append((-score, (t.file, t.sheet, r.row), n))
    out: dict[tuple[str, str, int], str] = {}
    for _, where, n in sorted(pairs):
        if where not in out and n not in out.values():
            out[where] = n
    return out


def resolve_names(t: ParsedTable, ref: Reference, county: County) -> list[Issue]:
    """Map each row's name to the official one; unknown names get the closest suggestion, and an unknown
    name close to one the table lacks is one issue, "玛尼汗乡 应为 玛尼罕乡？" (check_coverage then says
    nothing of the lacking one)."""
    out = []
    key = t.table.name_field
    kind = "townships" if key == "township" else "homes"   # the benefit rosters are named by person: check_benefits
    what = county.towns if kind == "townships" else HOME_WORD
    given = {id(r): r.values[key] for r in t.rows if r.values.get(key)}
    found = {i: ref.match(kind, raw) for i, raw in given.items()}
    for r in t.rows:
        if id(r) in found and found[id(r)][0] is None:
            r.values[key] = None
    misspelt = misspellings([t], key, ref.township_names if kind == "townships" else ref.home_names)
    for r in t.rows:
        if id(r) not in found:
            continue
        raw, (official, suggestion) = given[id(r)], found[id(r)]
        if official:
            r.values[key] = official
            hidden = invisible_in(raw)
            if hidden:
                out.append(_issue("invisible_characters", t, r.row, key, raw, chars="、".join(hidden), official=official))
            if has_traditional(raw):
                out.append(_issue("traditional_name", t, r.row, key, raw, raw=clip(raw), official=official))
        elif (t.file, t.sheet, r.row) in misspelt:
            out.append(_issue("unknown_name", t, r.row, key, raw, variant="misspelt", raw=clip(raw), what=what,
                              name=misspelt[(t.file, t.sheet, r.row)], county=county))
        else:
            out.append(_issue("unknown_name", t, r.row, key, raw, raw=clip(raw), what=what, hint=_hint(suggestion, what)))
    return out


def check_rows(t: ParsedTable) -> list[Issue]:
    """Row rules: disabled people not more than people; residents not more than beds."""
    out = []
    for r in t.rows:
        v = r.values
        if t.table.key == "townships":
            n, full, semi = v.get("dispersed"), v.get("fully_disabled"), v.get("semi_disabled")
            if None not in (n, full, semi) and full + semi > n:
                out.append(_issue("disabled_exceeds", t, r.row, "fully_disabled", full,
                                  fully=full, semi=semi, disabled=full + semi, people=n))
        else:
            beds, res = v.get("beds"), v.get("residents")
            if None not in (beds, res) and res > beds:
                out.append(_issue("over_capacity", t, r.row, "residents", res, residents=res, beds=beds))
    return out


def check_policy(t: ParsedTable, policy: Policy) -> list[Issue]:
    """Stated 60%应住人数 and 还应入住人数 against the policy's own computation."""
    out = []
    if t.table.key != "homes":
        return out
    for r in t.rows:
        v = r.values
        beds, res = v.get("beds"), v.get("residents")
        if beds is None:
            continue
        needed = policy.needed_residents(beds)
        stated = v.get("needed_stated")
        if stated is not None and stated != needed:
            out.append(_issue("needed_mismatch", t, r.row, "needed_stated", stated, percent=policy.target_percent,
                              stated=stated, beds=beds, rounding=rounding_words(policy.rounding), needed=needed))
        missing = v.get("missing_stated")
        if missing is not None and res is not None and missing != needed - res:
            out.append(_issue("missing_mismatch", t, r.row, "missing_stated", missing,
                              stated=missing, needed=needed, residents=res, expected=needed - res))
    return out


def check_total(t: ParsedTable) -> list[Issue]:
    """The 合计 row against the sum of the rows, column by column."""
    out = []
    if t.total is None and t.table.key not in ("townships", "homes"):
        return out        # the bureau's own ledgers may leave the 合计 row out
    if t.total is None and any(o.total is not None for o in t.shares_total_with):
        return []         # a block of a list wrapped side by side: its rows are in the other block's 合计
    if t.total is None:
        return [issue("no_total", At(t.file, t.sheet), table=t.table.label)]
    for key, col in t.columns.items():
        if not col.field.summed:
            continue
        stated = t.total.values.get(key)
        if stated is None:
            if t.total.raw.get(key) is None or to_text(t.total.raw.get(key)) == "":
                out.append(_issue("total_empty", t, t.total.row, key, ""))
            continue
        values = [r.values.get(key) for r in t.rows + [r for o in t.shares_total_with for r in o.rows]]
        if any(x is None for x in values):
            continue  # a bad cell is already an error; a sum would mislead
        actual = sum(values)
        if stated != actual:
            out.append(_issue("total_mismatch", t, t.total.row, key, stated,
                              stated=stated, actual=actual, difference=stated - actual))
    return out


def check_coverage(tables: list[ParsedTable], kind: str, ref: Reference, month: str, county: County, *,
                   optional: bool = False) -> list[Issue]:
    """The same township/home twice (an error), and known ones missing from the month: an error, or
    with ``optional`` (乡镇工作进度台账, 护理型床位与入住构成表) a warning that they are not reported."""
    out = []
    seen: dict[str, tuple[ParsedTable, ParsedRow]] = {}
    names = ref.township_names if kind == "townships" else ref.home_names
    what = county.towns if kind == "townships" else HOME_WORD
    key = "township" if kind == "townships" else "home"
    for t in tables:
        for r in t.rows:
            name = r.values.get(key)
            if not name:
                continue
            if name in seen:
                out.append(_issue("duplicate", t, r.row, key, name, what=what, name=name, **_first(*seen[name])))
            else:
                seen[name] = (t, r)
    if tables:
        t = tables[0]
        misspelt = set(misspellings(tables, key, names).values())     # said as "… 应为 name？" by resolve_names
        for name in names:
            if name not in seen and name not in misspelt:
                out.append(issue("not_reported_name" if optional else "missing_name",
                                 At(t.file, t.sheet, None, t.table.field(key).label), value=name,
                                 month=month, table=t.table.label, what=what, name=name, known=len(names)))
    return out


def _township(ref: Reference, raw: str) -> tuple[str | None, str | None]:
    """(official township, suggestion) for a unit or township as written; '贝子府镇人民政府' or
    '贝子府镇民政办' name the township too."""
    official, suggestion = ref.match("townships", raw)
    if official is None:
        for name in ref.township_names:
            if to_simplified(raw).startswith(name):
                official = name
    return official, suggestion


def resolve_row_township(ref: Reference, t: ParsedTable, r, county: County, then: str = "") -> list[Issue]:
    """Replace a row's township by its official name; an unknown one is a warning with the closest name
    (``then`` says what follows for the row) and is kept as written."""
    raw = r.values.get("township")
    if not raw:
        return []
    official, suggestion = _township(ref, raw)
    r.values["township"] = official or raw
    if official is not None:
        return []
    return [_issue("unknown_name_kept", t, r.row, "township", raw, raw=clip(raw), what=county.towns,
                   hint=_hint(suggestion, county.towns), then=then)]


def resolve_unit(t: ParsedTable, ref: Reference, county: County) -> list[Issue]:
    """An assessment form's 填报单位 must name a known township; it becomes each row's township."""
    at = At(t.file, t.sheet, t.unit_row, "填报单位", t.unit_letter)
    if t.unit is None:
        return [issue("unit_missing", At(t.file, t.sheet, t.header_row, "填报单位", t.unit_letter),
                      county=county, place=at.where())]
    if not t.unit:
        return [issue("unit_empty", At(t.file, t.sheet, t.unit_row or t.header_row, "填报单位", t.unit_letter),
                      county=county)]
    official, suggestion = _township(ref, t.unit)
    if official is None:
        return [issue("unknown_unit", at, value=t.unit, county=county, raw=clip(t.unit),
                      hint=_hint(suggestion, county.towns))]
    out = []
    hidden = invisible_in(t.unit)
    if hidden:
        out.append(issue("invisible_characters", at, value=t.unit, variant="unit", chars="、".join(hidden),
                         official=official))
    if has_traditional(t.unit):
        out.append(issue("traditional_name", at, value=t.unit, raw=clip(t.unit), official=official))
    t.unit = official
    return out


def check_people(tables: list[ParsedTable], townships_df, month: str, county: County) -> list[Issue]:
    """The same person twice; each township's form count against its 附件1 count."""
    out = []
    seen: dict[tuple, tuple[ParsedTable, ParsedRow]] = {}
    counts: dict[str, int] = {}
    for t in tables:
        if not t.unit:
            continue
        for r in t.rows:
            name = r.values.get("name")
            if not name:
                continue
            counts[t.unit] = counts.get(t.unit, 0) + 1
            key = (t.unit, r.values.get("village") or "", name)
            if key in seen:
                t0, r0 = seen[key]
                same_age = r.values.get("age") == r0.values.get("age")
                out.append(_issue("duplicate_person" if same_age else "same_name_person", t, r.row, "name", name,
                                  town=t.unit, village=clip(key[1]), name=mask_name(name), **_first(t0, r0)))
            else:
                seen[key] = (t, r)
    if townships_df is not None and len(townships_df) and tables:
        out += _check_people_counted(tables, townships_df, counts, month, county)
    return out


def _check_people_counted(tables: list[ParsedTable], townships_df, counts: dict[str, int], month: str,
                          county: County) -> list[Issue]:
    """Each township's form count against its 附件1 count; the townships that sent no form."""
    out = []
    # a township whose 附件1 count could not be read cannot be checked (its cell is an error already)
    expected = {town: n for town, n in by_name(townships_df, "township", "dispersed").items() if n is not None}
    files = {}
    for t in tables:
        if t.unit:
            files.setdefault(t.unit, t)
    not_sent = [town for town in expected if counts.get(town, 0) == 0 and expected[town] > 0]
    if not_sent:
        out.append(issue("assessment_not_sent", At(), value=str(len(not_sent)), county=county, month=month,
                         count=len(not_sent), towns="、".join(not_sent)))
    for town, n in expected.items():
        got = counts.get(town, 0)
        if got != n and town not in not_sent:
            t = files[town]          # a township with people counted has a form
            gap = f"尚有 {n - got} 人未评估" if got < n else f"多出 {got - n} 人，请核对"
            out.append(issue("assessment_count", At(t.file, t.sheet), value=str(got),
                             month=month, town=town, got=got, people=n, gap=gap))
    return out


def check_progress(t: ParsedTable, townships_df, month: str) -> list[Issue]:
    """乡镇工作进度台账: dates after the month, filed more than signed, agreements against the people in care."""
    out = []
    end = month_end(month)
    people = by_name(townships_df, "township", "dispersed")
    for r in t.rows:
        v = r.values
        town = v.get("township")
        for key in ("group_formed", "scheme_adopted", "filed_on"):
            day = v.get(key)
            if day is not None and day > end:
                out.append(_issue("date_after_month", t, r.row, key, day.isoformat(), day=day.isoformat(), month=month))
        if v.get("group_formed") is None and v.get("scheme_adopted") is not None:
            out.append(_issue("scheme_without_group", t, r.row, "group_formed", ""))
        signed, filed = v.get("agreements_signed"), v.get("agreements_filed")
        if signed is not None and filed is not None and filed > signed:
            out.append(_issue("filed_exceeds_signed", t, r.row, "agreements_filed", filed, filed=filed, signed=signed))
        n = people.get(town)
        if n is not None and signed is not None and signed > n:
            out.append(_issue("agreements_exceed_people", t, r.row, "agreements_signed", signed,
                              signed=signed, town=town, people=n))
        if n and filed is not None and filed >= n and v.get("filed_on") is None:
            out.append(_issue("filed_without_date", t, r.row, "filed_on", "", filed=filed))
    return out


def check_staff(tables: list[ParsedTable], homes_df, ref: Reference, month: str) -> list[Issue]:
    """敬老院工作人员台账: the same person twice, one head per home, staff counts against 附件2."""
    out = []
    seen: dict[tuple, tuple[ParsedTable, ParsedRow]] = {}
    heads: dict[str, list[tuple[ParsedTable, ParsedRow]]] = {}
    counts: dict[str, int] = {}
    for t in tables:
        for r in t.rows:
            home, name = r.values.get("home"), r.values.get("staff_name")
            if not home:
                continue
            counts[home] = counts.get(home, 0) + 1
            if r.values.get("role") == "负责人":
                heads.setdefault(home, []).append((t, r))
            if not name:
                out.append(_issue("empty_value", t, r.row, "staff_name", "", variant="staff"))
                continue
            key = (home, name)
            if key in seen:
                out.append(_issue("duplicate_staff", t, r.row, "staff_name", name, home=home, name=mask_name(name),
                                  **_first(*seen[key])))
            else:
                seen[key] = (t, r)
    if tables:
        out += _check_staff_per_home(tables[0], homes_df, ref, month, counts, heads)
    return out


def _check_staff_per_home(t: ParsedTable, homes_df, ref: Reference, month: str, counts: dict[str, int],
                          heads: dict[str, list[tuple[ParsedTable, ParsedRow]]]) -> list[Issue]:
    """Each home's staff in the roster: some, as many as 附件2 says, one head."""
    out = []
    stated = by_name(homes_df, "home", "staff")
    for home in ref.home_names:
        got = counts.get(home, 0)
        if got == 0:
            out.append(issue("staff_missing_home", At(t.file, t.sheet, None, "敬老院名称"), value=home,
                             month=month, home=home))
            continue
        n = stated.get(home)
        if n is not None and int(n) != got:
            out.append(issue("staff_count_mismatch", At(t.file, t.sheet, None, "敬老院名称"), value=home,
                             month=month, home=home, got=got, stated=int(n)))
        hs = heads.get(home, [])
        if not hs:
            out.append(issue("head_missing", At(t.file, t.sheet, None, "岗位"), value=home, month=month, home=home))
        elif len(hs) > 1:
            t1, r1 = hs[1]
            out.append(_issue("head_twice", t1, r1.row, "role", "负责人", home=home, count=len(hs),
                              first_row=hs[0][1].row))
    return out


def check_home_care(t: ParsedTable, homes_df) -> list[Issue]:
    """护理型床位与入住构成: nursing beds within the beds, residents split adding up to 附件2."""
    out = []
    by_home = ({r["home"]: {k: known(x) for k, x in r.items()} for r in rows_of(homes_df)}
               if len(homes_df) else {})
    for r in t.rows:
        v = r.values
        h = by_home.get(v.get("home"))
        if h is None:
            continue
        nb = v.get("nursing_beds")
        if nb is not None and h["beds"] is not None and nb > h["beds"]:
            out.append(_issue("nursing_beds_exceed", t, r.row, "nursing_beds", nb,
                              nursing_beds=nb, home=h["home"], beds=h["beds"]))
        a, b = v.get("residents_tekun"), v.get("residents_other")
        if a is not None and b is not None and h["residents"] is not None and a + b != h["residents"]:
            out.append(_issue("residents_split_mismatch", t, r.row, "residents_tekun", a,
                              tekun=a, others=b, total=a + b, home=h["home"], residents=h["residents"]))
    return out


def check_benefits(t: ParsedTable, ref: Reference, county: County) -> list[Issue]:
    """A benefit roster: which benefit it lists (column 待遇类别, or the line 待遇类别：… above the header),
    and its townships. Row values become the official names; rows without a known benefit are dropped
    from matching (an error says so)."""
    from ..config.schema import BENEFIT_LABEL, VOCABULARIES

    vocab = VOCABULARIES["benefit"]
    out = []
    table_benefit = None
    if t.unit:
        table_benefit = vocab.normalise(t.unit)
        if table_benefit is None:
            out.append(issue("unknown_benefit", At(t.file, t.sheet, t.unit_row, BENEFIT_LABEL, t.unit_letter),
                             value=t.unit, raw=clip(t.unit), choices="、".join(vocab.labels)))
    has_column = t.column("benefit") is not None
    if not has_column and not t.unit:
        out.append(issue("benefit_missing", At(t.file, t.sheet, t.header_row, BENEFIT_LABEL)))
    for r in t.rows:
        v = r.values
        if not v.get("benefit"):
            v["benefit"] = table_benefit
        out += resolve_row_township(ref, t, r, county, "此行只按身份证号比对。")
    return out


def check_identity(tables: list[ParsedTable], month: str) -> list[Issue]:
    """Identity numbers on the assessment forms: birth date and sex against the form's age and sex;
    the same number for two people; and an assessment date (评估日期) after the month's end."""
    from ..io.idcard import check, compare_with_form

    out = []
    end = month_end(month)
    seen: dict[str, tuple[ParsedTable, ParsedRow]] = {}
    for t in tables:
        for r in t.rows:
            day = r.values.get("assessed_on")
            if day is not None and day > end:
                out.append(_issue("assessed_after_month", t, r.row, "assessed_on", day.isoformat(), day=day.isoformat(),
                                  month=month))
            number = r.values.get("id_number")
            if not number:
                continue
            idc = check(number, on=end)
            if not idc.ok:
                continue      # already reported by the reader
            for text in compare_with_form(idc, r.values.get("age"), r.values.get("sex"), end):
                out.append(_issue("id_mismatch", t, r.row, "id_number", number, problem=text))
            if number in seen:
                out.append(_issue("duplicate_id", t, r.row, "id_number", number, **_first(*seen[number])))
            else:
                seen[number] = (t, r)
    return out


__all__ = ["check_benefits", "check_identity", "check_progress", "check_staff", "check_home_care", "resolve_unit",
           "check_people", "check_columns", "resolve_names", "check_rows", "check_policy", "check_total",
           "check_coverage", "resolve_row_township", "COUNT", "SIGNED"]
