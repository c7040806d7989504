"""The output registry: every computed column and table, declared once, as schema.py declares the inputs.

A :class:`Column` is what a report or an export shows of one value: its Chinese label, its
kind (which fixes the number format, the rounding, the alignment and how it reads in
Excel), its unit and how it totals. An :class:`OutputTable` is one computed table: its
Chinese title (the Excel sheet name) and its columns in display order. HTML and PDF
tables (:mod:`tekun_helpers.report.tables`), the Excel statistics workbook
(:mod:`tekun_helpers.publish.excel`) and chart labels read them from here; no label,
format or rounding is written anywhere else.

One rounding rule for every output: 四舍五入 (half up) on the decimal value, so 15/48
shows as 31.3% in HTML, PDF and Excel alike (:func:`tekun_helpers.core.fmt.round_half_up`).

Labels may name the plan's facts in braces, filled from the policy when shown:
``{target}`` (60%), ``{rounding}`` (向上取整), and the county's words (``{towns}``, ``{whole}`` …,
:mod:`tekun_helpers.config.county`), filled from ``policy.county``: see :func:`fill`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..core.fmt import cn_month, is_missing, round_half_up, rounding_words
from ..core.months import is_month, month_start
from .county import default_county
from .schema import COMPLAINTS, HOMES, TOWNSHIPS

# kinds of value
TEXT = "text"          # shown as it is, left-aligned
COUNT = "count"        # whole number with thousands separators: 2,700
SIGNED = "signed"      # whole number that may be negative (homes above target): -12
RATIO = "ratio"        # a fraction shown as a percentage with one decimal: 0.3125 -> 31.3%
DECIMAL = "decimal"    # one decimal: 4.26 -> 4.3
MONEY = "money"        # yuan with two decimals and thousands separators: 381,600.00
DATE = "date"          # 2023年9月8日; an Excel date cell
MONTH = "month"        # a month 'YYYY-MM' shown 2023年8月; an Excel date cell (the month's first day) shown so
FLAG = "flag"          # 是 / 否
STATUS = "status"      # a status word (按时完成 …), centred

NUMERIC = (COUNT, SIGNED, RATIO, DECIMAL, MONEY)
DIGITS = {RATIO: 1, DECIMAL: 1, MONEY: 2}
#: Excel's number format of each kind; a date is an Excel date shown the Chinese way (2023年9月8日)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MONTH_FORMAT = 'yyyy"年"m"月"'
EXCEL_FORMAT = {COUNT: "#,##0", SIGNED: "#,##0;-#,##0", RATIO: "0.0%", DECIMAL: "#,##0.0", MONEY: "#,##0.00",
                DATE: DATE_FORMAT, MONTH: MONTH_FORMAT}
FLAG_WORDS = {True: "是", False: "否"}
MISSING = "—"

# how a column totals in a 合计 row
SUM = "sum"            # the sum of the rows
NONE = "none"          # left empty (a rank, a name)
LABEL = "label"        # holds the word 合计
TOTAL_LABEL = "合计"


@dataclass(frozen=True)
class Column:
    """One computed column.

    key:   the column's name in the frames the analysis returns.
    label: the Chinese header; may hold ``{target}``, ``{rounding}`` or the county's words (``{whole}``).
    kind:  TEXT, COUNT, SIGNED, RATIO, DECIMAL, MONEY, DATE, MONTH, FLAG or STATUS.
    unit:  shown after the label in headers, e.g. 人 -> "现入住（人）".
    total: SUM, NONE or LABEL (how a 合计 row fills it); a RATIO's total is
           ``ratio_of`` recomputed from the totals of two other columns.
    ratio_of: (numerator key, denominator key) for a RATIO or DECIMAL total.
    """

    key: str
    label: str
    kind: str = TEXT
    unit: str = ""
    total: str = NONE
    ratio_of: tuple[str, str] | None = None

    def header(self, policy=None, *, unit: bool = True) -> str:
        """The Chinese header: the label with the plan's facts and the county's words filled in (:func:`fill`),
        and the unit in brackets."""
        text = fill(self.label, policy)
        return f"{text}（{self.unit}）" if self.unit and unit else text

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def align(self) -> str:
        """'right' for numbers, 'center' for flags, dates and statuses, 'left' for text."""
        if self.numeric:
            return "right"
        return "center" if self.kind in (FLAG, DATE, MONTH, STATUS) else "left"

    @property
    def excel_format(self) -> str | None:
        return EXCEL_FORMAT.get(self.kind)

    @property
    def excel_unit_format(self) -> str | None:
        """The Excel format with the unit after the number, for a cell that has no header of its own
        to carry it (a row of 关键指标): '#,##0" 人"'; the format alone when there is no unit."""
        fmt = self.excel_format
        if fmt is None or not self.unit or self.kind in (RATIO, DATE, MONTH):
            return fmt
        return ";".join(f'{part}" {self.unit}"' for part in fmt.split(";"))

    def text(self, value) -> str:
        """The value as a report shows it (the one rounding rule of this module)."""
        if self.kind == TEXT or self.kind == STATUS:
            return "" if value is None or is_missing(value) else str(value)
        if isinstance(value, str) and value == "":
            return ""                       # a 合计 row's cell that has no total
        if is_missing(value):
            return "" if self.kind == FLAG else MISSING
        if self.kind == FLAG:
            return FLAG_WORDS[bool(value)]
        if self.kind == DATE:
            return f"{value.year}年{value.month}月{value.day}日" if isinstance(value, dt.date) else str(value)
        if self.kind == MONTH:
            return cn_month(value) if is_month(value) else str(value)
        try:
            if self.kind == RATIO:
                return f"{round_half_up(Decimal(repr(float(value))) * 100, 1)}%"
            if self.kind in (DECIMAL, MONEY):
                return f"{round_half_up(value, DIGITS[self.kind]):,}"
            return f"{int(round_half_up(value, 0)):,}"
        except (InvalidOperation, ValueError, TypeError, OverflowError):
            return str(value)

    def excel(self, value):
        """The value as an Excel cell holds it (numbers stay numbers; the format does the rounding)."""
        if value is None or (isinstance(value, str) and value == "") or is_missing(value):
            return None
        if self.kind == FLAG:
            return FLAG_WORDS[bool(value)]
        if self.kind in (COUNT, SIGNED):
            return int(value)
        if self.kind in (RATIO, DECIMAL, MONEY):
            return float(value)
        if self.kind == DATE:
            return value if isinstance(value, dt.date) else str(value)
        if self.kind == MONTH:
            return month_start(value) if is_month(value) else str(value)
        return value

    def said(self, value) -> str:
        """The value named as a sentence says it, with the table's header: '上月人数 262 人', '支出类别 维修改造'."""
        return f"{self.header(unit=False)} {self.text(value)}" + (f" {self.unit}" if self.unit else "")


