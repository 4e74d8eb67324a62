"""The explorables' data (docs/_ext/explorable_data.py) against a fresh nnbasics run.

Every explorable shows states computed when the site is built, and a "Reproduce this" snippet
for the state shown. Here: the snippet, filled in for states picked at random (seeded), is run,
and what it computes must equal the stored data; every control changes the snippet; two
generations give byte-identical files; and an up-to-date file is not computed again.
"""

from __future__ import annotations

import contextlib
import io
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "_ext"))

import explorable_data as ed

STATES_PER_EXPLORABLE = 3


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every explorable's data file, generated once for this module."""
    folder = tmp_path_factory.mktemp("explorables")
    ed.generate(folder, force=True)
    return folder


def stored(folder: Path, name: str) -> dict[str, Any]:
    return ed.read(folder / f"{name}.js")


def pick(rng: np.random.Generator, values: list[float]) -> float:
    return values[int(rng.integers(len(values)))]


def random_states(name: str, seed: int, count: int = STATES_PER_EXPLORABLE) -> list[dict[str, float]]:
    """``count`` states of explorable ``name``, every control at a random value (seeded)."""
    rng = np.random.default_rng(seed)
    explorable = ed.EXPLORABLES[name]
    return [{c.key: pick(rng, c.values()) for c in explorable.controls} for _ in range(count)]


