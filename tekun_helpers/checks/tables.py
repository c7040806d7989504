"""Checks on the month's parsed tables against the reference data and the policy.

Each check returns issues; none raises. Row-level value problems were already
reported by :mod:`tekun_helpers.io.readers` while parsing.
"""
from __future__ import annotations

import pandas as pd

from ..config.policy import Policy
from ..config.reference import Reference
from ..config.schema import COUNT, SIGNED
from ..core.frames import rows_of
from ..core.issues import ERROR, WARNING, Issue
from ..core.months import month_end
from ..core.text import clip, has_traditional, invisible_in, to_simplified, to_text
from ..io.privacy import mask_name, shown_value
from ..io.readers import ParsedRow, ParsedTable


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


def _issue(sev, t: ParsedTable, row: int | None, key: str | None, value, text: str, code: str) -> Issue:
    col = t.column(key) if key else None
    label = col.field.label if col else (t.table.field(key).label if key else None)
    shown = shown_value(key, value)
    base = Issue(sev, t.file, t.sheet, row, label, shown, "", code, col.letter if col else None)
    return Issue(sev, t.file, t.sheet, row, label, shown, f"{base.where()}：{text}", code, base.column_letter)


def check_columns(t: ParsedTable) -> list[Issue]:
    """A required column missing from a located table."""
    out = []
    for f in t.table.fields:
        if f.required and f.key not in t.columns:
            out.append(Issue(ERROR, t.file, t.sheet, t.header_row, f.label, "",
                             f"文件《{t.file}》工作表“{t.sheet}”的{t.table.label}（表头在第{t.header_row}行）缺少必需列“{f.label}”。",
                             "missing_column"))
    return out


def check_month_line(t: ParsedTable, month: str) -> list[Issue]:
    """A 月份 line above the header (月份：2023年9月) must name the folder's month."""
    if not t.month_text:
        return []
    where = Issue(ERROR, t.file, t.sheet, t.month_row, "月份", t.month_text, "", "", t.month_letter).where()
    if t.month is None:
        return [Issue(WARNING, t.file, t.sheet, t.month_row, "月份", t.month_text,
                      f"{where}：月份“{clip(t.month_text)}”无法识别，无法核对是否为 {month} 的表；请写成“月份：2023年8月”。",
                      "month_unreadable", t.month_letter)]
    if t.month != month:
        y, m = t.month.split("-")
        return [Issue(ERROR, t.file, t.sheet, t.month_row, "月份", t.month_text,
                      f"{where}：表上写明月份为{int(y)}年{int(m)}月（{t.month}），却放在 {month} 的文件夹中：请确认是否放错了"
                      f"月份的表；如表是本月的，请改正月份后重新报送。", "wrong_month", t.month_letter)]
    return []


def resolve_names(t: ParsedTable, ref: Reference) -> list[Issue]:
    """Map each row's name to the official one; unknown names get the closest suggestion."""
    out = []
    key = t.table.name_field
    kind = "townships" if key == "township" else "homes"   # the benefit rosters are named by person: check_benefits
    what = "乡镇苏木街道" if kind == "townships" else "敬老院"
    for r in t.rows:
        raw = r.values.get(key)
        if not raw:
            continue
        official, suggestion = ref.match(kind, raw)
        if official:
            r.values[key] = official
            hidden = invisible_in(raw)
            if hidden:
                out.append(_issue(WARNING, t, r.row, key, raw, f"名称中含有看不见的字符（{'、'.join(hidden)}），"
                                  f"看起来与“{official}”相同；已去除后按“{official}”读取。这类字符多由网页或聊天软件复制带入，"
                                  f"请在单元格中重新输入名称。", "invisible_characters"))
            if has_traditional(raw):
                out.append(_issue(WARNING, t, r.row, key, raw, f"“{clip(raw)}”含繁体字，已按简体的正式名称“{official}”读取；"
                                  f"今后请填写简体名称。", "traditional_name"))
        else:
            hint = f"是否为“{suggestion}”？" if suggestion else f"请使用参考数据中的{what}名称。"
            out.append(_issue(ERROR, t, r.row, key, raw, f"“{clip(raw)}”不是已知的{what}名称，{hint}", "unknown_name"))
            r.values[key] = None
    return out


