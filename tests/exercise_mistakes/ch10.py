"""Typical mistakes for the chapter 10 exercises (generalization and regularization)."""

from __future__ import annotations

from typing import Any

import numpy as np

# ------------------------------------------------------------------ q2: penalty ---


def _penalty_with_biases(params, lam):  # type: ignore[no-untyped-def]
    return lam / 2 * sum(np.sum(v**2) for v in params.values())


def _penalty_no_half(params, lam):  # type: ignore[no-untyped-def]
    return lam * sum(np.sum(W**2) for k, W in params.items() if k.startswith("W"))


def _penalty_abs(params, lam):  # type: ignore[no-untyped-def]
    return lam / 2 * sum(np.sum(np.abs(W)) for k, W in params.items() if k.startswith("W"))


def _penalty_norm(params, lam):  # type: ignore[no-untyped-def]
    return lam / 2 * sum(np.linalg.norm(W) for k, W in params.items() if k.startswith("W"))


def _penalty_two_layers(params, lam):  # type: ignore[no-untyped-def]
    return lam / 2 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))


def _penalty_mean(params, lam):  # type: ignore[no-untyped-def]
    return lam / 2 * sum(np.mean(W**2) for k, W in params.items() if k.startswith("W"))


def _penalty_over_keys(params, lam):  # type: ignore[no-untyped-def]
    total = 0.0
    for W in params:
        total += np.sum(W**2)
    return lam / 2 * total


def _penalty_over_keys_numpy(params, lam):  # type: ignore[no-untyped-def]
    return lam / 2 * sum(np.sum(np.square(W)) for W in params)


def _penalty_no_return(params, lam):  # type: ignore[no-untyped-def]
    lam / 2 * sum(np.sum(W**2) for k, W in params.items() if k.startswith("W"))


# ----------------------------------------------------------- q3: early stopping ---


def _stopping_zero_based(val_losses, patience):  # type: ignore[no-untyped-def]
    best, best_i, waited = float("inf"), 0, 0
    for i, loss in enumerate(val_losses):
        if loss < best:
            best, best_i, waited = loss, i, 0
        else:
            waited += 1
            if waited == patience:
                return best_i, i
    return best_i, len(val_losses) - 1


def _stopping_best_of_all(val_losses, patience):  # type: ignore[no-untyped-def]
    best, waited, last = float("inf"), 0, len(val_losses)
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited == patience:
                last = epoch
                break
    return int(np.argmin(val_losses)) + 1, last


def _stopping_one_late(val_losses, patience):  # type: ignore[no-untyped-def]
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience + 1:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _stopping_ties_later(val_losses, patience):  # type: ignore[no-untyped-def]
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _stopping_no_reset(val_losses, patience):  # type: ignore[no-untyped-def]
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        else:
            waited += 1
            if waited == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _stopping_against_previous(val_losses, patience):  # type: ignore[no-untyped-def]
    waited = 0
    for epoch in range(2, len(val_losses) + 1):
        if val_losses[epoch - 1] >= val_losses[epoch - 2]:
            waited += 1
        else:
            waited = 0
        if waited == patience:
            return int(np.argmin(val_losses[:epoch])) + 1, epoch
    return int(np.argmin(val_losses)) + 1, len(val_losses)


def _stopping_best_plus_patience(val_losses, patience):  # type: ignore[no-untyped-def]
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch, best_epoch + patience


def _stopping_best_only(val_losses, patience):  # type: ignore[no-untyped-def]
    best, best_epoch, waited = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch


def _stopping_returns_loss(val_losses, patience):  # type: ignore[no-untyped-def]
    best, waited = float("inf"), 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited == patience:
                return best, epoch
    return best, len(val_losses)


# ------------------------------------------------------------------ q4: dropout ---


def _dropout_in_place(x, keep, p):  # type: ignore[no-untyped-def]
    x[~keep] = 0.0
    x /= 1 - p
    return x


def _dropout_own_mask(x, keep, p):  # type: ignore[no-untyped-def]
    mask = np.random.default_rng(0).random(x.shape) >= p
    return x * mask / (1 - p)


def _dropout_minus_mask(x, keep, p):  # type: ignore[no-untyped-def]
    return x * (1 + -keep) / (1 - p)


# ---------------------------------------------------------- q5: standardization ---


def _standardize_own_stats(X_train, X):  # type: ignore[no-untyped-def]
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _standardize_all_data(X_train, X):  # type: ignore[no-untyped-def]
    both = np.vstack([X_train, X])
    return (X - both.mean(axis=0)) / both.std(axis=0)


