"""Snapshots of what a batch renders, as plain text: every report's PDF text and every Excel export's cells.

The snapshots of the bundled months live in ``tests/golden/`` and ``tests/test_golden.py`` compares the
session's rendered batch with them, so a change of code that changes any figure or word of any report of
2023-08..2023-10 shows up as a failing test with the lines that differ. When a change of wording or
layout is intended, regenerate the snapshots and review their diff before committing it::

    .venv/bin/tekun batch --months 2023-08..2023-10 --scope all --force --out /tmp/golden_out
    .venv/bin/python tests/golden.py /tmp/golden_out          # rewrites tests/golden/

What is compared:

- a PDF as ``pdftotext`` reads it (reading order, not layout), page by page, with the one volatile
  figure, the time it was made ("生成时间 2026-12-07 10:56"), replaced by "生成时间 …";
- a workbook cell by cell: sheet, cell, value (``repr``, so 0.1 and "0.1" differ) and, where it is not
  "General", the number format.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
_MADE_AT = re.compile(r"生成时间\s*\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}(:\d{2})?")


def pdf_snapshot(path: Path) -> str:
    """The PDF's text, pages separated by lines "--- 第N页 ---", the time it was made masked."""
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    out = []
    for n, page in enumerate(pages, start=1):
        out.append(f"--- 第{n}页 ---")
        out.extend(line.rstrip() for line in _MADE_AT.sub("生成时间 …", page).splitlines() if line.strip())
    return "\n".join(out) + "\n"


def workbook_snapshot(path: Path) -> str:
    """Every non-empty cell of every sheet: 'sheet!A1<TAB>repr(value)[<TAB>number format]'."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out.append(f"--- {ws.title} ---")
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                fmt = "" if c.number_format == "General" else f"\t{c.number_format}"
                out.append(f"{c.coordinate}\t{c.value!r}{fmt}")
    return "\n".join(out) + "\n"


def snapshots(outputs: Path) -> dict[str, str]:
    """Relative snapshot name -> text, for every PDF and workbook under ``outputs`` (a batch's --out)."""
    outputs = Path(outputs)
    shots: dict[str, str] = {}
    for p in sorted(outputs.rglob("*.pdf")):
        shots[str(p.relative_to(outputs).with_suffix(".pdf.txt"))] = pdf_snapshot(p)
    for p in sorted(outputs.rglob("*.xlsx")):
        if "notebooks" in p.parts:
            continue
        shots[str(p.relative_to(outputs).with_suffix(".xlsx.txt"))] = workbook_snapshot(p)
    return shots


def stored() -> dict[str, str]:
    return {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.txt"))}


def write(outputs: Path) -> int:
    """Replace tests/golden/ with the snapshots of ``outputs``; returns how many were written."""
    import shutil

    shots = snapshots(outputs)
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for name, text in shots.items():
        target = GOLDEN / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(shots)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/golden.py <batch output folder>")
    print(f"wrote {write(Path(sys.argv[1]))} snapshots to {GOLDEN}")
