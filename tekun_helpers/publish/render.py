"""Render report notebooks: papermill -> executed notebook -> HTML (nbconvert) -> PDF (Chromium).

Each step writes its file atomically (a temporary name in the same folder,
then ``os.replace``), so a reader never sees a half-written report under its
final name. Every failure is raised as :class:`RenderError` with a Chinese
message.

Typical use::

    nb = execute_notebook(Path("notebooks/monthly_briefing.ipynb"), out / "monthly_briefing.ipynb",
                          {"month": "2023-08"})
    html = notebook_to_html(nb, out / "<县名>_2023-08_月度简报.html", title="<县名>特困人员供养服务月度简报",
                            month="2023-08", fingerprint="3f2a9c", sample=True)
    with PdfPrinter() as printer:           # one browser for the whole batch
        printer.print_pdf(html, out / "banner.pdf", title=..., month=..., fingerprint=...,
                          generated_at=...)
"""
from __future__ import annotations

import html
import logging
import os
import re
import shutil
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping, Sequence

from nbconvert import HTMLExporter
from traitlets import default
from traitlets.config import Config

from ..core.exceptions import RenderError
from ..core.paths import TEMPLATES_DIR
from ..io.workbooks import SAMPLE_TEXT
from .numbering import HeadingNumbers, SectionMarks, add_contents

log = logging.getLogger(__name__)

BROWSER_ENV = "TEKUN_BROWSER"
#: Chromium's headless shell first (Debian's chromium-headless-shell, what Playwright itself prints with): the same
#: Blink and Skia as the full browser, pixel for pixel the same pages (2023-08's 63 pages compared), but without
#: the full browser's windowing layers it starts in 0.44 s against 0.57 s and prints a report in 0.17 s against
#: 0.25 s, with two thirds of the CPU (19 reports in one browser, 2026-12-04); then the full browsers
BROWSER_COMMANDS = (
    "chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
    "microsoft-edge", "msedge",
)
FALLBACK_BROWSERS = (Path("/usr/lib/chromium/chromium-headless-shell"), Path("/usr/bin/chromium"))
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

# the kernel's own log (connection notices) is not for report readers; errors still reach the notebook
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]

TEMPLATE_NAME = "tekun_report"
#: cells left out of a report: instructions for the analyst, the parameters cell and papermill's injected one
REMOVE_CELL_TAGS = ("remove-cell", "injected-parameters")

FONT_FAMILY = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', "
               "'SimHei', 'WenQuanYi Micro Hei', sans-serif")
PAGE_MARGIN = {"top": "18mm", "right": "14mm", "bottom": "16mm", "left": "14mm"}
INTERNAL_MARK = "内部资料 含个人信息"
#: the id of the template's <style> that marks every page printed from a browser (@page margin boxes);
#: our PDFs carry the marks in their header template instead, so the printer removes it
PRINT_MARKS_ID = "tekun-print-marks"
ALLOWED_URL_SCHEMES = ("file:", "data:", "about:")
PAGE_TIMEOUT_MS = 120_000
#: how many reports a page prints before it is closed with its context (its renderer process ends, and gives
#: back what it held; the next report gets a new one). Emptied between reports, a renderer still kept what the
#: reports before had used: 192 MB after 3 township briefings of a county ten times the bundled one, 283 MB after
#: 12; closed every 4th, 170-180 MB, for 0.03 s more a report (a new renderer loads its fonts again)
PAGE_PRINTS = 4


# --------------------------------------------------------------------------- files

def _temp_sibling(final: Path, suffix: str) -> Path:
    """A hidden, unique temporary path in the folder of ``final``, ending in ``suffix``."""
    return final.with_name(f".{final.stem}.{uuid.uuid4().hex[:8]}.tmp{suffix}")


_TEMP_NAME = re.compile(r"^\..*\.[0-9a-f]{8}\.tmp\.[A-Za-z]+$")


