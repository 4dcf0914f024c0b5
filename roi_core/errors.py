"""Named exceptions of the model, and the one place that words a validation problem.

Every problem a user can cause is reported as ``"<field path>: <rule>"`` so that
the CLI, the dashboard and the tests all speak of a field by the name MODEL.md
gives it (``levers.save_rate``, ``other_items[2].end_month``). A problem is one
printable line, whatever the input held: a field name with a line break or an
unpaired surrogate in it is shown escaped (``bogus\\nname``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

__all__ = [
    "AnalysisError",
    "ROIError",
    "ScenarioError",
    "format_loc",
    "plain_number",
    "printable",
    "problems_from",
]


def plain_number(x: float) -> str:
    """A number as people write it in a sentence: up to ten significant digits,
    thousands separated, never in scientific notation.

    >>> plain_number(2e6), plain_number(0.125), plain_number(1e12), plain_number(-0.0)
    ('2,000,000', '0.125', '1,000,000,000,000', '0')
    """
    if not math.isfinite(x):
        return str(x)
    rounded = Decimal(f"{x:.10g}").normalize()
    text = format(rounded, ",f")
    return "0" if text in ("-0", "0") else text


def printable(text: str) -> str:
    """``text`` with every character that is not printable escaped as Python
    writes it (line breaks, control characters, unpaired surrogates), so that it
    is one line and can be encoded and shown anywhere.

    >>> printable("bogus\\nname\\ud800")
    'bogus\\\\nname\\\\ud800'
    >>> printable("Über café")
    'Über café'
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


class ROIError(Exception):
    """Base class of every error raised on purpose by ``roi_core``."""


class ScenarioError(ROIError, ValueError):
    """A scenario (or a file meant to hold one) is not valid.

    ``problems`` holds one plain line per problem, each naming the field.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        lines = tuple(printable(line) for line in problems)
        self.problems: tuple[str, ...] = lines or ("scenario: invalid",)
        super().__init__("\n".join(self.problems))


class AnalysisError(ROIError, ValueError):
    """An analysis was asked something it cannot answer (unknown field, bad count)."""


def format_loc(loc: Iterable[Any]) -> str:
    """Turn a pydantic location tuple into a dotted field path.

    >>> format_loc(("other_items", 2, "end_month"))
    'other_items[2].end_month'
    >>> format_loc(())
    'scenario'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "scenario"


def problems_from(exc: ValidationError) -> list[str]:
    """One ``"field: rule"`` line per problem in a pydantic ``ValidationError``.

    Cross-field rules (see :mod:`roi_core.scenario`) raise a single pydantic
    error that carries a ``problems`` list of ``(relative path, message)``
    pairs in its context; each pair becomes its own line.
    """
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        nested = ctx.get("problems")
        if nested:
            for rel, message in nested:
                lines.append(f"{format_loc(loc + tuple(rel))}: {message}")
            continue
        lines.append(f"{format_loc(loc)}: {err['msg']}")
    return lines
