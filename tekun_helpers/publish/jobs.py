"""Which reports a month has, where they go, and rendering one of them.

A report is a notebook executed by papermill with parameters, converted to
HTML by nbconvert with the project's template, and printed to PDF by
Chromium. The month is read and checked first: errors stop its reports,
unless it is a draft (:func:`check_month_data`). Rendering a month's reports
is the batch's (:mod:`.batch`); :mod:`.reports` is its entry for one month.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.exceptions import RenderError, ValidationFailed
from ..core.issues import format_table
from ..core.paths import PROJECT_DIR, output_dir
from ..month import MonthData, load_month

# .render (nbconvert, and through the section numbering every report module and matplotlib) is imported where it
# is used: a lone `tekun report` reads its month first and imports it meanwhile (batch._Workers.ready)

BANNER_NOTEBOOK_NAME = "monthly_briefing.ipynb"
TOWNSHIP_NOTEBOOK_NAME = "township_briefing.ipynb"


def notebook_dir() -> Path:
    """The report notebooks' folder: $TEKUN_NOTEBOOK_DIR (an analyst's own copies), else <project>/notebooks."""
    env = os.environ.get("TEKUN_NOTEBOOK_DIR")
    return Path(env) if env else PROJECT_DIR / "notebooks"

SCOPES = ("banner", "townships", "all")
FORMATS = ("html", "pdf")
INTERNAL_DIR = "内部资料"


@dataclass(frozen=True)
class ReportJob:
    """One report to render: the banner briefing (township None) or one township's."""

    month: str
    township: str | None = None
    internal: bool = False
    source: Path | None = None     # an analyst's own notebook (tekun report --notebook); None: the briefing's
    heading: str | None = None     # that notebook's own title, if it has one
    draft: bool = False            # rendered although the month has errors (tekun report --draft)
    period: tuple[str, str] | None = None   # a period's report (tekun report --period): its first and last month
    notice: bool = False           # the month's public notice of results (tekun report --notice)
    tables: str | None = None      # a period's tables already computed (a pickle the notebook reads instead)

    @property
    def notebook(self) -> Path:
        if self.source is not None:
            return self.source
        return notebook_dir() / (BANNER_NOTEBOOK_NAME if self.township is None else TOWNSHIP_NOTEBOOK_NAME)

    def title(self, banner: str) -> str:
        if self.heading:
            return self.heading
        if self.period is not None:
            return f"{banner}特困人员供养服务期间工作报告"
        if self.notice:
            return f"{banner}举报和媒体反映问题处理结果公示"
        who = banner if self.township is None else f"{banner}{self.township}"
        return f"{who}特困人员供养服务月度简报"

    def shown_month(self) -> str:
        """The month (a period's first and last) the page header and the HTML title show beside the title."""
        return f"{self.period[0]}至{self.period[1]}" if self.period is not None else self.month

    def stem(self, banner: str) -> str:
        if self.period is not None:
            return f"{banner}_{self.period[0]}_{self.period[1]}_期间报告"
        if self.notice:
            return f"{banner}_{self.month}_处理结果公示"
        if self.source is not None:
            return "_".join(x for x in (self.source.stem, self.township, self.month) if x)
        return f"{self.township or banner}_{self.month}_月度简报"

    def folder(self, out: Path) -> Path:
        if self.period is not None:
            return (out / INTERNAL_DIR if self.internal else out) / "period" / f"{self.period[0]}_{self.period[1]}"
        if self.notice:
            return out / "notice" / self.month
        base = out / INTERNAL_DIR / self.month if self.internal else out / self.month
        return base if self.township is None else base / "乡镇"

    def parameters(self, data_dir) -> dict:
        if self.period is not None:     # the period notebook's own parameters (notebooks/period_report.ipynb)
            params = {"period_start": self.period[0], "period_end": self.period[1],
                      "data_dir": str(Path(data_dir).resolve()) if data_dir is not None else None}
            if self.tables is not None:
                params["tables"] = self.tables
            return params
        if self.notice:     # the notice notebook's own parameters (notebooks/public_notice.ipynb)
            return {"month": self.month, "data_dir": str(Path(data_dir).resolve()) if data_dir is not None else None}
        params = {"month": self.month, "internal": self.internal,
                  "data_dir": str(Path(data_dir).resolve()) if data_dir is not None else None}
        if self.township is not None:
            params["township"] = self.township
        if self.draft:      # only then: an analyst's own notebook without the parameter runs as before
            params["draft"] = True
        return params


@dataclass
class ReportResult:
    job: ReportJob
    files: dict[str, Path] = field(default_factory=dict)   # 'html' / 'pdf' / 'ipynb' -> path
    error: str | None = None
    executed_notebook: Path | None = None


