"""The course's notebook conventions (CONTRIBUTING.md), checked on every notebook."""

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


UNCOMPARED_TAGS = {"nbval-ignore-output", "nbval-skip"}


def is_compared(cell: dict) -> bool:
    lines = [line.strip() for line in source(cell).splitlines()]
    if UNCOMPARED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
        return False
    return not any(line in ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP") for line in lines)


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def printed_lines(nb: dict) -> list[str]:
    """Every line the notebook's code cells printed (stdout), as stored."""
    return [
        line
        for cell in code_cells(nb)
        for out in cell.get("outputs", [])
        if out.get("name") == "stdout"
        for line in "".join(out.get("text", "")).splitlines()
    ]


def is_bare_verdict(line: str) -> bool:
    """A line that ends in True/False and shows no number: a verdict without its measurement."""
    return bool(re.search(r"(True|False)\s*$", line)) and not re.search(r"\d", line)


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
    solutions = [c for c in code_cells(nb) if "solution" in tags(c)]
    assert solutions, "exercises come with solutions (code cells tagged 'solution')"
    for cell in solutions:
        hidden = cell.get("metadata", {}).get("jupyter", {})
        assert hidden.get("source_hidden") and hidden.get("outputs_hidden"), (
            f"a solution must hide its source and its output:\n{source(cell)[:200]}"
        )
    assert re.search(r"your turn", markdown, re.I), "at least one 'Your turn' exercise"
    checked = [c for c in code_cells(nb) if "solution" not in tags(c) and "check_" in source(c)]
    assert checked, "a 'Your turn' starter cell calls a check_... from helpers.checks"
    assert "docs.python.org" in markdown, "link the Python docs for what the notebook teaches"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_links_to_the_next_notebook(path):
    markdown = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    later = NOTEBOOKS[NOTEBOOKS.index(path) + 1 :]
    target = later[0].name if later else "README.md"
    assert f"]({target}" in markdown or f"](../{target}" in markdown, f"link the next: {target}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_test_machinery_in_lessons(path):
    nb = load(path)
    for cell in nb["cells"]:
        text = source(cell)
        if cell["cell_type"] == "code":
            assert "NBVAL_" not in text, f"use nbval's cell tags, not comments:\n{text[:200]}"
        elif cell["cell_type"] == "markdown":
            found = re.findall(r"\bnbval\b|sanitiz|\bCI\b", text)
            assert not found, f"lesson text mentions {found}: that belongs in CONTRIBUTING.md"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_numbers_come_with_verdicts(path):
    lines = printed_lines(load(path))
    bare = [line for line in lines if is_bare_verdict(line)]
    assert len(bare) <= 0.10 * max(len(lines), 1), (
        f"{len(bare)} of {len(lines)} printed lines are bare True/False verdicts; print the "
        f"measured number beside the check: {bare[:5]}"
    )


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
def test_outputs_are_compared(path):
    cells = code_cells(load(path))
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
