"""The kernel a batch worker runs its reports in: an IPython kernel inside the worker process itself.

papermill takes a started kernel manager as ``km`` and nbclient talks to the kernel through the
manager's clients. A kernel of its own process (what papermill starts by default) costs a batch
worker a second Python that imports pandas, matplotlib and the package again, and every output
travels through ZeroMQ and JSON; on 2023-08's 19 reports that was 2.5 s of CPU of 26 (2-core AMD
EPYC, HTML only). ipykernel's in-process kernel runs the cells in the worker, so the worker's imports,
its months read and its loaded font serve the notebook too, and :func:`tekun_helpers.publish.warm.prepare`
is an ordinary call. The executed notebook is the same: 2023-08's 19 reports gave the same HTML
both ways, save the time they were made.

nbclient runs the cells from its own event loop, so they run on jupyter_core's runner thread while
the worker's main thread waits: the worker's SIGINT and SIGTERM handlers (set in the main thread)
stay in force, and the kernel cannot swap them for its own (``pre_handler_hook`` only works in the
main thread and is skipped).

The adapters below give nbclient what it expects of a kernel manager and client
(``wait_for_ready(timeout)``, ``shutdown_kernel(now)``, ``start_kernel(cwd=…)``: papermill changes
the working folder itself). :meth:`WorkerClient.wait_for_ready` returns as soon as the kernel's
``idle`` status for its own ``kernel_info`` request has come, where ipykernel's waits for 0.2 s of
silence on IOPub and prints each message it reads (on the worker's stdout; 0.2 s a report).
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from queue import Empty

from ipykernel.inprocess.blocking import BlockingInProcessKernelClient
from ipykernel.inprocess.ipkernel import InProcessKernel
from ipykernel.inprocess.manager import InProcessKernelManager
from traitlets import DottedObjectName

#: how long IOPub must stay silent to count as empty when the kernel sends no ``idle`` status
QUIET_S = 0.2


class WorkerClient(BlockingInProcessKernelClient):
    """A client of the worker's in-process kernel whose :meth:`wait_for_ready` does not sleep once the kernel
    has answered, and which leaves the kernel's list of front ends when its channels stop."""

    def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return when the kernel has replied to ``kernel_info`` and IOPub has brought that request's
        ``idle`` status (or :data:`QUIET_S` of silence after its first message); RuntimeError when the
        kernel is gone or did not answer within ``timeout`` seconds."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = self.get_shell_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply" and self._drain_iopub(msg["parent_header"].get("msg_id")):
                    self._handle_kernel_info_reply(msg)
                    return
            if not self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    def _drain_iopub(self, request: str | None) -> bool:
        """Read IOPub until the kernel's idle status for ``request`` (or :data:`QUIET_S` of silence);
        False when nothing came at all: the caller asks again."""
        seen = False
        while True:
            try:
                msg = self.get_iopub_msg(timeout=QUIET_S)
            except Empty:
                return seen
            seen = True
            if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                    and request is not None and msg["parent_header"].get("msg_id") == request):
                return True

    def is_alive(self) -> bool:
        return self.kernel is not None

    def stop_channels(self) -> None:
        """Stop the channels and leave the kernel's front ends: every report's client would otherwise stay
        there and get a copy of every later message."""
        super().stop_channels()
        kernel = self.kernel
        if kernel is not None and self in kernel.frontends:
            kernel.frontends.remove(self)


class _Kernel(InProcessKernel):
    """ipykernel's in-process kernel, whose printed output reaches the notebook.

    The kernel tells ``sys.stdout`` and ``sys.stderr`` which request they print for before it runs the
    request, but ipykernel's in-process kernel puts its own streams in their place only while the code
    runs: the streams were never told, their messages carried no request, and nbclient dropped them
    (``print``, warnings and tracebacks on stderr were missing from the executed notebook)."""

    @contextmanager
    def _redirected_io(self):
        parent = self.get_parent("shell")
        self.stdout.set_parent(parent)
        self.stderr.set_parent(parent)
        with super()._redirected_io():
            yield


class WorkerKernel(InProcessKernelManager):
    """The in-process kernel's manager, with the keyword arguments nbclient and papermill pass."""

    client_class = DottedObjectName("tekun_helpers.publish.kernel.WorkerClient")

    def start_kernel(self, **kw) -> None:
        """Start the kernel in this process (``cwd`` and ``extra_arguments`` have no meaning here)."""
        self.kernel = _Kernel(parent=self, session=self.session)

    def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        super().shutdown_kernel()


def worker_kernel() -> WorkerKernel:
    """Start this process's kernel and return its manager.

    The kernel imports debugpy, whose check of frozen modules prints four lines of English on stderr at
    each start (the batch's terminal): turned off, as its own message says.
    """
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    km = WorkerKernel()
    km.start_kernel()
    return km
