"""Named exceptions of the model, and the one place that words a validation problem.

Every problem a user can cause is reported as ``"<field path>: <rule>"`` so that
the CLI, the dashboard and the tests all speak of a field by the name MODEL.md
gives it (``levers.save_rate``, ``other_items[2].end_month``). A problem is one
printable line, whatever the input held: a field name with a line break or an
unpaired surrogate in it is shown escaped (``bogus\\nname``).

The rule is in the language being spoken (:mod:`roi_core.i18n`); the field path
never is translated. In English a pydantic rule is pydantic's own message, word
for word; in another language it is :data:`RULES`' template for its error type,
translated, with its numbers written the way that language writes them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from babel.lists import format_list
from babel.numbers import format_decimal
from pydantic import ValidationError

from roi_core import i18n
from roi_core.i18n import N_
from roi_core.i18n import gettext as _

__all__ = [
    "RULES",
    "AnalysisError",
    "ROIError",
    "ScenarioError",
    "format_loc",
    "plain_number",
    "printable",
    "problems_from",
    "rule",
]


def plain_number(x: float) -> str:
    """A number as people write it in a sentence: up to ten significant digits,
    thousands separated, never in scientific notation; in the separators of the
    language being spoken (``2.000.000``, ``0,125`` in Indonesian).

    >>> plain_number(2e6), plain_number(0.125), plain_number(1e12), plain_number(-0.0)
    ('2,000,000', '0.125', '1,000,000,000,000', '0')
    """
    if not math.isfinite(x):
        return str(x)
    rounded = Decimal(f"{x:.10g}").normalize()
    if i18n.current() == i18n.DEFAULT:
        text = format(rounded, ",f")
    else:
        text = format_decimal(rounded, locale=i18n.locale(), decimal_quantization=False)
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
        self.problems: tuple[str, ...] = lines or (_("scenario: invalid"),)
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


#: pydantic's error types, each with its rule in our words. The English is pydantic's
#: message exactly (shown as pydantic words it); the placeholders are its context's.
#: Our own errors (``number_type``, ``text_control``, cross-field rules) are worded,
#: in the language being spoken, where they are raised (roi_core.scenario).
RULES: dict[str, str] = {
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "less_than": N_("Input should be less than {lt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "finite_number": N_("Input should be a finite number"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "int_type": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_parsing_size": N_("Unable to parse input string as an integer, exceeded maximum size"),
    "bool_type": N_("Input should be a valid boolean"),
    "string_type": N_("Input should be a valid string"),
    "string_too_short": N_("String should have at least {min_length} character(s)"),
    "string_too_long": N_("String should have at most {max_length} character(s)"),
    "literal_error": N_("Input should be {expected}"),
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "tuple_type": N_("Input should be a valid tuple"),
    "list_type": N_("Input should be a valid list"),
    "too_short": N_(
        "Should have at least {min_length} item(s) after validation, not {actual_length}"
    ),
    "too_long": N_(
        "Should have at most {max_length} item(s) after validation, not {actual_length}"
    ),
    "none_required": N_("Input should be None"),
    "recursion_loop": N_("Recursion error - cyclic reference detected"),
    "ISO4217": N_("Invalid ISO 4217 currency code. See https://en.wikipedia.org/wiki/ISO_4217"),
}

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _shown(key: str, value: Any) -> str:
    """A context value of a pydantic error as the rule shows it: numbers in the
    language's separators, a literal's choices joined with its "or"."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return plain_number(float(value)) if abs(value) < 1e16 else str(value)
    text = str(value)
    if key == "expected":
        choices = [f"'{c}'" for c in _QUOTED.findall(text)]
        if choices:
            return format_list(choices, style="or", locale=i18n.locale())
    return text


def rule(err: Mapping[str, Any]) -> str:
    """The rule a pydantic error (one of ``ValidationError.errors()``) states, in the
    language being spoken: pydantic's message in English, else :data:`RULES`'."""
    template = RULES.get(err["type"])
    if template is None or i18n.current() == i18n.DEFAULT:
        return str(err["msg"])
    ctx = err.get("ctx") or {}
    try:
        return _(template).format(**{k: _shown(k, v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):  # a context pydantic words differently
        return str(err["msg"])


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
        lines.append(f"{format_loc(loc)}: {rule(err)}")
    return lines