def check_rows(t: ParsedTable) -> list[Issue]:
    """Row rules: disabled people not more than people; residents not more than beds."""
    out = []
    for r in t.rows:
        v = r.values
        if t.table.key == "townships":
            n, full, semi = v.get("dispersed"), v.get("fully_disabled"), v.get("semi_disabled")
            if None not in (n, full, semi) and full + semi > n:
                out.append(_issue(ERROR, t, r.row, "fully_disabled", full,
                                  f"全失能 {full} 人 + 半失能 {semi} 人 = {full + semi} 人，超过分散供养人数 {n} 人。", "disabled_exceeds"))
        else:
            beds, res = v.get("beds"), v.get("residents")
            if None not in (beds, res) and res > beds:
                out.append(_issue(WARNING, t, r.row, "residents", res,
                                  f"现入住 {res} 人，超过实有床位 {beds} 张，请核实是否超员或床位数有误。", "over_capacity"))
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
            out.append(_issue(WARNING, t, r.row, "needed_stated", stated,
                              f"填报的{policy.target_percent}应住人数为 {stated}，按政策（床位 {beds} 张 × {policy.target_percent}，"
                              f"{ROUNDING_WORDS[policy.rounding]}）应为 {needed}；报告采用 {needed}。", "needed_mismatch"))
        missing = v.get("missing_stated")
        if missing is not None and res is not None and missing != needed - res:
            out.append(_issue(WARNING, t, r.row, "missing_stated", missing,
                              f"填报的还应入住人数为 {missing}，按应住 {needed} 人 − 现入住 {res} 人应为 {needed - res}；报告采用 {needed - res}。",
                              "missing_mismatch"))
    return out


ROUNDING_WORDS = {"up": "向上取整", "nearest": "四舍五入", "down": "向下取整"}


def check_total(t: ParsedTable) -> list[Issue]:
    """The 合计 row against the sum of the rows, column by column."""
    out = []
    if t.total is None and t.table.key not in ("townships", "homes"):
        return out        # the bureau's own ledgers may leave the 合计 row out
    if t.total is None:
        out.append(Issue(WARNING, t.file, t.sheet, None, None, "",
                         f"文件《{t.file}》工作表“{t.sheet}”的{t.table.label}没有合计行，无法与各行之和核对。", "no_total"))
        return out
    for key, col in t.columns.items():
        if not col.field.summed:
            continue
        stated = t.total.values.get(key)
        if stated is None:
            if t.total.raw.get(key) is None or to_text(t.total.raw.get(key)) == "":
                out.append(_issue(WARNING, t, t.total.row, key, "",
                                  "合计行此列为空（或为未保存计算结果的公式），无法与各行之和核对。", "total_empty"))
            continue
        values = [r.values.get(key) for r in t.rows]
        if any(x is None for x in values):
            continue  # a bad cell is already an error; a sum would mislead
        actual = sum(values)
        if stated != actual:
            out.append(_issue(ERROR, t, t.total.row, key, stated,
                              f"合计行为 {stated}，但各行之和为 {actual}，相差 {stated - actual}。", "total_mismatch"))
    return out


def check_coverage(tables: list[ParsedTable], kind: str, ref: Reference, month: str) -> list[Issue]:
    """The same township/home twice, and known ones missing from the month."""
    out = []
    seen: dict[str, tuple[ParsedTable, ParsedRow]] = {}
    names = ref.township_names if kind == "townships" else ref.home_names
    what = "乡镇苏木街道" if kind == "townships" else "敬老院"
    key = "township" if kind == "townships" else "home"
    for t in tables:
        for r in t.rows:
            name = r.values.get(key)
            if not name:
                continue
            if name in seen:
                t0, r0 = seen[name]
                out.append(_issue(ERROR, t, r.row, key, name,
                                  f"{what}“{name}”重复出现，首次出现在文件《{t0.file}》工作表“{t0.sheet}”第{r0.row}行；请删去重复的一行。",
                                  "duplicate"))
            else:
                seen[name] = (t, r)
    if tables:
        t = tables[0]
        for name in names:
            if name not in seen:
                out.append(Issue(ERROR, t.file, t.sheet, None, t.table.field(key).label, name,
                                 f"{month} 的{t.table.label}缺少{what}“{name}”的数据（参考数据中共 {len(names)} 个）。",
                                 "missing_name"))
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


