"""The course's checks on CPython 3.14 and 3.15 from Debian unstable's own packages, in a chroot.

`make test-debian-pythons` (mode ``test``): for each version, a fresh copy of this repository's
committed HEAD (``--commit REV`` for another; ``--worktree``: HEAD with the working tree laid over
it, uncommitted and untracked files included), taken once so that both versions test the same
files, inside a minimal Debian sid tree, where ``make test PYTHON=python3.X`` runs exactly as a
learner's first `make test` (it creates .venv itself). CI runs this from a fresh clone, so HEAD is
what is checked there. Afterwards each version's line says whether any wheel had to be compiled
and whether the run left a process behind (it is killed and named).

`make notebooks-3.14` (mode ``notebooks``): the working tree itself is bind-mounted into the tree
at its own path and ``make notebooks PYTHON=python3.14 VENV=.venv-3.14-debian`` stores the outputs
of a 3.14 kernel in it. That venv only works inside the tree (its python is sid's).

The tree is made once with ``debootstrap --variant=minbase`` (about 45 s) in a cache directory
outside the repository (default /var/tmp/course-debian-sid, or $COURSE_DEBIAN_TREE, or
``--tree``) and reused while its stamp says it is complete and both interpreters run. Each run
copies in the machine's DNS settings, CA bundle and pip configuration (config files and PIP_*
variables; directories they name, such as a local find-links or file:// index, are bind-mounted
read-only), mounts /proc, /sys and /dev (with /dev/pts and /dev/shm, which multiprocessing needs),
and always unmounts them at the end, also on Ctrl-C, SIGTERM or a timeout. Commands in the chroot
start with SIGINT at its default, even when this runs in the background. Needs root.

Stdlib only. Each step prints one line with its duration; make's output goes to
build/debian-pythons/*.log (``--verbose`` shows it live), a failure's summary is printed, and the
per-version table is written to build/debian-pythons.json.
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from runs import ROOT, report

VERSIONS = ("3.14", "3.15")
SUITE = "sid"
PYTHON_PACKAGES = tuple(f"python{v}{suffix}" for v in VERSIONS for suffix in ("", "-venv"))
PACKAGES = (*PYTHON_PACKAGES, "make", "git", "ca-certificates")
DEFAULT_TREE = "/var/tmp/course-debian-sid"
TREE_ENV = "COURSE_DEBIAN_TREE"
STAMP = ".course-debian-pythons.json"  # written when the tree is made; "complete" once it is
CLONES = "srv"  # fresh clones go to <tree>/srv/course-3.X
NOTEBOOKS_VENV = ".venv-{version}-debian"  # covered by .gitignore's and ruff's ".venv*"
LOGS = ROOT / "build" / "debian-pythons"
TEST_TIMEOUT = 1800  # seconds per version: venv + pip install + the suite, ~5 min normally
NOTEBOOKS_TIMEOUT = 3600
CHROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Every command in the chroot starts with this. A run started in the background by a shell
# without job control inherits SIGINT ignored, and then nothing in it can be interrupted: the
# course's KeyboardInterrupt demos and tests fail. The chroot's coreutils env restores it.
CHROOT_ENV_CMD = ("env", "--default-signal=INT")
# Host files copied in as they are, so names resolve and TLS verifies as on the host.
HOST_FILES = ("/etc/resolv.conf", "/etc/hosts")
# CA bundles the host names in its environment: copied in when they are files.
CA_VARS = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO")
# Variables passed into the chroot besides PIP_* and COURSE_*: CA bundles, proxies, CI.
PASS_ENV = (
    "CI",
    "LANG",
    "TERM",
    "SSL_CERT_DIR",
    *CA_VARS,
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
)


# --- pure parts (unit-tested in tests/test_debian_pythons.py) ---------------------------------


def pip_config_files(env: Mapping[str, str], home: Path, etc: Path = Path("/etc")) -> list[Path]:
    """pip's configuration files that exist, in pip's order: global, user, $PIP_CONFIG_FILE.

    Global: <dir>/pip/pip.conf for each of $XDG_CONFIG_DIRS (default /etc/xdg), then
    /etc/pip.conf; user: ~/.pip/pip.conf and $XDG_CONFIG_HOME/pip/pip.conf (default ~/.config).
    A venv's own ``<prefix>/pip.conf`` (pip's "site" file) belongs to that venv, not the machine.
    """
    xdg_dirs = env.get("XDG_CONFIG_DIRS") or str(etc / "xdg")
    candidates = [Path(d) / "pip" / "pip.conf" for d in xdg_dirs.split(":") if d]
    candidates.append(etc / "pip.conf")
    candidates.append(home / ".pip" / "pip.conf")
    candidates.append(Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "pip" / "pip.conf")
    if env.get("PIP_CONFIG_FILE") and env["PIP_CONFIG_FILE"] != os.devnull:
        candidates.append(Path(env["PIP_CONFIG_FILE"]))
    found: list[Path] = []
    for path in candidates:
        if path.is_file() and path not in found:
            found.append(path)
    return found


def pip_values(config_texts: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """Every value of pip's configuration (all sections) and of the PIP_* variables."""
    values: list[str] = []
    for text in config_texts:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        with contextlib.suppress(configparser.Error):
            parser.read_string(text)
            for section in parser.sections():
                values += [v for v in parser[section].values() if v]
    values += [v for k, v in sorted(env.items()) if k.startswith("PIP_") and v]
    return values


