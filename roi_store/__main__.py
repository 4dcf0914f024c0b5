"""``python -m roi_store``: create or migrate the store's schema (``make run`` does it)."""

import sys

from roi_store.schema import SchemaTooNew
from roi_store.store import Store

if __name__ == "__main__":
    try:
        opened = Store()
    except SchemaTooNew as exc:
        sys.exit(f"scenario store not opened: {exc}")
    where = opened.engine.url.render_as_string(hide_password=True)
    print(f"scenario store ready (schema {opened.migrate()}): {where}")
    opened.close()