def resolve_row_township(ref: Reference, t: ParsedTable, r, then: str = "") -> list[Issue]:
    """Replace a row's township by its official name; an unknown one is a warning with the closest name
    (``then`` says what follows for the row) and is kept as written."""
    raw = r.values.get("township")
    if not raw:
        return []
    official, suggestion = _township(ref, raw)
    r.values["township"] = official or raw
    if official is not None:
        return []
    hint = f"是否为“{suggestion}”？" if suggestion else "请使用参考数据中的乡镇苏木街道名称。"
    return [_issue(WARNING, t, r.row, "township", raw, f"“{clip(raw)}”不是已知的乡镇苏木街道，{hint}{then}",
                   "unknown_name")]


def resolve_unit(t: ParsedTable, ref: Reference) -> list[Issue]:
    """An assessment form's 填报单位 must name a known township; it becomes each row's township."""
    where = Issue(ERROR, t.file, t.sheet, t.unit_row, "填报单位", t.unit or "", "", "", t.unit_letter).where()
    if not t.unit:
        row = t.unit_row or t.header_row
        text = "填报单位为空" if t.unit is not None else "表头上方没有“填报单位：”一行"
        return [Issue(ERROR, t.file, t.sheet, row, "填报单位", "",
                      f"{where}：{text}，无法确定本表属于哪个乡镇苏木街道；请填写如“填报单位：贝子府镇”。",
                      "unit_missing", t.unit_letter)]
    official, suggestion = _township(ref, t.unit)
    if official is None:
        hint = f"是否为“{suggestion}”？" if suggestion else "请使用参考数据中的乡镇苏木街道名称。"
        return [Issue(ERROR, t.file, t.sheet, t.unit_row, "填报单位", t.unit,
                      f"{where}：“{clip(t.unit)}”不是已知的乡镇苏木街道，{hint}", "unknown_unit", t.unit_letter)]
    out = []
    hidden = invisible_in(t.unit)
    if hidden:
        out.append(Issue(WARNING, t.file, t.sheet, t.unit_row, "填报单位", t.unit,
                         f"{where}：填报单位中含有看不见的字符（{'、'.join(hidden)}），看起来与“{official}”相同；"
                         f"已去除后按“{official}”读取，请重新输入。", "invisible_characters", t.unit_letter))
    if has_traditional(t.unit):
        out.append(Issue(WARNING, t.file, t.sheet, t.unit_row, "填报单位", t.unit,
                         f"{where}：“{clip(t.unit)}”含繁体字，已按简体的正式名称“{official}”读取；今后请填写简体名称。",
                         "traditional_name", t.unit_letter))
    t.unit = official
    return out


def check_people(tables: list[ParsedTable], townships_df, month: str) -> list[Issue]:
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
                sev = ERROR if same_age else WARNING
                extra = "年龄也相同，应为重复填报，请删去一行。" if same_age else "但年龄不同，如确为同名的两个人请在备注中说明。"
                out.append(_issue(sev, t, r.row, "name", name,
                                  f"{t.unit}{clip(key[1])}的“{mask_name(name)}”已在文件《{t0.file}》工作表“{t0.sheet}”第{r0.row}行出现，{extra}",
                                  "duplicate_person"))
            else:
                seen[key] = (t, r)
    if townships_df is not None and len(townships_df) and tables:
        # a township whose 附件1 count could not be read cannot be checked (its cell is an error already)
        expected = {town: n for town, n in by_name(townships_df, "township", "dispersed").items() if n is not None}
        files = {}
        for t in tables:
            if t.unit:
                files.setdefault(t.unit, t)
        not_sent = [town for town in expected if counts.get(town, 0) == 0 and expected[town] > 0]
        if not_sent:
            out.append(Issue(WARNING, "", "", None, None, str(len(not_sent)),
                             f"{month} 有 {len(not_sent)} 个乡镇苏木街道没有报送排查评估表：{'、'.join(not_sent)}。",
                             "assessment_not_sent"))
        for town, n in expected.items():
            got = counts.get(town, 0)
            if got != n and town not in not_sent:
                t = files.get(town)
                text = (f"{month} {town}的排查评估表共 {got} 人，附件1 中该乡镇分散供养 {n} 人，"
                        f"{'尚有 ' + str(n - got) + ' 人未评估' if got < n else '多出 ' + str(got - n) + ' 人，请核对'}。")
                out.append(Issue(WARNING, t.file if t else "", t.sheet if t else "", None, None, str(got),
                                 (f"文件《{t.file}》：" if t else "") + text, "assessment_count"))
    return out


