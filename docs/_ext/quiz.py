"""The ``quiz`` directive: self-check questions with feedback on every answer.

A multiple-choice question lists its options as a task list; exactly one is ticked, and every
option says, after a line starting with ``:``, why it is right or wrong::

    :::{quiz}
    The loss jumps up and down from one step to the next. Which change helps?

    - [ ] Train for more epochs.
      : More steps of the same size overshoot the same way: the jumps continue.
    - [x] Lower the learning rate.
      : Right: smaller steps stop overshooting the bottom of the valley.
    :::

A numeric question gives the answer, a tolerance and an explanation instead::

    :::{quiz}
    :answer: 7
    :tolerance: 0
    :explain: 4 weights and a bias in the hidden neuron, 1 weight and a bias in the output.

    How many parameters does the 4 -> 1 -> 1 network have?
    :::

The page shows real form controls (radio buttons, or a number field with a labelled Check
button) and a live region that announces the feedback; ``_static/quiz.js`` (plain JavaScript,
no network) reveals the chosen option's explanation. Without JavaScript, and in print, the
answer and every explanation are behind a "Show the answer" toggle that works without it.

The directive refuses a question without exactly one correct option, an option without its
explanation, or a numeric question without an answer: the build (``-W``) fails and names it.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from quiz_format import Option, check_options, parse_options
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class element(nodes.General, nodes.Element):
    """An HTML element with a given tag and attributes, around the nodes it contains."""


def visit_element(self: Any, node: element) -> None:
    attributes = {key: value for key, value in node["attributes"].items() if value is not None}
    if node["tag"] in {"input"}:
        self.body.append(self.starttag(node, node["tag"], "", empty=True, **attributes))
        raise nodes.SkipNode
    self.body.append(self.starttag(node, node["tag"], "", **attributes))


def depart_element(self: Any, node: element) -> None:
    self.body.append(f"</{node['tag']}>")


def skip_tag(self: Any, node: element) -> None:  # noqa: ARG001 - other builders keep the text only
    """Non-HTML builders: keep the contents, drop the form controls."""
    if node["tag"] == "input":
        raise nodes.SkipNode


def make(tag: str, *children: nodes.Node, classes: list[str] | None = None, **attributes: Any) -> element:
    """An :class:`element` node; ``id`` goes to the node's ids, ``None`` attributes are left out."""
    node = element(
        tag=tag, attributes={k.rstrip("_").replace("_", "-"): v for k, v in attributes.items() if k != "id"}
    )
    if attributes.get("id"):
        node["ids"].append(attributes["id"])
    node["classes"].extend(classes or [])
    node.extend(children)
    return node


def spoken(parsed: list[nodes.Node]) -> str | None:
    """A name for screen readers when an option's text holds maths, else ``None`` (the label names it).

    A formula reaches screen readers as MathML, which they read in their own ways (or, in some,
    not at all inside a form label): the formula's TeX, without its backslashes and braces,
    gives the option a plain name that every screen reader speaks the same way.
    """
    if not any(node.next_node(nodes.math, include_self=True) for node in parsed):
        return None
    text = " ".join(node.astext() for node in parsed)
    return " ".join(text.replace("\\", " ").replace("{", " ").replace("}", " ").split())


