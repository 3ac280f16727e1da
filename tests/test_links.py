"""Every relative link in the course's documents resolves: the file exists, and an ``#anchor``
matches a heading of the target (a Markdown file, or a notebook's Markdown cells).

Anchors follow GitHub's rule for headings: lower case, punctuation dropped, spaces to hyphens.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ["README.md", "GUIDE.md", "CONTRIBUTING.md"]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: ``## 5. `chunksize`: many`` -> ``5-chunksize-many``."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def headings(markdown: str) -> set[str]:
    return {slug(h) for h in re.findall(r"^#{1,6} (.+?)\s*#*$", FENCE.sub("", markdown), re.M)}


def anchors_of(path: Path) -> set[str]:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        return headings(text)
    return headings(path.read_text())


def relative_links(document: Path) -> list[str]:
    text = FENCE.sub("", document.read_text())
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
    return [t for t in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def test_the_documents_exist():
    missing = [name for name in DOCUMENTS if not (ROOT / name).is_file()]
    assert not missing, f"missing: {missing}"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_relative_links_resolve(name):
    document = ROOT / name
    if not document.is_file():
        pytest.skip(f"{name} does not exist yet")
    broken = []
    for link in relative_links(document):
        target, _, anchor = unquote(link).partition("#")
        path = (document.parent / target).resolve() if target else document
        if not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix in (".md", ".ipynb") and anchor not in anchors_of(path):
            broken.append(f"{link}: no heading with that anchor in {path.name}")
    assert not broken, f"{name} has broken links:\n" + "\n".join(broken)


def test_the_guide_links_every_kind_of_target():
    """The check above sees the guide's links: notebooks, anchors into them, other documents."""
    links = relative_links(ROOT / "GUIDE.md")
    assert any(".ipynb#" in link for link in links)
    assert "README.md" in links and "CONTRIBUTING.md" in links


def test_slug_follows_github():
    assert slug("Without make (Windows, or anywhere)") == "without-make-windows-or-anywhere"
    assert slug("5. `chunksize`: many tiny tasks") == "5-chunksize-many-tiny-tasks"
    assert (
        slug("Speedup vs number of workers — and how many")
        == "speedup-vs-number-of-workers--and-how-many"
    )
