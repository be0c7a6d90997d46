"""How fast do the explorers answer a slider? Median and p95 per explorer and control.

For every explorer in ``nbtext.widgets`` and every one of its controls, set the
control to ``--changes`` values across its range (in a shuffled, seeded order, so a
cache cannot hide behind a sweep) and time each assignment: setting
``controls[name].value`` runs the explorer's callback, which leaves the figure fully
drawn and the PNG the browser shows encoded before it returns. First visits to a
setting (a new surface, a new training run) are part of the sweep. The build, which
draws the first picture, is timed apart and printed with each explorer. Targets on the
2-core machine: median <= 50 ms, p95 <= 100 ms for every control.

Run: ``python benchmarks/slider_latency.py [--only optimizer_explorer ...]``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np

import nbtext.widgets as nw


def sweep(widget: widgets.Widget, count: int, rng: np.random.Generator) -> list[Any]:
    """``count`` values across the control's range, shuffled; options cycle for menus."""
    if isinstance(widget, (widgets.Dropdown, widgets.SelectionSlider, widgets.ToggleButtons)):
        options = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        values = [options[i % len(options)] for i in range(count)]
    elif isinstance(widget, widgets.FloatLogSlider):
        values = [float(v) for v in widget.base ** np.linspace(widget.min, widget.max, count)]
    elif isinstance(widget, (widgets.IntSlider, widgets.Play)):
        values = [round(float(v)) for v in np.linspace(widget.min, widget.max, count)]
    elif isinstance(widget, widgets.FloatSlider):
        values = [float(v) for v in np.linspace(widget.min, widget.max, count)]
    else:
        return []
    order = rng.permutation(len(values))
    return [values[i] for i in order]


def measure(
    factory: Callable[[], Any], changes: int, seed: int
) -> tuple[float, dict[str, tuple[float, float]]]:
    """Build time in ms, and control name -> (median, p95) of its changes in ms."""
    start = time.perf_counter()
    explorer = factory()
    build = (time.perf_counter() - start) * 1000
    rng = np.random.default_rng(seed)
    results = {}
    for name, widget in explorer.controls.items():
        if widget.disabled:
            continue
        times = []
        for value in sweep(widget, changes, rng):
            start = time.perf_counter()
            widget.value = value
            times.append(time.perf_counter() - start)
        if times:
            ms = np.array(times) * 1000
            results[name] = (float(np.median(ms)), float(np.percentile(ms, 95)))
    return build, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="value changes per control")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=None, help="explorer names to measure")
    args = parser.parse_args()
    factories = {name: getattr(nw, name) for name in nw.__all__ if name != "Explorer"}
    if args.only:
        factories = {name: factories[name] for name in args.only}
    print(f"{'explorer':<24}{'control':<16}{'median ms':>10}{'p95 ms':>9}  verdict")
    missed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for explorer_name, factory in factories.items():
            build, rows = measure(factory, args.changes, args.seed)
            print(f"{explorer_name:<24}{'(build)':<16}{build:>10.0f}")
            for control, (median, p95) in rows.items():
                ok = median <= 50 and p95 <= 100
                missed += not ok
                verdict = "ok" if ok else "MISSES TARGET"
                print(f"{explorer_name:<24}{control:<16}{median:>10.1f}{p95:>9.1f}  {verdict}")
    print(f"\n{args.changes} changes per control; targets median <= 50 ms, p95 <= 100 ms; "
          f"{missed} control(s) miss")  # fmt: skip


if __name__ == "__main__":
    main()
