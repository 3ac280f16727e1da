"""Run the strict nbval suite once per CPython >= 3.11 found on this machine (`make test-matrix`).

Interpreters are found under pyenv's root (``<root>/versions/3.X.Y/bin/python``) and as
``python3.X`` on PATH, deduplicated by X.Y. Each gets its own venv ``.venv-3.X`` (created on first
use, requirements.txt reinstalled when it or pyproject.toml changes), in which the pytest command
given after ``--`` runs, exactly as `make test` runs it in ``.venv``. Stdlib only: it runs before
any venv exists. A per-version table is printed and written to build/matrix.json.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from runs import ROOT, report, run_step

MIN_VERSION = (3, 11)


def pyenv_root() -> Path | None:
    """pyenv's root as `pyenv root` prints it, else $PYENV_ROOT or ~/.pyenv if they exist."""
    if shutil.which("pyenv"):
        done = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            return Path(done.stdout.strip())
    for candidate in (os.environ.get("PYENV_ROOT"), str(Path.home() / ".pyenv")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def version_of(python: str) -> tuple[int, int] | None:
    """(major, minor) of an interpreter, or None if it doesn't run (e.g. a pyenv shim)."""
    code = "import sys; print(*sys.version_info[:2])"
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def candidates() -> list[str]:
    """Interpreter paths to try: pyenv's installed 3.X.Y first, then python3.X on PATH."""
    found: list[str] = []
    root = pyenv_root()
    if root is not None:
        versions = [
            p for p in (root / "versions").glob("3.*") if re.fullmatch(r"3\.\d+\.\d+", p.name)
        ]
        versions.sort(key=lambda p: tuple(int(n) for n in p.name.split(".")))
        versions = [p for p in versions if int(p.name.split(".")[1]) >= MIN_VERSION[1]]
        found += [str(p / "bin" / "python") for p in versions if (p / "bin" / "python").exists()]
    for minor in range(MIN_VERSION[1], 30):
        on_path = shutil.which(f"python3.{minor}")
        if on_path:
            found.append(on_path)
    return found


def interpreters(skip: set[str]) -> dict[str, str]:
    """X.Y -> interpreter path, for every CPython >= 3.11 found, minus the versions in `skip`."""
    chosen: dict[str, str] = {}
    for python in candidates():
        version = version_of(python)
        if version is None or version < MIN_VERSION:
            continue
        name = f"{version[0]}.{version[1]}"
        if name not in skip:
            chosen.setdefault(name, python)
    return dict(sorted(chosen.items(), key=lambda kv: tuple(int(n) for n in kv[0].split("."))))


def installer() -> str | None:
    """uv, if `make` put it into .venv or it is on PATH; else None (pip is used)."""
    local = ROOT / ".venv" / "bin" / "uv"
    return str(local) if local.exists() else shutil.which("uv")


def ensure_venv(version: str, python: str) -> Path:
    """Create or reuse .venv-X.Y with requirements.txt installed; return its python."""
    venv = ROOT / f".venv-{version}"
    bin_python = venv / "bin" / "python"
    stamp = venv / ".installed"
    inputs = [ROOT / "requirements.txt", ROOT / "pyproject.toml"]
    if not bin_python.exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    fresh = stamp.exists() and all(stamp.stat().st_mtime >= p.stat().st_mtime for p in inputs)
    if not fresh:
        uv = installer()
        if uv is not None:  # the same pins in seconds; `make` put uv into .venv (or it is on PATH)
            install = [uv, "pip", "install", "--quiet", "--python", str(bin_python)]
            subprocess.run([*install, "-r", "requirements.txt"], check=True, cwd=ROOT)
        else:
            pip = [str(bin_python), "-m", "pip", "install", "--quiet"]
            subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=ROOT)
            subprocess.run([*pip, "-r", "requirements.txt"], check=True, cwd=ROOT)
        stamp.touch()
    return bin_python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", default="", help="X.Y versions to leave out, comma-separated")
    parser.add_argument("pytest_args", nargs="*", help="after --: the pytest arguments")
    args = parser.parse_args()
    skip = {v.strip() for v in args.skip.split(",") if v.strip()}
    found = interpreters(skip)
    print("test-matrix: CPython", ", ".join(f"{v} ({p})" for v, p in found.items()) or "none")
    results = []
    for version, python in found.items():
        try:
            venv_python = ensure_venv(version, python)
        except subprocess.CalledProcessError as error:
            results.append(
                {"python": version, "result": "install failed", "code": error.returncode}
            )
            continue
        cmd = [str(venv_python), "-m", "pytest", *args.pytest_args]
        print(f"\n=== Python {version}: {' '.join(cmd)}", flush=True)
        results.append({"python": version, **run_step(cmd)})
    report(results, "python", "Python", "matrix.json")
    ok = bool(results) and all(r["result"] in ("pass", "no tests") for r in results)
    return 0 if ok or (not found and skip) else 1


if __name__ == "__main__":
    sys.exit(main())