def check_coverage_optional(tables: list[ParsedTable], kind: str, ref: Reference, month: str) -> list[Issue]:
    """Coverage of an optional ledger (乡镇工作进度台账, 护理型床位与入住构成表): duplicates are errors,
    missing townships or homes are warnings (their duties show as not reported)."""
    out = check_coverage(tables, kind, ref, month)
    for i, issue in enumerate(out):
        if issue.code == "missing_name":
            out[i] = Issue(WARNING, issue.file, issue.sheet, issue.row, issue.column, issue.value,
                           issue.message.replace("的数据（", "的数据，按未报送处理（"), issue.code, issue.column_letter)
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
                out.append(_issue(WARNING, t, r.row, key, day.isoformat(),
                                  f"日期 {day.isoformat()} 晚于本台账所属月份 {month} 的月底，按截至月底尚未完成处理；请核实。",
                                  "date_after_month"))
        if v.get("group_formed") is None and v.get("scheme_adopted") is not None:
            out.append(_issue(WARNING, t, r.row, "group_formed", "",
                              "已填写考评方案制定日期，但领导小组成立日期为空；考评方案应由领导小组制定，请补填。",
                              "scheme_without_group"))
        signed, filed = v.get("agreements_signed"), v.get("agreements_filed")
        if signed is not None and filed is not None and filed > signed:
            out.append(_issue(ERROR, t, r.row, "agreements_filed", filed,
                              f"已备案 {filed} 份，多于已签订的 {signed} 份。", "filed_exceeds_signed"))
        n = people.get(town)
        if n is not None and signed is not None and signed > n:
            out.append(_issue(WARNING, t, r.row, "agreements_signed", signed,
                              f"已签订 {signed} 份，多于附件1中{town}的分散供养人数 {n} 人；请核实（每名分散供养特困人员一份）。",
                              "agreements_exceed_people"))
        if n and filed is not None and filed >= n and v.get("filed_on") is None:
            out.append(_issue(WARNING, t, r.row, "filed_on", "",
                              f"协议书已全部备案（{filed} 份），但备案日期为空，无法判断是否按期完成，按未完成处理；请补填备案日期。",
                              "filed_without_date"))
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
                out.append(_issue(ERROR, t, r.row, "staff_name", "", "工作人员姓名为空。", "empty_value"))
                continue
            key = (home, name)
            if key in seen:
                t0, r0 = seen[key]
                out.append(_issue(WARNING, t, r.row, "staff_name", name,
                                  f"{home}的工作人员“{mask_name(name)}”已在文件《{t0.file}》工作表“{t0.sheet}”第{r0.row}行出现；"
                                  f"如为重复填报请删去一行，如确为同名的两人请在备注中说明。", "duplicate_staff"))
            else:
                seen[key] = (t, r)
    if not tables:
        return out
    t = tables[0]
    stated = by_name(homes_df, "home", "staff")
    for home in ref.home_names:
        got = counts.get(home, 0)
        if got == 0:
            out.append(Issue(WARNING, t.file, t.sheet, None, "敬老院名称", home,
                             f"{month} 的敬老院工作人员台账中没有{home}的人员，该院的培训与配备情况按未报送处理。",
                             "staff_missing_home"))
            continue
        n = stated.get(home)
        if n is not None and int(n) != got:
            out.append(Issue(WARNING, t.file, t.sheet, None, "敬老院名称", home,
                             f"{month} 工作人员台账中{home}共 {got} 人，附件2 填报工作人员 {int(n)} 人，请核对。",
                             "staff_count_mismatch"))
        hs = heads.get(home, [])
        if not hs:
            out.append(Issue(WARNING, t.file, t.sheet, None, "岗位", home,
                             f"{month} 工作人员台账中{home}没有岗位为“负责人”的人员，请补填院长（负责人）。", "head_missing"))
        elif len(hs) > 1:
            t1, r1 = hs[1]
            out.append(_issue(WARNING, t1, r1.row, "role", "负责人",
                              f"{home}有 {len(hs)} 名负责人，按第一名（第{hs[0][1].row}行）判断是否兼职；请核实。", "head_twice"))
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
            out.append(_issue(WARNING, t, r.row, "nursing_beds", nb,
                              f"护理型床位 {nb} 张，多于附件2 中{h['home']}的实有床位 {h['beds']} 张，请核实。", "nursing_beds_exceed"))
        a, b = v.get("residents_tekun"), v.get("residents_other")
        if a is not None and b is not None and h["residents"] is not None and a + b != h["residents"]:
            out.append(_issue(WARNING, t, r.row, "residents_tekun", a,
                              f"入住特困人员 {a} 人 + 社会老人 {b} 人 = {a + b} 人，与附件2 中{h['home']}现入住 {h['residents']} 人不一致，请核对。",
                              "residents_split_mismatch"))
    return out


