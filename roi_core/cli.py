"""``python -m roi_core``: the model headless, for analysts, batch work and tests (MODEL.md §5).

Readable tables by default; ``--json`` prints exactly the names of MODEL.md §3/§4.
A FILE argument may be ``-`` for standard input. Invalid input exits with
status 2 and one line per problem on standard error, each naming the field.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from roi_core.analysis import MAX_DRAWS, break_even, monte_carlo, sensitivity
from roi_core.customer_table import TableError
from roi_core.engine import evaluate
from roi_core.errors import AnalysisError, ScenarioError
from roi_core.results import Result
from roi_core.scenario import NUMERIC_FIELDS, Scenario, scenario_from_file, scenario_from_json

__all__ = ["main"]

EXIT_INVALID = 2

_SUMMARY_ROWS: tuple[tuple[str, str, str], ...] = (
    # (name in summary, label, kind)
    ("npv", "Net present value (NPV)", "money"),
    ("roi", "Return on investment (ROI)", "percent"),
    ("payback_months", "Payback", "months"),
    ("benefit_cost_ratio", "Benefit / cost ratio", "ratio"),
    ("pv_benefits", "PV of benefits", "money"),
    ("pv_costs", "PV of costs", "money"),
    ("npv_hard", "NPV, hard savings only", "money"),
    ("roi_hard", "ROI, hard savings only", "percent"),
    ("total_savings", "Cost savings (risk-adjusted)", "money"),
    ("total_other_benefits", "Other benefits (risk-adjusted)", "money"),
    ("total_revenue_impact", "Revenue impact (before margin and risk)", "money"),
    ("total_benefits", "Total benefits", "money"),
    ("total_costs", "Total costs", "money"),
    ("net_benefit", "Net benefit (undiscounted)", "money"),
    ("contacts_avoided", "Contacts avoided", "count"),
    ("contacts_deflected", "Contacts deflected", "count"),
    ("extra_customers_end", "Extra customers at the end", "count"),
)


def _fmt(value: float | None, kind: str, currency: str = "") -> str:
    if value is None:
        return {"percent": "n/a (no costs)", "ratio": "n/a (no costs)", "months": "never"}.get(
            kind, "n/a"
        )
    if kind == "money":
        return f"{value:,.2f} {currency}".rstrip()
    if kind == "percent":
        return f"{value * 100:,.1f} %"
    if kind == "months":
        return f"{value:,.1f} months"
    if kind == "ratio":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def _table(rows: Sequence[Sequence[str]], out: TextIO, header: Sequence[str] | None = None) -> None:
    body = [list(header)] if header else []
    body += [list(r) for r in rows]
    widths = [max(len(r[i]) for r in body) for i in range(len(body[0]))]
    for n, row in enumerate(body):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells).rstrip(), file=out)
        if header and n == 0:
            print("  ".join("-" * w for w in widths), file=out)


def _print_json(data: Any, out: TextIO) -> None:
    print(json.dumps(data, indent=2, allow_nan=False), file=out)


def _load(path: str) -> Scenario:
    if path == "-":
        return scenario_from_json(sys.stdin.buffer.read())
    return scenario_from_file(path)


def _title(s: Scenario) -> str:
    return f"{s.name} ({s.business.currency}, {s.finance.horizon_months} months)"


def _cmd_evaluate(args: argparse.Namespace, out: TextIO) -> None:
    scenario = _load(args.file)
    result: Result = evaluate(scenario)
    if args.json:
        _print_json(result.to_dict(), out)
        return
    summary = result.to_dict()["summary"]
    cur = scenario.business.currency
    print(_title(scenario), file=out)
    _table([(label, _fmt(summary[k], kind, cur)) for k, label, kind in _SUMMARY_ROWS], out)


def _cmd_sensitivity(args: argparse.Namespace, out: TextIO) -> None:
    scenario = _load(args.file)
    rows = sensitivity(scenario)
    if args.json:
        _print_json([r.to_dict() for r in rows], out)
        return
    print(f"Tornado: NPV swing per uncertainty range, {_title(scenario)}", file=out)
    if not rows:
        print('No field has an uncertainty range: add some under "uncertainty".', file=out)
        return
    cur = scenario.business.currency
    _table(
        [
            (
                r.field,
                f"{r.low:,.6g}",
                f"{r.high:,.6g}",
                _fmt(r.npv_low, "money", cur),
                _fmt(r.npv_high, "money", cur),
                _fmt(r.swing, "money", cur),
            )
            for r in rows
        ],
        out,
        header=("field", "low", "high", "npv at low", "npv at high", "swing"),
    )


def _cmd_breakeven(args: argparse.Namespace, out: TextIO) -> None:
    scenario = _load(args.file)
    result = break_even(
        scenario, args.field, target_roi=args.target_roi, target_payback=args.target_payback
    )
    if args.json:
        _print_json(result.to_dict(), out)
        return
    print(result.message, file=out)


def _cmd_montecarlo(args: argparse.Namespace, out: TextIO) -> None:
    scenario = _load(args.file)
    mc = monte_carlo(scenario, n=args.n, seed=args.seed)
    if args.json:
        _print_json(mc.to_dict(), out)
        return
    cur = scenario.business.currency
    print(f"Monte Carlo: {mc.n:,} draws, seed {mc.seed}, {_title(scenario)}", file=out)
    if not mc.fields:
        print("(no uncertainty ranges: every draw equals the scenario)", file=out)
    data = mc.to_dict()
    cols = ("mean", "p5", "p10", "p50", "p90", "p95")
    rows = [
        ["NPV", *(_fmt(data["npv"][c], "money", cur) for c in cols)],
        ["ROI", *(_fmt(data["roi"][c], "percent") for c in cols)],
        ["Payback", *(_fmt(data["payback_months"][c], "months") for c in cols)],
    ]
    _table(rows, out, header=("", *cols))
    print(f"Probability NPV > 0: {mc.prob_npv_positive * 100:.1f} %", file=out)
    print(
        f"Draws that pay back within the horizon: {mc.payback_months.share_paid_back * 100:.1f} %",
        file=out,
    )


def _read_bytes(path: str) -> tuple[bytes, str]:
    """A data file's bytes and name (``-``: standard input, read as CSV)."""
    if path == "-":
        return sys.stdin.buffer.read(), "stdin.csv"
    try:
        return Path(path).read_bytes(), Path(path).name
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot read ({exc.strerror})"]) from None


