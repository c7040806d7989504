"""One browser for all of a batch's workers: a printer process that prints their PDFs, one after the other.

Each worker used to start a browser of its own, through a Playwright driver of its own (a node process).
For a county ten times the bundled one the two browsers' fixed processes and the two drivers held some
400 MB of the batch's 1.6 GB, the same at every size of county (issue 36). A batch with two workers or
more now starts one more process, the printer (:class:`PrinterProcess`): one Playwright driver, one
Chromium, and in it one page (in a context of its own, network refused) that prints the workers' reports
one at a time. A page for each worker printed two at once, in two renderers: 120 MB more at the peak for
the bundled county (1,012 against 891 MB, 2023-08) and 90 MB for one ten times larger, and no faster (the
workers keep both cores busy; 19 reports in 11.2 s either way). Every :data:`~tekun_helpers.publish.render.PAGE_PRINTS`
reports the page is closed and a new one made (its renderer gives back what the reports used). A worker asks
with :class:`RemotePrinter`, which has :class:`~tekun_helpers.publish.render.PdfPrinter`'s ``print_pdf``.

The printer is a fresh Python (this file run as a script), not a fork of the batch: it imports only
Playwright and the standard library (some 40 MB), where a fork held on to the batch's pages as the batch
went on (80 MB for the bundled county, 140 MB for one ten times larger). What it needs of the package
(the browser, its arguments and fonts, the page scripts) the batch hands it at its start, and each
worker sends its report's print options (:func:`~tekun_helpers.publish.render.pdf_options`): the pages
print as :meth:`PdfPrinter._print <tekun_helpers.publish.render.PdfPrinter._print>` does, and the PDFs are
the same. The workers talk to it over a Unix socket (:mod:`multiprocessing.connection`, with a key).

A browser (or driver) that dies is started again and the report printed again, once;
"浏览器意外退出，已重新启动" is logged after that print, so that a browser ended by Ctrl-C is not reported as
having died. Ctrl-C (SIGINT, to the terminal's process group) and SIGTERM (the batch stopping it) make the
printer kill its browser (in a process group of its own) and exit at once; so does the end of its standard
input (the batch ended, however), after the prints asked for.
"""
from __future__ import annotations

if __name__ == "__main__":      # run as a script: this file's folder is no place to import from
    import sys

    del sys.path[0]

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger("tekun_helpers.publish.render")    # the printer's messages, as PdfPrinter's

#: the driver (node) with a young generation of 1 MB: it passes every report's HTML and PDF through, and
#: with node's default it held some 40 MB more of them (163 MB against 125 MB, the bundled county's 2023-08)
DRIVER_NODE_OPTIONS = "--max-semi-space-size=1"
CONNECT_TIMEOUT = 120.0


# --------------------------------------------------------------------------- the batch's side

