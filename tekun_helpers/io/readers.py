"""Find every table the schema declares in any sheet and read its rows.

The tables are those of :mod:`tekun_helpers.config.schema`: 附件1 (townships), 附件2
(nursing homes), 附件3 assessment forms, the township progress ledger, the staff
roster and nursing-bed table, the benefit rosters, the money ledger and the spending
detail. A table is recognised by its header, not by file or sheet name (:mod:`.headers`:
anywhere in the first rows, over one to three rows, never with the title above it, extra
columns read past, tables side by side told apart). The 合计 row (or an Excel table's own
total row) is kept apart for reconciliation; footnotes, blank rows, a row of column numbers
and the signature lines under a form (填报人：…, noted) are skipped; a merged village or home
over the rows it groups is filled down. Each cell is parsed by its field's kind (counts,
signed numbers, ages, answers of a vocabulary, dates, amounts of money, identity numbers,
text), and every value that is not what the field expects becomes an
:class:`~tekun_helpers.core.issues.Issue` naming file, sheet, row and column. The checks
across rows and tables are in :mod:`tekun_helpers.checks`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from openpyxl.utils import get_column_letter

from ..config.schema import (
    AGE,
    BENEFIT_LABEL,
    CHOICE,
    COUNT,
    DATE,
    IDNUM,
    MONEY,
    SEQ,
    SIGNED,
    TOTAL_WORDS,
    VOCABULARIES,
    Field,
    Table,
)
from ..core.catalogue import issue
from ..core.issues import At, Issue
from ..core.text import answer_simplified, clip, fold, fold_width, has_traditional_answer, to_text
from .headers import HEADER_SCAN_ROWS, Column, locate, next_header, side_by_side  # noqa: F401  (re-exported)
from .privacy import NAME_COLUMNS, shown_value
from .workbooks import Formula, Percent, Sheet

MAX_WHOLE = 10_000_000   # no count in these tables comes near; larger numbers are typing or paste errors
FOOTNOTE_PREFIXES = ("注", "说明", "填表", "制表", "审核", "备注:", "备注：", "数据来源", "单位负责人", "统计人", "联系人")
_INT_TEXT = re.compile(r"^[+-]?\d+(?:\.0*)?$")
_NUMBER_TEXT = re.compile(r"^[+-]?\d+(?:\.\d*)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[人张名个])?$")


@dataclass
class ParsedRow:
    row: int                      # Excel row, 1-based
    values: dict                  # field key -> parsed value (int/str/None)
    raw: dict                     # field key -> raw cell value


@dataclass
class ParsedTable:
    table: Table
    file: str
    sheet: str
    header_row: int               # Excel row of the (last) header row
    columns: dict[str, Column]
    rows: list[ParsedRow] = field(default_factory=list)
    total: ParsedRow | None = None
    unit: str | None = None          # 填报单位 written above the header (assessment forms)
    unit_row: int | None = None
    unit_letter: str | None = None
    month_text: str | None = None    # 月份 / 填报月份 written above the header, as written
    month: str | None = None         # ... as 'YYYY-MM' when it reads as a month
    month_row: int | None = None
    month_letter: str | None = None
    #: the same table side by side on the sheet (a long list wrapped into two blocks of columns) whose 合计
    #: row, under one of them, is the total of all of them
    shares_total_with: list["ParsedTable"] = field(default_factory=list, repr=False, compare=False)

    def column(self, key: str) -> Column | None:
        return self.columns.get(key)


#: the first cell of an Excel table's own total row (表格工具 -> 汇总行), as Chinese and English Excel write it
TABLE_TOTAL_WORDS = ("汇总", "彙总", "total")


def _is_total_row(row: list) -> bool:
    for v in row:
        if isinstance(v, str):
            text = fold(v)
            if any(w in text for w in TOTAL_WORDS) or text in TABLE_TOTAL_WORDS:
                return True
    return False


# the lines under a form that people sign: 填报人：… 审核人：… 填报日期：…, 单位负责人：…, 单位（盖章）
_SIGNATURE = re.compile(r"^(?:填报单位|报送单位|制表单位|单位|科室|部门)?(?:主要|分管|主管)?"
                        r"(?:负责人|领导|填报人|填表人|审核人|审批人|制表人|统计人|联系人|经办人|核对人|复核人|"
                        r"填表|制表|审核|复核|签字|签名|填报日期|填表日期|报送日期|制表日期|审核日期|联系电话|电话|日期|"
                        r"[（(]?(?:盖章|公章|签章)[)）]?)"
                        r"(?:[（(]?(?:签字|签名|盖章|公章|签章)[)）]?)?\s*(?:[:：]|$)")


PHONE_LIKE = 10 ** 9      # a number this large on a signature line is a telephone number, not a figure


def _signature_text(row: list) -> str | None:
    """The row's text when it is a signature line (its first cell, and each text cell, a signing word with its
    colon, a name or a date), else None."""
    cells = [v for v in row if v is not None and to_text(v)]
    if not cells or not isinstance(cells[0], str):
        return None
    if not _SIGNATURE.match(re.sub(r"\s+", "", fold_width(cells[0]))):
        return None
    if any(isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < PHONE_LIKE for v in cells[1:]):
        return None          # a figure in the row: a data row whose name happens to start so, not a signature
    return " ".join(to_text(v) for v in cells)


_COLUMN_MARKS = frozenset("甲乙丙丁戊己庚辛ABCDEFGH")


def _is_column_numbers(row: list, header: list) -> bool:
    """A row of column numbers as statistical forms print under the header: 甲 乙 1 2 3 … (at least three
    numbers, each one more than the one before, and nothing else but the marks 甲 乙 丙 …), or 1 2 3 … over
    every column of the header; a data row with numbers for names is read (and reported) instead."""
    numbers, marks = [], 0
    for v in row:
        if v is None or not to_text(v):
            continue
        text = fold_width(to_text(v)).strip()
        if text in _COLUMN_MARKS:
            marks += 1
            continue
        if not (text.isascii() and text.isdigit()) or len(text) > 6 or isinstance(v, bool):
            return False
        numbers.append(int(text))
    if len(numbers) < 3 or any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        return False
    return marks > 0 or (numbers[0] == 1 and len(numbers) >= sum(1 for v in header if v is not None and to_text(v)))


def _is_footnote(row: list) -> bool:
    first = next((v for v in row if v is not None and to_text(v)), None)
    return isinstance(first, str) and fold_width(first.strip()).startswith(FOOTNOTE_PREFIXES)


def parse_whole(value, kind: str) -> tuple[int | None, str | None]:
    """Parse a count cell. Returns (number, None) or (None, reason in Chinese); empty gives (None, None)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, "是逻辑值，不是人数"
    if isinstance(value, Percent):
        return None, "是百分比，不是人数"
    if isinstance(value, Formula):
        return None, f"是公式（{clip(value.text)}），且文件中没有保存计算结果：请在 Excel 中打开、重新计算并保存，或改填数值"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return None, "是日期或时间，不是人数"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, "不是有效数字"
        if not value.is_integer():
            return None, "不是整数"
        number = int(value)
    else:
        text = fold_width(str(value)).strip().replace(" ", "")
        if not text:
            return None, None
        if "," in text:
            if not _THOUSANDS.match(text):
                return None, "含逗号，但不是每三位一个的千位分隔（小数请用小数点；人数应为整数）"
            text = text.replace(",", "")
        whole = text.lstrip("+-").split(".")[0].lstrip("0")
        if len(whole) > len(str(MAX_WHOLE)) and whole.isdigit():   # before int(): Python refuses 4,300+ digits
            return None, f"过大（共 {len(whole)} 位数字，超过 {MAX_WHOLE:,}），应是填写或粘贴错误"
        for unit in ("人", "张", "名", "个"):
            if text.endswith(unit):
                text = text[: -len(unit)]
        if text.endswith("%"):
            return None, "是百分比，不是人数"
        if _INT_TEXT.match(text):
            number = int(float(text)) if "." in text else int(text)
        elif _NUMBER_TEXT.match(text):
            return None, "不是整数"
        elif re.match(r"^\d{4}[-/年.]\d{1,2}", text):
            return None, "是日期，不是人数"
        else:
            return None, "不是数字"
    if abs(number) > MAX_WHOLE:
        return None, f"过大（超过 {MAX_WHOLE:,}），应是填写或粘贴错误"
    if kind == COUNT and number < 0:
        return None, "不能为负数"
    return number, None


