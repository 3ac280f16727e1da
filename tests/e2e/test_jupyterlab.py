"""End-to-end: every notebook runs in real JupyterLab in a real browser, as a learner runs it.

`make e2e` runs this (COURSE_E2E=1); plain `pytest` skips it. It starts JupyterLab from the course
venv on 127.0.0.1 with a random token, serving a scratch copy of notebooks/ (the committed
notebooks are never touched), and drives Debian's Chromium (/usr/bin/chromium, headless) with
Playwright for Python. For each notebook it opens it (no kernel-selection dialog may appear),
clears the outputs, runs Kernel > Restart Kernel and Run All Cells, waits until every cell ran and
the kernel is idle, saves, and checks the saved file: every code cell executed and no error output
appeared except in cells tagged raises-exception. A screenshot per notebook goes to build/e2e/.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

if os.environ.get("COURSE_E2E") != "1":
    pytest.skip("browser test: run it with `make e2e`", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = ROOT / "build" / "e2e"
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying to reach Google's hosts, which a closed
# network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# JupyterLab user settings for the scratch server: render every cell (no windowing, so the test
# sees all prompts) and don't ask about fetching Jupyter news.
LAB_SETTINGS = {
    "notebook-extension/tracker": {"windowingMode": "none"},
    "apputils-extension/notification": {"fetchNews": "false"},
}
NOTEBOOK_TIMEOUT = 240.0  # seconds for one notebook to run all its cells on a loaded machine


@dataclass
class Lab:
    url: str
    token: str
    root: Path

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab from this venv on 127.0.0.1:<free port>, random token, scratch notebooks."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    for name, values in LAB_SETTINGS.items():
        path = root / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    token, port = secrets.token_hex(24), free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1"]
    cmd += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    cmd += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    cmd += ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    cmd += ["--LabApp.expose_app_in_browser=True"]  # read-only progress checks, see PROGRESS_JS
    # The legacy kernel websocket protocol: with the default v1 protocol, jupyter_server 2.21.1
    # sometimes parses the browser's v1 frames as legacy ones after a kernel restart ("Replacing
    # stale connection", then struct.error "unpack requires a buffer of 402653184 bytes") and the
    # kernel shows Unknown: 2 of 4 runs of 01_threads failed that way here, 0 of 3 with legacy.
    cmd += ["--ZMQChannelsWebsocketConnection.kernel_ws_protocol="]
    if os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root
    log = (root / "jupyterlab.log").open("w")
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    running = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                running.api("/api/status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    output = (root / "jupyterlab.log").read_text()
                    pytest.fail(f"JupyterLab did not start:\n{output}")
                time.sleep(0.5)
        yield running
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def code_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text())["cells"]
    return [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def click_menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


# Read-only look at the open notebook's model (window.jupyterapp: --LabApp.expose_app_in_browser):
# hidden solution cells have no prompt in the page, so counting prompts would miss them.
PROGRESS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) {
    return { kernel: "no notebook yet", ran: 0, running: 0 };
  }
  const cells = panel.content.widgets.filter(
    (c) => c.model.type === "code" && c.model.sharedModel.getSource().trim() !== ""
  );
  return {
    kernel: panel.sessionContext.kernelDisplayStatus,
    ran: cells.filter((c) => c.model.executionCount !== null).length,
    running: cells.filter((c) => c.model.executionState === "running").length,
  };
}"""


def wait_for(page, ready, what: str, timeout: float = NOTEBOOK_TIMEOUT) -> dict:
    """Poll PROGRESS_JS until ready(progress) holds three polls in a row (1.5 s)."""
    deadline = time.monotonic() + timeout
    stable = 0
    while stable < 3:
        if page.locator(".jp-Dialog").count():
            return {"dialog": page.locator(".jp-Dialog").all_inner_texts()}
        progress = page.evaluate(PROGRESS_JS)
        stable = stable + 1 if ready(progress) else 0
        if time.monotonic() > deadline:
            page.screenshot(path=str(SCREENSHOTS / "timed-out.png"))
            pytest.fail(f"{what}: not done after {timeout:.0f}s: {progress}")
        time.sleep(0.5)
    return progress