def plan(month: str, scope: str, reference, internal: bool = False, draft: bool = False) -> list[ReportJob]:
    """The reports of a month for a scope: 'banner', 'townships' or 'all'."""
    if scope not in SCOPES:
        raise ValueError(f"范围应为 {'、'.join(SCOPES)} 之一")
    jobs = []
    if scope in ("banner", "all"):
        jobs.append(ReportJob(month, None, internal, draft=draft))
    if scope in ("townships", "all"):
        jobs += [ReportJob(month, t, internal, draft=draft) for t in reference.township_names]
    return jobs


def check_month_data(month: str, data_dir=None, draft: bool = False) -> MonthData:
    """Read the month; raise ValidationFailed with the issue list when it has errors, unless ``draft``: a draft
    is rendered from the month as it is, every page marked 草稿 with the errors listed first (see
    :func:`page_marks` and :func:`tekun_helpers.report.opening.draft_notice`)."""
    data = load_month(month, data_dir, cache=True, lean=True)
    if data.errors and not draft:
        raise ValidationFailed(f"{month} 的数据有 {len(data.errors)} 个错误，报告未生成：\n{format_table(data.issues)}",
                               data.issues)
    return data


def page_marks(job: ReportJob, data: MonthData) -> dict:
    """What the report's HTML foot and PDF page header and footer show besides the time it was made: title,
    month, data fingerprint, the sample marks, 内部资料 and a draft's 草稿 (the keywords of render.notebook_to_html and
    PdfPrinter.print_pdf)."""
    from ..report.opening import draft_reason

    # a notice holds the register's cases only: marked sample when the register is
    sample = data.sample_kinds("举报") if job.notice else (data.sample_kinds() or data.is_sample)
    return dict(title=job.title(data.policy.banner), month=job.shown_month(), fingerprint=data.fingerprint,
                sample=sample, internal=job.internal, draft=draft_reason(data.errors))


def render_job(job: ReportJob, data: MonthData, data_dir, out: Path, formats=FORMATS,
               printer: "render.PdfPrinter | None" = None, generated_at: str | None = None,
               km=None) -> ReportResult:
    """Execute, convert and print one report. Failures are returned, not raised."""
    from . import render

    banner = data.policy.banner
    folder = job.folder(out)
    nb_dir = folder / "notebooks"
    nb_dir.mkdir(parents=True, exist_ok=True)
    stem = job.stem(banner)
    result = ReportResult(job)
    generated_at = generated_at or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    meta = page_marks(job, data)
    try:
        executed = render.execute_notebook(job.notebook, nb_dir / f"{stem}.ipynb", job.parameters(data_dir),
                                           cwd=job.notebook.parent, km=km)
        result.files["ipynb"] = result.executed_notebook = executed
        stamp_inputs(executed, data, job.parameters(data_dir), job.notebook)
        html = render.notebook_to_html(executed, folder / f"{stem}.html", generated_at=generated_at, **meta)
        if "html" in formats or "pdf" in formats:
            result.files["html"] = html
        if "pdf" in formats:
            pdf = folder / f"{stem}.pdf"
            if printer is None:
                render.html_to_pdf(html, pdf, generated_at=generated_at, **meta)
            else:
                printer.print_pdf(html, pdf, generated_at=generated_at, **meta)
            result.files["pdf"] = pdf
    except RenderError as exc:
        result.error = str(exc)
        failed = nb_dir / f"{stem}.failed.ipynb"
        result.executed_notebook = failed if failed.exists() else result.executed_notebook
    return result


def stamp_inputs(executed: Path, data: MonthData, parameters: dict, notebook: Path | None = None) -> None:
    """Record in the executed notebook's metadata (``tekun``) the parameters and the fingerprints of its inputs
    (``notebook``: the source notebook, hashed by what matters of it)."""
    import nbformat

    from ..analysis.trends import history
    from . import render
    from .provenance import report_inputs

    months, _ = history(data.month, data.folder.parent)
    if not any(d.month == data.month for d in months):
        months.append(data)
    nb = nbformat.read(executed, as_version=4)
    nb.metadata["tekun"] = report_inputs(data, months, parameters, notebook)
    for cell in nb.cells:   # papermill gives its parameters cell a random id: make it stable
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    render.write_text_atomic(executed, nbformat.writes(nb))


def report_result(result, what: str) -> int:
    """Print one rendered report's files (✓ each, the executed notebook left out), or ``what`` failed with the error
    and the notebook to look at; the command's exit code (0, or 1 when it failed)."""
    import sys

    if result.error:
        print(f"{what}生成失败：{result.error}\n出错的 notebook：{result.executed_notebook}", file=sys.stderr)
        return 1
    for kind, path in result.files.items():
        if kind != "ipynb":
            print(f"  ✓ {path}")
    return 0
