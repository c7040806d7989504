"""Charts for the briefings, drawn with a Chinese font found among the installed ones.

Each chart function takes a statistics frame (:mod:`tekun_helpers.analysis.stats`) and
returns a :class:`matplotlib.figure.Figure` sized for the width of an A4 page.
Figures are built with the object API, never through pyplot, so nothing here
depends on (or changes) the interactive backend. Each figure is created inside
an ``rc_context`` naming the Chinese font, so the charts draw correctly whether
or not :func:`use_cjk_font` was called.
"""
from __future__ import annotations

import re
from pathlib import Path

import matplotlib
from matplotlib import font_manager, transforms
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..config import outputs
from ..config.policy import Policy
from ..core.exceptions import FontNotFound
from ..core.fmt import percent, thousands

PREFERRED_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
                   "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
WIDTH_IN = 7.5      # A4 width less margins
DPI = 150
ROW_IN = 0.34       # height per bar
#: a chart printed small (half the page's width, or half its height): width and height per bar, in inches
COMPACT = {"townships": (WIDTH_IN, 0.17), "occupancy": (3.7, 0.24), "missing": (3.7, 0.24)}
#: beside a table on the leader's page (a column of about 80 mm): drawn that small, so that its words print at
#: nearly their size (the page-wide chart shrunk into the column printed its labels at 3 pt)
SIDE = {"occupancy": (3.4, 0.15)}
#: drawn for a phone's screen (about 360 CSS px wide, issue 33): as wide as the screen in points, so that the
#: smallest words (LABEL_SIZE) show at 11-12 px there; the A4 chart shrunk to the screen showed them at 5 px.
#: (width, height per bar) in inches; the trend's is (width, height)
PHONE = {"townships": (3.3, 0.3), "occupancy": (3.3, 0.3), "missing": (3.3, 0.3), "trend": (3.3, 3.2)}
COLORS = {"self": "#9db4cf", "semi": "#f0a85c", "full": "#c0392b", "ok": "#4c8c4a", "below": "#d9534f",
          "target": "#333333", "above": "#7aa6d6", "zero": "#555555"}
LABEL_SIZE = 8
#: how much narrower than its figure a trend chart's axes come out (the axis labels and ticks on both sides;
#: 1.4-1.5 in on the A4 chart and the phone's, bundled county)
TREND_MARGIN_IN = 1.4
#: how far under a trend chart's axes its legend starts, in points (under the months' names, which take some 17)
TREND_LEGEND_PT = 18
#: a label's white ground, so that a line drawn across it (a target) does not strike it through
GROUND = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}


# -- fonts --------------------------------------------------------------------------

def _first_preferred() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((fam for fam in PREFERRED_FONTS if fam in names), None)


def _rescan_system_fonts() -> None:
    """Add fonts installed since matplotlib built its cache, and save the cache.

    The font manager is updated in place: the Agg backend holds a reference to
    ``font_manager.fontManager``, so replacing that object would not reach it.
    """
    fm = font_manager.fontManager
    known = {f.fname for f in fm.ttflist}
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            fm.addfont(path)
        except Exception:  # noqa: BLE001 - an unreadable font file is skipped, as matplotlib does
            continue
    try:
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        font_manager.json_dump(fm, cache)
    except Exception:  # noqa: BLE001 - a read-only cache only costs the next process a rescan
        pass


def find_cjk_font() -> str:
    """The family name of the first installed font of :data:`PREFERRED_FONTS`.

    If none is known to matplotlib, the system fonts are scanned once more (fonts
    may have been installed after matplotlib built its cache). Raises
    :class:`~tekun_helpers.core.exceptions.FontNotFound` when there is still none.
    """
    fam = _first_preferred()
    if fam is None:
        _rescan_system_fonts()
        fam = _first_preferred()
    if fam is None:
        raise FontNotFound("没有找到中文字体，图表中的汉字将无法显示。请安装 Debian 软件包 fonts-noto-cjk"
                           "（sudo apt-get install fonts-noto-cjk），或安装以下任一字体："
                           + "、".join(PREFERRED_FONTS) + "。安装后重新运行即可。")
    return fam


