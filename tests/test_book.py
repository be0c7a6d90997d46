"""The repository's promises about itself: version, Binder links, packaging."""

from __future__ import annotations

import re
from pathlib import Path

import nbtext
from nbtext import book

ROOT = Path(__file__).resolve().parent.parent


def test_version_is_a_release_string():
    assert re.fullmatch(r"\d+\.\d+\.\d+", nbtext.__version__)


def test_readme_binder_link_matches_the_repository_constant():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"[binder]: {book.BINDER_URL}" in readme
    assert book.binder_link("00_index.ipynb") == book.BINDER_URL


def test_readme_leads_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```bash", 1)[1].split("```", 1)[0]
    assert "make lab" in first_block and "make test" in first_block


def test_binder_requirements_are_pinned_and_install_the_package():
    lines = [
        ln.strip()
        for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert "-e ." in lines
    for line in lines:
        if line != "-e .":
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.]*", line), line
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_binder_pins_every_runtime_dependency():
    pyproject = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.S | re.M).group(1)
    needed = {re.match(r'\s*"([A-Za-z0-9_.\-]+)', ln).group(1).lower()
              for ln in block.splitlines() if ln.strip().startswith('"')}  # fmt: skip
    pinned = {
        ln.split("==")[0].strip().lower()
        for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if "==" in ln
    }
    assert {"numpy", "matplotlib", "contourpy"} <= needed
    assert needed <= pinned, needed - pinned
