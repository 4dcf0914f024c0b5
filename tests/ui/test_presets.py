"""The industry presets in assets/presets/: they load, every value has a source,
and each one is a complete, evaluable business case."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError, evaluate, i18n
from roi_ui.presets import (
    PRESET_DIR,
    Preset,
    _load,
    extract_presets,
    load_presets,
    shown_name,
    stored_name,
)

PRESET_FILES = sorted(PRESET_DIR.glob("*.json"))
PUBLISHED = {"P", "S", "W"}


def _by_file() -> list[Any]:
    return [pytest.param(path, id=path.stem) for path in PRESET_FILES]


def _preset(path: Path) -> Preset:
    return load_presets()[path.stem]


def test_at_least_five_presets_load() -> None:
    presets = load_presets()
    assert len(PRESET_FILES) >= 5
    assert len(presets) == len(PRESET_FILES)
    assert {"telecom", "retail_ecommerce", "saas", "banking", "travel"} <= set(presets)


def test_ids_are_unique_and_match_the_file_names() -> None:
    ids = [_load(path).id for path in PRESET_FILES]
    assert len(set(ids)) == len(ids)
    assert ids == [path.stem for path in PRESET_FILES]


def test_the_currencies_include_usd_eur_and_gbp() -> None:
    currencies = {p.scenario.business.currency for p in load_presets().values()}
    assert {"USD", "EUR", "GBP"} <= currencies


@pytest.mark.parametrize("path", _by_file())
def test_every_numeric_field_has_a_source_with_a_note(path: Path) -> None:
    preset = _preset(path)
    for field in NUMERIC_FIELDS:
        source = preset.source(field)
        assert source is not None, field
        assert source.note.strip(), field


@pytest.mark.parametrize("path", _by_file())
def test_every_group_and_numeric_field_is_given_explicitly(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))["scenario"]
    assert raw["name"] and raw["description"]
    for field in NUMERIC_FIELDS:
        group, name = field.split(".")
        assert name in raw[group], field


@pytest.mark.parametrize("path", _by_file())
def test_some_values_rest_on_published_figures(path: Path) -> None:
    confidences = [s.confidence for s in _preset(path).sources.values()]
    assert sum(c in PUBLISHED for c in confidences) >= 3
    assert "illustrative" in confidences


@pytest.mark.parametrize("path", _by_file())
def test_the_most_uncertain_values_carry_a_range(path: Path) -> None:
    assert 5 <= len(_preset(path).scenario.uncertainty.items()) <= 8


@pytest.mark.parametrize("path", _by_file())
def test_every_preset_evaluates_to_a_business_case_that_pays_back(path: Path) -> None:
    preset = _preset(path)
    summary = evaluate(preset.scenario).summary
    assert math.isfinite(summary.npv)
    assert summary.payback_months is not None
    assert summary.payback_months <= preset.scenario.finance.horizon_months
    assert summary.roi is not None and summary.roi_hard is not None
    assert summary.roi_hard < summary.roi


def _write_broken(tmp_path: Path, change: Any) -> Path:
    data = json.loads((PRESET_DIR / "telecom.json").read_text(encoding="utf-8"))
    change(data)
    target = tmp_path / "broken.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_a_preset_missing_a_source_is_an_error_naming_file_and_field(tmp_path: Path) -> None:
    _write_broken(tmp_path, lambda d: d["sources"].pop("levers.save_rate"))
    with pytest.raises(ScenarioError) as info:
        load_presets.__wrapped__(tmp_path)
    assert "broken.json" in str(info.value)
    assert "levers.save_rate" in str(info.value)


def test_a_preset_with_a_bad_value_is_an_error_naming_file_and_field(tmp_path: Path) -> None:
    def bad_value(data: dict[str, Any]) -> None:
        data["scenario"]["business"]["monthly_churn_rate"] = 1.5

    _write_broken(tmp_path, bad_value)
    with pytest.raises(ScenarioError) as info:
        load_presets.__wrapped__(tmp_path)
    assert all(line.startswith("broken.json: ") for line in info.value.problems)
    assert "business.monthly_churn_rate" in str(info.value)


# --- translation: the texts a preset shows are in the catalog ------------------------------


@pytest.mark.parametrize("path", _by_file())
def test_the_extractor_yields_every_display_text_of_a_preset(path: Path) -> None:
    preset = _preset(path)
    with path.open("rb") as f:
        found = list(extract_presets(f, {}, [], {}))
    messages = [message for _line, _func, message, _comments in found]
    assert preset.name in messages
    assert preset.description in messages
    assert {s.note for s in preset.sources.values()} <= set(messages)
    lines = path.read_text(encoding="utf-8").splitlines()
    for line, func, message, comments in found:
        assert func is None and comments == []
        assert json.dumps(message, ensure_ascii=False) in lines[line - 1]  # the line it is on


def test_babel_cfg_extracts_the_preset_files() -> None:
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = Path(__file__).resolve().parents[2]
    with (root / "babel.cfg").open() as f:
        method_map, _options = parse_mapping_cfg(f)
    presets = [(p, m) for p, m in method_map if p.endswith(".json")]
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            root / "roi_ui" / "data" / "presets", [(p.rsplit("/", 1)[1], m) for p, m in presets]
        )
    }
    assert {p.name for p in load_presets().values()} <= found


def test_the_products_own_names_are_shown_translated_and_kept_in_english() -> None:
    telecom = load_presets()["telecom"].name
    default = Scenario().name
    with i18n.language("id"):
        for name in (telecom, default):
            shown = shown_name(name)
            assert shown == i18n.gettext(name) and shown != name
            assert stored_name(shown) == name  # left as shown: the English is kept
            assert stored_name(name) == name
        assert shown_name("Acme: Telecom operator") == "Acme: Telecom operator"  # typed: theirs
        assert stored_name("Kasus Acme") == "Kasus Acme"
    assert shown_name(telecom) == telecom  # English: as it is
    assert stored_name(telecom) == telecom
