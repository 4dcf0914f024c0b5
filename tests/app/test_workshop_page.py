"""Workshop rooms through AppTest: create, join, submit, board, facilitator actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from app_support import current, session, shown_text
from streamlit.testing.v1 import AppTest

from roi_core import Scenario, with_values
from roi_ui import cache

APP = Path(__file__).resolve().parents[2] / "app.py"

Start = Callable[..., AppTest]


pytestmark = pytest.mark.usefixtures("store")


def workshop(at: AppTest) -> AppTest:
    at.switch_page("pages/workshop.py").run()
    assert not at.exception
    return at


def open_workshop(**query: str) -> AppTest:
    """The workshop page opened directly at a link, as a browser would."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(query)
    at.switch_page("pages/workshop.py")
    at.run()
    assert not at.exception
    return at


def create_room(app: Start) -> tuple[str, str]:
    at = workshop(app())
    at.text_input(key="ui.workshop.new.name").set_value("Q3 <b>session</b>").run()
    next(b for b in at.button if b.label == "Create the room").click().run()
    assert not at.exception
    who = session(at).workshop
    return who.room, who.token


def test_create_room_shows_the_board_with_code_and_qr(app: Start) -> None:
    code, token = create_room(app)
    at = open_workshop(room=code, token=token)
    assert any(t.value == "Room: Q3 <b>session</b>" for t in at.text)  # text, not markup
    assert any(code in c.value for c in at.code)
    assert at.get("image")  # the QR code
    assert any("Waiting for the first submission" in i.value for i in at.info)


def test_team_joins_moves_an_open_lever_and_submits(app: Start) -> None:
    code, token = create_room(app)
    team = open_workshop(room=code)
    team.text_input(key=f"ui.workshop.join.{code}").set_value("Blue <i>team</i>")
    next(b for b in team.button if b.label == "Join").click().run()
    assert not team.exception
    team.slider(key="w.levers.retention_lift").set_value(25.0).run()
    next(b for b in team.button if b.label == "Submit our case").click().run()
    assert any("version 1" in s.value for s in team.success)
    subs = cache.store().submissions(code)
    assert [(s.team, s.version) for s in subs] == [("Blue <i>team</i>", 1)]
    assert subs[0].scenario == with_values(Scenario(), {"levers.retention_lift": 0.25})
    # Only open levers are drawn for a team.
    with pytest.raises(KeyError):
        team.slider(key="w.costs.setup")
    board = open_workshop(room=code, token=token)
    assert [m.value for m in board.metric if m.label == "Teams that submitted"] == ["1"]
    names = board.dataframe[0].value["Team"].tolist()
    assert names == ["Team 1"]  # hidden until revealed
    assert board.dataframe[0].value["Retention lift"].tolist() == ["25.0%"]  # as teams see it
    board.toggle(key=f"workshop.reveal.{code}").set_value(True).run()
    assert board.dataframe[0].value["Team"].tolist() == ["Blue <i>team</i>"]
    # The team's secret link brings the same team back in a new session.
    secret = session(team).workshop.team_secret
    again = open_workshop(room=code, team=secret)
    assert any(t.value == "Team: Blue <i>team</i>" for t in again.text)
    assert current(again).levers.retention_lift == 0.25  # its last submission
    assert not [t for t in again.text_input if t.key == f"ui.workshop.join.{code}"]


def test_a_wrong_token_gets_no_board_and_a_locked_room_takes_nothing(app: Start) -> None:
    code, token = create_room(app)
    at = open_workshop(room=code, token="guess")
    assert any("not valid" in e.value for e in at.error)
    board = open_workshop(room=code, token=token)
    next(b for b in board.button if b.label == "Yes, lock it").click().run()  # lock asks first
    assert any(b.label == "Unlock the room" for b in board.button)
    team = open_workshop(room=code)
    team.text_input(key=f"ui.workshop.join.{code}").set_value("Late")
    next(b for b in team.button if b.label == "Join").click().run()
    assert "locked by the facilitator" in shown_text(team)  # no joining a locked room
    assert not [b for b in team.button if b.label == "Submit our case"]


def test_unknown_room_says_so(app: Start) -> None:
    at = open_workshop(room="NOROOM")
    assert "no such room" in shown_text(at)
    assert any(b.label == "Create the room" for b in at.button)  # back at the start


def _corrupt(sql: str, **params: str) -> None:
    """Write what a later rule no longer accepts, straight into the store."""
    from sqlalchemy import text

    with cache.store().engine.begin() as conn:
        conn.execute(text(sql), params)


def test_a_room_whose_stored_scenario_no_longer_validates_is_a_message(app: Start) -> None:
    code, token = create_room(app)
    _corrupt("UPDATE rooms SET scenario_json = :bad WHERE code = :code",
             bad='{"levers": {"save_rate": 7}}', code=code)  # fmt: skip
    for at in (open_workshop(room=code), open_workshop(room=code, token=token)):
        assert not at.exception
        said = shown_text(at)
        assert "no longer validates" in said and "levers.save_rate" in said


def test_a_submission_that_no_longer_validates_is_left_out_and_named(app: Start) -> None:
    code, token = create_room(app)
    for name in ("Red", "Blue"):
        _, secret = cache.store().join(code, name)
        cache.store().submit(code, secret, Scenario())
    _corrupt("UPDATE submissions SET scenario_json = :bad WHERE team = 'Red'",
             bad='{"levers": {"retention_lift": -1}}')  # fmt: skip
    board = open_workshop(room=code, token=token)
    assert not board.exception
    assert [m.value for m in board.metric if m.label == "Teams that submitted"] == ["1"]
    assert any(t.value.startswith("Left out:") and "Red" in t.value for t in board.text)
    assert any("no longer validate" in w.value for w in board.warning)  # no partial export


def test_two_facilitator_tabs_never_overwrite_each_others_reveal(app: Start) -> None:
    code, token = create_room(app)
    first = open_workshop(room=code, token=token)
    second = open_workshop(room=code, token=token)
    first.toggle(key=f"workshop.reveal.{code}").set_value(True).run()
    assert cache.store().room(code).reveal
    # The second tab still shows "hidden": turning names "on" there changes nothing,
    # and turning them "off" from a stale "on" is refused rather than written blind.
    second.toggle(key=f"workshop.reveal.{code}").set_value(True).run()
    assert cache.store().room(code).reveal
    assert (
        "changed this a moment ago" in shown_text(second)
        or second.toggle(key=f"workshop.reveal.{code}").value
    )
    stale = open_workshop(room=code, token=token)  # shows "on"
    first.toggle(key=f"workshop.reveal.{code}").set_value(False).run()  # someone hides them
    stale.toggle(key=f"workshop.reveal.{code}").set_value(False).run()  # a stale "off" click
    assert not cache.store().room(code).reveal
    assert "changed this a moment ago" in shown_text(stale)


def test_a_closed_room_stops_the_live_board_and_says_so(app: Start) -> None:
    code, token = create_room(app)
    team = open_workshop(room=code)
    cache.store().delete_room(code, token)
    team.run()  # the next refresh
    assert not team.exception
    assert "no such room" in shown_text(team)
    assert session(team).workshop.room == ""  # no more asking for it