def remove_temp_files(folder: Path) -> list[Path]:
    """Remove the temporary files (:func:`_temp_sibling`) that a writer stopped mid-way left in ``folder``.

    Only for when no writer is running there: a batch calls it after its workers were stopped.
    """
    removed = []
    for path in Path(folder).glob(".*.tmp.*"):
        if _TEMP_NAME.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary sibling and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_sibling(path, path.suffix)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _format_time(value: datetime | str | None) -> str:
    """``value`` as report text: a datetime becomes 'YYYY-MM-DD HH:MM', None means now."""
    if value is None:
        value = datetime.now()
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


# --------------------------------------------------------------------------- browser

def find_browser() -> Path:
    """The Chromium, Chrome or Edge executable used to print PDFs.

    Order: the ``TEKUN_BROWSER`` environment variable (a path or a command
    name; an error if it does not exist), then the first of
    :data:`BROWSER_COMMANDS` found on PATH, then :data:`FALLBACK_BROWSERS`.
    """
    wanted = os.environ.get(BROWSER_ENV, "").strip()
    if wanted:
        path = Path(wanted).expanduser()
        if path.is_file():
            return path
        found = shutil.which(wanted)
        if found:
            return Path(found)
        raise RenderError(
            f"环境变量 {BROWSER_ENV} 指定的浏览器不存在：{wanted}。"
            f"请把它设为 Chromium、Chrome 或 Edge 可执行文件的完整路径，或删除该变量以自动查找。"
        )
    for command in BROWSER_COMMANDS:
        found = shutil.which(command)
        if found:
            return Path(found)
    for path in FALLBACK_BROWSERS:
        if path.is_file():
            return path
    raise RenderError(
        "未找到 Chromium 浏览器，无法生成 PDF。请安装 Debian 软件包 chromium-headless-shell"
        "（sudo apt-get install chromium-headless-shell）或 chromium，"
        f"或设置环境变量 {BROWSER_ENV} 为 Chromium、Chrome 或 Edge 可执行文件的路径。"
    )


# --------------------------------------------------------------------------- papermill

def _failed_path(output_path: Path) -> Path:
    """Where a failed run's executed notebook is kept: ``x.ipynb`` -> ``x.failed.ipynb``."""
    return output_path.with_name(f"{output_path.stem}.failed.ipynb")


def _keep_failed(tmp: Path, failed: Path) -> Path | None:
    """Move the partial executed notebook ``tmp`` to ``failed``; None if papermill wrote nothing."""
    if not tmp.exists():
        return None
    os.replace(tmp, failed)
    return failed


def _execution_message(notebook: Path, exc: Exception, kept: Path | None) -> str:
    """The Chinese message for a notebook run that stopped with ``exc``.

    A ``PapermillExecutionError`` carries the failing cell's execution count,
    error name and value; any other exception is named by its type.
    """
    ename = getattr(exc, "ename", None)
    if type(exc).__name__ == "NoSuchKernel":
        cause = f"找不到名为 {getattr(exc, 'name', '')} 的 Jupyter 内核（请确认已安装 ipykernel，或另指定 kernel_name）"
    elif ename is not None:
        count = getattr(exc, "exec_count", None)
        where = f"执行编号 In [{count}] 的单元" if count is not None else "某个单元"
        cause = f"{where}出错：{ename}: {getattr(exc, 'evalue', '')}"
    else:
        cause = f"{type(exc).__name__}: {exc}"
    kept_text = f"已执行部分保存在 {kept}，可打开查看出错的单元。" if kept else "没有生成已执行的笔记本。"
    return f"报告笔记本 {notebook} 执行失败，{cause}。{kept_text}"


