"""The course's notebook conventions (see README, 'For contributors'), checked on every notebook."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_CELL_LINES = 15  # "about a dozen lines at most"
MIN_COMPARED = 0.85


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def is_compared(cell: dict) -> bool:
    lines = [line.strip() for line in source(cell).splitlines()]
    return not any(line in ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP") for line in lines)


def test_notebooks_exist_in_teaching_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers[:2] == [0, 1]
    assert numbers == list(range(len(numbers))), "notebooks are numbered 00, 01, ... with no gaps"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec_is_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_come_from_one_fresh_run(path):
    cells = [c for c in code_cells(load(path)) if source(c).strip()]
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1)), "regenerate with `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_structure(path):
    nb = load(path)
    markdown = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert nb["cells"][0]["cell_type"] == "markdown" and source(nb["cells"][0]).startswith("# ")
    prose = re.sub(r"^```.*?^```", "", markdown, flags=re.M | re.S)  # not comments in code
    headings = [h.lower() for h in re.findall(r"^#+ (.*)$", prose, re.M)]
    sections = ("you will learn", "setup", "recap", "exercises")
    found = {w: next((i for i, h in enumerate(headings) if w in h), None) for w in sections}
    assert None not in found.values(), f"missing sections: {found}"
    assert list(found.values()) == sorted(found.values()), f"sections out of order: {found}"
    solutions = [c for c in code_cells(nb) if "solution" in source(c).lower()[:80]]
    assert len(solutions) >= 2, "at least two exercises with solutions checked by nbval"
    assert all(c.get("metadata", {}).get("jupyter", {}).get("source_hidden") for c in solutions)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_are_small(path):
    for cell in code_cells(load(path)):
        lines = [  # import lines don't count: they are not plumbing
            line
            for line in source(cell).splitlines()
            if line.strip() and not line.lstrip().startswith(("import ", "from "))
        ]
        too_long = f"cell too long, move plumbing to helpers:\n{source(cell)}"
        assert len(lines) <= MAX_CELL_LINES, too_long


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_output_checks_are_justified_and_rare(path):
    cells = code_cells(load(path))
    for cell in cells:
        lines = [line.strip() for line in source(cell).splitlines()]
        for i, line in enumerate(lines):
            if line in ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP"):
                assert i + 1 < len(lines) and lines[i + 1].startswith("# why:"), (
                    f"{line} must be followed by a '# why: ...' comment"
                )
    compared = sum(is_compared(c) for c in cells)
    assert compared / len(cells) >= MIN_COMPARED, f"only {compared}/{len(cells)} cells compared"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_error_cells_are_tagged_and_errors_expected(path):
    for cell in code_cells(load(path)):
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        tagged = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        disagree = f"error output and raises-exception tag disagree:\n{source(cell)}"
        assert bool(errors) == tagged, disagree


def test_readme_lists_every_notebook_in_order():
    readme = (ROOT / "README.md").read_text()
    positions = [readme.find(p.name) for p in NOTEBOOKS]
    assert all(pos >= 0 for pos in positions), "README's table must list every notebook"
    assert positions == sorted(positions)
