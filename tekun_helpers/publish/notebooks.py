"""The report notebooks as source files: what they must look like, how a save keeps them so, what they hash to.

The notebooks in ``notebooks/`` are edited by hand (in JupyterLab) and kept
under version control without outputs. Three things follow from that:

* :func:`convention_problems` lists where a notebook breaks the conventions the
  report engine relies on (the tests run it on every notebook in the project).
* :func:`strip` returns a notebook with outputs, execution counts and volatile
  metadata removed; :func:`pre_save_hook` applies it to every save through the
  project's JupyterLab (``bash run.sh lab``, configured in ``jupyter/``).
* :func:`source_fingerprint` hashes only what changes a report (cell types,
  sources and tags), so a save that changed nothing else re-renders nothing.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Mapping

PARAMETERS_TAG = "parameters"
REMOVE_TAG = "remove-cell"
INJECTED_TAG = "injected-parameters"

#: the notebook-level metadata a source notebook keeps, with the values it keeps (JupyterLab rewrites both)
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}
NOTEBOOK_METADATA = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
#: the cell-level metadata a source notebook keeps
CELL_METADATA = ("tags",)
CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")   # nbformat 4.5


def read(nb_or_path) -> dict:
    """A notebook as a plain dict: ``nb_or_path`` is a path or an already read notebook.

    Raises ValueError when the file is not JSON.
    """
    if isinstance(nb_or_path, (str, os.PathLike)):
        return json.loads(Path(nb_or_path).read_text(encoding="utf-8"))
    return nb_or_path


_read = read


def heading(nb_or_path) -> str | None:
    """The text of the first ``# heading`` in a markdown cell that reaches the report (not remove-cell)."""
    for cell in read(nb_or_path).get("cells", []):
        if cell.get("cell_type") != "markdown" or REMOVE_TAG in tags(cell):
            continue
        for line in _source(cell).splitlines():
            if line.startswith("# "):
                return line[2:].strip() or None
    return None


def _source(cell: Mapping) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell: Mapping) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def strip(nb: Mapping[str, Any]) -> dict:
    """A copy of ``nb`` as it is kept under version control.

    Code cells lose their outputs and execution counts; every cell keeps only
    its tags (no ``collapsed``, ``scrolled``, ``execution``, ``jupyter`` ...);
    the notebook keeps only a fixed kernelspec and language name. Cell ids,
    sources, attachments and tags are kept as they are.
    """
    out = copy.deepcopy(dict(nb))
    out["metadata"] = copy.deepcopy(NOTEBOOK_METADATA)
    for cell in out.get("cells", []):
        meta = cell.get("metadata", {})
        cell["metadata"] = {k: meta[k] for k in CELL_METADATA if meta.get(k)}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return out


def _in_folder(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def pre_save_hook(model: dict, path: str, contents_manager=None, **kwargs) -> None:
    """Jupyter server ``ContentsManager.pre_save_hook``: strip a notebook before it is written.

    Notebooks under the output folder (executed reports, kept with their
    outputs on purpose) are written as they are.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), Mapping):
        return
    from ..core.paths import output_dir

    root = Path(getattr(contents_manager, "root_dir", "") or ".")
    if _in_folder(root / path.lstrip("/"), output_dir()):
        return
    model["content"] = strip(model["content"])


def source_fingerprint(nb_or_path) -> str:
    """sha256 of what a notebook's report depends on: each cell's type, source and tags, in order.

    Outputs, execution counts, metadata, cell ids and the file's formatting are
    left out: opening, running and saving a notebook does not change it.
    """
    nb = _read(nb_or_path)
    cells = [[c.get("cell_type"), _source(c), sorted(tags(c))] for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()


def convention_problems(nb_or_path) -> list[str]:
    """Where a source notebook breaks the report engine's conventions, in Chinese; empty when it keeps them.

    The parameters cell is the first code cell, tagged ``parameters`` and
    ``remove-cell``, and the only one tagged ``parameters``; the cells before it
    are instructions for the analyst, tagged ``remove-cell``; every cell has a
    unique valid id; no code cell has outputs or an execution count; only the
    metadata :func:`strip` keeps is there.
    """
    nb = _read(nb_or_path)
    cells = nb.get("cells", [])
    problems: list[str] = []
    if nb.get("nbformat") != 4 or nb.get("nbformat_minor", 0) < 5:
        problems.append(f"notebook 格式应为 4.5 或更新（带单元格 id），实为 {nb.get('nbformat')}.{nb.get('nbformat_minor')}")
    code = [i for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    param = [i for i, c in enumerate(cells) if PARAMETERS_TAG in tags(c)]
    if not param:
        problems.append("没有带 parameters 标签的参数单元格")
    elif len(param) > 1:
        problems.append(f"有 {len(param)} 个带 parameters 标签的单元格（第 {'、'.join(str(i + 1) for i in param)} 格），应只有一个")
    if param and code and param[0] != code[0]:
        problems.append(f"参数单元格（第 {param[0] + 1} 格）应是第一个代码单元格（第 {code[0] + 1} 格）")
    for i in param[:1]:
        if REMOVE_TAG not in tags(cells[i]):
            problems.append(f"参数单元格（第 {i + 1} 格）应带 remove-cell 标签，不出现在报告中")
        for j in range(i):
            if REMOVE_TAG not in tags(cells[j]):
                problems.append(f"参数单元格之前的说明单元格（第 {j + 1} 格）应带 remove-cell 标签")
    ids = [c.get("id") for c in cells]
    for i, cid in enumerate(ids):
        if not isinstance(cid, str) or not CELL_ID.match(cid):
            problems.append(f"第 {i + 1} 格的 id {cid!r} 无效（应为 1—64 个字母、数字、- 或 _）")
    dup = sorted({x for x in ids if isinstance(x, str) and ids.count(x) > 1})
    if dup:
        problems.append(f"单元格 id 重复：{'、'.join(dup)}")
    for i, c in enumerate(cells):
        if c.get("cell_type") == "code":
            if c.get("outputs"):
                problems.append(f"第 {i + 1} 格保存了输出（notebook 应不带输出保存）")
            if c.get("execution_count") is not None:
                problems.append(f"第 {i + 1} 格保存了执行编号 {c.get('execution_count')}")
        extra = sorted(set(c.get("metadata", {})) - set(CELL_METADATA))
        if extra:
            problems.append(f"第 {i + 1} 格有多余的元数据：{'、'.join(extra)}")
    if nb.get("metadata") != NOTEBOOK_METADATA:
        problems.append(f"notebook 元数据应为 {json.dumps(NOTEBOOK_METADATA, ensure_ascii=False)}，"
                        f"实为 {json.dumps(nb.get('metadata'), ensure_ascii=False)}")
    return problems


__all__ = ["read", "heading", "strip", "pre_save_hook", "source_fingerprint", "convention_problems", "tags",
           "PARAMETERS_TAG", "REMOVE_TAG", "INJECTED_TAG", "NOTEBOOK_METADATA"]