def execute_notebook(
    notebook: str | os.PathLike,
    output_path: str | os.PathLike,
    parameters: Mapping[str, Any],
    cwd: str | os.PathLike | None = None,
    kernel_name: str = "python3",
    log_output: bool = False,
    km=None,
) -> Path:
    """Run a report notebook with papermill and return the executed notebook's path.

    notebook: the source notebook (stored without outputs).
    output_path: where the executed notebook is written; it appears there only
        when the run succeeded. A failed run is kept as ``<stem>.failed.ipynb``
        beside it, and a stale one is removed after a successful run.
    parameters: values injected after the cell tagged ``parameters``.
    cwd: the kernel's working folder; None means the notebook's own folder,
        as in JupyterLab.
    kernel_name: the Jupyter kernel to run.
    log_output: echo the cells' output to the log while running.
    km: an already started jupyter_client KernelManager to run in (a batch starts the
        next kernel while the current report runs); None starts a new kernel.
        A kernel passed in is not shut down here: the caller owns it.
    """
    import papermill

    notebook, output_path = Path(notebook), Path(output_path)
    if not notebook.is_file():
        raise RenderError(f"找不到报告笔记本：{notebook}")
    output_path.parent.mkdir(parents=True, exist_ok=True)
    tmp, failed = _temp_sibling(output_path, ".ipynb"), _failed_path(output_path)
    try:
        papermill.execute_notebook(
            str(notebook), str(tmp), parameters=dict(parameters),
            cwd=str(cwd if cwd is not None else notebook.resolve().parent),
            kernel_name=kernel_name, log_output=log_output, progress_bar=False,
            request_save_on_cell_execute=False,   # the notebook is written once, at the end
            **({"km": km} if km is not None else {"extra_arguments": KERNEL_ARGS}),
        )
    except Exception as exc:  # PapermillExecutionError (a cell failed), missing kernel, bad notebook file
        raise RenderError(_execution_message(notebook, exc, _keep_failed(tmp, failed))) from exc
    os.replace(tmp, output_path)
    failed.unlink(missing_ok=True)
    return output_path


# --------------------------------------------------------------------------- nbconvert

class ReportExporter(HTMLExporter):
    """HTML with the ``tekun_report`` template: no code, no prompts, no instruction or parameter cells,
    images embedded, nothing fetched from the network.

    ``resources["tekun"]`` (see :func:`report_resources`) fills the footer and
    the sample and internal marks. ``jupyter nbconvert --to tekun`` uses
    :class:`tekun_helpers.publish.exporter.TekunExporter`, which adds those
    facts from the executed notebook's parameters.
    """

    export_from_notebook = "tekun 报告 HTML"

    def __init__(self, config=None, **kw):
        c = Config()
        c.TagRemovePreprocessor.enabled = True
        c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
        c.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
        c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
        if config is not None:
            c.merge(config)
        super().__init__(config=c, **kw)
        # after the instruction cells are gone: number each section's parts （一）（二）… (GB/T 9704)
        self.register_preprocessor(HeadingNumbers, enabled=True)
        # then each section's sample mark goes into its heading's line
        self.register_preprocessor(SectionMarks, enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        """The report's HTML, its numbered sections linked from a table of contents (numbering.add_contents)."""
        output, resources = super().from_notebook_node(nb, resources=resources, **kw)
        return add_contents(output), resources

    @default("template_name")
    def _template_name_default(self):
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self):
        return True

    @default("embed_images")
    def _embed_images_default(self):
        return True

    @default("language_code")
    def _language_code_default(self):
        return "zh"


def report_resources(*, title: str, month: str, fingerprint: str, generated_at: datetime | str | None,
                     sample: bool | Sequence[str], internal: bool, draft: str | None = None) -> dict:
    """The ``resources["tekun"]`` dict the template reads (see the template's header); ``draft``: why the
    report is a draft (the briefing's opening shows it on the page, the PDF's header on every page)."""
    return {
        "title": title, "month": month, "fingerprint": fingerprint,
        "generated_at": _format_time(generated_at), "sample": bool(sample), "sample_parts": _parts(sample),
        "internal": bool(internal), "draft": draft or None,
    }


def _parts(sample) -> list[str]:
    """The inputs named as sample data: ``sample`` is a bool (nothing named) or the inputs' names."""
    return [] if isinstance(sample, bool) or not sample else [str(p) for p in sample]


_EXPORTERS: dict[type, ReportExporter] = {}


