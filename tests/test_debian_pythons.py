"""tests/tools/debian_pythons.py: pip settings, mounts, log parsing. No root, no chroot."""

import fnmatch
import importlib
import os
import sys
import tomllib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
dp = importlib.import_module("debian_pythons")

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_pip_config_files_are_found_where_pip_looks_in_pips_order(tmp_path):
    etc, home = tmp_path / "etc", tmp_path / "home"
    xdg_global = write(etc / "xdg" / "pip" / "pip.conf")
    legacy_global = write(etc / "pip.conf")
    legacy_user = write(home / ".pip" / "pip.conf")
    user = write(home / ".config" / "pip" / "pip.conf")
    named = write(tmp_path / "named.conf")
    found = dp.pip_config_files({"PIP_CONFIG_FILE": str(named)}, home, etc)
    assert found == [xdg_global, legacy_global, legacy_user, user, named]


def test_pip_config_files_follow_xdg_variables_and_skip_missing_and_devnull(tmp_path):
    etc, home = tmp_path / "etc", tmp_path / "home"
    other = write(tmp_path / "dirs" / "b" / "pip" / "pip.conf")
    user = write(tmp_path / "cfg" / "pip" / "pip.conf")
    env = {
        "XDG_CONFIG_DIRS": f"{tmp_path / 'dirs' / 'a'}:{tmp_path / 'dirs' / 'b'}",
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "PIP_CONFIG_FILE": os.devnull,
    }
    assert dp.pip_config_files(env, home, etc) == [other, user]


def test_local_paths_in_pip_settings_are_found_and_web_urls_ignored():
    config = """[global]
find-links = /opt/wheels
extra-index-url = file:///opt/pypi/simple file:///srv/index/
constraint = /etc/xdg/pip/constraints.txt
timeout = 60
index-url = https://example.invalid/simple
[install]
cert = /etc/ssl/certs/bundle.crt
"""
    env = {"PIP_FIND_LINKS": "/srv/more-wheels", "PIP_DEFAULT_TIMEOUT": "180", "PATH": "/usr/bin"}
    values = dp.pip_values([config, "not [ an ini"], env)
    assert "180" in values and "/usr/bin" not in values
    assert dp.referenced_paths(values) == [
        "/etc/ssl/certs/bundle.crt",
        "/etc/xdg/pip/constraints.txt",
        "/opt/pypi",  # <root>/simple links to <root>/files: the whole root is needed
        "/opt/wheels",
        "/srv/index",
        "/srv/more-wheels",
    ]


def test_chroot_env_is_clean_but_keeps_pip_course_ca_and_proxy_settings():
    host = {
        "PATH": "/root/.pyenv/shims:/usr/bin",
        "HOME": "/home/x",
        "PYENV_ROOT": "/root/.pyenv",
        "VIRTUAL_ENV": "/work/.venv",
        "PIP_FIND_LINKS": "/opt/wheels",
        "COURSE_START_METHOD": "spawn",
        "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
        "https_proxy": "http://127.0.0.1:3128",
        "CI": "true",
    }
    env = dp.chroot_env(host)
    assert env["PATH"] == dp.CHROOT_PATH and env["HOME"] == "/root"
    assert "PYENV_ROOT" not in env and "VIRTUAL_ENV" not in env
    for key in ("PIP_FIND_LINKS", "COURSE_START_METHOD", "SSL_CERT_FILE", "https_proxy", "CI"):
        assert env[key] == host[key]


def test_mount_plan_mounts_system_dirs_pip_dirs_read_only_and_the_worktree_at_its_path():
    tree = Path("/var/tmp/t")
    plan = dp.mount_plan(tree, ["/opt/wheels"], Path("/work/main"))
    assert [(m.how, m.source, str(m.target)) for m in plan] == [
        ("proc", "proc", "/var/tmp/t/proc"),
        ("rbind", "/sys", "/var/tmp/t/sys"),
        ("rbind", "/dev", "/var/tmp/t/dev"),  # with /dev/pts and /dev/shm
        ("bind-ro", "/opt/wheels", "/var/tmp/t/opt/wheels"),
        ("bind", "/work/main", "/var/tmp/t/work/main"),
    ]
    assert dp.mount_plan(tree)[-1].how == "rbind"
    commands = [dp.mount_commands(m) for m in plan]
    assert commands[1][-1] == ["mount", "--make-rslave", "/var/tmp/t/sys"]
    assert commands[3][-1] == ["mount", "-o", "remount,bind,ro", "/var/tmp/t/opt/wheels"]
    assert commands[4] == [["mount", "--bind", "/work/main", "/var/tmp/t/work/main"]]


MOUNTINFO = r"""22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
101 22 0:5 / /var/tmp/t/proc rw - proc proc rw
102 22 0:6 / /var/tmp/t/sys rw - sysfs sysfs rw
103 102 0:7 / /var/tmp/t/sys/fs/cgroup rw - tmpfs tmpfs rw
104 22 254:0 /opt/my\040wheels /var/tmp/t/opt/my\040wheels ro - ext4 /dev/vda ro
105 22 0:8 / /var/tmp/t2/proc rw - proc proc rw
"""