def referenced_paths(values: Sequence[str]) -> list[str]:
    """Absolute local paths named in pip settings: plain paths and file:// URLs, space-separated.

    A file:// index ``<root>/simple`` (PEP 503's name) links to its files by relative URLs,
    usually in a sibling folder (``<root>/files``, ``<root>/packages``): its ``<root>`` is needed.
    """
    paths: set[str] = set()
    for value in values:
        for word in value.split():
            if word.startswith("file://"):
                word = os.path.normpath(word[len("file://") :])
                if os.path.basename(word) == "simple":
                    word = os.path.dirname(word)
            if word.startswith("/"):
                paths.add(os.path.normpath(word))
    return sorted(paths)


def chroot_env(host: Mapping[str, str]) -> dict[str, str]:
    """The environment inside the chroot: a clean base plus PIP_*, COURSE_*, CA and proxy vars."""
    env = {"PATH": CHROOT_PATH, "HOME": "/root", "LANG": "C.UTF-8", "TERM": "dumb"}
    for key, value in host.items():
        if key in PASS_ENV or key.startswith(("PIP_", "COURSE_")):
            env[key] = value
    return env


@dataclass(frozen=True)
class Mount:
    """One mount in the tree: ``how`` is proc, rbind (recursive, slave) or bind / bind-ro."""

    how: str
    source: str
    target: Path


def mount_plan(tree: Path, shared_dirs: Sequence[str] = (), worktree: Path | None = None):
    """The mounts for a run, in mounting order (unmount in reverse).

    /proc; /sys with its cgroup mounts and /dev with /dev/pts and /dev/shm, recursively (the
    course reads cgroup limits, multiprocessing needs /dev/shm); host directories that pip's
    settings name, read-only at the same path; the working tree read-write at its own path.
    """
    plan = [
        Mount("proc", "proc", tree / "proc"),
        Mount("rbind", "/sys", tree / "sys"),
        Mount("rbind", "/dev", tree / "dev"),
    ]
    plan += [Mount("bind-ro", d, tree / d.lstrip("/")) for d in sorted(shared_dirs)]
    if worktree is not None:
        plan.append(Mount("bind", str(worktree), tree / str(worktree).lstrip("/")))
    return plan


def mount_commands(mount: Mount) -> list[list[str]]:
    """The mount(8) command lines that make ``mount``."""
    target = str(mount.target)
    if mount.how == "proc":
        return [["mount", "-t", "proc", "proc", target]]
    if mount.how == "rbind":  # rslave: unmounting inside never reaches the host's mounts
        return [["mount", "--rbind", mount.source, target], ["mount", "--make-rslave", target]]
    if mount.how == "bind-ro":
        return [
            ["mount", "--bind", mount.source, target],
            ["mount", "-o", "remount,bind,ro", target],
        ]
    return [["mount", "--bind", mount.source, target]]


