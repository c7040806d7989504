"""Problems found in the input, each pinned to file, sheet, Excel row and column.

An :class:`Issue` is made by :func:`tekun_helpers.core.catalogue.issue` from a code the catalogue
declares, a place (:class:`At`) and the code's named fields; see :mod:`tekun_helpers.core.catalogue`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .text import printable

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Issue:
    """One problem in the month's input.

    severity: "error" stops the report; "warning" is shown in its 数据质量 section.
    file:     file name inside the month folder ('' for the folder itself).
    sheet:    worksheet name ('' for CSV files and folder-level issues).
    row:      Excel row, 1-based as Excel shows it (None when not about a row).
    column:   the column's label as the table names it (None when not about a cell).
    value:    the value found, as text ('' when there is none).
    message:  a complete Chinese sentence naming the place, the value and what is expected.
    code:     a stable English identifier of the check, declared in the catalogue (core.catalogue).
    column_letter: the Excel column letter, when known.
    fields:   the named values the message was made from ({'stated': 2700, 'actual': 2698, ...}), so that
              code and tests read figures without parsing the message.
    detail:   the message without the place it starts with (a cell's comment already says where).
    """

    severity: str
    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str
    message: str
    code: str = ""
    column_letter: str | None = field(default=None, compare=False)
    fields: dict = field(default_factory=dict, compare=False, repr=False)
    detail: str = field(default="", compare=False, repr=False)

    def __post_init__(self):
        # what a user reads never holds a raw control character (a file name with a line break could
        # forge lines of the terminal output or of the report); file and sheet keep the real names
        object.__setattr__(self, "message", printable(self.message))
        object.__setattr__(self, "value", printable(self.value))
        object.__setattr__(self, "detail", printable(self.detail) if self.detail else self.message)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_json(self) -> dict:
        """The public JSON shape: severity, file, sheet, row, column, value, message."""
        d = asdict(self)
        return {k: d[k] for k in ("severity", "file", "sheet", "row", "column", "value", "message")}

    @property
    def at(self) -> "At":
        """The issue's place."""
        return At(self.file, self.sheet, self.row, self.column, self.column_letter)

    def where(self) -> str:
        """'文件《a.xlsx》工作表“Sheet1”第5行C列（分散供养人数）' — as much as is known."""
        return self.at.where()

    def names(self) -> list[str]:
        """The texts this issue names: its file, sheet, value and fields as text (the township, home or
        file a reader may look for), never parsed out of the message."""
        return [self.file, self.sheet, self.value, *(str(v) for v in self.fields.values())]


@dataclass(frozen=True)
class At:
    """Where an issue is.

    file:   file name inside the month folder ('' for the folder itself).
    sheet:  worksheet name ('' for CSV files and folder-level issues).
    row:    Excel row, 1-based (None when not about a row).
    column: the column's label as the table names it (None when not about a column).
    letter: the Excel column letter, when known.
    """

    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str | None = None
    letter: str | None = None

    def where(self) -> str:
        """'文件《a.xlsx》工作表“Sheet1”第5行C列（分散供养人数）' — as much as is known ('本月数据' when nothing)."""
        parts = []
        if self.file:
            parts.append(f"文件《{printable(self.file)}》")
        if self.sheet:
            parts.append(f"工作表“{printable(self.sheet)}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.letter}列（{self.column}）" if self.letter else f"“{self.column}”列")
        return "".join(parts) if parts else "本月数据"


def sort_key(issue: Issue):
    return (0 if issue.is_error else 1, issue.file, issue.sheet, issue.row or 0, issue.column_letter or "")


def format_table(issues: list[Issue]) -> str:
    """A plain-text Chinese table of issues for the terminal."""
    if not issues:
        return "未发现问题。"
    lines = []
    for i, iss in enumerate(sorted(issues, key=sort_key), start=1):
        lines.append(f"{i:>3}. [{SEVERITY_LABELS.get(iss.severity, iss.severity)}] {iss.message}")
    n_err = sum(1 for i in issues if i.is_error)
    lines.append(f"共 {len(issues)} 项：错误 {n_err} 项，警告 {len(issues) - n_err} 项。")
    return "\n".join(lines)
