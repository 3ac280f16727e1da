"""Which course notebooks exist and which of them start process pools."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROCESS_POOL = re.compile(r"\bProcessPoolExecutor\b|\bmp_context\b")
# Code whose verdicts depend on the CPUs this process may use (a container's quota).
CPU_BOUND = re.compile(r"\bcpus\.\w+|usable_cpus|explore\(|cores_busy|spare_cores|measure_models")
# Code that asks psutil about processes (denied for other processes on macOS).
PSUTIL = re.compile(r"\bpsutil\b|\bleaks\b|\bmemory\b|own_memory|each_worker")
KINDS = {"process-pools": PROCESS_POOL, "cpu-bound": CPU_BOUND, "psutil": PSUTIL}


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


def of_kind(path: Path, kind: str) -> bool:
    """True if a code cell matches the kind's pattern (see KINDS)."""
    return any(KINDS[kind].search(source) for source in code_sources(path))


if __name__ == "__main__":
    # `python tests/tools/nblist.py KIND`: print those notebooks' paths (KINDS), one a line.
    kind = sys.argv[1] if len(sys.argv) > 1 else None
    for nb in course_notebooks():
        if kind is None or of_kind(nb, kind):
            print(nb.relative_to(ROOT))
