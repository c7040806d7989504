"""``jupyter nbconvert --to tekun``: the batch's HTML report from a notebook executed by hand.

Registered in pyproject.toml (entry point group ``nbconvert.exporters``, name
``tekun``). The by-hand path::

    papermill notebooks/monthly_briefing.ipynb o.ipynb -p month 2023-09
    jupyter nbconvert --to tekun o.ipynb          # o.html, as `tekun report` makes it

The report's facts (title, month, data fingerprint, sample and internal marks)
come from the executed notebook's parameters: the defaults in its cell tagged
``parameters``, overridden by what papermill injected. The month named there
is read (and cached) to get its fingerprint and whether it is sample data.
"""
from __future__ import annotations

import ast
import logging
from typing import Any, Mapping

from ..month import load_month
from . import render
from .notebooks import PARAMETERS_TAG, tags

log = logging.getLogger(__name__)


def _literal_assignments(source: str) -> dict[str, Any]:
    """``name = literal`` statements of a parameters cell; anything else is left out."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return out


def executed_parameters(nb: Mapping) -> dict[str, Any]:
    """The parameters an executed notebook ran with: its parameters cell's defaults, then papermill's values."""
    params: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        if PARAMETERS_TAG in tags(cell):
            src = cell.get("source", "")
            params.update(_literal_assignments("".join(src) if isinstance(src, list) else src))
            break
    params.update(nb.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {})
    return params


def report_facts(nb: Mapping, generated_at=None) -> dict | None:
    """``resources["tekun"]`` for an executed report notebook, or None when it names no month."""
    from .reports import ReportJob

    p = executed_parameters(nb)
    month = p.get("month")
    if not isinstance(month, str):
        return None
    data = load_month(month, p.get("data_dir"), cache=True, lean=True)
    township = p.get("township") if isinstance(p.get("township"), str) else None
    job = ReportJob(month, township, bool(p.get("internal")))
    return render.report_resources(title=job.title(data.policy.banner), month=month, fingerprint=data.fingerprint,
                                   generated_at=generated_at, sample=data.sample_kinds() or data.is_sample,
                                   internal=job.internal)


class TekunExporter(render.ReportExporter):
    """The report exporter for the nbconvert command line: the facts come from the notebook itself."""

    export_from_notebook = "tekun 报告 HTML"

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        if "tekun" not in resources:
            facts = report_facts(nb)
            if facts is None:
                log.warning("笔记本没有 month 参数：报告不带页脚的数据指纹和示例数据标记。")
            else:
                resources["tekun"] = facts
                nb.metadata["title"] = f"{facts['title']} {facts['month']}"
        return super().from_notebook_node(nb, resources=resources, **kw)


__all__ = ["TekunExporter", "executed_parameters", "report_facts"]