def _interval(iv: Any, percent: bool = True) -> str:
    def f(x: float | None) -> str:
        return "n/a" if x is None else (f"{x:.1%}" if percent else f"{x:.5f}")

    return f"{f(iv.estimate)} (95 % interval {f(iv.low)} to {f(iv.high)})"


def _left_out(problems: Sequence[str], out: TextIO) -> None:
    for line in problems:
        print(f"  {line}", file=out)


def _cmd_calibrate(args: argparse.Namespace, out: TextIO) -> None:
    from roi_core.calibration import calibrate
    from roi_core.customer_table import OPTIONAL, REQUIRED, read_table
    from roi_core.exports import parse_mapping

    data, name = _read_bytes(args.file)
    mapping = parse_mapping(args.map, (*REQUIRED, *OPTIONAL)) if args.map else None
    loaded = read_table(data, name, mapping)
    result = calibrate(loaded.table)
    if args.json:
        _print_json(result.to_dict() | {"rows_left_out": list(loaded.problems)}, out)
        return
    print(f"Calibration from {name}: {loaded.rows_read:,} rows read", file=out)
    _left_out(loaded.problems, out)
    rows = []
    for group, g in result.groups.items():
        rows.append([group, f"{g.customers:,}", f"{g.customer_months:,.0f}", f"{g.churned:,}",
                     "n/a" if g.churn_hazard is None else f"{g.churn_hazard:.4%}"])  # fmt: skip
    _table(rows, out, header=("group", "customers", "customer-months", "churned", "hazard"))
    print(f"Retention lift: {_interval(result.retention_lift)}", file=out)
    print(f"Assisted contact change: {_interval(result.assisted_contact_change)}", file=out)
    print(
        "Cross-sell uplift (purchases per customer-month): "
        + _interval(result.cross_sell_uplift, False),
        file=out,
    )
    for warning in result.warnings:
        print(f"Warning: {warning}", file=out)


