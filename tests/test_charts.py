"""Charts draw Chinese with an installed CJK font and no missing glyphs."""
from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from tekun_helpers.report import charts

from tekun_helpers import load_policy
from tekun_helpers.analysis import stats
from tekun_helpers.core.exceptions import FontNotFound


def _glyph_warnings(caught) -> list[str]:
    msgs = [str(w.message) for w in caught]
    return [m for m in msgs if "glyph" in m.lower() or "missing from font" in m.lower()]


def _draw(fig: Figure) -> tuple[bytes, list[str]]:
    """Draw and save a figure as PNG; returns the bytes and any missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue(), _glyph_warnings(caught)


def _make(which, seed_month, policy):
    ts = stats.township_stats(seed_month.townships)
    hs = stats.home_stats(seed_month.homes, policy)
    return {"townships": lambda: charts.township_chart(ts),
            "occupancy": lambda: charts.occupancy_chart(hs, policy),
            "missing": lambda: charts.missing_chart(hs, policy),
            "missing_no_policy": lambda: charts.missing_chart(hs)}[which]()


@pytest.fixture
def default_rc():
    """matplotlib's default settings (no Chinese font set globally) for the test's duration."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        yield


def test_a_cjk_font_is_resolved(default_rc):
    fam = charts.use_cjk_font()
    assert fam in charts.PREFERRED_FONTS
    assert matplotlib.rcParams["font.sans-serif"][0] == fam
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_the_glyph_check_catches_a_font_without_chinese(default_rc):
    """The check below is meaningful: Chinese in matplotlib's default font does warn."""
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    fig = Figure()
    fig.add_subplot().set_title("敬老院入住率")
    _, caught = _draw(fig)
    assert caught


@pytest.mark.parametrize("which", ["townships", "occupancy", "missing", "missing_no_policy"])
def test_charts_draw_without_glyph_warnings(seed_month, policy, which, default_rc):
    """Charts bring their own font: they draw Chinese even if use_cjk_font() was never called."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = _make(which, seed_month, policy)
    assert not _glyph_warnings(caught)
    png, glyphs = _draw(fig)
    assert not glyphs, glyphs
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = fig.get_size_inches()
    assert w == pytest.approx(7.5) and 3 < h < 10.5 and fig.dpi == 150
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.get_yticklabels()]
    assert any("镇" in t or "院" in t for t in texts)
    assert ax.get_title()


def test_charts_also_draw_after_use_cjk_font(seed_month, policy, default_rc):
    charts.use_cjk_font()
    _, glyphs = _draw(_make("occupancy", seed_month, policy))
    assert not glyphs


def test_township_chart_sorted_with_totals(seed_month, policy):
    fig = _make("townships", seed_month, policy)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[-1] == "贝子府镇" and names[0] == "新州街道办"     # most people on top
    labels = [t.get_text() for t in ax.texts]
    assert not any(t.startswith("2,700") for t in labels)             # per township, not the banner total
    assert any(t.startswith("325") for t in labels)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["自理及其他", "半失能", "全失能"]


def test_occupancy_chart_target_line_and_colours(seed_month, policy):
    fig = _make("occupancy", seed_month, policy)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert any(f"目标 {policy.target_percent}" in t for t in texts)
    assert "17.1%" in texts and "80.0%" in texts
    line = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert line and line[0].get_xdata()[0] == pytest.approx(policy.occupancy_target * 100)
    colours = {tuple(p.get_facecolor()) for p in ax.patches}
    assert len(colours) == 2                                            # at target / below target
    # the banner's name is stripped from home names, and only because policy names it
    assert not any(t.get_text().startswith(policy.banner) for t in ax.get_yticklabels())


def test_missing_chart_signed_and_sorted(seed_month, policy):
    fig = _make("missing", seed_month, policy)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == sorted(widths) and widths[0] == -12 and widths[-1] == 30
    assert len({tuple(p.get_facecolor()) for p in ax.patches if p.get_width() < 0}
               & {tuple(p.get_facecolor()) for p in ax.patches if p.get_width() > 0}) == 0
    texts = [t.get_text() for t in ax.texts]
    assert "差30人" in texts and "超12人" in texts
    plain = _make("missing_no_policy", seed_month, policy)
    assert any(t.get_text().startswith(policy.banner) for t in plain.axes[0].get_yticklabels())


def test_charts_accept_a_single_row(seed_month, policy):
    hs = stats.home_stats(seed_month.homes.head(1), policy)
    for fig in (charts.occupancy_chart(hs, policy), charts.missing_chart(hs, policy),
                charts.township_chart(stats.township_stats(seed_month.townships.head(1)))):
        png, glyphs = _draw(fig)
        assert png and not glyphs


def test_missing_font_says_what_to_install(monkeypatch):
    monkeypatch.setattr(charts, "PREFERRED_FONTS", ("没有这种字体",))
    monkeypatch.setattr(font_manager, "json_dump", lambda *a, **k: None)
    with pytest.raises(FontNotFound, match="fonts-noto-cjk") as exc:
        charts.find_cjk_font()
    assert "apt-get install fonts-noto-cjk" in str(exc.value)


def test_fonts_installed_after_the_cache_are_found(monkeypatch, default_rc):
    """A font missing from matplotlib's cache is found by a rescan that updates the live font manager."""
    fm = font_manager.fontManager
    fam = charts.find_cjk_font()
    without = [f for f in fm.ttflist if "CJK" not in f.name and f.name not in charts.PREFERRED_FONTS]
    monkeypatch.setattr(fm, "ttflist", without)
    monkeypatch.setattr(font_manager, "json_dump", lambda *a, **k: None)   # leave the real cache alone
    fm._findfont_cached.cache_clear()
    assert charts._first_preferred() is None
    assert charts.find_cjk_font() == fam
    fig = Figure()
    with matplotlib.rc_context({"font.family": [fam]}):
        fig.add_subplot().set_title("敬老院入住率")
    _, glyphs = _draw(fig)
    assert not glyphs


