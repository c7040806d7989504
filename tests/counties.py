"""A second county for the tests, built in a temporary folder (never stored as files): 禾川县.

A made-up 县 of another shape than the bundled county: 14 乡镇 and 街道 (6 without a home of their own,
each served by a neighbour's, as its townships.csv says), 8 nursing homes, its own plan (禾政办发〔2024〕
7号: 50% occupancy by 2024-06-30, its own schedule dates and a money standard of 1,000 元), its own header
words in county.toml ``[headers]`` (乡镇（街道）名称, 实有床位（张）, 在院人数) and month tables of its own
layout: 附件1 with a two-row header (其中 over 全失能, 半失能), 附件2 with a merged title row directly above
its header and its columns in another order, 附件3 forms made by the sample generator from that 附件1.

:func:`build_county` writes it; the figures it puts in are :data:`TOWNSHIPS` and :data:`HOMES`, so a test
can sum them and compare. :data:`FOREIGN` lists what no output of this county may contain.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side

ROOT = Path(__file__).resolve().parent.parent

NAME = "禾川县"
MONTH = "2024-03"
#: a township with a home of its own, and one served by a neighbour's
OWN_HOME_TOWN, SERVED_TOWN = "东坪镇", "北塘镇"

COUNTY_TOML = f"""\
[county]
name = "{NAME}"
level = "县"
whole = "全县"
towns = "乡镇（街道）"
bureau = "禾川县民政局"
bureau_short = "县民政局"
own_level = "县本级"

[headers]
township = ["乡镇（街道）名称"]

