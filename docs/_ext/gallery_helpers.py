"""sphinx-gallery helpers: an image scraper for furo's light and dark themes, a seed reset,
and the order of the examples.

``conf.py`` names these by string (``"gallery_helpers.light_dark_scraper"``), so the
configuration holds no callables and incremental builds stay incremental.

The scraper saves every open matplotlib figure twice: as drawn (light) and recoloured for
furo's dark theme. Each copy gets a 2x version for high-density screens, and the rST puts
each image in a container with class ``only-light`` or ``only-dark``: furo shows the one
that matches the reader's theme. Thumbnails come from the light image (the first path of
``image_path_iterator``, as sphinx-gallery expects). Animations are passed on to
sphinx-gallery's own matplotlib scraper (the light player and its thumbnail) and get a
second, dark player beside it.

Recolouring for dark keeps the data's colours and swaps only the *neutral* ones (black,
white, greys): white backgrounds become furo's dark background, black text, ticks and
spines become furo's light grey, light grey grid lines become dark grey. The examples
therefore draw data in colour-blind-safe hues that read on both backgrounds (tab10,
Okabe-Ito, viridis, RdBu) and leave the scaffolding neutral.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import random
import re
from pathlib import Path, PurePosixPath
from textwrap import indent
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import Animation
from matplotlib.collections import Collection
from matplotlib.colors import ListedColormap, to_rgba_array
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text
from mpl_private import private
from PIL import Image
from sphinx_gallery.scrapers import HLIST_HEADER, HLIST_IMAGE_MATPLOTLIB, figure_rst, matplotlib_scraper

__all__ = [
    "DARK_BACKGROUND",
    "DARK_FOREGROUND",
    "LESSON_ORDER",
    "LessonOrder",
    "darken_figure",
    "lesson_sort_key",
    "light_dark_scraper",
    "reset_seeds",
]

DARK_BACKGROUND = "#131416"
"""furo's ``--color-background-primary`` in the dark theme."""
DARK_FOREGROUND = "#cfd0d0"
"""furo's ``--color-foreground-primary`` in the dark theme."""

# PNG files without the "Software: Matplotlib version ..." chunk: the same figure gives the
# same bytes whatever the matplotlib version that drew it.
PNG_METADATA = {"Software": None}
NEUTRAL_SPREAD = 0.08
"""A colour whose red, green and blue differ by less than this is a grey (or black or white)."""


# -- order ---------------------------------------------------------------------------------------

LESSON_ORDER = (
    "plot_network_diagram.py",  # a neuron and the notes' network,
    "plot_decision_boundary.py",  # then where one neuron says yes
    "plot_activation_functions.py",
    "plot_loss_functions.py",
    "plot_descent_surface.py",  # the idea on a made-up bowl,
    "plot_learning_rate.py",  # the same bowl with four step sizes,
    "plot_standardisation.py",  # why the features are rescaled,
    "plot_exam_loss_surface.py",  # then the loss of a real model
    "plot_computation_graph.py",  # backpropagation: the graph,
    "plot_name_gradient.py",  # and the gradient that drives the name's weight to zero
    "plot_training_curves.py",  # what training looks like,
    "plot_exam_weights.py",  # what it learned,
    "plot_batch_size.py",  # and its choices:
    "plot_momentum.py",
    "plot_deep_gradients.py",  # why deep networks are hard to train
    "plot_exam_overfitting.py",  # overfitting on a few students,
    "plot_overfitting.py",  # then on the moons
    "plot_exam_network.py",
    "plot_hidden_activations.py",
    "plot_shuffled_pixels.py",  # why not a dense layer for images,
    "plot_convolution_filter.py",  # a kernel sliding, by hand,
    "plot_stride_and_padding.py",
    "plot_pooling.py",  # what pooling keeps,
    "plot_cnn_filters.py",  # then what a trained CNN learned;
    "plot_backprop_through_time.py",  # recurrence: unrolled,
    "plot_rnn_hidden_states.py",  # and a trained one counting
    "plot_transfer_learning.py",
)
"""The order in which the examples are read, within each folder; unlisted files come last, by name."""


class LessonOrder:
    """sphinx-gallery's ``within_subsection_order``: sort the examples of a folder by :data:`LESSON_ORDER`."""

    def __init__(self, src_dir: str) -> None:
        self.src_dir = str(src_dir)

    def __repr__(self) -> str:  # stable, so Sphinx does not see a changed configuration
        return f"{type(self).__name__}()"

    def __call__(self, filename: str) -> tuple[int, str]:
        """The sort key of ``filename``: its place in the lesson order, then its name."""
        name = Path(filename).name
        place = LESSON_ORDER.index(name) if name in LESSON_ORDER else len(LESSON_ORDER)
        return place, name


