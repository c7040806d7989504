"""The batch worker's kernel and its client: ready once the kernel answered and IOPub brought that request's
idle status, without waiting for silence."""
from __future__ import annotations

from queue import Empty

import pytest

from builders import run_in_kernel
from tekun_helpers.publish.kernel import WorkerClient, worker_kernel


class Scripted(WorkerClient):
    """A WorkerClient talking to a scripted kernel: each kernel_info request gets the replies of ``script``."""

    def __init__(self, script):
        super().__init__()
        self.script = list(script)       # per request: (shell reply?, [its statuses, or other iopub messages])
        self.shell, self.iopub, self.asked, self.handled = [], [], [], []

    def kernel_info(self):
        n = len(self.asked)
        msg_id = f"info-{n}"
        self.asked.append(msg_id)
        replied, iopub = self.script[n]
        if replied:
            self.shell.append({"msg_type": "kernel_info_reply", "parent_header": {"msg_id": msg_id}, "content": {}})
        self.iopub += [m if isinstance(m, dict) else {"msg_type": "status", "parent_header": {"msg_id": msg_id},
                                                      "content": {"execution_state": m}} for m in iopub]
        return msg_id

    def get_shell_msg(self, timeout=None):
        if not self.shell:
            raise Empty
        return self.shell.pop(0)

    def get_iopub_msg(self, timeout=None):
        if not self.iopub:
            raise Empty
        return self.iopub.pop(0)

    def is_alive(self):
        return True

    def _handle_kernel_info_reply(self, msg):
        self.handled.append(msg["parent_header"]["msg_id"])


def test_ready_when_the_reply_and_its_idle_status_came():
    c = Scripted([(True, ["busy", "idle", {"msg_type": "stream", "parent_header": {"msg_id": "later"}, "content": {}}])])
    c.wait_for_ready(timeout=5)
    assert c.asked == ["info-0"] and c.handled == ["info-0"]
    assert [m["parent_header"]["msg_id"] for m in c.iopub] == ["later"]     # nothing read past the idle status


def test_asks_again_while_iopub_is_not_connected():
    """A reply on the shell channel but nothing on IOPub (its subscription not joined yet): ask again."""
    c = Scripted([(True, []), (True, ["busy", "idle"])])
    c.wait_for_ready(timeout=5)
    assert c.asked == ["info-0", "info-1"] and c.handled == ["info-1"]


def test_connected_without_an_idle_status_is_ready_after_silence():
    c = Scripted([(True, ["busy"])])
    c.wait_for_ready(timeout=5)
    assert c.handled == ["info-0"]


def test_no_answer_within_the_timeout_is_an_error():
    c = Scripted([(False, [])] * 10)
    with pytest.raises(RuntimeError):
        c.wait_for_ready(timeout=0)


def test_the_workers_kernel_runs_code_in_this_process_and_forgets_its_clients():
    """papermill's calls work on the in-process kernel; each client leaves the kernel's front ends when it stops
    (else every later message would be queued for every report's client)."""
    import os

    km = worker_kernel()
    try:
        seen = []
        for _ in range(2):
            kc = km.client()
            assert isinstance(kc, WorkerClient)
            kc.start_channels()
            kc.wait_for_ready(timeout=10)
            seen.append(run_in_kernel(kc, "import os\nprint(os.getpid())"))
            kc.stop_channels()
            assert kc not in km.kernel.frontends
        assert "".join(seen).split() == [str(os.getpid())] * 2
        assert km.kernel.frontends == []
    finally:
        km.shutdown_kernel(now=True)
    assert not km.is_alive()


def test_the_batch_imports_jsonschema_without_building_the_iri_grammar():
    """tekun_helpers.publish imports jsonschema (for nbformat) with rfc3987_syntax blocked, so a batch process
    does not build its grammar; rfc3987_syntax stays importable afterwards and jsonschema validates."""
    import subprocess
    import sys

    code = ("import sys, tekun_helpers.publish.batch, jsonschema\n"
            "print('rfc3987_syntax' in sys.modules, sys.modules.get('rfc3987_syntax', 0) is None)\n"
            "print(jsonschema.Draft7Validator({'type': 'object'}).is_valid({}))\n"
            "import importlib.util; print(importlib.util.find_spec('rfc3987_syntax') is not None)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "True", "True"], out


def test_a_notebook_run_in_the_workers_kernel_keeps_its_printed_output_and_errors(tmp_path):
    """What a cell prints or raises is in the executed notebook, as with a kernel of its own process, and
    the process's Ctrl-C handler is still its own afterwards (the kernel may not swap it for its own)."""
    import signal

    import nbformat

    from tekun_helpers.core.exceptions import RenderError
    from tekun_helpers.publish.render import execute_notebook

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import sys\nprint('甲')\nprint('乙', file=sys.stderr)"),
                nbformat.v4.new_code_cell("sys.stderr.write('丙')\n1 + 1"),
                nbformat.v4.new_code_cell("import signal\nprint(signal.getsignal(signal.SIGINT).__name__)")]
    source = tmp_path / "a.ipynb"
    nbformat.write(nb, source)

    def mine(signum, frame):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGINT, mine)
    km = worker_kernel()
    try:
        done = nbformat.read(execute_notebook(source, tmp_path / "out.ipynb", {}, km=km), 4)
        assert signal.getsignal(signal.SIGINT) is mine
        outputs = [[(o["output_type"], o.get("name"), o.get("text") or o.get("data", {}).get("text/plain"))
                    for o in c.get("outputs", [])] for c in done.cells if c.cell_type == "code"]
        assert outputs[0] == [("stream", "stdout", "甲\n"), ("stream", "stderr", "乙\n")]
        assert outputs[1] == [("stream", "stderr", "丙"), ("execute_result", None, "2")]
        assert outputs[2] == [("stream", "stdout", "mine\n")]

        nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
        nbformat.write(nb, source)
        with pytest.raises(RenderError, match="ZeroDivisionError"):
            execute_notebook(source, tmp_path / "out.ipynb", {}, km=km)
        failed = nbformat.read(tmp_path / "out.failed.ipynb", 4)      # kept for the analyst, with the error
        assert [o["ename"] for c in failed.cells for o in c.get("outputs", []) if o["output_type"] == "error"] \
            == ["ZeroDivisionError"]
        nb.cells.pop()                # the kernel runs the next report as before
        nbformat.write(nb, source)
        done = nbformat.read(execute_notebook(source, tmp_path / "c.ipynb", {}, km=km), 4)
        assert done.cells[0].outputs[0]["text"] == "甲\n"
    finally:
        km.shutdown_kernel()
        signal.signal(signal.SIGINT, before)
