"""Transcribe 附件1 and 附件2 of the source document into data/2023-08/.

Run once by hand (already run; the workbooks are committed). The numbers are
typed cell for cell from ../shared/seed/000_64ea05c5a162d319.txt; nothing is
computed. Kept so the next person can see exactly how the bundled month was made.
"""
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

OUT = Path(__file__).resolve().parent.parent / "data" / "2023-08"

TOWNSHIPS = [
    ("敖润苏莫苏木", 21, 0, 0), ("贝子府镇", 325, 1, 14), ("丰收乡", 169, 0, 13),
    ("古鲁板蒿镇", 161, 11, 17), ("黄羊洼镇", 87, 0, 7), ("惠州街道办", 16, 0, 6),
    ("金厂沟梁镇", 180, 3, 9), ("玛尼罕乡", 129, 1, 11), ("木头营子乡", 158, 0, 4),
    ("牛古吐镇", 261, 0, 8), ("萨力巴乡", 89, 0, 5), ("四道湾子镇", 94, 0, 12),
    ("四家子镇", 200, 1, 14), ("下洼镇", 175, 1, 0), ("新惠镇", 267, 1, 23),
    ("新州街道办", 14, 2, 2), ("兴隆洼镇", 215, 0, 18), ("长胜镇", 139, 3, 21),
]
HOMES = [
    ("敖汉旗新惠中心敬老院", 130, 62, 78, 16, 16, "胡剑丰", "15047678599"),
    ("新惠镇敬老院", 60, 48, 36, -12, 6, "陆晓辉", "15804760010"),
    ("贝子府镇敬老院", 40, 26, 24, -2, 4, "杨洪明", "13404872473"),
    ("古鲁板蒿镇敬老院", 40, 20, 24, 4, 7, "郭海洋", "13789591785"),
    ("萨力巴乡敬老院", 24, 18, 15, -3, 4, "李亚亮", "13734784500"),
    ("四家子镇敬老院", 40, 20, 24, 4, 6, "赵志虎", "13789498187"),
    ("玛尼罕乡敬老院", 70, 12, 42, 30, 5, "孙国军", "13191511300"),
    ("金厂沟梁镇敬老院", 40, 17, 24, 7, 5, "蔡常柏", "13614764129"),
    ("长胜镇敬老院", 50, 23, 30, 7, 5, "杨立国", "15049977762"),
    ("下洼镇敬老院", 48, 15, 29, 14, 5, "蔡振平", "13847641336"),
    ("丰收乡敬老院", 48, 18, 29, 11, 4, "李作臣", "13848661236"),
    ("兴隆洼镇敬老院", 53, 28, 32, 4, 4, "刘子民", "13847618175"),
    ("四道湾子镇敬老院", 50, 15, 30, 15, 3, "张颜辉", "15149120030"),
    ("木头营子乡敬老院", 40, 19, 24, 5, 5, "马署光", "13789437599"),
]

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _table(ws, first_row, rows):
    for r, values in enumerate(rows, start=first_row):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.border = BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def attachment1():
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "附件1"
    ws["A2"] = "2023年8月分散供养人员分乡镇统计表"
    ws.merge_cells("A2:F2")
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    header = ["序号", "乡镇苏木街道", "分散供养人数", "其中：全失能人数", "半失能人数", "备注"]
    rows = [header] + [[i, *t, None] for i, t in enumerate(TOWNSHIPS, start=1)]
    rows.append(["合 计", None, 2700, 24, 184, None])
    _table(ws, 3, rows)
    last = 3 + len(rows) - 1
    ws.merge_cells(f"A{last}:B{last}")
    for col, width in zip("ABCDEF", (6, 16, 14, 16, 12, 10)):
        ws.column_dimensions[col].width = width
    wb.save(OUT / "附件1 2023年8月分散供养人员分乡镇统计表.xlsx")


def attachment2():
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "附件2"
    ws["A2"] = "敖汉旗养老机构8月情况统计表"
    ws.merge_cells("A2:J2")
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    header = ["序号", "名称", "实有床位数（张）", "现入住老人数（人）", "60%应住人数",
              "达到60%\n还应入住人数", "工作人员人数", "负责人", "联系电话", "备  注"]
    rows = [header] + [[i, *h, None] for i, h in enumerate(HOMES, start=1)]
    rows.append(["公办敬老院合计", None, 733, 341, 441, 100, 79, None, None, None])
    _table(ws, 3, rows)
    last = 3 + len(rows) - 1
    ws.merge_cells(f"A{last}:B{last}")
    for col, width in zip("ABCDEFGHIJ", (6, 22, 10, 10, 10, 12, 10, 8, 14, 8)):
        ws.column_dimensions[col].width = width
    wb.save(OUT / "附件2 敖汉旗养老机构8月情况统计表.xlsx")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    attachment1()
    attachment2()