def _cjk_rc(fam: str) -> dict:
    return {"font.family": [fam, "sans-serif"],
            "font.sans-serif": [fam, *[f for f in matplotlib.rcParams["font.sans-serif"] if f != fam]],
            "axes.unicode_minus": False}


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese everywhere (global rcParams); returns the font's family name.

    For analysts' own plots in a notebook. The chart functions of this module do
    not need it.
    """
    fam = find_cjk_font()
    matplotlib.rcParams.update(_cjk_rc(fam))
    return fam


# -- helpers ------------------------------------------------------------------------

def _label(table: str, key: str) -> str:
    """A chart's axis or legend label: the output registry's label of that column (one source)."""
    return outputs.table(table).column(key).header(unit=False)


def _figure(rows: int, size: tuple[float, float] | None = None) -> tuple[Figure, object]:
    """A bar chart's figure: ``size`` is (width, height per bar) in inches, by default the page's width."""
    width, row = size or (WIDTH_IN, ROW_IN)
    fig = Figure(figsize=(width, row * max(rows, 1) + (1.4 if row >= ROW_IN else 1.1)), dpi=DPI)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    if row < ROW_IN / 2:          # bars closer than half the usual: the names at the labels' size, one a bar
        ax.tick_params(axis="y", labelsize=LABEL_SIZE)
    return fig, ax


def short_name(name: str, policy: Policy | None = None) -> str:
    """A home's name without the banner's name in front ('敖汉旗新惠中心敬老院' -> '新惠中心敬老院').

    The prefix comes from ``policy.banner``; without a policy the name is kept.
    """
    banner = policy.banner if policy is not None else ""
    if banner and name.startswith(banner) and len(name) > len(banner) + 2:
        return name[len(banner):]
    return name


def _finish(fig: Figure) -> Figure:
    fig.tight_layout()
    return fig


def _break_to_fit(ax, text, first: str, second: str) -> list[str]:
    """Set ``text`` (the axes' title or axis label, centred on it) to ``first + second`` on one line where it is
    no wider than the axes, else on two lines, and a line still wider (a long county word on a phone's narrow
    chart) broken again where it reaches the axes' width (Chinese has no spaces for matplotlib's own wrapping to
    break at; a line wider than the axes would stick out of the figure, or push the axes aside round after round).
    The lines set."""
    lines = _lines(text, first, second, ax.get_window_extent().width)
    text.set_text("\n".join(lines))
    return lines


def _lines(text, first: str, second: str, room: float) -> list[str]:
    """The lines :func:`_break_to_fit` sets ``text`` to where the axes are ``room`` pixels wide."""
    def fits(s: str) -> bool:
        text.set_text(s)
        return text.get_window_extent().width <= room

    if fits(first + second):
        return [first + second]
    lines = []
    for part in (first, second):     # each part in as few lines as fit, the most even of them (no word alone)
        lines += _even_lines(part, fits) if part else []
    return lines


def _even_lines(part: str, fits) -> list[str]:
    """``part`` in as few lines as ``fits`` allows, the longest line as short as can be; '60%' is not broken."""
    from itertools import combinations

    tokens = re.findall(r"[0-9A-Za-z.%]+|.", part)
    for k in range(1, min(len(tokens), 5) + 1):
        splits = []
        for cut in combinations(range(1, len(tokens)), k - 1):
            bounds = (0, *cut, len(tokens))
            splits.append(["".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:])])
        for chunks in sorted(splits, key=lambda c: max(len(x) for x in c)):
            if all(fits(c) for c in chunks):
                return chunks
    return [part]


def _fit_labels(fig: Figure, ax, texts, pad_px: float = 5.0) -> Figure:
    """Lay the figure out, then widen the x-axis until every one of ``texts`` (bar-end labels, aligned left or
    right of their anchor) lies inside the axes: a label drawn beyond the axes' edge runs into the tick labels
    (on the left) or off the figure. The margin a label needs depends on its length and the chart's size, so it
    is measured, not guessed: for a label ``w`` pixels wide anchored at ``x``, the axis from ``lo`` to ``hi``
    drawn ``W`` pixels wide must have (x - lo) / (hi - lo) * W >= w + pad (right-aligned labels), which gives
    the limit directly. The labels are left out of the layout: inside the axes once fitted, they would
    otherwise shrink the axes as they stick out, and so ask for more room each round."""
    for t in texts:
        t.set_in_layout(False)
    fig.tight_layout()
    for _ in range(8):       # the axes' width changes with the layout (tick labels, legend): settle it
        width = ax.get_window_extent().width
        lo, hi = ax.get_xlim()
        new_lo, new_hi = lo, hi
        for t in texts:
            r = (t.get_window_extent().width + pad_px) / width
            if r >= 0.9:     # a label as wide as the chart: it cannot fit by widening
                continue
            x = t.get_position()[0]
            if t.get_horizontalalignment() == "right":
                new_lo = min(new_lo, (x - r * new_hi) / (1 - r))
            else:
                new_hi = max(new_hi, (x - r * new_lo) / (1 - r))
        if (new_lo, new_hi) == (lo, hi):
            break
        ax.set_xlim(new_lo, new_hi)
        fig.tight_layout()
    return fig


def _legend_below(fig: Figure, handles: list, ncol: int) -> Figure:
    """The figure's legend along its bottom edge, under the axis label, and the axes laid out above it: a
    legend inside the axes covers whatever bars reach its corner."""
    legend = fig.legend(handles=handles, loc="lower center", ncol=ncol, frameon=False, fontsize=LABEL_SIZE + 1,
                        borderaxespad=0.3, handlelength=1.2)
    height = legend.get_window_extent().height / fig.bbox.height
    fig.tight_layout(rect=(0, height + 0.01, 1, 1))
    return fig


def _month_labels(months: list[str]) -> list[str]:
    """'2023年8月', '9月', …, '2024年1月', '2月' for the months named ('' for the others): the year at the first
    one named and where it turns."""
    out, year = [], None
    for m in months:
        if not m:
            out.append("")
            continue
        out.append(f"{int(m[5:])}月" if m[:4] == year else f"{int(m[:4])}年{int(m[5:])}月")
        year = m[:4]
    return out


def _overlap(boxes, pad: float = 2.0) -> bool:
    """Whether any two of the side-by-side boxes (left to right) touch, with ``pad`` pixels between."""
    boxes = sorted(boxes, key=lambda e: e.x0)
    return any(a.x1 + pad > b.x0 for a, b in zip(boxes, boxes[1:]))


def _thin_months(fig: Figure, ax, months: list[str], figures: list) -> bool:
    """Name and figure every ``step``-th month (counted back from the last) where all of them side by side
    would run into each other; ``figures`` holds each month's figures in turn (bars' counts, then rates).
    Whether any month was left unnamed."""
    n = len(months)
    for step in range(1, max(n, 1) + 1):
        shown = [(n - 1 - i) % step == 0 for i in range(n)]
        ax.set_xticks(range(n), _month_labels([m if s else "" for m, s in zip(months, shown)]))
        for j, t in enumerate(figures):
            t.set_visible(shown[j % n])
        ticks = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
        rows = [[t.get_window_extent() for j, t in enumerate(figures) if j // n == k and t.get_visible()]
                for k in range(len(figures) // max(n, 1))]
        if not _overlap(ticks, pad=6) and not any(_overlap(r) for r in rows):
            return step > 1
    return True


def _rates_clear_of_counts(counts: list, rates: list) -> None:
    """A month's rate (over its point of the line) that runs into its count (over its bar) goes under its point."""
    for count, rate in zip(counts, rates):
        if count.get_visible() and rate.get_window_extent().overlaps(count.get_window_extent()):
            x, y = rate.get_position()
            rate.set_position((x, y - 4))
            rate.set_verticalalignment("top")