def test_mounts_under_the_tree_are_listed_deepest_first_with_escapes_undone():
    assert dp.mounts_under(Path("/var/tmp/t"), MOUNTINFO) == [
        "/var/tmp/t/sys/fs/cgroup",
        "/var/tmp/t/opt/my wheels",
        "/var/tmp/t/proc",
        "/var/tmp/t/sys",
    ]
    assert dp.mounts_under(Path("/var/tmp/none"), MOUNTINFO) == []


def test_inside_sees_through_symlinks_that_lead_out_of_the_tree(tmp_path):
    tree = tmp_path / "tree"
    (tree / "etc").mkdir(parents=True)
    (tree / "opt").symlink_to(tmp_path)  # absolute link: from the host it leads out
    assert dp.inside(tree, tree / "etc" / "resolv.conf")
    assert not dp.inside(tree, tree / "opt" / "wheels")


LOG = """============================= test session starts ==============================
notebooks/11_processes_in_depth.ipynb ..F.
=================================== FAILURES ===================================
___________ notebooks/11_processes_in_depth.ipynb::Cell 3 ___________
Expected: fork
Got: forkserver
=========================== short test summary info ============================
FAILED notebooks/11_processes_in_depth.ipynb::Cell 3 - \x1b[91mNotebook cell execution failed\x1b[0m
ERROR tests/test_x.py::test_y - leak
============= 1 failed, 3 passed, 1 error in 12.34s =============
make: *** [Makefile:24: test] Error 1
"""


def test_pytest_summary_failures_and_excerpt_come_from_the_log():
    assert dp.pytest_summary(LOG) == "1 failed, 3 passed, 1 error in 12.34s"
    assert dp.pytest_summary("pip: no matching distribution\n") is None
    assert dp.failed_tests(LOG) == [
        "FAILED notebooks/11_processes_in_depth.ipynb::Cell 3 - Notebook cell execution failed",
        "ERROR tests/test_x.py::test_y - leak",
    ]
    excerpt = dp.failure_excerpt(LOG)
    assert "FAILURES" in excerpt[0] and excerpt[-1].startswith("make: ***")
    assert dp.failure_excerpt("x\n" * 100)[0] == "x" and len(dp.failure_excerpt("x\n" * 100)) == 60
    assert dp.failure_excerpt(LOG, limit=2)[0].startswith("[... 7 lines")


def test_versions_and_tree_come_from_options_and_the_environment(monkeypatch):
    monkeypatch.setenv(dp.TREE_ENV, "/srv/sid")
    args = dp.parse_args(["test"])
    assert args.versions == ["3.14", "3.15"] and args.tree == Path("/srv/sid")
    assert dp.parse_args(["notebooks", "--tree", "/x"]).versions == ["3.14"]
    with pytest.raises(SystemExit):
        dp.parse_args(["test", "--versions", "3.13"])


def test_without_root_it_says_so_and_fails(monkeypatch, capsys):
    monkeypatch.setattr(dp.os, "geteuid", lambda: 1000)
    assert dp.main(["test"]) != 0
    assert "needs root: debootstrap and chroot" in capsys.readouterr().err


def test_the_notebooks_venv_is_ignored_by_git_and_ruff():
    venv = dp.NOTEBOOKS_VENV.format(version="3.14")
    ignored = [line.rstrip("/") for line in (ROOT / ".gitignore").read_text().splitlines()]
    assert any(fnmatch.fnmatch(venv, pattern) for pattern in ignored if pattern)
    ruff = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    assert any(fnmatch.fnmatch(venv, pattern) for pattern in ruff["extend-exclude"])


def test_wheels_compiled_here_are_told_from_portable_ones():
    wheels = {
        "numpy": "Wheel-Version: 1.0\nTag: cp314-cp314-manylinux_2_27_x86_64\n",
        "psutil": "Tag: cp36-abi3-manylinux2010_x86_64\nTag: cp36-abi3-manylinux_2_12_x86_64\n",
        "tqdm": "Tag: py3-none-any\n",
        "pyyaml": "Generator: setuptools (80.0.0)\nTag: cp315-cp315-linux_x86_64\n",
    }
    assert dp.built_here(wheels) == ["pyyaml"]


def test_worktree_files_are_tracked_and_untracked_ones_not_ignored_or_deleted(tmp_path):
    def git(*args):
        dp.subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    write(tmp_path / ".gitignore", ".venv*/\n")
    write(tmp_path / "kept.py")
    write(tmp_path / "gone.py")
    git("add", ".")
    write(tmp_path / "new.py")
    write(tmp_path / ".venv-3.14-debian" / "pyvenv.cfg")
    (tmp_path / "gone.py").unlink()
    assert dp.worktree_files(tmp_path) == [".gitignore", "kept.py", "new.py"]
