"""requirements.txt (pip) and environment.yml (conda, Binder) pin the same things, all of them."""

import importlib
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "tools"))
lock = importlib.import_module("lock")
PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)\s*(?:;([^#]+))?(#.*)?$")


def pins(path: Path) -> dict[tuple[str, str], str]:
    """(name, marker) -> version of every pin; each says why (the generated ones: via what)."""
    found = {}
    for line in path.read_text().splitlines():
        m = PIN.match(line)
        if m:
            name, version, marker, comment = m.groups()
            why = (comment or "").strip("# ")
            assert len(why) > 5, f"{path.name}: say why {name} is needed"
            found[(lock.normalized(name), (marker or "").strip())] = version
    return found


def test_both_files_pin_the_same_packages_and_versions():
    pip_pins = pins(ROOT / "requirements.txt")
    conda_pins = pins(ROOT / "environment.yml")
    assert len(pip_pins) >= 100  # the top-level packages and everything they need
    assert pip_pins == conda_pins


def test_the_lock_was_made_from_the_top_level_pins_as_they_are():
    # `make lock` records a digest of the top-level pins: edited since, the lock is out of date
    text = (ROOT / "requirements.txt").read_text()
    expected = lock.mark_line(lock.top_pins(text))
    assert expected in text.splitlines(), "top-level pins changed: run `make lock`"
    assert "      " + expected in (ROOT / "environment.yml").read_text().splitlines()


def test_this_environment_has_exactly_the_pinned_versions():
    # what every install resolves to on this platform and Python: a missing pin would let it vary
    wrong = {}
    for (name, marker), version in pins(ROOT / "requirements.txt").items():
        if marker and not Marker(marker).evaluate():
            continue
        installed = importlib.metadata.version(name)
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"pinned vs installed: {wrong}"


def test_requirements_are_all_pinned_and_end_with_the_editable_install():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    assert lines[-1] == "-e ."
    unpinned = [line for line in lines[:-1] if "==" not in line]
    assert not unpinned, f"unpinned requirements: {unpinned}"


def test_environment_pins_python_in_binder_form():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s+python=3\.\d+\s*(#.*)?$", text, re.M), "python=X.Y expected"


def test_postbuild_installs_helpers_without_dependencies():
    text = (ROOT / "postBuild").read_text()
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    assert re.search(r"pip install --no-deps -e \.", text)
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_jsonschema_skips_rfc3987_syntax_the_reason_rfc3987_is_pinned():
    # JupyterLab imports jsonschema, which imports one IRI checker: rfc3987 when installed, else
    # rfc3987-syntax, whose import builds ~35 parsers (1.5 s of every JupyterLab start here)
    code = "import sys, jsonschema; print(sorted(m for m in sys.modules if 'rfc3987' in m))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "['rfc3987']", run.stdout
