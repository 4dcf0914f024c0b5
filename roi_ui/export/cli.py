"""``roi-report``: the leave-behind report from the command line, so a sales team
can build a hundred decks in a loop::

    roi-report SCENARIO.json --format pptx -o deck.pptx --prepared-for "Acme Telecom"
    roi-report SCENARIO.json -o laporan.html --lang id   # in Bahasa Indonesia
    for f in cases/*.json; do roi-report "$f" -o "out/$(basename "$f" .json).xlsx"; done
    cat case.json | roi-report - --format html -o -  > case.html

SCENARIO is a scenario JSON file (MODEL.md §1; what the dashboard's "Download
scenario" saves), or ``-`` for standard input. ``--format`` defaults to the output
file's extension. ``--preset ID`` names the preset the scenario started from, so
the report cites that preset's sources for the values still equal to it. ``--lang``
is the language of the report (``en``, the default, or ``id``); the messages of the
command itself stay English.

Invalid input exits with status 2 and one line per problem on standard error, each
naming the field or the option, like ``python -m roi_core``; the output file is
written whole (through a temporary file in the same folder) or not at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from roi_core import Scenario, ScenarioError, i18n
from roi_core.scenario import scenario_from_file, scenario_from_json
from roi_ui.presets import Preset, load_presets

__all__ = ["FORMATS", "PROSPECT_MAX", "build", "main"]

EXIT_INVALID = 2
#: The report could not be written (a full disk, no permission).
EXIT_FAILED = 1
#: What each format is, for ``--help``.
FORMATS: dict[str, str] = {
    "html": "one standalone page (opens offline, prints to PDF)",
    "xlsx": "an Excel workbook that recalculates from its assumptions",
    "pptx": "a PowerPoint deck with editable charts",
}
#: The longest "prepared for" name, as in the dashboard's field.
PROSPECT_MAX = 80


class _Invalid(Exception):
    """Bad input: the lines to print, each naming what is wrong."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def build(
    scenario: Scenario, kind: str, *, preset: Preset | None = None, prospect: str = ""
) -> bytes:
    """The report of ``kind`` (a key of :data:`FORMATS`) as bytes."""
    if kind == "html":
        from roi_ui.export.html import html_report

        return html_report(scenario, preset=preset, prospect=prospect)
    if kind == "xlsx":
        from roi_ui.export.xlsx import xlsx_report

        return xlsx_report(scenario, preset=preset, prospect=prospect)
    if kind == "pptx":
        from roi_ui.export.pptx import pptx_report

        return pptx_report(scenario, preset=preset, prospect=prospect)
    raise ValueError(f"unknown report format {kind!r}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roi-report",
        description="Build the social customer care business case (HTML, Excel or PowerPoint) "
        "from a scenario JSON file.",
        epilog="Exit status: 0 done; 2 invalid input (one line per problem on stderr); "
        "1 the file could not be written.",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario JSON file, or - for stdin")
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="; ".join(f"{k}: {v}" for k, v in FORMATS.items()) + " (default: the extension of -o)",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the file to write, or - for stdout"
    )
    parser.add_argument(
        "--prepared-for",
        default="",
        metavar="NAME",
        help=f"the prospect's name on the cover (at most {PROSPECT_MAX} characters)",
    )
    parser.add_argument(
        "--lang",
        choices=list(i18n.LANGUAGES),
        default=i18n.DEFAULT,
        help="the language of the report: "
        + ", ".join(f"{k} ({v})" for k, v in i18n.LANGUAGES.items())
        + f" (default: {i18n.DEFAULT})",
    )
    parser.add_argument(
        "--preset",
        metavar="ID",
        help="the preset the scenario started from, to cite its sources: "
        + ", ".join(load_presets()),
    )
    return parser


def _scenario(path: str) -> Scenario:
    if path == "-":
        return scenario_from_json(sys.stdin.buffer.read())
    return scenario_from_file(path)


def _kind(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    if args.output != "-" and suffix in FORMATS:
        return suffix
    raise _Invalid(
        "--format: missing; give html, xlsx or pptx (or an output file ending in one of them)"
    )


def _preset(name: str | None) -> Preset | None:
    if name is None:
        return None
    presets = load_presets()
    if name not in presets:
        raise _Invalid(f"--preset: unknown preset {name!r}; one of: {', '.join(presets)}")
    return presets[name]


def _prospect(name: str) -> str:
    name = name.strip()
    if len(name) > PROSPECT_MAX:
        raise _Invalid(f"--prepared-for: at most {PROSPECT_MAX} characters (got {len(name)})")
    return name


def _write(output: str, data: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    folder = target.parent
    if not folder.is_dir():
        raise _Invalid(f"-o: the folder {str(folder)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``roi-report``; returns the exit status (0, or 2 for invalid input)."""
    args = _parser().parse_args(argv)
    try:
        kind = _kind(args)
        preset = _preset(args.preset)
        prospect = _prospect(args.prepared_for)
        scenario = _scenario(args.scenario)
        with i18n.language(args.lang):
            report = build(scenario, kind, preset=preset, prospect=prospect)
        _write(args.output, report)
    except ScenarioError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except _Invalid as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(f"-o: cannot write {args.output} ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_FAILED
    return 0


if __name__ == "__main__":  # pragma: no cover - `python -m roi_ui.export.cli`
    raise SystemExit(main())
