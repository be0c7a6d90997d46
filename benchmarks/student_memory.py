"""How much memory does a student's server need? The peak of each chapter's kernel.

Runs every notebook top to bottom in a fresh kernel (as a student would), then asks the kernel
for its peak resident memory (``ru_maxrss``). Add the Jupyter server itself (about 90 MB for
JupyterLab, measured on this machine with ``/proc/<pid>/status`` after serving /lab) for the
memory one student with one open chapter needs. ``docs/teaching.md`` quotes the numbers.

Run: ``python benchmarks/student_memory.py [notebooks/05_gradient_descent.ipynb ...]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def kernel_peak_mb(path: Path) -> float:
    """Run ``path`` in a fresh kernel in its own folder; return the kernel's peak RSS in MB."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})  # fmt: skip
    client.execute()
    return int(nb.cells[-1].outputs[0]["text"].strip()) / 1024  # Linux reports kB


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    paths = [Path(p) for p in sys.argv[1:]] or sorted(
        (root / "notebooks").glob("[0-9][0-9]_*.ipynb")
    )
    peaks = {}
    for path in paths:
        peaks[path.name] = kernel_peak_mb(path)
        print(f"{path.name:40s} kernel peak {peaks[path.name]:6.0f} MB", flush=True)
    print(f"largest: {max(peaks, key=peaks.get)}, {max(peaks.values()):.0f} MB")


if __name__ == "__main__":
    main()
