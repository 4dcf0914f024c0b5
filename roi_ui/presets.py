"""Industry presets: scenario JSON files in ``roi_ui/data/presets/`` with a source note
and a confidence label for every value.

A preset file::

    {
      "id": "telecom",
      "name": "Telecom operator",
      "description": "...",
      "scenario": { ...a scenario as MODEL.md §1... },
      "sources": {
        "service.cost_per_assisted_contact": {"note": "...", "confidence": "S"},
        ...
      }
    }

Confidence follows BENCHMARKS.md: P primary, S secondary, W weak, or
"illustrative" where no published figure supports the value.

The texts people read (a preset's name and description, each source's note) are
English in the files and translated where they are shown, ``_(preset.name)``;
:func:`extract_presets` hands them to ``pybabel extract`` (``babel.cfg``), so they
are in the catalog. The files themselves, and a scenario started from a preset (its
name is the user's from then on), stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from importlib.resources.abc import Traversable
from typing import IO, Literal, Self

from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError
from roi_core.errors import problems_from
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_ui.resources import data

__all__ = [
    "CONFIDENCE_LABELS",
    "PRESET_DIR",
    "Preset",
    "Source",
    "extract_presets",
    "load_presets",
    "preset_files",
    "product_names",
    "shown_name",
    "stored_name",
]

PRESET_DIR: Traversable = data("presets")

Confidence = Literal["P", "S", "W", "illustrative"]

#: How each confidence reads, in English: shown as ``_(CONFIDENCE_LABELS[c])``.
CONFIDENCE_LABELS: dict[str, str] = {
    "P": N_("primary source"),
    "S": N_("secondary source"),
    "W": N_("weak source"),
    "illustrative": N_("illustrative"),
}


class Source(BaseModel, frozen=True, extra="forbid"):
    """Where one preset value comes from."""

    note: str = Field(min_length=1, max_length=300)
    confidence: Confidence


class Preset(BaseModel, frozen=True, extra="forbid"):
    """A named starting scenario with the provenance of each value."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=60)
    description: str = ""
    scenario: Scenario
    sources: dict[str, Source]

    @model_validator(mode="after")
    def _every_value_has_a_source(self) -> Self:
        unknown = sorted(set(self.sources) - set(NUMERIC_FIELDS) - {"business.currency"})
        missing = sorted(set(NUMERIC_FIELDS) - set(self.sources))
        problems = [(("sources", p), "not a numeric field of the scenario") for p in unknown]
        problems += [(("sources", p), "missing: every value needs a source") for p in missing]
        if problems:
            raise PydanticCustomError("sources", "sources incomplete", {"problems": problems})
        return self

    def source(self, path: str) -> Source | None:
        return self.sources.get(path)


def preset_files(directory: Traversable = PRESET_DIR) -> list[Traversable]:
    """The preset files of ``directory``, in file-name order."""
    return sorted(
        (p for p in directory.iterdir() if p.name.endswith(".json")), key=lambda p: p.name
    )


def _load(path: Traversable) -> Preset:
    try:
        preset = Preset.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise ScenarioError([f"{path.name}: not valid JSON ({exc})"]) from None
    except ValidationError as exc:
        raise ScenarioError([f"{path.name}: {line}" for line in problems_from(exc)]) from None
    stem = path.name.removesuffix(".json")
    if preset.id != stem:
        raise ScenarioError([f"{path.name}: id: must equal the file name ({stem!r})"])
    return preset


@lru_cache(maxsize=4)
def load_presets(directory: Traversable = PRESET_DIR) -> dict[str, Preset]:
    """Every preset in ``directory`` by id, in file-name order (validated once per process)."""
    presets = [_load(p) for p in preset_files(directory)]
    return {p.id: p for p in presets}


@lru_cache(maxsize=1)
def product_names() -> frozenset[str]:
    """The scenario names that are the product's text, not someone's: the model's
    default name and every preset's own name."""
    default = Scenario.model_fields["name"].default
    return frozenset({str(default), *(p.name for p in load_presets().values())})


def shown_name(name: str) -> str:
    """A scenario's name as people read it: the product's own names (see
    :func:`product_names`) in the language spoken, a name someone typed as typed.
    The scenario keeps the English, so a link reads alike in every language."""
    return _(name) if name in product_names() else name


def stored_name(text: str) -> str:
    """The name to keep for ``text`` typed into a name field: the product's own
    name back in English when ``text`` is its translation left as shown
    (:func:`shown_name`), otherwise ``text``."""
    return next((n for n in sorted(product_names()) if _(n) == text), text)


def _line_numbers(text: str) -> Iterator[tuple[int, str]]:
    """Each line of ``text`` with its number (from 1)."""
    return enumerate(text.splitlines(), start=1)


def extract_presets(
    fileobj: IO[bytes],
    keywords: Mapping[str, object],
    comment_tags: Collection[str],
    options: Mapping[str, object],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method for a preset file (``babel.cfg``: ``[roi_ui.presets:
    extract_presets: roi_ui/data/presets/*.json]``): its name, its description and
    every source's note, the texts the app shows, as ``(line, None, text, [])``.

    The line is where the text first appears in the file (1 where it cannot be
    found). ``keywords``, ``comment_tags`` and ``options`` are Babel's; unused."""
    text = fileobj.read().decode("utf-8")
    data = json.loads(text)
    found = [data.get("name", ""), data.get("description", "")]
    found += [source.get("note", "") for source in data.get("sources", {}).values()]
    lines = list(_line_numbers(text))
    for message in found:
        if not isinstance(message, str) or not message:
            continue
        quoted = json.dumps(message, ensure_ascii=False)
        lineno = next((n for n, line in lines if quoted in line), 1)
        yield lineno, None, message, []
