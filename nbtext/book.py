"""Facts about the book itself: where it lives and which package version it was written with.

Edit ``REPOSITORY`` once the GitHub home is known; the README's Binder badge and
the index notebook's links use the same ``owner/name`` (a test checks they agree).
"""

from __future__ import annotations

REPOSITORY = "nbtext/nbtext"
"""GitHub ``owner/name`` of the book (the one place to change it)."""

BINDER_URL = (
    f"https://mybinder.org/v2/gh/{REPOSITORY}/HEAD?urlpath=lab/tree/notebooks/00_index.ipynb"
)
"""Launch link: the book in JupyterLab on mybinder.org, opened at the index."""


def binder_link(notebook: str) -> str:
    """Binder launch URL opening ``notebooks/<notebook>`` in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/HEAD?urlpath=lab/tree/notebooks/{notebook}"
