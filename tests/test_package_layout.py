"""The package map's rules (helpers/README.md), checked.

1. ``helpers.workers`` modules import only the standard library (plus ``helpers._validate``): a
   worker process, or a bare interpreter under study, imports them with nothing installed.
2. Every public callable in ``helpers.workers`` pickles by reference: ``loads(dumps(f)) is f``.
3. Imports go one way: ``experiments`` and ``checks`` -> ``demos`` -> concept modules -> workers;
   within ``demos``, ``experiments`` and ``checks`` no module imports another of its own kind.
4. Every public name is used by a notebook, a helper or a command, not only by unit tests.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import pickle
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import helpers
import helpers.workers

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "helpers"
LEAVES = ("experiments", "checks")  # nothing but notebooks and commands imports them


def modules() -> list[str]:
    """Every module of the helpers package, dotted."""
    found = []
    for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        found.append(info.name)
    return sorted(found)


def layer(module: str) -> int:
    """0: workers and _validate; 1: concept modules; 2: demos; 3: experiments and checks."""
    parts = module.split(".")
    kind = parts[1] if len(parts) > 1 else ""
    if module == "helpers._validate" or kind == "workers":
        return 0
    return 3 if kind in LEAVES else 2 if kind == "demos" else 1


def story(module: str) -> str | None:
    """``helpers.demos.chess`` for any module of that story; None below the story layers."""
    parts = module.split(".")
    return ".".join(parts[:3]) if layer(module) >= 2 and len(parts) > 2 else None


def helper_imports(module: str) -> set[str]:
    """The helpers modules that ``module`` imports (at any level of its source)."""
    path = Path(importlib.util.find_spec(module).origin)
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if _is_module(candidate) else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("helpers")}
    return found - {"helpers"}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


WORKER_MODULES = [m for m in modules() if m.startswith("helpers.workers.")]


@pytest.mark.parametrize("module", WORKER_MODULES)
def test_workers_import_only_the_standard_library(module):
    # Standard library: a name in sys.stdlib_module_names, or a module installed in the stdlib
    # folder itself (distributions add private ones: Debian's _missing_stdlib_info on 3.15).
    code = (
        "import sys, sysconfig; sys.path.insert(0, sys.argv[1]); import importlib; "
        f"importlib.import_module({module!r}); "
        "std = set(sys.stdlib_module_names); "
        "roots = tuple({sysconfig.get_paths()[k] for k in ('stdlib', 'platstdlib')}); "
        "home = lambda m: getattr(sys.modules[m], '__file__', None) or ''; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] not in std "
        "and not home(m).startswith(roots) "
        "and m not in ('helpers', '__main__', 'helpers._validate') "
        "and not m.startswith('helpers.workers')))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]", f"{module} imports more than the standard library"


def test_workers_hold_the_pickling_explanation_once():
    text = (PACKAGE / "workers" / "__init__.py").read_text()
    assert "by reference" in text and "__main__" in text
    others = [
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent.name != "workers"
    ]
    repeated = [p for p in others if "pickle" in p.read_text() and "by reference" in p.read_text()]
    assert not repeated, f"the pickling reason is explained again in {repeated}"


def public_callables(module_name: str) -> list[tuple[str, object]]:
    module = importlib.import_module(module_name)
    return [
        (name, obj)
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and callable(obj)
        and getattr(obj, "__module__", None) == module_name
    ]


@pytest.mark.parametrize("module", WORKER_MODULES)
def test_every_public_worker_pickles_by_reference(module):
    found = public_callables(module)
    assert found, f"{module} has no public callables"
    for name, obj in found:
        assert pickle.loads(pickle.dumps(obj)) is obj, f"{module}.{name} does not pickle"


@pytest.mark.parametrize("module", modules())
def test_imports_go_one_way(module):
    for imported in helper_imports(module):
        assert layer(imported) <= layer(module), (
            f"{module} (layer {layer(module)}) imports {imported}"
        )
        base = imported.count(".") == 1  # helpers.checks itself: the shared base of its kind
        if layer(module) >= 2 and layer(imported) == layer(module) and not base:
            assert story(imported) == story(module) or imported.rsplit(".", 1)[0] == story(
                module
            ), f"{module} imports another story's module {imported}: move what both need down"


# Modules that must import with nothing installed (gil.py's other interpreter, child processes):
# they may import an optional library (psutil) where it is used.
STDLIB_ONLY = ("helpers.pools", "helpers.measure", "helpers.cpus", "helpers._validate")


def late_imports(source: str) -> list[str]:
    """Modules other than the standard library's that a function body imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found += [a.name for a in inner.names]
                elif isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                    found.append(inner.module)
    return [m for m in found if m.split(".")[0] not in sys.stdlib_module_names]


def test_late_imports_finds_a_function_level_import_only():
    source = "import pandas\ndef f():\n    import os\n    from matplotlib import pyplot\n"
    assert late_imports(source) == ["matplotlib"]


@pytest.mark.parametrize("module", [m for m in modules() if m not in STDLIB_ONLY and layer(m) > 0])
def test_libraries_are_imported_with_the_module(module):
    # The rule "Imports" of helpers/README.md: a first import that Kernel -> Interrupt cuts off
    # leaves the library half-imported (or Python's import lock held); at module level it
    # happens in a notebook's Setup cell.
    source = Path(importlib.util.find_spec(module).origin).read_text()
    assert late_imports(source) == [], f"{module} imports inside a function"


def _usage_text() -> str:
    """Where a public name may be used: notebooks' code, helpers, commands (tools, Makefile)."""
    parts = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        parts += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    paths = [*PACKAGE.rglob("*.py"), *(ROOT / "tests" / "tools").glob("*.py")]
    paths += [*(ROOT / "benchmarks").glob("*.py"), ROOT / "Makefile", ROOT / "conftest.py"]
    paths += [p for p in (ROOT / "tests").rglob("*.py") if not p.name.startswith("test_")]
    parts += [p.read_text() for p in paths if p.exists()]
    return "\n".join(parts)


@pytest.mark.parametrize("module", modules())
def test_every_public_name_is_used_outside_unit_tests(module):
    imported = importlib.import_module(module)
    source = Path(imported.__file__).read_text()
    text = _usage_text()
    unused = []
    for name, obj in vars(imported).items():
        if name.startswith("_") or inspect.ismodule(obj) or name in {"annotations", "T"}:
            continue
        if getattr(obj, "__module__", module) != module and not re.search(
            rf"^{name}\s*[:=]", source, re.M
        ):
            continue  # imported from elsewhere, not defined here
        uses = len(re.findall(rf"\b{re.escape(name)}\b", text))
        definitions = len(
            re.findall(rf"^(?:def |class |async def )?{re.escape(name)}\b", source, re.M)
        )
        if uses <= definitions:
            unused.append(name)
    assert not unused, f"{module}: public but used only by unit tests (or nowhere): {unused}"


def test_package_map_lists_every_module():
    text = (PACKAGE / "README.md").read_text()
    missing = [
        m
        for m in modules()
        if m.rsplit(".", 1)[-1] + ".py" not in text and not m.endswith("__init__")
    ]
    missing = [m for m in missing if not importlib.util.find_spec(m).submodule_search_locations]
    assert not missing, f"helpers/README.md does not list {missing}"