@pytest.mark.parametrize("size", [None, charts.COMPACT["missing"]])
@pytest.mark.parametrize("gaps", ["seed", "all_above", "one_far_above"])
def test_missing_chart_labels_stay_inside_the_axes(seed_month, policy, size, gaps):
    """A bar's label never runs into the home names on the left or off the figure on the right (2023-08's
    compact chart drew 超12人 over 新惠镇敬老院)."""
    hs = stats.home_stats(seed_month.homes, policy)
    if gaps == "all_above":
        hs = hs.assign(gap=-(hs["gap"].abs() + 1))
    elif gaps == "one_far_above":
        hs = hs.assign(gap=hs["gap"].where(hs.index != hs.index[0], -150))
    fig = charts.missing_chart(hs, policy, size=size)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    box = ax.get_window_extent()
    names = [t.get_window_extent() for t in ax.get_yticklabels()]
    for label in ax.texts:
        e = label.get_window_extent()
        assert box.x0 <= e.x0 and e.x1 <= box.x1, label.get_text()
        assert all(e.x0 >= n.x1 or e.y1 <= n.y0 or e.y0 >= n.y1 for n in names), label.get_text()


@pytest.mark.parametrize("township", [None, "贝子府镇"])
def test_trend_chart_keeps_its_legend_off_the_bars_and_its_labels_off_the_target_line(township):
    """2023-10's trend: the legend had covered the first month's bar, and the target's dashed line ran through
    目标 60% and through 56.5%."""
    from tekun_helpers.report import Briefing

    fig = Briefing("2023-10", township=township).chart("trend")
    fig.draw_without_rendering()
    ax, ax2 = fig.axes
    legend = ax.get_legend().get_window_extent()
    for bar in ax.patches:
        assert not legend.overlaps(bar.get_window_extent())
    # the target's line is named in the legend (written at its end, it ran into the last month's rate)
    assert f"目标 {load_policy().target_percent}" in [t.get_text() for t in ax.get_legend().get_texts()]
    rates = list(ax2.texts)
    assert rates and all(t.get_bbox_patch() is not None for t in rates)     # on a white ground over the line


def _trend(n: int, size=None):
    """The trend chart of ``n`` synthetic months from 2023-08 (people falling, occupancy rising past 60%)."""
    import pandas as pd

    months = pd.period_range("2023-08", periods=n, freq="M").strftime("%Y-%m")
    df = pd.DataFrame({"month": months, "dispersed": [2700 - 9 * i for i in range(n)],
                       "occupancy": [0.45 + 0.01 * i for i in range(n)]})
    fig = charts.trend_chart(df, load_policy(), "全旗分散供养人数与敬老院入住率（逐月）", size=size)
    fig.draw_without_rendering()
    return fig


def _apart(boxes, pad: float = 0.0) -> bool:
    boxes = sorted(boxes, key=lambda e: e.x0)
    return all(a.x1 + pad <= b.x0 for a, b in zip(boxes, boxes[1:]))


@pytest.mark.parametrize("size", [None, charts.PHONE["trend"]])
@pytest.mark.parametrize("n", [3, 9, 12, 24])
def test_trend_chart_months_and_figures_stay_apart_over_two_years(n, size):
    """From about 9 months the month names ran into each other ('2023年8月2023年9月…'); the chart names and
    figures every k-th month, the last always, the year where the named months start and where it turns."""
    fig = _trend(n, size)
    ax, ax2 = fig.axes
    named = [t for t in ax.get_xticklabels() if t.get_text()]
    assert len(named) >= min(n, 3) and ax.get_xticklabels()[-1].get_text()            # the last month named
    assert _apart([t.get_window_extent() for t in named], pad=1)
    assert "年" in named[0].get_text()                                              # the year at the start
    if n == 24:
        assert any(t.get_text().startswith("2024年") for t in named)
        assert any(t.get_text().startswith("2025年") for t in named)
    for texts in (ax.texts, ax2.texts):                 # the counts over the bars, the rates over the line
        shown = [t.get_window_extent() for t in texts if t.get_visible()]
        assert len(shown) == len(named) and _apart(shown)
    box = fig.bbox
    for t in [*named, ax.title, *ax.get_legend().get_texts()]:       # nothing off the figure
        e = t.get_window_extent()
        assert box.x0 <= e.x0 and e.x1 <= box.x1 + 1, t.get_text()


