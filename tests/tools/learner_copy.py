"""Write the notebooks as a learner gets them: no outputs, no solution cells (`make learner-copy`).

A solution is a code cell tagged ``solution`` (the notebooks also hide its source and output).
The exercise stays: its text and its "Your turn" starter cell with ``...`` to fill in, whose
check says "not answered yet" rather than failing, so *Run All* on the copy completes.
Stdlib only. Usage: ``python tests/tools/learner_copy.py OUT_DIR [NOTEBOOK ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nblist import course_notebooks

SOLUTION_TAG = "solution"


def is_solution(cell: dict) -> bool:
    """A cell tagged ``solution``."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def learner_version(nb: dict) -> dict:
    """The notebook without solution cells, outputs or execution counts."""
    cells = []
    for cell in nb["cells"]:
        if is_solution(cell):
            continue
        cell = dict(cell)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    return {**nb, "cells": cells}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the copies to")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every course notebook")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or course_notebooks()
    args.out.mkdir(parents=True, exist_ok=True)
    dropped = 0
    for path in notebooks:
        nb = json.loads(Path(path).read_text())
        copy = learner_version(nb)
        dropped += len(nb["cells"]) - len(copy["cells"])
        target = args.out / Path(path).name
        target.write_text(json.dumps(copy, indent=1, ensure_ascii=False) + "\n")
    print(f"learner copy: {len(notebooks)} notebooks, {dropped} solutions left out, in {args.out}")
    if not dropped:
        print("no cell is tagged 'solution': nothing was left out", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
