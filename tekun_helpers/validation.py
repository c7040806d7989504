"""Checks on the month's parsed tables against the reference data and the policy.

Each check returns issues; none raises. Row-level value problems were already
reported by :mod:`tekun_helpers.readers` while parsing.
"""
from __future__ import annotations

from .issues import ERROR, WARNING, Issue
from .policy import Policy
from .readers import ParsedRow, ParsedTable
from .reference import Reference
from .schema import COUNT, SIGNED
from .privacy import mask_name, shown_value
from .textnorm import clip, has_traditional, to_simplified, to_text


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


def resolve_names(t: ParsedTable, ref: Reference) -> list[Issue]:
    """Map each row's name to the official one; unknown names get the closest suggestion."""
    out = []
    key = t.table.name_field
    kind = t.table.key
    what = "乡镇苏木街道" if kind == "townships" else "敬老院"
    for r in t.rows:
        raw = r.values.get(key)
        if not raw:
            continue
        official, suggestion = ref.match(kind, raw)
        if official:
            r.values[key] = official
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


def resolve_unit(t: ParsedTable, ref: Reference) -> list[Issue]:
    """An assessment form's 填报单位 must name a known township; it becomes each row's township."""
    where = Issue(ERROR, t.file, t.sheet, t.unit_row, "填报单位", t.unit or "", "", "", t.unit_letter).where()
    if not t.unit:
        row = t.unit_row or t.header_row
        text = "填报单位为空" if t.unit is not None else "表头上方没有“填报单位：”一行"
        return [Issue(ERROR, t.file, t.sheet, row, "填报单位", "",
                      f"{where}：{text}，无法确定本表属于哪个乡镇苏木街道；请填写如“填报单位：贝子府镇”。",
                      "unit_missing", t.unit_letter)]
    official, suggestion = ref.match("townships", t.unit)
    if official is None:
        # '贝子府镇人民政府' or '贝子府镇民政办' name the township too
        for name in ref.township_names:
            if to_simplified(t.unit).startswith(name):
                official = name
    if official is None:
        hint = f"是否为“{suggestion}”？" if suggestion else "请使用参考数据中的乡镇苏木街道名称。"
        return [Issue(ERROR, t.file, t.sheet, t.unit_row, "填报单位", t.unit,
                      f"{where}：“{clip(t.unit)}”不是已知的乡镇苏木街道，{hint}", "unknown_unit", t.unit_letter)]
    out = []
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
        expected = dict(zip(townships_df["township"], townships_df["dispersed"]))
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


__all__ = ["resolve_unit", "check_people", "check_columns", "resolve_names", "check_rows", "check_policy", "check_total", "check_coverage",
           "ROUNDING_WORDS", "COUNT", "SIGNED"]
