"""The language of everything a person reads: English or Bahasa Indonesia.

Text is written in English in the code and wrapped: ``_("Payback")`` where it is
shown, ``N_("Payback")`` where it is only defined (a module constant, a field's
title) and translated where shown (``_(title)``). Babel's ``pybabel extract``
collects both into ``roi_core/locale/messages.pot``; the Indonesian catalog is
``roi_core/locale/id/LC_MESSAGES/messages.po`` (``make i18n-update`` merges new
strings into it, ``make i18n`` compiles it; ``make run``/``make test`` do that).

A placeholder is always named, never positional and never an f-string, so a
translation may put it anywhere: ``_("Pays back after {months}.").format(months=…)``.

The language is the running code's: :func:`use` sets it for the current thread or
task (a ``ContextVar``; the app sets it from the session at the start of every
run), :func:`language` for a block (an export, a test). Where neither has said,
the function given to :func:`ambient` is asked (the app's: the session of the
thread's script run, so a widget's callback, which runs before the script on a
new thread, speaks the session's language too). Pure: no Streamlit.
"""

from __future__ import annotations

import gettext as _gettext
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeGuard

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "LOCALEDIR",
    "N_",
    "Language",
    "ambient",
    "current",
    "gettext",
    "is_language",
    "language",
    "locale",
    "ngettext",
    "translations",
    "use",
]

Language = Literal["en", "id"]

#: The languages, each named in itself (as a language switch shows them).
LANGUAGES: Mapping[Language, str] = {"en": "English", "id": "Bahasa Indonesia"}

#: The CLDR locale each language formats numbers and dates in.
_LOCALES: Mapping[Language, str] = {"en": "en_US", "id": "id_ID"}

DEFAULT: Language = "en"

#: Where the catalogs live (``<lang>/LC_MESSAGES/messages.po`` and its ``.mo``).
LOCALEDIR = Path(__file__).parent / "locale"
_DOMAIN = "messages"

_current: ContextVar[Language | None] = ContextVar("roi_language", default=None)
_ambient: list[Callable[[], Language | None]] = []


def is_language(value: object) -> TypeGuard[Language]:
    """``value`` is one of :data:`LANGUAGES`' codes."""
    return isinstance(value, str) and value in LANGUAGES


def use(lang: Language) -> None:
    """Speak ``lang`` from now on, in this thread or task."""
    if _current.get() != lang:
        _current.set(lang)


def ambient(find: Callable[[], Language | None]) -> None:
    """Ask ``find`` for the language where no :func:`use` or :func:`language` has
    set one in this thread or task; ``None`` from it means :data:`DEFAULT`. The
    language it finds is then used (:func:`use`) in this thread, so it is asked
    once per thread. One function: a second call replaces the first."""
    _ambient[:] = [find]


def current() -> Language:
    """The language being spoken here."""
    lang = _current.get()
    if lang is None:
        found = _ambient[0]() if _ambient else None
        if found is None:
            return DEFAULT
        _current.set(found)
        return found
    return lang


def locale() -> str:
    """The CLDR locale of the current language: ``en_US`` or ``id_ID``."""
    return _LOCALES[current()]


@contextmanager
def language(lang: Language) -> Iterator[None]:
    """Speak ``lang`` within the block, then what was spoken before."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: Language) -> _gettext.NullTranslations:
    """The catalog of ``lang``: its compiled ``.mo``; its ``.po`` read by Babel when the
    ``.mo`` is missing or older (a checkout where ``make i18n`` has not run yet)."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    folder = LOCALEDIR / lang / "LC_MESSAGES"
    mo, po = folder / f"{_DOMAIN}.mo", folder / f"{_DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return _gettext.GNUTranslations(f)
    if po.exists():
        return _from_po(po)
    warnings.warn(f"no catalog for language {lang!r} in {LOCALEDIR}", stacklevel=2)
    return _gettext.NullTranslations()


def _from_po(po: Path) -> _gettext.NullTranslations:
    """A ``.po`` file compiled in memory (Babel's reader and writer)."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    """``message`` in the current language (itself where there is no translation)."""
    lang = current()
    if lang == DEFAULT or not message:
        return message
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    lang = current()
    if lang == DEFAULT:
        return singular if n == 1 else plural
    return translations(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here (it is translated
    where it is shown, with :func:`gettext`)."""
    return message