[headers.homes]
beds = ["实有床位（张）"]
residents = ["在院人数"]
head = ["院长姓名"]
"""

#: name, served_by, note, dispersed, fully disabled, semi-disabled (附件1's figures, in 附件1's order)
TOWNSHIPS = (
    ("禾川镇", "禾川县中心敬老院", "", 212, 4, 17),
    ("东坪镇", "东坪镇敬老院", "", 156, 2, 11),
    ("西河镇", "西河镇敬老院", "", 98, 1, 6),
    ("南岗镇", "南岗镇敬老院", "", 134, 3, 9),
    ("北塘镇", "东坪镇敬老院", "本镇无敬老院，由相邻的东坪镇敬老院承接", 77, 1, 5),
    ("石门镇", "石门镇敬老院", "", 121, 0, 8),
    ("柳溪镇", "柳溪镇敬老院", "", 88, 2, 4),
    ("龙泉镇", "龙泉镇敬老院", "", 143, 3, 10),
    ("青山乡", "青山乡敬老院", "", 65, 1, 3),
    ("白沙乡", "青山乡敬老院", "本乡无敬老院，由相邻的青山乡敬老院承接", 54, 0, 4),
    ("桃源乡", "龙泉镇敬老院", "本乡无敬老院，由相邻的龙泉镇敬老院承接", 47, 1, 2),
    ("梅林乡", "柳溪镇敬老院", "本乡无敬老院，由相邻的柳溪镇敬老院承接", 59, 0, 3),
    ("城关街道", "禾川县中心敬老院", "本街道无敬老院，由禾川县中心敬老院承接", 38, 1, 2),
    ("河滨街道", "禾川县中心敬老院", "本街道无敬老院，由禾川县中心敬老院承接", 29, 0, 1),
)
#: name, township, head, phone, beds, residents, staff (附件2's figures, in 附件2's order)
HOMES = (
    ("禾川县中心敬老院", "禾川镇", "周立新", "13900001001", 120, 71, 14),
    ("东坪镇敬老院", "东坪镇", "吴建华", "13900001002", 60, 22, 6),
    ("西河镇敬老院", "西河镇", "郑国强", "13900001003", 40, 23, 5),
    ("南岗镇敬老院", "南岗镇", "王春来", "13900001004", 50, 18, 5),
    ("石门镇敬老院", "石门镇", "冯德胜", "13900001005", 36, 19, 4),
    ("柳溪镇敬老院", "柳溪镇", "陈永安", "13900001006", 45, 14, 4),
    ("龙泉镇敬老院", "龙泉镇", "褚庆丰", "13900001007", 55, 30, 6),
    ("青山乡敬老院", "青山乡", "卫守仁", "13900001008", 31, 11, 3),
)

#: the plan's dates and figures (policy.toml)
TARGET, DEADLINE = 0.5, dt.date(2024, 6, 30)
STANDARD = 1000
DUE = {"supervision_group": dt.date(2024, 4, 15), "evaluation_scheme": dt.date(2024, 4, 15),
       "agreement": dt.date(2024, 5, 15)}
ASSESS_START, ASSESS_END = dt.date(2024, 4, 1), dt.date(2024, 4, 30)
DOCUMENT = {"title": "关于提升特困人员供养服务质量的实施方案", "number": "禾政办发〔2024〕7号",
            "issuer": "禾川县人民政府办公室", "issued": dt.date(2024, 3, 8)}

#: what no output of this county may contain: the bundled county's name, level and words, its plan's
#: number, target and deadline
FOREIGN = ("敖汉", "苏木", "敖政办发", "全旗", "旗民政局", "60%", "10月31日")

#: the bundled plan's words as this county's plan says them (the plan's quoted sentences that are the
#: national policy's, not dates or targets)
_PLAN_WORDS = (("敖汉旗", NAME), ("旗民政局", "县民政局"), ("乡镇苏木街道", "乡镇（街道）"), ("旗财政", "县财政"))
#: this county's own sentences for the plan's dated parts
_SOURCES = {
    ("occupancy", "source"): "到2024年6月底，各敬老院入住率达到50%以上。",
    ("occupancy", "rounding_source"): "附件2“50%应住人数”列：各院按床位数乘以目标比例向上取整。",
    ("schedule.supervision_group", "source"): "各乡镇（街道）于4月15日前成立分散供养特困人员生活水平监督评价领导小组，并制定考评方案。",
    ("schedule.evaluation_scheme", "source"): "各乡镇（街道）于4月15日前成立分散供养特困人员生活水平监督评价领导小组，并制定考评方案。",
    ("schedule.assessment", "source"): "入户评估阶段（4月1日至4月30日）。各乡镇（街道）逐一入户考核评价。",
    ("schedule.agreement", "source"): "各乡镇（街道）于5月15日前完成监管监护协议书签订，并报县民政局备案。",
    ("followup", "source"): "入户评估阶段（4月1日至4月30日）。各乡镇（街道）逐一入户考核评价。",
}


def policy_toml() -> str:
    """This county's policy.toml: the bundled plan's structure and the national policy's quoted rules, with
    its own document, target, deadline, schedule, money standard and sentences."""
    raw = tomllib.loads((ROOT / "data" / "reference" / "policy.toml").read_text(encoding="utf-8"))
    raw = _replace_words(raw)
    raw["document"] = dict(DOCUMENT)
    raw["occupancy"].update(target=TARGET, deadline=DEADLINE)
    sched = raw["schedule"]
    for key, due in DUE.items():
        sched[key]["due"] = due
    sched["assessment"].update(start=ASSESS_START, end=ASSESS_END)
    sched["agreement"]["label"] = "《禾川县分散供养特困人员监管监护协议书》签订并报县民政局备案"
    raw["funds"]["monthly_standard_per_person"] = STANDARD
    for (section, key), text in _SOURCES.items():
        node = raw
        for part in section.split("."):
            node = node[part]
        node[key] = text
    text = "# 禾川县《关于提升特困人员供养服务质量的实施方案》（禾政办发〔2024〕7号）\n\n" + _toml(raw)
    left = [w for w in (*FOREIGN, "旗", "9月", "10月") if w in text]
    assert not left, f"the test county's plan still says {left}"
    return text


def _replace_words(value):
    if isinstance(value, str):
        for old, new in _PLAN_WORDS:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _replace_words(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_words(v) for v in value]
    return value


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, dt.date)):
        return v.isoformat() if isinstance(v, dt.date) else repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_scalar(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def _toml(table: dict, prefix: str = "") -> str:
    """``table`` as TOML: keys and inline values first, then sub-tables and arrays of tables."""
    def is_tables(v):
        return isinstance(v, list) and v and all(isinstance(x, dict) for x in v) and prefix.count(".") < 2
    lines = [f"{k} = {_scalar(v)}" for k, v in table.items() if not isinstance(v, dict) and not is_tables(v)]
    out = "\n".join(lines) + ("\n" if lines else "")
    for k, v in table.items():
        name = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out += f"\n[{name}]\n" + _toml(v, name)
        elif is_tables(v):
            for item in v:
                out += f"\n[[{name}]]\n" + _toml(item, name)
    return out


def write_reference(ref: Path) -> None:
    """Write the county's reference folder (county.toml, townships.csv, nursing_homes.csv, policy.toml) at ``ref``."""
    ref.mkdir(parents=True)
    (ref / "county.toml").write_text(COUNTY_TOML, encoding="utf-8")
    towns = ["order,name,served_by,note"] + [f"{i},{t[0]},{t[1]},{t[2]}" for i, t in enumerate(TOWNSHIPS, start=1)]
    (ref / "townships.csv").write_text("\n".join(towns) + "\n", encoding="utf-8")
    homes = ["order,name,township,head,phone,aliases"] + [f"{i},{h[0]},{h[1]},{h[2]},{h[3]}," for i, h in
                                                          enumerate(HOMES, start=1)]
    (ref / "nursing_homes.csv").write_text("\n".join(homes) + "\n", encoding="utf-8")
    (ref / "policy.toml").write_text(policy_toml(), encoding="utf-8")


