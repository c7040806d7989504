"""`tekun report --period START..END`: a period's report (the year at a glance), HTML and PDF from the notebook
``notebooks/period_report.ipynb`` through the briefings' pipeline (:func:`.jobs.render_job`: papermill, nbconvert
with the project's template, Chromium), and the same tables as an Excel workbook (:func:`.excel.export_tables`).

The tables are :mod:`tekun_helpers.report.period`'s; the reports go to ``outputs/period/<START>_<END>/``.
The period's last month is checked first: errors there stop the report (earlier months with errors are left
out and named in the report).
"""
from __future__ import annotations

from pathlib import Path

from ..core.exceptions import RenderError
from ..core.paths import output_dir
from .jobs import FORMATS, ReportJob, ReportResult, check_month_data, notebook_dir, render_job

PERIOD_NOTEBOOK_NAME = "period_report.ipynb"


def period_job(start: str, end: str) -> ReportJob:
    """The period's report job: the period notebook (of $TEKUN_NOTEBOOK_DIR or the project), titled by its heading."""
    from .notebooks import heading, read

    path = notebook_dir() / PERIOD_NOTEBOOK_NAME
    if not path.is_file():
        raise RenderError(f"找不到期间报告的 notebook：{path}")
    return ReportJob(end, source=path, heading=heading(read(path)), period=(start, end))


def export_period(p, path) -> Path:
    """The period's tables (:func:`tekun_helpers.report.period.sheets`) as one workbook at ``path``."""
    from ..report.period import sheets
    from .excel import export_tables

    return export_tables(sheets(p), path, sample=p.sample)


def render_period(start: str, end: str, data_dir=None, out_dir=None, formats=FORMATS,
                  excel: bool = True) -> ReportResult:
    """Render the period's report (HTML, PDF as ``formats`` say) and, with ``excel``, its workbook (files['xlsx']).
    Raises ValidationFailed when the last month has errors, ValueError when no month of the period can be read;
    a rendering failure is returned in the result's ``error``."""
    from ..report.period import build

    data = check_month_data(end, data_dir)
    p = build(start, end, data_dir)
    job = period_job(start, end)
    out = output_dir(out_dir)
    result = render_job(job, data, data_dir, out, formats)
    if excel and result.error is None:
        stem = job.stem(data.policy.banner)
        result.files["xlsx"] = export_period(p, job.folder(out) / f"{stem}.xlsx")
    return result


def run_command(spec: str, data_dir=None, out_dir=None, formats=FORMATS) -> int:
    """``tekun report --period START..END``: render, print what was made; the exit code (1: data errors or a
    failure)."""
    import sys

    from ..core.exceptions import ValidationFailed
    from .batch import parse_months

    try:
        months = parse_months(spec)
    except ValueError as exc:       # a usage error, as argparse's
        print(f"--period：{exc}", file=sys.stderr)
        return 2
    start, end = months[0], months[-1]
    print(f"生成 {start} 至 {end} 的期间报告（格式：{','.join(formats)}，另含 Excel）……")
    try:
        result = render_period(start, end, data_dir, out_dir, formats)
    except (ValidationFailed, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if result.error:
        print(f"期间报告生成失败：{result.error}\n出错的 notebook：{result.executed_notebook}", file=sys.stderr)
        return 1
    for kind, path in result.files.items():
        if kind != "ipynb":
            print(f"  ✓ {path}")
    return 0
