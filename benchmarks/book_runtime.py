"""How long does the book take to run? Each notebook, top to bottom, in a fresh kernel.

Executes every ``notebooks/NN_*.ipynb`` with nbclient (as nbval and nbconvert do) without
writing anything back, and reports per notebook the kernel start-up and the cells' run time.
Targets on the 2-core machine: each chapter's cells <= 8 s (chapter 08 <= 15 s) and the whole
book <= 60 s. Timings are noisy here; run it on an idle machine.

Run: ``python benchmarks/book_runtime.py [--slowest N] [notebooks/05_gradient_descent.ipynb ...]``;
``--slowest N`` also lists each notebook's N slowest cells, to see where a chapter's time goes.

This machine's speed drifts: the same notebook can take 40 % longer an hour later. So before
and after each notebook a fixed reference workload runs (small NumPy steps and one matplotlib
figure, what the chapters spend their time on), and the mean of the two is printed beside the
notebook's time: when the reference is slow too, so was the machine.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LIMITS = {"08": 15.0}
DEFAULT_LIMIT = 8.0
BOOK_LIMIT = 60.0


def reference() -> float:
    """Seconds for a fixed workload like the book's: 3000 tiny NumPy updates, one figure."""
    started = time.perf_counter()
    rng = np.random.default_rng(0)
    W, x = rng.normal(size=(16, 2)), rng.normal(size=(64, 16))
    for _ in range(3000):
        g = x.T @ np.maximum(x @ W, 0.0)
        W -= 1e-3 * g / (1.0 + np.sqrt(np.sum(g * g)))
    figure = Figure(figsize=(8, 3))
    FigureCanvasAgg(figure)
    for k, ax in enumerate(figure.subplots(1, 2)):
        ax.plot(np.cumsum(rng.normal(size=500)), label=f"walk {k}")
        ax.set(xlabel="step", ylabel="position", title=f"panel {k}")
        ax.legend()
    figure.canvas.print_png(io.BytesIO())
    return time.perf_counter() - started


def run(path: Path) -> tuple[float, float, list[tuple[float, int, str]]]:
    """Execute ``path`` in a fresh kernel.

    Returns (kernel start-up s, cells s, [(cell s, cell index, first line)] per code cell).
    """
    nb = nbformat.read(path, as_version=4)
    # The kernel runs in the notebook's folder, as in Jupyter (and nbval, and nbconvert).
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources)
    per_cell = []
    started = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            before = time.perf_counter()
            client.execute_cell(cell, index)
            if cell.cell_type == "code":
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                per_cell.append((time.perf_counter() - before, index, first_line))
        finished = time.perf_counter()
    return ready - started, finished - ready, per_cell


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--slowest", type=int, default=0, metavar="N")
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    matplotlib.use("agg")
    reference()  # warm-up: imports and font caches
    print(f"{'notebook':<40}{'start s':>8}{'cells s':>9}{'limit s':>9}  verdict  reference s")
    total, references = 0.0, []
    for path in paths:
        before = reference()
        startup, cells, per_cell = run(path)
        references.append((before + reference()) / 2)
        total += startup + cells
        limit = LIMITS.get(path.name[:2], DEFAULT_LIMIT)
        verdict = "ok" if cells <= limit else "OVER"
        print(
            f"{path.name:<40}{startup:>8.1f}{cells:>9.1f}{limit:>9.0f}  {verdict:<7}"
            f"{references[-1]:>12.2f}"
        )
        for seconds, index, first_line in sorted(per_cell, reverse=True)[: args.slowest]:
            print(f"    cell {index:>3}: {seconds:5.2f} s  {first_line[:60]}")
    verdict = "ok" if total <= BOOK_LIMIT else "OVER"
    print(f"\nwhole book, start-ups included: {total:.1f} s (limit {BOOK_LIMIT:.0f} s) {verdict}")
    print(f"reference workload: {min(references):.2f} to {max(references):.2f} s")


if __name__ == "__main__":
    main()
