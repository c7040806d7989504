"""`bash run.sh lab`: JupyterLab in the project, and what it saves has no outputs.

A real server on 127.0.0.1 with a free port, a token and a temporary root folder; it is stopped at the end.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import nbformat
import pytest

from builders import ROOT
from tekun_helpers.publish.notebooks import convention_problems

TOKEN = "tekun-test-token"
START_TIMEOUT_S = 180     # a bound on waiting, not an assertion about speed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url: str, method: str = "GET", body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    (root / "outputs").mkdir()
    port = free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(root / ".runtime"), "TEKUN_OUTPUT_DIR": str(root / "outputs")}
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(["bash", str(ROOT / "run.sh"), "lab", "--no-browser", "--port", str(port),
                             f"--ServerApp.token={TOKEN}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={root}"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                request(f"{base}/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(root / 'lab.log').read_text()[-3000:]}")
                time.sleep(1)
        yield base, root
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def run_all_notebook() -> dict:
    """A notebook as JupyterLab sends it after Run All: outputs, counts, its own metadata."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python", "version": "3.11.7"}}
    nb.cells = [
        nbformat.v4.new_code_cell('month = "2023-08"', id="params", metadata={"tags": ["parameters", "remove-cell"]},
                                  execution_count=1),
        nbformat.v4.new_code_cell("print('张*明')", id="body", execution_count=2, metadata={"scrolled": True},
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="张*明\n")]),
    ]
    return json.loads(nbformat.writes(nb))


def test_run_sh_lab_serves_jupyterlab(lab):
    base, _ = lab
    status, page = request(f"{base}/lab")
    assert status == 200 and b"JupyterLab" in page


def test_a_notebook_saved_with_outputs_lands_on_disk_without_them(lab):
    base, root = lab
    status, _ = request(f"{base}/api/contents/notebooks/mine.ipynb", "PUT",
                        {"type": "notebook", "format": "json", "content": run_all_notebook()})
    assert status in (200, 201)
    on_disk = json.loads((root / "notebooks" / "mine.ipynb").read_text(encoding="utf-8"))
    assert convention_problems(on_disk) == []
    assert "张*明\\n" not in json.dumps(on_disk, ensure_ascii=False)
    assert ["".join(c["source"]) for c in on_disk["cells"]] == ['month = "2023-08"', "print('张*明')"]
    assert [c["metadata"] for c in on_disk["cells"]] == [{"tags": ["parameters", "remove-cell"]}, {}]


def test_an_executed_report_under_outputs_is_saved_as_it_is(lab):
    base, root = lab
    request(f"{base}/api/contents/outputs/report.ipynb", "PUT",
            {"type": "notebook", "format": "json", "content": run_all_notebook()})
    on_disk = json.loads((root / "outputs" / "report.ipynb").read_text(encoding="utf-8"))
    assert on_disk["cells"][1]["outputs"]


def test_the_interface_is_in_simplified_chinese(lab, browser):
    """The language pack is the default: the menu bar shows 文件 and 运行, and 运行 holds 运行所有单元格 (the
    README's and the notebooks' words)."""
    base, root = lab
    request(f"{base}/api/contents/notebooks/zh.ipynb", "PUT",
            {"type": "notebook", "format": "json", "content": run_all_notebook()})
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(f"{base}/lab/tree/notebooks/zh.ipynb?token={TOKEN}", timeout=START_TIMEOUT_S * 1000)
        bar = page.locator("#jp-MainMenu")
        bar.get_by_text("运行", exact=True).wait_for(timeout=START_TIMEOUT_S * 1000)
        titles = [t.strip() for t in bar.locator(".lm-MenuBar-itemLabel").all_inner_texts()]
        assert "文件" in titles and "运行" in titles and "File" not in titles, titles
        page.locator(".jp-Notebook").first.wait_for(timeout=START_TIMEOUT_S * 1000)
        bar.get_by_text("运行", exact=True).click()
        item = page.locator(".lm-Menu-itemLabel", has_text="运行所有单元格")
        item.first.wait_for(timeout=30_000)
        page.screenshot(path=str(root / "menu.png"))
        shot = os.environ.get("TEKUN_LAB_SCREENSHOT")      # where to keep the picture, to look at it
        if shot:
            page.screenshot(path=shot)
    finally:
        page.close()
