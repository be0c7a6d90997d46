"""Chapter 12's PyTorch listing gives the same losses as the nbtext cell beside it.

The chapter shows the listing as text (the book runs without PyTorch). This test takes the
listing from the notebook itself, runs the chapter's cells that define its inputs (imports, the
standardized digits, the nbtext run), then the listing, and compares the losses update by
update, so the listing cannot rot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

CHAPTER = Path(__file__).resolve().parent.parent / "notebooks" / "12_training_recipe.ipynb"


def cells():
    nb = json.loads(CHAPTER.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


def listing():
    """The ```python block of the markdown cell that imports torch."""
    blocks = [
        block
        for kind, text in cells()
        if kind == "markdown"
        for block in re.findall(r"```python\n(.*?)```", text, flags=re.S)
        if "import torch" in block
    ]
    assert len(blocks) == 1, f"expected one PyTorch listing, found {len(blocks)}"
    return blocks[0]


def cell_containing(marker):
    found = [text for kind, text in cells() if kind == "code" and marker in text]
    assert len(found) == 1, f"expected one code cell containing {marker!r}, found {len(found)}"
    return found[0]


def test_the_listing_gives_the_same_losses_as_nbtext():
    pytest.importorskip("torch")
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {}
    first_code = next(text for kind, text in cells() if kind == "code")
    for source in (first_code, cell_containing("X, y = digits()"), cell_containing("start = {")):
        exec(compile(source, str(CHAPTER), "exec"), namespace)
    ours = np.array(namespace["history"].loss)
    exec(compile(listing(), "pytorch listing", "exec"), namespace)
    theirs = np.array(namespace["torch_losses"])
    assert len(theirs) == len(ours) > 100
    np.testing.assert_allclose(theirs, ours, rtol=1e-10, atol=0)


def test_the_listing_is_valid_python_that_needs_only_torch_nbtext_and_the_chapter():
    code = listing()
    compile(code, "pytorch listing", "exec")
    imports = set(re.findall(r"^\s*(?:from|import)\s+(\w+)", code, flags=re.M))
    assert imports <= {"torch", "nbtext"}, imports
