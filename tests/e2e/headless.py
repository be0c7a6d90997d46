"""Debian's Chromium as the browser tests start it (Playwright's own browser download does not
work here), and what they ask JupyterLab. Shared by the JupyterLab, site and hub tests."""

from __future__ import annotations

from pathlib import Path

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
