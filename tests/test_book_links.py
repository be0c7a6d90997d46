"""nbtext.book's classroom helpers: chapter lookup, nbgitpuller links, a quiet JupyterLab."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from nbtext import book

ROOT = Path(__file__).resolve().parent.parent


def test_the_chapter_list_is_the_notebooks_folder():
    assert list(book.CHAPTERS) == sorted(
        p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )


@pytest.mark.parametrize("chapter", [5, "5", "05", " 05 "])
def test_chapters_by_number(chapter):
    assert book.chapter_notebook(chapter) == "05_gradient_descent.ipynb"


@pytest.mark.parametrize("chapter", [13, -1, "five", "", True, 2.5])
def test_unknown_chapters_are_refused(chapter):
    with pytest.raises(ValueError, match="chapter"):
        book.chapter_notebook(chapter)


def test_nbgitpuller_link_format():
    link = book.nbgitpuller_link("https://hub.example.edu/", "05")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.edu", "/hub/user-redirect/git-pull",
    )  # fmt: skip
    query = parse_qs(parts.query)
    assert query == {
        "repo": [f"https://github.com/{book.REPOSITORY}"],
        "branch": ["main"],
        "targetpath": ["nbtext"],
        "urlpath": ["lab/tree/nbtext/notebooks/05_gradient_descent.ipynb"],
    }
    local = book.nbgitpuller_link("http://127.0.0.1:8000", 12, branch="dev", targetpath="nn")
    other = parse_qs(urlsplit(local).query)
    assert other["urlpath"] == ["lab/tree/nn/notebooks/12_training_recipe.ipynb"]
    assert other["branch"] == ["dev"]


@pytest.mark.parametrize(
    "hub, targetpath", [("hub.example.edu", "nbtext"), ("ftp://x", "nbtext"),
                        ("https://hub", "a/b"), ("https://hub", "")],
)  # fmt: skip
def test_bad_links_are_refused(hub, targetpath):
    with pytest.raises(ValueError):
        book.nbgitpuller_link(hub, 1, targetpath=targetpath)


def test_the_command_line_prints_the_link():
    out = subprocess.run(
        [sys.executable, "-m", "nbtext.book", "link", "--hub", "https://hub.example.edu",
         "--chapter", "01"], capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert out == book.nbgitpuller_link("https://hub.example.edu", 1)
    bad = subprocess.run([sys.executable, "-m", "nbtext.book", "link", "--hub", "nope"],
                         capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2 and "hub must be an address" in bad.stderr


def test_quiet_lab_writes_the_overrides_and_keeps_other_settings(tmp_path):
    path = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "dark"},
                                "@jupyterlab/apputils-extension:notification":
                                    {"doNotDisturbMode": True}}))  # fmt: skip
    assert book.quiet_lab(str(tmp_path)) == str(path)
    settings = json.loads(path.read_text())
    assert settings["@jupyterlab/apputils-extension:themes"] == {"theme": "dark"}
    assert settings["@jupyterlab/apputils-extension:notification"] == {
        "doNotDisturbMode": True, "fetchNews": "false", "checkForUpdates": False,
    }  # fmt: skip


def test_make_lab_and_binder_both_quiet_jupyterlab():
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.count("-m nbtext.book quiet-lab") == 2  # the lab and the test environment
    post_build = ROOT / "binder" / "postBuild"
    assert "python -m nbtext.book quiet-lab" in post_build.read_text()
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"


@pytest.mark.parametrize("chapter", ["", "notebooks/05_gradient_descent.ipynb"])
def test_make_lab_opens_the_chapter_named_by_OPEN(chapter):
    """The site's run box says `make lab OPEN=notebooks/<chapter>`; without OPEN, the index."""
    args = ["make", "-n", "-C", str(ROOT), "lab"] + ([f"OPEN={chapter}"] if chapter else [])
    shown = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    launch = [line for line in shown.splitlines() if "jupyter lab" in line]
    assert len(launch) == 1
    assert launch[0].endswith(chapter or "notebooks/00_index.ipynb")


def test_a_fork_or_a_local_git_server_as_the_repository():
    link = book.nbgitpuller_link("https://hub.example.edu", 1, repo="git://127.0.0.1:9418/b.git")
    assert parse_qs(urlsplit(link).query)["repo"] == ["git://127.0.0.1:9418/b.git"]
    with pytest.raises(ValueError, match="repo must be a git address"):
        book.nbgitpuller_link("https://hub.example.edu", 1, repo="you/nbtext")
