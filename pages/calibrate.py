"""The page's old address: /calibrate opened the Calibrate page, now Evidence (its first
source, the control group, is what Calibrate was). Hidden from the navigation."""

from roi_ui import state

state.moved("pages/evidence.py")