def lesson_sort_key(path: str) -> tuple[str, int, str]:
    """sphinx-gallery's ``minigallery_sort_order``: by folder, then in :data:`LESSON_ORDER`."""
    file = Path(path)
    place = LESSON_ORDER.index(file.name) if file.name in LESSON_ORDER else len(LESSON_ORDER)
    return file.parent.name, place, file.name


# -- seeds ------------------------------------------------------------------------------------


def reset_seeds(gallery_conf: dict[str, Any], fname: str | None) -> None:  # noqa: ARG001 - sphinx-gallery's hook signature
    """Reset the global random states before each example, so no example sees another's draws.

    The examples seed their own ``numpy.random.default_rng`` generators; this also fixes
    the legacy global states in case a script (or a library it calls) uses them.
    """
    random.seed(0)
    np.random.seed(0)  # noqa: NPY002 - the legacy global state is exactly what is reset here


# -- dark recolouring ---------------------------------------------------------------------------


def _rgba_array(colors: Any) -> np.ndarray:
    return np.array(to_rgba_array(colors), dtype=float)


def _to_lightness(srgb: np.ndarray) -> np.ndarray:
    """CIE lightness L* (0 black to 100 white) of grey levels given in sRGB (0 to 1)."""
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    return np.where(linear > 216 / 24389, 116 * np.cbrt(linear) - 16, linear * 24389 / 27)


def _from_lightness(lightness: np.ndarray) -> np.ndarray:
    """The sRGB grey level (0 to 1) of CIE lightness L*."""
    linear = np.where(lightness > 8, ((lightness + 16) / 116) ** 3, lightness * 27 / 24389)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def _swap_neutrals(colors: Any) -> np.ndarray:
    """Map greys from light to dark: white -> dark background, black -> light foreground.

    The swap is linear in perceived lightness (CIE L*): a grey that stands out from the
    white page by some amount stands out from the dark page by the same fraction of the
    range between background and foreground. So black text stays the most visible, and
    light grey grid lines stay as faint as they were. Coloured entries and alpha are
    unchanged.
    """
    rgba = _rgba_array(colors)
    if rgba.size == 0:
        return rgba
    rgb = rgba[:, :3]
    neutral = rgb.max(axis=1) - rgb.min(axis=1) < NEUTRAL_SPREAD
    background = _rgba_array(DARK_BACKGROUND)[0, :3]
    foreground = _rgba_array(DARK_FOREGROUND)[0, :3]
    darkness = 100.0 - _to_lightness(rgb.mean(axis=1))  # how far from white, 0 to 100
    low, high = _to_lightness(background.mean()), _to_lightness(foreground.mean())
    grey = _from_lightness(low + darkness / 100.0 * (high - low))
    # Between furo's own background and foreground colours, so white is exactly the page.
    share = (grey - background.mean()) / (foreground.mean() - background.mean())
    swapped = background + np.clip(share, 0.0, 1.0)[:, None] * (foreground - background)
    rgba[neutral, :3] = swapped[neutral]
    return rgba


def _swap_one(color: Any) -> tuple[float, ...]:
    return tuple(_swap_neutrals(color)[0])


def _is_neutral(color: Any) -> bool:
    rgb = _rgba_array(color)[:, :3]
    return bool(np.all(rgb.max(axis=1) - rgb.min(axis=1) < NEUTRAL_SPREAD))


