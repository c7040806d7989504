"""The kernel client a batch worker talks to its reused kernel through.

A worker connects to its kernel twice a report: once to clear the namespace and put the month in
(:func:`tekun_helpers.publish.batch._prepare_kernel`), once through papermill (nbclient makes its own
client of the kernel manager passed as ``km``). Each new client waits until the kernel is ready
(``wait_for_ready``): jupyter_client's sends ``kernel_info`` and, after the reply, empties the IOPub
channel until it has been silent for 0.2 s. That silence is waited for every time, so two connections
cost 0.4 s of sleep a report (0.42 of 0.65 s per township briefing of 2023-08).

:class:`ReadyClient` checks the same two things, the reply on the shell channel and IOPub
connected, but stops emptying IOPub as soon as the kernel's ``idle`` status for its own
``kernel_info`` request has come: the kernel sends nothing more for that request. When that
status does not come (another kernel, another protocol), it waits for the 0.2 s silence as before.
Messages left over from other requests do no harm either way: papermill and ``execute_interactive``
take only the messages whose parent is their own request.
"""
from __future__ import annotations

import time
from queue import Empty

from jupyter_client.blocking.client import BlockingKernelClient

#: how long IOPub must stay silent to count as empty (jupyter_client's own value)
QUIET_S = 0.2


class ReadyClient(BlockingKernelClient):
    """A blocking kernel client whose :meth:`wait_for_ready` does not sleep once the kernel has answered."""

    def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return when the kernel has replied to ``kernel_info`` and IOPub is connected and drained of that
        request's messages; RuntimeError when the kernel died or did not answer within ``timeout`` seconds."""
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
        False when nothing came at all: IOPub is not connected yet and the caller asks again."""
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


def kernel_manager(**kw):
    """A jupyter_client KernelManager whose clients (its own, and papermill's) are :class:`ReadyClient`s."""
    from jupyter_client.manager import KernelManager

    return KernelManager(client_factory=ReadyClient, **kw)
