"""Run the strict notebook suite with psutil denied other processes' memory and command line.

`make test-access-denied` (issue 10.5). On macOS, psutil cannot read another process's memory
(or, for other users' processes, its command line) without root: it raises ``AccessDenied``.
This simulates that on Linux: a ``sitecustomize.py`` written to a temporary directory put first
on ``PYTHONPATH`` replaces those ``psutil.Process`` methods so that they raise
``psutil.AccessDenied`` for any pid other than the calling process's own.

Only the notebooks' kernels and the processes they start are affected: the patch applies in a
process started as ``python -m ipykernel_launcher`` (``sys.orig_argv``), which then sets
``COURSE_DENY_OTHER_PROCESSES=1`` so that its worker processes (spawn, forkserver) apply it
too. pytest itself, whose leak check (conftest.py) reads the kernel's children with psutil, is
left alone. A real kernel is asked first that the patch is in force there and not in pytest.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from runs import ROOT, report

FLAG = "COURSE_DENY_OTHER_PROCESSES"
DENIED = (
    "memory_full_info",
    "memory_info",
    "memory_info_ex",
    "memory_maps",
    "memory_percent",
    "memory_footprint",
    "cmdline",
    "environ",
)

SITECUSTOMIZE = textwrap.dedent(
    f'''
    """Simulated macOS permissions (tests/tools/access_denied.py): psutil may not read other
    processes' memory or command line. Active in Jupyter kernels and the processes they start."""
    import os
    import sys

    def _deny_other_processes():
        import functools

        import psutil

        def deny(name):
            original = getattr(psutil.Process, name, None)
            if original is None:
                return

            @functools.wraps(original)
            def method(self, *args, **kwargs):
                if self.pid != os.getpid():
                    raise psutil.AccessDenied(
                        self.pid, msg=f"simulated: {{name}}() of another process is denied"
                    )
                return original(self, *args, **kwargs)

            setattr(psutil.Process, name, method)

        for name in {DENIED!r}:
            deny(name)
        psutil._course_access_denied = True

    _argv = sys.orig_argv
    _kernel = any(a == "-m" and b == "ipykernel_launcher" for a, b in zip(_argv, _argv[1:]))
    if os.environ.get("{FLAG}") == "1" or _kernel:
        os.environ["{FLAG}"] = "1"  # for the kernel's children
        try:
            _deny_other_processes()
        except ImportError:  # psutil not installed here: nothing to deny
            pass
    '''
)

PROBE = """
import os, psutil
own = psutil.Process().memory_full_info().uss > 0 and bool(psutil.Process().cmdline())
try:
    psutil.Process(os.getppid()).memory_info()
    other = "allowed"
except psutil.AccessDenied:
    other = "denied"
print(f"own={own} other={other} patched={getattr(psutil, '_course_access_denied', False)}")
"""


def probe_kernel(env: dict[str, str]) -> str:
    """What a real kernel started with ``env`` says about its own and its parent's memory."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT))
    try:
        out: list[str] = []
        reply = kc.execute_interactive(
            PROBE,
            timeout=60,
            output_hook=lambda m: out.append(m["content"].get("text", "")),
        )
        if reply["content"]["status"] != "ok":
            return f"error: {reply['content'].get('evalue')}"
        return "".join(out).strip()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pytest_args", nargs="*", help="after --: the pytest arguments")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="course-access-denied-") as tmp:
        Path(tmp, "sitecustomize.py").write_text(SITECUSTOMIZE)
        path = os.pathsep.join(p for p in (tmp, os.environ.get("PYTHONPATH")) if p)
        env = {**os.environ, "PYTHONPATH": path}
        env.pop(FLAG, None)
        here = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        kernel = probe_kernel(env)
        print(f"test-access-denied: in pytest's Python: {here}")
        print(f"test-access-denied: in a kernel:        {kernel}", flush=True)
        if here != "own=True other=allowed patched=False" or kernel != (
            "own=True other=denied patched=True"
        ):
            print("test-access-denied: FAIL: the simulation is not in force where it should be")
            return 1
        cmd = [sys.executable, "-m", "pytest", *args.pytest_args]
        print(f"\n=== PYTHONPATH={path} {' '.join(cmd)}", flush=True)
        start = time.monotonic()
        code = subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode
    result = {
        "simulation": "AccessDenied for other processes",
        "result": "pass" if code == 0 else "FAIL",
        "code": code,
        "seconds": round(time.monotonic() - start, 1),
    }
    report([result], "simulation", "simulation", "access-denied.json")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