@dataclass(frozen=True)
class OutputTable:
    """One computed table: the Excel sheet's name and its columns in display order."""

    key: str
    title: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.title}没有列 {key!r}")

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def fill(label: str, policy=None) -> str:
    """``label`` with its fields filled: ``{target}`` and ``{rounding}`` from ``policy`` (目标 and nothing
    without one), the county's words from ``policy.county`` (without a policy: the county of the default data
    folder, :func:`~tekun_helpers.config.county.default_county`; pass the policy wherever one is at hand)."""
    if "{" not in label:
        return label
    county = policy.county if policy is not None else default_county()
    words = county.words()
    words.update(target=policy.target_percent if policy else "目标",
                 rounding=rounding_words(policy.rounding) if policy else "")
    return label.format_map(words)


def _field(table, key: str, kind: str = COUNT, **kw) -> Column:
    """A column that shows an input field: its label is the schema's (one source)."""
    return Column(key, table.field(key).label, kind, **kw)


# -- columns shared by several tables ------------------------------------------------------------

TOWNSHIP = Column("township", TOWNSHIPS.field("township").label, TEXT, total=LABEL)       # {towns}
HOME = Column("home", "敬老院", TEXT, total=LABEL)
HOME_TOWNSHIP = Column("township", "所在乡镇", TEXT)
DISPERSED = _field(TOWNSHIPS, "dispersed", total=SUM)
FULLY = _field(TOWNSHIPS, "fully_disabled", total=SUM)
SEMI = _field(TOWNSHIPS, "semi_disabled", total=SUM)
BEDS = Column("beds", "床位", COUNT, "张", SUM)
RESIDENTS = Column("residents", "现入住", COUNT, "人", SUM)
STAFF = Column("staff", "工作人员", COUNT, "人", SUM)
FREE_BEDS = Column("free_beds", "空余床位", COUNT, "张", SUM)
TRANSFER = Column("transfer", "应纳入集中供养", COUNT, "人", SUM)

