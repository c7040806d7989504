"""One browser for all of a batch's workers: a printer process that prints their PDFs, a page for each.

Each worker used to start a browser of its own, through a Playwright driver of its own (a node process).
For a county ten times the bundled one the two browsers' fixed processes and the two drivers held some
400 MB of the batch's 1.6 GB, the same at every size of county (issue 36). A batch with two workers or
more now starts one more process, the printer (:func:`serve`, forked with the workers): one Playwright
driver, one Chromium, and in it one page (in a context of its own, network refused) for each worker, so
that the workers still print at the same time, each report in a renderer of its own. A worker asks with
:class:`RemotePrinter`, which has :class:`~tekun_helpers.publish.render.PdfPrinter`'s ``print_pdf``.

The pages print as :meth:`PdfPrinter._print <tekun_helpers.publish.render.PdfPrinter._print>` does, with the
same options (:func:`~tekun_helpers.publish.render.pdf_options`): the PDFs are the same. A browser (or
driver) that dies is started again, once for all pages, and the report printed again, once; "浏览器意外退出，
已重新启动" is logged after that print, so that a browser ended by Ctrl-C (the printer's own handler kills it,
batch._stop_worker) is not reported as having died.
"""
from __future__ import annotations

import asyncio
import logging
import os
import queue
from pathlib import Path

from ..core.exceptions import RenderError
from . import render

log = logging.getLogger(render.__name__)    # the printer's messages, as PdfPrinter's

DRIVER_NODE_OPTIONS = "--max-semi-space-size=1"


class RemotePrinter:
    """A worker's end of the printer process: ``print_pdf`` as :meth:`PdfPrinter.print_pdf
    <tekun_helpers.publish.render.PdfPrinter.print_pdf>`, made by the printer in this worker's page.

    requests: the printer's queue (shared by the workers); replies: this worker's own queue;
    client: this worker's number (its page); server: the printer's process id (a printer that is gone
    fails the print instead of leaving the worker waiting)."""

    def __init__(self, requests, replies, client: int, server: int):
        self.requests, self.replies, self.client, self.server = requests, replies, client, server

    def print_pdf(self, html_path, pdf_path, **kwargs) -> Path:
        self.requests.put((self.client, str(html_path), str(pdf_path), kwargs))
        while True:
            try:
                kind, value = self.replies.get(timeout=1)
                break
            except queue.Empty:
                if not _running(self.server):
                    raise RenderError("打印 PDF 的进程已意外退出，PDF 未生成。") from None
        if kind == "error":
            raise RenderError(value)
        return Path(value)

    def close(self) -> None:
        """Nothing to close: the printer is the batch's (it stops after the last report)."""


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:        # a child that ended and was not waited for yet is a zombie: gone all the same
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def serve(requests, replies: list) -> None:
    """The printer process's work: start the browser at once, then print what the workers ask for (a request is
    ``(client, html path, pdf path, print_pdf's keyword arguments)``, the reply ``("ok", pdf path)`` or
    ``("error", Chinese message)`` on ``replies[client]``) until the ``None`` that ends it."""
    # the driver (node) with a young generation of 1 MB: it passes every report's HTML and PDF through, and
    # with node's default it held some 40 MB more of them (163 MB against 125 MB, the bundled county's 2023-08)
    os.environ["NODE_OPTIONS"] = " ".join(x for x in (os.environ.get("NODE_OPTIONS"), DRIVER_NODE_OPTIONS) if x)
    asyncio.run(_Printer(replies).run(requests))


