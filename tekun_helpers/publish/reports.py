"""`tekun report`: one month's reports, rendered by the batch (:mod:`.batch`) for that month alone.

A report is a notebook executed by papermill with parameters, converted to HTML by nbconvert with the
project's template, and printed to PDF by Chromium (:mod:`.jobs`: which reports a month has, where they
go, how one is rendered). Every report, a single banner briefing included, is made the batch's way: the
month read once on every core, what its briefings share computed once, the reports run in warm in-process
kernels of the batch's workers, each with one browser; ``report --scope all`` is the batch of that month.
Unlike ``tekun batch`` it always renders (nothing is skipped as unchanged), writes no Excel and no index
page, and prints a line for each report as it is done. The month is checked first: errors stop its reports,
unless it is a draft.
"""
from __future__ import annotations

from pathlib import Path

from ..core.exceptions import RenderError, ValidationFailed
from .batch import run_batch
from .jobs import (  # noqa: F401  (the names a report's callers have always found here)
    BANNER_NOTEBOOK_NAME,
    FORMATS,
    INTERNAL_DIR,
    SCOPES,
    TOWNSHIP_NOTEBOOK_NAME,
    ReportJob,
    ReportResult,
    check_month_data,
    notebook_dir,
    page_marks,
    plan,
    render_job,
    stamp_inputs,
)


def render_month(month: str, data_dir=None, out_dir=None, scope="banner", formats=FORMATS,
                 internal=False, progress=None, townships=None, draft=False, jobs=None) -> list[ReportResult]:
    """Render every report of a month for a scope, in the order of :func:`plan`. Raises ValidationFailed on data
    errors (unless ``draft``: rendered anyway, every page marked 草稿), KeyboardInterrupt on Ctrl-C (the batch
    has stopped its workers and removed what they were writing).

    townships: with scope 'townships' or 'all', render only these townships' briefings.
    progress: called with each :class:`ReportResult` as it is done.
    jobs: the workers (default: one per core, no more than reports).
    """
    return _through_batch(month, data_dir, out_dir, scope, formats, internal, progress, townships, draft, jobs)


def render_notebook(notebook, month: str, data_dir=None, out_dir=None, formats=FORMATS, internal=False,
                    progress=None, townships=None, draft=False) -> list[ReportResult]:
    """Render an analyst's own notebook as a report, through the same pipeline as the briefings.

    notebook: a notebook with a cell tagged ``parameters`` (a copy of a briefing with a section added,
        or a new one using the package); ``month``, ``data_dir``, ``internal`` and, per township in
        ``townships``, ``township`` are injected.
    The reports go where the briefings go (``outputs/<month>/``, ``乡镇/`` for a township), named
    ``<notebook>_<township>_<month>``, titled by the notebook's first ``# heading`` outside the
    remove-cell cells, else as the briefing. Raises ValidationFailed on data errors (unless ``draft``).
    """
    from .notebooks import heading, read

    path = Path(notebook).resolve()
    if not path.is_file():
        raise RenderError(f"找不到要生成报告的 notebook：{notebook}")
    try:
        title = heading(read(path))
    except ValueError as exc:
        raise RenderError(f"无法读取 notebook {notebook}（不是有效的 .ipynb 文件）：{exc}") from exc
    return _through_batch(month, data_dir, out_dir, "banner", formats, internal, progress, townships, draft, None,
                          notebook=(path, title))


def _through_batch(month, data_dir, out_dir, scope, formats, internal, progress, townships, draft, jobs,
                   notebook=None) -> list[ReportResult]:
    res = run_batch([month], scope, jobs, formats, force=True, data_dir=data_dir, out_dir=out_dir, internal=internal,
                    progress=False, excel=False, townships=townships, index=False, on_result=progress, draft=draft,
                    notebook=notebook)
    if res.interrupted:
        raise KeyboardInterrupt
    if month in res.month_errors:
        raise res.month_errors[month]
    order = {job: i for i, job in enumerate(res.planned)}
    return sorted(res.rendered + res.failed, key=lambda r: order.get(r.job, len(order)))


__all__ = ["render_month", "render_notebook", "check_month_data", "plan", "ReportJob", "ReportResult", "FORMATS",
           "SCOPES", "ValidationFailed"]
