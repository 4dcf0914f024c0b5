"""roi_store: persistence for the app — saved scenarios and workshop rooms.

SQLAlchemy 2 Core on an embedded SQLite file (default) or any database URL
(``ROI_DATABASE_URL``; several app processes may share one PostgreSQL). Imports
``roi_core`` and SQLAlchemy only: no Streamlit, no Plotly, no pandas. ``schema``
holds the tables and their migrations, ``store`` the :class:`Store`, its records
and its errors. ``python -m roi_store`` creates or migrates the schema.
"""

from roi_store.schema import SCHEMA_VERSION, SchemaTooNew
from roi_store.store import (
    Conflict,
    ConstraintViolation,
    CreatedRoom,
    NameTaken,
    NoSuchRoom,
    NoSuchScenario,
    NoSuchTeam,
    NotFacilitator,
    NotOpen,
    NotOwner,
    RateLimited,
    Room,
    RoomLocked,
    SavedScenario,
    Store,
    StoredScenarioInvalid,
    StoreError,
    Submission,
    SubmissionList,
    Team,
    database_url,
    new_owner_key,
    projector_secret,
)

__all__ = [
    "SCHEMA_VERSION",
    "Conflict",
    "ConstraintViolation",
    "CreatedRoom",
    "NameTaken",
    "NoSuchRoom",
    "NoSuchScenario",
    "NoSuchTeam",
    "NotFacilitator",
    "NotOpen",
    "NotOwner",
    "RateLimited",
    "Room",
    "RoomLocked",
    "SavedScenario",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "StoredScenarioInvalid",
    "Submission",
    "SubmissionList",
    "Team",
    "database_url",
    "new_owner_key",
    "projector_secret",
]