class PrinterProcess:
    """The batch's handle on its printer: made (:meth:`__init__`: its address) and handed to the workers
    (:meth:`client`, for :class:`RemotePrinter`) before they are forked, :meth:`start`-ed after (it starts its
    browser at once; the workers connect when they first print), :meth:`close`-d after the last report,
    :meth:`kill`-ed on Ctrl-C."""

    def __init__(self):
        from multiprocessing.connection import arbitrary_address

        self.address, self.key = arbitrary_address("AF_UNIX"), os.urandom(32)
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the printer (not forked: a fresh Python running this file)."""
        from . import render
        from .printfont import browser_env

        browser = render.find_browser()
        config = {
            "address": self.address, "key": self.key.hex(), "browser": str(browser), "args": render.BROWSER_ARGS,
            "env": browser_env(), "timeout_ms": render.PAGE_TIMEOUT_MS, "allowed": render.ALLOWED_URL_SCHEMES,
            "fonts_ready": render.FONTS_READY, "strip_marks": render.strip_print_marks_script(),
            "page_prints": render.PAGE_PRINTS,
        }
        self.proc = subprocess.Popen([sys.executable, "-X", "utf8", __file__], stdin=subprocess.PIPE)
        self.proc.stdin.write(json.dumps(config).encode() + b"\n")
        self.proc.stdin.flush()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def client(self) -> tuple:
        """What a worker needs to print here (:class:`RemotePrinter`'s arguments)."""
        return self.address, self.key

    def finish(self) -> None:
        """No more prints: the printer closes its browser and ends (:meth:`close` waits for it)."""
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def close(self, timeout: float = 30.0) -> None:
        """:meth:`finish`, and wait for the printer to end (kill it after ``timeout`` s)."""
        if self.proc is None:
            return
        self.finish()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Stop the printer now (SIGTERM: it kills its browser), and kill it and what it started if it does not."""
        import psutil

        if self.proc is None:
            return
        try:
            tree = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            tree = []
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        _kill_but_driver([c for c in tree if c.is_running()])


# --------------------------------------------------------------------------- a worker's side

class RemotePrinter:
    """A worker's end of the printer process: ``print_pdf`` as :meth:`PdfPrinter.print_pdf
    <tekun_helpers.publish.render.PdfPrinter.print_pdf>`, made by the printer in this worker's page.
    ``address``, ``key``: :meth:`PrinterProcess.client`. A printer that is gone (its socket closed) fails the
    print with a RenderError instead of leaving the worker waiting."""

    def __init__(self, address: str, key: bytes):
        self.address, self.key = address, key
        self._conn = None

    def _connection(self):
        """The connection to the printer, made on the first print: the printer may still be starting."""
        from multiprocessing.connection import Client

        from ..core.exceptions import RenderError

        deadline = time.monotonic() + CONNECT_TIMEOUT
        while self._conn is None:
            try:
                self._conn = Client(self.address, "AF_UNIX", authkey=self.key)
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise RenderError("打印 PDF 的进程没有启动，PDF 未生成。") from None
                time.sleep(0.05)
        return self._conn

    def print_pdf(self, html_path, pdf_path, *, title: str, month: str, fingerprint: str, generated_at,
                  sample=False, internal: bool = False, draft: str | None = None) -> Path:
        from ..core.exceptions import RenderError
        from .render import pdf_options

        options = pdf_options(title, month, generated_at, sample=sample, internal=internal, draft=draft)
        conn = self._connection()
        try:
            conn.send((str(html_path), str(pdf_path), options))
            kind, value = conn.recv()
        except (EOFError, OSError):
            self._conn = None
            raise RenderError("打印 PDF 的进程已意外退出，PDF 未生成。") from None
        if kind == "error":
            raise RenderError(value)
        return Path(value)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


def _kill_but_driver(procs) -> None:
    """Kill ``procs`` (psutil processes) but Playwright's driver, which removes the browser's temporary profile
    and exits by itself once the printer's end of its pipe is closed; wait for them."""
    import psutil

    victims = []
    for p in procs:
        try:
            if "run-driver" not in p.cmdline():
                p.kill()
                victims.append(p)
        except psutil.Error:
            pass
    psutil.wait_procs(victims, timeout=3)


# --------------------------------------------------------------------------- the printer process

def _stop(signum, frame) -> None:
    """SIGINT (Ctrl-C reaches the whole process group) and SIGTERM (the batch stops it): kill the browser this
    printer started, then exit at once, without a traceback."""
    import psutil

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        _kill_but_driver(psutil.Process().children(recursive=True))
    finally:
        os._exit(1)


def main() -> None:
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    config = json.loads(sys.stdin.buffer.readline())
    os.environ["NODE_OPTIONS"] = " ".join(x for x in (os.environ.get("NODE_OPTIONS"), DRIVER_NODE_OPTIONS) if x)
    from multiprocessing.connection import Listener

    listener = Listener(config["address"], "AF_UNIX", authkey=bytes.fromhex(config["key"]))
    try:
        asyncio.run(_Printer(config).run(listener))
    finally:
        listener.close()


class _PrintFailed(Exception):
    """A print that failed: its Chinese message (the worker raises it as a RenderError)."""


class _Printer:
    def __init__(self, config: dict):
        self.config = config
        self.pw = self.browser = None
        self.failed: str | None = None          # the browser could not be started: every print fails with it
        self.page = None                        # the page every report is printed in, one after the other
        self.printed = 0                        # reports printed in it (render.PAGE_PRINTS)
        self.printing: asyncio.Lock | None = None   # one print at a time (_serve)

    async def run(self, listener) -> None:
        self.printing = asyncio.Lock()
        from multiprocessing import AuthenticationError

        loop = asyncio.get_running_loop()
        starting = asyncio.create_task(self._start_guarded())

        def accept() -> None:
            while True:
                try:
                    conn = listener.accept()
                except AuthenticationError:     # not one of the batch's workers
                    continue
                except OSError:                 # the listener closed
                    return
                threading.Thread(target=self._client, args=(conn, loop, starting), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        try:    # until the batch closes this process's standard input (or ends)
            await loop.run_in_executor(None, sys.stdin.buffer.read)
            await starting
        finally:
            await self._discard()

    def _client(self, conn, loop, starting) -> None:
        """One worker's requests, one after the other (in a thread of their own)."""
        try:
            while True:
                html_path, pdf_path, options = conn.recv()
                done = asyncio.run_coroutine_threadsafe(self._serve(starting, html_path, pdf_path, options),
                                                        loop)
                conn.send(done.result())
        except (EOFError, OSError):
            pass
        finally:
            conn.close()

    async def _start_guarded(self) -> None:
        try:
            await self._start()
        except _PrintFailed as exc:
            self.failed = str(exc)

    async def _start(self) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        c = self.config
        try:
            self.pw = await async_playwright().start()
            self.browser = await self.pw.chromium.launch(
                executable_path=c["browser"], args=c["args"], headless=True, **({"env": c["env"]} if c["env"] else {}))
        except PlaywrightError as exc:
            await self._discard()
            raise _PrintFailed(f"无法启动浏览器 {c['browser']}：{exc}") from exc

    async def _discard(self) -> None:
        """Close the browser and the driver, whatever state they are in."""
        browser, pw, self.browser, self.pw = self.browser, self.pw, None, None
        self.page, self.printed = None, 0
        for close in ((browser.close if browser is not None else None), (pw.stop if pw is not None else None)):
            if close is None:
                continue
            try:
                await close()
            except Exception:        # a dead browser or driver: nothing left to close
                pass

    async def _alive(self) -> bool:
        if self.browser is None:
            return False
        try:
            await (await self.browser.new_context()).close()
        except Exception:
            return False
        return True

    async def _serve(self, starting, html_path: str, pdf_path: str, options: dict) -> tuple:
        await starting
        try:
            async with self.printing:    # one report at a time, in the one page (see the module's docstring)
                return "ok", str(await self._print_pdf(html_path, pdf_path, options))
        except _PrintFailed as exc:
            return "error", str(exc)
        except Exception as exc:            # never leave a worker waiting
            return "error", f"打印 PDF 失败（{html_path}）：{type(exc).__name__}: {exc}"

    async def _print_pdf(self, html_path: str, pdf_path: str, options: dict) -> Path:
        """As PdfPrinter.print_pdf: a browser that died is started again and the report printed again, once."""
        if self.failed is not None:
            raise _PrintFailed(self.failed)
        source, pdf_path = Path(html_path).resolve(), Path(pdf_path)
        if not source.is_file():
            raise _PrintFailed(f"找不到要打印的 HTML 文件：{source}")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        if self.browser is not None:
            try:
                return await self._print(source, pdf_path, options)
            except _PrintFailed:
                if await self._alive():
                    raise
        await self._discard()           # one print at a time (_serve): no other print sees this browser die
        await self._start()
        path = await self._print(source, pdf_path, options)
        log.warning("浏览器意外退出，已重新启动：%s", source)
        return path

    async def _page(self):
        page = self.page
        if page is None:
            context = await self.browser.new_context(service_workers="block")
            await context.route("**/*", self._route)
            page = self.page = await context.new_page()
        return page

    async def _drop_page(self) -> None:
        page, self.page, self.printed = self.page, None, 0
        if page is not None:
            try:
                await page.context.close()
            except Exception:
                pass

    async def _route(self, route) -> None:
        """Let local files and data URIs through; refuse (and note) everything else (as PdfPrinter._route)."""
        url = route.request.url
        if url.startswith(tuple(self.config["allowed"])):
            await route.continue_()
            return
        log.warning("报告试图访问网络资源，已拦截：%s", url)
        await route.abort("blockedbyclient")

    async def _print(self, source: Path, pdf_path: Path, options: dict) -> Path:
        """One attempt, as PdfPrinter._print (see there); every failure is a _PrintFailed."""
        from playwright.async_api import Error as PlaywrightError

        timeout = self.config["timeout_ms"]
        tmp = pdf_path.with_name(f".{pdf_path.stem}.{os.urandom(4).hex()}.tmp.pdf")   # as render._temp_sibling
        ok = False
        try:
            page = await self._page()
            await page.set_content(source.read_text(encoding="utf-8"), wait_until="load", timeout=timeout)
            await page.evaluate(self.config["fonts_ready"])
            await page.evaluate(self.config["strip_marks"])
            await page.pdf(path=str(tmp), **options)
            os.replace(tmp, pdf_path)
            self.printed += 1
            if self.printed >= self.config["page_prints"]:     # a new renderer for the next report
                await self._drop_page()
            else:
                await page.set_content("", timeout=timeout)     # the report's layout given back until the next
            ok = True
        except (PlaywrightError, OSError, UnicodeDecodeError) as exc:
            raise _PrintFailed(f"打印 PDF 失败（{source}）：{exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
            if not ok:
                await self._drop_page()
        return pdf_path


if __name__ == "__main__":
    main()