# -- charts -------------------------------------------------------------------------

def township_chart(township_stats_df, *, size: tuple[float, float] | None = None, policy: Policy | None = None
                   ) -> Figure:
    """People in dispersed care per township, stacked 自理及其他 / 半失能 / 全失能, most people on top.

    township_stats_df: :func:`tekun_helpers.analysis.stats.township_stats`. size: see :func:`_figure`
    (e.g. ``COMPACT["townships"]``). policy: its county's words name the townships in the title.
    """
    fam = find_cjk_font()
    df = township_stats_df.sort_values("dispersed", ascending=True, kind="stable")
    with matplotlib.rc_context(_cjk_rc(fam)):
        fig, ax = _figure(len(df), size)
        y = list(range(len(df)))
        able = (df["dispersed"] - df["disabled"]).clip(lower=0)
        ax.barh(y, able, color=COLORS["self"], label="自理及其他")
        ax.barh(y, df["semi_disabled"], left=able, color=COLORS["semi"], label="半失能")
        ax.barh(y, df["fully_disabled"], left=able + df["semi_disabled"], color=COLORS["full"], label="全失能")
        ax.set_yticks(y, list(df["township"]))
        top = float(df["dispersed"].max()) if len(df) else 0.0
        for i, (n, d) in enumerate(zip(df["dispersed"], df["disabled"])):
            text = f"{thousands(n)}" + (f"（失能{thousands(d)}）" if d else "")
            ax.text(n + top * 0.01, i, text, va="center", fontsize=LABEL_SIZE)
        ax.set_xlim(0, top * 1.2 if top else 1)
        ax.set_xlabel("人数")
        title = ax.set_title("")
        ax.legend(loc="lower right", frameon=False)
        fig.tight_layout()
        _break_to_fit(ax, title, outputs.fill("各{towns}分散供养特困人员", policy), "（按自理能力）")
        return _fit_labels(fig, ax, [t for t in ax.texts])


