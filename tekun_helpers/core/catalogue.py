"""The issue catalogue: every kind of problem the checks report, declared once.

Each :class:`Code` has a stable English code, a severity (an error stops the report, a warning is shown
in it), a short Chinese title, a Chinese message template with named fields (``str.format`` style) and
the advice a township reads in its returned workbook: what to fill in, and the rule. A code whose
sentence is worded differently in different situations has one template per *variant*; the fields
are the template's. Issues are built by keyword with :func:`issue`::

    issue("total_mismatch", At(file, sheet, 20, "分散供养人数", "C"), value="2700",
          stated=2700, actual=2698, difference=2)

Besides the fields a check gives, every template may use the place it is built at: ``{where}``
('文件《a.xlsx》工作表“Sheet1”第5行C列（分散供养人数）'), ``{file}``, ``{sheet}``, ``{row}`` and
``{column}``, and the county's words as ``{county.towns}``, ``{county.level}`` … (see
:class:`tekun_helpers.config.county.County`; the check passes ``county=``).

An unknown code, an unknown variant, a field missing or a field the template does not name raise
:class:`CatalogueError` at once: they are programming errors, not problems of the input. The model is
frictionless-py's ``errors/``: a finding is a kind with a code, fields and a message template.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field

from .issues import ERROR, WARNING, At, Issue


class CatalogueError(LookupError):
    """A code the catalogue does not declare, or an issue built without its template's fields."""


#: the names every template may use without the check giving them: the place, and the county's words
PLACE_FIELDS = ("where", "file", "sheet", "row", "column")
COUNTY_FIELD = "county"
#: how a message may begin with its place; :attr:`Issue.detail` is the message without it
PLACE_LEADS = ("{where}：", "文件《{file}》工作表“{sheet}”的", "文件《{file}》：")
DEFAULT_ADVICE = ("见“问题”一栏", "数据检查")


def template_fields(template: str) -> set[str]:
    """The names a template uses: '{where}：合计行为 {stated}' -> {'where', 'stated'}; '{county.towns}' -> {'county'}."""
    out = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name:
            out.add(name.split(".", 1)[0].split("[", 1)[0])
    return out


@dataclass(frozen=True)
class Code:
    """One kind of issue.

    code:      the stable English identifier (Issue.code).
    severity:  ERROR (stops the report) or WARNING (shown in it).
    title:     a short Chinese name of the problem.
    templates: {variant: message template}; the variant '' is the default.
    expected:  what the township should fill in (its returned workbook says it); may use ``{county.…}``.
    rule:      the rule broken; may use ``{county.…}``.
    """

    code: str
    severity: str
    title: str
    templates: dict[str, str]
    expected: str = DEFAULT_ADVICE[0]
    rule: str = DEFAULT_ADVICE[1]

    @property
    def stops_report(self) -> bool:
        return self.severity == ERROR

    def fields(self, variant: str = "") -> set[str]:
        """The fields a check must give for ``variant`` (the template's names but the place's)."""
        return template_fields(self.template(variant)) - set(PLACE_FIELDS)

    def template(self, variant: str = "") -> str:
        try:
            return self.templates[variant]
        except KeyError:
            raise CatalogueError(f"issue code {self.code!r} has no variant {variant!r}; "
                                 f"known: {', '.join(map(repr, self.templates))}") from None

    def advice(self, county=None) -> tuple[str, str]:
        """(what to fill in, the rule), in the county's words."""
        return self.expected.format(county=county), self.rule.format(county=county)

    def at(self, place: At, /, *, value: str = "", variant: str = "", county=None, **fields) -> Issue:
        """An :class:`Issue` of this code at ``place``; see :func:`issue`."""
        template = self.template(variant)
        wanted = self.fields(variant)
        # the county's words may be given to any template; a template that names them needs them
        given = set(fields) | ({COUNTY_FIELD} if county is not None and COUNTY_FIELD in wanted else set())
        if wanted != given:
            missing, extra = sorted(wanted - given), sorted(given - wanted)
            raise CatalogueError(f"issue code {self.code!r} (variant {variant!r}): "
                                 + "; ".join(p for p in (f"missing fields {missing}" if missing else "",
                                                         f"fields the template does not name {extra}" if extra else "")
                                             if p))
        names = {"where": place.where(), "file": place.file, "sheet": place.sheet, "row": place.row,
                 "column": place.column, COUNTY_FIELD: county, **fields}
        message = template.format_map(names)
        lead = next((p for p in PLACE_LEADS if template.startswith(p)), "")
        detail = template[len(lead):].format_map(names) if lead else message
        return Issue(self.severity, place.file, place.sheet, place.row, place.column, str(value), message,
                     self.code, place.letter, dict(fields), detail)


CATALOGUE: dict[str, Code] = {}


