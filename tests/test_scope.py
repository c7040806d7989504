"""A briefing's scope is data: a township's briefing shows the warnings that concern it, judged by
what each warning points at (its row's township or home, the form's 填报单位), not by its words."""
from __future__ import annotations

from builders import SEED_HOMES, home_rows, home_sheet, make_month
from tekun_helpers import load_month
from tekun_helpers.report import Briefing

CENTRAL = "敖汉旗新惠中心敬老院"       # in 新惠镇; serves 黄羊洼镇 and the other townships without a home


def test_a_warning_about_the_home_that_serves_a_township_reaches_its_briefing(tmp_path):
    rows = home_rows()
    i = [h[0] for h in SEED_HOMES].index(CENTRAL)
    rows[i][4] = 14            # stated 60%应住人数 disagrees with the policy: a warning on the central home's row
    data = make_month(tmp_path, homes=home_sheet(rows))
    m = load_month("2023-08", data)
    warning = next(w for w in m.warnings if w.row == i + 4 and "60%应住人数" in (w.column or ""))
    assert "黄羊洼镇" not in warning.message                  # the words do not name the township it concerns
    served = Briefing("2023-08", data=m, township="黄羊洼镇")
    assert "黄羊洼镇" in served.concerns(warning) and "新惠镇" in served.concerns(warning)
    assert warning.message in served.quality_notes()
    other = Briefing("2023-08", data=m, township="丰收乡")    # served by its own home
    assert warning.message not in other.quality_notes()
    assert warning.message in Briefing("2023-08", data=m).quality_notes()
