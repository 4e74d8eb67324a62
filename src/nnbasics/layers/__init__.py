"""Layers: the building blocks of a network, one module per family.

=====================================  ===========================================================
:mod:`nnbasics.layers.base`            the protocol: :class:`Parameter` and :class:`Layer`
:mod:`nnbasics.layers.dense`           :class:`Dense`, :class:`Dropout`, :class:`Flatten`
:mod:`nnbasics.layers.conv`            :class:`Conv2D`, :class:`MaxPool2D`, :class:`AvgPool2D`
:mod:`nnbasics.layers.recurrent`       :class:`RNN`, :class:`LastStep`
:mod:`nnbasics.layers.functional`      the stateless functions they share (activations, unfold)
:mod:`nnbasics.layers.init`            the initialisation schemes, by name
=====================================  ===========================================================

Every layer is imported from here: ``from nnbasics.layers import Dense``.
"""

from nnbasics.layers.base import Layer, Parameter
from nnbasics.layers.conv import AvgPool2D, Conv2D, MaxPool2D, Pool2D
from nnbasics.layers.dense import Dense, Dropout, Flatten
from nnbasics.layers.functional import conv2d_naive, fold, output_size, unfold
from nnbasics.layers.init import INITS, init_weight
from nnbasics.layers.recurrent import RNN, LastStep

__all__ = [
    "INITS",
    "RNN",
    "AvgPool2D",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "LastStep",
    "Layer",
    "MaxPool2D",
    "Parameter",
    "Pool2D",
    "conv2d_naive",
    "fold",
    "init_weight",
    "output_size",
    "unfold",
]
