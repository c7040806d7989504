"""`tekun report --notice --month M`: the public notice of the complaints and media reports closed in the month
(公布处理结果), HTML and PDF from ``notebooks/public_notice.ipynb`` through the briefings' pipeline
(:func:`.jobs.render_job`: papermill, nbconvert with the project's template, Chromium), into
``outputs/notice/<M>/``. The notice's words are :mod:`tekun_helpers.report.notice`'s; the month is checked first:
errors stop it, as they stop a briefing.
"""
from __future__ import annotations

from ..core.exceptions import RenderError
from ..core.paths import output_dir
from .jobs import FORMATS, ReportJob, ReportResult, check_month_data, notebook_dir, render_job, report_result

NOTICE_NOTEBOOK_NAME = "public_notice.ipynb"


def notice_job(month: str) -> ReportJob:
    """The month's notice job: the notice notebook (of $TEKUN_NOTEBOOK_DIR or the project)."""
    from .notebooks import heading, read

    path = notebook_dir() / NOTICE_NOTEBOOK_NAME
    if not path.is_file():
        raise RenderError(f"找不到处理结果公示的 notebook：{path}")
    return ReportJob(month, source=path, heading=heading(read(path)), notice=True)


def render_notice(month: str, data_dir=None, out_dir=None, formats=FORMATS) -> ReportResult:
    """Render the month's notice (HTML, PDF as ``formats`` say). Raises ValidationFailed when the month has errors;
    a rendering failure is returned in the result's ``error``."""
    data = check_month_data(month, data_dir)
    return render_job(notice_job(month), data, data_dir, output_dir(out_dir), formats)


def run_command(month: str, data_dir=None, out_dir=None, formats=FORMATS) -> int:
    """``tekun report --notice --month M``: render, print what was made; the exit code (1: data errors or a failure)."""
    import sys

    from ..analysis.complaints import closed_in_month, has_register
    from ..core.exceptions import ValidationFailed

    try:
        data = check_month_data(month, data_dir)
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not has_register(data):
        print(f"{month} 没有举报与媒体报道问题登记表，不生成处理结果公示。", file=sys.stderr)
        return 1
    n = len(closed_in_month(data))
    if not n:
        print(f"{month} 的举报与媒体报道问题登记表中没有本月办结的件，没有需要公示的处理结果，未生成公示。")
        return 0
    print(f"生成 {month} 举报和媒体反映问题处理结果公示（本月办结 {n} 件；格式：{','.join(formats)}）……")
    result = render_notice(month, data_dir, out_dir, formats)
    return report_result(result, "公示")
