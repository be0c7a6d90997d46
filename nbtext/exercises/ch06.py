"""Chapter 06 exercises: backpropagation, deltas, computational graphs, gradient checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nbtext.activations import relu_grad, sigmoid, sigmoid_grad
from nbtext.exercises._core import (
    NOT_YET,
    Case,
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    _Verdict,
    not_yet,
)

_X, _DOUT = 0.5, 2.0
_S = float(sigmoid(_X))

q1 = NumericExercise(
    name="ch06.q1",
    chapter=6,
    prompt=(
        "A sigmoid unit z = σ(a) received a = 0.5 and the upstream gradient dL/dz is 2.0. "
        "What is dL/da? (4 decimal places)"
    ),
    reference=float(_DOUT * sigmoid_grad(_X)),
    rtol=0.0,
    atol=6e-5,
    diagnoses=(
        (float(sigmoid_grad(_X)), "that is σ'(a) alone; multiply by the upstream gradient 2.0."),
        (_DOUT * _S, "that is dL/dz · σ(a); the local derivative is σ(a)(1 − σ(a))."),
        (
            _DOUT * _X * (1 - _X),
            "you used a(1 − a); the derivative is σ(a)(1 − σ(a)) = z(1 − z), with "
            "z = σ(0.5) ≈ 0.6225.",
        ),
        (_DOUT / float(sigmoid_grad(_X)), "the chain rule multiplies by the local derivative."),
    ),
    hints=(
        "Chain rule: dL/da = dL/dz · dz/da.",
        "For z = σ(a), dz/da = σ(a)(1 − σ(a)); σ(0.5) ≈ 0.6225.",
        "2.0 * 0.6225 * (1 - 0.6225)",
    ),
    solution_text=("dL/da = dL/dz · σ(a)(1 − σ(a)) = 2.0 · 0.622459 · 0.377541 ≈ 0.4700"),
)


def relu_backward(dout: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Gradient through ReLU: ``dout`` where ``x > 0``, else 0 (agrees with relu_grad)."""
    return dout * relu_grad(x)


_XS = np.array([[1.0, -2.0, 0.0], [-0.5, 3.0, 2.0]])
_DS = np.array([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]])

q2 = FunctionExercise(
    name="ch06.q2",
    chapter=6,
    prompt="Write relu_backward(dout, x): the gradient of the loss with respect to ReLU's input x.",
    reference=relu_backward,
    params=("dout", "x"),
    cases=(
        Case((_DS, _XS)),
        Case((np.array([1.0, 1.0, 1.0]), np.array([-1.0, 0.0, 1.0]))),
        Case((np.array([-2.0, 5.0]), np.array([4.0, -4.0]))),
    ),
    diagnoses=(
        (
            lambda d, x: (x > 0).astype(float),
            "that is ReLU's local derivative alone; multiply it by dout (chain rule).",
        ),
        (lambda d, x: d * (x >= 0), "at x = 0 the gradient is taken as 0: use x > 0, not x >= 0."),
        (lambda d, x: d * (d > 0), "the mask comes from the forward input x, not from dout."),
        (lambda d, x: np.maximum(d, 0), "the mask comes from the forward input x, not from dout."),
        (
            lambda d, x: d * np.maximum(0, x),
            "that multiplies dout by ReLU(x), the forward output, not by ReLU's derivative; "
            "the derivative is 1 where x > 0 and 0 elsewhere.",
        ),
    ),
    mutation_message=(
        "leave dout alone and return a new array: `dout * (x > 0)` instead of `dout[x <= 0] = 0`."
    ),
    hints=(
        "ReLU passes its input through where x > 0 and blocks it elsewhere; its derivative "
        "does the same to the gradient.",
        "Build the mask x > 0 and multiply the upstream gradient dout by it.",
        "return dout * (x > 0)",
    ),
    solution_text="def relu_backward(dout, x):\n    return dout * (x > 0)",
)

# ----------------------------------------------------------- q3: an output delta ---

_X3, _T3 = 0.8, 1.0

