"""Setting up the course: the Makefile's .venv rules, and README's commands without make.

Quick tests (every `make test`) run the Makefile in a temporary copy with a tiny requirements
file and a stand-in `uv` on PATH that only records how it was called, so they check the rules
without installing anything: a Python older than 3.11 is refused before anything is created; a
.venv is reused only when its python runs, is 3.11+ and its last install finished; every target
has a `##` line that `make help` prints.

`make test-setup` (COURSE_SETUP=1) runs the real thing, each in a temporary copy of this tree:
README's macOS/Linux commands without make, the pip way and the uv way, from a fresh venv to
`jupyter lab` answering with the course's JupyterLab defaults (the news pop-up off); Binder's
postBuild; and the Makefile falling back to pip when uv fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SLOW = os.environ.get("COURSE_SETUP") == "1"
slow = pytest.mark.skipif(not SLOW, reason="installs for real: run it with `make test-setup`")
# 3.9 first: macOS's own python3 is 3.9, the case that made `make lab` fail inside pip.
OLD_PYTHONS = [
    *sorted(Path.home().glob(".pyenv/versions/3.9*/bin/python")),
    *(Path(p) for name in ("python3.9", "python3.10") if (p := shutil.which(name))),
    *sorted(Path.home().glob(".pyenv/versions/3.10*/bin/python")),
]
# A stand-in uv: records its arguments and succeeds, or fails when FAKE_UV_FAILS is set.
FAKE_UV = """#!/bin/sh
echo "$@" >> "$FAKE_UV_LOG"
test -z "$FAKE_UV_FAILS"
"""
NOTIFICATION = "/lab/api/settings/@jupyterlab/apputils-extension:notification"
PINNED_JUPYTERLAB = re.search(
    r"^jupyterlab==(\S+)", (ROOT / "requirements.txt").read_text(), re.M
).group(1)


def python_version(python: Path) -> tuple[int, int] | None:
    done = subprocess.run(
        [str(python), "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def old_python() -> Path:
    for python in OLD_PYTHONS:
        version = python_version(python)
        if version and version < (3, 11):
            return python
    pytest.skip("no Python older than 3.11 found (pyenv, python3.10, python3.9)")


# --- the Makefile's rules, in a copy with nothing to install ---


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of what the Makefile's set-up reads, with an empty requirements.txt."""
    copy = tmp_path / "course"
    copy.mkdir()
    shutil.copy2(ROOT / "Makefile", copy)
    shutil.copy2(ROOT / "pyproject.toml", copy)
    shutil.copytree(ROOT / "jupyter-settings", copy / "jupyter-settings")
    (copy / "requirements.txt").write_text("# nothing: these tests check the Makefile's rules\n")
    return copy


