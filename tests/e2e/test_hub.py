"""A class on a JupyterHub: three students follow an nbgitpuller link and run chapter 01 (issue 11).

The path a class of hundreds takes on Zero to JupyterHub, on loopback: a real JupyterHub (from
PyPI) behind configurable-http-proxy (from npm), with JupyterHub's dummy authenticator (any
listed user, one shared password) and its simple local-process spawner (each student's server
is a local process with its own home folder). A ``git daemon`` serves this repository's HEAD as
``main``, standing in for GitHub. The link comes from ``nbtext.book.nbgitpuller_link``, the
function behind ``python -m nbtext.book link``.

Each student, in a browser context of their own (headless Chromium): logs in, follows the link,
waits while the hub starts their server and nbgitpuller copies the book into their home folder,
lands in JupyterLab on chapter 01, clears its stored outputs and runs every cell with Run All.
Every cell must run, with no traceback, no error output, no widget error. All three servers
are running at the end (their resident memory goes to ``test-artifacts/hub/memory.txt``); the
test then stops every server through the hub's API, stops the hub (which stops the proxy) and
the git daemon, and checks that nothing it started still listens or runs.

Needs jupyterhub and nbgitpuller (``pip install -e ".[hub]"``, part of ``make test``),
configurable-http-proxy (``make test`` installs it with npm into ``.venv/node_modules``), git,
and Chromium; skips without them. Takes about a minute and a half.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from headless import ALL_CELLS_RAN_JS, KERNEL_READY_JS, chromium, free_port, wait_until_serving

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("jupyterhub", reason="the hub test needs jupyterhub: pip install -e '.[hub]'")
pytest.importorskip("nbgitpuller", reason="the hub test needs nbgitpuller: pip install -e '.[hub]'")

from nbtext.book import nbgitpuller_link  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.hub, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]
CHAPTER = "01_perceptron.ipynb"
STUDENTS = ["student1", "student2", "student3"]
PASSWORD = "perceptron"
ARTIFACTS = REPO / "test-artifacts" / "hub"
PROXY_IN_VENV = Path(sys.prefix) / "node_modules" / ".bin" / "configurable-http-proxy"
START_S = 60  # the hub, or a git daemon, answering
UI_TIMEOUT_MS = 90_000  # a student's wait: server start and copy, kernel start, Run All


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _proxy_command() -> str:
    found = PROXY_IN_VENV if PROXY_IN_VENV.exists() else shutil.which("configurable-http-proxy")
    if found is None:
        pytest.skip("the hub test needs configurable-http-proxy (npm); `make test` installs it")
    return str(found)


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


def _processes_inside(folder: Path) -> dict[str, Path]:
    """The processes working inside ``folder`` (Linux /proc), by pid: the hub, the proxy, each
    student's server and kernels all run in the test's folders."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cwd = (entry / "cwd").resolve(strict=True)
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if cwd == folder or folder in cwd.parents:
            found[entry.name] = entry
    return found


def _resident_mb(folder: Path) -> float:
    """Resident memory (MB) of the processes working inside ``folder``: a student's server and
    kernel, once chapter 01 has run (what docs/teaching.md's memory advice is about)."""
    total_kb = 0
    for entry in _processes_inside(folder).values():
        try:
            status = (entry / "status").read_text()
            total_kb += int(status.split("VmRSS:")[1].split()[0])
        except (OSError, IndexError, ValueError):  # gone meanwhile
            continue
    return total_kb / 1024


