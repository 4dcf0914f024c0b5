"""Write the two evidence samples (seeded, with known true effects), as CSV.

    .venv/bin/python scripts/make_sample_evidence.py roi_ui/data/samples

* ``contacts.csv``: a contact-centre export, one row per contact (created_at,
  channel, handle_minutes, customer_id), 12 months before and 12 after social care
  launched in 2025-01; the true shift away from assisted contacts is 15 %.
* ``mentions.csv``: a social-mentions export, one row per post (created_at,
  author_id, brand_replied, sentiment); the true advocate share of answered authors
  is 12 %, against 5 % of the authors never answered.

The truths are printed, so a reader can see the Evidence page (or
``python -m roi_core baseline|social``) recover them within their intervals. A test
writes the files again and compares them byte for byte.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from roi_core.contacts import synthetic_contacts
from roi_core.mentions import synthetic_mentions

SEED = 7


def write_contacts(path: Path) -> str:
    s = synthetic_contacts(
        assisted_per_month=600.0, self_service_per_month=180.0, customers=6_000, seed=SEED
    )
    times = s.created_at.astype("datetime64[s]").astype(str)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["created_at", "channel", "handle_minutes", "customer_id"])
        for t, c, m, k in zip(times, s.channel, s.handle_minutes, s.customer_id, strict=True):
            w.writerow([t.replace("T", " "), c, f"{m:.1f}", f"C{k + 1:05d}"])
    return (f"{path}: {len(s.export):,} contacts, launch {s.launch}, "
            f"true shift {s.true_shift:.0%}")  # fmt: skip


def write_mentions(path: Path) -> str:
    s = synthetic_mentions(authors=1_500, seed=SEED)
    times = s.created_at.astype("datetime64[s]").astype(str)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["created_at", "author_id", "brand_replied", "sentiment"])
        for t, a, r, v in zip(times, s.author_id, s.brand_replied, s.sentiment, strict=True):
            w.writerow([f"{t}Z", f"@fan{a + 1:04d}", int(r), f"{v:.2f}"])
    return (f"{path}: {len(s.export):,} posts by {np.unique(s.author_id).size:,} authors, "
            f"true advocate share {s.true_advocate_share:.0%} "
            f"(not answered {s.true_not_replied_share:.0%})")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", type=Path)
    args = ap.parse_args()
    print(write_contacts(args.folder / "contacts.csv"))
    print(write_mentions(args.folder / "mentions.csv"))


if __name__ == "__main__":
    main()