@pytest.mark.parametrize("size", [None, charts.COMPACT["occupancy"], charts.SIDE["occupancy"],
                                  charts.PHONE["occupancy"]])
@pytest.mark.parametrize("rates", ["seed", "all_above", "all_full"])
def test_occupancy_legend_covers_no_bar(seed_month, policy, size, rates):
    """2023-10: with the homes past the target the bars reached the legend in the lower right corner and it
    covered them (on the page and on paper): the legend stands under the axis, clear of every bar and label."""
    hs = stats.home_stats(seed_month.homes, policy)
    if rates == "all_above":
        hs = hs.assign(occupancy=0.62 + 0.02 * (hs.index % 10), at_target=True)
    elif rates == "all_full":
        hs = hs.assign(occupancy=1.0, at_target=True)
    fig = charts.occupancy_chart(hs, policy, size=size)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    (legend,) = [*fig.legends, *([ax.get_legend()] if ax.get_legend() else [])]
    box = legend.get_window_extent()
    drawn = [p.get_window_extent() for p in ax.patches] + [t.get_window_extent() for t in
                                                           (*ax.texts, *ax.get_xticklabels(), ax.xaxis.label)]
    assert len(ax.patches) == len(hs)
    assert not any(box.overlaps(e) for e in drawn)
    assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and box.y0 >= fig.bbox.y0


@pytest.mark.parametrize("which", ["townships", "occupancy", "missing", "trend"])
def test_phone_charts_keep_their_words_inside(which):
    """Drawn for a phone (charts.PHONE, 3.3 in wide): a long title breaks into lines, and no word leaves the
    figure (the title 各乡镇苏木街道分散供养特困人员 had run off its right edge)."""
    from tekun_helpers.report import Briefing

    fig = Briefing("2023-10").chart(which, phone=True)
    fig.draw_without_rendering()
    assert fig.get_figwidth() == pytest.approx(charts.PHONE[which][0])
    box = fig.bbox
    ticks = {id(t) for ax in fig.axes for t in (*ax.get_xticklabels(), *ax.get_yticklabels())}
    inside = [t for ax in fig.axes for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim()))
              for tick in axis.get_major_ticks() if min(lo, hi) <= tick.get_loc() <= max(lo, hi)
              for t in (tick.label1, tick.label2) if t.get_visible()]      # the tick labels drawn
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible() and bool(a.get_text()))
             if id(t) not in ticks] + [t for t in inside if t.get_text()]
    assert len(texts) > 10
    for t in texts:
        e = t.get_window_extent()
        assert box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1, (which, t.get_text())


@pytest.mark.parametrize("size", ["full", "compact", "side"])
def test_occupancy_chart_names_do_not_run_into_each_other(size):
    """The leader's page draws the chart small beside its table (Briefing.chart(side=True)): drawn page-wide
    and shrunk, its words had printed at about 3 pt; drawn small, the home names must still fit one a bar."""
    from tekun_helpers.report import Briefing

    fig = Briefing("2023-08").chart("occupancy", compact=size == "compact", side=size == "side")
    fig.draw_without_rendering()
    names = sorted((t.get_window_extent() for t in fig.axes[0].get_yticklabels()), key=lambda e: e.y0)
    assert len(names) == 14
    assert all(a.y1 <= b.y0 for a, b in zip(names, names[1:]))
    if size == "side":
        assert fig.get_figwidth() <= charts.SIDE["occupancy"][0]


@pytest.mark.parametrize("phone", [False, True])
@pytest.mark.parametrize("scale, name", [(1, "新惠镇"), (1000, "敖润苏莫苏木"), (1, "某某某某某某某某苏木乡镇街道")])
def test_trend_chart_laid_out_once_is_as_laid_out_again(phone, scale, name):
    """trend_chart lays its figure out once where the title's lines come out as guessed from the figure's width
    (charts.TREND_MARGIN_IN): the title must still fit the axes and sit above them, and a second layout must
    leave the axes where they are, whatever the county's numbers (ten thousands widen the ticks) and words."""
    from tekun_helpers.report import Briefing

    b = Briefing("2023-10", township="新惠镇")
    trend = b.trend()
    trend["dispersed"] = trend["dispersed"] * scale
    fig = charts.trend_chart(trend, b.policy, f"{name}分散供养人数与敬老院入住率（逐月）",
                             size=charts.PHONE["trend"] if phone else None)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    title, axes = ax.title.get_window_extent(), ax.get_window_extent()
    assert title.width <= axes.width + 1 and axes.y1 - 1 <= title.y0 and title.y1 <= fig.bbox.y1 + 1
    before = [x for a in fig.axes for x in a.get_position().bounds]
    fig.tight_layout()
    after = [x for a in fig.axes for x in a.get_position().bounds]
    assert before == pytest.approx(after, abs=0.01)
