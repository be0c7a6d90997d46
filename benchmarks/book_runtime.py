"""How long does the book take to run? Each notebook, top to bottom, in a fresh kernel.

Executes every ``notebooks/NN_*.ipynb`` with nbclient (as nbval and nbconvert do) without
writing anything back, and reports per notebook the kernel start-up and the cells' run time.
Targets on the 2-core machine: each chapter's cells <= 8 s (chapter 08 <= 15 s) and the whole
book <= 60 s. Timings are noisy here; run it on an idle machine.

Run: ``python benchmarks/book_runtime.py [--slowest N] [notebooks/05_gradient_descent.ipynb ...]``;
``--slowest N`` also lists each notebook's N slowest cells, to see where a chapter's time goes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LIMITS = {"08": 15.0}
DEFAULT_LIMIT = 8.0
BOOK_LIMIT = 60.0


def run(path: Path) -> tuple[float, float, list[tuple[float, int, str]]]:
    """Execute ``path`` in a fresh kernel.

    Returns (kernel start-up s, cells s, [(cell s, cell index, first line)] per code cell).
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={})
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
    print(f"{'notebook':<40}{'start s':>8}{'cells s':>9}{'limit s':>9}  verdict")
    total = 0.0
    for path in paths:
        startup, cells, per_cell = run(path)
        total += startup + cells
        limit = LIMITS.get(path.name[:2], DEFAULT_LIMIT)
        verdict = "ok" if cells <= limit else "OVER"
        print(f"{path.name:<40}{startup:>8.1f}{cells:>9.1f}{limit:>9.0f}  {verdict}")
        for seconds, index, first_line in sorted(per_cell, reverse=True)[: args.slowest]:
            print(f"    cell {index:>3}: {seconds:5.2f} s  {first_line[:60]}")
    verdict = "ok" if total <= BOOK_LIMIT else "OVER"
    print(f"\nwhole book, start-ups included: {total:.1f} s (limit {BOOK_LIMIT:.0f} s) {verdict}")


if __name__ == "__main__":
    main()
