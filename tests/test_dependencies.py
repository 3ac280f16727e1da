"""requirements.txt (pip) and environment.yml (conda, Binder) must pin the same things."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-\[\]]+)==([^\s#]+)\s*(#.*)?$")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        m = PIN.match(line)
        if m:
            name, version, comment = m.groups()
            why = (comment or "").strip("# ")
            assert len(why) > 5, f"{path.name}: say why {name} is needed"
            found[name.lower()] = version
    return found


def test_both_files_pin_the_same_packages_and_versions():
    pip_pins = pins(ROOT / "requirements.txt")
    conda_pins = pins(ROOT / "environment.yml")
    assert len(pip_pins) >= 6
    assert pip_pins == conda_pins


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