def _darken_axis(axis: Any, done: set[int]) -> None:
    """Recolour an axis's ticks, tick labels and grid lines, now and for ticks made later."""
    ticks = axis.get_major_ticks() + axis.get_minor_ticks()
    if not ticks:
        return
    first = ticks[0]
    originals = [
        (tick, tick.label1.get_color(), tick.label2.get_color(), tick.tick1line.get_markeredgecolor())
        for tick in ticks
    ]
    params = {}
    if _is_neutral(first.tick1line.get_markeredgecolor()):
        params["color"] = _swap_one(first.tick1line.get_markeredgecolor())
    if _is_neutral(first.label1.get_color()):
        params["labelcolor"] = _swap_one(first.label1.get_color())
    if _is_neutral(first.gridline.get_color()):
        # Red, green and blue only: an alpha channel here would replace the grid's own alpha.
        params["grid_color"] = _swap_one(first.gridline.get_color())[:3]
    if params:
        axis.set_tick_params(which="both", **params)
    # A tick label that the example coloured on purpose keeps its colour.
    for tick, label1, label2, mark in originals:
        for text, color in ((tick.label1, label1), (tick.label2, label2)):
            if not _is_neutral(color):
                text.set_color(color)
        if not _is_neutral(mark):
            tick.tick1line.set_markeredgecolor(mark)
            tick.tick2line.set_markeredgecolor(mark)
        done.update(id(artist) for artist in (tick, *tick.get_children()))
    # 3-D axes draw their own axis line, panes and grid from `_axinfo` at draw time.
    info = private(axis, "_axinfo") if axis.axes.name == "3d" else None
    if info is not None:
        axis.line.set_color(_swap_one(axis.line.get_color()))
        axis.set_pane_color(_swap_one(axis.pane.get_facecolor()))
        for key in ("grid", "axisline"):
            if key in info and "color" in info[key]:
                info[key]["color"] = _swap_one(info[key]["color"])
        done.update({id(axis.line), id(axis.pane)})


def _swap_unless_none(color: Any) -> Any:
    """Like :func:`_swap_one`, but an absent colour (a marker with no fill: "none") stays absent."""
    return color if isinstance(color, str) and color == "none" else _swap_one(color)


def _darken_artist(artist: Any) -> None:
    """Swap the neutral colours of one artist (data colours and colour-mapped values stay)."""
    if isinstance(artist, AxesImage):
        return  # pixels are data
    if isinstance(artist, Text):
        artist.set_color(_swap_one(artist.get_color()))
        box = artist.get_bbox_patch()
        if box is not None:
            _darken_artist(box)
        if isinstance(artist, Annotation) and artist.arrow_patch is not None:
            _darken_artist(artist.arrow_patch)
    elif isinstance(artist, Line2D):
        artist.set_color(_swap_one(artist.get_color()))
        artist.set_markerfacecolor(_swap_unless_none(artist.get_markerfacecolor()))
        artist.set_markeredgecolor(_swap_unless_none(artist.get_markeredgecolor()))
    elif isinstance(artist, Patch):
        # An invisible colour ("none") stays invisible: setting it again would give it the
        # patch's own alpha.
        if artist.get_facecolor()[3] > 0:
            artist.set_facecolor(_swap_one(artist.get_facecolor()))
        if artist.get_edgecolor()[3] > 0:
            artist.set_edgecolor(_swap_one(artist.get_edgecolor()))
    elif isinstance(artist, Collection):
        mapped = artist.get_array() is not None
        cmap = artist.get_cmap() if mapped else None
        if mapped and isinstance(cmap, ListedColormap) and _is_neutral(cmap.colors):
            # Fixed neutral colours given as a map, e.g. ``contour(..., colors="0.3")``.
            artist.set_cmap(ListedColormap(_swap_neutrals(cmap.colors)))
            return
        original_edge = private(artist, "_original_edgecolor", default=None)
        edge_is_face = isinstance(original_edge, str) and original_edge == "face"
        if not mapped:
            artist.set_facecolor(_swap_neutrals(artist.get_facecolor()))
        if not edge_is_face and not private(artist, "_edge_is_mapped", default=False):
            artist.set_edgecolor(_swap_neutrals(artist.get_edgecolor()))


def darken_figure(fig: Any) -> None:
    """Recolour ``fig`` in place for a dark page (see the module docstring)."""
    done: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None)):
            if axis is not None:
                _darken_axis(axis, done)
    for artist in fig.findobj(include_self=False):
        if id(artist) not in done:
            done.add(id(artist))
            _darken_artist(artist)  # the figure's own background (fig.patch) is one of them


# -- alt text -----------------------------------------------------------------------------------


