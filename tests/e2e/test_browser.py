"""End to end in a real browser: chapter 05 runs in JupyterLab and its learning-rate slider redraws.

What a reader does, automated: start JupyterLab from this environment (loopback only, random
token, throw-away config/runtime/data dirs, a copy of ``notebooks/05_gradient_descent.ipynb``
with its stored outputs removed, in a temporary root so the repository is never touched), open
the chapter in headless Chromium, Run > Run All Cells, check every cell ran and every widget
rendered without errors or tracebacks, then move the learning-rate slider of the
``learning_rate_explorer`` with the keyboard and check the figure (the explorer's
``ipywidgets.Image``) was redrawn by the kernel. A screenshot is saved to
``test-artifacts/e2e_explorer.png`` (git-ignored).

Needs Debian's Chromium at /usr/bin/chromium (Playwright's own browser download is not used);
without it, or when Playwright cannot launch it, the test is skipped.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from headless import ALL_CELLS_RAN_JS, KERNEL_READY_JS, chromium, free_port, wait_until_serving

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [
    pytest.mark.e2e,
    # Hard cap for the whole test, setup and teardown included (pytest-timeout).
    pytest.mark.timeout(120),
]

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHAPTER = REPO / "notebooks" / "05_gradient_descent.ipynb"
SCREENSHOT = REPO / "test-artifacts" / "e2e_explorer.png"
FAILURE_SCREENSHOT = REPO / "test-artifacts" / "e2e_explorer_failure.png"


SERVER_START_S = 45  # JupyterLab answering /api/status (about 5 s on an idle 2-core box)
UI_TIMEOUT_MS = 45_000  # any single wait in the page: load, kernel start, run all, redraw
ARROW_PRESSES = 5  # learning-rate steps to the right: 0.1 -> 0.178 (log slider, 0.05 decades)

# The pixels of a loaded <img> as a data URL, to compare figures rather than blob URLs.
IMAGE_PIXELS_JS = """(img) => {
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext("2d").drawImage(img, 0, 0);
    return canvas.toDataURL();
}"""

IMAGE_LOADED_JS = "(img) => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0"


@dataclass
class Lab:
    """A running JupyterLab: where it listens, its token, its root dir and its log."""

    url: str
    token: str
    root: Path
    log: Path

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _answers(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2):
        return True


def _write_jupyter_dirs(base: Path) -> dict[str, str]:
    """Throw-away Jupyter/IPython dirs and the environment that points the server at them.

    The kernelspec ``python3`` is written into JUPYTER_PATH (searched first) with this very
    interpreter, so the kernel is this environment's whatever other kernelspecs exist.
    """
    dirs = {name: base / name for name in ("config", "data", "runtime", "ipython", "path")}
    for d in dirs.values():
        d.mkdir(parents=True)
    kernel_dir = dirs["path"] / "kernels" / "python3"
    kernel_dir.mkdir(parents=True)
    (kernel_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        )
    )
    # No news/update toast over the page, and no request to the internet for them.
    settings = dirs["config"] / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True})
    )
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTER_PATH=str(dirs["path"]),
        JUPYTER_PLATFORM_DIRS="1",
        IPYTHONDIR=str(dirs["ipython"]),
        # `python -m jupyter lab` looks for `jupyter-lab` on PATH: make it this environment's.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)]),
    )
    return env


def _stop_server(proc: subprocess.Popen, lab: Lab) -> None:
    """Shut JupyterLab down with its kernels; escalate to SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        request = urllib.request.Request(
            f"{lab.url}/api/shutdown",
            method="POST",
            headers={"Authorization": f"token {lab.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5):
                pass
        except OSError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: the server only
                proc.wait(timeout=10)


def _copy_without_outputs(source: Path, target: Path) -> None:
    """Write ``source`` to ``target`` as a reader would open it fresh.

    Stored outputs and execution counts are removed so that "every cell shows a count" can
    only mean that this run executed it; stored widget state is dropped for the same reason.
    """
    nb = json.loads(source.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nb["metadata"].pop("widgets", None)
    target.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    """JupyterLab from this environment on 127.0.0.1, serving a fresh copy of chapter 05."""
    root = tmp_path / "root"
    root.mkdir()
    _copy_without_outputs(CHAPTER, root / CHAPTER.name)
    env = _write_jupyter_dirs(tmp_path / "jupyter")
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: to wait on the kernel
        "--LabApp.extension_manager=readonly",  # no PyPI requests
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root; Jupyter refuses otherwise
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root, log=tmp_path / "lab.log")
    with lab.log.open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            status = f"{lab.url}/api/status?token={token}"
            wait_until_serving(
                proc, lambda: _answers(status), SERVER_START_S, "JupyterLab", lab.log_tail
            )
            yield lab
        finally:
            _stop_server(proc, lab)


@pytest.fixture
def page() -> Iterator[sync_api.Page]:
    """A page in headless Debian Chromium with a fresh profile; skips when it cannot run."""
    with chromium("the browser test") as browser:
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        try:
            page = context.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.set_default_navigation_timeout(UI_TIMEOUT_MS)
            yield page
        finally:
            context.close()


def test_chapter_05_learning_rate_slider_in_jupyterlab(page: sync_api.Page, lab: Lab) -> None:
    """Run All runs chapter 05 without errors; its learning-rate slider redraws the figure."""
    expect = sync_api.expect
    expect.set_options(timeout=UI_TIMEOUT_MS)
    from nbtext.widgets import learning_rate_explorer

    reference = learning_rate_explorer()
    labels = [control.description for control in reference.controls.values()]
    lr_label = reference.controls["learning_rate"].description
    reference.close()
    chapter = json.loads(CHAPTER.read_text(encoding="utf-8"))
    code_cells = sum(cell["cell_type"] == "code" for cell in chapter["cells"])

    try:
        page.goto(lab.notebook_url(CHAPTER.name))
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        expect(notebook.locator(".jp-CodeCell")).to_have_count(code_cells)
        page.wait_for_function(KERNEL_READY_JS, timeout=UI_TIMEOUT_MS)

        # Run > Run All Cells, as a reader would.
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        page.wait_for_function(ALL_CELLS_RAN_JS, arg=notebook.element_handle())

        # Every widget rendered; the learning-rate explorer shows each control and its figure.
        explorer = (
            notebook.locator(".jp-OutputArea-output")
            .filter(has=page.locator(".widget-label", has_text=lr_label))
            .filter(has=page.locator("img.widget-image"))
        )
        expect(explorer).to_have_count(1)
        sliders = explorer.locator(".widget-slider")
        expect(sliders).to_have_count(len(labels))
        for label in labels:
            expect(explorer.locator(".widget-label", has_text=label).first).to_be_visible()
        for i in range(len(labels)):
            expect(sliders.nth(i).locator(".noUi-handle")).to_be_visible()
        image = explorer.locator("img.widget-image")
        expect(image).to_be_visible()
        image.scroll_into_view_if_needed()
        page.wait_for_function(IMAGE_LOADED_JS, arg=image.element_handle())

        # No widget error, no traceback, nothing on stderr, in any cell.
        expect(notebook).not_to_contain_text("Error displaying widget")
        expect(notebook).not_to_contain_text("Traceback")
        stderr = notebook.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert stderr.count() == 0, "\n---\n".join(stderr.all_inner_texts())

        # Move the learning-rate slider with the keyboard; the kernel redraws the figure.
        slider = sliders.filter(has=page.locator(".widget-label", has_text=lr_label))
        expect(slider).to_have_count(1)
        readout = slider.locator(".widget-readout")
        value_before = readout.inner_text()
        src_before = image.get_attribute("src")
        pixels_before = image.evaluate(IMAGE_PIXELS_JS)
        handle = slider.locator(".noUi-handle")
        handle.focus()
        expect(handle).to_be_focused()
        src = src_before
        for _ in range(ARROW_PRESSES):
            # One press, one step, one redraw in the kernel, one new image: waiting for each
            # keeps the presses from piling up and leaves the final figure on screen.
            page.keyboard.press("ArrowRight")
            expect(image).not_to_have_attribute("src", src or "")
            src = image.get_attribute("src")
        expect(readout).not_to_have_text(value_before)
        page.wait_for_function(IMAGE_LOADED_JS, arg=image.element_handle())
        assert image.evaluate(IMAGE_PIXELS_JS) != pixels_before, "the figure did not change"
        page.wait_for_function(KERNEL_READY_JS)  # idle again: a settled status bar on the shot

        # Still no errors after the interaction.
        expect(notebook).not_to_contain_text("Error displaying widget")
        assert stderr.count() == 0, "\n---\n".join(stderr.all_inner_texts())

        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOT)
    except BaseException as exc:
        FAILURE_SCREENSHOT.parent.mkdir(exist_ok=True)
        try:
            page.screenshot(path=FAILURE_SCREENSHOT, timeout=10_000)
        except sync_api.Error:
            pass
        if isinstance(exc, (AssertionError, sync_api.Error)):
            raise AssertionError(
                f"{exc}\n\nscreenshot: {FAILURE_SCREENSHOT}\nJupyterLab log:\n{lab.log_tail()}"
            ) from exc
        raise
