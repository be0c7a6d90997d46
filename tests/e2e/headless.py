"""Debian's Chromium as the browser tests start it (Playwright's own browser download does not
work here). Shared by the JupyterLab test, the site test and the hub test."""

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
