"""`make bench-setup`: from a fresh clone to JupyterLab, how long a learner waits with uv and pip.

For each installer, in one run: ``uv-on-path`` (``make ... INSTALLER=uv`` with the Makefile's
uv version on PATH, installed beforehand, untimed), ``uv`` (no uv on PATH: make bootstraps it into
.venv with pip) and ``pip`` (``INSTALLER=pip``):

1. ``git clone`` of HEAD (or ``--commit REV``) into a temporary folder (``--overlay PATH ...``
   copies those files of the working tree on top, to measure work that is not committed yet);
2. ``make lab`` there, timed from before the clone until JupyterLab prints its URL; the time at
   which ``.venv/.installed`` was written splits it into install and JupyterLab's start. Then the
   settings API says whether the course's defaults are in force (the news pop-up off), and
   ``POST /api/shutdown`` stops the server; ``make lab`` must then exit 0;
3. the first import of what a notebook's kernel imports first (uv leaves compiling .pyc files to
   it), then ``make lab`` a second time (the everyday start, .venv there), timed the same way;
4. the size of .venv;
5. unless ``--quick``: a second fresh clone and ``make test`` there, timed from before the clone
   until it ends (about 4 minutes each). ``--test-only`` skips 2-4.

Caches are cold: every make gets new, empty ``UV_CACHE_DIR`` and ``PIP_CACHE_DIR`` folders, so
every wheel is downloaded, as on a learner's first day. PYTHONDONTWRITEBYTECODE is removed from
make's environment (a learner's Python writes .pyc files; uv installs without compiling them, pip
compiles them while installing). A table is printed, build/bench-setup.json written and make's
output kept in build/bench-setup/.
Standard library only: it runs before any venv exists. A benchmark, not a test: it reports the
goal (URL within GOAL_URL_SECONDS with uv, on PATH and bootstrapped) but its exit status only says
whether everything ran.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench-setup.json"
LOGS = ROOT / "build" / "bench-setup"  # make's output of every run
GOAL_URL_SECONDS = 10.0
# uv-on-path: a uv already installed (e.g. by README's uv instructions) is on PATH; uv: none
# is, so `make` bootstraps the Makefile's UV_VERSION into .venv with pip; pip: INSTALLER=pip.
INSTALLERS = ("uv-on-path", "uv", "pip")
MAKE = shutil.which("make") or "make"  # absolute, for the same reason as PYTHON (installer_env)
UV_VERSION = re.compile(r"^UV_VERSION := (\S+)$", re.MULTILINE)
# What a notebook's kernel imports first (00's Setup): uv installs without compiling .pyc files,
# so their first import pays for compiling them; pip compiled them while installing.
KERNEL_IMPORTS = "import ipykernel.kernelapp, matplotlib.pyplot, pandas, helpers.timeline"
URL = re.compile(r"(http://127\.0\.0\.1:\d+)/\S*\?token=(\w+)")
LAB_ARGS = "--no-browser --ServerApp.port=0"
NOTIFICATION = "/lab/api/settings/@jupyterlab/apputils-extension:notification"
LAB_TIMEOUT = 600.0  # seconds until the URL, install included, before the run counts as failed
TEST_TIMEOUT = 1800.0


def child_env(caches: Path) -> dict[str, str]:
    """The environment of a learner's shell: cold caches, no outer make or venv leaking in."""
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env["UV_CACHE_DIR"] = str(caches / "uv")
    env["PIP_CACHE_DIR"] = str(caches / "pip")
    return env