def _standardize_in_place(X_train, X):  # type: ignore[no-untyped-def]
    X -= X_train.mean(axis=0)
    X /= X_train.std(axis=0)
    return X


MISTAKES: dict[str, list[tuple[Any, str]]] = {
    "ch10.q1": [
        (1.95, "plain SGD step"),
        (1.949, "not (λ/2)·w"),
        (2.052, "goes downhill"),
        (1.952, "makes the weight smaller"),
        (1.93, "multiplied by the learning rate too"),
        (0.999 * 1.95, "(1 − η·λ)·(w − η·g)"),
        (1.9, "too small."),
        ("1.948", "the text"),
    ],
    "ch10.q2": [
        (_penalty_with_biases, "the biases are not penalized"),
        (_penalty_no_half, "you left out the 1/2"),
        (_penalty_abs, "L1 penalty"),
        (_penalty_norm, "with no square root"),
        (_penalty_two_layers, "not over W1 and W2 only"),
        (_penalty_mean, "np.mean divides"),
        (_penalty_over_keys, "use params.items()"),
        (_penalty_over_keys_numpy, "looping over a dict gives its keys"),
        (_penalty_no_return, "forget the `return`"),
    ],
    "ch10.q3": [
        (_stopping_zero_based, "epochs are numbered from 1"),
        (_stopping_best_of_all, "the epochs after the stop are never trained"),
        (_stopping_one_late, "not the one after it"),
        (_stopping_ties_later, "an equal loss is not an improvement"),
        (_stopping_no_reset, "IN A ROW"),
        (_stopping_against_previous, "beats the best loss so far"),
        (_stopping_best_plus_patience, "not best_epoch + patience"),
        (lambda v, k: (len(v), 1), "expected (best_epoch, last_epoch) = (3, 6), got (8, 1)"),
        (_stopping_best_only, "return both epochs"),
        (_stopping_returns_loss, "not a loss"),
    ],
    "ch10.q4": [
        (lambda x, keep, p: x * keep, "must be rescaled"),
        (lambda x, keep, p: x * keep * (1 - p), "at TEST time"),
        (lambda x, keep, p: x * keep / p, "probability of DROPPING"),
        (lambda x, keep, p: np.where(keep, 0.0, x) / (1 - p), "wrong way round"),
        (lambda x, keep, p: x / (1 - p), "the mask is missing"),
        (lambda x, keep, p: x.copy(), "evaluation mode"),
        (_dropout_own_mask, "do not draw a new one"),
        (_dropout_minus_mask, "np.logical_not"),
        (_dropout_in_place, "changed its input array in place"),
    ],
    "ch10.q5": [
        (_standardize_own_stats, "the mean and std of X itself"),
        (_standardize_all_data, "from the training set alone"),
        (lambda Xt, X: (Xt - Xt.mean(axis=0)) / Xt.std(axis=0), "standardized training set"),
        (lambda Xt, X: (X - Xt.mean(axis=0)) / Xt.std(axis=0, ddof=1), "ddof=1"),
        (lambda Xt, X: X / Xt.std(axis=0), "subtract the training mean first"),
        (lambda Xt, X: (X - Xt.mean(axis=0)) / Xt.var(axis=0), "not the variance"),
        (lambda Xt, X: (X - np.mean(Xt)) / np.std(Xt), "one number for the whole array"),
        (lambda Xt, X: (X - Xt.mean(axis=1)) / Xt.std(axis=1), "axis=1 averages along each row"),
        (lambda Xt, X: X - Xt.mean(axis=0) / Xt.std(axis=0), "mind the brackets"),
        (_standardize_in_place, "changed its input array in place"),
    ],
    "ch10.q6": [
        ("a", "always prefers λ = 0"),
        ("c", "no longer unseen"),
        ("d", "in disguise"),
        ("test", "not one of the choices"),
    ],
    "ch10.q7": [
        ("a", "keeps the weights small"),
        ("b", "cannot rely on any single unit"),
        ("c", "lowest validation loss"),
        ("d", "most reliable cure"),
        ("standardization", "not one of the choices"),
    ],
    "ch10.q8": [
        ([3, 0, 9, 0], "did not rescale"),
        ([2.25, 0, 6.75, 0], "non-inverted dropout"),
        ([12, 0, 36, 0], "probability of dropping"),
        ([0, 8, 0, 16], "True in the mask means KEEP"),
        ([4, 8, 12, 16], "they output 0"),
        ([3, 6, 9, 12], "evaluation mode"),
        ([4, 0, 12], "wrong shape: expected (4,), got (3,)"),
    ],
}