UNIT_LABEL = "填报单位"
MONTH_LABEL = "月份"      # 月份：2023年8月 / 填报月份：2023年8月 above the header
_MONTH_TEXT = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})")


def _unit(sheet: Sheet, header_end: int, label: str = UNIT_LABEL, start: int = 0
          ) -> tuple[str | None, int | None, str | None]:
    """A ``label：value`` line written above the header (填报单位, 待遇类别), from row ``start``: (text or ''
    when the label is there but empty, row, letter)."""
    for i in range(start, header_end):
        row = sheet.rows[i]
        for j, v in enumerate(row):
            text = fold_width(to_text(v))
            if label in text.replace(" ", ""):
                after = re.split(r"[:：]", text.replace(" ", ""), maxsplit=1)
                value = after[1].strip() if len(after) > 1 else ""
                if not value:
                    nxt = next((to_text(x) for x in row[j + 1:] if to_text(x)), "")
                    if nxt and not re.search(r"[:：]", nxt) and "示例数据" not in nxt:
                        value = nxt
                return value, i + 1, get_column_letter(j + 1)
    return None, None, None


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value) -> tuple[dt.date | None, str | None, bool]:
    """Parse a date cell: (date, None, serial) or (None, reason in Chinese, False); empty gives (None, None, False).

    Accepts Excel dates, 2023-09-12, 2023/9/12, 2023.9.12, 2023年9月12日 (or 12号) and 20230912. A day 0
    (Excel's 0 in a date cell, shown 1900-01-00, or 2023-08-00 written) is refused as such. A bare number
    in the range of Excel's day serials (a date cell that lost its format) is read as that day, and
    ``serial`` is True so that the reader can say so.
    """
    if value is None:
        return None, None, False
    if isinstance(value, Formula):
        return None, f"是公式（{clip(value.text)}），且文件中没有保存计算结果", False
    if isinstance(value, (Percent, bool)):
        return None, "不是日期", False
    if is_day_zero(value):
        return None, DAY_ZERO, False
    if isinstance(value, dt.time):
        return None, "是时间，不是日期", False
    if isinstance(value, dt.datetime):
        day, serial = value.date(), False
    elif isinstance(value, dt.date):
        day, serial = value, False
    elif isinstance(value, (int, float)):
        if value != value or not float(value).is_integer():
            return None, "不是日期", False
        n = int(value)
        m = _DATE_DIGITS.match(str(n))
        if m:
            text = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
            return parse_date(text)
        lo, hi = ((d - EXCEL_EPOCH).days for d in DATE_RANGE)
        if not lo <= n <= hi:
            return None, "不是日期", False
        day, serial = EXCEL_EPOCH + dt.timedelta(days=n), True
    else:
        text = fold_width(to_text(value)).strip()
        if not text:
            return None, None, False
        m = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text.replace(" ", ""))
        if not m:
            return None, "不是可识别的日期", False
        if int(m.group(3)) == 0:
            return None, "的日为 0，不是存在的日期", False
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None, "不是存在的日期", False
        serial = False
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        return None, f"年份 {day.year} 不合理", False
    return day, None, serial


