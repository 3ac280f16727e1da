"""Which course notebooks exist and which of them start process pools."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROCESS_POOL = re.compile(r"\bProcessPoolExecutor\b|\bmp_context\b")


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """notebooks/NN_topic.ipynb in teaching order."""
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def code_sources(path: Path) -> list[str]:
    """The source of every code cell of a notebook."""
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def uses_process_pools(path: Path) -> bool:
    """True if a code cell mentions ProcessPoolExecutor or mp_context (markdown doesn't count)."""
    return any(PROCESS_POOL.search(source) for source in code_sources(path))


if __name__ == "__main__":
    # `python tests/tools/nblist.py process-pools`: print those notebooks' paths, one a line.
    wanted = sys.argv[1:] == ["process-pools"]
    for nb in course_notebooks():
        if not wanted or uses_process_pools(nb):
            print(nb.relative_to(ROOT))
