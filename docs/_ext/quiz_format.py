"""The text format of a self-check question (the ``quiz`` directive of ``quiz.py``), without Sphinx.

Kept apart from the directive so that the tests can check every question of the course, that
each has exactly one correct option and an explanation for every option, without building
the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPTION = re.compile(r"^- \[(?P<mark>[ xX])\] (?P<text>.*)$")
QUIZ = re.compile(
    r"^(?P<fence>:{3,})\{quiz\}[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL
)
FIELD = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")


@dataclass
class Option:
    """One answer of a multiple-choice question: its text, whether it is right, and why."""

    text: str
    correct: bool
    why: str


def parse_options(lines: list[str]) -> tuple[list[str], list[Option]]:
    """Split a quiz's content into the question's lines and its options (see the module docstring)."""
    question: list[str] = []
    options: list[Option] = []
    in_why = False
    for line in lines:
        match = OPTION.match(line)
        if match:
            options.append(Option(match["text"].strip(), match["mark"] != " ", ""))
            in_why = False
        elif options and line.startswith("  ") and line.strip():
            text = line.strip()
            if text.startswith(": ") and not in_why:
                in_why, text = True, text[2:]
                options[-1].why = text
            elif in_why:
                options[-1].why += " " + text
            else:
                options[-1].text += " " + text
        elif options and line.strip():
            msg = f"unexpected line after the options: {line!r} (indent an option's explanation)"
            raise ValueError(msg)
        elif not options:
            question.append(line)
    return question, options


def check_options(options: list[Option]) -> None:
    """Exactly one correct option, and an explanation for every option."""
    if len(options) < 2:
        msg = f"a multiple-choice quiz needs at least two options, found {len(options)}"
        raise ValueError(msg)
    correct = [option for option in options if option.correct]
    if len(correct) != 1:
        msg = f"a quiz needs exactly one correct option ('- [x] ...'), found {len(correct)}"
        raise ValueError(msg)
    missing = [option.text for option in options if not option.why]
    if missing:
        msg = f"every option needs its explanation (an indented line starting with ': '): {missing}"
        raise ValueError(msg)


def quizzes(text: str) -> list[tuple[dict[str, str], list[str]]]:
    """Every ``quiz`` directive of a MyST page: its options (``:answer:`` ...) and its content lines."""
    found = []
    for match in QUIZ.finditer(text):
        lines = match["body"].splitlines()
        fields: dict[str, str] = {}
        while lines and (field := FIELD.match(lines[0])):
            lines.pop(0)
            fields[field["key"]] = field["value"].strip()
        found.append((fields, lines))
    return found