q3 = NumericExercise(
    name="ch06.q3",
    chapter=6,
    prompt=(
        "A sigmoid output unit gives x⁽³⁾ = 0.8 for the target t = 1, with L = ½(x⁽³⁾ − t)². "
        "What is its delta e⁽³⁾ = ∂L/∂v⁽³⁾? (4 decimal places)"
    ),
    reference=(_X3 - _T3) * _X3 * (1 - _X3),  # -0.032
    rtol=0.0,
    atol=6e-5,
    diagnoses=(
        (
            _X3 - _T3,
            "that is ∂L/∂x⁽³⁾ = x⁽³⁾ − t alone; multiply by the sigmoid's derivative "
            "x⁽³⁾(1 − x⁽³⁾).",
        ),
        (
            (_T3 - _X3) * _X3 * (1 - _X3),
            "check the sign: ∂L/∂x⁽³⁾ = x⁽³⁾ − t, and 0.8 − 1 is negative.",
        ),
        (
            (_X3 - _T3) * _X3,
            "the sigmoid's derivative is x⁽³⁾(1 − x⁽³⁾), not x⁽³⁾ alone.",
        ),
        (
            (_X3 - _T3) * float(sigmoid_grad(_X3)),
            "0.8 is already the sigmoid's output: its derivative is x⁽³⁾(1 − x⁽³⁾), "
            "not σ(0.8)(1 − σ(0.8)).",
        ),
        (0.5 * (_X3 - _T3) ** 2, "that is the loss L itself; the delta is its derivative."),
    ),
    hints=(
        "The delta is ∂L/∂v = ∂L/∂x · ∂x/∂v (chain rule), with v the unit's pre-activation.",
        "∂L/∂x = x − t, and for a sigmoid ∂x/∂v = x(1 − x), written with the output x.",
        "(0.8 − 1) · 0.8 · (1 − 0.8)",
    ),
    solution_text=(
        "e⁽³⁾ = (x⁽³⁾ − t) · x⁽³⁾(1 − x⁽³⁾) = (0.8 − 1) · 0.8 · 0.2 = −0.032.\n"
        "Negative: increasing v⁽³⁾ would lower the loss, so gradient descent pushes it up."
    ),
)

# ------------------------------------------------------------ q4: hidden deltas ---


