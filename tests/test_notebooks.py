"""The notebooks are the source: what the old generator guaranteed is checked on the files themselves."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest

from builders import ROOT
from tekun_helpers.publish.notebooks import (
    NOTEBOOK_METADATA,
    convention_problems,
    pre_save_hook,
    source_fingerprint,
    strip,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORT_PARAMETERS = {
    "monthly_briefing.ipynb": {"month", "data_dir", "internal", "draft"},
    "township_briefing.ipynb": {"month", "data_dir", "internal", "township", "draft"},
}


def test_the_project_has_its_notebooks_and_no_generator():
    names = {p.name for p in NOTEBOOKS}
    assert set(REPORT_PARAMETERS) <= names and "explore.ipynb" in names
    assert not (ROOT / "scripts" / "make_notebooks.py").exists()
    for script in (ROOT / "scripts").glob("*.py"):
        assert ".ipynb" not in script.read_text(encoding="utf-8"), f"{script} writes notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_keeps_the_conventions(path):
    assert convention_problems(path) == []
    nbformat.validate(nbformat.read(path, as_version=4))
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert strip(raw) == raw                                  # a save through the project's JupyterLab changes nothing


@pytest.mark.parametrize("name", sorted(REPORT_PARAMETERS))
def test_report_notebooks_declare_the_parameters_the_batch_injects(name):
    import papermill

    declared = set(papermill.inspect_notebook(str(ROOT / "notebooks" / name)))
    assert declared == REPORT_PARAMETERS[name]


def good_notebook() -> dict:
    nb = nbformat.v4.new_notebook()
    nb.metadata = copy.deepcopy(NOTEBOOK_METADATA)
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 说明", id="intro", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell('month = "2023-08"', id="params", metadata={"tags": ["parameters", "remove-cell"]}),
        nbformat.v4.new_code_cell("print(month)", id="body"),
    ]
    return json.loads(nbformat.writes(nb))


def test_a_good_notebook_has_no_problems():
    assert convention_problems(good_notebook()) == []


def _broken(change) -> list[str]:
    nb = good_notebook()
    change(nb)
    return convention_problems(nb)


@pytest.mark.parametrize("change, expected", [
    (lambda nb: nb["cells"][1]["metadata"].update(tags=["remove-cell"]), "没有带 parameters 标签"),
    (lambda nb: nb["cells"][1]["metadata"].update(tags=["parameters"]), "参数单元格（第 2 格）应带 remove-cell"),
    (lambda nb: nb["cells"][0]["metadata"].update(tags=[]), "说明单元格（第 1 格）应带 remove-cell"),
    (lambda nb: nb["cells"].insert(1, nbformat.v4.new_code_cell("x = 1", id="early")), "应是第一个代码单元格"),
    (lambda nb: nb["cells"][2]["metadata"].update(tags=["parameters"]), "有 2 个带 parameters 标签"),
    (lambda nb: nb["cells"][2].update(id="params"), "单元格 id 重复：params"),
    (lambda nb: nb["cells"][2].update(id="a b"), "id 'a b' 无效"),
    (lambda nb: nb["cells"][2].update(outputs=[nbformat.v4.new_output("stream", text="x")]), "第 3 格保存了输出"),
    (lambda nb: nb["cells"][2].update(execution_count=4), "第 3 格保存了执行编号 4"),
    (lambda nb: nb["cells"][2]["metadata"].update(scrolled=True), "第 3 格有多余的元数据：scrolled"),
    (lambda nb: nb["metadata"]["kernelspec"].update(display_name="Python 3 (ipykernel)"), "notebook 元数据应为"),
])
def test_each_broken_convention_is_named(change, expected):
    problems = _broken(change)
    assert any(expected in p for p in problems), problems


def jupyterlab_save(nb: dict) -> dict:
    """What JupyterLab writes after Run All and save: outputs, counts, rewritten metadata, UI state."""
    out = copy.deepcopy(nb)
    out["metadata"] = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                       "language_info": {"name": "python", "version": "3.11.7", "mimetype": "text/x-python",
                                         "codemirror_mode": {"name": "ipython", "version": 3}}}
    for n, cell in enumerate(out["cells"]):
        if cell["cell_type"] == "code":
            cell["execution_count"] = n
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["张*明 152300********1234\n"]}]
            cell["metadata"].update(scrolled=True, execution={"iopub.status.busy": "2023-09-01T08:00:00"})
        cell["metadata"]["jupyter"] = {"source_hidden": False}
    return out


def test_strip_undoes_a_jupyterlab_save_and_keeps_ids_sources_and_tags():
    nb = good_notebook()
    saved = jupyterlab_save(nb)
    assert convention_problems(saved)
    assert strip(saved) == nb
    assert strip(strip(saved)) == strip(saved)


def test_the_fingerprint_ignores_a_save_and_sees_a_real_change():
    nb = good_notebook()
    fp = source_fingerprint(nb)
    assert source_fingerprint(jupyterlab_save(nb)) == fp
    reformatted = json.loads(json.dumps(nb, indent=4))
    for cell in reformatted["cells"]:
        cell["source"] = "".join(cell["source"])       # a source as one string, not a list of lines
        cell["id"] = cell["id"] + "-new"
    assert source_fingerprint(reformatted) == fp
    edited = copy.deepcopy(nb)
    edited["cells"][2]["source"] += "\nprint('新增一节')"
    retagged = copy.deepcopy(nb)
    retagged["cells"][2]["metadata"]["tags"] = ["remove-cell"]
    retyped = copy.deepcopy(nb)
    retyped["cells"][0]["cell_type"] = "raw"
    assert len({fp, source_fingerprint(edited), source_fingerprint(retagged), source_fingerprint(retyped)}) == 4


def test_pre_save_hook_strips_notebooks_but_not_executed_reports(tmp_path, monkeypatch):
    monkeypatch.setenv("TEKUN_OUTPUT_DIR", str(tmp_path / "outputs"))

    class Manager:
        root_dir = str(tmp_path)

    saved = jupyterlab_save(good_notebook())
    model = {"type": "notebook", "content": copy.deepcopy(saved)}
    pre_save_hook(model=model, path="notebooks/mine.ipynb", contents_manager=Manager())
    assert model["content"] == good_notebook()
    kept = {"type": "notebook", "content": copy.deepcopy(saved)}
    pre_save_hook(model=kept, path="outputs/2023-08/notebooks/x.ipynb", contents_manager=Manager())
    assert kept["content"] == saved
    text = {"type": "file", "format": "text", "content": "x"}
    pre_save_hook(model=text, path="notes.txt", contents_manager=Manager())
    assert text["content"] == "x"


def test_a_save_without_a_real_change_re_renders_nothing(tmp_path):
    """The batch keys a report on the notebook's cells, not its bytes: Run All + save in JupyterLab skips."""
    import os
    import shutil
    import subprocess
    import sys

    nbdir = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbdir)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    (data / "2023-08").mkdir()
    for f in (ROOT / "data" / "2023-08").glob("附件[12]*.xlsx"):
        shutil.copy2(f, data / "2023-08" / f.name)
    env = {**os.environ, "TEKUN_NOTEBOOK_DIR": str(nbdir)}

    def batch():
        r = subprocess.run([sys.executable, "-m", "tekun_helpers.cli", "batch", "--months", "2023-08", "--scope", "banner",
                            "--format", "html", "--data-dir", str(data), "--out", str(tmp_path / "out"), "--no-progress"],
                           capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        return r.stdout

    source = nbdir / "monthly_briefing.ipynb"
    assert "生成 1 份" in batch()
    executed = tmp_path / "out" / "2023-08" / "notebooks" / "敖汉旗_2023-08_月度简报.ipynb"
    recorded = nbformat.read(executed, as_version=4).metadata["tekun"]["notebook"]
    assert recorded == {"file": source.name, "sha256": source_fingerprint(source)}

    nb = json.loads(source.read_text(encoding="utf-8"))
    source.write_text(json.dumps(jupyterlab_save(nb), ensure_ascii=True, indent=2), encoding="utf-8")
    assert "生成 0 份" in (second := batch()) and "跳过未变化的 1 份" in second

    summary = next(c for c in nb["cells"] if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## 一、摘要"))
    summary["source"] = "## 一、摘要（本月）"
    source.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    assert "生成 1 份" in batch()
    assert "摘要（本月）" in (tmp_path / "out" / "2023-08" / "敖汉旗_2023-08_月度简报.html").read_text(encoding="utf-8")


def test_a_mistyped_township_is_one_chinese_line_with_the_closest_name(tmp_path):
    """In the notebook (JupyterLab or papermill) the error is the message alone, not a traceback."""
    from tekun_helpers.core.exceptions import ParameterError, RenderError
    from tekun_helpers.publish import render
    from tekun_helpers.report import Briefing

    with pytest.raises(ParameterError, match="“贝子府”不是已知的乡镇苏木街道，是否为“贝子府镇”？") as exc:
        Briefing("2023-08", township="贝子府")
    assert exc.value._render_traceback_() == ["参数错误：township = “贝子府”不是已知的乡镇苏木街道，是否为“贝子府镇”？"]

    with pytest.raises(RenderError) as failed:
        render.execute_notebook(ROOT / "notebooks" / "township_briefing.ipynb", tmp_path / "t.ipynb",
                                {"month": "2023-08", "township": "贝子府"})
    assert "是否为“贝子府镇”" in str(failed.value)
    kept = nbformat.read(tmp_path / "t.failed.ipynb", as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].traceback == [
        "参数错误：township = “贝子府”不是已知的乡镇苏木街道，是否为“贝子府镇”？"]


@pytest.mark.parametrize("name", ["monthly_briefing.ipynb", "township_briefing.ipynb"])
def test_every_section_the_prose_points_to_is_a_heading_of_the_notebook(name):
    # sentences say 见“方法与数据来源”一节 from report.sections: each title must be one of the notebook's sections
    import re

    from tekun_helpers.report import sections

    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    titles = {m.group(1) for c in nb.cells if c.cell_type == "markdown"
              for m in re.finditer(r"^## [一二三四五六七八九十]+、(\S+)", c.source, re.M)}
    # the banner's 排查评估（附件3） names its attachment after the title
    assert all(any(t.split("（")[0] == title for t in titles) for title in sections.TITLES), titles