DAY_ZERO = "是第 0 日（Excel 把数值 0 显示为 1900-01-00），不是存在的日期"


def is_day_zero(value) -> bool:
    """Excel's 0 in a date-formatted cell: read as midnight with no day (openpyxl) or as 1899-12-30/31."""
    if isinstance(value, dt.time) and not isinstance(value, dt.datetime):
        return value == dt.time(0)
    return isinstance(value, dt.datetime) and value.date() in (dt.date(1899, 12, 30), dt.date(1899, 12, 31)) \
        and value.time() == dt.time(0)


def shown_cell(value) -> str:
    """A cell as a message quotes it: clipped, and Excel's day 0 as Excel shows it (1900-01-00), never 00:00:00."""
    return "1900-01-00" if is_day_zero(value) else clip(value)


class Problem(NamedTuple):
    """A cell that is not what its field expects: a catalogue code, its variant and its fields."""

    code: str
    fields: dict
    variant: str = ""


def _problem(code: str, variant: str = "", /, **fields) -> Problem:
    return Problem(code, fields, variant)


def parse_value(f: Field, v) -> tuple[object, Problem | None]:
    """Parse one cell for field ``f``: (value, None) or (value or None, the :class:`Problem`).

    A few problems are warnings that keep the value (formula_text, date_serial, bad_id).
    """
    if f.kind == IDNUM:
        return _parse_id(v)
    if f.kind == MONEY:
        return _parse_money(f, v)
    if f.kind == DATE:
        day, why, serial = parse_date(v)
        if why:
            return None, _problem("bad_date", raw=shown_cell(v), why=why)
        if serial:
            return day, _problem("date_serial", raw=clip(v), day=day.isoformat())
        return day, None
    if f.kind in (COUNT, SIGNED):
        num, why = parse_whole(v, f.kind)
        if why:
            return None, _problem("bad_number", raw=shown_cell(v), why=why,
                                  expected="不小于 0 的整数" if f.kind == COUNT else "整数")
        if num is None and f.required:
            what = "床位数" if "床位" in f.label else ("份数" if "份数" in f.label else "人数")
            return None, _problem("empty_number", what=what)
        return num, None
    if f.kind == AGE:
        return _parse_age(f, v)
    if f.kind == CHOICE:
        return _parse_choice(f, v)
    if isinstance(v, Formula):
        # a formula in a text column is read as its literal text, and said so
        if f.key in NAME_COLUMNS:
            return v.text, _problem("formula_text", "name")
        return v.text, _problem("formula_text", formula=clip(v.text))
    return to_text(v), None


