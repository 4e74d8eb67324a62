"""The gallery scripts run on their own: a broken example fails here, without a docs build.

Each script in ``gallery/`` is executed headless (matplotlib's Agg backend) in a fresh
namespace, as ``python gallery/<theme>/plot_x.py`` would run it, and must leave at least one
figure behind, every figure with a description (its alt text on the site) and labelled axes.
"""

from __future__ import annotations

import ast
import runpy
import sys
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.animation import Animation

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
SCRIPTS = sorted(GALLERY.glob("*/plot_*.py"))
ALLOWED_IMPORTS = {"numpy", "matplotlib", "mpl_toolkits", "nnbasics"} | set(sys.stdlib_module_names)


def relative(path: Path) -> str:
    return path.relative_to(GALLERY).as_posix()


@pytest.fixture
def figures(monkeypatch):
    """Collect the figures a script leaves open (``plt.show`` does nothing); close them after."""
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)
    plt.close("all")
    yield lambda: [plt.figure(number) for number in plt.get_fignums()]
    plt.close("all")


def labelled(ax, which: str) -> bool:
    """Whether ``ax`` or an axes sharing that axis with it (in a grid of panels) has a label."""
    siblings = getattr(ax, f"get_shared_{which}_axes")().get_siblings(ax)
    return any(getattr(other, f"get_{which}label")() for other in siblings)


def test_the_gallery_has_examples():
    assert len(SCRIPTS) >= 10
    assert (GALLERY / "README.txt").is_file()


@pytest.mark.parametrize("folder", sorted({script.parent for script in SCRIPTS}), ids=lambda p: p.name)
def test_each_folder_has_a_titled_readme(folder: Path) -> None:
    title, underline, *_ = [*(folder / "README.txt").read_text(encoding="utf-8").splitlines(), "", ""]
    assert title.strip(), f"{folder.name}/README.txt needs a title on its first line"
    # '-': one level below the gallery's own '=' title, so each theme is a section of the gallery
    assert set(underline) == {"-"}, f"{folder.name}/README.txt: underline the title with '-'"
    assert len(underline) >= len(title)


@pytest.mark.parametrize("script", SCRIPTS, ids=relative)
def test_script_imports_only_numpy_matplotlib_and_nnbasics(script):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert {module.split(".")[0] for module in modules} <= ALLOWED_IMPORTS


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=relative)
def test_script_runs_and_draws_described_labelled_figures(script, figures):
    namespace = runpy.run_path(str(script), run_name="__main__")
    drawn = figures()
    assert drawn, f"{relative(script)} made no figure"
    for fig in drawn:
        description = fig.get_label()
        assert len(description) > 40, (
            f"{relative(script)}: give each figure an alt text, fig.set_label('...')"
        )
        assert fig.axes, f"{relative(script)}: figure {description[:40]!r} is empty"
        # Axes switched off (a diagram, like a network) and colour bars need no x and y labels.
        for ax in (ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"):
            axes_names = ("x", "y", "z") if ax.name == "3d" else ("x", "y")
            for which in axes_names:
                if which == "z":
                    assert ax.get_zlabel(), f"{relative(script)}: a 3-D axes without a z label"
                else:
                    assert labelled(ax, which), (
                        f"{relative(script)}: axes {ax.get_title()!r} without {which} label"
                    )
    # An animation must render (as the docs build does); this also keeps matplotlib from warning
    # that it was deleted without being drawn.
    for value in namespace.values():
        if isinstance(value, Animation):
            assert "<img" in value.to_jshtml()