def report_exporter() -> ReportExporter:
    """This process's :class:`ReportExporter`, made on the first call and kept.

    An exporter compiles its template on its first notebook: a new one for every report cost
    0.08 of the 0.13 s a report's HTML took (2023-08). An nbconvert exporter converts one notebook
    after another, keeping nothing of the last one; the batch's workers convert all their reports
    with one, as ``jupyter nbconvert`` does for the notebooks it is given.
    """
    exporter = _EXPORTERS.get(ReportExporter)
    if exporter is None:
        exporter = _EXPORTERS[ReportExporter] = ReportExporter()
    return exporter


def warm_up() -> None:
    """Convert a two-cell notebook once, so that this process's first report does not pay for compiling the
    template and loading what it uses (0.29 s against 0.05 s for 2023-08's first township report; the two
    cells take 0.2 s), and check it against the notebook schema (papermill validates every notebook)."""
    import tempfile

    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell("# 标题\n\n正文 **加粗**"), new_code_cell("1 + 1")])
    nbformat.validate(nb)
    with tempfile.TemporaryDirectory(prefix="tekun-warm-") as tmp:
        path = Path(tmp) / "warm.ipynb"
        nbformat.write(nb, path)
        notebook_to_html(path, Path(tmp) / "warm.html", title="预热", month="2023-08", fingerprint="0",
                         generated_at="2023-09-01 08:00")


def notebook_to_html(
    executed_notebook: str | os.PathLike,
    html_path: str | os.PathLike,
    *,
    title: str,
    month: str,
    fingerprint: str,
    sample: bool | Sequence[str] = False,
    internal: bool = False,
    generated_at: datetime | str | None = None,
    draft: str | None = None,
) -> Path:
    """Convert an executed notebook to a self-contained HTML report and return its path.

    executed_notebook: the notebook written by :func:`execute_notebook`.
    html_path: where the HTML is written (atomically).
    title, month: the report's title and month ("YYYY-MM"); the page title is both.
    fingerprint: the input data's fingerprint, kept in the template's resources (not printed on the page:
                 the briefing's methods section, 方法与数据来源, shows it).
    sample: the report holds sample data: True, or the names of the inputs that are (e.g. ["附件3", "台账"]),
            named in the banner at its top (each section marks its own, see show.sample_mark).
    internal: mark every page 内部资料 含个人信息 (personal details are not masked).
    generated_at: the generation time shown; None means now.
    draft: why the report is a draft (its month has errors: ``tekun report --draft``), or None.
    """
    import nbformat

    source, html_path = Path(executed_notebook), Path(html_path)
    try:
        nb = nbformat.read(source, as_version=4)
    except (OSError, ValueError) as exc:
        raise RenderError(f"无法读取已执行的笔记本 {source}：{exc}") from exc
    nb.metadata["title"] = f"{title} {month}"
    resources = {"tekun": report_resources(title=title, month=month, fingerprint=fingerprint,
                                           generated_at=generated_at, sample=sample, internal=internal,
                                           draft=draft)}
    try:
        body, _ = report_exporter().from_notebook_node(nb, resources=resources)
    except Exception as exc:  # template or preprocessor failure
        raise RenderError(f"把笔记本 {source} 转换为 HTML 失败：{type(exc).__name__}: {exc}") from exc
    return write_text_atomic(html_path, body)


# --------------------------------------------------------------------------- PDF

def _marks(sample: bool | Sequence[str], internal: bool, draft: str | None = None) -> str:
    """The warning marks for the page header, as escaped HTML: a draft's reason first."""
    parts = _parts(sample)
    sample_mark = f"含{SAMPLE_TEXT}（{'、'.join(parts)}）" if parts else SAMPLE_TEXT
    marks = [m for m, on in ((draft, draft), (sample_mark, sample), (INTERNAL_MARK, internal)) if on]
    return "　".join(html.escape(m) for m in marks)


def _bar(left: str, right: str, *, edge: str) -> str:
    """A one-line header/footer bar with a hairline on ``edge`` ("top"/"bottom"); left/right are HTML.

    Chromium renders these templates apart from the page, at a tiny default
    size and without the page's CSS, so font size and family are explicit.
    """
    outer = (f"box-sizing:border-box;width:100%;padding:0 {PAGE_MARGIN['right']} 0 {PAGE_MARGIN['left']};"
             f"font-size:8pt;font-family:{FONT_FAMILY};color:#555;-webkit-print-color-adjust:exact;")
    inner = (f"display:flex;justify-content:space-between;align-items:baseline;"
             f"border-{edge}:0.5pt solid #bbb;padding-{edge}:1mm;")
    return f'<div style="{outer}"><div style="{inner}"><span>{left}</span><span>{right}</span></div></div>'


