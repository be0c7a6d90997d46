"""The package's layering, as DESIGN.md states it: the package computes, the widgets only show.

No module under ``nbtext/widgets/`` holds arithmetic of its own (a forward pass, a loss, a
backward pass, a parameter update): those live once in activations, losses, layers, network,
optimizers, training and surfaces, and the explorers call them. Nothing in the package imports
the widgets or the exercises. These are structural checks on the source, by its syntax tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import nbtext

PACKAGE = Path(nbtext.__file__).parent
WIDGETS = sorted((PACKAGE / "widgets").glob("*.py"))

NUMERICS = {"matmul", "dot", "einsum", "exp", "expm1", "log", "log1p", "tanh", "logaddexp"}
"""NumPy functions that only a forward pass, a loss or a gradient needs (log10 for axis ranges
and slider steps is fine)."""


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", WIDGETS, ids=lambda p: p.name)
def test_widgets_hold_no_arithmetic_of_their_own(path):
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.MatMult):
            found.append(f"line {node.lineno}: the @ operator")
        if isinstance(node, ast.Attribute) and node.attr in NUMERICS:
            if isinstance(node.value, ast.Name) and node.value.id in ("np", "numpy", "math"):
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr in ("grads", "backward", "step"):
            found.append(f"line {node.lineno}: .{node.attr} (training belongs in nbtext.training)")
    assert not found, f"{path.name}: " + "; ".join(found)


@pytest.mark.parametrize("path", WIDGETS, ids=lambda p: p.name)
def test_widgets_use_only_the_public_names_of_the_package(path):
    private = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nbtext"):
            if node.module.startswith("nbtext.widgets"):
                continue
            private += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            if isinstance(node.value, ast.Name) and node.value.id in ("act", "losses", "layers"):
                private.append(f"{node.value.id}.{node.attr}")
    assert not private, f"{path.name} reaches into {private}"


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "widgets" not in p.parts and "exercises" not in p.parts
    ],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_nothing_in_the_package_imports_the_widgets_or_the_exercises(path):
    for node in ast.walk(_tree(path)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            assert not name.startswith(("nbtext.widgets", "nbtext.exercises")), (path, name)