def check_benefits(t: ParsedTable, ref: Reference) -> list[Issue]:
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
            out.append(Issue(ERROR, t.file, t.sheet, t.unit_row, BENEFIT_LABEL, t.unit,
                             f"文件《{t.file}》工作表“{t.sheet}”第{t.unit_row}行：待遇类别“{clip(t.unit)}”无法识别，"
                             f"应为{'、'.join(vocab.labels)}之一。", "unknown_benefit", t.unit_letter))
    has_column = t.column("benefit") is not None
    if not has_column and not t.unit:
        out.append(Issue(ERROR, t.file, t.sheet, t.header_row, BENEFIT_LABEL, "",
                         f"文件《{t.file}》工作表“{t.sheet}”的名册既没有“{BENEFIT_LABEL}”列，表头上方也没有“{BENEFIT_LABEL}：”一行，"
                         f"无法确定是哪一种待遇的名册；请在表头上方写明，如“{BENEFIT_LABEL}：最低生活保障”。", "benefit_missing"))
    for r in t.rows:
        v = r.values
        if not v.get("benefit"):
            v["benefit"] = table_benefit
        out += resolve_row_township(ref, t, r, "此行只按身份证号比对。")
    return out


def check_identity(tables: list[ParsedTable], month: str) -> list[Issue]:
    """Identity numbers on the assessment forms: birth date and sex against the form's age and sex;
    the same number for two people."""
    from ..io.idcard import check, compare_with_form

    out = []
    end = month_end(month)
    seen: dict[str, tuple[ParsedTable, ParsedRow]] = {}
    for t in tables:
        for r in t.rows:
            number = r.values.get("id_number")
            if not number:
                continue
            idc = check(number, on=end)
            if not idc.ok:
                continue      # already reported by the reader
            for text in compare_with_form(idc, r.values.get("age"), r.values.get("sex"), end):
                out.append(_issue(WARNING, t, r.row, "id_number", number, f"{text}；请核对身份证号和表中填写。", "id_mismatch"))
            if number in seen:
                t0, r0 = seen[number]
                out.append(_issue(ERROR, t, r.row, "id_number", number,
                                  f"与文件《{t0.file}》工作表“{t0.sheet}”第{r0.row}行是同一个身份证号，同一人不应出现两次，"
                                  f"或其中一个号码填错。", "duplicate_id"))
            else:
                seen[number] = (t, r)
    return out


__all__ = ["check_benefits", "check_identity", "check_coverage_optional", "check_progress", "check_staff", "check_home_care","resolve_unit", "check_people", "check_columns", "resolve_names", "check_rows", "check_policy", "check_total", "check_coverage",
           "ROUNDING_WORDS", "COUNT", "SIGNED"]
