"""The batch's kernel client: ready once the kernel answered and IOPub is connected, without waiting for silence."""
from __future__ import annotations

from queue import Empty

import pytest

from tekun_helpers.publish.kernel import ReadyClient, kernel_manager


class Scripted(ReadyClient):
    """A ReadyClient talking to a scripted kernel: each kernel_info request gets the replies of ``script``."""

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


def test_the_workers_kernel_manager_makes_ready_clients():
    assert isinstance(kernel_manager(kernel_name="python3").client(), ReadyClient)


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