def occupancy_chart(home_stats_df, policy: Policy, *, size: tuple[float, float] | None = None) -> Figure:
    """Occupancy per home in percent against a dashed target line; homes below target in red.

    home_stats_df: :func:`tekun_helpers.analysis.stats.home_stats`; the target comes from ``policy``.
    size: see :func:`_figure`.
    """
    fam = find_cjk_font()
    df = home_stats_df.sort_values("occupancy", ascending=True, kind="stable")
    target = policy.occupancy_target * 100
    with matplotlib.rc_context(_cjk_rc(fam)):
        fig, ax = _figure(len(df), size)
        y = list(range(len(df)))
        colors = [COLORS["ok"] if ok else COLORS["below"] for ok in df["at_target"]]
        ax.barh(y, df["occupancy"] * 100, color=colors)
        ax.set_yticks(y, [short_name(n, policy) for n in df["home"]])
        ax.axvline(target, color=COLORS["target"], linestyle="--", linewidth=1)
        ax.text(target, len(df) - 0.45, f" 目标 {policy.target_percent}", fontsize=LABEL_SIZE, va="bottom")
        for i, occ in enumerate(df["occupancy"]):      # on a white ground: the target's line crosses those near it
            ax.text(occ * 100 + 1, i, percent(occ), va="center", fontsize=LABEL_SIZE, bbox=GROUND)
        right = max(105.0, float(df["occupancy"].max() * 100 + 12) if len(df) else 105.0)
        ax.set_xlim(0, right)
        ax.set_ylim(-0.6, len(df) + 0.2)
        ax.set_xlabel(f"{_label('homes', 'occupancy')}（%）")
        title = ax.set_title("")
        fig.tight_layout()
        _break_to_fit(ax, title, "各敬老院入住率", f"（目标 {policy.target_percent}）")
        # under the axis label: inside the axes it covered the bars once the homes had passed the target
        # (2023-10). The target's dashed line is named where it is drawn (目标 60% above it)
        return _legend_below(fig, [Patch(color=COLORS["ok"], label="已达目标"),
                                   Patch(color=COLORS["below"], label="未达目标")], ncol=2)


def missing_chart(home_stats_df, policy: Policy | None = None, *, size: tuple[float, float] | None = None) -> Figure:
    """Residents each home still needs to reach the target (the signed gap), largest on top.

    Positive bars (red): residents missing; negative bars (blue): residents above
    target. ``policy`` is optional: with it the title names the target and home
    names lose the banner prefix. size: see :func:`_figure`.
    """
    fam = find_cjk_font()
    df = home_stats_df.sort_values("gap", ascending=True, kind="stable")
    target = policy.target_percent if policy is not None else ""
    with matplotlib.rc_context(_cjk_rc(fam)):
        fig, ax = _figure(len(df), size)
        y = list(range(len(df)))
        colors = [COLORS["below"] if g > 0 else COLORS["above"] for g in df["gap"]]
        ax.barh(y, df["gap"], color=colors)
        ax.set_yticks(y, [short_name(n, policy) for n in df["home"]])
        ax.axvline(0, color=COLORS["zero"], linewidth=0.8)
        span = max(1, int(df["gap"].abs().max())) if len(df) else 1
        labels = []
        for i, g in enumerate(df["gap"]):
            g = int(g)
            text = f"差{g}人" if g > 0 else (f"超{-g}人" if g < 0 else "恰好达标")
            labels.append(ax.text(g + (0.015 * span if g >= 0 else -0.015 * span), i, text,
                                  va="center", ha="left" if g >= 0 else "right", fontsize=LABEL_SIZE))
        lo = min(0, int(df["gap"].min())) if len(df) else 0
        hi = max(0, int(df["gap"].max())) if len(df) else 1
        ax.set_xlim(lo - (0.2 * span if lo < 0 else 0), hi + 0.2 * span)
        xlabel = ax.set_xlabel("还应入住人数（负数为已超过目标的人数）")
        title = ax.set_title(f"各敬老院距{target}入住率目标还差的人数")
        if size is None:
            # under the axis: the bars reach into every corner (the largest gaps at the top, homes above target
            # at the bottom, on the left of zero, the smaller gaps at the bottom right). The compact chart has no
            # room for it under its axis label, and needs none: every bar's label says 差 or 超
            ax.legend(handles=[Patch(color=COLORS["below"], label="未达标：还差人数"),
                               Patch(color=COLORS["above"], label="已达标：超出人数")],
                      loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False,
                      fontsize=LABEL_SIZE + 1)
        fig.tight_layout()
        _break_to_fit(ax, title, f"各敬老院距{target}入住率目标", "还差的人数")
        _break_to_fit(ax, xlabel, "还应入住人数", "（负数为已超过目标的人数）")
        return _fit_labels(fig, ax, labels)