TABLES: dict[str, OutputTable] = {t.key: t for t in (
    OutputTable("townships", "乡镇统计", (
        TOWNSHIP, DISPERSED, FULLY, SEMI,
        Column("disabled", "失能合计", COUNT, total=SUM),
        Column("fully_share", "全失能占比", RATIO, total=SUM, ratio_of=("fully_disabled", "dispersed")),
        Column("semi_share", "半失能占比", RATIO, total=SUM, ratio_of=("semi_disabled", "dispersed")),
        Column("disabled_share", "失能占比", RATIO, total=SUM, ratio_of=("disabled", "dispersed")),
        Column("share_of_banner", "占{whole}比例", RATIO, total=SUM, ratio_of=("dispersed", "dispersed")),
        Column("rank", "排名", COUNT),
    )),
    OutputTable("homes", "敬老院统计", (
        HOME, HOME_TOWNSHIP, _field(HOMES, "beds", total=SUM), _field(HOMES, "residents", total=SUM),
        Column("occupancy", "入住率", RATIO, total=SUM, ratio_of=("residents", "beds")),
        Column("needed", "{target}应住人数（按政策{rounding}）", COUNT, "人", SUM),
        Column("gap", "达到{target}还应入住人数（人，净数，负数为超出）", SIGNED, total=SUM),
        Column("missing", "未达标院尚缺人数", COUNT, "人", SUM),
        Column("at_target", "已达标", FLAG),
        Column("over_capacity", "超员", FLAG),
        FREE_BEDS, _field(HOMES, "staff", total=SUM),
        Column("residents_per_staff", "每名工作人员服务人数", DECIMAL, "人", SUM, ratio_of=("residents", "staff")),
    )),
    OutputTable("progress", "工作进度", (
        TOWNSHIP,
        Column("short", "工作", TEXT),
        Column("status", "状态", STATUS),
        Column("done_on", "完成日期", DATE),
        Column("due", "期限", DATE),
        Column("detail", "说明", TEXT),
    )),
    OutputTable("conflicts", "政策衔接", (
        TOWNSHIP,
        Column("village", "村/居委会", TEXT),
        Column("name", "姓名", TEXT),
        Column("id_number", "身份证号", TEXT),
        Column("benefit", "同时享受", TEXT),
        Column("rule", "方案规定", TEXT),
        Column("confirmed", "比对结果", TEXT),
        Column("basis", "依据", TEXT),
        Column("to_stop", "应停止", TEXT),
    )),
    OutputTable("funds", "资金拨付", (
        HOME,
        Column("residents", "入住特困人员", COUNT, "人", SUM),
        Column("due", "应拨", MONEY, "元", SUM),
        Column("allocated", "实拨", MONEY, "元", SUM),
        Column("shortfall", "少拨", MONEY, "元", SUM),
        Column("allocated_on", "拨付日期", DATE),
        Column("deadline", "期限", DATE),
        Column("problems", "问题", TEXT),
    )),
    OutputTable("staffing", "敬老院人员配备", (
        HOME, HOME_TOWNSHIP,
        Column("reported", "已报送台账", FLAG),
        Column("staff_listed", "台账人数", COUNT, "人", SUM),
        Column("care_workers", "护理人员", COUNT, "人", SUM),
        Column("trained", "培训达标", COUNT, "人", SUM),
        Column("not_trained", "培训未达标或未填", COUNT, "人", SUM),
        Column("head_part_time", "负责人兼职", FLAG),
        Column("head_missing", "缺负责人", FLAG),
        RESIDENTS,
        Column("residents_per_care_worker", "每名护理人员服务人数", DECIMAL, "人", SUM,
               ratio_of=("residents", "care_workers")),
        Column("ratio_over_norm", "超过配备标准", FLAG),
        Column("nursing_beds", "护理型床位", COUNT, "张", SUM),
        Column("residents_tekun", "入住特困人员", COUNT, "人", SUM),
        Column("residents_other", "入住社会老人", COUNT, "人", SUM),
    )),
    OutputTable("staffing_brief", "敬老院人员配备", (
        HOME,
        Column("staff_listed", "台账人数", COUNT, "人"),
        Column("care_workers", "护理人员", COUNT, "人"),
        Column("trained_text", "培训达标", STATUS),
        Column("head_text", "负责人", STATUS),
        RESIDENTS,
        Column("residents_per_care_worker", "每名护理人员服务人数", DECIMAL, "人"),
        Column("nursing_beds", "护理型床位", COUNT, "张"),
        Column("residents_tekun", "其中特困人员", COUNT, "人"),
        Column("residents_other", "其中社会老人", COUNT, "人"),
    )),
    OutputTable("cases", "人员名单", (
        TOWNSHIP,
        Column("village", "村/居委会", TEXT),
        Column("name", "姓名", TEXT),
        Column("sex", "性别", STATUS),
        Column("age", "年龄", STATUS),
        Column("self_care", "自理情况", STATUS),
        Column("guardian_name", "监护人/护理人", TEXT),
        Column("reasons", "理由", TEXT),
        Column("overdue", "逾期情况", TEXT),      # a township's list: found in an earlier month, past due
    )),
    OutputTable("answers", "评估结果分布", (
        Column("field", "评估项目", TEXT),
        Column("answers", "各项人数", TEXT),
    )),
    OutputTable("key_changes", "与上月比较", (
        Column("item", "指标", TEXT),
        Column("prev_t", "上月", TEXT),
        Column("now_t", "本月", TEXT),
        Column("change_t", "变化", TEXT),
    )),
    OutputTable("township_changes", "分散供养人数变化", (
        TOWNSHIP,
        Column("dispersed_prev", "上月", COUNT, "人", SUM),
        Column("dispersed", "本月", COUNT, "人", SUM),
        Column("dispersed_change", "变化", SIGNED, "人", SUM),
        Column("fully_disabled_change", "全失能变化", SIGNED, "人", SUM),
        Column("semi_disabled_change", "半失能变化", SIGNED, "人", SUM),
    )),
    OutputTable("home_changes", "敬老院入住变化", (
        HOME,
        Column("residents_prev", "上月入住", COUNT, "人", SUM),
        Column("residents", "本月入住", COUNT, "人", SUM),
        Column("residents_change", "变化", SIGNED, "人", SUM),
        Column("occupancy_prev", "上月入住率", RATIO),
        Column("occupancy", "本月入住率", RATIO),
        Column("staff_change", "工作人员变化", SIGNED, "人", SUM),
    )),
    OutputTable("sources", "数据来源", (
        Column("name", "文件", TEXT),
        Column("fingerprint", "数据指纹", STATUS),
        Column("sample", "示例数据", FLAG),
    )),
    OutputTable("conflicts_brief", "同时享受的待遇", (
        TOWNSHIP,
        Column("village", "村/居委会", TEXT),
        Column("name", "姓名", TEXT),
        Column("id_number", "身份证号", STATUS),
        Column("benefit", "同时享受", TEXT),
        Column("to_stop", "应停止", TEXT),
        Column("confirmed", "比对结果", STATUS),
    )),
    OutputTable("spending", "不得列支的支出", (
        HOME,
        Column("category", "支出类别", TEXT),
        Column("amount", "金额", MONEY, "元", SUM),
        Column("matched", "属于", TEXT),
    )),
    OutputTable("watch", "重点关注人员", (
        TOWNSHIP,
        Column("mental_illness", "精神疾病患者", COUNT, "人", SUM),
        Column("mental_listed", "其中列入集中供养", COUNT, "人", SUM),
        Column("new_applicants", "新申请", COUNT, "人", SUM),
        Column("placement", "其中审批后纳入", COUNT, "人", SUM),
    )),
    OutputTable("coverage", "评估覆盖", (
        TOWNSHIP, DISPERSED,
        Column("assessed", "已评估", COUNT, "人", SUM),
        Column("to_assess", "未评估", COUNT, "人", SUM),
        Column("coverage", "覆盖率", RATIO, total=SUM, ratio_of=("assessed", "dispersed")),
    )),
    OutputTable("rule_counts", "处理意见", (
        TOWNSHIP, TRANSFER,
        Column("escalate", "移交处理", COUNT, "人", SUM),
        Column("alert", "就医提醒", COUNT, "人", SUM),
        Column("transfer_fully_disabled", "应纳入者中失能", COUNT, "人", SUM),
    )),
    OutputTable("capacity", "承接能力", (
        TOWNSHIP,
        Column("homes", "承接敬老院", TEXT),
        TRANSFER, FREE_BEDS,
        Column("missing_to_target", "距目标尚缺", COUNT, "人"),
        Column("beds_short", "床位缺口", COUNT, "张", SUM),
        Column("shared", "与其他乡镇共用", FLAG),
    )),
    OutputTable("capacity_brief", "承接能力", (
        TOWNSHIP,
        Column("free_beds", "承接院空余床位", COUNT, "张"),
        Column("missing_to_target", "承接院距目标尚缺", COUNT, "人"),
    )),
    OutputTable("register", "整改跟踪", (
        Column("kind", "类别", TEXT),
        Column("responsible", "责任单位", TEXT),
        TOWNSHIP,
        Column("village", "村/居委会", TEXT),
        Column("name", "姓名", TEXT),
        Column("item", "问题", TEXT),
        Column("first_seen", "首次发现月份", MONTH),
        Column("due", "期限", DATE),
        Column("status", "状态", STATUS),
        Column("days_overdue", "逾期天数", COUNT, "天"),
        Column("detail", "落实情况", TEXT),
        Column("closed_in", "销号月份", MONTH),
        Column("months_open", "跟踪月数", COUNT, "个月"),
    )),
    OutputTable("township_flow", "人员增减", (
        TOWNSHIP,
        Column("last", "上月人数", COUNT, "人", SUM),
        Column("new", "新增", COUNT, "人", SUM),
        Column("out", "减少合计", COUNT, "人", SUM),
        Column("now", "本月人数", COUNT, "人", SUM),
        Column("annex1_now", "附件1 本月", COUNT, "人", SUM),
        Column("annex1_expected", "按增减推算", COUNT, "人", SUM),
    )),
    OutputTable("home_flow", "敬老院人员增减", (
        HOME,
        Column("last", "上月入住", COUNT, "人", SUM),
        Column("transferred_in", "转入（分散供养特困人员）", COUNT, "人", SUM),
        Column("other", "其他增减（附件2 推算）", SIGNED, "人", SUM),
        Column("now", "本月入住", COUNT, "人", SUM),
    )),
    OutputTable("placement", "转入安排", (
        TOWNSHIP,
        Column("candidates", "应纳入集中供养", COUNT, "人", SUM),
        Column("free_beds", "承接敬老院空余床位", COUNT, "张"),
        Column("placed_own", "可入住承接敬老院", COUNT, "人", SUM),
        Column("shortfall", "缺口", COUNT, "人", SUM),
        Column("placed_nearest", "就近调剂", COUNT, "人", SUM),
        Column("unplaced", "无床位", COUNT, "人", SUM),
    )),
    OutputTable("actions", "本月问题与措施", (
        Column("kind", "类别", STATUS),
        Column("finding", "发现的问题", TEXT),
        Column("who", "责任单位", TEXT),
        Column("due", "期限", TEXT),
    )),
    OutputTable("below_target", "未达目标的敬老院", (
        HOME, HOME_TOWNSHIP,
        Column("occupancy", "入住率", RATIO),
        Column("missing", "尚缺", COUNT, "人", SUM),
        _field(HOMES, "head", TEXT),
        _field(HOMES, "phone", STATUS),
    )),
    OutputTable("key_figures", "关键指标", (
        Column("item", "指标", TEXT),
        Column("value", "数值", TEXT),
    )),
)}

