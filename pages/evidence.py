"""Evidence: measure instead of assuming. Three sources, each a file (or a sample) ->
column mapping -> validated table (cached) -> estimates with intervals -> apply / undo:

* a customer table with a control group (roi_ui.widgets.calibrate): retention,
  contacts and cross-sell of engaged customers against the rest;
* a contact-centre export (roi_ui.widgets.evidence): the service baseline and the
  measured shift to social care;
* a social-mentions export (roi_ui.widgets.evidence): the advocate share.
"""

import streamlit as st

from roi_core.i18n import gettext as _
from roi_ui import state
from roi_ui.widgets import calibrate, evidence

state.page_start()
st.title(_("Evidence"))
st.caption(
    _(
        "Measure instead of assuming: business results from a control group, operations from "
        "a contact-centre export, advocacy from a social-mentions export."
    )
)
chosen = evidence.source()
if chosen == "Contact centre":
    evidence.contact_centre()
elif chosen == "Social mentions":
    evidence.social_mentions()
else:
    source = calibrate.source_file()
    if source is None:
        st.info(_("Upload a customer table, or switch on the sample."))
    else:
        calibrate.estimates(*source)