class Quiz(SphinxDirective):
    """A self-check question: multiple choice, or a number with a tolerance."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "answer": directives.unchanged_required,
        "tolerance": directives.unchanged_required,
        "explain": directives.unchanged_required,
    }

    def inline(self, text: str) -> list[nodes.Node]:
        """``text`` parsed as MyST inline markup (emphasis, code, maths, roles), in one inline node.

        The inline node matters: cross-references ({term}, {doc}, {ref}) are resolved only
        inside text elements, and the quiz's own HTML elements are not.
        """
        parsed = self.parse_text_to_nodes(text)
        if len(parsed) == 1 and isinstance(parsed[0], nodes.paragraph):
            parsed = list(parsed[0].children)
        return [nodes.inline("", "", *parsed)]

    def run(self) -> list[nodes.Node]:
        number = self.env.new_serialno("quiz") + 1
        name = f"quiz-{number}"
        try:
            if "answer" in self.options:
                return [self.numeric(name, list(self.content))]
            question, options = parse_options(list(self.content))
            check_options(options)
        except ValueError as error:
            msg = f"quiz {number} of this page: {error}"
            raise self.error(msg) from error
        return [self.choice(name, question, options)]

    def header(self, name: str, question: list[str]) -> list[nodes.Node]:
        label = make("p", nodes.Text("Check yourself"), classes=["quiz-label"])
        body = make(
            "div", *self.parse_text_to_nodes("\n".join(question)), classes=["quiz-question"], id=f"{name}-q"
        )
        return [label, body]

    def choice(self, name: str, question: list[str], options: list[Option]) -> element:
        group = make("div", classes=["quiz-options"], role="radiogroup", aria_labelledby=f"{name}-q")
        answers = nodes.bullet_list()
        for index, option in enumerate(options, start=1):
            option_id = f"{name}-{index}"
            text = self.inline(option.text)
            radio = make(
                "input",
                type="radio",
                name=name,
                id=option_id,
                value=str(index),
                data_correct="true" if option.correct else "false",
                aria_describedby=f"{option_id}-why",
                aria_label=spoken(text),
            )
            verdict = "Right." if option.correct else "Not quite."
            why = make(
                "span",
                nodes.strong("", verdict),
                nodes.Text(" "),
                *self.inline(option.why),
                classes=["quiz-why"],
                id=f"{option_id}-why",
                hidden="hidden",
            )
            group += make(
                "div",
                radio,
                make("label", *text, for_=option_id),
                why,
                classes=["quiz-option"],
            )
            mark = "Correct: " if option.correct else "Wrong: "
            answers += nodes.list_item(
                "",
                nodes.paragraph(
                    "",
                    "",
                    nodes.strong("", mark),
                    *self.inline(option.text),
                    nodes.Text(" "),
                    *self.inline(option.why),
                ),
            )
        status = make("p", classes=["quiz-status"], role="status", aria_live="polite")
        reveal = make(
            "details", make("summary", nodes.Text("Show the answer")), answers, classes=["quiz-answer"]
        )
        return make(
            "div",
            *self.header(name, question),
            group,
            status,
            reveal,
            classes=["quiz"],
            id=name,
            data_kind="choice",
        )

    def numeric(self, name: str, question: list[str]) -> element:
        try:
            answer = float(self.options["answer"])
            tolerance = float(self.options.get("tolerance", "0"))
        except ValueError as error:
            msg = f"answer and tolerance must be numbers: {error}"
            raise ValueError(msg) from error
        if not math.isfinite(answer) or tolerance < 0:
            msg = "the answer must be finite and the tolerance not negative"
            raise ValueError(msg)
        if not self.options.get("explain"):
            msg = "a numeric quiz needs an :explain: line"
            raise ValueError(msg)
        explain = self.inline(self.options["explain"])
        field = make(
            "div",
            make("label", nodes.Text("Your answer"), for_=f"{name}-input"),
            make(
                "input",
                type="number",
                step="any",
                id=f"{name}-input",
                inputmode="decimal",
                aria_describedby=f"{name}-status",
            ),
            make("button", nodes.Text("Check"), type="button", classes=["quiz-check"]),
            classes=["quiz-field"],
        )
        status = make("p", classes=["quiz-status"], role="status", aria_live="polite", id=f"{name}-status")
        why = make("span", *explain, classes=["quiz-why"], hidden="hidden")
        shown = self.options["answer"]
        reveal = make(
            "details",
            make("summary", nodes.Text("Show the answer")),
            nodes.paragraph(
                "", "", nodes.strong("", f"{shown}."), nodes.Text(" "), *[n.deepcopy() for n in explain]
            ),
            classes=["quiz-answer"],
        )
        return make(
            "div",
            *self.header(name, question),
            field,
            status,
            why,
            reveal,
            classes=["quiz"],
            id=name,
            data_kind="number",
            data_answer=repr(answer),
            data_tolerance=repr(tolerance),
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        element,
        html=(visit_element, depart_element),
        latex=(skip_tag, None),
        text=(skip_tag, None),
    )
    app.add_directive("quiz", Quiz)
    app.add_js_file("quiz.js", loading_method="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