# the bureau's inspection of the homes (analysis.inspection): the ranking, the items, the items not met
INSPECTION_SCORE = Column("score", "得分率", RATIO)
TABLES.update({t.key: t for t in (
    OutputTable("inspection_ranking", "督查评比排名", (
        Column("rank", "名次", COUNT),
        HOME, HOME_TOWNSHIP,
        Column("inspected_on", "检查日期", DATE),
        INSPECTION_SCORE,
        Column("met", "符合", COUNT, "项"),
        Column("partly", "基本符合", COUNT, "项"),
        Column("not_met", "不符合", COUNT, "项"),
        Column("not_applicable", "不适用", COUNT, "项"),
        Column("failed", "不符合的项目", TEXT),
        _field(HOMES, "head", TEXT),
    )),
    OutputTable("inspection_items", "督查项目得分", (
        Column("title", "检查项目", TEXT),
        Column("section", "方案条款", STATUS),
        Column("weight", "权重", DECIMAL),
        INSPECTION_SCORE,
        Column("met", "符合", COUNT, "所"),
        Column("partly", "基本符合", COUNT, "所"),
        Column("not_met", "不符合", COUNT, "所"),
        Column("not_applicable", "不适用", COUNT, "所"),
    )),
    OutputTable("inspection_failed", "督查不符合项目", (
        HOME, HOME_TOWNSHIP,
        Column("title", "检查项目", TEXT),
        Column("evidence", "看到的情况", TEXT),
        _field(HOMES, "head", TEXT),
        Column("due", "整改期限", DATE),
    )),
)})

