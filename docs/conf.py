"""Sphinx configuration of the book's website (`make site`; issue 11).

The site is built from the committed notebooks as they are stored: nothing is executed, so it
shows exactly the outputs that strict nbval checks. Sources are the repository root (`-c docs`
points Sphinx here), restricted to the chapters and `docs/teaching.md`.

Everything a page loads is served by the site itself:

- MathJax 3 comes from the `sphinx-mathjax-offline` package (copied into `_static/mathjax/`);
- the explorers are shown as the PNG each one stores beside its widget view (the widget view
  needs a kernel, and its JavaScript would come from a CDN), so no widget area is ever blank;
- the theme (sphinx-book-theme) bundles its fonts and icons.

Each chapter page gets a box, added here and not stored in the notebook, with the three ways to
run it: download the notebook, launch it on Binder (`nbtext.book.binder_link`), or run it locally.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nbtext import __version__  # noqa: E402
from nbtext.book import CHAPTERS, REPOSITORY, binder_link  # noqa: E402

project = "nbtext: neural networks, runnable"
author = "The nbtext authors"
copyright = "2026, The nbtext authors"
release = version = __version__

extensions = ["myst_nb", "sphinx-mathjax-offline"]

root_doc = "notebooks/00_index"
include_patterns = ["notebooks/[0-9][0-9]_*.ipynb", "docs/teaching.md"]
exclude_patterns = [
    ".*",
    "_build",
    "build",
    "benchmarks",
    "binder",
    "nbtext",
    "tests",
    "test-artifacts",
    "**/.ipynb_checkpoints",
]

# Notebooks: stored outputs only, never executed here.
nb_execution_mode = "off"
# No widget JavaScript (require.js and the widget manager would come from a CDN) ...
nb_ipywidgets_js: dict = {}
# ... and each explorer's stored PNG wins over its widget view (which would render blank).
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "image/png", 5),
]
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True  # $$...$$ inside a paragraph or list item, as Jupyter shows it
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = "nbtext"
html_copy_source = False  # the box below offers the notebook itself for download
html_show_sourcelink = False
html_theme_options = {
    "repository_url": f"https://github.com/{REPOSITORY}",
    "use_repository_button": True,
    "use_download_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
}
html_static_path = ["_static"]
html_css_files = ["site.css"]


def _run_box(notebook: str) -> dict:
    """A markdown cell with the three ways to run ``notebook`` (a file name in notebooks/)."""
    folder = REPOSITORY.split("/")[1]
    title = "Run the book" if notebook == CHAPTERS[0] else "Run this chapter"
    text = f"""```{{admonition}} {title}
:class: tip

{{download}}`Download the notebook <{notebook}>` ·
[Launch it on Binder]({binder_link(notebook)}) (nothing to install) ·
or on your own machine:

    git clone https://github.com/{REPOSITORY}.git
    cd {folder}
    make lab OPEN=notebooks/{notebook}
```"""
    return {"cell_type": "markdown", "id": "nbtext-run-box", "metadata": {}, "source": text}


def _toctree_cell() -> dict:
    """The site's navigation: every chapter in order, then the teaching page (hidden here;
    the theme shows it in the sidebar, and the index's own contents table stays as it is)."""
    entries = "\n".join(Path(name).stem for name in CHAPTERS[1:])
    text = f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{entries}\n/docs/teaching\n```"
    return {"cell_type": "markdown", "id": "nbtext-navigation", "metadata": {}, "source": text}


def add_run_box_and_navigation(app, docname: str, source: list[str]) -> None:
    """Sphinx ``source-read``: put the run box under each chapter's title cell, and the
    navigation at the end of the index. The notebooks on disk are not changed."""
    if not docname.startswith("notebooks/"):
        return
    notebook = json.loads(source[0])
    name = Path(docname).name + ".ipynb"
    notebook["cells"].insert(1, _run_box(name))
    if docname == root_doc:
        notebook["cells"].append(_toctree_cell())
    source[0] = json.dumps(notebook)


def write_front_door(app, exception) -> None:
    """``index.html`` at the site's top, forwarding to the index chapter."""
    if exception is None and app.builder.format == "html":
        target = f"{root_doc}.html"
        (Path(app.outdir) / "index.html").write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={target}">'
            f"<title>{project}</title></head>"
            f'<body><a href="{target}">{project}</a></body></html>\n',
            encoding="utf-8",
        )


def setup(app) -> None:
    app.connect("source-read", add_run_box_and_navigation)
    app.connect("build-finished", write_front_door)