_BOX = Border(*(Side(style="thin"),) * 4)


def _grid(ws, top: int, rows: list[list]) -> None:
    for r, values in enumerate(rows, start=top):
        for c, v in enumerate(values, start=1):
            if v is not None:
                cell = ws.cell(row=r, column=c, value=v)
                cell.border = _BOX
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_attachment1(folder: Path, month: str = MONTH) -> Path:
    """附件1 in this county's layout: a label, a merged title, a two-row header (其中 over 全失能, 半失能)."""
    year, mon = (int(x) for x in month.split("-"))
    wb = Workbook()
    ws = wb.active
    ws.title = "分乡镇统计"
    ws["A1"] = "附件1"
    ws["A2"] = f"{NAME}{year}年{mon}月分散供养特困人员分乡镇（街道）统计表"
    ws.merge_cells("A2:F2")
    _grid(ws, 3, [["序号", "乡镇（街道）名称", "分散供养人数", "其中", None, "备注"],
                  [None, None, None, "全失能人数", "半失能人数", None]])
    for col in ("A", "B", "C", "F"):
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:E3")
    rows = [[i, t[0], t[3], t[4], t[5], None] for i, t in enumerate(TOWNSHIPS, start=1)]
    total = ["合计", None, sum(t[3] for t in TOWNSHIPS), sum(t[4] for t in TOWNSHIPS), sum(t[5] for t in TOWNSHIPS), None]
    _grid(ws, 5, [*rows, total])
    path = folder / f"附件1 {NAME}{year}年{mon}月分散供养人员统计表.xlsx"
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def needed(beds: int, target: float = TARGET) -> int:
    """A home's residents at the target, rounded up as the plan says."""
    import math
    return math.ceil(beds * target - 1e-9)


def write_attachment2(folder: Path, month: str = MONTH, *, title_row: bool = True) -> Path:
    """附件2 in this county's layout: a merged title row directly above the header (``title_row``; without it
    the header is the first row), the county's own header words, staff before the target columns."""
    year, mon = (int(x) for x in month.split("-"))
    wb = Workbook()
    ws = wb.active
    ws.title = "敬老院"
    header = ["序号", "敬老院名称", "实有床位（张）", "在院人数", "工作人员人数", "50%应住人数", "达到50%还应入住人数",
              "院长姓名", "联系电话", "备注"]
    top = 1
    if title_row:
        ws["A1"] = f"{NAME}养老机构{year}年{mon}月情况统计表"
        ws.merge_cells("A1:J1")
        top = 2
    rows = [[i, h[0], h[4], h[5], h[6], needed(h[4]), needed(h[4]) - h[5], h[2], h[3], None]
            for i, h in enumerate(HOMES, start=1)]
    total = ["合计", None, *(sum(r[j] for r in rows) for j in range(2, 7)), None, None, None]
    _grid(ws, top, [header, *rows, total])
    path = folder / f"附件2 {NAME}养老机构{mon}月情况统计表.xlsx"
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def build_county(tmp: Path, *, title_row: bool = True, forms: bool = True, ledgers: bool = True) -> Path:
    """Write 禾川县's data folder under ``tmp``: reference/ and the month :data:`MONTH` (附件1, 附件2 and, with
    ``forms``, the sample generator's 附件3 forms from that 附件1; with ``ledgers`` too, its schedule ledgers,
    benefit rosters and money ledger). Returns the data folder."""
    data = tmp / "data"
    write_reference(data / "reference")
    folder = data / MONTH
    write_attachment1(folder)
    write_attachment2(folder, title_row=title_row)
    if forms:
        from tekun_helpers.sample import generate_sample

        generate_sample(MONTH, data)
    if forms and ledgers:
        from tekun_helpers.sample import write_benefit_samples, write_funds_samples, write_schedule_samples

        write_schedule_samples(MONTH, data)
        write_benefit_samples(MONTH, data)
        write_funds_samples(MONTH, data)
    return data


def data_names(data: Path) -> list[str]:
    """The names that are data (townships, homes, heads, file names), longest first: taken out of a text
    before looking for :data:`FOREIGN` words, in case one of them held such a word."""
    names = {t[0] for t in TOWNSHIPS} | {h[0] for h in HOMES} | {h[2] for h in HOMES}
    for p in data.rglob("*"):
        if p.is_file() and p.parent.name != "reference":
            names.update((p.name, p.stem))
    return sorted(names, key=len, reverse=True)


def foreign_words(text: str, data: Path | None = None) -> list[str]:
    """The :data:`FOREIGN` words in ``text`` (data names taken out first), each with what surrounds it."""
    if data is not None:
        for n in data_names(data):
            text = text.replace(n, "〇")
    return [text[max(0, m.start() - 25):m.end() + 25] for w in FOREIGN for m in re.finditer(re.escape(w), text)]
