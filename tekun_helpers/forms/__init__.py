"""Blank forms and official-layout workbooks: what the townships and homes fill in, and the sample files.

The modules, one job each:

- :mod:`~tekun_helpers.forms.layout`: the official look every workbook shares: the month on a form,
  title, month line, header, note rows and page footer, A4 landscape, data validations (drop-downs,
  numbers, dates, amounts, identity-number length), the generic ledger sheet, document properties, and
  :func:`save_reproducible` (atomic; the same content gives the same bytes).
- :mod:`~tekun_helpers.forms.assessment`: the 附件3 assessment form (<county>分散供养特困人员排查评估表)
  in the official layout with the banner's three added columns, and the month's blank forms.
- :mod:`~tekun_helpers.forms.schedule`: the plan's schedule ledgers, 乡镇工作进度台账 and
  敬老院工作人员台账 (with 护理型床位与入住构成), their notes quoting policy.toml.
- :mod:`~tekun_helpers.forms.compliance`: 资金与政策衔接: the benefit rosters (one per benefit of
  policy.toml ``[benefits]``) and the 特困人员供养资金拨付台账 with its spending detail.
- :mod:`~tekun_helpers.forms.changes`: the 分散供养特困人员减少情况表 (who left dispersed care, and why).
- :mod:`~tekun_helpers.forms.official`: 附件1 and 附件2 in the official layout, blank for the county's own
  townships and homes (the sample generator fills the same layout).

Every public name of these modules that callers use is re-exported here.
"""
from ..core.months import check_month, month_end  # noqa: F401  (re-exported for the sample generator and tests)
from .assessment import (  # noqa: F401
    ASSESSMENT_FORM_NOTES,
    BLANK_ROWS,
    FIELDS,
    HEADER,
    ID_NOTE,
    CARRIED_KEYS,
    IDENTIFYING_KEYS,
    KEYS,
    LAST_COL,
    LEFT_ALIGNED,
    N_COLS,
    OFFICIAL_FIELDS,
    SHEET_TITLE,
    build_assessment_form,
    form_filename,
    write_assessment_form,
    write_blank_forms,
)
from .changes import (  # noqa: F401
    CHANGES_SHEET,
    build_changes_form,
    changes_filename,
    write_changes_form,
)
from .official import (  # noqa: F401
    home_header,
    official_filenames,
    official_sheet,
    township_header,
    write_blank_official,
)
from .compliance import (  # noqa: F401
    FUNDS_SHEET,
    FUNDS_TITLE,
    FUNDS_WIDTHS,
    ROSTER_FIELDS,
    ROSTER_ROWS,
    ROSTER_SHEET,
    ROSTER_WIDTHS,
    SPENDING_EXAMPLES,
    SPENDING_ROWS_PER_HOME,
    SPENDING_SHEET,
    SPENDING_TITLE,
    SPENDING_WIDTHS,
    benefit_sections,
    build_benefit_roster,
    build_funds_form,
    funds_filename,
    funds_notes,
    roster_filename,
    roster_notes,
    spending_notes,
    write_benefit_roster,
    write_benefit_rosters,
    write_funds_form,
)
from .layout import (  # noqa: F401
    BORDER,
    DATE_FORMAT,
    DATE_YEARS,
    FIRST_DATA_ROW,
    FONT_NAME,
    HEADER_ROW,
    LEDGER_WIDTHS,
    MONEY_FORMAT,
    SAMPLE_FILL,
    SAMPLE_FORM_MARK,
    TEXT_FORMAT,
    WIDTHS,
    a4_landscape,
    date_range,
    example_day,
    month_label,
    month_stamp,
    save_reproducible,
)
from .schedule import (  # noqa: F401
    HIRED_MIN,
    HOME_CARE_NOTES,
    HOME_CARE_SHEET,
    HOME_CARE_TITLE,
    PROGRESS_SHEET,
    PROGRESS_TITLE,
    STAFF_ROWS_PER_HOME,
    STAFF_SHEET,
    STAFF_TITLE,
    build_progress_form,
    build_staff_form,
    progress_filename,
    progress_notes,
    schedule_duties,
    staff_filename,
    staff_notes,
    write_progress_form,
    write_staff_form,
)