class _Printer:
    def __init__(self, replies: list, timeout_ms: int = render.PAGE_TIMEOUT_MS):
        self.replies, self.timeout_ms = replies, timeout_ms
        self.pw = self.browser = None
        self.failed: RenderError | None = None      # the browser could not be started: every print fails with it
        self.generation = 0                         # how many browsers were started: one restart per death
        self.pages: dict[int, object] = {}
        self.lock: asyncio.Lock | None = None

    async def run(self, requests) -> None:
        self.lock = asyncio.Lock()
        loop = asyncio.get_running_loop()
        starting = asyncio.create_task(self._start_guarded())
        running: set[asyncio.Task] = set()
        try:
            while True:
                request = await loop.run_in_executor(None, requests.get)
                if request is None:
                    break
                task = asyncio.create_task(self._serve(starting, *request))
                running.add(task)
                task.add_done_callback(running.discard)
            await starting
            if running:
                await asyncio.gather(*running)
        finally:
            await self._discard()

    async def _start_guarded(self) -> None:
        try:
            await self._start()
        except RenderError as exc:
            self.failed = exc

    async def _start(self) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        from .printfont import browser_env

        path = render.find_browser()
        env = browser_env()
        try:
            self.pw = await async_playwright().start()
            self.browser = await self.pw.chromium.launch(
                executable_path=str(path), args=render.BROWSER_ARGS, headless=True, **({"env": env} if env else {}))
        except PlaywrightError as exc:
            await self._discard()
            raise RenderError(f"无法启动浏览器 {path}：{exc}") from exc
        self.generation += 1

    async def _discard(self) -> None:
        """Close the browser and the driver, whatever state they are in."""
        browser, pw, self.browser, self.pw = self.browser, self.pw, None, None
        self.pages.clear()
        for close in ((browser.close if browser is not None else None), (pw.stop if pw is not None else None)):
            if close is None:
                continue
            try:
                await close()
            except Exception as exc:        # a dead browser or driver: nothing left to close
                log.debug("关闭浏览器时出错：%s", exc)

    async def _alive(self) -> bool:
        if self.browser is None:
            return False
        try:
            await (await self.browser.new_context()).close()
        except Exception:
            return False
        return True

    async def _serve(self, starting, client: int, html_path: str, pdf_path: str, kwargs: dict) -> None:
        await starting
        try:
            path = await self._print_pdf(client, html_path, pdf_path, kwargs)
            reply = ("ok", str(path))
        except RenderError as exc:
            reply = ("error", str(exc))
        except Exception as exc:            # never leave a worker waiting
            reply = ("error", f"打印 PDF 失败（{html_path}）：{type(exc).__name__}: {exc}")
        self.replies[client].put(reply)

    async def _print_pdf(self, client: int, html_path: str, pdf_path: str, kwargs: dict) -> Path:
        """As PdfPrinter.print_pdf: a browser that died is started again and the report printed again, once."""
        if self.failed is not None:
            raise self.failed
        source, pdf_path = Path(html_path).resolve(), Path(pdf_path)
        if not source.is_file():
            raise RenderError(f"找不到要打印的 HTML 文件：{source}")
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        generation = self.generation
        if self.browser is not None:
            try:
                return await self._print(client, source, pdf_path, kwargs)
            except RenderError:
                if await self._alive():
                    raise
        async with self.lock:           # one restart for every page that saw the same browser die
            if self.generation == generation or self.browser is None:
                await self._discard()
                await self._start()
        path = await self._print(client, source, pdf_path, kwargs)
        log.warning("浏览器意外退出，已重新启动：%s", source)
        return path

    async def _page(self, client: int):
        page = self.pages.get(client)
        if page is None:
            context = await self.browser.new_context(service_workers="block")
            await context.route("**/*", _route)
            page = self.pages[client] = await context.new_page()
        return page

    async def _drop_page(self, client: int) -> None:
        page = self.pages.pop(client, None)
        if page is not None:
            try:
                await page.context.close()
            except Exception as exc:
                log.debug("关闭浏览器页面时出错：%s", exc)

    async def _print(self, client: int, source: Path, pdf_path: Path, kwargs: dict) -> Path:
        """One attempt, as PdfPrinter._print (see there); every failure is a RenderError."""
        from playwright.async_api import Error as PlaywrightError

        options = render.pdf_options(kwargs["title"], kwargs["month"], kwargs["generated_at"],
                                     sample=kwargs.get("sample", False), internal=kwargs.get("internal", False),
                                     draft=kwargs.get("draft"))
        tmp = render._temp_sibling(pdf_path, ".pdf")
        ok = False
        try:
            page = await self._page(client)
            await page.set_content(source.read_text(encoding="utf-8"), wait_until="load", timeout=self.timeout_ms)
            await page.evaluate(render.FONTS_READY)
            await page.evaluate(render._strip_print_marks())
            await page.pdf(path=str(tmp), **options)
            os.replace(tmp, pdf_path)
            await page.set_content("", timeout=self.timeout_ms)
            ok = True
        except (PlaywrightError, OSError, UnicodeDecodeError) as exc:
            raise RenderError(f"打印 PDF 失败（{source}）：{exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
            if not ok:
                await self._drop_page(client)
        return pdf_path


async def _route(route) -> None:
    """Let local files and data URIs through; refuse (and note) everything else (as PdfPrinter._route)."""
    url = route.request.url
    if url.startswith(render.ALLOWED_URL_SCHEMES):
        await route.continue_()
        return
    log.warning("报告试图访问网络资源，已拦截：%s", url)
    await route.abort("blockedbyclient")
