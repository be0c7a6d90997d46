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


CHAPTERS: tuple[str, ...] = (
    "00_index.ipynb",
    "01_perceptron.ipynb",
    "02_activation_functions.ipynb",
    "03_forward_propagation.ipynb",
    "04_loss_functions.ipynb",
    "05_gradient_descent.ipynb",
    "06_backpropagation.ipynb",
    "07_optimizers_and_minibatches.ipynb",
    "08_training_a_classifier.ipynb",
    "09_initialization.ipynb",
    "10_regularization.ipynb",
    "11_batch_normalization.ipynb",
    "12_training_recipe.ipynb",
)
"""The notebooks of ``notebooks/``, in order (a test keeps this list equal to the folder)."""


def chapter_notebook(chapter: int | str) -> str:
    """The notebook of ``chapter`` (5, "5" or "05"): ``"05_gradient_descent.ipynb"``."""
    text = str(chapter).strip()
    if isinstance(chapter, bool) or not text.isdigit():
        raise ValueError(f"chapter must be a number from 0 to {len(CHAPTERS) - 1}, got {chapter!r}")
    number = int(text)
    if not 0 <= number < len(CHAPTERS):
        raise ValueError(
            f"there is no chapter {number}: the book has 00 to {len(CHAPTERS) - 1:02d}"
        )
    return CHAPTERS[number]


def nbgitpuller_link(
    hub: str,
    chapter: int | str,
    *,
    branch: str = "main",
    targetpath: str = "nbtext",
    repo: str | None = None,
) -> str:
    """A link that, on a JupyterHub with nbgitpuller, copies (or updates) the book into the
    student's ``targetpath`` folder and opens ``chapter`` in JupyterLab.

    ``hub`` is the hub's address, e.g. ``https://hub.example.edu``. The link has the form
    ``{hub}/hub/user-redirect/git-pull?repo=…&branch=…&targetpath=…&urlpath=lab/tree/…``,
    every value URL-encoded. A student's own changes survive later clicks: nbgitpuller merges
    the new version in and keeps what the student wrote. ``repo`` is the book's git address
    (default: ``https://github.com/{REPOSITORY}``); a class that teaches from a fork passes its own.
    """
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"hub must be an address like https://hub.example.edu, got {hub!r}")
    if not targetpath or "/" in targetpath or targetpath in (".", ".."):
        raise ValueError(f"targetpath must be one folder name, like 'nbtext', got {targetpath!r}")
    if repo is None:
        repo = f"https://github.com/{REPOSITORY}"
    elif not isinstance(repo, str) or "://" not in repo:
        raise ValueError(
            f"repo must be a git address like https://github.com/you/nbtext, got {repo!r}"
        )
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": targetpath,
            "urlpath": f"lab/tree/{targetpath}/notebooks/{chapter_notebook(chapter)}",
        }
    )
    return f"{hub.strip().rstrip('/')}/hub/user-redirect/git-pull?{query}"


LAB_OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}
}
"""JupyterLab settings for the book's environments: no news feed and no update check, so that
opening the book sends no request to the internet (JupyterLab asks the reader otherwise)."""


def quiet_lab(prefix: str | None = None) -> str:
    """Write :data:`LAB_OVERRIDES` into ``{prefix}/share/jupyter/lab/settings/overrides.json``
    (``prefix`` defaults to this Python's ``sys.prefix``, the environment ``make lab`` and
    Binder build), keeping any other settings already there. Returns the file's path."""
    import json
    import sys
    from pathlib import Path

    path = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for plugin, values in LAB_OVERRIDES.items():
        settings.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return str(path)


def main(argv: list[str] | None = None) -> int:
    """``python -m nbtext.book link --hub URL --chapter 05`` prints an nbgitpuller link;
    ``python -m nbtext.book quiet-lab`` turns off JupyterLab's news and update check."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nbtext.book", description=main.__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("link", help="print an nbgitpuller link for a chapter")
    link.add_argument("--hub", required=True, help="the JupyterHub's address (https://...)")
    link.add_argument("--chapter", default="00", help="chapter number, 00 (index) to 12")
    link.add_argument("--branch", default="main")
    link.add_argument("--targetpath", default="nbtext", help="folder in the student's home")
    link.add_argument("--repo", default=None, help="the book's git address, if not GitHub's")
    quiet = commands.add_parser("quiet-lab", help="no news feed or update check in JupyterLab")
    quiet.add_argument("--prefix", default=None, help="environment prefix (default: this one)")
    args = parser.parse_args(argv)
    try:
        if args.command == "link":
            print(nbgitpuller_link(args.hub, args.chapter, branch=args.branch,
                                   targetpath=args.targetpath, repo=args.repo))  # fmt: skip
        else:
            print(f"wrote {quiet_lab(args.prefix)}")
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