@pytest.fixture
def fake_uv(tmp_path: Path) -> Path:
    """A directory holding the stand-in uv; its calls are logged to uv.log beside it."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    uv = bin_dir / "uv"
    uv.write_text(FAKE_UV)
    uv.chmod(0o755)
    return bin_dir


def make(
    course: Path, *args: str, fake_uv: Path | None = None, **env: str
) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    environ.pop("VIRTUAL_ENV", None)
    if fake_uv is not None:
        environ["PATH"] = f"{fake_uv}{os.pathsep}{environ['PATH']}"
        environ["FAKE_UV_LOG"] = str(fake_uv / "uv.log")
    environ.update(env)
    if not any(arg.startswith("PYTHON=") for arg in args):
        args = (*args, f"PYTHON={sys.executable}")  # 3.11+, whatever python3 is here
    return subprocess.run(
        ["make", *args], cwd=course, env=environ, capture_output=True, text=True, timeout=300
    )


def uv_calls(fake_uv: Path) -> list[str]:
    log = fake_uv / "uv.log"
    return log.read_text().splitlines() if log.exists() else []


def test_an_old_python_is_refused_before_anything_is_created(course: Path):
    python = old_python()
    start = time.monotonic()
    done = make(course, "lab", f"PYTHON={python}")
    assert done.returncode != 0
    assert time.monotonic() - start < 10, "the version check must come before any install"
    assert "needs Python 3.11 or newer" in done.stderr
    assert "make lab PYTHON=python3.13" in done.stderr, "the message names the fix"
    assert not (course / ".venv").exists(), "no broken .venv may be left behind"


def test_a_missing_python_is_named(course: Path):
    done = make(course, "setup", "PYTHON=no-such-python3")
    assert done.returncode != 0
    assert "PYTHON=no-such-python3 is: not found" in done.stderr
    assert not (course / ".venv").exists()


def test_a_fresh_venv_is_installed_by_the_uv_on_path(course: Path, fake_uv: Path):
    done = make(course, "setup", fake_uv=fake_uv)
    assert done.returncode == 0, done.stderr
    assert uv_calls(fake_uv) == [
        "pip install --quiet --python .venv/bin/python -r requirements.txt pip"
    ]
    assert (course / ".venv" / ".installed").exists()
    settings = course / ".venv/share/jupyter/lab/settings/overrides.d/concurrency-in-python.json"
    news = json.loads(settings.read_text())["@jupyterlab/apputils-extension:notification"]
    assert news == {"fetchNews": "false", "checkForUpdates": False}


def test_a_finished_venv_is_reused_and_updated_in_place(course: Path, fake_uv: Path):
    assert make(course, "setup", fake_uv=fake_uv).returncode == 0
    marker = course / ".venv" / "marker"
    marker.touch()
    again = make(course, "setup", fake_uv=fake_uv)
    assert again.returncode == 0
    assert len(uv_calls(fake_uv)) == 1, "nothing changed: nothing installed"
    requirements = course / "requirements.txt"
    requirements.write_text("# changed\n")
    later = (course / ".venv" / ".installed").stat().st_mtime + 10
    os.utime(requirements, (later, later))
    updated = make(course, "setup", fake_uv=fake_uv)
    assert updated.returncode == 0, updated.stderr
    assert "Updating .venv" in updated.stdout
    assert len(uv_calls(fake_uv)) == 2
    assert marker.exists(), "a finished .venv with a working 3.11+ python is reused"


def test_an_unfinished_install_is_rebuilt(course: Path, fake_uv: Path):
    failed = make(course, "setup", "INSTALLER=uv", fake_uv=fake_uv, FAKE_UV_FAILS="1")
    assert failed.returncode != 0
    assert "INSTALLER=uv: no fallback to pip" in failed.stderr
    assert not (course / ".venv" / ".installed").exists()
    (course / ".venv" / "marker").touch()
    done = make(course, "setup", fake_uv=fake_uv)
    assert done.returncode == 0, done.stderr
    assert "Rebuilding .venv" in done.stdout
    assert not (course / ".venv" / "marker").exists()
    assert (course / ".venv" / ".installed").exists()


def test_a_venv_whose_python_does_not_run_is_rebuilt(course: Path, fake_uv: Path):
    assert make(course, "setup", fake_uv=fake_uv).returncode == 0
    python = course / ".venv" / "bin" / "python"
    python.unlink()
    python.symlink_to(course / "gone" / "python3")  # its base Python was uninstalled
    done = make(course, "setup", fake_uv=fake_uv)  # the stamp is newer than requirements.txt
    assert done.returncode == 0, done.stderr
    assert "Rebuilding .venv" in done.stdout
    assert python_version(python) >= (3, 11)


def test_a_venv_of_an_old_python_is_rebuilt(course: Path, fake_uv: Path):
    old = old_python()
    subprocess.run([str(old), "-m", "venv", "--without-pip", str(course / ".venv")], check=True)
    (course / ".venv" / ".installed").touch()  # even one whose install "finished", up to date
    done = make(course, "setup", fake_uv=fake_uv)
    assert done.returncode == 0, done.stderr
    assert "Rebuilding .venv" in done.stdout
    assert python_version(course / ".venv" / "bin" / "python") >= (3, 11)


def make_targets() -> list[str]:
    rule = re.compile(r"^([A-Za-z0-9_.-]+):(?!=)")
    lines = (ROOT / "Makefile").read_text().splitlines()
    # Names starting with a dot are make's special targets or internal ones (.FORCE-VENV).
    return [m.group(1) for line in lines if (m := rule.match(line)) and m[1][0] != "."]


def test_every_target_has_a_help_line_that_make_help_prints():
    lines = (ROOT / "Makefile").read_text().splitlines()
    targets = make_targets()
    assert {"setup", "help", "lab", "test", "test-setup", "bench-setup"} <= set(targets)
    undocumented = [
        t for t in targets if not any(line.startswith(f"{t}:") and "## " in line for line in lines)
    ]
    assert not undocumented, f"targets without a '## what it does' comment: {undocumented}"
    shown = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    listed = [line.split()[0] for line in shown.splitlines() if line.startswith("  ")]
    assert listed == targets


def test_make_alone_sets_up_the_venv_and_nothing_else():
    text = (ROOT / "Makefile").read_text()
    assert re.search(r"^\.DEFAULT_GOAL := setup$", text, re.M)
    assert re.search(r"^setup: \$\(STAMP\)  ## ", text, re.M)


# --- README's commands without make (Windows, macOS, Linux) ---


def readme_block(marker: str) -> list[str]:
    """The commands of README's first fenced code block that contains `marker`."""
    for block in re.findall(r"```[a-z]*\n(.*?)```", (ROOT / "README.md").read_text(), re.S):
        if marker in block:
            lines = (line.split("  #")[0].strip() for line in block.splitlines())
            return [line for line in lines if line and not line.startswith("#")]
    raise AssertionError(f"README.md has no code block with {marker!r}")