def _cmd_baseline(args: argparse.Namespace, out: TextIO) -> None:
    from roi_core.contacts import CLASSES, OPTIONAL, REQUIRED, estimate_baseline, read_contacts
    from roi_core.exports import parse_launch, parse_mapping

    launch = parse_launch(args.launch)
    data, name = _read_bytes(args.file)
    mapping = parse_mapping(args.map, (*REQUIRED, *OPTIONAL)) if args.map else None
    overrides: dict[str, str | None] = {}
    for item in args.channel:  # NAME=CLASS; parse_mapping checks the class
        ((klass, channel),) = parse_mapping([item], CLASSES, option="--channel").items()
        overrides[channel or ""] = klass
    loaded = read_contacts(data, name, mapping, overrides)
    result = estimate_baseline(loaded.export, launch, args.hourly_cost)
    if args.json:
        _print_json(result.to_dict() | {"rows_left_out": list(loaded.problems)}, out)
        return
    print(f"Contacts from {name}: {loaded.rows_read:,} rows read, launch {result.launch}",
          file=out)  # fmt: skip
    _left_out(loaded.problems, out)
    _table(
        [
            [
                m.month + ("" if m.has_rows else " (no rows)"),
                "after" if m.post else "before",
                f"{m.assisted:,}",
                f"{m.social:,}",
                f"{m.self_service:,}",
                "" if m.counterfactual is None else f"{m.counterfactual:,.0f}",
            ]
            for m in result.months
        ],
        out,
        header=("month", "launch", "assisted", "social", "self-service", "without launch"),
    )
    b = result.baseline

    def money(x: float | None) -> str:
        return "n/a (needs handle_minutes and --hourly-cost)" if x is None else f"{x:,.2f}"

    mean = b.monthly_assisted_contacts
    print(f"Monthly assisted contacts before launch: {'n/a' if mean is None else f'{mean:,.0f}'}",
          file=out)  # fmt: skip
    print(f"Cost per assisted contact: {money(b.cost_per_assisted_contact)}", file=out)
    print(f"Cost per social contact: {money(b.cost_per_social_contact)}", file=out)
    print(f"Shift away from assisted contacts: {_interval(result.shift)}", file=out)
    if result.dispersion is not None:
        print(f"Dispersion (Pearson chi2 / df): {result.dispersion:.2f}", file=out)
    reach = result.social_reach
    print(f"Social reach: {'n/a (needs customer_id)' if reach is None else f'{reach:.1%}'}",
          file=out)  # fmt: skip
    for warning in result.warnings:
        print(f"Warning: {warning}", file=out)


def _cmd_social(args: argparse.Namespace, out: TextIO) -> None:
    from roi_core.exports import parse_mapping
    from roi_core.mentions import REQUIRED, estimate_advocacy, read_mentions

    data, name = _read_bytes(args.file)
    mapping = parse_mapping(args.map, REQUIRED) if args.map else None
    loaded = read_mentions(data, name, mapping)
    result = estimate_advocacy(loaded.export)
    if args.json:
        _print_json(result.to_dict() | {"rows_left_out": list(loaded.problems)}, out)
        return
    print(f"Mentions from {name}: {loaded.rows_read:,} rows read", file=out)
    _left_out(loaded.problems, out)
    print(f"{result.posts:,} posts by {result.authors:,} authors; "
          f"{result.authors_replied:,} authors got a brand reply", file=out)  # fmt: skip
    print(f"Reply rate (posts answered): {_interval(result.reply_rate)}", file=out)
    print(f"Advocate share (answered authors who later posted a positive mention): "
          f"{_interval(result.advocate_share)}", file=out)  # fmt: skip
    print(f"Later positive, authors never answered: "
          f"{_interval(result.positive_share_not_replied)}", file=out)  # fmt: skip
    print(f"Difference, answered - never answered: {_interval(result.difference)}", file=out)
    for warning in result.warnings:
        print(f"Warning: {warning}", file=out)


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> None:
    _print_json(Scenario.model_json_schema(), out)


def _draws(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= MAX_DRAWS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_DRAWS:,}")
    return n