def unescape_mountinfo(field: str) -> str:
    """/proc/self/mountinfo writes space, tab, newline and backslash as octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mounts_under(tree: Path, mountinfo: str) -> list[str]:
    """Mount points at or below ``tree`` in a mountinfo text, deepest first."""
    prefix = str(tree).rstrip("/")
    points = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if len(fields) > 4:
            point = unescape_mountinfo(fields[4])
            if point == prefix or point.startswith(prefix + "/"):
                points.append(point)
    return sorted(set(points), key=lambda p: (-p.count("/"), p))


def inside(tree: Path, path: Path) -> bool:
    """Whether ``path``, symlinks resolved, stays inside ``tree`` (a link could point out)."""
    real_tree = os.path.realpath(tree)
    return os.path.commonpath([real_tree, os.path.realpath(path)]) == real_tree


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def strip_ansi(text: str) -> str:
    """Without colour codes (nbval colours its messages even when writing to a file)."""
    return ANSI.sub("", text)


SUMMARY = re.compile(r"^=+ (?P<text>.*\b(?:passed|failed|errors?|skipped|no tests ran)\b.*) =+$")


def pytest_summary(log: str) -> str | None:
    """pytest's last summary line (``3 failed, 800 passed in 190.2s``), or None."""
    found = None
    for line in strip_ansi(log).splitlines():
        match = SUMMARY.match(line.strip())
        if match:
            found = match.group("text")
    return found


def failed_tests(log: str) -> list[str]:
    """The FAILED / ERROR lines of pytest's short test summary."""
    lines = strip_ansi(log).splitlines()
    return [line for line in lines if line.startswith(("FAILED ", "ERROR "))]


def built_here(wheel_files: Mapping[str, str]) -> list[str]:
    """Distributions whose wheel was compiled on this machine, from their dist-info WHEEL texts.

    A wheel from the index names a portable platform (manylinux_*, musllinux_*) or none (any);
    one that pip compiled from an sdist is tagged with the bare platform, e.g. linux_x86_64.
    """
    built = []
    for dist, text in sorted(wheel_files.items()):
        tags = [
            line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Tag:")
        ]
        if any(tag.rsplit("-", 1)[-1].startswith("linux_") for tag in tags):
            built.append(dist)
    return built


def failure_excerpt(log: str, limit: int = 300) -> list[str]:
    """What to print for a failed run: pytest's FAILURES and summary sections, else the end."""
    lines = strip_ansi(log).splitlines()
    start = next(
        (i for i, line in enumerate(lines) if re.match(r"^=+ (FAILURES|ERRORS) =+$", line)),
        max(0, len(lines) - 60),
    )
    excerpt = lines[start:]
    if len(excerpt) > limit:
        skipped = len(excerpt) - limit
        excerpt = [f"[... {skipped} lines, see the log ...]", *excerpt[-limit:]]
    return excerpt


# --- the tree ---------------------------------------------------------------------------------


def say(step: str, detail: str, seconds: float | None = None) -> None:
    """One line per step: what it did and how long it took."""
    took = f"  {seconds:.1f}s" if seconds is not None else ""
    print(f"debian-pythons: {step:<18} {detail}{took}", flush=True)


def begin(step: str, verbose: bool) -> None:
    """Start a long step's line; ``end`` completes it (on a line of its own if verbose)."""
    print(f"debian-pythons: {step:<18} ", end="\n" if verbose else "", flush=True)


def end(step: str, detail: str, seconds: float, verbose: bool) -> None:
    prefix = f"debian-pythons: {step:<18} " if verbose else ""
    print(f"{prefix}{detail}  {seconds:.1f}s", flush=True)


def quiet(cmd: Sequence[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), capture_output=True, text=True, check=False, **kwargs)


def python_versions(tree: Path) -> dict[str, str | None]:
    """X.Y -> the full version of sid's python3.X in the tree, None if it does not run."""
    found: dict[str, str | None] = {}
    for version in VERSIONS:
        code = "import sys; print(sys.version.split()[0])"
        try:
            done = quiet(["chroot", str(tree), f"python{version}", "-c", code], timeout=60)
            found[version] = done.stdout.strip() if done.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired):
            found[version] = None
    return found


def read_stamp(tree: Path) -> dict | None:
    try:
        return json.loads((tree / STAMP).read_text())
    except (OSError, ValueError):
        return None


