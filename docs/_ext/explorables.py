"""The ``explorable`` directive: a picture the reader changes, every state computed by nnbasics.

Usage, in a chapter (the content, optional, is the caption: what to look at first)::

    :::{explorable} neuron
    Move the bias: the boundary shifts, the weights turn it.
    :::

The argument names one of the explorables of ``explorable_data.py``: ``neuron``, ``descent``,
``capacity`` or ``regularisation``. When the builder starts, :func:`start_generation` computes the
data of all of them with nnbasics into ``_static/explorables/generated/``, in a separate process
while Sphinx reads the pages, and again only when ``explorable_data.py`` or nnbasics has changed. The directive writes the controls (real
``<input type="range">`` and radio buttons with labels and ``aria-valuetext``), an empty figure
that ``_static/explorables.js`` draws when the explorable scrolls into view (it fetches the data
then), a live text description of the picture, and a "Reproduce this" code block: the nnbasics
code for the state shown, filled in at build time for the starting state and updated by the
script. Without JavaScript, and in print before the data has loaded, a sentence says what the
explorable would show; the code block is there either way.

The script and its style sheet are added only to the pages that hold an explorable.
"""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import sys
import time
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import explorable_data
from docutils import nodes
from docutils.parsers.rst import directives
from explorable_data import EXPLORABLES, GENERATED, Control
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)


class explorable_node(nodes.General, nodes.Element):
    """An explorable: its name and number on the page; its children are the caption."""


