"""nnbasics: neural networks from one neuron to backpropagation, in readable NumPy.

The pieces, each in its own module:

- :class:`Value` (:mod:`nnbasics.value`): a scalar that does backpropagation, and
  :func:`draw_graph` (:mod:`nnbasics.plotting`), its computation graph as a figure;
- :mod:`nnbasics.layers`: the layer protocol and the layers: dense, dropout, flatten,
  convolution, pooling and recurrence;
- :mod:`nnbasics.activations`: sigmoid, tanh, ReLU, softmax;
- :mod:`nnbasics.losses`: mean squared error and the cross-entropies;
- :class:`Sequential`: layers in order;
- :mod:`nnbasics.optim`: :class:`~nnbasics.optim.SGD`;
- :func:`fit`: the training loop;
- :func:`gradcheck`: finite-difference checks of any gradient;
- :mod:`nnbasics.datasets`: small datasets, nothing downloaded;
- :func:`save_weights` / :func:`load_weights`: ``.npz`` files;
- :mod:`nnbasics.torch`: :func:`~nnbasics.torch.to_torch`, the PyTorch twin of a model.
"""

from nnbasics import activations, datasets, layers, losses, optim
from nnbasics.gradcheck import gradcheck
from nnbasics.layers import Parameter
from nnbasics.model import Sequential
from nnbasics.plotting import draw_graph
from nnbasics.saving import load_weights, save_weights
from nnbasics.training import DivergenceError, History, evaluate, fit
from nnbasics.value import Value

__version__ = "0.1.0"

__all__ = [
    "DivergenceError",
    "History",
    "Parameter",
    "Sequential",
    "Value",
    "__version__",
    "activations",
    "datasets",
    "draw_graph",
    "evaluate",
    "fit",
    "gradcheck",
    "layers",
    "load_weights",
    "losses",
    "optim",
    "save_weights",
]
