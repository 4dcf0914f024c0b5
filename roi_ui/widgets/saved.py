"""Saved scenarios on the dashboard: save by name, load anyone's, rename or delete
your own (the session's owner key, :func:`roi_ui.state.owner_key`, owns what it
saved). Delete asks first; a scenario someone else just deleted is a message.

The store (and SQLAlchemy) is imported only when this panel is drawn.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import streamlit as st

from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_ui import cache, state
from roi_ui.presets import shown_name
from roi_ui.text import clean_text
from roi_ui.widgets import common

if TYPE_CHECKING:
    from roi_store import Store

__all__ = ["panel"]

_HERE = "saved"


def _store() -> Store:
    return cache.store()


def _on_save() -> None:
    from roi_store import StoreError

    name = str(state.choice("saved.name") or shown_name(state.scenario().name))
    owner = str(state.choice("saved.owner") or "")
    try:
        saved = _store().save_scenario(name, state.scenario(), owner, owner_key=state.owner_key())
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.flash("success", _("Saved as {name}.").format(name=repr(saved.name)), where=_HERE)


def _on_load(scenario_id: int, name: str) -> None:
    from roi_store import StoreError

    try:
        loaded = _store().load_scenario(scenario_id)
    except StoreError as exc:
        state.flash(
            "error",
            _("{name} could not be loaded: {problem}").format(name=repr(name), problem=exc),
            where=_HERE,
        )
        return
    state.load(
        loaded, N_("the saved scenario {name}"), origin="saved", label_args={"name": repr(name)}
    )
    state.request_app_rerun()


def _on_rename(scenario_id: int, name: str) -> None:
    from roi_store import StoreError

    new = str(state.choice(f"saved.rename.{scenario_id}") or "")
    try:
        _store().rename_scenario(scenario_id, new, owner_key=state.owner_key())
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.flash(
        "success",
        _("{name} is now {new_name}.").format(name=repr(name), new_name=repr(clean_text(new, 80))),
        where=_HERE,
    )


def _on_delete(scenario_id: int, name: str) -> None:
    from roi_store import NoSuchScenario, StoreError

    try:
        _store().delete_scenario(scenario_id, owner_key=state.owner_key())
    except NoSuchScenario:
        state.flash(
            "info",
            _("{name} was already deleted (by someone else?).").format(name=repr(name)),
            where=_HERE,
        )
        return
    except StoreError as exc:
        state.flash("error", str(exc), where=_HERE)
        return
    state.flash("success", _("Deleted {name}.").format(name=repr(name)), where=_HERE)


def _row_text(name: str, owner: str | None, *, mine: bool, when: datetime) -> str:
    """A saved scenario in the list: its name, whose it is, when it was saved (UTC)."""
    time = f"{when:%Y-%m-%d %H:%M}"
    if owner and mine:
        text = _("{name} by {owner} (yours), {time} UTC")
    elif owner:
        text = _("{name} by {owner}, {time} UTC")
    elif mine:
        text = _("{name} (yours), {time} UTC")
    else:
        text = _("{name}, {time} UTC")
    return text.format(name=name, owner=owner, time=time)


def panel() -> None:
    """Save the scenario by name; the list of saved scenarios, newest first."""
    left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    left.text_input(
        _("Your name"),
        max_chars=60,
        help=_("Saved with the scenario, so a team knows whose it is."),
        **state.bind_choice("saved.owner", ""),
    )
    default = shown_name(state.scenario().name)
    mid.text_input(_("Save as"), max_chars=80, **state.bind_choice("saved.name", default))
    right.button(_("Save"), icon=":material/save:", width="stretch", on_click=_on_save)
    common.messages(_HERE)
    saved = _store().list_scenarios(owner_key=state.owner_key())
    if not saved:
        st.caption(_("Nothing saved yet."))
    for item in saved[:50]:
        row = st.columns([4, 1, 1, 1], vertical_alignment="center")
        row[0].text(_row_text(item.name, item.owner, mine=item.mine, when=item.updated_at))
        row[1].button(
            _("Load"),
            key=f"saved.load.{item.id}",
            on_click=_on_load,
            args=(item.id, item.name),
            width="stretch",
        )
        if not item.mine:
            continue
        with row[2].popover(_("Rename"), width="stretch"):
            st.text_input(
                _("New name"),
                max_chars=80,
                **state.bind_choice(f"saved.rename.{item.id}", item.name),
            )
            st.button(
                _("Rename"),
                key=f"saved.rename.go.{item.id}",
                on_click=_on_rename,
                args=(item.id, item.name),
            )
        with row[3].popover(_("Delete"), width="stretch"):
            st.text(
                _("Delete {name} for good? Nobody can load it afterwards.").format(
                    name=repr(item.name)
                )
            )
            st.button(
                _("Yes, delete it"),
                key=f"saved.delete.{item.id}",
                type="primary",
                on_click=_on_delete,
                args=(item.id, item.name),
            )
