"""Interactive explorers: sliders that redraw a figure in place (Chapters 01–03, 05, 07–11).

Each explorer function returns a displayable ipywidgets container with
``.controls`` (dict name → widget) and ``.figure`` (its matplotlib Figure).
Setting ``controls[name].value`` from code redraws the figure before it returns.
Each explorer lives in its own module; :mod:`nbtext.widgets._explorer` holds
the shared machinery (fast blitted redraws, PNG for static readers).
"""

from nbtext.widgets._explorer import Explorer
from nbtext.widgets.explore_activations import activation_explorer
from nbtext.widgets.explore_batch_size import batch_size_explorer
from nbtext.widgets.explore_batchnorm import batchnorm_explorer
from nbtext.widgets.explore_initialization import initialization_explorer
from nbtext.widgets.explore_learning_rate import learning_rate_explorer
from nbtext.widgets.explore_optimizers import optimizer_explorer
from nbtext.widgets.explore_perceptron import perceptron_explorer
from nbtext.widgets.explore_playground import playground
from nbtext.widgets.explore_regularization import regularization_explorer
from nbtext.widgets.explore_softmax import softmax_explorer

__all__ = [
    "Explorer",
    "activation_explorer",
    "batch_size_explorer",
    "batchnorm_explorer",
    "initialization_explorer",
    "learning_rate_explorer",
    "optimizer_explorer",
    "perceptron_explorer",
    "playground",
    "regularization_explorer",
    "softmax_explorer",
]
