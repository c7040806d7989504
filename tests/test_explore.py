"""notebooks/explore.ipynb runs top to bottom with its defaults and answers its worked questions."""
from __future__ import annotations

import json

import pytest

from builders import ROOT
from tekun_helpers import load_month
from tekun_helpers.config.schema import TABLES
from tekun_helpers.report.explore import column_guide, month_tables


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    import papermill

    out = tmp_path_factory.mktemp("explore") / "explore.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "explore.ipynb"), str(out), cwd=str(ROOT / "notebooks"),
                               progress_bar=False, kernel_name="python3")
    return json.loads(out.read_text(encoding="utf-8"))


def _outputs(nb: dict, cell_id: str) -> str:
    cell = next(c for c in nb["cells"] if c.get("id") == cell_id)
    parts = []
    for o in cell["outputs"]:
        parts.append("".join(o.get("text", "")))
        parts += ["".join(v) if isinstance(v, list) else str(v) for v in o.get("data", {}).values()]
    return "\n".join(parts)


def test_every_cell_ran_without_error(executed):
    code = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code)
    assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"]


def test_the_columns_are_explained_from_the_schema(executed):
    text = _outputs(executed, "explore-columns-assessments")
    for f in TABLES["assessments"].fields:
        if f.kind != "seq":
            assert f.label in text, f.label
    assert "较好 &lt; 一般 &lt; 较差 &lt; 差" in text        # the merged 护理情况 order, in the HTML table
    assert "附件1 分散供养人员分乡镇统计表" in _outputs(executed, "explore-tables")


def test_the_worked_answers_match_pandas_on_the_month(executed):
    people = load_month("2023-08").assessments
    alone = people[people["guardian_name"].fillna("").astype(str).str.strip() == ""]
    assert f"中独自生活 {len(alone)} 人" in _outputs(executed, "explore-alone")
    top = alone.groupby("village").size().sort_values(ascending=False).index[0]
    assert top in _outputs(executed, "explore-alone")
    assert "年龄段" in _outputs(executed, "explore-ages") and "90岁及以上" in _outputs(executed, "explore-ages")
    assert "image/png" in json.dumps(next(c for c in executed["cells"] if c.get("id") == "explore-chart")["outputs"])


def test_people_are_shown_masked(executed):
    people = load_month("2023-08").assessments
    text = "\n".join(_outputs(executed, c["id"]) for c in executed["cells"] if c["cell_type"] == "code")
    shown = [n for n in people["name"].head(20) if len(n) >= 2 and n in text]
    assert not shown
    assert "*" in _outputs(executed, "explore-people")


def test_column_guide_covers_every_column_of_every_frame(seed_month):
    assert list(month_tables(seed_month)["属性"]) == [f"m.{k}" for k in TABLES]
    for key in TABLES:
        frame = getattr(seed_month, key)
        guide = column_guide(frame, key)
        assert list(guide["列"]) == list(frame.columns)
        assert (guide["原表列名"] != "").any() or frame.empty
        assert (guide["说明"].where(guide["原表列名"] == "", "x") != "").all(), key
