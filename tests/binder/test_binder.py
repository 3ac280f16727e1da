"""Binder builds the environment the course is tested with: `make binder` runs this.

repo2docker (Binder's builder) with --no-build --debug picks a buildpack and prints the Dockerfile
it would build, without Docker. The course must get the conda buildpack (environment.yml, which
pins the same packages as requirements.txt), Python 3.14 and the postBuild step that installs
helpers. Plain `pytest` skips this: it needs COURSE_REPO2DOCKER, set by `make binder`.
"""

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPO2DOCKER = os.environ.get("COURSE_REPO2DOCKER")
PYTHON_PIN = "3.14"

pytestmark = pytest.mark.skipif(not REPO2DOCKER, reason="run with `make binder`")


@pytest.fixture(scope="module")
def build_plan() -> dict[str, str]:
    done = subprocess.run(
        [REPO2DOCKER, "--no-build", "--debug", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    # COPY sources are escaped file names (-2f for "/", -2e for ".", ...): unescape them.
    lines = [
        re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), line)
        if line.startswith("COPY")
        else line
        for line in done.stdout.splitlines()
    ]
    dockerfile = "\n".join(lines)
    return {"log": done.stderr, "dockerfile": dockerfile}


def test_the_python_pin_matches_environment_yml():
    pins = re.findall(r"^\s*-\s*python=(\S+)", (ROOT / "environment.yml").read_text(), re.M)
    assert pins == [PYTHON_PIN]


def test_conda_buildpack_with_the_python_pin(build_plan):
    assert f"Building conda environment for python={PYTHON_PIN}" in build_plan["log"]
    dockerfile = build_plan["dockerfile"]
    # The conda buildpack's base environment for that Python, then environment.yml on top.
    assert f"buildpacks/conda/environment.py-{PYTHON_PIN}-linux-64.lock" in dockerfile
    assert re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment.yml"', dockerfile)


def test_requirements_txt_is_not_what_binder_installs(build_plan):
    # environment.yml wins; its pip section carries the same pins (tests/test_dependencies.py).
    assert "requirements.txt" not in build_plan["dockerfile"]


def test_postbuild_runs_after_the_environment(build_plan):
    dockerfile = build_plan["dockerfile"]
    assert "RUN ./postBuild" in dockerfile
    assert dockerfile.index('--file "environment.yml"') < dockerfile.index("RUN ./postBuild")
    assert "pip install --no-deps -e ." in (ROOT / "postBuild").read_text()


def test_readme_binder_badge_opens_jupyterlab_at_the_first_notebook():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert links, "README.md needs a Binder badge (see tests/binder/test_binder.py)"
    first = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))[0].relative_to(ROOT)
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query.get("urlpath") == [f"lab/tree/{first.as_posix()}"], link
