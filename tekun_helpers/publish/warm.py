"""What a batch worker does once when it starts, and before every report.

A worker imports the report modules and loads the CJK font (:func:`warm_up`) while the batch is
still reading the months. Before each report the names the last report defined are removed from
the kernel's namespace (:func:`clear_namespace`; imported modules stay) and the months the batch has
read are put into the process's cache (:data:`tekun_helpers.core.cache.CACHE`) from the batch's pickle
(``seed``, :func:`write_seed`; :func:`prepare`), so that a worker does not read the same files again: the
report's month and the months before it are then found there (a month not in the pickle is read from its
files). The pickle also holds what the month's briefings share (the cache's ``facts``), computed once by
the batch for the banner and its townships, not again by every worker and the Excel export.
The kernel runs in the worker's process (:mod:`tekun_helpers.publish.kernel`), so these are plain calls.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from ..core.cache import CACHE


def warm_up() -> None:
    """Import what every briefing uses, load the font, compile the HTML template and the notebook schema: the
    part of a worker's start that needs no month. Once per process: a worker forked from a batch that
    warmed up before forking (``tekun batch --force``, while the month's files are read) finds it done."""
    if CACHE.warm:
        return
    from ..analysis import trends  # noqa: F401
    from ..report import charts, show  # noqa: F401  (imported once, kept between reports)
    from . import render

    charts.warm_up()
    render.warm_up()
    CACHE.warm = True


def clear_namespace() -> None:
    """Remove every name the kernel's user defined (what ``%reset -f`` does for a report), keeping the
    imported modules and IPython's own names. Unlike ``%reset -f`` it does not collect garbage twice
    and flush the histories: that took a third of a second a report (0.28 of 0.40 s, 2023-08).
    Nothing to do where no IPython shell has been made in this process."""
    from IPython import get_ipython

    ip = get_ipython()
    if ip is None:
        return
    hidden = ip.user_ns_hidden
    for name in [n for n in ip.user_ns if n not in hidden]:
        del ip.user_ns[name]
    ip.history_manager.output_hist.clear()      # Out[n]: what earlier cells returned


def write_seed(path: Path, without=frozenset()) -> None:
    """Write the months this process has read (as the reports need them: :meth:`MonthData.for_reports
    <tekun_helpers.month.MonthData.for_reports>`) and their briefings' shared results to ``path`` (a pickle,
    written whole or not at all) for the batch's workers on this machine (:func:`prepare`). ``without``: the
    months and traces (:meth:`ProcessCache.kept_keys <tekun_helpers.core.cache.ProcessCache.kept_keys>`) the
    workers have already, forked after they were read: read from the pickle again they were only thrown away
    (:meth:`ProcessCache.take` keeps what it has), and left a worker of a county ten times the bundled one
    holding some 30 MB more."""
    tmp = path.with_name(path.name + ".tmp")
    snapshot = CACHE.snapshot()
    snapshot["months"] = {key: month.for_reports() for key, month in snapshot["months"].items() if key not in without}
    snapshot["traces"] = {key: trace for key, trace in snapshot["traces"].items() if key not in without}
    with open(tmp, "wb") as f:
        pickle.dump(snapshot, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def prepare(seed: str | None = None, *, clear: bool = False) -> None:
    """Before a report: with ``clear``, remove what the last report defined (:func:`clear_namespace`); take the
    months of ``seed`` (:func:`write_seed`) and their shared results into this process, once per process.
    The report's month is then read from the cache by the worker (``check_month_data``) and by the
    notebook's ``Briefing``, as the months before it, and the briefing finds what the month's briefings share."""
    if clear:
        clear_namespace()
    if seed and seed not in CACHE.seeds:
        with open(seed, "rb") as f:
            CACHE.take(pickle.load(f))
        CACHE.seeds.add(seed)
