"""Chapter 05 exercises: numerical gradients and the learning rate."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nbtext.activations import sigmoid as _sigmoid
from nbtext.exercises._core import Case, ChoiceExercise, FunctionExercise, NumericExercise
from nbtext.gradcheck import numerical_gradient as _numerical_gradient

Objective = Callable[[np.ndarray], float]


def numerical_gradient(f: Objective, x: np.ndarray) -> np.ndarray:
    """Central-difference gradient of ``f`` at ``x`` (agrees with nbtext.gradcheck)."""
    return _numerical_gradient(f, np.array(x, dtype=np.float64), h=1e-5)


def _square_sum(x: np.ndarray) -> float:
    return float(np.sum(x**2))


def _cubic(x: np.ndarray) -> float:
    return float(np.sum(x**3) + 2.0 * x.reshape(-1)[0])


def _one_sided(h: float) -> Callable[[Objective, np.ndarray], np.ndarray]:
    """A forward (h > 0) or backward (h < 0) difference (f(x + h) − f(x)) / h."""

    def gradient(f: Objective, x: np.ndarray) -> np.ndarray:
        grad = np.zeros_like(x)
        for i in range(x.size):
            xp = x.copy()
            xp.reshape(-1)[i] += h
            grad.reshape(-1)[i] = (f(xp) - f(x)) / h
        return grad

    return gradient


_forward = _one_sided(1e-4)
_FORWARD_MESSAGE = (
    "that is the forward difference (f(x+h) − f(x)) / h; use the central "
    "difference (f(x+h) − f(x−h)) / (2h), which is far more accurate."
)
_BACKWARD_MESSAGE = (
    "that is the backward difference (f(x) − f(x−h)) / h; use the central "
    "difference (f(x+h) − f(x−h)) / (2h), which is far more accurate."
)


def _coarse(h: float) -> Callable[[Objective, np.ndarray], np.ndarray]:
    """The central difference with a step h far larger than the 1e-5 asked for."""

    def gradient(f: Objective, x: np.ndarray) -> np.ndarray:
        return _numerical_gradient(f, np.array(x, dtype=np.float64), h=h)

    return gradient


def _whole_rows(f: Objective, x: np.ndarray) -> np.ndarray:
    # The chapter's 1-D loop used as is on a 2-D x: nudge[i] = h sets a whole row.
    h = 1e-5
    grad = np.zeros_like(x)
    for i in range(len(x)):
        nudge = np.zeros_like(x)
        nudge[i] = h
        grad[i] = (f(x + nudge) - f(x - nudge)) / (2 * h)
    return grad


def _no_half(f: Objective, x: np.ndarray) -> np.ndarray:
    return 2.0 * numerical_gradient(f, x)


q1 = FunctionExercise(
    name="ch05.q1",
    chapter=5,
    prompt="Write my_numerical_gradient(f, x): the central-difference gradient of f at array x.",
    reference=numerical_gradient,
    params=("f", "x"),
    # Central differences with h = 1e-5 are off by about 1e-10 here; a forward difference
    # is off by about h = 1e-5, which these tolerances reject.
    rtol=1e-6,
    atol=1e-7,
    mutation_message=(
        "x is not back to its original values afterwards: after nudging an entry, restore it "
        "(x[i] = original) before moving on."
    ),
    cases=(
        Case((_square_sum, np.array([3.0, 4.0])), "f = sum(x**2), x = [3.0, 4.0]"),
        Case((_square_sum, np.array([0.0, 2.0])), "f = sum(x**2), x = [0.0, 2.0]"),
        Case((_cubic, np.array([1.0, -2.0, 0.5])), "f = sum(x**3) + 2 x[0], x = [1.0, -2.0, 0.5]"),
        Case(
            (_square_sum, np.array([[1.0, -1.0, 2.0], [0.5, 0.0, -3.0]])),
            "f = sum(x**2), x of shape (2, 3) (reach its entries through x.reshape(-1))",
        ),
    ),
    diagnoses=(
        (_no_half, "the central difference divides by 2h, not by h."),
        *(
            (
                _coarse(h),
                f"that is the central difference with h = {h:g}, too coarse (its error "
                "grows like h²): use h = 1e-5.",
            )
            for h in (1e-3, 1e-2, 1e-1)
        ),
        *((_one_sided(h), _FORWARD_MESSAGE) for h in (1e-4, 1e-5, 1e-6, 1e-3, 1e-2)),
        *((_one_sided(-h), _BACKWARD_MESSAGE) for h in (1e-4, 1e-5, 1e-6, 1e-3, 1e-2)),
        (
            _whole_rows,
            "for a 2-D x, nudge[i] = h changes a whole row at once. Nudge one entry at a "
            "time: loop over flat = x.reshape(-1) (a view of the same numbers) and set "
            "flat[i].",
        ),
        (
            lambda f, x: np.zeros_like(x),
            "the gradient came back as zeros: is h too small, or is every entry left unchanged?",
        ),
    ),
    hints=(
        "Loop over every entry i of x; nudge only that entry up and down by a small h (1e-5).",
        "grad[i] = (f(x with x[i]+h) − f(x with x[i]−h)) / (2h); restore x[i] afterwards.",
        "Work on x.reshape(-1) (a view) so the same loop handles arrays of any shape.",
    ),
    solution_text=(
        "def my_numerical_gradient(f, x, h=1e-5):\n"
        "    grad = np.zeros_like(x)\n"
        "    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)\n"
        "    for i in range(flat_x.size):\n"
        "        original = flat_x[i]\n"
        "        flat_x[i] = original + h\n"
        "        f_plus = f(x)\n"
        "        flat_x[i] = original - h\n"
        "        f_minus = f(x)\n"
        "        flat_x[i] = original          # restore!\n"
        "        flat_g[i] = (f_plus - f_minus) / (2 * h)\n"
        "    return grad"
    ),
)

q2 = ChoiceExercise(
    name="ch05.q2",
    chapter=5,
    prompt="Gradient descent on a loss gets larger every step and then becomes nan. Most likely?",
    reference="b",
    options={
        "a": "the learning rate is too small",
        "b": "the learning rate is too large",
        "c": "there are too many epochs",
        "d": "the gradient is computed with central differences",
    },
    aliases=("too large", "too big", "learning rate too large", "learning rate too big"),
    diagnoses={
        "a": "a tiny learning rate makes progress slow, but the loss still goes down.",
        "c": "more epochs only repeat steps; they cannot make a good step diverge.",
        "d": "central differences are the accurate way to check a gradient.",
    },
    hints=(
        "Each step moves the weights by learning rate × gradient.",
        "If a step jumps right over the minimum, to a point even further up the other side…",
    ),
    solution_text=(
        "(b) The learning rate is too large: each step overshoots the minimum and lands higher "
        "than before, so the loss grows until it overflows to inf and then nan."
    ),
)

# ----------------------------------------------------------- q3: two steps by hand ---

q3 = NumericExercise(
    name="ch05.q3",
    chapter=5,
    prompt="Gradient descent on f(x) = x² from x = 3 with α = 0.75: where is x after two steps?",
    reference=0.75,  # x ← x − α·2x = (1 − 2α)x = −0.5x: 3 → −1.5 → 0.75
    diagnoses=(
        (-1.5, "that is x after one step; take a second step from there."),
        (
            3 * 0.25**2,
            "the derivative of x² is 2x, not x: each step is x ← x − α·2x = (1 − 2α)·x.",
        ),
        (3 * 2.5**2, "the update goes downhill: subtract α·f'(x), don't add it."),
        (0.0, "α = 0.75 overshoots the minimum: each step jumps to the other side of 0."),
        (-0.375, "that is three steps; stop after two."),
    ),
    hints=(
        "One step is x ← x − α·f'(x), with f'(x) = 2x.",
        "With α = 0.75 one step is x ← x − 1.5·x = −0.5·x, so x changes sign every step.",
        "3 → −1.5 → ?",
    ),
    solution_text=(
        "0.75. Each step is x ← x − α·2x = (1 − 2α)·x = −0.5·x, so 3 → −1.5 → 0.75:\n"
        "the iterates jump across the minimum (α > 0.5) but still shrink (α < 1)."
    ),
)


# ------------------------------------------------------- q4: largest learning rate ---

q4 = NumericExercise(
    name="ch05.q4",
    chapter=5,
    prompt="Gradient descent on f(x) = 3x² diverges for every α above which value?",
    reference=1 / 3,  # x ← (1 − 6α)x shrinks only while |1 − 6α| < 1, i.e. 0 < α < 1/3
    rtol=2e-3,
    diagnoses=(
        (
            1.0,
            "α < 1 is the limit for x²; 3x² is three times steeper, so the limit is "
            "three times smaller.",
        ),
        (
            1 / 6,
            "at α = 1/6 one step lands exactly on the minimum; above it the iterates "
            "oscillate, but they still shrink until |1 − 6α| reaches 1.",
        ),
        (2 / 3, "the derivative of 3x² is 6x, not 3x."),
    ),
    hints=(
        "f'(x) = 6x, so one step is x ← x − α·6x = (1 − 6α)·x.",
        "After t steps x = (1 − 6α)^t · x0: it blows up when |1 − 6α| > 1.",
        "1 − 6α < −1 ⇔ α > 2/6.",
    ),
    solution_text=(
        "1/3 ≈ 0.3333. One step is x ← (1 − 6α)·x, so after t steps x = (1 − 6α)^t · x0.\n"
        "That shrinks while |1 − 6α| < 1, i.e. 0 < α < 1/3, and blows up for α > 1/3.\n"
        "(For 1/6 < α < 1/3 the iterates oscillate around 0 while they shrink.)"
    ),
)


# --------------------------------------------- q5: gradient of the regression cost ---


def linear_regression_gradient(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """∇J for J(θ) = 1/(2m) Σ (Xθ − y)²: X (m, n) with x0 = 1, y (m,), θ (n,) → (n,)."""
    return X.T @ (X @ theta - y) / len(y)


_LR_X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
_LR_X3 = np.array([[1.0, 0.5, -1.0], [1.0, 1.5, 2.0], [1.0, -2.0, 0.0], [1.0, 3.0, 1.0]])

q5 = FunctionExercise(
    name="ch05.q5",
    chapter=5,
    prompt="Write linear_regression_gradient(X, y, theta): the gradient of J = 1/(2m) Σ (Xθ − y)².",
    reference=linear_regression_gradient,
    params=("X", "y", "theta"),
    cases=(
        Case((_LR_X, np.array([1.0, 3.0, 5.0]), np.array([0.0, 0.0])), "X (3, 2), θ = [0, 0]"),
        Case((_LR_X, np.array([1.0, 3.0, 5.0]), np.array([0.5, 1.5])), "X (3, 2), θ = [0.5, 1.5]"),
        Case(
            (_LR_X, np.array([1.0, 3.0, 5.0]), np.array([1.0, 2.0])),
            "X (3, 2), θ = [1, 2] (a perfect fit: the gradient is zero)",
        ),
        Case(
            (_LR_X3, np.array([2.0, -1.0, 0.5, 4.0]), np.array([0.1, -0.3, 0.7])),
            "X (4, 3), three parameters",
        ),
        Case((np.array([[1.0, 4.0]]), np.array([2.0]), np.array([1.0, -1.0])), "one sample, m = 1"),
    ),
    diagnoses=(
        (
            lambda X, y, t: X.T @ (X @ t - y),
            "that is m times too large: J averages over the m samples, so divide by m.",
        ),
        (
            lambda X, y, t: X.T @ (X @ t - y) / (2 * len(y)),
            "the ½ in J cancels against the 2 from differentiating the square: divide by m, "
            "not 2m.",
        ),
        (
            lambda X, y, t: X.T @ (y - X @ t) / len(y),
            "the sign is flipped: differentiate (Xθ − y)², which gives +(Xθ − y)·x_i.",
        ),
        (
            lambda X, y, t: np.full_like(t, np.mean(X @ t - y)),
            "each component needs its own input: ∂J/∂θ_i = (1/m) Σ (h − y)·x_i, i.e. Xᵀ(Xθ − y)/m.",
        ),
        (
            lambda X, y, t: 2 * X.T @ (X @ t - y) / len(y),
            "that is twice too large: the 2 from differentiating the square cancels the ½ "
            "in J = 1/(2m) Σ (Xθ − y)², so no factor 2 is left.",
        ),
    ),
    hints=(
        "Start from one sample: the derivative of ½(θ·x − y)² with respect to θ_i is "
        "(θ·x − y)·x_i.",
        "The errors for all samples at once are e = X @ theta − y, shape (m,); average "
        "e·x_i over the samples.",
        "return X.T @ (X @ theta - y) / len(y)",
    ),
    solution_text=(
        "def linear_regression_gradient(X, y, theta):\n"
        "    error = X @ theta - y            # (m,): prediction minus target\n"
        "    return X.T @ error / len(y)      # (n,): ∂J/∂θ_i = (1/m) Σ error·x_i"
    ),
)


# ------------------------------------------------ q6: gradient of the sigmoid unit ---


def sigmoid_unit_gradient(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """∇J for h = g(Xθ), J = 1/(2m) Σ (h − y)²: (1/m) Xᵀ((h − y)·g(1 − g)), shape (n,)."""
    g = _sigmoid(X @ theta)
    return X.T @ ((g - y) * g * (1 - g)) / len(y)


_OR_X = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
_OR_Y = np.array([0.0, 1.0, 1.0, 1.0])


def _cross_entropy_gradient(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    return X.T @ (_sigmoid(X @ theta) - y) / len(y)


def _slope_of_weighted_sum(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    a = X @ theta
    return X.T @ ((_sigmoid(a) - y) * a * (1 - a)) / len(y)


q6 = FunctionExercise(
    name="ch05.q6",
    chapter=5,
    prompt="Write sigmoid_unit_gradient(X, y, theta) for h = g(Xθ) and J = 1/(2m) Σ (h − y)².",
    reference=sigmoid_unit_gradient,
    params=("X", "y", "theta"),
    cases=(
        Case((_OR_X, _OR_Y, np.array([0.2, 0.4, 0.6])), "OR rows, θ = [0.2, 0.4, 0.6]"),
        Case((_OR_X, _OR_Y, np.array([0.0, 0.0, 0.0])), "OR rows, θ = [0, 0, 0]"),
        Case((_OR_X, _OR_Y, np.array([-4.1, 8.67, 8.67])), "OR rows, θ = [−4.1, 8.67, 8.67]"),
        Case(
            (_OR_X[:2], np.array([1.0, 0.0]), np.array([1.0, -2.0, 3.0])),
            "two rows, targets [1, 0], θ = [1, −2, 3]",
        ),
    ),
    diagnoses=(
        (
            _cross_entropy_gradient,
            "the factor g(1 − g) is missing: that is the gradient of cross-entropy; the "
            "squared error adds the sigmoid's slope g(1 − g) by the chain rule.",
        ),
        (
            _slope_of_weighted_sum,
            "the sigmoid's slope is g(1 − g) with g = sigmoid(a), the unit's output, not "
            "a(1 − a) with the weighted sum a.",
        ),
        (
            lambda X, y, t: sigmoid_unit_gradient(X, y, t) * len(y),
            "that is m times too large: divide the sum over samples by m.",
        ),
        (
            lambda X, y, t: -sigmoid_unit_gradient(X, y, t),
            "the sign is flipped: the error is (h − y), output minus target.",
        ),
    ),
    hints=(
        "Chain rule for one sample: ∂J/∂θ_i = (h − y) · g'(a) · x_i, with a = θ·x and "
        "g'(a) = g(a)(1 − g(a)).",
        "For all rows at once: g = sigmoid(X @ theta), shape (m,); delta = (g − y) * g * (1 − g).",
        "return X.T @ ((g - y) * g * (1 - g)) / len(y)",
    ),
    solution_text=(
        "def sigmoid_unit_gradient(X, y, theta):\n"
        "    g = 1 / (1 + np.exp(-(X @ theta)))     # (m,): the unit's outputs h\n"
        "    delta = (g - y) * g * (1 - g)          # (m,): error times the sigmoid's slope\n"
        "    return X.T @ delta / len(y)            # (n,)"
    ),
)


# ----------------------------------------------- q7: closed form or gradient descent ---

q7 = ChoiceExercise(
    name="ch05.q7",
    chapter=5,
    prompt="Linear regression has a closed form. Why train it with gradient descent anyway?",
    reference="c",
    options={
        "a": "the closed form only gives an approximation of the best θ",
        "b": "gradient descent always reaches a lower cost than the closed form",
        "c": "it scales to many samples and parameters and works for models with no closed form",
        "d": "the closed form cannot fit a bias θ0",
    },
    aliases=("it scales", "scales", "scalability", "no closed form"),
    diagnoses={
        "a": "least squares gives the exact minimiser (up to rounding); the chapter's gradient "
        "descent only approached it.",
        "b": "both reach the same minimum of a convex cost; gradient descent cannot beat the exact "
        "minimiser.",
        "d": "the bias is just another column of ones in X (x0 = 1); the closed form fits it "
        "like any other weight.",
    },
    hints=(
        "In the chapter both methods found the same θ. So the difference is not the answer…",
        "…but the cost of getting it, and what else the method can be used for.",
        "The sigmoid unit for OR has no formula for its best θ at all.",
    ),
    solution_text=(
        "(c) Solving least squares needs all the data at once and work that grows with the "
        "number of parameters cubed; a gradient step costs one pass over the data (or a "
        "mini-batch, chapter 07), and the same loop trains any differentiable model, such as "
        "the sigmoid unit or a deep network, where no closed form exists."
    ),
)


# ------------------------------------------------------- q8: the decision boundary ---

q8 = NumericExercise(
    name="ch05.q8",
    chapter=5,
    prompt="A sigmoid unit has θ = [−3, 6, 4]. Which x2 is on its decision boundary at x1 = 0.25?",
    reference=0.375,  # x2 = −(θ0 + θ1·x1)/θ2 = −(−3 + 1.5)/4
    diagnoses=(
        (-0.375, "mind the sign: x2 = −(θ0 + θ1·x1)/θ2."),
        (0.25, "divide by θ2, the weight of x2, not by θ1."),
        (0.75, "θ1·x1 belongs in the numerator too: x2 = −(θ0 + θ1·x1)/θ2."),
    ),
    hints=(
        "The boundary is where the unit outputs exactly 0.5, i.e. where its weighted sum "
        "a = θ0 + θ1·x1 + θ2·x2 is 0.",
        "Solve θ0 + θ1·x1 + θ2·x2 = 0 for x2.",
        "x2 = −(θ0 + θ1·x1)/θ2 = −(−3 + 6·0.25)/4",
    ),
    solution_text=(
        "0.375. The sigmoid outputs 0.5 where its weighted sum is 0: θ0 + θ1·x1 + θ2·x2 = 0,\n"
        "so x2 = −(θ0 + θ1·x1)/θ2 = −(−3 + 1.5)/4 = 1.5/4 = 0.375."
    ),
)

EXERCISES = (q1, q2, q3, q4, q5, q6, q7, q8)
