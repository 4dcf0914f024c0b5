"""The languages: every string the code marks has its Indonesian, the translations
keep what the code fills in, and numbers follow the language's CLDR locale."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from roi_core import i18n
from roi_ui import formatting as fmt

ROOT = Path(__file__).resolve().parents[2]
PO = i18n.LOCALEDIR / "id" / "LC_MESSAGES" / "messages.po"


def _code_messages() -> dict[str, list[str]]:
    """Every string the code marks (``_()``, ``N_()``, babel.cfg's extractors), read
    from the source now, with where it is."""
    with (ROOT / "babel.cfg").open() as f:
        methods, options = parse_mapping_cfg(f)
    found: dict[str, list[str]] = {}
    for path, _line, message, _comments, _context in extract_from_dir(
        ROOT,
        method_map=methods,
        options_map=options,
        keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
        comment_tags=("i18n:",),
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.setdefault(msgid, []).append(path)
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="id")


@pytest.fixture(scope="module")
def code_messages() -> dict[str, list[str]]:
    return _code_messages()


def _strings(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return value if isinstance(value, tuple) else (value,)


def test_every_marked_string_has_its_indonesian(
    catalog: Catalog, code_messages: dict[str, list[str]]
) -> None:
    """A string the code shows but the catalog lacks (or leaves empty) is named, with
    its file: run `make i18n-update`, translate it in messages.po."""
    missing = []
    for msgid, where in sorted(code_messages.items()):
        entry = catalog.get(msgid)
        if entry is None or not all(_strings(entry.string)) or entry.fuzzy:
            missing.append(f"{sorted(set(where))[0]}: {msgid[:80]!r}")
    assert not missing, f"{len(missing)} strings without Indonesian:\n" + "\n".join(missing)


def test_the_catalog_holds_no_string_the_code_no_longer_has(
    catalog: Catalog, code_messages: dict[str, list[str]]
) -> None:
    stale = [m.id for m in catalog if m.id and _strings(m.id)[0] not in code_messages]
    assert not stale, f"run `make i18n-update`; no longer in the code: {stale[:10]}"


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


_MARKUP = re.compile(r"\*\*|`|\$\$|\\\(|\\\)|\]\(|<[a-z/][^>]*>|\n\n")


def _markup(text: str) -> list[str]:
    return sorted(_MARKUP.findall(text))


def test_translations_keep_the_placeholders_and_the_markup(catalog: Catalog) -> None:
    """``{months}`` in the English is ``{months}`` in the Indonesian (a translation
    that drops or renames one would fail, or print the wrong figure, at run time), and
    so are bold marks, code, formulas, links and paragraph breaks."""
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        for english, indonesian in zip(_strings(m.id), _strings(m.string), strict=False):
            if not indonesian:
                continue
            if _fields(english) != _fields(indonesian):
                wrong.append(f"placeholders {english[:60]!r} -> {indonesian[:60]!r}")
            if _markup(english) != _markup(indonesian):
                wrong.append(f"markup {english[:60]!r} -> {indonesian[:60]!r}")
            english.format_map(_Anything())  # both are valid format strings
            indonesian.format_map(_Anything())
    assert not wrong, "\n".join(wrong)


class _Anything(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return key


def test_a_translation_is_not_the_english_left_in_place(catalog: Catalog) -> None:
    """A msgstr equal to its msgid is a string copied, not translated, unless it is
    a name, a code or a formula (no word of three lowercase letters or more)."""
    words = re.compile(r"\b[a-z]{3,}\b")
    same = [
        m.id
        for m in catalog
        if m.id and m.string == m.id and isinstance(m.id, str) and words.search(m.id)
        and m.id not in _SAME_IN_BOTH
    ]  # fmt: skip
    assert not same, same[:20]


#: Strings that are the same in both languages (checked by hand).
_SAME_IN_BOTH = frozenset({"{a} per {b}", "churn", "input", "subtotal", "{name}, {time} UTC"})


# --- the runtime --------------------------------------------------------------------------


def test_the_language_is_the_blocks_and_english_is_the_default() -> None:
    assert i18n.current() == "en"
    assert i18n.gettext("Dashboard") == "Dashboard"
    with i18n.language("id"):
        assert i18n.current() == "id"
        assert i18n.locale() == "id_ID"
        assert i18n.gettext("Dashboard") == "Dasbor"
        assert i18n.gettext("a string nobody translated") == "a string nobody translated"
    assert i18n.current() == "en"
    assert i18n.is_language("id") and not i18n.is_language("fr") and not i18n.is_language(None)


def test_a_thread_nobody_told_asks_the_ambient_language() -> None:
    """A new thread starts with no language set (an app callback's): the function
    given to ``ambient`` is asked, once; a block's language still wins."""
    import threading

    before = list(i18n._ambient)
    asked: list[str] = []

    def find() -> i18n.Language | None:
        asked.append("asked")
        return "id"

    seen: list[str] = []

    def work() -> None:
        seen.append(i18n.gettext("Dashboard"))
        seen.append(i18n.locale())
        with i18n.language("en"):
            seen.append(i18n.gettext("Dashboard"))

    i18n.ambient(find)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        i18n.ambient(lambda: None)
        assert i18n.current() == "en"  # nobody's language: the default
    finally:
        i18n._ambient[:] = before
    assert seen == ["Dasbor", "id_ID", "Dashboard"]
    assert asked == ["asked"]  # then kept for the thread


def test_a_catalog_not_yet_compiled_is_read_from_its_po() -> None:
    """A checkout where `make i18n` has not run yet still speaks Indonesian."""
    compiled = i18n._from_po(PO)
    assert compiled.gettext("Dashboard") == "Dasbor"


def test_field_titles_are_translated_where_shown() -> None:
    from roi_core import NUMERIC_FIELDS

    spec = NUMERIC_FIELDS["levers.retention_lift"]
    assert spec.title == "Retention lift"
    with i18n.language("id"):
        assert spec.title != "Retention lift" and spec.title
        assert spec.title_en == "Retention lift"


@pytest.mark.parametrize(
    ("shown", "english", "indonesian"),
    [
        (lambda: fmt.money_compact(1_600_000, "IDR"), "IDR\u00a01.6M", "Rp\u00a01,6\u00a0jt"),
        (lambda: fmt.money_compact(867_200, "USD"), "$867.2K", "US$867,2\u00a0rb"),
        (lambda: fmt.money_compact(2.5e9, "IDR"), "IDR\u00a02.5B", "Rp\u00a02,5\u00a0M"),
        (lambda: fmt.money(1_234_567.891, "IDR"), "IDR\u00a01,234,567.89", "Rp\u00a01.234.567,89"),
        (lambda: fmt.percent(0.927), "92.7%", "92,7%"),
        (lambda: fmt.months(11.66), "11.7 months", "11,7 bulan"),
        (lambda: fmt.months(None), "never", "tidak pernah"),
        (lambda: fmt.number(1_234_567.5, digits=1), "1,234,567.5", "1.234.567,5"),
        (lambda: fmt.percent_points(0.3, 0.1), "+20.0 pp", "+20,0 poin"),
        (lambda: fmt.money_compact(1e308, "IDR"), "IDR\u00a01\u00d710³⁰⁸", "Rp\u00a01\u00d710³⁰⁸"),
        (lambda: fmt.unit_words("money/month", "IDR"), "IDR per month", "IDR per bulan"),
    ],
)
def test_numbers_follow_the_languages_locale(shown: object, english: str, indonesian: str) -> None:
    assert callable(shown)
    assert shown() == english
    with i18n.language("id"):
        assert shown() == indonesian


def _iter_po_ids(catalog: Catalog) -> Iterator[str]:
    for m in catalog:
        if m.id:
            yield _strings(m.id)[0]


def test_the_glossary_terms_are_used_as_the_glossary_says(catalog: Catalog) -> None:
    """The domain terms read the same everywhere: wherever the English says payback,
    the Indonesian says balik modal; deflection, pengalihan; and so on."""
    terms = {
        r"\bpays? back\b|\bpayback\b": "balik modal",
        r"\bdeflection\b": "pengalihan",
        r"\bdiscount rate\b": "diskonto",
        r"\bworkshop\b": "lokakarya",
        r"\bbreak-even\b": "impas",
    }
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        english, indonesian = _strings(m.id)[0], _strings(m.string)[0]
        for pattern, word in terms.items():
            if re.search(pattern, english, re.IGNORECASE) and word not in indonesian.lower():
                wrong.append(f"{english[:50]!r}: {indonesian[:50]!r} lacks {word!r}")
    assert not wrong, "\n".join(wrong)
