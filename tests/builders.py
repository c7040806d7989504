"""Write month folders and deliberately broken workbooks for the tests.

The seed's rows come from scripts/transcribe_2023_08.py, the one place they
are typed, so tests and the bundled month cannot drift apart.
"""
from __future__ import annotations

import csv
import importlib.util
import shutil
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("transcribe", ROOT / "scripts" / "transcribe_2023_08.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)

SEED_TOWNSHIPS = list(_mod.TOWNSHIPS)   # (name, dispersed, fully, semi)
SEED_HOMES = list(_mod.HOMES)           # (name, beds, residents, needed, missing, staff, head, phone)

TOWNSHIP_HEADER = ["序号", "乡镇苏木街道", "分散供养人数", "其中：全失能人数", "半失能人数", "备注"]
HOME_HEADER = ["序号", "名称", "实有床位数（张）", "现入住老人数（人）", "60%应住人数",
               "达到60%\n还应入住人数", "工作人员人数", "负责人", "联系电话", "备  注"]


def township_rows():
    return [[i, *t, None] for i, t in enumerate(SEED_TOWNSHIPS, start=1)]


def home_rows():
    return [[i, *h, None] for i, h in enumerate(SEED_HOMES, start=1)]


def township_total(rows):
    return ["合 计", None, *(sum(r[c] for r in rows if isinstance(r[c], int)) for c in (2, 3, 4)), None]


def home_total(rows):
    return ["公办敬老院合计", None, *(sum(r[c] for r in rows if isinstance(r[c], int)) for c in (2, 3, 4, 5, 6)), None, None, None]


def write_xlsx(path: Path, blocks, sheet="Sheet1", title_rows=("附件", "统计表")) -> Path:
    """Write ``blocks`` (a list of rows) under ``title_rows``. Returns the path."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in title_rows:
        ws.append([r])
    for row in blocks:
        ws.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def township_sheet(rows=None, header=None, total=True):
    rows = township_rows() if rows is None else rows
    out = [header or TOWNSHIP_HEADER, *rows]
    if total:
        out.append(township_total(rows) if total is True else total)
    return out


def home_sheet(rows=None, header=None, total=True):
    rows = home_rows() if rows is None else rows
    out = [header or HOME_HEADER, *rows]
    if total:
        out.append(home_total(rows) if total is True else total)
    return out


def make_month(tmp: Path, month="2023-08", townships=None, homes=None) -> Path:
    """A data folder with reference/ and a month holding the given (or the seed's) tables.

    townships/homes: a list of rows for the sheet (header included), or False to leave the table out.
    Returns the data folder (pass as data_dir).
    """
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference", dirs_exist_ok=True)
    folder = data / month
    folder.mkdir(parents=True, exist_ok=True)
    if townships is not False:
        write_xlsx(folder / "附件1.xlsx", townships if townships is not None else township_sheet())
    if homes is not False:
        write_xlsx(folder / "附件2.xlsx", homes if homes is not None else home_sheet())
    return data


def write_csv(path: Path, rows, encoding="utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    return path


def by_code(m, code):
    """The month's issues with this code."""
    return [i for i in m.issues if i.code == code]


def one(m, code):
    """The single issue with this code (fails, listing every issue, when there is not exactly one)."""
    found = by_code(m, code)
    assert len(found) == 1, [(i.code, i.message) for i in m.issues]
    return found[0]


# -- the bundled month with one cell broken, and the real command --------------------

BUNDLED = ROOT / "data" / "2023-08"
ATT1 = "附件1 2023年8月分散供养人员分乡镇统计表.xlsx"
ATT2 = "附件2 敖汉旗养老机构8月情况统计表.xlsx"
# what a user must never read: a traceback or the name of a Python exception
ENGLISH_ERROR = r"Traceback|(?<![A-Za-z])[A-Z][A-Za-z]*(?:Error|Exception|Interrupt)\b|File \""


def bundled_month(tmp: Path, month="2023-08") -> Path:
    """A copy of the whole bundled month (附件1, 附件2, 附件3 forms, ledgers, rosters, funds) with reference/.
    Returns the data folder (pass as data_dir)."""
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference", dirs_exist_ok=True)
    shutil.copytree(BUNDLED, data / month, dirs_exist_ok=True)
    return data


def edit_cell(path: Path, column: str, row_name: str, value, sheet: str | None = None) -> tuple[int, str]:
    """Set the cell of the column headed ``column`` in the row whose cells include ``row_name``.

    Returns (Excel row, column letter) of the cell changed.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    col = next(c.column for r in ws.iter_rows(max_row=30) for c in r
               if isinstance(c.value, str) and c.value.replace("\n", "").replace(" ", "").startswith(column))
    row = next(r[0].row for r in ws.iter_rows() if any(c.value == row_name for c in r))
    ws.cell(row, col).value = value
    wb.save(path)
    return row, get_column_letter(col)


def tekun(*args, timeout=120, **kw):
    """Run the installed ``tekun`` command (the script beside this Python) and capture its output."""
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "tekun"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=kw.pop("cwd", ROOT), **kw)


def run_in_kernel(kc, code: str) -> str:
    """Execute ``code`` through kernel client ``kc`` as nbclient does; what it printed (stdout and stderr)."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok", reply["content"]
    text = []
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text.append(msg["content"]["text"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(text)


def workbook_text(path: Path) -> str:
    """Every cell, sheet name, data-validation message, header, footer, comment and document property of a
    workbook (what a reader of it can see)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    parts = [str(getattr(wb.properties, k) or "") for k in ("title", "subject", "description", "keywords")]
    for ws in wb.worksheets:
        parts.append(ws.title)
        parts += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        for dv in ws.data_validations.dataValidation:
            parts += [str(dv.error or ""), str(dv.errorTitle or ""), str(dv.prompt or ""), str(dv.promptTitle or "")]
        for hf in (ws.oddHeader, ws.oddFooter):
            parts += [str(part.text or "") for part in (hf.left, hf.center, hf.right)]
        parts += [c.comment.text for row in ws.iter_rows() for c in row if c.comment is not None]
    return "\n".join(parts)


def rewrite_entry(path: Path, entry: str, change) -> None:
    """Rewrite one entry of a zip package (an .xlsx or .ods) in place: its bytes become ``change(bytes)``."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            out.writestr(info, change(body) if info.filename == entry else body)
    path.write_bytes(buf.getvalue())


#: the adjustment the tests make to policy.toml (issue 31's example, in the interface's own format):
#: 70% from 2024-01-01, due 2024-06-30, with the notice quoted
SEVENTY_SOURCE = "旗民政局《关于调整敬老院入住率目标的通知》：各敬老院入住率力争于2024年6月30日前达到70%以上。"
SEVENTY = f'''
[[adjustments]]
effective = 2024-01-01
source = "{SEVENTY_SOURCE}"
"occupancy.target" = 0.70
"occupancy.deadline" = 2024-06-30
'''


def displayed(*parts, markdown: bool = False) -> str:
    """The HTML (and, with ``markdown``, the Markdown) that ``parts`` (callables showing a briefing's sections)
    display, captured through an IPython shell made for it and removed after, so that no later test in this
    process finds a shell it did not make (a worker's in-process kernel makes its own)."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    made = not InteractiveShell.initialized()
    InteractiveShell.instance()
    try:
        with capture_output() as out:
            for part in parts:
                part()
    finally:
        if made:
            InteractiveShell.clear_instance()
    return "".join(o.data.get("text/html", "") + (o.data.get("text/markdown", "") if markdown else "")
                   for o in out.outputs)
