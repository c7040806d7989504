"""Every field of every table, once: English key, official Chinese label, aliases, type.

Readers find columns through this module, reports label columns through it,
and the Excel export writes headers from it. Adding an alias here is how a new
spelling that a township uses becomes readable.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .textnorm import fold_label

# kinds of field
COUNT = "count"      # whole number >= 0
SIGNED = "signed"    # whole number, may be negative (还应入住人数)
TEXT = "text"
SEQ = "seq"          # 序号: read, not kept


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False
    summed: bool = False  # the 合计 row carries its sum

    def folded_labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fold_label(x) for x in (self.label, *self.aliases)))


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
        Field("township", "乡镇苏木街道", TEXT, ("乡镇", "乡镇名称", "乡镇（苏木、街道）", "单位", "乡镇街道"), required=True),
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
        Field("needed_stated", "60%应住人数", COUNT, ("应住人数", "百分之六十应住人数"), summed=True),
        Field("missing_stated", "达到60%还应入住人数", SIGNED, ("还应入住人数", "达到60%还需入住人数"), summed=True),
        Field("staff", "工作人员人数", COUNT, ("工作人员数", "工作人员"), required=True, summed=True),
        Field("head", "负责人", TEXT, ("院长",)),
        Field("phone", "联系电话", TEXT, ("电话", "联系方式")),
        Field("note", "备注", TEXT, ("说明",)),
    ),
)

TABLES: dict[str, Table] = {t.key: t for t in (TOWNSHIPS, HOMES)}