def unmount_all(tree: Path) -> list[str]:
    """Unmount everything at or below ``tree`` (lazily if busy); return what is still mounted."""
    for point in mounts_under(tree, Path("/proc/self/mountinfo").read_text()):
        if quiet(["umount", point]).returncode != 0:
            quiet(["umount", "-l", point])
    return mounts_under(tree, Path("/proc/self/mountinfo").read_text())


def remove_tree(path: Path) -> None:
    """Remove a tree this script made: only with nothing mounted in it, never across mounts."""
    if read_stamp(path) is None and any(path.iterdir()):
        raise SystemExit(f"debian-pythons: {path} was not made by this script; not removing it")
    kill_tree_processes(path)
    left = unmount_all(path)
    if left:
        raise SystemExit(f"debian-pythons: still mounted under {path}: {left}; not removing it")
    subprocess.run(["rm", "-rf", "--one-file-system", str(path)], check=True)


def install_debootstrap() -> None:
    """Install Debian's debootstrap package (this runs as root), updating the lists if needed."""
    start = time.monotonic()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "debootstrap"]
    if shutil.which("apt-get") and quiet(install, env=env).returncode != 0:
        quiet(["apt-get", "update", "-qq"], env=env)
        quiet(install, env=env)
    if not shutil.which("debootstrap"):
        raise SystemExit("debian-pythons: debootstrap is missing: 'apt-get install debootstrap'")
    say("debootstrap", "installed with apt-get", time.monotonic() - start)


def ensure_tree(tree: Path, rebuild: bool) -> dict[str, str | None]:
    """Reuse the tree when complete and working, else make it with debootstrap."""
    start = time.monotonic()
    stamp = read_stamp(tree)
    if tree.exists() and stamp is None and any(tree.iterdir()):
        raise SystemExit(
            f"debian-pythons: {tree} exists and was not made by this script; "
            f"remove it or choose another (--tree or ${TREE_ENV})"
        )
    if stamp and stamp.get("complete") and stamp.get("packages") == list(PACKAGES) and not rebuild:
        kill_tree_processes(tree)  # left over from a run that was killed with SIGKILL
        unmount_all(tree)
        versions = python_versions(tree)
        if all(versions.values()):
            pythons = ", ".join(f"python{v} {full}" for v, full in versions.items())
            say("tree", f"reused {tree} ({pythons})", time.monotonic() - start)
            return versions
    if not shutil.which("debootstrap"):
        install_debootstrap()
    partial = tree.with_name(tree.name + ".partial")
    for old in (partial, tree):
        if old.exists():
            remove_tree(old)
    partial.mkdir(parents=True)
    (partial / STAMP).write_text(json.dumps({"complete": False, "packages": list(PACKAGES)}))
    log = LOGS / "debootstrap.log"
    LOGS.mkdir(parents=True, exist_ok=True)
    say("tree", f"debootstrap {SUITE} into {tree} (log: {log.relative_to(ROOT)}) ...")
    cmd = ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE]
    with log.open("w") as out:
        code = subprocess.run([*cmd, str(partial)], stdout=out, stderr=subprocess.STDOUT).returncode
    if code != 0:
        print("\n".join(log.read_text().splitlines()[-30:]))
        raise SystemExit(f"debian-pythons: debootstrap failed (exit code {code}); see {log}")
    versions = python_versions(partial)
    if not all(versions.values()):
        raise SystemExit(f"debian-pythons: the new tree's pythons do not run: {versions}")
    stamp = {
        "complete": True,
        "suite": SUITE,
        "packages": list(PACKAGES),
        "pythons": versions,
        "made": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.monotonic() - start, 1),
    }
    (partial / STAMP).write_text(json.dumps(stamp, indent=2) + "\n")
    partial.rename(tree)
    pythons = ", ".join(f"python{v} {full}" for v, full in versions.items())
    say("tree", f"made {tree} ({pythons})", time.monotonic() - start)
    return versions


