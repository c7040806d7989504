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
from .jobs import FORMATS, ReportJob, ReportResult, check_month_data, notebook_dir, render_job, report_result

PERIOD_NOTEBOOK_NAME = "period_report.ipynb"


def period_job(start: str, end: str, *, internal: bool = False, draft: bool = False,
               tables: str | None = None) -> ReportJob:
    """The period's report job: the period notebook (of $TEKUN_NOTEBOOK_DIR or the project), titled by its heading;
    ``tables``: a pickle of the period's tables (:func:`save_tables`) the notebook reads instead of computing them."""
    from .notebooks import heading, read

    path = notebook_dir() / PERIOD_NOTEBOOK_NAME
    if not path.is_file():
        raise RenderError(f"找不到期间报告的 notebook：{path}")
    return ReportJob(end, source=path, heading=heading(read(path)), period=(start, end), internal=internal,
                     draft=draft, tables=tables)


def export_period(p, path) -> Path:
    """The period's tables (:func:`tekun_helpers.report.period.sheets`) as one workbook at ``path``."""
    from ..report.period import sheets
    from .excel import export_tables

    return export_tables(sheets(p), path, sample=p.sample)


def render_period(start: str, end: str, data_dir=None, out_dir=None, formats=FORMATS,
                  excel: bool = True, *, internal: bool = False, draft: bool = False) -> ReportResult:
    """Render the period's report (HTML, PDF as ``formats`` say) and, with ``excel``, its workbook (files['xlsx']).

    The tables are computed once (:func:`tekun_helpers.report.period.build`), handed to the notebook as a pickle
    and written to Excel from the same object. ``internal``: marked 内部资料, under outputs/内部资料/period/.
    ``draft``: rendered although the last month has errors (its pages marked 草稿; months with errors are left
    out of the tables and named). Raises ValidationFailed when the last month has errors (not a draft),
    ValueError when no month of the period can be read; a rendering failure is returned in the result's ``error``."""
    import pickle
    import tempfile

    from ..report.period import build

    data = check_month_data(end, data_dir, draft=draft)
    p = build(start, end, data_dir)
    out = output_dir(out_dir)
    with tempfile.TemporaryDirectory(prefix="tekun-period-") as tmp:
        tables = Path(tmp) / "period.pickle"
        tables.write_bytes(pickle.dumps(p))
        job = period_job(start, end, internal=internal, draft=draft, tables=str(tables))
        result = render_job(job, data, data_dir, out, formats)
    if excel and result.error is None:
        stem = job.stem(data.policy.banner)
        result.files["xlsx"] = export_period(p, job.folder(out) / f"{stem}.xlsx")
    return result


#: what --scope and --township of a period's report may ask for: only the banner's period report exists yet; its
#: tables by township (their titles from the registry) are named
SCOPE_WORDS = ("期间报告目前只有{whole}一份（--scope banner），还没有各{towns}的期间报告；"
               "各{towns}一段时期的情况见{whole}期间报告的{tables}等表（每个{towns}一行），或其各月简报。")
TOWNSHIP_TABLES = ("period_townships", "period_township_findings", "period_moves_townships")


def run_command(spec: str, data_dir=None, out_dir=None, formats=FORMATS, *, draft: bool = False,
                internal: bool = False, scope: str = "banner", townships=None) -> int:
    """``tekun report --period START..END``: render, print what was made; the exit code (1: data errors or a
    failure; 2: a usage error, e.g. --scope townships, which has no period report yet)."""
    import sys

    from ..core.exceptions import ValidationFailed
    from .batch import parse_months

    try:
        months = parse_months(spec)
    except ValueError as exc:       # a usage error, as argparse's
        print(f"--period：{exc}", file=sys.stderr)
        return 2
    if scope != "banner" or townships:
        from ..config.policy import load_policy

        from ..config.outputs import table

        county = load_policy(data_dir=data_dir).county
        tables = "".join(f"“{table(k).title}”" for k in TOWNSHIP_TABLES)
        print(county.fill(SCOPE_WORDS.replace("{tables}", tables)), file=sys.stderr)
        return 2
    start, end = months[0], months[-1]
    marks = ("，草稿：数据有错误也生成，每页标注“草稿”" if draft else "") + ("，内部资料" if internal else "")
    print(f"生成 {start} 至 {end} 的期间报告（格式：{','.join(formats)}，另含 Excel{marks}）……")
    try:
        result = render_period(start, end, data_dir, out_dir, formats, internal=internal, draft=draft)
    except (ValidationFailed, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return report_result(result, "期间报告")