def hidden_deltas(W2: np.ndarray, e3: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """e⁽²⁾ = (W⁽²⁾ e⁽³⁾) ⊙ x⁽²⁾(1 − x⁽²⁾): deltas of a sigmoid hidden layer, one sample."""
    return (W2 @ e3) * x2 * (1 - x2)


_W2 = np.array([[0.40, 0.50], [0.45, 0.55]])
_E3 = np.array([0.1385, -0.0381])
_H2 = np.array([0.5933, 0.5969])

q4 = FunctionExercise(
    name="ch06.q4",
    chapter=6,
    prompt=(
        "Write hidden_deltas(W2, e3, x2): the hidden deltas e⁽²⁾ of a sigmoid hidden layer "
        "(W2 is (n_hidden, n_out), e3 is (n_out,), x2 is (n_hidden,))."
    ),
    reference=hidden_deltas,
    params=("W2", "e3", "x2"),
    cases=(
        Case((_W2, _E3, _H2)),
        Case(
            (
                np.array([[0.2, -0.5], [0.7, 0.1], [-0.3, 0.4]]),
                np.array([0.05, -0.02]),
                np.array([0.3, 0.6, 0.9]),
            )
        ),
        Case((np.array([[1.5], [-2.0]]), np.array([0.25]), np.array([0.5, 0.1]))),
        Case((_W2, np.zeros(2), _H2)),
    ),
    diagnoses=(
        (
            lambda W, e, x: (W.T @ e) * x * (1 - x),
            "row i of W2 holds the weights leaving hidden unit i, so Σ_j w_ij e_j is W2 @ e3 "
            "(the same as e3 @ W2.T), not W2.T @ e3 (the same as e3 @ W2).",
        ),
        (
            lambda W, e, x: W @ e,
            "that is ∂L/∂x⁽²⁾; multiply by the sigmoid's derivative x2 * (1 - x2).",
        ),
        (
            lambda W, e, x: (W @ e) * sigmoid_grad(x),
            "x2 is already the sigmoid's output, so its derivative is x2 * (1 - x2), "
            "not σ(x2)(1 − σ(x2)).",
        ),
        (
            lambda W, e, x: (W @ e) * x,
            "the sigmoid's derivative is x2 * (1 - x2), not x2 alone.",
        ),
    ),
    hints=(
        "Hidden unit i feeds every output unit j, so its delta collects Σ_j w_ij⁽²⁾ e_j⁽³⁾ "
        "from all of them, then passes through its own sigmoid.",
        "The sum Σ_j w_ij e_j for every i at once is the matrix-vector product W2 @ e3; "
        "the sigmoid's derivative, written with its output, is x2 * (1 - x2).",
        "return (W2 @ e3) * x2 * (1 - x2)",
    ),
    solution_text=(
        "def hidden_deltas(W2, e3, x2):\n"
        "    # e_i = (Σ_j w_ij e_j) · x_i (1 − x_i), for every hidden unit i at once\n"
        "    return (W2 @ e3) * x2 * (1 - x2)"
    ),
)

# ------------------------------------------------- q5: weight gradient of a batch ---


def weight_gradient(X: np.ndarray, E: np.ndarray) -> np.ndarray:
    """∂L/∂W = Xᵀ E: the sum over the batch of the outer products x_n e_nᵀ, shape (n_in, n_out)."""
    return X.T @ E


_SHAPE_NOTE = (
    "check the shapes: X is (N, n_in), E is (N, n_out), and ∂L/∂W must have the shape of W, "
    "(n_in, n_out), with the N samples summed away. Which product of X and E, transposed or "
    "not, has that shape?"
)


class _WeightGradientExercise(FunctionExercise):
    """A function exercise that explains a shape error (e.g. ``X @ E.T``) in terms of W."""

    def _run_case(self, fn: Callable[..., Any], case: Case) -> None:
        try:
            super()._run_case(fn, case)
        except _Verdict as v:
            if v.status == NOT_YET and "raised ValueError" in v.message:
                raise not_yet(f"{v.message.rstrip('. ')} — {_SHAPE_NOTE}") from None
            raise


_XB = np.array([[0.5, -1.0], [2.0, 0.25], [-0.5, 1.5], [1.0, 1.0]])
_EB = np.array([[0.1, -0.2, 0.05], [0.3, 0.0, -0.1], [-0.2, 0.4, 0.2], [0.05, 0.1, -0.3]])

q5 = _WeightGradientExercise(
    name="ch06.q5",
    chapter=6,
    prompt=(
        "Write weight_gradient(X, E): ∂L/∂W for a batch, from the layer's inputs X (N, n_in) "
        "and the next layer's deltas E (N, n_out), with L summed over the samples."
    ),
    reference=weight_gradient,
    params=("X", "E"),
    cases=(
        Case((np.array([[0.5, -1.0]]), np.array([[0.1, -0.2, 0.05]]))),
        Case((_XB, _EB)),
        Case((np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]), np.array([[0.2], [-0.4]]))),
    ),
    diagnoses=(
        (
            lambda X, E: E.T @ X,
            "that is transposed: ∂L/∂W has the shape of W, (n_in, n_out); use X.T @ E.",
        ),
        (
            lambda X, E: np.outer(X[0], E[0]),
            "that uses the first sample only; X.T @ E adds the outer products of all N samples.",
        ),
        (
            lambda X, E: X.T @ E / X.shape[0],
            "no averaging here: L is a sum over the samples, so its gradient is the sum of "
            "their gradients.",
        ),
        (
            lambda X, E: np.outer(X, E),
            "np.outer flattens its inputs, so np.outer(X, E) pairs every entry of X with every "
            "entry of E, across different samples too; the outer product belongs to one sample, "
            "np.outer(X[n], E[n]), and the gradient adds these up over n.",
        ),
        (
            lambda X, E: np.outer(X.sum(axis=0), E.sum(axis=0)),
            "the outer product of the sums is not the sum of the outer products; pair each "
            "sample's inputs with its own deltas.",
        ),
    ),
    hints=(
        "For one sample, ∂L/∂w_ij = x_i e_j: the outer product np.outer(x, e), shape "
        "(n_in, n_out).",
        "For a batch, add the outer products of the N samples, each x_n with its own e_n.",
        "That sum is one matrix product: return X.T @ E",
    ),
    solution_text=(
        "def weight_gradient(X, E):\n"
        "    # Σ_n outer(X[n], E[n]) in one matrix product, shape (n_in, n_out)\n"
        "    return X.T @ E"
    ),
)

# -------------------------------------- q6: predict a gradient on a computational graph ---

