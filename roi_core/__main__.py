"""``python -m roi_core``: see :mod:`roi_core.cli`."""

import sys

from roi_core.cli import main

sys.exit(main())
