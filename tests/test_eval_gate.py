"""The evaluation gate: the current pipeline must not score below the pinned F1 floors.

Floors and a sha256 of each gold set live in ``tests/eval_floors.json``; re-measure and
re-pin with ``python tests/update_floors.py`` (floors only go up unless
``--allow-regression``). A set with no gold files (or no ``../shared``) is skipped.
"""

from __future__ import annotations

import pytest
from eval_common import GOLD_SETS, REPIN, TOLERANCE, floor3, measure, read_floors
from update_floors import new_floor


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GOLD_SETS))
def test_eval_gate_f1_not_below_floor(name):
    m = measure(name)
    if m is None:
        pytest.skip(f"gold set {name!r} has no files here")
    pinned = read_floors().get(name)
    assert pinned, f"gold set {name!r} has no floors pinned: run `{REPIN} --set {name}`"
    assert pinned["sha256"] == m["sha256"], (
        f"gold set {name!r} changed since its floors were pinned ({pinned['files']} -> "
        f"{m['files']} files): check the change, then run `{REPIN} --set {name}`"
    )
    below = [
        f"{t}: F1 {s['f1']:.4f} < floor {pinned['floors'][t]}"
        for t, s in m["report"]["types"].items()
        if s["f1"] < pinned["floors"].get(t, 0.0) - TOLERANCE
    ]
    assert not below, f"{name}: " + "; ".join(below)


# fmt: off
FLOOR_CASES = [
    ("first-pin",          None, 0.6789, False, 0.678),
    ("raise",              0.5,  0.6789, False, 0.678),
    ("never-lower",        0.5,  0.4,    False, 0.5),
    ("lower-when-allowed", 0.5,  0.4,    True,  0.4),
    ("float-just-below",   None, 0.8 - 1e-12, False, 0.8),
    ("two-thirds-down",    None, 2 / 3,  False, 0.666),
]
# fmt: on


@pytest.mark.parametrize(
    "old,measured,allow,expected", [c[1:] for c in FLOOR_CASES], ids=[c[0] for c in FLOOR_CASES]
)
def test_eval_gate_new_floor(old, measured, allow, expected):
    assert new_floor(old, measured, allow) == expected
    assert floor3(measured) <= measured + 1e-6