def _parse_id(v) -> tuple[object, Problem | None]:
    from .idcard import check, normalise

    if v is None or not normalise(v):
        return None, None
    idc = check(v)
    if not idc.ok:
        return idc.number, _problem("bad_id", problem=idc.problem)
    return idc.number, None


def _parse_money(f: Field, v) -> tuple[object, Problem | None]:
    from .cells import to_money

    if isinstance(v, Formula):
        return None, _problem("bad_money", "formula", formula=clip(v.text))
    if isinstance(v, (dt.date, dt.datetime, Percent, bool)):
        return None, _problem("bad_money", "not_money", raw=clip(v))
    try:
        amount = to_money(v)
    except ValueError as exc:
        return None, _problem("bad_money", "unreadable", why=str(exc))
    if amount is None:
        return None, (_problem("empty_number", what="金额") if f.required else None)
    if amount < 0:
        return None, _problem("bad_money", "negative", amount=amount)
    if amount > MAX_WHOLE * 100:
        return None, _problem("bad_money", "too_large", amount=amount)
    return amount, None


def _parse_age(f: Field, v) -> tuple[object, Problem | None]:
    num, why = parse_whole(v, COUNT)
    if why:
        return None, _problem("bad_age", raw=clip(v), why=why.replace("人数", "年龄"))
    if num is None:
        return None, (_problem("empty_value", "age") if f.required else None)
    if num > 120:
        return None, _problem("bad_age", "range", age=num)
    return num, None


def _parse_choice(f: Field, v) -> tuple[object, Problem | None]:
    text = to_text(v)
    vocab = VOCABULARIES[f.vocabulary]
    if not text:
        return None, (_problem("empty_value", "choice", choices="、".join(vocab.labels)) if f.required else None)
    label = vocab.normalise(text)
    if label is None and has_traditional_answer(text):
        label = vocab.normalise(answer_simplified(text))     # 整潔乾淨 -> 整洁干净, 較好 -> 较好
    if label is None:
        return None, _problem("unknown_answer", raw=clip(text), choices="、".join(vocab.labels))
    return label, None


class _Reading:
    """The state of one table being read: the sheet, its columns, the table so far, the issues found."""

    def __init__(self, sheet: Sheet, parsed: ParsedTable, issues: list[Issue]):
        self.sheet, self.parsed, self.issues = sheet, parsed, issues

    def add(self, code: str, excel_row: int, col: Column | None, raw, variant: str = "", /, **fields) -> None:
        """An issue about the cell of ``col`` in ``excel_row`` (the value shown masked where it is a name)."""
        at = At(self.sheet.file, self.sheet.name, excel_row, col.field.label if col else None,
                col.letter if col else None)
        shown = "1900-01-00" if is_day_zero(raw) else shown_value(col.field.key if col else None, raw)
        self.issues.append(issue(code, at, value=shown, variant=variant,
                                 **fields))


def _cell(row: list, col: Column):
    return row[col.index] if col.index < len(row) else None


#: the columns whose merged cells group the rows under them, by table: a village over its people, a home over
#: its staff or its payments. Only these are filled down; a merged count, note or name is left as written.
GROUPING = {"assessments": ("village",), "staff": ("home",), "benefits": ("township", "village"),
            "changes": ("township", "village"), "funds": ("home",), "spending": ("home",)}