def trend_chart(trend_df, policy: Policy, title: str, *, size: tuple[float, float] | None = None) -> Figure:
    """People in dispersed care (bars, left) and occupancy against the target (line, right) over the months.

    trend_df: :func:`tekun_helpers.analysis.trends.banner_trend` or ``township_trend`` (columns month, dispersed, occupancy).
    size: (width, height) in inches, by default the page's width. With more months than their names and figures
    have room for side by side (about 9 on a page, 3 on a phone), every second, third … month is named and
    figured, the last month always.
    """
    fam = find_cjk_font()
    with matplotlib.rc_context(_cjk_rc(fam)):
        fig = Figure(figsize=size or (WIDTH_IN, 3.4), dpi=DPI)
        ax = fig.add_subplot()
        months = list(trend_df["month"])
        x = list(range(len(months)))
        ax.bar(x, trend_df["dispersed"], color=COLORS.get("self", "#9db4cf"), width=0.5, label=_label("townships", "dispersed"))
        figures = [ax.text(i, n, f"{int(n):,}", ha="center", va="bottom", fontsize=LABEL_SIZE)
                   for i, n in zip(x, trend_df["dispersed"])]
        ax.set_ylabel(_label("townships", "dispersed"))
        ax.set_ylim(0, max(1, float(trend_df["dispersed"].max())) * 1.2)
        ax.spines[["top"]].set_visible(False)
        ax2 = ax.twinx()
        occ = trend_df["occupancy"] * 100
        ax2.plot(x, occ, color=COLORS.get("below", "#d9534f"), marker="o", label="敬老院入住率")
        # the labels sit on a white ground: the target's dashed line runs through them otherwise (56.5% of 2023-09)
        figures += [ax2.text(i, v + 2, percent(r), ha="center", va="bottom", fontsize=LABEL_SIZE, bbox=GROUND)
                    for i, v, r in zip(x, occ, trend_df["occupancy"])]
        target = policy.occupancy_target * 100
        ax2.axhline(target, color=COLORS.get("target", "#333333"), linestyle="--", linewidth=1)
        ax2.set_ylim(0, 110)
        ax2.set_ylabel(f"{_label('homes', 'occupancy')}（%）")
        ax2.spines[["top"]].set_visible(False)
        ax.set_xlim(-0.6, len(x) - 0.4 + 0.5)
        # laid out once with every month named and the title broken for the axes' likely width (the figure's less
        # TREND_MARGIN_IN), and again only where the axes' real width breaks it otherwise or months go unnamed:
        # each layout measures every text of both axes (18 townships' trend charts were a third of month 3's batch)
        ax.set_xticks(x, _month_labels(months))
        cut = title.find("（")
        parts = (title[:cut], title[cut:]) if cut > 0 else (title, "")
        heading = ax.set_title("")
        guess = _lines(heading, *parts, fig.bbox.width - TREND_MARGIN_IN * fig.dpi)
        heading.set_text("\n".join(guess))
        # the target's line is named in the legend: written at the line's end it ran into the last month's rate
        handles = [Patch(color=COLORS.get("self", "#9db4cf"), label=_label("townships", "dispersed")),
                   Line2D([0], [0], color=COLORS.get("below", "#d9534f"), marker="o", label="敬老院入住率"),
                   Line2D([0], [0], color=COLORS.get("target", "#333333"), linestyle="--", linewidth=1,
                          label=f"目标 {policy.target_percent}")]
        # under the months: inside the axes it covered the first month's bar; in two rows where one is too wide.
        # Its place is TREND_LEGEND_PT under the axes, however tall they come out: placed at a fraction of their
        # height, it moved with every layout and one layout left the wrong room for it
        below = transforms.offset_copy(ax.transAxes, fig=fig, y=-TREND_LEGEND_PT, units="points")
        for ncol in (3, 2):
            legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=below,
                               ncol=ncol, frameon=False, fontsize=LABEL_SIZE + 1, handlelength=1.6, columnspacing=1.2)
            if legend.get_window_extent().width <= fig.bbox.width * 0.96:
                break
        fig.tight_layout()
        lines = _break_to_fit(ax, heading, *parts)
        if _thin_months(fig, ax, months, figures) | (lines != guess):
            fig.tight_layout()
        _rates_clear_of_counts(figures[:len(x)], figures[len(x):])    # within the axes: no new layout
        return fig