def _stop(proc: subprocess.Popen, grace_s: float = 20) -> None:
    """SIGTERM, then SIGKILL for the process group the process leads (its children too)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of its group
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[str]:
    """This repository's HEAD as branch ``main`` of a bare repository served by ``git daemon``;
    yields its URL."""
    if shutil.which("git") is None:
        pytest.skip("the hub test needs git")
    base = tmp_path / "git"
    bare = base / "nbtext.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    subprocess.run(["git", "-C", str(REPO), "push", "--quiet", str(bare), "HEAD:refs/heads/main"],
                   check=True, capture_output=True)  # fmt: skip
    subprocess.run(["git", "-C", str(bare), "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    port = free_port()
    log = tmp_path / "git-daemon.log"
    with log.open("wb") as out:
        daemon = subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
             f"--port={port}", f"--base-path={base}", str(base)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_serving(
            daemon, lambda: _listening(port), START_S, "git daemon", lambda: _tail(log)
        )
        yield f"git://127.0.0.1:{port}/nbtext.git"
    finally:
        _stop(daemon, grace_s=5)
    assert not _listening(port), "the git daemon still listens"


@dataclass
class Hub:
    url: str
    api_token: str
    log: Path
    homes: Path
    ports: list[int]

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            headers={"Authorization": f"token {self.api_token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None


def _write_config(base: Path, hub_port: int, api_port: int, proxy_port: int, token: str) -> Path:
    homes = base / "homes"
    jupyter = base / "jupyter"
    config = base / "jupyterhub_config.py"
    singleuser = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    args = [
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: to wait on the kernel
        "--LabApp.extension_manager=readonly",  # no PyPI requests from the extension manager
        "--ServerApp.terminals_enabled=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # containers and CI run as root; Jupyter refuses otherwise
    settings = {
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
        "JUPYTER_DATA_DIR": str(jupyter / "data"),
        "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
        "IPYTHONDIR": str(jupyter / "ipython"),
        # jupyterhub-singleuser and the kernel come from this very environment
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.defpath]),
    }
    config.write_text(
        f"""
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {hub_port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {api_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.ConfigurableHTTPProxy.command = [{_proxy_command()!r}]
c.JupyterHub.db_url = "sqlite:///{base / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret = bytes.fromhex({secrets.token_hex(32)!r})
c.JupyterHub.pid_file = "{base / "jupyterhub.pid"}"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allowed_users = {set(STUDENTS)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{homes}/{{username}}"
c.Spawner.cmd = {singleuser!r}
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.environment = {settings!r}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
c.JupyterHub.services = [{{"name": "nbtext-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "nbtext-test",
    "scopes": ["list:users", "read:users", "read:servers", "admin:servers"],
    "services": ["nbtext-test"],
}}]
"""
    )
    return config


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    """JupyterHub on 127.0.0.1 (a free port for the proxy, the hub's API and the proxy's API)."""
    base = tmp_path / "hub"
    base.mkdir()
    hub_port, api_port, proxy_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(24)
    config = _write_config(base, hub_port, api_port, proxy_port, token)
    log = base / "jupyterhub.log"
    env = dict(os.environ, CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(24))
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=base, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    hub = Hub(f"http://127.0.0.1:{hub_port}", token, log, base / "homes",
              [hub_port, api_port, proxy_port])  # fmt: skip
    try:
        wait_until_serving(
            proc, lambda: hub.api("GET", "/"), START_S, "JupyterHub", lambda: _tail(log)
        )
        yield hub
    finally:
        # Every student's server through the API (the hub waits for each to stop), then the hub,
        # which stops the proxy it started.
        try:
            for user in hub.api("GET", "/users"):
                if user.get("servers"):
                    hub.api("DELETE", f"/users/{user['name']}/server")
            deadline = time.monotonic() + 60
            while any(u.get("servers") for u in hub.api("GET", "/users")):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.5)
        except (urllib.error.URLError, OSError):
            pass
        _stop(proc)
    still = [port for port in hub.ports if _listening(port)]
    assert not still, f"still listening after the hub stopped: {still}\n{_tail(log)}"
    left = [f"{pid}: {(entry / 'cmdline').read_bytes()[:120]!r}"
            for pid, entry in _processes_inside(base).items()]  # fmt: skip
    assert not left, f"processes the test started are still running: {left}\n{_tail(log)}"


def _student_runs_the_chapter(browser, hub: Hub, link: str, name: str) -> int:
    """One student: log in, follow the link, Run All on the copied chapter. Returns the number
    of code cells that ran."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect = sync_api.expect
    try:
        page.goto(link)  # not logged in yet: the hub asks who you are, then comes back here
        page.locator("#username_input").fill(name)
        page.locator("#password_input").fill(PASSWORD)
        page.locator("#login_submit").click()
        # Spawn, nbgitpuller's copy (its progress page), then JupyterLab on the chapter.
        page.wait_for_url(f"**/user/{name}/lab/tree/nbtext/notebooks/{CHAPTER}*")
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        notebook.locator(".jp-CodeCell").first.wait_for()
        page.wait_for_function(KERNEL_READY_JS)
        # The copy holds the stored outputs: clear them, so that a count means this run.
        page.evaluate("() => window.jupyterapp.commands.execute('editmenu:clear-all')")
        expect(notebook.locator(".jp-InputArea-prompt", has_text="[1]")).to_have_count(0)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        page.wait_for_function(ALL_CELLS_RAN_JS, arg=notebook.element_handle())
        page.wait_for_function(KERNEL_READY_JS)
        expect(notebook).not_to_contain_text("Traceback")
        expect(notebook).not_to_contain_text("Error displaying widget")
        errors = notebook.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, "\n---\n".join(errors.all_inner_texts())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        return notebook.locator(".jp-CodeCell").count()
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}_failure.png"), timeout=10_000)
        except sync_api.Error:
            pass
        raise
    finally:
        context.close()


def test_three_students_follow_the_link_and_run_chapter_01(git_server: str, hub: Hub) -> None:
    link = nbgitpuller_link(hub.url, "01", repo=git_server)
    stored = json.loads((REPO / "notebooks" / CHAPTER).read_text(encoding="utf-8"))
    code_cells = sum(cell["cell_type"] == "code" for cell in stored["cells"])
    with chromium("the hub test") as browser:
        for name in STUDENTS:
            try:
                ran = _student_runs_the_chapter(browser, hub, link, name)
            except (AssertionError, sync_api.Error) as exc:
                raise AssertionError(f"{name}: {exc}\n\nhub log:\n{_tail(hub.log)}") from exc
            assert ran == code_cells
    # Each student has their own copy of the book, and all three servers run side by side.
    for name in STUDENTS:
        assert (hub.homes / name / "nbtext" / "notebooks" / CHAPTER).exists()
    users = {user["name"]: user for user in hub.api("GET", "/users")}
    running = [name for name in STUDENTS if users[name]["servers"].get("", {}).get("ready")]
    assert running == STUDENTS
    memory = {name: _resident_mb(hub.homes / name) for name in STUDENTS}
    assert all(mb > 0 for mb in memory.values()), memory  # each student's processes were found
    (ARTIFACTS / "memory.txt").write_text(
        "resident memory per student after chapter 01 (server + kernel), MB\n"
        + "".join(f"{name}: {mb:.0f}\n" for name, mb in memory.items())
    )