# the bureau's register of complaints and media reports (analysis.complaints.cases): the month's cases, texts public
TABLES["complaint_cases"] = OutputTable("complaint_cases", "举报与媒体反映问题", (
    _field(COMPLAINTS, "case_no", TEXT),
    _field(COMPLAINTS, "received_on", DATE),
    _field(COMPLAINTS, "channel", STATUS),
    Column("township", TOWNSHIPS.field("township").label, TEXT),
    _field(COMPLAINTS, "home", TEXT),
    _field(COMPLAINTS, "category", STATUS),
    _field(COMPLAINTS, "summary", TEXT),
    _field(COMPLAINTS, "unit", TEXT),
    _field(COMPLAINTS, "deadline", DATE),
    Column("state", "办理情况", STATUS),
    Column("days_overdue", "逾期", COUNT, "天"),
    _field(COMPLAINTS, "found", TEXT),
    _field(COMPLAINTS, "result", TEXT),
    _field(COMPLAINTS, "closed_on", DATE),
    _field(COMPLAINTS, "published_on", DATE),
    Column("source", "来源", TEXT),
))


#: the key figures (stats.key_figures) as the 关键指标 sheet lists them: key -> Column
KEY_FIGURES: tuple[Column, ...] = (
    Column("as_of", "数据截至", DATE),
    Column("target", "入住率目标", RATIO),
    Column("rounding", "应住人数取整方式", TEXT),
    Column("townships", "{towns}数", COUNT, "个"),
    Column("dispersed", "分散供养人数", COUNT, "人"),
    Column("fully_disabled", "全失能人数", COUNT, "人"),
    Column("semi_disabled", "半失能人数", COUNT, "人"),
    Column("disabled", "失能合计", COUNT, "人"),
    Column("homes", "公办敬老院", COUNT, "所"),
    Column("beds", "床位", COUNT, "张"),
    Column("residents", "现入住", COUNT, "人"),
    Column("occupancy", "入住率", RATIO),
    Column("needed", "{target}应住人数", COUNT, "人"),
    Column("net_gap", "还应入住人数（官方净数）", SIGNED, "人"),
    Column("missing_below_target", "未达标院尚缺人数", COUNT, "人"),
    Column("homes_at_target", "已达标敬老院", COUNT, "所"),
    Column("homes_below_target", "未达标敬老院", COUNT, "所"),
    Column("staff", "工作人员", COUNT, "人"),
    Column("free_beds", "空余床位", COUNT, "张"),
    Column("over_capacity", "超员敬老院", COUNT, "所"),
    Column("residents_per_staff", "每名工作人员服务人数", DECIMAL, "人"),
    Column("outlook_deadline", "入住率目标期限", DATE),
    Column("outlook_days_left", "距期限天数", SIGNED, "天"),
    Column("outlook_months_left", "距期限月数", COUNT, "个月"),
    Column("outlook_monthly_intake_needed", "平均每月需新增入住", COUNT, "人"),
)


