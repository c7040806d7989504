"""Every field of every table, once: English key, official Chinese label, aliases, type.

Readers find columns through this module, reports label columns through it,
and the Excel export writes headers from it. Adding an alias here is how a new
spelling that a township uses becomes readable.

A label or alias that names the county's words is a template (``"{towns}"``,
``"已报{bureau_short}备案份数"``, see :mod:`tekun_helpers.config.county`): the tables
here are the same for every county, and :func:`bind` gives a table as one county
reads and shows it, its labels filled and the county's own header words
(county.toml's ``[headers]``) added to the aliases. Whatever shows a label or
matches a header uses a bound table (:func:`bound_tables`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, Protocol

from ..core.text import fold_label


@lru_cache(maxsize=None)
def _folded_labels(label: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold_label(x) for x in (label, *aliases)))

# kinds of field
COUNT = "count"      # whole number >= 0
SIGNED = "signed"    # whole number, may be negative (还应入住人数)
TEXT = "text"
SEQ = "seq"          # 序号: read, not kept
IDNUM = "idnum"      # 身份证号: 18 characters, checked by tekun_helpers.io.idcard; never shown in full
MONEY = "money"      # 元, two decimals, >= 0, read as Decimal (never float)
DATE = "date"        # a calendar day (Excel date, 2023-09-12, 2023年9月12日, 2023.9.12); empty = not yet


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False
    summed: bool = False  # the 合计 row carries its sum
    recomputed: bool = False  # the report computes it anew from other columns: a bad value is only a warning

    def folded_labels(self) -> tuple[str, ...]:
        return _folded_labels(self.label, self.aliases)


@dataclass(frozen=True)
class Table:
    key: str
    label: str            # what the table is called in messages
    name_field: str       # the field naming each row (township, home)
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields if f.kind != SEQ]

    @property
    def has_totals(self) -> bool:
        return any(f.summed for f in self.fields)

    def labels(self) -> dict[str, str]:
        """English key -> official Chinese label, for renaming frames in reports."""
        return {f.key: f.label for f in self.fields}


TOTAL_WORDS = ("合计", "总计", "合計", "總計", "小计", "共计")

TOWNSHIPS = Table(
    key="townships",
    label="附件1 分散供养人员分乡镇统计表",
    name_field="township",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("township", "{towns}", TEXT, ("乡镇", "乡镇名称", "单位", "乡镇街道"), required=True),
        Field("dispersed", "分散供养人数", COUNT, ("分散供养特困人员人数", "分散供养人员数", "人数"), required=True, summed=True),
        Field("fully_disabled", "全失能人数", COUNT, ("其中：全失能人数", "全失能", "失能人数", "完全失能人数"), required=True, summed=True),
        Field("semi_disabled", "半失能人数", COUNT, ("半失能", "部分失能人数"), required=True, summed=True),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

HOMES = Table(
    key="homes",
    label="附件2 养老机构情况统计表",
    name_field="home",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("home", "名称", TEXT, ("敬老院名称", "机构名称", "养老机构", "敬老院", "单位名称"), required=True),
        Field("beds", "实有床位数（张）", COUNT, ("实有床位数", "床位数", "床位"), required=True, summed=True),
        Field("residents", "现入住老人数（人）", COUNT, ("现入住老人数", "入住老人数", "入住人数", "现入住人数"), required=True, summed=True),
        Field("needed_stated", "{target}应住人数", COUNT, ("应住人数",), summed=True, recomputed=True),
        Field("missing_stated", "达到{target}还应入住人数", SIGNED, ("还应入住人数", "达到{target}还需入住人数"), summed=True,
              recomputed=True),
        Field("staff", "工作人员人数", COUNT, ("工作人员数", "工作人员"), required=True, summed=True),
        Field("head", "负责人", TEXT, ("院长",)),
        Field("phone", "联系电话", TEXT, ("电话", "联系方式")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)



# -- 附件3: the per-person assessment form ------------------------------------------

CHOICE = "choice"    # one of a fixed vocabulary, normalised to an ordered level
AGE = "age"          # whole number of years, 0..120


@dataclass(frozen=True)
class Level:
    """One answer of a fixed vocabulary. ``rank`` orders answers from best (0) to worst."""

    label: str
    rank: int
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def _answers(levels: tuple[Level, ...]) -> dict[str, str]:
    """Every accepted spelling (folded) -> its canonical label; the first level wins a shared spelling."""
    from ..core.text import fold

    out: dict[str, str] = {}
    for lv in levels:
        for x in (lv.label, *lv.aliases):
            out.setdefault(fold(x, drop_units=False), lv.label)
    return out


@dataclass(frozen=True)
class Vocabulary:
    key: str
    levels: tuple[Level, ...]

    @property
    def labels(self) -> list[str]:
        return [lv.label for lv in self.levels]

    def normalise(self, raw: object) -> str | None:
        """The canonical label for an answer, or None when it is not a known answer (never guessed)."""
        from ..core.text import fold

        return _answers(self.levels).get(fold(raw, drop_units=False))

    def rank(self, label: str) -> int:
        for lv in self.levels:
            if lv.label == label:
                return lv.rank
        raise KeyError(label)


YES_NO = Vocabulary("yes_no", (
    Level("是", 0, ("能", "有", "√", "✓", "y", "yes", "Y")),
    Level("否", 1, ("不能", "无", "没有", "不是", "×", "n", "no", "N")),
))

VOCABULARIES: dict[str, Vocabulary] = {v.key: v for v in (
    Vocabulary("sex", (Level("男", 0, ("男性",)), Level("女", 0, ("女性",)))),
    # 自理情况：失能、半失能、自理
    Vocabulary("self_care", (
        Level("自理", 0, ("全自理", "能自理", "生活自理", "生活能够全自理")),
        Level("半失能", 1, ("部分失能", "部分自理", "生活部分不能自理")),
        Level("失能", 2, ("全失能", "完全失能", "生活完全不能自理", "不能自理")),
    )),
    # 住房情况：自有、借住、幸福院
    Vocabulary("housing", (
        Level("自有", 0, ("自有住房", "自建房", "自家")),
        Level("幸福院", 0, ("互助幸福院", "农村互助幸福院")),
        Level("借住", 1, ("租住", "借住亲友", "寄住")),
    )),
    # 居住环境：整洁干净、一般、脏乱差
    Vocabulary("environment", (
        Level("整洁干净", 0, ("整洁", "干净", "干净整洁")),
        Level("一般", 1, ()),
        Level("脏乱差", 2, ("脏乱", "差", "较差")),
    )),
    # 生活质量：较好、一般、较差
    Vocabulary("quality", (
        Level("较好", 0, ("好",)),
        Level("一般", 1, ()),
        Level("较差", 2, ("差",)),
    )),
    # 护理情况: the header says 较好、一般、较差, note 2 defines 较好、较差、差. Both are accepted;
    # the merged order is 较好 < 一般 < 较差 < 差.
    Vocabulary("care", (
        Level("较好", 0, ("好",)),
        Level("一般", 1, ()),
        Level("较差", 2, ()),
        Level("差", 3, ("很差",)),
    )),
    # 评估结果：较好、较差、差
    Vocabulary("result", (
        Level("较好", 0, ("好",)),
        Level("较差", 1, ()),
        Level("差", 2, ("很差",)),
    )),
    YES_NO,
)}


@dataclass(frozen=True)
class ChoiceField(Field):
    vocabulary: str = ""


ASSESSMENTS = Table(
    key="assessments",
    label="附件3 分散供养特困人员排查评估表",
    name_field="name",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("village", "村/居委会", TEXT, ("村居委会", "村（居）委会", "村", "嘎查村", "村/社区"), required=True),
        Field("name", "姓名", TEXT, ("特困人员姓名", "被监护人姓名"), required=True),
        ChoiceField("sex", "性别", CHOICE, (), required=True, vocabulary="sex"),
        Field("age", "年龄", AGE, (), required=True),
        Field("guardian_name", "监护人/护理人姓名", TEXT, ("监护人姓名", "护理人姓名", "监护人（护理人）姓名")),
        Field("guardian_age", "监护人/护理人年龄", AGE, ("监护人年龄", "护理人年龄")),
        Field("guardian_relation", "监护人/护理人与被监护人关系", TEXT, ("与被监护人关系", "监护人关系", "关系")),
        ChoiceField("self_care", "自理情况", CHOICE, ("自理情况：失能、半失能、自理",), required=True, vocabulary="self_care"),
        ChoiceField("housing", "住房情况", CHOICE, ("住房情况：自有、借住、幸福院",), required=True, vocabulary="housing"),
        ChoiceField("environment", "居住环境", CHOICE, ("居住环境：整洁干净、一般、脏乱差",), required=True, vocabulary="environment"),
        ChoiceField("quality", "生活质量", CHOICE, ("生活质量：较好、一般、较差",), required=True, vocabulary="quality"),
        ChoiceField("care", "护理情况", CHOICE, ("护理情况：较好、一般、较差", "护理情况：较好、较差、差"), required=True, vocabulary="care"),
        ChoiceField("treated", "生病是否能得到及时救治", CHOICE, ("生病能否得到及时救治", "是否及时救治"), required=True, vocabulary="yes_no"),
        ChoiceField("self_controls_allowance", "特困供养费是否由本人支配", CHOICE, ("供养费是否由本人支配",), required=True, vocabulary="yes_no"),
        ChoiceField("rights_infringed", "是否存在侵占特困供养人员合法权益", CHOICE, ("是否存在侵占合法权益", "是否侵占合法权益"), required=True, vocabulary="yes_no"),
        ChoiceField("result", "评估结果", CHOICE, ("评估结果：较好、较差、差",), required=True, vocabulary="result"),
        Field("note", "备注", TEXT, ("说明",)),
        # optional columns a township may add (the form's note 3 allows it); the blank form carries them
        Field("id_number", "身份证号", IDNUM, ("身份证号码", "公民身份号码", "身份证")),
        ChoiceField("mental_illness", "是否患有精神疾病", CHOICE, ("精神疾病", "是否精神疾病患者", "精神疾病患者"),
                    vocabulary="yes_no"),
        ChoiceField("new_applicant", "是否新申请", CHOICE, ("新申请", "是否新申请人员", "新申请特困人员"), vocabulary="yes_no"),
        # the day of the person's latest 考核评价 (入户评估) the row's answers come from; blank: the month of the form
        # (older forms have no such column); periodic re-assessment counts from it (policy [assessment])
        Field("assessed_on", "评估日期", DATE, ("考核评价日期", "入户评估日期", "评估时间", "考核评价时间")),
    ),
)
ASSESSMENT_EXTRA_HEADER = ("身份证号", "是否患有精神疾病", "是否新申请", "评估日期")

#: the form's title, after the county's name (敖汉旗分散供养特困人员排查评估表)
ASSESSMENT_TITLE = "{name}分散供养特困人员排查评估表"
ASSESSMENT_UNIT_LABEL = "填报单位"
ASSESSMENT_NOTES = (
    "注：1.生活质量可从三餐是否规律、营养是否均衡，生活物资是否充足等方面综合评判。",
    "2.护理情况较好：衣着干净，无异味，饮食营养均衡；较差：卫生较差，室内有轻微异味；差：被褥衣服较脏，室内及个人卫生差，室内异味较大。",
    "3.本表仅供参考，各{towns}可根据实际情况进行修改。",
)
# the official header, as printed in the source document
ASSESSMENT_HEADER = (
    "序号", "村/居委会", "姓名", "性别", "年龄", "监护人/护理人姓名", "监护人/护理人年龄",
    "监护人/护理人与被监护人关系", "自理情况：失能、半失能、自理", "住房情况：自有、借住、幸福院",
    "居住环境：整洁干净、一般、脏乱差", "生活质量：较好、一般、较差", "护理情况：较好、一般、较差",
    "生病是否能得到及时救治", "特困供养费是否由本人支配", "是否存在侵占特困供养人员合法权益",
    "评估结果：较好、较差、差", "备注",
)



# -- the plan's schedule: township ledger and nursing-home staff roster ------------------

PROGRESS = Table(
    key="progress",
    label="乡镇工作进度台账",
    name_field="township",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("township", "{towns}", TEXT, ("乡镇", "乡镇名称", "单位", "乡镇街道"), required=True),
        Field("group_formed", "监督评价领导小组成立日期", DATE, ("领导小组成立日期", "成立日期", "监督评价领导小组成立时间")),
        Field("scheme_adopted", "考评方案制定日期", DATE, ("考评方案制定时间", "考评方案日期", "考评方案印发日期")),
        Field("agreements_signed", "监管监护协议书已签订份数", COUNT, ("协议书已签订份数", "已签订协议书份数", "协议书签订份数")),
        Field("agreements_filed", "已报{bureau_short}备案份数", COUNT, ("协议书备案份数", "已备案份数", "备案份数")),
        Field("filed_on", "备案日期", DATE, ("报备日期", "协议书备案日期", "报{bureau_short}备案日期")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

# the roles and kinds of employment of the staff roster
ROLE_HEAD, ROLE_CARE, ROLE_OTHER = "负责人", "护理人员", "其他"
FULL_TIME, PART_TIME = "专职", "兼职"
VOCABULARIES["role"] = Vocabulary("role", (
    Level(ROLE_HEAD, 0, ("院长", "负责人（院长）", "院长（负责人）", "负责人/院长")),
    Level(ROLE_CARE, 1, ("护理员", "护工", "护理人员（护理员）", "养老护理员")),
    Level(ROLE_OTHER, 2, ("其他人员", "副院长", "厨师", "炊事员", "会计", "出纳", "保洁", "保安", "门卫", "司机", "后勤", "管理人员")),
))
VOCABULARIES["employment"] = Vocabulary("employment", (
    Level(FULL_TIME, 0, ("全职", "专职人员")),
    Level(PART_TIME, 1, ("兼任", "兼职人员", "临时", "临时工")),
))

STAFF = Table(
    key="staff",
    label="敬老院工作人员台账",
    name_field="home",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("home", "敬老院名称", TEXT, ("敬老院", "机构名称", "所在敬老院", "单位名称"), required=True),
        Field("staff_name", "工作人员姓名", TEXT, ("姓名", "人员姓名"), required=True),
        ChoiceField("role", "岗位", CHOICE, ("岗位：负责人、护理人员、其他", "职务", "岗位类别"), required=True, vocabulary="role"),
        ChoiceField("employment", "专职或兼职", CHOICE, ("专职/兼职", "用工形式", "专兼职"), required=True, vocabulary="employment"),
        Field("hired_on", "到岗日期", DATE, ("入职日期", "上岗日期")),
        Field("training_hours", "本年累计培训课时", COUNT, ("培训课时", "年度培训课时", "本年度培训课时", "累计培训课时")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

HOME_CARE = Table(
    key="home_care",
    label="敬老院护理型床位与入住构成表",
    name_field="home",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("home", "名称", TEXT, ("敬老院名称", "机构名称", "养老机构", "敬老院"), required=True),
        Field("nursing_beds", "护理型床位数（张）", COUNT, ("护理型床位数", "护理型床位"), required=True, summed=True),
        Field("residents_tekun", "入住特困人员数（人）", COUNT, ("入住特困人员数", "特困人员", "其中：特困人员"), required=True, summed=True),
        Field("residents_other", "入住社会老人数（人）", COUNT, ("入住社会老人数", "社会老人", "其他老人", "入住其他老人数"), required=True, summed=True),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)


# -- benefits that exclude each other, and the support money --------------------------------

BENEFIT_LABEL = "待遇类别"   # written above a roster's header (待遇类别：最低生活保障) or as a column
VOCABULARIES["benefit"] = Vocabulary("benefit", (
    Level("最低生活保障", 0, ("低保", "城乡低保", "农村低保", "城市低保", "最低生活保障对象")),
    Level("孤儿基本生活保障", 1, ("孤儿", "孤儿保障", "孤儿基本生活费")),
    Level("困难残疾人生活补贴", 2, ("残疾人生活补贴", "困难残疾人补贴")),
    Level("重度残疾人护理补贴", 3, ("重度残疾人补贴", "残疾人护理补贴", "护理补贴")),
))

BENEFITS = Table(
    key="benefits",
    label="享受其他待遇人员名册",
    name_field="name",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        ChoiceField("benefit", BENEFIT_LABEL, CHOICE, ("待遇名称", "救助类别", "补贴类别"), vocabulary="benefit"),
        Field("township", "{towns}", TEXT, ("乡镇", "乡镇名称", "乡镇街道"), required=True),
        Field("village", "村/居委会", TEXT, ("村居委会", "村（居）委会", "村", "嘎查村", "村/社区"), required=True),
        Field("name", "姓名", TEXT, ("享受人姓名", "对象姓名", "户主姓名"), required=True),
        Field("id_number", "身份证号", IDNUM, ("身份证号码", "公民身份号码", "身份证")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

FUNDS = Table(
    key="funds",
    label="特困人员供养资金拨付台账",
    name_field="home",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("home", "敬老院名称", TEXT, ("敬老院", "供养机构", "机构名称", "名称"), required=True),
        Field("allocated", "拨付金额（元）", MONEY, ("拨付金额", "实拨金额", "本月拨付金额", "拨付资金"), required=True),
        Field("allocated_on", "拨付日期", DATE, ("到账日期", "拨付时间"), required=True),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

SPENDING = Table(
    key="spending",
    label="特困人员供养资金支出明细",
    name_field="home",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("home", "敬老院名称", TEXT, ("敬老院", "供养机构", "机构名称"), required=True),
        Field("category", "支出类别", TEXT, ("支出项目", "用途", "费用类别"), required=True),
        Field("amount", "支出金额（元）", MONEY, ("支出金额", "金额"), required=True),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

# -- people who leave dispersed care: 分散供养特困人员增减变动表 --------------------------------
# One row per person who left the township's dispersed-care list in the month, with why. The
# assessment forms only list who is there; this table says where the others went (the follow-up
# register closes a transfer as 已入住 with it, and the monthly flow counts 减少 by reason).
VOCABULARIES["change"] = Vocabulary("change", (
    Level("转入集中供养", 0, ("转入敬老院", "集中供养", "入住敬老院", "转集中供养", "转入敬老院集中供养")),
    Level("死亡", 1, ("去世", "病故", "亡故", "已故")),
    Level("退出", 2, ("退出特困供养", "取消特困供养", "停止供养", "终止供养")),
    Level("迁出", 3, ("迁往外地", "户口迁出", "迁出本乡镇")),
))

CHANGES = Table(
    key="changes",
    label="分散供养特困人员减少情况表",
    name_field="name",
    fields=(
        Field("seq", "序号", SEQ, ("编号",)),
        Field("township", "{towns}", TEXT, ("乡镇", "乡镇名称", "乡镇街道"), required=True),
        Field("village", "村/居委会", TEXT, ("村居委会", "村（居）委会", "村", "嘎查村", "村/社区"), required=True),
        Field("name", "姓名", TEXT, ("特困人员姓名",), required=True),
        ChoiceField("sex", "性别", CHOICE, (), vocabulary="sex"),
        Field("id_number", "身份证号", IDNUM, ("身份证号码", "公民身份号码", "身份证")),
        ChoiceField("change", "减少原因", CHOICE, ("减少原因：转入集中供养、死亡、退出、迁出", "变动原因", "变动情况", "减员原因"),
                    required=True, vocabulary="change"),
        Field("home", "转入敬老院", TEXT, ("入住敬老院", "转入机构", "迁入地")),
        Field("changed_on", "变动日期", DATE, ("减少日期", "入住日期", "死亡日期", "变动时间")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

# -- the bureau's inspection of a nursing home: 敬老院供养服务督查检查表 ------------------------------
# One workbook per home and visit (tekun forms --kind 督查): one row per item of data/reference/inspection.toml,
# the answer one of four. The home is written on every row; the date and the inspectors once (a merged cell
# down the rows, filled down when read: tekun_helpers.config.inspection.fill_down).
VOCABULARIES["inspection"] = Vocabulary("inspection", (
    Level("符合", 0, ("达标", "合格", "是", "√", "✓")),
    Level("基本符合", 1, ("基本达标", "基本合格", "部分符合")),
    Level("不符合", 2, ("不达标", "不合格", "否", "×")),
    Level("不适用", 3, ("不涉及", "无此项", "/", "—")),
))

INSPECTIONS = Table(
    key="inspections",
    label="敬老院供养服务督查检查表",
    name_field="home",
    fields=(
        Field("seq", "序号", SEQ, ()),
        Field("home", "受检敬老院", TEXT, ("敬老院名称", "敬老院", "被检查单位", "检查单位"), required=True),
        Field("inspected_on", "检查日期", DATE, ("督查日期", "检查时间")),
        Field("inspectors", "检查人员", TEXT, ("督查人员", "检查人")),
        Field("item", "项目编号", TEXT, ("检查项目编号", "项目代码"), required=True),
        Field("title", "检查项目", TEXT, ("检查内容", "督查项目")),
        Field("clause", "方案原文", TEXT, ("方案要求", "检查依据")),
        Field("weight", "权重", TEXT, ("分值",)),
        ChoiceField("answer", "检查结果", CHOICE, ("检查结果：符合、基本符合、不符合、不适用", "督查结果", "结果"),
                    required=True, vocabulary="inspection"),
        Field("evidence", "看到的情况", TEXT, ("检查情况", "发现的情况", "现场情况")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

# -- the bureau's register of complaints and media reports: 举报与媒体报道问题登记表 ----------------------
# One workbook for the county (tekun forms --kind 举报), kept by the bureau: one row per case received, carried
# from month to month while it is open (the same 登记编号 every month) until it is closed and its result published.
# The channels and categories are data/reference/complaints.toml's (tekun_helpers.config.complaints), checked by
# tekun_helpers.checks.complaints; the person concerned is a name (masked like every name, never published).
COMPLAINTS = Table(
    key="complaints",
    label="举报与媒体报道问题登记表",
    name_field="case_no",
    fields=(
        Field("seq", "序号", SEQ, ()),
        Field("case_no", "登记编号", TEXT, ("编号", "案件编号", "受理编号"), required=True),
        Field("received_on", "受理日期", DATE, ("收到日期", "登记日期", "受理时间"), required=True),
        Field("channel", "来源渠道", TEXT, ("来源", "渠道", "反映渠道", "问题来源"), required=True),
        Field("township", "{towns}", TEXT, ("所在乡镇", "乡镇", "乡镇街道"), required=True),
        Field("home", "涉及敬老院", TEXT, ("涉及机构", "被反映敬老院")),
        Field("person_name", "涉及人员", TEXT, ("涉及人员姓名", "被反映人员")),
        Field("category", "问题类别", TEXT, ("类别", "问题类型"), required=True),
        Field("summary", "反映的问题", TEXT, ("反映问题", "举报内容", "报道内容", "反映内容"), required=True),
        Field("unit", "承办单位", TEXT, ("办理单位", "责任单位"), required=True),
        Field("deadline", "办理期限", DATE, ("办结期限", "期限")),
        Field("found", "调查核实情况", TEXT, ("核实情况", "调查情况", "查实情况")),
        Field("result", "处理结果", TEXT, ("处理情况", "办理结果")),
        Field("closed_on", "办结日期", DATE, ("办结时间",)),
        Field("published_on", "公布日期", DATE, ("公示日期", "公布时间")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

TABLES: dict[str, Table] = {t.key: t for t in (TOWNSHIPS, HOMES, ASSESSMENTS, PROGRESS, STAFF, HOME_CARE, BENEFITS,
                                               FUNDS, SPENDING, CHANGES, INSPECTIONS, COMPLAINTS)}

#: the fields that hold a person's name, by table (what a public text must never hold: the public notice keeps
#: every name of every month's tables out; a month's trace keeps these columns for it)
PERSON_NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "assessments": ("name", "guardian_name"), "staff": ("staff_name",), "benefits": ("name",), "changes": ("name",),
    "complaints": ("person_name",), "homes": ("head",), "inspections": ("inspectors",)}


class County(Protocol):
    """What :func:`bind` needs of a county (:class:`tekun_helpers.config.county.County`, which reads county.toml
    and checks its header words against this module)."""

    def fill(self, template: str) -> str: ...

    def header_words(self, table: str, field: str) -> tuple[str, ...]: ...


@lru_cache(maxsize=256)
def bind(table: Table, county: County) -> Table:
    """``table`` as ``county`` reads and shows it: labels and aliases with the county's words filled in
    (``{towns}`` -> 乡镇苏木街道), then the county's own header words for each field appended to its aliases."""
    def bound(f: Field) -> Field:
        aliases = tuple(county.fill(a) for a in f.aliases) + county.header_words(table.key, f.key)
        return replace(f, label=county.fill(f.label), aliases=tuple(dict.fromkeys(aliases)))

    return replace(table, fields=tuple(bound(f) for f in table.fields))


@lru_cache(maxsize=16)
def bound_tables(county: County) -> Mapping[str, Table]:
    """Every table of :data:`TABLES`, bound to ``county`` (:func:`bind`), by key."""
    return MappingProxyType({k: bind(t, county) for k, t in TABLES.items()})


def label(table: str, field: str, county: County) -> str:
    """The header of ``field`` of table ``table`` as ``county`` writes it: label('townships', 'township', c) -> 乡镇苏木街道."""
    return county.fill(TABLES[table].field(field).label)
