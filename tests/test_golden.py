"""Every figure and word of the bundled months' reports and Excel exports, against stored snapshots.

A change that alters any report of 2023-08..2023-10 fails here with the lines that differ; an intended
change regenerates tests/golden/ (see tests/golden.py) and the diff of the snapshots is reviewed with it.
"""
from __future__ import annotations

import difflib

import pytest

import golden


@pytest.fixture(scope="module")
def rendered(rendered_batch):
    return golden.snapshots(rendered_batch)


def test_the_same_outputs_are_rendered(rendered):
    assert sorted(rendered) == sorted(golden.stored())


@pytest.mark.parametrize("name", sorted(golden.stored()))
def test_output_matches_its_snapshot(rendered, name):
    want = golden.stored()[name]
    got = rendered.get(name)
    assert got is not None, f"{name} was not rendered"
    if got != want:
        diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "golden/" + name, "rendered", n=1,
                                    lineterm="")
        pytest.fail("\n".join(list(diff)[:60]))