@dataclass
class Sheet:
    """A computed table with its values, ready for a workbook: the registry's ``columns`` of ``frame``
    (a frame keyed by the columns' keys, a 合计 row already added where sums mean something).

    sample: the figures come from generated sample data (the sheet then carries the 示例数据 mark).
    policy: fills labels such as ``{target}应住人数``.
    row_columns: for a column whose rows are of different kinds (关键指标's 数值: a count, a rate, a
            date), its key -> one Column per row; that row's Column formats the cell, unit included.
    """

    columns: tuple[Column, ...]
    frame: object
    sample: bool = False
    policy: object = None
    row_columns: dict | None = None

    def column_at(self, column: Column, row: int) -> Column:
        """The Column that formats ``column``'s cell in row ``row`` (0-based, in the frame)."""
        per_row = (self.row_columns or {}).get(column.key)
        return per_row[row] if per_row is not None else column

    def headers(self) -> list[str]:
        return [c.header(self.policy) for c in self.columns]


#: the period report's tables (``tekun report --period``, :mod:`tekun_helpers.report.period`)
PERIOD_TABLES: dict[str, OutputTable] = {t.key: t for t in (
    OutputTable("period_months", "逐月关键指标", (
        Column("month", "月份", MONTH),
        DISPERSED,
        Column("assessed", "已评估", COUNT, "人"),
        Column("to_move", "应纳入集中供养", COUNT, "人"),
        Column("moved_in", "当月转入集中供养", COUNT, "人", SUM),
        BEDS,
        Column("residents", "入住人数", COUNT, "人"),
        Column("occupancy", "总体入住率", RATIO),
        Column("homes_at_target", "达标敬老院", COUNT, "所"),
        Column("homes", "敬老院", COUNT, "所"),
        Column("target", "当月入住率目标", RATIO),
        Column("deadline", "目标期限", DATE),
    )),
    OutputTable("period_occupancy", "各院逐月入住率", (HOME, HOME_TOWNSHIP)),
    OutputTable("period_targets", "目标完成情况", (
        Column("target", "入住率目标", RATIO),
        Column("deadline", "期限", DATE),
        Column("span", "适用月份", TEXT),
        Column("item", "对象", TEXT),
        Column("township", "所在乡镇", TEXT),
        Column("reached_in", "首次达到月份", MONTH),
        Column("status", "完成情况", STATUS),
        Column("occupancy_end", "期末入住率", RATIO),
    )),
    OutputTable("period_adjustments", "政策调整", (
        Column("effective", "生效日期", DATE),
        Column("first_month", "起适用月份", MONTH),
        Column("changes", "调整内容", TEXT),
        Column("source", "依据", TEXT),
    )),
    OutputTable("period_findings", "问题发现与整改", (
        Column("kind", "问题类别", TEXT, total=LABEL),
        Column("opened", "期内新发现", COUNT, "项", SUM),
        Column("closed", "期内已关闭", COUNT, "项", SUM),
        Column("open_end", "期末仍未关闭", COUNT, "项", SUM),
    )),
    OutputTable("period_moves_townships", "各乡镇转入集中供养", (
        TOWNSHIP,
        Column("moved_in", "转入集中供养", COUNT, "人", SUM),
    )),
    OutputTable("period_moves_homes", "各院接收与入住", (
        HOME, HOME_TOWNSHIP,
        Column("moved_in", "接收转入", COUNT, "人", SUM),
        Column("residents_start", "期初入住", COUNT, "人", SUM),
        Column("residents_end", "期末入住", COUNT, "人", SUM),
    )),
    # the months' columns (month_count_columns) go between the township and the change
    OutputTable("period_townships", "各乡镇逐月分散供养人数", (TOWNSHIP, Column("change", "期内变化", SIGNED, "人", SUM))),
    OutputTable("period_township_findings", "各乡镇问题发现与整改", (
        TOWNSHIP,
        Column("opened", "期内新发现", COUNT, "项", SUM),
        Column("closed", "期内已关闭", COUNT, "项", SUM),
        Column("open_end", "期末仍未关闭", COUNT, "项", SUM),
    )),
    OutputTable("period_funds", "供养资金应拨与实拨", (
        HOME,
        Column("months", "核算月数", COUNT, "个月"),
        Column("due", "应拨", MONEY, "元", SUM),
        Column("allocated", "实拨", MONEY, "元", SUM),
        Column("shortfall", "少拨", MONEY, "元", SUM),
    )),
)}
TABLES.update(PERIOD_TABLES)


