"""Helpers for the analyst's own questions (notebooks/explore.ipynb): which frames a month has, what each column means.

Everything here is read from the schema (tekun_helpers.config.schema), so a
field added there is explained here too.
"""
from __future__ import annotations

import pandas as pd

from ..config import schema
from ..config.county import County, default_county
from ..config.schema import TABLES, VOCABULARIES, bind
from ..io.privacy import ID_COLUMNS, NAME_COLUMNS

#: a field's kind, as the analyst reads it
KIND_TEXT = {
    schema.COUNT: "非负整数",
    schema.SIGNED: "整数，可为负",
    schema.TEXT: "文字",
    schema.IDNUM: "身份证号（18 位文字）",
    schema.MONEY: "金额（元，Decimal，两位小数）",
    schema.DATE: "日期（datetime.date），空表示尚未",
    schema.CHOICE: "固定选项（已统一为规范写法）",
    schema.AGE: "年龄（0—120 的整数）",
}

#: columns the reader adds to every frame
ADDED = {
    "source_file": "读取的文件（相对于月份文件夹）",
    "source_sheet": "工作表名",
    "source_row": "Excel 行号（与 Excel 显示一致）",
}
#: columns the reader adds to one frame (the county's words filled in)
ADDED_TO = {
    ("homes", "township"): "所在{towns}（取自参考数据 nursing_homes.csv）",
    ("assessments", "township"): "{towns}（取自表头的“填报单位”）",
}


def _answers(vocab) -> str:
    """The answers of a fixed-choice field: '较好 < 一般 < 较差' when they are ordered, '男、女' when not."""
    ordered = len({lv.rank for lv in vocab.levels}) > 1
    return (" < " if ordered else "、").join(vocab.labels)


def month_tables(data) -> pd.DataFrame:
    """One row per frame of a MonthData: the attribute, the table's Chinese name, rows and columns."""
    rows = []
    for key, table in TABLES.items():
        frame = getattr(data, key, None)
        if frame is None:
            continue
        rows.append({"属性": f"m.{key}", "表": table.label, "行数": len(frame), "列数": len(frame.columns)})
    return pd.DataFrame(rows)


def column_guide(frame: pd.DataFrame, table: str, county: County | None = None) -> pd.DataFrame:
    """What each column of ``frame`` (a MonthData frame, ``table`` its schema key) means.

    Columns: 列 (the English name used in code), 原表列名 (the official header),
    类型, 可填写的值 (the ordered answers of a fixed-choice field), 必填,
    非空行数, 说明 (masking, columns the reader adds).
    county: whose words the headers are in (``m.policy.county``; default: the default data folder's county).
    """
    county = county or default_county()
    t = bind(TABLES[table], county)
    fields = {f.key: f for f in t.fields}
    rows = []
    for col in frame.columns:
        f = fields.get(col)
        filled = int((frame[col].notna() & (frame[col].astype(str).str.strip() != "")).sum())
        if f is None:
            rows.append({"列": col, "原表列名": "", "类型": "", "可填写的值": "", "必填": "", "非空行数": filled,
                         "说明": county.fill(ADDED_TO.get((table, col)) or ADDED.get(col, "程序计算的列"))})
            continue
        vocab = VOCABULARIES.get(getattr(f, "vocabulary", ""))
        note = []
        if col in NAME_COLUMNS:
            note.append("人员姓名：报告中脱敏显示")
        if col in ID_COLUMNS:
            note.append("报告中只显示前 6 位和后 4 位")
        if f.aliases:
            note.append("也认：" + "、".join(f.aliases[:3]) + ("等" if len(f.aliases) > 3 else ""))
        rows.append({"列": col, "原表列名": f.label, "类型": KIND_TEXT.get(f.kind, f.kind),
                     "可填写的值": _answers(vocab) if vocab else "", "必填": "是" if f.required else "",
                     "非空行数": filled, "说明": "；".join(note)})
    return pd.DataFrame(rows)


__all__ = ["month_tables", "column_guide", "KIND_TEXT"]