def shut_down_kernels(lab: Lab) -> None:
    for session in lab.api("/api/sessions"):
        lab.api(f"/api/sessions/{session['id']}", method="DELETE")


def open_and_run_all(lab: Lab, page, notebook: Path) -> None:
    """Open ``notebook`` in a fresh workspace, clear its outputs, restart and run all cells."""
    # A workspace of its own, reset: only this notebook opens, no tabs restored from before.
    workspace = f"/lab/workspaces/e2e-{notebook.stem}/tree/notebooks/{notebook.name}"
    page.goto(f"{lab.url}{workspace}?reset&token={lab.token}")
    # Opening must start the python3 kernel by itself: a dialog here means a kernel prompt.
    opened = wait_for(page, lambda p: p["kernel"] == "idle", "kernel start", timeout=120)
    assert "dialog" not in opened, f"{notebook.name}: a dialog appeared on opening: {opened}"

    click_menu(page, "Edit", "Clear Outputs of All Cells")
    click_menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.locator(".jp-Dialog .jp-mod-accept").click()  # "Restart Kernel?" confirmation
    # Done: kernel idle, no cell queued or running, and cells ran (an error stops the rest).
    ran = wait_for(
        page,
        lambda p: p["kernel"] == "idle" and p["running"] == 0 and p["ran"] > 0,
        "restart and run all",
    )
    assert "dialog" not in ran, f"{notebook.name}: unexpected dialog: {ran}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_restart_and_run_all_in_jupyterlab(lab: Lab, browser, notebook: Path) -> None:
    scratch = lab.root / "notebooks" / notebook.name
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        open_and_run_all(lab, page, notebook)
        before = scratch.stat().st_mtime_ns
        page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while scratch.stat().st_mtime_ns == before:
            assert time.monotonic() < deadline, f"{notebook.name}: saving did not write the file"
            time.sleep(0.2)
        page.wait_for_timeout(500)  # let the contents manager finish writing
        page.screenshot(path=str(SCREENSHOTS / f"{notebook.stem}.png"))
    finally:
        page.close()
        shut_down_kernels(lab)

    problems = []
    for cell in code_cells(scratch):
        first_line = "".join(cell["source"]).strip().splitlines()[0]
        if not isinstance(cell.get("execution_count"), int):
            problems.append(f"not executed: {first_line}")
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        if errors and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
            problems += [f"{e['ename']}: {e['evalue']} in: {first_line}" for e in errors]
    assert not problems, f"{notebook.name} in JupyterLab:\n" + "\n".join(problems)


EXPLORER = ROOT / "notebooks" / "17_pool_explorer.ipynb"


def test_pool_explorer_slider_redraws_the_picture(lab: Lab, browser) -> None:
    """Notebook 17's explorer in JupyterLab: move the workers slider, the picture must change.

    The slider is moved as a learner with a keyboard would: focus its handle, press the left
    arrow (4 workers -> 3). The widgets' kernel side re-runs the experiment and sends a new
    picture; its image data must differ from the first one. Screenshots of both go to build/e2e/.
    """
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        open_and_run_all(lab, page, EXPLORER)
        picture = page.locator(".widget-output img").first
        picture.wait_for(timeout=60_000)  # the explorer draws once when its cell runs
        slider = page.locator(".widget-hslider").filter(has_text="workers").first
        readout = slider.locator(".widget-readout")
        assert readout.inner_text().strip() == "4", "the workers slider should start at 4"
        slider.scroll_into_view_if_needed()
        before = picture.get_attribute("src")
        page.screenshot(path=str(SCREENSHOTS / f"{EXPLORER.stem}-slider-before.png"))

        slider.locator(".noUi-handle").focus()
        page.keyboard.press("ArrowLeft")
        deadline = time.monotonic() + 60
        while picture.get_attribute("src") == before:
            assert time.monotonic() < deadline, "the picture did not change after the slider moved"
            time.sleep(0.25)
        wait_for(page, lambda p: p["kernel"] == "idle", "redraw", timeout=60)
        assert readout.inner_text().strip() == "3"
        after = picture.get_attribute("src")
        assert after.startswith("data:image/png") and after != before
        page.screenshot(path=str(SCREENSHOTS / f"{EXPLORER.stem}-slider-after.png"))
    finally:
        page.close()
        shut_down_kernels(lab)
