"""Workshop rooms at conference scale: teams with secret links, names nobody can take
over, a read-only projector secret, compare-and-set for the facilitator's switches,
full validation of submissions, UTC timestamps and rooms that expire."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import func, select, update

import roi_store.store as store_module
from roi_core import Scenario, scenario_from_dict, with_values
from roi_core.scenario import Levers
from roi_store import (
    Conflict,
    CreatedRoom,
    NameTaken,
    NoSuchRoom,
    NoSuchTeam,
    NotOpen,
    RoomLocked,
    Store,
    StoredScenarioInvalid,
    StoreError,
    Team,
)
from roi_store.schema import client_events, rooms, submissions, teams

OPEN = ["levers.retention_lift", "levers.social_deflection"]
LIFT = {"levers.retention_lift": 0.25}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def count(store: Store, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


@pytest.fixture
def made(store: Store) -> CreatedRoom:
    return store.create_room("Q3 workshop", Scenario(), OPEN)


# --- teams -------------------------------------------------------------------------------------


def test_a_team_gets_a_secret_and_only_its_hash_is_stored(store: Store, made: CreatedRoom) -> None:
    code = made.room.code
    team, secret = store.join(code.lower(), "  Blue   team ")
    assert isinstance(team, Team)
    assert (team.room_code, team.name) == (code, "Blue team")
    assert len(secret) == 32 and secret.replace("-", "").replace("_", "").isalnum()
    assert store.team(code, secret) == team
    assert store.latest(code, secret) is None  # joined, nothing submitted yet
    with store.engine.connect() as conn:
        row = conn.execute(select(teams).where(teams.c.id == team.id)).one()
    assert row.secret_hash == sha256(secret)
    assert secret not in [str(v) for v in row]
    _, other = store.join(code, "Red")
    assert other != secret


def test_a_taken_name_is_refused_compared_case_width_and_space_insensitively(
    store: Store, made: CreatedRoom
) -> None:
    code = made.room.code
    store.join(code, "Blue team")
    for same in (
        "blue  TEAM",
        " BLUE team ",
        "\uff22\uff4c\uff55\uff45 team",
        "Blue team\u200b",
        "Blue\tteam",
    ):
        with pytest.raises(NameTaken) as taken:
            store.join(code, same)
        assert taken.value.name == " ".join(same.split())
    assert str(taken.value) == (
        "team name: 'Blue team' is taken in this room — choose another name, or open your team link"
    )
    assert store.join(code, "Blue team 2")[0].name == "Blue team 2"
    other = store.create_room("Another room", Scenario(), OPEN).room
    assert store.join(other.code, "blue team")[0].name == "blue team"  # per room


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\x00\x01"])
def test_a_team_name_must_say_something(store: Store, made: CreatedRoom, name: str) -> None:
    with pytest.raises(StoreError, match="team name: must not be empty"):
        store.join(made.room.code, name)


def test_control_characters_are_dropped_from_names(store: Store, made: CreatedRoom) -> None:
    team, _ = store.join(made.room.code, "Bl\x00ue\x07")
    assert team.name == "Blue"
    with pytest.raises(NameTaken):
        store.join(made.room.code, "blue")


def test_a_team_link_rejoins_its_team_with_its_last_submission(
    store: Store, made: CreatedRoom, url: str
) -> None:
    code = made.room.code
    team, secret = store.join(code, "Blue")
    store.submit(code, secret, with_values(Scenario(), {"levers.retention_lift": 0.2}))
    second = store.submit(code, secret, with_values(Scenario(), LIFT))
    replica = Store(url)  # another app process: a reload landed there
    try:
        assert replica.team(code, secret) == team
        latest = replica.latest(code, secret)
        assert latest is not None
        assert (latest.team, latest.version, latest.scenario) == ("Blue", 2, second.scenario)
        assert replica.submit(code, secret, Scenario()).version == 3
    finally:
        replica.close()


def test_a_secret_that_is_no_team_s(store: Store, made: CreatedRoom) -> None:
    code = made.room.code
    _, secret = store.join(code, "Blue")
    other = store.create_room("Other", Scenario(), OPEN).room
    _, elsewhere = store.join(other.code, "Red")
    for wrong in (secret + "x", elsewhere, made.token, made.view, ""):
        with pytest.raises(NoSuchTeam) as unknown:
            store.team(code, wrong)
        with pytest.raises(NoSuchTeam):
            store.submit(code, wrong, Scenario())
        with pytest.raises(NoSuchTeam):
            store.latest(code, wrong)
    assert str(unknown.value) == (
        f"team link: no team of room {code} has this link; join the room under a team name"
    )
    with pytest.raises(NoSuchRoom):
        store.team("ZZZZZZ", secret)
    assert count(store, submissions) == 0


def test_a_locked_room_takes_no_joins_and_no_submissions(store: Store, made: CreatedRoom) -> None:
    code = made.room.code
    _, secret = store.join(code, "Blue")
    store.set_locked(code, made.token, True, expected=False)
    with pytest.raises(RoomLocked) as locked:
        store.join(code, "Red")
    assert str(locked.value) == f"room {code}: locked by the facilitator"
    with pytest.raises(RoomLocked):
        store.submit(code, secret, Scenario())
    assert store.team(code, secret).name == "Blue"  # a locked room still knows its teams
    store.set_locked(code, made.token, False, expected=True)
    assert store.submit(code, secret, Scenario()).version == 1
    store.join(code, "Red")


def test_a_room_holds_so_many_teams_and_a_team_so_many_versions(
    store: Store, made: CreatedRoom, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "MAX_TEAMS_PER_ROOM", 2)
    monkeypatch.setattr(store_module, "MAX_VERSIONS_PER_TEAM", 2)
    code = made.room.code
    _, secret = store.join(code, "Blue")
    store.join(code, "Red")
    with pytest.raises(StoreError, match=f"room {code}: full \\(2 teams\\)"):
        store.join(code, "Green")
    store.submit(code, secret, Scenario())
    store.submit(code, secret, Scenario())
    with pytest.raises(StoreError, match="team 'Blue': at most 2 submissions"):
        store.submit(code, secret, Scenario())


def test_latest_says_when_the_stored_submission_no_longer_validates(
    store: Store, made: CreatedRoom
) -> None:
    code = made.room.code
    _, secret = store.join(code, "Blue")
    store.submit(code, secret, Scenario())
    with store.engine.begin() as conn:
        conn.execute(update(submissions).values(scenario_json="[]"))
    with pytest.raises(StoredScenarioInvalid, match=f"room {code}, team 'Blue' version 1"):
        store.latest(code, secret)


# --- the projector view ------------------------------------------------------------------------


def test_the_projector_view_has_its_own_secret(store: Store, made: CreatedRoom) -> None:
    code = made.room.code
    _, team_secret = store.join(code, "Blue")
    assert made.view != made.token
    assert store.is_viewer(code, made.view) and store.is_viewer(code.lower(), made.view)
    for not_a_view in (made.token, team_secret, "", made.view + "x"):
        assert not store.is_viewer(code, not_a_view)
    assert not store.is_viewer("ZZZZZZ", made.view)
    assert not store.is_facilitator(code, made.view)  # the display secret opens no controls
    with store.engine.connect() as conn:
        row = conn.execute(select(rooms).where(rooms.c.id == made.room.id)).one()
    assert (row.view_hash, row.token_hash) == (sha256(made.view), sha256(made.token))
    assert not {made.view, made.token} & {str(v) for v in row}
    renewed = store.renew_view(code, made.token)
    assert store.is_viewer(code, renewed) and not store.is_viewer(code, made.view)


# --- the facilitator's switches ----------------------------------------------------------------


def test_lock_and_reveal_are_compare_and_set(store: Store, made: CreatedRoom) -> None:
    code, token = made.room.code, made.token
    locked = store.set_locked(code, token, True, expected=False)
    assert (locked.locked, locked.reveal) == (True, False)
    with pytest.raises(Conflict) as lost:  # a second tab that still showed "unlocked"
        store.set_locked(code, token, True, expected=False)
    assert str(lost.value) == "someone else changed this a moment ago; the board shows it now"
    assert (lost.value.field, lost.value.stored) == ("locked", True)
    with pytest.raises(Conflict):
        store.set_locked(code, token, False, expected=False)
    assert store.room(code).locked  # nothing written by a lost compare-and-set
    assert not store.set_locked(code, token, False, expected=True).locked
    assert store.set_reveal(code, token, True, expected=False).reveal
    with pytest.raises(Conflict) as hidden:
        store.set_reveal(code, token, False, expected=False)
    assert (hidden.value.field, hidden.value.stored) == ("reveal", True)
    assert store.set_reveal(code, token, True, expected=True).reveal  # unchanged: fine


# --- what a submission may change --------------------------------------------------------------


def changed(**parts: Any) -> Scenario:
    data = Scenario().model_dump(mode="json")
    for path, value in parts.items():
        where = data
        *groups, last = path.split("__")
        for group in groups:
            where = where[group]
        where[last] = value
    return scenario_from_dict(data)


ITEM = {"name": "Focus group", "kind": "benefit", "amount": 5_000.0}


@pytest.mark.parametrize(
    ("submitted", "named"),
    [
        (changed(business__currency="EUR"), "business.currency"),
        (changed(name="Our case"), "name"),
        (changed(description="cheaper"), "description"),
        (changed(other_items=[ITEM]), "other_items"),
        (changed(business__customers=1), "business.customers"),
        (changed(finance__discount_rate=0.0), "finance.discount_rate"),
        (changed(levers__save_rate=0.5), "levers.save_rate"),
        (
            changed(uncertainty__levers={"save_rate": {"low": 0.1, "high": 0.3}}),
            "uncertainty.levers.save_rate",
        ),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_only_the_open_levers_and_their_ranges_may_differ(
    store: Store, made: CreatedRoom, submitted: Scenario, named: str
) -> None:
    _, secret = store.join(made.room.code, "Blue")
    with pytest.raises(NotOpen) as refused:
        store.submit(made.room.code, secret, submitted)
    assert str(refused.value) == f"{named}: not open in this room"
    assert refused.value.fields == (named,)
    assert isinstance(refused.value, StoreError)
    assert count(store, submissions) == 0


def test_every_difference_is_named(store: Store, made: CreatedRoom) -> None:
    _, secret = store.join(made.room.code, "Blue")
    both = changed(business__currency="EUR", other_items=[ITEM], levers__retention_lift=0.3)
    with pytest.raises(NotOpen) as refused:
        store.submit(made.room.code, secret, both)
    assert str(refused.value) == (
        "business.currency: not open in this room; other_items: not open in this room"
    )


def test_open_levers_and_their_ranges_may_move(store: Store, made: CreatedRoom) -> None:
    _, secret = store.join(made.room.code, "Blue")
    ranged = changed(
        levers__retention_lift=0.3,
        levers__social_deflection=0.2,
        uncertainty__levers={"retention_lift": {"low": 0.1, "high": 0.4}},
    )
    kept = store.submit(made.room.code, secret, ranged)
    assert kept.scenario == ranged
    [shown] = store.submissions(made.room.code)
    assert shown.scenario.uncertainty.get("levers.retention_lift") is not None


def test_a_submission_that_does_not_validate_is_refused(store: Store, made: CreatedRoom) -> None:
    _, secret = store.join(made.room.code, "Blue")
    levers = Levers.model_construct(**(Levers().model_dump() | {"retention_lift": 5.0}))
    unchecked = Scenario().model_copy(update={"levers": levers})  # built without validation
    with pytest.raises(StoreError, match=r"^submission: levers\.retention_lift: Input should"):
        store.submit(made.room.code, secret, unchecked)
    with pytest.raises(StoreError, match=r"^room scenario: levers\.retention_lift"):
        store.create_room("Bad", unchecked, OPEN)
    assert count(store, submissions) == 0


# --- timestamps --------------------------------------------------------------------------------


def in_utc(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


def test_every_timestamp_is_aware_utc_and_exports_carry_the_offset(url: str, key: str) -> None:
    if url.startswith("postgresql"):  # a session in another time zone still reads UTC
        url += ("&" if "?" in url else "?") + "options=" + quote("-c timezone=Asia/Kolkata")
    store = Store(url)
    try:
        made = store.create_room("Q3", Scenario(), OPEN)
        code = made.room.code
        team, secret = store.join(code, "Blue")
        sent = store.submit(code, secret, Scenario())
        room = store.room(code)
        latest = store.latest(code, secret)
        saved = store.save_scenario("Pitch", Scenario(), owner_key=key)
        [listed] = store.list_scenarios(key)
        assert latest is not None
        moments = [
            made.room.created_at,
            made.room.last_activity,
            made.room.expires_at,
            room.created_at,
            room.last_activity,
            room.expires_at,
            team.created_at,
            store.team(code, secret).created_at,
            sent.created_at,
            latest.created_at,
            store.submissions(code)[0].created_at,
            saved.created_at,
            listed.created_at,
            listed.updated_at,
        ]
        assert all(in_utc(m) for m in moments), moments
        assert latest.created_at == sent.created_at  # no wall-clock shift on the way
        assert room.created_at == made.room.created_at
        [row] = store.export(code, made.token)
        assert row["submitted_at"].endswith("+00:00")
        assert datetime.fromisoformat(row["submitted_at"]) == sent.created_at
    finally:
        store.close()


# --- expiry ------------------------------------------------------------------------------------


def test_rooms_expire_after_their_time_to_live_idle(store: Store, clock: Any) -> None:
    start = clock.now
    busy = store.create_room("Busy", Scenario(), OPEN)
    idle = store.create_room("Idle", Scenario(), OPEN)
    assert busy.room.expires_at == start + timedelta(days=7)
    _, secret = store.join(idle.room.code, "Blue")
    store.submit(idle.room.code, secret, Scenario())
    clock.advance(days=5)
    store.submit(busy.room.code, store.join(busy.room.code, "Red")[1], Scenario())
    assert store.room(busy.room.code).expires_at == start + timedelta(days=12)
    clock.advance(days=3)  # idle: 8 days without activity; busy: 3
    with pytest.raises(NoSuchRoom):  # gone for everyone, even before it is purged
        store.room(idle.room.code)
    assert not store.is_facilitator(idle.room.code, idle.token)
    assert store.room(busy.room.code).name == "Busy"
    assert store.purge_expired() == 1
    assert (count(store, rooms), count(store, teams), count(store, submissions)) == (1, 1, 1)
    assert store.purge_expired() == 0
    clock.advance(days=3)
    store.set_reveal(busy.room.code, busy.token, True, expected=False)  # a facilitator action
    clock.advance(days=6)  # 6 days after it: still live
    assert store.room(busy.room.code).last_activity == start + timedelta(days=11)
    clock.advance(days=2)
    store.create_room("New", Scenario(), OPEN)  # creating a room purges the expired
    assert count(store, rooms) == 1 and count(store, teams) == 0


def test_purge_takes_the_moment_in_any_time_zone(store: Store, made: CreatedRoom) -> None:
    later = made.room.last_activity + timedelta(days=7, minutes=1)
    elsewhere = later.astimezone(UTC).astimezone(
        datetime.now().astimezone().tzinfo or UTC
    )  # the same moment, written in the machine's zone
    assert store.purge_expired(later - timedelta(minutes=2)) == 0
    assert store.purge_expired(elsewhere) == 1


def test_the_time_to_live_comes_from_the_environment(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ROI_ROOM_TTL_DAYS", raising=False)
    store = Store(url)
    assert store.room_ttl == timedelta(days=7)
    store.close()
    monkeypatch.setenv("ROI_ROOM_TTL_DAYS", "0.5")
    store = Store(url)
    assert store.room_ttl == timedelta(hours=12)
    store.close()
    store = Store(url, room_ttl=timedelta(days=30))  # an argument wins
    assert store.room_ttl == timedelta(days=30)
    store.close()
    for bad in ("seven", "0", "-1", "nan"):
        monkeypatch.setenv("ROI_ROOM_TTL_DAYS", bad)
        with pytest.raises(StoreError, match="ROI_ROOM_TTL_DAYS: must be a number of days"):
            Store(url)


def kinds(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        query = select(client_events.c.kind, client_events.c.client).order_by(client_events.c.id)
        return [(r.kind, r.client) for r in conn.execute(query)]


def test_old_client_events_are_pruned(store: Store, clock: Any) -> None:
    store.create_room("Q3", Scenario(), OPEN, client="203.0.113.7")
    with pytest.raises(NoSuchRoom):
        store.room("ZZZZZZ", client="203.0.113.7")
    kept = kinds(store)
    assert sorted(kind for kind, _ in kept) == ["create", "miss"]
    assert {who for _, who in kept} == {sha256("203.0.113.7")}  # never the address itself
    clock.advance(hours=2)
    store.purge_expired()
    assert [kind for kind, _ in kinds(store)] == ["miss"]  # creations count for an hour
    clock.advance(days=1)
    store.purge_expired()
    assert count(store, client_events) == 0  # wrong codes are remembered for a day


def test_the_facilitator_can_always_show_the_projector_link_again(store: Store) -> None:
    """The projector secret follows from the facilitator's token: a facilitator who
    comes back with only the board link gets the same projector link; nobody else
    gets one, and the projector secret does not open the board."""
    from roi_store import NotFacilitator, projector_secret

    created = store.create_room("Offsite", Scenario(), ["levers.save_rate"])
    code = created.room.code
    assert created.view == projector_secret(created.token) == store.view_secret(code, created.token)
    assert store.is_viewer(code, created.view)
    assert not store.is_facilitator(code, created.view)
    with pytest.raises(NotFacilitator):
        store.view_secret(code, created.view)