def run(code: str) -> dict[str, Any]:
    """Run a snippet as a reader would, and return its variables (its printing is kept quiet)."""
    namespace: dict[str, Any] = {"__name__": "__snippet__"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<snippet>", "exec"), namespace)  # noqa: S102 - our own snippet
    return namespace


def sigmoid(z: float) -> float:
    """explorables.js's sigmoid, in Python floats."""
    e = math.exp(-abs(z))
    return 1 / (1 + e) if z >= 0 else e / (1 + e)


@pytest.mark.slow
@pytest.mark.parametrize("state", random_states("neuron", seed=1, count=5), ids=str)
def test_neuron_snippet_equals_the_browser_arithmetic(generated: Path, state: dict[str, float]) -> None:
    """The page computes z = w . x + b and sigmoid(z) itself: the same numbers as Dense + Sigmoid."""
    data = stored(generated, "neuron")
    out = run(ed.snippet("neuron", state))
    X = np.array(data["X"])
    np.testing.assert_array_equal(X, out["X"])  # stored at full precision
    np.testing.assert_array_equal(data["y"], out["y"])
    w = [state[f"w{i}"] for i in range(4)]
    z = [w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3] * x[3] + state["b"] for x in data["X"]]
    np.testing.assert_allclose(z, out["z"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose([sigmoid(v) for v in z], out["p"], rtol=1e-12, atol=1e-15)
    right = sum((sigmoid(v) > 0.5) == (label == 1) for v, label in zip(z, data["y"], strict=True))
    assert right == np.sum((out["p"] > 0.5) == out["y"])


def test_neuron_default_is_the_chapter_s_neuron() -> None:
    state = ed.NEURON.defaults()
    assert [state[f"w{i}"] for i in range(4)] == [1.0, 0.6, 0.8, 0.0]
    assert state["b"] == -12.0


@pytest.mark.slow
@pytest.mark.parametrize("state", random_states("descent", seed=2), ids=str)
def test_descent_snippet_reproduces_the_stored_path(generated: Path, state: dict[str, float]) -> None:
    data = stored(generated, "descent")
    out = run(ed.snippet("descent", state))
    path = data["paths"][int(state["lr"])][int(state["start_hours"])][int(state["start_name"])]
    step = int(state["step"])
    hours, name, loss = path[3 * step : 3 * step + 3]
    weights = out["weight"].value[0, [0, 3]]
    np.testing.assert_allclose(weights, [hours, name], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(out["bce"](out["model"](out["X"]), out["y"]), loss, rtol=1e-4)


@pytest.mark.slow
def test_descent_surface_is_the_model_s_loss(generated: Path) -> None:
    """Grid points picked at random: the stored loss is BCELoss of the model with those two weights."""
    data = stored(generated, "descent")
    model, bce, X, y = ed._exam_neuron()
    hours, names = np.linspace(*data["hours"]), np.linspace(*data["name"])
    rng = np.random.default_rng(3)
    for i, j in zip(rng.integers(0, len(names), 8), rng.integers(0, len(hours), 8), strict=True):
        model.named_parameters()["0.weight"].value[0, [0, 3]] = hours[j], names[i]
        np.testing.assert_allclose(data["surface"][i][j], bce(model(X), y), rtol=1e-3)


@pytest.mark.slow
def test_descent_learning_rates_tell_the_story(generated: Path) -> None:
    """From the default start: too small barely moves, a good rate converges, too large goes up."""
    data = stored(generated, "descent")
    start = (ed.DESCENT.defaults()["start_hours"], ed.DESCENT.defaults()["start_name"])
    losses = {lr: data["paths"][k][int(start[0])][int(start[1])][2::3] for k, lr in enumerate(ed.DESCENT_LRS)}
    best = data["trained"][2]
    assert losses["0.1"][-1] > 0.5  # too small: far from the bottom after 50 steps
    assert losses["3"][-1] < 1.05 * best
    assert all(b <= a for a, b in zip(losses["3"], losses["3"][1:], strict=False))  # downhill all the way
    assert losses["30"][-1] < 1.05 * best  # fast: the valley floor is flat, large steps still work
    assert losses["100"][1] > losses["100"][0]  # too large: the first step goes up ...
    assert sum(b > a for a, b in zip(losses["100"], losses["100"][1:], strict=False)) > 10  # ... and often


@pytest.mark.slow
@pytest.mark.parametrize("state", random_states("capacity", seed=4), ids=str)
def test_capacity_snippet_reproduces_weights_and_losses(generated: Path, state: dict[str, float]) -> None:
    data = stored(generated, "capacity")
    out = run(ed.snippet("capacity", state))
    activation = ed.CAPACITY.controls[1].choices[int(state["activation"])].label.lower()
    stored_run = data["runs"][activation][int(state["hidden"])]
    snapshot = stored_run["snapshots"][int(state["epoch"])]
    for got, want in zip(ed.capacity_snapshot(out["model"]), snapshot, strict=True):
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-9)
    epochs = ed.CAPACITY_EPOCHS[int(state["epoch"])]
    history = out["history"]
    np.testing.assert_allclose(history.loss, stored_run["loss"][:epochs], rtol=1e-3)
    np.testing.assert_allclose(history.val_loss, stored_run["val_loss"][:epochs], rtol=1e-3)


@pytest.mark.parametrize("state", random_states("regularisation", seed=5), ids=str)
def test_regularisation_snippet_reproduces_losses_and_boundary(
    generated: Path, state: dict[str, float]
) -> None:
    data = stored(generated, "regularisation")
    out = run(ed.snippet("regularisation", state))
    level = int(state["level"])
    method = "l2" if int(state["method"]) == 0 else "dropout"
    stored_run = data["none"] if level == 0 else data["runs"][method][level - 1]
    np.testing.assert_allclose(out["history"].loss, stored_run["loss"], rtol=1e-3)
    np.testing.assert_allclose(out["history"].val_loss, stored_run["val_loss"], rtol=1e-3)
    got = np.array([ed.LEVELS.index(c) for c in ed.quantise(out["P"])])
    want = np.array([ed.LEVELS.index(c) for c in stored_run["grid"]])
    assert np.max(np.abs(got - want)) <= 1, "the boundary grid differs by more than one level"


@pytest.mark.slow
def test_regularisation_shows_the_gap_closing(generated: Path) -> None:
    """Without regularisation the validation loss is far above the training loss; L2 0.01 narrows it."""
    data = stored(generated, "regularisation")
    none, l2 = data["none"], data["runs"]["l2"][ed.REGULARISATION_L2.index("0.01") - 1]
    assert none["val_loss"][-1] - none["loss"][-1] > 0.5
    assert l2["val_loss"][-1] - l2["loss"][-1] < 0.5 * (none["val_loss"][-1] - none["loss"][-1])
    assert l2["val_loss"][-1] < none["val_loss"][-1]


@pytest.mark.parametrize("name", sorted(ed.EXPLORABLES))
def test_every_control_changes_the_snippet(name: str) -> None:
    """Each control, moved from the default state, changes the code shown; no placeholder is left."""
    explorable = ed.EXPLORABLES[name]
    default = explorable.defaults()
    shown = ed.snippet(name, default)
    assert "<<" not in shown, shown
    for control in explorable.controls:
        assert default[control.key] in control.values(), f"{name}: {control.key} starts off its grid"
        other = next(v for v in control.values() if v != default[control.key])
        assert ed.snippet(name, {**default, control.key: other}) != shown, f"{name}: {control.key}"


@pytest.mark.parametrize("name", sorted(ed.EXPLORABLES))
def test_every_state_fills_the_snippet(name: str) -> None:
    for state in random_states(name, seed=6, count=20):
        code = ed.snippet(name, state)
        assert "<<" not in code
        compile(code, "<snippet>", "exec")


@pytest.mark.slow
def test_two_generations_are_byte_identical(generated: Path, tmp_path: Path) -> None:
    ed.generate(tmp_path, force=True)
    for name in ed.GENERATORS:
        first, second = (generated / f"{name}.js").read_bytes(), (tmp_path / f"{name}.js").read_bytes()
        assert first == second, f"{name}: two generations differ"


@pytest.mark.slow
def test_up_to_date_files_are_not_computed_again(generated: Path, tmp_path: Path) -> None:
    for name in ed.GENERATORS:
        (tmp_path / f"{name}.js").write_bytes((generated / f"{name}.js").read_bytes())
    assert ed.generate(tmp_path) == dict.fromkeys(ed.GENERATORS)
    stale = tmp_path / "neuron.js"
    stale.write_text(stale.read_text(encoding="utf-8").replace(ed.source_key(), "0" * 16), encoding="utf-8")
    times = ed.generate(tmp_path)
    assert times["neuron"] is not None
    assert [name for name, seconds in times.items() if seconds is None] == [
        "descent",
        "capacity",
        "regularisation",
    ]
    assert stale.read_bytes() == (generated / "neuron.js").read_bytes()
