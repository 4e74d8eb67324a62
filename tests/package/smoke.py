"""Smoke test of an installed nnbasics, run by ``nox -s package`` in a fresh environment.

Not a pytest file: it runs where only the wheel (and NumPy) is installed, from outside the
source tree, and checks what a reader does first: import the package, train the exam example
of the README, load the bundled digits.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import nnbasics
from nnbasics.activations import Sigmoid
from nnbasics.datasets import digits, exam, standardize, train_test_split
from nnbasics.layers import Dense
from nnbasics.losses import BCELoss

# The README's example gets 99 of its 100 test students right with these seeds.
EXAM_ACCURACY = 0.95


def main() -> None:
    """Check the installed package; raise on the first thing that is wrong."""
    location = Path(nnbasics.__file__).resolve()
    if "site-packages" not in location.parts:
        msg = f"nnbasics was imported from {location}, not from an installed wheel"
        raise RuntimeError(msg)
    if nnbasics.__version__ != metadata.version("nnbasics"):
        msg = f"__version__ {nnbasics.__version__} differs from the wheel's {metadata.version('nnbasics')}"
        raise RuntimeError(msg)

    X, y = exam(400, rng=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, rng=0)
    X_train, X_test = standardize(X_train, X_test)
    model = nnbasics.Sequential(Dense(4, 1, rng=0), Sigmoid())
    optimizer = nnbasics.optim.SGD(model.parameters(), lr=0.5)
    loss = BCELoss()
    nnbasics.fit(model, loss, optimizer, X_train, y_train.reshape(-1, 1), epochs=50, batch_size=16, rng=0)
    _, accuracy = nnbasics.evaluate(model, loss, X_test, y_test.reshape(-1, 1))
    if accuracy is None or accuracy < EXAM_ACCURACY:
        msg = f"the exam example reached a test accuracy of {accuracy}, expected at least {EXAM_ACCURACY}"
        raise RuntimeError(msg)

    data = digits()
    if data.X.shape != (1797, 64) or data.images is None or data.images.shape != (1797, 8, 8):
        msg = f"the bundled digits have shape {data.X.shape}, expected (1797, 64)"
        raise RuntimeError(msg)

    sys.stdout.write(
        f"nnbasics {nnbasics.__version__} from {location.parent}: exam test accuracy {accuracy:.3f}, "
        f"{len(data)} digits\n"
    )


if __name__ == "__main__":
    main()