def header_template(title: str, month: str, *, sample: bool | Sequence[str] = False, internal: bool = False,
                    draft: str | None = None) -> str:
    """Chromium's page header: title and month on the left, the warning marks on the right (a draft's
    草稿 and its reason first)."""
    marks = _marks(sample, internal, draft)
    right = f"<span style=\"color:#b42318;font-weight:bold;\">{marks}</span>" if marks else ""
    return _bar(f"{html.escape(title)}　{html.escape(month)}", right, edge="bottom")


def footer_template(generated_at: str) -> str:
    """Chromium's page footer: 第 N 页 / 共 M 页 and the generation time (the data fingerprint is in the
    methods section, 方法与数据来源, not on every page)."""
    pages = '第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页'
    facts = f"生成时间 {html.escape(generated_at)}"
    return _bar(pages, facts, edge="top")


#: waits for the page's fonts (the printer's first step after the report is loaded)
FONTS_READY = "() => document.fonts.ready.then(() => true)"


def strip_print_marks_script() -> str:
    """The page's own print marks (for a reader printing the HTML from a browser, and a draft's) give way to
    the PDF's header, which says the same and more: this script removes them."""
    from ..report.opening import DRAFT_MARKS_ID

    return f"() => [{PRINT_MARKS_ID!r}, {DRAFT_MARKS_ID!r}].forEach(id => document.getElementById(id)?.remove())"


def pdf_options(title: str, month: str, generated_at: datetime | str, *, sample: bool | Sequence[str] = False,
                internal: bool = False, draft: str | None = None) -> dict:
    """Playwright's ``page.pdf`` options of every report (but its path): A4, header and footer, margins,
    bookmarks from the headings (一、…, （一）…, and the numbered one-line parts, see
    numbering.HeadingNumbers), and a tagged PDF (/Lang from <html lang>, title from <title>)."""
    return dict(
        format="A4", print_background=True, display_header_footer=True,
        header_template=header_template(title, month, sample=sample, internal=internal, draft=draft),
        footer_template=footer_template(_format_time(generated_at)),
        margin=PAGE_MARGIN, outline=True, tagged=True,
    )