def clone(dest: Path, overlay: list[str], commit: str) -> None:
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", commit], check=True)
    for rel in overlay:
        src, dst = ROOT / rel, dest / rel
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def api(base: str, token: str, path: str, method: str = "GET") -> object:
    request = urllib.request.Request(
        base + path, method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def make_lab(
    repo: Path, env: dict[str, str], make_args: list[str], start: float, log_path: Path
) -> dict:
    """Start `make lab`, wait for the URL, read the notification settings, shut it down."""
    cmd = [MAKE, "lab", *make_args, f"LAB_ARGS={LAB_ARGS}"]
    with log_path.open("a") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so a failure can stop all of it
        )
        found: dict[str, object] = {}
        seen = threading.Event()

        def read() -> None:
            for line in proc.stdout:
                log.write(line)
                match = URL.search(line)
                if match and not seen.is_set():
                    found["at"] = time.monotonic()
                    found["base"], found["token"] = match.groups()
                    seen.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            while not seen.wait(0.05):
                if proc.poll() is not None or time.monotonic() - start > LAB_TIMEOUT:
                    raise RuntimeError(f"`make lab` gave no URL; see {log_path}")
            base, token = str(found["base"]), str(found["token"])
            # The server prints its URL a moment before it listens: retry a refused connection.
            for _ in range(100):
                try:
                    settings = api(base, token, NOTIFICATION)
                    break
                except urllib.error.URLError:
                    time.sleep(0.1)
            else:
                raise RuntimeError(f"JupyterLab did not answer at {base}; see {log_path}")
            defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
            api(base, token, "/api/shutdown", method="POST")
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            reader.join(timeout=10)
    return {
        "url_s": round(float(found["at"]) - start, 2),
        "fetch_news": defaults.get("fetchNews"),
        "check_for_updates": defaults.get("checkForUpdates"),
        "make_exit": code,
    }


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far: unlike wall-clock
    times, hardly changed by other programs competing for the cores."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def venv_mb(venv: Path) -> float:
    """Size of .venv as `du` counts it: each file once, hard links too."""
    seen, total = set(), 0
    for dirpath, _dirs, files in os.walk(venv):
        for name in files:
            st = os.lstat(os.path.join(dirpath, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return round(total / 2**20, 1)


def uv_on_path(work: Path, python: str) -> Path:
    """A folder holding the Makefile's uv, installed once, outside the timed runs."""
    version = UV_VERSION.search((ROOT / "Makefile").read_text())
    if version is None:
        raise RuntimeError("no UV_VERSION := ... line in the Makefile")
    target = work / "uv-tool"
    if not (target / "bin" / "uv").exists():
        subprocess.run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--target",
                str(target),
                f"uv=={version.group(1)}",
            ],
            check=True,
        )
    return target / "bin"


def installer_env(installer: str, work: Path, caches: Path, python: str) -> dict[str, str]:
    """make's environment for ``installer``: a uv on PATH only for uv-on-path.

    Folders holding a uv leave PATH; make, git and PYTHON are named by absolute paths (main), so
    they are still found when such a folder also holds them (~/.local/bin, Homebrew's bin).
    """
    env = child_env(caches)
    path = [d for d in env.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "uv").exists()]
    if installer == "uv-on-path":
        path.insert(0, str(uv_on_path(work, python)))
    env["PATH"] = os.pathsep.join(path)
    return env


def first_imports(repo: Path, env: dict[str, str]) -> float:
    """Seconds for a fresh .venv's python to import what a notebook's kernel imports first."""
    start = time.monotonic()
    subprocess.run(
        [str(repo / ".venv" / "bin" / "python"), "-c", KERNEL_IMPORTS],
        cwd=repo,
        env=env,
        check=True,
    )
    return round(time.monotonic() - start, 2)


def run_lab(installer: str, work: Path, args: argparse.Namespace) -> dict:
    repo = work / f"lab-{installer}"
    env = installer_env(installer, work, work / f"caches-lab-{installer}", args.python)
    make_args = [f"INSTALLER={installer.removesuffix('-on-path')}", f"PYTHON={args.python}"]
    t0_wall, t0 = time.time(), time.monotonic()
    clone(repo, args.overlay, args.commit)
    cloned = time.monotonic() - t0
    log_path = LOGS / f"lab-{installer}.log"
    log_path.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    cpu0 = children_cpu()
    first = make_lab(repo, env, make_args, t0, log_path)
    cpu = children_cpu() - cpu0
    installed = (repo / ".venv" / ".installed").stat().st_mtime - t0_wall
    imports = first_imports(repo, env)
    again = make_lab(repo, env, make_args, time.monotonic(), log_path)
    bootstrapped = "Bootstrapping uv" in log_path.read_text()
    return {
        "clone_s": round(cloned, 2),
        "install_s": round(installed - cloned, 2),
        "url_s": first["url_s"],
        "lab_start_s": round(first["url_s"] - installed, 2),
        "url_again_s": again["url_s"],
        "first_imports_s": imports,
        "uv_bootstrapped": bootstrapped,
        "venv_mb": venv_mb(repo / ".venv"),
        "fetch_news": first["fetch_news"],
        "check_for_updates": first["check_for_updates"],
        "make_lab_exit": [first["make_exit"], again["make_exit"]],
        "cpu_s": round(cpu, 1),
        "loadavg_1min": round(load, 2),
    }