def figure_description(fig: Any, fallback: str) -> str:
    """The alt text of a figure: its label (``fig.set_label``), else its titles, else ``fallback``."""
    label = fig.get_label()
    if label and not label.startswith("_"):
        return str(label)
    titles = [fig.get_suptitle()]
    titles += [ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center", "right")]
    titles = [title for title in titles if title]
    return ", ".join(titles) if titles else fallback


def _alt(text: str) -> str:
    """One line, safe inside sphinx-gallery's ``alt="..."`` (it writes the text unescaped)."""
    return html.escape(" ".join(text.split()), quote=True)


# -- the scraper ------------------------------------------------------------------------------------

_CONTAINER = """
.. container:: {theme}
{body}"""


def _save(fig: Any, path: PurePosixPath, scales: list[float], dpi: float) -> dict[float, PurePosixPath]:
    """Save ``fig`` at ``path`` and at each ``scale`` (``name_2_00x.png``); return the srcset map."""
    kwargs = {"facecolor": fig.get_facecolor(), "edgecolor": fig.get_edgecolor(), "metadata": PNG_METADATA}
    fig.savefig(path, dpi=dpi, **kwargs)
    paths = {0.0: path}
    for scale in scales:
        suffix = f"{scale:.2f}".replace(".", "_")
        hi_path = path.with_name(f"{path.stem}_{suffix}x{path.suffix}")
        fig.savefig(hi_path, dpi=scale * dpi, **kwargs)
        paths[scale] = hi_path
    return paths


def _image_rst(paths: dict[float, PurePosixPath], alt: str, src_dir: str) -> str:
    return figure_rst([paths[0.0]], src_dir, alt, srcsetpaths=[paths])


def _themed(light: str, dark: str) -> str:
    return _CONTAINER.format(theme="only-light", body=indent(light, "   ")) + _CONTAINER.format(
        theme="only-dark", body=indent(dark, "   ")
    )


def _stable_ids(rst: str, seed: str) -> str:
    """Replace the random ids of a jshtml player by ones derived from ``seed`` (same page, same bytes)."""
    for number, found in enumerate(dict.fromkeys(re.findall(r"[0-9a-f]{32}", rst))):
        stable = hashlib.sha256(f"{seed}-{number}".encode()).hexdigest()[:32]
        rst = rst.replace(found, stable)
    return rst


FRAME_COLOURS = 64
"""Colours kept in each frame of an embedded animation (a plot needs few; the page gets lighter)."""


def _shrink_frames(player: str) -> str:
    """Re-encode the PNG frames embedded in a jshtml player with a palette of :data:`FRAME_COLOURS`.

    A frame of a line plot shrinks to about a fifth of its size this way, and the result is
    the same every time (octree palette, which keeps small areas of colour such as the moving
    dot, and Floyd-Steinberg dithering: no randomness). The
    player's base64 text is broken into lines ending in a backslash (and indented, in rST);
    ``b64decode`` skips those characters.
    """

    def shrink(match: re.Match[str]) -> str:
        with Image.open(io.BytesIO(base64.b64decode(match.group(1)))) as frame:
            small = frame.convert("RGB").quantize(FRAME_COLOURS, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        small.save(buffer, format="png", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    return re.sub(r"data:image/png;base64,([A-Za-z0-9+/= \\\n]+)", shrink, player)


# matplotlib's player draws its buttons with Font Awesome icons from a CDN: without a network
# connection (and this site works offline) they are blank. Plain characters need nothing.
_BUTTONS = {
    "fa-minus": "\u2212",  # slower
    "fa-fast-backward": "|\u25c0\ufe0e\u25c0\ufe0e",  # first frame
    "fa-step-backward": "|\u25c0\ufe0e",  # previous frame
    "fa-play fa-flip-horizontal": "\u25c0\ufe0e",  # play backwards
    "fa-pause": "\u275a\u275a",  # pause
    "fa-play": "\u25b6\ufe0e",  # play
    "fa-step-forward": "\u25b6\ufe0e|",  # next frame
    "fa-fast-forward": "\u25b6\ufe0e\u25b6\ufe0e|",  # last frame
    "fa-plus": "+",  # faster
}


def _offline_buttons(player: str) -> str:
    """Replace the player's Font Awesome icons by characters and drop the CDN stylesheet."""
    player = re.sub(r'<link rel="stylesheet"\s+href="https://[^"]*font-awesome[^"]*">', "", player)

    def button(match: re.Match[str]) -> str:
        icon = _BUTTONS.get(match.group(1).strip())
        return match.group(0) if icon is None else f'<span aria-hidden="true">{icon}</span>'

    return re.sub(r'<i class="fa ((?:fa-[a-z-]+ ?)+)"></i>', button, player)


def _accessible_player(player: str, alt: str) -> str:
    """Give the player's frame an alt text and its slider a label (matplotlib writes neither)."""
    # The frame's src is set by the player's script; until then an empty GIF keeps the HTML valid.
    empty = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
    player = re.sub(
        r'<img id="(_anim_img[0-9a-z]+)"', rf'<img src="{empty}" alt="{_alt(alt)}" id="\1"', player
    )
    return re.sub(r'<input id="(_anim_slider[0-9a-z]+)"', r'<input aria-label="Frame" id="\1"', player)


def _animation_rst(anims: dict[Any, Any], block: Any, block_vars: dict[str, Any], gallery_conf: Any) -> str:
    """Light player (and thumbnail) by sphinx-gallery's scraper; a dark player made here beside it."""
    first_path = len(block_vars["image_path_iterator"])
    # No ffmpeg or ImageMagick here: write the thumbnail GIF with Pillow, without the
    # "MovieWriter ffmpeg unavailable" message.
    with mpl.rc_context({"animation.writer": "pillow"}):
        light = matplotlib_scraper(block, block_vars, gallery_conf)
    seed = block_vars["image_path_iterator"].paths[first_path]
    alt = "; ".join(figure_description(private(anim, "_fig"), "An animation") for anim in anims.values())
    light = _accessible_player(_offline_buttons(_shrink_frames(_stable_ids(light, seed + "-light"))), alt)
    darks = []
    for anim in anims.values():
        darken_figure(private(anim, "_fig"))
        # to_jshtml() caches its result: forget the light player so the frames are drawn again.
        private(anim, "_html_representation", default=None, forget=True)
        player = _accessible_player(_offline_buttons(_shrink_frames(anim.to_jshtml())), alt)
        player = indent(player, "        ")
        darks.append(
            _stable_ids(f"\n.. container:: sphx-glr-animation\n\n    .. raw:: html\n\n{player}", seed)
        )
    return _themed(light, "".join(darks))


def light_dark_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: Any, **kwargs: Any) -> str:  # noqa: ARG001
    """Save each open figure for furo's light and dark themes and return their rST.

    Mirrors :func:`sphinx_gallery.scrapers.matplotlib_scraper`: one ``image-sg`` per
    image with ``sphx-glr-single-img`` (or ``sphx-glr-multi-img`` in a horizontal list
    when a code block makes several figures), srcset copies from ``image_srcset``, and
    alt text from each figure's label (``fig.set_label("...")``) or titles.
    """
    paths_iter = block_vars["image_path_iterator"]
    scales = [float(scale) for scale in gallery_conf["image_srcset"] if float(scale) != 1.0]
    src_dir = gallery_conf["src_dir"]
    anims = {}
    if gallery_conf["matplotlib_animations"][0]:
        for value in block_vars["example_globals"].values():
            # Only animations of figures still open: one made in an earlier block was already shown.
            if isinstance(value, Animation) and plt.fignum_exists(private(value, "_fig").number):
                anims[private(value, "_fig")] = value

    images = []
    try:
        for number in plt.get_fignums():
            fig = plt.figure(number)
            if fig in anims:
                continue
            light_path = PurePosixPath(next(paths_iter))
            dark_path = light_path.with_name(f"{light_path.stem}_dark{light_path.suffix}")
            fallback = f"Figure {len(paths_iter)} of {Path(block_vars['src_file']).stem}"
            alt = _alt(figure_description(fig, fallback))
            dpi = fig.dpi
            light = _save(fig, light_path, scales, dpi)
            # The layout is computed: keep it for the other three saves rather than redo it.
            fig.set_layout_engine("none")
            darken_figure(fig)
            dark = _save(fig, dark_path, scales, dpi)
            images.append((_image_rst(light, alt, src_dir), _image_rst(dark, alt, src_dir)))
            plt.close(fig)
        animation_rst = _animation_rst(anims, block, block_vars, gallery_conf) if anims else ""
    finally:
        plt.close("all")

    multi = True
    if block_vars.get("multi_image") is not None:
        multi = block_vars["multi_image"] != "single"
    elif block_vars.get("file_conf") is not None:
        multi = block_vars["file_conf"].get("multi_image") != "single"
    if len(images) == 1 or (images and not multi):
        rst = "".join(_themed(light, dark) for light, dark in images)
    elif images:
        rst = HLIST_HEADER + "".join(
            HLIST_IMAGE_MATPLOTLIB
            + indent(_themed(light, dark).replace("sphx-glr-single-img", "sphx-glr-multi-img"), " " * 6)
            for light, dark in images
        )
    else:
        rst = ""
    return rst + animation_rst
