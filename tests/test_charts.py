"""Charts draw Chinese with an installed CJK font and no missing glyphs."""
from __future__ import annotations

import io
import warnings

import pytest

from tekun_helpers import charts, stats
from tekun_helpers.exceptions import FontNotFound


def test_a_cjk_font_is_resolved():
    fam = charts.use_cjk_font()
    assert fam in charts.PREFERRED_FONTS


@pytest.mark.parametrize("which", ["townships", "occupancy", "missing"])
def test_charts_draw_without_glyph_warnings(seed_month, policy, which):
    charts.use_cjk_font()
    ts = stats.township_stats(seed_month.townships)
    hs = stats.home_stats(seed_month.homes, policy)
    fig = {"townships": lambda: charts.township_chart(ts), "occupancy": lambda: charts.occupancy_chart(hs, policy),
           "missing": lambda: charts.missing_chart(hs, policy)}[which]()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    assert not [w for w in caught if "glyph" in str(w.message).lower() or "missing from" in str(w.message).lower()]
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    texts = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("镇" in t or "院" in t for t in texts)


def test_missing_font_says_what_to_install(monkeypatch):
    monkeypatch.setattr(charts, "PREFERRED_FONTS", ("没有这种字体",))
    monkeypatch.setattr(charts.font_manager, "FontManager", lambda: charts.font_manager.fontManager)
    with pytest.raises(FontNotFound, match="fonts-noto-cjk"):
        charts.find_cjk_font()
