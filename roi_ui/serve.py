"""Start the app's server with the app already loaded: ``python -m roi_ui.serve [OPTIONS]``.

``streamlit run app.py`` imports the app's modules (the engine and its pydantic
models, the widgets, the presets) only when the first browser session runs the
script, so the first visitor after a start waits for them. This launcher imports
them and evaluates the default scenario once in the server process *before* it
starts Streamlit's server, as a web server preloads its application: every
session, the first included, finds them in ``sys.modules``.

Options are ``streamlit run``'s (``--server.port 8501`` …); the script is always
the repository's ``app.py``. ``make run``, ``make cluster`` and the benchmarks start
the app this way.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

__all__ = ["APP", "PRELOAD", "main", "preload"]

APP = Path(__file__).resolve().parents[1] / "app.py"

#: What a first dashboard view imports beyond Streamlit itself; the other pages'
#: modules follow on first use (they are small once these are loaded).
PRELOAD = (
    "roi_core",
    "roi_core.sanity",
    "roi_ui.state",
    "roi_ui.resources",
    "roi_ui.widgets.common",
    "roi_ui.widgets.dashboard",
    "roi_ui.widgets.presenter",
    "roi_ui.figures.dashboard",
    "roi_ui.frames.dashboard",
)


def preload() -> float:
    """Import :data:`PRELOAD`, read the presets and evaluate the default scenario
    (numpy's first calls included); the seconds it took."""
    start = time.perf_counter()
    for name in PRELOAD:
        importlib.import_module(name)
    from roi_core import Scenario, evaluate
    from roi_ui.presets import load_presets

    load_presets()
    evaluate(Scenario())
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    args = sys.argv[1:] if argv is None else argv
    took = preload()
    print(f"roi_ui.serve: app loaded in {took:.2f} s; starting Streamlit", flush=True)
    sys.argv = ["streamlit", "run", str(APP), *args]
    cli.main()


if __name__ == "__main__":
    main()
