"""Install the course's JupyterLab defaults into the environment that runs this script.

The defaults (overrides.json beside this file) switch off the "get notified about Jupyter news?"
pop-up and the update check: JupyterLab would otherwise greet every learner with a question about
a news feed. They go to the environment's own JupyterLab settings, never the learner's home:
``<app dir>/settings/overrides.d/concurrency-in-python.json``, where the app dir is
``<sys.prefix>/share/jupyter/lab`` (or ``$JUPYTERLAB_DIR``). JupyterLab reads every file in
``overrides.d`` as defaults that a learner can still change in the Settings Editor.

Run it with the environment's python after installing the requirements: `make` does (.venv),
postBuild does (Binder), README shows it for the set-up without make and for conda.
Standard library only, so it also runs before JupyterLab is installed.
"""

import os
import shutil
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().with_name("overrides.json")
NAME = "concurrency-in-python.json"


def app_dir() -> Path:
    """JupyterLab's app directory for this environment, as jupyterlab.commands.get_app_dir finds it
    for a venv or conda environment (importing it would take seconds)."""
    if os.environ.get("JUPYTERLAB_DIR"):
        return Path(os.environ["JUPYTERLAB_DIR"]).resolve()
    return Path(sys.prefix, "share", "jupyter", "lab")


def install(lab_dir: Path) -> Path:
    target = lab_dir / "settings" / "overrides.d" / NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, target)
    return target


if __name__ == "__main__":
    print(f"JupyterLab defaults for the course: {install(app_dir())}")
