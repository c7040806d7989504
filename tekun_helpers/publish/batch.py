"""The monthly batch: every report of several months, in parallel worker processes. It is the engine of
every report: ``tekun report`` (:mod:`.reports`, any scope, an analyst's own notebook too) is this batch
for one month, forced, without the Excel files and the index page. With ``draft`` a month whose data still
have errors is rendered too, every page marked 草稿 (without it such a month is listed in ``month_errors``).

Each worker keeps one browser for all its PDFs (two workers or more share one, in
the batch's printer process: :mod:`.printserver`) and runs all its reports in one
Jupyter kernel inside its own process (:mod:`.kernel`): papermill takes a started
kernel manager as ``km``, so the imports, the font and the months read serve every
report, and no second process per worker is started. Between reports the kernel's
namespace is cleared (warm.clear_namespace). Where the batch process has only its
main thread, the workers are forked from it after it has imported what they use
(:data:`WORKER_MODULES`), so that they do not import it again; otherwise they are
started afresh (``spawn``) and import it themselves.

A report whose inputs are unchanged since it was last rendered (data files'
hashes, reference data, notebook, package source, parameters, formats) is
skipped unless forced. Every output is written under a temporary name and
renamed when complete; the manifest that marks a report as done is written
last, so an interrupted batch is completed by the next run.

Ctrl-C stops a batch within seconds: every worker (and the printer process) kills
the browser it started (it runs in a process group of its own, so the terminal's
SIGINT does not reach it) and exits without a traceback; the batch then
removes the temporary files the stopped workers left and reports how many
reports were completed (:attr:`BatchResult.interrupted`).
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing as mp
import os
import queue
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.trends import history
from ..core.months import check_month, month_range
from ..core.parallel import can_fork, cores, meanwhile
from ..core.paths import output_dir, reference_dir
from .notebooks import source_fingerprint
from .provenance import code_fingerprint, sha_files
from .jobs import FORMATS, ReportJob, ReportResult, plan

MANIFEST_SUFFIX = ".manifest.json"

#: what a worker imports: a forked worker finds them imported by the batch process
WORKER_MODULES = (
    "matplotlib.pyplot", "papermill", "ipykernel.inprocess.manager", "playwright.sync_api",
    "tekun_helpers.analysis.trends", "tekun_helpers.report.charts", "tekun_helpers.report.show",
    "tekun_helpers.publish.kernel", "tekun_helpers.publish.render", "tekun_helpers.publish.jobs",
)


def start_method() -> str:
    """How to start the workers: ``fork`` where :func:`~tekun_helpers.core.parallel.can_fork` (this process runs
    only its main thread), else ``spawn``."""
    return "fork" if can_fork() else "spawn"


def parse_months(spec: str) -> list[str]:
    """'2023-08..2023-10' -> ['2023-08', '2023-09', '2023-10']; '2023-08,2023-10' and '2023-08' work too."""
    months: list[str] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if ".." in part:
            a, b = (check_month(x.strip()) for x in part.split("..", 1))
            if a > b:
                raise ValueError(f"月份范围“{part}”的起点晚于终点。")
            months += month_range(a, b)
        else:
            months.append(check_month(part))
    if not months:
        raise ValueError("没有指定月份，例如 --months 2023-08..2023-10")
    return list(dict.fromkeys(months))


def input_key(job: ReportJob, sources, data_dir, formats, code: str, previous_sources=()) -> str:
    """A hash of everything a report depends on (a draft's parameters say it is one)."""
    payload = {
        "sources": sorted((s.name, s.sha256) for s in sources),
        "previous": sorted(previous_sources),
        "reference": sha_files([p for p in reference_dir(data_dir).glob("*") if p.is_file()]),
        "notebook": source_fingerprint(job.notebook),   # cells' types, sources and tags: not outputs or metadata
        "code": code,
        "parameters": job.parameters(None),
        "formats": sorted(formats),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def manifest_path(job: ReportJob, out: Path, banner: str) -> Path:
    return job.folder(out) / "notebooks" / f"{job.stem(banner)}{MANIFEST_SUFFIX}"


def is_fresh(job: ReportJob, out: Path, banner: str, key: str) -> bool:
    mp_ = manifest_path(job, out, banner)
    try:
        m = json.loads(mp_.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return m.get("key") == key and all(Path(f).is_file() for f in m.get("files", {}).values())


def write_manifest(result: ReportResult, out: Path, banner: str, key: str) -> None:
    path = manifest_path(result.job, out, banner)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"key": key, "files": {k: str(v) for k, v in result.files.items()}},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- workers

@dataclass
class Task:
    job: ReportJob
    data_dir: str | None
    out: str
    formats: tuple[str, ...]
    key: str
    seed: str | None = None     # the batch's pickle of the months it read and what their briefings share (warm.write_seed)


# --------------------------------------------------------------------------- stopping

def _is_playwright_driver(proc) -> bool:
    """Playwright's node driver: spared when stopping, it removes the browser's temporary profile and exits
    by itself once the worker's end of its pipe is closed."""
    import psutil

    try:
        return "run-driver" in proc.cmdline()
    except psutil.Error:
        return False


def kill_processes(procs, timeout: float = 3.0) -> None:
    """Kill ``procs`` (psutil processes; the Playwright driver is spared) and wait for them."""
    import psutil

    victims = [p for p in procs if not _is_playwright_driver(p)]
    for proc in victims:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(victims, timeout=timeout)


def _stop_worker(signum, frame) -> None:
    """A worker's SIGINT (Ctrl-C reaches the whole process group) and SIGTERM (the batch stops it) handler:
    kill the browser this worker started, then exit at once, without a traceback."""
    import psutil

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        kill_processes(psutil.Process().children(recursive=True))
    finally:
        os._exit(1)


def _stop_workers(procs, timeout: float = 5.0) -> None:
    """Stop the started workers now; kill what they started if one had to be killed before it could."""
    import psutil

    started = [p for p in procs if p.pid is not None]
    tree = []
    for p in started:
        try:
            tree += psutil.Process(p.pid).children(recursive=True)
        except psutil.Error:
            pass
    for p in started:
        if p.exitcode is None:
            p.terminate()
    deadline = time.monotonic() + timeout
    for p in started:
        p.join(max(0.1, deadline - time.monotonic()))
        if p.exitcode is None:
            p.kill()
            p.join(1)
    kill_processes([c for c in tree if c.is_running()])


@contextmanager
def _sigint_ignored():
    """Ignore Ctrl-C meanwhile (in the main thread; elsewhere signals cannot be set and nothing changes):
    around stopping the workers, so that a second Ctrl-C does not cut the clean-up short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _sigint_held():
    """Hold Ctrl-C back meanwhile, without losing it: around starting the workers.

    SIGINT is blocked, not ignored: a Ctrl-C pressed now (starting a worker can take seconds on a busy
    machine) stays pending and raises KeyboardInterrupt here as soon as the block ends. The workers inherit
    the block, so a Ctrl-C while one imports does not print its traceback; :func:`_worker` lifts it once
    :func:`_stop_worker` is installed, and the pending signal then stops that worker cleanly.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class _CtrlC:
    """The batch process's Ctrl-C handler: it raises KeyboardInterrupt, as Python's own does, and remembers.

    Python drops an exception raised inside a destructor: a Ctrl-C that arrived while ``ZipFile.__del__``
    ran (openpyxl reading a month) printed "Exception ignored … KeyboardInterrupt" and the batch ran on,
    its workers stopped by the same Ctrl-C, and ended with every report "工作进程意外退出". The batch calls
    :meth:`check` at each of its steps, so a Ctrl-C lost that way stops it there.
    """

    def __init__(self):
        self.seen = False

    def __call__(self, signum, frame):
        self.seen = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


@contextmanager
def _ctrl_c_remembered():
    """Install :class:`_CtrlC` meanwhile (main thread only; elsewhere a handler that never fires), and keep
    Python from printing the English traceback of a KeyboardInterrupt it drops in a destructor: the
    handler has remembered it, and the analyst sees the one Chinese line of an interrupted batch."""
    handler = _CtrlC()
    if threading.current_thread() is not threading.main_thread():
        yield handler
        return
    hook = sys.unraisablehook

    def quiet(unraisable):
        if not (unraisable.exc_type is KeyboardInterrupt and handler.seen):
            hook(unraisable)

    previous = signal.signal(signal.SIGINT, handler)
    sys.unraisablehook = quiet
    try:
        yield handler
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = hook


def _remove_partial_files(todo: list[Task]) -> None:
    """Remove what stopped workers were writing: temporary report files and manifests, never a final name."""
    from .render import remove_temp_files

    for folder in {t.job.folder(Path(t.out)) for t in todo}:
        for f in (folder, folder / "notebooks"):
            if f.is_dir():
                remove_temp_files(f)
                for tmp in f.glob(f"*{MANIFEST_SUFFIX}.tmp"):
                    tmp.unlink(missing_ok=True)


def _worker(tasks: mp.Queue, results: mp.Queue, formats: tuple[str, ...], remote: tuple | None = None) -> None:
    """Render tasks until the sentinel. One browser for all PDFs, started in a thread of its own; one kernel, in this process
    (:mod:`.kernel`), for all reports, its namespace cleared in between (the package and the months
    read kept). The browser starts at once and the report modules are imported and the font loaded,
    while the batch is still reading the months; the months and what their briefings share come from the
    batch's pickle (Task.seed), not from the files again. SIGINT and SIGTERM stop it at once (:func:`_stop_worker`).
    """
    signal.signal(signal.SIGINT, _stop_worker)
    signal.signal(signal.SIGTERM, _stop_worker)
    if hasattr(signal, "pthread_sigmask"):      # started with SIGINT held back (_sigint_held): take it now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    from .background import BackgroundPrinter
    from .kernel import worker_kernel
    from .jobs import check_month_data, render_job
    from ..core.cache import give_back_memory
    from .warm import clear_namespace, prepare, warm_up

    # with a printer process (two workers or more) it prints; else this worker's browser starts in a thread of
    # its own (background.py) while the kernel starts and the first report runs
    if remote is not None:
        from .printserver import RemotePrinter

        printer = RemotePrinter(*remote)
    else:
        printer = BackgroundPrinter() if "pdf" in formats else None
    km = worker_kernel()
    try:
        warm_up()
        task = tasks.get()
        while task is not None:
            try:
                prepare(task.seed, clear=True)
                data = check_month_data(task.job.month, task.data_dir, task.job.draft)
                res = render_job(task.job, data, task.data_dir, Path(task.out), task.formats, printer, km=km)
                if not res.error:
                    write_manifest(res, Path(task.out), data.policy.banner, task.key)
            except Exception as exc:
                res = ReportResult(task.job, error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            results.put(res)
            clear_namespace()       # what the report defined, its tables and notebook, given back meanwhile
            give_back_memory(1)     # a full collection each report would cost the batch seconds
            task = tasks.get()
    finally:
        km.shutdown_kernel()
        if printer is not None:
            printer.close()


@dataclass
class BatchResult:
    rendered: list[ReportResult] = field(default_factory=list)
    failed: list[ReportResult] = field(default_factory=list)
    skipped: list[ReportJob] = field(default_factory=list)
    month_errors: dict[str, Exception] = field(default_factory=dict)   # month -> its ValidationFailed (the issue list)
    planned: list[ReportJob] = field(default_factory=list)   # every report asked for, in plan order
    index: Path | None = None
    exports: list[Path] = field(default_factory=list)
    interrupted: bool = False   # Ctrl-C: the workers were stopped, the rest is done by the next run

    @property
    def ok(self) -> bool:
        return not self.failed and not self.month_errors and not self.interrupted


def run_batch(months: list[str], scope: str = "all", jobs: int | None = None, formats=FORMATS, force: bool = False,
              data_dir=None, out_dir=None, internal: bool = False, progress: bool = True, excel: bool = True,
              townships=None, *, index: bool = True, on_result=None, draft: bool = False,
              notebook: tuple | None = None) -> BatchResult:
    """Render every report of ``months`` for ``scope``; one failure never stops the others.

    townships: with scope 'townships' or 'all', only these townships' briefings (None: all).
    excel, index: export the months' Excel files; write the index page (``tekun report`` does neither).
    on_result: called with each :class:`ReportResult` as it comes in (``tekun report`` prints a line).
    draft: render months that have errors too, every page marked 草稿 (else such a month is in month_errors).
    notebook: (path, title) of an analyst's own notebook, rendered for the banner or each of ``townships``
        instead of the briefings (``tekun report --notebook``).
    """
    req = _Request(list(months), scope, jobs, tuple(formats), force, data_dir, out_dir, internal, progress, excel,
                   townships, index, on_result, draft, notebook)
    with _ctrl_c_remembered() as ctrl_c:
        return _run_batch(req, ctrl_c)


@dataclass
class _Request:
    """What a batch was asked for (the arguments of :func:`run_batch`)."""

    months: list[str]
    scope: str
    jobs: int | None
    formats: tuple
    force: bool
    data_dir: object
    out_dir: object
    internal: bool
    progress: bool
    excel: bool
    townships: object
    index: bool = True
    on_result: object = None
    draft: bool = False
    notebook: tuple | None = None

    def jobs_of(self, month: str, reference) -> list[ReportJob]:
        """The reports asked for in ``month``."""
        if self.notebook is not None:
            path, title = self.notebook
            return [ReportJob(month, t, self.internal, source=path, heading=title, draft=self.draft)
                    for t in (self.townships or [None])]
        return _jobs(month, self.scope, reference, self.internal, self.townships, self.draft)


def _run_batch(req: _Request, ctrl_c: _CtrlC) -> BatchResult:
    _quiet_resource_tracker()
    run = _BatchRun(req, ctrl_c)
    finished = False
    try:
        run.plan()
        ctrl_c.check()
        run.pool.finish()
        run.export()            # while the workers render
        run.collect()
        ctrl_c.check()
        finished = True
    except KeyboardInterrupt:
        run.result.interrupted = True
    finally:
        run.close(finished)
    if run.result.interrupted:
        return run.result
    run.account_for_lost_reports()
    return run.write_index()


def _quiet_resource_tracker() -> None:
    """multiprocessing's resource tracker (a process of its own) warns in English about the queues' semaphores
    of workers stopped by Ctrl-C; they are freed anyway, and the analyst has been told in Chinese."""
    quiet = "ignore::UserWarning:multiprocessing.resource_tracker"
    if quiet not in os.environ.get("PYTHONWARNINGS", ""):
        os.environ["PYTHONWARNINGS"] = ",".join(x for x in (os.environ.get("PYTHONWARNINGS"), quiet) if x)


class _BatchRun:
    """One batch while it runs: the workers, the reports queued for them, the months read, the progress bar."""

    def __init__(self, req: _Request, ctrl_c: _CtrlC):
        self.req, self.ctrl_c = req, ctrl_c
        self.out = output_dir(req.out_dir)
        self.result = BatchResult()
        self.code = code_fingerprint()
        self.todo: list[Task] = []
        self.months_data: dict = {}
        self.pool = _Workers(req.jobs, req.formats)
        self.late = False       # one report alone: its worker is forked after the month is read (see plan)
        self.left = None        # its imports, when reading the month left them to be done (see plan)
        self.work = Path(tempfile.mkdtemp(prefix="tekun-batch-"))  # the months read, for the workers (removed)
        self.bar = None

    def plan(self) -> None:
        """Read each month and queue its reports that are not fresh. With --force every report is to be made:
        the workers start while the first month is read, once its files are being read on every core (what
        they use is imported here meanwhile), else with the first report to do."""
        from ..core.exceptions import ValidationFailed
        from .jobs import check_month_data

        req = self.req
        planned = _planned(req) if req.force else 0
        # one report alone (tekun report, a banner briefing): its worker is forked once the month is read and
        # what it shares computed, and finds them in its copy of this process; meanwhile the modules it uses are
        # imported and warmed up here. Handing them over as a pickle (write_seed, prepare) is then not needed:
        # for 2023-10 it is 7 MB, 1.4 s to write and 2.2 s to read on a machine at load 10 (two cores)
        self.late = planned == 1 and start_method() == "fork"
        start_now = (self.pool.ready if self.late else
                     (lambda: self.pool.start(planned, warm=True)) if req.force else None)
        for month in req.months:
            self.ctrl_c.check()
            try:
                # a lone report whose month is kept in the store reads no file: what it imports is then imported
                # while its charts are drawn (share_month), not before
                with meanwhile(start_now, at_exit=not self.late) as left:
                    start_now = None            # the first month only
                    data = check_month_data(month, req.data_dir, req.draft)
                self.left = left[0] if left else None
            except ValidationFailed as exc:
                self.result.month_errors[month] = exc
                continue
            self.months_data[month] = data
            self._queue_month(month, data)

    def _queue_month(self, month: str, data) -> None:
        from .warm import write_seed

        req = self.req
        # a report shows the months before it too (comparison and trend): their files are inputs as well
        earlier, _ = history(month, req.data_dir)
        prev_sources = tuple((d.month, s.name, s.sha256) for d in earlier if d.month != month for s in d.sources)
        jobs_of_month = req.jobs_of(month, data.reference)
        self.result.planned += jobs_of_month
        seed = started = None
        for job in jobs_of_month:
            key = input_key(job, data.sources, req.data_dir, req.formats, self.code, prev_sources)
            if not req.force and is_fresh(job, self.out, data.policy.banner, key):
                self.result.skipped.append(job)
                continue
            if started is None and self.late:
                # a banner briefing alone: its charts are drawn here on every core while its worker is yet to start
                share_month(month, req.data_dir, draft=bool(data.errors),
                            charts=job.township is None and job.source is None and job.period is None,
                            also=self.left)
                self.pool.start(1, warm=True)       # forked now: the month and its shared results come along
                started = True
            elif started is None:
                # the workers (kernel and browser) start with the first report to do, while what the month's
                # briefings share is computed and the rest is read
                self.pool.start(len(jobs_of_month) * (len(req.months) - req.months.index(month)))
                seed = self.work / f"{month}.pickle"
                share_month(month, req.data_dir, draft=bool(data.errors))
                write_seed(seed, without=self.pool.inherited)
                started = True
            task = Task(job, str(Path(req.data_dir).resolve()) if req.data_dir else None, str(self.out),
                        tuple(req.formats), key, str(seed) if seed else None)
            self.todo.append(task)
            self.pool.put(task)
        if self.todo:           # the bar counts the reports of the months read so far: one step per month
            if self.bar is None:
                self.bar = _progress(len(self.todo), req.progress)
            else:
                self.bar.total = len(self.todo)
                self.bar.refresh()

    def export(self) -> None:
        """The months' Excel exports (not in internal mode); then what the months' briefings share is forgotten
        here: the workers have it (their seed, or their copy of this process), and only the months read are
        kept, for the index page."""
        from ..core.cache import CACHE, give_back_memory
        from ..core.memo import forget_all

        if self.req.excel and not self.req.internal:
            for data in self.months_data.values():
                if data.errors:         # a draft's month: its tables are not exported until they are right
                    continue
                self.result.exports += export_month(data, self.out)
                self.ctrl_c.check()
        # the months as read stay in the cache (once) for the index page (cleared, they were read again there
        # and what they held was not given back: the pages stay in use around what is kept); this process's
        # own copies go, and what the remembered functions kept (some 60 MB for a county ten times the
        # bundled one)
        self.months_data = {month: _Named(data.policy.county.whole) for month, data in self.months_data.items()}
        if self.late:
            # a lone report's worker is a fork of this process, started a moment ago: what it shares with this
            # process stays in use, and a full collection here took a core from it (and its browser's start)
            # for a quarter of a second
            return
        CACHE.facts.clear()
        forget_all()
        give_back_memory()

    def collect(self) -> None:
        """Take the workers' results as they come, one step of the bar each."""
        for _ in range(len(self.todo)):
            res = self.pool.result(self.ctrl_c.check)
            self.ctrl_c.check()
            if res is None:
                break
            (self.result.failed if res.error else self.result.rendered).append(res)
            if self.req.on_result is not None:
                self.req.on_result(res)
            self.bar.update(1)
            data = self.months_data.get(res.job.month)
            whole = data.whole if data is not None else ""
            self.bar.set_postfix_str(res.job.township or f"{res.job.month} {whole}".rstrip())

    def close(self, finished: bool) -> None:
        """After Ctrl-C or an error while planning the workers must not outlive the batch, nor half-written
        files stay; the months' pickles go in any case."""
        if self.bar is not None:
            self.bar.close()
        if not finished:
            with _sigint_ignored():
                self.pool.stop()
                _remove_partial_files(self.todo)
        shutil.rmtree(self.work, ignore_errors=True)

    def account_for_lost_reports(self) -> None:
        done = self.result.rendered + self.result.failed
        for t in self.todo:
            if all(r.job != t.job for r in done):
                self.result.failed.append(ReportResult(t.job, error="工作进程意外退出，报告未生成。"))

    def write_index(self) -> BatchResult:
        """The index page, while the workers close their kernels and browsers (0.7 s, 2023-08)."""
        try:
            if self.req.index:
                from .index import write_index

                self.result.index = write_index(self.out, self.req.data_dir)
            self.ctrl_c.check()
        except ImportError:
            pass
        except KeyboardInterrupt:   # the index is written again by the next run
            self.result.interrupted = True
        finally:
            self.pool.join()
        return self.result


@dataclass(frozen=True)
class _Named:
    """What the progress bar still needs of a month once its data are handed over: the county's word for itself."""
    whole: str


def share_month(month: str, data_dir=None, draft: bool = False, charts: bool = False, also=None) -> None:
    """What the month's briefings share (:meth:`~tekun_helpers.report.briefing.Briefing.compute_shared`), computed
    once here for the workers (it goes into the month's seed) and the Excel export, instead of once by each
    of them (about a second of CPU each, 2023-08). ``charts``: the banner briefing's charts too, drawn on every
    core at once (:func:`~tekun_helpers.report.parts.draw_ahead`; a single banner briefing's notebook drew them
    one after the other, most of its time). ``also``: called here first, while the charts are drawn (a lone
    report's imports, when its month was read from the store). Where it fails, the reports compute it themselves
    and each reports the error, as without this step."""
    from ..report.briefing import Briefing

    try:
        b = Briefing(month, data_dir, draft=draft)

        def here() -> None:
            if also is not None:
                also()
            b.compute_shared()

        if not charts:
            here()
            return
        from ..report.parts import banner_charts, draw_ahead

        # the charts need the month's facts (computed with the briefing), not the rest: this process computes the
        # rest while the helpers draw (2023-08: 0.9 s of CPU here and 2 s in the helpers, on two cores)
        with meanwhile(here):
            draw_ahead(b, banner_charts(b))
    except Exception:
        pass


def _jobs(month: str, scope: str, reference, internal: bool, townships, draft: bool = False) -> list[ReportJob]:
    """The month's reports for ``scope``; with ``townships``, only theirs (and the banner's)."""
    return [job for job in plan(month, scope, reference, internal, draft)
            if townships is None or job.township is None or job.township in townships]


def _planned(req: _Request) -> int:
    """How many reports the months will have, from the reference data alone (before any month is read): the
    most workers worth starting. A reference that cannot be read counts as many (the month's own reading
    reports what is wrong with it)."""
    from ..config.reference import load_reference

    try:
        reference = load_reference(req.data_dir)
    except Exception:
        return cores()
    return sum(len(req.jobs_of(m, reference)) for m in req.months)


class _Workers:
    """The batch's worker processes, started when the first report to render is known."""

    def __init__(self, jobs: int | None, formats):
        self.jobs, self.formats = jobs, tuple(formats)
        self.procs: list = []
        self.tasks = self.results = None
        self.printer = None         # the printer process (printserver.py; two workers or more, with PDF)
        self.inherited: set = set()     # the months (CACHE keys) the workers were forked with: not in their seed

    def start(self, at_most: int, warm: bool = False) -> None:
        """Start the workers (at most ``at_most``). ``warm``: forked workers are to find the warm-up
        (:func:`~tekun_helpers.publish.warm.warm_up`) done, once here instead of once in each of them: where
        the batch would otherwise wait, as while the month's files are read on every core."""
        if self.procs:
            return
        n = max(1, min(self.jobs or cores(), at_most))
        method = start_method()
        if method == "fork":
            self.ready(warm)
        ctx = mp.get_context(method)
        self.tasks, self.results = ctx.Queue(), ctx.Queue()
        # two workers or more print in one browser, in a printer process of its own (printserver.py): one
        # browser and one Playwright driver fewer for each worker but one
        if "pdf" in self.formats and n >= 2 and hasattr(socket, "AF_UNIX") and _browser_found():
            from .printserver import PrinterProcess

            self.printer = PrinterProcess()
        # forked, a worker shares this process's objects until it writes to them: a garbage collection in it
        # would touch every one (and copy its page), so what exists now is left out of its collections
        if method == "fork":
            from ..core.cache import CACHE

            self.inherited = CACHE.kept_keys()
            gc.freeze()
        try:
            with _sigint_held():
                remote = self.printer.client() if self.printer is not None else None
                self.procs = [ctx.Process(target=_worker, args=(self.tasks, self.results, self.formats, remote),
                                          daemon=True) for _ in range(n)]
                for p in self.procs:
                    p.start()
                if self.printer is not None:    # after the fork: the workers do not hold its standard input
                    self.printer.start()
        finally:
            gc.unfreeze()

    @staticmethod
    def ready(warm: bool = True) -> None:
        """Import here what the workers use (forked, they find it imported) and, with ``warm``, warm up
        (:func:`~tekun_helpers.publish.warm.warm_up`)."""
        import importlib

        for name in WORKER_MODULES:
            importlib.import_module(name)
        if warm:
            from .warm import warm_up

            warm_up()

    def put(self, task: Task) -> None:
        self.tasks.put(task)

    def finish(self) -> None:
        """No more tasks: one sentinel per worker."""
        for _ in self.procs:
            self.tasks.put(None)

    def result(self, check=None) -> ReportResult | None:
        """The next result; None when every worker is gone. ``check`` is called while waiting (it raises
        KeyboardInterrupt for a Ctrl-C that Python dropped meanwhile: :class:`_CtrlC`)."""
        return _get_result(self.results, self.procs, check)

    def join(self) -> None:
        if self.printer is not None:        # every report is in: it closes its browser meanwhile
            self.printer.finish()
        for p in self.procs:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()
        if self.printer is not None:
            self.printer.close()

    def stop(self) -> None:
        _stop_workers(self.procs)
        if self.printer is not None:
            self.printer.kill()
        for q in (self.tasks, self.results):   # what is left in them is not waited for at exit
            if q is not None:
                q.cancel_join_thread()


def _browser_found() -> bool:
    """Whether there is a browser to print with (else each worker's own PdfPrinter fails each report, saying
    how to install one)."""
    from ..core.exceptions import RenderError
    from .render import find_browser

    try:
        find_browser()
    except RenderError:
        return False
    return True


def _get_result(results: mp.Queue, procs, check=None) -> ReportResult | None:
    while True:
        try:
            return results.get(timeout=1)
        except queue.Empty:
            if check is not None:
                check()
            if not any(p.is_alive() for p in procs):
                try:
                    return results.get(timeout=1)
                except queue.Empty:
                    return None


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="生成报告", unit="份", disable=not enabled, dynamic_ncols=True)


def export_month(data, out: Path) -> list[Path]:
    """附件1/附件2 in the official layout and the briefing's computed tables, under outputs/<month>/Excel/."""
    from ..report.briefing import Briefing
    from .excel import export_official, export_tables

    folder = out / data.month / "Excel"
    files = list(export_official(data, folder))
    # read through the cache, as ``data`` was, the briefing finds the month's shared results (share_month);
    # a month read otherwise, or whose files changed since, is computed from ``data`` itself
    briefing = Briefing(data.month, data.folder.parent) if data.cache_key is not None else None
    if briefing is None or briefing.data.cache_key != data.cache_key:
        briefing = Briefing(data.month, data=data)
    files.append(export_tables(briefing.export_tables(),
                               folder / f"{data.policy.banner}_{data.month}_统计表.xlsx", sample=data.is_sample))
    return files