def _fill_merged(sheet: Sheet, table: Table, cols: dict[str, Column], first: int, stop: int) -> list[list]:
    """The sheet's rows with each merged cell of a grouping column (:data:`GROUPING`) filled down over the data
    rows ``first``..``stop`` it spans, as a reader sees it; the sheet itself is not changed."""
    rows = sheet.rows
    targets = {cols[k].index for k in GROUPING.get(table.key, ()) if k in cols}
    if not targets or not sheet.merged:
        return rows
    rows = list(rows)
    for r0, c0, r1, c1 in sheet.merged:
        if c0 not in targets or r1 <= r0 or r0 < first or r0 >= stop or r0 >= len(rows):
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else None
        if value is None or not to_text(value):
            continue
        for r in range(r0 + 1, min(r1, stop - 1, len(rows) - 1) + 1):
            row = rows[r]
            if c0 < len(row) and row[c0] is not None:
                continue
            if not any(v is not None and to_text(v) for v in row):
                continue              # an empty row inside the merge stays empty
            row = list(row) + [None] * (c0 + 1 - len(row))
            row[c0] = value
            rows[r] = row
    return rows


def read_table(sheet: Sheet, table: Table, header_end: int, cols: dict[str, Column], issues: list[Issue],
               start: int = 0, stop: int | None = None) -> ParsedTable:
    """Read the rows under a located header; value problems are appended to ``issues``.

    start: the first 0-based row that belongs to this table (its title lines); stop: the row where the
    next table on the sheet starts (default: the end of the sheet).
    """
    parsed = ParsedTable(table, sheet.file, sheet.name, header_end + 1, cols)
    _read_lines_above(parsed, sheet, header_end, start)
    reading = _Reading(sheet, parsed, issues)
    _report_duplicate_columns(reading, header_end)
    state = "data"
    end = len(sheet.rows) if stop is None else stop
    rows = _fill_merged(sheet, table, cols, header_end + 1, end)
    first = header_end + 1
    if first < end and _is_column_numbers(rows[first], sheet.rows[header_end]):
        first += 1        # 甲 乙 1 2 3 … under the header: the columns' numbers, not a row of data
    for i in range(first, end):
        row = rows[i]
        if not any(v is not None and to_text(v) for v in row):
            continue
        signature = _signature_text(row)
        if signature is not None:
            # 填报人：… 审核人：… under the form: never a person or a home; the table ends there
            reading.issues.append(issue("signature_line", At(sheet.file, sheet.name, i + 1), value=clip(signature),
                                        text=clip(signature)))
            if state == "data" and parsed.rows:
                state = "footnote"
            continue
        if i in sheet.total_rows and not table.has_totals:
            continue      # an Excel table's own total row under a list of people: a count, not a person
        is_total = state == "data" and table.has_totals and (_is_total_row(row) or i in sheet.total_rows)
        if (not is_total and not _is_footnote(row)
                and not any(to_text(_cell(row, c)) for c in cols.values() if c.field.kind != SEQ)):
            continue  # only a pre-numbered 序号, or text outside the table's columns
        if is_total:
            # a 合计 row above the data (a common layout) is kept, and the rows below it are read
            state = "after_total" if parsed.rows else "data"
            parsed.total = _read_total(reading, row, i + 1)
        elif state != "data" or _is_footnote(row):
            if state == "data":
                state = "footnote"
            _report_row_after(reading, row, i + 1, state)
        else:
            parsed.rows.append(_read_row(reading, row, i + 1))
    return parsed


def _read_lines_above(parsed: ParsedTable, sheet: Sheet, header_end: int, start: int) -> None:
    """The 填报单位 (or 待遇类别) and 月份 lines written above the header."""
    label = UNIT_LABEL if parsed.table.key != "benefits" else BENEFIT_LABEL
    parsed.unit, parsed.unit_row, parsed.unit_letter = _unit(sheet, header_end, label, start)
    parsed.month_text, parsed.month_row, parsed.month_letter = _unit(sheet, header_end, MONTH_LABEL, start)
    if parsed.month_text:
        m = _MONTH_TEXT.search(fold_width(parsed.month_text))
        parsed.month = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}" if m and 1 <= int(m.group(2)) <= 12 else None


def _report_duplicate_columns(reading: _Reading, header_end: int) -> None:
    """A field whose header is written twice: the first column is read, the other reported."""
    for col in reading.parsed.columns.values():
        for index, label, offset in col.duplicates:
            other = get_column_letter(index + 1)
            at = At(reading.sheet.file, reading.sheet.name, header_end + 1 + offset, col.field.label, other)
            # two columns of figures, each headed by the field's label: which is right?
            numbers = (col.field.required or col.field.summed) and index not in col.loose
            reading.issues.append(issue("duplicate_column" if numbers else "duplicate_optional_column", at,
                                        value=clip(label), header=clip(label), read_letter=col.letter,
                                        read_header=clip(col.label), other_letter=other))