def declare(code: str, severity: str, title: str, template: str | dict[str, str],
            advice: tuple[str, str] = DEFAULT_ADVICE) -> Code:
    """Declare a code (once: a second declaration of the same code raises)."""
    if code in CATALOGUE:
        raise CatalogueError(f"issue code {code!r} is declared twice")
    if severity not in (ERROR, WARNING):
        raise CatalogueError(f"issue code {code!r}: severity {severity!r} is neither {ERROR!r} nor {WARNING!r}")
    templates = {"": template} if isinstance(template, str) else dict(template)
    CATALOGUE[code] = c = Code(code, severity, title, templates, *advice)
    return c


def code_of(code: str) -> Code:
    """The declared :class:`Code`; an unknown code raises :class:`CatalogueError`."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise CatalogueError(f"issue code {code!r} is not declared in tekun_helpers.core.catalogue") from None


def issue(code: str, at: At, /, *, value: str = "", variant: str = "", county=None, **fields) -> Issue:
    """Build an issue by keyword.

    code:    a declared code ("total_mismatch").
    at:      where it is (:class:`At`).
    value:   the value found, as shown to the reader ('' when there is none; masked where it is a name).
    variant: which of the code's templates (default '').
    county:  the county's words, for templates that say ``{county.towns}`` and the like.
    fields:  the template's named fields, exactly.
    """
    return code_of(code).at(at, value=value, variant=variant, county=county, **fields)


def advice(issue_: Issue, county=None) -> tuple[str, str]:
    """(what to fill in, the rule) for an issue, or for a recorded code that is no longer declared the default."""
    c = CATALOGUE.get(issue_.code)
    return c.advice(county) if c is not None else DEFAULT_ADVICE


# ---------------------------------------------------------------------------------------------------------
# The advice shared by two codes (the same rule, worded for the two severities).

_UNKNOWN_NAME = ("正式名称（与{county.bureau_short}下发的表格写法一致）",
                 "{county.towns}、敬老院名称须使用正式名称，与{county.bureau_short}下发的表格写法一致")
_MISSING_NAME = ("缺少的{county.towns}或敬老院的一行", "参考数据中的每个单位都应填报")
_DUPLICATE_COLUMN = ("删去或改名多余的一列", "同一项目只能有一列")
_UNIT_MISSING = ("填报单位：本{county.towns}名称", "排查评估表须写明填报单位")
_DUPLICATE_PERSON = ("同一人只填一行（同名的两人请在备注中说明）", "每名特困人员只评估一次")
_READ_AGAIN = "请用 Excel 或 WPS 打开后另存为 .xlsx。"
_FILE_UNREADABLE = ("用 Excel 或 WPS 另存为 .xlsx 后重新报送", "报送的文件须能打开")

# -- the month's folder and its files -----------------------------------------------------------------------

declare("folder_missing", ERROR, "找不到本月数据文件夹",
        "找不到 {month} 的数据文件夹 {folder}：请新建该文件夹并放入本月各乡镇报送的表格。")
declare("folder_empty", ERROR, "本月数据文件夹为空",
        "{month} 的数据文件夹 {folder} 中没有任何表格文件（.xlsx、.xls、.csv）。")
declare("file_ignored", WARNING, "不是表格文件", "文件《{file}》不是 .xlsx、.xls、.ods 或 .csv 表格，已忽略。")
declare("archive_not_extracted", WARNING, "压缩包未解压", {
    "": "文件《{file}》是压缩包，未解压：程序不读取压缩包中的文件。其中似乎有 {count} 个表格：{names}。"
        "请解压后把其中的表格放入本月文件夹，再删去压缩包。",
    "empty": "文件《{file}》是压缩包，未解压：程序不读取压缩包中的文件，其中也没有表格文件（.xlsx、.xls、.ods、.csv）；"
             "请确认是否发错了文件。",
    "unlisted": "文件《{file}》是压缩包，未解压：程序不读取压缩包，也无法列出其中的文件（{kind} 格式或已损坏）；"
                "请解压后把其中的表格放入本月文件夹，再删去压缩包。",
}, ("解压后的表格文件", "报送的表格须解压后放入月份文件夹"))
declare("table_in_archive", WARNING, "应报的表格在未解压的压缩包中",
        "{month} 没有读到{table}，而未解压的压缩包《{file}》中的《{inner}》似乎就是它：本月按缺少{table}处理；"
        "请解压后把表格放入本月文件夹。", ("解压后的表格文件", "报送的表格须解压后放入月份文件夹"))
declare("file_name_encoding", WARNING, "文件名编码有误",
        "文件《{file}》的文件名不是 UTF-8 编码（常见于在中文 Windows 上压缩、在 Linux 上解压的 zip），"
        "已按 GBK 解读为“{file}”并照常读取；请把文件改名为该名称（如在终端中运行 "
        "convmv -f gbk -t utf-8 --notest 文件名，或在文件管理器中重命名），"
        "解压时可用 unzip -O GBK 避免此问题。")
declare("no_table_in_file", WARNING, "文件中没有已知表格",
        "文件《{file}》中没有找到任何一张已知表格（附件1、附件2、附件3、工作进度台账、工作人员台账）的表头，"
        "未读取任何数据；请核对表头文字。",
        ("本{county.level}规定格式的表头", "表格按表头文字识别"))
declare("table_missing", ERROR, "本月缺少应报表格",
        "{month} 的数据文件夹中没有找到{table}：请确认已放入该表，且表头含“{label}”等列名。",
        ("本月应报的表格", "附件1、附件2 每月都应报送"))
declare("file_empty", ERROR, "空文件", "文件《{file}》是空文件（0 字节）：请重新导出后放入本月文件夹。",
        ("重新导出的表格", "报送的文件不能为空"))
declare("file_unreadable", ERROR, "文件无法读取", {
    "os": "文件《{file}》无法打开（操作系统拒绝读取）：请确认文件没有被其他程序占用且有读取权限。",
    "zip": "文件《{file}》{problem}：" + _READ_AGAIN,
    "broken": "文件《{file}》不是有效的 Excel 工作簿（内部结构不完整），无法读取：" + _READ_AGAIN,
    "not_excel": "文件《{file}》无法作为 Excel 工作簿读取（内部结构不符合 Excel 格式）：" + _READ_AGAIN,
    "interrupted": "文件《{file}》读取中断（工作表内容不符合 Excel 格式）：文件可能已损坏，请重新导出。",
    "xls": "文件《{file}》不是有效的 .xls 工作簿（可能已损坏，或扩展名与内容不符），无法读取：" + _READ_AGAIN,
    "html": "文件《{file}》的内容是网页（HTML）或 XML 文本，不是 Excel 工作簿（一些系统导出的“.xls”就是这样）："
            + _READ_AGAIN,
    "failed": "文件《{file}》读取失败（内容不符合其格式）：文件可能已损坏，" + _READ_AGAIN,
    "ods": "文件《{file}》不是有效的 .ods 工作簿（内部结构不完整或过大，可能已损坏），无法读取："
           "请用 LibreOffice、WPS 或 Excel 打开后另存为 .xlsx。",
    "no_odf": "文件《{file}》是 .ods 工作簿，但本机没有安装读取它所需的 odfpy 程序包：请安装（bash run.sh setup），"
              "或用 LibreOffice、WPS 另存为 .xlsx。",
}, _FILE_UNREADABLE)
declare("zip_duplicate_entries", ERROR, "工作簿内部文件重复",
        "文件《{file}》的内部文件“{entry}”出现了 {count} 次（另有 {others} 个内部文件也重复）：Excel 和 WPS 保存的工作簿"
        "不会这样，不同的程序会读出不同的一份，数字无法确定，为安全未读取。请用 Excel 或 WPS 打开后另存为 .xlsx，"
        "核对数字后重新报送。", ("用 Excel 或 WPS 另存为 .xlsx 后重新报送", "报送的工作簿须是完整、唯一的一份"))
declare("file_encrypted", ERROR, "文件已加密", {
    "ole": "文件《{file}》设置了打开密码（已加密），或是无法识别的旧格式工作簿，无法读取：请在 Excel 或 WPS 中"
           "取消打开密码后另存为 .xlsx，再放入本月文件夹。",
    "xls": "文件《{file}》设置了打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消打开密码后另存为 .xlsx，"
           "再放入本月文件夹。",
}, ("取消打开密码后另存为 .xlsx", "报送的文件不能加密"))
declare("file_extension", WARNING, "扩展名与内容不符", {
    "xls": "文件《{file}》的扩展名是 {suffix}，但内容是旧版 .xls 工作簿：已按 .xls 读取；建议用 Excel 或 WPS 另存为 .xlsx。",
    "xlsx": "文件《{file}》的扩展名是 {suffix}，但内容是 .xlsx 工作簿：已按 .xlsx 读取；建议改正扩展名。",
    "ods": "文件《{file}》的扩展名是 {suffix}，但内容是 .ods（OpenDocument）工作簿：已按 .ods 读取；建议改正扩展名。",
}, ("与内容一致的扩展名", "扩展名应与文件内容一致"))
declare("strict_ooxml", WARNING, "Strict Open XML 格式",
        "文件《{file}》是“Strict Open XML 电子表格”格式：已转换后读取；建议另存为普通的“Excel 工作簿（.xlsx）”。")
declare("file_encoding", ERROR, "CSV 编码无法识别",
        "文件《{file}》的编码既不是 UTF-8 也不是 GB18030，无法读取：请在 Excel 中另存为“CSV UTF-8”或 .xlsx。",
        ("另存为“CSV UTF-8”或 .xlsx", "CSV 须为 UTF-8 或 GB18030 编码"))
declare("csv_bom_gbk", WARNING, "CSV 编码标记与内容不符",
        "文件《{file}》开头有 UTF-8 编码标记（BOM），内容却是 GBK（GB18030）编码：已按 GBK 读取，请核对文字是否正确；"
        "建议在 Excel 中另存为“CSV UTF-8”。", ("另存为“CSV UTF-8”", "CSV 的编码标记应与内容一致"))
declare("csv_mixed_encoding", ERROR, "CSV 混用两种编码",
        "{where}：这一行是 {this} 编码，而文件的其余行是 {main} 编码（共 {count} 行如此）：一个文件混用了两种编码，"
        "多是把两个文件的文字拼接在一起。已逐行按各自的编码读取，但无法确定哪些数字可靠；请核对这些行，"
        "在 Excel 中另存为“CSV UTF-8”或 .xlsx 后重新报送。", ("另存为“CSV UTF-8”或 .xlsx", "一个 CSV 文件只能用一种编码"))
declare("csv_row_encoding", ERROR, "CSV 行无法解码",
        "{where}：这一行既不是 {main} 编码，也不是其他可识别的编码（共 {count} 行如此），无法解读的字节已显示为“�”："
        "请在 Excel 或 WPS 中改正这一行，另存为“CSV UTF-8”或 .xlsx 后重新报送。",
        ("另存为“CSV UTF-8”或 .xlsx", "CSV 须为 UTF-8 或 GB18030 编码"))
declare("hidden_sheet", WARNING, "隐藏的工作表有内容",
        "文件《{file}》的工作表“{sheet}”是隐藏的，但有内容：已一并读取检查，请确认其中数据是否应当报送。",
        ("确认隐藏工作表中的数据是否应当报送", "报送的数据应当可见"))
declare("sheet_failed", ERROR, "工作表读取出错",
        "文件《{file}》工作表“{sheet}”读取时程序出错（程序缺陷），本表未读取：请把该文件交给技术人员核查。",
        ("交技术人员核查", "工作表须能读取"))

# -- a copy of last month ---------------------------------------------------------------------------------

declare("month_copied", WARNING, "整个文件夹是上月的副本",
        "{here} 的数据文件夹中全部 {count} 个文件与 {there} 的文件逐字节相同：这是上月数据的副本，"
        "不是本月新报的数据；请向各{county.towns}和敬老院索取本月表格。")
declare("carried_over", WARNING, "注明沿用上月的表格",
        "文件《{file}》（{table}）与 {there} 的《{previous}》完全相同，文件名注明“{mark}”：本月报告中的这些数字是上月的数字。")
declare("same_as_last_month", ERROR, "表格与上月完全相同",
        "文件《{file}》（{table}）与 {there} 的《{previous}》完全相同（文件内容逐字节一致），"
        "不能作为 {here} 的数据：请放入本月的表格；如本月确无变化、沿用上月数据，请在文件名中注明“{mark}”。")
declare("title_other_month", WARNING, "标题写的是其他月份",
        "文件《{file}》工作表“{sheet}”第{row}行的标题写的是{named}，而本文件放在 {here} 的文件夹中："
        "如是上月（或其他月份）的表格，请换成本月的表格；如只是标题写错，请改正标题。")

# -- a table's layout -----------------------------------------------------------------------------------

declare("missing_column", ERROR, "缺少必需列",
        "文件《{file}》工作表“{sheet}”的{table}（表头在第{row}行）缺少必需列“{column}”。",
        ("补上这一列（表头写明列名）并逐行填写", "表中须有全部必需列"))
declare("duplicate_column", ERROR, "同一列出现两次（数字列）",
        "{where}：表头“{header}”与 {read_letter}列的“{read_header}”都是“{column}”，这一列出现了两次"
        "（{read_letter}列和{other_letter}列）；已按 {read_letter}列读取，{other_letter}列未读取。"
        "两列数字可能不同，程序不替您选择：请删去或改名多余的一列后重新报送。", _DUPLICATE_COLUMN)
declare("duplicate_optional_column", WARNING, "同一列出现两次",
        "{where}：表头“{header}”与 {read_letter}列的“{read_header}”都是“{column}”，这一列出现了两次"
        "（{read_letter}列和{other_letter}列）；已按 {read_letter}列读取，{other_letter}列未读取。请删去或改名多余的一列。",
        _DUPLICATE_COLUMN)
declare("month_unreadable", WARNING, "月份无法识别",
        "{where}：月份“{text}”无法识别，无法核对是否为 {month} 的表；请写成“月份：2023年8月”。")
declare("wrong_month", ERROR, "表上月份与文件夹不符",
        "{where}：表上写明月份为{year}年{number}月（{stated}），却放在 {month} 的文件夹中：请确认是否放错了"
        "月份的表；如表是本月的，请改正月份后重新报送。")
declare("no_total", WARNING, "没有合计行",
        "文件《{file}》工作表“{sheet}”的{table}没有合计行，无法与各行之和核对。", ("合计行", "附件1、附件2 应有合计行"))
declare("total_formula", WARNING, "合计行是未计算的公式",
        "{where}：合计行此列是公式（{formula}），文件中没有保存计算结果，无法与各行之和核对；报告按各行之和计算。",
        ("各行之和（数值）", "公式须在 Excel 中重新计算并保存，或改填数值"))
declare("bad_total_value", ERROR, "合计行的值不是数字", "{where}：合计行的值“{raw}”{why}，无法核对合计。",
        ("各行之和（整数）", "合计行只能填数字"))
declare("total_empty", WARNING, "合计行为空",
        "{where}：合计行此列为空（或为未保存计算结果的公式），无法与各行之和核对。",
        ("各行之和", "合计行应填写数值（公式须保存计算结果）"))
declare("total_mismatch", ERROR, "合计行与各行之和不符",
        "{where}：合计行为 {stated}，但各行之和为 {actual}，相差 {difference}。", ("各行之和", "合计行应等于各行之和"))
declare("row_after_total", WARNING, "合计行或表注之后还有数据",
        "{where}：{after}还有一行数据“{name}”，未计入本表：如属本表数据，请移到合计行之前。",
        ("把数据行移到合计行之前", "合计行之后、表注之后的数据不计入本表"))
declare("signature_line", WARNING, "签名行已跳过",
        "{where}：“{text}”是签名行（填报人、审核人、负责人、日期等），不是数据，已跳过；"
        "其下如还有数据行，不计入本表。", ("签名行放在表格最下方", "签名行不是数据"))
declare("empty_name", ERROR, "有数据的行没有名称", "{where}：此行有数据但{column}为空，无法归属。",
        ("本行所属的{county.towns}、敬老院或姓名", "有数据的行须写明归属"))

# -- one cell's value -----------------------------------------------------------------------------------

declare("bad_number", ERROR, "不是整数", "{where}：值“{raw}”{why}，应为{expected}。",
        ("不小于 0 的整数（没有请填 0）", "人数、床位数只能填整数，不能填文字、小数、负数、日期或百分比"))
declare("bad_recomputed", WARNING, "填报值不是整数，按政策重新计算",
        "{where}：值“{raw}”{why}，应为{expected}；报告不采用此填报值，按政策重新计算，请核实后改正。")
declare("empty_number", ERROR, "必填的数为空", "{where}：为空，应填写{what}（没有请填 0）。",
        ("人数（没有请填 0）", "必填的人数不能为空"))
declare("bad_money", ERROR, "不是金额", {
    "formula": "{where}：是公式（{formula}），且文件中没有保存计算结果，应填写金额。",
    "not_money": "{where}：值“{raw}”不是金额，应填写元数，如 12345.60。",
    "unreadable": "{where}：{why}，应填写元数，如 12345.60。",
    "negative": "{where}：金额 {amount} 为负数，应为不小于 0 的元数。",
    "too_large": "{where}：金额 {amount} 过大，应是填写或粘贴错误。",
}, ("元数，如 12345.60", "金额为不小于 0 的元数"))
declare("bad_date", ERROR, "不是日期",
        "{where}：“{raw}”{why}，应填写日期，如 2023-09-12 或 2023年9月12日（未办理的留空）。",
        ("日期，如 2023-09-12（未办理的留空）", "日期列只能填日期"))
declare("date_serial", WARNING, "日期存成了数字",
        "{where}：日期被存成了数字 {raw}，已按 Excel 日期读取为 {day}；请把该列设为日期格式并核实。",
        ("日期格式的单元格", "日期列应设为日期格式"))
declare("bad_age", ERROR, "年龄有误", {
    "": "{where}：年龄“{raw}”{why}，应为 0 到 120 之间的整数。",
    "range": "{where}：年龄 {age} 超出 0 到 120 的范围。",
}, ("0 到 120 之间的整数", "年龄为整岁数"))
declare("empty_value", ERROR, "必填项为空", {
    "age": "{where}：年龄为空，应填写 0 到 120 之间的整数。",
    "choice": "{where}：未填写，应为{choices}之一。",
    "staff": "{where}：工作人员姓名为空。",
}, ("本项内容", "必填项不能为空"))
declare("unknown_answer", ERROR, "不是可识别的填写项",
        "{where}：“{raw}”不是可识别的填写项，应为{choices}之一（程序不猜测含义，请核实后改正）。",
        ("表头或表注列出的选项之一", "固定选项的列只能填列出的选项，程序不猜测含义"))
declare("formula_text", WARNING, "文字列是公式", {
    "name": "{where}：以“=”开头，被 Excel 当作公式，文件中没有保存计算结果；已按原文作为文字读取，请核实（姓名不在此显示）。",
    "": "{where}：是公式“{formula}”，没有保存计算结果；已按原文作为文字读取，请核实。",
}, ("文字，不以“=”开头", "文字列不应是公式"))
declare("bad_id", WARNING, "身份证号有误",
        "{where}：{problem}。号码已按原样保留，与其他名册比对时按“未核对身份证号”处理。",
        ("18 位身份证号（按文本填写）", "身份证号须符合 GB 11643（位数、出生日期、校验位）"))

# -- names of townships, homes and units ------------------------------------------------------------------

declare("unknown_name", ERROR, "名称不在参考数据中", {
    "": "{where}：“{raw}”不是已知的{what}名称，{hint}",
    # a misspelt name of a unit that the table then lacks: one mistake, one issue (not also "缺少…的数据")
    "misspelt": "{where}：“{raw}”应为“{name}”？“{raw}”不是已知的{what}名称，而本表缺少“{name}”的数据；"
                "请改为“{name}”（如确是另一单位，请与{county.bureau_short}联系）。",
}, _UNKNOWN_NAME)
declare("unknown_name_kept", WARNING, "名称不在参考数据中（按原文保留）", "{where}：“{raw}”不是已知的{what}，{hint}{then}",
        _UNKNOWN_NAME)
declare("invisible_characters", WARNING, "名称中有看不见的字符", {
    "": "{where}：名称中含有看不见的字符（{chars}），看起来与“{official}”相同；已去除后按“{official}”读取。"
        "这类字符多由网页或聊天软件复制带入，请在单元格中重新输入名称。",
    "unit": "{where}：填报单位中含有看不见的字符（{chars}），看起来与“{official}”相同；已去除后按“{official}”读取，请重新输入。",
})
declare("traditional_name", WARNING, "名称含繁体字",
        "{where}：“{raw}”含繁体字，已按简体的正式名称“{official}”读取；今后请填写简体名称。", ("简体的正式名称", "名称使用简体字"))
declare("duplicate", ERROR, "同一单位重复填报",
        "{where}：{what}“{name}”重复出现，首次出现在文件《{first_file}》工作表“{first_sheet}”第{first_row}行；请删去重复的一行。",
        ("每个{county.towns}或敬老院只填一行", "同一单位不能重复填报"))
declare("missing_name", ERROR, "缺少单位的数据",
        "{month} 的{table}缺少{what}“{name}”的数据（参考数据中共 {known} 个）。", _MISSING_NAME)
declare("not_reported_name", WARNING, "台账缺少单位（按未报送处理）",
        "{month} 的{table}缺少{what}“{name}”的数据，按未报送处理（参考数据中共 {known} 个）。", _MISSING_NAME)
declare("unit_missing", ERROR, "没有填报单位",
        "{place}：表头上方没有“填报单位：”一行，无法确定本表属于哪个{county.towns}；请填写如“填报单位：贝子府镇”。",
        _UNIT_MISSING)
declare("unit_empty", ERROR, "填报单位为空",
        "{where}：填报单位为空，无法确定本表属于哪个{county.towns}；请填写如“填报单位：贝子府镇”。", _UNIT_MISSING)
declare("unknown_unit", ERROR, "填报单位不在参考数据中", "{where}：“{raw}”不是已知的{county.towns}，{hint}",
        ("参考数据中的{county.towns}正式名称", "填报单位须为已知的{county.towns}"))

# -- 附件1 and 附件2 rows against each other and the policy -------------------------------------------------

declare("disabled_exceeds", ERROR, "失能人数超过分散供养人数",
        "{where}：全失能 {fully} 人 + 半失能 {semi} 人 = {disabled} 人，超过分散供养人数 {people} 人。",
        ("全失能人数 + 半失能人数 不超过分散供养人数", "全失能、半失能人员是分散供养人员中的一部分"))
declare("over_capacity", WARNING, "入住人数超过床位",
        "{where}：现入住 {residents} 人，超过实有床位 {beds} 张，请核实是否超员或床位数有误。",
        ("不超过实有床位数的入住人数，或改正床位数", "入住人数一般不超过床位数"))
declare("needed_mismatch", WARNING, "应住人数与政策计算不符",
        "{where}：填报的{percent}应住人数为 {stated}，按政策（床位 {beds} 张 × {percent}，{rounding}）应为 {needed}；"
        "报告采用 {needed}。",
        ("按方案的入住率目标计算的应住人数", "应住人数 = 床位数 × 入住率目标，按政策取整"))
declare("missing_mismatch", WARNING, "还应入住人数与计算不符",
        "{where}：填报的还应入住人数为 {stated}，按应住 {needed} 人 − 现入住 {residents} 人应为 {expected}；报告采用 {expected}。",
        ("应住人数 − 现入住人数", "还应入住人数 = 应住人数 − 现入住人数"))
declare("flow_mismatch", WARNING, "分散供养人数与人员增减不符",
        "{town}：上月附件1 分散供养 {last} 人，按评估表本月新增 {new} 人、减少 {left} 人，"
        "应为 {expected} 人，本月附件1 填报 {now} 人，相差 {difference} 人，请核对。")

# -- 附件3 assessment forms -------------------------------------------------------------------------------

declare("duplicate_person", ERROR, "同一人重复填报",
        "{where}：{town}{village}的“{name}”已在文件《{first_file}》工作表“{first_sheet}”第{first_row}行出现，"
        "年龄也相同，应为重复填报，请删去一行。", _DUPLICATE_PERSON)
declare("same_name_person", WARNING, "同名的人",
        "{where}：{town}{village}的“{name}”已在文件《{first_file}》工作表“{first_sheet}”第{first_row}行出现，"
        "但年龄不同，如确为同名的两个人请在备注中说明。", _DUPLICATE_PERSON)
declare("assessment_not_sent", WARNING, "未报送排查评估表",
        "{month} 有 {count} 个{county.towns}没有报送排查评估表：{towns}。")
declare("assessment_count", WARNING, "评估人数与附件1 不符",
        "文件《{file}》：{month} {town}的排查评估表共 {got} 人，附件1 中该乡镇分散供养 {people} 人，{gap}。",
        ("附件1 中本乡镇分散供养的全部人员", "每名分散供养特困人员都须入户评估"))
declare("id_mismatch", WARNING, "身份证号与年龄或性别不符", "{where}：{problem}；请核对身份证号和表中填写。",
        ("与身份证号一致的年龄、性别", "年龄、性别应与身份证号一致"))
declare("duplicate_id", ERROR, "身份证号重复",
        "{where}：与文件《{first_file}》工作表“{first_sheet}”第{first_row}行是同一个身份证号，同一人不应出现两次，"
        "或其中一个号码填错。", ("每人自己的身份证号", "同一身份证号只能出现一次"))

declare("assessed_after_month", WARNING, "评估日期晚于本月月底",
        "{where}：评估日期 {day} 晚于本表所属月份 {month} 的月底，定期考核评价按本表月份计；请核实。",
        ("截至本月月底的最近一次考核评价日期", "本月未再次考核评价的照抄上次的日期"))

# -- the ledgers -----------------------------------------------------------------------------------------

declare("date_after_month", WARNING, "日期晚于本月月底",
        "{where}：日期 {day} 晚于本台账所属月份 {month} 的月底，按截至月底尚未完成处理；请核实。",
        ("截至本月月底的实际日期", "台账记录截至本月月底的情况"))
declare("scheme_without_group", WARNING, "有考评方案而无领导小组",
        "{where}：已填写考评方案制定日期，但领导小组成立日期为空；考评方案应由领导小组制定，请补填。",
        ("领导小组成立日期", "考评方案由领导小组制定"))
declare("filed_exceeds_signed", ERROR, "备案份数多于签订份数", "{where}：已备案 {filed} 份，多于已签订的 {signed} 份。",
        ("不多于已签订份数的备案份数", "只有已签订的协议书才能备案"))
declare("agreements_exceed_people", WARNING, "协议书多于分散供养人数",
        "{where}：已签订 {signed} 份，多于附件1中{town}的分散供养人数 {people} 人；请核实（每名分散供养特困人员一份）。",
        ("不多于分散供养人数的份数", "每名分散供养特困人员签订一份监管监护协议书"))
declare("filed_without_date", WARNING, "已备案而无备案日期",
        "{where}：协议书已全部备案（{filed} 份），但备案日期为空，无法判断是否按期完成，按未完成处理；请补填备案日期。",
        ("备案日期", "按期完成以备案日期为准"))
declare("staff_missing_home", WARNING, "敬老院未报工作人员",
        "{month} 的敬老院工作人员台账中没有{home}的人员，该院的培训与配备情况按未报送处理。",
        ("该院的全部工作人员", "每所敬老院都应填报工作人员"))
declare("staff_count_mismatch", WARNING, "工作人员人数与附件2 不符",
        "{month} 工作人员台账中{home}共 {got} 人，附件2 填报工作人员 {stated} 人，请核对。",
        ("与附件2 一致的工作人员", "工作人员台账与附件2 的人数应一致"))
declare("head_missing", WARNING, "敬老院没有负责人",
        "{month} 工作人员台账中{home}没有岗位为“负责人”的人员，请补填院长（负责人）。",
        ("岗位为“负责人”的一行", "每所敬老院应有负责人"))
declare("head_twice", WARNING, "敬老院有多名负责人",
        "{where}：{home}有 {count} 名负责人，按第一名（第{first_row}行）判断是否兼职；请核实。",
        ("一名负责人", "每所敬老院一名负责人"))
declare("duplicate_staff", WARNING, "工作人员重复填报",
        "{where}：{home}的工作人员“{name}”已在文件《{first_file}》工作表“{first_sheet}”第{first_row}行出现；"
        "如为重复填报请删去一行，如确为同名的两人请在备注中说明。", ("每人只填一行", "同一工作人员不能重复填报"))
declare("nursing_beds_exceed", WARNING, "护理型床位多于实有床位",
        "{where}：护理型床位 {nursing_beds} 张，多于附件2 中{home}的实有床位 {beds} 张，请核实。",
        ("不多于实有床位的护理型床位数", "护理型床位是实有床位的一部分"))
declare("residents_split_mismatch", WARNING, "入住构成与附件2 不符",
        "{where}：入住特困人员 {tekun} 人 + 社会老人 {others} 人 = {total} 人，与附件2 中{home}现入住 {residents} 人不一致，请核对。",
        ("与附件2 现入住人数一致的两项人数", "入住特困人员 + 社会老人 = 现入住人数"))
declare("unknown_benefit", ERROR, "待遇类别无法识别",
        "文件《{file}》工作表“{sheet}”第{row}行：{column}“{raw}”无法识别，应为{choices}之一。",
        ("规定的待遇类别之一（见“问题”一栏）", "名册须写明是哪一种待遇"))
declare("benefit_missing", ERROR, "名册没有写明待遇类别",
        "文件《{file}》工作表“{sheet}”的名册既没有“{column}”列，表头上方也没有“{column}：”一行，"
        "无法确定是哪一种待遇的名册；请在表头上方写明，如“{column}：最低生活保障”。",
        ("表头上方的“待遇类别：…”一行", "名册须写明是哪一种待遇"))
declare("change_home_missing", WARNING, "转入集中供养未填敬老院",
        "{where}：减少原因为“{change}”，但未填写转入哪所敬老院：请补填“转入敬老院”。")
declare("leaver_unreported", WARNING, "减少人员未报减少情况表",
        "上月排查评估表（{source} 第 {source_row} 行）中的{person}本月不在本表中，减少情况表也没有记录："
        "如已减少，请在减少情况表中填报减少原因；如仍在供养，请补回本表。",
        ("上月表中的每个人本月都在表中，或在减少情况表中填报减少原因", "人员增减须逐人说明原因"))
declare("flow_unreported", WARNING, "未报送排查评估表，未计算人员增减",
        "{towns}本月未报送排查评估表（附件3），未计算人员增减（合计不含未报送的 {count} 个{county.towns}），"
        "上月评估表中的人员待报送后核实。", ("本月的排查评估表", "每月报送排查评估表"))

__all__ = ["CATALOGUE", "At", "CatalogueError", "Code", "advice", "code_of", "declare", "issue", "template_fields"]

# -- the bureau's inspection checklist (checks.inspection) ------------------------------------------------
_INSPECTION_ITEM = ("检查项目文件（inspection.toml）中的项目编号", "检查表的项目编号须与检查项目文件一致，不要改动")
declare("inspection_unknown_item", ERROR, "检查项目编号无法识别",
        "{where}：项目编号“{raw}”不是检查项目文件中的项目，应为{ids}之一；此行不计分。", _INSPECTION_ITEM)
declare("inspection_duplicate_item", WARNING, "检查项目重复",
        "{where}：项目“{item}”已在第{first_row}行填写，按第{first_row}行的结果计分；请删去重复的一行。",
        ("每个项目一行", "每次检查每个项目只填一个结果"))
declare("inspection_no_evidence", WARNING, "不符合而未写明看到的情况",
        "{where}：检查结果为“不符合”，但“看到的情况”为空；请写明现场看到的问题，以便整改和复查。",
        ("现场看到的问题", "检查结果为“不符合”的项目须写明看到的情况"))
declare("inspection_date_outside", ERROR, "检查日期不在本月",
        "{where}：检查日期 {day} 不在 {month}（{first} 至 {last}）之内；检查表应放在检查当月的文件夹中，"
        "或改正日期。", ("本月内的检查日期", "检查表按检查日期归入月份"))
declare("inspection_date_missing", WARNING, "检查表没有检查日期",
        "{where}：检查表没有填写检查日期，按 {month} 的检查计；请补填检查当天的日期。",
        ("检查当天的日期", "检查表须写明检查日期"))

# -- the bureau's register of complaints and media reports (checks.complaints) -----------------------------
declare("complaint_unknown_choice", ERROR, "选项无法识别",
        "{where}：{what}“{raw}”无法识别，应为{names}之一（见参考数据 complaints.toml）。",
        ("下拉列表中的选项", "来源渠道、问题类别从下拉列表中选择"))
declare("complaint_duplicate", ERROR, "登记编号重复",
        "{where}：登记编号“{case}”已在第{first_row}行登记；每件一行，同一件逐月沿用同一编号，请删去重复的一行。",
        ("每件一个登记编号", "登记编号不能重复"))
declare("complaint_dates", ERROR, "日期先后不对", {
    "later": "{where}：受理日期 {day} 在 {month} 之后；登记表按月填写，本月以后受理的件登记在受理当月。",
    "deadline": "{where}：办理期限 {day} 早于受理日期 {received}。",
    "closed_before": "{where}：办结日期 {day} 早于受理日期 {received}。",
    "closed_later": "{where}：办结日期 {day} 在 {month} 之后；尚未办结的请留空。",
    "unclosed": "{where}：已填公布日期 {day}，但未填办结日期；处理结果须在办结后公布。",
    "published_before": "{where}：公布日期 {day} 早于办结日期 {closed}；处理结果须在办结后公布。",
}, ("先后正确的日期", "受理、办理期限、办结、公布的日期依次在后"))
declare("complaint_no_result", ERROR, "已办结而未写处理结果",
        "{where}：已填办结日期 {day}，但“处理结果”为空；请写明做了什么（公示将公布此项）。",
        ("处理结果", "办结的件须写明处理结果"))
declare("complaint_no_deadline", WARNING, "未填办理期限",
        "{where}：未填写办理期限，按受理日期后 {days} 天计；请补填。",
        ("办理期限", "每件应写明办理期限"))
declare("complaint_private_words", WARNING, "将公布的内容含有个人信息",
        "{where}：有 {count} 处姓名、身份证号或健康信息；此列将在处理结果公示中公布，公示时以“××”代替，"
        "请改为不指明个人的写法（如“一名分散供养特困人员”）。",
        ("不指明个人的写法", "公示的内容不得有姓名、身份证号和健康信息"))
