"""The book's notebooks keep the promises a reader relies on (nbval checks their outputs).

Structure: a title cell with what you will learn and prerequisites; summary, exercises and
further reading; every exercise of the chapter's module offered in the notebook. Execution:
run top to bottom in one fresh kernel, no errors or warnings stored. Static readers: every
explorer left an ``image/png`` beside its widget view. Links: the index and the README
reach every chapter.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from nbtext import book, exercises

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = [path for path in NOTEBOOKS if not path.name.startswith("00_")]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAX_NOTEBOOK_BYTES = 3_000_000  # stored outputs and widget state, kept reviewable in git


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict[str, Any]) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def chapter_number(path: Path) -> int:
    return int(path.name[:2])


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request: pytest.FixtureRequest) -> tuple[Path, dict[str, Any]]:
    return request.param, load(request.param)


def test_the_book_has_its_chapters():
    names = [path.name for path in NOTEBOOKS]
    assert names and names[0] == "00_index.ipynb"


def test_executed_top_to_bottom_in_one_fresh_kernel(notebook):
    path, nb = notebook
    counts = [cell.get("execution_count") for cell in nb["cells"] if cell["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: re-execute it from the top"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_no_errors_or_warnings_stored(notebook):
    path, nb = notebook
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name} cell {index}: {output}"
            if output["output_type"] == "stream" and output["name"] == "stderr":
                assert "Warning" not in "".join(output["text"]), f"{path.name} cell {index}"


def test_prints_are_stored_as_one_output(notebook):
    """Split stream outputs show as gaps on GitHub: store them coalesced (`make notebooks`)."""
    path, nb = notebook
    for index, cell in enumerate(nb["cells"]):
        outputs = cell.get("outputs", [])
        for a, b in itertools.pairwise(outputs):
            split = a["output_type"] == b["output_type"] == "stream" and a["name"] == b["name"]
            assert not split, f"{path.name} cell {index}: re-execute with `make notebooks`"


def test_no_star_imports_or_path_edits(notebook):
    path, nb = notebook
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            text = source(cell)
            assert not re.search(r"^\s*from\s+\S+\s+import\s+\*", text, re.M), path.name
            assert "sys.path" not in text, path.name


def test_ignored_outputs_say_why(notebook):
    """nbval honours the marker only as a line of its own; the next line says why."""
    path, nb = notebook
    for index, cell in enumerate(nb["cells"]):
        lines = [line.strip() for line in source(cell).splitlines()]
        for i, line in enumerate(lines):
            if "NBVAL_IGNORE_OUTPUT" in line:
                assert line == "# NBVAL_IGNORE_OUTPUT", f"{path.name} cell {index}: {line!r}"
                reason = lines[i + 1] if i + 1 < len(lines) else ""
                assert reason.startswith("#") and len(reason) >= 10, (
                    f"{path.name} cell {index}: say why on the line after the marker"
                )


def test_every_explorer_leaves_a_picture_for_static_readers(notebook):
    path, nb = notebook
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            is_progress_bar = "%|" in str(data.get("text/plain", ""))  # tqdm's own widget
            if WIDGET_VIEW in data and not is_progress_bar:
                assert "image/png" in data, f"{path.name} cell {index}: no picture stored"


def test_notebooks_stay_a_reviewable_size(notebook):
    path, _ = notebook
    assert path.stat().st_size <= MAX_NOTEBOOK_BYTES, path.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_structure(path: Path):
    nb = load(path)
    number = chapter_number(path)
    title = source(nb["cells"][0])
    assert nb["cells"][0]["cell_type"] == "markdown"
    assert title.startswith(f"# Chapter {number:02d}"), title[:60]
    assert "What you will learn" in title and "Prerequisites" in title
    headings = [
        line.strip()
        for cell in nb["cells"]
        if cell["cell_type"] == "markdown"
        for line in source(cell).splitlines()
        if line.startswith("## ")
    ]
    for required in ("## Summary", "## Exercises", "## Further reading"):
        assert required in headings, f"{path.name} lacks {required!r}"
    last = source(nb["cells"][-1])
    assert "00_index.ipynb" in last, f"{path.name}: end with the navigation line"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_offers_every_exercise_of_its_module(path: Path):
    number = chapter_number(path)
    code = "\n".join(source(c) for c in load(path)["cells"] if c["cell_type"] == "code")
    module = getattr(exercises, f"ch{number:02d}")
    assert len(module.EXERCISES) >= 6
    for exercise in module.EXERCISES:
        question = exercise.name.split(".")[1]
        assert f"ch{number:02d}.{question}.check(" in code, f"{path.name} misses {exercise.name}"


def test_index_and_readme_link_every_chapter():
    index = "\n".join(source(c) for c in load(ROOT / "notebooks" / "00_index.ipynb")["cells"])
    index_outputs = json.dumps(load(ROOT / "notebooks" / "00_index.ipynb"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in CHAPTERS:
        assert f"({path.name})" in index, f"the index does not link {path.name}"
        assert book.binder_link(path.name) in index + index_outputs, path.name
        assert f"(notebooks/{path.name})" in readme, f"the README does not link {path.name}"


def test_the_notebooks_matplotlibrc_only_fixes_title_height():
    # notebooks/matplotlibrc speeds figures up without changing them: titles at a fixed
    # height are where matplotlib puts them anyway unless tick labels sit on top of an axes.
    settings = [
        line.split("#")[0].strip()
        for line in (ROOT / "notebooks" / "matplotlibrc").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    assert settings == ["axes.titley: 1.0"]
    for path in CHAPTERS:
        cells = json.loads(path.read_text())["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for top_ticks in ("twiny", "tick_top", "secondary_xaxis", "labeltop"):
            assert top_ticks not in source, (path.name, top_ticks)


def test_the_index_states_the_exercise_time_limit():
    from nbtext.exercises._core import TIME_LIMIT

    cells = json.loads((ROOT / "notebooks" / "00_index.ipynb").read_text())["cells"]
    prose = " ".join(" ".join(c["source"]).replace("\n", " ") for c in cells)
    assert f"more than {TIME_LIMIT:g} seconds on one input" in " ".join(prose.split())