def _read_total(reading: _Reading, row: list, excel_row: int) -> ParsedRow:
    """The 合计 row: its summed columns, each a number or reported."""
    values, raw = {}, {}
    for key, col in reading.parsed.columns.items():
        if col.field.summed:
            raw[key] = _cell(row, col)
            num, why = parse_whole(raw[key], col.field.kind)
            if isinstance(raw[key], Formula):
                reading.add("total_formula", excel_row, col, raw[key], formula=clip(raw[key].text))
            elif why:
                reading.add("bad_total_value", excel_row, col, raw[key], raw=clip(raw[key]), why=why)
            values[key] = num
    return ParsedRow(excel_row, values, raw)


def _report_row_after(reading: _Reading, row: list, excel_row: int, state: str) -> None:
    """Nothing after the table is lost silently: a data-like row after the 合计 row or the notes is reported."""
    cols = reading.parsed.columns
    name_col = cols[reading.parsed.table.name_field]
    name = to_text(_cell(row, name_col))
    numbers = [parse_whole(_cell(row, c), c.field.kind)[0] for c in cols.values() if c.field.summed]
    if name and any(n is not None for n in numbers) and not _is_footnote(row):
        after = "合计行之后" if state == "after_total" else "表注之后"
        reading.add("row_after_total", excel_row, name_col, _cell(row, name_col), after=after, name=clip(name))


def _read_row(reading: _Reading, row: list, excel_row: int) -> ParsedRow:
    """One data row: every field parsed, every problem reported."""
    table = reading.parsed.table
    values, raw = {}, {}
    for key, col in reading.parsed.columns.items():
        f = col.field
        if f.kind == SEQ:
            continue
        v = _cell(row, col)
        raw[key] = v
        value, problem = parse_value(f, v)
        if problem and f.recomputed and problem.code == "bad_number":
            reading.add("bad_recomputed", excel_row, col, v, **problem.fields)
        elif problem:
            reading.add(problem.code, excel_row, col, v, problem.variant, **problem.fields)
        values[key] = value
    if not values.get(table.name_field):
        reading.add("empty_name", excel_row, reading.parsed.columns[table.name_field], None)
    return ParsedRow(excel_row, values, raw)


def find_tables(sheets: list[Sheet], issues: list[Issue], county) -> list[ParsedTable]:
    """Every table of the schema in the given sheets, its headers read in ``county``'s words
    (:class:`~tekun_helpers.config.county.County`: ``policy.county``); the tables found are bound to it.
    Tables side by side on one sheet are read each on its own (:func:`side_by_side`), tables one under
    another each from its header to the next one's."""
    found = []
    for sh in sheets:
        try:
            parts = side_by_side(sh, county)
            here = [t for part in parts for t in _tables_in(part, issues, county)]
            if len(parts) > 1:
                _share_totals(here)
            found += here
        except Exception as exc:  # a reader bug on a strange sheet is an error of that sheet, never a crash
            import logging

            logging.getLogger("tekun.io").info("reading sheet %r of %r failed", sh.name, sh.file, exc_info=True)
            issues.append(issue("sheet_failed", At(sh.file, sh.name)))
    return found


def _share_totals(tables: list[ParsedTable]) -> None:
    """Tables of one kind side by side at the same height, one of them with the 合计 row: one list wrapped into
    blocks of columns, whose total is checked against all their rows (:attr:`ParsedTable.shares_total_with`)."""
    groups: dict[tuple[str, int], list[ParsedTable]] = {}
    for t in tables:
        groups.setdefault((t.table.key, t.header_row), []).append(t)
    for group in groups.values():
        if len(group) > 1 and sum(t.total is not None for t in group) == 1:
            for t in group:
                t.shares_total_with = [o for o in group if o is not t]


def _tables_in(sh: Sheet, issues: list[Issue], county) -> list[ParsedTable]:
    found = []
    start = 0
    while start < len(sh.rows):
        loc = locate(sh, start, county=county)
        if loc is None:
            break
        earlier = next_header(sh, start, loc[1] - 1, county=county)
        if earlier is not None:       # the best header is a second table: read the first one first
            loc = locate(sh, earlier, earlier + 1, county=county) or loc
        table, end, cols = loc
        stop = next_header(sh, end + 1, county=county)
        found.append(read_table(sh, table, end, cols, issues, start, stop))
        if stop is None:
            break
        start = stop
    return found
