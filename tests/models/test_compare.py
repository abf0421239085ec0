"""The measured choice: a field is on only where combined beats rules only."""

from __future__ import annotations

import pytest

from kcextract.models.compare import choose, markdown_table


def row(rules, model, combined, metric="accuracy"):
    return {
        "rules": {"metric": metric, "value": rules, "n": 10},
        "model": {"metric": metric, "value": model, "n": 10},
        "combined": {"metric": metric, "value": combined, "n": 10},
        "docs_better_worse": [1, 0],
    }


# (case id, rules, model, combined, chosen setting)
# fmt: off
CASES = [
    ("combined-wins",    0.80, 0.85, 0.90, "combined"),
    ("tie-stays-rules",  0.80, 0.95, 0.80, "rules"),     # model alone is not enough
    ("combined-loses",   0.99, 0.97, 0.98, "rules"),
    ("rules-unscored",   None, 0.50, 0.60, "combined"),
    ("nothing-scored",   None, None, None, "rules"),
]
# fmt: on


@pytest.mark.parametrize(
    ("r", "m", "c", "expected"), [x[1:] for x in CASES], ids=[x[0] for x in CASES]
)
def test_choose_switches_on_only_where_combined_beats_rules(r, m, c, expected):
    assert choose({"amounts.level": row(r, m, c)}) == {"amounts.level": expected}


def test_markdown_table_has_one_row_per_field():
    table = {"amounts.level": row(0.8, 0.85, 0.9), "projects.titles": row(0.9, 0.8, 0.95, "f1")}
    text = markdown_table({"table": table}, choose(table))
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[2] == "| amounts.level | accuracy | 10 | 0.800 | 0.850 | 0.900 | +1 / -0 | yes |"
