"""policy.toml as typed objects: every figure, date and quoted sentence of a report follows it."""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil

import pytest

from conftest import ROOT, pdf_text
from tekun_helpers import PolicyError, load_month, load_policy
from tekun_helpers.analysis import stats
from tekun_helpers.publish.reports import render_month

POLICY = ROOT / "data" / "reference" / "policy.toml"


def _policy_with(tmp_path, *replacements) -> object:
    text = POLICY.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    shutil.copy(POLICY.parent / "county.toml", tmp_path)   # the county's words, read beside it
    return path


def test_every_section_is_typed(policy):
    assert policy.occupancy.percent == "60%" and policy.occupancy.deadline == dt.date(2023, 10, 31)
    assert policy.occupancy.deadline_label == "10月31日"
    assert [d.key for d in policy.duties] == ["supervision_group", "evaluation_scheme", "assessment", "agreement",
                                              "occupancy"]
    assert policy.duty("assessment").due_label == "9月1日至9月30日"
    assert policy.duty("supervision_group").due_label == "9月15日前"
    # the occupancy duty has no wording of its own: one source, [occupancy]
    assert policy.duty("occupancy").due == policy.occupancy.deadline
    assert policy.duty("occupancy").source == policy.occupancy.source
    assert policy.funds.allocation_day == 10 and policy.funds.forbidden_categories[0] == "工作经费"
    assert policy.training.min_hours_per_year == 48
    assert policy.staffing.max_residents_per_care_worker is None
    assert set(policy.rules) == {"transfer", "placement", "escalate", "alert"}
    assert policy.rules["transfer"].priority_order[0] == "失能"
    assert {b.stops for b in policy.benefits.values()} == {"benefit", "tekun"}
    assert policy.feedback.resubmit_within_days >= 1


@pytest.mark.parametrize("old,new,where", [
    ("allocation_day = 10", 'allocation_day = "十日"', "[funds] allocation_day"),
    ("allocation_day = 10", "allocation_day = 40", "[funds] allocation_day"),
    ("target = 0.60", "target = 60", "[occupancy] target"),
    ('rounding = "up"', 'rounding = "ceil"', "[occupancy] rounding"),
    ("deadline = 2023-10-31", 'deadline = "10月底"', "[occupancy] deadline"),
    ("min_hours_per_year = 48", "min_hours_per_year = 48.5", "[training] min_hours_per_year"),
    ('stops = "tekun"', 'stops = "both"', "[benefits.orphan] stops"),
    ("due = 2023-09-15", "due = 15", "[schedule.supervision_group] due"),
    ('requires = "transfer"', 'requires = "move"', "[rules.placement] requires"),
])
def test_a_wrong_setting_is_a_chinese_error_naming_its_key(tmp_path, old, new, where):
    path = _policy_with(tmp_path, (old, new))
    with pytest.raises(PolicyError) as e:
        load_policy(path)
    assert where in str(e.value) and str(path) in str(e.value)
    assert re.search("[\u4e00-\u9fff]", str(e.value))


def test_a_missing_section_is_named(tmp_path):
    text = POLICY.read_text(encoding="utf-8")
    start = text.index("[funds]")
    path = tmp_path / "policy.toml"
    path.write_text(text[:start] + text[text.index("# ---", start):], encoding="utf-8")
    shutil.copy(POLICY.parent / "county.toml", tmp_path)
    with pytest.raises(PolicyError, match=r"缺少 \[funds\] 段"):
        load_policy(path)


# -- a different target and deadline, end to end ------------------------------------------------

SEVENTY = (
    ("target = 0.60", "target = 0.70"),
    ("deadline = 2023-10-31", "deadline = 2023-12-31"),
    ('source = "力争到2023年10月底，各敬老院入住率达到60%以上（随上级政策变化适时调整）。"',
     'source = "力争到2023年12月底，各敬老院入住率达到70%以上（随上级政策变化适时调整）。"'),
)


@pytest.fixture(scope="module")
def seventy(tmp_path_factory):
    """2023-08's tables with a policy of 70% by 2023-12-31; the banner briefing rendered (HTML and PDF)."""
    tmp = tmp_path_factory.mktemp("seventy")
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "2023-08", data / "2023-08")
    (data / "reference" / "policy.toml").write_text(
        _policy_with(tmp, *SEVENTY).read_text(encoding="utf-8"), encoding="utf-8")
    results = render_month("2023-08", data, tmp / "out", scope="banner", formats=("html", "pdf"))
    return data, results[0]


def _visible(text: str, fingerprints) -> str:
    for f in fingerprints:
        text = text.replace(f, "")
    return text


def test_the_figures_follow_the_policy(seventy):
    data, _ = seventy
    m = load_month("2023-08", data)
    h = stats.home_totals(stats.home_stats(m.homes, m.policy))
    assert (h["needed"], h["missing_below_target"], h["net_gap"]) == (515, 181, 174)


def test_the_briefing_says_70_percent_and_12_31_and_never_the_old_figures(seventy):
    data, result = seventy
    m = load_month("2023-08", data)
    prints = [m.fingerprint] + [s.sha256[:12] for s in m.sources]
    page = re.sub(r"<style.*?</style>|<script.*?</script>", " ", result.files["html"].read_text(encoding="utf-8"),
                  flags=re.S)
    page = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for name, text in (("HTML", _visible(page, prints)), ("PDF", _visible(pdf_text(result.files["pdf"]), prints))):
        flat = text.replace(",", "").replace(" ", "")
        for want in ("515", "181", "174", "70%", "12月31日"):
            assert want in flat, (name, want)
        for old in ("441", "117", "10月31日", "10月底"):
            assert not re.search(rf"(?<!\d){old}(?!\d)", flat), (name, old, flat[max(0, flat.find(old) - 80):
                                                                               flat.find(old) + 80])