def run_test(installer: str, work: Path, args: argparse.Namespace) -> dict:
    repo = work / f"test-{installer}"
    env = installer_env(installer, work, work / f"caches-test-{installer}", args.python)
    load = os.getloadavg()[0]
    t0 = time.monotonic()
    clone(repo, args.overlay, args.commit)
    log_path = LOGS / f"test-{installer}.log"
    skip = ["-o", "lint"] if args.skip_lint else []
    with log_path.open("w") as log:
        done = subprocess.run(
            [
                MAKE,
                *skip,
                "test",
                f"INSTALLER={installer.removesuffix('-on-path')}",
                f"PYTHON={args.python}",
            ],
            cwd=repo,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=TEST_TIMEOUT,
        )
    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    summary = next((line.strip("= ") for line in reversed(lines) if " in " in line), "")
    return {
        "test_s": round(time.monotonic() - t0, 1),
        "test_exit": done.returncode,
        "test_summary": summary,
        "test_loadavg_1min": round(load, 2),
    }


def table(results: dict[str, dict], lab: bool, test: bool) -> str:
    rows = (
        []
        if not lab
        else [
            ("clone -> JupyterLab URL (s)", "url_s"),
            ("  git clone (s)", "clone_s"),
            ("  make: venv + install (s)", "install_s"),
            ("  JupyterLab start, first (s)", "lab_start_s"),
            ("  uv bootstrapped by make", "uv_bootstrapped"),
            ("second `make lab` -> URL (s)", "url_again_s"),
            ("first kernel imports, fresh .venv (s)", "first_imports_s"),
            (".venv size (MB)", "venv_mb"),
            ("fetchNews default (course: false)", "fetch_news"),
            ("CPU s of the first make lab", "cpu_s"),
            ("load average (1 min) at its start", "loadavg_1min"),
        ]
    )
    if test:
        rows += [("clone -> `make test` done (s)", "test_s"), ("  make test exit", "test_exit")]
        rows += [("load average (1 min) at its start", "test_loadavg_1min")]
    names = list(results)
    lines = [f"{'':40}" + "".join(f"{name:>12}" for name in names)]
    for label, key in rows:
        cells = "".join(f"{results[name].get(key, '-')!s:>12}" for name in names)
        lines.append(f"{label:40}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="time to the URL only, no make test")
    parser.add_argument("--test-only", action="store_true", help="time make test only, no lab")
    parser.add_argument(
        "--skip-lint",
        action="store_true",
        help="make -o lint test: time the tests even when ruff fails (recorded in the JSON)",
    )
    parser.add_argument("--python", default="python3", help="PYTHON for make (default python3)")
    parser.add_argument("--installers", nargs="+", choices=INSTALLERS, default=list(INSTALLERS))
    parser.add_argument(
        "--overlay",
        nargs="*",
        default=[],
        metavar="PATH",
        help="working-tree files or folders copied over each clone",
    )
    parser.add_argument("--commit", default="HEAD", help="what the clones check out (HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the clones")
    args = parser.parse_args(argv)
    found = shutil.which(args.python)
    if found is None:
        parser.error(f"--python {args.python}: not found on PATH")
    args.python = found  # absolute: make's PATH may lose its folder (installer_env)

    work = Path(tempfile.mkdtemp(prefix="course-bench-setup-"))
    LOGS.mkdir(parents=True, exist_ok=True)
    head = subprocess.run(
        ["git", "rev-parse", "--short", args.commit], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    report: dict = {
        "commit": head,
        "overlay": args.overlay,
        "python": args.python,
        "cpus": os.cpu_count(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "caches": "cold: new empty UV_CACHE_DIR and PIP_CACHE_DIR for every clone",
        "goal_url_s_with_uv": GOAL_URL_SECONDS,
        "make_test": "make -o lint test (lint skipped)" if args.skip_lint else "make test",
        "results": {},
    }
    ok = True
    try:
        for installer in args.installers:
            result = report["results"][installer] = {}
            try:
                if not args.test_only:
                    print(f"--- {installer}: fresh clone -> make lab", flush=True)
                    result.update(run_lab(installer, work, args))
                if not args.quick:
                    print(f"--- {installer}: fresh clone -> make test", flush=True)
                    result.update(run_test(installer, work, args))
                    ok = ok and result["test_exit"] == 0
            except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
                result["error"] = str(exc)
                ok = False
                print(f"    failed: {exc}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"clones kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for name in ("uv-on-path", "uv"):
        if "url_s" in report["results"].get(name, {}):
            report.setdefault("goal_met", {})[name] = (
                report["results"][name]["url_s"] <= GOAL_URL_SECONDS
            )
    print(table(report["results"], lab=not args.test_only, test=not args.quick))
    for name, met in report.get("goal_met", {}).items():
        verdict = "met" if met else "MISSED"
        print(f"goal: clone -> URL <= {GOAL_URL_SECONDS:.0f} s with {name}: {verdict}")
    print(f"caches: {report['caches']}; load average at start: {report['loadavg_at_start']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
