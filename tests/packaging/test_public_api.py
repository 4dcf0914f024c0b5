"""Every module says what it offers: an ``__all__`` that lists only names that exist,
and every public function and class (constants may stay unlisted)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for package in ("roi_core", "roi_store", "roi_ui")
    for path in sorted((ROOT / package).rglob("*.py"))
    if path.name != "__main__.py"
]


def _public_definitions(module: str) -> set[str]:
    path = ROOT / Path(*module.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    }


@pytest.mark.parametrize("module", MODULES)
def test_all_lists_what_exists_and_every_public_definition(module: str) -> None:
    loaded = importlib.import_module(module)
    listed = getattr(loaded, "__all__", None)
    public = _public_definitions(module)
    if listed is None:
        assert not public, f"{module} defines {sorted(public)} but has no __all__"
        return
    assert [name for name in listed if not hasattr(loaded, name)] == []
    assert sorted(public - set(listed)) == []
    assert len(set(listed)) == len(listed)


def test_the_modules_are_found() -> None:
    assert {"roi_core.engine", "roi_store.store", "roi_ui.state", "roi_ui.widgets.risk"} <= set(
        MODULES
    )