def _close_quietly(context) -> None:
    """Close a browser context without letting a dead browser hide the real error."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        context.close()
    except PlaywrightError as exc:
        log.warning("关闭浏览器页面时出错：%s", exc)


class PdfPrinter:
    """One headless Chromium that prints many HTML reports to A4 PDF. Use it as a context manager.

    browser: the executable; None means :func:`find_browser`.
    timeout_ms: how long a page may take to load and print.

    Every request that is not ``file:``/``data:`` is refused; the refused
    URLs of the last print are in :attr:`blocked_requests`.

    A browser that dies between prints or during one is started again
    (see :meth:`print_pdf`).

    Printing is fast when the browser has the Chinese font with TrueType outlines
    (:mod:`.printfont`: made once per machine, found through fontconfig); one page is
    reused from report to report, so the browser loads fonts and styles once.
    """

    def __init__(self, browser: str | os.PathLike | None = None, timeout_ms: int = PAGE_TIMEOUT_MS):
        self.browser_path = Path(browser) if browser is not None else None
        self.timeout_ms = timeout_ms
        self.blocked_requests: list[str] = []
        self._playwright = None
        self._browser = None
        self._wanted = False   # between start() and close(): a browser that died is started again
        self._page = None
        self._printed = 0       # reports printed in this page (PAGE_PRINTS)

    def __enter__(self) -> "PdfPrinter":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start(self) -> None:
        """Launch the browser (once)."""
        self._wanted = True
        if self._browser is not None:
            return
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        from .printfont import browser_env

        path = self.browser_path or find_browser()
        env = browser_env()
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(path), args=BROWSER_ARGS, headless=True, **({"env": env} if env else {}))
        except PlaywrightError as exc:
            self._discard()
            hint = ("Playwright 同步接口不能在已有 asyncio 事件循环的环境（如 Jupyter 笔记本）中使用，请在命令行运行。"
                    if "asyncio" in str(exc) else "")
            raise RenderError(f"无法启动浏览器 {path}：{hint}{exc}") from exc

    def close(self) -> None:
        """Close the browser and stop Playwright; safe to call twice, quiet if the browser died."""
        self._wanted = False
        self._discard()

    def _discard(self) -> None:
        """Close the browser and Playwright, whatever state they are in (a dead browser or driver included)."""
        from playwright.sync_api import Error as PlaywrightError

        browser, pw = self._browser, self._playwright
        self._browser = self._playwright = None
        self._drop_page()
        try:
            if browser is not None:
                browser.close()
        except PlaywrightError as exc:
            log.warning("关闭浏览器时出错：%s", exc)
        finally:
            if pw is not None:
                try:
                    pw.stop()
                except Exception as exc:  # the driver died with the browser: nothing left to stop
                    log.warning("停止 Playwright 时出错：%s", exc)

    def warm_up(self) -> None:
        """Print a few words of Chinese in the report's font to nowhere: the page, its renderer and the font
        are then ready for the first report, which printed 0.1-0.15 s slower without (0.82 against 0.68 s,
        2023-08's banner briefing). Quiet if it fails (the report's own print says why)."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="tekun-warm-") as tmp:
            page = Path(tmp) / "warm.html"
            page.write_text(f"<html lang='zh-CN'><body style=\"font-family: {FONT_FAMILY}\"><h1>简报</h1>"
                            "<p>分散供养 2,700 人，入住率 46.5%。</p></body></html>", encoding="utf-8")
            try:
                self._print(page, Path(tmp) / "warm.pdf", title="简报", month="", fingerprint="",
                            generated_at="", sample=False, internal=False)
            except RenderError:
                pass
            self._printed = 0

    def alive(self) -> bool:
        """Whether the browser still answers (it may have crashed or been killed since the last print)."""
        from playwright.sync_api import Error as PlaywrightError

        if self._browser is None:
            return False
        try:   # is_connected() only learns of a dead browser or driver from a later call: make one
            self._browser.new_context().close()
        except PlaywrightError:
            return False
        return True

    def restart(self) -> None:
        """Replace the browser by a new one."""
        self._discard()
        self.start()

    def _reused_page(self):
        """The page reports are printed in: made once, in a context that refuses network requests."""
        if self._page is None:
            context = self._browser.new_context(service_workers="block")
            context.route("**/*", self._route)
            self._page = context.new_page()
        return self._page

    def _drop_page(self) -> None:
        """Close the reused page's context (after a failure, or at the end); the next print makes a new one."""
        page, self._page, self._printed = self._page, None, 0
        if page is not None:
            _close_quietly(page.context)

    def _route(self, route) -> None:
        """Let local files and data URIs through; refuse (and note) everything else."""
        url = route.request.url
        if url.startswith(ALLOWED_URL_SCHEMES):
            route.continue_()
            return
        self.blocked_requests.append(url)
        log.warning("报告试图访问网络资源，已拦截：%s", url)
        route.abort("blockedbyclient")

    def print_pdf(
        self,
        html_path: str | os.PathLike,
        pdf_path: str | os.PathLike,
        *,
        title: str,
        month: str,
        fingerprint: str,
        generated_at: datetime | str,
        sample: bool | Sequence[str] = False,
        internal: bool = False,
        draft: str | None = None,
    ) -> Path:
        """Print one HTML report to an A4 PDF with page header and footer, bookmarks (the numbered
        headings) and tags (language zh-CN, the report's title); return the PDF's path.

        html_path: the report made by :func:`notebook_to_html`.
        pdf_path: where the PDF is written (atomically).
        title, month: shown in every page header.
        fingerprint: accepted for the caller's provenance, not printed (the methods section shows it).
        generated_at: shown in every page footer.
        sample, internal: add 示例数据 / 内部资料 含个人信息 to every page header; ``sample`` may name
                          the inputs that are sample data (header: 含示例数据（附件3、台账）).
        draft: a draft's reason (草稿：…), first in every page header.

        A browser that died (crashed, or was killed) is replaced by a new one and the
        report printed again, once; a batch worker's later reports use the new browser.
        """
        if not self._wanted:
            raise RenderError("PdfPrinter 尚未启动：请在 with PdfPrinter() as printer: 块中调用 print_pdf。")
        source, pdf_path = Path(html_path).resolve(), Path(pdf_path)
        if not source.is_file():
            raise RenderError(f"找不到要打印的 HTML 文件：{source}")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        args = dict(title=title, month=month, fingerprint=fingerprint, generated_at=generated_at,
                    sample=sample, internal=internal, draft=draft)
        if self._browser is None:   # the last restart failed: try again for this report
            self.start()
        try:
            return self._print(source, pdf_path, **args)
        except RenderError:
            if self.alive():
                raise
        # the browser (or Playwright's driver) died: crashed, or killed from outside. Start a new one, print again.
        log.warning("浏览器意外退出，已重新启动：%s", source)
        self.restart()
        return self._print(source, pdf_path, **args)

    def _print(self, source: Path, pdf_path: Path, *, title: str, month: str, fingerprint: str,
               generated_at: datetime | str, sample: bool | Sequence[str], internal: bool,
               draft: str | None = None) -> Path:
        """One attempt of :meth:`print_pdf`; every failure is a RenderError."""
        from playwright.sync_api import Error as PlaywrightError

        tmp = _temp_sibling(pdf_path, ".pdf")
        self.blocked_requests = []
        ok = False
        try:
            page = self._reused_page()
            # the report is one self-contained file (images embedded, no scripts): given to the page as text, it
            # is no navigation through the browser's file loader, and takes less CPU (0.49 against 0.56 s a report,
            # 2023-08's 19 reports in one browser); network requests still go through _route
            page.set_content(source.read_text(encoding="utf-8"), wait_until="load", timeout=self.timeout_ms)
            page.evaluate(FONTS_READY)
            page.evaluate(strip_print_marks_script())
            page.pdf(path=str(tmp), **pdf_options(title, month, generated_at, sample=sample, internal=internal,
                                                  draft=draft))
            os.replace(tmp, pdf_path)
            self._printed += 1
            if self._printed >= PAGE_PRINTS:    # a new renderer for the next report (PAGE_PRINTS)
                self._drop_page()
            else:
                # the page left empty until the next report: the browser gives back what the report's layout
                # held (a township briefing of a county ten times the bundled one: some 150 MB)
                page.set_content("", timeout=self.timeout_ms)
            ok = True
        except (PlaywrightError, OSError, UnicodeDecodeError) as exc:
            raise RenderError(f"打印 PDF 失败（{source}）：{exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
            if not ok:
                self._drop_page()
        return pdf_path


def html_to_pdf(
    html_path: str | os.PathLike,
    pdf_path: str | os.PathLike,
    *,
    title: str,
    month: str,
    fingerprint: str,
    generated_at: datetime | str,
    sample: bool | Sequence[str] = False,
    internal: bool = False,
    browser: str | os.PathLike | None = None,
    draft: str | None = None,
) -> Path:
    """Print one HTML report to PDF with a browser of its own (see :meth:`PdfPrinter.print_pdf`).

    browser: the executable; None means :func:`find_browser`. For many
    reports open one :class:`PdfPrinter` instead.
    """
    with PdfPrinter(browser) as printer:
        return printer.print_pdf(html_path, pdf_path, title=title, month=month, fingerprint=fingerprint,
                                 generated_at=generated_at, sample=sample, internal=internal, draft=draft)


__all__ = [
    "find_browser", "execute_notebook", "notebook_to_html", "ReportExporter", "PdfPrinter", "html_to_pdf",
    "header_template", "footer_template", "report_resources",
]
