"""roi_store: persistence for the app — saved scenarios and workshop rooms.

SQLAlchemy 2 Core on an embedded SQLite file (default) or any database URL
(``ROI_DATABASE_URL``). Imports ``roi_core`` and SQLAlchemy only: no Streamlit,
no Plotly, no pandas. ``schema`` holds the tables and their migrations, ``store``
the :class:`Store` and its errors. ``python -m roi_store`` creates or migrates
the schema.
"""

from roi_store.schema import SCHEMA_VERSION, SchemaTooNew
from roi_store.store import (
    ConstraintViolation,
    NoSuchRoom,
    NoSuchScenario,
    NotFacilitator,
    NotOwner,
    Room,
    SavedScenario,
    Store,
    StoredScenarioInvalid,
    StoreError,
    Submission,
    SubmissionList,
    database_url,
    new_owner_key,
)

__all__ = [
    "SCHEMA_VERSION",
    "ConstraintViolation",
    "NoSuchRoom",
    "NoSuchScenario",
    "NotFacilitator",
    "NotOwner",
    "Room",
    "SavedScenario",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "StoredScenarioInvalid",
    "Submission",
    "SubmissionList",
    "database_url",
    "new_owner_key",
]
