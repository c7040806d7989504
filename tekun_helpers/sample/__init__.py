"""The sample generator (示例数据): made-up but plausible data for trying the workbook out.

Everything made here is fictitious (names, villages, identity numbers of the unreal region 990000)
and every file is marked as sample data (document keywords ``tekun-sample`` and a red 示例数据 cell),
which the reader and the reports show. The bundled 2023-08 has the plan's real 附件1 and 附件2; all
the rest of data/ is made here, the same seed always giving the same bytes.

The modules, one job each:

- :mod:`~tekun_helpers.sample.people`: names and made-up people in dispersed care, with the
  answers of the 附件3 form (a few made to meet each of the plan's rules).
- :mod:`~tekun_helpers.sample.rows`: load_month's frames back as the generators' plain dicts.
- :mod:`~tekun_helpers.sample.identities`: the banner's three added columns of the forms
  (身份证号, 是否患有精神疾病, 是否新申请), with a few deliberately wrong or missing numbers.
- :mod:`~tekun_helpers.sample.assessments`: a month's filled 附件3 forms from its own 附件1 (the
  bundled 2023-08's), and ``tekun sample --kind 附件3``.
- :mod:`~tekun_helpers.sample.official`: 附件1 and 附件2 in the official layout.
- :mod:`~tekun_helpers.sample.start`: a county's first month made up from its reference data alone
  (附件1 and 附件2 for its own townships and homes), and where a data folder's months begin.
- :mod:`~tekun_helpers.sample.story`: the month story, 2023-09 to 2024-07 in the bundled data: transfers
  into the homes, new applicants, deaths, people leaving support, one refusing to move, care improving,
  occupancy rising toward the target and, after the deadline, one home still below it; each month's
  分散供养特困人员减少情况表 says who left and why (its terms in :mod:`~tekun_helpers.sample.story_terms`, its
  steps in :mod:`~tekun_helpers.sample.story_steps`, its files in :mod:`~tekun_helpers.sample.story_files`).
- :mod:`~tekun_helpers.sample.visits`: the forms' 评估日期 (each person's latest assessment), so that people
  come due for the periodic re-assessment within the bundled year.
- :mod:`~tekun_helpers.sample.schedule`: the schedule ledgers (乡镇工作进度台账, 敬老院工作人员台账).
- :mod:`~tekun_helpers.sample.benefits`: the benefit rosters (资金与政策衔接), with people of the
  forms on them: matched by number, by name only, and a namesake that must not match.
- :mod:`~tekun_helpers.sample.funds`: the support-money ledger and its spending (one home short,
  one late, one not paid; a forbidden spending category or two).
- :mod:`~tekun_helpers.sample.inspections`: the bureau's filled inspection checklists, one per home
  (a second month re-inspects: most items not met are put right, some are not yet).
- :mod:`~tekun_helpers.sample.complaints`: the bureau's complaints and media register over the bundled year
  (cases closed and published, one closed late, one still open past its deadline; ``tekun sample --kind 举报``).

Every public name of these modules that callers use is re-exported here.
"""
from .assessments import (  # noqa: F401
    ASSESSMENT_SEED,
    generate_sample,
    write_assessment_samples,
)
from .benefits import (  # noqa: F401
    BENEFIT_SEED,
    BENEFIT_STORY,
    RosterMonth,
    plan_benefit_rosters,
    write_benefit_samples,
)
from .funds import (  # noqa: F401
    FUNDS_SEED,
    FUNDS_STORY,
    FundsMonth,
    plan_funds,
    write_funds_samples,
)
from .identities import (  # noqa: F401
    IDENTITY_SEED,
    ID_STORY,
    IdentityMonth,
    PersonKey,
    person_key,
    plan_identities,
)
from .inspections import (  # noqa: F401
    INSPECTION_SEED,
    INSPECTION_STORY,
    plan_inspections,
    write_inspection_samples,
)
from .official import (  # noqa: F401
    official_filenames,
    write_official_tables,
)
from .people import (  # noqa: F401
    CARE_BAD,
    CARE_FAIR,
    CARE_GOOD,
    CARE_POOR,
    CARE_SCALE_HEADER,
    CARE_SCALE_NOTE,
    FAMOUS,
    FEMALE,
    FULL,
    MALE,
    RATES,
    SELF,
    SEMI,
    SURNAMES,
    generate_people,
    make_name,
    overall_result,
    pastoral,
)
from .schedule import (  # noqa: F401
    SCHEDULE_SEED,
    SCHEDULE_STORY,
    ScheduleMonth,
    plan_schedule_story,
    schedule_filenames,
    write_schedule_samples,
)
from .start import (  # noqa: F401
    START,
    START_SEED,
    first_month,
    month_folders,
    plan_first_month,
    write_first_month,
)
from .story import (  # noqa: F401
    FIRST_MONTHS,
    LATER,
    REFUSAL_NOTE,
    STORY,
    STORY_SEED,
    StoryFiles,
    StoryMonth,
    StoryPlan,
    change_rows,
    generate_month_story,
    plan_month_story,
    story_identities,
    story_months,
)
