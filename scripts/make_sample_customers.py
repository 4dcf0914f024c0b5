"""Write a synthetic customer table with known effects (seeded), as CSV.

    .venv/bin/python scripts/make_sample_customers.py roi_ui/data/samples/customers.csv \
        --engaged 600 --control 1400 --lift 0.2 --seed 3

The true effects (retention lift, contact change, cross-sell uplift) are
printed, so a reader can see the calibration recover them within its intervals.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from roi_core.calibration import synthetic_customers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--engaged", type=int, default=600)
    ap.add_argument("--control", type=int, default=1400)
    ap.add_argument("--lift", type=float, default=0.20, help="true retention lift")
    ap.add_argument("--contact-change", type=float, default=0.20)
    ap.add_argument("--hazard", type=float, default=0.025, help="control churn per month")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    table = synthetic_customers(
        engaged=args.engaged, control=args.control, control_hazard=args.hazard,
        true_lift=args.lift, contact_change=args.contact_change, seed=args.seed,
    )  # fmt: skip
    assert table.assisted_contacts is not None
    assert table.cross_sell_purchases is not None
    with args.out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "group", "months_observed", "churned",
                    "assisted_contacts", "cross_sell_purchases"])  # fmt: skip
        for i in range(len(table)):
            w.writerow([
                f"C{i + 1:06d}", "engaged" if table.engaged[i] else "control",
                f"{table.months_observed[i]:.2f}", int(table.churned[i]),
                int(table.assisted_contacts[i]), int(table.cross_sell_purchases[i]),
            ])  # fmt: skip
    print(f"wrote {len(table):,} customers to {args.out}: true retention lift {args.lift:.0%}, "
          f"contact change {args.contact_change:.0%}, seed {args.seed}")  # fmt: skip


if __name__ == "__main__":
    main()
