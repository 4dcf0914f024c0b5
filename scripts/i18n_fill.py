"""Bring the catalogs up to date with the code, and fill in translations.

    python scripts/i18n_fill.py [--lang id] [FRAGMENT.po ...]

1. extracts every marked string (``_()``, ``N_()``; babel.cfg) into
   ``roi_core/locale/messages.pot``, as ``make i18n-update`` does;
2. merges it into ``roi_core/locale/<lang>/LC_MESSAGES/messages.po`` (new strings
   arrive empty; strings no longer in the code are dropped);
3. copies into it the non-empty translations of each FRAGMENT (a ``.po`` file of
   ``msgid``/``msgstr`` pairs; only strings the code has are taken, the rest are
   named);
4. compiles the ``.mo`` (``--compile`` does only this: ``make i18n``), and prints
   how many strings are still untranslated.

One run at a time (a lock file next to the catalogs): several people, or helpers,
may fill their own fragments at once.
"""

from __future__ import annotations

import argparse
import fcntl
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "roi_core" / "locale"
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def _run(*args: str) -> None:
    subprocess.run([PYBABEL, "-q", *args], cwd=ROOT, check=True)


def _extract() -> None:
    _run(
        "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_", "-c", "i18n:",
        "--add-location=file", "--sort-by-file", "--no-wrap",
        "--project", "Social care ROI", "-o", str(LOCALES / "messages.pot"), ".",
    )  # fmt: skip


def _update(lang: str) -> None:
    _run(
        "update", "-i", str(LOCALES / "messages.pot"), "-d", str(LOCALES), "-D", "messages",
        "-l", lang, "--no-fuzzy-matching", "--no-wrap", "--ignore-obsolete",
    )  # fmt: skip


def _fill(lang: str, fragments: list[Path]) -> None:
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    for fragment in fragments:
        with fragment.open("rb") as f:
            part = read_po(f, locale=lang)
        unknown = []
        for message in part:
            if not message.id or not message.string:
                continue
            target = catalog.get(message.id, message.context)
            if target is None:
                unknown.append(message.id)
                continue
            target.string = message.string
            target.flags.discard("fuzzy")
        for msgid in unknown:
            shown = msgid if isinstance(msgid, str) else msgid[0]
            print(f"{fragment.name}: not in the code (skipped): {shown[:70]!r}")
    with po.open("wb") as f:
        write_po(f, catalog, width=0, sort_by_file=True, include_lineno=False)


def compile_catalog(lang: str) -> None:
    """``messages.po`` -> ``messages.mo``, as ``pybabel compile`` does, without Babel's
    printf check: the code formats with ``str.format`` only, and Babel takes "95 %
    interval" for printf's ``% i``, then refuses a translation that writes "95%".
    (tests/core/test_i18n.py checks the ``{placeholders}`` instead.)"""
    folder = LOCALES / lang / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    with (folder / "messages.mo").open("wb") as f:
        write_mo(f, catalog, use_fuzzy=False)


def _missing(lang: str, where: list[str]) -> list[str]:
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    out = []
    for message in catalog:
        if not message.id:
            continue
        if where and not any(loc.startswith(w) for loc, _ in message.locations for w in where):
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fragments", nargs="*", type=Path)
    parser.add_argument("--lang", default="id")
    parser.add_argument("--list", action="store_true", help="print the untranslated strings")
    parser.add_argument(
        "--compile", action="store_true", help="only compile the catalog (make i18n)"
    )
    parser.add_argument(
        "--where", action="append", default=[], help="only strings from files starting so"
    )
    args = parser.parse_args()
    with (LOCALES / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if args.compile:
            compile_catalog(args.lang)
            return 0
        _extract()
        _update(args.lang)
        _fill(args.lang, args.fragments)
        compile_catalog(args.lang)
        missing = _missing(args.lang, args.where)
    where = f" in {', '.join(args.where)}" if args.where else ""
    print(f"{args.lang}: {len(missing)} strings untranslated{where}")
    if args.list:
        for msgid in missing:
            print(f"  {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
