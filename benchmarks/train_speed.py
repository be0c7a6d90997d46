"""How fast is nbtext's training loop? A side-by-side ratio, not a number of seconds.

Two tasks, both softmax cross-entropy, plain SGD, float64:

- ``digits`` (issue: foundation): scikit-learn's bundled digits, a 64-128-10 ReLU MLP,
  lr 0.1, batch 32, 5 epochs;
- ``moons`` (chapter 07's optimizer race): 200 moons, a 2-16-2 ReLU MLP, lr 0.3,
  batch 64, 10 epochs, so 40 updates on tiny arrays: a test of the per-step overhead.

Contenders:

- ``nbtext``: ``nbtext.training.fit`` with ``nbtext.network.MLP`` and ``SGD``;
- ``fused``: the same arithmetic hand-written in one NumPy loop (the floor);
- ``torch``: PyTorch CPU, float64, when it is installed (never a dependency);
- ``sklearn``: ``MLPClassifier(solver="sgd")`` with the same settings.

Runs are interleaved (one of each, repeated) and the best of ``--repeats`` is
kept, so a busy moment on a shared 2-core machine hurts every contender alike.
Run: ``python benchmarks/train_speed.py [--task digits|moons]``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

import numpy as np

from nbtext.datasets import digits, moons
from nbtext.network import MLP
from nbtext.optimizers import SGD
from nbtext.training import fit, minibatches

TASKS = {
    "digits": {"sizes": [64, 128, 10], "lr": 0.1, "batch": 32, "epochs": 5},
    "moons": {"sizes": [2, 16, 2], "lr": 0.3, "batch": 64, "epochs": 10},
}
SEED = 0
SIZES, LR, BATCH, EPOCHS = (TASKS["digits"][k] for k in ("sizes", "lr", "batch", "epochs"))


def use_task(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Set the module's settings to task ``name``; return its data ``(X, y)``."""
    global SIZES, LR, BATCH, EPOCHS
    task = TASKS[name]
    SIZES, LR, BATCH, EPOCHS = task["sizes"], task["lr"], task["batch"], task["epochs"]
    return digits() if name == "digits" else moons(n=200, noise=0.2, seed=0)


def run_nbtext(X: np.ndarray, y: np.ndarray) -> float:
    model = MLP(SIZES, activation="relu", output="softmax", seed=SEED)
    history = fit(model, X, y, SGD(LR), epochs=EPOCHS, batch_size=BATCH, seed=SEED)
    return history.epoch_loss[-1]


def run_fused(X: np.ndarray, y: np.ndarray) -> float:
    """The same model and updates, written as one loop with no abstractions."""
    init = MLP(SIZES, activation="relu", output="softmax", seed=SEED)  # same initial weights
    W1, b1 = init.params["W1"].copy(), init.params["b1"].copy()
    W2, b2 = init.params["W2"].copy(), init.params["b2"].copy()
    rng = np.random.default_rng(SEED)
    n = X.shape[0]
    epoch_loss = 0.0
    for _ in range(EPOCHS):
        total = 0.0
        for idx in minibatches(n, BATCH, rng):
            xb, yb = X[idx], y[idx]
            m = xb.shape[0]
            a1 = xb @ W1 + b1
            h1 = np.maximum(a1, 0.0)
            logits = h1 @ W2 + b2
            shifted = logits - logits.max(axis=1, keepdims=True)
            exp = np.exp(shifted)
            s = exp.sum(axis=1, keepdims=True)
            rows = np.arange(m)
            total += float(np.sum(np.log(s[:, 0]) - shifted[rows, yb]))
            d = exp / s
            d[rows, yb] -= 1.0
            d /= m
            gW2, gb2 = h1.T @ d, d.sum(axis=0)
            dh = (d @ W2.T) * (a1 > 0)
            gW1, gb1 = xb.T @ dh, dh.sum(axis=0)
            W1 -= LR * gW1
            b1 -= LR * gb1
            W2 -= LR * gW2
            b2 -= LR * gb2
        epoch_loss = total / n
    return epoch_loss