def warm_up() -> None:
    """Draw a small figure with Chinese text once, so the first real chart does not pay for loading the font.

    A batch worker calls it in a kernel prepared in the background (about 1-2 s per process).
    """
    import io

    fam = find_cjk_font()
    with matplotlib.rc_context(_cjk_rc(fam)):
        fig = Figure(figsize=(3, 2), dpi=DPI)
        ax = fig.add_subplot()
        ax.bar([0, 1], [1, 2], label="分散供养人数")
        ax.set_title("入住率（%）")
        ax.set_xlabel("敬老院")
        ax.legend(fontsize=LABEL_SIZE + 1)
        for size in (LABEL_SIZE, LABEL_SIZE + 1, 10, 12):
            ax.text(0, 1, "汉字 0123456789%", fontsize=size)
        fig.savefig(io.BytesIO(), format="png")


def phone_svg(fig, *, salt: str) -> str:
    """A chart as inline SVG whose text stays text (in the chart's own font, else the reader's Chinese sans
    serif), sized by the page's CSS; ``salt`` keeps the ids of its clip paths apart from the other charts'."""
    import io
    import re

    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s(?:xmlns(?::\w+)?|width|height)="[^"]*"', "", svg[:svg.index(">")]) + svg[svg.index(">"):]
    families = ", ".join(f"'{f}'" for f in PREFERRED_FONTS) + ", sans-serif"
    svg = re.sub(r"font-family: [^;\"]*", f"font-family: {families}", svg)
    return svg.strip()


def inspection_chart(rank, policy, *, phone: bool = False) -> Figure:
    """督查评比: the scores of the homes inspected (``rank``: analysis.inspection.ranking's frame) as horizontal bars,
    highest on top; a home with an item not met in red."""
    df = rank[rank["inspected"]].iloc[::-1]
    fam = find_cjk_font()
    width, row = (3.3, 0.3) if phone else (WIDTH_IN, 0.3)
    with matplotlib.rc_context(_cjk_rc(fam)):
        fig = Figure(figsize=(width, row * max(len(df), 1) + 1.4), dpi=DPI)
        ax = fig.add_subplot()
        ax.spines[["top", "right"]].set_visible(False)
        y = list(range(len(df)))
        colors = [COLORS["below"] if n else COLORS["ok"] for n in df["not_met"]]
        ax.barh(y, df["score"].astype(float) * 100, color=colors)
        ax.set_yticks(y, [short_name(h, policy) for h in df["home"]])
        label = outputs.table("inspection_ranking").column("score")
        for i, s in enumerate(df["score"]):
            ax.text(float(s) * 100 + 1, i, label.text(s), va="center", fontsize=LABEL_SIZE)
        ax.set_xlim(0, 112)
        ax.set_ylim(-0.6, len(df) - 0.4)
        ax.set_xlabel(f"{label.header(unit=False)}（%）")
        ax.set_title("各敬老院督查评比得分率")
        fig.tight_layout()
        return _legend_below(fig, [Patch(color=COLORS["ok"], label="全部项目符合或基本符合"),
                                   Patch(color=COLORS["below"], label="有不符合的项目")], ncol=2)
