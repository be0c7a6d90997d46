"""Debian's Chromium as the browser tests start it (Playwright's own browser download does not
work here), what they ask JupyterLab, and how they start and wait for servers. Shared by the
JupyterLab, site and hub tests."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium's own background connections fail against a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# True once the kernel behind the open notebook is connected and idle. The toolbar's execution
# indicator says "idle" even before a kernel exists, and "Run All" issued before the kernel's
# websocket is connected is silently dropped (nothing runs), so wait on the real state.
KERNEL_READY_JS = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    const kernel = session && session.kernel;
    return !!kernel && kernel.connectionStatus === "connected" && kernel.status === "idle";
}"""

# True when every code cell of the notebook shows an execution count ("[3]:").
ALL_CELLS_RAN_JS = """(notebook) => {
    const prompts = [...notebook.querySelectorAll(".jp-CodeCell .jp-InputArea-prompt")];
    return prompts.length > 0 && prompts.every((p) => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
}"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(
    proc: subprocess.Popen,
    answers: Callable[[], object],
    seconds: float,
    what: str,
    log: Callable[[], str],
) -> None:
    """Poll ``answers()`` until it returns True; fail the test, with ``log()``'s tail, when the
    server ``proc`` exits first or ``seconds`` pass. ``answers`` may raise OSError (not up yet)."""
    deadline = time.monotonic() + seconds
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}:\n{log()}")
        try:
            if answers():
                return
        except OSError:  # connection refused and friends, urllib's URLError included
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not answer in {seconds} s:\n{log()}")
        time.sleep(0.25)


@contextmanager
def chromium(what: str) -> Iterator:
    """Debian's Chromium under Playwright, headless, as a Playwright ``Browser``; skips the
    test (naming ``what``) when Chromium is missing or cannot start. Each
    ``browser.new_context()`` is a fresh profile."""
    from playwright import sync_api

    if not CHROMIUM.exists():
        pytest.skip(f"{what} needs Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=30_000
            )
        except sync_api.Error as exc:
            pytest.skip(f"Playwright cannot launch {CHROMIUM}: {exc.message.splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()