@contextlib.contextmanager
def locked(tree: Path) -> Iterator[None]:
    """One run at a time per tree: another run would unmount this one's mounts."""
    tree.parent.mkdir(parents=True, exist_ok=True)
    with open(tree.with_name(tree.name + ".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("lock", f"another run is using {tree}; waiting for it ...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def copy_in(tree: Path, host_path: str) -> None:
    """Copy a host file into the tree at the same path, replacing a file or link there."""
    target = tree / host_path.lstrip("/")
    if not inside(tree, target.parent):  # checked first: mkdir would follow a link out
        raise SystemExit(f"debian-pythons: {target.parent} leads out of the tree; not copying")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        target.unlink()
    shutil.copyfile(host_path, target)


def host_settings(env: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(files to copy in, directories to bind-mount): DNS, CA bundle, pip's config and paths."""
    configs = pip_config_files(env, Path.home())
    values = pip_values([p.read_text() for p in configs], env)
    files = [p for p in HOST_FILES if Path(p).is_file()] + [str(p) for p in configs]
    files += [env[k] for k in CA_VARS if env.get(k) and Path(env[k]).is_file()]
    dirs = []
    for path in referenced_paths(values):
        if Path(path).is_dir():
            dirs.append(path)
        elif Path(path).is_file():
            files.append(path)
    return sorted(set(files)), dirs


def kill_tree_processes(tree: Path) -> list[str]:
    """SIGKILL every process whose root is the tree (kernels, workers, servers); their names."""
    real = os.path.realpath(tree)
    killed: list[str] = []
    for _ in range(5):
        pids = []
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                with contextlib.suppress(OSError):
                    if os.readlink(proc / "root") == real:
                        pids.append(proc)
        if not pids:
            break
        for proc in pids:
            with contextlib.suppress(OSError):
                argv = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                os.kill(int(proc.name), signal.SIGKILL)
                killed.append(f"[{proc.name}] {argv.strip()[:160]}")
        time.sleep(0.5)
    return killed


@contextlib.contextmanager
def mounted(tree: Path, env: Mapping[str, str], worktree: Path | None = None) -> Iterator[None]:
    """Copy the host's settings in, mount, and always kill what runs there and unmount."""
    start = time.monotonic()
    files, dirs = host_settings(env)
    plan = mount_plan(tree, dirs, worktree)
    try:
        for path in files:
            copy_in(tree, path)
        for mount in plan:
            if not inside(tree, mount.target):  # checked first: mkdir would follow a link out
                raise SystemExit(f"debian-pythons: {mount.target} leads out of the tree")
            mount.target.mkdir(parents=True, exist_ok=True)
            for cmd in mount_commands(mount):
                subprocess.run(cmd, check=True)
        shared = f"; pip's {', '.join(dirs)} read-only" if dirs else ""
        say(
            "mount", f"/proc /sys /dev{shared}; copied {len(files)} files", time.monotonic() - start
        )
        yield
    finally:
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            start = time.monotonic()
            killed = kill_tree_processes(tree)
            left = unmount_all(tree)
            detail = f"{len(plan)} mounts"
            if killed:
                detail += f"; killed {len(killed)} left running: {'; '.join(killed)}"
            if left:
                detail += f"; STILL MOUNTED: {', '.join(left)}"
            say("unmount", detail, time.monotonic() - start)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


# --- runs -------------------------------------------------------------------------------------


def run_logged(
    tree: Path,
    cmd: Sequence[str],
    env: Mapping[str, str],
    log: Path,
    timeout: float,
    verbose: bool,
) -> tuple[int | None, float]:
    """Run ``cmd`` in the chroot; output to ``log`` (and the terminal if verbose).

    Returns (exit code or None on timeout, seconds). Everything left in the tree is killed on a
    timeout, on Ctrl-C and at the end, so the unmount that follows finds nothing busy.
    """
    start = time.monotonic()
    log.parent.mkdir(parents=True, exist_ok=True)
    timed_out = threading.Event()

    def on_timeout() -> None:
        timed_out.set()
        kill_tree_processes(tree)

    proc = subprocess.Popen(
        ["chroot", str(tree), *cmd],
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches this script, which then cleans up
    )
    timer = threading.Timer(timeout, on_timeout)
    timer.start()
    try:
        with log.open("wb") as out:
            assert proc.stdout is not None
            for line in proc.stdout:
                out.write(line)
                if verbose:
                    sys.stdout.buffer.write(line)
                    sys.stdout.flush()
        code = proc.wait()
    except BaseException:
        print("interrupted", flush=True)  # ends the step's line; the caller cleans up
        raise
    finally:
        timer.cancel()
        if proc.poll() is None:
            kill_tree_processes(tree)
            proc.wait()
    return (None if timed_out.is_set() else code), time.monotonic() - start


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def worktree_files(repo: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files of the working tree that exist."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=repo)
    names = sorted({n for n in listed.split("\0") if n})
    return [n for n in names if (repo / n).is_file() or (repo / n).is_symlink()]


def snapshot(tree: Path, commit: str, worktree: bool) -> tuple[Path, str]:
    """One source for every version, taken once: a clone of ``commit`` at <tree>/srv/course-src,
    with the working tree laid over it (changed, deleted, untracked-not-ignored files) if asked.
    Taken once, so each version tests the same files while others go on committing and editing.
    """
    src = tree / CLONES / "course-src"
    if src.exists():
        shutil.rmtree(src)
    src.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(src)], check=True)
    subprocess.run(["git", "-C", str(src), "checkout", "--quiet", "--detach", commit], check=True)
    what = f"commit {commit[:12]}"
    if not worktree:
        return src, what
    wanted = worktree_files(ROOT)
    for name in set(git("ls-files", "-z", cwd=src).split("\0")) - set(wanted) - {""}:
        (src / name).unlink(missing_ok=True)
    for name in wanted:
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        shutil.copy2(ROOT / name, target, follow_symlinks=False)
    changed = len(git("status", "--porcelain", cwd=src).splitlines())
    return src, f"{what} + working tree ({changed} files differ)"


def fresh_copy(tree: Path, src: Path, version: str) -> Path:
    """<tree>/srv/course-X.Y, a fresh copy of the snapshot (the last run's copy is replaced)."""
    clone = tree / CLONES / f"course-{version}"
    if clone.exists():
        subprocess.run(["rm", "-rf", "--one-file-system", str(clone)], check=True)
    shutil.copytree(src, clone, symlinks=True)
    return clone


def wheel_report(venv: Path) -> tuple[int, list[str]]:
    """(distributions installed in the venv, those whose wheel was compiled here)."""
    wheels = {
        w.parent.name.split("-")[0]: w.read_text(errors="replace")
        for w in venv.glob("lib/python*/site-packages/*.dist-info/WHEEL")
    }
    return len(wheels), built_here(wheels)


def in_tree(tree: Path, path: Path) -> str:
    return "/" + str(path.relative_to(tree))


def check_versions(
    tree: Path, args: argparse.Namespace, full: Mapping[str, str | None]
) -> list[dict]:
    env = chroot_env(os.environ)
    start = time.monotonic()
    src, what = snapshot(tree, args.commit, args.worktree)
    say("clone", f"{what} -> {src}", time.monotonic() - start)
    results = []
    for version in args.versions:
        start = time.monotonic()
        clone = fresh_copy(tree, src, version)
        say(f"copy {version}", f"-> {clone}", time.monotonic() - start)
        log = LOGS / f"make-test-{version}.log"
        cmd = [*CHROOT_ENV_CMD, f"--chdir={in_tree(tree, clone)}", "make", "test"]
        cmd.append(f"PYTHON=python{version}")
        begin(f"make test {version}", args.verbose)
        code, seconds = run_logged(tree, cmd, env, log, args.timeout, args.verbose)
        text = log.read_text(errors="replace")
        result = "pass" if code == 0 else "TIMEOUT" if code is None else "FAIL"
        summary = pytest_summary(text) or "no pytest summary"
        end(f"make test {version}", f"{result}: {summary}", seconds, args.verbose)
        left = kill_tree_processes(tree)  # a process the run left behind: a leak to look at
        if left:
            say(f"leftovers {version}", f"{len(left)} left running, killed: {'; '.join(left)}")
        installed, built = wheel_report(clone / ".venv")
        compiled = f"compiled here: {', '.join(built)}" if built else "none compiled here"
        say(f"wheels {version}", f"{installed} distributions in .venv, {compiled}")
        row = {
            "python": f"{version} ({full.get(version)})",
            "result": result,
            "code": code,
            "seconds": round(seconds, 1),
            "summary": summary,
            "failed": failed_tests(text),
            "left_running": left,
            "distributions": installed,
            "compiled_here": built,
            "log": str(log.relative_to(ROOT)),
        }
        if result != "pass":
            print("\n".join(failure_excerpt(text)))
            print(f"debian-pythons: full log: {row['log']}\n", flush=True)
        results.append(row)
    return results


def run_notebooks(
    tree: Path, args: argparse.Namespace, full: Mapping[str, str | None]
) -> list[dict]:
    version = args.versions[0]
    venv = NOTEBOOKS_VENV.format(version=version)
    repo = Path(args.repo).resolve()
    cmd = [
        *CHROOT_ENV_CMD,
        f"--chdir={repo}",
        "make",
        "notebooks",
        f"PYTHON=python{version}",
        f"VENV={venv}",
        *([f"NB={args.nb}"] if args.nb and args.nb.strip() else []),
    ]
    log = LOGS / f"notebooks-{version}.log"
    begin(f"notebooks {version}", args.verbose)
    code, seconds = run_logged(tree, cmd, chroot_env(os.environ), log, args.timeout, args.verbose)
    result = "pass" if code == 0 else "TIMEOUT" if code is None else "FAIL"
    end(f"notebooks {version}", f"{result}: outputs stored in {repo}", seconds, args.verbose)
    text = log.read_text(errors="replace")
    if result != "pass":
        print("\n".join(failure_excerpt(text)))
        print(f"debian-pythons: full log: {log.relative_to(ROOT)}", flush=True)
    return [
        {
            "python": f"{version} ({full.get(version)})",
            "result": result,
            "code": code,
            "seconds": round(seconds, 1),
            "log": str(log.relative_to(ROOT)),
        }
    ]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("test", "notebooks", "tree"), help="tree: only make it")
    parser.add_argument("--tree", default=os.environ.get(TREE_ENV) or DEFAULT_TREE)
    parser.add_argument("--rebuild", action="store_true", help="make the tree anew")
    parser.add_argument("--versions", default=None, help="comma-separated (test: 3.14,3.15)")
    parser.add_argument("--commit", default="HEAD", help="test: the commit to clone (HEAD)")
    parser.add_argument("--worktree", action="store_true", help="test: HEAD + the working tree")
    parser.add_argument("--nb", default="", help="notebooks: NB=... for make notebooks")
    parser.add_argument("--repo", default=str(ROOT), help="notebooks: the working tree to update")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per make run")
    parser.add_argument("--verbose", action="store_true", help="show make's output live")
    args = parser.parse_args(argv)
    default = "3.14" if args.mode == "notebooks" else ",".join(VERSIONS)
    args.versions = [v.strip() for v in (args.versions or default).split(",") if v.strip()]
    unknown = set(args.versions) - set(VERSIONS)
    if unknown:
        parser.error(f"--versions: only {', '.join(VERSIONS)} are in the tree, not {unknown}")
    if args.worktree and args.commit != "HEAD":
        parser.error("--worktree lays the working tree over HEAD; leave out --commit")
    if args.timeout is None:
        args.timeout = NOTEBOOKS_TIMEOUT if args.mode == "notebooks" else TEST_TIMEOUT
    args.tree = Path(args.tree).absolute()
    return args


def exit_on_signal(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that unmount


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if os.geteuid() != 0:
        print("debian-pythons: needs root: debootstrap and chroot", file=sys.stderr)
        return 2
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, exit_on_signal)
    with locked(args.tree):
        full = ensure_tree(args.tree, args.rebuild)
        if args.mode == "tree":
            return 0
        worktree = Path(args.repo).resolve() if args.mode == "notebooks" else None
        if args.mode == "test":  # resolved once: each version tests the same commit
            try:
                args.commit = git("rev-parse", "--verify", f"{args.commit}^{{commit}}").strip()
            except subprocess.CalledProcessError:
                raise SystemExit(f"debian-pythons: no such commit: {args.commit}") from None
        with mounted(args.tree, os.environ, worktree):
            if args.mode == "test":
                results = check_versions(args.tree, args, full)
            else:
                results = run_notebooks(args.tree, args, full)
    name = "debian-pythons.json" if args.mode == "test" else "debian-pythons-notebooks.json"
    report(results, "python", "Python (Debian sid)", name)
    return 0 if all(r["result"] == "pass" for r in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the mounts are gone by now: main's finally blocks ran
        print("debian-pythons: interrupted", file=sys.stderr)
        sys.exit(130)