q6 = NumericExercise(
    name="ch06.q6",
    chapter=6,
    prompt=(
        "Predict the output: a = Value(3.0); b = a * 3; c = b * a; c.backward(); print(a.grad)."
    ),
    reference=18.0,  # c = 3a², dc/da = 6a; or: path through b 3·a = 9, direct path b = 9
    rtol=0.0,
    atol=1e-6,
    diagnoses=(
        (
            9.0,
            "that is one path only: a reaches c twice (directly, and through b); the chain "
            "rule adds the contributions of both paths.",
        ),
        (27.0, "that is c.data, the forward value; the question asks for dc/da."),
        (3.0, "that is db/da alone; follow the graph on to c."),
        (6.0, "c = b · a = 3a², so dc/da = 6a: evaluate it at a = 3."),
    ),
    hints=(
        "Draw the graph: a → (×3) → b, and both a and b go into (×) → c.",
        "Each path from a to c contributes the product of its local derivatives: "
        "through b it is (∂c/∂b)(∂b/∂a) = a · 3, directly it is ∂c/∂a = b.",
        "9 + 9",
    ),
    solution_text=(
        "18.0. c = b·a with b = 3a. Path a → b → c: (∂c/∂b)(∂b/∂a) = a · 3 = 9; direct path "
        "a → c: ∂c/∂a = b = 9.\nThe chain rule adds the paths: 9 + 9 = 18 (check: c = 3a², "
        "dc/da = 6a = 18)."
    ),
)

# ------------------------------------------------------- q7: read a gradient check ---

q7 = ChoiceExercise(
    name="ch06.q7",
    chapter=6,
    prompt=(
        "check_layer on your own Dense layer returns {'x': 0.48, 'W': 2e-11, 'b': 1e-11}. "
        "Where is the bug?"
    ),
    reference="b",
    options={
        "a": "in the gradient with respect to W",
        "b": "in dx, the gradient the layer passes back to its input",
        "c": "nowhere: 0.48 is rounding noise of the numerical gradient",
        "d": "in the forward pass",
    },
    aliases=("dx", "in dx", "the input gradient", "backward dx"),
    diagnoses={
        "a": "W's relative error 2e-11 is far below 1e-7: dW agrees with the numerical gradient.",
        "c": "rounding noise on a smooth layer stays far below 1e-7; 0.48 means the two "
        "gradients disagree in their first digit.",
        "d": "the numerical gradients come from the forward pass itself, and dW and db agree "
        "with them; only the check of x fails.",
    },
    hints=(
        "A relative error below 1e-7 means that gradient is right; near 1 means it is wrong.",
        "check_layer returns one error per quantity: the input x and each parameter.",
        "Only the entry 'x' is large: which line of backward computes the gradient for x?",
    ),
    solution_text=(
        "(b) dW and db agree with the numerical gradients (errors ~1e-11), the gradient with "
        "respect to the input does not (0.48).\nSo the bug is in the line that computes dx, "
        "e.g. dout @ W instead of dout @ W.T."
    ),
)

# ------------------------------------------- q8: why layers cannot be fitted separately ---

q8 = ChoiceExercise(
    name="ch06.q8",
    chapter=6,
    prompt=(
        "Why can't we train a hidden layer on its own, the way chapter 01 trained a perceptron?"
    ),
    reference="a",
    options={
        "a": "the data give targets only for the outputs; a hidden unit has no target to fit",
        "b": "a hidden layer has no weights to train",
        "c": "sigmoid units cannot be trained by gradient descent",
        "d": "a hidden layer can only be trained after the output layer has converged",
    },
    aliases=("no target", "no targets", "hidden units have no targets"),
    diagnoses={
        "b": "a hidden layer has its weights W⁽¹⁾ and biases b⁽¹⁾: exactly what we must learn.",
        "c": "the sigmoid is smooth and differentiable everywhere, which is why gradient "
        "descent works so well with it.",
        "d": "backpropagation updates every layer in the same iteration; no layer waits.",
    },
    hints=(
        "The perceptron rule compares each unit's output with its target.",
        "A data set lists inputs and the desired outputs of the network. What should a hidden "
        "unit output?",
        "Many different hidden outputs can lead to the same right answer, so there is no "
        "single target for a hidden unit.",
    ),
    solution_text=(
        "(a) The data say only what the network's outputs should be; nothing says what a hidden "
        "unit should output.\nBackpropagation sends back ∂L/∂(hidden output) instead: how the "
        "final loss changes with it, by the chain rule."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