def attrs(**attributes: Any) -> str:
    """HTML attributes, escaped; ``None`` leaves one out, ``True`` writes it bare."""
    parts = []
    for key, value in attributes.items():
        name = key.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        parts.append(name if value is True else f'{name}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def control_html(control: Control, prefix: str) -> str:
    """One labelled control with its value shown beside the label."""
    ident = f"{prefix}-{control.key}"
    default = control.default
    label = escape(control.label)
    if control.kind == "radio":
        options = []
        for i, choice in enumerate(control.choices):
            radio = attrs(
                type="radio",
                name=ident,
                id=f"{ident}-{i}",
                value=i,
                checked=i == default,
                data_key=control.key,
                data_subs=json.dumps(choice.subs, sort_keys=True),
            )
            options.append(f'<label class="explorable-radio"><input {radio}> {escape(choice.label)}</label>')
        return f'<fieldset class="explorable-control"><legend>{label}</legend>{"".join(options)}</fieldset>'
    if control.kind == "range":
        extra = {
            "min": f"{control.low:g}",
            "max": f"{control.high:g}",
            "step": f"{control.step:g}",
            "value": f"{default:g}",
            "data_decimals": control.decimals,
        }
    else:
        extra = {
            "min": 0,
            "max": len(control.choices) - 1,
            "step": 1,
            "value": int(default),
            "data_labels": json.dumps([choice.label for choice in control.choices]),
            "data_subs": json.dumps([choice.subs for choice in control.choices], sort_keys=True),
        }
    text = control.text(default)
    slider = attrs(
        type="range",
        id=ident,
        data_key=control.key,
        data_valuetext=control.valuetext,
        aria_valuetext=control.valuetext.format(text),
        **extra,
    )
    value = attrs(for_=ident, id=f"{ident}-value")
    return (
        f'<div class="explorable-control"><label for="{ident}">{label}</label>'
        f" <output {value}>{escape(text)}</output><input {slider}></div>"
    )


def visit_explorable(self: Any, node: explorable_node) -> None:
    explorable = EXPLORABLES[node["name"]]
    prefix = f"explorable-{node['name']}-{node['number']}"
    page = self.builder.get_target_uri(self.builder.current_docname)
    src = relative_uri(page, posixpath.join(GENERATED, f"{explorable.name}.js"))
    self.body.append(
        f"<div {attrs(class_='explorable', id=prefix, data_kind=explorable.name, data_src=src)}>"
        f'<p class="explorable-title"><span class="explorable-badge">Explore</span> {escape(explorable.title)}</p>'
        '<div class="explorable-caption">'
    )


def depart_explorable(self: Any, node: explorable_node) -> None:
    explorable = EXPLORABLES[node["name"]]
    prefix = f"explorable-{node['name']}-{node['number']}"
    controls = "".join(control_html(control, prefix) for control in explorable.controls)
    code = escape(explorable_data.snippet(explorable.name, explorable.defaults()))
    self.body.append(
        "</div>"
        f'<div class="explorable-live">'
        f'<div class="explorable-controls" role="group" aria-label="{escape(explorable.title)}: settings">'
        f"{controls}</div>"
        f'<div class="explorable-figure" role="img" aria-label="{escape(explorable.aria)}"'
        f' aria-describedby="{prefix}-description"></div>'
        '<div class="explorable-key"></div>'
        '<div class="explorable-readout"></div>'
        f'<p class="explorable-description" id="{prefix}-description" aria-live="polite"></p>'
        f"</div>"
        f'<p class="explorable-fallback">This explorable is drawn by JavaScript in your browser; without it, '
        f"the code below computes what it shows at the start.</p>"
        f'<details class="explorable-code"><summary>Reproduce this with nnbasics: the code for the state shown'
        f"</summary>"
        f'<div class="highlight-python notranslate"><div class="highlight"><pre>{code}</pre></div></div>'
        f"</details></div>"
    )


def skip(self: Any, node: explorable_node) -> None:
    """Non-HTML builders: only the caption."""


class Explorable(SphinxDirective):
    """``:::{explorable} name``: the explorable ``name``, with the content as its caption.

    ``:fallback: 05_regularisation/plot_overfitting 2`` names a gallery figure (example and
    figure number) that stands in, in the reader's theme, until the explorable is drawn: without
    JavaScript, and in print when the explorable was never scrolled to.
    """

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"fallback": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        if name not in EXPLORABLES:
            msg = f"explorable: no explorable {name!r}; choose one of {sorted(EXPLORABLES)}"
            raise self.error(msg)
        node = explorable_node(name=name, number=self.env.new_serialno("explorable") + 1)
        if self.content:
            node += self.parse_content_to_nodes()
        if "fallback" in self.options:
            example, _, number = self.options["fallback"].partition(" ")
            figure = self.parse_text_to_nodes(
                f":::{{gallery-figure}} {example}\n:number: {number.strip() or 1}\n\n"
                "A still picture of the same idea, while the explorable is not drawn.\n:::"
            )
            node += nodes.container("", *figure, classes=["explorable-static"])
        self.env.note_dependency(explorable_data.__file__)
        return [node]


def start_generation(app: Sphinx) -> None:
    """Compute the explorables' data that is missing or out of date, in a process of its own.

    It runs while Sphinx reads the pages (on a machine with a core to spare, for free) and must
    be done before the static files are copied: :func:`finish_generation` waits for it.
    """
    if app.builder.format != "html":
        return
    folder = Path(app.srcdir) / GENERATED
    names = explorable_data.stale(folder)
    if not names:
        logger.info("explorables: data up to date")
        return
    command = [sys.executable, explorable_data.__file__, str(folder), *names]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    app.explorables_job = subprocess.Popen(  # type: ignore[attr-defined]  # noqa: S603 - our own script
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def finish_generation(app: Sphinx, env: Any) -> list[str]:  # noqa: ARG001 - the event's signature
    """Wait for the data (started by :func:`start_generation`); fail the build if it failed."""
    job = getattr(app, "explorables_job", None)
    if job is None:
        return []
    start = time.perf_counter()
    out, err = job.communicate()
    waited = time.perf_counter() - start
    app.explorables_job = None  # type: ignore[attr-defined]
    if job.returncode:
        msg = f"explorables: computing the data failed:\n{err}"
        raise ExtensionError(msg)
    done = ", ".join(out.strip().split("\n"))
    logger.info("explorables: computed %s; the build waited %.1f s for them", done, waited)
    return []


def add_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:  # noqa: ARG001
    """The script and style sheet, on the pages that have an explorable only."""
    if doctree is not None and next(iter(doctree.findall(explorable_node)), None) is not None:
        app.add_css_file("explorables.css")
        app.add_js_file("explorables.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        explorable_node,
        html=(visit_explorable, depart_explorable),
        latex=(skip, skip),
        text=(skip, skip),
        man=(skip, skip),
        texinfo=(skip, skip),
    )
    app.add_directive("explorable", Explorable)
    # Early, before sphinx-gallery runs the examples, so that the two overlap.
    app.connect("builder-inited", start_generation, priority=100)
    app.connect("env-updated", finish_generation)
    app.connect("html-page-context", add_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
