"""The Evidence page through AppTest: the contact-centre and social-mentions sources,
their estimates as the estimators give them, apply and undo, and the page's choices
kept across pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from app_support import current, unescaped
from streamlit.testing.v1 import AppTest

from roi_core import Scenario
from roi_core.contacts import estimate_baseline, read_contacts
from roi_core.mentions import estimate_advocacy, read_mentions
from roi_ui import formatting as fmt
from roi_ui import resources
from roi_ui.widgets.evidence import CONTACTS_SAMPLE, MENTIONS_SAMPLE, SAMPLE_LAUNCH

Start = Callable[..., AppTest]


def evidence(at: AppTest, source: str) -> AppTest:
    at.switch_page("pages/evidence.py").run()
    at.button_group(key="ui.evidence.source").set_value(source).run()
    assert not at.exception
    return at


def test_contact_sample_shows_what_the_estimator_gives(app: Start) -> None:
    at = evidence(app(), "Contact centre")
    assert any("contact-centre export" in i.value for i in at.info)
    at.toggle(key="ui.contacts.sample").set_value(True).run()
    expected = estimate_baseline(
        read_contacts(resources.read_bytes(CONTACTS_SAMPLE), "contacts.csv").export,
        SAMPLE_LAUNCH,
    )
    shown = {m.label: m.value for m in at.metric}
    assert shown["Fewer assisted contacts after the launch"] == fmt.percent(expected.shift.estimate)
    assert shown["Assisted contacts a month"] == fmt.count(
        expected.baseline.monthly_assisted_contacts
    )
    assert shown["Cost per assisted contact"] == "n/a"
    assert any("Enter the hourly cost" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1
    at.number_input(key="ui.contacts.hourly_cost").set_value(30.0).run()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Cost per assisted contact"].startswith("$")
    assert not at.exception


def test_contact_apply_sets_the_scenario_and_undo_restores(app: Start) -> None:
    at = evidence(app(), "Contact centre")
    at.toggle(key="ui.contacts.sample").set_value(True).run()
    at.button(key="contacts.apply").click().run()
    s: Scenario = current(at)
    assert s.levers.social_deflection != Scenario().levers.social_deflection
    assert s.service.monthly_assisted_contacts != Scenario().service.monthly_assisted_contacts
    assert "contact-centre export" in s.description
    said = fmt.percent(s.levers.social_deflection)
    assert any(f"Social deflection {said}" in unescaped(m.value) for m in at.success)
    at.button(key="contacts.undo").click().run()
    assert current(at) == Scenario()


def test_the_source_and_sample_survive_a_trip_to_the_dashboard(app: Start) -> None:
    at = evidence(app(), "Social mentions")
    at.toggle(key="ui.mentions.sample").set_value(True).run()
    at.switch_page("pages/dashboard.py").run()
    at.switch_page("pages/evidence.py").run()
    assert at.button_group(key="ui.evidence.source").value == "Social mentions"
    assert at.toggle(key="ui.mentions.sample").value is True
    assert "Advocate share" in {m.label for m in at.metric}


def test_mentions_sample_apply_sets_the_advocate_share(app: Start) -> None:
    at = evidence(app(), "Social mentions")
    at.toggle(key="ui.mentions.sample").set_value(True).run()
    expected = estimate_advocacy(
        read_mentions(resources.read_bytes(MENTIONS_SAMPLE), "mentions.csv").export
    )
    shown = {m.label: m.value for m in at.metric}
    assert shown["Advocate share"] == fmt.percent(expected.advocate_share.estimate)
    at.button(key="mentions.apply").click().run()
    assert current(at).levers.advocate_share == pytest.approx(expected.advocate_share.estimate)


def test_a_channel_left_out_changes_the_counts(app: Start) -> None:
    at = evidence(app(), "Contact centre")
    at.toggle(key="ui.contacts.sample").set_value(True).run()
    before = {m.label: m.value for m in at.metric}["Assisted contacts a month"]
    at.selectbox(key="ui.contacts.channel.contacts.csv.Phone").set_value("(leave out)").run()
    after = {m.label: m.value for m in at.metric}["Assisted contacts a month"]
    assert after != before
    assert any("left out" in e.label for e in at.expander)


def test_a_mapping_away_from_created_at_is_refused_by_name(app: Start) -> None:
    at = evidence(app(), "Contact centre")
    at.toggle(key="ui.contacts.sample").set_value(True).run()
    at.selectbox(key="ui.contacts.map.contacts.csv.created_at").set_value("(none)").run()
    assert any("no column for created_at" in unescaped(e.value) for e in at.error)
    assert not at.exception


def test_the_old_calibrate_address_opens_evidence_with_the_link(app: Start) -> None:
    at = app(**{"levers.retention_lift": "0.3"})
    at.switch_page("pages/calibrate.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Evidence"]
    assert at.button_group(key="ui.evidence.source").value == "Control group"
    assert current(at).levers.retention_lift == pytest.approx(0.3)
