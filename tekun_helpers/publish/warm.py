"""What a batch worker runs in a kernel before the report that will use it.

A fresh kernel imports the report modules and loads the CJK font; a reused one has its
namespace cleared first (``%reset -f`` keeps imported modules). Either way the month and
the months before it are read into the process's :data:`tekun_helpers.month.MONTHS`
cache, so the report's own ``Briefing(month)`` finds them read. The worker sends one
call, :func:`kernel_code`, instead of building code strings of its own.
"""
from __future__ import annotations


def prepare(month: str, data_dir: str | None, *, fresh: bool) -> None:
    """Import, warm and read: everything a briefing of ``month`` needs, before it runs."""
    from ..analysis import trends
    from ..month import load_month
    from ..report import charts, show  # noqa: F401  (imported once, kept by %reset)

    if fresh:
        charts.warm_up()
    load_month(month, data_dir, cache=True)
    trends.history(month, data_dir)


def kernel_code(month: str, data_dir: str | None, *, fresh: bool) -> str:
    """The code a worker executes in a kernel: clear a reused namespace, then :func:`prepare`."""
    reset = "" if fresh else "get_ipython().run_line_magic('reset', '-f')\n"
    return (f"{reset}from tekun_helpers.publish.warm import prepare as _tekun_prepare\n"
            f"_tekun_prepare({month!r}, {data_dir!r}, fresh={fresh!r})\n"
            "del _tekun_prepare\n")
