"""Filled sample 附件3 forms (示例数据): a month's forms from its own 附件1, as the bundled 2023-08 has them.

The plan's 附件3 is a blank template: no township has sent a filled form yet. :func:`generate_sample`
makes up plausible people for every township (:func:`tekun_helpers.sample.people.generate_people`) so
that the assessment statistics, rules and reports can be developed and shown: each township gets
exactly its 附件1 分散供养人数 people, of whom exactly its 全失能 and 半失能 numbers are 失能 and 半失能,
and the forms carry the banner's three added columns (:mod:`tekun_helpers.sample.identities`).
Every file is marked as sample data (document keywords ``tekun-sample`` and a red 示例数据 cell).

:func:`write_assessment_samples` is what ``tekun sample --kind 附件3`` runs: the month story's forms
for its months (:mod:`tekun_helpers.sample.story`), :func:`generate_sample` otherwise.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

from ..config.policy import load_policy
from ..core.exceptions import ValidationFailed
from ..core.months import check_month, previous_month
from ..core.paths import data_dir as _data_dir
from ..forms.assessment import form_filename, write_assessment_form
from ..month import load_month
from .identities import plan_identities
from .official import write_official_tables
from .start import START_SEED, first_month, month_folders, write_first_month
from .people import CARE_SCALE_HEADER, CARE_SCALE_NOTE, generate_people, pastoral
from .story import (
    STORY_SEED,
    plan_month_story,
    story_identities,
    story_months,
    write_story_changes,
    write_story_forms,
)

ASSESSMENT_SEED = 20230801


def generate_sample(month: str, data_dir: str | os.PathLike | None = None, seed: int = ASSESSMENT_SEED,
                    out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write a filled, fictitious 附件3 form for every township of the month's 附件1.

    The forms carry the banner's three added columns too (身份证号, 是否患有精神疾病, 是否新申请), made up
    by :func:`plan_identities` with no earlier month (a handful of new applicants).

    month:    'YYYY-MM'; the month's 附件1 (data/<month>/) gives each township's counts.
    data_dir: the data folder (default: the project's data/).
    seed:     the random seed; the same seed and month give the same files, byte for byte.
    out_dir:  where to write (default: data/<month>/附件3/).
    Returns the files written, '附件3 排查评估表 <township> <month>.xlsx', in 附件1 order.
    Raises ValidationFailed (Chinese message) when the month's 附件1 has errors.
    """
    m = load_month(month, data_dir)
    out = Path(out_dir) if out_dir is not None else m.folder / "附件3"
    # only 附件1 matters here: errors in 附件2 or in earlier 附件3 forms (about to be replaced) do not count
    sheets = {(t.file, t.sheet) for t in m.tables if t.table.key == "townships"}
    errors = [i for i in m.errors if (i.file, i.sheet) in sheets]
    if not sheets:
        errors = [i for i in m.errors if not i.file] or errors
        reason = f"{month} 的数据文件夹中没有找到附件1（分散供养人员分乡镇统计表）"
    else:
        reason = f"{month} 的附件1有错误"
    counts = m.townships[["dispersed", "fully_disabled", "semi_disabled"]]
    if errors or not sheets or m.townships.empty or counts.isna().any().any():
        lines = "\n".join(f"- {i.message}" for i in errors[:10])
        raise ValidationFailed(f"{reason}，无法按其人数生成示例数据，请先改正：\n{lines}".rstrip("：\n"), m.issues)

    rng = random.Random(f"tekun-sample/{seed}/{month}")
    used: set[str] = set()
    # nursing-home heads are real people named in the reference data: never reuse their names
    used.update(h.head for h in m.reference.homes if h.head)
    towns = list(m.townships.itertuples(index=False))
    note_scale = set(rng.sample(range(len(towns)), len(towns) // 2))
    people: dict[str, list[dict]] = {}
    herding = pastoral(m.reference.township_names)
    for k, t in enumerate(towns):
        scale = CARE_SCALE_NOTE if k in note_scale else CARE_SCALE_HEADER
        people[t.township] = generate_people(t.township, int(t.dispersed), int(t.fully_disabled),
                                             int(t.semi_disabled), rng, used=used, care_scale=scale,
                                             herding_county=herding)
    # the banner's three added columns, made up on top of the people (their own random sources)
    ids = plan_identities(month, people, m.policy)
    written = []
    for town, plist in people.items():
        path = out / form_filename(town, month)
        written.append(write_assessment_form(path, town, month, ids.rows(town, plist), sample=True, policy=m.policy))
    return written


def write_assessment_samples(month: str, data_dir: str | os.PathLike | None = None, seed: int | None = None, *,
                             out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the month's sample 附件3 forms, as the bundled data has them (``tekun sample --kind 附件3``).

    A month of the month story (any month after the data folder's first month,
    :func:`tekun_helpers.sample.start.first_month`: 2023-09 … 2024-07 after the bundled 2023-08, when
    the first month has its forms) gets the story's forms (seed default 20230901) and, when ``out_dir`` is
    not given, the story's 附件1 and 附件2 in the month folder too (forms and counts belong together), with the
    story's 分散供养特困人员减少情况表 (who left the forms since the month before, and why); any other month gets
    :func:`generate_sample`'s forms from its own 附件1 (seed default 20230801). The first month of a county
    with only its reference data (no 附件1 or 附件2 in the folder, ``out_dir`` not given) first gets a
    made-up 附件1 and 附件2 for its townships and homes (:func:`tekun_helpers.sample.start.write_first_month`).
    Forms go to ``out_dir`` (default data/<month>/附件3/).
    Returns the files written (附件1, 附件2 and the 减少情况表 first when written).
    """
    check_month(month)
    base = _data_dir(data_dir)
    start = first_month(base, month)
    if month in story_months(start, month) and load_month(start, base).has_assessments:
        story = plan_month_story(base, STORY_SEED if seed is None else seed, base_month=start, until=month)
        policy = load_policy(data_dir=base)
        all_ids = story_identities(story, base, base_month=start, policy=policy)
        ids, previous = all_ids[month], all_ids[previous_month(month)]
        sm = story[month]
        files = []
        if out_dir is None:
            _keep_real_tables(month, base)
            files += write_official_tables(month, sm.townships, sm.homes, base / month, sample=True, policy=policy)
            files.append(write_story_changes(sm, previous, base / month, policy))
        folder = Path(out_dir) if out_dir is not None else base / month / "附件3"
        return files + write_story_forms(sm, ids, folder, policy)
    files = []
    if out_dir is None and month == start and not [f for f in month_folders(base) if f != month]:
        m = load_month(month, base)
        if m.townships.empty and m.homes.empty:      # a county with only its reference data: a first month
            files += write_first_month(month, base, START_SEED if seed is None else seed)
    return files + generate_sample(month, base, ASSESSMENT_SEED if seed is None else seed, out_dir)


def _keep_real_tables(month: str, base: Path) -> None:
    """ValidationFailed when the month folder holds a 附件1 or 附件2 that is not sample data: the month story
    rewrites those two tables, and a county's real tables are never overwritten."""
    m = load_month(month, base)
    sample = {s.name: s.sample for s in m.sources}
    real = sorted({t.file for t in m.tables if t.table.key in ("townships", "homes") and not sample.get(t.file, True)})
    if real:
        raise ValidationFailed(f"{month} 的文件夹中已有真实数据（不是示例数据）：{'、'.join(real)}。示例月度故事会重写该月的"
                               f"附件1、附件2，为免覆盖真实数据已停止；示例评估表可用 --out 另存到其他文件夹。", m.issues)
