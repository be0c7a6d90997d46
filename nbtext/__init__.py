"""nbtext: the code behind an interactive textbook on neural-network fundamentals.

Each module holds one concept a chapter derives (activations, losses, layers,
the MLP, gradient checking, optimizers, training); later chapters import it
from here instead of writing it again.
"""

__version__ = "0.1.0"
