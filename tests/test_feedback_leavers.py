"""A person gone from a township's form without a line in the 减少情况表 is named in that township's own returned
workbook (issue 32), and only there: other townships' returns and the briefings do not carry the full name.

The month is 2023-11 as :func:`tests.arrivals.arrived_month` makes it from the bundled 2023-10, with one person
of 丰收乡 gone from its form unreported."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from arrivals import MONTH, arrived_month
from tekun_helpers.forms.feedback import write_feedback

LEAVER_TOWN = "丰收乡"


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("leavers")
    arrival = arrived_month(tmp, unreported_leaver=LEAVER_TOWN)
    res = write_feedback(MONTH, arrival.data_dir, tmp / "out", today=dt.datetime(2023, 12, 1, 9, 30))
    return arrival, res


def _cells(path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def test_the_leaver_is_named_in_the_townships_returned_form(returned):
    arrival, res = returned
    leaver = arrival.leaver
    assert leaver and leaver["township"] == LEAVER_TOWN
    own = res.owner(LEAVER_TOWN)
    forms = [f for f in own.files if f.copy is not None and "附件3" in " ".join(f.kinds)]
    assert len(forms) == 1, [f.source.name for f in own.files]
    text = _cells(forms[0].copy)
    assert leaver["name"] in text and "减少情况表也没有记录" in text
    if leaver.get("id_number"):
        assert leaver["id_number"] in text
    codes = [i.code for i in forms[0].issues]
    assert codes.count("leaver_unreported") == 1


def test_no_other_return_names_the_leaver(returned):
    arrival, res = returned
    name = arrival.leaver["name"]
    for o in res.owners:
        if o.owner == LEAVER_TOWN:
            continue
        for f in o.files:
            assert f.copy is None or name not in _cells(f.copy), (o.owner, f.source.name)