def _money(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value >= 0 and value < float("inf")):
        raise argparse.ArgumentTypeError("must be a finite number >= 0")
    return value


def _seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return seed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m roi_core",
        description="Social customer-service ROI model: evaluate a scenario JSON file.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    file_help = "scenario JSON file, or - for standard input"
    json_help = "print JSON with the exact result names"

    def add(name: str, fn: Callable[[argparse.Namespace, TextIO], None], help_: str) -> Any:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=fn)
        return p

    p = add("evaluate", _cmd_evaluate, "NPV, ROI, payback and totals of a scenario")
    p.add_argument("file", metavar="FILE", help=file_help)
    p.add_argument("--json", action="store_true", help=json_help)

    p = add("sensitivity", _cmd_sensitivity, "tornado: NPV at each range's low and high")
    p.add_argument("file", metavar="FILE", help=file_help)
    p.add_argument("--json", action="store_true", help=json_help)

    p = add("breakeven", _cmd_breakeven, "goal seek: the FIELD value where npv = 0 (or roi = X)")
    p.add_argument("file", metavar="FILE", help=file_help)
    p.add_argument(
        "field",
        metavar="FIELD",
        help="numeric field, e.g. levers.retention_lift; one of: " + ", ".join(NUMERIC_FIELDS),
    )
    p.add_argument(
        "--target-roi",
        type=float,
        metavar="X",
        help="seek roi = X (a fraction: 0.5 is 50 %%) instead of npv = 0",
    )
    p.add_argument(
        "--target-payback",
        type=float,
        metavar="N",
        help="seek a payback of N months instead (met where payback <= N)",
    )
    p.add_argument("--json", action="store_true", help=json_help)

    p = add("montecarlo", _cmd_montecarlo, "Monte Carlo over the uncertainty ranges")
    p.add_argument("file", metavar="FILE", help=file_help)
    p.add_argument("--n", type=_draws, default=10_000, help="number of draws (default 10,000)")
    p.add_argument(
        "--seed", type=_seed, default=None, help="random seed (default: a new one, printed)"
    )
    p.add_argument("--json", action="store_true", help=json_help)

    map_help = (
        "SOURCE=TARGET: read the file's column SOURCE as TARGET (repeat for each); "
        "an empty SOURCE means the file has no such column"
    )
    p = add("calibrate", _cmd_calibrate, "estimate the levers from an engaged vs control table")
    p.add_argument("file", metavar="CSV", help="customer table (CSV or XLSX), or - for stdin")
    p.add_argument("--map", action="append", default=[], metavar="SOURCE=TARGET", help=map_help)
    p.add_argument("--json", action="store_true", help=json_help)

    p = add(
        "baseline",
        _cmd_baseline,
        "service baseline and the measured shift from a contact-centre export",
    )
    p.add_argument("file", metavar="FILE", help="one row per contact (CSV or XLSX), or -")
    p.add_argument("--launch", required=True, metavar="YYYY-MM", help="month social care began")
    p.add_argument(
        "--hourly-cost",
        type=_money,
        default=None,
        metavar="X",
        help="loaded agent cost per hour, for the costs per contact",
    )
    p.add_argument("--map", action="append", default=[], metavar="SOURCE=TARGET", help=map_help)
    p.add_argument(
        "--channel",
        action="append",
        default=[],
        metavar="NAME=CLASS",
        help="put channel NAME in CLASS (assisted, social or self_service); repeat for each",
    )
    p.add_argument("--json", action="store_true", help=json_help)

    p = add("social", _cmd_social, "advocate share and reply effect from a social-mentions export")
    p.add_argument("file", metavar="FILE", help="one row per post (CSV or XLSX), or -")
    p.add_argument("--map", action="append", default=[], metavar="SOURCE=TARGET", help=map_help)
    p.add_argument("--json", action="store_true", help=json_help)

    add("schema", _cmd_schema, "the scenario's JSON Schema")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 for invalid input)."""
    args = _parser().parse_args(argv)
    try:
        args.func(args, out or sys.stdout)
    except BrokenPipeError:  # `... | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except ScenarioError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except (AnalysisError, TableError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    return 0