def month_ratio_columns(months, label: str = "{month}") -> list[Column]:
    """One rate column per month 'YYYY-MM' (各院逐月入住率): keyed by the month, labelled 2023年8月."""
    return [Column(m, label.format(month=cn_month(m)), RATIO) for m in months]


def month_count_columns(months, unit: str = "人") -> list[Column]:
    """One count column per month 'YYYY-MM' (各乡镇逐月分散供养人数): keyed by the month, labelled 2023年8月, summed."""
    return [Column(m, cn_month(m), COUNT, unit, SUM) for m in months]


def flow_out_columns(reasons) -> list[Column]:
    """One count column per reason a person leaves dispersed care (减少：转入集中供养 …), after 新增."""
    return [Column(f"out_{r}", f"减少：{r}", COUNT, "人", SUM) for r in reasons]


def count_columns(names, unit: str = "项") -> list[Column]:
    """Count columns named by data (statuses, benefits): the names are their labels."""
    return [Column(n, n, COUNT, unit, SUM) for n in names]


def result_columns(levels) -> list[Column]:
    """One count column per answer of the form's 评估结果 (the vocabulary is the schema's): 结果较好, 结果较差 …"""
    return [Column(lv, f"结果{lv}", COUNT, "人", SUM) for lv in levels]


def table(key: str) -> OutputTable:
    """The declared table ``key`` (KeyError with the known keys otherwise)."""
    try:
        return TABLES[key]
    except KeyError:
        raise KeyError(f"没有登记的输出表 {key!r}；已登记：{', '.join(TABLES)}") from None
