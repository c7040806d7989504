"""A batch worker's browser, started at once and used from a thread of its own.

Starting Chromium through Playwright takes a worker about a second (more on a busy machine) in which it
only waits; the worker's kernel start and its first notebook need none of it. :class:`BackgroundPrinter`
starts the browser in a thread while the worker goes on, and prints there when asked: Playwright's
synchronous API belongs to the thread that started it, so every call of the browser is made in that
thread. A single report (``tekun report``) had the browser's start in full before its notebook ran.

What the browser's thread logs (a browser that died and was started again) is logged by the caller, once the
print it asked for is done: a Ctrl-C stops a worker in its main thread (batch._stop_worker) before that, and the
browser that the same Ctrl-C ended is then not reported as having died.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from queue import SimpleQueue

from ..core.exceptions import RenderError


class BackgroundPrinter:
    """:class:`~tekun_helpers.publish.render.PdfPrinter`'s ``print_pdf`` with the browser in a thread of its own,
    started by the constructor. A browser that cannot be started makes every ``print_pdf`` raise its
    RenderError (each report fails with it, as a report fails that cannot be printed)."""

    #: the loggers the browser's thread writes to (render: the printer; printfont: the print font)
    LOGGERS = ("tekun_helpers.publish.render", "tekun_helpers.publish.printfont")

    def __init__(self, browser=None):
        self._jobs: SimpleQueue = SimpleQueue()
        self._thread = threading.Thread(target=self._serve, args=(browser,), name="tekun-printer", daemon=True)
        self._held = _HeldBack(self._thread)
        for name in self.LOGGERS:
            logging.getLogger(name).addFilter(self._held)
        self._thread.start()

    def _serve(self, browser) -> None:
        from . import render

        printer = render.PdfPrinter(browser)
        failed: RenderError | None = None
        try:
            printer.start()
            printer.warm_up()       # while the worker's first notebook runs
        except RenderError as exc:
            failed = exc
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                args, kwargs, done = job
                if failed is not None:
                    done.set_exception(failed)
                    continue
                try:
                    done.set_result(printer.print_pdf(*args, **kwargs))
                except BaseException as exc:       # handed to the caller, who raises it
                    done.set_exception(exc)
        finally:
            printer.close()

    def print_pdf(self, *args, **kwargs):
        """As :meth:`PdfPrinter.print_pdf <tekun_helpers.publish.render.PdfPrinter.print_pdf>`, made in the
        browser's thread (waiting for the browser to have started)."""
        if not self._thread.is_alive():
            raise RenderError("打印 PDF 的浏览器线程已结束。")
        done: Future = Future()
        self._jobs.put((args, kwargs, done))
        try:
            return done.result()
        finally:
            self._held.release()

    def close(self, timeout: float = 30.0) -> None:
        """Close the browser and end the thread (after the prints asked for)."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout)
        self._held.release()
        for name in self.LOGGERS:
            logging.getLogger(name).removeFilter(self._held)


class _HeldBack(logging.Filter):
    """Holds back the records the browser's thread logs, for :meth:`release` to log them in the caller's thread."""

    def __init__(self, thread: threading.Thread):
        super().__init__()
        self.thread = thread
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread == self.thread.ident and not getattr(record, "released", False):
            self.records.append(record)
            return False
        return True

    def release(self) -> None:
        records, self.records = self.records, []
        for record in records:
            record.released = True
            logging.getLogger(record.name).handle(record)

    def __enter__(self) -> "BackgroundPrinter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