def test_readme_windows_commands_are_the_linux_ones_with_windows_paths():
    windows = readme_block("py -3.14 -m venv .venv")
    linux = readme_block("python3 -m venv .venv")
    as_linux = [
        line.replace("py -3.14", "python3")
        .replace(".venv\\Scripts\\", ".venv/bin/")
        .replace("\\", "/")
        for line in windows
    ]
    assert as_linux == linux
    assert any("pip install -r requirements.txt" in line for line in linux)
    assert linux[-1].startswith(".venv/bin/jupyter lab ")


def test_readme_uv_commands_end_like_the_pip_ones():
    uv, pip = readme_block("uv venv"), readme_block("python3 -m venv .venv")
    assert uv[:2] == [
        'uv venv --python ">=3.11" .venv',
        "uv pip install --python .venv -r requirements.txt",
    ]
    assert uv[2:] == pip[2:]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_api(base: str, token: str, path: str, method: str = "GET") -> object:
    request = urllib.request.Request(
        base + path, method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def tree_copy(dest: Path) -> Path:
    """This tree as a learner's clone has it: no venvs, builds or caches."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv*", "build", "__pycache__", "*.egg-info", ".*_cache", ".ipynb_checkpoints"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def learner_env(extra_path: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env.pop("VIRTUAL_ENV", None)
    env["UV_PYTHON_DOWNLOADS"] = "never"  # `uv venv` takes this machine's Python 3.11+
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env['PATH']}"
    return env


def uv_on_hand() -> Path | None:
    """A uv to run README's uv commands with: on PATH, or the one `make` put in .venv."""
    found = shutil.which("uv") or (ROOT / ".venv" / "bin" / "uv")
    return Path(found) if Path(found).exists() else None


@pytest.fixture(scope="module", params=["pip", "uv"])
def readme_install(request, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A copy of this tree set up by README's commands (all but `jupyter lab`), pip or uv way."""
    way = request.param
    if not SLOW:
        pytest.skip("installs for real: run it with `make test-setup`")
    uv = uv_on_hand()
    if way == "uv" and uv is None:
        pytest.skip("no uv on PATH or in .venv (make INSTALLER=pip was used)")
    commands = readme_block("uv venv" if way == "uv" else "python3 -m venv .venv")
    course = tree_copy(tmp_path_factory.mktemp(f"readme-{way}") / "course")
    env = learner_env(uv.parent if way == "uv" else None)
    start = time.monotonic()
    script = "\n".join(line for line in commands if " lab " not in line)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"
    print(f"README's {way} set-up took {time.monotonic() - start:.1f}s")
    yield way, course


@slow
def test_readme_setup_gives_jupyterlab_and_helpers_from_anywhere(readme_install, tmp_path):
    _way, course = readme_install
    elsewhere = tmp_path / "elsewhere"  # not the course folder: helpers must be installed
    elsewhere.mkdir()
    version = subprocess.run(
        [str(course / ".venv/bin/jupyter"), "lab", "--version"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == PINNED_JUPYTERLAB
    where = subprocess.run(
        [str(course / ".venv/bin/python"), "-c", "import helpers; print(helpers.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(course / "helpers")


@slow
def test_readme_jupyter_lab_command_serves_the_course_without_the_news_popup(
    readme_install, tmp_path
):
    _way, course = readme_install
    command = readme_block("python3 -m venv .venv")[-1].split()
    token, port = secrets.token_hex(16), free_port()
    command += ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"]
    command += ["--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "jupyterlab.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=course, env=learner_env(), stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                lab_api(base, token, "/api/status")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "JupyterLab did not answer in 120 s"
                time.sleep(0.3)
        # Given a notebook, JupyterLab serves the notebook's folder and opens it.
        notebook = Path(readme_block("python3 -m venv .venv")[-1].split()[-1])
        assert (course / notebook).exists()
        opened = lab_api(base, token, f"/api/contents/{notebook.name}?content=0")
        assert opened["type"] == "notebook"
        schema = lab_api(base, token, NOTIFICATION)["schema"]["properties"]
        assert schema["fetchNews"]["default"] == "false", "the news pop-up would greet the learner"
        assert schema["checkForUpdates"]["default"] is False
        lab_api(base, token, "/api/shutdown", method="POST")
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)


@slow
def test_binder_postbuild_installs_helpers_and_the_lab_defaults(readme_install):
    way, course = readme_install
    if way != "pip":
        pytest.skip("once is enough")
    settings = course / ".venv/share/jupyter/lab/settings/overrides.d/concurrency-in-python.json"
    settings.unlink()
    env = learner_env(course / ".venv" / "bin")  # Binder's python: the environment's own
    done = subprocess.run(
        ["bash", "postBuild"], cwd=course, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert settings.exists()


@slow
def test_make_falls_back_to_pip_when_uv_fails(course: Path, fake_uv: Path):
    done = make(course, "setup", fake_uv=fake_uv, FAKE_UV_FAILS="1")
    assert done.returncode == 0, done.stderr
    assert "uv could not install requirements.txt" in done.stderr
    assert "with pip" in done.stdout
    assert (course / ".venv" / "bin" / "pip").exists()
    assert (course / ".venv" / ".installed").exists()
