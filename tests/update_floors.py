"""Re-measure the evaluation gate and re-pin ``tests/eval_floors.json``.

    python tests/update_floors.py [--set annotations|shared] [--allow-regression]

Each type's floor is raised to the measured F1 (rounded down to 3 decimals) and the gold
set's sha256 is re-pinned. A floor is never lowered unless ``--allow-regression`` is given:
without it a set that measures below a floor is reported, left as pinned, and the script
exits 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_common import GOLD_SETS, floor3, measure, read_floors, write_floors


def new_floor(old: float | None, measured: float, allow_regression: bool) -> float:
    """The floor to pin: the measure rounded down, but never below ``old`` unless allowed.

    >>> new_floor(0.5, 0.6789, False), new_floor(0.5, 0.4, False), new_floor(0.5, 0.4, True)
    (0.678, 0.5, 0.4)
    """
    m = floor3(measured)
    return m if old is None or allow_regression else max(old, m)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=sorted(GOLD_SETS), action="append", help="only this set")
    ap.add_argument("--allow-regression", action="store_true", help="let floors go down")
    args = ap.parse_args(argv)

    data = read_floors()
    failed = False
    for name in args.set or sorted(GOLD_SETS):
        m = measure(name)
        if m is None:
            print(f"{name}: no gold files, left as it is")
            continue
        entry = data.get(name, {})
        old = entry.get("floors", {})
        floors = {
            t: new_floor(old.get(t), s["f1"], args.allow_regression)
            for t, s in m["report"]["types"].items()
        }
        below = [t for t, s in m["report"]["types"].items() if floors[t] > floor3(s["f1"])]
        for t, s in m["report"]["types"].items():
            note = "  BELOW FLOOR" if t in below else ""
            print(f"{name} {t:<13} F1 {s['f1']:.4f}  floor {old.get(t)} -> {floors[t]}{note}")
        changed = entry.get("sha256") not in (None, m["sha256"])
        if below:
            failed = True
            why = " (the gold changed too: if the new gold explains the drop" if changed else " ("
            print(
                f"{name}: NOT re-pinned, {len(below)} types below their floor{why}"
                " rerun with --allow-regression to lower them)"
            )
            continue
        if changed:
            print(
                f"{name}: gold changed, sha256 re-pinned ({entry.get('files')} -> {m['files']} files)"
            )
        data[name] = {"sha256": m["sha256"], "files": m["files"], "floors": floors}
    write_floors(data)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