def make_torch() -> Callable[[np.ndarray, np.ndarray], float] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)

    def run_torch(X: np.ndarray, y: np.ndarray) -> float:
        init = MLP(SIZES, activation="relu", output="softmax", seed=SEED)
        model = torch.nn.Sequential(
            torch.nn.Linear(SIZES[0], SIZES[1]),
            torch.nn.ReLU(),
            torch.nn.Linear(SIZES[1], SIZES[2]),
        ).double()
        with torch.no_grad():
            model[0].weight.copy_(torch.from_numpy(init.params["W1"].T.copy()))
            model[0].bias.zero_()
            model[2].weight.copy_(torch.from_numpy(init.params["W2"].T.copy()))
            model[2].bias.zero_()
        opt = torch.optim.SGD(model.parameters(), lr=LR)
        loss_fn = torch.nn.CrossEntropyLoss()
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        rng = np.random.default_rng(SEED)
        n, epoch_loss = X.shape[0], 0.0
        for _ in range(EPOCHS):
            total = 0.0
            for idx in minibatches(n, BATCH, rng):
                it = torch.from_numpy(idx)
                opt.zero_grad()
                loss = loss_fn(model(Xt[it]), yt[it])
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            epoch_loss = total / n
        return epoch_loss

    return run_torch


def make_sklearn() -> Callable[[np.ndarray, np.ndarray], float] | None:
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None

    def run_sklearn(X: np.ndarray, y: np.ndarray) -> float:
        clf = MLPClassifier(
            hidden_layer_sizes=(SIZES[1],),
            activation="relu",
            solver="sgd",
            learning_rate_init=LR,
            momentum=0.0,
            batch_size=BATCH,
            max_iter=EPOCHS,
            alpha=0.0,
            random_state=SEED,
            n_iter_no_change=EPOCHS + 1,
            tol=0.0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)
        return float(clf.loss_)

    return run_sklearn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds (best kept)")
    parser.add_argument("--task", choices=sorted(TASKS), default="digits")
    args = parser.parse_args()
    X, y = use_task(args.task)
    contenders: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
        "nbtext": run_nbtext,
        "fused": run_fused,
    }
    for name, factory in (("torch", make_torch), ("sklearn", make_sklearn)):
        runner = factory()
        if runner is None:
            print(f"({name} not installed: skipped)")
        else:
            contenders[name] = runner
    best = {name: float("inf") for name in contenders}
    final_loss = {}
    for name, run in contenders.items():  # warm-up round, not timed
        final_loss[name] = run(X, y)
    for _ in range(args.repeats):
        for name, run in contenders.items():
            start = time.perf_counter()
            run(X, y)
            best[name] = min(best[name], time.perf_counter() - start)
    print(
        f"{args.task} {X.shape}, MLP {SIZES} relu, SGD lr {LR}, batch {BATCH}, {EPOCHS} epochs,"
        f" float64; best of {args.repeats} interleaved runs"
    )
    print(f"{'contender':<10}{'seconds':>10}{'final loss':>13}{'nbtext / it':>14}")
    for name in contenders:
        ratio = best["nbtext"] / best[name]
        print(f"{name:<10}{best[name]:>10.3f}{final_loss[name]:>13.5f}{ratio:>14.2f}")
    if args.task == "digits":
        print(f"\nnbtext / fused = {best['nbtext'] / best['fused']:.2f} (target <= 1.3)")
        if "torch" in best:
            print(f"nbtext / torch = {best['nbtext'] / best['torch']:.2f} (target <= 0.5)")
    else:  # tiny arrays: what is measured is the Python work around each NumPy call
        print(f"\nnbtext / fused = {best['nbtext'] / best['fused']:.2f} (per-step overhead)")


if __name__ == "__main__":
    main()
